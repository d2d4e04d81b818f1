"""Console pages of the documents app: versions and publishing, quarterly reviews (INFO-2)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from officeline import clock
from officeline.accounts.models import User
from officeline.accounts.permissions import StaffRequiredMixin
from officeline.documents.choices import DocumentKind
from officeline.documents.errors import DocumentError
from officeline.documents.forms import PublishVersionForm
from officeline.documents.models import Document
from officeline.documents.selectors import reviews_due
from officeline.documents.services import (
    PUBLISHER_CAPABILITY,
    REVIEWER_CAPABILITY,
    publish_version,
    record_review,
)
from officeline.markets.deadlines import local_date


class ReviewsView(StaffRequiredMixin, TemplateView):
    template_name = "console/document_reviews.html"
    capability = "console.use"

    def can_review(self) -> bool:
        return self.may(REVIEWER_CAPABILITY)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            now=clock.now(),
            due=reviews_due(clock.now()),
            codes=Document.objects.filter(kind__in=DocumentKind.reviewed_quarterly())
            .prefetch_related("reviews__reviewed_by")
            .order_by("market", "kind", "language"),
            can_review=self.can_review(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.can_review():
            raise PermissionDenied("recording a review needs the director, supervisor or DPO role")
        document_id = request.POST.get("document", "")
        if not document_id.isdigit():
            messages.error(request, _("Document: choose a document to record its review."))
            return redirect("documents_console:reviews")
        document = get_object_or_404(Document, pk=int(document_id))
        notes = request.POST.get("notes", "")
        if len(notes) > 2000:
            messages.error(request, _("Notes: at most 2000 characters."))
            return redirect("documents_console:reviews")
        try:
            review = record_review(document=document, actor=cast(User, request.user), notes=notes)
        except DocumentError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Review recorded. The next review of %(doc)s is due on %(date)s.")
                % {"doc": document.title, "date": review.next_review_due.isoformat()},
            )
        return redirect("documents_console:reviews")


class DocumentsView(StaffRequiredMixin, TemplateView):
    """Every document of every market with its versions (INFO-2)."""

    template_name = "console/documents.html"
    capability = "console.use"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            documents=Document.objects.prefetch_related("versions").order_by(
                "market", "kind", "language"
            ),
            can_publish=self.may(PUBLISHER_CAPABILITY),
        )
        return context


class PublishVersionView(StaffRequiredMixin, TemplateView):
    """Publish a new version of a document: a new text with its "last updated" date.

    The version in force until now stays readable; the new one is in force at once.
    """

    template_name = "console/document_publish.html"
    access_log_exempt = "a published document: no customer's data"  # PRIV-10
    capability = PUBLISHER_CAPABILITY

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.document = get_object_or_404(Document, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        current = self.document.current_version()
        context["upcoming"] = self.document.upcoming_version()
        if "form" not in context:
            context["form"] = PublishVersionForm(
                initial={
                    "title": self.document.title,
                    "last_updated": local_date(self.document.market, clock.now()),
                    "body": current.body if current else "",
                }
            )
        context.update(document=self.document, current=current)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = PublishVersionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                published = publish_version(
                    market=self.document.market,
                    language=self.document.language,
                    kind=self.document.kind,
                    title=data["title"],
                    version=data["version"].strip(),
                    last_updated=data["last_updated"],
                    body=data["body"],
                    actor=cast(User, request.user),  # StaffRequiredMixin: logged in
                    summary_of_changes=data["summary_of_changes"].strip(),
                    material_change=data["material_change"],
                    effective_from=data["effective_from"],
                    new_uses=data["new_uses"],
                )
            except DocumentError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                if published.created:
                    messages.success(
                        request,
                        _("Version %(v)s of %(doc)s is published.")
                        % {"v": published.version.version, "doc": data["title"]},
                    )
                else:
                    messages.info(request, _("This version was published already."))
                return redirect("documents_console:documents")
        return self.render_to_response(self.get_context_data(form=form), status=400)

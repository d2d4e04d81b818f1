"""Console: the codes' quarterly reviews, due and overdue (INFO-2), and recording one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from officeline import clock
from officeline.accounts.permissions import StaffRequiredMixin
from officeline.documents.choices import DocumentKind
from officeline.documents.errors import DocumentError
from officeline.documents.models import Document
from officeline.documents.selectors import reviews_due
from officeline.documents.services import REVIEWER_ROLES, record_review


class ReviewsView(StaffRequiredMixin, TemplateView):
    template_name = "console/document_reviews.html"

    def can_review(self) -> bool:
        user: Any = self.request.user
        return user.staff_role in REVIEWER_ROLES

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
            review = record_review(document=document, actor=request.user, notes=notes)
        except DocumentError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Review recorded. The next review of %(doc)s is due on %(date)s.")
                % {"doc": document.title, "date": review.next_review_due.isoformat()},
            )
        return redirect("documents_console:reviews")

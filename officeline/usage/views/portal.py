"""The business's call log in the portal (PRIV-2: traffic data, shown to the customer's own
people, within the market's call-log limits, PRIV-3), and the Office Manager's voicemail."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from officeline import clock
from officeline.accounts.choices import CustomerRole
from officeline.accounts.models import User
from officeline.accounts.permissions import CustomerRequiredMixin
from officeline.forms import add_service_errors
from officeline.lines.models import Line
from officeline.usage import selectors
from officeline.usage.acceptable_use import describe
from officeline.usage.forms import ResponseForm
from officeline.usage.models import UseReviewCase, Voicemail
from officeline.usage.services import reviews, voicemail

PAGE_SIZE = 50


class CallListView(CustomerRequiredMixin, TemplateView):
    template_name = "usage/portal/calls.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = Paginator(selectors.call_log(self.customer, clock.now()), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            limits=selectors.call_log_limits(self.customer.market),
            page=page,
            calls=page.object_list,
            time_zone=self.customer.market_definition.time_zone,
        )
        return context


class VoicemailListView(CustomerRequiredMixin, TemplateView):
    """The Office Manager's voicemail: every line's messages, or one line's (``?line=``)."""

    template_name = "usage/portal/voicemails.html"
    office_manager_only = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        lines = Line.objects.filter(customer=self.customer).select_related("number").order_by("pk")
        line = None
        if (line_id := self.request.GET.get("line", "")).isdigit():
            line = get_object_or_404(lines, pk=int(line_id))
        page = Paginator(
            selectors.line_voicemails(self.customer, line.pk if line else None), PAGE_SIZE
        ).get_page(self.request.GET.get("page"))
        context.update(
            limits=selectors.voicemail_limits(self.customer.market),
            lines=lines,
            line=line,
            page=page,
            voicemails=page.object_list,
            time_zone=self.customer.market_definition.time_zone,
        )
        return context


def recording_response(message: Voicemail) -> FileResponse:
    """A message's WAV recording, streamed and not cached; 404 if the file is gone."""
    try:
        audio = message.audio.open("rb")
    except FileNotFoundError as exc:
        raise Http404("this recording is no longer kept") from exc
    response = FileResponse(audio, content_type="audio/wav")
    response["Cache-Control"] = "private, no-store"
    return response


class OwnVoicemailMixin(CustomerRequiredMixin):
    """A message of the Office Manager's own business; anyone else's is not found."""

    office_manager_only = True
    kwargs: dict[str, Any]

    def get_voicemail(self) -> Voicemail:
        return get_object_or_404(
            Voicemail.objects.select_related("customer"),
            pk=self.kwargs["pk"],
            customer=self.customer,
        )


class VoicemailAudioView(OwnVoicemailMixin, View):
    """The message's audio, streamed for the page's audio element; it is no longer new."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        message = self.get_voicemail()
        response = recording_response(message)
        voicemail.mark_listened(voicemail=message, now=clock.now())
        return response


class VoicemailDeleteView(OwnVoicemailMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        message = self.get_voicemail()
        voicemail.delete_voicemail(
            voicemail=message, actor=cast(User, request.user), now=clock.now()
        )
        messages.success(request, _("The message was deleted."))
        return redirect(f"{reverse('usage_portal:voicemails')}?line={message.line_id}")


class ReviewListView(CustomerRequiredMixin, TemplateView):
    """AUP-2: the business's acceptable-use reviews (its people see its calls already)."""

    template_name = "usage/portal/reviews.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            cases=selectors.customer_cases(self.customer.pk),
            time_zone=self.customer.market_definition.time_zone,
        )
        return context


class ReviewView(CustomerRequiredMixin, View):
    """AUP-2: one review with its evidence and the deadline; the Office Manager answers it."""

    def _case(self, pk: int) -> UseReviewCase:
        return get_object_or_404(
            UseReviewCase.objects.select_related("line__number"), pk=pk, customer=self.customer
        )

    def _render(self, case: UseReviewCase, form: ResponseForm, status: int = 200) -> HttpResponse:
        context = {
            "case": case,
            "sample": selectors.sample_rows(case),
            "signals": [describe(s) for s in case.signals],
            "form": form,
            "can_answer": getattr(self.request.user, "customer_role", "")
            == CustomerRole.OFFICE_MANAGER,
            "time_zone": self.customer.market_definition.time_zone,
        }
        return render(self.request, "usage/portal/review.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(self._case(pk), ResponseForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self._case(pk)
        form = ResponseForm(request.POST)
        if not form.is_valid():
            return self._render(case, form, status=400)
        try:
            reviews.respond_to_case(
                case=case,
                actor=cast(User, request.user),
                text=form.cleaned_data["response"],
                now=clock.now(),
            )
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, PermissionDenied):
                form.add_error(None, str(exc))
            else:
                add_service_errors(form, exc)
            return self._render(case, form, status=400)
        messages.success(request, _("Your answer is sent; we will read it before the deadline."))
        return redirect("usage_portal:review", case.pk)

"""A customer's calls and voicemail in the console (PRIV-2 traffic data: staff who serve
customers; the content of a voicemail only with a stated reason, PRIV-11)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from officeline import clock
from officeline.accounts.access_log import AccessLoggedMixin
from officeline.accounts.choices import AccessKind
from officeline.accounts.models import User
from officeline.accounts.permissions import StaffRequiredMixin
from officeline.usage import selectors
from officeline.usage.acceptable_use import describe
from officeline.usage.forms import CloseForm, MoveForm
from officeline.usage.models import UseReviewCase, Voicemail
from officeline.usage.services import reviews
from officeline.usage.views.portal import recording_response

PAGE_SIZE = 50


class CustomerCallsView(AccessLoggedMixin, TemplateView):
    """A customer's calls; each view is logged as an access to traffic data (PRIV-10)."""

    template_name = "usage/console/customer_calls.html"
    capability = "calls.read"
    access_kind = AccessKind.TRAFFIC_DATA
    access_url_kwarg = "customer_id"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        customer = self.accessed_customer
        page = Paginator(selectors.customer_calls(customer.pk), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            customer=customer,
            page=page,
            calls=page.object_list,
            time_zone=customer.market_definition.time_zone,
        )
        return context


class CustomerVoicemailsView(AccessLoggedMixin, TemplateView):
    """That a customer's messages exist (line, when, how long), not what they say or who left
    them; logged as an access to traffic data (PRIV-10)."""

    template_name = "usage/console/customer_voicemails.html"
    capability = "communications.read"
    access_kind = AccessKind.TRAFFIC_DATA
    access_url_kwarg = "customer_id"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        customer = self.accessed_customer
        page = Paginator(selectors.line_voicemails(customer), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            customer=customer,
            page=page,
            voicemails=page.object_list,
            time_zone=customer.market_definition.time_zone,
        )
        return context


class VoicemailAudioView(AccessLoggedMixin, View):
    """PRIV-11: a message's audio, only in answer to the stated-reason form; each listen is
    logged with its reason (PRIV-10) and needs its own. It stays new for the customer."""

    capability = "communications.read"
    access_kind = AccessKind.COMMUNICATIONS
    access_model = Voicemail.objects.select_related("customer")
    access_customer_field = "customer"

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        return recording_response(self.accessed_object)


class ReviewListView(StaffRequiredMixin, TemplateView):
    """AUP-2: the acceptable-use cases under review, the nearest deadline first, late ones flagged."""

    template_name = "usage/console/reviews.html"
    capability = "use_reviews.read"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = clock.now()
        context["rows"] = [
            # Past its deadline and still under review: staff are to decide.
            {"case": case, "late": case.respond_by < now}
            for case in selectors.cases_under_review()
        ]
        return context


class CustomerReviewsView(AccessLoggedMixin, TemplateView):
    """AUP-2: every acceptable-use review of one customer, open or closed; logged (PRIV-10)."""

    template_name = "usage/console/customer_reviews.html"
    capability = "use_reviews.read"
    access_kind = AccessKind.TRAFFIC_DATA
    access_url_kwarg = "customer_id"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        customer = self.accessed_customer
        context.update(customer=customer, cases=selectors.customer_cases(customer.pk))
        return context


class ReviewView(AccessLoggedMixin, View):
    """AUP-2: a case with its evidence, the customer's answer and the decisions; each view is
    logged as an access to traffic data (PRIV-10)."""

    capability = "use_reviews.read"
    access_kind = AccessKind.TRAFFIC_DATA
    access_model = UseReviewCase.objects.select_related("customer", "line__number")
    access_customer_field = "customer"

    def _render(
        self, move: MoveForm | None = None, close: CloseForm | None = None, status: int = 200
    ) -> HttpResponse:
        case: UseReviewCase = self.accessed_object
        market = case.customer.market_definition
        periods = f"{case.first_day.isoformat()} to {case.last_day.isoformat()}"
        context = {
            "case": case,
            "sample": selectors.sample_rows(case),
            "signals": [{**s, "text": describe(s)} for s in case.signals],
            "time_zone": market.time_zone,
            "move": move or MoveForm(initial={"reason": _default_reason(case)}),
            "close": close or CloseForm(),
            "can_decide": self.may(reviews.DECISION_CAPABILITY),
            "periods": periods,
        }
        return render(self.request, "usage/console/review.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render()

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = self.accessed_object
        action = request.POST.get("action")
        move = close = None
        try:
            if action == "move":
                move = MoveForm(request.POST)
                if not move.is_valid():
                    return self._render(move=move, status=400)
                reviews.move_line_to_commercial_plan(
                    case=case, actor=cast(User, request.user), reason=move.cleaned_data["reason"]
                )
                messages.success(
                    request,
                    _("The line is on the commercial per-minute plan; the customer is notified."),
                )
            elif action == "close":
                close = CloseForm(request.POST)
                if not close.is_valid():
                    return self._render(close=close, status=400)
                reviews.close_as_remedied(
                    case=case,
                    actor=cast(User, request.user),
                    note=close.cleaned_data["note"],
                    now=clock.now(),
                )
                messages.success(request, _("The case is closed as remedied."))
            else:
                messages.error(request, _("Choose an action."))
                return self._render(status=400)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return self._render(move=move, close=close, status=403)
        except ValidationError as exc:
            form = move if action == "move" else close
            for field, errors in exc.message_dict.items():
                if form is not None and field in form.fields:
                    form.add_error(field, errors)
                else:
                    messages.error(request, " ".join(errors))
            return self._render(move=move, close=close, status=400)
        return redirect("usage_console:review", case.pk)


def _default_reason(case: UseReviewCase) -> str:
    return _("Acceptable-use review %(id)s: no answer or no return to normal use (AUP-2)") % {
        "id": case.pk
    }

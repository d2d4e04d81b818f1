"""The staff console: dashboard, customers and their timeline, closure days, reference
rates, the test clock.

Every view needs a logged-in user whose staff role has the view's capability
(``StaffRequiredMixin``, ``accounts.permissions``) and, through
``StaffMFAMiddleware``, a TOTP authenticator.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from officeline import clock, navigation
from officeline.accounts.access_log import AccessLoggedMixin
from officeline.accounts.choices import AccessKind
from officeline.accounts.models import Customer, User
from officeline.accounts.permissions import StaffRequiredMixin
from officeline.billing.interest import InterestError, late_payment_terms
from officeline.clock.moves import advance_by
from officeline.console.forms import (
    AdvanceClockForm,
    ClosureDayForm,
    CustomerSearchForm,
    ReferenceRateForm,
)
from officeline.console.selectors import MAX_RESULTS, search_customers
from officeline.console.services import (
    ClosureDayError,
    ReferenceRateError,
    add_closure_day,
    add_reference_rate,
)
from officeline.documents.selectors import reviews_due
from officeline.events.selectors import customer_timeline
from officeline.markets.choices import MarketCode
from officeline.markets.deadlines import local_date
from officeline.markets.definitions import get_market
from officeline.markets.models import ClosureDay, ReferenceRate
from officeline.markets.rates import NoReferenceRate, localized_percent, reference_rate_name

TIMELINE_PAGE_SIZE = 100


class DashboardView(StaffRequiredMixin, TemplateView):
    capability = "console.use"
    template_name = "console/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        reviews = reviews_due(clock.now())
        context.update(
            now=clock.now(),
            search_form=CustomerSearchForm(),
            reviews_overdue=sum(1 for r in reviews if r.status == "overdue"),
            reviews_due=sum(1 for r in reviews if r.status == "due"),
        )
        return context


class CustomerSearchView(StaffRequiredMixin, TemplateView):
    capability = "customers.read"
    template_name = "console/customer_search.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = CustomerSearchForm(self.request.GET or None)
        results: list[Customer] = []
        searched = False
        if form.is_valid() and form.cleaned_data["q"].strip():
            searched = True
            results = list(search_customers(form.cleaned_data["q"])[: MAX_RESULTS + 1])
        context.update(
            form=form,
            searched=searched,
            results=results[:MAX_RESULTS],
            more=len(results) > MAX_RESULTS,
        )
        return context


class CustomerDetailView(AccessLoggedMixin, TemplateView):
    """A customer's details and timeline (events, oldest first, paged); each view is logged
    (PRIV-10)."""

    template_name = "console/customer_detail.html"
    capability = "customers.read"
    access_kind = AccessKind.PERSONAL_DATA
    access_model = Customer.objects.select_related("building")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        customer = self.accessed_customer
        paginator = Paginator(customer_timeline(customer.pk), TIMELINE_PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("page"))
        context.update(
            customer=customer,
            people=customer.people.order_by("email"),
            page=page,
            events=page.object_list,
            time_zone=customer.market_definition.time_zone,
            links=navigation.customer_links(customer.pk, self.may),
        )
        return context


class ClosureDaysView(StaffRequiredMixin, TemplateView):
    """Operator closure days per market; supervisors and the Director add them."""

    template_name = "console/closure_days.html"
    capability = "console.use"

    def can_add(self) -> bool:
        return self.may("calendar.manage")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = clock.now()
        markets = []
        for code in MarketCode.values:
            since = local_date(code, now) - dt.timedelta(days=365)
            markets.append(
                {
                    "market": get_market(code),
                    "days": ClosureDay.objects.filter(market=code, date__gte=since).order_by(
                        "date"
                    ),
                }
            )
        context.update(markets=markets, can_add=self.can_add())
        context.setdefault("form", ClosureDayForm())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.can_add():
            raise PermissionDenied("adding closure days needs the supervisor or director role")
        form = ClosureDayForm(request.POST)
        if form.is_valid():
            try:
                closure = add_closure_day(
                    market=form.cleaned_data["market"],
                    date=form.cleaned_data["date"],
                    reason=form.cleaned_data["reason"],
                    actor=cast(User, request.user),  # StaffRequiredMixin: logged in
                )
            except ClosureDayError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(
                    request,
                    _("%(date)s is now a closure day in %(market)s.")
                    % {"date": closure.date.isoformat(), "market": closure.get_market_display()},
                )
                return redirect("console:closure_days")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ReferenceRatesView(StaffRequiredMixin, TemplateView):
    """Reference rates for late-payment interest per market (BILL-8); supervisors and the Director add them."""

    template_name = "console/reference_rates.html"
    capability = "console.use"

    def can_add(self) -> bool:
        return self.may("calendar.manage")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = clock.now()
        markets = []
        for code in MarketCode.values:
            terms, missing = None, ""
            try:
                terms = late_payment_terms(code, local_date(code, now))
            except (NoReferenceRate, InterestError) as exc:
                missing = str(exc)
            markets.append(
                {
                    "market": get_market(code),
                    "rate_name": reference_rate_name(code),
                    "terms": terms,
                    "reference": localized_percent(terms.reference_rate_bp) if terms else "",
                    "annual": localized_percent(terms.annual_rate_bp) if terms else "",
                    "missing": missing,
                    "rates": [
                        {
                            "effective_from": r.effective_from,
                            "percent": localized_percent(r.rate_bp),
                            "source": r.source,
                        }
                        for r in ReferenceRate.objects.filter(market=code).order_by(
                            "-effective_from"
                        )
                    ],
                }
            )
        context.update(markets=markets, can_add=self.can_add())
        context.setdefault("form", ReferenceRateForm())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.can_add():
            raise PermissionDenied(
                "recording reference rates needs the supervisor or director role"
            )
        form = ReferenceRateForm(request.POST)
        if form.is_valid():
            try:
                rate = add_reference_rate(
                    market=form.cleaned_data["market"],
                    effective_from=form.cleaned_data["effective_from"],
                    rate_bp=form.rate_bp(),
                    source=form.cleaned_data["source"],
                    actor=cast(User, request.user),  # StaffRequiredMixin: logged in
                )
            except ReferenceRateError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(
                    request,
                    _("%(rate)s from %(date)s is recorded for %(market)s.")
                    % {
                        "rate": localized_percent(rate.rate_bp),
                        "date": rate.effective_from.isoformat(),
                        "market": rate.get_market_display(),
                    },
                )
                return redirect("console:reference_rates")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class TestClockView(StaffRequiredMixin, TemplateView):
    """The test clock of a demo or test deployment: now, and moving it forward.

    Moving it calls ``officeline.clock.advance``, which runs ``tick`` on the
    way. Absent in production: the page and the action answer 404.
    """

    template_name = "console/clock.html"
    capability = "clock.advance"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not settings.TEST_CLOCK_ENABLED:
            raise Http404("the test clock is disabled in this deployment")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = clock.now()
        context.update(
            now=now,
            local_times=[
                {"market": get_market(code), "now": now.astimezone(get_market(code).tz)}
                for code in MarketCode.values
            ],
        )
        context.setdefault("form", AdvanceClockForm(initial={"amount": 1, "unit": "days"}))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = AdvanceClockForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            new_now = advance_by(
                amount=form.cleaned_data["amount"],
                unit=form.cleaned_data["unit"],
                market=form.cleaned_data.get("market") or "",
                actor=cast(User, request.user),  # StaffRequiredMixin: logged in
            )
        except clock.TickError as exc:
            messages.error(request, _("The clock moved, but some due work failed: %s") % exc)
        else:
            messages.success(request, _("The clock now reads %s.") % new_now.isoformat())
        return redirect("console:clock")

"""Number porting pages (PORT-1, PORT-2, PORT-3).

Portal: the business's ports; the Office Manager brings a number in, takes a
line's number out (each after the warning that porting may not be possible),
and claims compensation in writing for a port completed late. Console: the
open ports by due date with the late ones flagged; a port's page, where staff
record the agreed date, the completion or the refusal, and the payment of a
compensation.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from officeline import clock
from officeline.accounts.access_log import AccessLoggedMixin
from officeline.accounts.choices import CustomerRole
from officeline.accounts.permissions import (
    CustomerRequiredMixin,
    StaffRequiredMixin,
    has_capability,
)
from officeline.actors import Actor
from officeline.forms import add_service_errors
from officeline.lines import selectors
from officeline.lines.choices import LineStatus, PortState
from officeline.lines.compensation import compensations
from officeline.lines.forms.porting import (
    PORTING_WARNING,
    AgreeDateForm,
    CloseForm,
    CompensationClaimForm,
    CompensationPaidForm,
    CompleteForm,
    PortInForm,
    PortOutForm,
)
from officeline.lines.models import Line, PortRequest
from officeline.lines.services import porting
from officeline.lines.views.actors import acting_user
from officeline.markets.deadlines import local_date

# PORT-1: who records a port's steps; PORT-2: who records a compensation paid
# (accounts.permissions).
PORTING_CAPABILITY = "ports.act"
COMPENSATION_CAPABILITY = "ports.compensation"


# ------------------------------------------------------------------ portal


class PortListView(CustomerRequiredMixin, View):
    """The business's ports, newest first, with what each may still lead to."""

    def get(self, request: HttpRequest) -> HttpResponse:
        ports = list(selectors.customer_ports(self.customer.pk))
        claimed = compensations().of_ports(port.pk for port in ports)
        for port in ports:
            port.claimed = claimed.get(port.pk)  # type: ignore[attr-defined]
            port.claimable = port.days_late > 0 and port.pk not in claimed  # type: ignore[attr-defined]
        return render(
            request,
            "lines/portal/ports.html",
            {
                "ports": ports,
                "lines": Line.objects.filter(customer=self.customer)
                .exclude(status=LineStatus.TERMINATED)
                .select_related("number"),
                "is_manager": request.user.customer_role == CustomerRole.OFFICE_MANAGER,  # type: ignore[union-attr]
            },
        )


class PortInView(CustomerRequiredMixin, View):
    """PORT-1, PORT-3: bring a number held elsewhere, after the warning."""

    office_manager_only = True

    def _render(self, request: HttpRequest, form: PortInForm, status: int = 200) -> HttpResponse:
        return render(
            request,
            "lines/portal/port_in.html",
            {"form": form, "warning": PORTING_WARNING, "building": self.customer.building},
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, PortInForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PortInForm(request.POST)
        if form.is_valid():
            try:
                port = porting.request_port_in(
                    customer=self.customer,
                    building=self.customer.building,
                    actor=acting_user(request),
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "We have your request to bring %(number)s to Officeline. We will tell "
                        "you the port date once the other provider agrees it."
                    )
                    % {"number": port.e164},
                )
                return redirect("lines_portal:ports")
        return self._render(request, form, status=400)


class PortOutView(CustomerRequiredMixin, View):
    """PORT-1, PORT-3, LINE-3: take a line's number to another provider."""

    office_manager_only = True

    def line(self, line_id: int) -> Line:
        try:
            # An ended line too: the refusal says when its service ended (LINE-3).
            return selectors.customer_line(self.customer.pk, line_id, include_ended=True)
        except Line.DoesNotExist:
            raise Http404("no such line") from None

    def _render(
        self, request: HttpRequest, line: Line, form: PortOutForm, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            "lines/portal/port_out.html",
            {"line": line, "form": form, "warning": PORTING_WARNING},
            status=status,
        )

    def get(self, request: HttpRequest, line_id: int) -> HttpResponse:
        return self._render(request, self.line(line_id), PortOutForm())

    def post(self, request: HttpRequest, line_id: int) -> HttpResponse:
        line = self.line(line_id)
        form = PortOutForm(request.POST)
        if form.is_valid():
            try:
                porting.request_port_out(line=line, actor=acting_user(request), **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "We have your request to port %(number)s out. The line ends when the "
                        "port is complete."
                    )
                    % {"number": line.number.e164},
                )
                return redirect("lines_portal:ports")
        return self._render(request, line, form, status=400)


class ClaimCompensationView(CustomerRequiredMixin, View):
    """PORT-2: a written claim for a port completed after its due date."""

    office_manager_only = True

    def port(self, port_id: int) -> PortRequest:
        try:
            return selectors.customer_port(self.customer.pk, port_id)
        except PortRequest.DoesNotExist:
            raise Http404("no such port") from None

    def get(self, request: HttpRequest, port_id: int) -> HttpResponse:
        port = self.port(port_id)
        return render(
            request, "lines/portal/port_claim.html", {"port": port, "form": CompensationClaimForm()}
        )

    def post(self, request: HttpRequest, port_id: int) -> HttpResponse:
        port = self.port(port_id)
        form = CompensationClaimForm(request.POST)
        if form.is_valid():
            try:
                claim = compensations().claim(
                    port=port, claim=form.cleaned_data["claim"], actor=acting_user(request)
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Your claim is recorded: %(days)s days late, %(amount)s owed to you. "
                        "We will tell you when it is paid."
                    )
                    % {"days": claim.days_late, "amount": claim.amount},
                )
                return redirect("lines_portal:ports")
        return render(
            request, "lines/portal/port_claim.html", {"port": port, "form": form}, status=400
        )


# ------------------------------------------------------------------ console


class PortQueueView(StaffRequiredMixin, TemplateView):
    """PORT-1: open ports, the nearest due date first (no date agreed yet: first of all),
    and compensations claimed and not yet paid."""

    template_name = "lines/console/ports.html"
    capability = "ports.read"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = clock.now()
        ports = list(selectors.open_ports())
        for port in ports:
            today = local_date(port.customer.market, now)
            port.late = port.due_date is not None and port.due_date < today  # type: ignore[attr-defined]
        context.update(ports=ports, unpaid=compensations().unpaid())
        return context


class PortDetailView(AccessLoggedMixin, View):
    """One port and its steps; opening it is an access to the customer's data (PRIV-10)."""

    capability = "ports.read"
    access_model = PortRequest.objects.select_related("customer", "line__number", "building")
    access_url_kwarg = "port_id"
    access_customer_field = "customer"

    action_forms: dict[str, type[forms.Form]] = {
        "agree": AgreeDateForm,
        "complete": CompleteForm,
        "close": CloseForm,
        "paid": CompensationPaidForm,
    }

    def _render(
        self, request: HttpRequest, bound: dict[str, forms.Form] | None = None, status: int = 200
    ) -> HttpResponse:
        port: PortRequest = self.accessed_object
        compensation = compensations().of_ports([port.pk]).get(port.pk)
        may_port = has_capability(request.user, PORTING_CAPABILITY)
        forms_shown = {name: form_class() for name, form_class in self.action_forms.items()}
        forms_shown.update(bound or {})
        return render(
            request,
            "lines/console/port.html",
            {
                "port": port,
                "customer": self.accessed_customer,
                "compensation": compensation,
                "forms": forms_shown,
                "can_port": may_port and port.state in selectors.OPEN_PORT_STATES,
                "can_complete": may_port and port.state == PortState.AGREED,
                "can_pay": has_capability(request.user, COMPENSATION_CAPABILITY)
                and compensation is not None
                and compensation.paid_at is None,
            },
            status=status,
        )

    def get(self, request: HttpRequest, port_id: int) -> HttpResponse:
        return self._render(request)

    def post(self, request: HttpRequest, port_id: int) -> HttpResponse:
        action = request.POST.get("action", "")
        if action not in self.action_forms:
            messages.error(request, _("Unknown action."))
            return self._render(request, status=400)
        needed = COMPENSATION_CAPABILITY if action == "paid" else PORTING_CAPABILITY
        if not has_capability(request.user, needed):
            messages.error(request, _("Your role cannot do this."))
            return self._render(request, status=403)
        form = self.action_forms[action](request.POST)
        if form.is_valid():
            try:
                self._act(action, form.cleaned_data, acting_user(request))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("lines_console:port", port_id=port_id)
        return self._render(request, {action: form}, status=400)

    def _act(self, action: str, data: dict[str, Any], actor: Actor) -> None:
        port: PortRequest = self.accessed_object
        if action == "agree":
            porting.agree_port_date(port=port, agreed_date=data["agreed_date"], actor=actor)
        elif action == "complete":
            porting.complete_port(port=port, completed_on=data["completed_on"], actor=actor)
        elif action == "close":
            porting.close_port(port=port, state=data["state"], reason=data["reason"], actor=actor)
        else:
            compensations().pay(port=port, reference=data["reference"], actor=actor)

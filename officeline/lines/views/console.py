"""Lines in the staff console: a customer's lines with their devices and live registrations,
suspension with its ground (LIFE-1), operator-initiated number changes (LINE-2), the lines
whose emergency location awaits confirmation (EMG-2) and equipment replacements (LINE-5)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from officeline.accounts.access_log import AccessLoggedMixin
from officeline.accounts.choices import AccessKind
from officeline.accounts.permissions import StaffRequiredMixin
from officeline.forms import add_service_errors
from officeline.lines import selectors
from officeline.lines.choices import ReplacementStatus
from officeline.lines.forms.lines import (
    NumberChangeForm,
    ReportDeviceForm,
    ShipmentForm,
    SuspendForm,
)
from officeline.lines.models import Device, Line, NumberChange, ReplacementRequest
from officeline.lines.services import lines as services
from officeline.lines.services import numbers, replacements
from officeline.lines.views.actors import acting_user


class CustomerLinesView(AccessLoggedMixin, TemplateView):
    """A customer's lines: state, ground, location, devices and what Kamailio holds for them."""

    template_name = "lines/console/customer_lines.html"
    capability = "lines.read"
    access_kind = AccessKind.PERSONAL_DATA
    access_url_kwarg = "customer_id"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        customer = self.accessed_customer
        lines = list(selectors.customer_lines(customer.pk, include_ended=True))
        usernames = [d.sip_username for line in lines for d in line.devices.all()]
        registrations = selectors.live_registrations(usernames)
        for line in lines:
            for device in line.devices.all():
                device.registrations = registrations.get(device.sip_username, [])  # type: ignore[attr-defined]
        context.update(
            customer=customer,
            lines=lines,
            may_suspend=self.may("lines.suspend"),
            may_change_number=self.may(numbers.NUMBER_CHANGE_CAPABILITY),
            suspend_form=SuspendForm(),
            report_form=ReportDeviceForm(),
            changes=NumberChange.objects.filter(line__customer=customer)
            .select_related("line", "old_number", "new_number")
            .order_by("-noticed_at"),
            replacements=ReplacementRequest.objects.filter(line__customer=customer)
            .select_related("line__number", "device")
            .order_by("-requested_at"),
            time_zone=customer.market_definition.time_zone,
        )
        return context


class _LineActionMixin(AccessLoggedMixin):
    access_model = Line.objects.select_related("customer", "number")
    access_url_kwarg = "line_id"
    access_customer_field = "customer"

    def back(self) -> HttpResponse:
        return redirect("lines_console:customer_lines", self.accessed_customer.pk)


class SuspendLineView(_LineActionMixin, View):
    """LIFE-1: a supervisor or the Director suspends a line, naming the ground."""

    capability = "lines.suspend"

    def post(self, request: HttpRequest, line_id: int) -> HttpResponse:
        form = SuspendForm(request.POST)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
            return self.back()
        try:
            services.suspend_line(
                line=self.accessed_object,
                ground=form.cleaned_data["ground"],
                actor=acting_user(request),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The line is suspended. Emergency calls remain open."))
        return self.back()


class ReactivateLineView(_LineActionMixin, View):
    capability = "lines.suspend"

    def post(self, request: HttpRequest, line_id: int) -> HttpResponse:
        try:
            services.reactivate_line(line=self.accessed_object, actor=acting_user(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The line is active again."))
        return self.back()


class BlockDeviceView(AccessLoggedMixin, View):
    """LINE-4: a theft or fraud reported to support by phone blocks the device at once."""

    capability = "devices.block"
    access_model = Device.objects.select_related("line__customer", "line__number")
    access_url_kwarg = "device_id"
    access_customer_field = "line.customer"

    def post(self, request: HttpRequest, device_id: int) -> HttpResponse:
        form = ReportDeviceForm(request.POST)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
        else:
            services.report_theft_or_fraud(
                device=self.accessed_object, actor=acting_user(request), **form.cleaned_data
            )
            messages.success(request, _("The device is blocked."))
        return redirect("lines_console:customer_lines", self.accessed_customer.pk)


class ChangeNumberView(_LineActionMixin, View):
    """LINE-2: the operator changes a line's number, after the market's notice period."""

    capability = numbers.NUMBER_CHANGE_CAPABILITY
    template = "lines/console/change_number.html"

    def _render(self, request: HttpRequest, form: NumberChangeForm, status: int = 200) -> Any:
        line = self.accessed_object
        return render(
            request,
            self.template,
            {
                "line": line,
                "customer": self.accessed_customer,
                "form": form,
                "notice_days": numbers.number_change_notice_days(line.customer.market),
            },
            status=status,
        )

    def _form(self, data: Any = None) -> NumberChangeForm:
        return NumberChangeForm(data, numbers=selectors.available_numbers(self.accessed_customer))

    def get(self, request: HttpRequest, line_id: int) -> HttpResponse:
        return self._render(request, self._form())

    def post(self, request: HttpRequest, line_id: int) -> HttpResponse:
        form = self._form(request.POST)
        if form.is_valid():
            try:
                change = numbers.schedule_number_change(
                    line=self.accessed_object,
                    new_number=form.cleaned_data["new_number"],
                    reason=form.cleaned_data["reason"],
                    actor=acting_user(request),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The customer is notified; the number changes to %(number)s on %(when)s.")
                    % {
                        "number": change.new_number.e164,
                        "when": change.effective_at.date().isoformat(),
                    },
                )
                return self.back()
        return self._render(request, form, status=400)


class CancelNumberChangeView(AccessLoggedMixin, View):
    """LINE-2: the operator cancels a number change it announced, before it takes effect."""

    capability = numbers.NUMBER_CHANGE_CAPABILITY
    access_model = NumberChange.objects.select_related("line__customer")
    access_url_kwarg = "change_id"
    access_customer_field = "line.customer"

    def post(self, request: HttpRequest, change_id: int) -> HttpResponse:
        try:
            numbers.cancel_number_change(change=self.accessed_object, actor=acting_user(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The number change is cancelled; the customer is emailed."))
        return redirect("lines_console:customer_lines", self.accessed_customer.pk)


class UnconfirmedLocationsView(StaffRequiredMixin, TemplateView):
    """EMG-2: lines whose number was added, changed or ported and whose emergency location
    the customer has not confirmed since."""

    template_name = "lines/console/unconfirmed_locations.html"
    capability = "lines.read"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["lines"] = selectors.unconfirmed_locations()[:500]
        return context


class ReplacementListView(StaffRequiredMixin, TemplateView):
    """LINE-5: replacements under way, oldest first."""

    template_name = "lines/console/replacements.html"
    capability = "lines.read"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["replacements"] = (
            ReplacementRequest.objects.exclude(status=ReplacementStatus.DONE)
            .select_related("line__number", "line__customer", "device")
            .order_by("requested_at", "pk")[:500]
        )
        context["shipment_form"] = ShipmentForm()
        return context


class ReplacementActionView(AccessLoggedMixin, View):
    """LINE-5: a replacement is shipped, then done; no charge is made at any step."""

    capability = replacements.REPLACEMENT_CAPABILITY
    access_model = ReplacementRequest.objects.select_related("line__customer")
    access_url_kwarg = "pk"
    access_customer_field = "line.customer"
    access_kind = AccessKind.TICKETS

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        replacement = self.accessed_object
        try:
            if step == "shipped":
                form = ShipmentForm(request.POST)
                if not form.is_valid():
                    messages.error(request, _form_errors(form))
                    return redirect("lines_console:replacements")
                replacements.mark_replacement_shipped(
                    replacement=replacement,
                    reference=form.cleaned_data["reference"],
                    actor=acting_user(request),
                )
            else:
                replacements.mark_replacement_done(
                    replacement=replacement, actor=acting_user(request)
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The replacement is updated."))
        return redirect("lines_console:replacements")


def _form_errors(form: forms.Form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)

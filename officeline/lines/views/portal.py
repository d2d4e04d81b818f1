"""Lines in the portal: the business's lines and devices; the Office Manager asks for lines,
adds devices (the SIP password shown once), marks a line as used abroad (EMG-4) and confirms
emergency locations (EMG-2); anyone of the business reports a stolen device or fraud (LINE-4)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from officeline import clock
from officeline.accounts.choices import CustomerRole
from officeline.accounts.permissions import CustomerRequiredMixin
from officeline.forms import add_service_errors
from officeline.lines import selectors
from officeline.lines.forms.lines import (
    AbroadForm,
    AddDeviceForm,
    CallBarringForm,
    ReplacementForm,
    ReportDeviceForm,
    RequestLineForm,
)
from officeline.lines.models import Device, Line, NumberChange, ReplacementRequest
from officeline.lines.services import barring, replacements
from officeline.lines.services import lines as services
from officeline.lines.views.actors import acting_user


class _LineMixin(CustomerRequiredMixin):
    def line(self, line_id: int) -> Line:
        try:
            return selectors.customer_line(self.customer.pk, line_id)
        except Line.DoesNotExist:
            raise Http404("no such line") from None


class LineListView(CustomerRequiredMixin, View):
    """LINE-1: each line with its number, status, devices, location and abroad flag."""

    def get(self, request: HttpRequest) -> HttpResponse:
        lines = list(selectors.customer_lines(self.customer.pk))
        return render(
            request,
            "lines/portal/lines.html",
            {
                "lines": lines,
                "unconfirmed": [line for line in lines if line.location_unconfirmed_since],
                "changes": NumberChange.objects.filter(
                    line__customer=self.customer, status="scheduled"
                ).select_related("old_number", "new_number"),
                "replacements": ReplacementRequest.objects.filter(line__customer=self.customer)
                .select_related("line__number", "device")
                .order_by("-requested_at")[:20],
                "is_manager": request.user.customer_role == CustomerRole.OFFICE_MANAGER,  # type: ignore[union-attr]
                # LIFE-6: planned maintenance ahead where the business has lines.
                "maintenance": selectors.upcoming_for_customer(self.customer.pk, now=clock.now()),
                "time_zone": self.customer.market_definition.time_zone,
            },
        )


class RequestLineView(CustomerRequiredMixin, View):
    """A new line: the limits of emergency calls (EMG-5) and the location (EMG-1) first."""

    office_manager_only = True
    template = "lines/portal/request.html"

    def _render(self, request: HttpRequest, form: RequestLineForm, status: int = 200) -> Any:
        building = self.customer.building
        return render(
            request,
            self.template,
            {"form": form, "location": building.address if building else ""},
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(
            request, RequestLineForm(numbers=selectors.available_numbers(self.customer))
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RequestLineForm(request.POST, numbers=selectors.available_numbers(self.customer))
        if form.is_valid():
            try:
                line = services.open_line(
                    customer=self.customer,
                    number=form.cleaned_data["number"],
                    actor=acting_user(request),
                    limitations_acknowledged=form.cleaned_data["acknowledge_limitations"],
                    location_confirmed=form.cleaned_data["confirm_location"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Your line %(number)s is active. Add a device to start calling.")
                    % {"number": line.number.e164},
                )
                return redirect("lines_portal:list")
        return self._render(request, form, status=400)


class AddDeviceView(_LineMixin, View):
    """A device with its own SIP credentials; the password is in this one answer only."""

    office_manager_only = True

    def get(self, request: HttpRequest, line_id: int) -> HttpResponse:
        line = self.line(line_id)
        return render(
            request, "lines/portal/add_device.html", {"line": line, "form": AddDeviceForm()}
        )

    def post(self, request: HttpRequest, line_id: int) -> HttpResponse:
        line = self.line(line_id)
        form = AddDeviceForm(request.POST)
        if form.is_valid():
            try:
                device, password = services.add_device(
                    line=line,
                    kind=form.cleaned_data["kind"],
                    label=form.cleaned_data["label"],
                    actor=acting_user(request),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                response = render(
                    request,
                    "lines/portal/device_credentials.html",
                    {
                        "line": line,
                        "device": device,
                        "password": password,
                        "provisioning": selectors.provisioning(device),
                    },
                )
                # Shown once: never kept by the browser or a proxy.
                response["Cache-Control"] = "no-store"
                return response
        return render(
            request, "lines/portal/add_device.html", {"line": line, "form": form}, status=400
        )


class ReportDeviceView(CustomerRequiredMixin, View):
    """LINE-4: a stolen device or fraud is reported by anyone of the business, and the
    device's credentials are blocked at once."""

    def device(self, device_id: int) -> Device:
        try:
            return selectors.customer_device(self.customer.pk, device_id)
        except Device.DoesNotExist:
            raise Http404("no such device") from None

    def get(self, request: HttpRequest, device_id: int) -> HttpResponse:
        device = self.device(device_id)
        return render(
            request,
            "lines/portal/report_device.html",
            {"device": device, "form": ReportDeviceForm()},
        )

    def post(self, request: HttpRequest, device_id: int) -> HttpResponse:
        device = self.device(device_id)
        form = ReportDeviceForm(request.POST)
        if form.is_valid():
            try:
                services.report_theft_or_fraud(
                    device=device, actor=acting_user(request), **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "The device %(device)s is blocked: it can no longer make or receive "
                        "calls. Add a new device to the line when you are ready."
                    )
                    % {"device": device.label or device.sip_username},
                )
                return redirect("lines_portal:list")
        return render(
            request,
            "lines/portal/report_device.html",
            {"device": device, "form": form},
            status=400,
        )


class AbroadView(_LineMixin, View):
    """EMG-4: marking a line as used abroad, with the warning that emergency calls will not
    work from it."""

    office_manager_only = True

    def get(self, request: HttpRequest, line_id: int) -> HttpResponse:
        line = self.line(line_id)
        form = AbroadForm(initial={"in_use_abroad": "1" if line.in_use_abroad else "0"})
        return render(request, "lines/portal/abroad.html", {"line": line, "form": form})

    def post(self, request: HttpRequest, line_id: int) -> HttpResponse:
        line = self.line(line_id)
        form = AbroadForm(request.POST)
        if form.is_valid():
            try:
                line = services.set_in_use_abroad(
                    line=line, abroad=form.cleaned_data["in_use_abroad"], actor=acting_user(request)
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if line.in_use_abroad:
                    messages.warning(
                        request, services.ABROAD_WARNING % {"number": line.number.e164}
                    )
                else:
                    messages.success(
                        request,
                        _("Line %(number)s is marked as used in the country of the service.")
                        % {"number": line.number.e164},
                    )
                return redirect("lines_portal:list")
        return render(request, "lines/portal/abroad.html", {"line": line, "form": form}, status=400)


class CallBarringView(_LineMixin, View):
    """The Office Manager opts a line in to premium-rate or international calls, barred on
    every line by default against toll fraud, or bars them again."""

    office_manager_only = True

    def get(self, request: HttpRequest, line_id: int) -> HttpResponse:
        line = self.line(line_id)
        form = CallBarringForm(
            initial={name: getattr(line, name) for name in barring.BARRING_FIELDS}
        )
        return render(request, "lines/portal/barring.html", {"line": line, "form": form})

    def post(self, request: HttpRequest, line_id: int) -> HttpResponse:
        line = self.line(line_id)
        form = CallBarringForm(request.POST)
        if form.is_valid():
            try:
                line = barring.set_call_barring(
                    line=line,
                    premium_allowed=form.cleaned_data["premium_calls_allowed"],
                    international_allowed=form.cleaned_data["international_calls_allowed"],
                    actor=acting_user(request),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Call barring of line %(number)s saved.") % {"number": line.number.e164},
                )
                return redirect("lines_portal:list")
        return render(
            request, "lines/portal/barring.html", {"line": line, "form": form}, status=400
        )


class ConfirmLocationView(_LineMixin, View):
    """EMG-2: the Office Manager confirms a line's registered emergency location."""

    office_manager_only = True

    def post(self, request: HttpRequest, line_id: int) -> HttpResponse:
        line = self.line(line_id)
        try:
            services.confirm_location(line=line, actor=acting_user(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The emergency location of line %(number)s is confirmed.")
                % {"number": line.number.e164},
            )
        return redirect("lines_portal:list")


class ReplacementView(CustomerRequiredMixin, View):
    """LINE-5: the Office Manager asks for a defective desk phone we supplied to be replaced,
    at no cost."""

    office_manager_only = True
    template = "lines/portal/replacement.html"

    def _devices(self) -> Any:
        return selectors.replaceable_devices(self.customer.pk)

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ReplacementForm(
            devices=self._devices(), initial={"device": request.GET.get("device")}
        )
        return render(request, self.template, {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ReplacementForm(request.POST, devices=self._devices())
        if form.is_valid():
            try:
                replacements.request_replacement(
                    device=form.cleaned_data["device"],
                    description=form.cleaned_data["description"],
                    actor=acting_user(request),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Your replacement request is recorded. We will send a new device at "
                        "no cost and tell you when it ships."
                    ),
                )
                return redirect("lines_portal:list")
        return render(request, self.template, {"form": form}, status=400)

"""Lines and ports in the API, for the Office Manager's tools.

The same services as the portal decide every rule: asking for a line on a free number of
the building's pool, once the limits of emergency calls are acknowledged (EMG-5) and the
building's address confirmed as its location (EMG-1); adding a device, whose password is
in that one answer only (ACC-6); asking for the replacement of a defective desk phone we
supplied (LINE-5); claiming compensation in writing for a late port (PORT-2); confirming a
line's emergency location (EMG-2), marking a line as used abroad with the warning that emergency
calls will not work from it (EMG-4), opting a line in to premium-rate or international
calls (barred by default, ``lines.services.barring``), reporting a device stolen or used for fraud,
which blocks it at once (LINE-4), and asking for a port-in or a port-out after the
warning that porting may not be possible (PORT-1, PORT-3, LINE-3). Everyone of the
business reads the lines, the free numbers, the replacements and the ports, and reports a
device; the other changes are the Office Manager's. Staff read a customer's with
``?customer=``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from officeline import clock
from officeline.accounts.api.base import (
    CUSTOMER_PARAMETER,
    CustomerScopedAPIView,
    IsCustomerOrStaff,
    IsOfficeManager,
)
from officeline.accounts.models import Customer
from officeline.accounts.validators import phone_number
from officeline.lines import selectors
from officeline.lines.api.serializers import (
    AbroadAnswerSerializer,
    AbroadSerializer,
    AvailableNumberSerializer,
    CallBarringSerializer,
    ClaimSerializer,
    CompensationSerializer,
    DeviceCredentialsSerializer,
    DeviceSerializer,
    LineDetailSerializer,
    LineSerializer,
    MaintenanceSerializer,
    NewDeviceSerializer,
    NewLineSerializer,
    NewReplacementSerializer,
    PortInSerializer,
    PortOutSerializer,
    PortSerializer,
    ReplacementSerializer,
    ReportSerializer,
)
from officeline.lines.compensation import compensations
from officeline.lines.forms.lines import ReplacementForm, RequestLineForm
from officeline.lines.models import Device, Line, Number, PortRequest
from officeline.lines.services import barring, porting
from officeline.lines.services import lines as services
from officeline.lines.services.replacements import request_replacement
from officeline.lines.views.actors import acting_user

ISOLATION_TEST = "officeline.lines.tests.test_api::test_another_customers_line_is_not_found"
LINE_ID = OpenApiParameter("line_id", OpenApiTypes.INT, OpenApiParameter.PATH)
DEVICE_ID = OpenApiParameter("device_id", OpenApiTypes.INT, OpenApiParameter.PATH)
PORT_ID = OpenApiParameter("port_id", OpenApiTypes.INT, OpenApiParameter.PATH)
# The portal's words, so that the API and the portal say the same.
NUMBER_NOT_AVAILABLE = RequestLineForm.base_fields["number"].error_messages["invalid_choice"]
NOT_YOUR_DESK_PHONE = ReplacementForm.base_fields["device"].error_messages["invalid_choice"]


def _pk(raw: str, what: str) -> int:
    """An id from the path; anything else is "not found", as an unknown id is."""
    if not raw.isascii() or not raw.isdigit():
        raise Http404(f"No such {what}.")
    return int(raw)


def _valid(serializer_class: type[serializers.Serializer[Any]], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class _LinesView(CustomerScopedAPIView):
    # Staff read a customer's lines as in the console (LINE-1); the writes are the customer's.
    capability = "lines.read"
    # The changes are the Office Manager's; reading is for everyone of the business and staff.
    write_permission: type[BasePermission] = IsOfficeManager

    def get_permissions(self) -> list[Any]:
        if self.request.method not in ("GET", "HEAD", "OPTIONS"):
            return [self.write_permission()]
        return list(super().get_permissions())

    def get_line(self, line_id: str, *, include_ended: bool = False) -> Line:
        try:
            return selectors.customer_line(
                self.get_customer().pk, _pk(line_id, "line"), include_ended=include_ended
            )
        except Line.DoesNotExist:
            raise Http404("No such line.") from None


def _pool_number(customer: Customer, raw: str) -> Number:
    """The free number of the building's pool the caller chose, written in E.164 or as dialled
    in the market's country; the pool is the portal's (``selectors.available_numbers``)."""
    e164 = "".join(raw.split())
    if not (e164.startswith("+") and e164[1:].isascii() and e164[1:].isdigit()):
        try:
            e164 = phone_number(raw, customer.market)
        except ValidationError as exc:
            raise ValidationError({"number": exc.messages}) from None
    number = selectors.available_numbers(customer).filter(e164=e164).first()
    if number is None:
        raise ValidationError({"number": [NUMBER_NOT_AVAILABLE]})
    return number


class LinesView(_LinesView):
    """LINE-1: the business's lines, by number: status, emergency location and whether it is
    confirmed (EMG-2), the abroad flag (EMG-4) and the devices. The Office Manager asks for a
    line on a free number of the building's pool; ``services.open_line`` refuses it unless the
    limits of emergency calls are acknowledged (EMG-5) and the building's address confirmed as
    its location (EMG-1), and starts its billing as the portal's does (BILL-2)."""

    @extend_schema(
        operation_id="lines_list",
        parameters=[CUSTOMER_PARAMETER],
        responses={200: LineSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        lines = selectors.customer_lines(self.get_customer().pk)
        return Response(LineSerializer(lines, many=True).data)

    @extend_schema(
        operation_id="lines_request",
        request=NewLineSerializer,
        responses={201: LineSerializer},
    )
    def post(self, request: Request) -> Response:
        customer = self.get_customer()
        data = _valid(NewLineSerializer, request.data)
        line = services.open_line(
            customer=customer,
            number=_pool_number(customer, data["number"]),
            actor=acting_user(request),
            limitations_acknowledged=data["acknowledge_limitations"],
            location_confirmed=data["confirm_location"],
        )
        return Response(LineSerializer(line).data, status=status.HTTP_201_CREATED)


class AvailableNumbersView(_LinesView):
    """The free numbers of the business's building's pool, which a new line may take, with the
    address that would be its emergency location (EMG-1): the portal's choice."""

    @extend_schema(
        operation_id="numbers_available",
        parameters=[CUSTOMER_PARAMETER],
        responses={200: AvailableNumberSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        numbers = selectors.available_numbers(self.get_customer())
        return Response(AvailableNumberSerializer(numbers, many=True).data)


class LineDetailView(_LinesView):
    tenant_isolation_test = ISOLATION_TEST

    @extend_schema(
        operation_id="line_read",
        parameters=[LINE_ID, CUSTOMER_PARAMETER],
        responses={200: LineDetailSerializer},
    )
    def get(self, request: Request, line_id: str) -> Response:
        return Response(LineDetailSerializer(self.get_line(line_id)).data)


class ConfirmLocationView(_LinesView):
    """EMG-2: the Office Manager confirms the line's registered emergency location."""

    tenant_isolation_test = ISOLATION_TEST

    @extend_schema(
        operation_id="line_confirm_location",
        parameters=[LINE_ID],
        request=None,
        responses={200: LineSerializer},
    )
    def post(self, request: Request, line_id: str) -> Response:
        line = services.confirm_location(line=self.get_line(line_id), actor=acting_user(request))
        return Response(LineSerializer(line).data)


class AbroadView(_LinesView):
    """EMG-4: the Office Manager marks the line as used abroad, or back in the country; the
    answer carries the warning that emergency calls will not work from it."""

    tenant_isolation_test = ISOLATION_TEST

    @extend_schema(
        operation_id="line_abroad",
        parameters=[LINE_ID],
        request=AbroadSerializer,
        responses={200: AbroadAnswerSerializer},
    )
    def post(self, request: Request, line_id: str) -> Response:
        line = self.get_line(line_id)
        abroad = _valid(AbroadSerializer, request.data)["in_use_abroad"]
        line = services.set_in_use_abroad(line=line, abroad=abroad, actor=acting_user(request))
        line.warning = (  # type: ignore[attr-defined]
            services.ABROAD_WARNING % {"number": line.number.e164} if line.in_use_abroad else ""
        )
        return Response(AbroadAnswerSerializer(line).data)


class CallBarringView(_LinesView):
    """The Office Manager opts the line in to premium-rate or international calls (barred on
    every line by default against toll fraud), or bars them again; a field left out stays
    as it is. Emergency calls and calls to the business's own lines are never barred."""

    tenant_isolation_test = ISOLATION_TEST

    @extend_schema(
        operation_id="line_call_barring",
        parameters=[LINE_ID],
        request=CallBarringSerializer,
        responses={200: LineSerializer},
    )
    def post(self, request: Request, line_id: str) -> Response:
        line = self.get_line(line_id)
        wanted = _valid(CallBarringSerializer, request.data)
        line = barring.set_call_barring(
            line=line,
            premium_allowed=wanted.get("premium_calls_allowed"),
            international_allowed=wanted.get("international_calls_allowed"),
            actor=acting_user(request),
        )
        return Response(LineSerializer(line).data)


class PortOutView(_LinesView):
    """PORT-1, PORT-3: take the line's number to another provider, once the warning that
    porting may not be possible is acknowledged; refused once the line's termination has
    taken effect (LINE-3)."""

    tenant_isolation_test = ISOLATION_TEST

    @extend_schema(
        operation_id="line_port_out",
        parameters=[LINE_ID],
        request=PortOutSerializer,
        responses={201: PortSerializer},
    )
    def post(self, request: Request, line_id: str) -> Response:
        line = self.get_line(line_id, include_ended=True)
        port = porting.request_port_out(
            line=line, actor=acting_user(request), **_valid(PortOutSerializer, request.data)
        )
        return Response(PortSerializer(port).data, status=status.HTTP_201_CREATED)


class AddDeviceView(_LinesView):
    """The Office Manager adds a device to a line, with its own SIP credentials; the password is
    in this answer only, which no browser or proxy may keep (ACC-6, as the portal's page)."""

    tenant_isolation_test = ISOLATION_TEST

    @extend_schema(
        operation_id="line_add_device",
        parameters=[LINE_ID],
        request=NewDeviceSerializer,
        responses={201: DeviceCredentialsSerializer},
    )
    def post(self, request: Request, line_id: str) -> Response:
        # An ended line too: the service refuses it, saying so.
        line = self.get_line(line_id, include_ended=True)
        data = _valid(NewDeviceSerializer, request.data)
        device, password = services.add_device(
            line=line, kind=data["kind"], label=data["label"], actor=acting_user(request)
        )
        provisioning = selectors.provisioning(device)
        answer = {
            **DeviceSerializer(device).data,
            "password": password,
            "domain": provisioning.domain,
            "server": provisioning.server,
            "transports": list(provisioning.transports),
        }
        response = Response(answer, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response


class ReplacementsView(_LinesView):
    """LINE-5: the business's replacement requests, newest first; the Office Manager asks for a
    defective desk phone we supplied to be replaced at no cost (``services.request_replacement``,
    among the devices the portal offers)."""

    @extend_schema(
        operation_id="replacements_list",
        parameters=[CUSTOMER_PARAMETER],
        responses={200: ReplacementSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        replacements = selectors.customer_replacements(self.get_customer().pk)
        return Response(ReplacementSerializer(replacements[:200], many=True).data)

    @extend_schema(
        operation_id="replacements_request",
        request=NewReplacementSerializer,
        responses={201: ReplacementSerializer},
    )
    def post(self, request: Request) -> Response:
        customer = self.get_customer()
        data = _valid(NewReplacementSerializer, request.data)
        device = selectors.replaceable_devices(customer.pk).filter(pk=data["device"]).first()
        if device is None:
            raise ValidationError({"device": [NOT_YOUR_DESK_PHONE]})
        replacement = request_replacement(
            device=device, description=data["description"], actor=acting_user(request)
        )
        return Response(ReplacementSerializer(replacement).data, status=status.HTTP_201_CREATED)


class ReportDeviceView(_LinesView):
    """LINE-4: anyone of the business (or support, for them) reports a device stolen or used
    for fraud; its credentials are blocked at once."""

    tenant_isolation_test = ISOLATION_TEST
    write_permission = IsCustomerOrStaff
    write_capability = "devices.block"

    @extend_schema(
        operation_id="device_report",
        parameters=[DEVICE_ID, CUSTOMER_PARAMETER],
        request=ReportSerializer,
        responses={200: DeviceSerializer},
    )
    def post(self, request: Request, device_id: str) -> Response:
        try:
            device = selectors.customer_device(self.get_customer().pk, _pk(device_id, "device"))
        except Device.DoesNotExist:
            raise Http404("No such device.") from None
        device = services.report_theft_or_fraud(
            device=device, actor=acting_user(request), **_valid(ReportSerializer, request.data)
        )
        return Response(DeviceSerializer(device).data)


class PortsView(_LinesView):
    """PORT-1: the business's ports, newest first, with their dates and state; the Office
    Manager brings a number to the business's building (a port-in), once the warning that
    porting may not be possible is acknowledged (PORT-3)."""

    capability = "ports.read"

    @extend_schema(
        operation_id="ports_list",
        parameters=[CUSTOMER_PARAMETER],
        responses={200: PortSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        ports = selectors.customer_ports(self.get_customer().pk)
        return Response(PortSerializer(ports[:200], many=True).data)

    @extend_schema(
        operation_id="ports_port_in", request=PortInSerializer, responses={201: PortSerializer}
    )
    def post(self, request: Request) -> Response:
        customer = self.get_customer()
        port = porting.request_port_in(
            customer=customer,
            building=customer.building,
            actor=acting_user(request),
            **_valid(PortInSerializer, request.data),
        )
        return Response(PortSerializer(port).data, status=status.HTTP_201_CREATED)


class MaintenanceView(_LinesView):
    """LIFE-6: planned maintenance not yet ended that affects the business's live lines,
    soonest first (the windows the business was emailed about)."""

    @extend_schema(
        operation_id="maintenance_list",
        parameters=[CUSTOMER_PARAMETER],
        responses={200: MaintenanceSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        windows = selectors.upcoming_for_customer(self.get_customer().pk, now=clock.now())
        return Response(MaintenanceSerializer(windows, many=True).data)


class ClaimCompensationView(_LinesView):
    """PORT-2: the Office Manager's written claim for a port completed after its due date,
    answered with the amount owed; a second claim for the same port is refused."""

    tenant_isolation_test = ISOLATION_TEST

    @extend_schema(
        operation_id="port_claim_compensation",
        parameters=[PORT_ID],
        request=ClaimSerializer,
        responses={201: CompensationSerializer},
    )
    def post(self, request: Request, port_id: str) -> Response:
        try:
            port = selectors.customer_port(self.get_customer().pk, _pk(port_id, "port"))
        except PortRequest.DoesNotExist:
            raise Http404("No such port.") from None
        compensation = compensations().claim(
            port=port,
            claim=_valid(ClaimSerializer, request.data)["claim"],
            actor=acting_user(request),
        )
        return Response(CompensationSerializer(compensation).data, status=status.HTTP_201_CREATED)

"""Lines and ports in the API, for the Office Manager's tools.

The same services as the portal decide every rule: asking for a line on a free number of
the building's pool, once the limits of emergency calls are acknowledged (EMG-5) and the
building's address confirmed as its location (EMG-1); adding a device, whose password is
in that one answer only (ACC-6); asking for the replacement of a defective desk phone we
supplied (LINE-5); claiming compensation in writing for a late port (PORT-2); confirming a
line's emergency location (EMG-2), marking a line as used abroad with the warning that emergency
calls will not work from it (EMG-4), opting a line in to premium-rate or international
calls (barred by default, ``lines.barring``), reporting a device stolen or used for fraud,
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
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
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
    StrictCharField,
)
from officeline.accounts.models import Customer
from officeline.accounts.validators import phone_number
from officeline.billing.models import PortingCompensation
from officeline.billing.porting import claim_porting_compensation
from officeline.forms import LINE_MAX_LENGTH
from officeline.lines import barring, porting, selectors, services
from officeline.lines.choices import DeviceKind, NumberChangeStatus, TheftOrFraud
from officeline.lines.forms import ReplacementForm, RequestLineForm
from officeline.lines.forms_porting import PORTING_WARNING, CompensationClaimForm
from officeline.lines.maintenance import upcoming_for_customer
from officeline.lines.models import (
    Device,
    Line,
    Maintenance,
    Number,
    NumberChange,
    PortRequest,
    ReplacementRequest,
)

ISOLATION_TEST = "officeline.lines.tests.test_api::test_another_customers_line_is_not_found"
LINE_ID = OpenApiParameter("line_id", OpenApiTypes.INT, OpenApiParameter.PATH)
DEVICE_ID = OpenApiParameter("device_id", OpenApiTypes.INT, OpenApiParameter.PATH)
PORT_ID = OpenApiParameter("port_id", OpenApiTypes.INT, OpenApiParameter.PATH)
# The portal's words, so that the API and the portal say the same.
_LINE_FIELDS = RequestLineForm.base_fields
NUMBER_NOT_AVAILABLE = _LINE_FIELDS["number"].error_messages["invalid_choice"]
NOT_YOUR_DESK_PHONE = ReplacementForm.base_fields["device"].error_messages["invalid_choice"]


def _pk(raw: str, what: str) -> int:
    """An id from the path; anything else is "not found", as an unknown id is."""
    if not raw.isascii() or not raw.isdigit():
        raise Http404(f"No such {what}.")
    return int(raw)


class DeviceSerializer(serializers.ModelSerializer[Device]):
    blocked = serializers.SerializerMethodField()

    class Meta:
        model = Device
        fields = ["id", "kind", "label", "sip_username", "created_at", "blocked", "blocked_at"]

    def get_blocked(self, device: Device) -> bool:
        return device.blocked_at is not None


class LineSerializer(serializers.ModelSerializer[Line]):
    number = serializers.CharField(source="number.e164")
    location_confirmed = serializers.SerializerMethodField(
        help_text="EMG-2: false while a number added, changed or ported awaits confirmation."
    )
    devices = DeviceSerializer(many=True)

    class Meta:
        model = Line
        fields = [
            "id",
            "number",
            "status",
            "suspension_ground",
            "activated_at",
            "emergency_location",
            "location_confirmed",
            "location_confirmed_at",
            "location_unconfirmed_since",
            "location_unconfirmed_reason",
            "in_use_abroad",
            "premium_calls_allowed",
            "international_calls_allowed",
            "devices",
        ]

    def get_location_confirmed(self, line: Line) -> bool:
        return line.location_unconfirmed_since is None and line.location_confirmed_at is not None


class NumberChangeSerializer(serializers.ModelSerializer[NumberChange]):
    new_number = serializers.CharField(max_length=LINE_MAX_LENGTH, source="new_number.e164")

    class Meta:
        model = NumberChange
        fields = ["new_number", "reason", "noticed_at", "effective_at"]


class LineDetailSerializer(LineSerializer):
    scheduled_number_change = serializers.SerializerMethodField(
        help_text="LINE-2: a number change the operator has announced, or null."
    )

    class Meta(LineSerializer.Meta):
        fields = [*LineSerializer.Meta.fields, "scheduled_number_change"]

    @extend_schema_field(NumberChangeSerializer(allow_null=True))
    def get_scheduled_number_change(self, line: Line) -> dict[str, Any] | None:
        change = (
            line.number_changes.filter(status=NumberChangeStatus.SCHEDULED)
            .select_related("new_number")
            .first()
        )
        return NumberChangeSerializer(change).data if change else None


class AbroadSerializer(serializers.Serializer[Any]):
    in_use_abroad = serializers.BooleanField(
        help_text="EMG-4: true when the line is used outside the market's country."
    )


class AbroadAnswerSerializer(LineSerializer):
    warning = serializers.CharField(
        help_text="EMG-4: what the customer must be told (empty when the line is back home)."
    )

    class Meta(LineSerializer.Meta):
        fields = [*LineSerializer.Meta.fields, "warning"]


class CallBarringSerializer(serializers.Serializer[Any]):
    premium_calls_allowed = serializers.BooleanField(
        required=False,
        help_text="Calls to premium-rate numbers (uk 09, 0871-0873; fr 089): barred unless true.",
    )
    international_calls_allowed = serializers.BooleanField(
        required=False,
        help_text="Calls to other countries and to satellite and international networks: "
        "barred unless true.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError(
                "Give premium_calls_allowed or international_calls_allowed (or both)."
            )
        return attrs


class ReportSerializer(serializers.Serializer[Any]):
    what = serializers.ChoiceField(choices=TheftOrFraud.choices)
    details = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PortSerializer(serializers.ModelSerializer[PortRequest]):
    number = serializers.CharField(source="e164")
    days_late = serializers.IntegerField(
        help_text="PORT-2: calendar days the port was completed after its due date."
    )

    class Meta:
        model = PortRequest
        fields = [
            "id",
            "direction",
            "number",
            "state",
            "line",
            "other_provider",
            "other_account_reference",
            "requested_at",
            "agreed_date",
            "due_date",
            "completed_on",
            "days_late",
            "closed_reason",
        ]


class _PortRequestSerializer(serializers.Serializer[Any]):
    other_provider = serializers.CharField(max_length=200, required=False, default="")
    # PORT-3: refused unless true; the client shows the warning before asking.
    warning_acknowledged = serializers.BooleanField(
        required=False, default=False, help_text=f"PORT-3: {PORTING_WARNING}"
    )


class PortInSerializer(_PortRequestSerializer):
    number = serializers.CharField(max_length=30)
    other_account_reference = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )


class PortOutSerializer(_PortRequestSerializer):
    pass


class AvailableNumberSerializer(serializers.ModelSerializer[Number]):
    number = serializers.CharField(source="e164")
    emergency_location = serializers.CharField(
        source="building.address",
        help_text="EMG-1: the building's address, the line's registered emergency location.",
    )

    class Meta:
        model = Number
        fields = ["number", "emergency_location"]


class NewLineSerializer(serializers.Serializer[Any]):
    number = StrictCharField(
        max_length=30,
        help_text="A free number of the building's pool, from GET /api/v1/numbers/available/.",
    )
    # Required, and refused by the service unless true: the client shows the text first.
    acknowledge_limitations = serializers.BooleanField(
        help_text=f"EMG-5, must be true: {_LINE_FIELDS['acknowledge_limitations'].label}",
        error_messages={
            "required": _LINE_FIELDS["acknowledge_limitations"].error_messages["required"]
        },
    )
    confirm_location = serializers.BooleanField(
        help_text=f"EMG-1, must be true: {_LINE_FIELDS['confirm_location'].label}",
        error_messages={"required": _LINE_FIELDS["confirm_location"].error_messages["required"]},
    )


class NewDeviceSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=DeviceKind.choices)
    label = StrictCharField(  # type: ignore[assignment]
        max_length=Device._meta.get_field("label").max_length,
        required=False,
        allow_blank=True,
        default="",
    )


class DeviceCredentialsSerializer(DeviceSerializer):
    password = serializers.CharField(
        help_text="ACC-6: in this answer only; it is not kept and cannot be shown again."
    )
    domain = serializers.CharField()
    server = serializers.CharField(help_text="host:port of the SIP registrar.")
    transports = serializers.ListField(child=serializers.CharField())

    class Meta(DeviceSerializer.Meta):
        fields = [*DeviceSerializer.Meta.fields, "password", "domain", "server", "transports"]


class ReplacementSerializer(serializers.ModelSerializer[ReplacementRequest]):
    number = serializers.CharField(source="line.number.e164")
    sip_username = serializers.CharField(source="device.sip_username")

    class Meta:
        model = ReplacementRequest
        fields = [
            "id",
            "line",
            "number",
            "device",
            "sip_username",
            "description",
            "status",
            "requested_at",
            "shipped_at",
            "shipment_reference",
            "done_at",
        ]


class NewReplacementSerializer(serializers.Serializer[Any]):
    device = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        help_text="LINE-5: the id of one of the business's desk phones that we supplied.",
    )
    description = StrictCharField(
        max_length=ReplacementForm.base_fields["description"].max_length,  # type: ignore[attr-defined]
        help_text="What is wrong with it.",
    )


class ClaimSerializer(serializers.Serializer[Any]):
    claim = StrictCharField(
        max_length=CompensationClaimForm.base_fields["claim"].max_length,  # type: ignore[attr-defined]
        help_text="PORT-2: the written claim for a port completed late.",
    )


class CompensationSerializer(serializers.ModelSerializer[PortingCompensation]):
    amount_minor = serializers.IntegerField(
        help_text="PORT-2: monthly fee x 12 / 365 x calendar days late, in minor units."
    )

    class Meta:
        model = PortingCompensation
        fields = [
            "port",
            "days_late",
            "monthly_fee_minor",
            "amount_minor",
            "currency",
            "claimed_at",
            "paid_at",
        ]


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
            actor=request.user,
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
        line = services.confirm_location(line=self.get_line(line_id), actor=request.user)
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
        line = services.set_in_use_abroad(line=line, abroad=abroad, actor=request.user)
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
            actor=request.user,
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
            line=line, actor=request.user, **_valid(PortOutSerializer, request.data)
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
            line=line, kind=data["kind"], label=data["label"], actor=request.user
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
        replacements = (
            ReplacementRequest.objects.filter(line__customer=self.get_customer())
            .select_related("line__number", "device")
            .order_by("-requested_at", "-pk")
        )
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
        replacement = services.request_replacement(
            device=device, description=data["description"], actor=request.user
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
            device=device, actor=request.user, **_valid(ReportSerializer, request.data)
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
        ports = PortRequest.objects.filter(customer=self.get_customer()).order_by("-requested_at")
        return Response(PortSerializer(ports[:200], many=True).data)

    @extend_schema(
        operation_id="ports_port_in", request=PortInSerializer, responses={201: PortSerializer}
    )
    def post(self, request: Request) -> Response:
        customer = self.get_customer()
        port = porting.request_port_in(
            customer=customer,
            building=customer.building,
            actor=request.user,
            **_valid(PortInSerializer, request.data),
        )
        return Response(PortSerializer(port).data, status=status.HTTP_201_CREATED)


class MaintenanceSerializer(serializers.ModelSerializer[Maintenance]):
    buildings = serializers.SerializerMethodField(
        help_text="The affected buildings' names (empty with whole_market)."
    )

    class Meta:
        model = Maintenance
        fields = [
            "id",
            "starts_at",
            "ends_at",
            "description_en",
            "description_fr",
            "whole_market",
            "buildings",
            "urgent_reason",
            "noticed_at",
        ]

    def get_buildings(self, maintenance: Maintenance) -> list[str]:
        return [b.name for b in maintenance.buildings.all()]


class MaintenanceView(_LinesView):
    """LIFE-6: planned maintenance not yet ended that affects the business's live lines,
    soonest first (the windows the business was emailed about)."""

    @extend_schema(
        operation_id="maintenance_list",
        parameters=[CUSTOMER_PARAMETER],
        responses={200: MaintenanceSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        windows = upcoming_for_customer(self.get_customer().pk, now=clock.now())
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
            port = PortRequest.objects.select_related("customer").get(
                pk=_pk(port_id, "port"), customer=self.get_customer()
            )
        except PortRequest.DoesNotExist:
            raise Http404("No such port.") from None
        compensation = claim_porting_compensation(
            port=port, claim=_valid(ClaimSerializer, request.data)["claim"], actor=request.user
        )
        return Response(CompensationSerializer(compensation).data, status=status.HTTP_201_CREATED)

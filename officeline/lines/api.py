"""Lines and ports in the API, for the Office Manager's tools.

The same services as the portal decide every rule: confirming a line's emergency
location (EMG-2), marking a line as used abroad with the warning that emergency
calls will not work from it (EMG-4), reporting a device stolen or used for fraud,
which blocks it at once (LINE-4), and asking for a port-in or a port-out after the
warning that porting may not be possible (PORT-1, PORT-3, LINE-3). Everyone of the
business reads the lines and ports and reports a device; the other changes are the
Office Manager's. Staff read a customer's lines and ports with ``?customer=``.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from officeline import clock
from officeline.api.base import (
    CUSTOMER_PARAMETER,
    CustomerScopedAPIView,
    IsCustomerOrStaff,
    IsOfficeManager,
)
from officeline.lines import porting, selectors, services
from officeline.lines.choices import NumberChangeStatus, TheftOrFraud
from officeline.lines.forms_porting import PORTING_WARNING
from officeline.lines.maintenance import upcoming_for_customer
from officeline.lines.models import Device, Line, Maintenance, NumberChange, PortRequest
from officeline.lines.views_console import LINE_ROLES

ISOLATION_TEST = "officeline.lines.tests.test_api::test_another_customers_line_is_not_found"
LINE_ID = OpenApiParameter("line_id", OpenApiTypes.INT, OpenApiParameter.PATH)
DEVICE_ID = OpenApiParameter("device_id", OpenApiTypes.INT, OpenApiParameter.PATH)


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
            "devices",
        ]

    def get_location_confirmed(self, line: Line) -> bool:
        return line.location_unconfirmed_since is None and line.location_confirmed_at is not None


class NumberChangeSerializer(serializers.ModelSerializer[NumberChange]):
    new_number = serializers.CharField(source="new_number.e164")

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


def _valid(serializer_class: type[serializers.Serializer[Any]], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class _LinesView(CustomerScopedAPIView):
    staff_roles = LINE_ROLES
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


class LinesView(_LinesView):
    """LINE-1: the business's lines, by number: status, emergency location and whether it is
    confirmed (EMG-2), the abroad flag (EMG-4) and the devices."""

    @extend_schema(
        operation_id="lines_list",
        parameters=[CUSTOMER_PARAMETER],
        responses={200: LineSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        lines = selectors.customer_lines(self.get_customer().pk)
        return Response(LineSerializer(lines, many=True).data)


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


class ReportDeviceView(_LinesView):
    """LINE-4: anyone of the business (or support, for them) reports a device stolen or used
    for fraud; its credentials are blocked at once."""

    tenant_isolation_test = ISOLATION_TEST
    write_permission = IsCustomerOrStaff

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

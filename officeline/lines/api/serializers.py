"""The API's serializers of lines, devices, replacements, ports and planned maintenance."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from officeline.accounts.api.base import StrictCharField
from officeline.forms import LINE_MAX_LENGTH
from officeline.lines.choices import DeviceKind, NumberChangeStatus, TheftOrFraud
from officeline.lines.compensation import Compensation
from officeline.lines.forms.lines import ReplacementForm, RequestLineForm
from officeline.lines.forms.porting import PORTING_WARNING, CompensationClaimForm
from officeline.lines.models import (
    Device,
    Line,
    Maintenance,
    Number,
    NumberChange,
    PortRequest,
    ReplacementRequest,
)

# The portal's words, so that the API and the portal say the same.
_LINE_FIELDS = RequestLineForm.base_fields
# The largest value of the database's big integers, as the models' fields declare it.
BIGINT_MAX = 2**63 - 1


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


# PORT-2: a claim for a late port (``lines.compensation``: billing's, shown here).
class CompensationSerializer(serializers.Serializer[Compensation]):
    port = serializers.IntegerField(source="port_id")
    days_late = serializers.IntegerField(min_value=0, max_value=BIGINT_MAX)
    monthly_fee_minor = serializers.IntegerField(min_value=0, max_value=BIGINT_MAX)
    amount_minor = serializers.IntegerField(
        help_text="PORT-2: monthly fee x 12 / 365 x calendar days late, in minor units."
    )
    currency = serializers.CharField(max_length=3)
    claimed_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True, required=False)


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

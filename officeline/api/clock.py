"""API: the current time, and moving the test clock (staff, demo and test deployments only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from officeline import clock
from officeline.accounts.api.base import IsStaff
from officeline.clock.moves import ADVANCE_LIMITS, UNITS, advance_by
from officeline.markets.choices import MarketCode

if TYPE_CHECKING:
    from officeline.accounts.models import User

ClockSerializer = inline_serializer(
    "Clock",
    {"now": serializers.DateTimeField(), "test_clock": serializers.BooleanField()},
)


class AdvanceSerializer(serializers.Serializer[dict[str, object]]):
    amount = serializers.IntegerField(min_value=1)
    unit = serializers.ChoiceField(choices=UNITS)
    market = serializers.ChoiceField(choices=MarketCode.choices, required=False)

    def validate(self, attrs: dict[str, object]) -> dict[str, object]:
        unit, amount = str(attrs["unit"]), int(attrs["amount"])  # type: ignore[call-overload]
        if amount > ADVANCE_LIMITS[unit]:
            raise serializers.ValidationError(
                {"amount": f"at most {ADVANCE_LIMITS[unit]} {unit} at a time"}
            )
        if unit == "business_days" and not attrs.get("market"):
            raise serializers.ValidationError(
                {"market": "business days need the market whose calendar counts"}
            )
        return attrs


def _state() -> dict[str, object]:
    return {"now": clock.now().isoformat(), "test_clock": settings.TEST_CLOCK_ENABLED}


class ClockView(APIView):
    tenant_scope = "none"
    permission_classes = [IsAuthenticated]
    capability_exempt = "the time of day, for any logged-in user: no customer's data"

    @extend_schema(operation_id="clock", responses={200: ClockSerializer})
    def get(self, request: Request) -> Response:
        return Response(_state())


class AdvanceClockView(APIView):
    """Move the test clock forward; tick runs on the way. 404 where there is no test clock."""

    tenant_scope = "none"
    permission_classes = [IsStaff]
    capability = "clock.advance"  # as the console's test clock page

    @extend_schema(
        operation_id="clock_advance", request=AdvanceSerializer, responses={200: ClockSerializer}
    )
    def post(self, request: Request) -> Response:
        if not settings.TEST_CLOCK_ENABLED:
            raise Http404("the test clock is disabled in this deployment")
        serializer = AdvanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        advance_by(
            amount=data["amount"],
            unit=data["unit"],
            market=data.get("market", ""),
            actor=cast("User", request.user),  # IsStaff: logged in
        )
        return Response(_state())

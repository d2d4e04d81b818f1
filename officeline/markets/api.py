"""API: deadlines computed with a market's calendar (the same as ``officeline deadline``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from officeline.markets.choices import MarketCode
from officeline.markets.deadlines import DeadlineError, DeadlineUnit, deadline_for
from officeline.markets.definitions import UnknownMarket, get_market
from officeline.markets.parsing import parse_count, parse_start

DeadlineSerializer = inline_serializer(
    "MarketDeadline",
    {
        "deadline": serializers.DateTimeField(help_text="End of the last day, market local time"),
        "market": serializers.ChoiceField(choices=MarketCode.choices),
        "unit": serializers.ChoiceField(choices=DeadlineUnit.choices),
        "count": serializers.IntegerField(min_value=0),
    },
)


class DeadlineView(APIView):
    """The deadline of a period that starts at ``from``, in a market's calendar."""

    tenant_scope = "none"
    permission_classes = [IsAuthenticated]
    capability_exempt = "a date computed from a market's calendar: no customer's data"

    @extend_schema(
        operation_id="deadline",
        parameters=[
            OpenApiParameter("market", str, required=True, enum=MarketCode.values),
            OpenApiParameter("from", str, required=True, description="ISO 8601 with offset"),
            *[
                OpenApiParameter(
                    unit.value, int, required=False, description="give exactly one unit"
                )
                for unit in DeadlineUnit
            ],
        ],
        responses={200: DeadlineSerializer},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        errors: dict[str, list[str]] = {}
        try:
            market = get_market(params.get("market", ""))
        except UnknownMarket as exc:
            errors["market"] = [str(exc)]
        units = [u for u in DeadlineUnit if params.get(u.value) not in (None, "")]
        if len(units) != 1:
            errors["unit"] = ["give exactly one of business_days, days, weeks or months"]
        if "from" not in params:
            errors["from"] = ["this parameter is required"]
        if errors:
            raise exceptions.ValidationError(errors)
        unit = units[0]
        try:
            start = parse_start(params["from"], field="from")
        except DeadlineError as exc:
            raise exceptions.ValidationError({"from": [str(exc)]}) from None
        try:
            count = parse_count(params[unit.value], field=unit.value)
            result = deadline_for(market, start, unit, count)
        except DeadlineError as exc:
            raise exceptions.ValidationError({unit.value: [str(exc)]}) from None
        body: dict[str, Any] = {
            "deadline": result.isoformat(),
            "market": market.code.value,
            "unit": unit.value,
            "count": count,
        }
        return Response(body)

"""API of the privacy app: a person's own requests for a copy, a correction or the deletion
of their personal data (PRIV-6, PRIV-7).

The same domain functions as the portal (``privacy.services.rights``): a request is only
ever about the caller, verified by their own login (the token is theirs), due one
month after receipt; staff answer it in the console.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from officeline.accounts.api.base import IsCustomerPerson, StrictCharField
from officeline.privacy.choices import RequestChannel, RequestKind
from officeline.privacy.models import PrivacyRequest
from officeline.privacy.selectors import person_privacy_requests
from officeline.privacy.services import rights


class PrivacyRequestSerializer(serializers.ModelSerializer[PrivacyRequest]):
    class Meta:
        model = PrivacyRequest
        fields = [
            "reference",
            "kind",
            "details",
            "channel",
            "state",
            "received_at",
            "answer_by",
            "extension_reason",
            "fee_minor",
            "fee_currency",
            "completed_at",
            "outcome",
        ]


class NewPrivacyRequestSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(
        choices=RequestKind.choices,
        help_text="access: a copy of your data; rectification: a correction; erasure: deletion",
    )
    details = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        # The length the schema promises is the length sent; the text is trimmed when stored.
        trim_whitespace=False,
        help_text="What is asked; required for a rectification or an erasure",
    )


class PrivacyRequestsView(APIView):
    """PRIV-6, PRIV-7: the caller's own privacy requests, and a new one about their own data."""

    tenant_scope = "self"
    permission_classes = [IsCustomerPerson]

    @extend_schema(
        operation_id="privacy_requests_list", responses={200: PrivacyRequestSerializer(many=True)}
    )
    def get(self, request: Request) -> Response:
        requests = person_privacy_requests(request.user)
        return Response(PrivacyRequestSerializer(requests, many=True).data)

    @extend_schema(
        operation_id="privacy_requests_create",
        request=NewPrivacyRequestSerializer,
        responses={201: PrivacyRequestSerializer},
    )
    def post(self, request: Request) -> Response:
        data = NewPrivacyRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user: Any = request.user
        created = rights.receive_request(
            customer=user.customer,
            person=user,
            actor=user,
            kind=data.validated_data["kind"],
            channel=RequestChannel.API,
            details=data.validated_data.get("details", ""),
        )
        return Response(PrivacyRequestSerializer(created).data, status=status.HTTP_201_CREATED)


class PrivacyRequestView(APIView):
    """PRIV-6, PRIV-7: one of the caller's own requests; anyone else's is "not found"."""

    tenant_scope = "self"
    permission_classes = [IsCustomerPerson]

    @extend_schema(operation_id="privacy_request_read", responses={200: PrivacyRequestSerializer})
    def get(self, request: Request, reference: str) -> Response:
        found = get_object_or_404(person_privacy_requests(request.user), reference=reference)
        return Response(PrivacyRequestSerializer(found).data)

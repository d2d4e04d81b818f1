"""What the accounts endpoints read and answer: the caller, their business, tokens, events."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from officeline.accounts.api.base import StrictCharField
from officeline.accounts.email_addresses import pending_email
from officeline.accounts.models import ApiToken, Customer
from officeline.accounts.tokens import DEFAULT_CLIENT
from officeline.events.models import Event


class MeSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    language = serializers.CharField()
    staff_role = serializers.CharField(allow_blank=True)
    customer = serializers.IntegerField(source="customer_id", allow_null=True)
    customer_role = serializers.CharField(allow_blank=True)


class AccountSerializer(serializers.ModelSerializer[Customer]):
    is_micro_business = serializers.BooleanField(read_only=True)
    email_pending = serializers.SerializerMethodField(
        help_text="The new account email waiting for its confirmation (a link was emailed to "
        "it); ``email`` changes once it is confirmed. Empty when none."
    )

    class Meta:
        model = Customer
        fields = [
            "id",
            "market",
            "legal_name",
            "company_number",
            "vat_number",
            "contact_name",
            "email",
            "email_pending",
            "phone",
            "address_line1",
            "address_line2",
            "city",
            "postcode",
            "workers_count",
            "is_micro_business",
            "language",
            "preferred_format",
            "preferred_format_details",
            "accessibility_needs",
            "status",
            "created_at",
        ]
        read_only_fields = ["id", "market", "status", "created_at"]

    def get_email_pending(self, customer: Customer) -> str:
        return pending_email(customer)


class EventSerializer(serializers.ModelSerializer[Event]):
    actor = serializers.CharField(source="actor_label")
    summary = serializers.CharField(
        source="label",
        read_only=True,
        help_text="What happened, in words.",
    )

    class Meta:
        model = Event
        fields = [
            "id", "occurred_at", "actor", "action", "summary", "subject_type", "subject_id", "data"
        ]  # fmt: skip


class TokenRequestSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    client = StrictCharField(
        required=False,
        default=DEFAULT_CLIENT,
        max_length=40,
        help_text=(
            "Which program the token is for (``cli``, ``integration-x``): a new token for the "
            "same client replaces the old one."
        ),
    )
    otp = StrictCharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=20,
        help_text=(
            "The current code of the user's authenticator app: required for staff and for "
            "anyone who has set one up."
        ),
    )


class ApiTokenSerializer(serializers.ModelSerializer[ApiToken]):
    class Meta:
        model = ApiToken
        fields = ["id", "client", "prefix", "created_at", "expires_at"]


class IssuedTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(
        read_only=True, help_text="The token: shown this once, never again."
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = ["token", *ApiTokenSerializer.Meta.fields]

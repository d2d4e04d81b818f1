"""API of the accounts app: who am I, my business's details, API tokens, my timeline."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from officeline.accounts.email_addresses import pending_email
from officeline.accounts.models import Customer
from officeline.accounts.services import update_customer_details
from officeline.api.base import CUSTOMER_PARAMETER, CustomerScopedAPIView
from officeline.events.models import Event
from officeline.events.selectors import customer_timeline


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


class MeView(APIView):
    tenant_scope = "self"
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="me", responses={200: MeSerializer})
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)


class AccountView(CustomerScopedAPIView):
    """The caller's business (staff: the customer named by ``?customer=``)."""

    @extend_schema(
        operation_id="account_read",
        parameters=[CUSTOMER_PARAMETER],
        responses={200: AccountSerializer},
    )
    def get(self, request: Request) -> Response:
        return Response(AccountSerializer(self.get_customer()).data)

    @extend_schema(
        operation_id="account_update",
        parameters=[CUSTOMER_PARAMETER],
        request=AccountSerializer,
        responses={200: AccountSerializer},
    )
    def patch(self, request: Request) -> Response:
        customer = self.get_customer()
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError({"": ["Send a JSON object of the fields to change."]})
        read_only = set(AccountSerializer.Meta.read_only_fields) | {
            "is_micro_business",
            "email_pending",
        }
        changes = {k: v for k, v in request.data.items() if k not in read_only}
        refused = sorted(set(request.data) & read_only)
        if refused:
            raise exceptions.ValidationError(
                {name: ["This field cannot be changed."] for name in refused}
            )
        try:
            customer = update_customer_details(
                customer=customer, actor=request.user, changes=changes
            )
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from None
        return Response(AccountSerializer(customer).data)


class TokenRequestSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


TokenSerializer = inline_serializer("Token", {"token": serializers.CharField()})


class TokenView(APIView):
    """Exchange an email and password for the caller's API token; DELETE revokes it."""

    tenant_scope = "self"
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]

    def get_permissions(self) -> list[Any]:
        if self.request.method == "DELETE":
            return [IsAuthenticated()]
        return list(super().get_permissions())

    @extend_schema(
        operation_id="token_create",
        request=TokenRequestSerializer,
        responses={200: TokenSerializer},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            email=serializer.validated_data["email"].lower(),
            password=serializer.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed("Wrong email or password.")
        if getattr(user, "staff_role", ""):
            # Staff log in with a second factor; their tokens are issued by an administrator.
            raise exceptions.PermissionDenied(
                "Staff API tokens are issued with `officeline api_token`."
            )
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @extend_schema(operation_id="token_revoke", responses={204: None})
    def delete(self, request: Request) -> Response:
        Token.objects.filter(user_id=request.user.pk or 0).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class TimelineView(CustomerScopedAPIView):
    """A customer's timeline: their own part for the customer, everything for staff."""

    @extend_schema(
        operation_id="timeline",
        parameters=[CUSTOMER_PARAMETER],
        responses={200: EventSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        customer = self.get_customer()
        staff = bool(getattr(request.user, "staff_role", ""))
        events = customer_timeline(customer.pk, customer_view=not staff)
        paginator = self.pagination_class() if self.pagination_class else None
        if paginator is None:
            return Response(EventSerializer(events, many=True).data)
        page = paginator.paginate_queryset(events, request, view=self)
        return paginator.get_paginated_response(EventSerializer(page, many=True).data)

    @property
    def pagination_class(self) -> Any:
        from rest_framework.settings import api_settings

        return api_settings.DEFAULT_PAGINATION_CLASS

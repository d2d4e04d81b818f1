"""API of the accounts app: who am I, my business's details, API tokens, my timeline."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from officeline.accounts.api.authentication import TooManyAttempts, authenticate_for_token
from officeline.accounts.api.base import CUSTOMER_PARAMETER, CustomerScopedAPIView
from officeline.accounts.api.serializers import (
    AccountSerializer,
    ApiTokenSerializer,
    EventSerializer,
    IssuedTokenSerializer,
    MeSerializer,
    TokenRequestSerializer,
)
from officeline.accounts.models import ApiToken, User
from officeline.accounts.services.customers import update_customer_details
from officeline.accounts.tokens import check_client, issue_api_token, revoke_api_tokens
from officeline.events.selectors import customer_timeline


class MeView(APIView):
    tenant_scope = "self"
    permission_classes = [IsAuthenticated]
    capability_exempt = "the caller's own user, for any logged-in user"

    @extend_schema(operation_id="me", responses={200: MeSerializer})
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)


class AccountView(CustomerScopedAPIView):
    """The caller's business (staff: the customer named by ``?customer=``, with the console's
    ``customers.read``; changing it for the customer needs ``customers.edit``)."""

    capability = "customers.read"
    write_capability = "customers.edit"

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
        assert isinstance(request.user, User)  # IsCustomerOrStaff let in a logged-in user
        try:
            customer = update_customer_details(
                customer=customer, actor=request.user, changes=changes
            )
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from None
        return Response(AccountSerializer(customer).data)


class TooManyAttemptsError(exceptions.Throttled):
    default_detail = "Too many failed attempts for this account: try again in a few minutes."
    default_code = "too_many_attempts"


# The one answer to every refused token request, whatever was wrong, so that it tells nothing.
REFUSED = "Wrong email, password or one-time code."


class TokenView(APIView):
    """POST: exchange an email and password (and, for staff, a TOTP code) for a new token for
    one client. GET: the caller's tokens. DELETE: revoke all of them."""

    tenant_scope = "self"
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]

    def get_permissions(self) -> list[Any]:
        if self.request.method in {"GET", "DELETE"}:
            return [IsAuthenticated()]
        return list(super().get_permissions())

    @extend_schema(
        operation_id="token_create",
        request=TokenRequestSerializer,
        responses={200: IssuedTokenSerializer},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            client = check_client(data["client"])
            user = authenticate_for_token(
                request._request,
                email=data["email"].lower(),
                password=data["password"],
                otp=data["otp"],
            )
        except TooManyAttempts:
            raise TooManyAttemptsError() from None
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from None
        if user is None:
            raise exceptions.AuthenticationFailed(REFUSED)
        issued = issue_api_token(user=user, client=client, actor=user)
        # Shown this once: no cache may keep it.
        response = Response({"token": issued.value, **ApiTokenSerializer(issued.token).data})
        response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        return response

    @extend_schema(operation_id="token_list", responses={200: ApiTokenSerializer(many=True)})
    def get(self, request: Request) -> Response:
        tokens = ApiToken.objects.filter(user_id=request.user.pk or 0).order_by("client")
        return Response(ApiTokenSerializer(tokens, many=True).data)

    @extend_schema(operation_id="token_revoke_all", responses={204: None})
    def delete(self, request: Request) -> Response:
        assert isinstance(request.user, User)
        revoke_api_tokens(user=request.user, actor=request.user, reason="revoked")
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenDetailView(APIView):
    """DELETE: revoke one of the caller's tokens."""

    tenant_scope = "self"
    permission_classes = [IsAuthenticated]
    capability_exempt = "the caller's own tokens, for any logged-in user"

    @extend_schema(
        operation_id="token_revoke",
        parameters=[OpenApiParameter("token_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={204: None},
    )
    def delete(self, request: Request, token_id: str) -> Response:
        assert isinstance(request.user, User)
        # Any text reaches the view, so that a path that is not a number gets the API's own
        # 404 rather than the site's HTML page.
        if not (
            token_id.isascii() and token_id.isdigit() and len(token_id) < 19
        ) or not revoke_api_tokens(
            user=request.user, actor=request.user, reason="revoked", token_id=int(token_id)
        ):
            raise exceptions.NotFound("You have no token with this id.")
        return Response(status=status.HTTP_204_NO_CONTENT)


class TimelineView(CustomerScopedAPIView):
    """A customer's timeline: their own part for the customer, everything for staff (as on
    the console's customer page)."""

    capability = "customers.read"

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
        return api_settings.DEFAULT_PAGINATION_CLASS

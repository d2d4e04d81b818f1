"""What every API endpoint builds on: who the caller is and whose data they may touch.

Tenant scoping is the default. ``CustomerScopedAPIView.get_customer()`` is the
caller's own customer for a customer's person, and for staff the customer named
by the ``customer`` query parameter. A view that lists or changes customer data
starts its query from that customer.

Staff reach a view only with its ``capability`` (``accounts.permissions.CAPABILITIES``,
the same table as the console's): ``IsStaff`` and ``IsCustomerOrStaff`` ask it, for
writes ``write_capability`` when the view has one. A view for customers only uses
``IsCustomerPerson`` or ``IsOfficeManager``; a public one ``AllowAny``; one open to any
logged-in user about no customer says why in ``capability_exempt``.

Every API view declares ``tenant_scope``, which the tenant-isolation test reads:
``"customer"`` (one customer's data, from ``get_customer()`` or a queryset
filtered by it), ``"self"`` (only the caller's own user), or ``"none"`` (no
customer data at all).
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, permissions, serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from officeline.accounts.choices import CustomerRole
from officeline.accounts.models import Customer
from officeline.accounts.permissions import SAFE_METHODS, has_capability, roles_with
from officeline.accounts.services.access_log import record_access

CUSTOMER_PARAMETER = OpenApiParameter(
    "customer",
    OpenApiTypes.INT,
    description="Staff only: the customer whose data to read. Customers always get their own.",
    required=False,
)


class StrictCharField(serializers.CharField):
    """Text that must be sent as a JSON string: a number or a boolean is refused, not coerced."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))


class IsCustomerPerson(permissions.BasePermission):
    """A person of a customer (Office Manager or member)."""

    message = "This endpoint is for customers."

    def has_permission(self, request: Request, view: Any) -> bool:
        user: Any = request.user
        return bool(user and user.is_authenticated and user.customer_id)


class IsOfficeManager(permissions.BasePermission):
    message = "Only the Office Manager can do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        user: Any = request.user
        return bool(
            user
            and user.is_authenticated
            and user.customer_id
            and user.customer_role == CustomerRole.OFFICE_MANAGER
        )


def capabilities_for(view: Any, method: str) -> list[str]:
    """What staff need for ``method`` on ``view``: its ``capability``, and for a write its
    ``write_capability`` too when it has one (as the console's ``StaffRequiredMixin``)."""
    needed = [str(getattr(view, "capability", "") or "")]
    write = str(getattr(view, "write_capability", "") or "")
    if write and method not in SAFE_METHODS:
        needed.append(write)
    return needed


class IsStaff(permissions.BasePermission):
    """Operator staff whose role has the view's capability (none named: nobody)."""

    message = "This endpoint is for operator staff."

    def has_permission(self, request: Request, view: Any) -> bool:
        user: Any = request.user
        if not (user and user.is_authenticated and user.is_active and user.staff_role):
            return False
        for capability in capabilities_for(view, request.method or "GET"):
            if not capability:
                return False
            if not has_capability(user, capability):
                self.message = (
                    f"This needs the {capability} permission, which the staff roles "
                    + ", ".join(sorted(roles_with(capability)))
                    + " have."
                )
                return False
        return True


class IsCustomerOrStaff(permissions.BasePermission):
    message = "Log in as a customer's person or as staff."

    def has_permission(self, request: Request, view: Any) -> bool:
        if IsCustomerPerson().has_permission(request, view):
            return True
        staff = IsStaff()
        if staff.has_permission(request, view):
            return True
        user: Any = request.user
        if user and user.is_authenticated and getattr(user, "staff_role", ""):
            self.message = staff.message
        return False


class CustomerScopedAPIView(APIView):
    """An endpoint about one customer's data.

    ``get_customer()`` never returns another customer's row to a customer's
    person: they get their own, whatever they ask for.
    """

    tenant_scope = "customer"
    permission_classes = [IsCustomerOrStaff]
    # What staff need to read this endpoint for any customer (accounts.permissions), and to
    # write through it when that differs.
    capability: str = ""
    write_capability: str = ""
    # PRIV-10: what staff reading this endpoint see of the customer; each staff read is logged.
    access_kind: str = "personal_data"

    def log_staff_access(self, customer: Customer, subject: Any = None) -> None:
        """PRIV-10: a staff member reads one customer's data through the API."""
        match = self.request.resolver_match
        record_access(
            staff_user=self.request.user,
            customer=customer,
            kind=self.access_kind,
            subject=subject if subject is not None else customer,
            url_name=match.view_name if match else "",
        )

    def get_customer(self) -> Customer:
        user: Any = self.request.user
        raw = self.request.query_params.get("customer")
        if raw is None:
            raw = self.kwargs.get("customer_id")
        customer_id: int | None = None
        if raw is not None:
            try:
                customer_id = int(raw)
            except (TypeError, ValueError):
                raise exceptions.ValidationError({"customer": ["Must be a customer id."]}) from None
        if user.customer_id:
            # A customer's person reaches only their own customer; another id is "not found".
            if customer_id is not None and customer_id != user.customer_id:
                raise exceptions.NotFound("No such customer.")
            return user.customer  # type: ignore[no-any-return]
        if customer_id is None:
            raise exceptions.ValidationError({"customer": ["Staff must name the customer."]})
        customer = get_object_or_404(Customer, pk=customer_id)
        self.log_staff_access(customer)
        return customer

"""Who may do what: staff roles for the console, the customer's people for the portal.

Domain functions check with ``require_staff_role`` / ``require_customer_access``
and raise ``PermissionDenied``; views use the mixins.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from officeline.accounts.choices import CustomerRole, StaffRole

ALL_STAFF = frozenset(StaffRole.values)


def require_staff_role(user: Any, *roles: str) -> None:
    """Raise PermissionDenied unless ``user`` is active staff with one of ``roles`` (any if none)."""
    allowed = set(roles) or ALL_STAFF
    if not (user and user.is_authenticated and user.is_active and user.staff_role in allowed):
        raise PermissionDenied("this action needs the role: " + ", ".join(sorted(allowed)))


def require_customer_access(user: Any, customer: Any, *, manage: bool = False) -> None:
    """The customer's own people see their account; only the Office Manager changes it."""
    if not (user and user.is_authenticated and user.is_active and user.customer_id == customer.pk):
        raise PermissionDenied("this belongs to another customer")
    if manage and user.customer_role != CustomerRole.OFFICE_MANAGER:
        raise PermissionDenied("only the Office Manager can change this")


class StaffRequiredMixin(AccessMixin):
    """Console views: logged-in staff with one of ``staff_roles`` (all staff when empty)."""

    staff_roles: tuple[str, ...] = ()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require_staff_role(request.user, *self.staff_roles)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class CustomerRequiredMixin(AccessMixin):
    """Portal views: a logged-in person of a customer; ``self.customer`` is theirs."""

    office_manager_only = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user: Any = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if user.customer_id is None:
            raise PermissionDenied("this page is for customers")
        if self.office_manager_only and user.customer_role != CustomerRole.OFFICE_MANAGER:
            raise PermissionDenied("only the Office Manager can do this")
        self.customer = user.customer
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

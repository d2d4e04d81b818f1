"""Who may do what: staff roles for the console and the API, the customer's people for the portal.

Staff permissions are one table, ``CAPABILITIES``: for each capability (an area of the
console and the API, or an action in it) the staff roles that have it. Every console
view (``StaffRequiredMixin``) and every staff-facing API view
(``officeline.accounts.api.base.IsStaff`` / ``IsCustomerOrStaff``) names the one capability it
needs in ``capability``; no view keeps a list of roles of its own, so the console and
the API cannot disagree. The console's menus and a customer's page show a link only to
the roles whose capability opens it. Domain functions check with ``require_capability``
(or ``require_staff_role`` for a workflow's own steps) and raise ``PermissionDenied``.

``officeline/tests/test_capabilities.py`` walks every console URL and every API view and fails
on one that names no capability (or, for the API, is not explicitly public or for customers only),
and checks for each role and capability that a console page and an API endpoint agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from officeline.accounts.choices import CustomerRole, StaffRole

ALL_STAFF = frozenset(StaffRole.values)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

_AGENT, _SUPERVISOR, _DIRECTOR = StaffRole.AGENT, StaffRole.SUPERVISOR, StaffRole.DIRECTOR
_BILLING, _DPO, _ENGINEER = StaffRole.BILLING, StaffRole.DPO, StaffRole.ENGINEER
# Who decides for the operator: a supervisor and the Director of Customer Service.
_MANAGERS = (_SUPERVISOR, _DIRECTOR)
# The roles that serve customers day to day.
_SERVICE = (_AGENT, *_MANAGERS)


def _roles(*roles: str) -> frozenset[str]:
    return frozenset(str(role) for role in roles)


# The one table: capability -> the staff roles that have it. The rule each decides is named.
CAPABILITIES: Mapping[str, frozenset[str]] = {
    # The console itself: the dashboard, the published documents and their reviews, the
    # markets' closure days and reference rates, the price lists (read only).
    "console.use": ALL_STAFF,
    # A customer's details and timeline (console page, API account and timeline); each
    # look is logged (PRIV-10).
    "customers.read": ALL_STAFF,
    # Changing a customer's details for them (API): support takes the request, the DPO
    # answers a rectification request (PRIV-7, INFO-3).
    "customers.edit": _roles(*_SERVICE, _DPO),
    # A market's closure days and the reference rates of late-payment interest (BILL-8).
    "calendar.manage": _roles(*_MANAGERS),
    # The test clock of a demo or test deployment (absent in production).
    "clock.advance": ALL_STAFF,
    # PRIV-8: the operator's staff list, recording that someone left.
    "staff.manage": _roles(_DIRECTOR),
    # INFO-2: recording the quarterly review of a code; publishing a new version.
    "documents.review": _roles(*_MANAGERS, _DPO),
    "documents.publish": _roles(_DIRECTOR, _DPO),
    # LIFE-5, BILL-13: scheduling a price change.
    "prices.change": _roles(*_MANAGERS),
    # BILL-5: a customer's invoices and credit notes, with their PDFs: staff who answer
    # billing questions.
    "invoices.read": _roles(*_SERVICE, _BILLING),
    # BILL-5, BILL-10, BILL-11: what goes on a customer's invoices or gives money back:
    # credit notes, third-party charges, line plans.
    "billing.act": _roles(_BILLING, *_MANAGERS),
    # LIFE-2, LIFE-4: the operator ends a customer's service, like suspending a line.
    "service.terminate": _roles(*_MANAGERS),
    # CMP: tickets and complaints, their letters and the print queue (CMP-4: engineering
    # takes technical complaints); recording a contact or a complaint (CMP-1) and the
    # steps of the complaints code (each step checks its own role, CMP-4, CMP-9).
    "complaints.read": _roles(*_SERVICE, _ENGINEER),
    "complaints.act": _roles(*_SERVICE, _ENGINEER),
    # CMP: the monthly report of complaints and breached deadlines.
    "complaints.report": _roles(*_MANAGERS),
    # LINE-1, EMG-2, LINE-5, LIFE-6: a customer's lines and devices, the unconfirmed
    # locations, the replacements and the planned maintenance.
    "lines.read": _roles(*_SERVICE, _ENGINEER, _BILLING),
    # LINE-4: a theft or fraud reported by phone blocks the device at once.
    "devices.block": _roles(*_SERVICE, _ENGINEER, _BILLING),
    # LIFE-1: suspending a line on a ground, and reactivating it.
    "lines.suspend": _roles(*_MANAGERS),
    # LINE-2: the operator changes a line's number.
    "numbers.change": _roles(*_MANAGERS, _ENGINEER),
    # LINE-5: shipping a replacement for defective equipment.
    "replacements.act": _roles(*_SERVICE, _ENGINEER),
    # LIFE-6: scheduling, moving and cancelling planned maintenance.
    "maintenance.schedule": _roles(_ENGINEER, *_MANAGERS),
    # PORT-1: the ports and their steps; PORT-2: paying a compensation for a late port.
    "ports.read": _roles(*_SERVICE, _ENGINEER, _BILLING),
    "ports.act": _roles(*_SERVICE, _ENGINEER),
    "ports.compensation": _roles(_BILLING, *_MANAGERS),
    # PRIV-2: a customer's calls (traffic data).
    "calls.read": _roles(*_SERVICE, _ENGINEER, _BILLING),
    # PRIV-11: that a customer's messages exist, and their content only with a stated
    # reason, to keep the service working or as the law allows.
    "communications.read": _roles(*_SERVICE, _ENGINEER, _DPO),
    # AUP-2: the acceptable-use reviews with their evidence; the decisions.
    "use_reviews.read": _roles(*_SERVICE, _BILLING),
    "use_reviews.decide": _roles(*_MANAGERS),
    # PRIV-6, PRIV-7: recording a request made by phone, letter or ticket; answering it.
    "privacy.record_request": _roles(*_SERVICE, _DPO),
    "privacy.requests": _roles(_DPO),
    # PRIV-1: the register of processing.
    "privacy.register": _roles(_DPO),
    # PRIV-10: the staff access log.
    "access_log.read": _roles(_DPO),
    # PRIV-9: the disclosures to authorities.
    "disclosures.manage": _roles(_DPO),
    # PRIV-8: legal holds.
    "legal_holds.manage": _roles(_DPO),
    # PRIV-12: the opt-outs from materially changed privacy policies.
    "policy_opt_outs.read": _roles(_DPO),
}


def roles_with(capability: str) -> frozenset[str]:
    """The staff roles that have ``capability``; an unknown name is a programming error."""
    try:
        return CAPABILITIES[capability]
    except KeyError:
        raise ImproperlyConfigured(f"unknown staff capability {capability!r}") from None


def role_has(role: str | None, capability: str) -> bool:
    """Whether a staff role has ``capability`` (no role: no capability)."""
    return bool(role) and role in roles_with(capability)


def has_capability(user: Any, capability: str) -> bool:
    """Whether ``user`` is active staff whose role has ``capability``."""
    allowed = roles_with(capability)
    return bool(
        user
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "staff_role", "") in allowed
    )


def require_capability(user: Any, capability: str) -> None:
    """Raise PermissionDenied unless ``user`` is active staff whose role has ``capability``."""
    if not has_capability(user, capability):
        raise PermissionDenied(
            f"this needs the {capability} permission, which the roles "
            + ", ".join(sorted(roles_with(capability)))
            + " have"
        )


def view_capability(view: Any) -> str:
    """The capability a view (a class or an ``as_view()`` function) declares, or ""."""
    view_class = getattr(view, "view_class", None) or getattr(view, "cls", None) or view
    return str(getattr(view_class, "capability", "") or "")


def require_staff_role(user: Any, *roles: str) -> None:
    """Raise PermissionDenied unless ``user`` is active staff with one of ``roles`` (any if none).

    For a step of a workflow that its own rule gives to some roles (CMP-9: the Director
    decides); access to an area goes by ``require_capability``.
    """
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
    """Console views: logged-in staff whose role has the view's ``capability``.

    A view says which capability of ``CAPABILITIES`` it needs; one that forgets is
    refused to everyone (and fails ``test_capabilities``), never open to all staff.
    """

    capability: str = ""
    # What a write (POST...) needs when it is more than reading the page.
    write_capability: str = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "staff_roles" in cls.__dict__:
            raise ImproperlyConfigured(
                f"{cls.__name__}: name a capability of accounts.permissions.CAPABILITIES, "
                "not a list of roles"
            )
        for name in ("capability", "write_capability"):
            if cls.__dict__.get(name):
                roles_with(cls.__dict__[name])  # an unknown name fails at import

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.check_capability(request)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def check_capability(self, request: HttpRequest) -> None:
        if not self.capability:
            raise PermissionDenied("this page names no permission")
        require_capability(request.user, self.capability)
        if self.write_capability and request.method not in SAFE_METHODS:
            require_capability(request.user, self.write_capability)

    def may(self, capability: str) -> bool:
        """Whether the logged-in user may also do ``capability`` (a button on the page)."""
        return has_capability(self.request.user, capability)  # type: ignore[attr-defined]


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

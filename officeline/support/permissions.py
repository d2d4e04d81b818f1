"""Who may act on tickets and complaints: staff by role, or the customer's own people."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from officeline.accounts.choices import StaffRole
from officeline.accounts.models import Customer

if TYPE_CHECKING:
    from officeline.actors import Actor

AGENTS = (StaffRole.AGENT, StaffRole.SUPERVISOR, StaffRole.DIRECTOR)
SUPERVISORS = (StaffRole.SUPERVISOR, StaffRole.DIRECTOR)
HANDLERS = (*AGENTS, StaffRole.ENGINEER)


def is_staff(actor: Actor, roles: Iterable[str] = ()) -> bool:
    """An active staff member with one of ``roles`` (any staff role when none are given)."""
    roles = tuple(roles) or tuple(StaffRole.values)
    return bool(
        actor
        and getattr(actor, "is_authenticated", False)
        and actor.is_active
        and actor.staff_role in roles
    )


def require_staff(actor: Actor, roles: Iterable[str]) -> None:
    if not is_staff(actor, roles):
        raise PermissionDenied(_("This action needs one of the roles: %s") % ", ".join(roles))


def require_customer_or_staff(actor: Actor, customer: Customer, staff_roles: Iterable[str]) -> None:
    if is_staff(actor, staff_roles):
        return
    if actor and getattr(actor, "customer_id", None) == customer.pk:
        return
    raise PermissionDenied(_("This complaint belongs to another customer."))

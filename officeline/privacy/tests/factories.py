"""Privacy test helpers: people of a customer, the DPO, and requests."""

from __future__ import annotations

from officeline.accounts.choices import CustomerRole, StaffRole
from officeline.accounts.tests.factories import UserFactory, staff_with_totp
from officeline.privacy import rights
from officeline.privacy.choices import RequestChannel, RequestKind


def dpo():
    return staff_with_totp(staff_role=StaffRole.DPO)


def member(customer, **fields):
    """A person of ``customer`` who is not its Office Manager."""
    fields.setdefault("language", customer.language)
    return UserFactory(customer=customer, customer_role=CustomerRole.MEMBER, **fields)


def portal_request(person, *, kind: str = RequestKind.ACCESS, details: str = ""):
    """A request ``person`` makes about themselves in the portal (verified by their login)."""
    return rights.receive_request(
        customer=person.customer,
        person=person,
        actor=person,
        kind=kind,
        channel=RequestChannel.PORTAL,
        details=details,
    )


def phone_request(person, *, actor=None, kind: str = RequestKind.ACCESS, details: str = ""):
    """A request staff record from a phone call (the identity still to verify)."""
    return rights.receive_request(
        customer=person.customer,
        person=person,
        actor=actor or staff_with_totp(staff_role=StaffRole.AGENT),
        kind=kind,
        channel=RequestChannel.STAFF,
        details=details,
    )

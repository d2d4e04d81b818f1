"""Privacy test helpers: people of a customer, staff with a second factor, the DPO, requests,
and API clients."""

from __future__ import annotations

from allauth.mfa.totp.internal.auth import TOTP
from rest_framework.test import APIClient

from officeline.accounts.choices import CustomerRole, StaffRole
from officeline.accounts.tests.factories import (
    StaffFactory,
    UserFactory,
    api_token_for,
)
from officeline.privacy.choices import RequestChannel, RequestKind
from officeline.privacy.services import rights

# A fixed base32 secret for tests (RFC 6238 test key, "12345678901234567890").
TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


def staff_with_totp(**fields):
    """A staff user (agent unless ``staff_role`` says otherwise) enrolled with TOTP_SECRET:
    the console lets staff in only with a second factor."""
    user = StaffFactory(**fields)
    TOTP.activate(user, TOTP_SECRET)
    return user


def client_for(user) -> APIClient:
    """An API client that sends a token of ``user``."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")
    return client


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

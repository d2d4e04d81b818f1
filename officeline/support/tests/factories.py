"""Support test helpers: staff and Office Managers, complaints, API clients and the steps of
a login in the browser."""

from __future__ import annotations

import time

from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from rest_framework.test import APIClient

from officeline.accounts.choices import StaffRole
from officeline.accounts.tests.factories import (
    PASSWORD,
    CustomerFactory,
    OfficeManagerFactory,
    OperatorMarketFactory,
    StaffFactory,
    api_token_for,
)
from officeline.support.choices import Category, Channel
from officeline.support.services import tickets


def agent():
    return StaffFactory(staff_role=StaffRole.AGENT)


def supervisor():
    return StaffFactory(staff_role=StaffRole.SUPERVISOR)


def director():
    return StaffFactory(staff_role=StaffRole.DIRECTOR)


def manager(market: str = "uk", **customer_fields):
    OperatorMarketFactory(market=market)
    return OfficeManagerFactory(customer=CustomerFactory(market=market, **customer_fields))


def complaint(
    user, *, subject: str = "Calls drop after a minute", category: str = Category.TECHNICAL
):
    ticket = tickets.raise_ticket(
        customer=user.customer,
        actor=user,
        subject=subject,
        description="Every call drops.",
        category=category,
        channel=Channel.PORTAL,
        is_complaint=True,
    )
    return ticket.complaint


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


def fresh_code(secret: str) -> str:
    """The TOTP code of this moment, with enough of its 30-second period left to be typed."""
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.5)
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def submit(page, field_selector: str) -> None:
    """Submit the form that holds a field (pages may hold other forms and buttons)."""
    page.locator(f"form:has({field_selector}) [type=submit]").first.click()


def log_in(page, email) -> None:
    """Fill in and send the login page's email and password."""
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    submit(page, "input[name=login]")

"""In the browser: a staff member logs in with a TOTP code and finds a customer's timeline."""

from __future__ import annotations

import time

import pytest

from officeline.accounts.choices import StaffRole
from officeline.accounts.mfa import current_code, has_totp
from officeline.accounts.tests.factories import (
    PASSWORD,
    TOTP_SECRET,
    CustomerFactory,
    StaffFactory,
    staff_with_totp,
)
from officeline.events.services import record_event


def _fresh_code(secret: str) -> str:
    """A code with enough of its 30-second period left to be typed and checked."""
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.5)
    return current_code(secret)


def _submit(page, field_selector: str) -> None:
    """Submit the form that holds a field (pages may hold other forms and buttons)."""
    page.locator(f"form:has({field_selector}) [type=submit]").first.click()


def _log_in(page, email) -> None:
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    _submit(page, "input[name=login]")


@pytest.mark.browser
def test_staff_logs_in_with_totp_and_finds_a_customer_timeline(live_server, browser_page):
    staff = staff_with_totp(staff_role=StaffRole.AGENT, email="agent@officeline.test")
    customer = CustomerFactory(
        legal_name="Bramble & Finch Ltd", email="office@bramble-finch.test", phone="+442079460123"
    )
    record_event(action="accounts.signed_up", customer=customer, actor=staff)
    record_event(action="support.complaint_opened", customer=customer, actor="system")
    page = browser_page

    page.goto(f"{live_server.url}/console/")
    assert "/accounts/login/" in page.url
    _log_in(page, staff.email)

    page.wait_for_selector("input[name=code]")
    page.fill("input[name=code]", _fresh_code(TOTP_SECRET))
    _submit(page, "input[name=code]")

    page.wait_for_url(f"{live_server.url}/console/")
    page.get_by_label("Name, email, company number or phone").fill("020 7946 0123")
    page.get_by_role("button", name="Find customers").click()
    page.get_by_role("link", name="Bramble & Finch Ltd").click()

    page.wait_for_url(f"{live_server.url}/console/customers/{customer.pk}/")
    timeline = page.locator("ol.timeline")
    assert timeline.locator("li.event").count() == 2
    assert "accounts.signed_up" in timeline.inner_text()
    assert "support.complaint_opened" in timeline.inner_text()


@pytest.mark.browser
def test_staff_without_totp_sets_it_up_before_the_console(live_server, browser_page):
    staff = StaffFactory(staff_role=StaffRole.SUPERVISOR, email="new.supervisor@officeline.test")
    page = browser_page
    page.goto(f"{live_server.url}/console/")
    _log_in(page, staff.email)
    page.wait_for_url("**/accounts/**")
    if "/reauthenticate/" in page.url:  # allauth confirms the password before adding a factor
        page.fill("input[name=password]", PASSWORD)
        _submit(page, "input[name=password]")
    page.wait_for_url("**/accounts/2fa/totp/activate/**")
    secret = page.input_value("#authenticator_secret")
    page.fill("input[name=code]", _fresh_code(secret))
    _submit(page, "input[name=code]")
    page.wait_for_load_state()
    assert has_totp(staff)

    # That session never passed a code: the console logs it out and asks for a login with one.
    page.goto(f"{live_server.url}/console/")
    assert "/accounts/login/" in page.url
    _log_in(page, staff.email)
    page.wait_for_selector("input[name=code]")
    time.sleep(30 - time.time() % 30 + 0.5)  # a code of the next period: each is used once
    page.fill("input[name=code]", _fresh_code(secret))
    _submit(page, "input[name=code]")
    page.wait_for_url(f"{live_server.url}/console/")
    assert page.get_by_role("heading", name="Console").is_visible()

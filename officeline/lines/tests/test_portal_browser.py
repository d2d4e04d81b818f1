"""In the browser: the Office Manager adds a device and sees its SIP password once."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

from officeline.accounts.tests.factories import PASSWORD, CustomerFactory, OfficeManagerFactory
from officeline.lines.models import Device
from officeline.lines.services import lines as services
from officeline.lines.tests.factories import NumberFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_acc6_line1_the_office_manager_adds_a_device_and_sees_the_password_once(
    live_server, browser_page, test_clock, settings
):
    manager = OfficeManagerFactory(customer=CustomerFactory(), email="om@lines.test")
    number = NumberFactory(e164="+442079460277", market="uk", building=manager.customer.building)
    services.open_line(
        customer=manager.customer,
        number=number,
        actor=manager,
        limitations_acknowledged=True,
        location_confirmed=True,
    )
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", manager.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=login]) [type=submit]").first.click()
    page.wait_for_selector("h1")
    page.get_by_role("link", name="Lines").first.click()
    page.get_by_role("link", name="Add a device").click()
    page.select_option("select[name=kind]", "desk_phone")
    page.fill("input[name=label]", "Front desk")
    page.get_by_role("button", name="Add the device").click()
    page.wait_for_selector("#sip-password")
    password = page.inner_text("#sip-password").strip()
    device = Device.objects.get()
    assert page.inner_text("#sip-username").strip() == device.sip_username
    assert page.inner_text("#sip-domain").strip() == settings.SIP_DOMAIN
    assert "shown only once" in page.content()
    assert len(password) >= 16 and password not in str(Device.objects.values().get())

    page.get_by_role("link", name="I have copied it: back to your lines").click()
    page.wait_for_url("**/lines/")  # the credentials page has an h1 too: wait for the list
    assert "Front desk" in page.content() and password not in page.content()
    # The answer was not cached: going back does not show the password again (Chromium
    # will not resend the form by itself and has nothing stored to show).
    try:
        page.go_back()
    except PlaywrightError as exc:
        assert "ERR_CACHE_MISS" in str(exc)
    assert password not in _settled_content(page)


def _settled_content(page, attempts: int = 50) -> str:
    """The page's HTML once it has stopped navigating (Chromium may still be showing its error page)."""
    for _ in range(attempts):
        try:
            return str(page.content())
        except PlaywrightError as exc:
            if "navigating" not in str(exc):
                raise
            page.wait_for_timeout(100)
    return str(page.content())

"""PRIV-5 in the browser: the cookie jar before a choice, after "Only necessary", after
"Accept performance cookies" and after changing back; with and without JavaScript."""

from __future__ import annotations

import pytest

from officeline.privacy import cookies
from officeline.privacy.models import CookieChoice

NECESSARY = cookies.strictly_necessary()


def jar(context) -> set[str]:
    return {c["name"] for c in context.cookies()}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("javascript", [True, False])
def test_priv5_cookie_jar_before_and_after_each_choice(live_server, browser_page, javascript):
    browser = browser_page.context.browser
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15_000)
    base = live_server.url

    # Before a choice: the banner, and only strictly necessary cookies.
    page.goto(f"{base}/")
    banner = page.locator(".cookie-banner")
    assert banner.is_visible()
    accept = banner.get_by_role("button", name="Accept performance cookies")
    necessary = banner.get_by_role("button", name="Only necessary")
    assert accept.is_visible() and necessary.is_visible()
    assert jar(context) <= NECESSARY

    # "Only necessary": the choice is kept, no performance cookie, no banner.
    necessary.click()
    page.wait_for_load_state()
    assert cookies.CHOICE_COOKIE in jar(context) and jar(context) <= NECESSARY
    assert page.locator(".cookie-banner").count() == 0

    # Change it from the footer link: accept performance cookies.
    page.goto(f"{base}/signup/")
    page.locator("footer").get_by_role("link", name="Cookie settings").click()
    page.get_by_role("button", name="Accept performance cookies").click()
    page.wait_for_url(f"{base}/signup/")
    assert cookies.PERFORMANCE_COOKIE in jar(context)

    # And back to "Only necessary": the performance cookie is removed.
    page.locator("footer").get_by_role("link", name="Cookie settings").click()
    page.get_by_role("button", name="Only necessary").click()
    page.wait_for_url(f"{base}/signup/")
    assert cookies.PERFORMANCE_COOKIE not in jar(context) and jar(context) <= NECESSARY
    assert [c.choice for c in CookieChoice.objects.order_by("at", "id")] == [
        "necessary",
        "performance",
        "necessary",
    ]
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_priv5_banner_in_french(live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/fr/")
    banner = page.locator(".cookie-banner")
    banner.get_by_role("button", name="Accepter les cookies de performance").click()
    page.wait_for_load_state()
    assert cookies.PERFORMANCE_COOKIE in {c["name"] for c in page.context.cookies()}
    assert page.locator("html").get_attribute("lang") == "fr"

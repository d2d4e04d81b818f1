"""In the browser: a complaint raised in the portal, handled in the console, closed by silence."""

from __future__ import annotations

import datetime as dt

import pytest

from officeline.accounts.tests.factories import PASSWORD, TOTP_SECRET, staff_with_totp
from officeline.support.models import Complaint
from officeline.support.tests.factories import fresh_code, log_in, manager, submit


@pytest.mark.browser
def test_cmp8_complaint_raised_acknowledged_proposed_and_closed_after_5_business_days(
    live_server, browser_page, test_clock
):
    user = manager()
    agent = staff_with_totp(email="agent@officeline.test")
    customer_page = browser_page
    base = live_server.url

    # The customer raises a complaint and sees the receipt at once (INFO-4).
    customer_page.goto(f"{base}/accounts/login/")
    customer_page.fill("input[name=login]", user.email)
    customer_page.fill("input[name=password]", PASSWORD)
    submit(customer_page, "input[name=login]")
    customer_page.wait_for_url(f"{base}/dashboard/")
    customer_page.goto(f"{base}/support/new/")
    customer_page.fill("[name=subject]", "Calls drop after a minute")
    customer_page.select_option("[name=category]", "technical")
    customer_page.fill("[name=description]", "Every outgoing call drops after about sixty seconds.")
    customer_page.check("[name=is_complaint]")
    customer_page.click("main form button[type=submit]")
    customer_page.wait_for_selector("#receipt-heading")
    complaint = Complaint.objects.get()
    assert complaint.ticket.reference in customer_page.inner_text(".receipt")

    # The agent logs in with TOTP, acknowledges and proposes a resolution in the console.
    staff_page = customer_page.context.browser.new_context().new_page()
    staff_page.set_default_timeout(15_000)
    staff_page.goto(f"{base}/console/")
    log_in(staff_page, agent.email)
    staff_page.wait_for_selector("input[name=code]")
    staff_page.fill("input[name=code]", fresh_code(TOTP_SECRET))
    submit(staff_page, "input[name=code]")
    staff_page.wait_for_url(f"{base}/console/")
    staff_page.goto(f"{base}/console/complaints/")
    staff_page.click(f"text={complaint.ticket.reference}")
    staff_page.click("form.action-acknowledge button[type=submit]")
    staff_page.wait_for_selector("#state")
    assert staff_page.inner_text("#state") == "Acknowledged"
    staff_page.fill(
        "form.action-propose textarea[name=text]", "We replaced your router; calls no longer drop."
    )
    staff_page.click("form.action-propose button[type=submit]")
    staff_page.wait_for_selector("#state")
    assert staff_page.inner_text("#state") == "Resolution proposed"

    # Five business days of silence: tick closes it as resolved (CMP-8).
    test_clock.advance(dt.timedelta(days=8), step=dt.timedelta(days=1))
    customer_page.goto(f"{base}/support/{complaint.ticket.reference}/")
    assert customer_page.inner_text("#complaint-state") == "Closed"
    assert "We replaced your router" in customer_page.inner_text("#complaint-outcome")

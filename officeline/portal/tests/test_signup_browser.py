"""In the browser: a uk and a fr business sign up, sign the terms, confirm the email address,
log in, see their dashboard."""

from __future__ import annotations

import re

import pytest

from officeline.accounts.models import Customer, TermsAcceptance
from officeline.documents.services import publish_catalogue
from officeline.notifications.models import OutboxMessage

PASSWORD = "a long enough passphrase 2026"


def _sign_up(page, base: str, *, prefix: str, fields: dict[str, str], accept: str) -> None:
    page.goto(f"{base}{prefix}/signup/")
    page.select_option("select[name=market]", fields.pop("market"))
    for name, value in fields.items():
        page.fill(f"[name={name}]", value)
    page.fill("[name=password1]", PASSWORD)
    page.fill("[name=password2]", PASSWORD)
    page.check("[name=is_business]")
    page.check("[name=is_adult]")
    page.click("form button[type=submit]")
    # The sandbox provider's own page takes the card.
    page.wait_for_selector("[name=number]")
    page.fill("[name=number]", "4242 4242 4242 4242")
    page.fill("[name=exp_month]", "12")
    page.fill("[name=exp_year]", "2030")
    page.fill("[name=cvc]", "123")
    page.click("form button[type=submit]")
    page.wait_for_selector("[name=accept]")
    page.check("[name=accept]")
    page.get_by_role("button", name=accept).click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("prefix", "fields", "accept", "check_email", "welcome", "logout"),
    [
        (
            "",
            {
                "market": "uk",
                "legal_name": "Kestrel Design Ltd",
                "company_number": "12345678",
                "contact_name": "Robin Kestrel",
                "email": "robin@kestrel.test",
                "phone": "020 7946 0321",
                "address_line1": "12 Example Street",
                "city": "London",
                "postcode": "EC2A 4NE",
                "workers_count": "4",
            },
            "I accept",
            "Check your email",
            "Welcome, Kestrel Design Ltd",
            "Log out",
        ),
        (
            "/fr",
            {
                "market": "fr",
                "legal_name": "Studio Hirondelle SAS",
                "company_number": "732829320",
                "contact_name": "Claude Hirondelle",
                "email": "claude@hirondelle.test",
                "phone": "01 99 00 12 77",
                "address_line1": "8 rue de l'Exemple",
                "city": "Paris",
                "postcode": "75002",
                "workers_count": "25",
            },
            "J'accepte",
            "Consultez vos e-mails",
            "Bienvenue, Studio Hirondelle SAS",
            "Déconnexion",
        ),
    ],
)
def test_business_signs_up_accepts_terms_logs_in_and_sees_dashboard(
    live_server, browser_page, prefix, fields, accept, check_email, welcome, logout
):
    publish_catalogue()
    page = browser_page
    email = fields["email"]
    _sign_up(page, live_server.url, prefix=prefix, fields=dict(fields), accept=accept)
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == check_email

    # The link emailed to the address confirms it; then the Office Manager logs in.
    body = OutboxMessage.objects.get(kind="accounts.confirm_address", to=email).body_text
    path = re.search(r"https?://[^/\s]+(/\S+/)", body).group(1)
    page.goto(f"{live_server.url}{path}")
    page.locator("form[action*='confirm-email'] [type=submit]").first.click()
    page.wait_for_url("**/accounts/login/**")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=login]) [type=submit]").first.click()
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == welcome

    # Log out, then log in again with the new password.
    page.get_by_role("button", name=logout).click()
    page.goto(f"{live_server.url}{prefix}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=login]) [type=submit]").first.click()
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == welcome
    assert page.locator("html").get_attribute("lang") == ("fr" if prefix else "en")
    customer = Customer.objects.get(email=email)
    assert TermsAcceptance.objects.get(customer=customer).wording == accept

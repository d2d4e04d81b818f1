"""Every login goes through allauth, and staff need TOTP in the session itself.

For each staff role: the Django admin's login form, a password-only session
(any login that skipped allauth's TOTP step), the console pages, the Django
admin and the staff API with a session; then the idle timeout of staff sessions.
Customers log in with their password and keep their long sessions.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from officeline.accounts.choices import StaffRole
from officeline.accounts.mfa import enrol_totp
from officeline.accounts.tests.factories import (
    PASSWORD,
    CustomerFactory,
    OfficeManagerFactory,
    StaffFactory,
    log_in_with_totp,
    staff_with_totp,
)

pytestmark = pytest.mark.django_db

ROLES = list(StaffRole)
STAFF_PAGES = ["/console/", "/console/customers/?q=x", "/console/clock/", "/django-admin/"]


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _sent_to_log_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ROLES)
def test_the_django_admin_login_form_logs_no_staff_in(client, role):
    """A staff password posted to the Django admin's own form gives no session at all."""
    staff = staff_with_totp(staff_role=role)
    response = client.post(
        "/django-admin/login/?next=/django-admin/",
        {"username": staff.email, "password": PASSWORD, "next": "/django-admin/"},
    )
    assert _sent_to_log_in(response)
    assert not _logged_in(client)
    for url in STAFF_PAGES:
        assert _sent_to_log_in(client.get(url)) or client.get(url)["Location"].startswith(
            "/django-admin/login/"
        ), url
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_the_django_admin_login_page_sends_to_allauths(client):
    response = client.get("/django-admin/login/?next=/django-admin/accounts/building/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/django-admin/accounts/building/"


@pytest.mark.parametrize("role", ROLES)
def test_a_password_only_staff_session_reaches_no_console_page(client, role):
    """Owning an authenticator is not enough: this session must have passed it."""
    staff = staff_with_totp(staff_role=role)
    for url in STAFF_PAGES:
        assert client.login(email=staff.email, password=PASSWORD)
        response = client.get(url)
        assert _sent_to_log_in(response), url
        assert "next=" in response["Location"]
        assert not _logged_in(client), url


@pytest.mark.parametrize("role", ROLES)
def test_a_password_only_staff_session_reaches_no_staff_api(client, role):
    staff = staff_with_totp(staff_role=role)
    customer = CustomerFactory()
    assert client.login(email=staff.email, password=PASSWORD)
    for url in ("/api/v1/me/", f"/api/v1/account/?customer={customer.pk}"):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.json()["code"] == "second_factor_required"
    assert client.patch(
        f"/api/v1/account/?customer={customer.pk}",
        {"legal_name": "Taken Over Ltd"},
        content_type="application/json",
    ).status_code in (401, 403)
    customer.refresh_from_db()
    assert customer.legal_name != "Taken Over Ltd"


@pytest.mark.parametrize("role", ROLES)
def test_allauths_login_asks_for_the_code_then_opens_the_console_and_the_api(client, role):
    staff = staff_with_totp(staff_role=role)
    response = client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    # The password alone logs no one in.
    assert _sent_to_log_in(client.get("/console/"))
    assert client.get("/api/v1/me/").status_code in (401, 403)
    log_in_with_totp(client, staff)
    for url in STAFF_PAGES[:3]:
        assert client.get(url).status_code == 200, url
    assert client.get("/api/v1/me/").json()["staff_role"] == role


@pytest.mark.parametrize("role", ROLES)
def test_staff_who_set_up_totp_after_a_password_login_log_in_again_with_the_code(client, role):
    staff = StaffFactory(staff_role=role)
    response = client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    response = client.get("/console/")
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")
    assert client.get("/api/v1/me/").status_code == 401
    enrol_totp(staff)
    response = client.get("/console/")
    assert _sent_to_log_in(response)
    assert not _logged_in(client)


def test_an_office_manager_logs_in_with_a_password_only(client):
    manager = OfficeManagerFactory()
    response = client.post("/accounts/login/", {"login": manager.email, "password": PASSWORD})
    assert response.status_code == 302
    assert not response["Location"].startswith("/accounts/2fa/")
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/api/v1/me/").json()["customer"] == manager.customer_id
    assert client.get("/api/v1/account/").status_code == 200
    assert client.get("/console/").status_code == 403


def test_an_office_manager_gets_nothing_from_the_django_admin_login_form(client):
    manager = OfficeManagerFactory()
    response = client.post(
        "/django-admin/login/", {"username": manager.email, "password": PASSWORD}
    )
    assert _sent_to_log_in(response)
    assert not _logged_in(client)


# Staff sessions end after an idle period; customers keep theirs.


@pytest.mark.parametrize("role", ROLES)
def test_a_staff_session_ends_after_30_idle_minutes(client, test_clock, role):
    client.force_login(staff_with_totp(staff_role=role))
    assert client.get("/console/").status_code == 200
    test_clock.advance(dt.timedelta(minutes=29))
    assert client.get("/console/").status_code == 200
    # Activity keeps it open: 29 more minutes from the last request.
    test_clock.advance(dt.timedelta(minutes=29))
    assert client.get("/console/customers/?q=x").status_code == 200
    test_clock.advance(dt.timedelta(minutes=31))
    response = client.get("/console/")
    assert _sent_to_log_in(response)
    assert not _logged_in(client)


def test_an_idle_staff_session_reaches_no_api(client, test_clock):
    client.force_login(staff_with_totp(staff_role=StaffRole.DIRECTOR))
    assert client.get("/api/v1/me/").status_code == 200
    test_clock.advance(dt.timedelta(minutes=31))
    assert client.get("/api/v1/me/").status_code in (401, 403)
    assert not _logged_in(client)


@override_settings(OFFICELINE_STAFF_SESSION_IDLE_MINUTES=5)
def test_the_idle_period_is_a_setting(client, test_clock):
    client.force_login(staff_with_totp(staff_role=StaffRole.SUPERVISOR))
    assert client.get("/console/").status_code == 200
    test_clock.advance(dt.timedelta(minutes=6))
    assert _sent_to_log_in(client.get("/console/"))


def test_moving_the_test_clock_from_the_console_keeps_that_session(client, test_clock):
    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    assert client.post("/console/clock/", {"amount": "2", "unit": "days"}).status_code == 302
    assert client.get("/console/clock/").status_code == 200


def test_an_office_manager_keeps_a_session_for_days(client, test_clock):
    client.force_login(OfficeManagerFactory())
    assert client.get("/dashboard/").status_code == 200
    test_clock.advance(dt.timedelta(days=3))
    assert client.get("/dashboard/").status_code == 200
    assert _logged_in(client)

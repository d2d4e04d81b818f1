"""PRIV-10, PRIV-11: every staff view of a customer's data is logged; communications need a
reason; the DPO searches the log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.views import View

from officeline.accounts.access_log import AccessLoggedMixin, access_log_exemption, is_access_logged
from officeline.accounts.choices import AccessKind, StaffRole
from officeline.accounts.models import AccessLogEntry
from officeline.accounts.services.access_log import record_access
from officeline.accounts.tests.factories import CustomerFactory, staff_with_totp
from officeline.support.models import Letter
from officeline.support.services import complaints as support
from officeline.support.tests.factories import complaint, manager

pytestmark = pytest.mark.django_db


def console_patterns(resolver: URLResolver | None = None, prefix: str = ""):
    """(route, view) for every URL of the project, with the route as written."""
    resolver = resolver or get_resolver()
    for item in resolver.url_patterns:
        route = prefix + str(item.pattern)
        if isinstance(item, URLResolver):
            yield from console_patterns(item, route)
        elif isinstance(item, URLPattern):
            yield route, item


def unlogged(patterns) -> list[str]:
    """Console URLs that name something (a customer, a complaint...) and neither log the
    access nor say why they need not."""
    problems = []
    for route, pattern in patterns:
        if not route.startswith("console/") or not pattern.pattern.converters:
            continue
        view = pattern.callback
        if is_access_logged(view):
            view_class = view.view_class
            assert view_class.access_url_kwarg in pattern.pattern.converters, route
        elif not access_log_exemption(view):
            problems.append(f"{route} ({pattern.name})")
    return problems


def test_priv10_every_console_url_naming_a_customer_or_their_data_is_logged_or_exempt():
    problems = unlogged(console_patterns())
    assert not problems, (
        "these console pages take an id but neither log the access (PRIV-10: build them on "
        "officeline.accounts.access_log.AccessLoggedMixin) nor say why not (access_log_exempt): "
        + ", ".join(problems)
    )
    routes = {route for route, p in console_patterns() if is_access_logged(p.callback)}
    assert {
        "console/customers/<int:pk>/",
        "console/complaints/<int:pk>/",
        "console/complaints/letters/<int:letter_id>/",
        "console/customers/<int:customer_id>/tickets/new/",
        "console/customers/<int:customer_id>/calls/",
    } <= routes


def test_priv10_a_customers_calls_are_logged_as_traffic_data(client, test_clock):
    customer = CustomerFactory()
    engineer = staff_with_totp(staff_role=StaffRole.ENGINEER)
    client.force_login(engineer)
    assert client.get(f"/console/customers/{customer.pk}/calls/").status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.customer, entry.staff_user, entry.kind) == (customer, engineer, "traffic_data")
    assert entry.url_name == "usage_console:customer_calls"


def test_priv10_the_walk_catches_a_console_page_that_forgets_the_log():
    from django.urls import path

    class Forgetful(View):
        pass

    class Logged(AccessLoggedMixin, View):
        pass

    patterns = [
        path("customers/<int:pk>/calls/", Forgetful.as_view(), name="calls"),
        path("customers/<int:pk>/details/", Logged.as_view(), name="details"),
        path("customers/", Forgetful.as_view(), name="search"),
    ]
    found = unlogged(("console/" + str(p.pattern), p) for p in patterns)
    assert found == ["console/customers/<int:pk>/calls/ (calls)"]


def test_priv10_a_staff_view_of_a_customer_page_is_logged(client, test_clock):
    customer = CustomerFactory()
    agent = staff_with_totp(staff_role=StaffRole.AGENT)
    client.force_login(agent)
    assert client.get(f"/console/customers/{customer.pk}/").status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.staff_user, entry.staff_label, entry.customer) == (agent, agent.email, customer)
    assert entry.kind == AccessKind.PERSONAL_DATA
    assert (entry.subject_type, entry.subject_id) == ("accounts.customer", str(customer.pk))
    assert entry.url_name == "console:customer"
    assert entry.at == test_clock.now() and entry.reason == ""


def test_priv10_complaint_letter_and_new_ticket_pages_are_logged_as_tickets(client, test_clock):
    c = complaint(manager())
    agent = staff_with_totp(staff_role=StaffRole.AGENT)
    support.acknowledge(complaint=c, actor=agent)
    letter = Letter.objects.filter(complaint=c).first()
    assert letter is not None
    client.force_login(agent)
    assert client.get(f"/console/complaints/{c.pk}/").status_code == 200
    assert client.get(f"/console/complaints/letters/{letter.pk}/").status_code == 200
    assert client.get(f"/console/customers/{c.customer_id}/tickets/new/").status_code == 200
    rows = list(
        AccessLogEntry.objects.order_by("id").values_list(
            "customer_id", "kind", "subject_type", "url_name"
        )
    )
    assert rows == [
        (c.customer_id, "tickets", "support.complaint", "support_console:complaint"),
        (c.customer_id, "tickets", "support.letter", "support_console:letter"),
        (c.customer_id, "tickets", "accounts.customer", "support_console:new_ticket"),
    ]


def test_priv10_nothing_is_logged_when_nothing_is_shown(client, test_clock):
    customer = CustomerFactory()
    client.force_login(staff_with_totp(staff_role=StaffRole.BILLING))
    assert client.get(f"/console/customers/{customer.pk}/tickets/new/").status_code == 403
    assert client.get(f"/console/customers/{customer.pk + 1000}/").status_code == 404
    client.force_login(manager().customer.people.get())
    assert client.get(f"/console/customers/{customer.pk}/").status_code == 403
    assert not AccessLogEntry.objects.exists()


def test_priv10_only_staff_can_be_logged_and_the_kind_must_be_known(test_clock):
    customer = CustomerFactory()
    with pytest.raises(PermissionDenied):
        record_access(
            staff_user=manager().customer.people.get(), customer=customer, kind="personal_data"
        )
    with pytest.raises(ValidationError) as info:
        record_access(
            staff_user=staff_with_totp(), customer=customer, kind="everything", subject=customer
        )
    assert "kind" in info.value.message_dict
    assert not AccessLogEntry.objects.exists()


def test_priv11_communications_need_a_stated_reason(test_clock):
    customer = CustomerFactory()
    agent = staff_with_totp(staff_role=StaffRole.ENGINEER)
    with pytest.raises(ValidationError) as info:
        record_access(staff_user=agent, customer=customer, kind="communications", reason="  ")
    assert "reason" in info.value.message_dict
    # The database refuses it too, whatever writes the row.
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessLogEntry.objects.create(
            at=test_clock.now(),
            staff_user=agent,
            staff_label=agent.email,
            customer=customer,
            kind="communications",
            reason="",
        )
    entry = record_access(
        staff_user=agent, customer=customer, kind="communications", reason="Fax fault, T-1234"
    )
    assert entry.reason == "Fax fault, T-1234"


def log(staff, customer, kind: str, at: dt.datetime) -> AccessLogEntry:
    reason = "Checking a fault report" if kind == AccessKind.COMMUNICATIONS else ""
    return record_access(staff_user=staff, customer=customer, kind=kind, reason=reason, at=at)


def test_priv10_the_dpo_searches_the_log_by_customer_staff_dates_and_kind(client, test_clock):
    alpha = CustomerFactory(legal_name="Alpha Widgets Ltd")
    beta = CustomerFactory(legal_name="Beta Gadgets Ltd")
    ann = staff_with_totp(email="ann@officeline.test", staff_role=StaffRole.AGENT)
    bob = staff_with_totp(email="bob@officeline.test", staff_role=StaffRole.ENGINEER)
    day = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
    log(ann, alpha, AccessKind.PERSONAL_DATA, day)
    log(ann, beta, AccessKind.TICKETS, day + dt.timedelta(days=1))
    log(bob, alpha, AccessKind.COMMUNICATIONS, day + dt.timedelta(days=2))
    log(bob, beta, AccessKind.TRAFFIC_DATA, day + dt.timedelta(days=3))

    dpo = staff_with_totp(staff_role=StaffRole.DPO)
    client.force_login(dpo)

    def found(query: str) -> list[tuple[str, str]]:
        response = client.get("/console/privacy/access-log/" + query)
        assert response.status_code == 200, response.content
        return [(e.staff_label[:3], e.customer.legal_name[:4]) for e in response.context["entries"]]

    assert found("") == [("bob", "Beta"), ("bob", "Alph"), ("ann", "Beta"), ("ann", "Alph")]
    assert found(f"?customer={alpha.pk}") == [("bob", "Alph"), ("ann", "Alph")]
    assert found("?customer=beta+gadg") == [("bob", "Beta"), ("ann", "Beta")]
    assert found("?staff=ANN@") == [("ann", "Beta"), ("ann", "Alph")]
    assert found("?kind=communications") == [("bob", "Alph")]
    assert found("?date_from=2026-11-21&date_to=2026-11-22") == [("bob", "Alph"), ("ann", "Beta")]
    assert found("?staff=bob&date_to=2026-11-22") == [("bob", "Alph")]
    page = client.get("/console/privacy/access-log/?kind=communications").content.decode()
    assert "Checking a fault report" in page and "Communications (voicemail, fax)" in page

    bad = client.get("/console/privacy/access-log/?date_from=2026-11-22&date_to=2026-11-21")
    assert bad.status_code == 400 and "date_to" in bad.context["form"].errors
    assert client.get("/console/privacy/access-log/?date_from=yesterday").status_code == 400


def test_priv10_only_the_dpo_opens_the_access_log(client, test_clock):
    for role in (StaffRole.AGENT, StaffRole.SUPERVISOR, StaffRole.DIRECTOR, StaffRole.ENGINEER):
        client.force_login(staff_with_totp(staff_role=role))
        assert client.get("/console/privacy/access-log/").status_code == 403
    client.force_login(manager().customer.people.get())
    assert client.get("/console/privacy/access-log/").status_code == 403
    client.force_login(staff_with_totp(staff_role=StaffRole.DPO))
    page = client.get("/console/").content.decode()
    assert "/console/privacy/access-log/" in page
    page = client.get("/fr/console/privacy/access-log/").content.decode()
    assert "Journal des accès du personnel" in page and "Type de données" in page


def test_priv10_the_log_is_paged_without_a_query_per_row(
    client, test_clock, django_assert_max_num_queries
):
    agent = staff_with_totp()
    for _ in range(30):
        record_access(staff_user=agent, customer=CustomerFactory(), kind="personal_data")
    client.force_login(staff_with_totp(staff_role=StaffRole.DPO))
    with django_assert_max_num_queries(12):
        assert client.get("/console/privacy/access-log/").status_code == 200

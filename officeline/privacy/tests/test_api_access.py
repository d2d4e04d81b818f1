"""PRIV-10: staff reading a customer's data through the API are in the access log too."""

from __future__ import annotations

import pytest

from officeline.accounts.models import AccessLogEntry
from officeline.accounts.tests.factories import client_for
from officeline.support.tests.factories import agent, complaint, manager

pytestmark = pytest.mark.django_db


def test_priv10_staff_api_reads_of_a_customer_are_logged(test_clock):
    office_manager = manager()
    customer = office_manager.customer
    c = complaint(office_manager)
    staff = agent()
    api = client_for(staff)
    assert api.get(f"/api/v1/account/?customer={customer.pk}").status_code == 200
    assert api.get(f"/api/v1/timeline/?customer={customer.pk}").status_code == 200
    assert api.get(f"/api/v1/complaints/?customer={customer.pk}").status_code == 200
    assert api.get(f"/api/v1/complaints/{c.ticket.reference}/").status_code == 200
    rows = list(
        AccessLogEntry.objects.order_by("id").values_list(
            "staff_user", "customer", "kind", "subject_type", "url_name"
        )
    )
    assert rows == [
        (staff.pk, customer.pk, "personal_data", "accounts.customer", "accounts_api:account"),
        (staff.pk, customer.pk, "personal_data", "accounts.customer", "accounts_api:timeline"),
        (staff.pk, customer.pk, "tickets", "accounts.customer", "support_api:complaints"),
        (staff.pk, customer.pk, "tickets", "support.complaint", "support_api:complaint"),
    ]


def test_priv10_a_customer_reading_their_own_data_is_not_a_staff_access(test_clock):
    office_manager = manager()
    c = complaint(office_manager)
    api = client_for(office_manager)
    assert api.get("/api/v1/account/").status_code == 200
    assert api.get(f"/api/v1/complaints/{c.ticket.reference}/").status_code == 200
    assert not AccessLogEntry.objects.exists()
    # Staff asking for a customer that does not exist: nothing shown, nothing logged.
    assert client_for(agent()).get("/api/v1/account/?customer=999999").status_code == 404
    assert not AccessLogEntry.objects.exists()

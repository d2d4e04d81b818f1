"""PRIV-11: a page of a customer's communications asks staff why before it shows anything.

Faxes are not offered, so a test-only console page (``urls_communications``) stands for
any communications view; it needs the project's URLs, hence a project-wide test.
"""

from __future__ import annotations

import pytest

from officeline.accounts.choices import StaffRole
from officeline.accounts.models import AccessLogEntry
from officeline.accounts.tests.factories import CustomerFactory, staff_with_totp
from officeline.tests.urls_communications import FAX_TEXT

pytestmark = pytest.mark.django_db


@pytest.mark.urls("officeline.tests.urls_communications")
def test_priv11_a_communications_page_asks_for_the_reason_before_showing(client, test_clock):
    customer = CustomerFactory()
    engineer = staff_with_totp(staff_role=StaffRole.ENGINEER)
    client.force_login(engineer)
    url = f"/console/test-fax/{customer.pk}/"

    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Customer communications are confidential" in text and 'name="reason"' in text
    assert FAX_TEXT not in text
    assert not AccessLogEntry.objects.exists()

    short = client.post(url, {"access_reason_form": "1", "reason": "because"})
    assert short.status_code == 400 and FAX_TEXT not in short.content.decode()
    assert "reason" in short.context["form"].errors
    assert not AccessLogEntry.objects.exists()

    reason = "Customer reports faxes arrive blank, ticket T-1234"
    shown = client.post(url, {"access_reason_form": "1", "reason": reason})
    assert shown.status_code == 200 and FAX_TEXT in shown.content.decode()
    entry = AccessLogEntry.objects.get()
    assert (entry.kind, entry.reason, entry.staff_user) == ("communications", reason, engineer)
    assert entry.url_name == "test_console:fax"

    # Every look needs its own reason: nothing is remembered between requests.
    assert FAX_TEXT not in client.get(url).content.decode()
    assert AccessLogEntry.objects.count() == 1

"""The console pages for what the commands also do: recording a third-party charge from the
carrier's statement (BILL-10) and changing a line's plan (BILL-11, AUP-2)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from officeline.accounts.choices import StaffRole
from officeline.accounts.models import AccessLogEntry
from officeline.accounts.tests.factories import CustomerFactory, staff_with_totp
from officeline.billing.choices import Plan, ThirdPartySource
from officeline.billing.models import LinePlan, ThirdPartyCharge
from officeline.billing.services.plans import plan_in_force
from officeline.billing.tests.factories import give_card, new_line
from officeline.events.models import Event

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def fr_line(test_clock):
    """A fr line asked for on 24 January; the clock on 2 February, Paris time."""
    test_clock.set(dt.datetime(2026, 1, 24, 9, 0, tzinfo=PARIS))
    customer = CustomerFactory(market="fr")
    give_card(customer)
    line = new_line(customer)
    test_clock.set(dt.datetime(2026, 2, 2, 9, 0, tzinfo=PARIS))
    return line


def staff(client, role):
    user = staff_with_totp(staff_role=role)
    client.force_login(user)
    return user


def charges_url(line) -> str:
    return f"/console/customers/{line.customer_id}/third-party-charges/"


def plans_url(line) -> str:
    return f"/console/customers/{line.customer_id}/line-plans/"


def charge_form(billed, **fields) -> dict[str, str]:
    return {"line": str(billed.pk), "service": "118 218", "amount": "3.00",
            "occurred_at": "2026-02-01T10:00", "reference": "STMT-7", **fields}  # fmt: skip


def test_bill10_billing_staff_record_a_third_party_charge_in_the_console(
    client, test_clock, fr_line
):
    """BILL-10: the charge goes to the customer's next invoice, as the command records it."""
    user = staff(client, StaffRole.BILLING)
    customer_page = client.get(f"/console/customers/{fr_line.customer_id}/").text
    assert charges_url(fr_line) in customer_page and plans_url(fr_line) in customer_page
    assert "No third-party charge." in client.get(charges_url(fr_line)).text
    assert AccessLogEntry.objects.filter(
        customer=fr_line.customer, url_name="billing_console:third_party_charges"
    ).exists()
    done = client.post(charges_url(fr_line), charge_form(fr_line), follow=True).text
    assert "it is billed on the next invoice at cost plus the fee" in done
    charge = ThirdPartyCharge.objects.get()
    assert (charge.source, charge.cost_minor, charge.currency, charge.recorded_by) == (
        ThirdPartySource.STAFF,
        300,
        "EUR",
        user,
    )
    # Typed in the market's time.
    assert charge.occurred_at == dt.datetime(2026, 2, 1, 10, 0, tzinfo=PARIS)
    assert Event.objects.filter(action="billing.third_party_charge_recorded").count() == 1
    assert "STMT-7" in done and "Not billed yet" in done
    again = client.post(charges_url(fr_line), charge_form(fr_line), follow=True).text
    assert "STMT-7 is already recorded; nothing was added" in again
    assert ThirdPartyCharge.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"amount": "-1.00"}, "cannot be negative"),
        ({"amount": "0"}, "A third-party charge is an amount above zero."),
        ({"amount": "4,5x"}, "is not an amount"),
        ({"occurred_at": "yesterday"}, "Write the date and time as YYYY-MM-DD HH:MM"),
        ({"occurred_at": "2027-01-01T10:00"}, "A charge cannot be in the future."),
        ({"occurred_at": "2025-01-01T10:00"}, "did not have that number at that moment"),
        ({"service": "  "}, "Name the third party that billed the charge."),
        ({"line": "999999"}, "Select a valid choice."),
        ({"description": "x" * 201}, "Keep the description under 200 characters."),
    ],
)
def test_bad_third_party_charge_input_is_a_form_error_and_records_nothing(
    client, test_clock, fr_line, fields, message
):
    staff(client, StaffRole.SUPERVISOR)
    response = client.post(charges_url(fr_line), charge_form(fr_line, **fields))
    assert response.status_code == 400
    assert message in response.text
    assert not ThirdPartyCharge.objects.exists()
    assert not Event.objects.filter(action="billing.third_party_charge_recorded").exists()


def test_bill10_bill11_only_billing_staff_supervisors_and_the_director_use_the_pages(
    client, test_clock, fr_line
):
    for role in (StaffRole.AGENT, StaffRole.ENGINEER):
        staff(client, role)
        assert (
            charges_url(fr_line)
            not in client.get(f"/console/customers/{fr_line.customer_id}/").text
        )
        for url in (charges_url(fr_line), plans_url(fr_line)):
            assert client.get(url).status_code == 403
        assert client.post(charges_url(fr_line), charge_form(fr_line)).status_code == 403
        plan = {"line": str(fr_line.pk), "plan": "commercial", "reason": "Review 12"}
        assert client.post(plans_url(fr_line), plan).status_code == 403
    assert not ThirdPartyCharge.objects.exists() and not LinePlan.objects.exists()
    for role in (StaffRole.DIRECTOR, StaffRole.SUPERVISOR, StaffRole.BILLING):
        staff(client, role)
        assert client.get(charges_url(fr_line)).status_code == 200
        assert client.get(plans_url(fr_line)).status_code == 200


def test_bill11_a_supervisor_moves_a_line_to_the_commercial_plan_in_the_console(
    client, test_clock, fr_line
):
    """BILL-11, AUP-2: a plan change from the console is the command's: a LinePlan row from a
    moment on, an event and a written notice."""
    user = staff(client, StaffRole.SUPERVISOR)
    page = client.get(plans_url(fr_line)).text
    assert fr_line.number.e164 in page and "Standard monthly plan, calls included" in page
    assert AccessLogEntry.objects.filter(url_name="billing_console:line_plans").exists()
    form = {"line": str(fr_line.pk), "plan": "commercial", "reason": "Review 12 unanswered",
            "effective_at": "2026-02-03T00:00"}  # fmt: skip
    done = client.post(plans_url(fr_line), form, follow=True).text
    assert "Commercial per-minute plan from 2026-02-03 00:00" in done
    row = LinePlan.objects.get()
    assert (row.plan, row.reason, row.set_by) == (Plan.COMMERCIAL, "Review 12 unanswered", user)
    assert row.effective_at == dt.datetime(2026, 2, 3, tzinfo=PARIS)
    assert plan_in_force(fr_line, dt.datetime(2026, 2, 3, 1, tzinfo=PARIS)) == Plan.COMMERCIAL
    assert Event.objects.filter(action="billing.line_plan_changed").count() == 1
    assert fr_line.customer.notices.filter(subject__contains="commercial").exists()
    assert "Review 12 unanswered" in done


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": " "}, "Say why the line changes plan."),
        ({"reason": "x" * 301}, "Ensure this value has at most 300 characters"),
        ({"plan": "gold"}, "Select a valid choice."),
        ({"plan": "standard"}, "The line is already on that plan then."),
        ({"effective_at": "2026-01-01T10:00"}, "A plan change cannot take effect in the past."),
        ({"effective_at": "next week"}, "Write the date and time as YYYY-MM-DD HH:MM"),
    ],
)
def test_bad_line_plan_input_is_a_form_error_and_changes_nothing(
    client, test_clock, fr_line, fields, message
):
    staff(client, StaffRole.DIRECTOR)
    form = {"line": str(fr_line.pk), "plan": "commercial", "reason": "Review 12", **fields}
    response = client.post(plans_url(fr_line), form)
    assert response.status_code == 400
    assert message in response.text
    assert not LinePlan.objects.exists()
    assert not fr_line.customer.notices.exists()


def test_console_charges_and_plans_pages_in_french(client, test_clock, fr_line):
    staff(client, StaffRole.BILLING)
    charges = client.get(f"/fr{charges_url(fr_line)}").text
    assert "Enregistrer la dépense" in charges and "Numéro facturé" in charges
    plans = client.get(f"/fr{plans_url(fr_line)}").text
    assert "Changer le forfait" in plans and "Motif" in plans

"""Ending the service (LIFE-2, LIFE-3, LIFE-4, BILL-4, BILL-7, BILL-8), walked with the test clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from officeline.accounts.models import Notice
from officeline.accounts.tests.factories import CustomerFactory
from officeline.billing.carriers import SandboxCarrierFeed
from officeline.billing.models import Invoice, Payment, Termination
from officeline.billing.services.cards import collect_now, replace_card
from officeline.billing.services.credit_notes import issue_credit_note
from officeline.billing.services.termination import (
    cancellation_terms,
    request_cancellation,
    terminate_by_operator,
)
from officeline.billing.tests.factories import CARDS, give_card, go_to, new_card, new_line
from officeline.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def customer_anchored_on(test_clock, requested: dt.datetime, card: str = "ok"):
    test_clock.set(requested)
    customer = CustomerFactory(market="uk")
    give_card(customer, card)
    line = new_line(customer)
    return customer, line


def periods_billed(customer) -> list[dt.date]:
    return sorted(Invoice.objects.filter(customer=customer).values_list("period_start", flat=True))


@pytest.mark.parametrize(
    ("cancel_on", "next_period_billed"),
    [
        (dt.date(2026, 2, 18), False),  # 5 business days before 25 February
        (dt.date(2026, 2, 19), True),  # 4 business days before
    ],
)
def test_bill4_cancelling_5_business_days_ahead_avoids_the_next_period(
    test_clock, cancel_on, next_period_billed
):
    """BILL-4: at least 5 business days before the next period avoids its charge; later, it is
    billed. LIFE-3: the cancellation takes effect 5 business days after the request."""
    customer, line = customer_anchored_on(test_clock, dt.datetime(2026, 1, 18, 10, tzinfo=LONDON))
    go_to(test_clock, dt.datetime.combine(cancel_on, dt.time(15), tzinfo=LONDON))
    termination = request_cancellation(customer=customer, actor=None, line=line)
    assert termination.next_period_billed is next_period_billed
    effective = dt.date(2026, 2, 25) if cancel_on.day == 18 else dt.date(2026, 2, 26)
    assert termination.effective_at.astimezone(LONDON).date() == effective
    test_clock.advance(dt.timedelta(days=40), step=dt.timedelta(hours=12))
    expected = [dt.date(2026, 1, 25)] + ([dt.date(2026, 2, 25)] if next_period_billed else [])
    assert periods_billed(customer) == expected
    line.refresh_from_db()
    assert line.status == "terminated"
    assert line.terminated_at.astimezone(LONDON).date() in {effective, effective + dt.timedelta(1)}
    # LINE-3: the number waits 90 days before anyone else can have it.
    assert line.number.status == "quarantined"
    assert line.number.quarantined_until - line.terminated_at == dt.timedelta(days=90)


def test_life3_no_refund_for_unused_service_after_a_cancellation(test_clock):
    """LIFE-3: cancelled late, the next period is billed and its unused days are not refunded;
    a credit note asking for that is refused and nothing is issued, in English and French."""
    customer, line = customer_anchored_on(test_clock, dt.datetime(2026, 1, 18, 10, tzinfo=LONDON))
    go_to(test_clock, dt.datetime(2026, 2, 23, 15, tzinfo=LONDON))
    request_cancellation(customer=customer, actor=None, line=line)
    go_to(test_clock, dt.datetime(2026, 2, 25, 12, tzinfo=LONDON))
    last = Invoice.objects.get(customer=customer, period_start=dt.date(2026, 2, 25))
    for reason in (
        "Refund of the unused days after the cancellation",
        "Line cancelled, rest of the month not used",
        "Remboursement des jours restants après la résiliation",
        "Service non utilisé en mars",
    ):
        with pytest.raises(ValidationError, match="No refund for unused service"):
            issue_credit_note(invoice=last, actor=None, reason=reason)
    assert not Invoice.objects.filter(kind="credit_note").exists()
    # A charge billed in error is still corrected.
    note = issue_credit_note(invoice=last, actor=None, reason="Monthly fee charged twice")
    assert note.total_minor == -last.total_minor


def test_bill4_counts_business_days_over_easter(test_clock):
    """BILL-4 with the uk calendar: Good Friday and Easter Monday 2026 are not business days,
    so for a period starting on Tuesday 7 April the last day to cancel is Friday 27 March."""
    customer, _ = customer_anchored_on(test_clock, dt.datetime(2026, 1, 31, 10, tzinfo=LONDON))
    terms = cancellation_terms(customer, dt.date(2026, 3, 27))
    assert terms.next_period_start == dt.date(2026, 4, 7)
    assert terms.last_day_to_avoid_it == dt.date(2026, 3, 27) and not terms.next_period_billed
    assert cancellation_terms(customer, dt.date(2026, 3, 30)).next_period_billed
    # LIFE-3: asked on Thursday 2 April, it takes effect 5 business days later, skipping
    # Good Friday and Easter Monday: Tuesday 7 to Friday 10, then Monday 13 April.
    assert cancellation_terms(customer, dt.date(2026, 4, 2)).effective_on == dt.date(2026, 4, 13)


def test_life3_cancelling_the_whole_service_ends_every_line(test_clock):
    customer, first = customer_anchored_on(test_clock, dt.datetime(2026, 1, 18, 10, tzinfo=LONDON))
    second = new_line(customer)
    request_cancellation(customer=customer, actor=None)
    customer.refresh_from_db()
    assert customer.status == "termination_pending"
    test_clock.advance(dt.timedelta(days=10), step=dt.timedelta(days=1))
    for line in (first, second):
        line.refresh_from_db()
        assert line.status == "terminated"
    customer.refresh_from_db()
    assert customer.status == "terminated"
    # Asked before billing started, nothing was ever billed (BILL-2 and BILL-4 together).
    assert periods_billed(customer) == []


def test_life3_bad_requests_are_refused_with_a_reason(test_clock):
    customer, line = customer_anchored_on(test_clock, dt.datetime(2026, 1, 18, 10, tzinfo=LONDON))
    stranger = CustomerFactory(market="uk")
    with pytest.raises(ValidationError) as info:
        request_cancellation(customer=stranger, actor=None, line=line)
    assert "not one of yours" in str(info.value)
    request_cancellation(customer=customer, actor=None, line=line)
    with pytest.raises(ValidationError) as info:
        request_cancellation(customer=customer, actor=None, line=line)
    assert "already under way" in str(info.value)
    assert Termination.objects.count() == 1


def test_life2_operator_termination_for_convenience_gives_15_days_written_notice(test_clock):
    """LIFE-2: 15 days' written notice; the lines end then, and nothing after is billed."""
    customer, line = customer_anchored_on(test_clock, dt.datetime(2026, 1, 18, 10, tzinfo=LONDON))
    go_to(test_clock, dt.datetime(2026, 2, 16, 10, tzinfo=LONDON))
    termination = terminate_by_operator(customer=customer, kind="convenience", actor=None)
    assert termination is not None
    assert termination.effective_at.astimezone(LONDON).date() == dt.date(2026, 3, 3)
    notice = Notice.objects.get(customer=customer, direction="to_customer")
    assert "March 3, 2026" in notice.body
    test_clock.advance(dt.timedelta(days=14), step=dt.timedelta(days=1))
    line.refresh_from_db()
    assert line.status == "requested"  # never activated in this test; still running
    test_clock.advance(dt.timedelta(days=2), step=dt.timedelta(days=1))
    line.refresh_from_db()
    assert line.status == "terminated"
    # The period of 25 February, begun before the end, is billed; none after.
    test_clock.advance(dt.timedelta(days=40), step=dt.timedelta(days=5))
    assert periods_billed(customer) == [dt.date(2026, 1, 25), dt.date(2026, 2, 25)]


def test_life2_unknown_ground_is_refused(test_clock):
    customer, _ = customer_anchored_on(test_clock, dt.datetime(2026, 1, 18, 10, tzinfo=LONDON))
    with pytest.raises(ValidationError) as info:
        terminate_by_operator(customer=customer, kind="customer", actor=None)
    assert "kind" in info.value.message_dict


def test_bill8_unpaid_after_30_days_ends_the_service(test_clock):
    """BILL-8: the failed try on day 30 terminates the account (LIFE-2, non-payment)."""
    customer, line = customer_anchored_on(
        test_clock, dt.datetime(2026, 1, 18, 10, tzinfo=LONDON), card="declined"
    )
    line.emergency_limitations_acknowledged_at = line.location_confirmed_at = test_clock.now()
    line.save()
    # The worker ticks through the month: tries on days 0, 3, 7 and 14 after 25 January.
    test_clock.advance(
        dt.datetime(2026, 2, 23, 12, tzinfo=LONDON) - test_clock.now(), step=dt.timedelta(hours=8)
    )
    line.refresh_from_db()
    assert line.status in {"requested", "suspended"}
    assert not Termination.objects.filter(customer=customer).exists()
    test_clock.advance(dt.timedelta(days=1))
    termination = Termination.objects.get(customer=customer)
    assert termination.kind == "non_payment" and termination.completed_at is not None
    line.refresh_from_db()
    assert line.status == "terminated"


def test_bill7_payment_stopped_at_the_bank_terminates_the_account(test_clock):
    customer, line = customer_anchored_on(
        test_clock, dt.datetime(2026, 1, 18, 10, tzinfo=LONDON), card="stopped"
    )
    go_to(test_clock, dt.datetime(2026, 1, 25, 9, tzinfo=LONDON))
    termination = Termination.objects.get(customer=customer)
    assert termination.kind == "payment_stopped" and termination.completed_at is not None
    line.refresh_from_db()
    assert line.status == "terminated"
    assert Invoice.objects.get(customer=customer).collect_at is None


def test_life3_office_manager_cancels_in_the_portal_seeing_the_terms_first(client, test_clock):
    from officeline.accounts.tests.factories import OfficeManagerFactory, UserFactory

    customer, line = customer_anchored_on(test_clock, dt.datetime(2026, 1, 18, 10, tzinfo=LONDON))
    go_to(test_clock, dt.datetime(2026, 2, 19, 10, tzinfo=LONDON))
    manager = OfficeManagerFactory(customer=customer)
    client.force_login(manager)
    page = client.get("/account/cancel/")
    assert "less than five business days" in page.text and line.number.e164 in page.text
    refused = client.post("/account/cancel/", {"line": line.pk})
    assert refused.status_code == 400 and not Termination.objects.exists()
    done = client.post("/account/cancel/", {"line": line.pk, "confirm": "on"})
    assert done.status_code == 302
    assert Termination.objects.get().line == line
    again = client.post("/account/cancel/", {"line": line.pk, "confirm": "on"})
    assert "already under way" in again.text
    # Another customer's line is not a choice; a colleague who is not the Office Manager may not.
    stranger = OfficeManagerFactory()
    client.force_login(stranger)
    assert client.post("/account/cancel/", {"line": line.pk, "confirm": "on"}).status_code == 400
    colleague = UserFactory(customer=customer, customer_role="member")
    client.force_login(colleague)
    assert client.get("/account/cancel/").status_code == 403


def test_bill8_the_final_invoice_after_non_payment_is_not_charged_to_the_card_that_failed(
    test_clock,
):
    """BILL-8, BILL-7: after a termination for non-payment, neither the final invoice nor what is
    still unpaid is tried again on the card that was declined through the dunning; they stay
    due, and a new card pays them."""
    customer, _ = customer_anchored_on(
        test_clock, dt.datetime(2026, 1, 18, 10, tzinfo=LONDON), card="declined"
    )
    go_to_stepping(test_clock, dt.datetime(2026, 2, 24, 12, tzinfo=LONDON))
    assert Termination.objects.get(customer=customer).kind == "non_payment"
    final = Invoice.objects.get(customer=customer, run_key__startswith="final:")
    first = Invoice.objects.get(customer=customer, run_key__startswith="period:")
    assert (final.status, final.collect_at, first.collect_at) == ("unpaid", None, None)
    email = OutboxMessage.objects.filter(customer=customer).latest("pk")
    assert (
        final.number in email.subject and "will not charge the card that failed" in email.body_text
    )
    attempts = Payment.objects.filter(invoice__customer=customer).count()
    go_to_stepping(test_clock, dt.datetime(2026, 3, 10, 12, tzinfo=LONDON))
    assert Payment.objects.filter(invoice__customer=customer).count() == attempts
    assert not Payment.objects.filter(invoice=final).exists()

    replace_card(customer=customer, card=new_card(CARDS["ok"]), provider="sandbox", actor=None)
    assert [p.outcome for p in collect_now(customer=customer)] == ["succeeded", "succeeded"]
    assert set(Invoice.objects.filter(customer=customer).values_list("status", flat=True)) == {
        "paid"
    }


def test_bill7_after_a_payment_stopped_at_the_bank_a_further_invoice_is_not_charged(test_clock):
    """BILL-7: a third-party charge reported after the termination goes on a further invoice,
    which is due but never charged to the card whose payment was stopped at the bank."""
    customer, line = customer_anchored_on(
        test_clock, dt.datetime(2026, 1, 18, 10, tzinfo=LONDON), card="stopped"
    )
    go_to(test_clock, dt.datetime(2026, 1, 25, 9, tzinfo=LONDON))
    assert Termination.objects.get(customer=customer).kind == "payment_stopped"
    SandboxCarrierFeed().report(
        reference="LATE-1", phone_number=line.number.e164, service="118 118",
        amount_minor=450, currency="GBP", occurred_at=dt.datetime(2026, 1, 24, 18, tzinfo=LONDON),
    )  # fmt: skip
    go_to_stepping(test_clock, dt.datetime(2026, 1, 28, 9, tzinfo=LONDON))
    further = Invoice.objects.get(customer=customer, run_key__startswith="after-final:")
    assert (further.status, further.collect_at, further.total_minor) == ("unpaid", None, 594)
    assert not Payment.objects.filter(invoice=further).exists()
    assert Payment.objects.filter(invoice__customer=customer).count() == 1


def go_to_stepping(test_clock, when: dt.datetime) -> None:
    test_clock.advance(when - test_clock.now(), step=dt.timedelta(hours=8))

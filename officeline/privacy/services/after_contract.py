"""PRIV-8: what the register keeps until the end of the contract plus a period.

The end of the contract is the moment the customer's whole-service termination took
effect (``billing.Termination.completed_at``), whichever way the service ended: the
customer's cancellation or the operator's termination on any ground all end there,
and billing's ``hooks.contract_ended`` runs at that moment. ``record_contract_end`` writes one
``RetentionDue`` row per register entry counted from the end of the contract
(``register.after_contract()``), with the moment its period starts: the end of the
contract, or for invoices the end of the financial year in which it ended (the
financial year is taken as the calendar year, in the market's time).

``retire`` (called by the retention run for the rows past the register's period)
deletes or anonymises each entry's data of a batch of customers; the retention run
skips customers under a legal hold and deletes the row once its data is retired.
Customers ended before this existed are listed by a data migration.

What each entry retires:

- ``tickets``: tickets (with their complaints, deadlines, letters and disputes),
  notices either way, device replacement requests and acceptable-use reviews: deleted;
- ``consents``: terms acceptances, marketing consents, opt-outs from a changed
  policy (PRIV-12) and the replies to marketing texts from the numbers the
  customer's people gave: deleted;
- ``logs``: the customer's events (their timeline), the emails sent to them and
  the staff access log about them: deleted;
- ``contacts``: the customer's people, anonymised as an erasure does
  (``erasure.anonymise_person``);
- ``account_data``: the customer's details, the lines' emergency locations, the
  devices' labels, the notes of terminations and port requests: anonymised (the
  rows stay, without what identifies the business, because the invoices of fr are
  kept longer and name their customer's row);
- ``invoices``: invoices and credit notes with their lines and billed calls,
  payments, refunds, third-party charges, late-payment charges, porting compensations
  and the billing account:
  deleted (an invoice carries its own copy of the buyer, so nothing else needed it).

The order is that of ``RETIRERS``: what several entries share goes with the first
(a dispute goes with its ticket before its invoice).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from officeline.accounts.models import AccessLogEntry, Customer, Notice, TermsAcceptance, User
from officeline.billing.models import (
    BillingAccount,
    Invoice,
    LatePaymentCharge,
    Payment,
    PortingCompensation,
    Refund,
    Termination,
    ThirdPartyCharge,
)
from officeline.events.models import Event
from officeline.lines.models import Device, Line, PortRequest, ReplacementRequest
from officeline.markets.deadlines import end_of_local_day, local_date
from officeline.notifications.models import OutboxMessage
from officeline.privacy import register
from officeline.privacy.choices import MarketingChannel
from officeline.privacy.models import (
    InboundSms,
    MarketingConsent,
    PolicyOptOut,
    RetentionDue,
)
from officeline.privacy.services.erasure import ERASED_DOMAIN, anonymise_person
from officeline.support.models import BillingDispute, Ticket
from officeline.usage.models import UseReviewCase

Retirer = Callable[[list[int], dt.datetime], int]


def period_start(start: str, market: str, ended_at: dt.datetime) -> dt.datetime:
    """PRIV-8: the moment a period counted from the end of the contract starts."""
    if start == register.FINANCIAL_YEAR_END:
        # The end of the financial year (the calendar year) in which the contract ended.
        year = local_date(market, ended_at).year
        return end_of_local_day(market, dt.date(year, 12, 31))
    return ended_at


def record_contract_end(*, customer_id: int, market: str, at: dt.datetime) -> int:
    """PRIV-8: list what of this customer the register keeps after the end of the contract."""

    rows = []
    for item in register.after_contract():
        period = item.retention_in(market)
        if period.start:
            rows.append(
                RetentionDue(
                    customer_id=customer_id,
                    entry=item.key,
                    market=market,
                    contract_ended_at=at,
                    counted_from=period_start(period.start, market, at),
                )
            )
    return len(RetentionDue.objects.bulk_create(rows, ignore_conflicts=True))


def _tickets(ids: list[int], now: dt.datetime) -> int:

    return (
        Ticket.objects.filter(customer_id__in=ids).delete()[0]
        + UseReviewCase.objects.filter(customer_id__in=ids).delete()[0]
        + Notice.objects.filter(customer_id__in=ids).delete()[0]
        + ReplacementRequest.objects.filter(line__customer_id__in=ids).delete()[0]
    )


def _consents(ids: list[int], now: dt.datetime) -> int:

    sms = MarketingConsent.objects.filter(channel=MarketingChannel.SMS)
    numbers = set(sms.filter(person__customer_id__in=ids).values_list("address", flat=True))
    numbers |= set(Customer.objects.filter(pk__in=ids).values_list("phone", flat=True))
    # A number another customer's person also gave keeps its replies.
    numbers -= set(
        sms.filter(address__in=numbers)
        .exclude(person__customer_id__in=ids)
        .values_list("address", flat=True)
    )
    return (
        InboundSms.objects.filter(from_number__in=numbers).delete()[0]
        + MarketingConsent.objects.filter(person__customer_id__in=ids).delete()[0]
        + PolicyOptOut.objects.filter(customer_id__in=ids).delete()[0]
        + TermsAcceptance.objects.filter(customer_id__in=ids).delete()[0]
    )


def _logs(ids: list[int], now: dt.datetime) -> int:
    return (
        Event.objects.filter(customer_id__in=ids).delete()[0]
        + OutboxMessage.objects.filter(customer_id__in=ids).delete()[0]
        + AccessLogEntry.objects.filter(customer_id__in=ids).delete()[0]
    )


def _contacts(ids: list[int], now: dt.datetime) -> int:

    people = User.objects.filter(customer_id__in=ids).exclude(email__endswith=f"@{ERASED_DOMAIN}")
    done = 0
    for person in people:
        anonymise_person(person, now)
        done += 1
    return done


def _account_data(ids: list[int], now: dt.datetime) -> int:

    pk = Cast("pk", CharField())
    done = Customer.objects.filter(pk__in=ids).update(
        legal_name=Concat(Value("Former customer "), pk),
        company_number="",
        vat_number="",
        contact_name="",
        email=Concat(Value("erased-customer-"), pk, Value(f"@{ERASED_DOMAIN}")),
        phone="",
        address_line1="",
        address_line2="",
        city="",
        postcode="",
        preferred_format_details="",
        accessibility_needs="",
    )
    return (
        done
        + Line.objects.filter(customer_id__in=ids).update(emergency_location="")
        + Device.objects.filter(line__customer_id__in=ids).update(label="", blocked_reason="")
        + Termination.objects.filter(customer_id__in=ids).exclude(note="").update(note="")
        + PortRequest.objects.filter(customer_id__in=ids).update(
            other_account_reference="", closed_reason=""
        )
    )


def _invoices(ids: list[int], now: dt.datetime) -> int:

    invoices = Invoice.objects.filter(customer_id__in=ids)
    return (
        # A refund names its credit note, the invoice and the payment: it goes first.
        Refund.objects.filter(invoice__customer_id__in=ids).delete()[0]
        + Payment.objects.filter(invoice__customer_id__in=ids).delete()[0]
        + BillingDispute.objects.filter(invoice__customer_id__in=ids).delete()[0]
        + ThirdPartyCharge.objects.filter(customer_id__in=ids).delete()[0]
        + LatePaymentCharge.objects.filter(customer_id__in=ids).delete()[0]
        + PortingCompensation.objects.filter(customer_id__in=ids).delete()[0]
        # Credit notes name the invoice they correct: they go first.
        + invoices.filter(credits__isnull=False).delete()[0]
        + invoices.delete()[0]
        + BillingAccount.objects.filter(customer_id__in=ids).delete()[0]
    )


# In this order: what two entries share goes with the first.
RETIRERS: dict[str, Retirer] = {
    "tickets": _tickets,
    "consents": _consents,
    "logs": _logs,
    "contacts": _contacts,
    "account_data": _account_data,
    "invoices": _invoices,
}


# What each retirer covers, by the register's models of its entry (``register.models_of``):
# deleted or anonymised by it, or going with a row it deletes. A model added to one of
# these entries fails ``test_priv8_every_model_of_an_entry_is_retired`` until it is here.
RETIRED_MODELS: dict[str, frozenset[str]] = {
    "tickets": frozenset(
        {
            "support.ticket",
            "support.complaint",  # with its ticket
            "support.complaintdeadline",
            "support.letter",
            "support.billingdispute",
            "accounts.notice",
            "lines.replacementrequest",
            "usage.usereviewcase",
        }
    ),
    "consents": frozenset(
        {
            "accounts.termsacceptance",
            "privacy.marketingconsent",
            "privacy.policyoptout",
            "privacy.inboundsms",
        }
    ),
    "logs": frozenset(
        {
            "events.event",
            "notifications.outboxmessage",
            "notifications.outboxattachment",  # with its message
            "accounts.accesslogentry",
            # Not per customer: staff's admin log, and sessions, which expire on their own.
            "admin.logentry",
            "sessions.session",
        }
    ),
    "contacts": frozenset(
        {
            "accounts.user",
            "account.emailaddress",
            "account.emailconfirmation",  # with its address
            "mfa.authenticator",
            "accounts.apitoken",
            # Links only (the person's groups and permissions), nothing that identifies them.
            "accounts.user_groups",
            "accounts.user_user_permissions",
        }
    ),
    "account_data": frozenset(
        {
            "accounts.customer",
            "lines.line",
            "lines.device",
            "lines.portrequest",
            "billing.termination",
            # Dates, plans and links only: nothing that identifies the business is left.
            "billing.abnormaluseperiod",
            "billing.lineplan",
            "lines.numberchange",
        }
    ),
    "invoices": frozenset(
        {
            "billing.invoice",
            "billing.invoiceline",  # with its invoice
            "billing.billedcall",  # with its invoice line
            "billing.payment",
            "billing.refund",
            "billing.thirdpartycharge",
            "billing.latepaymentcharge",
            "billing.portingcompensation",
            "billing.billingaccount",
            "billing.subscription",  # with its billing account
        }
    ),
}


def retire(entry_key: str, customer_ids: list[int], now: dt.datetime) -> int:
    """Delete or anonymise an entry's data of these customers; how many rows it touched."""
    return RETIRERS[entry_key](customer_ids, now)

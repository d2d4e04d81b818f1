"""PRIV-7: erasing a person's data, as far as no law or legal hold keeps it.

``erase`` answers a verified erasure request. It anonymises the person's login
(name, email, password, email addresses, second-factor secrets, API tokens,
marketing consents, the link of their cookie choices, their name on the events
they acted in, the address of the emails already sent to them) and records
what it did and what it kept, and why, as the request's answer and an event.

What stays:

- invoices and payments, for their legal retention (accounting records, the
  register's ``invoices`` entry), and the terms acceptance, as proof of the
  contract (``consents``);
- traffic data (call records) within its legal retention (PRIV-8); the
  retention job deletes it when that ends;
- the tickets, complaints and notices of the business (``tickets``): the
  business's records of what was raised, kept after the contract for disputes;
- the privacy requests themselves (accountability);
- everything, when a disclosure to an authority was recorded for the
  customer (PRIV-9), or while a legal hold on the customer is in force
  (PRIV-8): nothing is erased under them;
- the Office Manager of a live account: the account's contact is needed for
  the contract; another Office Manager must be named, or the service ended,
  first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from officeline.accounts.choices import CustomerRole, CustomerStatus
from officeline.accounts.models import AccessLogEntry, ApiToken, Notice, TermsAcceptance, User
from officeline.billing.models import Invoice
from officeline.events.models import Event
from officeline.notifications.choices import OutboxStatus
from officeline.notifications.models import OutboxMessage
from officeline.privacy.models import (
    CookieChoice,
    Disclosure,
    LegalHold,
    MarketingConsent,
    PrivacyRequest,
)
from officeline.support.models import Ticket
from officeline.usage.models import CallRecord

ERASED_DOMAIN = "erased.invalid"


def legal_hold(request: PrivacyRequest) -> str:
    """PRIV-7: why nothing of this person may be erased now ("" when nothing holds it)."""

    customer = request.customer
    if Disclosure.objects.filter(customer=customer).exists():
        return _(
            "A disclosure of this customer's data to an authority is recorded: the data is "
            "under a legal hold and nothing is erased."
        )
    hold = LegalHold.objects.filter(customer=customer, released_at__isnull=True).first()
    if hold is not None:
        # PRIV-8: what a hold keeps from retention, it keeps from erasure too.
        return _(
            "A legal hold on this customer's data is in force (%(reason)s): nothing is erased."
        ) % {"reason": hold.reason}
    person = request.person
    if (
        person is not None
        and person.customer_role == CustomerRole.OFFICE_MANAGER
        and customer.status != CustomerStatus.TERMINATED
    ):
        return _(
            "The Office Manager of a live account is its contact under the contract: name "
            "another Office Manager, or end the service, before this person is erased."
        )
    return ""


def anonymise_person(person: User, now: dt.datetime) -> dict[str, int]:
    """Remove what identifies ``person`` and is not kept by law; returns what was done."""

    old_email = person.email
    placeholder = f"erased-{person.pk}@{ERASED_DOMAIN}"
    label = f"erased person {person.pk}"
    done = {
        "email_addresses": EmailAddress.objects.filter(user=person).delete()[0],
        "second_factors": Authenticator.objects.filter(user=person).delete()[0],
        "api_tokens": ApiToken.objects.filter(user=person).delete()[0],
        "marketing_consents": MarketingConsent.objects.filter(person=person).delete()[0],
        "cookie_choices": CookieChoice.objects.filter(user=person).update(user=None),
        "events": Event.objects.filter(actor=person).update(actor_label=label),
        # The before and after of changes to the person's own record hold their old name.
        "event_details": Event.objects.filter(
            subject_type=User._meta.label_lower, subject_id=str(person.pk)
        ).update(before=None, after=None),
        "emails_sent": OutboxMessage.objects.filter(
            to__iexact=old_email, status=OutboxStatus.SENT
        ).update(to=placeholder, body_text="", body_html=""),
    }
    person.full_name = ""
    person.email = placeholder
    person.is_active = False
    person.set_unusable_password()
    person.save(update_fields=["full_name", "email", "is_active", "password"])
    done["login"] = 1
    return done


def former_staff_label(person: User) -> str:
    """PRIV-8: the pseudonym of an anonymised former staff member."""
    return f"Former staff member {person.pk}"


def anonymise_former_staff(person: User, now: dt.datetime) -> dict[str, int]:
    """PRIV-8: a former staff member's name and email go once the register's ``former_staff``
    period has passed; the row stays, so the events and the staff access log (PRIV-10) still
    point to one person, "Former staff member <id>", who is no longer named."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    old_email = person.email
    placeholder = f"former-staff-{person.pk}@{ERASED_DOMAIN}"
    label = former_staff_label(person)
    done = {
        "email_addresses": EmailAddress.objects.filter(user=person).delete()[0],
        # Gone when they left; again here for a row that left before that was done.
        "second_factors": Authenticator.objects.filter(user=person).delete()[0],
        "api_tokens": ApiToken.objects.filter(user=person).delete()[0],
        "cookie_choices": CookieChoice.objects.filter(user=person).update(user=None),
        "events": Event.objects.filter(actor=person).update(actor_label=label),
        "event_details": Event.objects.filter(
            subject_type=User._meta.label_lower, subject_id=str(person.pk)
        ).update(before=None, after=None),
        "access_log": AccessLogEntry.objects.filter(staff_user=person).update(staff_label=label),
        "emails_sent": OutboxMessage.objects.filter(
            to__iexact=old_email, status=OutboxStatus.SENT
        ).update(to=placeholder, body_text="", body_html=""),
    }
    person.full_name = label
    person.first_name = ""
    person.last_name = ""
    person.email = placeholder
    person.is_active = False
    person.set_unusable_password()
    person.forget_at = None
    person.save(
        update_fields=[
            "full_name",
            "first_name",
            "last_name",
            "email",
            "is_active",
            "password",
            "forget_at",
        ]
    )
    done["login"] = 1
    return done


def kept(request: PrivacyRequest) -> dict[str, int]:
    """What stays after an erasure, by the law or hold that keeps it."""

    customer = request.customer
    person = request.person
    return {
        "invoices": Invoice.objects.filter(customer=customer).count(),
        "call_records": CallRecord.objects.filter(customer=customer).count(),
        "terms_acceptances": TermsAcceptance.objects.filter(user=person).count(),
        "tickets": Ticket.objects.filter(customer=customer, raised_by=person).count(),
        "notices": Notice.objects.filter(customer=customer, sent_by=person).count(),
        "privacy_requests": PrivacyRequest.objects.filter(person=person).count(),
    }


def describe(done: dict[str, int], keep: dict[str, int], hold: str, language: str) -> str:
    """The answer to the request, in the requester's language: what was erased and what stays."""
    with translation.override(language):
        if hold:
            return _("Not erased. %(why)s") % {"why": hold}
        erased = ", ".join(f"{name} {count}" for name, count in done.items())
        stays = ", ".join(f"{name} {count}" for name, count in keep.items() if count)
        return _(
            "Erased or anonymised: %(erased)s. Kept, as the law requires (invoices for the "
            "accounting retention, call records for the traffic-data retention, the signed "
            "terms and the business's tickets for legal claims, the requests themselves): "
            "%(kept)s."
        ) % {"erased": erased, "kept": stays or "-"}


def erase(*, request: PrivacyRequest, now: dt.datetime) -> tuple[str, dict[str, Any]]:
    """PRIV-7: erase what no law or hold keeps; the answer and what the event records.

    Called by ``rights.erase`` with the request locked and its identity verified.
    """
    person = request.person
    language = (person.language if person else "") or request.customer.language
    hold = legal_hold(request) if person is not None else ""
    done: dict[str, int] = {}
    keep = kept(request)
    if person is not None and not hold:
        with transaction.atomic():
            done = anonymise_person(person, now)
    outcome = describe(done, keep, hold, language)
    return outcome, {"erased": done, "kept": keep, "held": bool(hold)}

"""Letters of the complaints code, in the customer's language and preferred format.

CMP-7 / INFO-3: every written outcome goes the way the customer asked: email
with the PDF; a letter or a large-print letter into the console's
print-and-post queue; "other" as a task for staff. CMP-13 and DISP-1: letters
that speak of disputes say which route is open to this customer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import translation

from officeline import clock
from officeline.accounts.choices import PreferredFormat
from officeline.accounts.models import Customer, OperatorMarket
from officeline.notifications.pdf import render_pdf
from officeline.notifications.services import Attachment, queue_email
from officeline.support.choices import DeliveryStatus, LetterKind
from officeline.support.models import Letter

if TYPE_CHECKING:
    from officeline.actors import Actor
    from officeline.support.models import Complaint

# DISP-1: a non-micro-business fr dispute unresolved after this many days goes to arbitration.
ARBITRATION_AFTER_DAYS = 60
DISPUTE_LETTERS = {
    LetterKind.OUTCOME,
    LetterKind.DIRECTOR_DECISION,
    LetterKind.DEADLOCK,
    LetterKind.DEADLOCK_REFUSED,
    LetterKind.ADR_NOTICE,
    LetterKind.PROPOSED_RESOLUTION,
}


@dataclass(frozen=True)
class DisputeRoute:
    """Where an unresolved complaint can go next, for this customer."""

    kind: str  # "adr", "no_adr", "tribunal", "arbitration"
    name: str = ""
    contact: str = ""
    url: str = ""
    available_from: dt.date | None = None


def _dispute_route(customer: Customer, received_at: dt.datetime) -> DisputeRoute:
    """CMP-13 (uk): ADR only for ten or fewer workers, naming the scheme from the operator's settings.
    DISP-1 (fr): a micro-business may go to the Tribunal de commerce de Paris; any other business,
    after 60 days unresolved, to arbitration (JAMS, London, in English)."""
    settings_row = OperatorMarket.objects.filter(market=customer.market).first()
    if customer.market == "fr":
        if customer.is_micro_business:
            return DisputeRoute(
                "tribunal", "Tribunal de commerce de Paris", "1 quai de la Corse, 75004 Paris"
            )
        return DisputeRoute(
            "arbitration",
            "JAMS",
            "London, United Kingdom (arbitration in English)",
            "https://www.jamsadr.com",
            (received_at + dt.timedelta(days=ARBITRATION_AFTER_DAYS)).date(),
        )
    if not customer.is_micro_business:
        return DisputeRoute("no_adr")
    return DisputeRoute(
        "adr",
        settings_row.adr_scheme_name if settings_row else "",
        settings_row.adr_scheme_contact if settings_row else "",
        settings_row.adr_scheme_url if settings_row else "",
    )


def send_letter(
    *,
    complaint: Complaint,
    kind: str,
    actor: Actor | str = None,
    extra: dict[str, Any] | None = None,
) -> Letter:
    """Render one letter to PDF and deliver it in the customer's preferred format."""
    customer = complaint.customer
    language = customer.language or customer.market_definition.language
    now = clock.now()
    large_print = customer.preferred_format == PreferredFormat.LARGE_PRINT
    operator = OperatorMarket.objects.filter(market=customer.market).first()
    context = {
        "kind": kind,
        "complaint": complaint,
        "ticket": complaint.ticket,
        "customer": customer,
        "operator": operator,
        "date": now.astimezone(customer.market_definition.tz).date(),
        "route": _dispute_route(customer, complaint.received_at)
        if kind in DISPUTE_LETTERS
        else None,
        **(extra or {}),
    }
    pdf = render_pdf(
        "support/letters/letter.html", context, language=language, large_print=large_print
    )
    delivery = {
        PreferredFormat.EMAIL: DeliveryStatus.EMAILED,
        PreferredFormat.LETTER: DeliveryStatus.TO_PRINT,
        PreferredFormat.LARGE_PRINT: DeliveryStatus.TO_PRINT,
        PreferredFormat.OTHER: DeliveryStatus.STAFF_TASK,
    }[PreferredFormat(customer.preferred_format)]
    letter = Letter.objects.create(
        complaint=complaint,
        kind=kind,
        language=language,
        preferred_format=customer.preferred_format,
        pdf=pdf,
        created_at=now,
        delivery=delivery,
        staff_task=customer.preferred_format_details
        if delivery == DeliveryStatus.STAFF_TASK
        else "",
    )
    with translation.override(language):
        filename = f"{complaint.ticket.reference}-{kind}.pdf"
    if delivery == DeliveryStatus.EMAILED:
        queue_email(
            to=customer.email,
            template="support/email/letter",
            context={
                "letter": letter,
                "complaint": complaint,
                "customer": customer,
                "kind_label": LetterKind(kind).label,
            },
            language=language,
            kind=f"support.letter.{kind}",
            customer=customer,
            attachments=[Attachment(filename, pdf)],
        )
    return letter

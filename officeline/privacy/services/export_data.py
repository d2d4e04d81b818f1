"""PRIV-6: what the copy of a person's personal data holds, and its zip archive.

One collector per source of personal data (``SOURCES``, in the archive's order): the
requester's person record, their terms acceptances, consents and cookie choices, the
tickets and complaints they raised, the notices they sent, their privacy requests; and,
for the Office Manager (who holds the account), the business's account details, its
lines, its call records (the other party's number stays: it is the customer's own
traffic data, PRIV-2), the voicemail messages left on its lines, each with its
recording, and its invoices, with each invoice's PDF. What is about other people is
withheld: other people's tickets, the names of staff who handled anything, the
representatives named on a ticket, and the security secrets of the login (password
hash, second-factor secrets, API keys), which the README of the archive says.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Model, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from officeline.accounts.choices import CustomerRole
from officeline.accounts.models import Customer, Notice, NoticeDirection, TermsAcceptance, User
from officeline.billing.models import Invoice
from officeline.billing.services.documents import invoice_pdf
from officeline.lines.models import Line
from officeline.privacy.models import CookieChoice, MarketingConsent, PrivacyRequest
from officeline.support.models import Complaint, Ticket
from officeline.usage.models import CallRecord, Voicemail

Row = dict[str, Any]


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Model):
        return str(value.pk)
    return value


def _rows(queryset: Iterable[Any], fields: Iterable[str]) -> list[Row]:
    names = list(fields)
    return [{name: _value(getattr(obj, name)) for name in names} for obj in queryset]


def _person(person: User, customer: Customer) -> list[Row]:
    row = _rows(
        [person],
        (
            "email",
            "full_name",
            "language",
            "customer_role",
            "date_joined",
            "last_login",
            "is_active",
        ),
    )[0]
    row["business"] = person.customer.legal_name if person.customer is not None else ""
    row["email_addresses"] = "; ".join(
        EmailAddress.objects.filter(user=person).order_by("pk").values_list("email", flat=True)
    )
    return [row]


def _terms_acceptances(person: User, customer: Customer) -> list[Row]:
    acceptances = (
        TermsAcceptance.objects.filter(user=person)
        .select_related("document_version__document")
        .order_by("accepted_at")
    )
    fields = ("accepted_at", "ip_address", "user_agent", "wording", "document_sha256")
    return [
        {
            **_rows([t], fields)[0],
            "document": f"{t.document_version.document} {t.document_version.version}",
        }
        for t in acceptances
    ]


def _marketing_consents(person: User, customer: Customer) -> list[Row]:
    return _rows(
        MarketingConsent.objects.filter(person=person).order_by("at", "id"),
        ("channel", "given", "address", "method", "at"),
    )


def _cookie_choices(person: User, customer: Customer) -> list[Row]:
    return _rows(
        CookieChoice.objects.filter(user=person).order_by("at", "id"),
        ("anonymous_id", "choice", "at", "policy_version"),
    )


def _tickets_raised(person: User, customer: Customer) -> QuerySet[Ticket]:
    """Tickets the person raised; a colleague's tickets are theirs, not the requester's."""
    return Ticket.objects.filter(customer=customer, raised_by=person).order_by("raised_at")


def _tickets(person: User, customer: Customer) -> list[Row]:
    return _rows(
        _tickets_raised(person, customer),
        ("reference", "subject", "description", "category", "channel", "raised_at"),
    )


def _complaints(person: User, customer: Customer) -> list[Row]:
    complaints = (
        Complaint.objects.filter(ticket__in=_tickets_raised(person, customer))
        .select_related("ticket")
        .order_by("received_at")
    )
    fields = (
        "state",
        "received_at",
        "acknowledged_at",
        "escalated_at",
        "proposed_resolution",
        "outcome",
        "closed_at",
    )
    return [{"ticket": c.ticket.reference, **_rows([c], fields)[0]} for c in complaints]


def _notices_sent(person: User, customer: Customer) -> list[Row]:
    return _rows(
        Notice.objects.filter(
            customer=customer, sent_by=person, direction=NoticeDirection.TO_OPERATOR
        ).order_by("sent_at"),
        ("reference", "subject", "body", "sent_at"),
    )


def _privacy_requests(person: User, customer: Customer) -> list[Row]:
    """The requests themselves, without the staff who handled them."""
    return _rows(
        PrivacyRequest.objects.filter(person=person).order_by("received_at", "id"),
        (
            "reference",
            "kind",
            "details",
            "channel",
            "received_at",
            "due_at",
            "answer_by",
            "extension_reason",
            "verification_method",
            "verified_at",
            "fee_minor",
            "fee_currency",
            "fee_ground",
            "fee_reason",
            "state",
            "completed_at",
            "outcome",
        ),
    )


def _account(person: User, customer: Customer) -> list[Row]:
    return _rows(
        [customer],
        (
            "legal_name",
            "company_number",
            "vat_number",
            "contact_name",
            "email",
            "phone",
            "address_line1",
            "address_line2",
            "city",
            "postcode",
            "workers_count",
            "language",
            "preferred_format",
            "preferred_format_details",
            "accessibility_needs",
            "market",
            "status",
            "created_at",
        ),
    )


def _lines(person: User, customer: Customer) -> list[Row]:
    lines = Line.objects.filter(customer=customer).select_related("number").order_by("pk")
    fields = (
        "status",
        "activation_requested_at",
        "activated_at",
        "terminated_at",
        "emergency_location",
    )
    return [{"number": line.number.e164, **_rows([line], fields)[0]} for line in lines]


def _call_records(person: User, customer: Customer) -> list[Row]:
    return _rows(
        CallRecord.objects.filter(customer=customer).order_by("started_at", "id"),
        (
            "direction",
            "from_number",
            "to_number",
            "destination_type",
            "started_at",
            "answered_at",
            "ended_at",
            "duration_seconds",
            "disposition",
            "sip_code",
        ),
    )


def _voicemails(customer: Customer) -> Iterable[Voicemail]:
    return (
        Voicemail.objects.filter(customer=customer)
        .select_related("line__number")
        .order_by("received_at", "pk")
    )


def _voicemail_file(message: Voicemail) -> str:
    """Where a message's recording is in the archive."""
    return f"voicemails/{message.received_at:%Y%m%dT%H%M%SZ}-{message.pk}.wav"


def _voicemail_rows(person: User, customer: Customer) -> list[Row]:
    """PRIV-6: the messages left on the business's lines, each with its recording."""
    fields = ("caller", "received_at", "duration_seconds", "listened_at")
    return [
        {
            "line": message.line.number.e164,
            "audio_file": _voicemail_file(message),
            **_rows([message], fields)[0],
        }
        for message in _voicemails(customer)
    ]


def _invoices(person: User, customer: Customer) -> list[Row]:
    return _rows(
        Invoice.objects.filter(customer=customer).order_by("issued_at", "sequence"),
        (
            "number",
            "kind",
            "issued_on",
            "due_on",
            "period_start",
            "period_end",
            "currency",
            "net_minor",
            "vat_minor",
            "total_minor",
            "status",
            "paid_at",
        ),
    )


@dataclass(frozen=True)
class Source:
    """One kind of personal data in the archive: its file name and its collector.

    ``account_holder`` sources are the business's data, given to the Office Manager only.
    """

    name: str
    collect: Callable[[User, Customer], list[Row]]
    account_holder: bool = False


# In the archive's order (the README lists them so).
SOURCES: tuple[Source, ...] = (
    Source("person", _person),
    Source("terms_acceptances", _terms_acceptances),
    Source("marketing_consents", _marketing_consents),
    Source("cookie_choices", _cookie_choices),
    Source("tickets", _tickets),
    Source("complaints", _complaints),
    Source("notices_sent", _notices_sent),
    Source("privacy_requests", _privacy_requests),
    # The account holder's data: the business's details, lines, traffic data and invoices.
    Source("account", _account, account_holder=True),
    Source("lines", _lines, account_holder=True),
    Source("call_records", _call_records, account_holder=True),
    Source("voicemails", _voicemail_rows, account_holder=True),
    Source("invoices", _invoices, account_holder=True),
)


def collect(request: PrivacyRequest) -> dict[str, list[Row]]:
    """PRIV-6: every kind of personal data held about the requester, by name; nobody else's."""
    person = request.person
    if person is None:
        return {}
    holder = person.customer_role == CustomerRole.OFFICE_MANAGER
    return {
        source.name: source.collect(person, request.customer)
        for source in SOURCES
        if holder or not source.account_holder
    }


def _csv(rows: list[Row]) -> str:
    out = io.StringIO()
    if rows:
        names: list[str] = []
        for row in rows:
            names.extend(k for k in row if k not in names)
        writer = csv.DictWriter(out, fieldnames=names)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()


def _readme(request: PrivacyRequest, data: dict[str, list[Row]], now: dt.datetime) -> str:
    person = request.person
    language = (person.language if person else "") or request.customer.language
    with translation.override(language):
        lines = [
            _("Your personal data held by Officeline"),
            "",
            _("Request %(ref)s, built on %(when)s (UTC).")
            % {"ref": request.reference, "when": now.strftime("%Y-%m-%d %H:%M")},
            "",
            _(
                "Each kind of data is in a JSON file and a CSV file of the same name; invoices "
                "are also in the invoices folder as PDF files, and voicemail recordings in the "
                "voicemails folder as WAV files."
            ),
            "",
            *(f"- {name}: {len(rows)}" for name, rows in data.items()),
            "",
            _(
                "Withheld: data about other people (your colleagues' tickets and requests, the "
                "names of our staff, representatives named on a ticket), and the security "
                "secrets of your login (password hash, second-factor secrets, API keys)."
            ),
        ]
    return "\n".join(lines) + "\n"


def build_archive(request: PrivacyRequest, now: dt.datetime) -> tuple[bytes, list[str]]:
    """PRIV-6: the zip archive of ``collect``'s data, JSON and CSV, with the invoices' PDFs."""
    data = collect(request)
    buffer = io.BytesIO()
    names: list[str] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, content: str | bytes) -> None:
            archive.writestr(name, content)
            names.append(name)

        add("README.txt", _readme(request, data, now))
        for name, rows in data.items():
            add(f"{name}.json", json.dumps(rows, ensure_ascii=False, indent=2))
            add(f"{name}.csv", _csv(rows))
        if "invoices" in data:
            for invoice in Invoice.objects.filter(customer=request.customer).order_by("sequence"):
                add(f"invoices/{invoice.number}.pdf", invoice_pdf(invoice))
        if "voicemails" in data:
            for message in _voicemails(request.customer):
                with message.audio.open("rb") as audio:
                    add(_voicemail_file(message), audio.read())
    return buffer.getvalue(), names

"""PRIV-6: the copy of a person's personal data that answers their access request.

The worker builds it (``tasks.build_export``, queued by ``rights.send_export``)
as one zip archive holding every kind of personal data held about the
requester, each in JSON and CSV: their person record, their consents and
cookie choices, the tickets and complaints they raised, the notices they sent,
their privacy requests; and, for the Office Manager (who holds the account),
the business's account details, its lines, its call records (the other
party's number stays: it is the customer's own traffic data, PRIV-2), the
voicemail messages left on its lines, each with its recording, and its
invoices, with each invoice's PDF. What is about other people is withheld:
other people's tickets, the names of staff who handled anything, the
representatives named on a ticket, and the security secrets of the login
(password hash, second-factor secrets, API keys), which the README of the
archive says.

The archive is downloaded once, through a signed link that expires
``LINK_DAYS`` after it is built (by ``clock.now()``); the download empties it,
and so does ``tick`` once the link has expired (``empty_expired_exports``).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.choices import CustomerRole
from officeline.accounts.models import User
from officeline.events.services import record_event
from officeline.privacy.choices import RequestKind, RequestState
from officeline.privacy.models import DataExport, PrivacyRequest

LINK_SALT = "officeline.privacy.export"
# PRIV-6 (D): how long the download link works after the archive is built.
LINK_DAYS = 7


class ExportLinkInvalid(ValidationError):
    """A download link that is forged, expired or used already; ``code`` says which."""


class ExportNotYours(LookupError):
    """A valid link opened by someone other than the person who asked for the data: for them
    it does not exist (PRIV-6 withholds a person's data from everyone else)."""


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


def _person(person: User) -> list[Row]:
    from allauth.account.models import EmailAddress

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


def _voicemails(customer: Any) -> Iterable[Any]:
    from officeline.usage.models import Voicemail

    return (
        Voicemail.objects.filter(customer=customer)
        .select_related("line__number")
        .order_by("received_at", "pk")
    )


def _voicemail_file(message: Any) -> str:
    """Where a message's recording is in the archive."""
    return f"voicemails/{message.received_at:%Y%m%dT%H%M%SZ}-{message.pk}.wav"


def collect(request: PrivacyRequest) -> dict[str, list[Row]]:
    """PRIV-6: every kind of personal data held about the requester, by name; nobody else's."""
    from officeline.accounts.models import Notice, NoticeDirection, TermsAcceptance
    from officeline.billing.models import Invoice
    from officeline.lines.models import Line
    from officeline.privacy.models import CookieChoice, MarketingConsent
    from officeline.support.models import Complaint, Ticket
    from officeline.usage.models import CallRecord

    person = request.person
    if person is None:
        return {}
    customer = request.customer
    tickets = Ticket.objects.filter(customer=customer, raised_by=person).order_by("raised_at")
    data: dict[str, list[Row]] = {
        "person": _person(person),
        "terms_acceptances": [
            {
                **row,
                "document": f"{t.document_version.document} {t.document_version.version}",
            }
            for t, row in (
                (
                    t,
                    _rows(
                        [t],
                        ("accepted_at", "ip_address", "user_agent", "wording", "document_sha256"),
                    )[0],
                )
                for t in TermsAcceptance.objects.filter(user=person)
                .select_related("document_version__document")
                .order_by("accepted_at")
            )
        ],
        "marketing_consents": _rows(
            MarketingConsent.objects.filter(person=person).order_by("at", "id"),
            ("channel", "given", "address", "method", "at"),
        ),
        "cookie_choices": _rows(
            CookieChoice.objects.filter(user=person).order_by("at", "id"),
            ("anonymous_id", "choice", "at", "policy_version"),
        ),
        # Tickets the person raised; a colleague's tickets are theirs, not the requester's.
        "tickets": _rows(
            tickets, ("reference", "subject", "description", "category", "channel", "raised_at")
        ),
        "complaints": [
            {"ticket": c.ticket.reference, **row}
            for c, row in (
                (
                    c,
                    _rows(
                        [c],
                        (
                            "state",
                            "received_at",
                            "acknowledged_at",
                            "escalated_at",
                            "proposed_resolution",
                            "outcome",
                            "closed_at",
                        ),
                    )[0],
                )
                for c in Complaint.objects.filter(ticket__in=tickets)
                .select_related("ticket")
                .order_by("received_at")
            )
        ],
        "notices_sent": _rows(
            Notice.objects.filter(
                customer=customer, sent_by=person, direction=NoticeDirection.TO_OPERATOR
            ).order_by("sent_at"),
            ("reference", "subject", "body", "sent_at"),
        ),
        # The requests themselves, without the staff who handled them.
        "privacy_requests": _rows(
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
        ),
    }
    if person.customer_role == CustomerRole.OFFICE_MANAGER:
        # The account holder's data: the business's details, lines, traffic data and invoices.
        data["account"] = _rows(
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
        data["lines"] = [
            {"number": line.number.e164, **row}
            for line, row in (
                (
                    line,
                    _rows(
                        [line],
                        (
                            "status",
                            "activation_requested_at",
                            "activated_at",
                            "terminated_at",
                            "emergency_location",
                        ),
                    )[0],
                )
                for line in Line.objects.filter(customer=customer)
                .select_related("number")
                .order_by("pk")
            )
        ]
        data["call_records"] = _rows(
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
        # PRIV-6: the messages left on the business's lines, each with its recording.
        data["voicemails"] = [
            {"line": message.line.number.e164, "audio_file": _voicemail_file(message), **row}
            for message, row in (
                (
                    message,
                    _rows(
                        [message],
                        ("caller", "received_at", "duration_seconds", "listened_at"),
                    )[0],
                )
                for message in _voicemails(customer)
            )
        ]
        data["invoices"] = _rows(
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
    return data


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
    from officeline.billing.models import Invoice
    from officeline.billing.services.documents import invoice_pdf

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


def make_export(request_id: int, actor_id: int | None = None) -> DataExport | None:
    """The worker's job: build the archive, answer the request and email the download link.

    Runs once: a request already answered or already exported is left alone.
    """
    from officeline.privacy.rights import complete_with_export

    with transaction.atomic():
        request = (
            PrivacyRequest.objects.select_for_update(of=("self",))
            .select_related("customer", "person")
            .filter(pk=request_id)
            .first()
        )
        if (
            request is None
            or request.kind != RequestKind.ACCESS
            or request.state != RequestState.VERIFIED
            or DataExport.objects.filter(request=request).exists()
        ):
            return None
        now = clock.now()
        content, names = build_archive(request, now)
        export = DataExport.objects.create(
            request=request,
            created_at=now,
            expires_at=now + dt.timedelta(days=LINK_DAYS),
            archive=content,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            files=names,
        )
        actor = User.objects.filter(pk=actor_id).first() if actor_id else None
        complete_with_export(request=request, export=export, actor=actor, now=now)
    return export


def download_token(export: DataExport) -> str:
    return signing.dumps({"x": export.pk}, salt=LINK_SALT)


def download_url(export: DataExport, language: str) -> str:
    with translation.override(language):
        path = reverse("privacy_portal:export", args=[download_token(export)])
    return settings.BASE_URL.rstrip("/") + path


def read_download_token(token: str, *, now: dt.datetime, person: User) -> DataExport:
    """The export a link names, if it may still be downloaded by ``person`` (logged in);
    ``ExportLinkInvalid`` otherwise, or ``ExportNotYours`` when it is another person's.

    A forged or damaged link, an expired one (by ``now``, the clock's) and one
    used already are each refused with their own message; a link forwarded to, or taken by,
    anyone but the requester gives nothing, not even whether it was used.
    """
    try:
        payload = signing.loads(str(token), salt=LINK_SALT)
    except signing.BadSignature:
        payload = None
    export = None
    if isinstance(payload, dict) and isinstance(payload.get("x"), int):
        export = DataExport.objects.select_related("request").filter(pk=payload["x"]).first()
    if export is None:
        raise ExportLinkInvalid(
            {"token": [_("This download link is not valid. Check that it was copied whole.")]},
            code="invalid",
        )
    if export.request.person_id is None or export.request.person_id != person.pk:
        raise ExportNotYours(export.pk)
    if export.downloaded_at is not None:
        raise ExportLinkInvalid(
            {
                "token": [
                    _(
                        "This download link has been used already: it works once. To get your "
                        "data again, make a new request."
                    )
                ]
            },
            code="used",
        )
    if now > export.expires_at:
        raise ExportLinkInvalid(
            {
                "token": [
                    _(
                        "This download link has expired. To get your data, make a new request "
                        "in the portal or contact us."
                    )
                ]
            },
            code="expired",
        )
    return export


def take_download(token: str, *, person: User) -> tuple[str, bytes]:
    """PRIV-6: the archive, once, to the person who asked for it: the first download empties
    it; a second use is refused."""
    now = clock.now()
    with transaction.atomic():
        export = read_download_token(token, now=now, person=person)
        locked = DataExport.objects.select_for_update().get(pk=export.pk)
        # Read again under the lock: two clicks at once give one download.
        read_download_token(token, now=now, person=person)
        content = bytes(locked.archive)
        locked.downloaded_at = now
        locked.emptied_at = now
        locked.archive = b""
        locked.save(update_fields=["downloaded_at", "emptied_at", "archive"])
        request = locked.request
        record_event(
            action="privacy.export_downloaded",
            actor=request.person or "requester",
            customer=request.customer,
            subject=request,
            data={"reference": request.reference, "sha256": locked.sha256},
            at=now,
        )
    return f"officeline-{request.reference}.zip", content


def empty_expired_exports(now: dt.datetime) -> int:
    """Tick handler (PRIV-6): an archive whose link has expired unused is emptied."""
    with transaction.atomic():
        expired = list(
            DataExport.objects.select_for_update(skip_locked=True)
            .filter(emptied_at__isnull=True, expires_at__lt=now)
            .values_list("pk", flat=True)[:500]
        )
        DataExport.objects.filter(pk__in=expired).update(archive=b"", emptied_at=now)
    return len(expired)

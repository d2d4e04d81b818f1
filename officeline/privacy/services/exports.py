"""PRIV-6: the copy of a person's personal data that answers their access request.

The worker builds it (``tasks.build_export``, queued by ``export_requests.send_export``)
with ``make_export``: one zip archive holding every kind of personal data held about
the requester, each in JSON and CSV (``export_data``), then answers the request.

The archive is downloaded once, through a signed link that expires
``LINK_DAYS`` after it is built (by ``clock.now()``); the download empties it,
and so does ``tick`` once the link has expired (``empty_expired_exports``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.models import User
from officeline.actors import Actor
from officeline.errors import DomainError
from officeline.events.services import record_event
from officeline.privacy.choices import RequestKind, RequestState
from officeline.privacy.models import DataExport, PrivacyRequest
from officeline.privacy.services import rights
from officeline.privacy.services.export_data import build_archive

LINK_SALT = "officeline.privacy.export"
# PRIV-6 (D): how long the download link works after the archive is built.
LINK_DAYS = 7


class ExportLinkInvalid(DomainError):
    """A download link that is forged, expired or used already; ``code`` says which."""

    default_code = "invalid"


class ExportNotYours(LookupError):
    """A valid link opened by someone other than the person who asked for the data: for them
    it does not exist (PRIV-6 withholds a person's data from everyone else)."""


def make_export(request_id: int, actor_id: int | None = None) -> DataExport | None:
    """The worker's job: build the archive, answer the request and email the download link.

    Runs once: a request already answered or already exported is left alone.
    """
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


def complete_with_export(
    *, request: PrivacyRequest, export: Any, actor: Actor, now: dt.datetime
) -> PrivacyRequest:
    """PRIV-6: the access request is answered by its export; the link goes to the requester."""
    return rights.finish_request(
        request,
        actor,
        f"A copy of the personal data was built ({len(export.files)} files, SHA-256 "
        f"{export.sha256}) and a download link sent to the requester.",
        now,
        download_url=lambda language: download_url(export, language),
        link_expires=export.expires_at,
    )


def download_token(export: DataExport) -> str:
    return signing.dumps({"x": export.pk}, salt=LINK_SALT)


def download_url(export: DataExport, language: str) -> str:
    with translation.override(language):
        path = reverse("privacy_portal:export", args=[download_token(export)])
    return settings.BASE_URL.rstrip("/") + path


def read_download_token(*, token: str, now: dt.datetime, person: User) -> DataExport:
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
            _("This download link is not valid. Check that it was copied whole."),
            field="token",
            code="invalid",
        )
    if export.request.person_id is None or export.request.person_id != person.pk:
        raise ExportNotYours(export.pk)
    if export.downloaded_at is not None:
        raise ExportLinkInvalid(
            _(
                "This download link has been used already: it works once. To get your "
                "data again, make a new request."
            ),
            field="token",
            code="used",
        )
    if now > export.expires_at:
        raise ExportLinkInvalid(
            _(
                "This download link has expired. To get your data, make a new request "
                "in the portal or contact us."
            ),
            field="token",
            code="expired",
        )
    return export


def take_download(*, token: str, person: User) -> tuple[str, bytes]:
    """PRIV-6: the archive, once, to the person who asked for it: the first download empties
    it; a second use is refused."""
    now = clock.now()
    with transaction.atomic():
        export = read_download_token(token=token, now=now, person=person)
        locked = DataExport.objects.select_for_update().get(pk=export.pk)
        # Read again under the lock: two clicks at once give one download.
        read_download_token(token=token, now=now, person=person)
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

"""PRIV-3: voicemail, a convenience kept within operator limits per market.

A message left on a line (``Voicemail``) is kept within two limits that the
operator sets per market (``OperatorMarket.parameters``):

- ``voicemail_days``: how long a message is kept, counted in the market's
  local days from when it was left (default 30 days);
- ``voicemail_max_messages``: how many messages a line keeps, the newest
  (default 100).

Unlike the call log, which is a view of the traffic data, a voicemail is
content of its own: ``tick`` (``enforce_limits``) deletes the messages past
either limit, oldest first, with their audio files, except the messages of a
customer under a legal hold (PRIV-8): the holds are privacy's, read through
``register_held_customers`` (privacy registers them) so that this app does not import
privacy. The audio is a WAV file in
Django's storage under the media root, never in the database. Listening to a
message is the customer's (the Office Manager's, in the portal); staff only
with a stated reason, logged (PRIV-11, ``views/console.py``).
"""

from __future__ import annotations

import datetime as dt
import logging
import wave
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import translation

from officeline import clock
from officeline.accounts.choices import CustomerRole
from officeline.accounts.models import User
from officeline.events.services import record_event
from officeline.lines.choices import LineStatus
from officeline.lines.models import Device, Line
from officeline.markets.choices import MarketCode
from officeline.markets.deadlines import kept_since_days
from officeline.notifications.services import queue_email
from officeline.telephony import mwi
from officeline.usage.models import Voicemail
from officeline.usage.selectors import voicemail_limits
from officeline.usage.services.calls import whole_seconds

if TYPE_CHECKING:
    from officeline.actors import Actor
    from officeline.telephony.media.endpoint import Recording

log = logging.getLogger(__name__)

BATCH = 500


def leave_message(
    *,
    line: Line,
    call_id: str,
    caller: str,
    received_at: dt.datetime,
    duration_seconds: int,
    audio: File,  # type: ignore[type-arg]
) -> Voicemail:
    """Keep a message left on ``line``; a second save of the same call keeps the first."""
    existing = Voicemail.objects.filter(call_id=call_id).first()
    if existing is not None:
        return existing
    voicemail = Voicemail(
        customer_id=line.customer_id,
        line=line,
        call_id=call_id[:255],
        caller=caller[:64],
        received_at=received_at,
        duration_seconds=max(0, duration_seconds),
    )
    voicemail.audio.save(f"{received_at:%Y%m%dT%H%M%S}-{line.pk}.wav", audio, save=False)
    try:
        with transaction.atomic():
            voicemail.save()
            _tell_office_managers(voicemail)
            _light_phones(line_ids=[line.pk])
    except Exception:
        default_storage.delete(str(voicemail.audio.name))  # no file without its row
        raise
    return voicemail


def _tell_office_managers(voicemail: Voicemail) -> int:
    """Email each Office Manager of the business, in their language, that a message was left:
    the line, the caller, how long, when, and the portal page to listen to it. The recording
    itself is not attached: it stays in the portal (PRIV-11, communications are confidential).
    Queued with the message, so both are written or neither; sent after the commit."""
    customer = voicemail.line.customer
    people = User.objects.filter(
        customer=customer, customer_role=CustomerRole.OFFICE_MANAGER, is_active=True
    ).exclude(email="")
    market = customer.market_definition
    for person in people:
        with translation.override(person.language):
            path = reverse("usage_portal:voicemails")
        queue_email(
            to=person.email,
            template="usage/email/new_voicemail",
            context={
                "person": person.full_name or customer.contact_name,
                "message": voicemail,
                "time_zone": market.time_zone,
                "voicemail_url": f"{settings.BASE_URL.rstrip('/')}{path}?line={voicemail.line_id}",
                "days_kept": voicemail_limits(customer.market).days,
            },
            language=person.language,
            kind="voicemail",
            customer=customer,
        )
    return len(people)


def _recording_seconds(path: Path) -> int:
    """A WAV recording's length in whole seconds (to the nearest, halves up)."""
    with wave.open(str(path), "rb") as wav:
        frames, rate = wav.getnframes(), wav.getframerate()
    return whole_seconds(dt.timedelta(microseconds=frames * 1_000_000 // max(rate, 1)))


def receive_recording(recording: Recording) -> Voicemail | None:
    """What the voicemail endpoint recorded for a line's number: kept on that active line
    (registered with the endpoint by ``UsageConfig.ready()``), and the endpoint's file removed. A number that is no
    longer an active line's, or a recording with no sound at all, is not kept."""
    line = (
        Line.objects.filter(number__e164=recording.number, status=LineStatus.ACTIVE)
        .select_related("customer")
        .first()
    )
    with wave.open(str(recording.path), "rb") as wav:
        empty = wav.getnframes() == 0
    message = None
    if line is None:
        log.warning("voicemail for a number that is no active line's: not kept")
    elif not empty:
        with recording.path.open("rb") as audio:
            message = leave_message(
                line=line,
                call_id=recording.call_id,
                caller=recording.caller,
                received_at=clock.now(),
                duration_seconds=_recording_seconds(recording.path),
                audio=File(audio),
            )
    recording.path.unlink(missing_ok=True)
    return message


def mark_listened(*, voicemail: Voicemail, now: dt.datetime) -> None:
    """The customer has opened the message: it is no longer new."""
    if voicemail.listened_at is None:
        if Voicemail.objects.filter(pk=voicemail.pk, listened_at__isnull=True).update(
            listened_at=now
        ):
            _light_phones(line_ids=[voicemail.line_id])
        voicemail.listened_at = now


def _light_phones(*, line_ids: list[int]) -> None:
    """Once the transaction commits, tell the phones of these lines how many new messages wait
    (the message-waiting lamp, ``telephony.mwi``). A failure is logged, never raised: the
    message is kept, listened to or deleted whether or not a phone could be told."""
    transaction.on_commit(lambda: _tell_phones(line_ids))


def _tell_phones(line_ids: list[int]) -> None:
    for line_id in line_ids:
        try:
            line = Line.objects.select_related("number").get(pk=line_id)
            counts = Voicemail.objects.filter(line_id=line_id).aggregate(
                new=Count("pk", filter=Q(listened_at__isnull=True)),
                old=Count("pk", filter=Q(listened_at__isnull=False)),
            )
            mwi.notify_line(
                number=line.number.e164,
                usernames=Device.objects.filter(line_id=line_id).values_list(
                    "sip_username", flat=True
                ),
                new=counts["new"],
                old=counts["old"],
            )
        except Exception:
            log.exception("the message-waiting indicator of line %s was not sent", line_id)


def _delete(pks: list[int]) -> int:
    """Delete messages and, once the deletion is committed, their audio files."""
    with transaction.atomic():
        names = list(Voicemail.objects.filter(pk__in=pks).values_list("audio", flat=True))
        # The lines that lose a new message: their phones' lamps may go out.
        lines = sorted(
            set(
                Voicemail.objects.filter(pk__in=pks, listened_at__isnull=True).values_list(
                    "line_id", flat=True
                )
            )
        )
        deleted, _ = Voicemail.objects.filter(pk__in=pks).delete()
        transaction.on_commit(lambda: _delete_files(names))
        if lines:
            _light_phones(line_ids=lines)
    return deleted


def _delete_files(names: list[str]) -> None:
    for name in names:
        if name:
            try:
                default_storage.delete(name)
            except OSError:
                log.warning("voicemail audio %s could not be deleted", name)


def delete_voicemail(*, voicemail: Voicemail, actor: Actor, now: dt.datetime) -> None:
    """The Office Manager deletes a message, with its audio; the timeline says when, not what."""
    with transaction.atomic():
        _delete([voicemail.pk])
        record_event(
            action="usage.voicemail_deleted",
            actor=actor,
            customer=voicemail.customer,
            data={"line": voicemail.line_id, "received_at": voicemail.received_at.isoformat()},
            at=now,
        )


_held_customers: list[Callable[[], set[int]]] = []


def register_held_customers(source: Callable[[], set[int]]) -> None:
    """The app that keeps legal holds registers who is under one (at start-up)."""
    if source not in _held_customers:
        _held_customers.append(source)


def held_customer_ids() -> set[int]:
    """PRIV-8: the customers under a legal hold, whose messages the limits spare."""
    held: set[int] = set()
    for source in _held_customers:
        held |= source()
    return held


def _too_old(market: str, now: dt.datetime, days: int, held: set[int]) -> int:
    cutoff = kept_since_days(market, now, days)
    deleted = 0
    while True:
        pks = list(
            Voicemail.objects.filter(customer__market=market, received_at__lt=cutoff)
            .exclude(customer_id__in=held)
            .order_by("received_at", "pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        if pks:
            deleted += _delete(pks)
        if len(pks) < BATCH:
            return deleted


def _too_many(market: str, max_messages: int, held: set[int]) -> int:
    lines = (
        Voicemail.objects.filter(customer__market=market)
        .exclude(customer_id__in=held)
        .values("line_id")
        .annotate(count=Count("pk"))
        .filter(count__gt=max_messages)
        .values_list("line_id", flat=True)
    )
    deleted = 0
    for line_id in list(lines):
        # Oldest first: everything after the newest ``max_messages``.
        pks = list(
            Voicemail.objects.filter(line_id=line_id)
            .order_by("-received_at", "-pk")
            .values_list("pk", flat=True)[max_messages:]
        )
        deleted += _delete(pks)
    return deleted


def enforce_limits(*, now: dt.datetime) -> int:
    """Tick handler (PRIV-3): delete the messages past their market's limits, oldest first,
    except those of a customer under a legal hold (PRIV-8)."""
    held = held_customer_ids()
    deleted = 0
    for market in MarketCode.values:
        limit = voicemail_limits(market)
        deleted += _too_old(market, now, limit.days, held)
        deleted += _too_many(market, limit.max_messages, held)
    return deleted

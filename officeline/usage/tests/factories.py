"""Usage test helpers: voicemail messages with real (short) WAV recordings, people, lines
and staff, and the call records and clock steps of acceptable-use reviews."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
import struct
import wave
from typing import Any, cast
from zoneinfo import ZoneInfo

from allauth.mfa.totp.internal.auth import TOTP
from django.core.files.base import ContentFile

from officeline import clock
from officeline.accounts.choices import CustomerRole
from officeline.accounts.models import Customer, User
from officeline.accounts.tests.factories import (
    CustomerFactory,
    OfficeManagerFactory,
    OperatorMarketFactory,
    StaffFactory,
    UserFactory,
)
from officeline.lines.models import Line, Number
from officeline.lines.services.lines import request_line
from officeline.usage.models import CallRecord, UseReviewCase, Voicemail
from officeline.usage.services.voicemail import leave_message

_calls = itertools.count(1)


def wav_bytes(seconds: float, *, rate: int = 8000) -> bytes:
    """A 440 Hz tone of ``seconds``, 16-bit mono PCM in a WAV container."""
    frames = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
        for i in range(int(seconds * rate))
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(frames)
    return out.getvalue()


def voicemail(
    line: Line,
    *,
    received_at: dt.datetime,
    caller: str = "+447700900555",
    seconds: int = 2,
) -> Voicemail:
    return leave_message(
        line=line,
        call_id=f"vm-{next(_calls)}@test",
        caller=caller,
        received_at=received_at,
        duration_seconds=seconds,
        audio=ContentFile(wav_bytes(seconds)),
    )


# --- people, lines, staff ------------------------------------------------------------

_numbers = itertools.count(100)
# A fixed base32 secret for tests (RFC 6238 test key, "12345678901234567890").
TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


def manager(market: str = "uk", **customer_fields: Any) -> User:
    """The Office Manager of a new customer in ``market`` (the market's operator row made)."""
    OperatorMarketFactory(market=market)
    customer = CustomerFactory(market=market, **customer_fields)
    return cast(User, OfficeManagerFactory(customer=customer))


def member(customer: Customer, **fields: Any) -> User:
    """A person of ``customer`` who is not its Office Manager."""
    fields.setdefault("language", customer.language)
    return cast(User, UserFactory(customer=customer, customer_role=CustomerRole.MEMBER, **fields))


def staff_with_totp(**fields: Any) -> User:
    """A staff user (agent unless ``staff_role`` says otherwise) enrolled with TOTP_SECRET:
    the console lets staff in only with a second factor."""
    user = cast(User, StaffFactory(**fields))
    TOTP.activate(user, TOTP_SECRET)
    return user


def new_line(customer: Customer) -> Line:
    """A line the customer asked for (``lines.request_line``) on a new number of its market."""
    prefix = "+4420794600" if customer.market == "uk" else "+331990000"
    number = Number.objects.create(
        e164=f"{prefix}{next(_numbers) % 100:02d}",
        market=customer.market,
        building=customer.building,
    )
    return request_line(customer=customer, number=number, actor=None)


# --- acceptable use (AUP-1 to AUP-3) ---------------------------------------------------

_review_calls = itertools.count(1)
REVIEW = {"usage.use_review"}
DEADLINES = {"usage.use_review_deadlines"}
LONDON = ZoneInfo("Europe/London")
PARIS = ZoneInfo("Europe/Paris")


def call_record(
    line: Line, at: dt.datetime, *, to: str = "+441632960001", seconds: int = 60, **fields: Any
) -> CallRecord:
    """An answered outgoing call of ``line`` (not saved), as the review reads call records."""
    values = {
        "direction": "outbound",
        "from_number": line.number.e164,
        "to_number": to,
        "destination_type": "national",
        "started_at": at,
        "answered_at": at,
        "ended_at": at + dt.timedelta(seconds=seconds),
        "duration_seconds": seconds,
        "disposition": "answered",
        **fields,
    }
    return CallRecord(
        call_id=f"aup-{next(_review_calls)}", customer=line.customer, line=line, **values
    )


def add_calls(line: Line, at: dt.datetime, count: int, **fields: Any) -> None:
    """``count`` calls of ``line``, one a minute from ``at``."""
    CallRecord.objects.bulk_create(
        [call_record(line, at + dt.timedelta(minutes=i), **fields) for i in range(count)]
    )


def review_setup(
    test_clock: Any, market: str, *, calls_per_day: int = 5
) -> tuple[Line, User, ZoneInfo]:
    """A customer with a line and an Office Manager; the market counts more than
    ``calls_per_day`` calls a day as excessive (a market parameter)."""
    OperatorMarketFactory(market=market, parameters={"aup_calls_per_day": calls_per_day})
    tz = PARIS if market == "fr" else LONDON
    test_clock.set(dt.datetime(2026, 11, 20, 10, 0, tzinfo=tz))
    customer = CustomerFactory(market=market)
    office_manager = cast(User, OfficeManagerFactory(customer=customer))
    return new_line(customer), office_manager, tz


def tick_at(test_clock: Any, at: dt.datetime, only: set[str] = REVIEW) -> dict[str, int]:
    """The clock set to ``at`` and the review's tick handlers (``only``) run."""
    test_clock.set(at)
    return clock.tick(at, only=only)


def open_review_case(test_clock: Any, market: str = "uk") -> tuple[UseReviewCase, User, ZoneInfo]:
    """A review case opened by six calls in a day (more than five), on 26 November 2026."""
    line, office_manager, tz = review_setup(test_clock, market)
    tick_at(test_clock, dt.datetime(2026, 11, 25, 9, 0, tzinfo=tz))
    add_calls(line, dt.datetime(2026, 11, 25, 9, 0, tzinfo=tz), 6)
    tick_at(test_clock, dt.datetime(2026, 11, 26, 9, 0, tzinfo=tz))
    return UseReviewCase.objects.get(), office_manager, tz

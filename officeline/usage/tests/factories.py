"""Voicemail messages for tests, with real (short) WAV recordings."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
import struct
import wave

from django.core.files.base import ContentFile

from officeline.lines.models import Line
from officeline.usage.models import Voicemail
from officeline.usage.voicemail import leave_message

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

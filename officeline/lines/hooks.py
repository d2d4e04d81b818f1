"""What the apps above lines do when a line is requested or ends, or a device is blocked.

Lines never imports them; each registers in its ``AppConfig.ready()``::

    hooks.on_line_requested(subscribe_line)     # billing (BILL-2)
    hooks.on_line_terminated(end_subscription)  # billing
    hooks.on_device_blocked(forget_device)      # telephony (LINE-4)

A line's hooks run inside the transaction that creates or ends it (a line never exists
without its billing); a device's after the transaction that blocked it commits.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from officeline.lines.models import Line


class LineRequested(Protocol):
    def __call__(self, *, line: Line) -> object: ...


class LineTerminated(Protocol):
    def __call__(self, *, line: Line, at: dt.datetime) -> object: ...


class DeviceBlocked(Protocol):
    def __call__(self, *, sip_username: str) -> object: ...


_line_requested: list[LineRequested] = []
_line_terminated: list[LineTerminated] = []
_device_blocked: list[DeviceBlocked] = []

H = TypeVar("H")


def _add(listeners: list[H], listener: H) -> H:
    if listener not in listeners:
        listeners.append(listener)
    return listener


def on_line_requested(listener: LineRequested) -> LineRequested:
    """Register what runs when a line is requested (at start-up)."""
    return _add(_line_requested, listener)


def on_line_terminated(listener: LineTerminated) -> LineTerminated:
    """Register what runs when a line ends (at start-up)."""
    return _add(_line_terminated, listener)


def on_device_blocked(listener: DeviceBlocked) -> DeviceBlocked:
    """Register what runs once a device's credentials are blocked (at start-up)."""
    return _add(_device_blocked, listener)


def line_requested(*, line: Line) -> None:
    for listener in _line_requested:
        listener(line=line)


def line_terminated(*, line: Line, at: dt.datetime) -> None:
    for listener in _line_terminated:
        listener(line=line, at=at)


def device_blocked(*, sip_username: str) -> None:
    for listener in _device_blocked:
        listener(sip_username=sip_username)

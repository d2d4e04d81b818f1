"""Refusals of the lines app: ``LineError``, a domain error with a stable code per rule."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from officeline.errors import DomainError


class LineError(DomainError):
    """A rule of lines, numbers, devices, ports or maintenance refused what was asked."""

    default_code = "line_refused"


def refuse(errors: list[DomainError]) -> None:
    """Raise the refusals found together, if any: one as itself (its code is the answer's),
    several as one error that names each field with its own code."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        merged: dict[str, list[ValidationError]] = {}
        for error in errors:
            for field, found in error.error_dict.items():
                merged.setdefault(field, []).extend(found)
        raise ValidationError(merged)

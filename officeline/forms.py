"""What the form pages of every app share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError


def add_service_errors(
    form: Any, exc: ValidationError, names: Mapping[str, str] | None = None
) -> None:
    """A service's refusal onto ``form``: each problem on its field, where the form has it
    (``names`` gives the form's name of a field the service names otherwise), else on the
    form as a whole, so that no problem goes unsaid."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        field = (names or {}).get(field, field)
        form.add_error(field if field in form.fields else None, errors)


# Bounds of the text a person types: long enough for any honest message, short enough that
# nobody stores megabytes through a text box. Each form and API field of free text has one.
TEXT_MAX_LENGTH = 5000  # a description, a note, an answer (a text area)
LINE_MAX_LENGTH = 200  # a name, a reference, a one-line reason

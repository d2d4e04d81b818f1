"""Domain errors: a rule refused what was asked, with a stable code and a message that names it.

A service refuses with ``DomainError`` (or a subclass of it naming the domain)::

    raise DomainError(_("The number is in quarantine until %(date)s."),
                      code="number_in_quarantine", params={"date": ...})

``code`` is snake_case, never reworded once released: the API's error body carries it
(``{"code": ..., "message": ..., "errors": [...]}``), so clients may branch on it. The
message is for people and may change. A refusal about one field of a form or a request
passes ``field``; the page shows it beside that field and the API names it.

``DomainError`` is a Django ``ValidationError``, so forms, the admin and ``full_clean``
show it as they show any other error.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


class DomainError(ValidationError):
    """A refusal by a rule of the service, with a stable ``code``."""

    default_code = "refused"

    def __init__(
        self,
        message: Any,
        *,
        code: str | None = None,
        params: dict[str, Any] | None = None,
        field: str = "",
    ) -> None:
        code = code or self.default_code
        if not CODE_PATTERN.match(code):
            raise ValueError(f"an error code is snake_case: {code!r}")
        if field:
            super().__init__({field: [ValidationError(message, code=code, params=params)]})
        else:
            super().__init__(message, code=code, params=params)
        self.code = code
        self.field = field

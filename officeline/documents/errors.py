"""Errors of the documents app, each naming the field and the problem."""

from __future__ import annotations

from typing import Any

from officeline.errors import DomainError


class DocumentError(DomainError):
    """A document action refused, with the field it concerns and a stable ``code``."""

    default_code = "document_refused"

    def __init__(self, field: str, message: Any, *, code: str | None = None) -> None:
        super().__init__(message, code=code, field=field)
        self.message = message

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"

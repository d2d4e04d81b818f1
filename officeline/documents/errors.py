"""Errors of the documents app, each naming the field and the problem."""

from __future__ import annotations


class DocumentError(ValueError):
    """A document action refused, with the field it concerns."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

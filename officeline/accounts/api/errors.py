"""API errors: every error answer carries a stable ``code`` and a ``message`` naming the field.

A refusal by a domain rule (``officeline.errors.DomainError``) answers with the rule's own
code; other invalid input with ``validation_error``, each entry of ``errors`` with its code.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from officeline.errors import DomainError


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """Turn DRF's nested error detail into a flat list of {field, code, message}."""
    if isinstance(detail, dict):
        out: list[dict[str, str]] = []
        for key, value in detail.items():
            field = key if key != "non_field_errors" else ""
            out += _flatten(value, f"{prefix}.{field}" if prefix and field else prefix or field)
        return out
    if isinstance(detail, list):
        out = []
        for item in detail:
            out += _flatten(item, prefix)
        return out
    code = getattr(detail, "code", "invalid") or "invalid"
    return [{"field": prefix, "code": str(code), "message": str(detail)}]


def _detail(error: DjangoValidationError) -> dict[str, list[exceptions.ErrorDetail]]:
    """A Django validation error as DRF's detail, keeping each message's code."""

    def details(errors: list[DjangoValidationError]) -> list[exceptions.ErrorDetail]:
        return [
            exceptions.ErrorDetail(
                str(e.message % e.params if e.params else e.message), code=e.code or "invalid"
            )
            for e in errors
        ]

    if hasattr(error, "error_dict"):
        return {
            field if field != NON_FIELD_ERRORS else "": details(errors)
            for field, errors in error.error_dict.items()
        }
    return {"": details(error.error_list)}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    domain_code = exc.code if isinstance(exc, DomainError) else ""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_detail(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    assert isinstance(exc, exceptions.APIException)
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        first = (
            errors[0] if errors else {"field": "", "code": "invalid", "message": "Invalid input."}
        )
        message = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
        code = domain_code or "validation_error"
        response.data = {"code": code, "message": message, "errors": errors}
    else:
        response.data = {"code": exc.default_code, "message": str(exc.detail)}
    return response

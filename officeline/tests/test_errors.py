"""Domain errors keep their stable code from the service to the API's error body."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from officeline.accounts.api.errors import exception_handler
from officeline.errors import DomainError


def _answer(exc: Exception) -> dict:
    request = APIRequestFactory().get("/")
    response = exception_handler(exc, {"view": APIView(), "request": request})
    assert response is not None
    return response.data


def test_a_domain_error_answers_with_its_own_code():
    data = _answer(DomainError("The number is in quarantine.", code="number_in_quarantine"))
    assert data["code"] == "number_in_quarantine"
    assert data["message"] == "The number is in quarantine."
    assert data["errors"] == [
        {"field": "", "code": "number_in_quarantine", "message": "The number is in quarantine."}
    ]


def test_a_domain_error_about_one_field_names_the_field():
    data = _answer(DomainError("Too long.", code="label_too_long", field="label"))
    assert data["code"] == "label_too_long"
    assert data["message"] == "label: Too long."
    assert data["errors"][0]["field"] == "label"


def test_a_subclass_brings_its_default_code_and_params_are_filled_in():
    class LineRefused(DomainError):
        default_code = "line_refused"

    data = _answer(LineRefused("Line %(n)s is suspended.", params={"n": 3}))
    assert data["code"] == "line_refused"
    assert data["message"] == "Line 3 is suspended."


def test_other_validation_errors_keep_each_message_code():
    data = _answer(ValidationError({"email": [ValidationError("Taken.", code="email_taken")]}))
    assert data["code"] == "validation_error"
    assert data["errors"] == [{"field": "email", "code": "email_taken", "message": "Taken."}]


@pytest.mark.parametrize("code", ["Refused", "two words", "", "1st"])
def test_a_code_that_is_not_snake_case_is_a_programming_error(code):
    if code == "":
        assert DomainError("x", code=code).code == "refused"
        return
    with pytest.raises(ValueError, match="snake_case"):
        DomainError("x", code=code)

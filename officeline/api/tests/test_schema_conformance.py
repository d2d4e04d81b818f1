"""The OpenAPI schema is valid and the API keeps to it (schemathesis, in-process over WSGI)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import positive_data_acceptance

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


@pytest.fixture
def auth_header(manager_a):
    token, _ = Token.objects.get_or_create(user=manager_a)
    return {"Authorization": f"Token {token.key}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, auth_header, test_clock):
    # Business checks (a SIREN's check digit, exactly one unit of time) lie beyond
    # what a schema says, so a schema-valid request may still get a 400 naming the field.
    case.call_and_validate(headers=auth_header, excluded_checks=[positive_data_acceptance])

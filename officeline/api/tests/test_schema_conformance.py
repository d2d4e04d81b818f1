"""The OpenAPI schema is valid and the API keeps to it (schemathesis, in-process over WSGI)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from officeline.accounts.tests.factories import StaffFactory, api_token_for

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_test_connection_open():
    """The WSGI app runs in-process inside the test's transaction, as Django's test client
    does: the per-request connection clean-up must not close that connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["office_manager", "director"])
def auth_header(request, manager_a):
    """The whole API is walked twice: with a customer's token, and with a staff token of the
    role that reaches the most (staff name the customer in a query parameter)."""
    user = manager_a if request.param == "office_manager" else StaffFactory(staff_role="director")
    return {"Authorization": f"Token {api_token_for(user)}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, auth_header, test_clock):
    # Business checks (a SIREN's check digit, exactly one unit of time) lie beyond
    # what a schema says, so a schema-valid request may still get a 400 naming the field.
    case.call_and_validate(headers=auth_header, excluded_checks=[positive_data_acceptance])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/v1/invoices/{number}/pdf/", "/api/v1/invoices/{number}/statement/"]
)
def test_pdf_endpoints_answer_the_pdf_their_schema_names(path, test_clock):
    """Random invoice numbers above only reach the 404s: here a real invoice gets its PDF,
    which must be the documented ``application/pdf``, not JSON."""
    from officeline.billing.tests.factories import invoiced_manager

    user, invoice = invoiced_manager(test_clock, "uk")
    token = api_token_for(user)
    operation = schema[path]["GET"]
    documented = operation.definition.raw["responses"]["200"]["content"]
    assert list(documented) == ["application/pdf"]
    assert documented["application/pdf"]["schema"] == {"type": "string", "format": "binary"}
    case = operation.Case(path_parameters={"number": invoice.number})
    response = case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        excluded_checks=[positive_data_acceptance],
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")

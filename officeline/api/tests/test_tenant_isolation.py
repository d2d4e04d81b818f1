"""Tenant isolation over every API route: one customer cannot read or change another's data.

The routes are read from the URL configuration, so an endpoint that an app adds
later is covered (or fails here until it says how it is scoped):

- ``tenant_scope = "customer"`` without path parameters: called here with
  customer A's token, asking for customer B, by every method it offers;
- ``tenant_scope = "customer"`` with path parameters (``complaints/<pk>/``):
  the view names the test that shows isolation for it in
  ``tenant_isolation_test = "officeline.app.tests.module::test_name"``, and
  that test must exist;
- ``"self"`` or ``"none"``: no other customer's data is reachable.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from officeline.accounts.models import Customer
from officeline.accounts.tests.factories import client_for
from officeline.events.models import Event

pytestmark = pytest.mark.django_db
NOT_CUSTOMER_DATA = {"api/v1/schema/", "api/v1/docs/"}
WRITE_METHODS = ("post", "put", "patch", "delete")


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def api_routes() -> list[tuple[str, Any]]:
    routes = [
        (route, pattern)
        for route, pattern in _walk(get_resolver().url_patterns)
        if route.startswith("api/v1/") and route not in NOT_CUSTOMER_DATA
    ]
    assert routes, "no API routes found"
    return routes


def view_class(pattern: URLPattern) -> Any:
    callback = pattern.callback
    return getattr(callback, "cls", None) or getattr(callback, "view_class", None)


@pytest.mark.parametrize(("route", "pattern"), api_routes(), ids=[r for r, _ in api_routes()])
def test_every_api_view_declares_its_tenant_scope(route, pattern):
    cls = view_class(pattern)
    assert cls is not None, f"{route}: not a class-based API view"
    assert getattr(cls, "tenant_scope", None) in {"customer", "self", "none"}, (
        f"{route}: {cls.__name__} must declare tenant_scope"
    )
    if cls.tenant_scope == "customer" and pattern.pattern.converters:
        target = getattr(cls, "tenant_isolation_test", "")
        assert "::" in target, f"{route}: name the isolation test in tenant_isolation_test"
        module_name, test_name = target.split("::")
        assert hasattr(importlib.import_module(module_name), test_name), (
            f"{route}: {target} not found"
        )


def _snapshot(customer: Customer) -> tuple[dict[str, Any], int]:
    row = dict(Customer.objects.filter(pk=customer.pk).values().get())
    return row, Event.objects.filter(customer=customer).count()


@pytest.mark.parametrize(
    ("route", "pattern"),
    [(r, p) for r, p in api_routes() if not p.pattern.converters],
    ids=[r for r, p in api_routes() if not p.pattern.converters],
)
def test_customer_a_cannot_reach_customer_b(route, pattern, test_clock, manager_a, manager_b):
    cls = view_class(pattern)
    b = manager_b.customer
    secrets = [b.legal_name, b.email, b.company_number]
    before = _snapshot(b)
    client = client_for(manager_a)
    url = "/" + route + f"?customer={b.pk}"
    methods = [m for m in ("get", *WRITE_METHODS) if hasattr(cls, m)]
    for method in methods:
        data = {"legal_name": "Taken over", "email": "x@evil.test", "customer": b.pk}
        response = (
            getattr(client, method)(url, data, format="json")
            if method != "get"
            else client.get(url)
        )
        assert response.status_code < 500, f"{method.upper()} {route}: {response.status_code}"
        body = (
            json.dumps(response.json())
            if response.content and response["Content-Type"].startswith("application/json")
            else response.content.decode(errors="ignore")
        )
        for secret in secrets:
            assert secret not in body, f"{method.upper()} {route} showed customer B's {secret!r}"
    assert _snapshot(b) == before, f"{route} changed customer B"

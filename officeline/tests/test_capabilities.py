"""One permission table for the console and the API (``accounts.permissions.CAPABILITIES``).

- Every console URL and every API view declares the capability staff need for it (an API
  view may instead be for customers only, public, or say why any logged-in user may call
  it), read from the URL configuration so that a view added later cannot forget.
- For every staff role and every capability that has both, a console page and an API
  endpoint agree: both open or both refused, and as the table says.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, path
from django.views import View
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.views import APIView

from officeline import navigation
from officeline.accounts.api.base import (
    CustomerScopedAPIView,
    IsCustomerOrStaff,
    IsCustomerPerson,
    IsOfficeManager,
    IsStaff,
)
from officeline.accounts.choices import StaffRole
from officeline.accounts.permissions import CAPABILITIES, StaffRequiredMixin, roles_with
from officeline.accounts.tests.factories import (
    CustomerFactory,
    OfficeManagerFactory,
    client_for,
    staff_with_totp,
)
from officeline.lines.models import Number
from officeline.lines.services import lines
from officeline.support.tests.factories import complaint

STAFF_PERMISSIONS = (IsStaff, IsCustomerOrStaff)
CUSTOMER_PERMISSIONS = (IsCustomerPerson, IsOfficeManager)


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def _view_class(pattern: URLPattern) -> Any:
    callback = pattern.callback
    return getattr(callback, "cls", None) or getattr(callback, "view_class", None)


def _unknown(view_class: Any, *names: str) -> list[str]:
    return [
        f"{name} {getattr(view_class, name)!r} is not in the table"
        for name in names
        if getattr(view_class, name, "") and getattr(view_class, name) not in CAPABILITIES
    ]


def console_problems(patterns: list[Any]) -> list[str]:
    """Console URLs whose view does not ask the table for a capability."""
    problems = []
    for route, pattern in _walk(patterns):
        if not route.startswith("console/"):
            continue
        view_class = _view_class(pattern)
        where = f"{route} ({pattern.name})"
        if not (isinstance(view_class, type) and issubclass(view_class, StaffRequiredMixin)):
            problems.append(f"{where}: not a StaffRequiredMixin view")
            continue
        if not view_class.capability:
            problems.append(f"{where}: names no capability")
        problems += [
            f"{where}: {p}" for p in _unknown(view_class, "capability", "write_capability")
        ]
    return problems


def _api_permissions(view_class: Any) -> set[type]:
    found = set(getattr(view_class, "permission_classes", ()))
    write = getattr(view_class, "write_permission", None)
    if write is not None:
        found.add(write)
    return found


def api_problems(patterns: list[Any]) -> list[str]:
    """API views that staff may call without a capability of the table, and views that say
    neither who they are for nor why any logged-in user may call them."""
    problems = []
    for route, pattern in _walk(patterns):
        if not route.startswith("api/v1/"):
            continue
        view_class = _view_class(pattern)
        where = f"{route} ({pattern.name})"
        if not (isinstance(view_class, type) and issubclass(view_class, APIView)):
            problems.append(f"{where}: not a DRF view")
            continue
        if hasattr(view_class, "staff_roles"):
            problems.append(f"{where}: keeps its own staff_roles")
        permissions = _api_permissions(view_class)
        if any(issubclass(p, STAFF_PERMISSIONS) for p in permissions):
            if not getattr(view_class, "capability", ""):
                problems.append(f"{where}: open to staff but names no capability")
            problems += [
                f"{where}: {p}" for p in _unknown(view_class, "capability", "write_capability")
            ]
        elif permissions and all(issubclass(p, CUSTOMER_PERMISSIONS) for p in permissions):
            continue  # for customers only
        elif permissions and all(p is AllowAny for p in permissions):
            continue  # public
        elif not getattr(view_class, "capability_exempt", ""):
            problems.append(
                f"{where}: open to any logged-in user ({', '.join(sorted(p.__name__ for p in permissions))})"
                " without a capability or a capability_exempt saying why"
            )
    return problems


def test_every_console_url_names_a_capability_of_the_table():
    problems = console_problems(get_resolver().url_patterns)
    assert not problems, "\n".join(problems)
    routes = [r for r, _ in _walk(get_resolver().url_patterns) if r.startswith("console/")]
    assert len(routes) > 40  # the walk reaches every app's console pages


def test_every_api_view_names_a_capability_or_who_it_is_for():
    problems = api_problems(get_resolver().url_patterns)
    assert not problems, "\n".join(problems)
    routes = [r for r, _ in _walk(get_resolver().url_patterns) if r.startswith("api/v1/")]
    assert len(routes) > 20


class _Forgetful(StaffRequiredMixin, View):
    """A console page whose author forgot the capability."""


class _ForgetfulAPI(CustomerScopedAPIView):
    """An API view open to staff whose author forgot the capability."""


class _AnyUserAPI(APIView):
    permission_classes = [IsAuthenticated]


class _ListedAPI(CustomerScopedAPIView):
    """An API view that keeps a list of roles of its own beside the table."""

    capability = "invoices.read"
    staff_roles = ("agent",)


def test_the_walks_catch_a_view_that_forgets_its_capability():
    patterns = [
        path("console/forgot/", _Forgetful.as_view(), name="forgot"),
        path("console/plain/", View.as_view(), name="plain"),
        path("api/v1/forgot/", _ForgetfulAPI.as_view(), name="forgot_api"),
        path("api/v1/anyone/", _AnyUserAPI.as_view(), name="anyone"),
        path("api/v1/listed/", _ListedAPI.as_view(), name="listed"),
    ]
    assert [p.split(":")[0] for p in console_problems(patterns)] == [
        "console/forgot/ (forgot)",
        "console/plain/ (plain)",
    ]
    assert [p.split(":")[0] for p in api_problems(patterns)] == [
        "api/v1/forgot/ (forgot_api)",
        "api/v1/anyone/ (anyone)",
        "api/v1/listed/ (listed)",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(StaffRole))
def test_a_console_page_without_a_capability_is_refused_to_every_role(rf, role):
    """Deny by default: a forgotten capability never opens a page to all staff."""
    from django.core.exceptions import PermissionDenied

    request = rf.get("/console/forgot/")
    request.user = staff_with_totp(staff_role=role)
    with pytest.raises(PermissionDenied):
        _Forgetful.as_view()(request)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(StaffRole))
def test_an_api_view_without_a_capability_is_refused_to_every_role(role):
    request = RequestFactory().get("/api/v1/forgot/")
    request.user = staff_with_totp(staff_role=role)
    assert not IsCustomerOrStaff().has_permission(request, _ForgetfulAPI())
    assert not IsStaff().has_permission(request, _ForgetfulAPI())


def test_a_view_cannot_keep_its_own_list_of_roles_or_name_an_unknown_capability():
    with pytest.raises(ImproperlyConfigured):
        type("Listed", (StaffRequiredMixin, View), {"staff_roles": ("agent",)})
    with pytest.raises(ImproperlyConfigured):
        type("Misspelt", (StaffRequiredMixin, View), {"capability": "invoice.read"})


def test_the_table_names_only_staff_roles_and_every_capability_has_one():
    for capability, roles in CAPABILITIES.items():
        assert roles, capability
        assert roles <= set(StaffRole.values), capability


# ---------------------------------------------------------------- console and API agree

Ctx = dict[str, Any]
Request = Callable[[Any, Ctx], int]


def _get(url: str) -> Request:
    return lambda client, ctx: client.get(url.format(**ctx)).status_code


def _post(url: str, data: dict[str, Any] | None = None) -> Request:
    """A post the permission check answers before the form or serializer: empty data is
    refused as invalid (400, or the console's redirect with the error) when the role may."""
    return lambda client, ctx: client.post(url.format(**ctx), data or {}).status_code


# capability -> [(console request, API request)]: the pages and endpoints of the same thing.
SAME_THING: dict[str, list[tuple[Request, Request]]] = {
    "customers.read": [
        (_get("/console/customers/{customer}/"), _get("/api/v1/account/?customer={customer}")),
        (_get("/console/customers/{customer}/"), _get("/api/v1/timeline/?customer={customer}")),
    ],
    "invoices.read": [
        (
            _get("/console/customers/{customer}/invoices/"),
            _get("/api/v1/invoices/?customer={customer}"),
        ),
    ],
    "complaints.read": [
        (_get("/console/complaints/"), _get("/api/v1/complaints/?customer={customer}")),
        (_get("/console/complaints/{complaint}/"), _get("/api/v1/complaints/{reference}/")),
        (_get("/console/complaints/"), _get("/api/v1/tickets/?customer={customer}")),
    ],
    "complaints.act": [
        (
            _get("/console/customers/{customer}/tickets/new/"),
            _post("/api/v1/tickets/?customer={customer}"),
        ),
    ],
    "lines.read": [
        (
            _get("/console/customers/{customer}/lines/"),
            _get("/api/v1/lines/?customer={customer}"),
        ),
        (_get("/console/maintenance/"), _get("/api/v1/maintenance/?customer={customer}")),
    ],
    "ports.read": [(_get("/console/ports/"), _get("/api/v1/ports/?customer={customer}"))],
    "devices.block": [
        (
            _post("/console/devices/{device}/block/"),
            _post("/api/v1/devices/{device}/report/?customer={customer}"),
        ),
    ],
    "clock.advance": [(_get("/console/clock/"), _post("/api/v1/clock/advance/"))],
}


@pytest.fixture
def ctx(test_clock) -> Ctx:
    manager = OfficeManagerFactory(customer=CustomerFactory())
    number = Number.objects.create(
        e164="+442079460388", market="uk", building=manager.customer.building
    )
    line = lines.open_line(
        customer=manager.customer,
        number=number,
        actor=manager,
        limitations_acknowledged=True,
        location_confirmed=True,
    )
    device, _ = lines.add_device(line=line, kind="desk_phone", actor=None)
    filed = complaint(manager)
    return {
        "customer": manager.customer.pk,
        "complaint": filed.pk,
        "reference": filed.ticket.reference,
        "device": device.pk,
    }


def _allowed(status: int) -> bool:
    return status != 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(StaffRole))
def test_the_console_and_the_api_agree_for_every_role_and_capability(client, ctx, role):
    """A staff role reads through the API exactly what its console pages show it: the billing
    team and the DPO do not read complaints there, the DPO and engineers not invoices."""
    user = staff_with_totp(staff_role=role)
    client.force_login(user)
    api = client_for(user)
    disagree = []
    for capability, pairs in SAME_THING.items():
        for console_request, api_request in pairs:
            console_status, api_status = console_request(client, ctx), api_request(api, ctx)
            if _allowed(console_status) != _allowed(api_status):
                disagree.append(f"{capability}: console {console_status}, API {api_status}")
    assert not disagree, f"{role}: " + "; ".join(disagree)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(StaffRole))
def test_the_console_and_the_api_open_as_the_table_says(client, ctx, role):
    user = staff_with_totp(staff_role=role)
    client.force_login(user)
    api = client_for(user)
    wrong = []
    for capability, pairs in SAME_THING.items():
        expected = role in roles_with(capability)
        for console_request, api_request in pairs:
            for side, client_, request in (
                ("console", client, console_request),
                ("API", api, api_request),
            ):
                if _allowed(request(client_, ctx)) != expected:
                    wrong.append(f"{capability} {side}: {'refused' if expected else 'open'}")
    assert not wrong, f"{role}: " + "; ".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(StaffRole))
def test_changing_a_customers_details_through_the_api_follows_the_table(ctx, role):
    """PRIV-7, INFO-3: support and the DPO change a customer's details for them; no console
    page does this, so the table decides alone."""
    api = client_for(staff_with_totp(staff_role=role))
    response = api.patch(f"/api/v1/account/?customer={ctx['customer']}", {"id": 1}, format="json")
    # Allowed: the read-only field is refused (400); not allowed: 403 before anything is read.
    assert response.status_code == (400 if role in roles_with("customers.edit") else 403)


# ---------------------------------------------------------------- menus follow the table


def _links(html: str, prefix: str) -> set[str]:
    return {m for m in re.findall(r'href="([^"?#]+)"', html) if m.startswith(prefix)}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(StaffRole))
def test_menus_and_customer_links_offer_only_pages_the_role_may_open(client, ctx, role):
    """Before one table, billing and the DPO were offered the complaints queue and the DPO
    the ports, pages that refused them; a menu now asks the page's own capability."""
    client.force_login(staff_with_totp(staff_role=role))
    customer_page = f"/console/customers/{ctx['customer']}/"
    offered = _links(client.get("/console/").content.decode(), "/console/")
    offered |= _links(client.get(customer_page).content.decode(), "/console/customers/")
    refused = sorted(url for url in offered if client.get(url).status_code == 403)
    assert not refused, f"{role} is offered pages that refuse it: {refused}"
    menu = {navigation.capability_of(url) for url in offered}
    assert {c for c, roles in CAPABILITIES.items() if role in roles} >= menu - {""}


@pytest.mark.django_db
def test_the_service_refuses_a_detail_change_by_a_role_without_customers_edit(ctx):
    """The table is asked below the API too: a role without ``customers.edit`` cannot change a
    customer's details by calling the service, and one with it can (PRIV-7)."""
    from django.core.exceptions import PermissionDenied

    from officeline.accounts.models import Customer
    from officeline.accounts.services.customers import update_customer_details

    customer = Customer.objects.get(pk=ctx["customer"])
    with pytest.raises(PermissionDenied):
        update_customer_details(
            customer=customer,
            actor=staff_with_totp(staff_role=StaffRole.ENGINEER),
            changes={"city": "Leeds"},
        )
    changed = update_customer_details(
        customer=customer,
        actor=staff_with_totp(staff_role=StaffRole.AGENT),
        changes={"city": "Leeds"},
    )
    assert changed.city == "Leeds"

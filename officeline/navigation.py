"""Menu entries of the portal and the console, and the links on a customer's page in the
console, registered by each app in ``ready()``.

navigation.portal("lines_portal:list", _("Lines"), order=20)
navigation.console("support_console:queue", _("Complaints"), order=10)
navigation.customer_link("support_console:new_ticket", _("Record a contact"), order=10)

A customer link's URL name takes the customer's ``pk`` as its one argument.

A console entry is shown to the staff whose role may open its page: the page's view names
its capability (``accounts.permissions``), and the menu asks the same question, so a menu
never offers a page that refuses its reader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, Resolver404, resolve, reverse


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Any  # a lazy translation
    order: int = 50


_portal: dict[str, NavItem] = {}
_console: dict[str, NavItem] = {}
_customer_links: dict[str, NavItem] = {}


def portal(url_name: str, label: Any, *, order: int = 50) -> None:
    _portal[url_name] = NavItem(url_name, label, order)


def console(url_name: str, label: Any, *, order: int = 50) -> None:
    _console[url_name] = NavItem(url_name, label, order)


def customer_link(url_name: str, label: Any, *, order: int = 50) -> None:
    _customer_links[url_name] = NavItem(url_name, label, order)


def capability_of(url: str) -> str:
    """The capability the view at ``url`` declares ("" when none, or no such URL)."""
    try:
        match = resolve(url.split("?")[0])
    except Resolver404:
        return ""
    view_class = getattr(match.func, "view_class", None) or getattr(match.func, "cls", None)
    return str(getattr(view_class, "capability", "") or "")


def _links(items: dict[str, NavItem], may: Callable[[str], bool] | None) -> list[dict[str, Any]]:
    links = []
    for item in sorted(items.values(), key=lambda i: (i.order, str(i.label))):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        if may is not None and not may(capability_of(url)):
            continue
        links.append({"url": url, "label": item.label, "name": item.url_name})
    return links


def portal_links() -> list[dict[str, Any]]:
    return _links(_portal, None)


def console_links(may: Callable[[str], bool]) -> list[dict[str, Any]]:
    """The console's menu for a reader who ``may(capability)`` open a page needing it."""
    return _links(_console, may)


def customer_links(customer_pk: int, may: Callable[[str], bool]) -> list[dict[str, Any]]:
    """The links on one customer's page in the console whose pages the reader ``may`` open.

    A link is shown only when its view names a capability the reader has.
    """
    found = []
    for link in sorted(_customer_links.values(), key=lambda item: (item.order, str(item.label))):
        try:
            url = reverse(link.url_name, args=[customer_pk])
        except NoReverseMatch:
            continue
        capability = capability_of(url)
        if capability and may(capability):
            found.append({"url": url, "label": link.label})
    return found

"""Menu entries of the portal and the console, registered by each app in ``ready()``.

navigation.portal("lines_portal:list", _("Lines"), order=20)
navigation.console("support_console:queue", _("Complaints"), order=10, roles={"agent", ...})
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Any  # a lazy translation
    order: int = 50
    roles: frozenset[str] = field(default_factory=frozenset)  # console: staff roles; empty = all


_portal: dict[str, NavItem] = {}
_console: dict[str, NavItem] = {}


def portal(url_name: str, label: Any, *, order: int = 50) -> None:
    _portal[url_name] = NavItem(url_name, label, order)


def console(url_name: str, label: Any, *, order: int = 50, roles: set[str] | None = None) -> None:
    _console[url_name] = NavItem(url_name, label, order, frozenset(roles or ()))


def _links(items: dict[str, NavItem], role: str | None) -> list[dict[str, Any]]:
    links = []
    for item in sorted(items.values(), key=lambda i: (i.order, str(i.label))):
        if item.roles and role not in item.roles:
            continue
        try:
            links.append(
                {"url": reverse(item.url_name), "label": item.label, "name": item.url_name}
            )
        except NoReverseMatch:
            continue
    return links


def portal_links() -> list[dict[str, Any]]:
    return _links(_portal, None)


def console_links(role: str | None) -> list[dict[str, Any]]:
    return _links(_console, role)

"""Links that other apps add to a customer's page in the console.

In ``AppConfig.ready()``::

    from officeline.console import customer_links
    customer_links.register("support_console:customer_complaints", _("Complaints"), order=10)

The URL name takes the customer's ``pk`` as its one argument. A role set limits
who sees the link, as for ``navigation.console``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class CustomerLink:
    url_name: str
    label: Any  # a lazy translation
    order: int = 50
    roles: frozenset[str] = field(default_factory=frozenset)


_links: dict[str, CustomerLink] = {}


def register(url_name: str, label: Any, *, order: int = 50, roles: set[str] | None = None) -> None:
    _links[url_name] = CustomerLink(url_name, label, order, frozenset(roles or ()))


def links_for(customer_pk: int, role: str | None) -> list[dict[str, Any]]:
    """The registered links for one customer that a staff role may see."""
    found = []
    for link in sorted(_links.values(), key=lambda item: (item.order, str(item.label))):
        if link.roles and role not in link.roles:
            continue
        try:
            found.append({"url": reverse(link.url_name, args=[customer_pk]), "label": link.label})
        except NoReverseMatch:
            continue
    return found

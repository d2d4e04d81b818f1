"""Links that other apps add to a customer's page in the console.

In ``AppConfig.ready()``::

    from officeline.console import customer_links
    customer_links.register("support_console:new_ticket", _("Record a contact"), order=10)

The URL name takes the customer's ``pk`` as its one argument. A link is shown to the
staff whose role may open its page, as its view's ``capability`` says
(``accounts.permissions``), as for ``navigation.console``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from officeline.accounts.permissions import has_capability
from officeline.navigation import capability_of


@dataclass(frozen=True)
class CustomerLink:
    url_name: str
    label: Any  # a lazy translation
    order: int = 50


_links: dict[str, CustomerLink] = {}


def register(url_name: str, label: Any, *, order: int = 50) -> None:
    _links[url_name] = CustomerLink(url_name, label, order)


def links_for(customer_pk: int, user: Any) -> list[dict[str, Any]]:
    """The registered links for one customer whose pages ``user`` may open."""
    found = []
    for link in sorted(_links.values(), key=lambda item: (item.order, str(item.label))):
        try:
            url = reverse(link.url_name, args=[customer_pk])
        except NoReverseMatch:
            continue
        capability = capability_of(url)
        if capability and has_capability(user, capability):
            found.append({"url": url, "label": link.label})
    return found

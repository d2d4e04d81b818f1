"""PRIV-12: a use of data that a changed privacy policy introduced, and the customers it skips.

A material change of the privacy policy names the new uses of data it brings
(``DocumentVersion.new_uses``, from ``documents.choices.DataUse``), and every
customer of the market may opt out of it (``PolicyOptOut``). ``uses_allowed`` is
the one place that decides whether a use applies to a customer; the code that
performs each use asks it first:

- ``marketing``: the marketing sender (``services.queue_marketing_email``) and the
  outbox's check just before a marketing email leaves (``services.marketing_check``);
- ``analytics``: the performance cookie (``middleware.CookieConsentMiddleware``),
  not set for a logged-in person of a customer who opted out, whatever the cookie
  choice.

A use no material change named is part of the policy the customer signed up
under, and applies (with its own consent, PRIV-4, PRIV-5). A use a change named
applies from the day that change takes effect, and never to a customer who opted
out of it.
"""

from __future__ import annotations

from typing import Any

from officeline import clock
from officeline.documents.choices import DataUse, DocumentKind
from officeline.documents.models import DocumentVersion
from officeline.markets.deadlines import local_date
from officeline.privacy.models import PolicyOptOut


def _changes_naming(use: str, market: str) -> list[tuple[int, Any]]:
    """The announced privacy policy changes of a market that name ``use``: (id, effective_from)."""
    versions = DocumentVersion.objects.filter(
        document__kind=DocumentKind.PRIVACY_POLICY,
        document__market=market,
        material_change=True,
        published_at__isnull=False,
    ).values_list("pk", "new_uses", "effective_from")
    return [(pk, effective) for pk, uses, effective in versions if use in (uses or [])]


def uses_allowed(customer: Any, use: str) -> bool:
    """PRIV-12: whether ``use`` (a ``DataUse``) may be made of this customer's data now.

    False when the customer opted out of a privacy policy change that introduced it,
    or when no such change has taken effect yet; True for a use no change introduced,
    and for no customer (a visitor, a staff member).
    """
    if use not in DataUse.values:
        raise ValueError(f"unknown use of data: {use}")
    if customer is None:
        return True
    changes = _changes_naming(use, customer.market)
    if not changes:
        return True
    if PolicyOptOut.objects.filter(
        customer=customer, version_id__in=[pk for pk, _ in changes]
    ).exists():
        return False
    today = local_date(customer.market, clock.now())
    return any(effective is None or effective <= today for _, effective in changes)

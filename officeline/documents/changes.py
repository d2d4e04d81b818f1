"""LIFE-5, PRIV-12: material changes to the terms and the privacy policy, announced ahead.

A new version of a published document normally takes effect as soon as it is
published. The publisher may mark a new version of the terms or of the privacy
policy as a material change, with a summary of what changes:

- the terms (LIFE-5): a change that may materially disadvantage customers;
- the privacy policy (PRIV-12): a change that uses data materially differently.

Such a version takes effect on its ``effective_from`` date, at least one month
after the day it is published (D for the privacy policy, so that the opt-out
comes before the new use), and every customer of the market who reads that
document (in their language, or the market's when there is none in theirs) is
emailed at once, in their language: for the terms, with their right to end the
service without penalty before it applies; for the privacy policy, with a link
to opt out of the new use (``privacy.PolicyOptOut``). Until then the version in
force stays in force, and no other version of the document may be published.
Other documents (the codes) have no material changes: they bind the operator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from officeline.accounts.choices import CustomerStatus
from officeline.accounts.models import Customer
from officeline.documents.choices import DataUse, DocumentKind
from officeline.documents.models import Document, DocumentVersion
from officeline.events.services import record_event
from officeline.markets.deadlines import add_months
from officeline.markets.definitions import get_market
from officeline.notifications.services import queue_email

# LIFE-5: a change that may materially disadvantage customers is emailed at least a month ahead.
NOTICE_MONTHS = 1
MATERIAL_KINDS = frozenset({DocumentKind.TERMS, DocumentKind.PRIVACY_POLICY})


def earliest_effective_date(today: dt.date) -> dt.date:
    """LIFE-5, PRIV-12: one month after today (the month's last day when it has no such day)."""
    return add_months(today, NOTICE_MONTHS)


# The stable code of each field's problem found by ``check`` (``DocumentError.code``).
PROBLEM_CODES = {
    "effective_from": "effective_date_invalid",
    "material_change": "not_a_material_kind",
    "summary_of_changes": "summary_required",
    "new_uses": "new_uses_invalid",
}


def check(
    document: Document,
    *,
    today: dt.date,
    material_change: bool,
    effective_from: dt.date | None,
    summary_of_changes: str,
    new_uses: Sequence[str] = (),
) -> dict[str, str]:
    """The problems with publishing a version of ``document`` so, by field; empty when none."""
    errors: dict[str, str] = {}
    if effective_from is not None and effective_from < today:
        errors["effective_from"] = _("A new version cannot take effect before today.")
    errors.update(_check_new_uses(document, material_change, new_uses))
    if not material_change:
        return errors
    if document.kind not in MATERIAL_KINDS:
        errors["material_change"] = _(
            "Only the terms and the privacy policy have material changes announced to customers."
        )
        return errors
    if not summary_of_changes.strip():
        errors["summary_of_changes"] = _("Say what changes: customers are emailed this summary.")
    earliest = earliest_effective_date(today)
    if effective_from is None or effective_from < earliest:
        errors["effective_from"] = _(
            "A material change is emailed to customers at least one month ahead: it can "
            "take effect on %(earliest)s at the earliest."
        ) % {"earliest": earliest.isoformat()}
    return errors


def _check_new_uses(
    document: Document, material_change: bool, new_uses: Sequence[str]
) -> dict[str, str]:
    """PRIV-12: a material change of the privacy policy names the new uses of data it brings
    (what an opt-out then prevents); nothing else names any."""
    unknown = [use for use in new_uses if use not in DataUse.values]
    if unknown:
        return {"new_uses": _("Unknown use of data: %(uses)s.") % {"uses": ", ".join(unknown)}}
    if not (material_change and document.kind == DocumentKind.PRIVACY_POLICY):
        if new_uses:
            return {
                "new_uses": _(
                    "Only a material change of the privacy policy introduces new uses of data."
                )
            }
        return {}
    if not new_uses:
        return {
            "new_uses": _(
                "Name the new uses of data this change brings: customers may opt out of them."
            )
        }
    return {}


def readers(document: Document) -> Any:
    """The customers who read ``document``: of its market, not terminated, and whose language
    it is (or the market's own language's document, when there is none in theirs)."""
    customers = Customer.objects.filter(market=document.market).exclude(
        status=CustomerStatus.TERMINATED
    )
    if document.language == get_market(document.market).language:
        others = Document.objects.filter(
            market=document.market,
            kind=document.kind,
            versions__published_at__isnull=False,
        ).exclude(language=document.language)
        return customers.exclude(language__in=others.values("language"))
    return customers.filter(language=document.language)


def _url(name: str, args: list[Any], language: str) -> str:
    with translation.override(language):
        path = reverse(name, args=args)
    return settings.BASE_URL.rstrip("/") + path


def announce(version: DocumentVersion) -> int:
    """LIFE-5, PRIV-12: email every reader of the document about a material change; return how many."""
    document = version.document
    template = (
        "documents/email/privacy_change"
        if document.kind == DocumentKind.PRIVACY_POLICY
        else "documents/email/terms_change"
    )
    sent = 0
    for customer in readers(document).iterator():
        context = {
            "customer": customer,
            "document": document,
            "version": version,
            "document_url": _url(
                "documents:version",
                [document.market, document.kind, version.version],
                customer.language,
            ),
        }
        if document.kind == DocumentKind.PRIVACY_POLICY:
            # PRIV-12: the page where the Office Manager opts the business out.
            context["opt_out_url"] = _url(
                "privacy_portal:policy_opt_out", [version.pk], customer.language
            )
        else:
            context["cancel_url"] = _url("billing_portal:cancel", [], customer.language)
        queue_email(
            to=customer.email,
            template=template,
            context=context,
            language=customer.language,
            kind="documents",
            customer=customer,
        )
        record_event(
            action="documents.change_announced",
            actor="system",
            customer=customer,
            subject=version,
            data={
                "document": f"{document.market}/{document.language}/{document.kind}",
                "version": version.version,
                "effective_from": version.effective_from.isoformat()
                if version.effective_from
                else None,
            },
            customer_visible=True,
        )
        sent += 1
    return sent

"""Reads of the privacy app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from officeline.accounts.models import AccessLogEntry, Customer, User
from officeline.documents.choices import DocumentKind
from officeline.documents.models import DocumentVersion
from officeline.markets.definitions import get_market
from officeline.privacy import register
from officeline.privacy.choices import MarketingChannel, RequestState
from officeline.privacy.models import MarketingConsent, PolicyOptOut, PrivacyRequest
from officeline.usage.selectors import call_log_limits, voicemail_limits


def _retention(item: register.RegisterEntry, market: str) -> register.RetentionPeriod:
    """An entry's retention in a market; the call log's and voicemail's are the operator's
    limits (PRIV-3)."""
    if item.key == "call_logs":
        return register.RetentionPeriod(call_log_limits(market).months, _("the call"))
    if item.key == "voicemails":
        days = voicemail_limits(market).days
        return register.RetentionPeriod(None, _("the message"), days=days)
    return item.retention_in(market)


def register_for_market(market: str, *, show_models: bool = False) -> dict[str, Any]:
    """PRIV-1: the register as one market publishes it (each entry with its retention there)."""
    rows = [
        {
            "entry": item,
            "retention": _retention(item, market),
            "models": register.models_of(item.key),
        }
        for item in register.entries()
    ]
    return {"market": get_market(market), "rows": rows, "show_models": show_models}


def current_consent(person: Any, channel: str) -> MarketingConsent | None:
    """PRIV-4: the consent in force for a person on a channel (the latest row), if any."""
    return (
        MarketingConsent.objects.filter(person=person, channel=channel)
        .order_by("-at", "-id")
        .first()
    )


def has_marketing_consent(person: Any, channel: str) -> bool:
    """PRIV-4: marketing goes to a person on a channel only while their consent is given."""
    consent = current_consent(person, channel)
    return consent is not None and consent.given


def marketing_preferences(person: Any) -> dict[str, bool]:
    """Each channel and whether the person consents to marketing on it now."""
    return {channel: has_marketing_consent(person, channel) for channel in MarketingChannel.values}


def consent_history(person: Any) -> QuerySet[MarketingConsent]:
    """Every step of a person's marketing consent, the latest first."""
    return MarketingConsent.objects.filter(person=person).order_by("-at", "-id")


def _for_customer(qs: QuerySet[Any], customer: str) -> QuerySet[Any]:
    """Rows of a customer named by number, or by part of their name or email."""
    customer = customer.strip()
    if customer.isdigit():
        return qs.filter(customer_id=int(customer))
    if customer:
        ids = Customer.objects.filter(
            Q(legal_name__icontains=customer) | Q(email__icontains=customer)
        ).values("pk")
        return qs.filter(customer_id__in=ids)
    return qs


def search_policy_opt_outs(*, customer: str = "") -> QuerySet[PolicyOptOut]:
    """PRIV-12: the opt-outs from materially changed privacy policies, newest first.

    ``customer`` is a customer's number, or part of their name or email.
    """
    opt_outs = PolicyOptOut.objects.select_related("customer", "person", "version__document")
    return _for_customer(opt_outs, customer).order_by("-at", "-id")


def search_access_log(
    *,
    customer: str = "",
    staff: str = "",
    kind: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AccessLogEntry]:
    """PRIV-10: the access log, newest first, narrowed by what the DPO asks.

    ``customer`` is a customer's number, or part of their name or email;
    ``staff`` part of a staff member's email; the dates are UTC days, both included.
    """
    qs = _for_customer(AccessLogEntry.objects.select_related("customer"), customer)
    staff = staff.strip()
    if staff:
        users = User.objects.filter(email__icontains=staff)
        qs = qs.filter(staff_user_id__in=users.values("pk"))
    if kind:
        qs = qs.filter(kind=kind)
    if date_from:
        qs = qs.filter(at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=dt.UTC))
    if date_to:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
        qs = qs.filter(at__lt=end)
    return qs.order_by("-at", "-id")


def open_privacy_requests(now: dt.datetime) -> list[dict[str, Any]]:
    """PRIV-6, PRIV-7: the requests still to answer, by deadline (late ones first), flagged.

    ``late``: the deadline in force has passed; ``due_soon``: it ends within seven days.
    """

    rows = []
    requests = (
        PrivacyRequest.objects.filter(state__in=RequestState.open_states())
        .select_related("customer", "person")
        .order_by("answer_by", "id")
    )
    for request in requests:
        rows.append(
            {
                "request": request,
                "late": now > request.answer_by,
                "due_soon": now <= request.answer_by <= now + dt.timedelta(days=7),
            }
        )
    return rows


def person_privacy_requests(person: Any) -> QuerySet[Any]:
    """PRIV-6, PRIV-7: a person's own requests, newest first."""

    return PrivacyRequest.objects.filter(person=person).order_by("-received_at", "-id")


def announced_policy_change(version_id: int, market: str) -> DocumentVersion | None:
    """PRIV-12: a privacy policy version of ``market`` announced as a material change, or None."""
    return (
        DocumentVersion.objects.select_related("document")
        .filter(
            pk=version_id,
            material_change=True,
            published_at__isnull=False,
            document__kind=DocumentKind.PRIVACY_POLICY,
            document__market=market,
        )
        .first()
    )

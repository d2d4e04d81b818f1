"""Unsubscribe links of marketing emails (PRIV-4; RFC 2369, RFC 8058)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.models import User
from officeline.errors import DomainError
from officeline.privacy.choices import (
    ConsentMethod,
    MarketingChannel,
)
from officeline.privacy.models import MarketingConsent
from officeline.privacy.services.consents import record_marketing_consent

UNSUBSCRIBE_SALT = "officeline.privacy.unsubscribe"
# How long an unsubscribe link works after the email was queued; after that the
# person unsubscribes on the portal's account page (the page says so).
UNSUBSCRIBE_LINK_DAYS = 90


class UnsubscribeLinkInvalid(DomainError):
    """An unsubscribe link that is forged, damaged or expired; ``code`` says which."""

    default_code = "invalid"


def unsubscribe_token(*, person: User, channel: str, now: dt.datetime) -> str:
    """A signed token naming the person and channel, and when it was issued."""
    payload = {"p": person.pk, "c": channel, "t": int(now.timestamp())}
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str, *, now: dt.datetime) -> tuple[User, str]:
    """The person and channel of a token; ``UnsubscribeLinkInvalid`` if forged or expired.

    The expiry is checked against ``clock.now()`` (passed in), not the system clock.
    """
    try:
        payload = signing.loads(str(token), salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        payload = None
    if not (
        isinstance(payload, dict)
        and isinstance(payload.get("p"), int)
        and payload.get("c") in MarketingChannel.values
        and isinstance(payload.get("t"), int)
    ):
        raise UnsubscribeLinkInvalid(
            _("This unsubscribe link is not valid. Check that it was copied whole."),
            field="token",
            code="invalid",
        )
    issued = dt.datetime.fromtimestamp(payload["t"], tz=dt.UTC)
    if now > issued + dt.timedelta(days=UNSUBSCRIBE_LINK_DAYS):
        raise UnsubscribeLinkInvalid(
            _(
                "This unsubscribe link has expired. Log in and change your marketing "
                "choices on your account page, or contact support."
            ),
            field="token",
            code="expired",
        )
    person = User.objects.filter(pk=payload["p"]).first()
    if person is None:
        raise UnsubscribeLinkInvalid(
            _("This unsubscribe link is for an account that no longer exists."),
            field="token",
            code="invalid",
        )
    return person, payload["c"]


def unsubscribe_with_token(
    *, token: str, method: str = ConsentMethod.UNSUBSCRIBE_LINK
) -> tuple[User, str, MarketingConsent | None]:
    """PRIV-4: withdraw the consent a link names; a second use changes nothing.

    Returns the person, the channel and the new row (None if already withdrawn).
    """
    person, channel = read_unsubscribe_token(token, now=clock.now())
    row = record_marketing_consent(
        person=person, channel=channel, given=False, method=method, actor=person
    )
    return person, channel, row


def unsubscribe_url(*, token: str, language: str) -> str:
    with translation.override(language):
        path = reverse("privacy_portal:unsubscribe", args=[token])
    return settings.BASE_URL.rstrip("/") + path


def unsubscribe_mailto(token: str) -> str:
    return f"mailto:{settings.UNSUBSCRIBE_EMAIL}?subject={quote('unsubscribe ' + token)}"


def handle_unsubscribe_email(*, subject: str) -> tuple[User, str, MarketingConsent | None]:
    """PRIV-4: an email to the unsubscribe mailbox (the ``mailto:`` of List-Unsubscribe).

    The mailbox's adapter calls this with the subject, ``unsubscribe <token>``.
    """
    words = str(subject).split()
    if len(words) != 2 or words[0].lower() != "unsubscribe":
        raise UnsubscribeLinkInvalid(
            _("The subject must be the word unsubscribe and the link's code."),
            field="subject",
            code="invalid",
        )
    return unsubscribe_with_token(token=words[1], method=ConsentMethod.UNSUBSCRIBE_EMAIL)

"""Marketing email (PRIV-4): it goes only through ``queue_marketing_email``, which refuses
a person without consent; the outbox checks again just before sending (``marketing_check``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.models import User
from officeline.documents.choices import DataUse
from officeline.errors import DomainError
from officeline.notifications.models import OutboxMessage
from officeline.notifications.services import queue_email
from officeline.privacy.choices import MarketingChannel
from officeline.privacy.selectors import has_marketing_consent
from officeline.privacy.services.consents import customer_of
from officeline.privacy.services.unsubscribe import (
    unsubscribe_mailto,
    unsubscribe_token,
    unsubscribe_url,
)
from officeline.privacy.uses import uses_allowed


class MarketingRefused(DomainError):
    """A marketing message for a person who has not consented on that channel (PRIV-4)."""

    default_code = "no_consent"


def queue_marketing_email(
    *, person: User, template: str, context: Mapping[str, Any], kind: str
) -> OutboxMessage:
    """PRIV-4: queue a marketing email, only to a person whose email consent is in force.

    The email carries ``List-Unsubscribe`` (an https link and a mailto) and
    ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058); its text
    and HTML carry the same link (``unsubscribe_url`` in the template's context,
    and added at the end when the template does not show it).
    """
    if not has_marketing_consent(person, MarketingChannel.EMAIL):
        raise MarketingRefused(
            _("This person has not consented to marketing emails."),
            field="person",
            code="no_consent",
        )
    if not uses_allowed(person.customer, DataUse.MARKETING):
        raise MarketingRefused(
            _("This business opted out of marketing when the privacy policy changed."),
            field="person",
            code="opted_out",
        )
    now = clock.now()
    language = person.language or "en"
    token = unsubscribe_token(person=person, channel=MarketingChannel.EMAIL, now=now)
    url = unsubscribe_url(token=token, language=language)
    headers = {
        "List-Unsubscribe": f"<{url}>, <{unsubscribe_mailto(token)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    with transaction.atomic():
        message = queue_email(
            to=person.email,
            template=template,
            context={**context, "unsubscribe_url": url, "person": person},
            language=language,
            kind=kind,
            customer=customer_of(person),
            marketing=True,
            headers=headers,
        )
        changed = []
        with translation.override(language):
            footer = _("To stop receiving these emails, unsubscribe: %s") % url
        if url not in message.body_text:
            message.body_text = f"{message.body_text.rstrip()}\n\n-- \n{footer}\n"
            changed.append("body_text")
        if message.body_html and url not in message.body_html:
            link = f'<p><a href="{url}">{footer}</a></p>'
            message.body_html = message.body_html.replace("</body>", link + "</body>", 1)
            if url not in message.body_html:
                message.body_html += link
            changed.append("body_html")
        if changed:
            message.save(update_fields=changed)
    return message


def marketing_check(message: OutboxMessage) -> str:
    """Outbox check just before a marketing email leaves: the consent must still be in force."""
    person = User.objects.filter(email__iexact=message.to).first()
    if person is None or not has_marketing_consent(person, MarketingChannel.EMAIL):
        return "PRIV-4: the recipient has no marketing consent in force"
    if not uses_allowed(person.customer, DataUse.MARKETING):
        return "PRIV-12: the recipient's business opted out of marketing"
    return ""

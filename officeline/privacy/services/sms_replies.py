"""Replies to marketing texts (PRIV-4): STOP withdraws the consent to marketing texts."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from django.db import transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.models import User
from officeline.errors import DomainError
from officeline.events.services import record_event
from officeline.privacy.choices import (
    ConsentMethod,
    InboundSmsOutcome,
    MarketingChannel,
)
from officeline.privacy.models import (
    InboundSms,
    MarketingConsent,
)
from officeline.privacy.selectors import current_consent
from officeline.privacy.services.consents import record_marketing_consent

# PRIV-4: the replies to a marketing text that withdraw SMS consent, compared without
# case, spaces or accents' composition ("stop all", "Arrêt", "UNSUBSCRIBE").
STOP_KEYWORDS = frozenset({"STOP", "STOPALL", "ARRET", "ARRÊT", "UNSUBSCRIBE"})
SMS_BODY_MAX = 1600


def normalise_sms_number(value: object) -> str:
    """An inbound text's number in E.164; a ValidationError naming ``from_number`` otherwise."""
    text = str(value or "").strip()
    try:
        parsed = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise DomainError(
            _("Not a valid international phone number: give it as +447946000000."),
            field="from_number",
            code="invalid",
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def opt_out_keyword(body: str) -> str | None:
    """The opt-out keyword a reply is, without case or spaces; None when it is not one."""
    squeezed = re.sub(r"\s+", "", unicodedata.normalize("NFC", str(body or ""))).upper()
    return squeezed if squeezed in STOP_KEYWORDS else None


def handle_inbound_sms(*, from_number: str, body: str, carrier_message_id: str = "") -> InboundSms:
    """PRIV-4: a text received from a person; STOP withdraws their consent to marketing texts.

    The carrier's webhook adapter calls this with the sender and the text. STOP,
    STOP ALL, ARRET / ARRÊT and UNSUBSCRIBE (any case, any spacing) withdraw the
    SMS consent of every person whose consent is for that number. Anything else
    is kept, rejected, with the reason. A malformed number is a ValidationError
    and nothing is recorded. A ``carrier_message_id`` already handled returns
    the text recorded then and changes nothing (the carrier retried).
    """
    number = normalise_sms_number(from_number)
    keyword = opt_out_keyword(body)
    now = clock.now()
    with transaction.atomic():
        if carrier_message_id:
            seen = (
                InboundSms.objects.select_for_update()
                .filter(carrier_message_id=carrier_message_id)
                .first()
            )
            if seen is not None:
                return seen
        withdrawn = 0
        if keyword is None:
            outcome = InboundSmsOutcome.REJECTED
            reason = _(
                "Not an opt-out: to stop marketing texts, reply STOP (or ARRET, UNSUBSCRIBE)."
            )
        else:
            withdrawn = _withdraw_sms_consents(number)
            if withdrawn:
                outcome, reason = InboundSmsOutcome.OPTED_OUT, ""
            else:
                outcome = InboundSmsOutcome.NOTHING_TO_STOP
                reason = _("Nobody with this number has consented to marketing texts.")
        inbound = InboundSms.objects.create(
            from_number=number,
            body=str(body or "")[:SMS_BODY_MAX],
            received_at=now,
            outcome=outcome,
            reason=reason,
            consents_withdrawn=withdrawn,
            carrier_message_id=carrier_message_id,
        )
        record_event(
            action=f"privacy.inbound_sms_{outcome}",
            actor="sms",
            subject=inbound,
            data={"outcome": outcome, "consents_withdrawn": withdrawn},
            at=now,
        )
    return inbound


def _withdraw_sms_consents(number: str) -> int:
    """Withdraw the SMS consent of every person whose consent in force is for ``number``;
    how many were withdrawn."""
    withdrawn = 0
    candidates = (
        MarketingConsent.objects.filter(channel=MarketingChannel.SMS, address=number)
        .values_list("person_id", flat=True)
        .distinct()
    )
    for person in User.objects.filter(pk__in=list(candidates)).order_by("pk"):
        consent = current_consent(person, MarketingChannel.SMS)
        if consent is None or not consent.given or consent.address != number:
            continue
        if record_marketing_consent(
            person=person,
            channel=MarketingChannel.SMS,
            given=False,
            method=ConsentMethod.STOP_REPLY,
            actor=person,
            address=number,
        ):
            withdrawn += 1
    return withdrawn

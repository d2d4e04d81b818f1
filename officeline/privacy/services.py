"""Writes of the privacy app: marketing consent and its withdrawal (PRIV-4).

A person's marketing consent is kept per channel (email, SMS) as a history of
``MarketingConsent`` rows, never overwritten; the latest row is in force. It is
asked at sign-up with unticked boxes, changed on the portal's account page, and
withdrawn by the one-click unsubscribe link of every marketing email (RFC 8058)
or by replying STOP to a marketing text. Marketing email goes only through
``queue_marketing_email``, which refuses a person without consent; the outbox
checks again just before sending.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import phonenumbers
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.choices import CustomerRole
from officeline.accounts.models import Customer, User
from officeline.accounts.permissions import require_capability
from officeline.documents.choices import DataUse
from officeline.events.services import record_event
from officeline.markets.choices import MarketCode
from officeline.markets.deadlines import local_date
from officeline.notifications.models import OutboxMessage
from officeline.notifications.services import queue_email
from officeline.privacy import cookies
from officeline.privacy.choices import (
    ConsentMethod,
    CookieChoiceValue,
    InboundSmsOutcome,
    MarketingChannel,
)
from officeline.privacy.models import (
    CookieChoice,
    Disclosure,
    InboundSms,
    LegalHold,
    MarketingConsent,
    PolicyOptOut,
)
from officeline.privacy.selectors import current_consent, has_marketing_consent
from officeline.privacy.uses import uses_allowed

UNSUBSCRIBE_SALT = "officeline.privacy.unsubscribe"
# How long an unsubscribe link works after the email was queued; after that the
# person unsubscribes on the portal's account page (the page says so).
UNSUBSCRIBE_LINK_DAYS = 90
# PRIV-4: the replies to a marketing text that withdraw SMS consent, compared without
# case, spaces or accents' composition ("stop all", "Arrêt", "UNSUBSCRIBE").
STOP_KEYWORDS = frozenset({"STOP", "STOPALL", "ARRET", "ARRÊT", "UNSUBSCRIBE"})
SMS_BODY_MAX = 1600


class MarketingRefused(ValidationError):
    """A marketing message for a person who has not consented on that channel (PRIV-4)."""


class UnsubscribeLinkInvalid(ValidationError):
    """An unsubscribe link that is forged, damaged or expired; ``code`` says which."""


def _customer_of(person: Any) -> Any:
    return person.customer if getattr(person, "customer_id", None) else None


def address_for(person: Any, channel: str) -> str:
    """Where marketing on ``channel`` reaches the person: their email, or their business's number."""
    if channel == MarketingChannel.EMAIL:
        return str(person.email)
    customer = _customer_of(person)
    return str(customer.phone) if customer is not None else ""


def _check_choice(field: str, value: str, choices: Any) -> None:
    if value not in choices.values:
        raise ValidationError({field: [_("Choose one of: %s.") % ", ".join(choices.values)]})


def record_marketing_consent(
    *,
    person: User,
    channel: str,
    given: bool,
    method: str,
    actor: Any,
    address: str = "",
    always: bool = False,
) -> MarketingConsent | None:
    """PRIV-4: add a step to a person's marketing consent on one channel.

    Nothing is written when the consent in force already says the same (unless
    ``always``: sign-up records the answer to the question either way). A
    consent to texts needs a number to send them to.
    """
    _check_choice("channel", channel, MarketingChannel)
    _check_choice("method", method, ConsentMethod)
    address = address or address_for(person, channel)
    if given and not address:
        raise ValidationError({channel: [_("There is no phone number to send texts to.")]})
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=person.pk).first()
        current = current_consent(person, channel)
        in_force = current is not None and current.given
        if in_force == given and not always:
            return None
        now = clock.now()
        consent = MarketingConsent.objects.create(
            person=person,
            channel=channel,
            given=given,
            address=address,
            method=method,
            at=now,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        record_event(
            action="privacy.marketing_consent_" + ("given" if given else "withdrawn"),
            actor=actor if actor is not None else person,
            customer=_customer_of(person),
            subject=consent,
            data={"person": person.pk, "channel": channel, "method": method},
            at=now,
            customer_visible=True,
        )
    return consent


def record_signup_consents(*, person: User, email: bool, sms: bool) -> list[MarketingConsent]:
    """PRIV-4: the answers to the two unticked sign-up boxes, recorded whichever they are."""
    rows = []
    with transaction.atomic():
        for channel, given in ((MarketingChannel.EMAIL, email), (MarketingChannel.SMS, sms)):
            row = record_marketing_consent(
                person=person,
                channel=channel,
                given=bool(given),
                method=ConsentMethod.SIGNUP_FORM,
                actor=person,
                always=True,
            )
            if row is not None:
                rows.append(row)
    return rows


def set_marketing_preferences(
    *, person: User, actor: Any, preferences: Mapping[str, bool]
) -> list[MarketingConsent]:
    """PRIV-4: the person changes their consents (portal), or staff record what they asked.

    Only the person themselves, or operator staff, may change a person's consent.
    """
    is_staff = bool(getattr(actor, "staff_role", "")) and getattr(actor, "is_active", False)
    if not is_staff and getattr(actor, "pk", None) != person.pk:
        raise PermissionDenied("only the person, or staff, can change their marketing consent")
    unknown = sorted(set(preferences) - set(MarketingChannel.values))
    if unknown:
        raise ValidationError({name: [_("This is not a marketing channel.")] for name in unknown})
    method = ConsentMethod.STAFF if is_staff else ConsentMethod.PORTAL
    rows = []
    with transaction.atomic():
        for channel, given in preferences.items():
            row = record_marketing_consent(
                person=person, channel=channel, given=bool(given), method=method, actor=actor
            )
            if row is not None:
                rows.append(row)
    return rows


# -- Unsubscribe links (RFC 2369, RFC 8058) -------------------------------------------------


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
            {"token": [_("This unsubscribe link is not valid. Check that it was copied whole.")]},
            code="invalid",
        )
    issued = dt.datetime.fromtimestamp(payload["t"], tz=dt.UTC)
    if now > issued + dt.timedelta(days=UNSUBSCRIBE_LINK_DAYS):
        raise UnsubscribeLinkInvalid(
            {
                "token": [
                    _(
                        "This unsubscribe link has expired. Log in and change your marketing "
                        "choices on your account page, or contact support."
                    )
                ]
            },
            code="expired",
        )
    person = User.objects.filter(pk=payload["p"]).first()
    if person is None:
        raise UnsubscribeLinkInvalid(
            {"token": [_("This unsubscribe link is for an account that no longer exists.")]},
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
            {"subject": [_("The subject must be the word unsubscribe and the link's code.")]},
            code="invalid",
        )
    return unsubscribe_with_token(token=words[1], method=ConsentMethod.UNSUBSCRIBE_EMAIL)


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
            {"person": [_("This person has not consented to marketing emails.")]},
            code="no_consent",
        )
    if not uses_allowed(person.customer, DataUse.MARKETING):
        raise MarketingRefused(
            {
                "person": [
                    _("This business opted out of marketing when the privacy policy changed.")
                ]
            },
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
            customer=_customer_of(person),
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


# -- Replies to marketing texts ---------------------------------------------------------------


def normalise_sms_number(value: object) -> str:
    """An inbound text's number in E.164; a ValidationError naming ``from_number`` otherwise."""
    text = str(value or "").strip()
    try:
        parsed = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            {
                "from_number": [
                    _("Not a valid international phone number: give it as +447946000000.")
                ]
            },
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


# -- Cookies (PRIV-5) -------------------------------------------------------------------------


def record_cookie_choice(*, choice: str, anonymous_id: str, user: Any = None) -> CookieChoice:
    """PRIV-5: a visitor's cookie choice, kept with the policy version it answers."""
    if choice not in CookieChoiceValue.values:
        raise ValidationError(
            {"choice": [_("Choose “Accept performance cookies” or “Only necessary”.")]},
            code="invalid_choice",
        )
    now = clock.now()
    with transaction.atomic():
        row = CookieChoice.objects.create(
            anonymous_id=anonymous_id,
            user=user if getattr(user, "pk", None) else None,
            choice=choice,
            at=now,
            policy_version=cookies.POLICY_VERSION,
        )
        record_event(
            action="privacy.cookie_choice",
            actor=user if getattr(user, "pk", None) else "visitor",
            customer=_customer_of(user) if user is not None else None,
            subject=row,
            data={"choice": choice, "policy_version": cookies.POLICY_VERSION},
            at=now,
            customer_visible=user is not None,
        )
    return row


DISCLOSURE_LENGTHS = {"authority": 200, "requester_name": 200, "legal_basis": 500, "reference": 200}


def record_disclosure(
    *,
    actor: Any,
    authority: str,
    requester_name: str,
    given: str,
    legal_basis: str,
    reference: str,
    disclosed_on: dt.date,
    customer: Customer | None = None,
) -> Disclosure:
    """PRIV-9: record personal data given to an authority; the DPO's role only.

    Every field but the customer is required; the date cannot be after today.
    The event goes on the customer's staff timeline, never on the portal's.
    """
    require_capability(actor, "disclosures.manage")
    now = clock.now()
    values = {
        "authority": authority.strip(),
        "requester_name": requester_name.strip(),
        "given": given.strip(),
        "legal_basis": legal_basis.strip(),
        "reference": reference.strip(),
    }
    errors: dict[str, list[str]] = {
        name: [_("This field is required.")] for name, value in values.items() if not value
    }
    latest_today = max(local_date(code, now) for code in MarketCode.values)
    if disclosed_on > latest_today:
        errors["disclosed_on"] = [_("The date of the disclosure cannot be in the future.")]
    for name, limit in DISCLOSURE_LENGTHS.items():
        if len(values[name]) > limit:
            errors[name] = [_("At most %(n)d characters.") % {"n": limit}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        disclosure = Disclosure.objects.create(
            **values,
            disclosed_on=disclosed_on,
            customer=customer,
            recorded_by=actor,
            recorded_at=now,
        )
        record_event(
            action="privacy.disclosure_recorded",
            actor=actor,
            customer=customer,
            subject=disclosure,
            data={
                "authority": disclosure.authority,
                "legal_basis": disclosure.legal_basis,
                "reference": disclosure.reference,
                "disclosed_on": disclosed_on.isoformat(),
            },
            at=now,
            customer_visible=False,  # PRIV-9: the staff timeline only
        )
        if customer is not None:
            # PRIV-8: what was disclosed about a customer is kept until the DPO releases it.
            _place_hold(
                actor=actor,
                customer=customer,
                reason=_("Disclosure to %(authority)s, their reference %(reference)s")
                % {"authority": disclosure.authority, "reference": disclosure.reference},
                disclosure=disclosure,
                now=now,
            )
    return disclosure


# -- Legal holds (PRIV-8) ---------------------------------------------------------------------


def _place_hold(
    *, actor: Any, customer: Customer, reason: str, now: dt.datetime, disclosure: Any = None
) -> LegalHold:
    hold = LegalHold.objects.create(
        customer=customer, reason=reason, disclosure=disclosure, placed_at=now, placed_by=actor
    )
    record_event(
        action="privacy.legal_hold_placed",
        actor=actor,
        customer=customer,
        subject=hold,
        data={"reason": reason},
        at=now,
        customer_visible=False,
    )
    return hold


def place_legal_hold(*, actor: Any, customer: Customer, reason: str) -> LegalHold:
    """PRIV-8: the DPO stops retention from deleting a customer's data, saying why."""
    require_capability(actor, "legal_holds.manage")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why this customer's data must be kept.")]})
    with transaction.atomic():
        return _place_hold(actor=actor, customer=customer, reason=reason, now=clock.now())


def release_legal_hold(*, actor: Any, hold: LegalHold, reason: str) -> LegalHold:
    """PRIV-8: the DPO ends a hold; the customer's data past its retention goes at the next run."""
    require_capability(actor, "legal_holds.manage")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"release_reason": [_("Say why the hold can end.")]})
    now = clock.now()
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if hold.released_at is not None:
            raise ValidationError(_("This hold was already released."), code="released")
        hold.released_at, hold.released_by, hold.release_reason = now, actor, reason
        hold.save(update_fields=["released_at", "released_by", "release_reason"])
        record_event(
            action="privacy.legal_hold_released",
            actor=actor,
            customer=hold.customer,
            subject=hold,
            data={"reason": reason},
            at=now,
            customer_visible=False,
        )
    return hold


# -- Opting out of a materially changed use of data (PRIV-12) -------------------------------------


def announced_policy_change(version_id: int, market: str) -> Any:
    """PRIV-12: a privacy policy version of ``market`` announced as a material change, or None."""
    from officeline.documents.choices import DocumentKind
    from officeline.documents.models import DocumentVersion

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


def opt_out_of_policy_change(*, person: User, version: Any) -> PolicyOptOut:
    """PRIV-12: the customer opts out of the new use of data of a changed privacy policy.

    Only the Office Manager acts for the business; a second opt-out changes nothing.
    """
    customer = person.customer
    if customer is None or person.customer_role != CustomerRole.OFFICE_MANAGER:
        raise PermissionDenied("only the Office Manager can opt the business out")
    if announced_policy_change(version.pk, customer.market) is None:
        raise ValidationError(
            _("This is not a change of the privacy policy that customers can opt out of."),
            code="not_a_change",
        )
    now = clock.now()
    with transaction.atomic():
        opt_out, created = PolicyOptOut.objects.get_or_create(
            customer=customer, version=version, defaults={"person": person, "at": now}
        )
        if created:
            record_event(
                action="privacy.policy_change_opted_out",
                actor=person,
                customer=customer,
                subject=opt_out,
                data={"version": version.version},
                at=now,
                customer_visible=True,
            )
    return opt_out

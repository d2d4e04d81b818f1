"""Writes of the accounts app: named actions, one transaction and one event each."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts import validators
from officeline.accounts.choices import FORMER_STAFF_KEPT_MONTHS, CustomerRole, PreferredFormat
from officeline.accounts.email_addresses import (
    add_unverified_login,
    address_taken,
    request_account_email_change,
    tell_owner_of_taken_address,
)
from officeline.accounts.models import (
    ApiToken,
    Building,
    Customer,
    Notice,
    NoticeDirection,
    TermsAcceptance,
    User,
)
from officeline.accounts.permissions import (
    has_capability,
    require_capability,
    require_customer_access,
)
from officeline.billing.models import PaymentMethod
from officeline.billing.payments import CardDetails
from officeline.documents.models import DocumentVersion
from officeline.events.services import record_event
from officeline.markets.choices import MarketCode
from officeline.markets.deadlines import add_months, local_date
from officeline.notifications.services import queue_email
from officeline.privacy.services.consents import record_signup_consents

# What the Office Manager may change about their business, and how each value is checked.
EDITABLE_DETAILS = (
    "legal_name",
    "company_number",
    "vat_number",
    "contact_name",
    "email",
    "phone",
    "address_line1",
    "address_line2",
    "city",
    "postcode",
    "workers_count",
    "language",
    "preferred_format",
    "preferred_format_details",
    "accessibility_needs",
)


# ACC-3: what sign-up cannot go without (the card and the terms are checked apart).
SIGN_UP_REQUIRED = (
    "legal_name",
    "company_number",
    "contact_name",
    "email",
    "phone",
    "address_line1",
    "city",
    "postcode",
    "workers_count",
)


def clean_customer_details(market: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Check and normalise customer details; one ValidationError naming every bad field."""
    unknown = sorted(set(changes) - set(EDITABLE_DETAILS))
    errors: dict[str, list[str]] = {
        name: ["This field cannot be changed here."] for name in unknown
    }
    cleaned: dict[str, Any] = {}
    checks: dict[str, Callable[[Any], Any]] = {
        "company_number": lambda v: validators.company_number(v, market),
        "vat_number": lambda v: validators.vat_number(v, market),
        "phone": lambda v: validators.phone_number(v, market),
        "postcode": lambda v: validators.postcode(v, market),
        "workers_count": validators.workers_count,
    }
    for name, value in changes.items():
        if name in unknown:
            continue
        try:
            if name in checks:
                cleaned[name] = checks[name](value)
            elif name == "preferred_format" and value not in PreferredFormat.values:
                raise ValidationError(
                    "Choose one of: " + ", ".join(PreferredFormat.values), code="invalid_choice"
                )
            elif name == "language" and value not in ("en", "fr"):
                raise ValidationError("Choose en or fr.", code="invalid_choice")
            elif (
                name in ("legal_name", "contact_name", "email", "address_line1", "city")
                and not str(value or "").strip()
            ):
                raise ValidationError("This field is required.", code="required")
            else:
                cleaned[name] = value.strip() if isinstance(value, str) else value
        except ValidationError as exc:
            errors[name] = exc.messages
    fmt = cleaned.get("preferred_format")
    if fmt == PreferredFormat.OTHER and not (
        cleaned.get("preferred_format_details") or changes.get("preferred_format_details")
    ):
        errors.setdefault("preferred_format_details", []).append(
            "Tell us how you would like us to write to you."
        )
    if errors:
        raise ValidationError(errors)
    return cleaned


def update_customer_details(
    *, customer: Customer, actor: Any, changes: Mapping[str, Any]
) -> Customer:
    """Change a customer's details (the Office Manager, or staff); records before and after.

    INFO-3: accessibility needs and the preferred format for written replies are
    among the details, and every written outcome reads them from here. A new account
    email waits for its confirmation (``email_addresses.request_account_email_change``).
    """
    if getattr(actor, "staff_role", ""):
        require_capability(actor, "customers.edit")
    else:
        require_customer_access(actor, customer, manage=True)
    cleaned = clean_customer_details(customer.market, changes)
    with transaction.atomic():
        locked = Customer.objects.select_for_update().get(pk=customer.pk)
        new_email = cleaned.pop("email", None)
        if new_email is not None and str(new_email).lower() != locked.email.lower():
            # The account email is the Office Manager's login: it changes only once the new
            # address is confirmed from its mailbox (email_addresses.login_email_changed).
            request_account_email_change(customer=locked, actor=actor, new_email=new_email)
        before = {k: getattr(locked, k) for k in cleaned if getattr(locked, k) != cleaned[k]}
        if not before:
            return locked
        for name in before:
            setattr(locked, name, cleaned[name])
        locked.full_clean(exclude=["building"])
        locked.save(update_fields=list(before))
        record_event(
            action="accounts.customer_details_changed",
            actor=actor,
            customer=locked,
            subject=locked,
            before=before,
            after={k: cleaned[k] for k in before},
            customer_visible=True,
        )
    return locked


class SignUpRefused(ValidationError):
    """Sign-up cannot go ahead; the message dict names each field."""


@dataclass(frozen=True)
class SignUpRequest:
    """Everything sign-up collects, already through the form's basic checks."""

    market: str
    language: str
    details: Mapping[str, Any]  # the EDITABLE_DETAILS of the business
    building_id: int | None
    password_hash: str
    is_business: bool
    is_adult: bool
    # PRIV-4: the answers to the two unticked marketing boxes, per channel ("email", "sms").
    marketing: Mapping[str, bool] = field(default_factory=dict)


def sign_up(
    *,
    request: SignUpRequest,
    card: CardDetails,
    provider: str,
    terms: DocumentVersion,
    terms_wording: str,
    ip_address: str,
    user_agent: str,
) -> User | None:
    """Create the customer, its Office Manager, the card and the signed terms, all or nothing.

    ACC-1: businesses only, and the person signing up attests being 18 or over.
    ACC-2: accepting the terms is recorded as an electronic signature.
    ACC-3: the mandatory data are all there; the card is held as a token only.
    The Office Manager's email is their login once confirmed (a link is emailed to it).
    When the email is already someone's login nothing is created and None is returned;
    its owner is told by email, and the caller answers as for a new account.
    """
    errors: dict[str, list[str]] = {}
    if not request.is_business:
        errors["is_business"] = [_("Officeline is for businesses only.")]
    if not request.is_adult:
        errors["is_adult"] = [_("You must be 18 or over to sign up.")]
    missing = [
        name for name in SIGN_UP_REQUIRED if not str(request.details.get(name) or "").strip()
    ]
    for name in missing:
        errors[name] = [_("This field is required.")]
    if (
        terms.document.kind != "terms"
        or terms.document.market != request.market
        or terms.published_at is None
    ):
        errors["terms"] = [_("These are not the published terms of this market.")]
    if errors:
        raise SignUpRefused(errors)
    try:
        cleaned = clean_customer_details(request.market, request.details)
    except ValidationError as exc:
        raise SignUpRefused(exc.message_dict) from None
    email = str(cleaned["email"]).lower()
    now = clock.now()
    with transaction.atomic():
        if address_taken(email):
            # The same answer as for a new account, so that sign-up does not tell who has
            # one: the address's owner is told by email, and nothing is created.
            tell_owner_of_taken_address(email=email, language=request.language, signing_up=True)
            return None
        building = None
        if request.building_id is not None:
            building = Building.objects.filter(
                pk=request.building_id, market=request.market
            ).first()
            if building is None:
                raise SignUpRefused(
                    {"building": [_("Choose one of our buildings in this market.")]}
                )
        customer = Customer.objects.create(
            market=request.market,
            building=building,
            created_at=now,
            **{"language": request.language, **cleaned, "email": email},
        )
        user = User(
            email=email,
            full_name=str(cleaned.get("contact_name", "")),
            customer=customer,
            customer_role=CustomerRole.OFFICE_MANAGER,
            language=request.language,
            password=request.password_hash,
        )
        user.save()
        # The address is the login once confirmed from its mailbox; the link goes there now.
        add_unverified_login(
            person=user, email=email, language=request.language, primary=True, customer=customer
        )
        # PRIV-4: marketing consent is asked at registration, per channel, never pre-ticked.
        record_signup_consents(
            person=user,
            email=bool(request.marketing.get("email")),
            sms=bool(request.marketing.get("sms")),
        )
        PaymentMethod.objects.create(
            customer=customer,
            provider=provider,
            token=card.token,
            brand=card.brand,
            last4=card.last4,
            exp_month=card.exp_month,
            exp_year=card.exp_year,
            is_default=True,
            created_at=now,
        )
        acceptance = TermsAcceptance.objects.create(
            customer=customer,
            user=user,
            document_version=terms,
            document_sha256=terms.sha256,
            accepted_at=now,
            ip_address=ip_address,
            user_agent=user_agent[:500],
            wording=terms_wording,
        )
        record_event(
            action="accounts.signed_up",
            actor=user,
            customer=customer,
            subject=customer,
            after={
                "legal_name": customer.legal_name,
                "terms_version": terms.version,
                "terms_sha256": terms.sha256,
                "accepted_at": acceptance.accepted_at.isoformat(),
                "card": f"{card.brand} {card.last4}",
            },
            customer_visible=True,
        )
    return user


def give_notice_to_operator(*, customer: Customer, actor: Any, subject: str, body: str) -> Notice:
    """ACC-5: the customer's notice to the operator, with a receipt to the account email."""
    require_customer_access(actor, customer, manage=True)
    return _record_notice(
        customer=customer,
        actor=actor,
        subject=subject,
        body=body,
        direction=NoticeDirection.TO_OPERATOR,
        template="accounts/email/notice_receipt",
    )


def send_notice_to_customer(*, customer: Customer, actor: Any, subject: str, body: str) -> Notice:
    """ACC-5: the operator's notices go by email to the account email."""
    return _record_notice(
        customer=customer,
        actor=actor,
        subject=subject,
        body=body,
        direction=NoticeDirection.TO_CUSTOMER,
        template="accounts/email/notice",
    )


def _record_notice(
    *, customer: Customer, actor: Any, subject: str, body: str, direction: str, template: str
) -> Notice:
    errors = {}
    if not subject.strip():
        errors["subject"] = [_("Give the notice a subject.")]
    if not body.strip():
        errors["body"] = [_("Write the notice.")]
    if len(subject) > 200:
        errors["subject"] = [_("Keep the subject under 200 characters.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        notice = Notice.objects.create(
            customer=customer,
            direction=direction,
            subject=subject.strip(),
            body=body.strip(),
            sent_by=actor if getattr(actor, "pk", None) else None,
            sent_at=clock.now(),
            reference="N-" + secrets.token_hex(4).upper(),
        )
        record_event(
            action=f"accounts.notice_{direction}",
            actor=actor,
            customer=customer,
            subject=notice,
            data={"reference": notice.reference, "subject": notice.subject},
            customer_visible=True,
        )
        queue_email(
            to=customer.email,
            template=template,
            context={"notice": notice, "customer": customer},
            language=customer.language,
            kind=f"accounts.notice_{direction}",
            customer=customer,
        )
    return notice


def operator_today(now: dt.datetime) -> dt.date:
    """The operator's date across its markets: the latest of the markets' local dates (a
    staff member works for every market, so a day that has begun in one has begun)."""
    return max(local_date(market, now) for market in MarketCode.values)


def former_staff_kept_until(left_on: dt.date) -> dt.datetime:
    """PRIV-8: when a former staff member's name and email are anonymised: the end of the
    register's ``former_staff`` period (the longest of the markets) after the day they left,
    in UTC."""
    last_day = add_months(left_on, FORMER_STAFF_KEPT_MONTHS)
    return dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)


def departure_moment(left_on: dt.date, now: dt.datetime) -> dt.datetime:
    """When a staff member who left on ``left_on`` left: now, or the end of that day (UTC)
    when it is over."""
    end_of_day = dt.datetime.combine(left_on + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    return min(now, end_of_day)


def _may_record_departures(actor: Any) -> bool:
    if isinstance(actor, str):  # the operator at the command line
        return True
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.is_active
        and (actor.is_superuser or has_capability(actor, "staff.manage"))
    )


def is_operator_staff_member(user: User) -> bool:
    """An operator staff member (not a customer's person)."""
    return user.customer_id is None and bool(user.staff_role or user.is_staff or user.is_superuser)


def check_staff_departure(*, user: User, left_on: dt.date, actor: Any, now: dt.datetime) -> None:
    """Why a departure cannot be recorded (a ValidationError naming the field), or nothing."""
    if not _may_record_departures(actor):
        raise PermissionDenied("only the Director of Customer Service records a departure")
    if not is_operator_staff_member(user):
        raise ValidationError(
            {"user": [_("This person is not one of the operator's staff.")]}, code="not_staff"
        )
    if user.left_at is not None:
        raise ValidationError(
            {"user": [_("This staff member's departure is already recorded.")]},
            code="already_left",
        )
    if getattr(actor, "pk", None) == user.pk:
        raise ValidationError(
            {"user": [_("You cannot record your own departure; another Director must.")]},
            code="self",
        )
    if left_on > operator_today(now):
        raise ValidationError(
            {"left_on": [_("The day they left cannot be in the future.")]}, code="future"
        )


def _end_sessions(user: User, now: dt.datetime) -> int:
    """Delete the user's login sessions (database sessions hold the user's id encoded, so the
    live ones are read; departures are rare)."""
    from django.contrib.sessions.models import Session

    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=now).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    return Session.objects.filter(pk__in=ended).delete()[0]


def record_staff_departure(*, user: User, left_on: dt.date, actor: Any, now: dt.datetime) -> User:
    """PRIV-8: a staff member left on ``left_on``; their login is disabled at once.

    The Director of Customer Service (or a superuser, or the operator at the command line)
    records it. The password becomes unusable, the second-factor devices (TOTP and recovery
    codes), API tokens and sessions are deleted; the name and email stay for the register's
    ``former_staff`` period (``forget_at``), so that events and the staff access log (PRIV-10)
    go on naming who did what, then the retention run anonymises them.
    """
    from allauth.mfa.models import Authenticator

    check_staff_departure(user=user, left_on=left_on, actor=actor, now=now)
    left_at = departure_moment(left_on, now)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        check_staff_departure(user=locked, left_on=left_on, actor=actor, now=now)
        removed = {
            "second_factors": Authenticator.objects.filter(user=locked).delete()[0],
            "api_tokens": ApiToken.objects.filter(user=locked).delete()[0],
            "sessions": _end_sessions(locked, now),
        }
        locked.is_active = False
        locked.set_unusable_password()
        locked.left_at = left_at
        locked.forget_at = former_staff_kept_until(left_on)
        locked.save(update_fields=["is_active", "password", "left_at", "forget_at"])
        record_event(
            action="accounts.staff_left",
            actor=actor,
            subject=locked,
            data={
                "left_on": left_on.isoformat(),
                "staff_role": locked.staff_role,
                "kept_until": locked.forget_at.isoformat(),
                **removed,
            },
            at=now,
        )
    return locked

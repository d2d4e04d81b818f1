"""Privacy requests: access (PRIV-6), rectification and erasure (PRIV-7).

A person asks about their own personal data in the portal; staff record a
request made by phone, letter or ticket. Each request is a ``PrivacyRequest``
with its deadline stored at receipt, and every step below is one transaction
with one event (on the customer's staff timeline only: a member's request is
not the business's to read):

- ``receive_request``: only about the requester's own data; due one month after
  receipt (``markets.deadlines``);
- ``verify_identity`` / ``ask_for_more_proof``: how, by whom and when the
  identity was verified; more proof only for a stated reasonable doubt;
- ``charge_fee``: no fee unless the market sets one, and only on the grounds
  of ``FeeGround`` with the reason recorded;
- ``extend``: two more months for a complex request, within the first month,
  with the reason emailed to the requester in their language;
- ``complete``: the answer, once the identity is verified; ``erase`` answers an
  erasure request; an access request is answered with the copy of the data
  (``export_requests.send_export``, then ``exports.complete_with_export``).

``lock_request``, ``require_verified``, ``request_event`` and ``finish_request`` are the
steps those other modules share with this one.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.models import Customer, User, market_parameter
from officeline.accounts.permissions import require_capability
from officeline.actors import Actor
from officeline.errors import DomainError
from officeline.events.services import record_event
from officeline.markets import deadlines
from officeline.markets.definitions import get_market
from officeline.notifications.services import queue_email
from officeline.privacy.choices import (
    SELF_SERVICE_CHANNELS,
    FeeGround,
    RequestChannel,
    RequestKind,
    RequestState,
    VerificationMethod,
)
from officeline.privacy.models import PrivacyRequest
from officeline.privacy.services import erasure
from officeline.support.models import Ticket

# Who records a request made by phone, letter or ticket, and who answers requests
# (accounts.permissions).
RECORDING_CAPABILITY = "privacy.record_request"
ANSWERING_CAPABILITY = "privacy.requests"

# PRIV-6: answered within one month of receipt; two more months for a complex request.
ANSWER_MONTHS = 1
EXTENDED_ANSWER_MONTHS = 3
# PRIV-6 (D): the fee, in minor units of the market's currency; none unless the operator sets it.
FEE_PARAMETER = "privacy_request_fee_minor"
DEFAULT_FEE_MINOR = 0
# PRIV-6 (D): a request is "repeated" when the same person made one of the same kind this recently.
REPEATED_WITHIN = dt.timedelta(days=365)
MIN_REASON_LENGTH = 10


class RequestRefused(DomainError):
    """A privacy request, or a step of one, that cannot go ahead; the message names the field."""

    default_code = "request_refused"


def _new_reference() -> str:
    return "PR-" + secrets.token_hex(4).upper()


def _text(value: Any) -> str:
    return str(value or "").strip()


def _need_reason(field: str, value: str, message: str) -> None:
    if len(value) < MIN_REASON_LENGTH:
        raise RequestRefused(message, field=field, code="reason_required")


def request_event(
    request: PrivacyRequest, action: str, actor: Actor | str, now: dt.datetime, **data: Any
) -> None:
    record_event(
        action=f"privacy.request_{action}",
        actor=actor,
        customer=request.customer,
        subject=request,
        data={"reference": request.reference, "kind": request.kind, **data},
        at=now,
        customer_visible=False,
    )


def lock_request(request: PrivacyRequest) -> PrivacyRequest:
    return (
        PrivacyRequest.objects.select_for_update(of=("self",))
        .select_related("customer", "person")
        .get(pk=request.pk)
    )


def _email_requester(
    request: PrivacyRequest,
    template: str,
    kind: str,
    *,
    to: str = "",
    name: str = "",
    **context: Any,
) -> None:
    """Email the requester in their language (the business's when they have none).

    ``to`` and ``name`` are the address and name as they were, for the answer
    to an erasure, which is sent once they are gone.
    """
    person = request.person
    if person is None or not (to or person.email):
        return
    language = person.language or request.customer.language
    extra = {key: value(language) if callable(value) else value for key, value in context.items()}
    queue_email(
        to=to or person.email,
        template=f"privacy/email/{template}",
        context={
            "request": request,
            "person": person,
            "name": name or person.full_name or to or person.email,
            **extra,
        },
        language=language,
        kind=kind,
        customer=request.customer,
    )


def receive_request(
    *,
    customer: Customer,
    person: User | None,
    actor: Actor,
    kind: str,
    channel: str,
    details: str = "",
    ticket_reference: str = "",
) -> PrivacyRequest:
    """PRIV-6, PRIV-7: record a request about ``person``'s own data; due one month after receipt.

    PRIV-6: a person asks only about their own data; a request made for someone
    else (a colleague, even by the Office Manager) is refused, since data about
    other people is withheld. Staff record requests made by phone, letter or
    ticket for one of the customer's people. A request made in the portal is
    verified by the person's login; one recorded by staff waits for staff to
    verify the identity.
    """
    is_staff = bool(getattr(actor, "staff_role", ""))
    if is_staff:
        require_capability(actor, RECORDING_CAPABILITY)
    errors: dict[str, list[str]] = {}
    if kind not in RequestKind.values:
        errors["kind"] = [_("Choose one of: %s.") % ", ".join(RequestKind.values)]
    if channel not in RequestChannel.values:
        errors["channel"] = [_("Choose one of: %s.") % ", ".join(RequestChannel.values)]
    elif (channel in SELF_SERVICE_CHANNELS) == is_staff:
        errors["channel"] = [
            _(
                "Staff record requests made by phone, letter or ticket; people use the portal "
                "or the API."
            )
        ]
    if not is_staff and (person is None or getattr(actor, "pk", None) != person.pk):
        # PRIV-6: data about other people is withheld, so nobody asks for someone else's.
        errors["person"] = [
            _(
                "You can only make a request about your own personal data. The person it is "
                "about must make it themselves, from their own login or by contacting us."
            )
        ]
    elif person is None or person.customer_id != customer.pk:
        errors["person"] = [_("This person is not one of this customer's people.")]
    details = _text(details)
    if kind in (RequestKind.RECTIFICATION, RequestKind.ERASURE) and not details:
        errors["details"] = [
            _("Say what should be corrected.")
            if kind == RequestKind.RECTIFICATION
            else _("Say what you want deleted (or “everything”).")
        ]
    if len(details) > 5000:
        errors["details"] = [_("At most 5000 characters.")]
    ticket_reference = _text(ticket_reference).upper()
    if (
        channel == RequestChannel.TICKET
        and not Ticket.objects.filter(customer=customer, reference=ticket_reference).exists()
    ):
        errors["ticket_reference"] = [_("No ticket of this customer has this reference.")]
    if errors:
        raise RequestRefused(errors, code="invalid")
    now = clock.now()
    due_at = deadlines.deadline(customer.market, now, months=ANSWER_MONTHS)
    with transaction.atomic():
        request = PrivacyRequest.objects.create(
            reference=_new_reference(),
            kind=kind,
            customer=customer,
            person=person,
            details=details,
            channel=channel,
            ticket_reference=ticket_reference if channel == RequestChannel.TICKET else "",
            received_at=now,
            recorded_by=actor if is_staff else None,
            due_at=due_at,
            answer_by=due_at,
        )
        request_event(request, "received", actor, now, channel=channel, due_at=due_at.isoformat())
        if channel in SELF_SERVICE_CHANNELS:
            # PRIV-6: the person's own login is proof enough; more is asked only on a doubt.
            _mark_verified(request, person, VerificationMethod.PORTAL_LOGIN, "", now)
        _email_requester(request, "request_received", "privacy.request_received")
    return request


def _mark_verified(
    request: PrivacyRequest, actor: Actor, method: str, notes: str, now: dt.datetime
) -> None:
    request.verified_at = now
    request.verified_by = actor if getattr(actor, "pk", None) else None
    request.verification_method = method
    request.verification_notes = notes
    request.state = RequestState.VERIFIED
    request.save(
        update_fields=[
            "verified_at",
            "verified_by",
            "verification_method",
            "verification_notes",
            "state",
        ]
    )
    request_event(request, "identity_verified", actor, now, method=method)


def verify_identity(
    *, request: PrivacyRequest, actor: Actor, method: str, notes: str = ""
) -> PrivacyRequest:
    """PRIV-6: record how, by whom and when the requester's identity was verified.

    The details on file (a reply from the account's email, a call back on its
    number) are enough; further proof (``DOCUMENT``) is only for a request
    whose reasonable doubt was recorded first with ``ask_for_more_proof``.
    """
    require_capability(actor, ANSWERING_CAPABILITY)
    notes = _text(notes)
    with transaction.atomic():
        request = lock_request(request)
        if request.state not in (RequestState.RECEIVED, RequestState.AWAITING_PROOF):
            raise RequestRefused(
                _("The identity is verified already, or the request is answered."),
                field="state",
                code="wrong_state",
            )
        if method not in VerificationMethod.values or method == VerificationMethod.PORTAL_LOGIN:
            raise RequestRefused(
                _("Choose how the identity was verified: %s.")
                % ", ".join(v for v in VerificationMethod.values if v != "portal_login"),
                field="method",
                code="invalid_choice",
            )
        if method == VerificationMethod.DOCUMENT and request.state != RequestState.AWAITING_PROOF:
            raise RequestRefused(
                _(
                    "Further proof is asked only when there is a reasonable doubt: "
                    "record the doubt first."
                ),
                field="method",
                code="no_doubt_recorded",
            )
        _mark_verified(request, actor, method, notes, clock.now())
    return request


def ask_for_more_proof(*, request: PrivacyRequest, actor: Actor, doubt: str) -> PrivacyRequest:
    """PRIV-6: ask for more proof of identity, only for a reasonable doubt, which is recorded."""
    require_capability(actor, ANSWERING_CAPABILITY)
    doubt = _text(doubt)
    _need_reason(
        "doubt",
        doubt,
        _(
            "More proof is asked only when there is a reasonable doubt about who is asking: "
            "write down the doubt (at least ten characters)."
        ),
    )
    with transaction.atomic():
        request = lock_request(request)
        if request.state != RequestState.RECEIVED:
            raise RequestRefused(
                _("More proof can only be asked before the identity is verified."),
                field="state",
                code="wrong_state",
            )
        now = clock.now()
        request.more_proof_asked_at = now
        request.more_proof_asked_by = actor
        request.doubt = doubt
        request.state = RequestState.AWAITING_PROOF
        request.save(update_fields=["more_proof_asked_at", "more_proof_asked_by", "doubt", "state"])
        request_event(request, "more_proof_asked", actor, now)
    return request


def fee_for(market: str) -> int:
    """PRIV-6 (D): the fee in minor units that a market may charge; none unless the operator sets one."""
    value = market_parameter(market, FEE_PARAMETER, DEFAULT_FEE_MINOR)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def charge_fee(
    *, request: PrivacyRequest, actor: Actor, ground: str, reason: str
) -> PrivacyRequest:
    """PRIV-6 (D): a fee only for a manifestly unfounded, excessive or repeated request.

    The amount is the market's parameter (none by default: then there is no fee
    to charge); the ground and the reason are recorded. "Repeated" needs an
    earlier request of the same kind by the same person within 365 days.
    """
    require_capability(actor, ANSWERING_CAPABILITY)
    reason = _text(reason)
    errors: dict[str, list[str]] = {}
    if ground not in FeeGround.values:
        errors["ground"] = [
            _("A fee applies only to a request that is %s.") % ", ".join(FeeGround.values)
        ]
    if len(reason) < MIN_REASON_LENGTH:
        errors["reason"] = [_("Say why the fee applies (at least ten characters).")]
    amount = fee_for(request.customer.market)
    if not amount:
        errors["fee"] = [_("This market charges no fee for privacy requests.")]
    if errors:
        raise RequestRefused(errors, code="invalid")
    with transaction.atomic():
        request = lock_request(request)
        if not request.is_open or request.fee_minor:
            raise RequestRefused(
                _("This request is answered, or already carries a fee."),
                field="state",
                code="wrong_state",
            )
        if ground == FeeGround.REPEATED:
            earlier = PrivacyRequest.objects.filter(
                person_id=request.person_id,
                kind=request.kind,
                received_at__gte=request.received_at - REPEATED_WITHIN,
                received_at__lt=request.received_at,
            ).exclude(pk=request.pk)
            if request.person_id is None or not earlier.exists():
                raise RequestRefused(
                    _(
                        "Not a repeated request: this person made no request of this "
                        "kind in the 365 days before."
                    ),
                    field="ground",
                    code="not_repeated",
                )
        now = clock.now()
        request.fee_minor = amount
        request.fee_currency = get_market(request.customer.market).currency
        request.fee_ground = ground
        request.fee_reason = reason
        request.fee_set_at = now
        request.fee_set_by = actor
        request.save(
            update_fields=[
                "fee_minor",
                "fee_currency",
                "fee_ground",
                "fee_reason",
                "fee_set_at",
                "fee_set_by",
            ]
        )
        request_event(request, "fee_charged", actor, now, fee_minor=amount, ground=ground)
    return request


def extend(*, request: PrivacyRequest, actor: Actor, reason: str) -> PrivacyRequest:
    """PRIV-6: two more months for a complex request, decided within the first month.

    The new deadline (three months after receipt) is stored, and the reason is
    emailed to the requester in their language before the first month ends.
    """
    require_capability(actor, ANSWERING_CAPABILITY)
    reason = _text(reason)
    _need_reason(
        "reason",
        reason,
        _("Say why the request is complex: the requester is told (at least ten characters)."),
    )
    with transaction.atomic():
        request = lock_request(request)
        now = clock.now()
        if not request.is_open:
            raise RequestRefused(
                _("This request is answered already."), field="state", code="wrong_state"
            )
        if request.extended_at is not None:
            raise RequestRefused(
                _("This request has been extended already."), field="state", code="already_extended"
            )
        if now > request.due_at:
            raise RequestRefused(
                _(
                    "Too late to extend: the extension must be decided, and the requester "
                    "told, within the first month."
                ),
                field="state",
                code="first_month_over",
            )
        request.extended_at = now
        request.extended_by = actor
        request.extension_reason = reason
        request.answer_by = deadlines.deadline(
            request.customer.market, request.received_at, months=EXTENDED_ANSWER_MONTHS
        )
        request.save(update_fields=["extended_at", "extended_by", "extension_reason", "answer_by"])
        request_event(request, "extended", actor, now, answer_by=request.answer_by.isoformat())
        _email_requester(request, "request_extended", "privacy.request_extended")
    return request


def complete(*, request: PrivacyRequest, actor: Actor, outcome: str) -> PrivacyRequest:
    """PRIV-6, PRIV-7: the request is answered; only once the identity is verified."""
    require_capability(actor, ANSWERING_CAPABILITY)
    outcome = _text(outcome)
    _need_reason("outcome", outcome, _("Say how the request was answered."))
    with transaction.atomic():
        request = lock_request(request)
        if request.kind == RequestKind.ERASURE:
            # PRIV-7: what an erasure did and kept is recorded by the erase step, not by hand.
            raise RequestRefused(
                _("Answer an erasure request with the erase step."), field="kind", code="use_erase"
            )
        return finish_request(request, actor, outcome, clock.now())


def require_verified(request: PrivacyRequest) -> None:
    """A request is answered only once the requester's identity is verified, and only once."""
    if request.state != RequestState.VERIFIED:
        raise RequestRefused(
            _("Verify the requester's identity first.")
            if request.is_open
            else _("This request is answered already."),
            field="state",
            code="wrong_state",
        )


def finish_request(
    request: PrivacyRequest, actor: Actor, outcome: str, now: dt.datetime, **email: Any
) -> PrivacyRequest:
    require_verified(request)
    request.state = RequestState.COMPLETED
    request.completed_at = now
    request.completed_by = actor if getattr(actor, "pk", None) else None
    request.outcome = outcome
    request.save(update_fields=["state", "completed_at", "completed_by", "outcome"])
    request_event(request, "completed", actor or "worker", now, late=now > request.answer_by)
    _email_requester(request, "request_completed", "privacy.request_completed", **email)
    return request


def erase(*, request: PrivacyRequest, actor: Actor) -> PrivacyRequest:
    """PRIV-7: answer a verified erasure request by erasing what no law or legal hold keeps.

    What is erased, what is kept and why (``privacy.services.erasure``) is the request's
    answer, emailed to the requester at their address as it was, and an event.
    """
    require_capability(actor, ANSWERING_CAPABILITY)
    with transaction.atomic():
        request = lock_request(request)
        if request.kind != RequestKind.ERASURE:
            raise RequestRefused(
                _("Only an erasure request is answered by erasing data."),
                field="kind",
                code="not_erasure",
            )
        require_verified(request)
        now = clock.now()
        person = request.person
        to, name = (person.email, person.full_name) if person is not None else ("", "")
        outcome, record = erasure.erase(request=request, now=now)
        request_event(request, "erasure_done", actor, now, **record)
        return finish_request(request, actor, outcome, now, to=to, name=name)


OWN_DETAILS = ("full_name", "language")


def correct_own_details(*, person: User, actor: Actor, changes: dict[str, Any]) -> User:
    """PRIV-7: a person corrects their own name and language in the portal.

    Only the person themselves; the business's details are the Office
    Manager's (the account page), and the login email is changed on the email
    page, which confirms the new address. Records the before and after.
    """
    if getattr(actor, "pk", None) != person.pk or not person.is_active:
        raise PermissionDenied("only the person corrects their own details")
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(changes) - set(OWN_DETAILS))
    for name in unknown:
        errors[name] = [_("This field cannot be changed here.")]
    cleaned: dict[str, Any] = {}
    if "full_name" in changes:
        full_name = _text(changes["full_name"])
        if not full_name:
            errors["full_name"] = [_("Give your name.")]
        elif len(full_name) > 200:
            errors["full_name"] = [_("At most 200 characters.")]
        cleaned["full_name"] = full_name
    if "language" in changes:
        if changes["language"] not in ("en", "fr"):
            errors["language"] = [_("Choose en or fr.")]
        cleaned["language"] = changes["language"]
    if errors:
        raise RequestRefused(errors, code="invalid")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=person.pk)
        before = {k: getattr(locked, k) for k in cleaned if getattr(locked, k) != cleaned[k]}
        if not before:
            return locked
        for name in before:
            setattr(locked, name, cleaned[name])
        locked.save(update_fields=list(before))
        record_event(
            action="privacy.own_details_corrected",
            actor=actor,
            customer=locked.customer,
            subject=locked,
            before=before,
            after={k: cleaned[k] for k in before},
            customer_visible=False,
        )
    return locked

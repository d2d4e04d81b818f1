"""Tickets: raised at any hour with an immediate receipt (INFO-4), by the customer in the portal
or by staff for a phone contact (CMP-1); a ticket may be a complaint from the start or later."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.models import Customer
from officeline.events.services import record_event
from officeline.notifications.services import queue_email
from officeline.support.choices import Category, Channel
from officeline.support.models import Complaint, Ticket
from officeline.support.permissions import HANDLERS, is_staff, require_customer_or_staff
from officeline.support.services.complaints import ActionRefused, open_complaint

if TYPE_CHECKING:
    from officeline.actors import Actor


def raise_ticket(
    *,
    customer: Customer,
    actor: Actor,
    subject: str,
    description: str,
    category: str,
    channel: str,
    is_complaint: bool = False,
    representative_name: str = "",
    representative_authority: str = "",
    representative_contact: str = "",
) -> Ticket:
    """INFO-4: a ticket can be raised at any hour and gets an immediate receipt.

    Staff record phone contacts as tickets (CMP-1), including complaints made by
    an authorised representative for a customer with a disability.
    """
    require_customer_or_staff(actor, customer, HANDLERS)
    errors = _ticket_errors(
        actor=actor,
        subject=subject,
        description=description,
        category=category,
        channel=channel,
        representative_name=representative_name,
        representative_authority=representative_authority,
        representative_contact=representative_contact,
    )
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    with transaction.atomic():
        ticket = Ticket.objects.create(
            customer=customer,
            reference=_new_reference(),
            subject=subject.strip(),
            description=description.strip(),
            category=category,
            channel=channel,
            raised_at=now,
            raised_by=actor if getattr(actor, "pk", None) else None,
            representative_name=representative_name.strip(),
            representative_authority=representative_authority.strip(),
            representative_contact=representative_contact.strip(),
        )
        record_event(
            action="support.ticket_raised",
            actor=actor,
            customer=customer,
            subject=ticket,
            data={"reference": ticket.reference, "channel": channel, "subject": ticket.subject},
            customer_visible=True,
        )
        complaint = open_complaint(ticket=ticket, actor=actor, now=now) if is_complaint else None
        queue_email(
            to=customer.email,
            template="support/email/receipt",
            context={
                "ticket": ticket,
                "complaint": complaint,
                "customer": customer,
                "complaints_code_url": f"{settings.BASE_URL}/documents/{customer.market}/complaints_code/",
            },
            language=customer.language,
            kind="support.ticket_receipt",
            customer=customer,
        )
    return ticket


def _ticket_errors(
    *,
    actor: Actor,
    subject: str,
    description: str,
    category: str,
    channel: str,
    representative_name: str,
    representative_authority: str,
    representative_contact: str,
) -> dict[str, list[str]]:
    """What is wrong with a new ticket, per field (all of it at once, for the form)."""
    errors: dict[str, list[str]] = {}
    if not subject.strip():
        errors["subject"] = [_("Give a short subject.")]
    elif len(subject) > 200:
        errors["subject"] = [_("Keep the subject under 200 characters.")]
    if not description.strip():
        errors["description"] = [_("Tell us what happened.")]
    if category not in Category.values:
        errors["category"] = [_("Choose one of: %s") % ", ".join(Category.values)]
    if channel not in Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    if channel == Channel.PHONE and not is_staff(actor):
        errors["channel"] = [_("Only staff record phone contacts.")]
    if representative_name and not representative_authority.strip():
        errors["representative_authority"] = [_("Say what authorises the representative to act.")]
    if representative_name and not representative_contact.strip():
        errors["representative_contact"] = [_("Say how to reach the representative.")]
    return errors


def _new_reference() -> str:
    return "T-" + secrets.token_hex(4).upper()


def mark_as_complaint(*, ticket: Ticket, actor: Actor) -> Complaint:
    """A ticket can become a complaint later; its clock starts at first receipt."""
    require_customer_or_staff(actor, ticket.customer, HANDLERS)
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if Complaint.objects.filter(ticket=locked).exists():
            raise ActionRefused(
                _("This ticket is already a complaint."),
                code="ticket_already_complaint",
                field="ticket",
            )
        return open_complaint(ticket=locked, actor=actor, now=clock.now())

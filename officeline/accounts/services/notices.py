"""ACC-5: written notices between the customer and the operator, each with an email."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.models import Customer, Notice, NoticeDirection
from officeline.accounts.permissions import require_customer_access
from officeline.actors import Actor
from officeline.errors import DomainError
from officeline.events.services import record_event
from officeline.notifications.services import queue_email


def give_notice_to_operator(*, customer: Customer, actor: Actor, subject: str, body: str) -> Notice:
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


def send_notice_to_customer(
    *, customer: Customer, actor: Actor | str, subject: str, body: str
) -> Notice:
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
    *,
    customer: Customer,
    actor: Actor | str,
    subject: str,
    body: str,
    direction: str,
    template: str,
) -> Notice:
    errors: dict[str, list[str]] = {}
    if not subject.strip():
        errors["subject"] = [_("Give the notice a subject.")]
    if not body.strip():
        errors["body"] = [_("Write the notice.")]
    if len(subject) > 200:
        errors["subject"] = [_("Keep the subject under 200 characters.")]
    if errors:
        raise DomainError(errors, code="notice_incomplete")
    with transaction.atomic():
        notice = Notice.objects.create(
            customer=customer,
            direction=direction,
            subject=subject.strip(),
            body=body.strip(),
            sent_by=None if isinstance(actor, str) or not getattr(actor, "pk", None) else actor,
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

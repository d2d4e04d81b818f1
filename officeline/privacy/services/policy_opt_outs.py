"""Opting out of a materially changed use of data (PRIV-12)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.choices import CustomerRole
from officeline.accounts.models import User
from officeline.documents.models import DocumentVersion
from officeline.errors import DomainError
from officeline.events.services import record_event
from officeline.privacy.models import PolicyOptOut
from officeline.privacy.selectors import announced_policy_change


def opt_out_of_policy_change(*, person: User, version: DocumentVersion) -> PolicyOptOut:
    """PRIV-12: the customer opts out of the new use of data of a changed privacy policy.

    Only the Office Manager acts for the business; a second opt-out changes nothing.
    """
    customer = person.customer
    if customer is None or person.customer_role != CustomerRole.OFFICE_MANAGER:
        raise PermissionDenied("only the Office Manager can opt the business out")
    if announced_policy_change(version.pk, customer.market) is None:
        raise DomainError(
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

"""PRIV-10, PRIV-11: the staff access log: each look of a staff member at one customer's data."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.choices import REASON_REQUIRED, AccessKind
from officeline.accounts.models import AccessLogEntry, Customer, User
from officeline.accounts.permissions import require_staff_role
from officeline.errors import DomainError
from officeline.events.services import subject_key


def record_access(
    *,
    staff_user: User | AnonymousUser,
    customer: Customer,
    kind: str,
    subject: models.Model | None = None,
    url_name: str = "",
    reason: str = "",
    at: dt.datetime | None = None,
) -> AccessLogEntry:
    """PRIV-10: log that ``staff_user`` is looking at ``customer``'s data of ``kind``
    (refused unless they are active staff: a view passes its ``request.user``).

    Called before the data is shown. PRIV-11: communications (voicemail, fax)
    need a stated ``reason``; without one nothing is shown and nothing is
    written. The log is itself the record of this action: it writes no event,
    so that page views do not fill the customer's timeline.
    """
    require_staff_role(staff_user)
    assert isinstance(staff_user, User)  # require_staff_role refused anyone else
    if kind not in AccessKind.values:
        raise DomainError(_("Unknown kind of data: %s") % kind, code="unknown_kind", field="kind")
    reason = reason.strip()
    if kind in REASON_REQUIRED and not reason:
        raise DomainError(
            _("Say why you need to see this customer's communications."),
            code="reason_required",
            field="reason",
        )
    subject_type, subject_id = subject_key(subject) if subject is not None else ("", "")
    with transaction.atomic():
        return AccessLogEntry.objects.create(
            at=at or clock.now(),
            staff_user=staff_user,
            staff_label=staff_user.email,
            customer=customer,
            kind=kind,
            subject_type=subject_type,
            subject_id=subject_id,
            url_name=url_name[:200],
            reason=reason,
        )

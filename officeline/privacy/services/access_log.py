"""The staff access log (PRIV-10, PRIV-11): ``record_access``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.models import Customer
from officeline.accounts.permissions import require_staff_role
from officeline.events.services import subject_key
from officeline.privacy.choices import (
    REASON_REQUIRED,
    AccessKind,
)
from officeline.privacy.models import AccessLogEntry


def record_access(
    *,
    staff_user: Any,
    customer: Customer,
    kind: str,
    subject: models.Model | None = None,
    url_name: str = "",
    reason: str = "",
    at: dt.datetime | None = None,
) -> AccessLogEntry:
    """PRIV-10: log that ``staff_user`` is looking at ``customer``'s data of ``kind``.

    Called before the data is shown. PRIV-11: communications (voicemail, fax)
    need a stated ``reason``; without one nothing is shown and nothing is
    written. The log is itself the record of this action: it writes no event,
    so that page views do not fill the customer's timeline.
    """
    require_staff_role(staff_user)
    if kind not in AccessKind.values:
        raise ValidationError({"kind": [_("Unknown kind of data: %s") % kind]})
    reason = reason.strip()
    if kind in REASON_REQUIRED and not reason:
        raise ValidationError(
            {"reason": [_("Say why you need to see this customer's communications.")]}
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

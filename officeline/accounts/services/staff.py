"""PRIV-8: a staff member's departure: their login disabled at once, their name kept a while."""

from __future__ import annotations

import datetime as dt

from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from officeline.accounts.choices import FORMER_STAFF_KEPT_MONTHS
from officeline.accounts.models import ApiToken, User
from officeline.accounts.permissions import has_capability
from officeline.actors import Actor
from officeline.errors import DomainError
from officeline.events.services import record_event
from officeline.markets.choices import MarketCode
from officeline.markets.deadlines import add_months, local_date


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


def _may_record_departures(actor: Actor | str) -> bool:
    if isinstance(actor, str):  # the operator at the command line
        return True
    return bool(
        actor is not None
        and actor.is_authenticated
        and actor.is_active
        and (actor.is_superuser or has_capability(actor, "staff.manage"))
    )


def is_operator_staff_member(user: User) -> bool:
    """An operator staff member (not a customer's person)."""
    return user.customer_id is None and bool(user.staff_role or user.is_staff or user.is_superuser)


def check_staff_departure(
    *, user: User, left_on: dt.date, actor: Actor | str, now: dt.datetime
) -> None:
    """Why a departure cannot be recorded (a DomainError naming the field), or nothing."""
    if not _may_record_departures(actor):
        raise PermissionDenied("only the Director of Customer Service records a departure")
    if not is_operator_staff_member(user):
        raise DomainError(
            _("This person is not one of the operator's staff."), code="not_staff", field="user"
        )
    if user.left_at is not None:
        raise DomainError(
            _("This staff member's departure is already recorded."),
            code="already_left",
            field="user",
        )
    if getattr(actor, "pk", None) == user.pk:
        raise DomainError(
            _("You cannot record your own departure; another Director must."),
            code="own_departure",
            field="user",
        )
    if left_on > operator_today(now):
        raise DomainError(
            _("The day they left cannot be in the future."), code="left_in_future", field="left_on"
        )


def _end_sessions(user: User, now: dt.datetime) -> int:
    """Delete the user's login sessions (database sessions hold the user's id encoded, so the
    live ones are read; departures are rare)."""
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=now).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    return Session.objects.filter(pk__in=ended).delete()[0]


def record_staff_departure(
    *, user: User, left_on: dt.date, actor: Actor | str, now: dt.datetime
) -> User:
    """PRIV-8: a staff member left on ``left_on``; their login is disabled at once.

    The Director of Customer Service (or a superuser, or the operator at the command line)
    records it. The password becomes unusable, the second-factor devices (TOTP and recovery
    codes), API tokens and sessions are deleted; the name and email stay for the register's
    ``former_staff`` period (``forget_at``), so that events and the staff access log (PRIV-10)
    go on naming who did what, then the retention run anonymises them.
    """
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

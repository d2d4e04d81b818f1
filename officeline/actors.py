"""Who did something: the ``actor`` every service takes.

An actor is a person logged in (an operator's staff member, an Office Manager or a
member of a customer) or ``None`` when the service itself acts: a scheduled run, a
carrier's callback, a command run by the operator. Services take it keyword-only and
write it on the events they record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from officeline.accounts.models import User

# Only a type: the platform modules below accounts name it without importing accounts.
Actor: TypeAlias = "User | None"

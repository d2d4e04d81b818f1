"""What the apps above billing do when a customer's contract ends.

Billing never imports them; each registers in its ``AppConfig.ready()``::

    hooks.on_contract_ended(record_contract_end)   # privacy (PRIV-8)

The whole service of a customer ended when its termination took effect (``completed_at``
is the end of the contract), whichever way it ended: the customer's cancellation or the
operator's termination on any ground. The hooks run inside the transaction that ends it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from officeline.billing.models import Termination


class ContractEnded(Protocol):
    def __call__(self, *, termination: Termination, at: dt.datetime) -> object: ...


_contract_ended: list[ContractEnded] = []


def on_contract_ended(listener: ContractEnded) -> ContractEnded:
    """Register what runs when a customer's contract ends (at start-up)."""
    if listener not in _contract_ended:
        _contract_ended.append(listener)
    return listener


def contract_ended(*, termination: Termination, at: dt.datetime) -> None:
    """Billing: the contract of ``termination``'s customer ended at ``at``."""
    for listener in _contract_ended:
        listener(termination=termination, at=at)

"""Signals billing sends, for apps that come after it (privacy) to act on."""

from django.dispatch import Signal

# The whole service of a customer ended: its termination took effect (``completed_at`` is the
# end of the contract). Sent inside the transaction that ends it, with ``termination`` and
# ``at``; whichever way the service ended (the customer's cancellation or the operator's
# termination on any ground), it ends here.
contract_ended = Signal()

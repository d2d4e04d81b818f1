"""What billing registers at start-up (``BillingConfig.ready()``), one function per topic."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from officeline import clock, navigation
from officeline.billing import acceptable_use
from officeline.billing.porting import PortingCompensations
from officeline.billing.services.subscriptions import end_subscription, subscribe_line
from officeline.billing.tick import (
    bill_after_final_invoice,
    import_carrier_charges,
    invoices_due,
    refunds_due,
    spend_limits_due,
    terminations_due,
)
from officeline.lines import compensation, hooks


def register_tick_handlers() -> None:
    # BILL-10: the carrier's report first, so that the run bills what it reported.
    clock.register("billing.carrier_charges")(import_carrier_charges)
    clock.register("billing.invoices")(invoices_due)
    clock.register("billing.terminations")(terminations_due)
    # BILL-10, BILL-8: after the terminations, so a final invoice issued now comes first.
    clock.register("billing.unbilled_after_final")(bill_after_final_invoice)
    clock.register("billing.refunds")(refunds_due)
    # Toll fraud: lines that spent their month's limit have their external calls refused.
    clock.register("billing.spend_limits")(spend_limits_due)


def register_line_hooks() -> None:
    # BILL-2: a line's subscription starts in the transaction that creates the line, and
    # stops in the one that ends it when no cancellation already decided its last period.
    hooks.on_line_requested(subscribe_line)
    hooks.on_line_terminated(end_subscription)


def register_pages() -> None:
    navigation.portal("billing_portal:invoices", _("Invoices"), order=30)
    navigation.console("billing_console:prices", _("Prices"), order=40)
    navigation.customer_link(
        "billing_console:customer_invoices", _("Invoices and credit notes"), order=30
    )
    navigation.customer_link(
        "billing_console:third_party_charges", _("Third-party charges"), order=40
    )
    navigation.customer_link("billing_console:line_plans", _("Line plans"), order=50)
    navigation.customer_link("billing_console:terminate", _("End the service"), order=90)


def register_porting_compensation() -> None:
    # PORT-2: a customer's written claim for a late port and what was paid for it, shown
    # and recorded on lines' ports pages and API.
    compensation.register(PortingCompensations())


def register_acceptable_use() -> None:
    # AUP-1, AUP-3: the acceptable-use reviews read a line's service period and move a line
    # to the commercial plan through billing.
    acceptable_use.register()

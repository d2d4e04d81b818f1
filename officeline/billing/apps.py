from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "officeline.billing"
    label = "billing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from officeline import clock, navigation
        from officeline.billing.acceptable_use import register as register_acceptable_use
        from officeline.billing.refunds import refunds_due
        from officeline.billing.run import invoices_due
        from officeline.billing.spend import spend_limits_due
        from officeline.billing.termination import bill_after_final_invoice, terminations_due
        from officeline.billing.third_party import import_carrier_charges
        from officeline.console import customer_links
        from officeline.lines.signals import line_requested, line_terminated
        from officeline.privacy import register

        # BILL-11: a line's plan history is account data; a billed call, listed on the
        # itemized statement, is part of the invoice (kept as long as invoices are).
        register.classify(
            "billing.lineplan",
            register.ModelClass(("account_data",), frozenset({"id", "plan", "effective_at"})),
        )
        register.classify(
            "billing.billedcall",
            register.ModelClass(("invoices",), frozenset({"id", "minutes", "rate_minor"})),
        )
        # BILL-10: a third-party charge billed to a customer's number is invoice data.
        register.classify(
            "billing.thirdpartycharge",
            register.ModelClass(("invoices",), frozenset({"id", "source", "reference"})),
        )
        # BILL-8: what an invoice paid late owes is invoice data.
        register.classify(
            "billing.latepaymentcharge",
            register.ModelClass(
                ("invoices",), frozenset({"id", "debt_minor", "currency", "due_on", "until"})
            ),
        )
        register.classify(
            "billing.abnormaluseperiod",
            register.ModelClass(("account_data",), frozenset({"id", "starts_at", "ends_at"})),
        )
        # BILL-5: a credit note's refund to the card is invoice data, like the payment it undoes.
        register.classify(
            "billing.refund",
            register.ModelClass(("invoices",), frozenset({"id", "idempotency_key", "status"})),
        )
        register.classify(
            "billing.sandboxrefund",
            register.ModelClass(
                reason="the sandbox payment provider's side, standing for the card network",
                not_personal=frozenset({"idempotency_key", "message", "description", "reference"}),
            ),
        )
        register.classify(
            "billing.sandboxcarriercharge",
            register.ModelClass(
                reason="the sandbox carrier's side, standing for the carrier's own records",
                not_personal=frozenset({"reference", "phone_number", "service", "description"}),
            ),
        )

        # BILL-10: the carrier's report first, so that the run bills what it reported.
        clock.register("billing.carrier_charges")(import_carrier_charges)
        clock.register("billing.invoices")(invoices_due)
        clock.register("billing.terminations")(terminations_due)
        # BILL-10, BILL-8: after the terminations, so a final invoice issued now comes first.
        clock.register("billing.unbilled_after_final")(bill_after_final_invoice)
        clock.register("billing.refunds")(refunds_due)
        # Toll fraud: lines that spent their month's limit have their external calls refused.
        clock.register("billing.spend_limits")(spend_limits_due)
        register_acceptable_use()
        line_requested.connect(_subscribe, dispatch_uid="billing.subscribe_line")
        line_terminated.connect(_unsubscribe, dispatch_uid="billing.unsubscribe_line")
        navigation.portal("billing_portal:invoices", _("Invoices"), order=30)
        navigation.console("billing_console:prices", _("Prices"), order=40)
        customer_links.register(
            "billing_console:customer_invoices", _("Invoices and credit notes"), order=30
        )
        customer_links.register(
            "billing_console:third_party_charges", _("Third-party charges"), order=40
        )
        customer_links.register("billing_console:line_plans", _("Line plans"), order=50)
        customer_links.register("billing_console:terminate", _("End the service"), order=90)
        # PORT-2: a customer's written claim for a late port and what was paid for it.
        register.classify(
            "billing.portingcompensation",
            register.ModelClass(
                ("invoices",),
                frozenset({"id", "days_late", "monthly_fee_minor", "amount_minor", "currency"}),
            ),
        )


def _subscribe(sender: object, line: object, **kwargs: object) -> None:
    from officeline.billing.services import subscribe_line

    subscribe_line(line=line)  # type: ignore[arg-type]


def _unsubscribe(sender: object, line: object, at: object, **kwargs: object) -> None:
    from officeline.billing.services import end_subscription

    end_subscription(line=line, at=at)  # type: ignore[arg-type]

from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "officeline.billing"
    label = "billing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # AppConfig.ready(): the registrations import models, not loaded before now.
        from officeline.billing import registrations
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

        registrations.register_tick_handlers()
        registrations.register_line_hooks()
        registrations.register_pages()
        # PORT-2: a customer's written claim for a late port and what was paid for it.
        register.classify(
            "billing.portingcompensation",
            register.ModelClass(
                ("invoices",),
                frozenset({"id", "days_late", "monthly_fee_minor", "amount_minor", "currency"}),
            ),
        )

from django.apps import AppConfig


class LinesConfig(AppConfig):
    name = "officeline.lines"
    label = "lines"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # AppConfig.ready(): the registrations import models, not loaded before now.
        from officeline.lines import registrations
        from officeline.privacy import register

        registrations.register_tick_handlers()
        registrations.register_pages()
        registrations.register_publications()
        # PRIV-1: which line's number changed, and a customer's report of a defective device.
        register.classify(
            "lines.numberchange",
            register.ModelClass(
                ("account_data",), frozenset({"id", "status", "old_number", "new_number"})
            ),
        )
        register.classify(
            "lines.replacementrequest",
            register.ModelClass(("tickets",), frozenset({"id", "status", "device"})),
        )
        # LIFE-6: the operator's planned work on its network; who scheduled it is staff.
        register.classify(
            "lines.maintenance",
            register.ModelClass(
                reason="the operator's planned work on its network",
                not_personal=frozenset(
                    {"description_en", "description_fr", "urgent_reason", "scheduled_by"}
                ),
            ),
        )
        # PORT-1: a port request names the customer and the number they take in or out.
        register.classify(
            "lines.portrequest",
            register.ModelClass(
                ("account_data",),
                frozenset({"id", "direction", "state", "agreed_date", "due_date", "completed_on"}),
            ),
        )

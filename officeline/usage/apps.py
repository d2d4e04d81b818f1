from django.apps import AppConfig


class UsageConfig(AppConfig):
    name = "officeline.usage"
    label = "usage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # AppConfig.ready(): the registrations import models, not loaded before now.
        from officeline.privacy import register
        from officeline.usage import registrations

        registrations.register_tick_handlers()
        registrations.register_pages()
        registrations.register_voicemail()
        # AUP-2: a review case is written correspondence with the customer, with its evidence
        # (a sample of the line's calls) kept as the record of the review, like a ticket.
        register.classify(
            "usage.usereviewcase",
            register.ModelClass(
                ("tickets",),
                frozenset(
                    {
                        "id",
                        "kind",
                        "status",
                        "signals",
                        "first_day",
                        "last_day",
                        "opened_at",
                        "respond_by",
                        "for_decision_at",
                        "decision_reason",
                        "closed_at",
                    }
                ),
            ),
        )
        # What a line called in a period, summed: counts, no number.
        register.classify(
            "usage.lineperiodusage",
            register.ModelClass(
                reason="counts of a line's calls in a service period, naming no number",
                not_personal=frozenset({"line"}),
            ),
        )

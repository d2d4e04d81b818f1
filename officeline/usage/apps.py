from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsageConfig(AppConfig):
    name = "officeline.usage"
    label = "usage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from officeline import clock, navigation
        from officeline.console import customer_links
        from officeline.privacy import register
        from officeline.usage.tick import (
            enforce_limits,
            fold_call_events,
            review_deadlines,
            review_usage,
        )

        clock.register("usage.record_calls")(fold_call_events)
        clock.register("usage.voicemail_limits")(enforce_limits)
        # AUP-1, AUP-3, after the calls are folded (handlers run in the order of their names).
        clock.register("usage.use_review")(review_usage)
        clock.register("usage.use_review_deadlines")(review_deadlines)
        navigation.portal("usage_portal:reviews", _("Acceptable use"), order=80)
        navigation.console("usage_console:reviews", _("Acceptable use"), order=45)
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
        navigation.portal("usage_portal:calls", _("Calls"), order=20)
        customer_links.register("usage_console:customer_calls", _("Calls"), order=20)
        customer_links.register("usage_console:customer_voicemails", _("Voicemail"), order=21)
        customer_links.register("usage_console:customer_reviews", _("Acceptable use"), order=22)

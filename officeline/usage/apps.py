from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsageConfig(AppConfig):
    name = "officeline.usage"
    label = "usage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from officeline import clock, navigation
        from officeline.console import customer_links
        from officeline.usage.reviews import review_deadlines, review_usage
        from officeline.usage.tick import fold_call_events
        from officeline.usage.voicemail import enforce_limits

        clock.register("usage.record_calls")(fold_call_events)
        clock.register("usage.voicemail_limits")(enforce_limits)
        # AUP-1, AUP-3, after the calls are folded (handlers run in the order of their names).
        clock.register("usage.use_review")(review_usage)
        clock.register("usage.use_review_deadlines")(review_deadlines)
        navigation.portal("usage_portal:reviews", _("Acceptable use"), order=80)
        navigation.console("usage_console:reviews", _("Acceptable use"), order=45)
        navigation.portal("usage_portal:calls", _("Calls"), order=20)
        customer_links.register("usage_console:customer_calls", _("Calls"), order=20)
        customer_links.register("usage_console:customer_voicemails", _("Voicemail"), order=21)
        customer_links.register("usage_console:customer_reviews", _("Acceptable use"), order=22)

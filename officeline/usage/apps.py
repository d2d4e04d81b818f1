from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsageConfig(AppConfig):
    name = "officeline.usage"
    label = "usage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from officeline import clock, navigation
        from officeline.console import customer_links
        from officeline.usage.tick import fold_call_events
        from officeline.usage.views_console import CALL_ROLES, LISTEN_ROLES
        from officeline.usage.voicemail import enforce_limits

        clock.register("usage.record_calls")(fold_call_events)
        clock.register("usage.voicemail_limits")(enforce_limits)
        navigation.portal("usage_portal:calls", _("Calls"), order=20)
        customer_links.register(
            "usage_console:customer_calls", _("Calls"), order=20, roles=set(CALL_ROLES)
        )
        customer_links.register(
            "usage_console:customer_voicemails", _("Voicemail"), order=21, roles=set(LISTEN_ROLES)
        )

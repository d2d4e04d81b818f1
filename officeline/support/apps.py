from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from officeline import clock, navigation


class SupportConfig(AppConfig):
    name = "officeline.support"
    label = "support"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # AppConfig.ready(): the tick handlers import models, not loaded before now.
        from officeline.support.tick import due_deadlines

        clock.register("support.deadlines")(due_deadlines)
        navigation.portal("support_portal:tickets", _("Support"), order=40)
        navigation.console("support_console:queue", _("Complaints"), order=10)
        navigation.console("support_console:print_queue", _("Print queue"), order=11)
        navigation.console("support_console:report", _("Complaints report"), order=12)
        navigation.customer_link(
            "support_console:new_ticket", _("Record a phone contact or complaint"), order=10
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "officeline.support"
    label = "support"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from officeline import clock, navigation
        from officeline.support.tick import due_deadlines

        clock.register("support.deadlines")(due_deadlines)
        navigation.portal("support_portal:tickets", _("Support"), order=40)
        navigation.console("support_console:queue", _("Complaints"), order=10)

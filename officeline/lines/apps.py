from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinesConfig(AppConfig):
    name = "officeline.lines"
    label = "lines"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from officeline import clock, navigation
        from officeline.lines.tick import release_quarantined_numbers
        from officeline.privacy import register

        clock.register("lines.release_numbers")(release_quarantined_numbers)
        navigation.portal("lines_portal:list", _("Lines"), order=10)
        navigation.portal("lines_portal:ports", _("Number porting"), order=22)
        navigation.console("lines_console:ports", _("Number porting"), order=25)
        # PORT-1: a port request names the customer and the number they take in or out.
        register.classify(
            "lines.portrequest",
            register.ModelClass(
                ("account_data",),
                frozenset({"id", "direction", "state", "agreed_date", "due_date", "completed_on"}),
            ),
        )

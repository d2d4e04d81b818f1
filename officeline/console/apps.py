from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from officeline import navigation


class ConsoleConfig(AppConfig):
    name = "officeline.console"
    label = "console"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        navigation.console("console:home", _("Dashboard"), order=0)
        navigation.console("console:customers", _("Customers"), order=10)
        navigation.console("console:closure_days", _("Closure days"), order=70)
        navigation.console("console:reference_rates", _("Reference rates"), order=75)
        # Shown only where the deployment enables the test clock (see console/base.html).
        navigation.console("console:clock", _("Test clock"), order=90)

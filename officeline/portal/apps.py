from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from officeline import navigation


class PortalConfig(AppConfig):
    name = "officeline.portal"
    label = "portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        navigation.portal("portal:dashboard", _("Dashboard"), order=0)
        navigation.portal("portal:account", _("Account"), order=80)
        navigation.portal("portal:notices", _("Notices"), order=90)

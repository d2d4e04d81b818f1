from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from officeline import navigation


class DocumentsConfig(AppConfig):
    name = "officeline.documents"
    label = "documents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        navigation.console("documents_console:documents", _("Documents"), order=55)
        navigation.console("documents_console:reviews", _("Document reviews"), order=60)

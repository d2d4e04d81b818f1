from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "officeline.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from officeline import clock, navigation
        from officeline.accounts.tokens import delete_expired_api_tokens

        clock.register("accounts.expired_api_tokens")(delete_expired_api_tokens)

        # PRIV-8: the Director records a staff member's departure.
        navigation.console("accounts_console:staff", _("Staff"), order=90)

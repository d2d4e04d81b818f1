from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "officeline.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from officeline import navigation
        from officeline.accounts.staff_sessions import start_session

        # A staff session's idle period starts at login.
        user_logged_in.connect(
            lambda sender, request, user, **kwargs: start_session(request, user),
            dispatch_uid="officeline.accounts.staff_session_start",
            weak=False,
        )

        # PRIV-8: the Director records a staff member's departure.
        navigation.console("accounts_console:staff", _("Staff"), order=90, roles={"director"})

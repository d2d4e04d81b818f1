from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from officeline import clock, navigation


class AccountsConfig(AppConfig):
    name = "officeline.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # AppConfig.ready(): these import models, which are loaded only now.
        from allauth.account.signals import email_changed
        from django.contrib.auth.signals import user_logged_in

        from officeline.accounts.staff_sessions import start_session
        from officeline.accounts.tokens import delete_expired_api_tokens

        clock.register("accounts.expired_api_tokens")(delete_expired_api_tokens)

        # A staff session's idle period starts at login.
        user_logged_in.connect(
            lambda sender, request, user, **kwargs: start_session(request, user),
            dispatch_uid="officeline.accounts.staff_session_start",
            weak=False,
        )
        # A confirmed new address became a login: the account email follows (ACC-5).
        email_changed.connect(
            _login_email_changed, dispatch_uid="officeline.accounts.login_email_changed"
        )

        # PRIV-8: the Director records a staff member's departure.
        navigation.console("accounts_console:staff", _("Staff"), order=90)


def _login_email_changed(
    sender: Any, user: Any, from_email_address: Any, to_email_address: Any, **kwargs: Any
) -> None:
    # Imported when called: apps.py is loaded before the models this module needs.
    from officeline.accounts.email_addresses import login_email_changed

    login_email_changed(person=user, from_address=from_email_address, to_address=to_email_address)

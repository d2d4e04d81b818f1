from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "officeline.privacy"
    label = "privacy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from officeline import clock, navigation
        from officeline.documents import appendices
        from officeline.documents.choices import DocumentKind
        from officeline.notifications.services import register_marketing_check
        from officeline.privacy.retention import apply_retention
        from officeline.privacy.selectors import register_for_market
        from officeline.privacy.services import marketing_check

        navigation.console(
            "privacy_console:register", _("Register of processing"), order=70, roles={"dpo"}
        )
        navigation.console(
            "privacy_console:access_log", _("Staff access log"), order=71, roles={"dpo"}
        )
        navigation.console(
            "privacy_console:disclosures",
            _("Disclosures to authorities"),
            order=72,
            roles={"dpo"},
        )
        navigation.console("privacy_console:legal_holds", _("Legal holds"), order=73, roles={"dpo"})
        # PRIV-8: data past the register's retention is deleted by tick.
        clock.register("privacy.retention")(apply_retention)
        # PRIV-1: the register is published under the privacy policy of each market.
        appendices.register(
            DocumentKind.PRIVACY_POLICY, "privacy/_register.html", register_for_market
        )
        # PRIV-4: a marketing email leaves the outbox only while the consent is in force.
        register_marketing_check(marketing_check)

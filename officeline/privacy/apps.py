from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "officeline.privacy"
    label = "privacy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # AppConfig.ready(): the registrations import models, not loaded before now.
        from officeline.privacy import registrations

        registrations.register_pages()
        registrations.register_retention()
        registrations.register_publications()
        registrations.register_marketing()
        registrations.register_voicemail()

from django.apps import AppConfig


class UsageConfig(AppConfig):
    name = "officeline.usage"
    label = "usage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # AppConfig.ready(): the registrations import models, not loaded before now.
        from officeline.usage import registrations

        registrations.register_tick_handlers()
        registrations.register_pages()
        registrations.register_voicemail()

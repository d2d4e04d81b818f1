from django.apps import AppConfig


class LinesConfig(AppConfig):
    name = "officeline.lines"
    label = "lines"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # AppConfig.ready(): the registrations import models, not loaded before now.
        from officeline.lines import registrations

        registrations.register_tick_handlers()
        registrations.register_pages()
        registrations.register_publications()

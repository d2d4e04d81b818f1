from django.apps import AppConfig

from officeline import clock


class EventsConfig(AppConfig):
    name = "officeline.events"
    label = "events"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # AppConfig.ready(): models are loaded only now.
        from officeline.events.services import record_clock_advance

        clock.on_advance(record_clock_advance)

from django.apps import AppConfig


class LinesConfig(AppConfig):
    name = "officeline.lines"
    label = "lines"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from officeline import clock
        from officeline.lines.tick import release_quarantined_numbers

        clock.register("lines.release_numbers")(release_quarantined_numbers)

from django.apps import AppConfig


class LinesConfig(AppConfig):
    name = "officeline.lines"
    label = "lines"
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig


class ClockConfig(AppConfig):
    name = "officeline.clock"
    label = "clock"
    default_auto_field = "django.db.models.BigAutoField"

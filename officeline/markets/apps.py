from django.apps import AppConfig


class MarketsConfig(AppConfig):
    name = "officeline.markets"
    label = "markets"
    default_auto_field = "django.db.models.BigAutoField"

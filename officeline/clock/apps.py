from django.apps import AppConfig


class ClockConfig(AppConfig):
    name = "officeline.clock"
    label = "clock"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The clock is the platform app that already tells production from demo and tests
        # (no test clock there); the production start checks are registered with it.
        import officeline.deployment  # noqa: F401

from django.apps import AppConfig

from officeline import clock


class NotificationsConfig(AppConfig):
    name = "officeline.notifications"
    label = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # AppConfig.ready(): the outbox's models are loaded only now.
        from officeline.notifications.delivery import deliver_due

        clock.register("notifications.deliver")(deliver_due)

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "officeline.notifications"
    label = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from officeline import clock
        from officeline.notifications.delivery import deliver_due

        clock.register("notifications.deliver")(deliver_due)

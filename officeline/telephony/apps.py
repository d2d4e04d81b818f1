from django.apps import AppConfig


class TelephonyConfig(AppConfig):
    name = "officeline.telephony"
    label = "telephony"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # AppConfig.ready(): the apps' models are loaded only now.
        from officeline.lines.signals import device_blocked
        from officeline.telephony import checks  # noqa: F401  (registers the system checks)
        from officeline.telephony.registrations import forget_device

        # LINE-4: a blocked device's registrations go with its credentials.
        device_blocked.connect(forget_device, dispatch_uid="telephony.forget_device")

from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "officeline.billing"
    label = "billing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # AppConfig.ready(): the registrations import models, not loaded before now.
        from officeline.billing import registrations

        registrations.register_tick_handlers()
        registrations.register_line_hooks()
        registrations.register_pages()
        registrations.register_porting_compensation()
        registrations.register_acceptable_use()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinesConfig(AppConfig):
    name = "officeline.lines"
    label = "lines"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from officeline import clock, navigation
        from officeline.console import customer_links
        from officeline.documents import appendices
        from officeline.lines.selectors import public_windows
        from officeline.lines.tick import make_due_number_changes, release_quarantined_numbers
        from officeline.privacy import register

        clock.register("lines.release_numbers")(release_quarantined_numbers)
        clock.register("lines.number_changes")(make_due_number_changes)
        navigation.portal("lines_portal:list", _("Lines"), order=10)
        navigation.portal("lines_portal:ports", _("Number porting"), order=22)
        navigation.console("lines_console:ports", _("Number porting"), order=25)
        navigation.console(
            "lines_console:unconfirmed_locations", _("Unconfirmed locations"), order=20
        )
        navigation.console("lines_console:replacements", _("Replacements"), order=21)
        navigation.console("lines_console:maintenance", _("Planned maintenance"), order=23)
        # LIFE-6: the planned maintenance ahead, on the market's information page.
        appendices.register(appendices.INFO_PAGE, "lines/public/_maintenance.html", public_windows)
        customer_links.register("lines_console:customer_lines", _("Lines"), order=5)
        # PRIV-1: which line's number changed, and a customer's report of a defective device.
        register.classify(
            "lines.numberchange",
            register.ModelClass(
                ("account_data",), frozenset({"id", "status", "old_number", "new_number"})
            ),
        )
        register.classify(
            "lines.replacementrequest",
            register.ModelClass(("tickets",), frozenset({"id", "status", "device"})),
        )
        # LIFE-6: the operator's planned work on its network; who scheduled it is staff.
        register.classify(
            "lines.maintenance",
            register.ModelClass(
                reason="the operator's planned work on its network",
                not_personal=frozenset(
                    {"description_en", "description_fr", "urgent_reason", "scheduled_by"}
                ),
            ),
        )
        # PORT-1: a port request names the customer and the number they take in or out.
        register.classify(
            "lines.portrequest",
            register.ModelClass(
                ("account_data",),
                frozenset({"id", "direction", "state", "agreed_date", "due_date", "completed_on"}),
            ),
        )

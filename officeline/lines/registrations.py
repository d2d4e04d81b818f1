"""What lines registers at start-up (``LinesConfig.ready()``), one function per topic."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from officeline import clock, navigation
from officeline.documents import appendices
from officeline.lines.selectors import public_windows
from officeline.lines.tick import make_due_number_changes, release_quarantined_numbers


def register_tick_handlers() -> None:
    clock.register("lines.release_numbers")(release_quarantined_numbers)
    clock.register("lines.number_changes")(make_due_number_changes)


def register_pages() -> None:
    navigation.portal("lines_portal:list", _("Lines"), order=10)
    navigation.portal("lines_portal:ports", _("Number porting"), order=22)
    navigation.console("lines_console:ports", _("Number porting"), order=25)
    navigation.console("lines_console:unconfirmed_locations", _("Unconfirmed locations"), order=20)
    navigation.console("lines_console:replacements", _("Replacements"), order=21)
    navigation.console("lines_console:maintenance", _("Planned maintenance"), order=23)
    navigation.customer_link("lines_console:customer_lines", _("Lines"), order=5)


def register_publications() -> None:
    # LIFE-6: the planned maintenance ahead, on the market's information page.
    appendices.register(appendices.INFO_PAGE, "lines/public/_maintenance.html", public_windows)

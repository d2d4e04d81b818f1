"""Template context of every page: the console's menu, for the staff member reading it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from officeline import navigation
from officeline.accounts.permissions import has_capability


def console(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "console_nav": lambda: navigation.console_links(
            lambda capability: bool(capability) and has_capability(user, capability)
        ),
    }

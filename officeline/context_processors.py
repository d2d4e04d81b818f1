"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from officeline import navigation
from officeline.accounts.permissions import has_capability


def officeline(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "TEST_CLOCK_ENABLED": settings.TEST_CLOCK_ENABLED,
        "DEPLOYMENT": settings.DEPLOYMENT,
        "portal_nav": navigation.portal_links,
        "console_nav": lambda: navigation.console_links(
            lambda capability: bool(capability) and has_capability(user, capability)
        ),
    }

"""Template context shared by every page (the console's menu: ``console.context_processors``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from officeline import navigation


def officeline(request: HttpRequest) -> dict[str, Any]:
    return {
        "TEST_CLOCK_ENABLED": settings.TEST_CLOCK_ENABLED,
        "DEPLOYMENT": settings.DEPLOYMENT,
        "portal_nav": navigation.portal_links,
    }

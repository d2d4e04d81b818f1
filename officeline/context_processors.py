"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def officeline(request: HttpRequest) -> dict[str, Any]:
    return {
        "TEST_CLOCK_ENABLED": settings.TEST_CLOCK_ENABLED,
        "DEPLOYMENT": settings.DEPLOYMENT,
    }

"""PRIV-5: every page knows whether to show the cookie banner."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse


def cookies(request: HttpRequest) -> dict[str, Any]:
    state = getattr(request, "cookie_choice", None)
    settings_path = reverse("privacy_portal:cookies")
    return {
        "cookie_choice": state,
        "cookie_banner": state is None and request.path != settings_path,
    }

"""Top-level URLs: public pages, the portal, the console, the API and allauth.

Each domain app may offer ``urls_portal.py``, ``urls_console.py``,
``urls_api.py`` and ``urls_hooks.py``; they are mounted here under the portal
(``/``), the console (``/console/``), the API (``/api/v1/``) and the
providers' webhooks (``/hooks/``), each module naming its own paths
and its ``app_name`` (``lines_portal``, ``support_console``, ``billing_api``...).
"""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, reverse
from django.views.i18n import set_language


def _app_url_modules(kind: str) -> list[Any]:
    """``include()`` of every officeline app's ``urls_<kind>`` module, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("officeline."):
            continue
        name = f"{config.name}.urls_{kind}"
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        found.append(path("", include(name)))
    return found


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The Django admin's login page sends to allauth's: every login, staff's above all, goes
    through allauth, which asks for the TOTP code. The admin's own form (a password alone)
    is neither shown nor accepted."""
    target = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    return redirect_to_login(target, reverse("account_login"))


admin.site.login = admin_login  # type: ignore[method-assign]

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include("officeline.api.urls")),
    # The test clock's endpoints: the clock sits below the API base, so they live with the API.
    path("api/v1/", include("officeline.api.urls_clock")),
    path("api/v1/", include(_app_url_modules("api"))),
    # Providers' callbacks (signed by the provider, not by a user's session).
    path("hooks/", include(_app_url_modules("hooks"))),
    path("django-admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("console/", include("officeline.console.urls")),
    path("console/", include(_app_url_modules("console"))),
    path("", include("officeline.documents.urls")),
    path("", include("officeline.portal.urls")),
    path("", include(_app_url_modules("portal"))),
    prefix_default_language=False,
)

"""Top-level URLs: public pages, the portal, the console, the API and allauth."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include("officeline.api.urls")),
    path("django-admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("console/", include("officeline.console.urls")),
    path("", include("officeline.documents.urls")),
    path("", include("officeline.portal.urls")),
    prefix_default_language=False,
)

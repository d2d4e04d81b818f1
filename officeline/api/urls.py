"""The API's own paths: the OpenAPI schema and its docs. Domain endpoints come from each
app's ``urls_api.py`` (mounted under /api/v1/ by officeline.urls)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]

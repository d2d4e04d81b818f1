"""A test-only URLconf: the project's URLs plus a console page showing a customer's "fax".

It stands for any communications view (faxes are not offered) to test the
PRIV-11 reason form of ``AccessLoggedMixin`` on its own.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views import View

from officeline.accounts.access_log import AccessLoggedMixin
from officeline.accounts.choices import AccessKind
from officeline.urls import urlpatterns as project_urlpatterns

FAX_TEXT = "Fax page 1: the confidential contract"


class FaxView(AccessLoggedMixin, View):
    capability = "communications.read"
    access_kind = AccessKind.COMMUNICATIONS
    access_url_kwarg = "customer_id"

    def get(self, request: HttpRequest, customer_id: int) -> HttpResponse:
        return HttpResponse(f"{FAX_TEXT} of {self.accessed_customer.pk}")


test_console = (
    [path("test-fax/<int:customer_id>/", FaxView.as_view(), name="fax")],
    "test_console",
)
urlpatterns = [path("console/", include(test_console)), *project_urlpatterns]

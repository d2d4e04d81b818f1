"""PRIV-10, PRIV-11: console views that show a customer's data log each access.

A console view that shows one customer's data (their details, timeline,
tickets, letters, traffic data, voicemail or faxes) is built on
``AccessLoggedMixin`` and says what it shows::

    class ComplaintView(AccessLoggedMixin, View):
        capability = "complaints.read"
        access_kind = AccessKind.TICKETS
        access_model = Complaint.objects.select_related("customer")
        access_customer_field = "customer"   # how to get from the object to its customer

The mixin checks the staff role has the view's ``capability``
(``accounts.permissions``), finds the object named by the URL
(``access_url_kwarg``, 404 when there is none), writes the access log entry
with ``services.access_log.record_access`` and only then runs the view, which finds the
object in ``self.accessed_object`` and the customer in
``self.accessed_customer``.

Views of ``AccessKind.COMMUNICATIONS`` (PRIV-11) first answer a form asking
why the staff member needs to see them; the content is shown only in answer
to that form, with the reason logged. Nothing is kept between requests: every
look needs its own reason.

A console URL that takes a path parameter but shows no customer's data says so
with ``access_log_exempt = "why"`` on its view. ``privacy/tests/test_access_log.py``
walks every console URL and fails on a view that is neither.

The Django admin registers a model holding customers' data with a
``LoggedAdmin``, which logs each look at one object (its change, delete and
history pages) the same way; its change list, like the console's lists, is not
logged per customer. ``privacy/tests/test_admin_access_log.py`` fails on a registered
model that is or points to a customer without it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render

from officeline.accounts.choices import REASON_REQUIRED, AccessKind
from officeline.accounts.forms import REASON_FORM_MARKER, AccessReasonForm
from officeline.accounts.models import Customer
from officeline.accounts.permissions import StaffRequiredMixin
from officeline.accounts.services.access_log import record_access


class AccessLoggedMixin(StaffRequiredMixin):
    """A console view showing one customer's data; every request it answers is logged."""

    access_kind: str = AccessKind.PERSONAL_DATA
    # The model (or queryset) of the object the URL names, and the URL's keyword for its pk.
    access_model: type[models.Model] | models.QuerySet[Any] = Customer
    access_url_kwarg: str = "pk"
    # Dotted attributes from that object to its customer; empty when it is the customer.
    access_customer_field: str = ""

    kwargs: dict[str, Any]  # set by View.setup()
    accessed_object: Any
    accessed_customer: Customer

    def get_accessed_object(self) -> Any:
        return get_object_or_404(self.access_model, pk=self.kwargs[self.access_url_kwarg])

    def get_accessed_customer(self, obj: Any) -> Customer:
        return customer_of(obj, self.access_customer_field)  # type: ignore[return-value]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.check_capability(request)
        self.accessed_object = self.get_accessed_object()
        self.accessed_customer = self.get_accessed_customer(self.accessed_object)
        reason = ""
        if self.access_kind in REASON_REQUIRED:
            # PRIV-11: the content only in answer to a stated reason.
            answered = request.method == "POST" and REASON_FORM_MARKER in request.POST
            form = AccessReasonForm(request.POST if answered else None)
            if not (answered and form.is_valid()):
                return render(
                    request,
                    "privacy/console/access_reason.html",
                    {
                        "form": form,
                        "customer": self.accessed_customer,
                        "marker": REASON_FORM_MARKER,
                    },
                    status=400 if answered else 200,
                )
            reason = form.cleaned_data["reason"]
            request.method = "GET"  # show the content the form asked for
        match = request.resolver_match
        record_access(
            staff_user=request.user,
            customer=self.accessed_customer,
            kind=self.access_kind,
            subject=self.accessed_object,
            url_name=match.view_name if match else "",
            reason=reason,
        )
        return super().dispatch(request, *args, **kwargs)


def customer_of(obj: Any, customer_field: str) -> Customer | None:
    """The customer reached from ``obj`` by the dotted ``customer_field`` (``obj`` when empty)."""
    for name in filter(None, customer_field.split(".")):
        obj = getattr(obj, name)
    return obj  # type: ignore[no-any-return]


class LoggedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """PRIV-10: a Django admin page showing one object that holds a customer's data is logged.

    ``access_customer_field`` leads from the object to its customer as in
    ``AccessLoggedMixin``; an object with no customer there (a staff login)
    is not a customer's data and is not logged. The change list is not logged
    per customer, like the console's lists.
    """

    access_kind: str = AccessKind.PERSONAL_DATA
    access_customer_field: str = ""

    def log_access(self, request: HttpRequest, object_id: str | None) -> None:
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if obj is None or not self.has_view_or_change_permission(request, obj):
            return  # the admin answers 404 or 403 and shows nothing
        customer = customer_of(obj, self.access_customer_field)
        if customer is None:
            return
        match = request.resolver_match
        record_access(
            staff_user=request.user,
            customer=customer,
            kind=self.access_kind,
            subject=obj,
            url_name=match.view_name if match else "",
        )

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        self.log_access(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        self.log_access(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        self.log_access(request, object_id)
        return super().history_view(request, object_id, extra_context)


def is_access_logged(view: Any) -> bool:
    """True when ``view`` (a class or an ``as_view()`` function) logs each access."""
    view_class = getattr(view, "view_class", view)
    return isinstance(view_class, type) and issubclass(view_class, AccessLoggedMixin)


def access_log_exemption(view: Any) -> str:
    """Why ``view`` shows no customer's data (empty when it does not say)."""
    view_class = getattr(view, "view_class", view)
    return str(getattr(view_class, "access_log_exempt", "") or "")

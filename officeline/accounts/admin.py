"""The Django admin's pages of accounts. Customers and their people hold personal data: each
look at one of them is logged in the staff access log (PRIV-10, ``access_log.LoggedAdmin``)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from officeline.accounts import models
from officeline.accounts.access_log import LoggedAdmin

admin.site.register(models.Operator)
admin.site.register(models.OperatorMarket)
admin.site.register(models.Building)


@admin.register(models.Customer)
class CustomerAdmin(LoggedAdmin):
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The account email changes once its new address is confirmed (accounts'
        # email_addresses), never by an edit here.
        return (*super().get_readonly_fields(request, obj), *(("email",) if obj else ()))


@admin.register(models.User)
class UserAdmin(LoggedAdmin):
    # A customer's person; a staff login has no customer and is not logged.
    access_customer_field = "customer"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The email is the login: once set, it changes only through a confirmed address
        # (accounts' email_addresses), never by an edit here.
        return (*super().get_readonly_fields(request, obj), *(("email",) if obj else ()))

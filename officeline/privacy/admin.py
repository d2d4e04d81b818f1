"""PRIV-10: the Django admin's pages of customers' data, logged in the staff access log."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from officeline.accounts.models import Customer, User
from officeline.privacy.access import LoggedAdmin


@admin.register(Customer)
class CustomerAdmin(LoggedAdmin):
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The account email changes once its new address is confirmed (accounts'
        # email_addresses), never by an edit here.
        return (*super().get_readonly_fields(request, obj), *(("email",) if obj else ()))


@admin.register(User)
class UserAdmin(LoggedAdmin):
    # A customer's person; a staff login has no customer and is not logged.
    access_customer_field = "customer"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The email is the login: once set, it changes only through a confirmed address
        # (accounts' email_addresses), never by an edit here.
        return (*super().get_readonly_fields(request, obj), *(("email",) if obj else ()))

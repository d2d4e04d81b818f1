"""PRIV-10: the Django admin's pages of customers' data, logged in the staff access log."""

from django.contrib import admin

from officeline.accounts.models import Customer, User
from officeline.privacy.access import LoggedAdmin


@admin.register(Customer)
class CustomerAdmin(LoggedAdmin):
    pass


@admin.register(User)
class UserAdmin(LoggedAdmin):
    # A customer's person; a staff login has no customer and is not logged.
    access_customer_field = "customer"

"""allauth, as Officeline uses it: logins and email addresses, but no sign-up of its own.

Only the portal's business sign-up (``services.sign_up``: a customer, its Office
Manager, a card and the signed terms, ACC-1 to ACC-3) creates a customer's login;
staff logins are made by the operator. allauth's own sign-up page, which would
create a user with no customer, is closed.
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

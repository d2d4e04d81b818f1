"""allauth, as Officeline uses it: logins and email addresses, but no sign-up of its own.

Only the portal's business sign-up (``portal.signup.sign_up``: a customer, its Office
Manager, a card and the signed terms, ACC-1 to ACC-3) creates a customer's login;
staff logins are made by the operator. allauth's own sign-up page, which would
create a user with no customer, is closed.
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


class LoginEmailBackend(AuthenticationBackend):
    """allauth's backend, by the login email only (``User.email``, matched without case).

    allauth would also accept any other address of the user, unconfirmed ones included;
    an address waiting for its confirmation (a change of email under way) is not a login.
    """

    def _authenticate_by_email(self, email: str, password: str) -> AbstractBaseUser | None:
        if not email:
            return None
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        return self._check_password(user, password)

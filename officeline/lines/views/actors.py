"""Who acts on a page or through the API: the person logged in, as services take them."""

from __future__ import annotations

from django.http import HttpRequest
from rest_framework.request import Request

from officeline.accounts.models import User


def acting_user(request: HttpRequest | Request) -> User:
    """The person logged in; every page and API view that writes lets only them in."""
    user = request.user
    assert isinstance(user, User), "a write without a person logged in"
    return user

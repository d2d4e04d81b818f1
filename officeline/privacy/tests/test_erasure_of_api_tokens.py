"""PRIV-7, PRIV-8: erasing a person, or a former staff member's name, revokes their API tokens."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from officeline import clock
from officeline.accounts.tests.factories import OfficeManagerFactory, StaffFactory, api_token_for
from officeline.privacy.services.erasure import anonymise_former_staff, anonymise_person

pytestmark = pytest.mark.django_db


def api_with(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_erasure_revokes_the_tokens(test_clock):
    manager = OfficeManagerFactory(email="olive@alpha.test")
    token = api_token_for(manager)
    assert anonymise_person(manager, clock.now())["api_tokens"] == 1
    assert api_with(token).get("/api/v1/me/").status_code == 401
    former = StaffFactory()
    token = api_token_for(former)
    assert anonymise_former_staff(former, clock.now())["api_tokens"] == 1
    assert api_with(token).get("/api/v1/me/").status_code == 401

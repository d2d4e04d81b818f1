"""PRIV-5: only strictly necessary cookies before a choice; performance cookies only after
consent; the choice is recorded and can be changed from every page; no functionality or
targeting cookies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from officeline.accounts.tests.factories import OfficeManagerFactory
from officeline.documents.services import publish_catalogue
from officeline.privacy import cookies
from officeline.privacy.middleware import CookieConsentMiddleware
from officeline.privacy.models import CookieChoice

pytestmark = pytest.mark.django_db

NECESSARY = cookies.strictly_necessary()


def set_names(response) -> set[str]:
    return {name for name, morsel in response.cookies.items() if morsel["max-age"] != 0}


def test_priv5_before_a_choice_only_strictly_necessary_cookies(client, test_clock):
    response = client.get("/")
    page = response.content.decode()
    assert set_names(response) <= NECESSARY and cookies.PERFORMANCE_COOKIE not in set_names(
        response
    )
    assert "Accept performance cookies" in page and "Only necessary" in page
    french = client.get("/fr/").content.decode()
    assert "Accepter les cookies de performance" in french and "Seulement les nécessaires" in french
    assert "<script" not in page.replace('<script src="/static/', "")  # no third-party script


def test_priv5_choices_are_recorded_and_set_or_remove_the_performance_cookie(client, test_clock):
    response = client.post("/cookies/", {"choice": "necessary", "next": "/signup/"})
    assert response.status_code == 303 and response["Location"] == "/signup/"
    assert set_names(response) == {cookies.CHOICE_COOKIE}
    first = CookieChoice.objects.get()
    assert (first.choice, first.at, first.policy_version, first.user) == (
        "necessary",
        test_clock.now(),
        cookies.POLICY_VERSION,
        None,
    )
    page = client.get("/signup/")
    assert "Accept performance cookies" not in page.content.decode()  # no banner once chosen
    assert cookies.PERFORMANCE_COOKIE not in set_names(page)

    test_clock.advance(dt.timedelta(hours=1))
    response = client.post("/cookies/", {"choice": "performance", "next": "/"})
    assert cookies.PERFORMANCE_COOKIE in set_names(response)
    assert cookies.PERFORMANCE_COOKIE not in set_names(client.get("/signup/"))  # set once
    response = client.post("/cookies/", {"choice": "necessary", "next": "/"})
    assert response.cookies[cookies.PERFORMANCE_COOKIE]["max-age"] == 0  # removed
    rows = list(CookieChoice.objects.order_by("at", "id"))
    assert [r.choice for r in rows] == ["necessary", "performance", "necessary"]
    assert len({r.anonymous_id for r in rows}) == 1  # the same browser


def test_a_bad_choice_is_refused_and_changes_nothing(client, test_clock):
    response = client.post("/cookies/", {"choice": "targeting"})
    assert response.status_code == 400 and "Only necessary" in response.content.decode()
    assert not CookieChoice.objects.exists() and cookies.CHOICE_COOKIE not in response.cookies
    assert (
        client.post("/cookies/", {"choice": "necessary", "next": "https://evil.test/"})["Location"]
        == "/"
    )


def test_priv5_cookie_settings_link_on_every_page(client, test_clock):
    publish_catalogue()
    for path in (
        "/",
        "/signup/",
        "/documents/uk/",
        "/accounts/login/",
        "/fr/",
        "/documents/uk/privacy_policy/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert 'href="/cookies/?next=' in response.content.decode() or (
            'href="/fr/cookies/?next=' in response.content.decode()
        ), path
    client.post("/cookies/", {"choice": "necessary"})
    page = client.get("/cookies/").content.decode()
    assert "only strictly necessary cookies" in page and "We do not use them" in page


def test_a_logged_in_persons_choice_names_them(client, test_clock):
    person = OfficeManagerFactory()
    client.force_login(person)
    client.post("/cookies/", {"choice": "performance"})
    assert CookieChoice.objects.get().user == person


def test_priv5_middleware_drops_cookies_the_choice_does_not_allow(test_clock):
    def view(request):
        response = HttpResponse("ok")
        response.set_cookie("_ga", "GA1.1.1")  # a third party's, say
        response.set_cookie("csrftoken", "x")
        return response

    middleware = CookieConsentMiddleware(view)
    response = middleware(RequestFactory().get("/"))
    assert set(response.cookies) == {"csrftoken"}


def test_priv5_a_new_policy_version_asks_again(client, test_clock, monkeypatch):
    client.post("/cookies/", {"choice": "performance"})
    monkeypatch.setattr(cookies, "POLICY_VERSION", "2099-01-01")
    response = client.get("/")
    assert "Accept performance cookies" in response.content.decode()
    assert response.cookies[cookies.PERFORMANCE_COOKIE]["max-age"] == 0

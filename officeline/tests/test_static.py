"""The project's own stylesheet is found and served."""

from __future__ import annotations

from django.contrib.staticfiles import finders


def test_site_stylesheet_is_a_static_file():
    assert finders.find("officeline/site.css")

"""Everything a customer reads exists in French: no fr catalogue has an empty or fuzzy entry."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

CATALOGUES = sorted(Path(__file__).resolve().parents[1].glob("**/locale/fr/LC_MESSAGES/django.po"))


def test_there_are_french_catalogues():
    assert len(CATALOGUES) > 3


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.parent.parent.parent.parent.name))
def test_every_french_message_is_translated(path):
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    missing = [
        message.id
        for message in catalogue
        if message.id
        and (
            message.fuzzy
            or not (all(message.string) if isinstance(message.string, tuple) else message.string)
        )
    ]
    assert not missing, f"{path.name}: untranslated or fuzzy: {missing[:10]}"


def test_a_message_has_one_french_translation_across_catalogues():
    """Django merges every app's catalogue into one: when two apps translate the same English
    message differently, one of them silently shows the other's French. Words whose French
    differs by context (a line is "Active", an account "Actif") take a context (pgettext)."""
    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for path in CATALOGUES:
        app = path.parents[3].name
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale="fr")
        for message in catalogue:
            if message.id:
                seen.setdefault((message.context, str(message.id)), {})[app] = str(message.string)
    clashes = {key[1]: by_app for key, by_app in seen.items() if len(set(by_app.values())) > 1}
    assert not clashes, clashes

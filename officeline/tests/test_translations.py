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

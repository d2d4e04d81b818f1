"""The system checks of the trunk's settings: trusting it by its address alone is warned of."""

from __future__ import annotations

from django.test import override_settings

from officeline.telephony.checks import trunk_authentication

TRUNK = "sip:192.0.2.10:5060"


def ids(**settings: str) -> list[str]:
    with override_settings(**settings):
        return [message.id or "" for message in trunk_authentication()]


def test_a_trunk_trusted_by_ip_is_warned_of() -> None:
    assert ids(CARRIER_TRUNK=TRUNK, TRUNK_AUTH="ip") == ["officeline.W101"]


def test_a_trunk_with_digest_credentials_passes() -> None:
    assert (
        ids(CARRIER_TRUNK=TRUNK, TRUNK_AUTH="digest", TRUNK_USERNAME="c", TRUNK_PASSWORD="p") == []
    )


def test_digest_without_credentials_and_an_unknown_mode_are_reported() -> None:
    assert ids(CARRIER_TRUNK=TRUNK, TRUNK_AUTH="digest", TRUNK_USERNAME="", TRUNK_PASSWORD="") == [
        "officeline.W102"
    ]
    assert ids(CARRIER_TRUNK=TRUNK, TRUNK_AUTH="none") == ["officeline.E101"]


def test_no_trunk_no_warning() -> None:
    assert ids(CARRIER_TRUNK="", TRUNK_AUTH="ip") == []

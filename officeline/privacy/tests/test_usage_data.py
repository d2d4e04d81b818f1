"""PRIV-3 and PRIV-11 for usage's data: the published register shows each market's limits on
the call log and voicemail, and staff see that a customer's messages exist but listen to one
only with a stated reason, logged (PRIV-10)."""

from __future__ import annotations

import pytest
from django.utils import translation

from officeline.accounts.choices import AccessKind
from officeline.accounts.models import AccessLogEntry, OperatorMarket
from officeline.privacy.selectors import register_for_market
from officeline.usage.tests.factories import manager, new_line, staff_with_totp, voicemail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Recordings are written under a throwaway media root."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _set(market: str, **parameters) -> None:
    row = OperatorMarket.objects.get(market=market)
    row.parameters = parameters
    row.save()


def test_priv11_staff_see_that_messages_exist_but_listen_only_with_a_logged_reason(
    client, test_clock
):
    office_manager = manager("uk")
    customer = office_manager.customer
    message = voicemail(new_line(customer), received_at=test_clock.now(), caller="+447700900321")
    agent = staff_with_totp(staff_role="agent")
    client.force_login(agent)

    listing = client.get(f"/console/customers/{customer.pk}/voicemail/")
    assert listing.status_code == 200 and "1 message." in listing.text
    assert "+447700900321" not in listing.text  # who called is not shown without a reason
    entry = AccessLogEntry.objects.get()
    assert entry.kind == AccessKind.TRAFFIC_DATA and entry.customer == customer

    url = f"/console/voicemail/{message.pk}/audio/"
    asked = client.post(url)  # the list's button: the reason form, no audio
    assert asked.status_code == 200 and "Say why" in asked.text
    assert asked["Content-Type"].startswith("text/html")
    short = client.post(url, {"access_reason_form": "1", "reason": "fault"})
    assert short.status_code == 400 and AccessLogEntry.objects.count() == 1

    reason = "Customer reports silent messages, ticket T-1234"
    heard = client.post(url, {"access_reason_form": "1", "reason": reason})
    assert heard.status_code == 200 and heard["Content-Type"] == "audio/wav"
    assert b"".join(heard.streaming_content)[:4] == b"RIFF"
    logged = AccessLogEntry.objects.order_by("-pk").first()
    assert logged.kind == AccessKind.COMMUNICATIONS and logged.reason == reason
    assert logged.staff_user == agent and logged.customer == customer
    message.refresh_from_db()
    assert message.listened_at is None  # still new for the customer

    client.force_login(staff_with_totp(staff_role="billing", email="billing@op.test"))
    assert client.post(url, {"access_reason_form": "1", "reason": reason}).status_code == 403


def test_priv3_the_register_publishes_each_markets_voicemail_limit(test_clock):
    manager("uk")
    manager("fr", email="bureau@exemple.test")
    _set("uk", voicemail_days=7)

    def row(market: str) -> dict:
        rows = register_for_market(market)["rows"]
        return next(r for r in rows if r["entry"].key == "voicemails")

    with translation.override("en"):
        assert str(row("uk")["retention"]) == "7 days after the message"
        assert str(row("fr")["retention"]) == "30 days after the message"
        assert "Faxes are not offered" in str(row("uk")["entry"].data)
    assert row("uk")["models"] == ["usage.voicemail"]


def test_priv3_the_published_register_shows_the_markets_call_log_limit(client, test_clock):
    manager("uk")
    OperatorMarket.objects.filter(market="uk").update(parameters={"call_log_months": 2})
    rows = {row["entry"].key: row for row in register_for_market("uk")["rows"]}
    assert rows["call_logs"]["retention"].months == 2
    assert rows["traffic_data"]["retention"].months == 12

"""Voicemail: PRIV-3 limits enforced by tick, the Office Manager's messages in the portal,
and staff access only with a stated reason (PRIV-11, logged under PRIV-10)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.db import connection

from officeline.accounts.models import OperatorMarket
from officeline.telephony import mwi
from officeline.telephony.tests.phones import active_line
from officeline.usage import selectors
from officeline.usage.models import Voicemail
from officeline.usage.services import voicemail as voicemails
from officeline.usage.tests.factories import manager, member, new_line, voicemail

pytestmark = pytest.mark.django_db


def _file(message: Voicemail, media_root: Path) -> Path:
    return Path(media_root) / str(message.audio.name)


def _set(market: str, **parameters) -> None:
    row = OperatorMarket.objects.get(market=market)
    row.parameters = parameters
    row.save()


def test_priv3_tick_deletes_messages_older_than_the_markets_days_with_their_audio(
    test_clock, media_root, django_capture_on_commit_callbacks
):
    customer = manager("uk").customer
    line = new_line(customer)
    now = test_clock.now()
    # 30 local days by default: the message of 31 days ago goes, 29 days ago stays.
    old = voicemail(line, received_at=now - dt.timedelta(days=31))
    kept = voicemail(line, received_at=now - dt.timedelta(days=29))
    assert _file(old, media_root).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert voicemails.enforce_limits(now=now) == 1
    assert list(Voicemail.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not _file(old, media_root).exists() and _file(kept, media_root).exists()

    _set("uk", voicemail_days=7)
    with django_capture_on_commit_callbacks(execute=True):
        assert voicemails.enforce_limits(now=now) == 1
    assert not Voicemail.objects.exists() and not _file(kept, media_root).exists()


def test_priv3_tick_keeps_each_lines_newest_messages_up_to_the_markets_count(
    test_clock, media_root, django_capture_on_commit_callbacks
):
    uk_customer = manager("uk").customer
    fr_customer = manager("fr", email="bureau@exemple.test").customer
    _set("uk", voicemail_max_messages=2)
    uk_line, other_uk_line = new_line(uk_customer), new_line(uk_customer)
    fr_line = new_line(fr_customer)
    now = test_clock.now()
    uk = [voicemail(uk_line, received_at=now - dt.timedelta(hours=h)) for h in (1, 2, 3, 4)]
    other = [voicemail(other_uk_line, received_at=now - dt.timedelta(hours=h)) for h in (1, 2)]
    fr = [voicemail(fr_line, received_at=now - dt.timedelta(hours=h)) for h in (1, 2, 3)]
    with django_capture_on_commit_callbacks(execute=True):
        assert voicemails.enforce_limits(now=now) == 2
    left = set(Voicemail.objects.values_list("pk", flat=True))
    # The oldest two of the first line go; the other line and fr (default 100) keep theirs.
    assert left == {uk[0].pk, uk[1].pk, *(m.pk for m in other), *(m.pk for m in fr)}
    assert not _file(uk[3], media_root).exists() and _file(uk[0], media_root).exists()


def test_priv3_a_bad_limit_is_ignored_and_the_default_used(test_clock):
    manager("uk")
    _set("uk", voicemail_days=0, voicemail_max_messages="many")
    assert selectors.voicemail_limits("uk") == selectors.VoicemailLimits(days=30, max_messages=100)


def test_priv3_voicemail_limits_run_with_tick(test_clock, django_capture_on_commit_callbacks):
    line = new_line(manager("uk").customer)
    voicemail(line, received_at=test_clock.now() - dt.timedelta(days=29))
    with django_capture_on_commit_callbacks(execute=True):
        test_clock.advance(dt.timedelta(days=2))
    assert not Voicemail.objects.exists()


def test_the_office_manager_lists_plays_and_deletes_a_lines_messages(
    client, test_clock, media_root, django_capture_on_commit_callbacks
):
    office_manager = manager("uk")
    line = new_line(office_manager.customer)
    message = voicemail(line, received_at=test_clock.now(), caller="+447700900321", seconds=3)
    client.force_login(office_manager)
    page = client.get(f"/voicemail/?line={line.pk}").text
    assert "+447700900321" in page and f"/voicemail/{message.pk}/audio/" in page
    assert "<audio" in page and "last 100 messages, for 30 days" in page
    assert f"/voicemail/?line={line.pk}" in client.get("/lines/").text

    audio = client.get(f"/voicemail/{message.pk}/audio/")
    assert audio.status_code == 200 and audio["Content-Type"] == "audio/wav"
    body = b"".join(audio.streaming_content)
    assert body[:4] == b"RIFF" and len(body) == 44 + 3 * 8000 * 2
    message.refresh_from_db()
    assert message.listened_at == test_clock.now()

    with django_capture_on_commit_callbacks(execute=True):
        gone = client.post(f"/voicemail/{message.pk}/delete/")
    assert gone.status_code == 302 and not Voicemail.objects.exists()
    assert not _file(message, media_root).exists()


def test_voicemail_page_in_french(client, test_clock):
    office_manager = manager("fr", email="bureau@exemple.test")
    voicemail(new_line(office_manager.customer), received_at=test_clock.now())
    client.force_login(office_manager)
    page = client.get("/fr/voicemail/").text
    assert "Messagerie vocale" in page and "Supprimer" in page


def test_only_the_office_manager_of_the_business_reaches_its_messages(client, test_clock):
    office_manager = manager("uk")
    message = voicemail(new_line(office_manager.customer), received_at=test_clock.now())
    other = manager("uk", email="office@osprey.test")
    client.force_login(other)
    assert message.caller not in client.get("/voicemail/").text
    assert client.get(f"/voicemail/{message.pk}/audio/").status_code == 404
    assert client.post(f"/voicemail/{message.pk}/delete/").status_code == 404
    client.force_login(member(office_manager.customer))
    assert client.get("/voicemail/").status_code == 403
    assert client.get(f"/voicemail/{message.pk}/audio/").status_code == 403
    assert Voicemail.objects.filter(pk=message.pk, listened_at=None).exists()


def test_the_voicemail_endpoints_recording_is_kept_on_the_active_line_of_its_number(
    test_clock, tmp_path, media_root
):
    from officeline.lines.services import lines
    from officeline.telephony.media.endpoint import Recording
    from officeline.usage.tests.factories import wav_bytes

    office_manager = manager("uk")
    line = new_line(office_manager.customer)
    lines.acknowledge_emergency_limitations(line=line, actor=office_manager)
    line = lines.activate_line(line=line, actor=office_manager)

    def recording(number: str, seconds: float, name: str) -> Recording:
        path = tmp_path / name
        path.write_bytes(wav_bytes(seconds))
        return Recording(call_id=f"{name}@test", number=number, caller="+447700900777", path=path)

    kept = recording(line.number.e164, 3.4, "a.wav")
    message = voicemails.receive_recording(kept)
    assert message is not None and message.line == line and message.duration_seconds == 3
    assert message.caller == "+447700900777" and message.received_at == test_clock.now()
    assert _file(message, media_root).read_bytes() == wav_bytes(3.4)
    assert not kept.path.exists()

    for dropped in (
        recording("+442079469999", 2, "b.wav"),
        recording(line.number.e164, 0, "c.wav"),
    ):
        assert voicemails.receive_recording(dropped) is None and not dropped.path.exists()
    assert Voicemail.objects.count() == 1


def test_a_new_message_is_emailed_to_each_office_manager_in_their_language(test_clock):
    """A kept message is announced to the business's Office Managers, each in their own
    language, with the line, the caller, the length, the local time and the portal's link; not
    to its other people, and without the recording (it stays in the portal, PRIV-11)."""
    from officeline.accounts.choices import CustomerRole
    from officeline.accounts.tests.factories import UserFactory
    from officeline.notifications.models import OutboxMessage

    test_clock.set(dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC))
    office_manager = manager("fr")
    customer = office_manager.customer
    other = UserFactory(
        customer=customer, customer_role=CustomerRole.OFFICE_MANAGER, language="en",
        full_name="Sam Other",
    )  # fmt: skip
    UserFactory(customer=customer, customer_role=CustomerRole.OFFICE_MANAGER, is_active=False)
    member(customer)
    line = new_line(customer)
    OutboxMessage.objects.all().delete()

    message = voicemail(line, received_at=test_clock.now(), caller="+33612345678", seconds=7)
    mails = {m.to: m for m in OutboxMessage.objects.filter(kind="voicemail")}
    assert set(mails) == {office_manager.email, other.email}
    french, english = mails[str(office_manager.email)], mails[str(other.email)]
    number = line.number.e164
    assert french.subject == f"Nouveau message vocal sur le {number}"
    # 9:00 UTC is 11:00 in Paris in July.
    assert (
        f"Le 1 juillet 2026 à 11:00, +33612345678 a laissé un message de 7 secondes sur votre "
        f"ligne {number}." in french.body_text
    ), french.body_text
    assert f"/fr/voicemail/?line={line.pk}" in french.body_text, french.body_text
    assert english.subject == f"New voicemail on {number}"
    assert (
        f"On July 1, 2026 at 11 a.m., +33612345678 left a message of 7 seconds on your line "
        f"{number}." in english.body_text
    ), english.body_text
    assert "Messages are kept for 30 days, then deleted." in english.body_text
    assert not french.attachments.exists() and not english.attachments.exists()
    assert message.listened_at is None

    # A withheld number says so, and a second save of the same call sends nothing more.
    OutboxMessage.objects.all().delete()
    withheld = voicemail(line, received_at=test_clock.now(), caller="")
    assert "a caller who withheld their number left a message" in (
        OutboxMessage.objects.get(to=other.email).body_text
    )
    voicemails.leave_message(
        line=line, call_id=withheld.call_id, caller="", received_at=test_clock.now(),
        duration_seconds=2, audio=withheld.audio,
    )  # fmt: skip
    assert OutboxMessage.objects.filter(kind="voicemail").count() == 2


def test_the_voicemail_page_reads_the_same_queries_for_one_message_or_many(client, test_clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office_manager = manager("uk")
    line = new_line(office_manager.customer)
    voicemail(line, received_at=test_clock.now())
    client.force_login(office_manager)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/voicemail/").status_code == 200
        return len(captured)

    one = queries()
    for _ in range(5):
        voicemail(new_line(office_manager.customer), received_at=test_clock.now())
    assert queries() == one


def test_a_recording_that_is_gone_is_not_found_not_an_error(client, test_clock, media_root):
    office_manager = manager("uk")
    message = voicemail(new_line(office_manager.customer), received_at=test_clock.now())
    _file(message, media_root).unlink()
    client.force_login(office_manager)
    assert client.get(f"/voicemail/{message.pk}/audio/").status_code == 404


def test_phones_are_told_of_a_new_message_after_the_commit_and_a_failure_is_only_logged(
    test_clock, settings, tmp_path, caplog, django_capture_on_commit_callbacks
):
    """The message-waiting NOTIFY goes once the message is committed; when Kamailio cannot be
    asked (here, no socket), the message is kept and the failure logged."""
    settings.SIP_RPC_SOCKET = tmp_path / "no-kamailio.sock"
    line, device = active_line("+442079460951")
    with connection.cursor() as cursor:  # a registration as Kamailio writes it
        cursor.execute(
            "INSERT INTO location (ruid, username, contact, received, user_agent)"
            " VALUES ('r1', %s, 'sip:phone@10.0.0.5:5999', 'sip:192.0.2.7:40000', 'test')",
            [device.sip_username],
        )
    with django_capture_on_commit_callbacks() as callbacks:
        message = voicemail(line, received_at=test_clock.now())
        assert "tm.t_uac_start" not in caplog.text  # nothing sent before the commit
    for callback in callbacks:
        callback()
    assert "tm.t_uac_start" in caplog.text
    assert Voicemail.objects.get() == message


def test_message_summary_body():
    """RFC 3842: whether messages wait, whose, and the new and old voice messages."""
    assert mwi.message_summary("sip:+442079460951@officeline.test", 2, 1) == (
        "Messages-Waiting: yes\r\n"
        "Message-Account: sip:+442079460951@officeline.test\r\n"
        "Voice-Message: 2/1 (0/0)\r\n"
    )
    assert mwi.message_summary("sip:+33199001234@officeline.test", 0, 3).startswith(
        "Messages-Waiting: no\r\n"
    )

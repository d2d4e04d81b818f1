"""The outbox talks to the mail server with no database transaction open and with a timeout: a
mail server that accepts and never answers neither holds the worker's tick past the timeout nor
keeps anyone else from writing meanwhile; a worker that died mid-send leaves nothing lost."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from typing import Any

import pytest
from django.core import mail
from django.db import connection, transaction

from officeline import clock
from officeline.notifications import delivery, services
from officeline.notifications.choices import OutboxStatus
from officeline.notifications.delivery import deliver_pending
from officeline.notifications.models import OutboxMessage
from officeline.notifications.services import queue_email


class SilentMailServer:
    """A TCP server on the loopback that accepts connections and never says a word."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        self.connected = threading.Event()
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        try:
            while True:
                conn, _ = self.sock.accept()
                self.accepted.append(conn)
                self.connected.set()
        except OSError:
            return

    def close(self) -> None:
        for conn in self.accepted:
            conn.close()
        self.sock.close()


@pytest.fixture
def silent_server(settings):
    server = SilentMailServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 2
    yield server
    server.close()


@pytest.fixture(autouse=True)
def _no_delivery_on_commit(monkeypatch):
    """Each test runs the delivery itself (the worker's on-commit request would run it at once
    in tests, in the test's own thread)."""
    monkeypatch.setattr(services, "_deliver_soon", lambda: None)


def _queue(to: str = "someone@example.test") -> OutboxMessage:
    with transaction.atomic():
        return queue_email(
            to=to,
            template="notifications/tests/hello",
            context={"name": "Sam"},
            language="en",
            kind="test.hello",
        )


@pytest.mark.django_db(transaction=True)
def test_a_silent_mail_server_holds_neither_the_tick_nor_the_database(silent_server, test_clock):
    message = _queue()
    result: dict[str, Any] = {}

    def run_tick() -> None:
        started = time.monotonic()
        try:
            result["done"] = clock.tick(only={"notifications.deliver"})
        finally:
            result["seconds"] = time.monotonic() - started
            connection.close()

    worker = threading.Thread(target=run_tick)
    worker.start()
    assert silent_server.connected.wait(10), "the worker never reached the mail server"

    # While the worker waits on the mail server, a request writes to the same row and others.
    started = time.monotonic()
    with transaction.atomic():
        OutboxMessage.objects.select_for_update(nowait=True).get(pk=message.pk)
        OutboxMessage.objects.create(
            to="other@example.test", body_text="Meanwhile.", kind="test", queued_at=clock.now()
        )
    assert time.monotonic() - started < 1.0
    assert worker.is_alive(), "the write is meant to happen while the mail server is silent"

    worker.join(30)
    assert not worker.is_alive()
    assert result["seconds"] < 2 + 3  # the mail server's timeout, and a margin
    message.refresh_from_db()
    assert message.status == OutboxStatus.QUEUED and message.attempts == 1
    assert "timed out" in message.last_error.lower() or "Timeout" in message.last_error
    assert message.claimed_at is None


@pytest.mark.django_db(transaction=True)
def test_the_send_happens_outside_any_transaction(monkeypatch, test_clock):
    seen: list[bool] = []
    real_send = delivery._send

    def watching(message):
        seen.append(connection.in_atomic_block)
        real_send(message)

    monkeypatch.setattr(delivery, "_send", watching)
    _queue()
    assert deliver_pending() == 1
    assert seen == [False]
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT


@pytest.mark.django_db
def test_a_claim_left_by_a_dead_worker_is_sent_again_once_old(test_clock):
    message = _queue()
    # A worker claimed it and died before recording anything.
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING, claimed_at=test_clock.now(), attempts=1
    )
    assert deliver_pending() == 0  # a fresh claim is another worker's: not sent twice
    assert len(mail.outbox) == 0
    test_clock.advance(dt.timedelta(minutes=4))  # the tick runs: the claim is still fresh
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENDING and len(mail.outbox) == 0
    test_clock.advance(dt.timedelta(minutes=2))  # the tick takes the old claim over
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.attempts == 2
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_result_is_not_written_over_a_newer_claim(test_clock, monkeypatch):
    """A worker that comes back after its claim expired and another took the email over
    does not record over that other worker's claim."""
    message = _queue()
    claimed = delivery._claim_next(test_clock.now())
    assert claimed is not None
    OutboxMessage.objects.filter(pk=message.pk).update(
        claimed_at=test_clock.now() + dt.timedelta(minutes=6)
    )
    assert delivery._record(claimed[0], claimed[1], error="") == 0
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENDING

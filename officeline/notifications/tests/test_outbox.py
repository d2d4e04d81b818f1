from __future__ import annotations

import pytest
from django.core import mail

from officeline.notifications.choices import OutboxStatus
from officeline.notifications.delivery import deliver_pending
from officeline.notifications.models import OutboxMessage
from officeline.notifications.pdf import render_pdf
from officeline.notifications.services import Attachment, queue_email

pytestmark = pytest.mark.django_db


def test_queued_email_is_sent_once_with_attachment(test_clock):
    message = queue_email(
        to="someone@example.test",
        template="notifications/tests/hello",
        context={"name": "Sam"},
        language="en",
        kind="test.hello",
        attachments=[Attachment("a.pdf", b"%PDF-1.4")],
    )
    assert message.subject == "Hello Sam"
    assert deliver_pending() == 1
    assert deliver_pending() == 0
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.sent_at == test_clock.now()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].attachments[0][0] == "a.pdf"


def test_failed_delivery_is_retried_then_marked_failed(test_clock, settings):
    settings.EMAIL_BACKEND = "officeline.notifications.tests.broken_backend.BrokenBackend"
    queue_email(
        to="x@example.test",
        template="notifications/tests/hello",
        context={"name": "X"},
        language="en",
        kind="t",
    )
    for _ in range(5):
        deliver_pending()
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.FAILED and message.attempts == 5
    assert "ConnectionRefusedError" in message.last_error


def test_render_pdf_with_euro_sign():
    from django.template import engines

    pdf = render_pdf("notifications/letter_base.html", {}, language="fr")
    assert pdf.startswith(b"%PDF")
    assert engines["django"]

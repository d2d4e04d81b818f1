from __future__ import annotations

from huey.contrib.djhuey import db_task

from officeline.notifications.delivery import deliver_pending


@db_task()
def deliver_outbox() -> int:
    return deliver_pending()

"""Two staff acting on one complaint at once: only one of them can acknowledge it."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from officeline.support.models import Complaint
from officeline.support.services import complaints
from officeline.support.tests.factories import agent, complaint, manager


@pytest.mark.django_db(transaction=True)
def test_two_staff_acknowledging_at_once_only_one_succeeds(test_clock):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises writers")
    c = complaint(manager())
    staff = [agent(), agent()]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def act(user):
        try:
            barrier.wait()
            complaints.acknowledge(complaint=Complaint.objects.get(pk=c.pk), actor=user)
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(u,)) for u in staff]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert c.deadlines.get(kind="acknowledge").met_at is not None

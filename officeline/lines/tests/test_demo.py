"""The demo data of ``make run``: working lines, and a planned maintenance to see (LIFE-6)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from officeline.lines.models import Line, Maintenance
from officeline.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_the_demo_has_working_lines_and_announces_one_maintenance_once(test_clock):
    """LIFE-6 in the demo: the London building's maintenance a week ahead, announced to its
    customer at once; seeding again changes nothing."""
    test_clock.set(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    for _ in range(2):
        call_command("seed_demo", stdout=io.StringIO())
    assert Line.objects.filter(status="active").count() == 4
    (window,) = Maintenance.objects.all()
    assert window.starts_at == dt.datetime(2026, 3, 9, 22, 0, tzinfo=dt.UTC)  # GMT in March
    assert [b.market for b in window.buildings.all()] == ["uk"]
    (mail,) = OutboxMessage.objects.filter(subject__icontains="maintenance")
    assert mail.customer is not None and mail.customer.market == "uk"

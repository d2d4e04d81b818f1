"""The API's timeline gives the words of an action beside its code."""

from __future__ import annotations

import pytest

from officeline.accounts.tests.factories import client_for
from officeline.events.services import record_event
from officeline.support.tests.factories import manager


@pytest.mark.django_db
def test_the_api_timeline_gives_the_words_beside_the_code():
    office_manager = manager("uk")
    record_event(
        action="lines.device_added", customer=office_manager.customer, customer_visible=True
    )
    (event,) = client_for(office_manager).get("/api/v1/timeline/").json()["results"]
    assert event["action"] == "lines.device_added" and event["summary"] == "Device added"

"""LINE-5: defective equipment supplied by the operator is replaced at no cost, tracked."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from officeline.accounts.choices import StaffRole
from officeline.accounts.tests.factories import (
    CustomerFactory,
    OfficeManagerFactory,
    staff_with_totp,
)
from officeline.lines.models import ReplacementRequest
from officeline.lines.services import lines as services
from officeline.lines.services import replacements
from officeline.lines.tests.factories import NumberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(test_clock):
    manager = OfficeManagerFactory(customer=CustomerFactory())
    number = NumberFactory(e164="+442079460501", market="uk", building=manager.customer.building)
    line = services.open_line(
        customer=manager.customer,
        number=number,
        actor=manager,
        limitations_acknowledged=True,
        location_confirmed=True,
    )
    services.add_device(line=line, kind="desk_phone", label="Reception", actor=manager)
    services.add_device(line=line, kind="softphone", label="Laptop", actor=manager)
    return manager


def test_line5_a_replacement_is_tracked_from_request_to_done_and_charges_nothing(client, manager):
    desk = manager.customer.lines.get().devices.get(kind="desk_phone")
    client.force_login(manager)
    response = client.post(
        "/lines/replacements/new/", {"device": desk.pk, "description": "No dial tone"}
    )
    assert response.status_code == 302
    replacement = ReplacementRequest.objects.get()
    assert (replacement.status, replacement.requested_by) == ("requested", manager)
    assert "Requested" in client.get("/lines/").content.decode()

    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    page = client.get("/console/lines/replacements/").content.decode()
    assert "No dial tone" in page and manager.customer.legal_name in page
    client.post(f"/console/lines/replacements/{replacement.pk}/shipped/", {"reference": ""})
    replacement.refresh_from_db()
    assert replacement.status == "requested"
    client.post(f"/console/lines/replacements/{replacement.pk}/shipped/", {"reference": "RM123"})
    replacement.refresh_from_db()
    assert (replacement.status, replacement.shipment_reference) == ("shipped", "RM123")
    assert replacement.shipped_at is not None
    client.post(f"/console/lines/replacements/{replacement.pk}/done/")
    replacement.refresh_from_db()
    assert replacement.status == "done" and replacement.done_at is not None
    assert "No dial tone" not in client.get("/console/lines/replacements/").content.decode()
    # At no cost: billing's tests check that no invoice, invoice line or payment comes of it.


def test_line5_only_a_desk_phone_we_supplied_and_a_description(client, manager):
    line = manager.customer.lines.get()
    softphone = line.devices.get(kind="softphone")
    desk = line.devices.get(kind="desk_phone")
    with pytest.raises(ValidationError) as info:
        replacements.request_replacement(device=softphone, description="Crashes", actor=manager)
    assert "device" in info.value.message_dict
    client.force_login(manager)
    response = client.post("/lines/replacements/new/", {"device": desk.pk, "description": ""})
    assert response.status_code == 400
    assert "Describe what is wrong with the device." in response.content.decode()
    response = client.post(
        "/lines/replacements/new/", {"device": softphone.pk, "description": "Crashes"}
    )
    assert response.status_code == 400
    assert "Choose one of your desk phones." in response.content.decode()
    assert not ReplacementRequest.objects.exists()


def test_line5_one_replacement_at_a_time_and_steps_in_order(manager):
    desk = manager.customer.lines.get().devices.get(kind="desk_phone")
    replacement = replacements.request_replacement(
        device=desk, description="Cracked", actor=manager
    )
    with pytest.raises(ValidationError):
        replacements.request_replacement(device=desk, description="Cracked", actor=manager)
    engineer = staff_with_totp(staff_role=StaffRole.ENGINEER)
    with pytest.raises(ValidationError):
        replacements.mark_replacement_done(replacement=replacement, actor=engineer)
    replacements.mark_replacement_shipped(replacement=replacement, reference="", actor=engineer)
    replacements.mark_replacement_done(replacement=replacement, actor=engineer)
    replacements.request_replacement(device=desk, description="Cracked again", actor=manager)

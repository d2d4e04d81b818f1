"""AUP-2 and BILL-11: a review case for decision ends with its line on the commercial
per-minute plan; a case remedied leaves the line's plan as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from officeline import clock
from officeline.accounts.choices import StaffRole
from officeline.billing.choices import Plan
from officeline.billing.services.plans import plan_in_force
from officeline.events.models import Event
from officeline.usage.choices import CaseStatus
from officeline.usage.services import reviews
from officeline.usage.tests.factories import (
    DEADLINES,
    add_calls,
    open_review_case,
    staff_with_totp,
    tick_at,
)


@pytest.mark.django_db
def test_aup2_no_answer_goes_for_decision_at_the_deadline_and_staff_move_the_line(
    test_clock, client
):
    case, _manager, tz = open_review_case(test_clock)
    assert case.respond_by == dt.datetime(2026, 12, 10, 23, 59, 59, 999999, tzinfo=tz)
    # At the deadline itself: still open.
    assert tick_at(test_clock, case.respond_by, only=DEADLINES) == {"usage.use_review_deadlines": 0}
    tick_at(test_clock, dt.datetime(2026, 12, 11, 0, 5, tzinfo=tz), only=DEADLINES)
    case.refresh_from_db()
    assert case.status == CaseStatus.FOR_DECISION and case.decision_reason
    # Staff see it in the console list, past its deadline: flagged late.
    client.force_login(staff_with_totp(staff_role=StaffRole.AGENT))
    page = client.get("/console/acceptable-use/").content.decode()
    assert case.line.number.e164 in page and "For decision" in page
    assert '<span class="late">late</span>' in page
    # An agent may read the case but not move the line: a clear error, nothing written.
    response = client.post(
        f"/console/acceptable-use/{case.pk}/", {"action": "move", "reason": "Not remedied"}
    )
    assert response.status_code == 403
    assert "Only a supervisor or the Director" in response.content.decode()
    assert plan_in_force(case.line, clock.now()) == Plan.STANDARD
    # A supervisor moves it, with a reason; the customer is told by the plan change.
    client.force_login(staff_with_totp(staff_role=StaffRole.SUPERVISOR))
    response = client.post(f"/console/acceptable-use/{case.pk}/", {"action": "move", "reason": ""})
    assert (
        response.status_code == 400
        and "Say why the line changes plan." in response.content.decode()
    )
    response = client.post(
        f"/console/acceptable-use/{case.pk}/", {"action": "move", "reason": "Not remedied"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.MOVED
    assert plan_in_force(case.line, clock.now()) == Plan.COMMERCIAL
    assert Event.objects.filter(action="usage.use_review_line_moved").count() == 1


@pytest.mark.django_db
def test_aup2_answered_and_back_to_normal_is_remedied_not_moved(test_clock, client):
    case, manager, tz = open_review_case(test_clock, "fr")
    client.force_login(manager)
    url = f"/fr/acceptable-use/{case.pk}/"
    page = client.get(url).content.decode()
    assert "Votre réponse" in page and "6 appels en une journée" in page
    # Bad answers: a clear error naming the field, nothing written.
    response = client.post(url, {"response": "   "})
    assert response.status_code == 400 and "Écrivez votre réponse." in response.content.decode()
    response = client.post(url, {"response": "x" * 2001})
    assert response.status_code == 400 and "2000" in response.content.decode()
    case.refresh_from_db()
    assert case.responded_at is None and case.response == ""
    assert client.post(url, {"response": "Une campagne ponctuelle, terminée."}).status_code == 302
    case.refresh_from_db()
    assert case.response == "Une campagne ponctuelle, terminée." and case.responded_at
    # A few normal calls since: back to normal at the deadline.
    add_calls(case.line, dt.datetime(2026, 11, 30, 9, 0, tzinfo=tz), 3)
    tick_at(test_clock, dt.datetime(2026, 12, 11, 0, 5, tzinfo=tz), only=DEADLINES)
    case.refresh_from_db()
    assert case.status == CaseStatus.REMEDIED
    assert plan_in_force(case.line, clock.now()) == Plan.STANDARD
    supervisor = staff_with_totp(staff_role=StaffRole.SUPERVISOR)
    with pytest.raises(ValidationError):
        reviews.move_line_to_commercial_plan(case=case, actor=supervisor, reason="Too late")
    assert plan_in_force(case.line, clock.now()) == Plan.STANDARD

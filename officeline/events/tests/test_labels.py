"""A customer reads what happened on their account in words, in their language, never as the
code of the action."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import translation

from officeline.events.labels import LABELS, label_for
from officeline.events.services import record_event
from officeline.support.tests.factories import manager

ROOT = Path(__file__).resolve().parents[2]
# Helpers that record a visible event as f"<app>.{action}" from their second argument.
PREFIXED_HELPERS = {
    "lines/services.py": "lines.",
    "lines/porting.py": "lines.",
    "support/services.py": "support.",
}


def _visible_actions_named_in_code() -> set[str]:
    """Every action the code records as visible to the customer, where it names it literally."""
    found: set[str] = set()
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in relative or "/migrations/" in relative:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            keywords = {k.arg: k.value for k in node.keywords if k.arg}
            visible = keywords.get("customer_visible", keywords.get("visible"))
            hidden = isinstance(visible, ast.Constant) and visible.value is False
            action = keywords.get("action")
            if "customer_visible" in keywords and not hidden and action is not None:
                # A name written whole, or either name of a choice between two.
                choices = (
                    [action.body, action.orelse] if isinstance(action, ast.IfExp) else [action]
                )
                for value in choices:
                    if isinstance(value, ast.Constant) and "." in str(value.value):
                        found.add(str(value.value))
            prefix = PREFIXED_HELPERS.get(relative)
            name = getattr(node.func, "id", "")
            if prefix and name == "_event" and len(node.args) >= 2 and not hidden:
                second = node.args[1]
                if isinstance(second, ast.Constant) and isinstance(second.value, str):
                    found.add(prefix + second.value)
    return found


def test_every_visible_action_the_code_names_has_a_label():
    named = _visible_actions_named_in_code()
    assert len(named) > 40, named  # the scan finds them
    assert not named - set(LABELS), sorted(named - set(LABELS))


def test_an_action_without_a_label_is_named_by_its_app_never_by_its_code():
    with translation.override("fr"):
        assert label_for("billing.invoice_issued") == "Facture émise"
        assert label_for("billing.something_new") == "Mise à jour de la facturation"
        assert label_for("unknown") == "Activité du compte"


@pytest.mark.django_db
def test_the_dashboard_shows_what_happened_in_words_in_the_customers_language(client):
    office_manager = manager("fr")
    record_event(
        action="billing.invoice_issued", customer=office_manager.customer, customer_visible=True
    )
    client.force_login(office_manager)
    page = client.get("/fr/dashboard/").content.decode()
    assert "Facture émise" in page
    assert "billing.invoice_issued" not in page and "accounts.signed_up" not in page


@pytest.mark.django_db
def test_the_api_timeline_gives_the_words_beside_the_code():
    from officeline.accounts.tests.factories import client_for

    office_manager = manager("uk")
    record_event(
        action="lines.device_added", customer=office_manager.customer, customer_visible=True
    )
    (event,) = client_for(office_manager).get("/api/v1/timeline/").json()["results"]
    assert event["action"] == "lines.device_added" and event["summary"] == "Device added"

"""A service's refusal shown on the form that asked for it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from officeline.forms import add_service_errors


class _Form(forms.Form):
    about = forms.CharField()
    details = forms.CharField(required=False)


def _form() -> _Form:
    form = _Form({"about": "me"})
    assert form.is_valid()
    return form


def test_each_problem_goes_on_its_field_or_on_the_form():
    form = _form()
    add_service_errors(
        form,
        ValidationError({"person": ["Not you."], "details": ["Too long."], "ticket": ["Closed."]}),
        {"person": "about"},
    )
    assert form.errors["about"] == ["Not you."]
    assert form.errors["details"] == ["Too long."]
    assert form.non_field_errors() == ["Closed."]


def test_a_refusal_about_no_field_goes_on_the_form():
    form = _form()
    add_service_errors(form, ValidationError("The request is already answered."))
    assert form.non_field_errors() == ["The request is already answered."]

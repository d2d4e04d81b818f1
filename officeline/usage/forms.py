"""Forms of the acceptable-use review (AUP-2): the customer's answer and staff decisions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from officeline.usage.services.reviews import MAX_NOTE, MAX_RESPONSE


class ResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Your answer"),
        max_length=MAX_RESPONSE,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Write your answer."),
            "max_length": _("Keep the answer under %(limit_value)s characters."),
        },
    )


class MoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason given to the customer"),
        max_length=MAX_NOTE,
        error_messages={
            "required": _("Say why the line changes plan."),
            "max_length": _("Keep the reason under 300 characters."),
        },
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Why the case is closed"),
        max_length=MAX_NOTE,
        error_messages={
            "required": _("Say why the case is closed."),
            "max_length": _("Keep the note under 300 characters."),
        },
    )

"""The customer's forms for billing: cancelling a line or the service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from officeline.accounts.models import Customer
from officeline.billing.forms.fields import LineChoiceField
from officeline.lines.choices import LineStatus
from officeline.lines.models import Line


class CancelForm(forms.Form):
    """LIFE-3: which line to cancel; no line means the whole service."""

    line = LineChoiceField(
        queryset=Line.objects.none(),
        required=False,
        label=_("What to cancel"),
        empty_label=_("The whole service (every line)"),
    )
    confirm = forms.BooleanField(
        label=_("I understand when the cancellation takes effect and what is still billed."),
    )

    def __init__(self, *args: Any, customer: Customer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["line"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Line.objects.filter(customer=customer)
            .exclude(status=LineStatus.TERMINATED)
            .select_related("number")
            .order_by("number__e164")
        )

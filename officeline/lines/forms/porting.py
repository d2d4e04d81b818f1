"""Forms of number porting: the customer's port requests and claims, the staff's steps."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from officeline.lines.choices import PortState

# PORT-3: what the customer is told before asking for a port.
PORTING_WARNING = _(
    "Porting a number may not be possible in every case: the other provider may refuse it, "
    "or it may take longer than planned. Keep your current service until the port is complete."
)
WARNING_REQUIRED = _(
    "Please confirm that you understand that porting may not be possible in every case."
)


class _WarningForm(forms.Form):
    warning_acknowledged = forms.BooleanField(
        label=_("I understand that porting may not be possible in every case."),
        error_messages={"required": WARNING_REQUIRED},
    )


class PortInForm(_WarningForm):
    number = forms.CharField(
        label=_("The number to bring to Officeline"),
        max_length=30,
        error_messages={"required": _("Enter the number to bring.")},
    )
    other_provider = forms.CharField(
        label=_("Its current provider"),
        max_length=200,
        error_messages={"required": _("Name the other provider.")},
    )
    other_account_reference = forms.CharField(
        label=_("Your account reference with that provider"), max_length=100, required=False
    )

    field_order = ["number", "other_provider", "other_account_reference", "warning_acknowledged"]


class PortOutForm(_WarningForm):
    other_provider = forms.CharField(
        label=_("The provider taking the number"),
        max_length=200,
        error_messages={"required": _("Name the other provider.")},
    )

    field_order = ["other_provider", "warning_acknowledged"]


class CompensationClaimForm(forms.Form):
    claim = forms.CharField(
        label=_("Your claim"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": _("Write the claim: compensation is claimed in writing.")},
    )


class AgreeDateForm(forms.Form):
    agreed_date = forms.DateField(
        label=_("Port date agreed with the other provider"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Enter the agreed date."), "invalid": _("Enter a date.")},
    )


class CompleteForm(forms.Form):
    completed_on = forms.DateField(
        label=_("Date the port was completed"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Enter the completion date."), "invalid": _("Enter a date.")},
    )


class CloseForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(PortState.REJECTED, _("Rejected")), (PortState.CANCELLED, _("Cancelled"))],
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=300, error_messages={"required": _("Give the reason.")}
    )


class CompensationPaidForm(forms.Form):
    reference = forms.CharField(
        label=_("Payment reference"),
        max_length=100,
        error_messages={"required": _("Give the payment's reference.")},
    )

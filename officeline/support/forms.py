from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from officeline.forms import LINE_MAX_LENGTH, TEXT_MAX_LENGTH
from officeline.support.choices import Category, Channel, DeadlockRefusal, EscalationReason


class TicketForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    category = forms.ChoiceField(label=_("What is it about?"), choices=Category.choices)
    description = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    is_complaint = forms.BooleanField(
        label=_("This is a complaint (handled under our complaints code)"), required=False
    )


class StaffTicketForm(TicketForm):
    """CMP-1: staff record phone contacts, including authorised representatives."""

    channel = forms.ChoiceField(
        label=_("How it reached us"), choices=Channel.choices, initial=Channel.PHONE
    )
    representative_name = forms.CharField(
        max_length=LINE_MAX_LENGTH, label=_("Authorised representative (if any)"), required=False
    )
    representative_authority = forms.CharField(
        max_length=LINE_MAX_LENGTH, label=_("Their authority"), required=False
    )
    representative_contact = forms.CharField(
        max_length=TEXT_MAX_LENGTH, label=_("How to reach them"), required=False
    )


class TextForm(forms.Form):
    text = forms.CharField(
        max_length=TEXT_MAX_LENGTH, label=_("Text"), widget=forms.Textarea(attrs={"rows": 4})
    )


class UpdateForm(forms.Form):
    progress = forms.CharField(
        max_length=TEXT_MAX_LENGTH, label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3})
    )
    next_steps = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label=_("What we will do next"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    timeframe = forms.CharField(label=_("Expected timeframe"), max_length=200)


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    summary = forms.CharField(
        max_length=TEXT_MAX_LENGTH, label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3})
    )
    is_update = forms.BooleanField(
        label=_("This was an update to the customer"), required=False, initial=True
    )


class EscalateForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=EscalationReason.choices)
    note = forms.CharField(max_length=TEXT_MAX_LENGTH, label=_("Note"), required=False)


class DeadlockForm(forms.Form):
    refusal = forms.ChoiceField(
        label=_("Refuse on this ground (leave empty to send the letter)"),
        choices=[("", "—"), *DeadlockRefusal.choices],
        required=False,
    )


class GroundForm(forms.Form):
    vexatious = forms.BooleanField(label=_("Vexatious"), required=False)
    out_of_jurisdiction = forms.BooleanField(
        label=_("Outside the ADR scheme's jurisdiction"), required=False
    )


class DisputeForm(forms.Form):
    """BILL-12: which invoice, and what is wrong with the charge."""

    invoice = forms.CharField(label=_("Invoice number"), max_length=20)
    description = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label=_("Which charge is wrong, and why"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

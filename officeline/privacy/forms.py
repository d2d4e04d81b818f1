"""Forms of the privacy app: marketing preferences, the access log's search."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from officeline.accounts.choices import AccessKind
from officeline.forms import LINE_MAX_LENGTH, TEXT_MAX_LENGTH
from officeline.privacy.choices import (
    SELF_SERVICE_CHANNELS,
    FeeGround,
    RequestChannel,
    RequestKind,
    VerificationMethod,
)

# PRIV-4: the sign-up boxes and the account page's boxes say the same, and start unticked.
MARKETING_EMAIL_LABEL = _("Send me news and offers from Officeline by email.")
MARKETING_SMS_LABEL = _("Send me news and offers from Officeline by text message (SMS).")


class MarketingFieldsMixin(forms.Form):
    """Two boxes, never ticked by default (PRIV-4)."""

    marketing_email = forms.BooleanField(label=MARKETING_EMAIL_LABEL, required=False, initial=False)
    marketing_sms = forms.BooleanField(label=MARKETING_SMS_LABEL, required=False, initial=False)


class MarketingPreferencesForm(MarketingFieldsMixin):
    pass


class PolicyOptOutSearchForm(forms.Form):
    """PRIV-12: the DPO's search of the opt-outs from a changed privacy policy."""

    customer = forms.CharField(
        label=_("Customer"),
        required=False,
        max_length=200,
        help_text=_("The customer's number, or part of their name or email."),
    )


class AccessLogSearchForm(forms.Form):
    """PRIV-10: the DPO's search of the access log."""

    customer = forms.CharField(
        max_length=LINE_MAX_LENGTH,
        label=_("Customer"),
        required=False,
        help_text=_("The customer's number, or part of their name or email."),
    )
    staff = forms.CharField(
        max_length=LINE_MAX_LENGTH,
        label=_("Staff member"),
        required=False,
        help_text=_("Part of their email."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of data"),
        required=False,
        choices=[("", _("Any")), *AccessKind.choices],
    )
    date_from = forms.DateField(
        label=_("From (UTC)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To (UTC, included)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


class DisclosureForm(forms.Form):
    """PRIV-9: a disclosure to an authority, as the DPO records it."""

    authority = forms.CharField(
        label=_("Authority"),
        max_length=200,
        help_text=_("Who asked: the police force, court, regulator or agency."),
    )
    requester_name = forms.CharField(
        label=_("Requester's name"), max_length=200, help_text=_("The officer or official.")
    )
    given = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label=_("What was given"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The data, the period it covers, and how it was sent."),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=500,
        help_text=_("The law, order or warrant under which the data was given."),
    )
    reference = forms.CharField(label=_("Their reference"), max_length=200)
    disclosed_on = forms.DateField(
        label=_("Date of the disclosure"), widget=forms.DateInput(attrs={"type": "date"})
    )
    customer = forms.IntegerField(
        label=_("Customer concerned (number)"),
        required=False,
        min_value=1,
        help_text=_("Leave empty when the disclosure concerns no single customer."),
    )


class LegalHoldForm(forms.Form):
    """PRIV-8: the DPO places a legal hold on a customer's data."""

    customer = forms.IntegerField(label=_("Customer (number)"), min_value=1)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The dispute, investigation or order for which the data must be kept."),
    )


class ReleaseLegalHoldForm(forms.Form):
    """PRIV-8: the DPO ends a legal hold."""

    hold = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    release_reason = forms.CharField(label=_("Why the hold can end"), max_length=2000)


class PortalRequestForm(forms.Form):
    """PRIV-6, PRIV-7: a person's request about their own data, in the portal."""

    kind = forms.ChoiceField(label=_("What do you ask?"), choices=RequestKind.choices)
    about = forms.EmailField(
        label=_("Whose data is it about?"),
        help_text=_(
            "Your own email address: a request is about the personal data of the person who "
            "makes it."
        ),
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For a correction: what is wrong and what it should say. For a deletion: what you "
            "want deleted. For a copy: anything you want us to know."
        ),
    )


class StaffRequestForm(forms.Form):
    """PRIV-6, PRIV-7: staff record a request made by phone, letter or ticket."""

    person = forms.TypedChoiceField(label=_("The person it is about"), coerce=int)
    kind = forms.ChoiceField(label=_("Request"), choices=RequestKind.choices)
    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[c for c in RequestChannel.choices if c[0] not in SELF_SERVICE_CHANNELS],
    )
    ticket_reference = forms.CharField(
        label=_("Ticket reference"), required=False, max_length=12, help_text=_("For a ticket.")
    )
    details = forms.CharField(
        label=_("What is asked"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, people: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [  # type: ignore[attr-defined]
            (p.pk, f"{p.full_name or p.email} <{p.email}>") for p in people
        ]


class VerifyIdentityForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How was the identity verified?"),
        choices=[c for c in VerificationMethod.choices if c[0] != VerificationMethod.PORTAL_LOGIN],
    )
    notes = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DoubtForm(forms.Form):
    doubt = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label=_("The reasonable doubt about who is asking"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FeeForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground"), choices=FeeGround.choices)
    reason = forms.CharField(
        max_length=TEXT_MAX_LENGTH, label=_("Why"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label=_("Why the request is complex (sent to the requester)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label=_("How the request was answered"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OwnDetailsForm(forms.Form):
    """PRIV-7: the person's own details, which they correct themselves."""

    full_name = forms.CharField(label=_("Your name"), max_length=200)
    language = forms.ChoiceField(
        label=_("Your language"), choices=[("en", "English"), ("fr", "Français")]
    )

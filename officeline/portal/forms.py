"""Portal forms: sign-up, the business's details, notices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from officeline.accounts.choices import PreferredFormat
from officeline.accounts.models import Building, User
from officeline.forms import TEXT_MAX_LENGTH
from officeline.markets.choices import MarketCode
from officeline.privacy.forms import MarketingFieldsMixin

OPTIONAL = _("(optional)")


class DetailsFieldsMixin(forms.Form):
    """The business's details, as sign-up and the account page ask for them (ACC-3, ACC-4, INFO-3)."""

    legal_name = forms.CharField(label=_("Company name"), max_length=200)
    company_number = forms.CharField(
        label=_("Company number"),
        max_length=20,
        help_text=_("Companies House number in the UK, SIREN in France."),
    )
    vat_number = forms.CharField(label=_("VAT number"), max_length=20, required=False)
    contact_name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Email"), help_text=_("Notices and invoices go to this address.")
    )
    phone = forms.CharField(label=_("Phone"), max_length=30)
    address_line1 = forms.CharField(label=_("Postal address"), max_length=200)
    address_line2 = forms.CharField(label=_("Address (continued)"), max_length=200, required=False)
    city = forms.CharField(label=_("City"), max_length=100)
    postcode = forms.CharField(label=_("Postcode"), max_length=20)
    workers_count = forms.IntegerField(
        label=_("How many people work for the business?"),
        min_value=1,
        help_text=_("Businesses of ten or fewer have extra rights in disputes."),
    )
    preferred_format = forms.ChoiceField(
        label=_("How should we send written replies?"),
        choices=PreferredFormat.choices,
        initial=PreferredFormat.EMAIL,
    )
    preferred_format_details = forms.CharField(
        label=_("If other: how should we write to you?"), max_length=200, required=False
    )
    accessibility_needs = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label=_("Accessibility needs we should know about"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not field.required and field.label and not isinstance(field, forms.BooleanField):
                field.label = format_lazy("{} {}", field.label, OPTIONAL)


class SignUpForm(MarketingFieldsMixin, DetailsFieldsMixin):
    market = forms.ChoiceField(label=_("Where is your office?"), choices=MarketCode.choices)
    building = forms.ModelChoiceField(
        label=_("Building"), queryset=Building.objects.order_by("market", "name"), required=False
    )
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)
    is_business = forms.BooleanField(
        label=_("I am signing up a business, not an individual."), required=False
    )
    is_adult = forms.BooleanField(label=_("I am 18 or over."), required=False)
    porting_warning_seen = forms.BooleanField(
        label=_("I understand that porting an existing number may not be possible in every case."),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("is_business"):
            self.add_error("is_business", _("Officeline is for businesses only."))
        if not data.get("is_adult"):
            self.add_error("is_adult", _("You must be 18 or over to sign up."))
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                password_validation.validate_password(
                    p1,
                    user=User(email=data.get("email", ""), full_name=data.get("contact_name", "")),
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        building = data.get("building")
        if building is not None and data.get("market") and building.market != data["market"]:
            self.add_error("building", _("This building is not in the market you chose."))
        return data


class AccountForm(DetailsFieldsMixin):
    language = forms.ChoiceField(
        label=_("Language"), choices=[("en", "English"), ("fr", "Français")]
    )


class NoticeForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        max_length=TEXT_MAX_LENGTH, label=_("Your notice"), widget=forms.Textarea(attrs={"rows": 8})
    )


class SandboxCardForm(forms.Form):
    number = forms.CharField(label=_("Card number"), max_length=23)
    exp_month = forms.IntegerField(label=_("Expiry month"), min_value=1, max_value=12)
    exp_year = forms.IntegerField(label=_("Expiry year"), min_value=2000, max_value=2100)
    cvc = forms.CharField(label=_("Security code"), max_length=4)

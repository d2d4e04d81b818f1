"""Console forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from officeline.clock.moves import ADVANCE_LIMITS
from officeline.console.services import MAX_REASON_LENGTH, MAX_SOURCE_LENGTH
from officeline.markets.choices import MarketCode


class CustomerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, email, company number or phone"), max_length=200, required=False
    )


class ClosureDayForm(forms.Form):
    market = forms.ChoiceField(label=_("Market"), choices=MarketCode.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=MAX_REASON_LENGTH)


class ReferenceRateForm(forms.Form):
    """A central bank's new reference rate (BILL-8), entered as a percentage."""

    market = forms.ChoiceField(label=_("Market"), choices=MarketCode.choices)
    effective_from = forms.DateField(
        label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    rate = forms.DecimalField(
        label=_("Rate (%)"),
        max_digits=6,
        decimal_places=2,
        localize=True,
        help_text=_("For example 2.15"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    source = forms.CharField(label=_("Source"), max_length=MAX_SOURCE_LENGTH)

    def rate_bp(self) -> int:
        """The rate in basis points (2.15 -> 215); the form allows two decimals only."""
        return int(self.cleaned_data["rate"].scaleb(2))


class AdvanceClockForm(forms.Form):
    """Move the test clock forward by hours, days or business days of a market."""

    UNITS = (
        ("hours", _("hours")),
        ("days", _("days")),
        ("business_days", _("business days")),
    )
    amount = forms.IntegerField(label=_("Move forward by"), min_value=1)
    unit = forms.ChoiceField(label=_("Unit"), choices=UNITS)
    market = forms.ChoiceField(
        label=_("Market (for business days)"), choices=MarketCode.choices, required=False
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        amount, unit = data.get("amount"), data.get("unit")
        if isinstance(amount, int) and isinstance(unit, str):
            limit = ADVANCE_LIMITS[unit]
            if amount > limit:
                self.add_error("amount", _("At most %(limit)s at a time.") % {"limit": limit})
            if unit == "business_days" and not data.get("market"):
                self.add_error("market", _("Choose the market whose business days count."))
        return data

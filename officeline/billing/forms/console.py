"""The operator's forms for billing: prices, credit notes, terminations, charges, plans."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from officeline.accounts.models import Customer
from officeline.billing.choices import InvoiceStatus, Plan, TerminationKind
from officeline.billing.forms.fields import LineChoiceField
from officeline.billing.models import Invoice
from officeline.billing.money import Money, MoneyError
from officeline.billing.templatetags.billing import charge_description, money
from officeline.forms import LINE_MAX_LENGTH, TEXT_MAX_LENGTH
from officeline.lines.choices import LineStatus
from officeline.lines.models import Line
from officeline.markets.choices import MarketCode
from officeline.markets.definitions import get_market


def _iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise forms.ValidationError(_("Write the date as YYYY-MM-DD.")) from None


class PriceChangeForm(forms.Form):
    """LIFE-5, BILL-13: a new price list; amounts as written on an invoice (27.50)."""

    market = forms.ChoiceField(label=_("Market"), choices=MarketCode.choices)
    effective_from = forms.CharField(
        max_length=LINE_MAX_LENGTH,
        label=_("Takes effect on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    monthly_fee = forms.CharField(
        max_length=LINE_MAX_LENGTH, label=_("Monthly fee per line, excl. VAT")
    )
    setup_fee = forms.CharField(
        max_length=LINE_MAX_LENGTH, label=_("Setup fee per line, excl. VAT"), initial="0.00"
    )
    reactivation_fee = forms.CharField(
        max_length=LINE_MAX_LENGTH, label=_("Reactivation fee, excl. VAT"), initial="0.00"
    )
    third_party_fee = forms.CharField(
        max_length=LINE_MAX_LENGTH, label=_("Service fee on third-party charges (%)"), initial="0"
    )

    def clean_effective_from(self) -> dt.date:
        return _iso_date(self.cleaned_data["effective_from"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        market = data.get("market")
        if not market:
            return data
        currency = get_market(market).currency
        for name in ("monthly_fee", "setup_fee", "reactivation_fee"):
            if name in data:
                try:
                    data[f"{name}_minor"] = Money.parse(data[name], currency).minor
                except MoneyError as exc:
                    self.add_error(name, str(exc))
        if "third_party_fee" in data:
            try:
                # A percentage with up to two decimals, kept in basis points.
                data["third_party_fee_bp"] = Money.parse(data["third_party_fee"], "EUR").minor
            except MoneyError as exc:
                self.add_error("third_party_fee", str(exc).replace("EUR", "a percentage"))
        return data


class CreditNoteForm(forms.Form):
    """BILL-5: the lines of an invoice a credit note corrects, and why (BILL-9: never an outage)."""

    positions = forms.TypedMultipleChoiceField(
        label=_("Lines to credit"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the lines to credit.")},
    )
    reason = forms.CharField(
        label=_("Why the invoice is corrected"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the invoice is corrected.")},
    )

    def __init__(self, *args: Any, invoice: Invoice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lines = list(invoice.lines.order_by("position"))
        field = self.fields["positions"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [
            (
                item.position,
                f"{item.position}. {charge_description(item)} · "
                f"{money(item.total_minor, invoice.currency)}",
            )
            for item in lines
        ]
        if invoice.status != InvoiceStatus.PAID:
            # An invoice not yet paid is credited in full.
            field.initial = [item.position for item in lines]


def _period(number: int, text: str) -> tuple[dt.date, dt.date]:
    # The same period in French reads "2026-02-01 au 2026-02-07".
    first, sep, last = re.sub(r"\s(to|au)\s", " to ", text).partition(" to ")
    try:
        start = dt.date.fromisoformat(first.strip())
        end = dt.date.fromisoformat(last.strip()) if sep else start
    except ValueError:
        raise forms.ValidationError(
            _("Line %(number)s: write a period as YYYY-MM-DD to YYYY-MM-DD.") % {"number": number}
        ) from None
    return start, end


class OperatorTerminationForm(forms.Form):
    """LIFE-2: the operator's ground for ending the service; AUP-4: the periods of abnormal use."""

    kind = forms.ChoiceField(
        label=_("Ground"),
        choices=[
            (k, label) for k, label in TerminationKind.choices if k != TerminationKind.CUSTOMER
        ],
        error_messages={"required": _("Choose the ground of the termination.")},
    )
    abnormal_periods = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label=_("Periods of abnormal use (abnormal or prohibited use only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2026-02-01 to 2026-02-07"}),
        help_text=_(
            "One period a line (or separated by semicolons), first and last day in the "
            "market's calendar."
        ),
    )
    note = forms.CharField(
        label=_("Note for the record"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_abnormal_periods(self) -> list[tuple[dt.date, dt.date]]:
        text = self.cleaned_data["abnormal_periods"]
        return [
            _period(number, row)
            for number, row in enumerate(re.split(r"[\n;]", text), start=1)
            if row.strip()
        ]


def _local_moment(value: str, customer: Customer) -> dt.datetime:
    """A date and time as typed in the console, in the customer's market time unless an offset
    is given."""
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise forms.ValidationError(
            _("Write the date and time as YYYY-MM-DD HH:MM (the market's time).")
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=get_market(customer.market).tz)
    return moment


class ThirdPartyChargeForm(forms.Form):
    """BILL-10: a charge from the carrier's statement, billed to one of the customer's numbers."""

    line = LineChoiceField(
        queryset=Line.objects.none(),
        label=_("Number billed"),
        error_messages={"required": _("Choose the number the charge was billed to.")},
    )
    service = forms.CharField(
        max_length=LINE_MAX_LENGTH,
        label=_("Third party"),
        error_messages={"required": _("Name the third party that billed the charge.")},
    )
    amount = forms.CharField(
        max_length=LINE_MAX_LENGTH,
        label=_("Cost"),
        help_text=_("As the carrier billed it, e.g. 4.50"),
        error_messages={"required": _("Give the cost of the charge.")},
    )
    occurred_at = forms.CharField(
        max_length=LINE_MAX_LENGTH,
        label=_("When (market time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        error_messages={"required": _("Give when the charge was made.")},
    )
    reference = forms.CharField(
        max_length=LINE_MAX_LENGTH, label=_("Carrier's reference"), required=False
    )
    description = forms.CharField(
        max_length=TEXT_MAX_LENGTH, label=_("What it was"), required=False
    )

    def __init__(self, *args: Any, customer: Customer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.customer = customer
        field = self.fields["line"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Line.objects.filter(customer=customer)
            .select_related("number")
            .order_by("number__e164", "-activation_requested_at")
        )

    def clean_amount(self) -> Money:
        try:
            return Money.parse(
                self.cleaned_data["amount"], get_market(self.customer.market).currency
            )
        except MoneyError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_occurred_at(self) -> dt.datetime:
        return _local_moment(self.cleaned_data["occurred_at"], self.customer)


class LinePlanForm(forms.Form):
    """BILL-11, AUP-2: put one of the customer's live lines on a plan from a moment on."""

    line = LineChoiceField(
        queryset=Line.objects.none(),
        label=_("Line"),
        error_messages={"required": _("Choose the line.")},
    )
    plan = forms.ChoiceField(label=_("Plan"), choices=Plan.choices)
    reason = forms.CharField(
        label=_("Why (the review case)"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the line changes plan.")},
    )
    effective_at = forms.CharField(
        max_length=LINE_MAX_LENGTH,
        label=_("From (market time)"),
        required=False,
        help_text=_("Empty: from now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args: Any, customer: Customer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.customer = customer
        field = self.fields["line"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Line.objects.filter(customer=customer)
            .exclude(status=LineStatus.TERMINATED)
            .select_related("number")
            .order_by("number__e164")
        )

    def clean_effective_at(self) -> dt.datetime | None:
        value = self.cleaned_data["effective_at"]
        return _local_moment(value, self.customer) if value.strip() else None

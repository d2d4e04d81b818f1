"""Forms of planned maintenance in the console (LIFE-6): times are typed in the market's time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from officeline.accounts.models import Building
from officeline.forms import LINE_MAX_LENGTH
from officeline.markets.choices import MarketCode
from officeline.markets.definitions import get_market


def parse_local(value: str, market: str) -> dt.datetime:
    """A date and time typed in the console, in the market's time unless an offset is given.
    A time the clocks skip when they go forward is refused rather than moved."""
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise forms.ValidationError(
            _("Write the date and time as YYYY-MM-DD HH:MM (the market's time).")
        ) from None
    if moment.tzinfo is not None:
        return moment
    tz = get_market(market).tz
    aware = moment.replace(tzinfo=tz)
    if aware.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != moment:
        raise forms.ValidationError(
            _("%(moment)s does not exist in %(zone)s: the clocks go forward then.")
            % {"moment": f"{moment:%Y-%m-%d %H:%M}", "zone": tz.key}
        )
    return aware


class BuildingsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.market}) · {obj.address}"


def _moment_field(label: Any, required: Any) -> forms.CharField:
    return forms.CharField(
        max_length=LINE_MAX_LENGTH,
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        error_messages={"required": required},
    )


class _WindowForm(forms.Form):
    """What is done, when, and why not more notice when the notice is short."""

    starts_at = _moment_field(
        gettext_lazy("Start (market time)"), gettext_lazy("Give the start of the maintenance.")
    )
    ends_at = _moment_field(
        gettext_lazy("End (market time)"), gettext_lazy("Give the end of the maintenance.")
    )
    description_en = forms.CharField(
        label=gettext_lazy("What is done and what customers notice (English)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={
            "required": gettext_lazy("Say in English what is done and what customers notice.")
        },
    )
    description_fr = forms.CharField(
        label=gettext_lazy("What is done and what customers notice (French)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={
            "required": gettext_lazy("Say in French what is done and what customers notice.")
        },
    )
    urgent_reason = forms.CharField(
        label=gettext_lazy("Urgent work: why more notice is not feasible (customers read this)"),
        help_text=gettext_lazy("Only when the start is sooner than the market's notice."),
        max_length=500,
        required=False,
    )

    def market(self) -> str | None:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        market = self.market()
        if market is None:
            return cleaned
        for name in ("starts_at", "ends_at"):
            if isinstance(cleaned.get(name), str):
                try:
                    cleaned[name] = parse_local(cleaned[name], market)
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return cleaned


class MaintenanceForm(_WindowForm):
    """LIFE-6: a new maintenance window: where (buildings, or a whole market), when, what."""

    market_code = forms.ChoiceField(
        label=gettext_lazy("Market"),
        choices=[("", "---------"), *MarketCode.choices],
        error_messages={
            "required": gettext_lazy("Choose the market."),
            "invalid_choice": gettext_lazy("Choose the market."),
        },
    )
    buildings = BuildingsField(
        queryset=Building.objects.order_by("market", "name"),
        label=gettext_lazy("Buildings"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("Choose buildings from the list.")},
    )
    whole_market = forms.BooleanField(
        label=gettext_lazy("Every building of the market"), required=False
    )
    field_order = ["market_code", "buildings", "whole_market", "starts_at", "ends_at"]

    def market(self) -> str | None:
        value = self.data.get(self.add_prefix("market_code"))
        return value if value in MarketCode.values else None


class MaintenanceEditForm(_WindowForm):
    """LIFE-6: a new window (or better words) for a maintenance already announced."""

    def __init__(self, *args: Any, market: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._market = market

    def market(self) -> str | None:
        return self._market

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from officeline.markets.choices import MarketCode


class ClosureDay(models.Model):
    """A day the operator adds to a market's calendar as a non-business day.

    For a substitute bank holiday announced late, say. It counts as a
    non-business day from the moment it is added; deadlines already stored keep
    their value (they were right when computed).
    """

    market = models.CharField(max_length=2, choices=MarketCode.choices)
    date = models.DateField()
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["market", "date"], name="closure_day_unique_per_market")
        ]
        ordering = ["market", "date"]
        verbose_name = _("closure day")

    def __str__(self) -> str:
        return f"{self.market} {self.date}: {self.reason}"


class ReferenceRate(models.Model):
    """A central bank's reference rate for late-payment interest, from the day it took effect (BILL-8).

    fr: the ECB's main refinancing operations rate; uk: the Bank of England's
    Bank Rate. Rates are data the operator keeps up to date (console page
    ``/console/reference-rates/``); the published history since 2021 is loaded
    from ``rate_history.py`` by a data migration. A rate applies from
    ``effective_from`` until the next row of the same market.
    """

    market = models.CharField(max_length=2, choices=MarketCode.choices)
    rate_bp = models.IntegerField(_("rate (basis points)"))
    effective_from = models.DateField(_("in force from"))
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["market", "effective_from"], name="reference_rate_unique_per_market_day"
            )
        ]
        ordering = ["market", "effective_from"]
        verbose_name = _("reference rate")

    def __str__(self) -> str:
        return f"{self.market} {self.effective_from}: {self.rate_bp} bp"

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

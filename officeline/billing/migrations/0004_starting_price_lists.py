"""The prices a new deployment starts with, so that a line is never unbillable.

The operator changes them with a new price list version (LIFE-5, BILL-13).
"""

import datetime as dt

from django.db import migrations

STARTING_PRICES = {
    # market: (currency, monthly fee, setup fee, reactivation fee, third-party fee in bp,
    #          commercial per-minute rates in minor units by destination type)
    "uk": ("GBP", 2500, 0, 1500, 1000, {"national": 3, "mobile": 8, "international": 25}),
    "fr": ("EUR", 2500, 0, 1500, 1000, {"national": 3, "mobile": 8, "international": 25}),
}


def forwards(apps, schema_editor):
    PriceList = apps.get_model("billing", "PriceList")
    for market, (currency, monthly, setup, reactivation, third_party, per_minute) in (
        STARTING_PRICES.items()
    ):
        PriceList.objects.get_or_create(
            market=market,
            effective_from=dt.date(2020, 1, 1),
            defaults={
                "currency": currency,
                "monthly_fee_minor": monthly,
                "setup_fee_minor": setup,
                "reactivation_fee_minor": reactivation,
                "third_party_fee_bp": third_party,
                "per_minute_minor": per_minute,
                "created_at": dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("billing", "0003_invoices")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

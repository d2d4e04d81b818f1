"""Load the published reference-rate history (BILL-8) from ``officeline/markets/rate_history.py``.

Idempotent: a (market, date) already present is left as it is, so rates the
operator entered or corrected in the console are kept.
"""

from django.db import migrations


def load_history(apps, schema_editor):
    from officeline.markets.rate_history import rows

    ReferenceRate = apps.get_model("markets", "ReferenceRate")
    for market, effective_from, rate_bp, source in rows():
        ReferenceRate.objects.get_or_create(
            market=market,
            effective_from=effective_from,
            defaults={"rate_bp": rate_bp, "source": source},
        )


class Migration(migrations.Migration):
    dependencies = [("markets", "0002_referencerate")]

    operations = [migrations.RunPython(load_history, migrations.RunPython.noop)]

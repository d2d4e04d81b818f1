"""PRIV-8: list what the register keeps of the customers whose contract ended before
``RetentionDue`` existed, from their whole-service termination's ``completed_at``."""

from django.db import migrations


def list_ended_contracts(apps, schema_editor):
    from officeline.privacy import register
    from officeline.privacy.services.after_contract import period_start

    Termination = apps.get_model("billing", "Termination")
    RetentionDue = apps.get_model("privacy", "RetentionDue")
    ended = Termination.objects.filter(line__isnull=True, completed_at__isnull=False).values_list(
        "customer_id", "customer__market", "completed_at"
    )
    rows = [
        RetentionDue(
            customer_id=customer_id,
            entry=item.key,
            market=market,
            contract_ended_at=at,
            counted_from=period_start(item.retention_in(market).start, market, at),
        )
        for customer_id, market, at in ended.iterator()
        for item in register.after_contract()
        if item.retention_in(market).start
    ]
    RetentionDue.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0008_retention_due"),
        ("billing", "0011_abnormal_use"),
    ]

    operations = [migrations.RunPython(list_ended_contracts, migrations.RunPython.noop)]

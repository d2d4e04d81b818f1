# The staff access log (PRIV-10) moves to the accounts app (accounts 0006): only Django's
# state forgets it here; its table and rows stay as they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_access_log_entry'),
        ('privacy', '0014_inbound_sms_received_index'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='AccessLogEntry')],
            database_operations=[],
        ),
    ]

# The staff access log (PRIV-10) moves from the privacy app to accounts. Its table keeps its
# name and its rows: only Django's state changes (privacy 0015 removes it there).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_api_tokens'),
        ('privacy', '0014_inbound_sms_received_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AccessLogEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField()),
                        ('staff_label', models.CharField(max_length=200)),
                        ('kind', models.CharField(choices=[('personal_data', 'Personal data'), ('traffic_data', 'Traffic data'), ('tickets', 'Tickets and complaints'), ('communications', 'Communications (voicemail, fax)')], max_length=20, verbose_name='kind of data')),
                        ('subject_type', models.CharField(blank=True, max_length=100)),
                        ('subject_id', models.CharField(blank=True, max_length=64)),
                        ('url_name', models.CharField(blank=True, max_length=200)),
                        ('reason', models.TextField(blank=True, verbose_name='reason')),
                        ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='access_log', to='accounts.customer')),
                        ('staff_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'privacy_accesslogentry',
                        'ordering': ['-at', '-id'],
                        'indexes': [models.Index(fields=['customer', 'at'], name='privacy_acc_custome_67e9dd_idx'), models.Index(fields=['staff_user', 'at'], name='privacy_acc_staff_u_bdd227_idx'), models.Index(fields=['at'], name='privacy_acc_at_e5e7b0_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('kind', 'communications'), _negated=True), models.Q(('reason', ''), _negated=True), _connector='OR'), name='privacy_access_communications_need_reason')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

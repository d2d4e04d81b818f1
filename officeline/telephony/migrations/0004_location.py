"""Kamailio's registrations (usrloc's ``location`` table, schema version 9) in the project's database.

Kamailio writes and reads them directly (usrloc ``db_mode`` 3, the database only), so
registrations outlive a restart of Kamailio and several Kamailio nodes can share
them. The table is Kamailio's, with its column names and defaults; Django only reads
it and deletes a blocked device's rows (LINE-4), through the unmanaged
``Registration`` model.
"""

from django.db import migrations, models

COLUMNS = """
    ruid VARCHAR(64) DEFAULT '' NOT NULL,
    username VARCHAR(64) DEFAULT '' NOT NULL,
    domain VARCHAR(64) DEFAULT NULL,
    contact VARCHAR(512) DEFAULT '' NOT NULL,
    received VARCHAR(128) DEFAULT NULL,
    path VARCHAR(512) DEFAULT NULL,
    expires TIMESTAMP WITHOUT TIME ZONE DEFAULT '2030-05-28 21:32:15' NOT NULL,
    q REAL DEFAULT 1.0 NOT NULL,
    callid VARCHAR(255) DEFAULT 'Default-Call-ID' NOT NULL,
    cseq INTEGER DEFAULT 1 NOT NULL,
    last_modified TIMESTAMP WITHOUT TIME ZONE DEFAULT '2000-01-01 00:00:01' NOT NULL,
    flags INTEGER DEFAULT 0 NOT NULL,
    cflags INTEGER DEFAULT 0 NOT NULL,
    user_agent VARCHAR(255) DEFAULT '' NOT NULL,
    socket VARCHAR(64) DEFAULT NULL,
    methods INTEGER DEFAULT NULL,
    instance VARCHAR(255) DEFAULT NULL,
    reg_id INTEGER DEFAULT 0 NOT NULL,
    server_id INTEGER DEFAULT 0 NOT NULL,
    connection_id INTEGER DEFAULT 0 NOT NULL,
    keepalive INTEGER DEFAULT 0 NOT NULL,
    partition INTEGER DEFAULT 0 NOT NULL,
    CONSTRAINT location_ruid_idx UNIQUE (ruid)
"""
PRIMARY_KEY = {
    "postgresql": "id SERIAL PRIMARY KEY NOT NULL,",
    "sqlite": "id INTEGER PRIMARY KEY NOT NULL,",
}
INDEXES = (
    "CREATE INDEX location_account_contact_idx ON location (username, domain, contact)",
    "CREATE INDEX location_expires_idx ON location (expires)",
    "CREATE INDEX location_tcpcon_idx ON location (connection_id)",
    "CREATE INDEX location_connection_idx ON location (server_id, connection_id)",
)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(f"CREATE TABLE location ({PRIMARY_KEY[vendor]}{COLUMNS})")
    for index in INDEXES:
        schema_editor.execute(index)


def drop(apps, schema_editor):
    schema_editor.execute("DROP TABLE location")


class Migration(migrations.Migration):
    dependencies = [("telephony", "0003_callevent_at_index")]

    operations = [
        migrations.RunPython(create, drop),
        migrations.CreateModel(
            name="Registration",
            fields=[
                ("id", models.AutoField(primary_key=True, serialize=False)),
                ("ruid", models.CharField(max_length=64)),
                ("username", models.CharField(max_length=64)),
                ("domain", models.CharField(max_length=64, null=True)),
                ("contact", models.CharField(max_length=512)),
                ("received", models.CharField(max_length=128, null=True)),
                ("expires", models.DateTimeField()),
                ("user_agent", models.CharField(max_length=255)),
                ("last_modified", models.DateTimeField()),
            ],
            options={"db_table": "location", "managed": False},
        ),
    ]

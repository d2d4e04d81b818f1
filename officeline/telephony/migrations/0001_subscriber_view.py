"""The view Kamailio's auth_db reads: devices allowed to register, with their digest hashes.

Blocked devices (LINE-4) and devices of requested or terminated lines are not in
it; suspended lines stay, so that they can still call emergency numbers (EMG-3).
"""

from django.db import migrations

CREATE = """
CREATE VIEW telephony_subscriber AS
SELECT d.id AS id, d.sip_username AS username, d.sip_domain AS domain, d.ha1 AS ha1, d.ha1b AS ha1b,
       l.id AS line_id
FROM lines_device d JOIN lines_line l ON l.id = d.line_id
WHERE d.blocked_at IS NULL AND l.status IN ('active', 'suspended')
"""

ROUTING = """
CREATE VIEW telephony_routing AS
SELECT d.sip_username AS username, l.id AS line_id, n.e164 AS number, l.status AS status,
       l.in_use_abroad AS in_use_abroad, n.market AS market, l.emergency_location AS location
FROM lines_device d JOIN lines_line l ON l.id = d.line_id JOIN lines_number n ON n.id = l.number_id
WHERE d.blocked_at IS NULL AND l.status IN ('active', 'suspended')
"""


class Migration(migrations.Migration):
    dependencies = [("lines", "0001_initial")]

    operations = [
        migrations.RunSQL(CREATE, "DROP VIEW telephony_subscriber"),
        migrations.RunSQL(ROUTING, "DROP VIEW telephony_routing"),
    ]

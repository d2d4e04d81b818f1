"""The per-line routing view gains the civic address of the line's registered location.

The emergency route sends it as a PIDF-LO (RFC 4119, RFC 5491, civic address of
RFC 5139) with every emergency call (EMG-3). The location is the building of the
line's number, whose address is the line's registered emergency location (EMG-1).
"""

from django.db import migrations

BEFORE = """
CREATE VIEW telephony_routing AS
SELECT d.sip_username AS username, l.id AS line_id, n.e164 AS number, l.status AS status,
       l.in_use_abroad AS in_use_abroad, n.market AS market, l.emergency_location AS location
FROM lines_device d JOIN lines_line l ON l.id = d.line_id JOIN lines_number n ON n.id = l.number_id
WHERE d.blocked_at IS NULL AND l.status IN ('active', 'suspended')
"""

AFTER = """
CREATE VIEW telephony_routing AS
SELECT d.sip_username AS username, l.id AS line_id, n.e164 AS number, l.status AS status,
       l.in_use_abroad AS in_use_abroad, n.market AS market, l.emergency_location AS location,
       b.name AS building, b.address_line1 AS address_line1, b.address_line2 AS address_line2,
       b.city AS city, b.postcode AS postcode
FROM lines_device d JOIN lines_line l ON l.id = d.line_id JOIN lines_number n ON n.id = l.number_id
     JOIN accounts_building b ON b.id = n.building_id
WHERE d.blocked_at IS NULL AND l.status IN ('active', 'suspended')
"""


class Migration(migrations.Migration):
    dependencies = [("telephony", "0004_location"), ("accounts", "0001_initial")]

    operations = [
        migrations.RunSQL(["DROP VIEW telephony_routing", AFTER], ["DROP VIEW telephony_routing", BEFORE]),
    ]

"""The routing view and the call's one read gain the line's call barring, whether its spend
limit is reached, and its customer.

Premium-rate and international calls are barred unless the line is opted in, and external
calls are refused once the month's spend limit is reached (``lines.barring``); the routing
decides from these columns of the caller's row, in the same round trip as before, and
counts calls in progress per customer by its id.
"""

from django.db import migrations

VIEW_BEFORE = """
CREATE VIEW telephony_routing AS
SELECT d.sip_username AS username, l.id AS line_id, n.e164 AS number, l.status AS status,
       l.in_use_abroad AS in_use_abroad, n.market AS market, l.emergency_location AS location,
       b.name AS building, b.address_line1 AS address_line1, b.address_line2 AS address_line2,
       b.city AS city, b.postcode AS postcode
FROM lines_device d JOIN lines_line l ON l.id = d.line_id JOIN lines_number n ON n.id = l.number_id
     JOIN accounts_building b ON b.id = n.building_id
WHERE d.blocked_at IS NULL AND l.status IN ('active', 'suspended')
"""

VIEW_AFTER = """
CREATE VIEW telephony_routing AS
SELECT d.sip_username AS username, l.id AS line_id, n.e164 AS number, l.status AS status,
       l.in_use_abroad AS in_use_abroad, n.market AS market, l.emergency_location AS location,
       b.name AS building, b.address_line1 AS address_line1, b.address_line2 AS address_line2,
       b.city AS city, b.postcode AS postcode, l.customer_id AS customer_id,
       l.premium_calls_allowed AS premium_allowed,
       l.international_calls_allowed AS international_allowed,
       l.spend_limit_reached_at IS NOT NULL AS spend_limited
FROM lines_device d JOIN lines_line l ON l.id = d.line_id JOIN lines_number n ON n.id = l.number_id
     JOIN accounts_building b ON b.id = n.building_id
WHERE d.blocked_at IS NULL AND l.status IN ('active', 'suspended')
"""

FUNCTION_BEFORE = """
CREATE FUNCTION telephony_call_route(caller_username text, callee_number text)
RETURNS TABLE (
    kind integer, username text, line_id bigint, number text, status text,
    in_use_abroad boolean, market text, location text, building text,
    address_line1 text, address_line2 text, city text, postcode text
) LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY
    SELECT 0, NULL::text, r.line_id, r.number::text, r.status::text, r.in_use_abroad,
           r.market::text, r.location::text, r.building::text, r.address_line1::text,
           r.address_line2::text, r.city::text, r.postcode::text
    FROM telephony_routing r WHERE r.username = caller_username
    UNION ALL
    SELECT 1, r.username::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM telephony_routing r WHERE r.number = callee_number AND r.status = 'active';
END
$$
"""

FUNCTION_AFTER = """
CREATE FUNCTION telephony_call_route(caller_username text, callee_number text)
RETURNS TABLE (
    kind integer, username text, line_id bigint, number text, status text,
    in_use_abroad boolean, market text, location text, building text,
    address_line1 text, address_line2 text, city text, postcode text,
    customer_id bigint, premium_allowed boolean, international_allowed boolean,
    spend_limited boolean
) LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY
    SELECT 0, NULL::text, r.line_id, r.number::text, r.status::text, r.in_use_abroad,
           r.market::text, r.location::text, r.building::text, r.address_line1::text,
           r.address_line2::text, r.city::text, r.postcode::text, r.customer_id::bigint,
           r.premium_allowed, r.international_allowed, r.spend_limited
    FROM telephony_routing r WHERE r.username = caller_username
    UNION ALL
    SELECT 1, r.username::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           NULL, NULL, NULL, NULL
    FROM telephony_routing r WHERE r.number = callee_number AND r.status = 'active';
END
$$
"""
DROP_FUNCTION = "DROP FUNCTION telephony_call_route(text, text)"


def forwards(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(DROP_FUNCTION)  # its columns change: no CREATE OR REPLACE
    schema_editor.execute("DROP VIEW telephony_routing")
    schema_editor.execute(VIEW_AFTER)
    if postgresql:
        schema_editor.execute(FUNCTION_AFTER)


def backwards(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(DROP_FUNCTION)
    schema_editor.execute("DROP VIEW telephony_routing")
    schema_editor.execute(VIEW_BEFORE)
    if postgresql:
        schema_editor.execute(FUNCTION_BEFORE)


class Migration(migrations.Migration):
    dependencies = [
        ("telephony", "0007_call_route_function"),
        ("lines", "0006_line_call_barring"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

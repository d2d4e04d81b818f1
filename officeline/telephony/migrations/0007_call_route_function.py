"""A call's two reads as one PostgreSQL function: the caller's line and the callee's devices.

The routing (``kemi.py``) read them with one query on the ``telephony_routing``
view; PostgreSQL planned that query anew for each call, and planning the view's
joins cost several times what running it did. A PL/pgSQL function keeps its plan
for the session, so each call pays only for the run. The rows are those of the
routing's query on SQLite (``kemi.CALL_ROUTE_QUERY``): the caller's line (kind 0,
no username) and a row per device of the active line with the dialled number
(kind 1, only the username). SQLite has no functions; the routing sends it the
query itself.
"""

from django.db import migrations

CREATE = """
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


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION telephony_call_route(text, text)")


class Migration(migrations.Migration):
    dependencies = [("telephony", "0006_callevent_divert")]

    operations = [migrations.RunPython(create, drop)]

"""What Kamailio's routing reads of the usage app (a phone's message-summary counts its
line's voicemail) and what usage reads of the routing's call events: the same names on
both sides. Fast: no Kamailio, no SIP."""

from __future__ import annotations

from officeline.telephony.routing import contract
from officeline.usage.models import Voicemail


def test_the_voicemail_table_and_columns_the_routing_reads_are_the_model_s():
    assert Voicemail._meta.db_table == contract.VOICEMAIL_TABLE
    columns = {f.column for f in Voicemail._meta.concrete_fields}
    assert set(contract.VOICEMAIL_COLUMNS) <= columns

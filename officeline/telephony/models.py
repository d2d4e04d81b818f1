"""What Kamailio's routing writes about calls, for the usage app to fold into call records."""

from __future__ import annotations

from django.db import models

from officeline.telephony.routing.contract import LOCATION_TABLE, EventKind


class CallEventKind(models.TextChoices):
    """The kinds the routing writes (``routing.contract.EventKind``), as their own labels."""

    START = EventKind.START.value, "start"
    ANSWER = EventKind.ANSWER.value, "answer"
    FAIL = EventKind.FAIL.value, "fail"
    END = EventKind.END.value, "end"
    DIVERT = EventKind.DIVERT.value, "divert"


class CallEvent(models.Model):
    """One SIP fact about a call, written by the KEMI routing (``routing/kemi.py``) as it happens.

    Rows are only ever inserted, each with its own ``event_id``, so that the order in
    which they arrive does not matter and a row replayed from Kamailio's spool (when the
    database did not answer) is not counted twice. ``at_us`` is Kamailio's time of the
    SIP message in microseconds since the epoch: call times come from the SIP side.
    ``usage.services.calls.record_calls`` folds them into ``usage.CallRecord`` and deletes them.
    """

    event_id = models.CharField(max_length=32, unique=True)
    call_id = models.CharField(max_length=255, db_index=True)
    kind = models.CharField(max_length=8, choices=CallEventKind.choices)
    at_us = models.BigIntegerField()
    line_id = models.BigIntegerField(null=True)
    market = models.CharField(max_length=2)
    caller = models.CharField(max_length=32)
    dialled = models.CharField(max_length=64)
    route = models.CharField(max_length=12)  # internal, emergency, external, inbound
    code = models.PositiveSmallIntegerField(null=True)
    reason = models.CharField(max_length=128)

    class Meta:
        # Retention (PRIV-8) deletes events that were never folded (their call's start
        # never arrived) by Kamailio's time of the message.
        indexes = [models.Index(fields=["at_us"], name="callevent_at")]

    def __str__(self) -> str:
        return f"{self.call_id} {self.kind}"


class Registration(models.Model):
    """A phone's registration, as Kamailio's usrloc keeps it in the ``location`` table.

    Kamailio writes these rows itself (``db_mode`` 3, migration 0004 makes the table
    with Kamailio's schema); Django reads them and deletes a blocked device's (LINE-4).
    Times are Kamailio's local time without a time zone.
    """

    id = models.AutoField(primary_key=True)
    ruid = models.CharField(max_length=64)
    username = models.CharField(max_length=64)
    domain = models.CharField(max_length=64, null=True)  # noqa: DJ001  (Kamailio's schema)
    contact = models.CharField(max_length=512)
    received = models.CharField(max_length=128, null=True)  # noqa: DJ001
    expires = models.DateTimeField()
    user_agent = models.CharField(max_length=255)
    last_modified = models.DateTimeField()

    class Meta:
        managed = False
        db_table = LOCATION_TABLE

    def __str__(self) -> str:
        return self.username

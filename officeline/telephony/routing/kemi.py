"""Kamailio's routing, in Python (KEMI, app_python3).

Kamailio loads this file and calls ``mod_init``; each worker then calls the
``ksr_*`` methods of the object it returns. Only the ``KSR`` module that
Kamailio provides is imported, so each worker starts light; the per-line facts
come from the ``telephony_routing`` view, kept by the Django side.

The order of decisions (the architecture docs, "Telephony"):
1. sanity and hop limits; REGISTER with digest authentication against
   ``telephony_subscriber`` (blocked devices are not there, LINE-4);
2. an INVITE from a registered line: emergency numbers of its market first,
   whatever the line's state (EMG-3), unless the line is marked abroad (EMG-4);
3. a suspended line gets 403 with its reason (LIFE-1);
4. a call to another line's number rings every registered device of it; when none is
   registered, or none answers within the ring time, or it is busy or declined, the call
   goes to the voicemail endpoint, which takes a message for that line (so do calls
   from the carrier trunk; never emergency calls, external calls or the echo test);
5. a call to any other number goes to the carrier trunk, unless its class is barred on the
   line (premium-rate, international, satellite: barred until the Office Manager opts the
   line in), the line or its customer has spent its monthly limit, or it has its market's
   number of external calls in progress already: refused with 403 and the reason;
6. a phone's SUBSCRIBE to its line's voicemail (``message-summary``, RFC 3842) is answered
   with the counts at once; the NOTIFYs for later changes are Django's (``telephony.mwi``).

Phones behind NAT (a coworking building's router): every request is answered
where it came from (``force_rport``); a phone whose headers name another
address than the one its packets come from (a private Contact, a Via that is
not the source) has its REGISTER stored with the address it was received from
(``fix_nated_register``, so calls to it go there), and the Contact of its
INVITEs and answers marked with that address (``set_contact_alias``), which
the requests of the dialog follow back (``handle_ruri_alias``).

Media: with rtpengine configured, every INVITE's SDP offer and every answer go
through it (``rtpengine_offer``/``rtpengine_answer``), and a BYE, a CANCEL or a
failed call ends its session (``rtpengine_delete``). When rtpengine does not
answer, the call still goes ahead with media end to end: a call, an emergency
call above all, matters more than its relay.

Every authenticated call attempt leaves call events (``telephony_callevent``):
``start`` when routed or refused, ``answer`` on a 2xx, ``fail`` on a final negative
answer, ``end`` on a BYE. Each is one INSERT with Kamailio's time of the SIP message;
when the database does not answer, the event is appended to a spool file instead
(one JSON line) and the worker replays it later. Nothing about a call is kept in
Kamailio's memory, so a restart loses no record: the BYE of a call set up before the
restart still follows the Record-Route and is written like any other.

Requests within a dialog go on only along our Record-Route, which carries an HMAC of the
Call-ID and the caller's From tag (``route_signature``, with a key from Django's settings,
the same on every node): a request that claims a dialog without it is refused 403 and
writes nothing, so only an authenticated first INVITE (or the carrier's) can reach the
trunk or the emergency gateway. Phones never assert an identity (P-Asserted-Identity,
P-Preferred-Identity are removed), nor register our own destinations as their Contact.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import hashlib
import hmac
import json
import os
import random
import re
import secrets
import uuid
from xml.sax.saxutils import escape

import KSR  # type: ignore[import-not-found]  # provided by Kamailio's app_python3

from officeline.telephony.routing.contract import (
    CALL_EVENT_TABLE,
    CALL_ROUTE_FUNCTION,
    EVENT_COLUMNS,
    EVENT_LENGTHS,
    LINE_ACTIVE,
    LINE_COLUMNS,
    LINE_SUSPENDED,
    LOCATION_TABLE,
    MESSAGE_SUMMARY_EVENT,
    MESSAGE_SUMMARY_TYPE,
    ROUTING_VIEW,
    SUBSCRIBER_VIEW,
    VOICEMAIL_TABLE,
    EventKind,
    Route,
    message_summary,
)

# Rendered into Kamailio's environment from the settings (officeline.telephony.kamailio).
DOMAIN = os.environ.get("OFFICELINE_SIP_DOMAIN", "officeline.test")
EMERGENCY_GATEWAY = os.environ.get("OFFICELINE_EMERGENCY_GATEWAY", "")
CARRIER_TRUNK = os.environ.get("OFFICELINE_CARRIER_TRUNK", "")
CDR_SPOOL_DIR = os.environ.get("OFFICELINE_CDR_SPOOL_DIR", "")
# On PostgreSQL each call event is committed without waiting for its WAL flush (see
# ``CALL_EVENT_COMMIT``); SQLite has no such setting.
CDR_ASYNC_COMMIT = os.environ.get("OFFICELINE_CDR_ASYNC_COMMIT", "") == "1"
# Media through rtpengine when Kamailio is configured with it (the SDP names rtpengine's
# address and ports, so the phones never learn each other's addresses).
RTPENGINE = os.environ.get("OFFICELINE_RTPENGINE", "") == "1"
# The echo test: a number per market ("uk=+44...,fr=+33...") answered by the echo endpoint.
ECHO_TEST = os.environ.get("OFFICELINE_ECHO_TEST", "")
ECHO_TEST_NUMBERS = {
    market: number.lstrip("+")
    for market, _, number in (
        p.partition("=") for p in os.environ.get("OFFICELINE_ECHO_TEST_NUMBERS", "").split(",")
    )
    if number
}
# Voicemail: the endpoint taking messages for lines that do not answer, how long they ring
# first, and the final answers of the line's phones after which the caller may leave one:
# not answered in time (our own 408, or the 487 of the phones our timer cancelled; a caller
# who hangs up is told apart by ``t_is_canceled``), unavailable, busy, declined.
VOICEMAIL = os.environ.get("OFFICELINE_VOICEMAIL", "")
VOICEMAIL_RING_MS = int(os.environ.get("OFFICELINE_VOICEMAIL_RING_SECONDS", "") or 25) * 1000
VOICEMAIL_CODES = frozenset({408, 480, 486, 487, 600, 603})
VOICEMAIL_AVP = "$avp(officeline_voicemail)"
CALLER_AVP = "$avp(officeline_caller)"
# The longest subscription to a line's messages a phone is granted, in seconds.
MWI_MAX_EXPIRES = 3600
MEDIA_FLAGS = "replace-origin replace-session-connection"
# nat_uac_test: 1 a private Contact, 2 a Via that is not the source address, 16 a Via port
# that is not the source port.
NAT_TESTS = 1 + 2 + 16
NAT_TESTS_REPLY = 1
# Protection (kamailio.py renders the limits): pike per source address, ratelimit for all.
PIKE = os.environ.get("OFFICELINE_SIP_PIKE", "") == "1"
INVITE_LIMIT = int(os.environ.get("OFFICELINE_SIP_INVITE_LIMIT", "") or 0)
REGISTER_LIMIT = int(os.environ.get("OFFICELINE_SIP_REGISTER_LIMIT", "") or 0)
MAX_MESSAGE_BYTES = int(os.environ.get("OFFICELINE_SIP_MAX_MESSAGE", "") or 16384)
# How long a write to the SQLite database waits for another writer; empty on PostgreSQL.
SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("OFFICELINE_SQLITE_BUSY_TIMEOUT_MS", "") or 0)


def _trunk_sources() -> frozenset[str]:
    """Where the carrier's calls come from: "ip" or "ip:port" entries, by default the trunk's own."""
    listed = os.environ.get("OFFICELINE_TRUNK_SOURCES", "")
    if listed:
        return frozenset(entry.strip() for entry in listed.split(",") if entry.strip())
    match = re.match(r"^sips?:(?:[^@]*@)?([^:;>]+)(?::(\d+))?", CARRIER_TRUNK)
    return frozenset({f"{match.group(1)}:{match.group(2) or 5060}"}) if match else frozenset()


TRUNK_SOURCES = _trunk_sources()
# How the carrier trunk's calls are trusted: "digest" (challenged, checked against the HA1
# of the trunk's username in our realm) or "ip" (by their source address alone).
TRUNK_AUTH = os.environ.get("OFFICELINE_TRUNK_AUTH", "") or "digest"
TRUNK_USERNAME = os.environ.get("OFFICELINE_TRUNK_USERNAME", "")
TRUNK_HA1 = os.environ.get("OFFICELINE_TRUNK_HA1", "")
# The key of our Record-Route's signature (``route_signature``): the same on every node, so
# that any of them, or one restarted, recognises the dialogs of another. A node without one
# (never from Django's settings) makes its own, and its dialogs end with it.
ROUTE_SECRET = (os.environ.get("OFFICELINE_SIP_ROUTE_SECRET", "") or secrets.token_hex(32)).encode()
ROUTE_PARAM = "olsig"
# Our Record-Route also says when the dialog's far end is the trunk or the gateway, which
# only such a dialog's requests may then be relayed to (signed with the rest).
PEER_PARAM = "olpeer"
PEERS = {"the carrier trunk": "trunk", "the emergency gateway": "gateway"}
# Set with the request once its phone-supplied identity headers are removed; kept with the
# transaction, so that the failure route does not remove them twice.
IDENTITY_AVP = "$avp(officeline_identity)"


def _address(uri: str) -> tuple[str, int] | None:
    """(host, port) of a SIP URI, the port 5060 when it names none; None for anything else."""
    match = re.match(r"^\s*<?sips?:(?:[^@]*@)?(\[[^\]]+\]|[^:;>?\s]+)(?::(\d+))?", uri, re.I)
    if not match:
        return None
    return match.group(1).lower(), int(match.group(2) or 5060)


def _protected_addresses() -> dict[tuple[str, int], str]:
    """The addresses no phone may register as its Contact, and no call is forked to."""
    named = (
        (CARRIER_TRUNK, "the carrier trunk"),
        (EMERGENCY_GATEWAY, "the emergency gateway"),
        (ECHO_TEST, "the echo test"),
        (VOICEMAIL, "voicemail"),
    )
    found = {}
    for uri, name in named:
        if address := _address(uri):
            found[address] = name
    return found


PROTECTED = _protected_addresses()
# Trunk sources named by IP alone: no port on those hosts is a phone's.
PROTECTED_HOSTS = frozenset(source for source in TRUNK_SOURCES if ":" not in source)
PROTECTED.update(
    {
        (host, int(port)): "the carrier trunk"
        for host, _, port in (source.rpartition(":") for source in TRUNK_SOURCES if ":" in source)
        if port.isdigit()
    }
)
SIP_URI = re.compile(r"sips?:[^\s<>,\"]+", re.I)


def route_signature(call_id: str, from_tag: str, peer: str = "") -> str:
    """What our Record-Route carries (``;olsig=``) for the dialog of ``call_id`` whose caller
    has ``from_tag``, with the trunk or the gateway as ``peer`` (or neither): only a request
    of that dialog, along our route, can name it back."""
    message = f"{call_id}\n{from_tag}\n{peer}".encode()
    return hmac.new(ROUTE_SECRET, message, hashlib.sha256).hexdigest()[:32]


# A call's reads in one round trip: the caller's line (kind 0, no username) and a row per
# device of the active line with the dialled number (kind 1, only the username). On
# PostgreSQL the function ``telephony_call_route`` (migration 0007) returns the same rows
# with its plan kept for the session; planning this query on the view for each call cost
# several times what running it did.
CALL_ROUTE_QUERY = (
    "SELECT 0, NULL, "
    + ", ".join(LINE_COLUMNS)
    + f" FROM {ROUTING_VIEW} WHERE username = {{username}}"
    + " UNION ALL SELECT 1, username"
    + ", NULL" * len(LINE_COLUMNS)
    + f" FROM {ROUTING_VIEW} WHERE number = {{number}} AND status = '{LINE_ACTIVE}'"
)
CALL_ROUTE_FUNCTION_QUERY = f"SELECT * FROM {CALL_ROUTE_FUNCTION}({{username}}, {{number}})"
CALL_ROUTE = (
    CALL_ROUTE_FUNCTION_QUERY
    if os.environ.get("OFFICELINE_SIP_DB_POSTGRESQL", "") == "1"
    else CALL_ROUTE_QUERY
)
# Each market's facts, rendered from the one place that decides them (officeline.markets,
# by ``telephony.kamailio.routing_facts``; contract tests check the two agree): its
# emergency numbers, its country (ISO 3166-1) and language (the civic address's
# ``xml:lang``), and for call barring its country code and the E.164 prefixes of its
# premium-rate numbers and of the satellite and international networks.
DESTINATION_FACTS: dict[str, dict[str, list[str]]] = json.loads(
    os.environ.get("OFFICELINE_DESTINATION_FACTS", "") or "{}"
)
EMERGENCY = {market: tuple(facts["emergency"]) for market, facts in DESTINATION_FACTS.items()}
EMERGENCY_NUMBERS = frozenset(number for numbers in EMERGENCY.values() for number in numbers)
COUNTRY = {market: facts["country"][0] for market, facts in DESTINATION_FACTS.items()}
LANGUAGE = {market: facts["language"][0] for market, facts in DESTINATION_FACTS.items()}
# The refusal of each barred class, and the line's opt-in that lifts it.
BARRED = {
    "premium": ("premium_allowed", "Premium-rate numbers are barred on this line"),
    "international": ("international_allowed", "International calls are barred on this line"),
    "satellite": ("international_allowed", "Satellite numbers are barred on this line"),
}
# The refusal when the line, or its customer, has its limit of external calls in progress,
# and when it has spent its limit this month.
LIMIT_REASONS = {
    "line": "Too many calls in progress on this line",
    "customer": "Too many calls in progress for this account",
    "spend": "Spend limit reached",
}
# External calls in progress at once per line and per customer ("uk=4/20,fr=4/20"), counted
# in Kamailio's shared memory by the dialog module's profiles; none when empty.
CALL_LIMITS = {
    market: tuple(int(n or 0) for n in limits.partition("/")[::2])
    for market, _, limits in (
        p.partition("=") for p in os.environ.get("OFFICELINE_CALL_LIMITS", "").split(",")
    )
    if limits
}
# "12 Example Street", "12 bis rue de la Paix", "12, rue ...": house number, suffix, road.
HOUSE_NUMBER = re.compile(r"^(\d+)\s*(bis|ter|quater|[A-Za-z](?=[\s,]))?\s*,?\s+(.+)$", re.I)


def mod_init() -> Router:
    if not EMERGENCY:
        # EMG-3: without the markets' emergency numbers, a 999 would go to the trunk.
        raise RuntimeError("officeline: no market facts in OFFICELINE_DESTINATION_FACTS")
    if SQLITE_BUSY_TIMEOUT_MS:
        wait_for_sqlite_writers(SQLITE_BUSY_TIMEOUT_MS)
    return Router()


# The hook SQLite calls on each new connection; kept here so that it is never collected.
_sqlite_hooks: list[object] = []


def wait_for_sqlite_writers(timeout_ms: int) -> None:
    """Give every SQLite connection Kamailio opens a busy timeout of ``timeout_ms``.

    db_sqlite (Kamailio 5.6) sets none, so a REGISTER's write to ``location`` or a call
    event's INSERT failed with "database is locked" whenever Django was writing. SQLite
    runs its "automatic extensions" on every connection it opens; registered here, in
    Kamailio's main process before the workers start and open theirs, this one sets
    the timeout on each (``sqlite3_busy_timeout``), as ``PRAGMA busy_timeout`` would.
    """
    sqlite = ctypes.CDLL("libsqlite3.so.0")  # the library db_sqlite has already loaded
    sqlite.sqlite3_busy_timeout.argtypes = [ctypes.c_void_p, ctypes.c_int]
    entry_point = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)

    def on_open(db: int, error: int, api: int) -> int:
        return int(sqlite.sqlite3_busy_timeout(db, timeout_ms))

    hook = entry_point(on_open)
    _sqlite_hooks.append(hook)
    if sqlite.sqlite3_auto_extension(hook) != 0:
        KSR.err("officeline: no busy timeout for SQLite; writes may fail while others write\n")


def _true(result: object) -> bool:
    """KEMI answers yes/no as a bool or as 1/-1, depending on the function."""
    return result is True or (
        not isinstance(result, bool) and isinstance(result, int) and result > 0
    )


def _q(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _sql_value(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    return _q(str(value))


def _yes(value: object) -> bool:
    """A boolean column as Kamailio's database modules give it (1/0, t/f)."""
    return str(value) in ("1", "t", "True", "true")


def e164_digits(dialled: str, country_code: str) -> str:
    """The dialled number in E.164 without its "+": "+..." and "00..." are international,
    "0..." national, anything else is E.164 already (how lines call each other)."""
    if dialled.startswith("+"):
        return dialled[1:]
    if dialled.startswith("00"):
        return dialled[2:]
    if dialled.startswith("0"):
        return country_code + dialled[1:]
    return dialled


def barred_class(dialled: str, market: str) -> str:
    """The barring class of a number dialled from a line of ``market``: "premium",
    "satellite", "international", or "" (as ``markets.numbering.class_of_e164`` decides).
    A market the routing has no facts for is treated as calling abroad."""
    facts = DESTINATION_FACTS.get(market)
    if not facts:
        return "international"
    home = facts["country_code"][0]
    digits = e164_digits(dialled, home)
    if digits.startswith(tuple(facts["satellite"])):
        return "satellite"
    if digits.startswith(tuple(facts["premium"])):
        return "premium"
    if not digits.startswith(home):
        return "international"
    return ""


def _message_time_us() -> int:
    """Kamailio's time of the SIP message being handled, in microseconds since the epoch."""
    return int(KSR.pv.get("$TV(s)")) * 1_000_000 + int(KSR.pv.get("$TV(u)"))


def civic_address(line: dict[str, str]) -> list[tuple[str, str]]:
    """The line's registered location as RFC 5139 civic address elements, in schema order."""
    road = line.get("address_line1", "").strip()
    house = suffix = ""
    if match := HOUSE_NUMBER.match(road):
        house, suffix, road = match.group(1), match.group(2) or "", match.group(3)
    elements = [
        ("country", COUNTRY.get(line.get("market", ""), "")),
        ("A3", line.get("city", "")),
        ("RD", road),
        ("HNO", house),
        ("HNS", suffix),
        ("LOC", line.get("address_line2", "")),
        ("NAM", line.get("building", "")),
        ("PC", line.get("postcode", "")),
    ]
    return [(name, value.strip()) for name, value in elements if value and value.strip()]


def pidf_lo(line: dict[str, str], at_us: int, device_id: str) -> str:
    """A PIDF-LO document (RFC 4119, profile of RFC 5491) with the line's civic address."""
    timestamp = dt.datetime.fromtimestamp(at_us // 1_000_000, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    address = "".join(
        f"<ca:{name}>{escape(value)}</ca:{name}>" for name, value in civic_address(line)
    )
    entity = escape(f"pres:{line['number']}@{DOMAIN}", {'"': "&quot;"})
    lang = LANGUAGE.get(line.get("market", ""), "en")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\r\n'
        '<presence xmlns="urn:ietf:params:xml:ns:pidf"'
        ' xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"'
        ' xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10"'
        ' xmlns:ca="urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr"'
        f' entity="{entity}">\r\n'
        f'<dm:device id="{escape(device_id)}">'
        "<gp:geopriv><gp:location-info>"
        f'<ca:civicAddress xml:lang="{lang}">{address}</ca:civicAddress>'
        "</gp:location-info>"
        "<gp:usage-rules/>"
        "<gp:method>Manual</gp:method>"
        "</gp:geopriv>"
        f"<dm:timestamp>{timestamp}</dm:timestamp>"
        "</dm:device>\r\n"
        "</presence>\r\n"
    )


# PRIV-2: a call event's INSERT is acknowledged once PostgreSQL has it in its WAL buffers,
# not once they are on disk: the event is committed and visible, a restart of Kamailio or
# a lost connection cannot take it back, and the WAL writer flushes it within a few
# hundred milliseconds. What PostgreSQL refuses is spooled as before. Only a crash of
# PostgreSQL itself (or of its machine) in those milliseconds loses acknowledged events.
# ``SET LOCAL`` holds for this statement's own transaction, whatever the session's setting.
CALL_EVENT_COMMIT = "SET LOCAL synchronous_commit TO OFF; " if CDR_ASYNC_COMMIT else ""


class Router:
    def __init__(self) -> None:
        # The credentials checked last: (message id, auth_check's answer).
        self._checked: tuple[str, int] = ("", 0)

    def child_init(self, rank: int) -> int:
        return 0

    def _caller_and_callees(
        self, username: str, number: str
    ) -> tuple[dict[str, str] | None, list[str]]:
        """The caller's line (by its device's username) and the devices of the active line
        with ``number``, in one round trip to the database (``CALL_ROUTE``).
        """
        query = CALL_ROUTE.format(username=_q(username), number=_q(number))
        if KSR.sqlops.sql_query("ca", query, "ra") < 0:
            return None, []
        caller = None
        callees = []
        for i in range(int(KSR.pv.get("$dbr(ra=>rows)") or 0)):
            if str(KSR.pv.get(f"$dbr(ra=>[{i},0])")) == "0":
                caller = {
                    name: str(KSR.pv.get(f"$dbr(ra=>[{i},{j}])") or "")
                    for j, name in enumerate(LINE_COLUMNS, start=2)
                }
            else:
                callees.append(str(KSR.pv.get(f"$dbr(ra=>[{i},1])")))
        KSR.sqlops.sql_result_free("ra")
        return caller, callees

    def call_event(
        self,
        kind: EventKind,
        *,
        caller: dict[str, str] | None = None,
        dialled: str = "",
        route: Route | str = "",
        code: int | None = None,
        reason: str = "",
    ) -> None:
        """Write one call event; spool it when the database does not take it."""
        line_id = caller.get("line_id", "") if caller else ""
        event: dict[str, object] = {
            "event_id": uuid.uuid4().hex,
            "call_id": str(KSR.pv.get("$ci") or "")[: EVENT_LENGTHS["call_id"]],
            "kind": kind,
            "at_us": _message_time_us(),
            "line_id": int(line_id) if line_id.isdigit() else None,
            "market": (caller or {}).get("market", "")[: EVENT_LENGTHS["market"]],
            "caller": (caller or {}).get("number", "")[: EVENT_LENGTHS["caller"]],
            "dialled": dialled[: EVENT_LENGTHS["dialled"]],
            "route": route,
            "code": code,
            "reason": reason[: EVENT_LENGTHS["reason"]],
        }
        sql = (
            CALL_EVENT_COMMIT
            + f"INSERT INTO {CALL_EVENT_TABLE} ("
            + ", ".join(EVENT_COLUMNS)
            + ") VALUES ("
            + ", ".join(_sql_value(event[c]) for c in EVENT_COLUMNS)
            + ")"
        )
        try:
            written = KSR.sqlops.sql_query("cdr", sql, "rw") >= 0
            KSR.sqlops.sql_result_free("rw")
        except Exception:  # the spool below is the fallback whatever went wrong
            written = False
        if not written:
            self.spool(event)

    def spool(self, event: dict[str, object]) -> None:
        """One JSON line per event, in a file per worker; the worker's tick replays them."""
        if not CDR_SPOOL_DIR:
            KSR.err(f"officeline: call event lost, no spool directory: {event}\n")
            return
        path = os.path.join(CDR_SPOOL_DIR, f"events-{os.getpid()}.jsonl")
        with open(path, "a", encoding="utf-8") as spool:
            spool.write(json.dumps(event) + "\n")

    def media(self, action: str) -> None:
        """Hand the SDP of this message to rtpengine: offer, answer or delete."""
        if not RTPENGINE:
            return
        try:
            if action == "delete":
                done = KSR.rtpengine.rtpengine_delete("")
            elif int(KSR.pv.get("$cl") or 0) == 0:
                return  # no SDP here
            elif action == "offer":
                done = KSR.rtpengine.rtpengine_offer(MEDIA_FLAGS)
            else:
                done = KSR.rtpengine.rtpengine_answer(MEDIA_FLAGS)
            if not _true(done):
                KSR.warn(f"officeline: rtpengine {action} failed; media goes end to end\n")
        except Exception as exc:
            KSR.err(f"officeline: rtpengine {action}: {type(exc).__name__}: {exc}\n")

    def refuse(self, code: int, reason: str) -> int:
        """Refuse the INVITE being routed, and say so in its call record.

        The event is written before the answer is sent, so that whoever reads the records
        after the phone has its answer finds the attempt complete.
        """
        self.call_event(EventKind.FAIL, code=code, reason=reason)
        KSR.sl.sl_send_reply(code, reason)
        return 1

    def ksr_request_route(self, msg: object) -> int:
        try:
            return self.route()
        except Exception as exc:  # a bug here must not leave a phone without an answer
            KSR.err(f"officeline routing failed: {type(exc).__name__}: {exc}\n")
            KSR.sl.sl_send_reply(500, "Server Internal Error")
            return 1

    def route(self) -> int:
        if int(KSR.pv.get("$ml") or 0) > MAX_MESSAGE_BYTES:
            KSR.sl.sl_send_reply(513, "Message Too Large")
            return 1
        in_dialog = KSR.siputils.has_totag() > 0
        trunk = self.from_trunk()  # the carrier sends many calls from one address
        # EMG-3: an authenticated emergency call goes ahead of flood and load protection;
        # one without (good) credentials is limited like any request (``urgent``).
        if PIKE and not trunk and KSR.pike.pike_check_req() < 0 and not self.urgent():
            return 1  # a flooding source: dropped without an answer, which would feed the flood
        if not in_dialog and self.shed_load():
            return 1
        if KSR.maxfwd.process_maxfwd(10) < 0:
            KSR.sl.sl_send_reply(483, "Too Many Hops")
            return 1
        if KSR.sanity.sanity_check(17895, 7) < 0:
            return 1
        self.nat_detect()
        if KSR.is_OPTIONS() and KSR.pv.get("$rU") in (None, ""):
            KSR.sl.sl_send_reply(200, "OK")
            return 1
        if not KSR.is_ACK() and not KSR.is_CANCEL() and self.retransmission():
            return 1
        if KSR.is_SUBSCRIBE():
            return self.subscribe()
        if in_dialog:
            return self.within_dialog()
        if KSR.is_CANCEL():
            if KSR.tm.t_check_trans() > 0:
                self.media("delete")
                KSR.tm.t_relay()
            return 1
        if KSR.is_INVITE() and trunk:
            return self.incoming()
        if KSR.is_REGISTER():
            return self.register()
        if KSR.is_INVITE():
            return self.invite()
        KSR.sl.sl_send_reply(405, "Method Not Allowed")
        return 1

    def within_dialog(self) -> int:
        """A request within a dialog goes on only along the signed Record-Route we put in
        the dialog's first INVITE (``relay_call``): anything else is refused 403 (an ACK,
        which is never answered, dropped), is not relayed and writes no call event.

        An ACK to a negative answer is tm's, when it matches our transaction.
        """
        if KSR.is_ACK() and KSR.tm.t_check_trans() == 0:
            return 1  # tm took it: the ACK to a negative answer of ours or relayed by us
        peer = self.our_dialog() if KSR.rr.loose_route() == 1 else None
        if peer is None:
            if not KSR.is_ACK():
                KSR.sl.sl_send_reply(403, "Not a dialog of ours")
            return 1
        if not _true(KSR.isdsturiset()):
            KSR.nathelper.handle_ruri_alias()  # a phone behind NAT: where it really is
        hop = str(KSR.pv.get("$du") or "") or str(KSR.pv.get("$ru") or "")
        target = self.protected_target(hop)
        if target == "this server" or PEERS.get(target, peer) != peer:
            # Only a call to (or from) the trunk or the gateway goes on to it.
            if not KSR.is_ACK():
                KSR.sl.sl_send_reply(403, "Not a dialog of ours")
            return 1
        self.drop_identity()
        if KSR.is_BYE():
            self.call_event(EventKind.END)
            self.media("delete")
        elif KSR.is_INVITE():
            self.media("offer")  # a re-INVITE may move the media
        elif KSR.is_ACK():
            self.media("answer")  # a late offer's answer comes in the ACK
        KSR.tm.t_relay()
        return 1

    def our_dialog(self) -> str | None:
        """The dialog's peer ("trunk", "gateway" or "") when the Route header loose_route
        took as ours carries the signature of this Call-ID and the dialog's From tag (the
        From tag of the caller's requests, the To tag of the callee's); None otherwise.
        Called after ``loose_route``."""
        route = str(KSR.pv.get("$route_uri") or "")
        params = dict(p.partition("=")[::2] for p in route.strip("<>").split(";")[1:])
        peer = params.get(PEER_PARAM, "")
        signature = params.get(ROUTE_PARAM, "")
        call_id = str(KSR.pv.get("$ci") or "")
        for tag in (KSR.pv.get("$ft"), KSR.pv.get("$tt")):
            if (
                tag
                and re.fullmatch(r"[0-9a-f]{32}", signature)
                and hmac.compare_digest(signature, route_signature(call_id, str(tag), peer))
                # and that header is the one loose_route took as ours
                and _true(KSR.rr.check_route_param(f"(^|;){ROUTE_PARAM}={signature}(;|$)"))
            ):
                return peer
        return None

    def drop_identity(self) -> None:
        """Remove the identity a phone claims (P-Asserted-Identity, P-Preferred-Identity): only
        the identities we assert pass. Once per request, the failure route included."""
        if KSR.pv.get(IDENTITY_AVP) is not None:
            return
        KSR.hdr.remove("P-Asserted-Identity")
        KSR.hdr.remove("P-Preferred-Identity")
        KSR.pv.seti(IDENTITY_AVP, 1)

    def urgent(self) -> bool:
        """An INVITE to an emergency number whose credentials check: never dropped or shed.

        Asked only of requests that would be limited; one without credentials is limited
        at once, with no query to the database (EMG-3).
        """
        return (
            KSR.is_INVITE()
            and str(KSR.pv.get("$rU") or "") in EMERGENCY_NUMBERS
            and KSR.siputils.has_totag() < 0
            and _true(KSR.hdr.is_present("Proxy-Authorization"))
            and self.check_credentials() > 0
        )

    def retransmission(self) -> bool:
        """Whether this request is a phone's retransmission of one already being routed (by
        another worker, while it waits on the database) or already answered through its
        transaction: tm absorbs it or resends the answer. Routed twice, a REGISTER saved the
        same contact twice and an INVITE started a second call record."""
        if KSR.tmx.t_precheck_trans() > 0:
            KSR.tm.t_check_trans()
            return True
        return bool(KSR.tm.t_check_trans() == 0)

    def nat_detect(self) -> None:
        """A phone behind NAT: answer and call it where its packets come from, not where its
        headers say (see the module's docstring)."""
        KSR.force_rport()
        if KSR.nathelper.nat_uac_test(NAT_TESTS) <= 0:
            return
        if KSR.is_REGISTER():
            KSR.nathelper.fix_nated_register()
        elif KSR.siputils.is_first_hop() > 0:
            KSR.nathelper.set_contact_alias()

    def from_trunk(self) -> bool:
        """The request comes from the carrier trunk's address (by IP, or IP and port)."""
        if not TRUNK_SOURCES:
            return False
        address = str(KSR.pv.get("$si") or "")
        return address in TRUNK_SOURCES or f"{address}:{KSR.pv.get('$sp')}" in TRUNK_SOURCES

    def incoming(self) -> int:
        """A call from the carrier to one of our numbers (a DID in E.164) rings the line's devices.

        The carrier is recognised by its address and, unless the operator chose to trust
        that alone (``TRUNK_AUTH`` "ip"), must authenticate with its digest credentials;
        anyone else calling a number of ours is a phone like any other and must authenticate
        (``invite``). A number that is not an active line gets 404, with no call record.
        The caller is the trunk's P-Asserted-Identity, else its From user.
        """
        if TRUNK_AUTH != "ip" and not self.trunk_authenticated():
            return 1
        dialled = str(KSR.pv.get("$rU") or "")
        number = "+" + dialled.lstrip("+")
        devices = self._devices_of(number)
        if not dialled.lstrip("+").isdigit() or not devices:
            KSR.sl.sl_send_reply(404, "Not Found")
            return 1
        callee = {
            "line_id": devices[0][1],
            "market": devices[0][2],
            "number": self.trunk_caller()[
                : EVENT_LENGTHS["caller"]
            ],  # the caller, as the carrier says
        }
        self.call_event(EventKind.START, caller=callee, dialled=number, route=Route.INBOUND)
        KSR.rr.record_route()
        return self.ring_line(number, [username for username, _, _ in devices], callee["number"])

    def trunk_caller(self) -> str:
        """The caller's number as the trunk asserts it (P-Asserted-Identity), else its From user."""
        asserted = re.match(r"^(?:tel:|sips?:)([^@;>]+)", str(KSR.pv.get("$ai") or ""), re.I)
        return asserted.group(1) if asserted else str(KSR.pv.get("$fU") or "")

    def trunk_authenticated(self) -> bool:
        """The trunk's digest credentials, checked against the HA1 of its username in our
        realm (the password itself is never here); otherwise answered like a phone's."""
        if not TRUNK_USERNAME or not TRUNK_HA1:
            KSR.err("officeline: the trunk must authenticate but has no credentials set\n")
            KSR.sl.sl_send_reply(403, "Trunk credentials not configured")
            return False
        result = KSR.auth.pv_auth_check(DOMAIN, TRUNK_HA1, 1, 0)
        if result > 0 and str(KSR.pv.get("$au") or "") == TRUNK_USERNAME:
            KSR.auth.consume_credentials()
            return True
        if result > 0 or result in (-2, -3, -8):
            KSR.sl.sl_send_reply(403, "Forbidden")
        else:
            KSR.auth.auth_challenge(DOMAIN, 0)
        return False

    def _devices_of(self, number: str) -> list[tuple[str, str, str]]:
        """(username, line id, market) of every device of the active line with this number."""
        if (
            KSR.sqlops.sql_query(
                "ca",
                f"SELECT username, line_id, market FROM {ROUTING_VIEW} WHERE number = "
                + _q(number)
                + f" AND status = '{LINE_ACTIVE}'",
                "rd",
            )
            < 0
        ):
            return []
        rows = int(KSR.pv.get("$dbr(rd=>rows)") or 0)
        found = [
            tuple(str(KSR.pv.get(f"$dbr(rd=>[{i},{j}])")) for j in range(3)) for i in range(rows)
        ]
        KSR.sqlops.sql_result_free("rd")
        return found  # type: ignore[return-value]

    def shed_load(self) -> bool:
        """More new INVITEs or REGISTERs a second than the limit: 503 with Retry-After.

        The wait is drawn between 5 and 15 seconds, so that phones turned away together
        do not all come back together.
        """
        if KSR.is_INVITE():
            pipe, limit = 0, INVITE_LIMIT
        elif KSR.is_REGISTER():
            pipe, limit = 1, REGISTER_LIMIT
        else:
            return False
        if not limit or _true(KSR.ratelimit.rl_check_pipe(pipe)) or self.urgent():
            return False
        KSR.hdr.append_to_reply(f"Retry-After: {random.randint(5, 15)}\r\n")
        KSR.sl.sl_send_reply(503, "Service Unavailable")
        return True

    def authenticated(self) -> bool:
        """Digest credentials checked against ``telephony_subscriber``; otherwise answered.

        No credentials, or a stale nonce, get a challenge (401 or 407). Credentials that
        fail get 403, the same for an unknown user and a wrong password, so that the answer
        does not tell which usernames exist; credentials for another realm are not ours
        and are challenged again with our realm.
        """
        result = self.check_credentials()
        if result > 0:
            return True
        if result in (-2, -3, -8):  # wrong password, unknown user, someone else's identity
            KSR.sl.sl_send_reply(403, "Forbidden")
        else:
            KSR.auth.auth_challenge(DOMAIN, 0)
        return False

    def check_credentials(self) -> int:
        """auth_check's answer for this request, asked of the database once per request."""
        message = str(KSR.pv.get("$mi"))
        if self._checked[0] != message:
            result = KSR.auth_db.auth_check(DOMAIN, SUBSCRIBER_VIEW, 1)
            self._checked = (message, int(result))
        return self._checked[1]

    def register(self) -> int:
        if not _true(KSR.is_myself_ruri()):
            KSR.sl.sl_send_reply(403, "Domain not served here")
            return 1
        if not self.authenticated():
            return 1
        if reason := self.protected_contact():
            KSR.sl.sl_send_reply(403, f"Contact not allowed: {reason}")
            return 1
        KSR.auth.consume_credentials()
        KSR.registrar.save(LOCATION_TABLE, 0)
        return 1

    def protected_contact(self) -> str:
        """What a REGISTER's Contact points at that no phone may be: the carrier trunk, the
        emergency gateway, our media endpoints or this server; "" when none."""
        contacts = str(KSR.pv.get("$(hdr(Contact)[*])") or "")
        for uri in SIP_URI.findall(contacts):
            if reason := self.protected_target(uri):
                return reason
        return ""

    def protected_target(self, uri: str) -> str:
        """Which of our own destinations ``uri`` points at, or "" for any other."""
        address = _address(uri)
        if address is None:
            return ""
        if address in PROTECTED:
            return PROTECTED[address]
        if address[0] in PROTECTED_HOSTS:
            return "the carrier trunk"
        if address[0] == DOMAIN.lower() or _true(KSR.is_myself(uri.strip("<>"))):
            return "this server"
        return ""

    def subscribe(self) -> int:
        """A phone subscribes to its own line's messages (RFC 3842, ``message-summary``).

        The subscription is answered 200 and followed at once by a NOTIFY with the line's new
        and old messages; no subscription is kept here: a phone refreshes it before it
        expires (each refresh gets a new NOTIFY), and a change between refreshes reaches every
        registered phone of the line as an unsolicited NOTIFY (``telephony.mwi``). Any other
        event gets 489 Bad Event; a subscription to another line's messages 403.
        """
        event = str(KSR.pv.get("$hdr(Event)") or "").split(";", 1)[0].strip().lower()
        if event != MESSAGE_SUMMARY_EVENT:
            KSR.hdr.append_to_reply(f"Allow-Events: {MESSAGE_SUMMARY_EVENT}\r\n")
            KSR.sl.sl_send_reply(489, "Bad Event")
            return 1
        if not self.authenticated():
            return 1
        KSR.auth.consume_credentials()
        username = str(KSR.pv.get("$au"))
        line = self._voicemail_of(username)
        # A refresh is sent to the Contact of our answer: the To header still names the line.
        wanted = {str(KSR.pv.get(pv) or "").lstrip("+") for pv in ("$rU", "$tU")} - {""}
        if line is None or not wanted & {username, line[0].lstrip("+")}:
            KSR.sl.sl_send_reply(403, "Not your line")
            return 1
        number, new, old = line
        expires = str(KSR.pv.get("$hdr(Expires)") or "").strip()
        seconds = min(int(expires), MWI_MAX_EXPIRES) if expires.isdigit() else MWI_MAX_EXPIRES
        here = f"sip:{KSR.pv.get('$Ri')}:{KSR.pv.get('$Rp')};transport={KSR.pv.get('$pr')}"
        reply = f"Expires: {seconds}\r\nContact: <{here}>\r\n"
        to_tag = self.answer_subscription(reply)
        if to_tag:
            self.notify_subscriber(
                to_tag, here, seconds, message_summary(f"sip:{number}@{DOMAIN}", new, old)
            )
        return 1

    def notify_subscriber(self, to_tag: str, here: str, seconds: int, body: str) -> None:
        """The NOTIFY that follows our 200 to the SUBSCRIBE being routed, with ``body``: from
        ``here`` (our address), in the subscription's dialog (``to_tag``), for ``seconds``."""
        state = f"active;expires={seconds}" if seconds else "terminated;reason=timeout"
        headers = (
            f"From: <{KSR.pv.get('$tu')}>;tag={to_tag}\r\n"
            f"To: <{KSR.pv.get('$fu')}>;tag={KSR.pv.get('$ft')}\r\n"
            f"Call-ID: {KSR.pv.get('$ci')}\r\n"
            # The phone's CSeq grows with each refresh, and so does ours.
            f"CSeq: {KSR.pv.get('$cs')} NOTIFY\r\n"
            f"Contact: <{here}>\r\n"
            f"Event: {MESSAGE_SUMMARY_EVENT}\r\n"
            f"Subscription-State: {state}\r\n"
            f"Content-Type: {MESSAGE_SUMMARY_TYPE}\r\n"
        )
        contact = str(KSR.pv.get("$(ct{tobody.uri})") or "")
        # Where the SUBSCRIBE came from: a phone behind NAT is reached there, not at its Contact.
        source = f"sip:{KSR.pv.get('$si')}:{KSR.pv.get('$sp')};transport={KSR.pv.get('$pr')}"
        KSR.tm.t_uac_send("NOTIFY", contact or source, source, "", headers, body)

    def answer_subscription(self, headers: str) -> str:
        """Answer the SUBSCRIBE being routed 200 with ``headers``; the To tag of the answer,
        which the NOTIFYs of the subscription carry as their From tag, or "" on failure.

        A refresh carries its tag already. A new subscription is answered through tm's RPC
        ``tm.reply``, the one way to choose the tag of an answer (neither sl nor tm tells the
        routing which tag they chose).
        """
        KSR.tm.t_newtran()
        to_tag = str(KSR.pv.get("$tt") or "")
        if to_tag:
            KSR.hdr.append_to_reply(headers)
            KSR.tm.t_reply(200, "OK")
            return to_tag
        to_tag = uuid.uuid4().hex
        transaction = f"{KSR.pv.get('$T(id_index)')}:{KSR.pv.get('$T(id_label)')}"
        command = {
            "jsonrpc": "2.0",
            "method": "tm.reply",
            "params": [200, "OK", transaction, to_tag, headers, ""],
            "id": 1,
        }
        if KSR.jsonrpcs.exec(json.dumps(command)) < 0 or '"error"' in str(
            KSR.pv.get("$jsonrpl(body)") or ""
        ):
            KSR.tm.t_reply(500, "Server Internal Error")
            return ""
        return to_tag

    def _voicemail_of(self, username: str) -> tuple[str, int, int] | None:
        """The number of the device's line, and its new and old voicemail messages."""
        query = (
            "SELECT r.number,"
            " COALESCE(SUM(CASE WHEN v.id IS NOT NULL AND v.listened_at IS NULL"
            " THEN 1 ELSE 0 END), 0),"
            " COUNT(v.id)"
            f" FROM {ROUTING_VIEW} r LEFT JOIN {VOICEMAIL_TABLE} v ON v.line_id = r.line_id"
            f" WHERE r.username = {_q(username)} GROUP BY r.number"
        )
        if KSR.sqlops.sql_query("ca", query, "rv") < 0:
            return None
        found = None
        if int(KSR.pv.get("$dbr(rv=>rows)") or 0) > 0:
            new = int(KSR.pv.get("$dbr(rv=>[0,1])") or 0)
            total = int(KSR.pv.get("$dbr(rv=>[0,2])") or 0)
            found = (str(KSR.pv.get("$dbr(rv=>[0,0])")), new, total - new)
        KSR.sqlops.sql_result_free("rv")
        return found

    def invite(self) -> int:
        # auth_check reads Proxy-Authorization for an INVITE; auth_challenge answers 407.
        if not self.authenticated():
            return 1
        dialled = str(KSR.pv.get("$rU") or "")
        caller, callees = self._caller_and_callees(
            str(KSR.pv.get("$au")), "+" + dialled.lstrip("+")
        )
        KSR.auth.consume_credentials()
        if caller is None:
            self.call_event(EventKind.START, dialled=dialled, route=Route.EXTERNAL)
            return self.refuse(403, "Unknown line")
        if dialled in EMERGENCY.get(caller["market"], ()):
            self.call_event(EventKind.START, caller=caller, dialled=dialled, route=Route.EMERGENCY)
            # EMG-4: no emergency calls from abroad: a clear refusal, not silence.
            if caller["in_use_abroad"] in ("1", "t", "True", "true"):
                return self.refuse(403, "Emergency calls are not available abroad")
            # EMG-3: always routed, whatever the line's state, with its number and location.
            return self.emergency(caller, dialled)
        echo = bool(ECHO_TEST) and dialled.lstrip("+") == ECHO_TEST_NUMBERS.get(caller["market"])
        targets = [] if echo else callees
        route = Route.INTERNAL if targets or echo else Route.EXTERNAL
        self.call_event(EventKind.START, caller=caller, dialled=dialled, route=route)
        if caller["status"] == LINE_SUSPENDED:
            # LIFE-1: a suspended line calls nothing but emergency numbers.
            return self.refuse(403, "Line suspended")
        if echo:  # the echo test, a service of ours: answered by the echo endpoint
            KSR.rr.record_route()
            KSR.pv.sets("$du", ECHO_TEST)
            return self.relay_call()
        if not targets:
            return self.external(caller, dialled)
        KSR.rr.record_route()
        return self.ring_line("+" + dialled.lstrip("+"), targets, caller["number"])

    def ring_line(self, number: str, usernames: list[str], caller: str) -> int:
        """Ring the devices of the line with ``number``; voicemail takes the call when none is
        registered, and (through the failure route) when none answers in time or all are busy.
        ``caller`` is the caller's number, which voicemail keeps with the message."""
        self.drop_identity()  # a phone's own never reaches the callee
        if not self.fork_to(usernames):
            return self.to_voicemail(number, caller, 480, "Temporarily Unavailable")
        if VOICEMAIL:
            # Kept with the transaction for the failure route.
            KSR.pv.sets(VOICEMAIL_AVP, number)
            KSR.pv.sets(CALLER_AVP, caller)
            KSR.tm.t_set_fr(VOICEMAIL_RING_MS, 0)
        return self.relay_call()

    def to_voicemail(self, number: str, caller: str, code: int, reason: str) -> int:
        """Send the call to the voicemail endpoint for the line with ``number``; without
        voicemail, the call is refused with ``code``."""
        if not VOICEMAIL:
            return self.refuse(code, reason)
        self.voicemail_branch(number, caller, code, reason)
        return self.relay_call()

    def voicemail_branch(self, number: str, caller: str, code: int, reason: str) -> None:
        """Point the INVITE at the voicemail endpoint: the Request-URI names the line's number,
        the asserted identity the caller's. A ``divert`` call event says why, so that the
        call's record shows it went to voicemail once the endpoint answers."""
        self.call_event(EventKind.DIVERT, code=code, reason=reason)
        KSR.pv.sets("$ru", f"sip:{number}@{DOMAIN}")
        KSR.pv.sets("$du", VOICEMAIL)
        self.drop_identity()
        KSR.hdr.append(f"P-Asserted-Identity: <sip:{caller}@{DOMAIN}>\r\n")

    def fork_to(self, usernames: list[str]) -> bool:
        """Ring every registered contact of every device of the callee's line at once.

        The first device with a contact takes the Request-URI (``lookup_uri``, which adds
        the device's other contacts as branches); the others' contacts are added as
        further branches (``lookup_to_dset``). tm relays them in parallel: the first 2xx
        wins and the other branches get a CANCEL.
        """
        found = False
        for username in usernames:
            aor = f"sip:{username}@{DOMAIN}"
            if not found:
                found = _true(KSR.registrar.lookup_uri(LOCATION_TABLE, aor))
            else:
                KSR.registrar.lookup_to_dset(LOCATION_TABLE, aor)
        return found and self.drop_protected_targets()

    def drop_protected_targets(self) -> bool:
        """Take out of the fork every contact that points at one of our own destinations (a
        registration from before such Contacts were refused); whether any contact is left.

        A contact's branch is dropped; when the Request-URI's is, the first remaining branch
        takes its place.
        """
        for i in reversed(range(int(KSR.pv.get("$branch(count)") or 0))):
            uri = str(KSR.pv.get(f"$(branch(uri)[{i}])") or "")
            dst = str(KSR.pv.get(f"$(branch(dst_uri)[{i}])") or "")
            if reason := self.protected_target(uri) or (dst and self.protected_target(dst)):
                KSR.warn(f"officeline: not forking to {uri}, which points at {reason}\n")
                KSR.pv.unset(f"$(branch(uri)[{i}])")
        uri = str(KSR.pv.get("$ru") or "")
        dst = str(KSR.pv.get("$du") or "")
        reason = self.protected_target(uri) or (dst and self.protected_target(dst))
        if not reason:
            return True
        KSR.warn(f"officeline: not forking to {uri}, which points at {reason}\n")
        if int(KSR.pv.get("$branch(count)") or 0) == 0:
            return False
        KSR.pv.sets("$ru", str(KSR.pv.get("$(branch(uri)[0])")))
        dst = str(KSR.pv.get("$(branch(dst_uri)[0])") or "")
        if dst:
            KSR.pv.sets("$du", dst)
        else:
            KSR.resetdsturi()
        KSR.pv.unset("$(branch(uri)[0])")
        return True

    def relay_call(self, *, offered: bool = False) -> int:
        """Relay an INVITE statefully; its final negative answer is written by the failure route.

        Every call is record-routed before it comes here: its Record-Route is signed for
        the dialog (``route_signature``), which is how its later requests are let through
        (``within_dialog``). No identity a phone claims passes: a call to the trunk or the
        gateway carries the one asserted for it (``external``, ``emergency``), any other none.

        ``offered``: the SDP has already been handed to rtpengine.
        """
        outward = PEERS.get(self.protected_target(str(KSR.pv.get("$du") or "")), "")
        peer = "trunk" if self.from_trunk() else outward
        signature = route_signature(
            str(KSR.pv.get("$ci") or ""), str(KSR.pv.get("$ft") or ""), peer
        )
        KSR.rr.add_rr_param(
            (f";{PEER_PARAM}={peer}" if peer else "") + f";{ROUTE_PARAM}={signature}"
        )
        if outward and KSR.pv.get(IDENTITY_AVP) is None:
            KSR.hdr.remove("P-Preferred-Identity")  # P-Asserted-Identity is already ours
        elif not outward:
            self.drop_identity()  # the echo test; a line's call has already dropped them
        KSR.tm.t_on_failure("ksr_failure_call")
        if not offered:
            self.media("offer")
        if KSR.tm.t_relay() < 0:
            self.media("delete")
            KSR.sl.sl_reply_error()
            self.call_event(EventKind.FAIL, code=500, reason="Relay failed")
        return 1

    def emergency(self, caller: dict[str, str], dialled: str) -> int:
        if not EMERGENCY_GATEWAY:
            return self.refuse(503, "No emergency route configured")
        # The SDP first goes through rtpengine, and its rewritten form becomes the first
        # part of the body; the PIDF-LO with the line's location is the second (RFC 6442).
        self.media("offer")
        if RTPENGINE:
            KSR.textopsx.msg_apply_changes()
        sdp = str(KSR.pv.get("$rb") or "") if int(KSR.pv.get("$cl") or 0) > 0 else ""
        token = uuid.uuid4().hex
        content_id = f"{token}@{DOMAIN}"
        boundary = f"officeline-{token}"
        parts = []
        if sdp:
            parts.append(f"--{boundary}\r\nContent-Type: application/sdp\r\n\r\n{sdp}")
        location = pidf_lo(caller, _message_time_us(), f"line-{caller['line_id']}")
        parts.append(
            f"--{boundary}\r\nContent-Type: application/pidf+xml\r\n"
            f"Content-ID: <{content_id}>\r\n\r\n{location}"
        )
        body = "".join(part if part.endswith("\r\n") else part + "\r\n" for part in parts)
        KSR.textops.set_body(body + f"--{boundary}--\r\n", f"multipart/mixed;boundary={boundary}")
        KSR.hdr.remove("P-Asserted-Identity")
        KSR.hdr.append(f"P-Asserted-Identity: <sip:{caller['number']}@{DOMAIN}>\r\n")
        KSR.hdr.append(f"Geolocation: <cid:{content_id}>\r\n")
        KSR.hdr.append("Geolocation-Routing: yes\r\n")
        KSR.hdr.append("Priority: emergency\r\n")
        KSR.rr.record_route()
        KSR.pv.sets("$du", EMERGENCY_GATEWAY)
        return self.relay_call(offered=True)

    def external(self, caller: dict[str, str], dialled: str) -> int:
        """Calls that are not to another line go to the carrier trunk, with the line's number as caller ID."""
        if not CARRIER_TRUNK or not dialled.lstrip("+").isdigit():
            return self.refuse(404, "Not Found")
        barred = barred_class(dialled, caller["market"])
        if barred and not _yes(caller.get(BARRED[barred][0])):
            return self.refuse(403, BARRED[barred][1])
        if _yes(caller.get("spend_limited")):
            return self.refuse(403, LIMIT_REASONS["spend"])
        if not self.within_call_limits(caller):
            return 1
        KSR.hdr.remove("P-Asserted-Identity")
        KSR.hdr.append(f"P-Asserted-Identity: <sip:{caller['number']}@{DOMAIN}>\r\n")
        KSR.rr.record_route()
        KSR.pv.sets("$du", CARRIER_TRUNK)
        return self.relay_call()

    def within_call_limits(self, caller: dict[str, str]) -> bool:
        """Whether the line and its customer have fewer external calls in progress than their
        market's limits; otherwise the call is refused and False returned. A call let through
        is counted in both profiles until its dialog ends (BYE, failure, timeout).

        The counts are Kamailio's own, in shared memory, so they cost no database read; two
        INVITEs checked at the same instant may both pass, one call above the limit at most.
        """
        line_limit, customer_limit = CALL_LIMITS.get(caller["market"], (0, 0))
        counted = [
            (profile, key, limit)
            for profile, key, limit in (
                ("line", caller["line_id"], line_limit),
                ("customer", caller.get("customer_id", ""), customer_limit),
            )
            if limit and key
        ]
        if not counted:
            return True
        for profile, key, limit in counted:
            KSR.dialog.get_profile_size(profile, key, "$var(officeline_calls)")
            if int(KSR.pv.get("$var(officeline_calls)") or 0) >= limit:
                self.refuse(403, LIMIT_REASONS[profile])
                return False
        KSR.dialog.dlg_manage()
        for profile, key, _ in counted:
            KSR.dialog.set_dlg_profile(profile, key)
        return True

    def ksr_failure_call(self, msg: object) -> int:
        """The final negative answer to a relayed INVITE (486, 408 on no answer, 487 on CANCEL...).

        A line's call that was not answered in time, or whose phones are busy or declined,
        goes to voicemail once (not when the caller hung up); anything else is the call's end.
        """
        try:
            code = int(KSR.pv.get("$T_reply_code") or 0)
            reason = str(KSR.pv.get("$T_reply_reason") or "")
            number = str(KSR.pv.get(VOICEMAIL_AVP) or "")
            if number and code in VOICEMAIL_CODES and not _true(KSR.tm.t_is_canceled()):
                KSR.pv.unset(VOICEMAIL_AVP)
                caller = str(KSR.pv.get(CALLER_AVP) or "")
                if self.divert_to_voicemail(number, caller, code, reason):
                    return 1
            self.call_event(EventKind.FAIL, code=code or None, reason=reason)
            self.media("delete")
        except Exception as exc:
            KSR.err(f"officeline failure route: {type(exc).__name__}: {exc}\n")
        return 1

    def divert_to_voicemail(self, number: str, caller: str, code: int, reason: str) -> bool:
        """From the failure route: a new branch to the voicemail endpoint; the SDP already
        went through rtpengine in the request route, and its rewrite is kept."""
        self.voicemail_branch(number, caller, code, reason)
        KSR.tm.t_on_failure("ksr_failure_call")
        return KSR.tm.t_relay() > 0

    def ksr_reply_route(self, msg: object) -> int:
        """Every reply Kamailio receives; a 2xx to an INVITE is the call's answer.

        Only a reply to an INVITE we relayed (its transaction, which tm keeps a few seconds
        past the 2xx) is the callee's: anyone can send a reply with a call's Call-ID, and
        such a one moves no media and writes no event. A retransmitted 2xx only repeats an
        event the fold reads once.
        """
        try:
            if KSR.nathelper.nat_uac_test(NAT_TESTS_REPLY) > 0:
                KSR.nathelper.set_contact_alias()  # an answering phone behind NAT
            status = int(KSR.pv.get("$rs") or 0)
            if (
                KSR.pv.get("$rm") != "INVITE"
                or not 180 <= status < 300
                or KSR.tm.t_check_trans() <= 0
            ):
                return 1
            self.media("answer")
            if status >= 200:
                self.call_event(EventKind.ANSWER, code=status)
        except Exception as exc:
            KSR.err(f"officeline reply route: {type(exc).__name__}: {exc}\n")
        return 1

    def ksr_onsend_route(self, msg: object) -> int:
        return 1

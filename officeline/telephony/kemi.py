"""Kamailio's routing, in Python (KEMI, app_python3).

Kamailio loads this file and calls ``mod_init``; each worker then calls the
``ksr_*`` methods of the object it returns. Only the ``KSR`` module that
Kamailio provides is imported, so each worker starts light; the per-line facts
come from the ``telephony_routing`` view, kept by the Django side.

The order of decisions (DESIGN.md, issue "call flow"):
1. sanity and hop limits; REGISTER with digest authentication against
   ``telephony_subscriber`` (blocked devices are not there, LINE-4);
2. an INVITE from a registered line: emergency numbers of its market first,
   whatever the line's state (EMG-3), unless the line is marked abroad (EMG-4);
3. a suspended line gets 403 with its reason (LIFE-1);
4. a call to another line's number rings every registered device of it.
"""

from __future__ import annotations

import os

import KSR  # type: ignore[import-not-found]  # provided by Kamailio's app_python3

# Rendered into Kamailio's environment from the settings (officeline.telephony.kamailio).
DOMAIN = os.environ.get("OFFICELINE_SIP_DOMAIN", "officeline.test")
EMERGENCY_GATEWAY = os.environ.get("OFFICELINE_EMERGENCY_GATEWAY", "")
CARRIER_TRUNK = os.environ.get("OFFICELINE_CARRIER_TRUNK", "")
EMERGENCY = {
    "uk": ("999", "112"),
    "fr": ("112", "15", "17", "18", "114", "115", "119", "191", "196", "197"),
}


def mod_init() -> Router:
    return Router()


def _true(result: object) -> bool:
    """KEMI answers yes/no as a bool or as 1/-1, depending on the function."""
    return result is True or (
        not isinstance(result, bool) and isinstance(result, int) and result > 0
    )


def _q(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class Router:
    def child_init(self, rank: int) -> int:
        return 0

    def _line(self, username: str) -> dict[str, str] | None:
        if (
            KSR.sqlops.sql_query(
                "ca",
                "SELECT line_id, number, status, in_use_abroad, market, location "
                "FROM telephony_routing WHERE username = " + _q(username),
                "ra",
            )
            < 0
        ):
            return None
        if KSR.pv.get("$dbr(ra=>rows)") in (None, 0):
            KSR.sqlops.sql_result_free("ra")
            return None
        row = {
            name: str(KSR.pv.get(f"$dbr(ra=>[0,{i}])"))
            for i, name in enumerate(
                ("line_id", "number", "status", "in_use_abroad", "market", "location")
            )
        }
        KSR.sqlops.sql_result_free("ra")
        return row

    def _usernames_of(self, number: str) -> list[str]:
        if (
            KSR.sqlops.sql_query(
                "ca",
                "SELECT username FROM telephony_routing WHERE number = "
                + _q(number)
                + " AND status = 'active'",
                "rb",
            )
            < 0
        ):
            return []
        rows = KSR.pv.get("$dbr(rb=>rows)") or 0
        found = [str(KSR.pv.get(f"$dbr(rb=>[{i},0])")) for i in range(int(rows))]
        KSR.sqlops.sql_result_free("rb")
        return found

    def ksr_request_route(self, msg: object) -> int:
        try:
            return self.route()
        except Exception as exc:  # a bug here must not leave a phone without an answer
            KSR.err(f"officeline routing failed: {type(exc).__name__}: {exc}\n")
            KSR.sl.sl_send_reply(500, "Server Internal Error")
            return 1

    def route(self) -> int:
        if KSR.maxfwd.process_maxfwd(10) < 0:
            KSR.sl.sl_send_reply(483, "Too Many Hops")
            return 1
        if KSR.sanity.sanity_check(17895, 7) < 0:
            return 1
        if KSR.is_OPTIONS() and KSR.pv.get("$rU") in (None, ""):
            KSR.sl.sl_send_reply(200, "OK")
            return 1
        if KSR.siputils.has_totag() > 0:
            # In-dialog: follow the route set; a far end that kept no Record-Route
            # still gets its request when it names another host.
            if KSR.rr.loose_route() > 0 or KSR.is_ACK() or not _true(KSR.is_myself_ruri()):
                KSR.tm.t_relay()
                return 1
            KSR.sl.sl_send_reply(404, "Not here")
            return 1
        if KSR.is_CANCEL():
            if KSR.tm.t_check_trans() > 0:
                KSR.tm.t_relay()
            return 1
        if KSR.is_REGISTER():
            return self.register()
        if KSR.is_INVITE():
            return self.invite()
        KSR.sl.sl_send_reply(405, "Method Not Allowed")
        return 1

    def register(self) -> int:
        if KSR.auth_db.auth_check(DOMAIN, "telephony_subscriber", 1) < 0:
            KSR.auth.auth_challenge(DOMAIN, 0)
            return 1
        KSR.auth.consume_credentials()
        KSR.registrar.save("location", 0)
        return 1

    def invite(self) -> int:
        # auth_check reads Proxy-Authorization for an INVITE; auth_challenge answers 407.
        if KSR.auth_db.auth_check(DOMAIN, "telephony_subscriber", 1) < 0:
            KSR.auth.auth_challenge(DOMAIN, 0)
            return 1
        caller = self._line(str(KSR.pv.get("$au")))
        KSR.auth.consume_credentials()
        if caller is None:
            KSR.sl.sl_send_reply(403, "Unknown line")
            return 1
        dialled = str(KSR.pv.get("$rU") or "")
        if dialled in EMERGENCY.get(caller["market"], ()):
            # EMG-4: no emergency calls from abroad: a clear refusal, not silence.
            if caller["in_use_abroad"] in ("1", "t", "True", "true"):
                KSR.sl.sl_send_reply(403, "Emergency calls are not available abroad")
                return 1
            # EMG-3: always routed, whatever the line's state, with its number and location.
            return self.emergency(caller, dialled)
        if caller["status"] == "suspended":
            # LIFE-1: a suspended line calls nothing but emergency numbers.
            KSR.sl.sl_send_reply(403, "Line suspended")
            return 1
        targets = self._usernames_of("+" + dialled.lstrip("+"))
        if not targets:
            return self.external(caller, dialled)
        KSR.rr.record_route()
        KSR.pv.sets("$rU", targets[0])
        if KSR.registrar.lookup("location") < 0:
            KSR.sl.sl_send_reply(480, "Temporarily Unavailable")
            return 1
        KSR.tm.t_relay()
        return 1

    def emergency(self, caller: dict[str, str], dialled: str) -> int:
        if not EMERGENCY_GATEWAY:
            KSR.sl.sl_send_reply(503, "No emergency route configured")
            return 1
        KSR.hdr.remove("P-Asserted-Identity")
        KSR.hdr.append(f"P-Asserted-Identity: <sip:{caller['number']}@{DOMAIN}>\r\n")
        KSR.hdr.append(f"X-Officeline-Location: {caller['location']}\r\n")
        KSR.hdr.append("Priority: emergency\r\n")
        KSR.rr.record_route()
        KSR.pv.sets("$du", EMERGENCY_GATEWAY)
        KSR.tm.t_relay()
        return 1

    def external(self, caller: dict[str, str], dialled: str) -> int:
        """Calls that are not to another line go to the carrier trunk, with the line's number as caller ID."""
        if not CARRIER_TRUNK or not dialled.lstrip("+").isdigit():
            KSR.sl.sl_send_reply(404, "Not Found")
            return 1
        KSR.hdr.remove("P-Asserted-Identity")
        KSR.hdr.append(f"P-Asserted-Identity: <sip:{caller['number']}@{DOMAIN}>\r\n")
        KSR.rr.record_route()
        KSR.pv.sets("$du", CARRIER_TRUNK)
        KSR.tm.t_relay()
        return 1

    def ksr_reply_route(self, msg: object) -> int:
        return 1

    def ksr_onsend_route(self, msg: object) -> int:
        return 1

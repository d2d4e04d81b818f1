"""Kamailio's configuration, rendered from the project's settings, and the process that runs it.

The routing itself is Python (``routing/kemi.py``); the native configuration only loads
modules and sets their parameters, and the routing's facts go into its environment. Files go under the deployment's var/ directory.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from officeline.markets.definitions import MARKETS
from officeline.markets.numbering import routing_facts as destination_facts
from officeline.telephony.process import ManagedProcess
from officeline.telephony.routing.contract import LOCATION_TABLE

MODULES_DIR = "/usr/lib/x86_64-linux-gnu/kamailio/modules/"
KEMI_SCRIPT = Path(__file__).with_name("routing") / "kemi.py"
# Kamailio's Python imports the routing's own modules from the project (``officeline``).
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def routing_facts() -> dict[str, dict[str, list[str]]]:
    """Each market's facts for the routing, from markets, which decides them: its
    destination classes and emergency numbers (``markets.numbering.routing_facts``), its
    country and the language of its civic addresses (``xml:lang``, "en-GB")."""
    facts = destination_facts()
    for code, market in MARKETS.items():
        facts[code]["country"] = [market.country]
        facts[code]["language"] = [f"{market.language}-{market.country}"]
    return facts


def kamailio_db_url(settings_dict: dict[str, Any]) -> str:
    """The database Django uses, as Kamailio's db_postgres or db_sqlite module names it."""
    engine = settings_dict["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        # Kamailio drops the first slash after "sqlite://", so an absolute path needs two.
        return f"sqlite:///{Path(settings_dict['NAME']).resolve()}"
    if engine == "django.db.backends.postgresql":
        user = settings_dict.get("USER") or "postgres"
        password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
        host = settings_dict.get("HOST") or "127.0.0.1"
        port = settings_dict.get("PORT") or 5432
        return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"
    raise ValueError(f"Kamailio cannot use the database engine {engine}")


def route_secret(secret_key: str) -> str:
    """The key that signs Kamailio's Record-Route (kemi.py's ``route_signature``), derived
    from Django's SECRET_KEY so that every node of a deployment has the same."""
    return hmac.new(
        secret_key.encode(), b"officeline.telephony.record-route", hashlib.sha256
    ).hexdigest()


def digest_ha1(username: str, realm: str, password: str) -> str:
    """MD5(username:realm:password), what Kamailio checks a digest response against."""
    return hashlib.md5(f"{username}:{realm}:{password}".encode(), usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class KamailioConfig:
    listen_host: str
    listen_port: int
    domain: str
    db_url: str
    workdir: Path
    children: int = 4
    emergency_gateway: str = ""  # sip:host:port of the emergency route (EMG-3)
    carrier_trunk: str = ""  # sip:host:port of the carrier for external calls
    # Where the carrier's incoming calls come from ("ip" or "ip:port", comma-separated);
    # the carrier trunk's own address when empty.
    trunk_sources: str = ""
    # How the trunk's calls are trusted: "digest" (challenged; checked against trunk_ha1,
    # the HA1 of trunk_username in the SIP domain) or "ip" (by their source address alone).
    trunk_auth: str = "digest"
    trunk_username: str = ""
    trunk_ha1: str = ""
    # Signs the Record-Route of our calls, which their later requests must come back along;
    # the same on every node. Kamailio makes one of its own when empty.
    route_secret: str = ""
    # Where call events go when the database does not answer (replayed by usage.record_calls).
    cdr_spool_dir: Path | None = None
    # The database call events are written to; the main one unless set (tests point it away).
    cdr_db_url: str = ""
    # rtpengine's NG control socket ("udp:127.0.0.1:2223"); media goes end to end without it.
    rtpengine_control: str = ""
    # The echo test: its numbers per market ("uk=+44...,fr=+33...") and the endpoint answering them.
    echo_test_numbers: str = ""
    echo_test: str = ""
    # Voicemail: the endpoint taking messages for lines that do not answer, and how long
    # a line rings first.
    voicemail: str = ""
    voicemail_ring_seconds: int = 25
    # Flood protection (pike): more than flood_requests from one address within
    # flood_period seconds and its requests are dropped; 0 turns it off.
    flood_requests: int = 60
    flood_period: int = 2
    # Load shedding (ratelimit): INVITEs and REGISTERs a second, all sources together,
    # past which new ones get 503 with Retry-After; 0 turns each off.
    invite_limit: int = 200
    register_limit: int = 500
    # Larger requests get 513 Message Too Large.
    max_message_bytes: int = 16384
    # How long a write to an SQLite database waits for another writer (Django, the worker)
    # before it fails with "database is locked"; db_sqlite of Kamailio 5.6 does not wait at
    # all, so the routing gives every SQLite connection this busy timeout (kemi.py).
    sqlite_busy_timeout_ms: int = 2000
    # Kamailio's JSON-RPC socket; under the work directory unless set.
    rpc_socket_path: Path | None = None
    # External calls in progress at once per line and per customer, per market
    # ("uk=4/20,fr=4/20", from ``lines.barring.call_limits_text``); none when empty.
    call_limits: str = ""

    @property
    def rpc_socket(self) -> Path:
        """Kamailio's JSON-RPC control socket (a Unix datagram socket): Django asks Kamailio
        through it to send requests of its own, such as a line's message-waiting NOTIFY."""
        return self.rpc_socket_path or self.workdir / "kamailio_rpc.sock"

    @property
    def spool_dir(self) -> Path:
        return self.cdr_spool_dir or self.workdir / "cdr-spool"

    @property
    def call_events_on_postgresql(self) -> bool:
        return (self.cdr_db_url or self.db_url).startswith("postgres")

    @property
    def sqlite_files(self) -> list[str]:
        """The SQLite database files Kamailio opens (none on PostgreSQL), as db_sqlite names them."""
        urls = {self.db_url, self.cdr_db_url or self.db_url}
        # "sqlite:///" + the path: Kamailio's database name is what follows the third slash.
        return sorted(url.removeprefix("sqlite:///") for url in urls if url.startswith("sqlite:"))

    def environment(self) -> dict[str, str]:
        """What the Python routing reads at start-up."""
        return {
            "PYTHONPATH": str(PROJECT_ROOT),
            "OFFICELINE_SIP_DOMAIN": self.domain,
            "OFFICELINE_EMERGENCY_GATEWAY": self.emergency_gateway,
            "OFFICELINE_CARRIER_TRUNK": self.carrier_trunk,
            "OFFICELINE_TRUNK_SOURCES": self.trunk_sources,
            "OFFICELINE_TRUNK_AUTH": self.trunk_auth,
            "OFFICELINE_TRUNK_USERNAME": self.trunk_username,
            "OFFICELINE_TRUNK_HA1": self.trunk_ha1,
            "OFFICELINE_SIP_ROUTE_SECRET": self.route_secret,
            "OFFICELINE_CDR_SPOOL_DIR": str(self.spool_dir),
            "OFFICELINE_CDR_ASYNC_COMMIT": "1" if self.call_events_on_postgresql else "",
            "OFFICELINE_SIP_DB_POSTGRESQL": "1" if self.db_url.startswith("postgres") else "",
            "OFFICELINE_RTPENGINE": "1" if self.rtpengine_control else "",
            "OFFICELINE_ECHO_TEST_NUMBERS": self.echo_test_numbers,
            "OFFICELINE_ECHO_TEST": self.echo_test,
            "OFFICELINE_VOICEMAIL": self.voicemail,
            "OFFICELINE_VOICEMAIL_RING_SECONDS": str(self.voicemail_ring_seconds),
            "OFFICELINE_SIP_PIKE": "1" if self.flood_requests else "",
            "OFFICELINE_SIP_INVITE_LIMIT": str(self.invite_limit),
            "OFFICELINE_SIP_REGISTER_LIMIT": str(self.register_limit),
            "OFFICELINE_SIP_MAX_MESSAGE": str(self.max_message_bytes),
            # Emergency numbers, civic addresses and call barring, as markets decides them.
            "OFFICELINE_DESTINATION_FACTS": json.dumps(routing_facts(), sort_keys=True),
            "OFFICELINE_CALL_LIMITS": self.call_limits,
            "OFFICELINE_SQLITE_BUSY_TIMEOUT_MS": (
                str(self.sqlite_busy_timeout_ms) if self.sqlite_files else ""
            ),
        }

    def modules(self) -> list[str]:
        """The modules Kamailio loads: the core's, the database's, and those the settings ask for."""
        db_module = "db_sqlite.so" if self.db_url.startswith("sqlite") else "db_postgres.so"
        modules = [
            "kex.so",
            "corex.so",
            "tm.so",
            "tmx.so",
            "sl.so",
            "rr.so",
            "pv.so",
            "maxfwd.so",
            "usrloc.so",
            "registrar.so",
            "textops.so",
            "textopsx.so",
            "siputils.so",
            "nathelper.so",
            "xlog.so",
            "sanity.so",
            "ctl.so",
            "jsonrpcs.so",
            "auth.so",
            "auth_db.so",
            db_module,
            "sqlops.so",
            "app_python3.so",
        ]
        if self.call_limits:
            # Calls in progress per line and per customer (dialog profiles), in shared memory.
            modules.insert(modules.index("app_python3.so"), "dialog.so")
        if self.rtpengine_control:
            modules.append("rtpengine.so")
        if self.flood_requests:
            modules.append("pike.so")
        if self.invite_limit or self.register_limit:
            modules.append("ratelimit.so")
        return modules

    def render(self) -> str:
        lines = [
            "#!KAMAILIO",
            "debug=2",
            "log_stderror=yes",
            "memdbg=5",
            "memlog=5",
            f"children={self.children}",
            "tcp_children=1",
            "disable_tcp=no",
            "auto_aliases=no",
            f"listen=udp:{self.listen_host}:{self.listen_port}",
            f"listen=tcp:{self.listen_host}:{self.listen_port}",
            f'alias="{self.domain}"',
            # Oversized messages are refused (bad input gets a clean error, not a crash).
            "tcp_max_connections=2048",
            f'mpath="{MODULES_DIR}"',
            *[f'loadmodule "{m}"' for m in self.modules()],
            *self._core_parameters(),
            *self._database_parameters(),
            *self._optional_parameters(),
            f'modparam("app_python3", "load", "{KEMI_SCRIPT}")',
            'cfgengine "python"',
        ]
        return "\n".join(lines) + "\n"

    def _core_parameters(self) -> list[str]:
        """Control sockets, transactions, registrations and NAT."""
        return [
            f'modparam("ctl", "binrpc", "unix:{self.workdir / "kamailio_ctl"}")',
            'modparam("jsonrpcs", "transport", 4)',
            'modparam("jsonrpcs", "pretty_format", 0)',
            f'modparam("jsonrpcs", "dgram_socket", "{self.rpc_socket}")',
            'modparam("tm", "fr_timer", 30000)',
            # Registrations live in the database only (the location table a migration
            # makes), so they outlive a restart and every Kamailio node sees the same.
            f'modparam("usrloc", "db_url", "{self.db_url}")',
            'modparam("usrloc", "db_mode", 3)',
            'modparam("usrloc", "db_timer_clean", 1)',
            'modparam("usrloc", "version_table", 0)',
            # KEMI scripts name the table at run time, so it must exist from the start.
            f'modparam("usrloc", "preload", "{LOCATION_TABLE}")',
            'modparam("registrar", "max_expires", 3600)',
            # A phone behind NAT is registered with the address its REGISTER came from.
            'modparam("nathelper", "received_avp", "$avp(RECEIVED)")',
            'modparam("registrar", "received_avp", "$avp(RECEIVED)")',
        ]

    def _database_parameters(self) -> list[str]:
        """Digest authentication against the subscriber view, the routing's SQL connections."""
        return [
            'modparam("auth_db", "calculate_ha1", 0)',
            'modparam("auth_db", "password_column", "ha1")',
            'modparam("auth_db", "password_column_2", "ha1b")',
            'modparam("auth_db", "user_column", "username")',
            'modparam("auth_db", "domain_column", "domain")',
            'modparam("auth_db", "use_domain", 0)',
            f'modparam("auth_db", "db_url", "{self.db_url}")',
            f'modparam("sqlops", "sqlcon", "ca=>{self.db_url}")',
            # Call events: a database that is down at start-up must not stop calls; the
            # routing spools what it cannot write (see routing/kemi.py).
            f'modparam("sqlops", "sqlcon", "cdr=>{self.cdr_db_url or self.db_url}")',
            'modparam("sqlops", "connect_mode", 1)',
            # WAL, as Django opens it: Kamailio reads while Django writes, and the reverse.
            *[
                f'modparam("db_sqlite", "db_set_journal_mode", "{path}=WAL")'
                for path in self.sqlite_files
            ],
        ]

    def _optional_parameters(self) -> list[str]:
        """Media relay, flood and load protection, and call limits, when set."""
        lines = []
        if self.rtpengine_control:
            lines.append(f'modparam("rtpengine", "rtpengine_sock", "{self.rtpengine_control}")')
        if self.flood_requests:
            lines += [
                f'modparam("pike", "sampling_time_unit", {self.flood_period})',
                f'modparam("pike", "reqs_density_per_unit", {self.flood_requests})',
            ]
        if self.invite_limit or self.register_limit:
            lines += [
                'modparam("ratelimit", "timer_interval", 1)',
                f'modparam("ratelimit", "pipe", "0:TAILDROP:{max(self.invite_limit, 1)}")',
                f'modparam("ratelimit", "pipe", "1:TAILDROP:{max(self.register_limit, 1)}")',
            ]
        if self.call_limits:
            lines += [
                'modparam("dialog", "profiles_with_value", "line;customer")',
                # A call whose BYE never came stops counting after 4 hours (not 12).
                'modparam("dialog", "default_timeout", 14400)',
            ]
        return lines


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t:
        try:
            t.bind(("127.0.0.1", port))
        except OSError:
            return free_port()
    return int(port)


def sip_options(host: str, port: int, timeout: float = 0.5) -> str | None:
    """Send one OPTIONS over UDP; the status line of the answer, or None."""
    call_id = uuid.uuid4().hex
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        local_port = s.getsockname()[1]
        message = (
            f"OPTIONS sip:{host}:{port} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP 127.0.0.1:{local_port};branch=z9hG4bK{call_id[:10]}\r\n"
            f"From: <sip:probe@127.0.0.1>;tag={call_id[:8]}\r\nTo: <sip:{host}:{port}>\r\n"
            f"Call-ID: {call_id}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
        )
        s.settimeout(timeout)
        s.sendto(message.encode(), (host, port))
        try:
            data, _ = s.recvfrom(65535)
        except TimeoutError:
            return None
    return data.decode(errors="replace").split("\r\n", 1)[0]


class KamailioProcess(ManagedProcess):
    """One Kamailio on loopback, for tests and ``make run``."""

    name = "Kamailio"

    def __init__(self, config: KamailioConfig) -> None:
        super().__init__(config.workdir, "kamailio.log")
        self.config = config

    def command(self) -> list[str]:
        cfg = self.config.workdir / "kamailio.cfg"
        return [
            shutil.which("kamailio") or "/usr/sbin/kamailio",
            "-f",
            str(cfg),
            "-DD",
            "-E",
            "-m",
            "256",
            "-M",
            "16",
            "-w",
            str(self.config.workdir),
        ]

    def write_config(self) -> Path:
        self.config.workdir.mkdir(parents=True, exist_ok=True)
        self.config.spool_dir.mkdir(parents=True, exist_ok=True)
        cfg = self.config.workdir / "kamailio.cfg"
        cfg.write_text(self.config.render())
        return cfg

    def prepare(self) -> None:
        self.write_config()

    def environment(self) -> dict[str, str]:
        return {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **self.config.environment()}

    def ready(self) -> bool:
        return bool(sip_options(self.config.listen_host, self.config.listen_port))

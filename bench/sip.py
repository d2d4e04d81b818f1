"""SIP throughput: our Kamailio (routing in Python, call events to PostgreSQL) against a native one.

Builds a throwaway PostgreSQL database (from DATABASE_URL's server) with lines and
devices, then measures two Kamailios in turn on loopback, each with the same modules,
children and database:

- ``python``: Officeline's own configuration, the routing in ``telephony/routing/kemi.py`` (KEMI);
- ``native``: a small kamailio.cfg written here doing the same work in Kamailio's own
  language: digest authentication from the same ``telephony_subscriber`` view, the
  caller's line and the callee's devices from ``telephony_routing``, lookup, relay,
  and one INSERT into ``telephony_callevent`` per call event (start, answer, end),
  committed as the routing commits them (``synchronous_commit`` off for that INSERT).

For each, SIPp measures the REGISTER rate (REGISTER, 401, REGISTER with credentials,
200) and the call rate (INVITE, 407, ACK, INVITE with credentials, 180, 200, ACK, BYE,
200; no media: the SDP is relayed as it is, without rtpengine) to a SIPp answering as
the registered callee. SIPp sends as fast as the two Kamailios answer, with at most
``--concurrent`` transactions or calls open at once. Prints both, their ratio, how
many call events each wrote per call, and the CPU time a call cost Kamailio, the
database's backends and SIPp (from /proc: the database must be on this machine).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench sip

SIPp, Kamailio and PostgreSQL share the machine's cores: compare the two in one run.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PASSWORD = "bench-desk-phone-1"


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "officeline.settings")
    os.environ.setdefault("OFFICELINE_DEPLOYMENT", "test")
    # A database of its own, so as not to meet a test run's on the same server.
    os.environ.setdefault("OFFICELINE_TEST_DB_NAME", f"bench_sip_{os.getpid()}")
    import django

    django.setup()


def _lines(callers: int, callees: int) -> tuple[list[str], list[tuple[str, str]]]:
    """Active uk lines with one softphone each: the callers' usernames, the callees' (username, number)."""
    from officeline.accounts.tests.factories import (
        BuildingFactory,
        CustomerFactory,
        OfficeManagerFactory,
    )
    from officeline.lines.models import Number
    from officeline.lines.services import lines as services

    building = BuildingFactory(market="uk")
    manager = OfficeManagerFactory(customer=CustomerFactory(market="uk", building=building))
    made: list[tuple[str, str]] = []
    for i in range(callers + callees):
        number = Number.objects.create(e164=f"+44207946{i:04d}", market="uk", building=building)
        line = services.request_line(customer=manager.customer, number=number, actor=manager)
        services.acknowledge_emergency_limitations(line=line, actor=manager)
        line = services.activate_line(line=line, actor=manager)
        device, _ = services.add_device(
            line=line, kind="softphone", actor=manager, password=PASSWORD
        )
        made.append((device.sip_username, number.e164))
    return [u for u, _ in made[:callers]], made[callers:]


def native_config(config: object) -> str:
    """The same work as kemi.py for REGISTER and for a call between two lines, natively."""
    from officeline.telephony.kamailio import MODULES_DIR, KamailioConfig

    assert isinstance(config, KamailioConfig)
    python = config.render().split("\n")
    # The same core settings and module parameters; no app_python3, plus uuid for event ids.
    head = [
        line
        for line in python
        if line
        and not line.startswith(("cfgengine", 'modparam("app_python3"'))
        and "app_python3" not in line
    ]
    head.insert(head.index(f'mpath="{MODULES_DIR}"') + 1, 'loadmodule "uuid.so"')
    domain = config.domain
    # Committed as the Python routing commits them (kemi.CALL_EVENT_COMMIT).
    insert = (
        ("SET LOCAL synchronous_commit TO OFF; " if config.call_events_on_postgresql else "")
        + "INSERT INTO telephony_callevent (event_id, call_id, kind, at_us, line_id, market, "
        "caller, dialled, route, code, reason) VALUES ('$(uuid(g){s.rm,-})', $(ci{sql.val.str}), "
    )
    at = "$TV(s)::bigint * 1000000 + $TV(u)"
    body = f"""
request_route {{
    if (!mf_process_maxfwd_header("10")) {{ sl_send_reply("483", "Too Many Hops"); exit; }}
    if (!sanity_check("17895", "7")) exit;
    if (is_method("OPTIONS") && $rU == $null) {{ sl_send_reply("200", "OK"); exit; }}
    if (!is_method("ACK|CANCEL")) {{
        if (t_precheck_trans()) {{ t_check_trans(); exit; }}
        t_check_trans();
    }}
    if (has_totag()) {{
        if (loose_route() || is_method("ACK") || !is_myself("$ru")) {{
            if (is_method("BYE")) {{
                sql_query("cdr", "{insert}'end', {at}, NULL, '', '', '', '', NULL, '')");
            }}
            t_relay();
            exit;
        }}
        sl_send_reply("404", "Not here");
        exit;
    }}
    if (is_method("CANCEL")) {{ if (t_check_trans()) t_relay(); exit; }}
    if (is_method("REGISTER")) {{
        if (!auth_check("{domain}", "telephony_subscriber", "1")) {{
            auth_challenge("{domain}", "0");
            exit;
        }}
        consume_credentials();
        save("location");
        exit;
    }}
    if (is_method("INVITE")) {{ route(INVITE); exit; }}
    sl_send_reply("405", "Method Not Allowed");
}}

route[INVITE] {{
    if (!auth_check("{domain}", "telephony_subscriber", "1")) {{
        auth_challenge("{domain}", "0");
        exit;
    }}
    # The caller's line and the callee's devices in one query, as the Python routing reads them
    # (kemi.CALL_ROUTE: the function on PostgreSQL, whose plan each session keeps).
    sql_query("ca", "SELECT * FROM telephony_call_route($(au{{sql.val.str}}), '+$(rU{{s.escape.common}})')", "ra");
    consume_credentials();
    $var(found) = 0;
    $var(targets) = 0;
    $var(i) = 0;
    while ($var(i) < $dbr(ra=>rows)) {{
        if ($dbr(ra=>[$var(i),0]) == 0) {{
            $var(found) = 1;
            $var(line) = $dbr(ra=>[$var(i),2]);
            $var(number) = $dbr(ra=>[$var(i),3]);
            $var(status) = $dbr(ra=>[$var(i),4]);
            $var(market) = $dbr(ra=>[$var(i),6]);
        }} else {{
            if ($var(targets) == 0) {{
                $var(target) = $dbr(ra=>[$var(i),1]);
            }}
            $var(targets) = $var(targets) + 1;
        }}
        $var(i) = $var(i) + 1;
    }}
    sql_result_free("ra");
    if ($var(found) == 0) {{
        sl_send_reply("403", "Unknown line");
        exit;
    }}
    if ($var(market) == "uk" && ($rU == "999" || $rU == "112")) {{
        sl_send_reply("503", "No emergency route configured");
        exit;
    }}
    sql_query("cdr", "{insert}'start', {at}, $var(line), '$var(market)', '$var(number)', $(rU{{sql.val.str}}), 'internal', NULL, '')");
    if ($var(status) == "suspended") {{
        sl_send_reply("403", "Line suspended");
        exit;
    }}
    if ($var(targets) == 0) {{
        sl_send_reply("404", "Not Found");
        exit;
    }}
    record_route();
    $rU = $var(target);
    if (!lookup("location")) {{
        sl_send_reply("480", "Temporarily Unavailable");
        exit;
    }}
    t_on_failure("FAIL");
    if (!t_relay()) {{
        sl_reply_error();
    }}
}}

failure_route[FAIL] {{
    sql_query("cdr", "{insert}'fail', {at}, NULL, '', '', '', '', $T_reply_code, '')");
}}

onreply_route {{
    if ($rm == "INVITE" && $rs >= 200 && $rs < 300) {{
        sql_query("cdr", "{insert}'answer', {at}, NULL, '', '', '', '', $rs, '')");
    }}
}}
"""
    return "\n".join(head) + "\n" + body


@dataclass
class Rate:
    done: int
    failed: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0


def _sipp_stats(output: str) -> Rate:
    """Successful and failed calls and the elapsed time from SIPp's final statistics screen."""

    def last(pattern: str) -> str:
        found = re.findall(pattern, output)
        if not found:
            raise RuntimeError(f"SIPp printed no {pattern!r}:\n{output[-3000:]}")
        return str(found[-1])

    def cumulative(label: str) -> int:
        return int(last(rf"{label}\s*\|[^|]*\|\s*(\d+)"))

    # Its elapsed time is the last screen's time since the start (as epoch seconds).
    start = float(last(r"Start Time\s*\|.*?(\d{9,}\.\d+)"))
    end = float(last(r"Current Time\s*\|.*?(\d{9,}\.\d+)"))
    return Rate(
        done=cumulative("Successful call"),
        failed=cumulative("Failed call"),
        seconds=end - start,
    )


def _inject(tmp: Path, name: str, rows: list[tuple[str, str]]) -> Path:
    path = tmp / name
    path.write_text(
        "SEQUENTIAL\n"
        + "".join(
            f"{user};[authentication username={user} password={PASSWORD}];{dial}\n"
            for user, dial in rows
        )
    )
    return path


def _sipp(
    port: int,
    scenario: str,
    inject: Path,
    *,
    count: int,
    concurrent: int,
    local_port: int,
    errors: Path,
) -> Rate:
    from officeline.telephony.sipp import SCENARIOS, SIPP

    with tempfile.TemporaryDirectory() as tmp:
        command = [
            SIPP,
            f"127.0.0.1:{port}",
            "-trace_err",
            "-error_file",
            str(errors),
            "-sf",
            str(SCENARIOS / scenario),
            "-inf",
            str(inject),
            "-i",
            "127.0.0.1",
            "-p",
            str(local_port),
            "-m",
            str(count),
            "-r",
            "20000",
            "-l",
            str(concurrent),
            "-d",
            "0",
            "-nostdin",
            "-timeout",
            "120s",
            "-max_recv_loops",
            "5000",
        ]
        proc = subprocess.run(
            command, capture_output=True, text=True, timeout=180, check=False, cwd=tmp
        )
    return _sipp_stats(proc.stdout + proc.stderr)


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far (0 for one that is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _kamailio_pids(main_pid: int) -> list[int]:
    """Kamailio's main process and its workers (its children)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == main_pid:
            children.append(int(stat.parent.name))
    return [main_pid, *children]


def _backend_pids() -> list[int]:
    """The PostgreSQL backends serving the bench's database, other than the bench's own."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cur.fetchall()]


@dataclass
class CpuSplit:
    """CPU seconds each side used during the calls: Kamailio, PostgreSQL's backends, SIPp."""

    kamailio: float
    postgres: float
    sipp: float

    def per_call_ms(self, calls: int) -> str:
        return (
            f"Kamailio {1000 * self.kamailio / calls:.2f}, PostgreSQL "
            f"{1000 * self.postgres / calls:.2f}, SIPp {1000 * self.sipp / calls:.2f}"
        )


class CpuMeter:
    """CPU used by Kamailio's processes, the database's backends and SIPp (this process's
    children) between ``start`` and ``stop``. PostgreSQL is read through /proc, so the
    database has to be on this machine; its backends opened during the calls count whole."""

    def __init__(self, kamailio_pid: int) -> None:
        self.kamailio_pid = kamailio_pid

    def _now(self) -> tuple[dict[int, float], dict[int, float], float]:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return (
            {pid: _cpu_seconds(pid) for pid in _kamailio_pids(self.kamailio_pid)},
            {pid: _cpu_seconds(pid) for pid in _backend_pids()},
            children.ru_utime + children.ru_stime,
        )

    def start(self) -> None:
        self.before = self._now()

    def stop(self) -> CpuSplit:
        kamailio, postgres, sipp = self._now()
        old_kamailio, old_postgres, old_sipp = self.before
        return CpuSplit(
            kamailio=sum(t - old_kamailio.get(pid, 0.0) for pid, t in kamailio.items()),
            postgres=sum(t - old_postgres.get(pid, 0.0) for pid, t in postgres.items()),
            sipp=sipp - old_sipp,
        )


def _measure(
    label: str,
    process: object,
    callers: list[str],
    callees: list[tuple[str, str]],
    args: argparse.Namespace,
) -> tuple[Rate, Rate, float, CpuSplit]:
    from django.db import connection

    from officeline.telephony.kamailio import KamailioProcess, free_port
    from officeline.telephony.sipp import SCENARIOS, SIPP

    assert isinstance(process, KamailioProcess)
    port = process.config.listen_port
    with connection.cursor() as cur:
        cur.execute("TRUNCATE telephony_callevent")
    process.start()
    try:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            registering = _inject(tmp, "callers.csv", [(u, "") for u in callers])
            register = _sipp(
                port,
                "register.xml",
                registering,
                count=args.registers,
                concurrent=args.concurrent,
                local_port=free_port(),
                errors=process.workdir / "sipp-register-errors.log",
            )
            # The callees register at the answering SIPp's port, then it answers every call.
            answer_port = free_port()
            registered = _sipp(
                port,
                "register.xml",
                _inject(tmp, "callees.csv", [(u, "") for u, _ in callees]),
                count=len(callees),
                concurrent=10,
                local_port=answer_port,
                errors=process.workdir / "sipp-callees-errors.log",
            )
            if registered.done != len(callees):
                raise RuntimeError(f"{label}: only {registered.done} callees registered")
            assert process.process is not None
            meter = CpuMeter(process.process.pid)
            meter.start()
            answerer = subprocess.Popen(
                [
                    SIPP,
                    "-sf",
                    str(SCENARIOS / "uas_answer.xml"),
                    "-i",
                    "127.0.0.1",
                    "-p",
                    str(answer_port),
                    "-nostdin",
                    "-max_recv_loops",
                    "5000",
                    "-trace_err",
                    "-error_file",
                    str(process.workdir / "sipp-answer-errors.log"),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=tmp,
            )
            try:
                time.sleep(0.5)
                dialling = [
                    (caller, callees[i % len(callees)][1].lstrip("+"))
                    for i, caller in enumerate(callers)
                ]
                calls = _sipp(
                    port,
                    "call.xml",
                    _inject(tmp, "calls.csv", dialling),
                    count=args.calls,
                    concurrent=args.concurrent,
                    local_port=free_port(),
                    errors=process.workdir / "sipp-call-errors.log",
                )
            finally:
                answerer.terminate()
                answerer.wait(timeout=10)
            cpu = meter.stop()
    finally:
        process.stop()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM (SELECT DISTINCT call_id, kind FROM telephony_callevent) e"
        )
        events = cur.fetchone()[0]
    return register, calls, events / calls.done if calls.done else 0.0, cpu


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench sip")
    parser.add_argument("--registers", type=int, default=20_000, help="registrations per run")
    parser.add_argument("--calls", type=int, default=10_000, help="calls per run")
    parser.add_argument("--concurrent", type=int, default=100, help="open at once, at most")
    parser.add_argument("--lines", type=int, default=100, help="callers (as many callees)")
    parser.add_argument("--children", type=int, default=4, help="Kamailio's UDP workers")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each, best kept")
    parser.add_argument(
        "--async-commit",
        action="store_true",
        help=(
            "every database session of both Kamailios (registrations too) with synchronous_commit"
            " off; call events are committed so by both already"
        ),
    )
    args = parser.parse_args(argv)
    if args.async_commit:
        # libpq reads PGOPTIONS; the Kamailios inherit it (the bench's own connection does not matter).
        os.environ["PGOPTIONS"] = "-c synchronous_commit=off"
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit(
            "set DATABASE_URL to a PostgreSQL server (the bench creates and drops its own database)"
        )
    _setup_django()
    from django.conf import settings
    from django.db import connection

    from officeline.telephony.kamailio import (
        KamailioConfig,
        KamailioProcess,
        free_port,
        kamailio_db_url,
    )

    class NativeKamailio(KamailioProcess):
        name = "native Kamailio"

        def write_config(self) -> Path:
            self.config.workdir.mkdir(parents=True, exist_ok=True)
            cfg = self.config.workdir / "kamailio.cfg"
            cfg.write_text(native_config(self.config))
            return cfg

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        callers, callees = _lines(args.lines, args.lines)
        print(f"{len(callers) + len(callees)} lines made in {time.perf_counter() - started:.1f} s")
        db_url = kamailio_db_url(connection.settings_dict)
        work = settings.VAR_DIR / "bench-sip"  # Kamailio's logs and SIPp's errors are kept here
        shutil.rmtree(work, ignore_errors=True)
        best: dict[str, tuple[Rate, Rate, float]] = {}
        # Each side's CPU a call, in the round where Kamailio used the least.
        cpu_per_call: dict[str, tuple[float, CpuSplit]] = {}
        for round_ in range(args.rounds):
            for label, kind in (("native", NativeKamailio), ("python", KamailioProcess)):
                config = KamailioConfig(
                    listen_host="127.0.0.1",
                    listen_port=free_port(),
                    domain="officeline.test",
                    db_url=db_url,
                    workdir=work / f"{label}-{round_}",
                    children=args.children,
                    # One source sending at full rate: no flood or load protection in the way.
                    flood_requests=0,
                    invite_limit=0,
                    register_limit=0,
                )
                register, calls, events, cpu = _measure(label, kind(config), callers, callees, args)
                print(
                    f"{label:>7} round {round_ + 1}: REGISTER {register.per_second:7,.0f}/s "
                    f"({register.done:,} in {register.seconds:.1f} s, {register.failed} failed); "
                    f"calls {calls.per_second:7,.0f}/s ({calls.done:,} in {calls.seconds:.1f} s, "
                    f"{calls.failed} failed); {events:.2f} kinds of call event a call; "
                    f"CPU ms a call: {cpu.per_call_ms(calls.done)}",
                    flush=True,
                )
                ms = 1000 * cpu.kamailio / calls.done
                if label not in cpu_per_call or ms < cpu_per_call[label][0]:
                    cpu_per_call[label] = (ms, cpu)
                kept = best.get(label)
                best[label] = (
                    max(register, kept[0] if kept else register, key=lambda r: r.per_second),
                    max(calls, kept[1] if kept else calls, key=lambda r: r.per_second),
                    events,
                )
        native, python = best["native"], best["python"]
        print(
            f"REGISTER: python {python[0].per_second:,.0f}/s, native {native[0].per_second:,.0f}/s, "
            f"ratio {python[0].per_second / native[0].per_second:.2f} (goal: at least 0.8)"
        )
        print(
            f"calls:    python {python[1].per_second:,.0f}/s, native {native[1].per_second:,.0f}/s, "
            f"ratio {python[1].per_second / native[1].per_second:.2f} (goal: at least 0.9, "
            f"and 1,000 call setups a second)"
        )
        print(
            f"Kamailio CPU a call: python {cpu_per_call['python'][0]:.2f} ms, native "
            f"{cpu_per_call['native'][0]:.2f} ms, native/python "
            f"{cpu_per_call['native'][0] / cpu_per_call['python'][0]:.2f} (CPU, unlike rates, "
            f"does not depend on what else runs)"
        )
        print(f"load average at the end: {os.getloadavg()[0]:.1f} (cores: {os.cpu_count()})")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

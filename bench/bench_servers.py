"""Several app servers on one PostgreSQL: real users at once through two Streamlit processes.

A fresh PostgreSQL database is created for the run (``CREATE DATABASE``) and filled with the demo
at a small scale plus one log-in per session; ``--servers`` Streamlit processes serve the app on
loopback ports against it; ``--sessions`` users work on the servers in turn (session i on server
i mod servers, sticky as behind a load balancer) for ``--minutes``, a mix of reads and writes
with a think time between steps (``bench/servers_sessions.py``): executives and branch heads view
their pages (over Streamlit's websocket protocol, no browser: ``bench/servers_wsclient.py``);
in the browser (one Debian Chromium through Playwright, a context per user, log-in through the
form) editors change a field of outlets they share with the other editors in the registry,
planners save what-if scenarios, stewards upload, validate and confirm KPI corrections on the
import page.

Reported: errors (steps that failed: timeouts, Streamlit exceptions, error messages with the
app's error id, failed HTTP requests, closed websockets; and error lines in the servers' logs),
lost writes (``bench/servers_check.py``: every confirmed write is looked up in the database),
p50 / p95 / max seconds and count per kind of step, steps per minute, and the load average.
The servers are stopped and the database dropped on exit, also after a failure or Ctrl-C.

Usage: ``python -m bench.bench_servers [--minutes 10] [--sessions 20] [--servers 2] [--scale 0.2]
[--think 2,6] [--no-append]``; exit code 1 when there were errors or lost writes. Logs and
screenshots of failed steps go to ``var/bench-servers/<time>/``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import datetime as dt
import functools
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from bench.run import POSTGRES_URL, machine
from bench.servers_check import IMPORT_CONFIRM, REGISTRY_EDIT, SCENARIO_SAVE, Problem, lost_writes, read_stored
from bench.servers_sessions import (
    IMPORT_STAGE,
    LOG_IN,
    READ_BRANCH_HEAD,
    READ_EXECUTIVE,
    READ_PAGES,
    RESUME,
    Recorder,
    SessionPlan,
    run_sessions,
)
from config.settings import PROJECT_ROOT
from data.auth import create_user, open_session
from data.db import make_engine
from data.demo_users import DEMO_PASSWORD
from data.schema import KpiMonthly, OrgUnit
from ui.session import SESSION_MAX_HOURS

RESULTS = PROJECT_ROOT / "bench" / "RESULTS.md"
RUNS = PROJECT_ROOT / "var" / "bench-servers"
# Roles of sessions 0, 1, 2, …, repeated: 20 sessions are 6 executives and 6 branch heads
# reading, 4 registry editors, 2 planners and 2 stewards; the first four cover every kind of write.
ROLE_CYCLE = (
    "executive",
    "editor",
    "planner",
    "steward",
    "branch_head",
    "executive",
    "branch_head",
    "editor",
    "executive",
    "branch_head",
)
ROLE_IN_APP = {"editor": "executive", "steward": "data_steward"}  # the others are app roles themselves
EDITOR_FIELDS = ("staff_count", "atms", "smart_machines", "cash_counters", "non_cash_counters")
SHARED_OUTLETS = 2  # outlets every editor changes in turn (each editor its own field)
STEWARD_METRIC = "deposits_personal"
SERVER_START_S = 90
KINDS_SHOWN = (
    LOG_IN,
    RESUME,
    READ_EXECUTIVE,
    READ_BRANCH_HEAD,
    "registry_open",
    REGISTRY_EDIT,
    "scenario_compose",
    SCENARIO_SAVE,
    IMPORT_STAGE,
    IMPORT_CONFIRM,
)
WRITE_KINDS = (REGISTRY_EDIT, SCENARIO_SAVE, IMPORT_CONFIRM)
ERROR_LINE = re.compile(r"Traceback \(most recent call last\)|\b(ERROR|CRITICAL)\b")


class Stopped(Exception):
    """The run was asked to stop (SIGTERM)."""


@contextlib.contextmanager
def fresh_database(admin_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the server of ``admin_url``; dropped on exit, with
    any connection left to it."""
    name = f"branchscope_bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))  # our own generated name
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    """Stop one server we started: SIGTERM, then SIGKILL after 20 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


@dataclass(frozen=True)
class Server:
    """One app server we started: its address and process."""

    url: str
    process: subprocess.Popen


@contextlib.contextmanager
def app_servers(database_url: str, count: int, logs: Path) -> Iterator[list[Server]]:
    """``count`` Streamlit servers of the app on free loopback ports against ``database_url``.
    Each one's output goes to ``logs/server-<i>.log``, with one JSON line per script run (user,
    page, outcome, duration: the app's request log at INFO) to read a failed step against, and
    its threads' stacks on SIGUSR1 (``bench/servers_app.py``); all stopped on exit."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(PROJECT_ROOT),
        "BRANCHSCOPE_LOG_FORMAT": "json",
        "BRANCHSCOPE_LOG_LEVEL": "INFO",
    }
    processes: list[subprocess.Popen] = []
    try:
        urls = []
        for index in range(count):
            port = _free_port()
            log = (logs / f"server-{index}.log").open("wb")
            command = [sys.executable, "-m", "bench.servers_app", "run", "app.py", "--server.port", str(port)]
            command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
            command += ["--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
            processes.append(subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
            log.close()  # the child has its own copy
            urls.append(f"http://127.0.0.1:{port}")
        for index, (url, process) in enumerate(zip(urls, processes)):
            deadline = time.monotonic() + SERVER_START_S
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"server {index} exited with {process.returncode}: see {logs}")
                try:
                    if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server {index} did not answer within {SERVER_START_S} s: see {logs}")
                time.sleep(0.5)
        yield [Server(url, process) for url, process in zip(urls, processes)]
    finally:
        for process in processes:
            _stop(process)


def plan_sessions(database_url: str, sessions: int, servers: int) -> list[SessionPlan]:
    """Create one log-in per session (password: the demo's) and say what each session does; each
    reader gets an open log-in session (as after the log-in form) whose token it sends as the
    app's cookie."""
    engine = make_engine(database_url)
    with engine.begin() as connection:

        def units(level: str) -> list[tuple[int, str]]:
            rows = connection.execute(
                select(OrgUnit.id, OrgUnit.code)
                .where(OrgUnit.level == level, OrgUnit.status == "open")
                .order_by(OrgUnit.code)
            )
            return [(int(row.id), row.code) for row in rows]

        outlets, sub_branches = units("outlet"), units("sub_branch")
        shared, spare = tuple(outlets[:SHARED_OUTLETS]), outlets[SHARED_OUTLETS:]
        latest = connection.execute(select(func.max(KpiMonthly.month))).scalar()
        plans, counts, readers = [], {}, []
        for number in range(sessions):
            role = ROLE_CYCLE[number % len(ROLE_CYCLE)]
            rank = counts[role] = counts.get(role, -1) + 1
            username = f"bench_{role}_{rank + 1:02d}"
            scope_unit, extra = None, {}
            if role == "branch_head":  # sub-branch heads and outlet heads in turn
                pool = sub_branches if rank % 2 == 0 else spare[::-1]
                scope_unit = pool[(rank // 2) % len(pool)][0]
            elif role == "editor":
                extra = {"outlets": shared, "field": EDITOR_FIELDS[rank % len(EDITOR_FIELDS)]}
            elif role == "steward":
                extra = {"outlets": (spare[rank],), "metric": STEWARD_METRIC, "month": f"{latest:%Y-%m}"}
            lang = "zh" if number % 2 == 0 else "en"
            name, app_role = f"Bench {role} {rank + 1}", ROLE_IN_APP.get(role, role)
            user_id = create_user(connection, username, name, DEMO_PASSWORD, app_role, scope_unit, lang)
            if role in READ_PAGES:
                readers.append((len(plans), user_id))
            plans.append(SessionPlan(number, username, role, number % servers, lang, **extra))
    for index, user_id in readers:  # a reader resumes a log-in, as a browser does from its cookie
        plans[index] = dataclasses.replace(plans[index], cookie=open_session(engine, user_id, SESSION_MAX_HOURS))
    engine.dispose()
    return plans


@dataclass(frozen=True)
class Outcome:
    """What a run measured (see :func:`report`), and the server processes and database it used
    (both gone when :func:`run` returns)."""

    seconds: float
    recorder: Recorder
    problems: list[Problem]
    log_errors: list[str]
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    server_pids: list[int]
    database: str
    readers: int  # sessions that viewed pages over the websocket protocol (the others used the browser)

    @property
    def errors(self) -> list[str]:
        steps = [f"session {s.session} (server {s.server}) {s.kind}: {s.error}" for s in self.recorder.steps if s.error]
        return steps + self.recorder.stray_errors + self.log_errors


def server_log_errors(logs: Path) -> list[str]:
    """Error lines of the servers' logs (tracebacks, ERROR and CRITICAL records)."""
    found = []
    for path in sorted(logs.glob("server-*.log")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if ERROR_LINE.search(line):
                found.append(f"{path.name}: {line[:300]}")
    return found


DATABASE_WAITS = text(
    "SELECT pid, application_name, state, wait_event_type, wait_event, "
    "round(extract(epoch FROM now() - query_start)::numeric, 1) AS seconds, left(query, 300) AS query "
    "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
    "AND state <> 'idle' ORDER BY query_start"
)


def record_server_state(engine, pids: list[int], folder: Path, session: int, server: int, kind: str) -> None:
    """When session ``session``'s step ``kind`` failed on server ``server``: ask that server for its
    threads' stacks (into its log) and write the database's busy connections, with what each
    waits for, to ``folder/failed/``."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pids[server], signal.SIGUSR1)
    stamp = dt.datetime.now().strftime("%H%M%S")
    lines = [f"session {session}, step {kind}, server {server} (pid {pids[server]}), at {stamp}"]
    try:
        with engine.connect() as connection:
            lines += [" | ".join(str(value) for value in row) for row in connection.execute(DATABASE_WAITS)]
    except Exception as error:  # noqa: BLE001 - only a help for reading the failure
        lines.append(f"could not read pg_stat_activity: {error}")
    target = folder / "failed" / f"s{session:02d}_{stamp}_{kind}_database.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(
    minutes: float, sessions: int, servers: int, scale: float, think_s: tuple[float, float], seed: int = 1
) -> Outcome:
    """Build the database, start the servers, run the sessions, check the writes; clean up."""
    from data.demo import build_demo

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = RUNS / stamp
    folder.mkdir(parents=True, exist_ok=True)
    with fresh_database(POSTGRES_URL) as url:
        name = make_url(url).database
        engine = make_engine(url)
        started = time.perf_counter()
        build_demo(engine, scale=scale, quiet=True)
        print(f"demo (scale {scale}) built in {time.perf_counter() - started:.0f} s", flush=True)
        plans = plan_sessions(url, sessions, servers)
        with app_servers(url, servers, folder) as started_servers:
            urls = [server.url for server in started_servers]
            pids = [server.process.pid for server in started_servers]
            print(f"{servers} servers up: {', '.join(urls)}; {sessions} sessions for {minutes:g} min", flush=True)
            load_before = os.getloadavg()
            started = time.monotonic()
            on_failure = functools.partial(record_server_state, engine, pids, folder)
            recorder = asyncio.run(
                run_sessions(plans, urls, minutes * 60, think_s, folder / "failed", seed, on_failure)
            )
            seconds = time.monotonic() - started
            load_after = os.getloadavg()
        problems = lost_writes(recorder.writes, read_stored(engine, recorder.writes))
        engine.dispose()
    readers = sum(1 for plan in plans if plan.role in READ_PAGES)
    log_errors = server_log_errors(folder)
    return Outcome(seconds, recorder, problems, log_errors, load_before, load_after, pids, name, readers)


def _quantile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1] if len(values) > 1 else values[0]


def report(outcome: Outcome, args: argparse.Namespace) -> list[str]:
    """The run's markdown section for bench/RESULTS.md."""
    steps = outcome.recorder.steps
    writes = outcome.recorder.writes
    lines = [
        f"\n## {dt.date.today().isoformat()} — `python -m bench.bench_servers` ({machine()})\n",
        f"{args.servers} Streamlit servers on one PostgreSQL database (demo scale {args.scale:g}), "
        f"{args.sessions} sessions ({outcome.readers} readers over Streamlit's websocket protocol, "
        f"{args.sessions - outcome.readers} writers in one Chromium, a context each) "
        f"for {outcome.seconds / 60:.1f} min, "
        f"think time {args.think[0]:g}–{args.think[1]:g} s between steps. Load average (1 min) "
        f"{outcome.load_before[0]:.1f} before, {outcome.load_after[0]:.1f} at the end "
        f"(5 min: {outcome.load_after[1]:.1f}).\n",
        "| step | count | errors | p50 (s) | p95 (s) | max (s) |",
        "|---|---|---|---|---|---|",
    ]
    for kind in KINDS_SHOWN:
        done = [s.seconds for s in steps if s.kind == kind and not s.error]
        failed = sum(1 for s in steps if s.kind == kind and s.error)
        if not done and not failed:
            continue
        figures = (
            f"{statistics.median(done):.2f} | {_quantile(done, 0.95):.2f} | {max(done):.2f}" if done else "— | — | —"
        )
        lines.append(f"| {kind} | {len(done) + failed} | {failed} | {figures} |")
    per_minute = sum(1 for s in steps if not s.error and s.kind != LOG_IN) / (outcome.seconds / 60)
    confirmed = {
        kind: sum(1 for w in writes if w.kind == kind) for kind in (REGISTRY_EDIT, SCENARIO_SAVE, IMPORT_CONFIRM)
    }
    lines += [
        "",
        f"Throughput: {per_minute:.1f} steps a minute over all sessions. Confirmed writes: "
        f"{confirmed[REGISTRY_EDIT]} registry edits, {confirmed[SCENARIO_SAVE]} scenario saves, "
        f"{confirmed[IMPORT_CONFIRM]} KPI corrections; lost writes: {len(outcome.problems)}; "
        f"errors: {len(outcome.errors)}. Requests the browser made for a download button's file "
        f"of an earlier run of the page, which Streamlit had dropped (HTTP 404 on /media/, made by the page "
        f"without a click): {len(outcome.recorder.stale_media)}. Clicks repeated because the first "
        f"had no effect (a tab): {outcome.recorder.clicks_repeated}.",
    ]
    for problem in outcome.problems[:20]:
        lines.append(f"- lost: {problem.line()}")
    for error in outcome.errors[:20]:
        lines.append(f"- error: {error}")
    return lines


def _think(value: str) -> tuple[float, float]:
    low, high = (float(part) for part in value.split(","))
    if not 0 <= low <= high:
        raise argparse.ArgumentTypeError("--think takes two numbers 0 ≤ low ≤ high, e.g. 2,6")
    return low, high


def _on_sigterm(*_) -> None:
    raise Stopped("SIGTERM")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0, help="how long the sessions run (default 10)")
    parser.add_argument("--sessions", type=int, default=20, help="browser sessions at once (default 20)")
    parser.add_argument("--servers", type=int, default=2, help="app servers (default 2)")
    parser.add_argument("--scale", type=float, default=0.2, help="demo scale (default 0.2, about 40 outlets)")
    parser.add_argument("--think", type=_think, default=(2.0, 6.0), help="think time range in s (default 2,6)")
    parser.add_argument("--no-append", action="store_true", help="print only, do not append to bench/RESULTS.md")
    args = parser.parse_args(argv)
    if args.minutes <= 0 or args.sessions < 1 or args.servers < 1:
        parser.error("--minutes must be positive, --sessions and --servers at least 1")
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        outcome = run(args.minutes, args.sessions, args.servers, args.scale, args.think)
    finally:
        signal.signal(signal.SIGTERM, previous)
    lines = report(outcome, args)
    print("\n".join(lines))
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as results:
            results.write("\n".join(lines) + "\n")
    return 1 if outcome.errors or outcome.problems else 0


if __name__ == "__main__":
    sys.exit(main())

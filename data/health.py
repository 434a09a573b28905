"""Health check of an installation, for a load balancer or a monitoring script.

    python -m data.health [--database-url URL] [--json] [--skip scores]
    python -m data.health --serve PORT [--bind 127.0.0.1]     # the same over HTTP

With ``--serve`` it answers ``GET /health`` (HTTP 200 when healthy, 503 otherwise, the JSON
object as body; ``?skip=scores`` leaves that check out) for a load balancer's HTTP check. The
checks run at most once every :data:`SERVE_CACHE_SECONDS` whatever the polling rate, on one
database connection pool; any other path gets 404.

Three checks, in order:

``database``    the server answers a ``SELECT 1`` (connect timeout 5 s);
``migrations``  the schema's Alembic revision is the head revision of this code;
``kpi_rollup``  the KPI roll-up (``kpi_unit_monthly``) was built for the data version in force
                (:func:`data.kpi_rollup.is_current`); a database with no data loaded yet passes
                (there is nothing to roll up).
``scores``      the customer scores (``python -m jobs.score``) are current: a run succeeded for
                the data version in force, or the newest succeeded run finished less than
                ``--scores-max-age-hours`` (default 26: the nightly run and its slack) ago.
                Pages compute in the app what is not scored for the data in force, so a change
                during the day (a registry edit, a correction) keeps the check green until the
                next nightly run is late. A database without customers passes.

Prints one line per check (``ok``/``fail``, name, detail), or with ``--json`` one object
``{"status": "ok"|"fail", "checks": {name: {"ok": bool, "detail": str}}}``. A check after a
failed ``database`` or ``migrations`` check is not run (reported failed, "not checked").

A failed check is also logged (WARNING, ``config/logging_setup.py``).

Exit codes: 0 healthy; 1 a check failed (the server answers); 2 the database is unreachable.
A load balancer that should keep serving while the scores are late calls it with
``--skip scores``.
Streamlit's own ``/_stcore/health`` says the app process is up; this says its data is usable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import math
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from config.logging_setup import configure_logging
from config.settings import load_settings
from data.db import ALEMBIC_INI, make_engine
from data.kpi_rollup import is_current
from data.schema import Customer, DatasetInfo, ScoreRun

CHECKS = ("database", "migrations", "kpi_rollup", "scores")
#: Seconds an HTTP answer is reused (several balancers polling every second cost one check).
SERVE_CACHE_SECONDS = 5.0
#: Default age, hours, beyond which scores not made for the data in force fail the check.
SCORES_MAX_AGE_HOURS = 26.0
NOT_CHECKED = "not checked"

log = logging.getLogger("data.health")


@dataclass(frozen=True)
class Check:
    """One check's outcome: ``ok`` and a short English detail for the operator."""

    ok: bool
    detail: str


def scores_check(connection, version: str | None, max_age_hours: float, now: dt.datetime | None = None) -> Check:
    """Whether the stored customer scores are current (see the module docstring)."""
    if connection.execute(select(Customer.id).limit(1)).first() is None:
        return Check(True, "no customers loaded")
    run = connection.execute(
        select(ScoreRun.id, ScoreRun.data_version, ScoreRun.finished_at)
        .where(ScoreRun.status == "succeeded")
        .order_by(ScoreRun.id.desc())
        .limit(1)
    ).first()
    if run is None:
        return Check(False, "no scoring run has succeeded: run python -m jobs.score")
    if run.data_version == version:
        return Check(True, f"current for data version {version} (run {run.id})")
    age_hours = ((now or dt.datetime.now()) - run.finished_at).total_seconds() / 3600
    detail = f"newest run {run.id} scored data version {run.data_version}, {age_hours:.1f} h ago"
    if age_hours <= max_age_hours:
        return Check(True, f"{detail} (within {max_age_hours:g} h)")
    return Check(False, f"{detail} (over {max_age_hours:g} h): run python -m jobs.score")


def run_checks(engine: Engine, scores_max_age_hours: float = SCORES_MAX_AGE_HOURS) -> dict[str, Check]:
    """Every check of :data:`CHECKS` on ``engine``'s database, by name (in order)."""
    results: dict[str, Check] = {}
    head = ScriptDirectory.from_config(Config(str(ALEMBIC_INI))).get_current_head()
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            results["database"] = Check(True, f"{connection.dialect.name} answers")
            current = MigrationContext.configure(connection).get_current_revision()
            if current != head:
                results["migrations"] = Check(False, f"schema at {current or 'nothing'}, head is {head}")
            else:
                results["migrations"] = Check(True, f"at head {head}")
                version = connection.execute(
                    select(DatasetInfo.value).where(DatasetInfo.key == "data_version")
                ).scalar()
                if not version:
                    results["kpi_rollup"] = Check(True, "no data loaded yet")
                elif is_current(connection):
                    results["kpi_rollup"] = Check(True, f"current for data version {version}")
                else:
                    results["kpi_rollup"] = Check(False, f"not rebuilt for data version {version}")
                results["scores"] = scores_check(connection, version, scores_max_age_hours)
    except SQLAlchemyError as error:
        if "database" not in results:
            results["database"] = Check(False, f"unreachable: {type(error).__name__}")
        else:
            name = next(name for name in CHECKS if name not in results)
            results[name] = Check(False, f"error: {type(error).__name__}")
    for name in CHECKS:
        results.setdefault(name, Check(False, NOT_CHECKED))
    return results


def exit_code(results: dict[str, Check]) -> int:
    """0 every check passed, 2 the database is unreachable, 1 another check failed."""
    if not results["database"].ok:
        return 2
    return 0 if all(check.ok for check in results.values()) else 1


def as_json(results: dict[str, Check]) -> str:
    """The checks as one JSON object (see the module docstring)."""
    status = "ok" if all(check.ok for check in results.values()) else "fail"
    checks = {name: {"ok": check.ok, "detail": check.detail} for name, check in results.items()}
    return json.dumps({"status": status, "checks": checks}, ensure_ascii=False)


class HealthServer(ThreadingHTTPServer):
    """``GET /health`` over HTTP (see the module docstring); the checks are cached briefly."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], engine: Engine, scores_max_age_hours: float) -> None:
        super().__init__(address, _HealthHandler)
        self.engine = engine
        self.scores_max_age_hours = scores_max_age_hours
        self._lock = threading.Lock()
        self._cached: tuple[float, dict[str, Check]] | None = None

    def results(self) -> dict[str, Check]:
        """The checks, run again when the cached ones are older than SERVE_CACHE_SECONDS."""
        with self._lock:
            if self._cached is None or time.monotonic() - self._cached[0] > SERVE_CACHE_SECONDS:
                self._cached = (time.monotonic(), run_checks(self.engine, self.scores_max_age_hours))
            return self._cached[1]


class _HealthHandler(BaseHTTPRequestHandler):
    server: HealthServer

    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        url = urlsplit(self.path)
        if url.path != "/health":
            self.send_error(404)
            return
        skip = set(parse_qs(url.query).get("skip", []))
        results = {name: check for name, check in self.server.results().items() if name not in skip}
        body = as_json(results).encode("utf-8")
        self.send_response(200 if all(check.ok for check in results.values()) else 503)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the http.server signature)
        log.debug("health http: " + format, *args)


def _hours(text: str) -> float:
    """A positive, finite number of hours (argparse type)."""
    try:
        hours = float(text)
    except ValueError:
        hours = float("nan")
    if not math.isfinite(hours) or hours <= 0:
        raise argparse.ArgumentTypeError(f"not a positive number of hours: {text!r}")
    return hours


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.health", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="SQLAlchemy URL (default: DATABASE_URL or settings)")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of one line per check")
    parser.add_argument(
        "--scores-max-age-hours",
        type=_hours,
        default=SCORES_MAX_AGE_HOURS,
        help="age of the newest scoring run beyond which scores of older data fail (default %(default)s)",
    )
    parser.add_argument(
        "--skip", action="append", default=[], choices=CHECKS[2:], help="leave a data check out (repeatable)"
    )
    parser.add_argument("--serve", type=int, metavar="PORT", help="answer GET /health over HTTP on PORT")
    parser.add_argument("--bind", default="127.0.0.1", help="address to serve on (default %(default)s)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.serve is not None and not 0 < args.serve < 65536:
        parser.error(f"--serve: no such port {args.serve}")
    settings = load_settings()
    configure_logging(settings, command="health", request_id=uuid.uuid4().hex)
    engine = make_engine(args.database_url or settings.database_url)
    if args.serve is not None:
        server = HealthServer((args.bind, args.serve), engine, args.scores_max_age_hours)
        log.info("health check served on http://%s:%d/health", args.bind, server.server_port)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
            engine.dispose()
        return 0
    try:
        results = run_checks(engine, args.scores_max_age_hours)
    finally:
        engine.dispose()
    results = {name: check for name, check in results.items() if name not in args.skip}
    if args.json:
        print(as_json(results))
    else:
        for name, check in results.items():
            print(f"{'ok' if check.ok else 'fail':4} {name}: {check.detail}")
    failed = {name: check.detail for name, check in results.items() if not check.ok}
    if failed:
        log.warning("health check failed: %s", "; ".join(f"{name}: {detail}" for name, detail in failed.items()))
    else:
        log.info("health check ok")
    return exit_code(results)


if __name__ == "__main__":
    sys.exit(main())

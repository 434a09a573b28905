"""Health check of an installation, for a load balancer or a monitoring script.

    python -m data.health [--database-url URL] [--json]

Three checks, in order:

``database``    the server answers a ``SELECT 1`` (connect timeout 5 s);
``migrations``  the schema's Alembic revision is the head revision of this code;
``kpi_rollup``  the KPI roll-up (``kpi_unit_monthly``) was built for the data version in force
                (:func:`data.kpi_rollup.is_current`); a database with no data loaded yet passes
                (there is nothing to roll up).

Prints one line per check (``ok``/``fail``, name, detail), or with ``--json`` one object
``{"status": "ok"|"fail", "checks": {name: {"ok": bool, "detail": str}}}``. A check after a
failed ``database`` or ``migrations`` check is not run (reported failed, "not checked").

A failed check is also logged (WARNING, ``config/logging_setup.py``).

Exit codes: 0 healthy; 1 a check failed (the server answers); 2 the database is unreachable.
Streamlit's own ``/_stcore/health`` says the app process is up; this says its data is usable.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import uuid
from dataclasses import dataclass

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
from data.schema import DatasetInfo

CHECKS = ("database", "migrations", "kpi_rollup")
NOT_CHECKED = "not checked"

log = logging.getLogger("data.health")


@dataclass(frozen=True)
class Check:
    """One check's outcome: ``ok`` and a short English detail for the operator."""

    ok: bool
    detail: str


def run_checks(engine: Engine) -> dict[str, Check]:
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.health", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="SQLAlchemy URL (default: DATABASE_URL or settings)")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of one line per check")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    settings = load_settings()
    configure_logging(settings, command="health", request_id=uuid.uuid4().hex)
    engine = make_engine(args.database_url or settings.database_url)
    try:
        results = run_checks(engine)
    finally:
        engine.dispose()
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

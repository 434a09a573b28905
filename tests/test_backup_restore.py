"""The restore drill of docs/operations.md, on PostgreSQL: a small demo in a fresh database with
the app role's grants on ``audit_log``, ``pg_dump --format=custom``, ``pg_restore`` into a new
empty database; the restored database is at the migrations' head with the same rows in every
table, the grants and the sequences came along, ``python -m data.health`` passes, and the real
app served on it lets an executive log in through the browser and shows the KPI cards of two
pages (its log lines, as JSON, name the user and the pages). Also the SQLite backup: the online
backup API gives a copy with the same rows.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from config.settings import PROJECT_ROOT
from config.translations import TEXTS
from data.auth import write_audit
from data.db import ALEMBIC_INI, make_engine
from data.demo_users import DEMO_PASSWORD
from data.schema import AuditLog
from tests.app_server import app_server
from tests.conftest import POSTGRES_URL
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, RUN_FINISHED

HEAD = ScriptDirectory.from_config(Config(str(ALEMBIC_INI))).get_current_head()
AUDIT_GRANTS = """
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM {role};
GRANT SELECT, INSERT ON audit_log TO {role};
GRANT USAGE ON SEQUENCE audit_log_id_seq TO {role};
"""


def _required(what: str, env: str) -> None:
    if os.environ.get(env) == "1":
        pytest.fail(f"{what} is required ({env}=1) but not available")
    pytest.skip(f"{what} is not available")


def database_url(name: str) -> str:
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def row_counts(engine) -> dict[str, int]:
    """Rows of every table of the database's public schema, by table name."""
    with engine.connect() as connection:
        names = inspect(connection).get_table_names()
        return {
            name: connection.execute(select(func.count()).select_from(text(f'"{name}"'))).scalar_one()  # noqa: S608
            for name in sorted(names)
        }


@pytest.fixture(scope="module")
def restored():
    """``(source URL, restored URL, app role)``: the demo at scale 0.05 in a fresh database, dumped
    and restored into a new empty one, both dropped (and the role) at the end."""
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            _required(tool, "REQUIRE_POSTGRES")
    admin = make_engine(POSTGRES_URL, connect_timeout_s=3).execution_options(isolation_level="AUTOCOMMIT")
    suffix = uuid.uuid4().hex[:10]
    source, target, role = f"bs_backup_{suffix}", f"bs_restored_{suffix}", f"bs_app_{suffix}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{source}"'))
    except OperationalError:
        admin.dispose()
        _required("PostgreSQL", "REQUIRE_POSTGRES")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE ROLE "{role}" NOLOGIN'))
        from data.demo import generate
        from jobs.score import score

        engine = make_engine(database_url(source))
        generate(engine, scale=0.05, with_demo_users=True)
        score(engine, progress=lambda step: None)  # the score tables come along too; health checks them
        with engine.begin() as connection:
            connection.execute(text(AUDIT_GRANTS.format(role=f'"{role}"')))
        engine.dispose()
        yield database_url(source), database_url(target), role
    finally:
        with admin.connect() as connection:
            for name in (source, target):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()


@pytest.fixture(scope="module")
def dump_and_restore(restored, tmp_path_factory):
    """Run the drill's two commands (as docs/operations.md gives them); returns the seconds each took."""
    source, target, _ = restored
    dump = tmp_path_factory.mktemp("backup") / "branchscope.dump"
    started = time.perf_counter()
    subprocess.run(["pg_dump", "--format=custom", "--file", str(dump), "--dbname", source], check=True)
    dumped = time.perf_counter() - started
    admin = make_engine(POSTGRES_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{make_url(target).database}" TEMPLATE template0'))
    admin.dispose()
    started = time.perf_counter()
    subprocess.run(
        ["pg_restore", "--exit-on-error", "--single-transaction", "--dbname", target, str(dump)],
        check=True,
    )
    return {"dump_s": dumped, "restore_s": time.perf_counter() - started, "dump_bytes": dump.stat().st_size}


def test_the_restored_database_is_at_head_with_the_same_rows(restored, dump_and_restore):
    source, target, _ = restored
    engines = [make_engine(url) for url in (source, target)]
    try:
        counts = [row_counts(engine) for engine in engines]
        assert counts[1] == counts[0]
        assert counts[0]["kpi_monthly"] > 1000 and counts[0]["app_user"] >= 7 and counts[0]["customer"] > 0
        for engine in engines:
            with engine.connect() as connection:
                assert MigrationContext.configure(connection).get_current_revision() == HEAD
    finally:
        for engine in engines:
            engine.dispose()
    print(f"restore drill: {dump_and_restore}")


def test_the_grants_and_the_sequences_came_along(restored, dump_and_restore):
    _, target, role = restored
    engine = make_engine(target)
    try:
        with engine.connect() as connection:
            rights = {
                right: connection.execute(
                    text("SELECT has_table_privilege(:role, 'audit_log', :right)"), {"role": role, "right": right}
                ).scalar_one()
                for right in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")
            }
            newest = connection.execute(select(func.max(AuditLog.id))).scalar_one()
        assert rights == {"SELECT": True, "INSERT": True, "UPDATE": False, "DELETE": False, "TRUNCATE": False}
        with engine.begin() as connection:  # a new line gets the next id, not one already used
            write_audit(connection, "restore-drill", "restore_checked", True)
            assert connection.execute(select(func.max(AuditLog.id))).scalar_one() > newest
    finally:
        engine.dispose()


def test_the_health_check_passes_on_the_restored_database(restored, dump_and_restore):
    _, target, _ = restored
    checked = subprocess.run(
        [sys.executable, "-m", "data.health", "--database-url", target, "--json"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert json.loads(checked.stdout)["status"] == "ok"


@pytest.fixture(scope="module")
def server_on_restored(restored, dump_and_restore, tmp_path_factory):
    """The real app on the restored database, its JSON log (level INFO) in a file."""
    _, target, _ = restored
    log_path = tmp_path_factory.mktemp("server") / "app.log"
    env = {
        "BRANCHSCOPE_LOG_FORMAT": "json",
        "BRANCHSCOPE_LOG_LEVEL": "INFO",
        "BRANCHSCOPE_LOG_FILE": str(log_path),
    }
    with app_server(target, env=env) as url:
        yield url, log_path


def test_an_executive_logs_in_on_the_restored_database_and_sees_the_kpis(server_on_restored):
    if not Path(CHROMIUM).exists():
        _required("Chromium", "REQUIRE_BROWSER")
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    url, log_path = server_on_restored
    lang = "en"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1400})
            page.goto(url)
            page.get_by_text("English").click()
            page.get_by_label(TEXTS["login_username"][lang]).fill("exec")
            page.get_by_label(TEXTS["login_password"][lang], exact=True).fill(DEMO_PASSWORD)
            page.get_by_role("button", name=TEXTS["login_submit"][lang]).click()
            page.locator("[data-testid='stSidebarNavLink']").first.wait_for(timeout=60_000)

            page.get_by_role("heading", name=TEXTS["overview_title"][lang]).wait_for(timeout=60_000)
            metrics = page.locator("[data-testid='stMetric']")
            metrics.nth(3).wait_for(timeout=60_000)
            assert metrics.count() == 4
            assert all(metrics.nth(i).locator("[data-testid='stMetricValue']").inner_text() for i in range(4))

            page.get_by_role("link", name=TEXTS["page_kpi_explorer"][lang], exact=True).click()
            page.get_by_role("heading", name=TEXTS["kpi_title"][lang]).wait_for(timeout=60_000)
            try:
                page.locator("[data-testid='stMetric']").first.wait_for(timeout=60_000)
                page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=60_000)
                page.wait_for_function(RUN_FINISHED, timeout=60_000)
            except PlaywrightError as error:
                main = page.locator("[data-testid='stMain']").inner_text()[:2000]
                pytest.fail(f"the KPI explorer shows no figures: {error}\n{main}")
            assert page.locator("[data-testid='stException']").count() == 0
        finally:
            browser.close()
    runs = [json.loads(line) for line in log_path.read_text(encoding="utf-8").splitlines()]
    pages = [(run["page"], run["outcome"]) for run in runs if run.get("user") == "exec" and "outcome" in run]
    assert ("overview", "ok") in pages and ("kpi_explorer", "ok") in pages


def test_a_sqlite_backup_taken_with_the_sqlite3_shell_has_the_same_rows(demo_database_url, tmp_path):
    if shutil.which("sqlite3") is None:
        pytest.skip("the sqlite3 shell is not installed (apt-get install sqlite3)")
    source = demo_database_url.removeprefix("sqlite:///")
    backup = tmp_path / "branchscope-backup.sqlite"
    subprocess.run(["sqlite3", source, f".backup '{backup}'"], check=True, timeout=120)
    with sqlite3.connect(backup) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    engines = [make_engine(demo_database_url), make_engine(f"sqlite:///{backup}")]
    try:
        counts = [row_counts(engine) for engine in engines]
        assert counts[1] == counts[0] and counts[0]["kpi_monthly"] > 1000
    finally:
        for engine in engines:
            engine.dispose()

"""The health check (``python -m data.health``): a healthy database exits 0 with every check
passed; an unmigrated one, or one whose KPI roll-up is stale, exits 1 naming the failed check; an
unreachable server exits 2."""

from __future__ import annotations

import json

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import select

from data.db import ALEMBIC_INI, bump_data_version
from data.health import main as health
from data.kpi_rollup import refresh_kpi_rollup
from data.schema import DatasetInfo
from tests.test_import_folder import url_of

HEAD = ScriptDirectory.from_config(Config(str(ALEMBIC_INI))).get_current_head()


def data_version(engine) -> str:
    with engine.connect() as connection:
        return connection.execute(select(DatasetInfo.value).where(DatasetInfo.key == "data_version")).scalar_one()


def test_a_healthy_database_passes_every_check(network, capsys):
    with network.begin() as connection:  # as every load ends (the fixture writes its rows directly)
        refresh_kpi_rollup(connection)
    version = data_version(network)
    assert health(["--database-url", url_of(network), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == {
        "status": "ok",
        "checks": {
            "database": {"ok": True, "detail": f"{network.dialect.name} answers"},
            "migrations": {"ok": True, "detail": f"at head {HEAD}"},
            "kpi_rollup": {"ok": True, "detail": f"current for data version {version}"},
        },
    }
    assert health(["--database-url", url_of(network)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"ok   database: {network.dialect.name} answers",
        f"ok   migrations: at head {HEAD}",
        f"ok   kpi_rollup: current for data version {version}",
    ]


def test_a_migrated_database_without_data_is_healthy(engine, capsys):
    assert health(["--database-url", url_of(engine), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["checks"]["kpi_rollup"] == {"ok": True, "detail": "no data loaded yet"}


def test_a_database_not_migrated_fails_the_migrations_check(database_url, capsys):
    assert health(["--database-url", database_url, "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["status"] == "fail"
    assert report["checks"]["database"]["ok"] is True
    assert report["checks"]["migrations"] == {"ok": False, "detail": f"schema at nothing, head is {HEAD}"}
    assert report["checks"]["kpi_rollup"] == {"ok": False, "detail": "not checked"}


def test_a_stale_roll_up_fails_its_check(network, capsys):
    with network.begin() as connection:
        refresh_kpi_rollup(connection)
    with network.begin() as connection:  # new data without the roll-up rebuilt
        version = bump_data_version(connection, "stale")
    assert health(["--database-url", url_of(network)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == [f"ok   database: {network.dialect.name} answers", f"ok   migrations: at head {HEAD}"]
    assert lines[2] == f"fail kpi_rollup: not rebuilt for data version {version}"


def test_an_unreachable_server_exits_2(capsys):
    assert health(["--database-url", "postgresql://nobody@127.0.0.1:1/x", "--json"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["status"] == "fail"
    assert report["checks"]["database"] == {"ok": False, "detail": "unreachable: OperationalError"}

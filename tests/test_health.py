"""The health check (``python -m data.health``): a healthy database exits 0 with every check
passed; an unmigrated one, one whose KPI roll-up is stale, or one whose customer scores are
missing or too old, exits 1 naming the failed check; an unreachable server exits 2."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import insert, select

from data.db import ALEMBIC_INI, bump_data_version
from data.health import main as health
from data.kpi_rollup import refresh_kpi_rollup
from data.schema import DatasetInfo, ScoreRun
from tests.test_import_folder import url_of

HEAD = ScriptDirectory.from_config(Config(str(ALEMBIC_INI))).get_current_head()


def data_version(engine) -> str:
    with engine.connect() as connection:
        return connection.execute(select(DatasetInfo.value).where(DatasetInfo.key == "data_version")).scalar_one()


def add_score_run(engine, version: str, finished_at: dt.datetime, status: str = "succeeded") -> int:
    """A scoring run of ``version`` as the job records it; returns its id."""
    with engine.begin() as connection:
        return connection.execute(
            insert(ScoreRun)
            .values(
                data_version=version,
                engine="local",
                status=status,
                started_at=finished_at - dt.timedelta(minutes=5),
                finished_at=finished_at,
                customers=3,
                row_count=3,
            )
            .returning(ScoreRun.id)
        ).scalar_one()


def test_a_healthy_database_passes_every_check(network, capsys):
    with network.begin() as connection:  # as every load ends (the fixture writes its rows directly)
        refresh_kpi_rollup(connection)
    version = data_version(network)
    run = add_score_run(network, version, dt.datetime.now())
    assert health(["--database-url", url_of(network), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == {
        "status": "ok",
        "checks": {
            "database": {"ok": True, "detail": f"{network.dialect.name} answers"},
            "migrations": {"ok": True, "detail": f"at head {HEAD}"},
            "kpi_rollup": {"ok": True, "detail": f"current for data version {version}"},
            "scores": {"ok": True, "detail": f"current for data version {version} (run {run})"},
        },
    }
    assert health(["--database-url", url_of(network)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"ok   database: {network.dialect.name} answers",
        f"ok   migrations: at head {HEAD}",
        f"ok   kpi_rollup: current for data version {version}",
        f"ok   scores: current for data version {version} (run {run})",
    ]


def test_a_migrated_database_without_data_is_healthy(engine, capsys):
    assert health(["--database-url", url_of(engine), "--json"]) == 0
    checks = json.loads(capsys.readouterr().out)["checks"]
    assert checks["kpi_rollup"] == {"ok": True, "detail": "no data loaded yet"}
    assert checks["scores"] == {"ok": True, "detail": "no customers loaded"}


def test_a_database_not_migrated_fails_the_migrations_check(database_url, capsys):
    assert health(["--database-url", database_url, "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["status"] == "fail"
    assert report["checks"]["database"]["ok"] is True
    assert report["checks"]["migrations"] == {"ok": False, "detail": f"schema at nothing, head is {HEAD}"}
    assert report["checks"]["kpi_rollup"] == {"ok": False, "detail": "not checked"}
    assert report["checks"]["scores"] == {"ok": False, "detail": "not checked"}


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


def scores_report(engine, capsys, *options) -> tuple[int, dict]:
    code = health(["--database-url", url_of(engine), "--json", *options])
    return code, json.loads(capsys.readouterr().out)["checks"].get("scores")


def current_roll_up(engine) -> str:
    with engine.begin() as connection:
        refresh_kpi_rollup(connection)
    return data_version(engine)


def test_customers_never_scored_fail_the_scores_check(network, capsys):
    version = current_roll_up(network)
    add_score_run(network, version, dt.datetime.now(), status="failed")  # a failed run does not count
    code, check = scores_report(network, capsys)
    assert code == 1
    assert check == {"ok": False, "detail": "no scoring run has succeeded: run python -m jobs.score"}
    code, check = scores_report(network, capsys, "--skip", "scores")  # a load balancer's call
    assert (code, check) == (0, None)


def test_scores_of_older_data_pass_within_the_age_and_fail_beyond_it(network, capsys):
    old_version = current_roll_up(network)
    run = add_score_run(network, old_version, dt.datetime.now() - dt.timedelta(hours=3))
    with network.begin() as connection:  # a change during the day: new data version, roll-up rebuilt
        bump_data_version(connection, "registry")
        refresh_kpi_rollup(connection)
    code, check = scores_report(network, capsys)
    assert code == 0
    assert check["ok"] is True
    assert check["detail"].startswith(f"newest run {run} scored data version {old_version}, 3.0 h ago")
    assert check["detail"].endswith("(within 26 h)")
    code, check = scores_report(network, capsys, "--scores-max-age-hours", "2")
    assert code == 1
    assert check["ok"] is False
    assert check["detail"].endswith("(over 2 h): run python -m jobs.score")


@pytest.mark.parametrize("hours", ["0", "-1", "nan", "inf", "soon"])
def test_a_bad_maximum_age_is_refused(hours, capsys):
    with pytest.raises(SystemExit) as exit_:
        health(["--database-url", "sqlite://", "--scores-max-age-hours", hours])
    assert exit_.value.code == 2
    assert "not a positive number of hours" in capsys.readouterr().err


def test_the_http_check_answers_200_when_healthy_and_503_when_not(network):
    import threading
    import urllib.error
    import urllib.request

    from data.health import HealthServer

    version = current_roll_up(network)
    server = HealthServer(("127.0.0.1", 0), network, 26.0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with pytest.raises(urllib.error.HTTPError) as answer:  # customers, never scored
            urllib.request.urlopen(f"{base}/health", timeout=10)
        assert answer.value.code == 503
        body = json.loads(answer.value.read())
        assert body["status"] == "fail" and body["checks"]["scores"]["ok"] is False
        with urllib.request.urlopen(f"{base}/health?skip=scores", timeout=10) as ok:  # the same cached checks
            assert ok.status == 200
            assert json.loads(ok.read()) == {
                "status": "ok",
                "checks": {
                    "database": {"ok": True, "detail": f"{network.dialect.name} answers"},
                    "migrations": {"ok": True, "detail": f"at head {HEAD}"},
                    "kpi_rollup": {"ok": True, "detail": f"current for data version {version}"},
                },
            }
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(f"{base}/other", timeout=10)
        assert answer.value.code == 404
    finally:
        server.shutdown()
        server.server_close()

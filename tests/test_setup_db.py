"""An empty production database on SQLite and PostgreSQL: reference data from
the migrations, ``setup_db --empty`` / without flag, demo log-ins only in a demo database, and
``python -m data.users create-admin``."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import delete, func, select

import data.demo
from config.metrics import CATALOGUE
from config.translations import TEXTS
from data import auth, setup_db
from data import users as user_admin
from data.auth import verify_password
from data.db import DatabaseState, database_state, make_engine, read_dataset_info
from data.demo_users import create_demo_users
from data.schema import AppUser, AuditLog, DatasetInfo, Metric, OrgUnit

GOOD_PASSWORD = "Kq7vLm2pX9zT"


@pytest.fixture
def production_url(database_url, monkeypatch):
    """A database prepared by ``setup_db --empty`` (admin hashes at bcrypt cost 4, for speed)."""
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    assert setup_db.main(["--empty", "--database-url", database_url]) == 0
    return database_url


def count(url: str, table) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(select(func.count()).select_from(table)).scalar()
    engine.dispose()
    return rows


def test_migrations_write_the_whole_metric_catalogue(engine):
    """The catalogue is reference data: a migrated database holds exactly config/metrics.py's
    catalogue. When the catalogue changes, this fails until a migration adds the rows."""
    expected = pd.DataFrame([{**m.__dict__, "display_order": i} for i, m in enumerate(CATALOGUE)])
    stored = pd.read_sql(select(Metric.__table__).order_by(Metric.display_order), engine)
    stored["higher_is_better"] = stored.higher_is_better.astype(bool)
    assert database_state(engine) is DatabaseState.EMPTY  # reference data is not "data loaded"
    pd.testing.assert_frame_equal(stored[expected.columns], expected, check_dtype=False)


def test_setup_db_empty_gives_reference_data_without_demo_rows_or_users(production_url, monkeypatch, capsys):
    built = []
    monkeypatch.setattr(data.demo, "build_demo", lambda engine, *a, **k: built.append(engine))
    engine = make_engine(production_url)
    assert database_state(engine) is DatabaseState.EMPTY
    assert read_dataset_info(engine) == {"synthetic": "false"}
    engine.dispose()
    assert count(production_url, Metric) == len(CATALOGUE)
    assert count(production_url, OrgUnit) == 0 and count(production_url, AppUser) == 0
    assert setup_db.main(["--empty", "--database-url", production_url]) == 0  # again: nothing changes
    assert "create-admin" in capsys.readouterr().out and count(production_url, Metric) == len(CATALOGUE)
    # make run's setup_db (no flag) later: the production flag keeps the demo out.
    assert setup_db.main(["--database-url", production_url]) == 0
    assert built == [] and count(production_url, OrgUnit) == 0 and count(production_url, AppUser) == 0
    assert "not loaded" in capsys.readouterr().out


def test_setup_db_builds_the_demo_only_into_a_database_without_rows(database_url, monkeypatch):
    built = []
    monkeypatch.setattr(data.demo, "build_demo", lambda engine, *a, **k: built.append(engine))
    assert setup_db.main(["--database-url", database_url]) == 0
    assert len(built) == 1


def test_setup_db_leaves_a_database_with_data_alone(network, monkeypatch, capsys):
    """Data without the demo flag (a bank's database loaded before the flag existed) is kept,
    and no demo is loaded over it."""
    with network.begin() as connection:
        connection.execute(delete(DatasetInfo).where(DatasetInfo.key == "synthetic"))
    built = []
    monkeypatch.setattr(data.demo, "build_demo", lambda engine, *a, **k: built.append(engine))
    url = network.url.render_as_string(hide_password=False)
    units, users = count(url, OrgUnit), count(url, AppUser)
    assert setup_db.main(["--database-url", url]) == 0
    assert built == [] and (count(url, OrgUnit), count(url, AppUser)) == (units, users)
    assert "not loaded" in capsys.readouterr().out


def test_setup_db_empty_refuses_a_demo_database_and_deletes_nothing(network, capsys):
    url = network.url.render_as_string(hide_password=False)
    units = count(url, OrgUnit)
    assert setup_db.main(["--empty", "--database-url", url]) == 1
    assert count(url, OrgUnit) == units and read_dataset_info(network)["synthetic"] == "true"
    assert "demo" in capsys.readouterr().err


def test_demo_log_ins_are_refused_outside_a_demo_database(network):
    with network.begin() as connection:
        connection.execute(delete(DatasetInfo).where(DatasetInfo.key == "synthetic"))
    users = count(network.url.render_as_string(hide_password=False), AppUser)
    with pytest.raises(RuntimeError, match="demo"), network.begin() as connection:
        create_demo_users(connection)
    assert count(network.url.render_as_string(hide_password=False), AppUser) == users


def test_create_admin_takes_the_password_from_the_environment_and_audits(production_url, monkeypatch, capsys):
    monkeypatch.setenv(user_admin.ADMIN_PASSWORD_ENV, GOOD_PASSWORD)
    assert user_admin.main(["create-admin", "boss", "--database-url", production_url]) == 0
    engine = make_engine(production_url)
    with engine.connect() as connection:
        user = connection.execute(select(AppUser)).one()
        entry = connection.execute(select(AuditLog).where(AuditLog.action == "user_created")).one()
    engine.dispose()
    assert (user.username, user.role, user.is_active, user.scope_unit_id) == ("boss", "admin", True, None)
    assert verify_password(GOOD_PASSWORD, user.password_hash)
    assert entry.detail["user"] == "boss" and entry.detail["via"] == "create-admin"
    assert GOOD_PASSWORD not in str(entry.detail)
    # Only the first: once an active admin exists, further users are created in the app.
    assert user_admin.main(["create-admin", "second", "--database-url", production_url]) == 1
    assert TEXTS["users_err_admin_exists"]["en"] in capsys.readouterr().err
    assert count(production_url, AppUser) == 1


@pytest.mark.parametrize(
    ("password", "key"),
    [("short1", "users_err_weak_password"), ("password123", "users_err_password_common"), ("boss2026abcd", None)],
)
def test_create_admin_enforces_the_password_policy(production_url, monkeypatch, capsys, password, key):
    monkeypatch.setenv(user_admin.ADMIN_PASSWORD_ENV, password)
    assert user_admin.main(["create-admin", "boss", "--database-url", production_url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and (key is None or TEXTS[key]["en"].split(":")[0] in err)
    assert count(production_url, AppUser) == 0 and count(production_url, AuditLog) == 0


def test_create_admin_prompts_twice_when_no_password_is_set(production_url, monkeypatch):
    monkeypatch.delenv(user_admin.ADMIN_PASSWORD_ENV, raising=False)
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert user_admin.main(["create-admin", "boss", "--database-url", production_url]) == 1
    assert count(production_url, AppUser) == 0
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD])
    assert user_admin.main(["create-admin", "boss", "--database-url", production_url]) == 0
    assert count(production_url, AppUser) == 1


def test_create_admin_needs_a_migrated_database(database_url, monkeypatch):
    monkeypatch.setenv(user_admin.ADMIN_PASSWORD_ENV, GOOD_PASSWORD)
    assert user_admin.main(["create-admin", "boss", "--database-url", database_url]) == 2


def test_demo_command_never_replaces_a_banks_data(network, monkeypatch, capsys):
    """``python -m data.demo`` (``make demo``) replaces all data: refused on a database flagged as
    production or holding data without the demo flag; allowed on a demo database."""
    from data.demo import __main__ as demo_command

    built = []
    monkeypatch.setattr(demo_command, "build_demo", lambda engine, **kwargs: built.append(kwargs))
    url = network.url.render_as_string(hide_password=False)
    assert demo_command.main(["--scale", "0.05", "--database-url", url]) == 0  # the fixture is flagged demo
    with network.begin() as connection:
        connection.execute(delete(DatasetInfo).where(DatasetInfo.key == "synthetic"))
    units = count(url, OrgUnit)
    assert demo_command.main(["--scale", "0.05", "--database-url", url]) == 1
    assert "production" in capsys.readouterr().err and count(url, OrgUnit) == units
    assert len(built) == 1

"""Shared fixtures: a database on each backend (SQLite file and PostgreSQL schema), migrated."""

from __future__ import annotations

import contextlib
import os
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from data.db import make_engine, upgrade_database
from tests.database_copy import copy_sqlite_database
from tests.network_fixture import load_network

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://root@127.0.0.1:5432/test")
BACKENDS = ["sqlite", "postgresql"]


def _postgres_schema_url(schema: str) -> str:
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"


@contextlib.contextmanager
def empty_database(backend: str, folder):
    """URL of an empty database: a SQLite file in ``folder``, or a throw-away PostgreSQL schema.

    With REQUIRE_POSTGRES=1 (set by .ci/run) an unreachable PostgreSQL fails the test
    instead of skipping it.
    """
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'test-{uuid.uuid4().hex[:8]}.sqlite'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL, connect_timeout_s=3)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as error:
        admin.dispose()
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required (REQUIRE_POSTGRES=1) but unreachable: {error}")
        pytest.skip(f"PostgreSQL unreachable: {error}")
    try:
        yield _postgres_schema_url(schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """URL of an empty, unmigrated database on each backend (one per test)."""
    with empty_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def engine(database_url):
    """A migrated, empty database on each backend (one per test)."""
    engine = make_engine(database_url)
    upgrade_database(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def network(engine):
    """The tiny fixture network, loaded fresh for a test that changes it."""
    load_network(engine)
    return engine


@pytest.fixture(scope="module", params=BACKENDS)
def shared_network(request, tmp_path_factory):
    """The tiny fixture network on each backend, shared by a module's read-only tests."""
    with empty_database(request.param, tmp_path_factory.mktemp("network")) as url:
        engine = make_engine(url)
        upgrade_database(engine)
        load_network(engine)
        yield engine
        engine.dispose()


@pytest.fixture(scope="session")
def demo_database_url(tmp_path_factory):
    """A small demo network (scale 0.05) with the demo users, on SQLite, shared by the session."""
    from data.demo import generate

    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}"
    engine = make_engine(url)
    generate(engine, scale=0.05, with_demo_users=True)
    engine.dispose()
    return url


@pytest.fixture
def lockable_user(demo_database_url):
    """A fresh executive account in the demo database that a test may lock."""
    from data.auth import create_user
    from data.demo_users import DEMO_PASSWORD

    username = f"lock_{uuid.uuid4().hex[:8]}"
    engine = make_engine(demo_database_url)
    with engine.begin() as connection:
        create_user(connection, username, "Lock test", DEMO_PASSWORD, "executive")
    engine.dispose()
    return username


@pytest.fixture
def navigation_only_pages(monkeypatch):
    """AppTest runs app.py as the real server does (see tests/apptest_support.py)."""
    from streamlit.runtime import pages_manager

    from tests.apptest_support import PathWithoutLegacyPages

    monkeypatch.setattr(pages_manager, "Path", PathWithoutLegacyPages)


@pytest.fixture
def app(demo_database_url, monkeypatch, navigation_only_pages):
    """A fresh app session on the shared demo database (do not change it: see ``private_app``)."""
    from tests.apptest_support import new_app

    monkeypatch.setenv("DATABASE_URL", demo_database_url)
    return new_app(180)


@pytest.fixture
def private_app(demo_database_url, tmp_path, monkeypatch, navigation_only_pages):
    """``(app, database URL)`` on a private copy of the demo database, for tests that write."""

    from tests.apptest_support import new_app

    url = copy_sqlite_database(demo_database_url, tmp_path / "demo.sqlite")
    monkeypatch.setenv("DATABASE_URL", url)
    return new_app(180), url

"""Cached access from pages to ``data.queries``: the engine is shared, and every result is
cached per query, arguments, the caller's scope and the data version, so one user's cached
result is never served to a user with another scope, and new imports invalidate everything."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from sqlalchemy.engine import Engine

from config.settings import load_settings
from data import queries
from data.db import DatabaseState, database_state, make_engine, read_dataset_info
from data.scope import Scope
from data.users import users_exist


@st.cache_resource(show_spinner=False)
def engine_for(database_url: str) -> Engine:
    """One engine (connection pool) per database URL for the whole server process."""
    return make_engine(database_url)


def app_engine() -> Engine:
    """The engine of the configured database."""
    return engine_for(load_settings().database_url)


@st.cache_data(ttl=10, show_spinner=False)
def app_database_state(database_url: str) -> DatabaseState:
    """Health of the database, rechecked at most every 10 seconds."""
    return database_state(engine_for(database_url))


@st.cache_data(ttl=10, show_spinner=False)
def has_users(database_url: str) -> bool:
    """Whether anyone can log in yet (a new production database has no user until
    ``python -m data.users create-admin``), rechecked every 10 seconds."""
    return users_exist(engine_for(database_url))


@st.cache_data(ttl=10, show_spinner=False)
def dataset_info(database_url: str) -> dict[str, str]:
    """Facts about the loaded data (data_version, synthetic, ...), rechecked every 10 seconds."""
    return read_dataset_info(engine_for(database_url))


@st.cache_data(ttl=load_settings().cache_ttl_seconds, max_entries=512, show_spinner=False)
def _run_cached(query_name: str, database_url: str, data_version: str, scope: Scope, args: tuple):
    query = next(function for function in queries.SCOPED_QUERIES if function.__name__ == query_name)
    return query(engine_for(database_url), scope, *args)


def run_query(query: Callable, *args):
    """Run a registered scoped query for the logged-in user (scope taken from the session).

    Raises ``data.scope.ScopeError`` when the arguments ask for a unit outside the scope.
    """
    scope: Scope = st.session_state["scope"]
    database_url = load_settings().database_url
    version = dataset_info(database_url).get("data_version", "")
    return _run_cached(query.__name__, database_url, version, scope, args)

"""The logged-in session: who the user is, their scope, idle timeout, log-out."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from data.auth import UserInfo, write_audit
from data.scope import Scope, scope_for
from ui.data_access import app_engine

_SESSION_KEYS = ("user", "scope", "last_activity", "focus_unit_id", "month")


def current_user() -> UserInfo | None:
    """The logged-in user, or None."""
    return st.session_state.get("user")


def current_scope() -> Scope:
    """The logged-in user's scope (only call after log-in)."""
    return st.session_state["scope"]


def start_session(user: UserInfo) -> None:
    """Remember the user and their scope after a successful log-in."""
    with app_engine().connect() as connection:
        scope = scope_for(connection, user.username, user.role, user.scope_unit_id)
    st.session_state["user"] = user
    st.session_state["scope"] = scope
    st.session_state["lang"] = st.session_state.get("lang") or user.language
    st.session_state["last_activity"] = dt.datetime.now()
    st.session_state["focus_unit_id"] = scope.root_unit_id


def end_session(reason: str) -> None:
    """Forget the user (reason: "logout" or "timeout") and write it to the audit log."""
    user = current_user()
    if user is not None:
        with app_engine().begin() as connection:
            write_audit(connection, user.username, reason, True)
    for key in _SESSION_KEYS:
        st.session_state.pop(key, None)


def expire_if_idle(timeout_minutes: int, now: dt.datetime | None = None) -> bool:
    """End the session when idle longer than ``timeout_minutes``; else record activity.

    Returns True when the session has just expired.
    """
    now = now or dt.datetime.now()
    last = st.session_state.get("last_activity")
    if last is not None and now - last > dt.timedelta(minutes=timeout_minutes):
        end_session("timeout")
        return True
    st.session_state["last_activity"] = now
    return False

"""The logged-in session: who the user is, their scope, idle timeout, log-out, and the session
cookie that keeps a log-in across a browser refresh.

On log-in the server opens a session in the database (``data.auth.open_session``) and the
browser keeps its random token in the cookie ``branchscope_session`` (never the password). Every
run checks that session against the database (one indexed read): a deleted or expired session
ends the log-in, a deactivated user is logged out at once, and a changed role or scope applies
at once. A new browser tab or a refresh (new Streamlit session) resumes from the cookie.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from data.auth import SessionStatus, UserInfo, check_session, close_session, open_session, write_audit
from data.scope import NO_TREE_ROOT_ID, Scope, scope_for
from ui.data_access import app_engine

COOKIE_NAME = "branchscope_session"
SESSION_MAX_HOURS = 12  # a session ends this long after log-in however busy it is
_SESSION_KEYS = ("user", "scope", "last_activity", "focus_unit_id", "month", "session_token")
# Flash message (translation key) for each way an open session can end.
_ENDED_FLASH = {
    SessionStatus.EXPIRED: "login_session_expired",
    SessionStatus.INACTIVE: "login_session_revoked",
    SessionStatus.ENDED: "login_session_ended",
}


def current_user() -> UserInfo | None:
    """The logged-in user, or None."""
    return st.session_state.get("user")


def current_scope() -> Scope:
    """The logged-in user's scope (only call after log-in)."""
    return st.session_state["scope"]


def _remember(user: UserInfo) -> None:
    """Keep the user, their scope and their home unit in this Streamlit session."""
    with app_engine().connect() as connection:
        scope = scope_for(connection, user.username, user.role, user.scope_unit_id)
    st.session_state["user"] = user
    st.session_state["scope"] = scope
    st.session_state["lang"] = st.session_state.get("lang") or user.language
    st.session_state["last_activity"] = dt.datetime.now()
    st.session_state["focus_unit_id"] = scope.root_unit_id


def start_session(user: UserInfo) -> None:
    """Remember the user after a successful log-in and open their revocable server-side session."""
    token = open_session(app_engine(), user.id, SESSION_MAX_HOURS)
    _remember(user)
    st.session_state["session_token"] = token
    st.session_state["cookie_pending"] = token


def _forget() -> None:
    """Drop the log-in from this Streamlit session and have the browser delete the cookie."""
    for key in _SESSION_KEYS:
        st.session_state.pop(key, None)
    st.session_state["cookie_pending"] = ""


def end_session(reason: str) -> None:
    """End the log-in (reason: "logout" or "timeout"): delete the server-side session, write the
    audit log and forget the user. A log-out in a browser signed on through the identity provider
    also signs out there (``st.logout``: Streamlit drops its identity cookie and sends the browser
    to the provider's end-session page, then back to the log-in page)."""
    user = current_user()
    token = st.session_state.get("session_token")
    engine = app_engine()
    if token:
        close_session(engine, token)
    if user is not None:
        with engine.begin() as connection:
            write_audit(connection, user.username, reason, True)
    _forget()
    if reason == "logout" and st.user.to_dict().get("is_logged_in"):
        st.logout()


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


def _cookie_token() -> str | None:
    """The session token the browser sent when this Streamlit session connected, if any."""
    try:
        token = st.context.cookies.get(COOKIE_NAME)
    except Exception:  # noqa: BLE001 - no browser connection (bare script or AppTest run)
        return None
    return token if isinstance(token, str) and 0 < len(token) <= 128 else None


def _rescope(user: UserInfo) -> None:
    """Apply a role or scope unit changed by an administrator to the open session; audited."""
    old = current_user()
    _remember(user)
    with app_engine().begin() as connection:
        write_audit(
            connection,
            user.username,
            "session_rescoped",
            True,
            {
                "old_role": old.role,
                "new_role": user.role,
                "old_scope_unit_id": old.scope_unit_id,
                "new_scope_unit_id": user.scope_unit_id,
            },
        )
    st.session_state["flash_warning"] = "login_session_rescoped"


def _check_open_session(timeout_minutes: int) -> None:
    """Check the logged-in user's session against the database; end or rescope it at once."""
    if expire_if_idle(timeout_minutes):
        st.session_state["flash"] = "login_session_expired"
        return
    token = st.session_state.get("session_token")
    check = check_session(app_engine(), token, timeout_minutes, user_id=current_user().id) if token else None
    if check is None or check.status is not SessionStatus.VALID:
        _forget()
        st.session_state["flash"] = _ENDED_FLASH[check.status if check else SessionStatus.ENDED]
        return
    old = current_user()
    if (check.user.role, check.user.scope_unit_id) != (old.role, old.scope_unit_id):
        _rescope(check.user)
    elif current_scope().root_unit_id == NO_TREE_ROOT_ID:  # logged in before the first import
        _remember(check.user)
    elif check.user != old:
        st.session_state["user"] = check.user  # display name or language changed


def _resume_from_cookie(timeout_minutes: int) -> None:
    """Log in again from the browser's session cookie (a refresh, a new tab) if it is still valid."""
    token = _cookie_token()
    if token is None or token == st.session_state.get("cookie_dead"):
        return
    check = check_session(app_engine(), token, timeout_minutes)
    if check.status is not SessionStatus.VALID:
        st.session_state["cookie_dead"] = token  # checked once; the browser is told to drop it
        st.session_state["cookie_pending"] = ""
        if check.status is SessionStatus.EXPIRED:
            st.session_state["flash"] = "login_session_expired"
        return
    _remember(check.user)
    st.session_state["session_token"] = token


def sync_session(timeout_minutes: int) -> None:
    """Run before the navigation on every run: check or resume the log-in (see the module doc)."""
    if current_user() is not None:
        _check_open_session(timeout_minutes)
    else:
        _resume_from_cookie(timeout_minutes)


def render_cookie_update() -> None:
    """Have the browser store (after log-in) or delete (after log-out) the session cookie.

    Streamlit can read cookies (``st.context.cookies``) but not set them, so a tiny script does
    it in the page. The cookie is SameSite=Strict, Secure over HTTPS, and holds only the token.
    """
    token = st.session_state.pop("cookie_pending", None)
    if token is None:
        return
    max_age = SESSION_MAX_HOURS * 3600 if token else 0
    st.html(
        "<script>(function () {"
        "var secure = window.location.protocol === 'https:' ? '; Secure' : '';"
        f"document.cookie = '{COOKIE_NAME}={token}; Path=/; Max-Age={max_age}; SameSite=Strict' + secure;"
        "})();</script>",
        unsafe_allow_javascript=True,
    )

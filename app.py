"""BranchScope entry point and only router: database check, log-in, role-based navigation."""

from __future__ import annotations

import logging
import uuid

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from config.pages import PAGES, PAGES_WITHOUT_MONTH, menu
from config.roles import ROLE_POLICIES
from config.settings import PROJECT_ROOT, load_settings
from data.db import DatabaseState
from ui import request_log
from ui.data_access import app_database_state, has_users
from ui.i18n import t
from ui.session import current_user, render_cookie_update, sync_session
from ui.sidebar import render_language_switch, render_sidebar
from ui.sso import sign_on

log = logging.getLogger("branchscope")


def _login_pages() -> list:
    """The log-in page, also under every page's address (hidden): a refreshed, bookmarked or
    typed address shows the log-in form instead of "Page not found", and after log-in the same
    run goes on to that page (with its ?unit=)."""
    login_page = st.Page("pages/login.py", title=t("page_login"), icon=":material/login:", default=True)
    hidden = [st.Page("pages/login.py", title=t(page.title), url_path=page.name, visibility="hidden") for page in PAGES]
    return [login_page, *hidden]


def _not_for_role() -> None:
    """Shown at the address of a page the user's role does not have (e.g. another role's bookmark)."""
    st.title(t("app_title"))
    st.warning(t("page_not_for_role"))


def _waiting_for_data() -> None:
    """Shown to a role that has no page on a database without data yet."""
    st.title(t("app_title"))
    st.info(t("db_empty_wait"))


def _role_navigation(role: str, empty_database: bool = False):
    """The role's pages by section (``config.pages.menu``), plus hidden stand-ins at the other
    pages' addresses. On a database without data only ``config.pages.PAGES_ON_EMPTY_DATABASE`` are offered."""
    role_menu = menu(ROLE_POLICIES[role].pages, empty_database)
    if not role_menu:
        return st.navigation([st.Page(_waiting_for_data, title=t("app_title"), url_path="waiting")])
    sections = {
        t(section): [st.Page(page.path, title=t(page.title), icon=page.icon, url_path=page.name) for page in pages]
        for section, pages in role_menu
    }
    shown = {page.name for _, pages in role_menu for page in pages}
    others = [page for page in PAGES if page.name not in shown]
    if others:
        stand_in = _waiting_for_data if empty_database else _not_for_role
        hidden = [st.Page(stand_in, title=t(page.title), url_path=page.name, visibility="hidden") for page in others]
        sections[next(iter(sections))].extend(hidden)
    return st.navigation(sections, expanded=True)  # every page of the role in view, by section


def _run_page(navigation) -> None:
    """Run the page; an unexpected error is logged with an error id and the user sees only that id.

    Streamlit's own st.stop / st.rerun / st.switch_page signals pass through untouched.
    """
    try:
        navigation.run()
    except ScriptControlException:
        raise
    except Exception:
        error_id = uuid.uuid4().hex[:8]
        user = current_user()
        log.exception(
            "error %s on page %s (user %s)",
            error_id,
            navigation.url_path,
            user.username if user else None,
            extra={"error_id": error_id},
        )
        st.error(t("app_unexpected_error", error_id=error_id))


request_log.begin_run()  # this run's request id and user in every log line (ui/request_log.py)
st.set_page_config(
    page_title="BranchScope",
    page_icon=str(PROJECT_ROOT / "ui" / "static" / "favicon.png"),
    layout="wide",
    initial_sidebar_state="auto",  # collapsed on phones; see README for tablets
)
settings = load_settings()

state = app_database_state(settings.database_url)
empty_database = state is DatabaseState.EMPTY
if not (state is DatabaseState.READY or (empty_database and has_users(settings.database_url))):
    render_language_switch()
    st.title(t("app_title"))
    st.error(t(f"db_{state.value}"))
    st.info(t("db_how_to_fix"))
    st.stop()

sync_session(settings.session_timeout_minutes)  # resume from the cookie, or check the open session
if current_user() is None:
    sign_on(settings)  # back from the bank's identity provider (st.login): map it to a user
render_cookie_update()

user = current_user()
if user is None:
    navigation = st.navigation(_login_pages(), position="hidden")
else:
    navigation = _role_navigation(user.role, empty_database)
    render_sidebar(user, show_month=navigation.url_path not in PAGES_WITHOUT_MONTH, with_units=not empty_database)
    if empty_database and "data_import" in ROLE_POLICIES[user.role].pages:
        st.info(t("db_empty_load_first"))
    rescoped = st.session_state.pop("flash_warning", None)
    if rescoped:
        st.warning(t(rescoped))
with request_log.page_run(navigation):  # one log line per run: page, outcome, duration
    _run_page(navigation)

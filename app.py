"""BranchScope entry point and only router: database check, log-in, role-based navigation."""

from __future__ import annotations

import logging
import uuid

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from config.roles import ROLE_POLICIES
from config.settings import PROJECT_ROOT, load_settings
from data.db import DatabaseState
from ui.data_access import app_database_state, has_users
from ui.i18n import t
from ui.session import current_user, render_cookie_update, sync_session
from ui.sidebar import render_language_switch, render_sidebar

# Page files and the navigation section each belongs to, in menu order.
PAGES = {
    "overview": ("pages/overview.py", "nav_section_network", "page_overview", ":material/map:"),
    "registry": ("pages/registry.py", "nav_section_network", "page_registry", ":material/store:"),
    "costs": ("pages/costs.py", "nav_section_network", "page_costs", ":material/payments:"),
    "lobby": ("pages/lobby.py", "nav_section_service", "page_lobby", ":material/groups:"),
    "staffing": ("pages/staffing.py", "nav_section_service", "page_staffing", ":material/event_seat:"),
    "channel_diversion": (
        "pages/channel_diversion.py",
        "nav_section_service",
        "page_channel_diversion",
        ":material/devices:",
    ),
    "service_quality": (
        "pages/service_quality.py",
        "nav_section_service",
        "page_service_quality",
        ":material/verified:",
    ),
    "market_map": ("pages/market_map.py", "map_nav_planning", "map_page", ":material/layers:"),
    "huff_model": ("pages/huff_model.py", "map_nav_planning", "huff_page", ":material/function:"),
    "candidates": ("pages/candidates.py", "map_nav_planning", "cand_page", ":material/add_location:"),
    "scenarios": ("pages/scenarios.py", "map_nav_planning", "scen_page", ":material/alt_route:"),
    "optimisation": ("pages/optimisation.py", "map_nav_planning", "opt_page", ":material/hub:"),
    "rankings": ("pages/rankings.py", "nav_section_comparison", "page_rankings", ":material/leaderboard:"),
    "peer_groups": ("pages/peer_groups.py", "nav_section_comparison", "page_peer_groups", ":material/workspaces:"),
    "efficiency": ("pages/efficiency.py", "nav_section_comparison", "page_efficiency", ":material/speed:"),
    "bulletin": ("pages/bulletin.py", "nav_section_comparison", "page_bulletin", ":material/summarize:"),
    "my_outlet": ("pages/my_outlet.py", "nav_section_performance", "page_my_outlet", ":material/storefront:"),
    "kpi_explorer": ("pages/kpi_explorer.py", "nav_section_performance", "page_kpi_explorer", ":material/query_stats:"),
    "alerts": ("pages/alerts.py", "nav_section_performance", "page_alerts", ":material/notifications_active:"),
    "data_import": ("pages/data_import.py", "nav_section_data", "page_import", ":material/upload_file:"),
    "data_quality": ("pages/data_quality.py", "nav_section_data", "page_data_quality", ":material/fact_check:"),
    "reconciliation": ("pages/reconciliation.py", "nav_section_data", "page_reconciliation", ":material/balance:"),
    "users": ("pages/users.py", "nav_section_admin", "page_users", ":material/manage_accounts:"),
    "customer_structure": (
        "pages/customer_structure.py",
        "cust_nav_section",
        "cust_page_structure",
        ":material/stacked_bar_chart:",
    ),
    "segments": ("pages/segments.py", "cust_nav_section", "cust_page_segments", ":material/donut_small:"),
    "lifetime_value": ("pages/lifetime_value.py", "cust_nav_section", "cust_page_clv", ":material/trending_up:"),
    "action_lists": ("pages/action_lists.py", "cust_nav_section", "act_page", ":material/checklist:"),
    "next_product": ("pages/next_product.py", "cust_nav_section", "nbp_page", ":material/recommend:"),
    "customer_360": ("pages/customer_360.py", "cust_nav_section", "c360_page", ":material/person_search:"),
    "complaints": ("pages/complaints.py", "cust_nav_section", "care_page", ":material/support_agent:"),
}

# Pages that do not follow the sidebar month (each says on the page which date it uses): master
# data and administration, the planning models' data dates, and customer work done on the newest
# data (call lists, product advice, one customer's record). The month selector is not shown there.
PAGES_WITHOUT_MONTH = frozenset(
    {"registry", "market_map", "huff_model", "optimisation", "action_lists", "next_product", "customer_360"}
    | {"data_import", "data_quality", "users"}
)

# The pages that work on a database without data yet (a new production database): loading the
# bank's files and managing users. Other pages appear once the first import is confirmed.
PAGES_ON_EMPTY_DATABASE = ("data_import", "users")

log = logging.getLogger("branchscope")


def _login_pages() -> list:
    """The log-in page, also under every page's address (hidden): a refreshed, bookmarked or
    typed address shows the log-in form instead of "Page not found", and after log-in the same
    run goes on to that page (with its ?unit=)."""
    login_page = st.Page("pages/login.py", title=t("page_login"), icon=":material/login:", default=True)
    hidden = [
        st.Page("pages/login.py", title=t(title), url_path=name, visibility="hidden")
        for name, (_, _, title, _) in PAGES.items()
    ]
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
    """The role's pages by section, plus hidden stand-ins at the other pages' addresses. On a
    database without data only :data:`PAGES_ON_EMPTY_DATABASE` are offered."""
    pages = ROLE_POLICIES[role].pages
    if empty_database:
        pages = tuple(name for name in pages if name in PAGES_ON_EMPTY_DATABASE)
        if not pages:
            return st.navigation([st.Page(_waiting_for_data, title=t("app_title"), url_path="waiting")])
    sections: dict[str, list] = {}
    for name in pages:
        path, section, title, icon = PAGES[name]
        sections.setdefault(t(section), []).append(st.Page(path, title=t(title), icon=icon, url_path=name))
    others = [name for name in PAGES if name not in pages]
    if others:
        stand_in = _waiting_for_data if empty_database else _not_for_role
        hidden = [st.Page(stand_in, title=t(PAGES[name][2]), url_path=name, visibility="hidden") for name in others]
        sections.setdefault(next(iter(sections)), []).extend(hidden)
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
        log.exception("error %s on page %s (user %s)", error_id, navigation.url_path, user.username if user else None)
        st.error(t("app_unexpected_error", error_id=error_id))


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
_run_page(navigation)

"""The sidebar: language, who is logged in, demo-data badge, scope drill-down and period."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from config.settings import load_settings
from data import queries
from data.auth import UserInfo
from data.scope import ScopeError, checked_unit_id
from ui.data_access import dataset_info, run_query
from ui.i18n import LANGUAGE_NAMES, LANGUAGES, current_language, name_of, t
from ui.labels import unit_label_map
from ui.session import current_scope, end_session


def _apply_language() -> None:
    st.session_state["lang"] = st.session_state["lang_widget"]


def render_language_switch() -> None:
    """中文 / English switch; the choice is kept for the whole session."""
    st.session_state["lang_widget"] = current_language()
    st.sidebar.segmented_control(
        "🌐",
        LANGUAGES,
        format_func=LANGUAGE_NAMES.get,
        key="lang_widget",
        on_change=_apply_language,
        label_visibility="collapsed",
    )


def set_focus_unit(unit_id: int) -> None:
    """Make ``unit_id`` the unit every page shows (kept in the URL as ?unit=ID)."""
    st.session_state["focus_unit_id"] = int(unit_id)
    st.query_params["unit"] = str(int(unit_id))


def focus_unit() -> dict:
    """The unit the pages show (see ``data.queries.unit_info``); a unit outside the user's scope
    gets a message, the user is taken back to their own unit, and the page stops."""
    try:
        return run_query(queries.unit_info, st.session_state["focus_unit_id"])
    except ScopeError:
        st.error(t("scope_unit_not_allowed"))
        set_focus_unit(current_scope().root_unit_id)
        st.stop()


def _focus_from_url() -> None:
    """Follow a ?unit=ID link if it is in the user's scope; otherwise say so (see
    :func:`show_flash_error`) and stay home. An id that cannot be a unit (not a whole number in
    1 … 2^31 − 1) counts as outside the scope and never reaches the database."""
    requested = st.query_params.get("unit")
    if requested is None or requested == str(st.session_state.get("focus_unit_id")):
        return
    try:
        unit_id = checked_unit_id(requested)
        run_query(queries.unit_info, unit_id)
    except ScopeError:
        st.session_state["flash_error"] = "scope_unit_not_allowed"
        set_focus_unit(current_scope().root_unit_id)
        return
    st.session_state["focus_unit_id"] = unit_id


def show_flash_error() -> None:
    """Show, once and above whatever page runs, the message a redirect left in
    ``st.session_state["flash_error"]`` (a translation key), e.g. that the requested unit is
    outside the user's scope. The one place this is shown: pages do not repeat it."""
    key = st.session_state.pop("flash_error", None)
    if key:
        st.error(t(key), icon=":material/block:")


ALL = 0  # select-box value meaning "the whole parent unit" (unit ids start at 1)


def _on_drill(widget_key: str, parent_id: int) -> None:
    choice = st.session_state[widget_key]
    set_focus_unit(choice if choice != ALL else parent_id)


def _render_data_origin(crumbs: list[dict]) -> None:
    """Say where the shown unit's data come from when a demo of several provinces marked it:
    a badge for an invented (synthetic) province, a note for the one on real census facts."""
    origin = next((crumb.get("data_origin") for crumb in reversed(crumbs) if crumb.get("data_origin")), None)
    if origin == "synthetic":
        st.sidebar.badge(t("origin_badge_synthetic"), icon=":material/science:", color="violet")
        st.sidebar.caption(t("origin_synthetic_help"))
    elif origin == "census":
        st.sidebar.caption(t("origin_census_help"))


def _render_drilldown() -> None:
    """One select box per level below the user's root, from the root down to the focus unit."""
    crumbs = run_query(queries.breadcrumb, st.session_state["focus_unit_id"])
    st.sidebar.markdown(f"**{t('scope_label')}**")
    st.sidebar.caption(" › ".join(name_of(crumb) for crumb in crumbs))
    _render_data_origin(crumbs)
    for depth, unit in enumerate(crumbs):
        children = run_query(queries.child_units, unit["id"])
        children = children[children["status"] == "open"]
        if children.empty:
            break
        labels = unit_label_map()
        names = {unit_id: labels[int(unit_id)] for unit_id in children["id"]}
        selected = crumbs[depth + 1]["id"] if depth + 1 < len(crumbs) else ALL
        key = f"drill_{unit['id']}"
        st.session_state[key] = selected
        st.sidebar.selectbox(
            t(f"level_{children['level'].iloc[0]}"),
            [ALL, *names],
            format_func={ALL: t("scope_all"), **names}.get,  # labels fixed at render time
            key=key,
            on_change=_on_drill,
            args=(key, unit["id"]),
        )
        if selected == ALL:
            break


def month_with_data(months: list[dt.date]) -> dt.date | None:
    """The sidebar month if it is one of ``months`` (a unit's months with data, newest first),
    else the newest of them (None when there are none). When the month shown is not the one
    chosen, a warning names both and the months the data cover."""
    chosen = st.session_state.get("month")
    month = chosen if chosen in months else (months[0] if months else None)
    if chosen is not None and month is not None and month != chosen:
        st.warning(
            t(
                "rank_month_not_covered",
                chosen=f"{chosen:%Y-%m}",
                shown=f"{month:%Y-%m}",
                first=f"{months[-1]:%Y-%m}",
                last=f"{months[0]:%Y-%m}",
            )
        )
    return month


def _apply_month() -> None:
    st.session_state["month"] = st.session_state["month_widget"]


def _render_period() -> None:
    """The month selector. The choice lives in ``st.session_state["month"]`` (not the widget's
    key), so it is kept while the user is on a page that shows no selector."""
    months = run_query(queries.kpi_months, current_scope().root_unit_id)
    if not months:
        return
    if st.session_state.get("month") not in months:
        st.session_state["month"] = months[0]
    st.session_state["month_widget"] = st.session_state["month"]
    st.sidebar.selectbox(
        t("period_month"),
        months,
        format_func=lambda m: m.strftime("%Y-%m"),
        key="month_widget",
        on_change=_apply_month,
    )


def render_sidebar(user: UserInfo, show_month: bool = True, with_units: bool = True) -> None:
    """Everything in the sidebar of a logged-in user; the month selector only where the page
    follows it (``show_month``); no unit drill-down or month on a database without data
    (``with_units`` false)."""
    render_language_switch()
    with st.sidebar.container(border=True):
        st.markdown(f"**{user.display_name}**")
        st.caption(f"{t('role_' + user.role)} · {user.username}")
        st.button(t("logout"), on_click=end_session, args=("logout",), key="logout")
    if dataset_info(load_settings().database_url).get("synthetic") == "true":
        st.sidebar.badge(t("demo_badge"), icon=":material/science:", color="orange")
        st.sidebar.caption(t("demo_badge_help"))
    if not with_units:
        return
    _focus_from_url()
    show_flash_error()
    _render_drilldown()
    if show_month:
        _render_period()

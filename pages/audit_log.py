"""The audit log (administrators and auditors): filter by user, action, unit, dates and outcome;
the newest lines first, at most ROW_LIMIT on the page; CSV and Excel downloads of the filtered
lines, each download itself audited.

Reads through ``data.queries_audit`` (refused for other roles), fresh on every run: no cache, so
a line written a moment ago is shown. Nothing here changes or deletes an audit line.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from config.translations import TEXTS
from data import queries_audit
from data.scope import NO_TREE_ROOT_ID
from ui.data_access import app_engine
from ui.excel import frames_to_xlsx
from ui.i18n import t
from ui.labels import unit_label_map
from ui.page_entry import enter_through_app
from ui.session import current_scope

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

ROW_LIMIT = 500  # lines shown on the page


def action_name(code: str) -> str:
    """The action's name in the user's language; the code itself for an action without one."""
    key = f"audit_action_{code}"  # every code the app writes is named (tests/test_audit_actions.py)
    return t(key) if key in TEXTS else code


engine = app_engine()
scope = current_scope()
st.title(t("audit_title"))
st.caption(t("audit_caption"))

choices = queries_audit.audit_filter_choices(engine, scope)
units = {} if scope.root_unit_id == NO_TREE_ROOT_ID else unit_label_map()
ANY = None
outcomes = {ANY: t("audit_any"), True: t("audit_outcome_success"), False: t("audit_outcome_refused")}

top = st.columns(3)
username = top[0].selectbox(
    t("audit_filter_user"),
    [ANY, *choices["users"]],
    format_func=lambda v: t("audit_any") if v is None else v,
    key="audit_user",
)
action = top[1].selectbox(
    t("audit_filter_action"),
    [ANY, *choices["actions"]],
    format_func=lambda v: t("audit_any") if v is None else action_name(v),
    key="audit_action",
)
unit_id = top[2].selectbox(
    t("audit_filter_unit"),
    [ANY, *units],
    format_func=lambda v: t("audit_any") if v is None else units[v],
    help=t("audit_filter_unit_help"),
    key="audit_unit",
)
bottom = st.columns(3)
today = dt.date.today()
date_from = bottom[0].date_input(t("audit_filter_from"), today - dt.timedelta(days=30), key="audit_from")
date_to = bottom[1].date_input(t("audit_filter_to"), today, key="audit_to")
success = bottom[2].selectbox(t("audit_filter_outcome"), list(outcomes), format_func=outcomes.get, key="audit_outcome")

if date_from > date_to:
    st.error(t("audit_bad_dates"))
    st.stop()

filters = {
    "username": username,
    "action": action,
    "unit_id": unit_id,
    "date_from": date_from,
    "date_to": date_to,
    "success": success,
}
lines = queries_audit.audit_lines(engine, scope, **filters, limit=ROW_LIMIT)


def shown(frame: pd.DataFrame) -> pd.DataFrame:
    """The lines as the page and the downloads show them, with translated headers."""
    return pd.DataFrame(
        {
            t("audit_col_at"): frame["at"].map(lambda v: v.strftime("%Y-%m-%d %H:%M:%S")),
            t("audit_col_user"): frame["username"].fillna(""),
            t("audit_col_action"): frame["action"].map(action_name),
            t("audit_col_action_code"): frame["action"],
            t("audit_col_outcome"): frame["success"].map(
                lambda ok: t("audit_outcome_success") if ok else t("audit_outcome_refused")
            ),
            t("audit_col_detail"): frame["detail"].map(queries_audit.detail_text),
        }
    )


if lines.empty:
    st.info(t("audit_none"))
    st.stop()

st.dataframe(shown(lines), hide_index=True, width="stretch", key="audit_table")
st.caption(
    t(
        "audit_shown",
        total=f"{lines.attrs['matching']:,}",
        shown=f"{len(lines):,}",
        limit=f"{ROW_LIMIT:,}",
        export_limit=f"{queries_audit.EXPORT_LIMIT:,}",
    )
)


def export_frame() -> pd.DataFrame:
    """Every matching line up to EXPORT_LIMIT, read when a download is clicked."""
    return shown(queries_audit.audit_lines(engine, scope, **filters, limit=queries_audit.EXPORT_LIMIT))


exported = min(lines.attrs["matching"], queries_audit.EXPORT_LIMIT)
stamp = f"{date_from:%Y%m%d}_{date_to:%Y%m%d}"
buttons = st.columns(2)
buttons[0].download_button(
    t("audit_download_csv"),
    lambda: export_frame().to_csv(index=False).encode("utf-8-sig"),  # built when clicked
    file_name=f"audit_log_{stamp}.csv",
    mime="text/csv",
    key="audit_download_csv",
    icon=":material/download:",
    on_click=queries_audit.audit_export,
    args=(engine, scope, "csv", exported, filters),
)
buttons[1].download_button(
    t("audit_download_excel"),
    lambda: frames_to_xlsx({t("audit_sheet"): export_frame()}),  # built when clicked
    file_name=f"audit_log_{stamp}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="audit_download_excel",
    icon=":material/download:",
    on_click=queries_audit.audit_export,
    args=(engine, scope, "xlsx", exported, filters),
)
st.caption(t("audit_downloads_audited"))

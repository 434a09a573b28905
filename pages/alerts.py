"""Alerts: the rules (off target, sudden drops, wait above target, complaint spikes) run for every
outlet of the focus unit in the chosen month; the list with outlet, rule, metric, month,
severity, owner and status, filters, status and owner changes, and the thresholds.

Alerts and thresholds change while one looks at them, so this page reads them fresh on every
run (directly through the scoped data functions, not the cache). Writes go through
``data.alerts``, which checks role and scope in the database and audits every change.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.alerts import RULES, SEVERITIES, THRESHOLD_RANGES
from config.metrics import BY_CODE
from config.settings import load_settings
from data import queries_performance as performance
from data.alerts import SETTINGS_EDITOR_ROLES, AlertError, refresh_alerts, save_thresholds, update_alert
from data.schema import ALERT_STATUSES
from ui.cards import card_grid
from ui.data_access import app_engine, dataset_info
from ui.excel import frames_to_xlsx
from ui.format import MISSING, format_ratio, format_value
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.page_entry import enter_through_app
from ui.session import current_scope
from ui.sidebar import focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

ALL_MONTHS = "all"

lang = current_language()
scope = current_scope()
engine = app_engine()

unit = focus_unit()
month = st.session_state.get("month")
st.title(t("alert_title"))
if month is None:
    st.warning(t("no_kpi_data"))
    st.stop()
st.caption(t("alert_caption", unit=name_of(unit), month=month.strftime("%Y-%m")))
flash = st.session_state.pop("alert_flash", None)
if flash:
    st.success(t(flash))


def metric_label(code: str) -> str:
    metric = BY_CODE.get(code)
    if metric is None:
        return code or MISSING
    return metric.name_zh if lang == "zh" else metric.name_en


def shown_value(rule: str, value, metric_code: str) -> str:
    """An alert's value or threshold in the rule's terms."""
    if rule in ("off_target", "sudden_drop"):
        return format_ratio(value)
    return format_value(value, BY_CODE[metric_code].unit if metric_code in BY_CODE else "count", lang)


# --- Thresholds --------------------------------------------------------------------------------------
settings = performance.alert_settings(engine, scope, unit["id"])
may_edit_settings = scope.role in SETTINGS_EDITOR_ROLES
with st.expander(t("alert_settings_title"), expanded=False):
    st.caption(t("alert_settings_help" if may_edit_settings else "alert_settings_read_only"))
    with st.form("alert_settings_form"):
        columns = st.columns(4)
        entered = {}
        for index, (name, (low, high)) in enumerate(THRESHOLD_RANGES.items()):
            is_int = isinstance(low, int) and isinstance(high, int)
            entered[name] = columns[index % 4].number_input(
                t(f"alert_set_{name}"),
                min_value=low,
                max_value=high,
                value=int(settings[name]) if is_int else float(settings[name]),
                step=1 if is_int else (0.001 if name == "complaint_alpha" else 0.5),
                format="%d" if is_int else ("%.4f" if name == "complaint_alpha" else "%.1f"),
                disabled=not may_edit_settings,
                key=f"alert_set_{name}",
            )
        submitted = st.form_submit_button(t("alert_settings_save"), disabled=not may_edit_settings)
    if submitted:
        try:
            save_thresholds(engine, scope, entered)
        except AlertError as error:
            st.error(t(error.key, **error.values))
        else:
            st.session_state["alert_flash"] = "alert_settings_saved"
            st.rerun()

# --- Run the rules ----------------------------------------------------------------------------------
marker = (unit["id"], month, dataset_info(load_settings().database_url).get("data_version", ""), str(settings))
refreshed = st.session_state.setdefault("alerts_refreshed", set())
rerun_rules = st.button(t("alert_rerun"), key="alert_rerun", icon=":material/refresh:")
if rerun_rules or marker not in refreshed:
    with st.spinner(t("alert_refreshing")):
        counts = refresh_alerts(engine, scope, unit["id"], month)
    refreshed.add(marker)
    if rerun_rules:
        st.info(t("alert_rerun_done", **counts))

# --- Filters and list ---------------------------------------------------------------------------------
months = [ALL_MONTHS, month]
month_labels = {ALL_MONTHS: t("alert_all_months"), month: month.strftime("%Y-%m")}
status_labels = {s: t(f"alert_status_{s}") for s in ALERT_STATUSES}
severity_labels = {s: t(f"alert_severity_{s}") for s in SEVERITIES}
rule_labels = {r: t(f"alert_rule_{r}") for r in RULES}
filters = st.columns(4)
chosen_month = filters[0].selectbox(
    t("alert_filter_month"), months, index=1, format_func=month_labels.get, key="alert_month"
)
statuses = filters[1].multiselect(
    t("alert_filter_status"),
    list(ALERT_STATUSES),
    default=["open", "acknowledged"],
    format_func=status_labels.get,
    key="alert_statuses",
    placeholder=t("widget_choose"),
)
severities = filters[2].multiselect(
    t("alert_filter_severity"),
    list(SEVERITIES),
    default=list(SEVERITIES),
    format_func=severity_labels.get,
    key="alert_severities",
    placeholder=t("widget_choose"),
)
rules = filters[3].multiselect(
    t("alert_filter_rule"),
    list(RULES),
    default=list(RULES),
    format_func=rule_labels.get,
    key="alert_rules",
    placeholder=t("widget_choose"),
)

alerts = performance.alert_list(
    engine, scope, unit["id"], None if chosen_month == ALL_MONTHS else chosen_month, tuple(statuses) or None
)
if not alerts.empty:  # an empty filter selects nothing
    matching = alerts["severity"].isin(severities) & alerts["rule"].isin(rules) & alerts["status"].isin(statuses)
    alerts = alerts[matching].reset_index(drop=True)
counts = [
    (t("alert_count_shown"), len(alerts)),
    (t("alert_count_high"), int((alerts["severity"] == "high").sum()) if not alerts.empty else 0),
    (t("alert_count_unowned"), int(alerts["owner"].isna().sum()) if not alerts.empty else 0),
]
for card, (label, count) in zip(card_grid("alert_cards", len(counts), per_row=3), counts):
    with card:
        st.metric(label, f"{count:,}")

if alerts.empty:
    st.info(t("alert_none"))
else:
    table = pd.DataFrame(
        {
            t("alert_col_outlet"): [
                f"{c} · {unit_label_map().get(int(i), n)}"
                for c, i, n in zip(alerts["code"], alerts["outlet_id"], alerts[f"name_{lang}"])
            ],
            t("alert_col_rule"): alerts["rule"].map(rule_labels.get),
            t("alert_col_metric"): alerts["metric_code"].map(metric_label),
            t("alert_col_month"): alerts["month"].map(lambda m: m.strftime("%Y-%m")),
            t("alert_col_severity"): alerts["severity"].map(severity_labels.get),
            t("alert_col_value"): [
                shown_value(r, v, c) for r, v, c in zip(alerts["rule"], alerts["value"], alerts["metric_code"])
            ],
            t("alert_col_threshold"): [
                shown_value(r, v, c) for r, v, c in zip(alerts["rule"], alerts["threshold"], alerts["metric_code"])
            ],
            t("alert_col_owner"): alerts["owner"].fillna(MISSING),
            t("alert_col_status"): alerts["status"].map(status_labels.get),
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    export = alerts.drop(columns=["detail"]).assign(
        rule=alerts["rule"].map(rule_labels.get), status=alerts["status"].map(status_labels.get)
    )
    st.download_button(
        t("kpi_download"),
        frames_to_xlsx({t("alert_sheet"): export}),
        file_name=f"alerts_{unit['code']}_{month.strftime('%Y-%m')}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="alert_download",
        icon=":material/download:",
    )

    # --- Change status and owner ----------------------------------------------------------------------
    st.subheader(t("alert_edit_title"))
    alert_labels = {
        int(row.id): f"#{row.id} · {row.code} · {rule_labels[row.rule]} · {metric_label(row.metric_code)} · "
        f"{row.month.strftime('%Y-%m')}"
        for row in alerts.itertuples(index=False)
    }
    chosen = st.selectbox(t("alert_edit_pick"), list(alert_labels), format_func=alert_labels.get, key="alert_edit_id")
    current = alerts.set_index("id").loc[chosen]
    with st.form("alert_edit_form"):
        edit_columns = st.columns(2)
        new_status = edit_columns[0].selectbox(
            t("alert_col_status"),
            list(ALERT_STATUSES),
            index=list(ALERT_STATUSES).index(current["status"]),
            format_func=status_labels.get,
            key=f"alert_edit_status_{chosen}",
        )
        new_owner = edit_columns[1].text_input(
            t("alert_col_owner"), value=current["owner"] or "", max_chars=64, key=f"alert_edit_owner_{chosen}"
        )
        save = st.form_submit_button(t("alert_edit_save"))
    if save:
        try:
            changed = update_alert(engine, scope, chosen, new_status, new_owner)
        except AlertError as error:
            st.error(t(error.key, **error.values))
        else:
            st.session_state["alert_flash"] = "alert_edit_saved" if changed else "alert_edit_unchanged"
            st.rerun()

with st.expander(t("how_computed")):
    for rule in RULES:
        st.markdown(f"- **{rule_labels[rule]}**: " + t(f"alert_how_{rule}", **settings))

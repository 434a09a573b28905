"""Complaints and care: the complaint log of the focus unit's outlets with status, ageing and
closure (per outlet: received, open, overdue, median days to close, share closed within the
service level), and today's care reminders (maturing time deposits, idle VIPs, milestone
birthdays) as one daily list.

Branch heads see complaint and reminder rows with names and can mark a reminder done (a care
contact, ``data.contacts``); executives see the complaint log with names masked and the care
list as counts per outlet. Care contacts are read fresh on every run (not cached).
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.action_rules import (
    COMPLAINT_AGE_BANDS,
    COMPLAINT_SLA_DAYS,
    complaint_ageing,
    complaint_summary,
    daily_care_list,
)
from data import queries_complaints, queries_customer_care
from data.contacts import ContactError, log_contact, may_log_contacts
from data.schema import CONTACT_OUTCOMES
from data.scope import ScopeError
from ui.cards import metric_cards
from ui.customer_export import customer_download_button
from ui.data_access import app_engine, run_query
from ui.excel import frames_to_xlsx
from ui.format import MISSING, format_count, format_money, format_ratio
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.page_entry import enter_through_app
from ui.session import current_scope
from ui.sidebar import focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

PERIOD_DAYS = (30, 90, 365, 0)  # 0 = all complaints
STATUS_FILTERS = ("all", "open", "closed")
MATURITY_DAYS = 30  # time deposits maturing within this many days
IDLE_DAYS = 90  # a VIP with no transaction for this many days is idle
VIP_AUM_RMB = 500_000.0  # VIP (three stars and above) for the idle list, besides key customers
BIRTHDAY_AGES = (30, 40, 50, 60, 70, 80)  # milestone birthdays of customers known by birth year only
BIRTHDAY_DAYS = 7  # default: birthdays in the next week (today included)
CARE_DONE_DAYS = 7  # a care contact takes a maturity or idle-VIP reminder off the list for this long
BAND_COLOURS = ("#c7e9c0", "#74c476", "#fdae6b", "#e6550d", "#a50f15")

lang = current_language()
scope = current_scope()
engine = app_engine()
now = dt.datetime.now().replace(microsecond=0)
today = now.date()
labels = unit_label_map()


def month_end(month: dt.date) -> dt.date:
    """Last day of the month starting on ``month``."""
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


# The complaint log is as it stood at the end of the sidebar month (today for the current month);
# the care reminders are about the coming days, so they always start today.
selected_month = st.session_state.get("month") or today.replace(day=1)
log_end = min(month_end(selected_month), today)
log_now = now if log_end == today else dt.datetime.combine(log_end, dt.time(23, 59, 59))

unit = focus_unit()
st.title(t("care_title"))
st.caption(t("care_caption", unit=name_of(unit), today=today.isoformat()))

# --- Complaint log ------------------------------------------------------------------------------------
st.header(t("care_complaints_title"))
controls = st.columns(3)
days = controls[0].selectbox(
    t("care_period"),
    PERIOD_DAYS,
    index=2,
    format_func={d: t("care_period_all") if d == 0 else t("care_period_days", days=d) for d in PERIOD_DAYS}.get,
    key="care_period",
)
status_filter = controls[1].selectbox(
    t("care_col_status"),
    STATUS_FILTERS,
    format_func={s: t(f"care_status_{s}") for s in STATUS_FILTERS}.get,
    key="care_status_filter",
)
start = None if days == 0 else log_end - dt.timedelta(days=days - 1)
log = run_query(queries_complaints.care_complaint_log, unit["id"], start, log_end)
aged = complaint_ageing(log, log_now)
st.caption(t("care_log_as_of", start=start.isoformat() if start else t("care_period_all"), end=log_end.isoformat()))
outlet_names = {int(o): labels.get(int(o), name) for o, name in zip(log["outlet_id"], log[f"outlet_{lang}"])}
outlet_choices = [0, *sorted(outlet_names, key=outlet_names.get)]
if st.session_state.get("care_outlet") not in outlet_choices:
    st.session_state["care_outlet"] = 0
outlet_filter = controls[2].selectbox(
    t("care_outlet"),
    outlet_choices,
    format_func={0: t("care_all_outlets"), **outlet_names}.get,
    key="care_outlet",
)
shown = aged
if status_filter != "all":
    shown = shown[(shown["status"] == "closed") == (status_filter == "closed")]
if outlet_filter:
    shown = shown[shown["outlet_id"] == outlet_filter]

summary = complaint_summary(aged)
open_now = aged[aged["status"] != "closed"]
closed = aged[aged["status"] == "closed"]
headline = [
    (t("care_metric_received"), format_count(len(aged), lang)),
    (t("care_metric_open"), format_count(len(open_now), lang)),
    (t("care_metric_overdue"), format_count(int(open_now["overdue"].sum()), lang)),
    (
        t("care_metric_median_close"),
        MISSING if closed.empty else t("care_days", days=f"{closed['age_days'].median():.1f}"),
    ),
    (t("care_metric_within_sla"), MISSING if closed.empty else format_ratio((~closed["overdue"]).mean())),
]
metric_cards(headline, key="complaints_headline")
st.caption(
    t(
        "care_sla_note",
        low=COMPLAINT_SLA_DAYS["low"],
        medium=COMPLAINT_SLA_DAYS["medium"],
        high=COMPLAINT_SLA_DAYS["high"],
    )
)

if aged.empty:
    st.info(t("care_no_complaints"))
else:
    band_labels = [t("care_band_upto", days=d) for d in COMPLAINT_AGE_BANDS] + [
        t("care_band_over", days=COMPLAINT_AGE_BANDS[-1])
    ]
    if not open_now.empty:
        bands = open_now.pivot_table(  # keyed on the outlet id: outlets may share a name
            index="outlet_id", columns="age_band", values="id", aggfunc="count", fill_value=0
        )
        bands = bands.reindex(columns=range(len(band_labels)), fill_value=0)
        bands = bands.loc[bands.sum(axis=1).sort_values().index]
        outlet_axis = [outlet_names.get(int(o), str(o)) for o in bands.index]
        ageing_figure = go.Figure(
            [
                go.Bar(y=outlet_axis, x=bands[band], orientation="h", name=label, marker_color=colour)
                for band, label, colour in zip(range(len(band_labels)), band_labels, BAND_COLOURS)
            ]
        )
        ageing_figure.update_layout(
            barmode="stack",
            title={"text": t("care_ageing_chart")},
            xaxis_title=t("care_axis_open_complaints"),
            yaxis={"title": t("care_axis_outlet"), "type": "category"},
            legend={"orientation": "h", "y": -0.2, "title": {"text": t("care_legend_age")}},
            height=max(320, 24 * len(bands) + 160),
        )
        st.plotly_chart(ageing_figure, key="care_ageing_chart")
    else:
        st.success(t("care_none_open"))
    per_outlet = pd.DataFrame(
        {
            t("care_axis_outlet"): summary["outlet_id"].map(outlet_names),
            t("care_metric_received"): summary["received"],
            t("care_metric_open"): summary["open"],
            t("care_metric_overdue"): summary["open_overdue"],
            t("care_metric_median_close"): summary["median_days_to_close"].round(1),
            t("care_metric_within_sla"): summary["share_closed_within_sla"].map(format_ratio),
        }
    ).sort_values(t("care_metric_open"), ascending=False)
    st.dataframe(per_outlet, hide_index=True, width="stretch", key="care_outlet_summary")
    log_table = pd.DataFrame(
        {
            t("care_col_id"): shown["id"],
            t("care_axis_outlet"): shown["outlet_id"].map(lambda o: outlet_names.get(int(o), "")),
            t("care_col_received"): shown["received_at"].dt.strftime("%Y-%m-%d %H:%M"),
            t("c360_col_customer_no"): shown["customer_no"].fillna(""),
            t("c360_col_name"): shown["name"].fillna(""),
            t("care_col_category"): shown["category"].map(lambda c: t(f"care_category_{c}")),
            t("care_col_channel"): shown["channel"].map(lambda c: t(f"care_complaint_channel_{c}")),
            t("care_col_severity"): shown["severity"].map(lambda s: t(f"care_severity_{s}")),
            t("care_col_status"): shown["status"].map(lambda s: t(f"care_status_{s}")),
            t("care_col_age"): shown["age_days"].round(1),
            t("care_col_overdue"): shown["overdue"].map(lambda o: t("care_yes") if o else ""),
            t("care_col_closed"): shown["closed_at"].map(lambda v: v.strftime("%Y-%m-%d %H:%M") if pd.notna(v) else ""),
        }
    )
    st.dataframe(log_table, hide_index=True, width="stretch", key="care_log")
    st.caption(t("care_log_caption", count=format_count(len(log_table), lang)))
    customer_download_button(
        t("care_download_log"),
        partial(frames_to_xlsx, {t("care_complaints_title"): log_table, t("care_outlet_summary"): per_outlet}),
        file_name=f"complaints_{unit['code']}_{log_end}.xlsx",
        key="care_download_log",
        what="complaint_log",
        rows=len(log_table),
    )

# --- Care reminders -----------------------------------------------------------------------------------
st.header(t("care_reminders_title"))
if log_end != today:
    st.info(t("care_reminders_today_note", today=today.isoformat()))
st.caption(
    t(
        "care_reminders_caption",
        maturity_days=MATURITY_DAYS,
        idle_days=IDLE_DAYS,
        vip=format_money(VIP_AUM_RMB, lang),
        ages=", ".join(str(a) for a in BIRTHDAY_AGES),
        birthday_days=int(st.session_state.get("care_birthday_days", BIRTHDAY_DAYS)),
    )
)
birthday_days = st.number_input(
    t("care_birthday_days"), min_value=1, max_value=31, value=BIRTHDAY_DAYS, step=1, key="care_birthday_days"
)
birthdays = pd.concat(  # fresh, not cached: a care contact marks a birthday done
    [
        queries_complaints.care_reminder_birthdays_ahead(engine, scope, unit["id"], today, int(birthday_days)),
        queries_complaints.care_reminder_birthdays(engine, scope, unit["id"], today.year, BIRTHDAY_AGES),
    ],
    ignore_index=True,
)
maturities = run_query(
    queries_complaints.care_reminder_maturities, unit["id"], today, today + dt.timedelta(days=MATURITY_DAYS)
)
idle = run_query(queries_complaints.care_reminder_idle_vips, unit["id"], today, IDLE_DAYS, VIP_AUM_RMB)
# fresh: a care call marks a reminder done
contacts = queries_customer_care.care_last_contacts(engine, scope, unit["id"])
reminders = daily_care_list(today, birthdays, maturities, idle, contacts, CARE_DONE_DAYS)
reasons = ("maturity", "idle_vip", "birthday")
for column, reason in zip(st.columns(len(reasons)), reasons):
    with column.container(border=True):
        st.metric(t(f"care_reason_{reason}"), format_count(int((reminders["reason"] == reason).sum()), lang))
st.caption(t("care_birthday_note", birthday_days=int(birthday_days)))

if reminders.empty:
    st.info(t("care_no_reminders"))
elif not scope.sees_personal_data:
    counts = (
        reminders.groupby(["outlet_id", "reason"]).size().unstack(fill_value=0).reindex(columns=reasons, fill_value=0)
    )
    counts_table = pd.DataFrame({t("care_axis_outlet"): [labels.get(int(o), "") for o in counts.index]})
    for reason in reasons:
        counts_table[t(f"care_reason_{reason}")] = counts[reason].to_numpy()
    st.dataframe(counts_table, hide_index=True, width="stretch", key="care_reminder_counts")
    st.info(t("care_aggregates_only"))
else:

    def detail_of(row) -> str:
        if row["reason"] == "maturity":
            return t("care_detail_maturity", product=row["detail"], date=row["due"].isoformat())
        if row["reason"] == "idle_vip":
            return t("care_detail_idle", days=row["detail"]) if row["detail"] else t("care_detail_never")
        if row["on_day"]:
            return t("care_detail_birthday_on", age=row["detail"], date=row["due"].isoformat())
        return t("care_detail_birthday", age=row["detail"])

    reminder_table = pd.DataFrame(
        {
            t("care_col_priority"): reminders["priority"],
            t("care_col_reason"): reminders["reason"].map(lambda r: t(f"care_reason_{r}")),
            t("c360_col_customer_no"): reminders["customer_no"],
            t("c360_col_name"): reminders["name"],
            t("c360_col_outlet"): reminders["outlet_id"].map(lambda o: labels.get(int(o), "")),
            t("care_col_detail"): [detail_of(row) for _, row in reminders.iterrows()],
            t("care_col_amount"): reminders["amount_rmb"].round(0),
            t("care_col_days_left"): reminders["days_left"],
        }
    )
    st.dataframe(
        reminder_table,
        hide_index=True,
        width="stretch",
        key="care_reminders",
        column_config={t("care_col_amount"): st.column_config.NumberColumn(format="localized")},
    )
    customer_download_button(
        t("care_download_reminders"),
        partial(frames_to_xlsx, {t("care_reminders_title"): reminder_table}),  # built when clicked
        file_name=f"care_reminders_{unit['code']}_{today}.xlsx",
        key="care_download_reminders",
        what="care_reminders",
        rows=len(reminder_table),
    )
    flash = st.session_state.pop("care_flash", None)
    if flash:
        st.success(t(flash))
    if may_log_contacts(scope.role):
        labels = {
            int(row["customer_id"]): f"{int(row['priority'])}. {row['customer_no']} · {row['name']} · "
            f"{t('care_reason_' + row['reason'])}"
            for _, row in reminders.head(300).iterrows()
        }
        with st.form("care_contact_form", clear_on_submit=True):
            st.markdown(f"**{t('care_mark_done')}**")
            customer_id = st.selectbox(t("c360_customer"), list(labels), format_func=labels.get, key="care_customer")
            outcome = st.selectbox(
                t("act_col_outcome"),
                CONTACT_OUTCOMES,
                format_func={o: t(f"act_outcome_{o}") for o in CONTACT_OUTCOMES}.get,
                key="care_outcome",
            )
            note = st.text_input(t("act_col_note"), key="care_note")
            if st.form_submit_button(t("act_log_contact")):
                try:
                    log_contact(engine, scope, int(customer_id), "care", outcome, note)
                except ContactError as error:
                    st.error(t(error.key, **error.values))
                except ScopeError:
                    st.error(t("act_err_not_allowed"))
                else:
                    st.session_state["care_flash"] = "act_contact_saved"
                    st.rerun()

with st.expander(t("how_computed")):
    st.markdown(t("care_how_computed", maturity_days=MATURITY_DAYS, idle_days=IDLE_DAYS, done_days=CARE_DONE_DAYS))

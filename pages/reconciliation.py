"""Reconciliation (对账): per outlet, month and metric, the KPI import against the sums of the account
extracts marked complete, with differences above the tolerance flagged; the completeness of each
outlet's extracts, where a data steward marks them complete.

Data from ``data.queries_reconciliation`` (scoped, aggregated in SQL); the comparison and the
summary in ``analytics.reconciliation``; tables and the workbook in ``ui.reconciliation_view``.
"""

from __future__ import annotations

from functools import partial

import plotly.graph_objects as go
import streamlit as st

from analytics.reconciliation import compare, largest_differences, load_tolerance, outlet_status, summary
from config.import_texts import import_message
from data import queries_reconciliation as qr
from data.accounts import mark_complete, unmark_complete
from data.importer import BatchError
from ui.cards import metric_cards
from ui.charts import axis_title, money_scale
from ui.data_access import app_engine, dataset_info, run_query
from ui.excel import frames_to_xlsx
from ui.format import format_count
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.page_entry import enter_through_app
from ui.reconciliation_view import (
    coverage_sheet,
    difference_grid,
    export_sheets,
    extract_label,
    metric_name,
    tolerance_texts,
)
from ui.session import current_scope, current_user
from ui.sidebar import focus_unit, month_with_data

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

CHART_ROWS = 15
MARKING_ROLES = ("data_steward", "admin")  # as data.importer.pipeline.IMPORT_ROLES: checked again there
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def after_marking(text: str) -> None:
    """Marks changed the data: refresh the data version the caches are keyed on, say what happened."""
    dataset_info.clear()
    st.session_state["recon_flash"] = text
    st.rerun()


def mark_batch(batch_id: int) -> None:
    """Mark every outlet-month extract of the batch complete (refused in the data layer for other roles)."""
    try:
        count = mark_complete(app_engine(), batch_id, current_user().username)
    except BatchError as error:
        st.error(t("recon_mark_refused", reason=import_message(error.key, lang, **error.params)))
        return
    after_marking(t("recon_marked", count=count))


def unmark_pairs(pairs: list[tuple[str, int]]) -> None:
    """Take back the completion marks of (extract, outlet) pairs of the month."""
    done = 0
    try:
        for extract, outlet_id in pairs:
            unmark_complete(app_engine(), extract, outlet_id, month, current_user().username)
            done += 1
    except BatchError as error:
        st.error(t("recon_mark_refused", reason=import_message(error.key, lang, **error.params)))
        if done:
            dataset_info.clear()  # the marks taken back before the refusal are gone
        return
    after_marking(t("recon_unmarked", count=done))


def render_marking() -> None:
    """Mark a batch's extracts complete, or unmark outlet-month extracts (stewards and admins)."""
    st.subheader(t("recon_mark_title"))
    st.caption(t("recon_mark_help"))
    batches = run_query(qr.extract_batches, unit["id"], month)
    waiting = batches[batches["unmarked"] > 0]
    if waiting.empty:
        st.caption(t("recon_nothing_to_mark"))
    else:
        described = {
            int(row.batch_id): t(
                "recon_batch_label",
                batch=int(row.batch_id),
                file=row.file_name,
                outlets=int(row.outlets),
                unmarked=int(row.unmarked),
            )
            for row in waiting.itertuples()
        }
        with st.form("recon_mark_form"):
            batch_id = st.selectbox(t("recon_mark_pick"), list(described), format_func=described.get)
            if st.form_submit_button(t("recon_mark_button"), type="primary"):
                mark_batch(int(batch_id))
    marked = coverage[coverage["complete"]]
    if not marked.empty:
        choices = {
            (row.extract, int(row.outlet_id)): f"{labels.get(int(row.outlet_id), row.code)} · "
            f"{extract_label(row.extract, lang)}"
            for row in marked.itertuples()
        }
        with st.form("recon_unmark_form"):
            chosen = st.multiselect(
                t("recon_unmark_pick"), list(choices), format_func=choices.get, placeholder=t("widget_choose")
            )
            if st.form_submit_button(t("recon_unmark_button")) and chosen:
                unmark_pairs(list(chosen))


lang = current_language()
unit = focus_unit()
st.title(t("recon_title"))
flash = st.session_state.pop("recon_flash", None)
if flash:
    st.success(flash)
months = run_query(qr.reconciliation_months, unit["id"])
if not months:
    st.info(t("recon_no_data"))
    st.stop()
followed = month_with_data(months)  # the sidebar month, or the newest month with data
month = st.selectbox(
    t("recon_month"),
    months,
    index=months.index(followed),
    format_func=lambda m: f"{m:%Y-%m}",
    key=f"recon_month_{followed:%Y%m}",  # a new sidebar month resets the choice
)

tolerance = load_tolerance()
tolerance_words = tolerance_texts(tolerance.absolute_rmb, tolerance.relative, lang)
labels = unit_label_map()
sides = run_query(qr.reconciliation_sides, unit["id"], month)
compared = compare(sides, tolerance)
statuses = outlet_status(compared)
coverage = run_query(qr.extract_coverage, unit["id"], month)
st.caption(t("recon_caption", unit=name_of(unit), month=f"{month:%Y-%m}", **tolerance_words))

compare_tab, coverage_tab = st.tabs([t("recon_tab_compare"), t("recon_tab_coverage")])

# --- Reconciliation --------------------------------------------------------------------------------
with compare_tab:
    counts = summary(compared)
    metric_cards(
        [
            (t("recon_card_outlets"), format_count(counts["outlets"], lang)),
            (t("recon_card_match"), format_count(counts["match"], lang)),
            (t("recon_card_differs"), format_count(counts["differs"], lang)),
            (t("recon_card_one_sided"), format_count(counts["one_sided_all"], lang)),
        ],
        key="recon_cards",
    )
    if compared.empty:
        st.info(t("recon_nothing", month=f"{month:%Y-%m}"))
    else:
        if not compared["account_value"].notna().any():
            st.warning(t("recon_no_accounts", month=f"{month:%Y-%m}"))
        elif counts["differs"] == 0:
            st.success(t("recon_all_match"))
        st.subheader(t("recon_table_title"))
        st.caption(t("recon_table_help"))
        only_flagged = st.toggle(t("recon_only_flagged"), value=False, key="recon_only_flagged")
        shown = statuses[statuses["status"] == "differs"] if only_flagged else statuses
        st.dataframe(difference_grid(compared, shown, labels, lang), hide_index=True, width="stretch")

        largest = largest_differences(compared, CHART_ROWS)
        if not largest.empty:
            divisor, money_unit = money_scale(largest["difference"], lang)
            largest = largest.iloc[::-1]  # the largest at the top of a horizontal bar chart
            names = [f"{labels.get(int(o), c)} · {metric_name(m, lang)}" for o, c, m in
                     zip(largest["outlet_id"], largest["code"], largest["metric_code"])]  # fmt: skip
            higher = largest["difference"] > 0
            chart = go.Figure(
                [
                    go.Bar(
                        y=[n for n, up in zip(names, higher) if up == positive],
                        x=[d / divisor for d, up in zip(largest["difference"], higher) if up == positive],
                        orientation="h",
                        name=t("recon_series_higher" if positive else "recon_series_lower"),
                        marker_color="#2c7fb8" if positive else "#d7301f",
                    )
                    for positive in (True, False)
                ]
            )
            chart.update_layout(
                title={"text": t("recon_chart_title", month=f"{month:%Y-%m}")},
                xaxis={
                    "title": {"text": axis_title(t("recon_axis_difference"), money_unit)},
                    "tickformat": ",~f",
                    "hoverformat": ",.2f",
                    "exponentformat": "none",
                },
                yaxis={"categoryorder": "array", "categoryarray": names},
                barmode="overlay",
                legend={"orientation": "h", "y": -0.2},
                height=max(320, 60 + 28 * len(names)),
            )
            st.plotly_chart(chart, key="recon_chart")

# --- Extract completeness --------------------------------------------------------------------------
with coverage_tab:
    st.caption(t("recon_coverage_caption", month=f"{month:%Y-%m}"))
    loaded = coverage["accounts"] > 0
    metric_cards(
        [
            (t("recon_coverage_cards_loaded"), format_count(int(loaded.sum()), lang)),
            (t("recon_coverage_cards_complete"), format_count(int(coverage["complete"].sum()), lang)),
            (t("recon_coverage_cards_missing"), format_count(int((~loaded).sum()), lang)),
        ],
        key="recon_coverage_cards",
        per_row=3,
    )
    st.dataframe(coverage_sheet(coverage, labels, lang, for_export=False), hide_index=True, width="stretch")
    if current_scope().role in MARKING_ROLES:
        render_marking()
    else:
        st.caption(t("recon_mark_steward_only"))

st.download_button(
    t("recon_download"),
    partial(frames_to_xlsx, export_sheets(compared, statuses, coverage, labels, lang)),
    file_name=f"reconciliation_{unit['code']}_{month:%Y-%m}.xlsx",
    mime=XLSX,
    key="recon_download",
    icon=":material/download:",
)

with st.expander(t("how_computed")):
    st.markdown(t("recon_how", **tolerance_words))

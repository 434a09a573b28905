"""Service quality: on-site 6S inspection scores (sort, set in order, shine, standardise, sustain,
safety) and mystery-shopper scores per outlet and over time, the items that lost points with the
inspectors' notes, and complaints by category linked to the outlet.

Inspections come in through the import pipeline (kind ``inspections``). Points are summed in SQL
(``data.queries_service.quality_*``); shares of the maximum are recomputed from the sums at every
level by ``analytics.service_quality``, never averaged.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.service_quality import complaint_matrix, item_ranking, monthly_shares, outlet_standing, score_share
from config.translations import TEXTS
from data import queries_service
from data.schema import INSPECTION_KINDS
from ui.cards import metric_cards
from ui.charts import style_month_axis
from ui.data_access import run_query
from ui.excel import frames_to_xlsx
from ui.format import MISSING, format_count, format_ratio
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.lobby_window import month_end
from ui.page_entry import enter_through_app
from ui.sidebar import focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

PERIOD_MONTHS = (3, 6, 12)
DEFAULT_MONTHS = 12
ITEM_KEYS = {key for key in TEXTS if key.startswith("qual_item_")}  # labels; unknown codes shown as they are
CATEGORY_KEYS = {key for key in TEXTS if key.startswith("qual_category_")}
CATEGORY_COLOURS = ["#d7301f", "#fc8d59", "#fdcc8a", "#74a9cf", "#2b8cbe", "#a6bddb", "#969696", "#636363"]

lang = current_language()
unit = focus_unit()
st.title(t("qual_title"))
period = run_query(queries_service.quality_period, unit["id"])
if period["last_inspection"] is None and period["last_complaint"] is None:
    st.caption(name_of(unit))
    st.info(t("qual_no_data"))
    st.stop()


def months_back(last: dt.date, months: int) -> dt.date:
    """First day of the month ``months − 1`` months before ``last``'s month."""
    index = last.year * 12 + last.month - 1 - (months - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


unit_labels = unit_label_map()


def label_of(unit_id) -> str:
    """Unique label of an outlet (tables are keyed on its id)."""
    return unit_labels.get(int(unit_id), "")


def pp(value) -> str:
    if value is None or not np.isfinite(value):
        return MISSING
    return t("qual_pp", value=f"{value * 100:+.1f}")


def item_label(item: str) -> str:
    key = f"qual_item_{item}"
    return t(key) if key in ITEM_KEYS else item


def category_label(category: str) -> str:
    key = f"qual_category_{category}"
    return t(key) if key in CATEGORY_KEYS else category


controls = st.columns([2, 1])
kind = controls[0].segmented_control(
    t("qual_kind"),
    INSPECTION_KINDS,
    default="six_s",
    format_func={k: t(f"qual_kind_{k}") for k in INSPECTION_KINDS}.get,
    key="qual_kind",
)
kind = kind or "six_s"
months = controls[1].selectbox(
    t("qual_period"),
    PERIOD_MONTHS,
    index=PERIOD_MONTHS.index(DEFAULT_MONTHS),
    format_func={m: t("qual_period_months", months=m) for m in PERIOD_MONTHS}.get,
    key="qual_months",
)
# The sidebar month applies: the period ends at the end of the selected month.
data_first = min(d for d in (period["first_inspection"], period["first_complaint"]) if d is not None)
data_last = max(d for d in (period["last_inspection"], period["last_complaint"]) if d is not None)
month = st.session_state.get("month")
last = month_end(month) if month is not None else data_last
if last < data_first:
    st.warning(t("qual_month_not_covered", month=f"{month:%Y-%m}", first=data_first, last=data_last))
    st.stop()
start = months_back(last, months)
st.caption(t("qual_caption", unit=name_of(unit), start=start.isoformat(), end=last.isoformat()))
if month is not None and month > data_last:
    st.warning(t("qual_month_after_data", month=f"{month:%Y-%m}", first=data_first, last=data_last))

scores = run_query(queries_service.quality_scores, unit["id"], kind, start, last)
losses = run_query(queries_service.quality_item_losses, unit["id"], kind, start, last)
complaints = run_query(queries_service.quality_complaints, unit["id"], start, last)

# --- Headline ------------------------------------------------------------------------------------
trend = monthly_shares(scores)
standing = outlet_standing(scores)
total_share = score_share(scores["score"].sum(), scores["max_score"].sum())
latest = trend.iloc[-1] if len(trend) else None
headline = [
    (t("qual_metric_share"), format_ratio(total_share)),
    (
        t("qual_metric_latest", month=latest["month"].strftime("%Y-%m") if latest is not None else MISSING),
        format_ratio(latest["share"]) if latest is not None else MISSING,
    ),
    (t("qual_metric_outlets"), format_count(scores["outlet_id"].nunique(), lang)),
    (t("qual_metric_visits"), format_count(scores.groupby("outlet_id")["visits"].sum().sum(), lang)),
    (t("qual_metric_complaints"), format_count(complaints["complaints"].sum(), lang)),
    (t("qual_metric_open"), format_count(complaints["still_open"].sum(), lang)),
]
metric_cards(headline, key="service_quality_headline")

if scores.empty:
    st.info(t("qual_no_inspections", kind=t(f"qual_kind_{kind}")))
else:
    # --- Over time ---------------------------------------------------------------------------------
    st.subheader(t("qual_trend_title"))
    labels = pd.to_datetime(trend["month"])  # month ticks in the session language (ui.charts)
    figure = go.Figure(
        [
            go.Scatter(
                x=labels,
                y=trend["best"] * 100,
                name=t("qual_series_best"),
                mode="lines",
                line={"color": "#a1d99b", "width": 1},
            ),
            go.Scatter(
                x=labels,
                y=trend["worst"] * 100,
                name=t("qual_series_worst"),
                mode="lines",
                line={"color": "#fc9272", "width": 1},
                fill="tonexty",
                fillcolor="rgba(200,200,200,0.25)",
            ),
            go.Scatter(
                x=labels,
                y=trend["share"] * 100,
                name=t("qual_series_unit", unit=name_of(unit)),
                mode="lines+markers",
                line={"color": "#08519c", "width": 3},
            ),
        ]
    )
    figure.update_layout(
        title={"text": t("qual_trend_chart", kind=t(f"qual_kind_{kind}"), unit=name_of(unit))},
        xaxis_title=t("qual_axis_month"),
        yaxis={"title": {"text": t("qual_axis_share")}, "range": [50, 100]},
        legend={"orientation": "h", "y": -0.25},
        height=400,
    )
    style_month_axis(figure, "x")
    st.plotly_chart(figure, key="qual_trend_chart")

    # --- Outlets ---------------------------------------------------------------------------------
    st.subheader(t("qual_outlets_title"))
    outlet_table = pd.DataFrame(
        {
            t("col_code"): standing["code"],
            t("col_name"): standing["outlet_id"].map(label_of),
            t("qual_col_share"): standing["share"].map(format_ratio),
            t("qual_col_latest_month"): standing["latest_month"].map(lambda m: m.strftime("%Y-%m")),
            t("qual_col_latest"): standing["latest"].map(format_ratio),
            t("qual_col_change"): standing["change"].map(pp),
            t("qual_col_losing"): standing["losing_per_visit"].map(lambda v: f"{v:.1f}" if np.isfinite(v) else MISSING),
        }
    )
    st.dataframe(outlet_table, hide_index=True, width="stretch", key="qual_outlet_table")
    st.caption(t("qual_outlets_caption"))

    # --- Items that lost points --------------------------------------------------------------------
    st.subheader(t("qual_items_title"))
    ranking = item_ranking(losses)
    item_figure = go.Figure(
        go.Bar(
            y=[item_label(i) for i in ranking["item"]][::-1],
            x=(ranking["lost_share"] * 100).to_numpy()[::-1],
            orientation="h",
            marker_color="#de2d26",
            customdata=np.stack([ranking["lost"], ranking["losing_rate"] * 100], axis=1)[::-1],
            hovertemplate="%{y}: %{x:.1f}%<br>%{customdata[0]:,.1f} · %{customdata[1]:.0f}%<extra></extra>",
            name=t("qual_series_lost"),
        )
    )
    item_figure.update_layout(
        title={"text": t("qual_items_chart", kind=t(f"qual_kind_{kind}"))},
        xaxis_title=t("qual_axis_lost"),
        yaxis_title=t("qual_axis_item"),
        height=max(300, 40 * len(ranking) + 120),
    )
    st.plotly_chart(item_figure, key="qual_items_chart")
    item_table = pd.DataFrame(
        {
            t("qual_col_item"): ranking["item"].map(item_label),
            t("qual_col_checks"): ranking["checks"].map(lambda v: format_count(v, lang)),
            t("qual_col_losing_rate"): ranking["losing_rate"].map(format_ratio),
            t("qual_col_lost"): ranking["lost"].map(lambda v: f"{v:,.1f}"),
            t("qual_col_lost_share"): ranking["lost_share"].map(format_ratio),
        }
    )
    st.dataframe(item_table, hide_index=True, width="stretch", key="qual_item_table")
    recent = run_query(queries_service.quality_recent_losses, unit["id"], kind, start, last, 200)
    notes_table = pd.DataFrame(
        {
            t("qual_col_date"): recent["inspected_on"].map(lambda d: d.isoformat()),
            t("col_code"): recent["code"],
            t("col_name"): recent["outlet_id"].map(label_of),
            t("qual_col_item"): recent["item"].map(item_label),
            t("qual_col_score"): [f"{s:g} / {m:g}" for s, m in zip(recent["score"], recent["max_score"])],
            t("qual_col_note"): recent["note"].fillna(MISSING),
        }
    )
    with st.expander(t("qual_notes_title", count=len(recent))):
        st.dataframe(notes_table, hide_index=True, width="stretch", key="qual_notes_table")

# --- Complaints ----------------------------------------------------------------------------------------
st.subheader(t("qual_complaints_title"))
if complaints.empty:
    st.info(t("qual_no_complaints"))
    matrix_table = pd.DataFrame()
else:
    by_month = complaints.pivot_table(
        index="month", columns="category", values="complaints", aggfunc="sum", fill_value=0
    ).sort_index()
    complaint_figure = go.Figure(
        [
            go.Bar(
                x=pd.to_datetime(by_month.index),
                y=by_month[category],
                name=category_label(category),
                marker_color=CATEGORY_COLOURS[index % len(CATEGORY_COLOURS)],
            )
            for index, category in enumerate(by_month.columns)
        ]
    )
    complaint_figure.update_layout(
        title={"text": t("qual_complaints_chart", unit=name_of(unit))},
        xaxis_title=t("qual_axis_month"),
        yaxis_title=t("qual_axis_complaints"),
        barmode="stack",
        legend={"orientation": "h", "y": -0.25},
        height=400,
    )
    style_month_axis(complaint_figure, "x")
    st.plotly_chart(complaint_figure, key="qual_complaints_chart")
    matrix = complaint_matrix(complaints).reset_index()
    categories = [c for c in matrix.columns if c not in ("outlet_id", "code", "name_zh", "name_en", "total")]
    matrix_table = pd.DataFrame(
        {
            t("col_code"): matrix["code"],
            t("col_name"): matrix["outlet_id"].map(label_of),
            **{category_label(c): matrix[c] for c in categories},
            t("qual_col_total"): matrix["total"],
        }
    )
    st.dataframe(matrix_table, hide_index=True, width="stretch", key="qual_complaint_table")
    st.caption(t("qual_complaints_caption"))

# --- Export and method ----------------------------------------------------------------------------------
sheets = {}
if not scores.empty:
    sheets = {
        t("qual_sheet_outlets"): outlet_table,
        t("qual_sheet_items"): item_table,
        t("qual_sheet_notes"): notes_table,
    }
if not matrix_table.empty:
    sheets[t("qual_sheet_complaints")] = matrix_table
if sheets:
    st.download_button(
        t("qual_download"),
        frames_to_xlsx(sheets),
        file_name=f"service_quality_{unit['code']}_{kind}_{last:%Y%m}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="qual_download",
    )
with st.expander(t("how_computed")):
    st.markdown(t("qual_how_computed"))

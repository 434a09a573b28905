"""Cost view (网点成本): construction and running cost, operating cost per customer and the
cost-income ratio of each unit below the one in focus, with drill-down along the hierarchy.

Sums come aggregated from ``data.queries_registry.cost_breakdown``; the unit's own totals are
the sums of its children's, and its ratios are recomputed from those sums, never averaged.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from data import queries, queries_registry
from data.queries_registry import COST_WINDOW_MONTHS
from ui.cards import card_grid
from ui.charts import axis_title, money_scale
from ui.data_access import run_query
from ui.excel import frames_to_xlsx
from ui.format import format_compact_count, format_compact_money, format_count, format_money, format_ratio
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.page_entry import enter_through_app
from ui.sidebar import focus_unit, set_focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BAR_COLOUR = "#1f77b4"
OVER_COLOUR = "#d62728"

lang = current_language()
unit = focus_unit()
month = st.session_state.get("month")
st.title(t("cost_title"))
if month is None:
    st.warning(t("no_kpi_data"))
    st.stop()
first = (pd.Timestamp(month) - pd.DateOffset(months=COST_WINDOW_MONTHS - 1)).strftime("%Y-%m")
st.caption(t("cost_caption", unit=name_of(unit), start=first, end=month.strftime("%Y-%m")))

trail = run_query(queries.breadcrumb, unit["id"])
if len(trail) > 1:
    crumbs = st.columns(len(trail))
    for column, step in zip(crumbs, trail):
        if column.button(name_of(step), key=f"cost_crumb_{step['id']}", disabled=step["id"] == unit["id"]):
            set_focus_unit(step["id"])
            st.rerun()

rows = run_query(queries_registry.cost_breakdown, unit["id"], month)
if rows.empty:
    st.info(t("cost_no_children"))
    st.stop()


def total_ratio(numerator: str, denominator: str) -> float | None:
    """A ratio of the unit from the sums of its children (never a mean of their ratios)."""
    below = rows[denominator].sum()
    return rows[numerator].sum() / below if below else None


unit_cir = total_ratio("operating_cost_rmb", "operating_income_rmb")


def money_card(value) -> tuple[str, str]:
    """(short text for the card, full text for its tooltip) of an amount in RMB."""
    return format_compact_money(value, lang), format_money(value, lang)


per_customer_total = total_ratio("operating_cost_rmb", "customers_active")
headline = [
    (t("cost_build"), *money_card(rows["build_cost_rmb"].sum())),
    (t("cost_running"), *money_card(rows["annual_running_cost_rmb"].sum())),
    (
        t("cost_outlets_open"),
        format_compact_count(rows["outlets_open"].sum(), lang),
        format_count(rows["outlets_open"].sum(), lang),
    ),
    (t("cost_operating"), *money_card(rows["operating_cost_rmb"].sum())),
    (t("cost_per_customer"), *money_card(per_customer_total)),
    (t("cost_income_ratio"), format_ratio(unit_cir), format_ratio(unit_cir)),
]
for card, (label, short, full) in zip(card_grid("cost_cards", len(headline), per_row=3), headline):
    with card:
        st.metric(label, short, help=full)

labels = unit_label_map()
names = pd.Series([labels.get(int(i), n) for i, n in zip(rows["id"], rows[f"name_{lang}"])], index=rows.index)
chart_rows = rows.assign(name=names).sort_values("cost_income_ratio", na_position="first")

left, right = st.columns(2)
with left:
    figure = go.Figure(
        go.Bar(
            x=chart_rows["cost_income_ratio"] * 100,
            y=chart_rows["name"],
            orientation="h",
            marker_color=[
                OVER_COLOUR if unit_cir is not None and ratio > unit_cir else BAR_COLOUR
                for ratio in chart_rows["cost_income_ratio"].fillna(0)
            ],
            hovertemplate="%{y}: %{x:.1f}%<extra></extra>",
        )
    )
    if unit_cir is not None:
        figure.add_vline(
            x=unit_cir * 100,
            line_dash="dash",
            annotation_text=t("cost_unit_line", value=format_ratio(unit_cir)),
            annotation_position="top",  # above the plot, never across the bars
        )
    figure.update_layout(
        title=t("cost_chart_cir"),
        xaxis={"title": {"text": t("cost_axis_cir")}, "tickformat": ",~f", "exponentformat": "none"},
        height=max(320, 26 * len(chart_rows) + 120),
        margin={"l": 10, "r": 10, "t": 80, "b": 40},
    )
    st.plotly_chart(figure, width="stretch")
with right:
    per_customer = rows.assign(name=names).sort_values("cost_per_customer_rmb", na_position="first")
    divisor, money_unit = money_scale(per_customer["cost_per_customer_rmb"].dropna(), lang)
    figure = go.Figure(
        go.Bar(
            x=per_customer["cost_per_customer_rmb"] / divisor,
            y=per_customer["name"],
            orientation="h",
            marker_color=BAR_COLOUR,
            customdata=[format_money(v, lang) for v in per_customer["cost_per_customer_rmb"]],
            hovertemplate="%{y}: %{customdata}<extra></extra>",
        )
    )
    figure.update_layout(
        title=t("cost_chart_per_customer"),
        xaxis={
            "title": {"text": axis_title(t("cost_axis_per_customer"), money_unit)},
            "tickformat": ",~f",
            "exponentformat": "none",
        },
        height=max(320, 26 * len(per_customer) + 120),
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
    )
    st.plotly_chart(figure, width="stretch")

table = pd.DataFrame(
    {
        t("col_code"): rows["code"],
        t("col_name"): names,
        t("cost_outlets_open"): rows["outlets_open"].map(lambda v: format_count(v, lang)),
        t("cost_build"): rows["build_cost_rmb"].map(lambda v: format_money(v, lang)),
        t("cost_running"): rows["annual_running_cost_rmb"].map(lambda v: format_money(v, lang)),
        t("cost_operating"): rows["operating_cost_rmb"].map(lambda v: format_money(v, lang)),
        t("cost_income"): rows["operating_income_rmb"].map(lambda v: format_money(v, lang)),
        t("cost_customers"): rows["customers_active"].map(lambda v: format_count(v, lang)),
        t("cost_per_customer"): rows["cost_per_customer_rmb"].map(lambda v: format_money(v, lang)),
        t("cost_income_ratio"): rows["cost_income_ratio"].map(format_ratio),
    }
)
st.subheader(t("cost_table_title"))
if unit["level"] != "outlet":
    st.caption(t("cost_drill_help"))
selection = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key=f"cost_rows_{unit['id']}",
)
if selection.selection.rows and unit["level"] != "outlet":
    set_focus_unit(int(rows.loc[selection.selection.rows[0], "id"]))
    st.rerun()

st.download_button(
    t("cost_export"),
    frames_to_xlsx({t("cost_title"): rows.drop(columns=["id"]).assign(label=names)}),
    file_name=f"costs_{unit['code']}_{month:%Y-%m}.xlsx",
    mime=XLSX,
    key="cost_export",
)
with st.expander(t("how_computed")):
    st.markdown(t("cost_how", months=COST_WINDOW_MONTHS))

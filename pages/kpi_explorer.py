"""KPI explorer: any catalogue metrics of the focus unit over a month, quarter, year to date or
custom period, against the previous period, the same period last year and the target; drill-down
to the children and back through the breadcrumb; per-product detail; trends with seasonality;
every table exportable to Excel."""

from __future__ import annotations

from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.reconciliation import base_codes_of, figure_sources, has_account_figures
from analytics.targets import (
    PERIOD_KINDS,
    PeriodError,
    assess_targets,
    make_period,
    seasonal_overlay,
    shares_of_total,
)
from config.metrics import BY_CODE, CATALOGUE, DETAIL_GROUPS, components
from data import queries
from data import queries_performance as performance
from data import queries_reconciliation as reconciliation
from ui.cards import card_grid, delta_style
from ui.charts import style_month_axis
from ui.data_access import run_query
from ui.excel import frames_to_xlsx
from ui.format import MISSING, format_change, format_compact, format_ratio, format_value, month_of_year_label
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.metric_axes import metric_axis
from ui.page_entry import enter_through_app
from ui.rag import rag_label, rag_markdown, style_rag_column
from ui.sidebar import focus_unit, set_focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

DEFAULT_CODES = ["deposits_total", "loans_total", "fee_income_total", "e_channel_rate"]
# The per-product detail lists DETAIL_GROUPS (each detail category's amounts, derived from the
# catalogue); its share column relates them to these totals; the fee chart shows fee income's parts.
DETAIL_TOTALS = {"deposits": "deposits_total", "loans": "loans_total", "income": "fee_income_total"}
FEE_PRODUCTS = components(BY_CODE[DETAIL_TOTALS["income"]])[0]
YEAR_COLOURS = ["#bdbdbd", "#74a9cf", "#2b8cbe", "#045a8d", "#023858"]

lang = current_language()

unit = focus_unit()
month = st.session_state.get("month")
st.title(t("kpi_title"))
if month is None:
    st.warning(t("no_kpi_data"))
    st.stop()


def metric_label(code: str) -> str:
    metric = BY_CODE[code]
    return metric.name_zh if lang == "zh" else metric.name_en


def fmt(value, code: str) -> str:
    return format_value(value, BY_CODE[code].unit, lang)


def source_label(source) -> str:
    """ "指标导入" / "账户明细" / "混合" for a figure's source (—  without figures)."""
    return t(f"kpisrc_{source}") if isinstance(source, str) else MISSING


def download(sheets: dict[str, pd.DataFrame], name: str, key: str) -> None:
    # The workbook is built when the button is clicked, not on every rerun (four workbooks were
    # a quarter of the page's time).
    st.download_button(
        t("kpi_download"),
        partial(frames_to_xlsx, sheets),
        file_name=f"{name}_{unit['code']}_{period.label().replace(' – ', '_')}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=key,
        icon=":material/download:",
    )


# --- Breadcrumb: back up the tree -----------------------------------------------------------------
crumbs = run_query(queries.breadcrumb, unit["id"])
crumb_columns = st.columns([1] * len(crumbs) + [max(6 - len(crumbs), 1)])
for column, crumb in zip(crumb_columns, crumbs):
    if crumb["id"] == unit["id"]:
        column.markdown(f"**{name_of(crumb)}**")
    else:
        column.button(
            f"{name_of(crumb)} ›",
            key=f"kpi_crumb_{crumb['id']}",
            on_click=set_focus_unit,
            args=(crumb["id"],),
            type="tertiary",
        )

# --- Controls -----------------------------------------------------------------------------------
metric_labels = {m.code: metric_label(m.code) for m in CATALOGUE}
kind_labels = {kind: t(f"kpi_period_{kind}") for kind in PERIOD_KINDS}
months = run_query(queries.kpi_months, unit["id"]) or [month]
month_labels = {m: m.strftime("%Y-%m") for m in months}

controls = st.columns([3, 2])
codes = controls[0].multiselect(
    t("kpi_metrics"),
    list(metric_labels),
    default=DEFAULT_CODES,
    format_func=metric_labels.get,
    key="kpi_metrics",
    placeholder=t("widget_choose"),
)
kind = controls[1].segmented_control(
    t("kpi_period"), list(PERIOD_KINDS), default="month", format_func=kind_labels.get, key="kpi_period_kind"
)
kind = kind or "month"
start = None
end = month
if kind == "custom":
    custom = st.columns(2)
    start = custom[0].selectbox(
        t("kpi_custom_start"),
        months,
        index=min(11, len(months) - 1),
        format_func=month_labels.get,
        key="kpi_custom_start",
    )
    end = custom[1].selectbox(t("kpi_custom_end"), months, format_func=month_labels.get, key="kpi_custom_end")
try:
    period = make_period(kind, end, start)
except PeriodError as error:
    st.error(t(error.key, **error.values))
    st.stop()
if not codes:
    st.info(t("kpi_pick_metrics"))
    st.stop()
codes = list(codes)

children = run_query(performance.kpi_period_by_child, unit["id"], tuple(codes), kind, end, start)
caption = [t("kpi_caption", unit=name_of(unit), period=period.label(), kind=kind_labels[kind])]
if len(crumbs) > 1:
    caption.append(t("kpi_caption_up"))
if not children.empty:
    caption.append(t("kpi_caption_down"))  # only where there is a table of children to click
st.caption(" ".join(caption))

# --- Summary: value, comparisons, target ----------------------------------------------------------
with st.spinner(t("loading")):
    # One query for the chosen metrics and the per-product detail below (the chosen ones first).
    detail_codes = tuple(code for group in DETAIL_GROUPS.values() for code in group)
    read_codes = tuple(dict.fromkeys([*codes, *detail_codes]))
    summaries = run_query(performance.kpi_period_summary, unit["id"], read_codes, kind, end, start)
summary = summaries.iloc[: len(codes)].reset_index(drop=True)
if int(summary["months_with_data"].iloc[0]) == 0:
    st.warning(t("kpi_no_data_period", period=period.label()))
    st.stop()
if int(summary["months_with_data"].iloc[0]) < period.length:
    st.info(t("kpi_partial_period", months=int(summary["months_with_data"].iloc[0]), length=period.length))
assessed = assess_targets(summary.rename(columns={"value": "actual"}), period.end, period_months=period.length)
# Where the figures came from (KPI import or account extracts): shown only when some outlet-month
# value of the chosen metrics was derived from account extracts, so an import-only view is unchanged.
source_counts = run_query(
    reconciliation.kpi_source_counts, unit["id"], base_codes_of(codes), period.start, period.end, "total"
)
sources = None
if has_account_figures(source_counts):
    sources = figure_sources(source_counts, codes, period.end).set_index("metric_code")

st.subheader(t("kpi_summary_title"))
headline = assessed.head(4)
for card, row in zip(card_grid("kpi_cards", len(headline)), headline.itertuples(index=False)):
    metric = BY_CODE[row.metric_code]
    change = format_change(row.actual, row.previous, metric.unit, lang)
    with card:
        st.metric(
            metric_label(row.metric_code),
            format_compact(row.actual, metric.unit, lang),
            delta=f"{change} {t('kpi_vs_previous')}" if change else None,
            help=fmt(row.actual, row.metric_code),
            **delta_style(change, metric.higher_is_better),
        )
        year_change = format_change(row.actual, row.last_year, metric.unit, lang)
        st.caption(f"{t('kpi_vs_last_year')}: {year_change or MISSING} · {t('kpi_target')}: {rag_markdown(row.rag)}")

summary_table = pd.DataFrame(
    {
        t("kpi_col_metric"): [metric_label(c) for c in assessed["metric_code"]],
        t("kpi_col_value"): [fmt(v, c) for v, c in zip(assessed["actual"], assessed["metric_code"])],
        t("kpi_col_previous"): [fmt(v, c) for v, c in zip(assessed["previous"], assessed["metric_code"])],
        t("kpi_col_change_previous"): [
            format_change(v, p, BY_CODE[c].unit, lang) or MISSING
            for v, p, c in zip(assessed["actual"], assessed["previous"], assessed["metric_code"])
        ],
        t("kpi_col_last_year"): [fmt(v, c) for v, c in zip(assessed["last_year"], assessed["metric_code"])],
        t("kpi_col_change_last_year"): [
            format_change(v, p, BY_CODE[c].unit, lang) or MISSING
            for v, p, c in zip(assessed["actual"], assessed["last_year"], assessed["metric_code"])
        ],
        t("kpi_col_target_to_date"): [fmt(v, c) for v, c in zip(assessed["target_to_date"], assessed["metric_code"])],
        t("kpi_col_attainment"): [format_ratio(v) for v in assessed["attainment"]],
        t("kpi_col_completion"): [format_ratio(v) for v in assessed["completion"]],
        t("kpi_col_rag"): [rag_label(c) for c in assessed["rag"]],
    }
)
if sources is not None:
    summary_table[t("kpisrc_col_source")] = [source_label(sources["source"].get(c)) for c in assessed["metric_code"]]
st.dataframe(style_rag_column(summary_table, t("kpi_col_rag")), hide_index=True, width="stretch")
if sources is not None:
    mixed = sources[sources["source"] == "mixed"]
    if not mixed.empty:
        st.info(
            t(
                "kpisrc_mixed_notice",
                metrics=("、" if lang == "zh" else ", ").join(metric_label(c) for c in mixed.index),
                imports=int(mixed["import_figures"].sum()),
                accounts=int(mixed["account_figures"].sum()),
            )
        )
    st.caption(t("kpisrc_legend"))
summary_export = pd.DataFrame(
    {
        t("kpi_col_code"): assessed["metric_code"],
        t("kpi_col_metric"): [metric_label(c) for c in assessed["metric_code"]],
        t("kpi_col_unit"): [BY_CODE[c].unit for c in assessed["metric_code"]],
        t("kpi_col_value"): assessed["actual"],
        t("kpi_col_previous"): assessed["previous"],
        t("kpi_col_last_year"): assessed["last_year"],
        t("kpi_col_target"): assessed["target"],
        t("kpi_col_target_to_date"): assessed["target_to_date"],
        t("kpi_col_attainment"): assessed["attainment"],
        t("kpi_col_completion"): assessed["completion"],
        t("kpi_col_rag"): [t(f"kpi_rag_{c}") if isinstance(c, str) else "" for c in assessed["rag"]],
    }
)
if sources is not None:
    summary_export[t("kpisrc_col_source")] = [source_label(sources["source"].get(c)) for c in assessed["metric_code"]]
download({t("kpi_sheet_summary"): summary_export}, "kpi_summary", "kpi_download_summary")

# --- Drill-down into the children -------------------------------------------------------------------
if not children.empty:
    level = children["level"].iloc[0]
    st.subheader(t("kpi_drill_title", level=t(f"level_{level}")))
    st.caption(t("kpi_drill_help"))
    drill_code = st.selectbox(t("kpi_drill_metric"), codes, format_func=metric_labels.get, key="kpi_drill_metric")
    units = children.drop_duplicates("id").set_index("id")
    focus = assess_targets(
        children[children["metric_code"] == drill_code].rename(columns={"value": "actual"}),
        period.end,
        period_months=period.length,
    ).set_index("id")
    has_data = children.groupby("id")["value"].apply(lambda v: v.notna().any())
    units = units[(units["status"] == "open") | has_data.reindex(units.index).fillna(False)]
    labels = unit_label_map()
    units = units.assign(label=[labels.get(int(i), name) for i, name in zip(units.index, units[f"name_{lang}"])])
    drill_table = pd.DataFrame({t("col_code"): units["code"], t("col_name"): units["label"]})
    wide = children.pivot_table(index="id", columns="metric_code", values="value", aggfunc="first")
    for code in codes:
        values = wide[code] if code in wide.columns else pd.Series(dtype=float)
        drill_table[metric_label(code)] = [fmt(values.get(i), code) for i in units.index]
    metric = BY_CODE[drill_code]
    drill_table[t("kpi_col_change_previous")] = [
        format_change(focus.at[i, "actual"], focus.at[i, "previous"], metric.unit, lang) or MISSING for i in units.index
    ]
    drill_table[t("kpi_col_change_last_year")] = [
        format_change(focus.at[i, "actual"], focus.at[i, "last_year"], metric.unit, lang) or MISSING
        for i in units.index
    ]
    drill_table[t("kpi_col_attainment")] = [format_ratio(focus.at[i, "attainment"]) for i in units.index]
    drill_table[t("kpi_col_rag")] = [rag_label(focus.at[i, "rag"]) for i in units.index]
    if sources is not None:  # the drill metric's source per child
        child_counts = run_query(
            reconciliation.kpi_source_counts, unit["id"], base_codes_of([drill_code]), period.start, period.end, "child"
        )
        child_sources = figure_sources(child_counts, [drill_code], period.end).set_index("group_id")["source"]
        drill_table[t("kpisrc_col_source")] = [source_label(child_sources.get(i)) for i in units.index]
    units = units.reset_index()
    selection = st.dataframe(
        style_rag_column(drill_table.reset_index(drop=True), t("kpi_col_rag")),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=f"kpi_children_{unit['id']}",
    )
    if selection.selection.rows:
        set_focus_unit(int(units.loc[selection.selection.rows[0], "id"]))
        st.rerun()

    chart_units = units[units["id"].isin(focus.index)]  # one bar per unit id, labelled uniquely
    chart_ids = list(chart_units["id"])
    drill_axis = metric_axis(
        [focus.at[i, c] for i in chart_ids for c in ("actual", "last_year", "target_to_date")],
        metric.unit,
        metric_label(drill_code),
    )
    bars = go.Figure(
        [
            go.Bar(
                x=chart_units["label"],
                y=drill_axis.scale(focus.at[i, "actual"] for i in chart_ids),
                name=t("kpi_series_actual"),
                marker_color="#2c7fb8",
            ),
            go.Bar(
                x=chart_units["label"],
                y=drill_axis.scale(focus.at[i, "last_year"] for i in chart_ids),
                name=t("kpi_series_last_year"),
                marker_color="#bdbdbd",
            ),
            go.Scatter(
                x=chart_units["label"],
                y=drill_axis.scale(focus.at[i, "target_to_date"] for i in chart_ids),
                name=t("kpi_series_target"),
                mode="markers",
                marker={"symbol": "line-ew-open", "size": 28, "color": "#d7301f", "line": {"width": 3}},
            ),
        ]
    )
    bars.update_layout(
        title={"text": t("kpi_drill_chart", metric=metric_label(drill_code), period=period.label())},
        yaxis=drill_axis.layout(),
        barmode="group",
        legend={"orientation": "h", "y": -0.3},
        height=400,
    )
    st.plotly_chart(bars, key="kpi_drill_chart")
    drill_export = (
        children.rename(columns={"value": "actual"})
        .assign(label=[labels.get(int(i), name) for i, name in zip(children["id"], children[f"name_{lang}"])])[
            ["code", "label", "metric_code", "actual", "previous", "last_year", "target"]
        ]
        .rename(
            columns={
                "code": t("col_code"),
                "label": t("col_name"),
                "metric_code": t("kpi_col_code"),
                "actual": t("kpi_col_value"),
                "previous": t("kpi_col_previous"),
                "last_year": t("kpi_col_last_year"),
                "target": t("kpi_col_target"),
            }
        )
    )
    download({t("kpi_sheet_children"): drill_export}, "kpi_children", "kpi_download_children")

# --- Per-product detail -------------------------------------------------------------------------------
st.subheader(t("kpi_detail_title"))
detail = summaries.set_index("metric_code").loc[list(detail_codes)]
detail_exports = {}
for tab, (group, group_codes) in zip(st.tabs([t(f"kpi_detail_{g}") for g in DETAIL_GROUPS]), DETAIL_GROUPS.items()):
    rows = detail.loc[list(group_codes)]
    total_code = DETAIL_TOTALS.get(group)
    shares = shares_of_total(rows["value"], detail.at[total_code, "value"]) if total_code else None
    table = pd.DataFrame(
        {
            t("kpi_col_metric"): [metric_label(c) for c in group_codes],
            t("kpi_col_value"): [fmt(rows.at[c, "value"], c) for c in group_codes],
            t("kpi_col_share"): [format_ratio(shares[c]) for c in group_codes] if shares is not None else MISSING,
            t("kpi_col_change_previous"): [
                format_change(rows.at[c, "value"], rows.at[c, "previous"], BY_CODE[c].unit, lang) or MISSING
                for c in group_codes
            ],
            t("kpi_col_change_last_year"): [
                format_change(rows.at[c, "value"], rows.at[c, "last_year"], BY_CODE[c].unit, lang) or MISSING
                for c in group_codes
            ],
        }
    )
    with tab:
        st.dataframe(table, hide_index=True, width="stretch")
        if group == "income":
            fees = detail.loc[list(FEE_PRODUCTS)]
            fee_axis = metric_axis([*fees["value"], *fees["last_year"]], "rmb", t("kpi_detail_income"))
            fee_chart = go.Figure(
                [
                    go.Bar(
                        x=[metric_label(c) for c in FEE_PRODUCTS],
                        y=fee_axis.scale(fees["value"]),
                        name=t("kpi_series_actual"),
                        marker_color="#2c7fb8",
                    ),
                    go.Bar(
                        x=[metric_label(c) for c in FEE_PRODUCTS],
                        y=fee_axis.scale(fees["last_year"]),
                        name=t("kpi_series_last_year"),
                        marker_color="#bdbdbd",
                    ),
                ]
            )
            fee_chart.update_layout(
                title={"text": t("kpi_fee_chart", period=period.label())},
                yaxis=fee_axis.layout(),
                barmode="group",
                legend={"orientation": "h", "y": -0.3},
                height=380,
            )
            st.plotly_chart(fee_chart, key="kpi_fee_chart")
    detail_exports[t(f"kpi_detail_{group}")] = pd.DataFrame(
        {
            t("kpi_col_code"): group_codes,
            t("kpi_col_metric"): [metric_label(c) for c in group_codes],
            t("kpi_col_value"): rows["value"].to_numpy(),
            t("kpi_col_previous"): rows["previous"].to_numpy(),
            t("kpi_col_last_year"): rows["last_year"].to_numpy(),
        }
    )
download(detail_exports, "kpi_detail", "kpi_download_detail")

# --- Trend and seasonality ---------------------------------------------------------------------------
st.subheader(t("kpi_trend_title"))
trend_code = st.selectbox(t("kpi_trend_metric"), codes, format_func=metric_labels.get, key="kpi_trend_metric")
trend_metric = BY_CODE[trend_code]
series = run_query(performance.kpi_monthly_series, unit["id"], (trend_code,))
trend_columns = st.columns(2)
trend_axis = metric_axis(series["value"], trend_metric.unit, metric_label(trend_code))
line = go.Figure(
    go.Scatter(
        x=[pd.Timestamp(m) for m in series["month"]],
        y=trend_axis.scale(series["value"]),
        mode="lines+markers",
        name=metric_label(trend_code),
        line={"color": "#2c7fb8"},
    )
)
# The band spans the chosen months (half a month either side of their first days); its label sits
# above the plot so it never covers the line.
line.add_vrect(
    x0=pd.Timestamp(period.start) - pd.Timedelta(days=15),
    x1=pd.Timestamp(period.end) + pd.Timedelta(days=15),
    fillcolor="#fdae6b",
    opacity=0.25,
    line_width=0,
    annotation_text=t("kpi_trend_period_band"),
    annotation_position="outside top",
)
line.update_layout(
    title={"text": t("kpi_trend_chart", metric=metric_label(trend_code))},
    xaxis_title=t("kpi_axis_month"),
    yaxis=trend_axis.layout(),
    height=380,
    margin={"t": 80},
)
style_month_axis(line, "x")
trend_columns[0].plotly_chart(line, key="kpi_trend_chart")
overlay = seasonal_overlay(series)
season = go.Figure(
    [
        go.Scatter(
            x=list(range(1, 13)),
            y=trend_axis.scale(overlay.loc[year].tolist()),
            mode="lines+markers",
            name=str(year),
            line={"color": YEAR_COLOURS[-len(overlay) + i] if len(overlay) <= len(YEAR_COLOURS) else None},
        )
        for i, year in enumerate(overlay.index)
    ]
)
season.update_layout(
    title={"text": t("kpi_season_chart", metric=metric_label(trend_code))},
    xaxis={
        "title": t("kpi_axis_month_of_year"),
        "tickmode": "array",
        "tickvals": list(range(1, 13)),
        "ticktext": [month_of_year_label(m, lang) for m in range(1, 13)],
    },
    yaxis=trend_axis.layout(),
    legend={"title": t("kpi_legend_year")},
    height=380,
)
trend_columns[1].plotly_chart(season, key="kpi_season_chart")
trend_export = pd.DataFrame(
    {
        t("kpi_axis_month"): series["month"],
        t("kpi_col_code"): series["metric_code"],
        t("kpi_col_value"): series["value"],
    }
)
download({t("kpi_sheet_trend"): trend_export}, "kpi_trend", "kpi_download_trend")

# --- How the numbers are computed --------------------------------------------------------------------
with st.expander(t("how_computed")):
    st.markdown(t("kpi_how_periods"))
    st.markdown(t("kpi_how_targets"))
    for code in codes:
        metric = BY_CODE[code]
        description = metric.description_zh if lang == "zh" else metric.description_en
        aggregation = t(f"kpi_time_{metric.time_aggregation}")
        st.markdown(f"- **{metric_label(code)}**: {description or t('how_base_metric')} ({aggregation})")

"""My outlet (a branch head's landing page): today's position on each target with red/amber/green
by the metric's direction, month and year to date, rank among peers with movement, the three
biggest gaps with the products and customers behind them, and the outlet's alerts."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.targets import assess_targets, biggest_gaps, make_period
from config.metrics import BY_CODE, CATALOGUE
from data import queries_performance as performance
from ui.cards import card_grid
from ui.data_access import app_engine, run_query
from ui.excel import frames_to_xlsx
from ui.format import MISSING, format_change, format_ratio, format_value
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.page_entry import enter_through_app
from ui.rag import RAG_BADGE_COLOURS, RAG_BAR_COLOURS, rag_label, style_rag_column
from ui.session import current_scope
from ui.sidebar import focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

RANK_CODES = [
    "deposits_total",
    "loans_total",
    "fee_income_total",
    "customers_vip",
    "e_channel_rate",
    "avg_wait_minutes",
]
GAP_BALANCES = {"deposits": "deposit", "loans": "loan"}
ALL_CODES = tuple(m.code for m in CATALOGUE)

lang = current_language()
scope = current_scope()

unit = focus_unit()
month = st.session_state.get("month")
st.title(t("myoutlet_title"))
if month is None:
    st.warning(t("no_kpi_data"))
    st.stop()
st.caption(t("myoutlet_caption", unit=name_of(unit), month=month.strftime("%Y-%m")))


def metric_label(code: str) -> str:
    metric = BY_CODE[code]
    return metric.name_zh if lang == "zh" else metric.name_en


def fmt(value, code: str) -> str:
    return format_value(value, BY_CODE[code].unit, lang)


# --- Position on each target -------------------------------------------------------------------------
ytd_period = make_period("ytd", month)
with st.spinner(t("loading")):
    ytd = run_query(performance.kpi_period_summary, unit["id"], ALL_CODES, "ytd", month, None)
    mtd = run_query(performance.kpi_period_summary, unit["id"], ALL_CODES, "month", month, None).set_index(
        "metric_code"
    )
with_target = ytd[ytd["target"].notna()]
st.subheader(t("myoutlet_targets_title"))
if with_target.empty:
    st.info(t("myoutlet_no_targets"))
    assessed = pd.DataFrame(columns=["metric_code", "attainment"])
else:
    assessed = assess_targets(with_target.rename(columns={"value": "actual"}), month, period_months=ytd_period.length)
    st.caption(t("myoutlet_targets_help", months=ytd_period.length))
    for card, row in zip(card_grid("myoutlet_cards", len(assessed)), assessed.itertuples(index=False)):
        with card:
            st.markdown(f"**{metric_label(row.metric_code)}**")
            if row.rag in RAG_BADGE_COLOURS:
                st.badge(t(f"kpi_rag_{row.rag}"), color=RAG_BADGE_COLOURS[row.rag])
            st.metric(
                t(f"myoutlet_completion_{row.kind}"),
                format_ratio(row.completion),
                delta=t("myoutlet_attainment", value=format_ratio(row.attainment)),
                delta_color="off",
                delta_arrow="off",  # attainment is a level, not a change: no arrow
            )
            st.caption(
                t(
                    "myoutlet_card_detail",
                    mtd=fmt(mtd.at[row.metric_code, "value"], row.metric_code),
                    ytd=fmt(row.actual, row.metric_code),
                    due=fmt(row.target_to_date, row.metric_code),
                    target=fmt(row.target, row.metric_code),
                )
            )
    target_table = pd.DataFrame(
        {
            t("kpi_col_metric"): [metric_label(c) for c in assessed["metric_code"]],
            t("myoutlet_col_mtd"): [fmt(mtd.at[c, "value"], c) for c in assessed["metric_code"]],
            t("myoutlet_col_ytd"): [fmt(v, c) for v, c in zip(assessed["actual"], assessed["metric_code"])],
            t("kpi_col_target"): [fmt(v, c) for v, c in zip(assessed["target"], assessed["metric_code"])],
            t("kpi_col_target_to_date"): [
                fmt(v, c) for v, c in zip(assessed["target_to_date"], assessed["metric_code"])
            ],
            t("kpi_col_completion"): [format_ratio(v) for v in assessed["completion"]],
            t("kpi_col_attainment"): [format_ratio(v) for v in assessed["attainment"]],
            t("kpi_col_rag"): [rag_label(c) for c in assessed["rag"]],
        }
    )
    attainment_chart = go.Figure(
        go.Bar(
            x=assessed["attainment"].clip(upper=2.0),
            y=[metric_label(c) for c in assessed["metric_code"]],
            orientation="h",
            marker_color=[RAG_BAR_COLOURS.get(c, "#bdbdbd") for c in assessed["rag"]],
            text=[format_ratio(v) for v in assessed["attainment"]],
            textposition="outside",
            name=t("kpi_col_attainment"),
        )
    )
    attainment_chart.add_vline(
        x=1.0, line_dash="dot", line_color="#444", annotation_text="100%", annotation_position="top"
    )
    attainment_chart.update_layout(
        title={"text": t("myoutlet_attainment_chart", month=month.strftime("%Y-%m"))},
        margin={"t": 80},
        xaxis={"title": t("kpi_col_attainment"), "tickformat": ".0%"},
        height=80 + 40 * len(assessed),
        showlegend=False,
    )
    st.plotly_chart(attainment_chart, key="myoutlet_attainment_chart")
    with st.expander(t("myoutlet_targets_table")):
        st.dataframe(style_rag_column(target_table, t("kpi_col_rag")), hide_index=True, width="stretch")

# --- Month and year to date ----------------------------------------------------------------------------
st.subheader(t("myoutlet_todate_title"))
todate_codes = [c for c in RANK_CODES + ["customers_new", "complaints"] if c in mtd.index]
ytd_by_code = ytd.set_index("metric_code")
todate = pd.DataFrame(
    {
        t("kpi_col_metric"): [metric_label(c) for c in todate_codes],
        t("myoutlet_col_mtd"): [fmt(mtd.at[c, "value"], c) for c in todate_codes],
        t("myoutlet_col_mtd_change"): [
            format_change(mtd.at[c, "value"], mtd.at[c, "previous"], BY_CODE[c].unit, lang) or MISSING
            for c in todate_codes
        ],
        t("myoutlet_col_ytd"): [fmt(ytd_by_code.at[c, "value"], c) for c in todate_codes],
        t("myoutlet_col_ytd_change"): [
            format_change(ytd_by_code.at[c, "value"], ytd_by_code.at[c, "last_year"], BY_CODE[c].unit, lang) or MISSING
            for c in todate_codes
        ],
    }
)
st.dataframe(todate, hide_index=True, width="stretch")
st.caption(t("myoutlet_todate_help"))

# --- Rank among peers --------------------------------------------------------------------------------
st.subheader(t("myoutlet_rank_title"))
ranks = run_query(performance.peer_rank, unit["id"], tuple(RANK_CODES), month)


def movement(rank, previous) -> str:
    if pd.isna(rank) or pd.isna(previous):
        return MISSING
    if rank < previous:
        return f"▲ {int(previous - rank)}"
    if rank > previous:
        return f"▼ {int(rank - previous)}"
    return "＝"


rank_table = pd.DataFrame(
    {
        t("kpi_col_metric"): [metric_label(c) for c in ranks["metric_code"]],
        t("kpi_col_value"): [fmt(v, c) for v, c in zip(ranks["value"], ranks["metric_code"])],
        t("myoutlet_col_rank"): [
            f"{int(r)} / {int(n)}" if pd.notna(r) else MISSING for r, n in zip(ranks["rank"], ranks["peers"])
        ],
        t("myoutlet_col_previous_rank"): [
            f"{int(r)} / {int(n)}" if pd.notna(r) else MISSING
            for r, n in zip(ranks["previous_rank"], ranks["previous_peers"])
        ],
        t("myoutlet_col_movement"): [movement(r, p) for r, p in zip(ranks["rank"], ranks["previous_rank"])],
        t("myoutlet_col_peer_median"): [fmt(v, c) for v, c in zip(ranks["peer_median"], ranks["metric_code"])],
    }
)
st.dataframe(rank_table, hide_index=True, width="stretch")
definition = ranks["definition"].iloc[0] if not ranks.empty else "siblings"
st.caption(t(f"myoutlet_peers_{definition}"))

# --- The three biggest gaps ----------------------------------------------------------------------------
st.subheader(t("myoutlet_gaps_title"))
gaps = biggest_gaps(assessed, 3) if not assessed.empty else assessed
gap_exports: dict[str, pd.DataFrame] = {}
if gaps.empty:
    st.success(t("myoutlet_no_gaps"))
for row in gaps.itertuples(index=False):
    code = row.metric_code
    with st.container(border=True):
        st.markdown(
            t(
                "myoutlet_gap_line",
                metric=metric_label(code),
                shortfall=format_ratio(row.shortfall),
                gap=fmt(abs(row.gap), code),
            )
        )
        drivers = run_query(performance.component_changes, unit["id"], code, month)
        if len(drivers) > 1 or drivers["metric_code"].iloc[0] != code:
            compare = t(f"myoutlet_compare_{drivers['compare'].iloc[0]}")
            driver_table = pd.DataFrame(
                {
                    t("myoutlet_col_product"): [metric_label(c) for c in drivers["metric_code"]],
                    t("kpi_col_value"): [fmt(v, c) for v, c in zip(drivers["value"], drivers["metric_code"])],
                    compare: [fmt(v, c) for v, c in zip(drivers["compare_value"], drivers["metric_code"])],
                    t("myoutlet_col_change"): [
                        format_change(v, p, BY_CODE[c].unit, lang) or MISSING
                        for v, p, c in zip(drivers["value"], drivers["compare_value"], drivers["metric_code"])
                    ],
                }
            )
            st.markdown(t("myoutlet_products_behind"))
            st.dataframe(driver_table, hide_index=True, width="stretch")
            gap_exports[f"{code} products"] = drivers
        balance = GAP_BALANCES.get(BY_CODE[code].category)
        if balance:
            customers = run_query(performance.gap_customers, unit["id"], balance, month, 10)
            if customers.empty:
                st.caption(t("myoutlet_no_customers_behind"))
            else:
                st.markdown(
                    t(
                        "myoutlet_customers_behind",
                        start=customers["from_month"].iloc[0].strftime("%Y-%m"),
                        end=customers["to_month"].iloc[0].strftime("%Y-%m"),
                    )
                )
                st.dataframe(
                    pd.DataFrame(
                        {
                            t("col_customer_no"): customers["customer_no"],
                            t("col_name"): customers["name"],
                            t("col_kind"): customers["kind"].map(lambda v: t(f"customer_kind_{v}")),
                            t("col_outlet"): [
                                unit_label_map().get(int(i), name)
                                for i, name in zip(customers["outlet_id"], customers[f"outlet_{lang}"])
                            ],
                            t("myoutlet_col_balance_from"): customers["balance_from"].map(
                                lambda v: format_value(v, "rmb", lang)
                            ),
                            t("myoutlet_col_balance_to"): customers["balance_to"].map(
                                lambda v: format_value(v, "rmb", lang)
                            ),
                            t("myoutlet_col_change"): customers["change"].map(lambda v: format_value(v, "rmb", lang)),
                        }
                    ),
                    hide_index=True,
                    width="stretch",
                )
                st.caption(t("myoutlet_sample_note"))
                gap_exports[f"{code} customers"] = customers
page_sheets = {
    t("myoutlet_targets_title"): assessed,
    t("myoutlet_todate_title"): todate,
    t("myoutlet_rank_title"): ranks,
    **gap_exports,
}
st.download_button(
    t("kpi_download"),
    frames_to_xlsx(page_sheets),
    file_name=f"my_outlet_{unit['code']}_{month.strftime('%Y-%m')}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="myoutlet_download",
    icon=":material/download:",
)

# --- Alerts of the outlet ------------------------------------------------------------------------------
# The same rules as the Alerts page, evaluated here without storing anything; status and owner come
# from the alert list where the finding has been filed there.
st.subheader(t("myoutlet_alerts_title"))
engine = app_engine()
settings = performance.alert_settings(engine, scope, unit["id"])
findings = run_query(performance.alert_findings, unit["id"], month, tuple(sorted(settings.items())))
if findings.empty:
    st.success(t("myoutlet_no_alerts"))
else:
    filed = performance.alert_list(engine, scope, unit["id"], month)
    keys = ["outlet_id", "rule", "metric_code"]
    if not filed.empty:
        findings = findings.merge(filed[keys + ["status", "owner"]], on=keys, how="left")
    else:
        findings = findings.assign(status=None, owner=None)
    st.dataframe(
        pd.DataFrame(
            {
                t("alert_col_outlet"): [
                    unit_label_map().get(int(i), n) for i, n in zip(findings["outlet_id"], findings[f"name_{lang}"])
                ],
                t("alert_col_rule"): findings["rule"].map(lambda r: t(f"alert_rule_{r}")),
                t("alert_col_metric"): findings["metric_code"].map(metric_label),
                t("alert_col_severity"): findings["severity"].map(lambda s: t(f"alert_severity_{s}")),
                t("alert_col_value"): [
                    format_ratio(v) if r in ("off_target", "sudden_drop") else fmt(v, c)
                    for r, v, c in zip(findings["rule"], findings["value"], findings["metric_code"])
                ],
                t("alert_col_status"): findings["status"].map(
                    lambda s: t(f"alert_status_{s}") if isinstance(s, str) else t("alert_status_new")
                ),
                t("alert_col_owner"): findings["owner"].map(lambda o: o if isinstance(o, str) else MISSING),
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(t("myoutlet_alerts_help"))

with st.expander(t("how_computed")):
    st.markdown(t("kpi_how_targets"))
    st.markdown(t("myoutlet_how_gaps"))

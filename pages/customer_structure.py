"""Customer structure: value tiers by AUM (thresholds and the downgrade grace period adjustable),
customers and AUM per tier per outlet, tier migration between two month-ends against peer
units, and concentration of AUM (top 1 % / 10 % shares, Lorenz curve).

Reads ``data.queries_customers`` (tier paths grouped in SQL, AUM percentiles); the tier rules,
migration and concentration are ``analytics.customer_value``. With the default tiers and grace
period, tiers and migration come from the tier history the scoring job stored
(``python -m jobs.score``; ``data.queries_scores``, counted in SQL) while it belongs to the
current data and covers the months shown; other settings compute from the tier paths as before.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.customer_value import (
    DEFAULT_DOWNGRADE_AFTER_MONTHS,
    DEFAULT_TIERS,
    concentration_from_groups,
    lorenz_from_groups,
    migration_matrix,
    migration_summary,
    tier_structure,
    tiers_from_thresholds,
)
from data import queries_customers as qc
from data import queries_scores as qs
from data.queries_customers import MAX_TIER_MONTHS
from jobs import settings as score_settings
from ui.cards import metric_cards
from ui.charts import plain_numbers
from ui.customer_export import customer_download_button
from ui.data_access import app_engine, run_query
from ui.excel import frames_to_xlsx
from ui.format import format_count, format_money, format_ratio
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.page_entry import enter_through_app
from ui.session import current_scope
from ui.sidebar import focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

TIER_COLOURS = ["#c7d2dd", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b", "#041a3a", "#020d1d"]
PERCENTILE_COLUMNS = ("percentile", "customers", "aum_rmb", "min_aum_rmb", "max_aum_rmb", "customer_share")
WAN = 10_000.0  # thresholds are entered in 万元 (10,000 RMB) in both languages

lang = current_language()
unit = focus_unit()
st.title(t("cust_structure_title"))
st.caption(name_of(unit))

months = run_query(qc.customer_balance_months, unit["id"])
if not months:
    st.info(t("cust_no_balances"))
    st.stop()

# --- Tier rules --------------------------------------------------------------------------------
default_thresholds = [tier.min_aum_rmb / WAN for tier in DEFAULT_TIERS[1:]]
with st.expander(t("cust_tier_rules"), expanded=False):
    st.caption(t("cust_tier_rules_help"))
    columns = st.columns(len(default_thresholds) + 1)
    entered = [
        column.number_input(
            t("cust_tier_threshold", tier=t(f"cust_tier_{tier.code}")),
            min_value=0.0,
            value=float(value),
            step=1.0,
            key=f"cust_threshold_{tier.code}",
        )
        for column, tier, value in zip(columns, DEFAULT_TIERS[1:], default_thresholds)
    ]
    downgrade_after = columns[-1].number_input(
        t("cust_downgrade_after"),
        min_value=1,
        max_value=12,
        value=DEFAULT_DOWNGRADE_AFTER_MONTHS,
        step=1,
        key="cust_downgrade_after",
    )
try:
    tiers = tiers_from_thresholds([value * WAN for value in entered])
except ValueError:
    st.error(t("cust_bad_thresholds"))
    tiers = DEFAULT_TIERS
tier_labels = {i: t(f"cust_tier_{tier.code}") for i, tier in enumerate(tiers)}
thresholds = tuple(tier.min_aum_rmb for tier in tiers[1:])

# --- Dates: the sidebar month, or the newest month with balances before it ------------------------


def month_label(month) -> str:
    """ "2026年6月" / "Jun 2026"."""
    return t("cust_month_label", year=month.year, month=month.month if lang == "zh" else month.strftime("%b"))


month_labels = {m: month_label(m) for m in months}
selected = st.session_state.get("month") or months[-1]
up_to_selected = [m for m in months if m <= selected]
if not up_to_selected:
    st.info(
        t(
            "cust_month_not_covered",
            month=month_label(selected),
            first=month_labels[months[0]],
            last=month_labels[months[-1]],
        )
    )
    st.stop()
month_to = up_to_selected[-1]
controls = st.columns(2)
if month_to != selected:
    controls[1].warning(t("cust_month_fallback", month=month_labels[month_to], last=month_labels[months[-1]]))
else:
    controls[1].caption(t("cust_month_from_sidebar", month=month_labels[month_to]))
earlier = [m for m in months if m < month_to]
if earlier:
    default_from = earlier[max(0, len(earlier) - 12)]
    if st.session_state.get("cust_month_from") not in earlier:
        st.session_state["cust_month_from"] = default_from
    month_from = controls[0].selectbox(
        t("cust_month_from"), earlier[::-1], format_func=month_labels.get, key="cust_month_from"
    )
else:
    month_from = month_to
    controls[0].caption(t("cust_one_month_only"))
path_months = tuple([m for m in months if m <= month_to][-MAX_TIER_MONTHS:])
from_index = path_months.index(month_from) if month_from in path_months else 0

# fresh, not cached: a scoring run may finish while the data version stays the same
stored = qs.score_status(app_engine(), current_scope(), unit["id"])
stored_months = run_query(qs.score_tier_months, unit["id"], stored["run_id"]) if stored["current"] else []
use_stored = (
    stored["current"]
    and thresholds == tuple(tier.min_aum_rmb for tier in score_settings.TIERS[1:])
    and int(downgrade_after) == score_settings.DOWNGRADE_AFTER_MONTHS
    and bool(stored_months)
    and stored_months[0] == path_months[0]  # the history starts where the page's paths start
    and month_to in stored_months
    and month_from in stored_months
)
with st.spinner(t("loading")):
    if use_stored:
        by_outlet = run_query(qs.score_tiers_by_outlet, unit["id"], stored["run_id"], month_to)
        moves = run_query(qs.score_tier_migration, unit["id"], stored["run_id"], month_from, month_to)
        migration = migration_matrix(moves.tier_from, moves.tier_to, len(tiers), weights=moves.customers)
    else:
        paths = run_query(qc.tier_paths, unit["id"], path_months, thresholds)
        by_outlet, migration = (
            tier_structure(paths, len(tiers), int(downgrade_after), from_index) if not paths.empty else (paths, None)
        )
    outlets = run_query(qc.customer_outlets, unit["id"])
    percentiles = run_query(qc.aum_percentiles, unit["id"], month_to)
if by_outlet.empty:
    st.info(t("cust_no_customers"))
    st.stop()
if use_stored:
    st.caption(t("score_from_job", version=stored["data_version"], finished=f"{stored['finished_at']:%Y-%m-%d %H:%M}"))
elif not stored["current"]:
    st.caption(
        t("score_stale", version=stored["last_version"], finished=f"{stored['last_finished_at']:%Y-%m-%d %H:%M}")
        if stored["last_version"]
        else t("score_missing")
    )
totals = by_outlet.groupby("tier")[["customers", "aum_rmb"]].sum().reindex(range(len(tiers)), fill_value=0)
concentration = concentration_from_groups(percentiles["customers"], percentiles["aum_rmb"])
labels_of_units = unit_label_map()
outlet_names = {int(row.id): labels_of_units.get(int(row.id), row[f"name_{lang}"]) for _, row in outlets.iterrows()}

# --- Headline ------------------------------------------------------------------------------------
customers_total = float(totals.customers.sum())
aum_total = float(totals.aum_rmb.sum())
top_tiers = totals.index >= 3 if len(tiers) > 3 else totals.index >= len(tiers) - 1
headline = [
    (t("cust_metric_customers"), format_count(customers_total, lang)),
    (t("cust_metric_aum"), format_money(aum_total, lang)),
    (
        t("cust_metric_high_tier_share"),
        format_ratio(totals.customers[top_tiers].sum() / customers_total if customers_total else None),
    ),
    (t("cust_metric_top1"), format_ratio(concentration["top1_share"])),
    (t("cust_metric_top10"), format_ratio(concentration["top10_share"])),
]
metric_cards(headline, key="customer_structure_headline")
st.caption(t("cust_structure_caption", month=month_labels[month_to], months=int(downgrade_after)))

# --- Tiers ---------------------------------------------------------------------------------------
st.subheader(t("cust_tiers_title"))
tier_table = pd.DataFrame(
    {
        t("cust_col_tier"): [tier_labels[i] for i in totals.index],
        t("cust_col_threshold"): [format_money(tier.min_aum_rmb, lang) for tier in tiers],
        t("cust_col_customers"): totals.customers.to_numpy(),
        t("cust_col_customer_share"): [
            format_ratio(v / customers_total) if customers_total else "—" for v in totals.customers
        ],
        t("cust_col_aum"): [format_money(v, lang) for v in totals.aum_rmb],
        t("cust_col_aum_share"): [format_ratio(v / aum_total) if aum_total else "—" for v in totals.aum_rmb],
    }
)
left, right = st.columns([2, 3])
left.dataframe(tier_table, hide_index=True, width="stretch")
figure = go.Figure(
    [
        go.Bar(
            name=t("cust_col_customer_share"),
            x=[tier_labels[i] for i in totals.index],
            y=totals.customers / max(customers_total, 1),
            marker_color="#9ecae1",
        ),
        go.Bar(
            name=t("cust_col_aum_share"),
            x=[tier_labels[i] for i in totals.index],
            y=totals.aum_rmb / max(aum_total, 1),
            marker_color="#08519c",
        ),
    ]
)
figure.update_layout(
    title=t("cust_tier_chart_title"),
    barmode="group",
    yaxis={"title": t("cust_axis_share"), "tickformat": ".0%"},
    xaxis={"title": t("cust_col_tier")},
    height=360,
    margin={"t": 50, "b": 40},
    legend={"orientation": "h", "y": -0.25},
)
right.plotly_chart(figure, width="stretch")

# --- Per outlet ----------------------------------------------------------------------------------
st.subheader(t("cust_per_outlet_title"))
counts = by_outlet.pivot_table(index="outlet_id", columns="tier", values="customers", aggfunc="sum", fill_value=0)
counts = counts.reindex(columns=range(len(tiers)), fill_value=0)
aum = by_outlet.groupby("outlet_id").aum_rmb.sum()
order = aum.sort_values().index
# One bar per outlet: the category is the outlet's unique label (ui.labels), keyed on its id.
per_outlet_figure = go.Figure(
    [
        go.Bar(
            name=tier_labels[tier],
            y=[outlet_names.get(int(o), str(o)) for o in order],
            x=counts.loc[order, tier],
            orientation="h",
            marker_color=TIER_COLOURS[tier % len(TIER_COLOURS)],
        )
        for tier in range(len(tiers))
    ]
)
per_outlet_figure.update_layout(
    title={"text": t("cust_per_outlet_chart_title"), "y": 0.98, "yanchor": "top", "x": 0, "xanchor": "left"},
    barmode="stack",
    xaxis={"title": t("cust_axis_customers")},
    yaxis={"type": "category"},
    height=max(360, 22 * len(order) + 180),
    margin={"t": 110, "l": 10},
    legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "xanchor": "left"},
)
plain_numbers(per_outlet_figure, "x")
st.plotly_chart(per_outlet_figure, width="stretch")
outlet_table = pd.DataFrame({t("cust_col_outlet"): [outlet_names.get(int(o), str(o)) for o in counts.index]})
for tier in range(len(tiers)):
    outlet_table[tier_labels[tier]] = counts[tier].to_numpy()
outlet_table[t("cust_col_customers")] = counts.sum(axis=1).to_numpy()
outlet_table[t("cust_col_aum")] = [format_money(v, lang) for v in aum.reindex(counts.index).fillna(0.0)]
st.dataframe(outlet_table, hide_index=True, width="stretch")

# --- Migration -----------------------------------------------------------------------------------
st.subheader(t("cust_migration_title", start=month_labels[month_from], end=month_labels[month_to]))
if month_from == month_to:
    st.info(t("cust_one_month_only"))
else:
    labels = [tier_labels[i] for i in range(len(tiers))]
    values = migration.to_numpy()
    heatmap = go.Figure(
        go.Heatmap(
            z=values,
            x=labels,
            y=labels,
            colorscale="Blues",
            text=[[format_count(v, lang) for v in row] for row in values],
            texttemplate="%{text}",
            colorbar={"title": t("cust_axis_customers")},
            hovertemplate=t("cust_migration_hover") + "<extra></extra>",
        )
    )
    heatmap.update_layout(
        title=t("cust_migration_chart_title"),
        xaxis={"title": t("cust_migration_to", month=month_labels[month_to])},
        yaxis={"title": t("cust_migration_from", month=month_labels[month_from]), "autorange": "reversed"},
        height=420,
    )
    own = migration_summary(migration)
    left, right = st.columns([3, 2])
    left.plotly_chart(heatmap, width="stretch")
    peer_summary, peer_units = None, 0
    if right.toggle(t("cust_compare_peers"), value=False, key="cust_compare_peers"):
        with st.spinner(t("loading")):
            peers = run_query(qc.peer_tier_paths, unit["id"], path_months, thresholds)
        peer_units = peers.attrs.get("peer_units", 0)
        if not peers.empty:
            _, peer_migration = tier_structure(peers, len(tiers), int(downgrade_after), from_index)
            peer_summary = migration_summary(peer_migration)
    rows = [
        (t("cust_migration_up"), "up_share"),
        (t("cust_migration_same"), "same_share"),
        (t("cust_migration_down"), "down_share"),
    ]
    comparison = pd.DataFrame(
        {
            t("cust_col_movement"): [label for label, _ in rows],
            name_of(unit): [format_ratio(own[key]) for _, key in rows],
            t("cust_col_peers", count=peer_units): [
                format_ratio(peer_summary[key]) if peer_summary else "—" for _, key in rows
            ],
        }
    )
    right.markdown(f"**{t('cust_migration_vs_peers')}**")
    right.dataframe(comparison, hide_index=True, width="stretch")
    if peer_summary is not None:
        right.caption(t("cust_peers_explained"))
    elif st.session_state.get("cust_compare_peers"):
        right.caption(t("cust_no_peers"))

# --- Concentration -------------------------------------------------------------------------------
st.subheader(t("cust_concentration_title"))
curve = lorenz_from_groups(percentiles["customers"], percentiles["aum_rmb"])
lorenz = go.Figure(
    [
        go.Scatter(
            x=curve.customer_share,
            y=curve.value_share,
            mode="lines",
            name=t("cust_lorenz_curve"),
            line={"color": "#08519c", "width": 3},
        ),
        go.Scatter(
            x=[0, 1], y=[0, 1], mode="lines", name=t("cust_lorenz_equal"), line={"color": "#999", "dash": "dash"}
        ),
    ]
)
lorenz.update_layout(
    title=t("cust_lorenz_title", month=month_labels[month_to]),
    xaxis={"title": t("cust_lorenz_x"), "tickformat": ".0%"},
    yaxis={"title": t("cust_lorenz_y"), "tickformat": ".0%"},
    height=420,
    legend={"orientation": "h", "y": -0.2},
)
left, right = st.columns([3, 2])
left.plotly_chart(lorenz, width="stretch")
with right.container(border=True):
    st.metric(t("cust_metric_top1"), format_ratio(concentration["top1_share"]))
    st.metric(t("cust_metric_top10"), format_ratio(concentration["top10_share"]))
    st.metric(t("cust_metric_gini"), f"{concentration['gini']:.3f}")
    top_bucket = percentiles.iloc[-1] if not percentiles.empty else None
    if top_bucket is not None:
        st.caption(t("cust_top_bucket_from", amount=format_money(float(top_bucket.min_aum_rmb), lang)))

with st.expander(t("cust_how_computed")):
    st.markdown(t("cust_structure_method", months=int(downgrade_after)))

export = {
    t("cust_tiers_title"): tier_table,
    t("cust_per_outlet_title"): outlet_table,
    t("cust_sheet_migration"): pd.DataFrame(
        migration.to_numpy(),
        index=[tier_labels[i] for i in range(len(tiers))],
        columns=[tier_labels[i] for i in range(len(tiers))],
    ).reset_index(names=t("cust_col_tier")),
    t("cust_sheet_percentiles"): percentiles.assign(
        customer_share=np.cumsum(percentiles.customers) / max(percentiles.customers.sum(), 1)
    ).rename(columns={column: t(f"cust_pct_col_{column}") for column in PERCENTILE_COLUMNS}),
}
customer_download_button(
    t("cust_download_excel"),
    lambda: frames_to_xlsx(export),  # built when clicked, not on every rerun
    file_name=f"customer_structure_{unit['code']}_{month_to:%Y-%m}.xlsx",
    key="cust_structure_download",
    what="customer_structure",
    rows=sum(len(frame) for frame in export.values()),
    icon=None,
)

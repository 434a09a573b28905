"""Lifetime value and churn risk: BG/NBD (probability alive, expected transactions) and
Gamma-Gamma (value per transaction) fitted on the scope's transaction histories, customer
lifetime value over a chosen horizon with a discount rate, and a calibration/holdout check of
the model against what customers actually did.

By default the page reads the scores the scoring job stored (``python -m jobs.score``, models
fitted on every customer of the bank) through ``data.queries_scores``, aggregated in SQL, and
says which data version they are from. With other settings (horizon, rates, an earlier month, or
a fit on this unit's customers only), or without stored scores for the current data, it computes
in the page: per-customer summaries from ``data.queries_customers`` (computed in SQL, in days)
and the models of ``analytics.clv``. A scope too small to fit falls back to the region's
parameters (fitted on an anonymous histogram) and says so.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.clv import (
    PERIODS_PER_MONTH,
    BetaGeo,
    FittedModels,
    GammaGamma,
    InsufficientDataError,
    alive_summary,
    customer_lifetime_value,
    fit_transaction_models,
    holdout_comparison,
    time_since_last_transaction,
)
from config.settings import load_settings
from data import queries_customers as qc
from data import queries_scores as qs
from data.scope import Scope
from jobs import settings as score_settings
from ui.customer_export import customer_download_button
from ui.data_access import app_engine, dataset_info, run_query
from ui.excel import frames_to_xlsx
from ui.format import format_count, format_money, format_ratio
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.page_entry import enter_through_app
from ui.session import current_scope
from ui.sidebar import focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

DAYS_PER_MONTH = PERIODS_PER_MONTH["D"]
HOLDOUT_CHOICES = (3, 6, 9, 12)
TOP_CUSTOMERS = 50
# Ticks of the log-scale value axis (10^0 … 10^8 RMB) in the reader's units, not "1e5".
POWER_TICKS = {
    "zh": ["1", "10", "100", "1千", "1万", "10万", "100万", "1千万", "1亿"],
    "en": ["1", "10", "100", "1k", "10k", "100k", "1m", "10m", "100m"],
}


# --------------------------------------------------------------------------- cached models


@st.cache_data(show_spinner=False, max_entries=64)
def fit_models(scope: Scope, version: str, unit_id: int, end: dt.date, _summary: pd.DataFrame) -> FittedModels:
    """BG/NBD and Gamma-Gamma on the scope's summary (days), or with the region's parameters
    (an anonymous weekly histogram, α converted to days) when the scope cannot carry a fit.
    Keyed on scope, data version, unit and end date, which determine ``_summary``."""

    def region_histogram():
        histogram = run_query(qc.region_transaction_histogram, unit_id, end)
        return histogram.frequency, histogram.recency_weeks, histogram.T_weeks, histogram.customers, 7.0

    return fit_transaction_models(
        _summary.frequency, _summary.recency_days, _summary.T_days, _summary.monetary_value, fallback=region_histogram
    )


@st.cache_data(show_spinner=False, max_entries=64)
def holdout_check(scope: Scope, version: str, unit_id: int, calibration_end: dt.date, end: dt.date, _cal, _hold):
    """Fit on the calibration period and compare with the holdout (``None`` if it cannot be fitted)."""
    merged = _cal.merge(_hold, on="customer_no", how="inner")
    try:
        model = BetaGeo().fit(merged.frequency, merged.recency_days, merged.T_days)
    except InsufficientDataError:
        return None
    if not model.converged_:
        return None
    duration = float((end - calibration_end).days)
    return holdout_comparison(
        model, merged.frequency, merged.recency_days, merged.T_days, merged.frequency_holdout, duration
    )


# --------------------------------------------------------------------------- page

lang = current_language()
scope = current_scope()
unit = focus_unit()
version = dataset_info(load_settings().database_url).get("data_version", "")

st.title(t("cust_clv_title"))
st.caption(name_of(unit))
months = run_query(qc.customer_balance_months, unit["id"])
if not months:
    st.info(t("cust_no_balances"))
    st.stop()
# The sidebar month (or the newest month with balances before it): transactions up to its end.
selected = st.session_state.get("month") or months[-1]
last_month = max([m for m in months if m <= selected], default=None)
if last_month is None:
    st.info(
        t("cust_month_not_covered", month=f"{selected:%Y-%m}", first=f"{months[0]:%Y-%m}", last=f"{months[-1]:%Y-%m}")
    )
    st.stop()
if last_month != selected:
    st.warning(t("cust_month_fallback", month=f"{last_month:%Y-%m}", last=f"{months[-1]:%Y-%m}"))
end = (pd.Timestamp(last_month) + pd.offsets.MonthEnd(0)).date()

controls = st.columns(4)
horizon = controls[0].number_input(
    t("cust_clv_horizon"), min_value=1, max_value=120, value=12, step=1, key="cust_clv_horizon"
)
discount_percent = controls[1].number_input(
    t("cust_clv_discount"), min_value=0.0, max_value=50.0, value=8.0, step=0.5, key="cust_clv_discount"
)
margin_percent = controls[2].number_input(
    t("cust_clv_margin"),
    min_value=0.01,
    max_value=100.0,
    value=100.0,
    step=0.5,
    help=t("cust_clv_margin_help"),
    key="cust_clv_margin",
)
holdout_months = controls[3].selectbox(
    t("cust_clv_holdout"),
    HOLDOUT_CHOICES,
    index=1,
    format_func={m: t("cust_clv_months", months=m) for m in HOLDOUT_CHOICES}.get,
    key="cust_clv_holdout",
)

fit_here = st.toggle(t("score_fit_here"), value=False, key="cust_clv_fit_here", help=t("score_fit_here_help"))
# fresh, not cached: a run may finish while the data version stays the same
stored = qs.score_status(app_engine(), scope, unit["id"])
defaults = (
    int(horizon) == score_settings.CLV_HORIZON_MONTHS
    and float(discount_percent) == score_settings.CLV_ANNUAL_DISCOUNT * 100
    and float(margin_percent) == score_settings.CLV_MARGIN * 100
)
use_stored = stored["current"] and stored["observation_end"] == end and defaults and not fit_here
if use_stored:
    st.caption(t("score_from_job", version=stored["data_version"], finished=f"{stored['finished_at']:%Y-%m-%d %H:%M}"))
elif not stored["current"] and stored["last_version"]:
    st.info(t("score_stale", version=stored["last_version"], finished=f"{stored['last_finished_at']:%Y-%m-%d %H:%M}"))
elif not stored["current"]:
    st.info(t("score_missing"))
else:
    st.caption(t("score_on_demand"))


def show_parameters(params: dict, value_params: dict | None, value_mean: float, rate: float, dropout: float) -> None:
    """The BG/NBD parameters (α in days) and the Gamma-Gamma ones, or the fallback's mean."""
    left, right = st.columns(2)
    left.dataframe(
        pd.DataFrame(
            {
                t("cust_clv_param"): ["r", "α (" + t("cust_clv_days") + ")", "a", "b"],
                t("cust_clv_value"): [f"{params[k]:.4g}" for k in ("r", "alpha", "a", "b")],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    left.caption(t("cust_clv_params_plain", rate=f"{rate:.2f}", dropout=format_ratio(dropout)))
    if value_params:
        right.dataframe(
            pd.DataFrame(
                {
                    t("cust_clv_param"): ["p", "q", "v (" + t("cust_clv_rmb") + ")"],
                    t("cust_clv_value"): [f"{value_params[k]:.4g}" for k in ("p", "q", "v")],
                }
            ),
            hide_index=True,
            width="stretch",
        )
        right.caption(t("cust_clv_gg_plain", mean=format_money(value_mean, lang)))
    else:
        right.info(t("cust_clv_gg_fallback", mean=format_money(value_mean, lang)))


def show_headline(customers: int, mean_alive: float, at_risk: float, expected: float, total_clv: float) -> None:
    headline = [
        (t("cust_clv_metric_customers"), format_count(customers, lang)),
        (t("cust_clv_metric_mean_alive"), format_ratio(mean_alive)),
        (t("cust_clv_metric_at_risk"), format_ratio(at_risk)),
        (t("cust_clv_metric_expected", months=int(horizon)), format_count(expected, lang)),
        (t("cust_clv_metric_total_clv", months=int(horizon)), format_money(total_clv, lang)),
    ]
    for start in range(0, len(headline), 3):  # three cards a row, so that amounts fit
        for column, (label, value) in zip(st.columns(3), headline[start : start + 3]):
            with column.container(border=True):
                st.metric(label, value)


def customer_table(frame: pd.DataFrame, alive, expected, value_each, clv) -> pd.DataFrame:
    """The per-customer table as shown and exported (largest CLV first)."""
    return pd.DataFrame(
        {
            t("cust_clv_col_customer"): frame.customer_no.to_numpy(),
            t("cust_clv_col_outlet"): frame.outlet_id.map(unit_label_map()).to_numpy(),  # unique labels
            t("cust_clv_col_frequency"): frame.frequency.to_numpy(),
            t("cust_clv_col_recency"): time_since_last_transaction(frame.recency_days, frame.T_days),
            t("cust_clv_col_alive"): np.round(alive, 3),
            t("cust_clv_col_expected"): np.round(expected, 2),
            t("cust_clv_col_value_each"): np.round(value_each, 2),
            t("cust_clv_col_clv"): np.round(clv, 2),
        }
    ).sort_values(t("cust_clv_col_clv"), ascending=False)


def alive_layout(figure: go.Figure) -> go.Figure:
    figure.update_layout(
        title=t("cust_clv_alive_chart_title"),
        xaxis={"title": t("cust_clv_alive_axis"), "tickformat": ".0%"},
        yaxis={"title": t("cust_axis_customers")},
        height=360,
        bargap=0.05,
    )
    return figure


def clv_layout(figure: go.Figure) -> go.Figure:
    figure.update_layout(
        title=t("cust_clv_value_chart_title"),
        xaxis={"title": t("cust_clv_value_axis"), "tickvals": list(range(0, 9)), "ticktext": POWER_TICKS[lang]},
        yaxis={"title": t("cust_axis_customers")},
        height=340,
    )
    return figure


if use_stored:
    run_id = stored["run_id"]
    with st.spinner(t("loading")):
        headline = run_query(qs.score_lifetime_summary, unit["id"], run_id, score_settings.AT_RISK_BELOW)
        models = run_query(qs.score_models, unit["id"], run_id)
    if headline["customers"] == 0:
        st.info(t("cust_clv_no_transactions"))
        st.stop()
    bgnbd, value_model = models.get("bgnbd", {}), models.get("gamma_gamma", {})
    if not bgnbd.get("params"):
        st.error(t("cust_clv_cannot_fit"))
        st.stop()
    if bgnbd["diagnostics"].get("source") == "fallback":
        st.info(t("cust_clv_region_fallback"))
    if headline["customers_without_transactions"]:
        st.caption(
            t("cust_clv_without_transactions", count=format_count(headline["customers_without_transactions"], lang))
        )
    show_headline(
        headline["customers"],
        headline["mean_alive"],
        headline["at_risk_share"],
        headline["expected_txn"],
        headline["clv_rmb"],
    )
    st.subheader(t("cust_clv_params_title"))
    show_parameters(
        bgnbd["params"],
        value_model["params"] if value_model["diagnostics"].get("kind") == "GammaGamma" else None,
        float(value_model["diagnostics"].get("population_mean_value", float("nan"))),
        float(bgnbd["diagnostics"].get("rate_per_month", float("nan"))),
        float(bgnbd["diagnostics"].get("dropout_probability", float("nan"))),
    )
    st.subheader(t("cust_clv_alive_title"))
    bins = run_query(qs.score_alive_histogram, unit["id"], run_id)
    histogram = alive_layout(
        go.Figure(
            go.Bar(
                x=bins.bin_start + 0.025,
                y=bins.customers,
                width=0.05,
                marker_color="#3182bd",
                name="P(alive)",
            )
        )
    )
    left, right = st.columns([3, 2])
    left.plotly_chart(histogram, width="stretch")
    right.markdown(t("cust_clv_alive_explained"))
    st.subheader(t("cust_clv_value_title", months=int(horizon)))
    edges = tuple(float(10 ** (power / 5)) for power in range(0, 41))  # 1 … 10^8 RMB, five bins a decade
    clv_bins = run_query(qs.score_clv_histogram, unit["id"], run_id, edges)
    st.plotly_chart(
        clv_layout(
            go.Figure(
                go.Bar(
                    x=np.log10(clv_bins.bin_start) + 0.1,
                    y=clv_bins.customers,
                    width=0.2,
                    marker_color="#08519c",
                )
            )
        ),
        width="stretch",
    )
    top = run_query(qs.score_top_customers, unit["id"], run_id, TOP_CUSTOMERS).rename(columns={"t_days": "T_days"})
    table = customer_table(top, top.p_alive, top.expected_txn, top.value_each, top.clv_rmb)
    st.markdown(f"**{t('cust_clv_top', count=TOP_CUSTOMERS)}**")
    st.dataframe(table, hide_index=True, width="stretch")
    if not scope.sees_personal_data:
        st.caption(t("cust_ids_masked"))
    scored_customers = headline["customers"]

    def export_table() -> pd.DataFrame:
        every = run_query(qs.score_top_customers, unit["id"], run_id, scored_customers).rename(
            columns={"t_days": "T_days"}
        )
        return customer_table(every, every.p_alive, every.expected_txn, every.value_each, every.clv_rmb)

    export_rows = scored_customers
else:
    with st.spinner(t("loading")):
        summary = run_query(qc.customer_transaction_summary, unit["id"], end)
if not use_stored and summary.empty:
    st.info(t("cust_clv_no_transactions"))
    st.stop()
if not use_stored:
    fitted = fit_models(scope, version, unit["id"], end, summary)
    for note in fitted.notes:
        st.warning(t(f"cust_clv_{note}"))
    beta_geo: BetaGeo | None = fitted.beta_geo
    if beta_geo is None:
        st.error(t("cust_clv_cannot_fit"))
        st.stop()
    if fitted.source == "fallback":
        st.info(t("cust_clv_region_fallback"))
    without = summary.attrs.get("customers_without_transactions", 0)
    if without:
        st.caption(t("cust_clv_without_transactions", count=format_count(without, lang)))

    alive = beta_geo.probability_alive(summary.frequency, summary.recency_days, summary.T_days)
    expected_next = beta_geo.conditional_expected_transactions(
        horizon * DAYS_PER_MONTH, summary.frequency, summary.recency_days, summary.T_days
    )
    value_model = fitted.value
    value_each = value_model.conditional_expected_average_value(summary.frequency, summary.monetary_value)
    clv = customer_lifetime_value(
        beta_geo,
        value_model,
        summary.frequency,
        summary.recency_days,
        summary.T_days,
        summary.monetary_value,
        horizon_months=int(horizon),
        annual_discount_rate=discount_percent / 100.0,
        periods_per_month=DAYS_PER_MONTH,
        margin=margin_percent / 100.0,
    )
    mean_alive, at_risk_share = alive_summary(alive)
    show_headline(len(summary), mean_alive, at_risk_share, float(np.sum(expected_next)), float(np.sum(clv)))
    st.subheader(t("cust_clv_params_title"))
    show_parameters(
        beta_geo.params_,
        value_model.params_ if isinstance(value_model, GammaGamma) else None,
        value_model.population_mean_value(),
        beta_geo.population_transaction_rate(DAYS_PER_MONTH),
        beta_geo.population_dropout_probability(),
    )
    st.subheader(t("cust_clv_alive_title"))
    histogram = alive_layout(
        go.Figure(
            go.Histogram(
                x=alive, xbins={"start": 0, "end": 1.0001, "size": 0.05}, marker_color="#3182bd", name="P(alive)"
            )
        )
    )
    left, right = st.columns([3, 2])
    left.plotly_chart(histogram, width="stretch")
    right.markdown(t("cust_clv_alive_explained"))
    st.subheader(t("cust_clv_value_title", months=int(horizon)))
    table = customer_table(summary, alive, expected_next, value_each, clv)
    st.plotly_chart(
        clv_layout(go.Figure(go.Histogram(x=np.log10(np.maximum(clv, 1.0)), nbinsx=40, marker_color="#08519c"))),
        width="stretch",
    )
    st.markdown(f"**{t('cust_clv_top', count=TOP_CUSTOMERS)}**")
    st.dataframe(table.head(TOP_CUSTOMERS), hide_index=True, width="stretch")
    if not scope.sees_personal_data:
        st.caption(t("cust_ids_masked"))

    def export_table() -> pd.DataFrame:
        return table

    export_rows = len(table)

# --- Calibration / holdout -------------------------------------------------------------------------
st.subheader(t("cust_clv_holdout_title"))
calibration_end = (pd.Timestamp(end) - pd.DateOffset(months=int(holdout_months))).date()
st.caption(t("cust_clv_holdout_intro", months=int(holdout_months)))
check = None
if st.toggle(t("cust_clv_run_check"), value=False, key="cust_clv_run_check"):
    with st.spinner(t("loading")):
        calibration = run_query(qc.customer_transaction_summary, unit["id"], calibration_end)
        holdout = run_query(qc.customer_holdout_counts, unit["id"], calibration_end, end)
    check = holdout_check(scope, version, unit["id"], calibration_end, end, calibration, holdout)
if not st.session_state.get("cust_clv_run_check"):
    pass
elif check is None:
    st.info(t("cust_clv_holdout_unavailable"))
else:
    frame = check.by_frequency
    labels = [str(v) if v < frame.frequency_cal.max() else f"{v}+" for v in frame.frequency_cal]
    holdout_chart = go.Figure(
        [
            go.Scatter(
                x=labels, y=frame.actual_mean, mode="lines+markers", name=t("cust_clv_actual"), line={"color": "#333"}
            ),
            go.Scatter(
                x=labels,
                y=frame.predicted_mean,
                mode="lines+markers",
                name=t("cust_clv_model"),
                line={"color": "#3182bd", "dash": "dash"},
            ),
        ]
    )
    holdout_chart.update_layout(
        title=t("cust_clv_holdout_chart_title", start=calibration_end.isoformat(), end=end.isoformat()),
        xaxis={"title": t("cust_clv_holdout_x")},
        yaxis={"title": t("cust_clv_holdout_y")},
        height=380,
        legend={"orientation": "h", "y": -0.25},
    )
    left, right = st.columns([3, 2])
    left.plotly_chart(holdout_chart, width="stretch")
    with right.container(border=True):
        st.metric(t("cust_clv_actual_total"), format_count(check.actual_total, lang))
        st.metric(t("cust_clv_model_total"), format_count(check.predicted_total, lang))
        if check.actual_total > 0:
            st.caption(t("cust_clv_holdout_error", error=format_ratio(check.relative_error)))

with st.expander(t("cust_how_computed")):
    st.markdown(t("cust_clv_method", end=end.isoformat()))

customer_download_button(
    t("cust_download_excel"),
    lambda: frames_to_xlsx({t("cust_clv_sheet"): export_table()}),  # built when clicked, not on every rerun
    file_name=f"customer_lifetime_value_{unit['code']}_{end.isoformat()}.xlsx",
    key="cust_clv_download",
    what="lifetime_value",
    rows=export_rows,
    icon=None,
)

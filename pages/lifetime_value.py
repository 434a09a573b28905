"""Lifetime value and churn risk: BG/NBD (probability alive, expected transactions) and
Gamma-Gamma (value per transaction) fitted on the scope's transaction histories, customer
lifetime value over a chosen horizon with a discount rate, and a calibration/holdout check of
the model against what customers actually did.

Per-customer summaries come from ``data.queries_customers`` (computed in SQL, in days); the
models are ``analytics.clv``. A scope too small to fit falls back to the region's parameters
(fitted on an anonymous histogram) and says so.
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
from data.scope import Scope
from ui.customer_export import customer_download_button
from ui.data_access import dataset_info, run_query
from ui.excel import frames_to_xlsx
from ui.format import format_count, format_money, format_ratio
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.session import current_scope
from ui.sidebar import focus_unit

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

with st.spinner(t("loading")):
    summary = run_query(qc.customer_transaction_summary, unit["id"], end)
if summary.empty:
    st.info(t("cust_clv_no_transactions"))
    st.stop()
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

# --- Headline ------------------------------------------------------------------------------------
mean_alive, at_risk_share = alive_summary(alive)
headline = [
    (t("cust_clv_metric_customers"), format_count(len(summary), lang)),
    (t("cust_clv_metric_mean_alive"), format_ratio(mean_alive)),
    (t("cust_clv_metric_at_risk"), format_ratio(at_risk_share)),
    (t("cust_clv_metric_expected", months=int(horizon)), format_count(float(np.sum(expected_next)), lang)),
    (t("cust_clv_metric_total_clv", months=int(horizon)), format_money(float(np.sum(clv)), lang)),
]
for start in range(0, len(headline), 3):  # three cards a row, so that amounts fit
    for column, (label, value) in zip(st.columns(3), headline[start : start + 3]):
        with column.container(border=True):
            st.metric(label, value)

# --- Parameters ----------------------------------------------------------------------------------
st.subheader(t("cust_clv_params_title"))
params = beta_geo.params_
left, right = st.columns(2)
left.dataframe(
    pd.DataFrame(
        {
            t("cust_clv_param"): ["r", "α (" + t("cust_clv_days") + ")", "a", "b"],
            t("cust_clv_value"): [
                f"{params['r']:.4g}",
                f"{params['alpha']:.4g}",
                f"{params['a']:.4g}",
                f"{params['b']:.4g}",
            ],
        }
    ),
    hide_index=True,
    width="stretch",
)
left.caption(
    t(
        "cust_clv_params_plain",
        rate=f"{beta_geo.population_transaction_rate(DAYS_PER_MONTH):.2f}",
        dropout=format_ratio(beta_geo.population_dropout_probability()),
    )
)
if isinstance(value_model, GammaGamma):
    gg = value_model.params_
    right.dataframe(
        pd.DataFrame(
            {
                t("cust_clv_param"): ["p", "q", "v (" + t("cust_clv_rmb") + ")"],
                t("cust_clv_value"): [f"{gg['p']:.4g}", f"{gg['q']:.4g}", f"{gg['v']:.4g}"],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    right.caption(t("cust_clv_gg_plain", mean=format_money(value_model.population_mean_value(), lang)))
else:
    right.info(t("cust_clv_gg_fallback", mean=format_money(value_model.population_mean_value(), lang)))

# --- P(alive) --------------------------------------------------------------------------------------
st.subheader(t("cust_clv_alive_title"))
histogram = go.Figure(
    go.Histogram(x=alive, xbins={"start": 0, "end": 1.0001, "size": 0.05}, marker_color="#3182bd", name="P(alive)")
)
histogram.update_layout(
    title=t("cust_clv_alive_chart_title"),
    xaxis={"title": t("cust_clv_alive_axis"), "tickformat": ".0%"},
    yaxis={"title": t("cust_axis_customers")},
    height=360,
    bargap=0.05,
)
left, right = st.columns([3, 2])
left.plotly_chart(histogram, width="stretch")
right.markdown(t("cust_clv_alive_explained"))

# --- CLV -----------------------------------------------------------------------------------------
st.subheader(t("cust_clv_value_title", months=int(horizon)))
table = pd.DataFrame(
    {
        t("cust_clv_col_customer"): summary.customer_no.to_numpy(),
        t("cust_clv_col_outlet"): summary.outlet_id.map(unit_label_map()).to_numpy(),  # unique labels
        t("cust_clv_col_frequency"): summary.frequency.to_numpy(),
        t("cust_clv_col_recency"): time_since_last_transaction(summary.recency_days, summary.T_days),
        t("cust_clv_col_alive"): np.round(alive, 3),
        t("cust_clv_col_expected"): np.round(expected_next, 2),
        t("cust_clv_col_value_each"): np.round(value_each, 2),
        t("cust_clv_col_clv"): np.round(clv, 2),
    }
).sort_values(t("cust_clv_col_clv"), ascending=False)
clv_chart = go.Figure(go.Histogram(x=np.log10(np.maximum(clv, 1.0)), nbinsx=40, marker_color="#08519c"))
clv_chart.update_layout(
    title=t("cust_clv_value_chart_title"),
    xaxis={"title": t("cust_clv_value_axis"), "tickvals": list(range(0, 9)), "ticktext": POWER_TICKS[lang]},
    yaxis={"title": t("cust_axis_customers")},
    height=340,
)
st.plotly_chart(clv_chart, width="stretch")
st.markdown(f"**{t('cust_clv_top', count=TOP_CUSTOMERS)}**")
st.dataframe(table.head(TOP_CUSTOMERS), hide_index=True, width="stretch")
if not scope.sees_personal_data:
    st.caption(t("cust_ids_masked"))

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

export = {t("cust_clv_sheet"): table}
customer_download_button(
    t("cust_download_excel"),
    lambda: frames_to_xlsx(export),  # built when clicked, not on every rerun
    file_name=f"customer_lifetime_value_{unit['code']}_{end.isoformat()}.xlsx",
    key="cust_clv_download",
    what="lifetime_value",
    rows=len(table),
    icon=None,
)

"""Huff model: λ (distance decay) and α (attractiveness exponent) calibrated by maximum likelihood
on where our customers actually bank (home cell → outlet), with standard errors, goodness of fit
and how the answers change with λ."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics import catchment, huff
from config.settings import load_settings
from data import queries, queries_market
from ui.charts import plain_numbers
from ui.data_access import dataset_info, run_query
from ui.excel import frames_to_xlsx
from ui.format import format_count, format_ratio
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.page_entry import enter_through_app
from ui.planning import data_dates_note
from ui.sidebar import focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

DISTANCE_BANDS_KM = [0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, np.inf]
KINDS = ["all", "personal", "corporate"]

lang = current_language()
unit = focus_unit()
st.title(t("huff_title"))
st.caption(t("huff_caption", unit=name_of(unit)) + " " + data_dates_note())

with st.spinner(t("loading")):
    cells = run_query(queries_market.market_demand_cells, unit["id"])
    outlets = run_query(queries_market.market_outlets, unit["id"])
    customers = run_query(queries_market.market_customer_cells, unit["id"])
    competitors = run_query(queries.competitor_outlets, unit["id"])

controls = st.columns([2, 2, 2])
kind_labels = {k: t(f"huff_kind_{k}") for k in KINDS}
kind = controls[0].selectbox(t("huff_kind"), KINDS, format_func=kind_labels.get, key="huff_kind")
min_distance = controls[1].number_input(
    t("huff_min_distance"), min_value=0.05, max_value=2.0, value=0.35, step=0.05, key="huff_min_distance"
)
fit_alpha = controls[2].toggle(t("huff_fit_alpha"), value=True, key="huff_fit_alpha")
chosen = customers if kind == "all" else customers[customers["kind"] == kind]


@st.cache_data(show_spinner=False, max_entries=16)
def calibrate(cells, outlets, chosen, min_distance, fit_alpha):
    """Calibration inputs and the maximum-likelihood fit (cached on every input)."""
    data = catchment.calibration_data(cells, outlets, chosen, min_distance_km=min_distance)
    return data, huff.calibrate_huff(data.distances, data.attractiveness, data.counts, fit_alpha=fit_alpha)


if chosen.empty or cells.empty:
    st.info(t("huff_no_customers"))
    st.stop()
try:
    with st.spinner(t("huff_fitting")):
        data, fit = calibrate(cells, outlets, chosen, min_distance, fit_alpha)
except ValueError:
    st.warning(t("huff_not_identified"))
    st.stop()

# --- Estimates -------------------------------------------------------------------------------
st.subheader(t("huff_estimates_title"))
metrics = st.columns(4)
metrics[0].metric(t("huff_metric_lambda"), f"{fit.lambda_:.3f}", help=t("huff_se_help"))
metrics[0].caption(
    t(
        "huff_se_ci",
        se=f"{fit.lambda_se:.3f}",
        low=f"{fit.lambda_ - 1.96 * fit.lambda_se:.3f}",
        high=f"{fit.lambda_ + 1.96 * fit.lambda_se:.3f}",
    )
)
if fit_alpha:
    metrics[1].metric(t("huff_metric_alpha"), f"{fit.alpha:.3f}", help=t("huff_se_help"))
    metrics[1].caption(
        t(
            "huff_se_ci",
            se=f"{fit.alpha_se:.3f}",
            low=f"{fit.alpha - 1.96 * fit.alpha_se:.3f}",
            high=f"{fit.alpha + 1.96 * fit.alpha_se:.3f}",
        )
    )
else:
    metrics[1].metric(t("huff_metric_alpha"), f"{fit.alpha:.3f}")
    metrics[1].caption(t("huff_alpha_fixed"))
metrics[2].metric(t("huff_metric_r2"), f"{fit.pseudo_r2:.3f}", help=t("huff_r2_help"))
metrics[3].metric(t("huff_metric_customers"), format_count(fit.n_customers, lang))
metrics[3].caption(t("huff_cells_outlets", cells=fit.n_cells, outlets=len(data.outlets)))
if not fit.converged:
    st.warning(t("huff_not_converged"))
if data.dropped_customers:
    st.caption(t("huff_dropped", count=format_count(data.dropped_customers, lang)))
info = dataset_info(load_settings().database_url)
if info.get("synthetic") == "true" and "huff_lambda" in info:
    st.info(t("huff_demo_truth", decay=info["huff_lambda"], alpha=info["huff_alpha"]))
if st.button(t("huff_use"), key="huff_use", type="primary"):
    st.session_state["huff_params"] = {"lambda": round(fit.lambda_, 3), "alpha": round(fit.alpha, 3)}
    st.success(t("huff_used", decay=f"{fit.lambda_:.3f}", alpha=f"{fit.alpha:.3f}"))
elif "huff_params" in st.session_state:
    used = st.session_state["huff_params"]
    st.caption(t("huff_in_use", decay=f"{used['lambda']:g}", alpha=f"{used['alpha']:g}"))

# --- Goodness of fit -------------------------------------------------------------------------
st.subheader(t("huff_fit_title"))
observed = np.asarray(data.counts.sum(axis=0)).ravel()
predicted = huff.predicted_choices(data.distances, data.attractiveness, data.counts, fit.lambda_, fit.alpha)
unit_labels = unit_label_map()
labels = [unit_labels.get(int(i), "") for i in data.outlets["id"]]
fit_columns = st.columns(2)
scatter = go.Figure()
scatter.add_trace(
    go.Scatter(
        x=predicted,
        y=observed,
        mode="markers",
        text=labels,
        name=t("huff_series_outlets"),
        marker={"size": 9, "color": "#2c7fb8"},
        hovertemplate="%{text}<br>%{x:,.0f} → %{y:,.0f}<extra></extra>",
    )
)
top = float(max(observed.max(), predicted.max())) * 1.05
scatter.add_trace(
    go.Scatter(
        x=[0, top], y=[0, top], mode="lines", name=t("huff_series_diagonal"), line={"dash": "dot", "color": "#999"}
    )
)
scatter.update_layout(
    title=t("huff_chart_outlets"),
    xaxis_title=t("huff_axis_predicted"),
    yaxis_title=t("huff_axis_observed"),
    height=380,
    margin={"t": 50, "b": 40},
)
plain_numbers(scatter, "x")
plain_numbers(scatter, "y")
fit_columns[0].plotly_chart(scatter, key="huff_scatter")
profile = huff.chosen_distance_profile(
    data.distances, data.attractiveness, data.counts, fit.lambda_, fit.alpha, DISTANCE_BANDS_KM
)
band_labels = [
    t("huff_band", low=f"{low:g}", high=f"{high:g}") if np.isfinite(high) else t("huff_band_open", low=f"{low:g}")
    for low, high in zip(profile["from_km"], profile["to_km"])
]
bars = go.Figure()
bars.add_trace(go.Bar(x=band_labels, y=profile["observed"], name=t("huff_series_observed"), marker_color="#2c7fb8"))
bars.add_trace(go.Bar(x=band_labels, y=profile["predicted"], name=t("huff_series_predicted"), marker_color="#a1dab4"))
bars.update_layout(
    title=t("huff_chart_distance"),
    xaxis_title=t("huff_axis_distance"),
    yaxis_title=t("huff_axis_share"),
    yaxis_tickformat=".0%",
    barmode="group",
    height=380,
    margin={"t": 50, "b": 40},
)
fit_columns[1].plotly_chart(bars, key="huff_distance_chart")
fit_table = pd.DataFrame(
    {
        t("col_code"): data.outlets["code"],
        t("col_name"): labels,
        t("map_col_attractiveness"): np.round(data.attractiveness, 3),
        t("huff_axis_observed"): observed.astype(int),
        t("huff_axis_predicted"): np.round(predicted, 1),
    }
)
with st.expander(t("huff_fit_table")):
    st.dataframe(fit_table, hide_index=True, width="stretch")

# --- Sensitivity to λ ------------------------------------------------------------------------
st.subheader(t("huff_sensitivity_title"))
st.caption(t("huff_sensitivity_help"))
lambdas = np.round(np.unique(np.concatenate([np.linspace(1.0, 3.0, 9), [fit.lambda_]])), 3)


@st.cache_data(show_spinner=False, max_entries=16)
def sensitivity(cells, outlets, competitors, lambdas, alpha, min_distance):
    """Our market share and each outlet's captured demand at every λ (α held)."""
    trading = outlets[(outlets["status"] == "open") & outlets["lon"].notna()]
    rows = []
    for decay in lambdas:
        market = catchment.build_market(
            cells,
            trading,
            competitors,
            distance_decay=float(decay),
            attractiveness_exponent=alpha,
            min_distance_km=min_distance,
        )
        rows.append({"lambda": float(decay), "share": market.market_share})
    return pd.DataFrame(rows)


log_likelihood = huff.log_likelihood_profile(data.distances, data.attractiveness, data.counts, lambdas, fit.alpha)
with st.spinner(t("map_computing")):
    shares = sensitivity(cells, outlets, competitors, tuple(lambdas), fit.alpha, min_distance)
sensitivity_columns = st.columns(2)
likelihood_chart = go.Figure(
    go.Scatter(
        x=lambdas, y=log_likelihood, mode="lines+markers", name=t("huff_series_loglik"), line={"color": "#253494"}
    )
)
likelihood_chart.add_vline(x=fit.lambda_, line_dash="dot", line_color="#e6550d")
likelihood_chart.update_layout(
    title=t("huff_chart_loglik"),
    xaxis_title=t("huff_axis_lambda"),
    yaxis_title=t("huff_axis_loglik"),
    height=340,
    margin={"t": 50, "b": 40},
    showlegend=False,
)
plain_numbers(likelihood_chart, "y")
sensitivity_columns[0].plotly_chart(likelihood_chart, key="huff_loglik_chart")
share_chart = go.Figure(
    go.Scatter(
        x=shares["lambda"],
        y=shares["share"],
        mode="lines+markers",
        name=t("map_metric_share"),
        line={"color": "#2c7fb8"},
    )
)
share_chart.add_vline(x=fit.lambda_, line_dash="dot", line_color="#e6550d")
share_chart.update_layout(
    title=t("huff_chart_share"),
    xaxis_title=t("huff_axis_lambda"),
    yaxis_title=t("map_metric_share"),
    yaxis_tickformat=".1%",
    height=340,
    margin={"t": 50, "b": 40},
    showlegend=False,
)
sensitivity_columns[1].plotly_chart(share_chart, key="huff_share_chart")
sensitivity_table = pd.DataFrame(
    {
        t("huff_axis_lambda"): lambdas,
        t("huff_axis_loglik"): np.round(log_likelihood, 1),
        t("map_metric_share"): shares["share"].map(format_ratio).to_numpy(),
    }
)
st.download_button(
    t("map_download"),
    frames_to_xlsx({t("huff_fit_title"): fit_table, t("huff_sensitivity_title"): sensitivity_table}),
    file_name="huff_calibration.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="huff_download",
)

with st.expander(t("how_computed")):
    st.markdown(t("huff_how", ll=f"{fit.log_likelihood:,.1f}", null=f"{fit.null_log_likelihood:,.1f}"))

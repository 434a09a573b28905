"""What the planning pages (candidate scoring, what-if scenarios, network optimisation) start from:
the focus unit's market — demand cells, our outlets, the competitors' — with the Huff parameters in
force, and what one unit of captured demand is worth in deposits and customers today."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analytics import catchment, finance
from data import queries, queries_market
from ui.data_access import run_query
from ui.i18n import t

DEFAULT_HUFF_PARAMS = {"lambda": 2.0, "alpha": 1.0}  # until the Huff model page calibrates them
MIN_DISTANCE_KM = 0.35  # a cell's demand is never closer to an outlet than this (no zero distances)


@dataclass(frozen=True)
class PlanningMarket:
    """The market of a unit: ``trading`` are our open outlets with coordinates."""

    cells: pd.DataFrame
    outlets: pd.DataFrame
    trading: pd.DataFrame
    competitors: pd.DataFrame
    distance_decay: float
    attractiveness_exponent: float


def load_planning_market(unit_id: int) -> PlanningMarket:
    """Read the unit's market; stops the page with a message when it has no demand or no outlet."""
    with st.spinner(t("loading")):
        cells = run_query(queries_market.market_demand_cells, unit_id)
        outlets = run_query(queries_market.market_outlets, unit_id)
        competitors = run_query(queries.competitor_outlets, unit_id)
    trading = outlets[(outlets["status"] == "open") & outlets["lon"].notna()].reset_index(drop=True)
    if cells.empty or trading.empty:
        st.info(t("map_no_market"))
        st.stop()
    params = st.session_state.get("huff_params", DEFAULT_HUFF_PARAMS)
    return PlanningMarket(cells, outlets, trading, competitors, float(params["lambda"]), float(params["alpha"]))


@st.cache_data(show_spinner=False, max_entries=8)
def huff_market(cells, trading, competitors, decay, exponent) -> catchment.Market:
    """The Huff market of these outlets and competitors (cached on every input)."""
    return catchment.build_market(
        cells,
        trading,
        competitors,
        distance_decay=decay,
        attractiveness_exponent=exponent,
        min_distance_km=MIN_DISTANCE_KM,
    )


def huff_market_today(market: PlanningMarket) -> catchment.Market:
    """The Huff market of today's outlets (cached on the inputs and parameters)."""
    return huff_market(
        market.cells, market.trading, market.competitors, market.distance_decay, market.attractiveness_exponent
    )


def kpi_month(unit_id: int) -> dt.date | None:
    """The month whose KPIs the planning pages use: the sidebar month where the unit has KPIs for
    it, else the unit's latest month (None without KPIs)."""
    months = run_query(queries.kpi_months, unit_id)
    chosen = st.session_state.get("month")
    return chosen if chosen in months else (months[0] if months else None)


def value_per_captured_unit(unit_id: int, today: catchment.Market) -> tuple[float, float]:
    """Deposits (RMB) and active customers per unit of Huff demand our outlets capture today.

    The unit's deposits and active customers of the selected month (:func:`kpi_month`) divided
    by the demand our outlets capture in ``today``: what a new outlet's captured demand is worth
    at maturity.
    """
    month = kpi_month(unit_id)
    own_captured = float(today.outlets.loc[today.own, "captured"].sum())
    rates = []
    for code in ("deposits_total", "customers_active"):
        total = run_query(queries.outlet_map_data, unit_id, month, code)["value"].fillna(0).sum() if month else 0
        rates.append(finance.per_unit_rate(total, own_captured))
    return rates[0], rates[1]


def data_dates_note(unit_id: int | None = None) -> str:
    """What dates a planning page's figures are of: the demand grid, outlets and competitors as
    they are in the database now, and (``unit_id`` given) deposits and customers of the KPI month."""
    month = kpi_month(unit_id) if unit_id is not None else None
    if month is None:
        return t("plan_data_current")
    return t("plan_data_current") + " " + t("plan_data_kpi_month", month=f"{month:%Y-%m}")


def type_median(outlets: pd.DataFrame, outlet_type: str, column: str, default: float) -> float:
    """Median of a column over our outlets of a type (``default`` when none has a value)."""
    values = outlets.loc[outlets["outlet_type"] == outlet_type, column]
    return float(values.median()) if values.notna().any() else default

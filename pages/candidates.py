"""Candidate scoring: candidate sites from the map, typed coordinates, an uploaded list or every
grid cell; a multi-criteria suitability score with the user's weights, and a Huff evaluation with
money attached (captured demand, cannibalisation, deposits and customers at maturity, cost,
payback, NPV); a heatmap over the grid, the top N and an Excel export."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import streamlit as st

from analytics import catchment, finance, huff, scoring
from config.settings import load_settings
from data import queries, queries_market
from ui import maps
from ui.data_access import run_query
from ui.excel import frames_to_xlsx
from ui.format import format_count, format_money
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.page_entry import enter_through_app
from ui.planning import (
    MIN_DISTANCE_KM,
    data_dates_note,
    huff_market_today,
    load_planning_market,
    type_median,
    value_per_captured_unit,
)
from ui.sidebar import focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

SOURCES = ["grid", "points", "upload"]
CRITERIA = list(scoring.SITE_CRITERIA)
DIRECTIONS = list(scoring.DIRECTIONS)
DEFAULT_IDEALS = {"nearest_own_km": 2.0, "income_index": 1.2}
RANK_BY = ["suitability", "npv_rmb", "net_gain"]

lang = current_language()
unit = focus_unit()
st.title(t("cand_title"))
st.caption(t("cand_caption", unit=name_of(unit)) + " " + data_dates_note(unit["id"]))

market = load_planning_market(unit["id"])
cells, outlets, trading, competitors = market.cells, market.outlets, market.trading, market.competitors
decay, exponent = market.distance_decay, market.attractiveness_exponent
with st.spinner(t("loading")):
    customers = run_query(queries_market.market_customer_cells, unit["id"])
    today = huff_market_today(market)
    deposits_per_unit, customers_per_unit = value_per_captured_unit(unit["id"], today)

# --- Candidates -----------------------------------------------------------------------------------
source_labels = {s: t(f"cand_source_{s}") for s in SOURCES}
source = st.radio(t("cand_source"), SOURCES, format_func=source_labels.get, horizontal=True, key="cand_source")
types = sorted(trading["outlet_type"].dropna().unique())
type_labels = {v: t(f"outlet_type_{v}") for v in types}
setup = st.columns(3)
outlet_type = setup[0].selectbox(
    t("cand_type"),
    types,
    index=types.index("sub_office") if "sub_office" in types else 0,
    format_func=type_labels.get,
    key="cand_type",
)
default_area = type_median(outlets, outlet_type, "floor_area_m2", 400.0)
floor_area = setup[1].number_input(
    t("cand_floor_area"),
    min_value=20.0,
    max_value=5000.0,
    value=round(default_area, -1),
    step=10.0,
    key="cand_floor_area",
)
radius_km = setup[2].number_input(
    t("cand_radius"), min_value=0.2, max_value=10.0, value=1.0, step=0.1, key="cand_radius"
)

points: list[dict] = st.session_state.setdefault("cand_points", [])
upload_errors = pd.DataFrame()
candidates = pd.DataFrame(columns=["name", "lon", "lat"])
if source == "points":
    entry = st.columns([2, 2, 2, 1, 1])
    name = entry[0].text_input(t("cand_point_name"), value=t("cand_point_default", n=len(points) + 1), key="cand_name")
    lon = entry[1].number_input(t("col_lon"), value=float(cells["lon"].median()), format="%.5f", key="cand_lon")
    lat = entry[2].number_input(t("col_lat"), value=float(cells["lat"].median()), format="%.5f", key="cand_lat")
    if entry[3].button(t("cand_add"), key="cand_add"):
        table = pd.DataFrame([{"name": name, "lon": lon, "lat": lat}] + points)
        clean, errors = scoring.validate_candidate_table(table, cells[["lon", "lat"]].to_numpy(dtype=float))
        if errors.empty:
            points.insert(0, {"name": name, "lon": lon, "lat": lat})
        else:
            st.error(t("cand_point_refused", reason=t(f"cand_err_row_{errors['code'].iloc[0]}")))
    if entry[4].button(t("cand_clear"), key="cand_clear"):
        points.clear()
    st.caption(t("cand_points_help"))
    candidates = pd.DataFrame(points, columns=["name", "lon", "lat"])
elif source == "upload":
    upload = st.file_uploader(t("cand_upload"), type=["csv", "xlsx"], key="cand_upload")
    st.caption(t("cand_upload_help"))
    if upload is not None:
        try:
            raw = (
                pd.read_excel(io.BytesIO(upload.getvalue()))
                if upload.name.lower().endswith(".xlsx")
                else pd.read_csv(io.BytesIO(upload.getvalue()))
            )
        except Exception:  # noqa: BLE001 - any unreadable file gets the same message
            st.error(t("cand_upload_unreadable"))
            st.stop()
        candidates, upload_errors = scoring.validate_candidate_table(raw, cells[["lon", "lat"]].to_numpy(dtype=float))
        if not upload_errors.empty:
            st.error(t("cand_upload_refused", count=len(upload_errors)))
            st.dataframe(
                pd.DataFrame(
                    {
                        t("cand_col_row"): upload_errors["row"],
                        t("cand_col_column"): upload_errors["column"],
                        t("cand_col_problem"): upload_errors["code"].map(lambda c: t(f"cand_err_row_{c}")),
                    }
                ),
                hide_index=True,
                width="stretch",
            )
            st.stop()

# --- Criteria and weights -------------------------------------------------------------------------
st.subheader(t("cand_criteria_title"))
st.caption(t("cand_criteria_help"))
direction_labels = {d: t(f"cand_direction_{d}") for d in DIRECTIONS}
criteria = []
header = st.columns([3, 2, 2, 2])
for column, key in zip(header, ("cand_col_criterion", "cand_col_weight", "cand_col_direction", "cand_col_ideal")):
    column.markdown(f"**{t(key)}**")
for name in CRITERIA:
    direction, weight = scoring.SITE_CRITERIA[name]
    row = st.columns([3, 2, 2, 2])
    row[0].markdown(t(f"cand_criterion_{name}"))
    weight = row[1].number_input(
        t("cand_col_weight"), 0.0, 100.0, weight, 5.0, key=f"cand_w_{name}", label_visibility="collapsed"
    )
    direction = row[2].selectbox(
        t("cand_col_direction"),
        DIRECTIONS,
        index=DIRECTIONS.index(direction),
        format_func=direction_labels.get,
        key=f"cand_d_{name}",
        label_visibility="collapsed",
    )
    ideal = row[3].number_input(
        t("cand_col_ideal"),
        value=float(DEFAULT_IDEALS.get(name, 0.0)),
        key=f"cand_i_{name}",
        label_visibility="collapsed",
        disabled=direction != "ideal",
    )
    if weight > 0:
        criteria.append(scoring.Criterion(name, weight, direction, ideal if direction == "ideal" else None))
total_weight = sum(c.weight for c in criteria)
st.caption(t("cand_weight_total", total=f"{total_weight:g}"))
try:
    scoring.validate_criteria(criteria, CRITERIA)
except scoring.CriteriaError as error:
    st.error(t(f"cand_err_{error.code}", **error.values))
    st.stop()

# --- Money ----------------------------------------------------------------------------------------
type_costs = outlets[outlets["outlet_type"] == outlet_type]
default_build = type_median(outlets, outlet_type, "build_cost_rmb", 3e6)
default_running = (
    float(((type_costs["monthly_rent_rmb"].fillna(0) + type_costs["monthly_running_cost_rmb"].fillna(0)) * 12).median())
    if not type_costs.empty
    else 2e6
)
with st.expander(t("cand_money_title")):
    money = st.columns(3)
    build_cost = money[0].number_input(
        t("cand_build_cost"), min_value=0.0, value=round(default_build, -4), step=100_000.0, key="cand_build"
    )
    running_cost = money[1].number_input(
        t("cand_running_cost"), min_value=0.0, value=round(default_running, -4), step=100_000.0, key="cand_running"
    )
    margin_pct = money[2].number_input(
        t("cand_margin"), min_value=0.0, max_value=10.0, value=1.5, step=0.1, key="cand_margin"
    )
    more = st.columns(4)
    discount_pct = more[0].number_input(t("cand_discount"), 0.0, 30.0, 8.0, 0.5, key="cand_discount")
    horizon = int(more[1].number_input(t("cand_horizon"), 1, 30, 10, 1, key="cand_horizon"))
    ramp = more[2].number_input(t("cand_ramp"), 0.5, 10.0, 3.0, 0.5, key="cand_ramp")
    cutoff_km = more[3].number_input(t("cand_cutoff"), 2.0, 100.0, 20.0, 1.0, key="cand_cutoff")
    st.caption(
        t(
            "cand_money_help",
            deposits=format_money(deposits_per_unit, lang),
            customers=f"{customers_per_unit:.4f}",
        )
    )


@st.cache_data(show_spinner=False, max_entries=16)
def evaluate(cells, sites, market_outlets, demand, attractiveness, decay, exponent, cutoff_km):
    """Huff evaluation of sites against today's network (cached on every input)."""
    own = market_outlets["own"].to_numpy(dtype=bool)
    return huff.evaluate_candidates(
        sites,
        attractiveness,
        cell_lonlat=cells[["lon", "lat"]].to_numpy(dtype=float),
        demand=demand,
        outlet_lonlat=market_outlets[["lon", "lat"]].to_numpy(dtype=float),
        outlet_attractiveness=market_outlets["attractiveness"].to_numpy(dtype=float),
        own=own,
        distance_decay=decay,
        attractiveness_exponent=exponent,
        cutoff_km=cutoff_km,
        min_distance_km=MIN_DISTANCE_KM,
    ).to_frame()


candidate_attractiveness = float(catchment.attractiveness_of_outlets([floor_area], [outlet_type])[0])
grid_sites = today.cells[["lon", "lat"]].to_numpy(dtype=float)
listed = candidates[["lon", "lat"]].to_numpy(dtype=float) if not candidates.empty else np.empty((0, 2))
all_sites = np.vstack([grid_sites, listed])
with st.spinner(t("cand_computing")):
    evaluation = evaluate(
        today.cells,
        all_sites,
        today.outlets,
        today.cells["demand"].to_numpy(),
        candidate_attractiveness,
        decay,
        exponent,
        cutoff_km,
    )
    values = scoring.site_criteria(
        all_sites,
        today.cells,
        catchment.customers_per_cell(customers, today.cells["h3_index"]),
        trading[["lon", "lat"]].to_numpy(dtype=float),
        competitors[["lon", "lat"]].to_numpy(dtype=float) if not competitors.empty else np.empty((0, 2)),
        radius_km,
    )
    values["net_gain"] = evaluation["net_gain"].to_numpy()
    suitability, scores = scoring.suitability(values, criteria)
    economics = finance.site_economics(
        evaluation["captured"],
        evaluation["net_gain"],
        deposits_per_unit=deposits_per_unit,
        customers_per_unit=customers_per_unit,
        margin_rate=margin_pct / 100,
        build_cost_rmb=build_cost,
        annual_running_cost_rmb=running_cost,
        horizon_years=horizon,
        ramp_years=ramp,
        discount_rate=discount_pct / 100,
    )
n_grid = grid_sites.shape[0]
results = pd.concat(
    [values, evaluation.drop(columns="net_gain"), economics.rename(columns={"customers": "customers_at_maturity"})],
    axis=1,
)
results["suitability"] = suitability.to_numpy()
results["lon"], results["lat"] = all_sites[:, 0], all_sites[:, 1]
results["name"] = list(today.cells["h3_index"]) + list(candidates["name"])
results["is_grid"] = np.arange(len(results)) < n_grid
scores = scores.add_prefix("score_")
results = pd.concat([results, scores], axis=1)

# --- Heatmap --------------------------------------------------------------------------------------
st.subheader(t("cand_heatmap_title"))
grid = results[results["is_grid"]].assign(
    h3_index=today.cells["h3_index"].to_numpy(), city_code=today.cells["city_code"].to_numpy()
)
breaks = maps.class_breaks(grid["suitability"])
grid = grid.assign(
    colour=maps.class_colours(grid["suitability"], breaks, True),
    tooltip=[
        t("cand_cell_tooltip", score=f"{s:.1f}", npv=format_money(v, lang))
        for s, v in zip(grid["suitability"], grid["npv_rmb"])
    ],
)
districts = run_query(queries.district_outlines, unit["id"])
# the map shows one city at a time: at region scale the cells would be too small to see
city_names = districts[districts["level"] == "city"].set_index("city_code")[f"name_{lang}"].to_dict()
city_codes = [
    c for c in dict.fromkeys(grid.sort_values("suitability", ascending=False)["city_code"]) if c in city_names
]
if city_codes:
    city = st.selectbox(t("cand_city"), city_codes, format_func=city_names.get, key="cand_city")
    shown_cells = grid[grid["city_code"] == city]
else:
    shown_cells = grid
view = maps.view_for(shown_cells["lon"], shown_cells["lat"])
layers = maps.basemap_layers(districts, f"name_{lang}", view.zoom) if not districts.empty else []
layers.append(maps.hexagon_layer(grid[["h3_index", "colour", "tooltip", "lon", "lat"]], "cells", opacity=0.65))
own_points = trading.assign(
    colour=[[37, 52, 148]] * len(trading),
    tooltip=[f"<b>{unit_label_map().get(int(i), '')}</b>" for i in trading["id"]],
)
layers.append(maps.point_layer(own_points, "outlets", radius_m=200, min_pixels=4))
if not candidates.empty:
    listed_rows = results[~results["is_grid"]].assign(
        colour=[[230, 85, 13]] * int((~results["is_grid"]).sum()),
        tooltip=[
            f"<b>{n}</b><br/>{s:.1f}"
            for n, s in zip(candidates["name"], results.loc[~results["is_grid"], "suitability"])
        ],
    )
    layers.append(maps.point_layer(listed_rows, "candidates", radius_m=220, min_pixels=6))


def pick_cell() -> None:
    """A click on a grid cell makes its centre the typed candidate point."""
    selection = st.session_state.get("cand_map")
    objects = (selection or {}).get("selection", {}).get("objects", {}).get("cells", [])
    if objects:
        st.session_state["cand_source"] = "points"
        st.session_state["cand_lon"] = float(objects[0]["lon"])
        st.session_state["cand_lat"] = float(objects[0]["lat"])


st.pydeck_chart(
    maps.build_deck(layers, view, load_settings().map_style_url),
    height=maps.MAP_HEIGHT_PX,
    on_select=pick_cell,
    selection_mode="single-object",
    key="cand_map",
)
st.markdown(
    maps.legend_html(t("cand_legend"), maps.legend_entries(breaks, True, lambda v: f"{v:.0f}")), unsafe_allow_html=True
)
st.caption(t("cand_click_help"))

# --- Top N ----------------------------------------------------------------------------------------
st.subheader(t("cand_top_title"))
options = st.columns(2)
rank_labels = {r: t(f"cand_rank_{r}") for r in RANK_BY}
rank_by = options[0].selectbox(t("cand_rank_by"), RANK_BY, format_func=rank_labels.get, key="cand_rank_by")
top_n = int(options[1].slider(t("cand_top_n"), 5, 50, 10, 5, key="cand_top_n"))
ranked_column = "net_gain" if rank_by == "net_gain" else rank_by
pool = results if source == "grid" or candidates.empty else results[~results["is_grid"]]
if source != "grid" and candidates.empty:
    st.info(t("cand_no_candidates"))
    pool = results.iloc[0:0]
top = pool.sort_values(ranked_column, ascending=False).head(top_n)
table = pd.DataFrame(
    {
        t("cand_col_site"): top["name"],
        t("col_lon"): top["lon"].round(5),
        t("col_lat"): top["lat"].round(5),
        t("cand_rank_suitability"): top["suitability"].round(1),
    }
)
for name in [c.column for c in criteria]:
    table[t("cand_score_of", name=t(f"cand_criterion_{name}"))] = top[f"score_{name}"].round(0)
table[t("cand_col_captured")] = top["captured"].map(lambda v: format_count(v, lang))
table[t("cand_col_from_own")] = top["from_own"].map(lambda v: format_count(v, lang))
table[t("cand_col_from_rivals")] = (top["from_competitors"] + top["from_unserved"]).map(lambda v: format_count(v, lang))
table[t("cand_col_deposits")] = top["deposits_rmb"].map(lambda v: format_money(v, lang))
table[t("cand_col_net_deposits")] = top["net_deposits_rmb"].map(lambda v: format_money(v, lang))
table[t("cand_col_customers")] = top["customers_at_maturity"].map(lambda v: format_count(v, lang))
table[t("cand_build_cost")] = top["build_cost_rmb"].map(lambda v: format_money(v, lang))
table[t("cand_running_cost")] = top["annual_running_cost_rmb"].map(lambda v: format_money(v, lang))
table[t("cand_col_payback")] = top["payback_years"].map(lambda v: f"{v:.1f}" if np.isfinite(v) else t("cand_never"))
table[t("cand_col_npv")] = top["npv_rmb"].map(lambda v: format_money(v, lang))
st.dataframe(table, hide_index=True, width="stretch")
# The same columns as numbers (amounts in 元 / RMB, counts as counted), for a planner's own sums.
export = table.copy()
raw = {
    "cand_col_captured": top["captured"],
    "cand_col_from_own": top["from_own"],
    "cand_col_from_rivals": top["from_competitors"] + top["from_unserved"],
    "cand_col_deposits": top["deposits_rmb"],
    "cand_col_net_deposits": top["net_deposits_rmb"],
    "cand_col_customers": top["customers_at_maturity"],
    "cand_build_cost": top["build_cost_rmb"],
    "cand_running_cost": top["annual_running_cost_rmb"],
    "cand_col_payback": top["payback_years"].where(np.isfinite(top["payback_years"])),
    "cand_col_npv": top["npv_rmb"],
}
for key, values in raw.items():
    export[t(key)] = values.round(2).to_numpy()
st.download_button(
    t("map_download"),
    frames_to_xlsx({t("cand_top_title"): table, t("cand_export_numbers"): export}),
    file_name="candidate_sites.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="cand_download",
)
with st.expander(t("how_computed")):
    st.markdown(t("cand_how", decay=f"{decay:g}", alpha=f"{exponent:g}", cutoff=f"{cutoff_km:g}"))

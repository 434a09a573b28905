"""Network optimisation: choose k new sites from candidate cells (and optionally which existing
outlets to keep) for maximal covering, p-median or maximum captured Huff demand, solved with
scipy's HiGHS to proven optimality (or the stated gap), with a budget on build cost, solve time
and progress while solving."""

from __future__ import annotations

import concurrent.futures
import time

import numpy as np
import pandas as pd
import streamlit as st

from analytics import catchment, siting
from config.settings import load_settings
from data import queries
from ui import maps
from ui.data_access import run_query
from ui.excel import frames_to_xlsx
from ui.format import format_count, format_money, format_ratio
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.page_entry import enter_through_app
from ui.planning import MIN_DISTANCE_KM, data_dates_note, huff_market, load_planning_market, type_median
from ui.sidebar import focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

MODELS = ["covering", "pmedian", "huff"]
EXISTING = ["fixed", "may_close"]
METHODS = ["greedy", "exact"]

lang = current_language()
unit = focus_unit()
st.title(t("opt_title"))
st.caption(t("opt_caption", unit=name_of(unit)) + " " + data_dates_note())

market = load_planning_market(unit["id"])
cells, outlets, trading, competitors = market.cells, market.outlets, market.trading, market.competitors
decay, exponent = market.distance_decay, market.attractiveness_exponent

# --- Problem -----------------------------------------------------------------------------------------
model_labels = {m: t(f"opt_model_{m}") for m in MODELS}
model = st.radio(t("opt_model"), MODELS, format_func=model_labels.get, horizontal=True, key="opt_model")
st.caption(t(f"opt_model_{model}_help"))
row = st.columns(4)
existing_labels = {e: t(f"opt_existing_{e}") for e in EXISTING}
existing_mode = row[0].selectbox(t("opt_existing"), EXISTING, format_func=existing_labels.get, key="opt_existing")
k = int(row[1].number_input(t("opt_k"), min_value=1, max_value=500, value=3, step=1, key="opt_k"))
n_candidates = int(row[2].slider(t("opt_n_candidates"), 5, 300, 40, 5, key="opt_n_candidates"))
spacing = row[3].number_input(t("opt_spacing"), 0.0, 5.0, 0.5, 0.1, key="opt_spacing")
row = st.columns(4)
radius = row[0].number_input(t("opt_radius"), 0.2, 20.0, 1.5, 0.1, key="opt_radius", disabled=model != "covering")
method_labels = {m: t(f"opt_method_{m}") for m in METHODS}
method = row[1].selectbox(
    t("opt_method"), METHODS, format_func=method_labels.get, key="opt_method", disabled=model != "huff"
)
cutoff = row[2].number_input(t("opt_cutoff"), 1.0, 50.0, 8.0, 1.0, key="opt_cutoff", disabled=model != "huff")
time_limit = float(row[3].number_input(t("opt_time_limit"), 1.0, 600.0, 60.0, 5.0, key="opt_time_limit"))
types = sorted(trading["outlet_type"].dropna().unique())
type_labels = {v: t(f"outlet_type_{v}") for v in types}
row = st.columns(4)
new_type = row[0].selectbox(
    t("cand_type"),
    types,
    index=types.index("sub_office") if "sub_office" in types else 0,
    format_func=type_labels.get,
    key="opt_type",
)
build_cost = type_median(outlets, new_type, "build_cost_rmb", 3e6)
area = type_median(outlets, new_type, "floor_area_m2", 400.0)
use_budget = row[1].toggle(t("opt_budget_on"), value=False, key="opt_budget_on", disabled=model == "pmedian")
budget = row[2].number_input(
    t("opt_budget"),
    min_value=0.0,
    value=round(build_cost * k, -4),
    step=100_000.0,
    key="opt_budget",
    disabled=not use_budget or model == "pmedian",
)
row[3].caption(t("opt_build_cost_note", cost=format_money(build_cost, lang)))
if model == "pmedian":
    st.caption(t("opt_pmedian_no_budget"))


@st.cache_data(show_spinner=False, max_entries=8)
def design_for(cells, trading, competitors, decay, exponent, n_candidates, spacing, attractiveness, cutoff):
    """Candidate cells and the models' inputs (cached on every input)."""
    market = huff_market(cells, trading, competitors, decay, exponent)
    in_market = market.cells[market.cells["in_market"]]
    new_sites = catchment.candidate_cells(
        in_market, trading[["lon", "lat"]].to_numpy(dtype=float), n_candidates, spacing
    )
    return catchment.network_design_inputs(
        market,
        new_sites,
        attractiveness,
        distance_decay=decay,
        attractiveness_exponent=exponent,
        cutoff_km=cutoff,
        min_distance_km=MIN_DISTANCE_KM,
    )


attractiveness = float(catchment.attractiveness_of_outlets([area], [new_type])[0])
design = design_for(cells, trading, competitors, decay, exponent, n_candidates, spacing, attractiveness, cutoff)
n_existing = len(design.existing)
n_new_sites = len(design.sites) - n_existing
p = n_existing + k
fixed = design.existing if existing_mode == "fixed" else None
site_costs = np.where(design.sites["existing"].to_numpy(dtype=bool), 0.0, build_cost)
population = design.cells["population"].to_numpy(dtype=float)
demand = design.cells["demand"].to_numpy(dtype=float)
st.caption(t("opt_size", cells=format_count(len(design.cells), lang), existing=n_existing, new=n_new_sites, p=p))


def solve(model, distance, attraction, other, population, demand, p, fixed, radius, method, time_limit, costs, budget):
    """Run the chosen model (in a worker thread, so the page can show progress)."""
    if model == "covering":
        return siting.maximal_covering(distance, population, p, radius, fixed, time_limit, costs, budget)
    if model == "pmedian":
        return siting.p_median(distance, population, p, fixed, time_limit)
    return siting.max_huff_capture(
        attraction, other, demand, p, fixed, method=method, time_limit=time_limit, site_costs=costs, budget=budget
    )


signature = (
    model,
    existing_mode,
    k,
    n_candidates,
    spacing,
    radius,
    method,
    cutoff,
    time_limit,
    new_type,
    use_budget,
    budget,
    decay,
    exponent,
    unit["id"],
)
if k > n_new_sites:
    st.error(t("opt_err_k", k=k, n=n_new_sites))
elif st.button(t("opt_solve"), key="opt_solve", type="primary"):
    progress = st.progress(0.0, text=t("opt_solving", seconds="0"))
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(
            solve,
            model,
            design.distance_km,
            design.attraction,
            design.other,
            population,
            demand,
            p,
            fixed,
            radius,
            method,
            time_limit,
            site_costs if use_budget and model != "pmedian" else None,
            budget if use_budget and model != "pmedian" else None,
        )
        while not future.done():
            elapsed = time.perf_counter() - started
            progress.progress(min(elapsed / time_limit, 1.0), text=t("opt_solving", seconds=f"{elapsed:.0f}"))
            time.sleep(0.2)
        progress.empty()
        try:
            result = future.result()
            st.session_state["opt_last"] = {"signature": signature, "result": result}
        except ValueError as error:
            message = str(error)
            st.session_state.pop("opt_last", None)
            if "budget" in message and "time limit" not in message:
                st.error(t("opt_err_budget"))
            elif "time limit" in message:
                st.error(t("opt_err_no_solution"))
            elif "too large" in message:
                st.error(t("opt_err_too_large"))
            else:
                st.error(t("opt_err_input", message=message))

last = st.session_state.get("opt_last")
if not last or last["signature"] != signature:
    st.info(t("opt_press_solve"))
    st.stop()
result = last["result"]

# --- Result ---------------------------------------------------------------------------------------
st.subheader(t("opt_result_title"))
selected = np.asarray(result.selected, dtype=np.int64)
existing_mask = design.sites["existing"].to_numpy(dtype=bool)
today = design.existing
if model == "covering":
    value_today = siting.covered_weight(design.distance_km, population, today, radius)
    fmt = lambda v: format_count(v, lang)  # noqa: E731
elif model == "pmedian":
    value_today = siting.p_median_cost(design.distance_km, population, today)
    fmt = lambda v: t("opt_person_km", value=format_count(v, lang))  # noqa: E731
else:
    value_today = siting.huff_capture_value(design.attraction, design.other, demand, today)
    fmt = lambda v: format_count(v, lang)  # noqa: E731
status_key = {
    "optimal": "opt_status_optimal",
    "time_limit": "opt_status_time_limit",
    "heuristic": "opt_status_heuristic",
}
cards = st.columns(5)
cards[0].metric(t("opt_metric_status"), t(status_key[result.status]))
cards[1].metric(t(f"opt_objective_{model}"), fmt(result.objective))
cards[2].metric(t("opt_metric_today"), fmt(value_today))
cards[3].metric(t("opt_metric_gap"), format_ratio(result.gap) if np.isfinite(result.gap) else "—")
cards[4].metric(t("opt_metric_time"), t("opt_seconds", seconds=f"{result.solve_seconds:.2f}"))
if model == "covering":
    st.caption(t("opt_covering_share", share=format_ratio(result.objective / population.sum())))
if result.status == "time_limit":
    st.warning(t("opt_not_proven", bound=fmt(result.bound)))
if model == "huff" and result.status == "heuristic":
    st.caption(t("opt_greedy_note", bound=fmt(result.bound)))

kept = [j for j in selected if existing_mask[j]]
opened = [j for j in selected if not existing_mask[j]]
closed = [j for j in today if j not in set(selected.tolist())]
# Our outlets by their unique label (key "o<id>"), new sites by their cell.
unit_labels = unit_label_map()
names = [
    unit_labels.get(int(key[1:]), name) if existing else name
    for key, name, existing in zip(
        design.sites["key"], design.sites["name" if lang == "zh" else "name_en"], design.sites["existing"]
    )
]
table = pd.DataFrame(
    {
        t("opt_col_site"): [names[j] for j in opened + kept + closed],
        t("opt_col_decision"): [t("opt_decision_open")] * len(opened)
        + [t("opt_decision_keep")] * len(kept)
        + [t("opt_decision_close")] * len(closed),
        t("col_lon"): [round(float(design.sites["lon"].iloc[j]), 5) for j in opened + kept + closed],
        t("col_lat"): [round(float(design.sites["lat"].iloc[j]), 5) for j in opened + kept + closed],
        t("opt_col_build_cost"): [format_money(build_cost, lang)] * len(opened) + ["—"] * (len(kept) + len(closed)),
    }
)
decision_colours = {
    "open": [230, 85, 13],
    "keep": [37, 52, 148],
    "close": [150, 150, 150],
    "candidate": [200, 200, 200],
}
points = design.sites.assign(
    decision=[
        "open" if j in opened else "keep" if j in kept else "close" if j in closed else "candidate"
        for j in range(len(design.sites))
    ]
)
points = points.assign(
    colour=points["decision"].map(decision_colours),
    tooltip=[
        f"<b>{n}</b><br/>{t('opt_decision_' + d) if d != 'candidate' else t('opt_candidate')}"
        for n, d in zip(names, points["decision"])
    ],
)
view = maps.view_for(design.sites["lon"], design.sites["lat"])
districts = run_query(queries.district_outlines, unit["id"])
layers = maps.basemap_layers(districts, f"name_{lang}", view.zoom) if not districts.empty else []
layers.append(maps.point_layer(points[points["decision"] == "candidate"], "candidates", radius_m=120, min_pixels=3))
layers.append(maps.point_layer(points[points["decision"] != "candidate"], "decisions", radius_m=260, min_pixels=6))
map_tab, table_tab = st.tabs([t("tab_map"), t("tab_table")])
with map_tab:
    st.pydeck_chart(maps.build_deck(layers, view, load_settings().map_style_url), height=maps.MAP_HEIGHT_PX)
    st.markdown(
        maps.legend_html(
            t("opt_legend"),
            [
                (
                    maps.hex_colour(decision_colours[d]),
                    t(f"opt_decision_{d}") if d != "candidate" else t("opt_candidate"),
                )
                for d in decision_colours
            ],
            round_swatch=True,
        ),
        unsafe_allow_html=True,
    )
with table_tab:
    st.dataframe(table, hide_index=True, width="stretch")
summary = pd.DataFrame(
    {
        t("scen_col_metric"): [
            t("opt_metric_status"),
            t(f"opt_objective_{model}"),
            t("opt_metric_today"),
            t("opt_metric_gap"),
            t("opt_metric_time"),
        ],
        t("opt_col_value"): [
            t(status_key[result.status]),
            result.objective,
            value_today,
            result.gap,
            result.solve_seconds,
        ],
    }
)
st.download_button(
    t("map_download"),
    frames_to_xlsx({t("opt_result_title"): summary, t("opt_col_site"): table}),
    file_name="network_optimisation.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="opt_download",
)
with st.expander(t("how_computed")):
    st.markdown(t("opt_how", decay=f"{decay:g}", alpha=f"{exponent:g}"))

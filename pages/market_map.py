"""Market map: our outlets, competitors, the demand grid, our customers and our Huff market share
on one offline map, an outlet's trade area (probability-based, rings, travel-time bands), and the
competition by district."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from analytics import catchment, huff
from config.settings import load_settings
from data import queries, queries_market
from ui import maps
from ui.data_access import run_query
from ui.excel import frames_to_xlsx
from ui.format import format_count, format_ratio
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.page_entry import enter_through_app
from ui.planning import data_dates_note
from ui.sidebar import focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

CELL_VIEWS = ["none", "population", "income", "businesses", "customers", "share", "trade_area", "travel_time"]
TRAVEL_BANDS_MIN = [5.0, 10.0, 15.0, 20.0]
BAND_COLOURS = [(37, 52, 148), (44, 127, 184), (65, 182, 196), (161, 218, 180)]
TRADE_COLOURS = {1: (37, 52, 148), 2: (127, 205, 187)}
RING_CHOICES_KM = [0.5, 1.0, 2.0, 3.0, 5.0]

lang = current_language()
unit = focus_unit()
st.title(t("map_title"))
st.caption(t("map_caption", unit=name_of(unit)) + " " + data_dates_note())
unit_labels = unit_label_map()

# --- Data ----------------------------------------------------------------------------------------
with st.spinner(t("loading")):
    cells = run_query(queries_market.market_demand_cells, unit["id"])
    outlets = run_query(queries_market.market_outlets, unit["id"])
    competitors = run_query(queries.competitor_outlets, unit["id"])
    customers = run_query(queries_market.market_customer_cells, unit["id"])
    districts = run_query(queries.district_outlines, unit["id"])
    district_totals = run_query(queries_market.market_district_totals, unit["id"])
trading = outlets[(outlets["status"] == "open") & outlets["lon"].notna()].reset_index(drop=True)
if cells.empty or trading.empty:
    st.info(t("map_no_market"))
    st.stop()

# --- Controls ------------------------------------------------------------------------------------
defaults = st.session_state.get("huff_params", {"lambda": 2.0, "alpha": 1.0})
with st.expander(t("map_settings"), expanded=False):
    columns = st.columns(5)
    decay = columns[0].number_input(
        t("map_lambda"), min_value=0.0, max_value=5.0, value=float(defaults["lambda"]), step=0.1, key="map_lambda"
    )
    exponent = columns[1].number_input(
        t("map_alpha"), min_value=0.0, max_value=5.0, value=float(defaults["alpha"]), step=0.1, key="map_alpha"
    )
    measures = list(catchment.DEMAND_MEASURES)
    measure_labels = {m: t(f"map_demand_{m}") for m in measures}
    measure = columns[2].selectbox(t("map_demand"), measures, format_func=measure_labels.get, key="map_demand")
    detour = columns[3].number_input(
        t("map_detour"), min_value=1.0, max_value=3.0, value=1.3, step=0.05, key="map_detour"
    )
    speed = columns[4].number_input(
        t("map_speed"), min_value=3.0, max_value=80.0, value=25.0, step=1.0, key="map_speed"
    )
    st.caption(t("map_settings_help"))


@st.cache_data(show_spinner=False, max_entries=16)
def market_for(cells, trading, competitors, measure, decay, exponent):
    """The Huff market of the scope's cities (cached on every input)."""
    return catchment.build_market(
        cells,
        trading,
        competitors,
        demand_measure=measure,
        distance_decay=decay,
        attractiveness_exponent=exponent,
        min_distance_km=0.35,
    )


with st.spinner(t("map_computing")):
    market = market_for(cells, trading, competitors, measure, decay, exponent)
cell_frame = market.cells
own_rows = market.outlets[market.outlets["own"]].reset_index(drop=True)

top = st.columns(4)
top[0].metric(t("map_metric_share"), format_ratio(market.market_share))
top[1].metric(t("map_metric_outlets"), format_count(len(trading), lang))
top[2].metric(t("map_metric_competitors"), format_count(len(competitors), lang))
top[3].metric(t("map_metric_customers"), format_count(customers["customers"].sum(), lang))

controls = st.columns([2, 2, 2, 2])
view_labels = {v: t(f"map_view_{v}") for v in CELL_VIEWS}
cell_view = controls[0].selectbox(t("map_cell_view"), CELL_VIEWS, index=6, format_func=view_labels.get, key="map_view")
types = sorted(outlets["outlet_type"].dropna().unique())
type_labels = {v: t(f"outlet_type_{v}") for v in types}
chosen_types = controls[1].multiselect(
    t("map_types"), types, default=types, format_func=type_labels.get, key="map_types", placeholder=t("widget_choose")
)
statuses = [s for s in ("open", "planned", "closed", "merged") if s in set(outlets["status"])]
status_labels = {v: t(f"status_{v}") for v in statuses}
chosen_statuses = controls[2].multiselect(
    t("map_statuses"),
    statuses,
    default=[s for s in statuses if s in ("open", "planned")],
    format_func=status_labels.get,
    key="map_statuses",
    placeholder=t("widget_choose"),
)
banks = competitors.drop_duplicates("bank_code").set_index("bank_code")[f"bank_name_{lang}"].to_dict()
chosen_banks = controls[3].multiselect(
    t("map_banks"),
    list(banks),
    default=list(banks),
    format_func=banks.get,
    key="map_banks",
    placeholder=t("widget_choose"),
)

selection = st.columns([3, 2, 2, 1])
outlet_labels = {int(i): f"{code} · {unit_labels.get(int(i), '')}" for i, code in zip(trading["id"], trading["code"])}
selected_id = selection[0].selectbox(
    t("map_outlet"), list(outlet_labels), format_func=outlet_labels.get, key="map_outlet"
)
radius_km = selection[1].slider(t("map_radius"), 0.5, 10.0, 2.0, 0.5, key="map_radius")
rings = selection[2].multiselect(
    t("map_rings"), RING_CHOICES_KM, default=[1.0, 2.0, 3.0], key="map_rings", placeholder=t("widget_choose")
)
show_districts = selection[3].toggle(t("map_show_districts"), value=True, key="map_districts")

# --- The selected outlet's trade area -------------------------------------------------------------
column = int(np.flatnonzero(market.outlets["key"].to_numpy() == f"o{selected_id}")[0])
probability = market.probabilities[:, column]
trade_class = huff.trade_area_classes(probability, cell_frame["demand"].to_numpy())
outlet_row = market.outlets.iloc[column]
minutes = catchment.travel_minutes(market.distances_km[:, column], detour, speed)
rival_distance = (
    huff.distance_matrix_km(
        competitors[["lon", "lat"]].to_numpy(dtype=float), [[outlet_row["lon"], outlet_row["lat"]]]
    )[:, 0]
    if not competitors.empty
    else np.empty(0)
)

# --- Cell layer ---------------------------------------------------------------------------------
customer_cells = catchment.customers_per_cell(customers, cell_frame["h3_index"])
cell_values = {
    "population": cell_frame["population"],
    "income": cell_frame["income_index"],
    "businesses": cell_frame["businesses"],
    "customers": pd.Series(customer_cells, index=cell_frame.index),
    "share": cell_frame["own_share"].where(cell_frame["in_market"]),
}
value_format = {
    "population": lambda v: format_count(v, lang),
    "income": lambda v: f"{v:.2f}",
    "businesses": lambda v: format_count(v, lang),
    "customers": lambda v: format_count(v, lang),
    "share": format_ratio,
}
layers = []
# centre on the selected outlet's city: at region scale the cells would be too small to see
city_cells = cell_frame[cell_frame["city_code"] == outlet_row["city_code"]]
view = (
    maps.view_for(city_cells["lon"], city_cells["lat"])
    if not city_cells.empty
    else maps.view_for(outlets["lon"].dropna(), outlets["lat"].dropna())
)
if show_districts and not districts.empty:
    layers += maps.basemap_layers(districts, f"name_{lang}", view.zoom)
legend = None
if cell_view in cell_values:
    values = cell_values[cell_view]
    breaks = maps.class_breaks(values[values > 0] if cell_view != "share" else values)
    shown = cell_frame.assign(
        colour=maps.class_colours(values, breaks, True),
        tooltip=[f"{view_labels[cell_view]}: {value_format[cell_view](v)}" for v in values],
    )
    if cell_view != "share":
        shown = shown[values.to_numpy() > 0]
    layers.append(maps.hexagon_layer(shown[["h3_index", "colour", "tooltip"]], "cells"))
    entries = maps.legend_entries(breaks, True, value_format[cell_view])
    legend = (view_labels[cell_view], entries)
elif cell_view == "trade_area":
    inside = trade_class > 0
    shown = cell_frame[inside].assign(
        colour=[list(TRADE_COLOURS[int(c)]) for c in trade_class[inside]],
        tooltip=[
            f"{t('map_trade_primary') if c == 1 else t('map_trade_secondary')}: {format_ratio(p)}"
            for c, p in zip(trade_class[inside], probability[inside])
        ],
    )
    layers.append(maps.hexagon_layer(shown[["h3_index", "colour", "tooltip"]], "cells"))
    legend = (
        t("map_view_trade_area"),
        [
            (maps.hex_colour(TRADE_COLOURS[1]), t("map_trade_primary")),
            (maps.hex_colour(TRADE_COLOURS[2]), t("map_trade_secondary")),
        ],
    )
elif cell_view == "travel_time":
    band = np.searchsorted(TRAVEL_BANDS_MIN, minutes, side="left")
    inside = band < len(TRAVEL_BANDS_MIN)
    shown = cell_frame[inside].assign(
        colour=[list(BAND_COLOURS[int(b)]) for b in band[inside]],
        tooltip=[t("map_minutes_tooltip", minutes=f"{m:.0f}") for m in minutes[inside]],
    )
    layers.append(maps.hexagon_layer(shown[["h3_index", "colour", "tooltip"]], "cells"))
    legend = (
        t("map_view_travel_time"),
        [(maps.hex_colour(c), t("map_band_label", minutes=f"{b:g}")) for b, c in zip(TRAVEL_BANDS_MIN, BAND_COLOURS)],
    )
if rings:
    layers.append(
        maps.ring_layer(
            float(outlet_row["lon"]),
            float(outlet_row["lat"]),
            sorted(rings),
            [t("map_ring_tooltip", km=f"{r:g}") for r in sorted(rings)],
        )
    )
shown_competitors = competitors[competitors["bank_code"].isin(chosen_banks)]
bank_colours = {b: list(maps.COMPETITOR_COLOURS[i % len(maps.COMPETITOR_COLOURS)]) for i, b in enumerate(sorted(banks))}
if not shown_competitors.empty:
    shown_competitors = shown_competitors.assign(
        colour=shown_competitors["bank_code"].map(bank_colours),
        tooltip=[f"<b>{r[f'bank_name_{lang}']}</b><br/>{r['name']}" for _, r in shown_competitors.iterrows()],
    )
    layers.append(maps.point_layer(shown_competitors, "competitors", radius_m=120, min_pixels=2.5))
shown_outlets = outlets[
    outlets["outlet_type"].isin(chosen_types) & outlets["status"].isin(chosen_statuses) & outlets["lon"].notna()
]
STATUS_COLOURS = {"open": [37, 52, 148], "planned": [255, 193, 7], "closed": [120, 120, 120], "merged": [160, 160, 160]}
if not shown_outlets.empty:
    shown_outlets = shown_outlets.assign(
        colour=[
            [230, 85, 13] if int(r.id) == int(selected_id) else STATUS_COLOURS.get(r.status, [37, 52, 148])
            for r in shown_outlets.itertuples()
        ],
        tooltip=[
            f"<b>{unit_labels.get(int(r['id']), r[f'name_{lang}'])}</b><br/>"
            f"{t('outlet_type_' + str(r['outlet_type']))} · {t('status_' + r['status'])}"
            for _, r in shown_outlets.iterrows()
        ],
    )
    layers.append(maps.point_layer(shown_outlets, "outlets", radius_m=240, min_pixels=5))


def select_clicked_outlet() -> None:
    """A click on one of our open outlets on the map makes it the selected outlet."""
    selection = st.session_state.get("map_deck") or {}
    clicked = selection.get("selection", {}).get("objects", {}).get("outlets", [])
    if clicked and int(clicked[0].get("id", -1)) in outlet_labels:
        st.session_state["map_outlet"] = int(clicked[0]["id"])


map_tab, table_tab = st.tabs([t("tab_map"), t("tab_table")])
with map_tab:
    st.pydeck_chart(
        maps.build_deck(layers, view, load_settings().map_style_url),
        height=maps.MAP_HEIGHT_PX,
        on_select=select_clicked_outlet,
        selection_mode="single-object",
        key="map_deck",
    )
    st.caption(t("map_click_help"))
    legend_columns = st.columns(3)
    if legend is not None:
        legend_columns[0].markdown(maps.legend_html(*legend), unsafe_allow_html=True)
    status_entries = [
        (maps.hex_colour(STATUS_COLOURS[s]), t(f"status_{s}")) for s in chosen_statuses if s in STATUS_COLOURS
    ]
    status_entries.append((maps.hex_colour([230, 85, 13]), t("map_selected_outlet")))
    legend_columns[1].markdown(
        maps.legend_html(t("legend_our_outlets"), status_entries, round_swatch=True), unsafe_allow_html=True
    )
    if chosen_banks:
        legend_columns[2].markdown(
            maps.legend_html(
                t("legend_competitors"),
                [(maps.hex_colour(bank_colours[b]), banks[b]) for b in chosen_banks],
                round_swatch=True,
            ),
            unsafe_allow_html=True,
        )
    st.caption(t("map_geometry_note"))
with table_tab:
    outlet_table = pd.DataFrame(
        {
            t("col_code"): trading["code"],
            t("col_name"): trading["id"].map(lambda i: unit_labels.get(int(i), "")),
            t("col_type"): trading["outlet_type"].map(lambda v: t(f"outlet_type_{v}")),
            t("map_col_attractiveness"): own_rows["attractiveness"].round(2),
            t("map_col_captured"): own_rows["captured"].map(lambda v: format_count(v, lang)),
            t("col_lon"): trading["lon"],
            t("col_lat"): trading["lat"],
        }
    )
    st.dataframe(outlet_table, hide_index=True, width="stretch")

# --- Outlet detail ------------------------------------------------------------------------------
st.subheader(t("map_detail_title", name=unit_labels.get(int(selected_id), outlet_row[f"name_{lang}"])))
primary, secondary = trade_class == 1, trade_class == 2
area_demand = cell_frame["demand"].to_numpy()
in_trade = trade_class > 0
detail = st.columns(4)
detail[0].metric(t("map_detail_captured"), format_count(float(outlet_row["captured"]), lang))
detail[1].metric(t("map_detail_primary"), format_count(cell_frame["population"][primary].sum(), lang))
detail[1].caption(t("map_detail_cells", cells=int(primary.sum()), secondary=int(secondary.sum())))
share_in_area = catchment.area_share(area_demand, cell_frame["own_share"], in_trade)
detail[2].metric(t("map_detail_area_share"), format_ratio(share_in_area))
nearby = competitors.assign(distance_km=rival_distance)
nearby = nearby[nearby["distance_km"] <= radius_km].sort_values("distance_km")
detail[3].metric(t("map_detail_rivals", km=f"{radius_km:g}"), format_count(len(nearby), lang))
if nearby.empty:
    st.caption(t("map_detail_no_rivals", km=f"{radius_km:g}"))
else:
    st.dataframe(
        pd.DataFrame(
            {
                t("map_col_bank"): nearby[f"bank_name_{lang}"],
                t("col_name"): nearby["name"],
                t("map_col_distance"): nearby["distance_km"].round(2),
                t("map_col_minutes"): catchment.travel_minutes(nearby["distance_km"].to_numpy(), detour, speed).round(
                    1
                ),
            }
        ),
        hide_index=True,
        width="stretch",
    )

# --- Competition by district --------------------------------------------------------------------
st.subheader(t("map_competition_title"))
cell_lonlat = cell_frame[["lon", "lat"]].to_numpy(dtype=float)
outlet_district = cell_frame["district_id"].to_numpy()[
    huff.nearest_cell(market.outlets[["lon", "lat"]].to_numpy(dtype=float), cell_lonlat)
]
competition = catchment.district_competition(
    cell_frame["district_id"].fillna(-1).to_numpy(),
    np.where(cell_frame["in_market"], area_demand, 0.0),
    market.probabilities,
    market.outlets["group"].to_numpy(),
    pd.Series(outlet_district).fillna(-1).to_numpy(),
)
names = district_totals.set_index("district_id")
competition = competition[competition.index.isin(names.index)]
bank_names = {**banks, "own": t("map_own_bank")}
competition_table = pd.DataFrame(
    {
        t("map_col_district"): names.loc[competition.index, f"name_{lang}"].to_numpy(),
        t("map_col_residents"): names.loc[competition.index, "population"]
        .map(lambda v: format_count(v, lang))
        .to_numpy(),
        t("map_col_own_outlets"): competition["own_outlets"].to_numpy(),
        t("map_col_rival_outlets"): competition["competitor_outlets"].to_numpy(),
        t("map_col_own_share"): competition["own_share"].map(format_ratio).to_numpy(),
        t("map_col_leader"): competition["leader"].map(lambda b: bank_names.get(b, b)).to_numpy(),
        t("map_col_leader_share"): competition["leader_share"].map(format_ratio).to_numpy(),
    }
)
st.dataframe(competition_table, hide_index=True, width="stretch")
st.download_button(
    t("map_download"),
    frames_to_xlsx({t("map_competition_title"): competition_table, t("tab_table"): outlet_table}),
    file_name="market_competition.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="map_download",
)

with st.expander(t("how_computed")):
    st.markdown(
        t(
            "map_how",
            decay=f"{decay:g}",
            alpha=f"{exponent:g}",
            detour=f"{detour:g}",
            speed=f"{speed:g}",
        )
    )

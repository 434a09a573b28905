"""What-if scenarios: compose actions (open at a point, relocate, merge A into B, close), see the
network before and after (coverage, market share, deposits, cost) and where a closed outlet's
customers go and how far; save scenarios, list them, compare them side by side, export to Excel."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics import catchment
from analytics import scenarios as what_if
from data.scenarios import (
    ScenarioPermissionError,
    delete_scenario,
    list_scenarios,
    load_scenario,
    save_scenario,
)
from data.scope import ScopeError
from ui.data_access import app_engine
from ui.excel import frames_to_xlsx
from ui.format import format_count, format_money, format_ratio
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
from ui.session import current_scope
from ui.sidebar import focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

KINDS = list(what_if.ACTION_KINDS)
MONEY_METRICS = {"deposits_rmb", "annual_cost_rmb", "one_off_cost_rmb"}
RATIO_METRICS = {"market_share", "coverage_share"}

lang = current_language()
scope = current_scope()
unit = focus_unit()
st.title(t("scen_title"))
st.caption(t("scen_caption", unit=name_of(unit)) + " " + data_dates_note(unit["id"]))

market = load_planning_market(unit["id"])
cells, outlets, trading, competitors = market.cells, market.outlets, market.trading, market.competitors
decay, exponent = market.distance_decay, market.attractiveness_exponent

# --- The network today ----------------------------------------------------------------------------
annual_cost = (trading["monthly_rent_rmb"].fillna(0) + trading["monthly_running_cost_rmb"].fillna(0)) * 12
network = pd.concat(
    [
        pd.DataFrame(
            {
                "key": "o" + trading["id"].astype(str),
                # unique labels: pickers, flows and exports tell outlets with one name apart
                "name": [unit_label_map().get(int(i), "") for i in trading["id"]],
                "lon": trading["lon"].astype(float),
                "lat": trading["lat"].astype(float),
                "attractiveness": catchment.attractiveness_of_outlets(trading["floor_area_m2"], trading["outlet_type"]),
                "own": True,
                "annual_cost_rmb": annual_cost.to_numpy(),
                "one_off_cost_rmb": 0.0,
            }
        ),
        pd.DataFrame(
            {
                "key": "c" + competitors["id"].astype(str),
                "name": competitors[f"bank_name_{lang}"] + " · " + competitors["name"],
                "lon": competitors["lon"].astype(float),
                "lat": competitors["lat"].astype(float),
                "attractiveness": catchment.attractiveness_of_competitors(competitors["counters"]),
                "own": False,
                "annual_cost_rmb": 0.0,
                "one_off_cost_rmb": 0.0,
            }
        ),
    ],
    ignore_index=True,
)
demand = catchment.cell_demand(cells)


with st.spinner(t("loading")):
    deposits_per_unit, customers_per_unit = value_per_captured_unit(unit["id"], huff_market_today(market))
outlet_names = dict(zip(network.loc[network["own"], "key"], network.loc[network["own"], "name"]))
types = sorted(outlets["outlet_type"].dropna().unique())
type_labels = {v: t(f"outlet_type_{v}") for v in types}


# --- Compose ---------------------------------------------------------------------------------------
def undo_last_action() -> None:
    if st.session_state.get("scen_actions"):
        st.session_state["scen_actions"].pop()


def clear_actions() -> None:
    st.session_state["scen_actions"] = []


actions: list[dict] = st.session_state.setdefault("scen_actions", [])
st.subheader(t("scen_compose_title"))
kind_labels = {k: t(f"scen_kind_{k}") for k in KINDS}
compose = st.columns([2, 3, 2, 2])
kind = compose[0].selectbox(t("scen_kind"), KINDS, format_func=kind_labels.get, key="scen_kind")
new_action: dict = {"kind": kind}
if kind == "open":
    outlet_type = compose[1].selectbox(t("cand_type"), types, format_func=type_labels.get, key="scen_type")
    lon = compose[2].number_input(t("col_lon"), value=float(cells["lon"].median()), format="%.5f", key="scen_lon")
    lat = compose[3].number_input(t("col_lat"), value=float(cells["lat"].median()), format="%.5f", key="scen_lat")
    area = type_median(outlets, outlet_type, "floor_area_m2", 400.0)
    yearly = 12 * (
        type_median(outlets, outlet_type, "monthly_rent_rmb", 0.0)
        + type_median(outlets, outlet_type, "monthly_running_cost_rmb", 0.0)
    )
    new_action.update(
        lon=lon,
        lat=lat,
        name=t("scen_new_outlet", type=type_labels[outlet_type]),
        attractiveness=float(catchment.attractiveness_of_outlets([area], [outlet_type])[0]),
        annual_cost_rmb=yearly,
        one_off_cost_rmb=type_median(outlets, outlet_type, "build_cost_rmb", 3e6),
    )
    st.caption(
        t(
            "scen_open_help",
            area=f"{area:,.0f}",
            build=format_money(new_action["one_off_cost_rmb"], lang),
            yearly=format_money(yearly, lang),
        )
    )
else:
    new_action["outlet"] = compose[1].selectbox(
        t("scen_outlet"), list(outlet_names), format_func=outlet_names.get, key="scen_outlet"
    )
    if kind == "relocate":
        here = network.set_index("key").loc[new_action["outlet"]]
        new_action["lon"] = compose[2].number_input(
            t("col_lon"), value=float(here["lon"]), format="%.5f", key="scen_move_lon"
        )
        new_action["lat"] = compose[3].number_input(
            t("col_lat"), value=float(here["lat"]), format="%.5f", key="scen_move_lat"
        )
        moving_type = trading.loc[trading["id"] == int(new_action["outlet"][1:]), "outlet_type"].iloc[0]
        new_action["one_off_cost_rmb"] = st.number_input(
            t("scen_move_cost"),
            min_value=0.0,
            value=round(type_median(outlets, moving_type, "build_cost_rmb", 3e6), -4),
            step=100_000.0,
            key="scen_move_cost",
        )
    elif kind == "merge":
        targets = [k for k in outlet_names if k != new_action["outlet"]]
        new_action["target"] = compose[2].selectbox(
            t("scen_target"), targets, format_func=outlet_names.get, key="scen_target"
        )
buttons = st.columns([1, 1, 1, 5])
if buttons[0].button(t("scen_add"), key="scen_add", type="primary"):
    try:
        what_if.apply_actions(network, [what_if.Action.from_dict(a) for a in actions + [new_action]])
        actions.append(new_action)
    except what_if.ScenarioError as error:
        st.error(t(f"scen_err_{error.code}", outlet=outlet_names.get(error.values.get("outlet"), "")))
# Undo and clear change the actions in a callback, before the run that draws the buttons, so that
# the buttons drawn after them are already enabled or disabled for what is left (an "undo" drawn
# enabled over no action would fail on its next click).
buttons[1].button(t("scen_undo"), key="scen_undo", disabled=not actions, on_click=undo_last_action)
buttons[2].button(t("scen_clear"), key="scen_clear", disabled=not actions, on_click=clear_actions)


def describe(action: dict) -> str:
    """One line per action, in the user's language."""
    name = outlet_names.get(action.get("outlet"), action.get("name", ""))
    if action["kind"] == "open":
        return t(
            "scen_describe_open", name=action.get("name", ""), lon=f"{action['lon']:.4f}", lat=f"{action['lat']:.4f}"
        )
    if action["kind"] == "relocate":
        return t("scen_describe_relocate", name=name, lon=f"{action['lon']:.4f}", lat=f"{action['lat']:.4f}")
    if action["kind"] == "merge":
        return t("scen_describe_merge", name=name, target=outlet_names.get(action.get("target"), ""))
    return t("scen_describe_close", name=name)


if actions:
    st.markdown("\n".join(f"{i}. {describe(a)}" for i, a in enumerate(actions, start=1)))
else:
    st.info(t("scen_no_actions"))

settings = st.columns(2)
coverage_km = settings[0].number_input(t("scen_coverage"), 0.5, 20.0, 2.0, 0.5, key="scen_coverage")
digital_pct = settings[1].number_input(t("scen_digital"), 0.0, 100.0, 10.0, 5.0, key="scen_digital")


@st.cache_data(show_spinner=False, max_entries=16)
def outcome_for(
    network, actions_key, cells, demand, decay, exponent, coverage_km, digital, deposits_unit, customers_unit
):
    """The scenario's before/after (cached on every input)."""
    return what_if.run_scenario(
        network,
        [what_if.Action.from_dict(dict(a)) for a in actions_key],
        cells[["lon", "lat"]].to_numpy(dtype=float),
        demand,
        cells["population"].to_numpy(dtype=float),
        distance_decay=decay,
        attractiveness_exponent=exponent,
        coverage_km=coverage_km,
        min_distance_km=MIN_DISTANCE_KM,
        digital_retention=digital,
        deposits_per_unit=deposits_unit,
        customers_per_unit=customers_unit,
    )


def format_metric(metric: str, value: float) -> str:
    if metric in MONEY_METRICS:
        return format_money(value, lang)
    if metric in RATIO_METRICS:
        return format_ratio(value)
    return format_count(value, lang)


def format_change(metric: str, value: float) -> str:
    if metric in RATIO_METRICS:
        return f"{value * 100:+.1f} pp" if lang == "en" else f"{value * 100:+.1f} 个百分点"
    text = format_metric(metric, abs(value))
    return ("+" if value > 0 else "−" if value < 0 else "") + text


actions_key = tuple(tuple(sorted(a.items())) for a in actions)
with st.spinner(t("scen_computing")):
    outcome = outcome_for(
        network,
        actions_key,
        cells,
        demand,
        decay,
        exponent,
        coverage_km,
        digital_pct / 100,
        deposits_per_unit,
        customers_per_unit,
    )
summary = outcome.summary.set_index("metric")

# --- Before / after -----------------------------------------------------------------------------
st.subheader(t("scen_result_title"))
cards = st.columns(3) + st.columns(3)
for column, metric in zip(
    cards, ["market_share", "deposits_rmb", "customers", "coverage_share", "annual_cost_rmb", "one_off_cost_rmb"]
):
    row = summary.loc[metric]
    column.metric(
        t(f"scen_metric_{metric}"),
        format_metric(metric, row["after"]),
        delta=format_change(metric, row["change"]) if row["change"] != 0 else None,
        delta_color="inverse" if metric in ("annual_cost_rmb", "one_off_cost_rmb") else "normal",
    )
before_after = pd.DataFrame(
    {
        t("scen_col_metric"): [t(f"scen_metric_{m}") for m in summary.index],
        t("scen_col_before"): [format_metric(m, v) for m, v in summary["before"].items()],
        t("scen_col_after"): [format_metric(m, v) for m, v in summary["after"].items()],
        t("scen_col_change"): [format_change(m, v) for m, v in summary["change"].items()],
    }
)
st.dataframe(before_after, hide_index=True, width="stretch")

# --- Where closed outlets' customers go -----------------------------------------------------------
flow_table = pd.DataFrame()
if not outcome.travel.empty:
    st.subheader(t("scen_flows_title"))
    for _, travel in outcome.travel.iterrows():
        closed_name = outlet_names.get(travel["closed"], travel["closed"])
        st.markdown(
            t(
                "scen_flows_summary",
                name=closed_name,
                own=format_ratio(travel["to_own"] / travel["held"]) if travel["held"] else "—",
                rivals=format_ratio(travel["to_competitors"] / travel["held"]) if travel["held"] else "—",
                digital=format_ratio(travel["to_digital"] / travel["held"]) if travel["held"] else "—",
                before=f"{travel['distance_before_km']:.1f}",
                after=f"{travel['distance_after_km']:.1f}",
            )
        )
    flows = outcome.flows
    destination = [
        t("scen_digital_channels") if key == "digital" else (name if own else f"{name} ({t('scen_competitor')})")
        for key, name, own in zip(flows["key"], flows["name"], flows["own"])
    ]
    flow_table = pd.DataFrame(
        {
            t("scen_col_closed"): flows["closed"].map(outlet_names),
            t("scen_col_destination"): destination,
            t("scen_col_share"): flows["share"].map(format_ratio),
            t("scen_col_customers"): flows["customers"].map(lambda v: format_count(v, lang)),
            t("map_col_distance"): flows["distance_km"].round(2),
        }
    )
    top_flows = flows.head(12)
    chart = go.Figure(
        go.Bar(
            x=top_flows["share"],
            y=destination[: len(top_flows)],
            orientation="h",
            marker_color=["#2c7fb8" if own else "#d73027" for own in top_flows["own"]],
        )
    )
    chart.update_layout(
        title=t("scen_flows_chart"),
        xaxis_title=t("scen_col_share"),
        xaxis_tickformat=".0%",
        yaxis={"autorange": "reversed"},
        height=360,
        margin={"t": 50, "b": 40, "l": 10},
    )
    st.plotly_chart(chart, key="scen_flows_chart")
    st.dataframe(flow_table, hide_index=True, width="stretch")

actions_table = pd.DataFrame({t("scen_col_action"): [describe(a) for a in actions]})
st.download_button(
    t("map_download"),
    frames_to_xlsx(
        {
            t("scen_sheet_actions"): actions_table,
            t("scen_result_title"): before_after,
            t("scen_flows_title"): flow_table,
        }
    ),
    file_name="scenario.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="scen_download",
)

# --- Save, list, compare --------------------------------------------------------------------------
st.subheader(t("scen_saved_title"))
engine = app_engine()
save = st.columns([3, 1])
scenario_name = save[0].text_input(t("scen_name"), key="scen_name", max_chars=100)
if save[1].button(t("scen_save"), key="scen_save", disabled=not actions):
    try:
        save_scenario(
            engine,
            scope,
            unit["id"],
            scenario_name,
            {
                "actions": actions,
                "actions_text": [describe(a) for a in actions],
                "distance_decay": decay,
                "attractiveness_exponent": exponent,
                "coverage_km": coverage_km,
                "digital_retention": digital_pct / 100,
            },
            outcome.results(),
        )
        st.success(t("scen_saved", name=scenario_name.strip()))
    except ValueError:
        st.error(t("scen_err_name"))
    except (ScopeError, ScenarioPermissionError):
        st.error(t("scope_unit_not_allowed"))
saved = list_scenarios(engine, scope, unit["id"])
if saved.empty:
    st.info(t("scen_none_saved"))
else:
    st.dataframe(
        pd.DataFrame(
            {
                t("scen_name"): saved["name"],
                t("scen_col_owner"): saved["owner"],
                t("scen_col_created"): saved["created_at"].astype(str).str[:16],
                t("scen_col_updated"): saved["updated_at"].astype(str).str[:16],
                t("scen_col_actions"): saved["actions"],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    labels = {int(r.id): f"{r.name} · {r.owner} · {str(r.updated_at)[:10]}" for r in saved.itertuples()}
    chosen = st.multiselect(
        t("scen_compare"), list(labels), format_func=labels.get, key="scen_compare", placeholder=t("widget_choose")
    )
    if chosen:
        loaded = [load_scenario(engine, scope, scenario_id) for scenario_id in chosen]
        comparison = pd.DataFrame({t("scen_col_metric"): [t(f"scen_metric_{m}") for m in what_if.SUMMARY_METRICS]})
        first = loaded[0]["results"] or {}
        comparison[t("scen_col_before")] = [
            format_metric(m, first.get(m, {}).get("before", float("nan"))) for m in what_if.SUMMARY_METRICS
        ]
        for scenario in loaded:
            results = scenario["results"] or {}
            comparison[scenario["name"]] = [
                format_metric(m, results.get(m, {}).get("after", float("nan"))) for m in what_if.SUMMARY_METRICS
            ]
        st.dataframe(comparison, hide_index=True, width="stretch")
        st.caption(t("scen_compare_help"))
        st.download_button(
            t("scen_download_compare"),
            frames_to_xlsx(
                {
                    t("scen_compare_sheet"): comparison,
                    **{
                        f"{s['id']} {s['name']}"[:31]: pd.DataFrame(
                            {t("scen_col_action"): s["params"].get("actions_text", [])}
                        )
                        for s in loaded
                    },
                }
            ),
            file_name="scenario_comparison.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="scen_download_compare",
        )
    mine = saved[saved["owner"] == scope.username]
    if not mine.empty:
        removal = st.columns([3, 1])
        own_labels = {int(r.id): labels[int(r.id)] for r in mine.itertuples()}
        doomed = removal[0].selectbox(
            t("scen_delete_which"), list(own_labels), format_func=own_labels.get, key="scen_delete_id"
        )
        if removal[1].button(t("scen_delete"), key="scen_delete"):
            try:
                delete_scenario(engine, scope, doomed)
                st.rerun()
            except ScenarioPermissionError:
                st.error(t("scen_err_not_owner"))

with st.expander(t("how_computed")):
    st.markdown(t("scen_how", decay=f"{decay:g}", alpha=f"{exponent:g}", coverage=f"{coverage_km:g}"))

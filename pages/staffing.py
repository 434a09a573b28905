"""Counter staffing plan: for one outlet and day type, the counters needed each hour to meet a
service target (a share served within a wait, or a mean wait) by the Erlang C model, against
the counters actually open; what-ifs (smart-machine diversion, demand change, longer opening,
an extra teller at lunch, the lobby's capacity); a printable, downloadable plan; a discrete-event
simulation of the same outlet-day beside the formula; and the plan of every outlet of the unit.

Hourly inputs come aggregated from ``data.queries.lobby_profile`` (mean arrivals per hour,
arrival-weighted mean service time, mean counters open over the period's days of that type).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.lobby import (
    LUNCH_HOURS,
    apply_what_if,
    formula_day,
    hourly_inputs,
    non_stationary,
    plan_all_outlets,
    plan_hours,
)
from analytics.lobby_simulation import simulate_lobby
from analytics.queueing import UNREACHABLE
from data import queries
from ui.cards import metric_cards
from ui.data_access import run_query
from ui.format import MISSING, format_count, format_hour, format_ratio, format_value
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.lobby_window import DEFAULT_WEEKS, PERIOD_WEEKS, lobby_csv, period_label, window_or_stop
from ui.session import current_scope
from ui.sidebar import focus_unit

REPLICATION_CHOICES = (200, 500, 1000, 2000)
DEFAULT_REPLICATIONS = 500
SIMULATION_SEED = 20261123
MAX_EXTRA_HOURS = 2


# --------------------------------------------------------------------------- cached models


@st.cache_data(show_spinner=False, max_entries=256)
def plan_hours_cached(
    hourly: pd.DataFrame, kind: str, target_wait: float, target_level: float, max_mean_wait: float, capacity: int
) -> pd.DataFrame:
    return plan_hours(hourly, kind, target_wait, target_level, max_mean_wait, capacity)


@st.cache_data(show_spinner=False, max_entries=64)
def simulate(
    rates: tuple[float, ...],
    service: tuple[float, ...],
    counters: tuple[int, ...],
    replications: int,
    patience: float | None,
    service_cv: float,
    target_wait: float,
    opening_hour: int,
):
    """The lobby simulation of one outlet-day (cached on its inputs) and the seconds it took."""
    started = time.perf_counter()
    result = simulate_lobby(
        np.asarray(rates),
        np.asarray(service),
        np.asarray(counters),
        replications,
        SIMULATION_SEED,
        abandonment_patience_minutes=patience,
        service_cv=service_cv,
        target_wait_minutes=target_wait,
        opening_hour=opening_hour,
    )
    return result, time.perf_counter() - started


@st.cache_data(show_spinner=False, max_entries=64)
def plan_all_outlets_timed(
    cells: pd.DataFrame,
    capacity: pd.Series,
    kind: str,
    target_wait: float,
    target_level: float,
    max_mean_wait: float,
) -> tuple[pd.DataFrame, float]:
    """:func:`analytics.lobby.plan_all_outlets` and the seconds it took."""
    started = time.perf_counter()
    result = plan_all_outlets(cells, capacity, kind, target_wait, target_level, max_mean_wait)
    return result, time.perf_counter() - started


# --------------------------------------------------------------------------- page

lang = current_language()
scope = current_scope()

unit = focus_unit()

st.title(t("staffing_title"))
period = run_query(queries.lobby_period, unit["id"])
if period["rows"] == 0 or period["last_day"] is None:
    st.caption(name_of(unit))
    st.info(t("lobby_no_data"))
    st.stop()


def minutes(value) -> str:
    if value is not None and np.isinf(value):
        return t("staffing_overloaded")
    return format_value(value, "minutes", lang)


def counters_text(value) -> str:
    return format_count(value, lang)


joiner = "、" if lang == "zh" else ", "


# --- Outlet, day type, period ----------------------------------------------------------------------
controls = st.columns([2, 1, 1])
weeks = controls[2].selectbox(
    t("lobby_period"),
    PERIOD_WEEKS,
    index=PERIOD_WEEKS.index(DEFAULT_WEEKS),
    format_func={w: period_label(w) for w in PERIOD_WEEKS}.get,
    key="staffing_weeks",
)
start, end = window_or_stop(period, weeks)
outlets = run_query(queries.lobby_outlet_summary, unit["id"], start, end)
if outlets.empty:
    st.caption(name_of(unit))
    st.info(t("lobby_no_data"))
    st.stop()
outlets = outlets.set_index("id")
outlet_labels = unit_label_map()
names = {int(i): outlet_labels[int(i)] for i in outlets.index}
if st.session_state.get("staffing_outlet") not in names:
    st.session_state["staffing_outlet"] = next(iter(names))
outlet_id = controls[0].selectbox(t("staffing_outlet"), list(names), format_func=names.get, key="staffing_outlet")
outlet = outlets.loc[outlet_id]
day_type = controls[1].segmented_control(
    t("lobby_day_type"),
    queries.LOBBY_DAY_TYPES,
    default="workday",
    format_func={d: t(f"day_type_{d}") for d in queries.LOBBY_DAY_TYPES}.get,
    key="staffing_day_type",
)
day_type = day_type or "workday"
st.caption(
    t(
        "staffing_caption",
        outlet=names[outlet_id],
        day_type=t(f"day_type_{day_type}"),
        start=start.isoformat(),
        end=end.isoformat(),
        counters=counters_text(outlet["counters"]),
        machines=counters_text(outlet["smart_machines"]),
    )
)

# --- Target -------------------------------------------------------------------------------------
target_columns = st.columns([2, 1, 1])
kind = target_columns[0].radio(
    t("staffing_target_kind"),
    ("level", "mean_wait"),
    format_func={k: t(f"staffing_target_{k}") for k in ("level", "mean_wait")}.get,
    horizontal=True,
    key="staffing_target_kind",
)
target_level_pct, target_wait, max_mean_wait = 80.0, 10.0, 5.0
if kind == "level":
    target_level_pct = target_columns[1].number_input(
        t("staffing_level"), min_value=0.0, max_value=100.0, value=80.0, step=5.0, key="staffing_level"
    )
    target_wait = target_columns[2].number_input(
        t("staffing_wait"), min_value=0.0, max_value=240.0, value=10.0, step=1.0, key="staffing_wait"
    )
else:
    max_mean_wait = target_columns[1].number_input(
        t("staffing_mean_wait"), min_value=0.0, max_value=240.0, value=5.0, step=1.0, key="staffing_mean_wait"
    )

# --- What-ifs -----------------------------------------------------------------------------------
with st.expander(t("staffing_what_if"), expanded=False):
    what_if = st.columns(3)
    divert_pct = what_if[0].slider(
        t("staffing_divert"), 0, 90, 0, step=5, key="staffing_divert", help=t("staffing_divert_help")
    )
    simple_minutes = what_if[0].number_input(
        t("staffing_simple_minutes"), min_value=0.5, max_value=60.0, value=3.0, step=0.5, key="staffing_simple_minutes"
    )
    demand_pct = what_if[1].number_input(
        t("staffing_demand"), min_value=-90, max_value=300, value=0, step=10, key="staffing_demand"
    )
    capacity = int(
        what_if[1].number_input(
            t("staffing_capacity"),
            min_value=0,
            max_value=60,
            value=int(outlet["counters"]),
            step=1,
            key=f"staffing_capacity_{outlet_id}",
            help=t("staffing_capacity_help"),
        )
    )
    earlier = what_if[2].number_input(
        t("staffing_earlier"), min_value=0, max_value=MAX_EXTRA_HOURS, value=0, key="staffing_earlier"
    )
    later = what_if[2].number_input(
        t("staffing_later"), min_value=0, max_value=MAX_EXTRA_HOURS, value=0, key="staffing_later"
    )
    lunch_teller = what_if[2].toggle(t("staffing_lunch"), value=False, key="staffing_lunch")
    st.caption(t("staffing_what_if_note"))

# --- Input checks ---------------------------------------------------------------------------------
errors = []
if kind == "level" and not 0 < target_level_pct < 100:
    errors.append(t("staffing_err_level_100") if target_level_pct >= 100 else t("staffing_err_level_0"))
if kind == "mean_wait" and max_mean_wait <= 0:
    errors.append(t("staffing_err_mean_wait_0"))
for message in errors:
    st.error(message)
if errors:
    st.stop()
target_level = target_level_pct / 100.0

day = run_query(queries.lobby_profile, int(outlet_id), start, end, False, "day_type")
day = day[day["day_type"] == day_type]
if day.empty:
    st.info(t("lobby_no_day_type", day_type=t(f"day_type_{day_type}")))
    st.stop()
if period["invalid_rows"]:
    st.warning(t("lobby_invalid_rows", rows=format_count(period["invalid_rows"], lang)))
hourly, missing_hours = hourly_inputs(day)
if missing_hours:
    st.warning(t("staffing_missing_hours", hours=joiner.join(format_hour(h) for h in missing_hours)))
scenario, problems = apply_what_if(
    hourly, divert_pct / 100.0, simple_minutes, demand_pct / 100.0, int(earlier), int(later), lunch_teller
)
for key, values in problems:
    st.error(t(f"staffing_err_{key}", **{name: minutes(value) for name, value in values.items()}))
if problems:
    st.stop()

plan = plan_hours_cached(scenario, kind, float(target_wait), target_level, float(max_mean_wait), capacity)
if plan.empty:
    st.info(t("lobby_no_day_type", day_type=t(f"day_type_{day_type}")))
    st.stop()
if plan["arrivals"].sum() == 0:
    st.info(t("staffing_nobody_arrives"))

target_text = (
    t("staffing_target_text_level", level=f"{target_level_pct:g}", minutes=f"{target_wait:g}")
    if kind == "level"
    else t("staffing_target_text_mean", minutes=f"{max_mean_wait:g}")
)
unreachable = plan[~plan["reachable"]]
if not unreachable.empty:
    best = [
        f"{format_hour(row.hour)} "
        + (minutes(row.wait_plan) if kind == "mean_wait" or np.isinf(row.wait_plan) else format_ratio(row.level_plan))
        for row in unreachable.itertuples()
    ]
    st.warning(
        t(
            "staffing_unreachable",
            hours=joiner.join(format_hour(h) for h in unreachable["hour"]),
            capacity=counters_text(capacity),
            most=counters_text(int(unreachable["needed"].max())),
            best=joiner.join(best),
        )
    )

# --- Headline figures ------------------------------------------------------------------------------
hours_short = int((plan["open_counters"] < plan["planned"]).sum())
hours_over = int((plan["open_counters"] > plan["planned"]).sum())
headline = [
    (t("staffing_metric_peak"), counters_text(int(plan["needed"].max()))),
    (t("staffing_metric_counter_hours"), counters_text(int(plan["planned"].sum()))),
    (t("staffing_metric_open_hours"), counters_text(int(plan["open_counters"].sum()))),
    (t("staffing_metric_short"), counters_text(hours_short)),
    (t("staffing_metric_over"), counters_text(hours_over)),
]
metric_cards(headline, key="staffing_headline")

# --- Charts ----------------------------------------------------------------------------------------
labels = [format_hour(h) for h in plan["hour"]]
chart_columns = st.columns(2)
counters_figure = go.Figure(
    [
        go.Bar(x=labels, y=plan["open_counters"], name=t("lobby_series_open"), marker_color="#7fcdbb"),
        go.Scatter(
            x=labels,
            y=plan["needed"],
            name=t("staffing_series_needed"),
            mode="lines+markers",
            line={"color": "#253494", "shape": "hvh"},
        ),
        go.Scatter(
            x=labels,
            y=[capacity] * len(plan),
            name=t("staffing_series_capacity"),
            mode="lines",
            line={"color": "#999", "dash": "dash"},
        ),
    ]
)
counters_figure.update_layout(
    title={"text": f"{t('staffing_counters_chart')}<br><sup>{names[outlet_id]} · {t(f'day_type_{day_type}')}</sup>"},
    xaxis_title=t("lobby_axis_hour"),
    yaxis_title=t("lobby_axis_counters"),
    yaxis={"rangemode": "tozero"},
    legend={"orientation": "h", "y": -0.25},
    height=400,
)
chart_columns[0].plotly_chart(counters_figure, key="staffing_counters_chart")
if kind == "level":
    quality_plan, quality_open = plan["level_plan"] * 100, plan["level_open"] * 100
    quality_axis, quality_target = t("staffing_axis_level"), target_level_pct
else:
    quality_plan = plan["wait_plan"].replace(np.inf, np.nan)
    quality_open = plan["wait_open"].replace(np.inf, np.nan)
    quality_axis, quality_target = t("lobby_axis_minutes"), max_mean_wait
quality_figure = go.Figure(
    [
        go.Scatter(x=labels, y=quality_plan, name=t("staffing_series_with_plan"), mode="lines+markers"),
        go.Scatter(x=labels, y=quality_open, name=t("staffing_series_with_open"), mode="lines+markers"),
    ]
)
# The target is a legend entry, not a text annotation on the plot, so it never covers a line.
quality_figure.add_trace(
    go.Scatter(
        x=labels,
        y=[quality_target] * len(labels),
        name=t("staffing_series_target"),
        mode="lines",
        line={"color": "#666", "dash": "dot", "width": 1},
        hoverinfo="skip",
    )
)
quality_figure.update_layout(
    title={
        "text": t("staffing_quality_chart_level" if kind == "level" else "staffing_quality_chart_wait")
        + f"<br><sup>{target_text}</sup>"
    },
    xaxis_title=t("lobby_axis_hour"),
    yaxis_title=quality_axis,
    yaxis={"rangemode": "tozero"},
    legend={"orientation": "h", "y": -0.25},
    height=400,
)
chart_columns[1].plotly_chart(quality_figure, key="staffing_quality_chart")
if kind == "mean_wait" and (np.isinf(plan["wait_open"]).any() or np.isinf(plan["wait_plan"]).any()):
    chart_columns[1].caption(t("staffing_overloaded_note"))

# --- The printable plan ------------------------------------------------------------------------------
st.subheader(t("staffing_plan_title"))
st.markdown(
    t(
        "staffing_plan_header",
        outlet=names[outlet_id],
        day_type=t(f"day_type_{day_type}"),
        target=target_text,
        start=start.isoformat(),
        end=end.isoformat(),
    )
)
quality_label_plan = t("staffing_col_level_plan") if kind == "level" else t("staffing_col_wait_plan")
table = pd.DataFrame(
    {
        t("staffing_col_hour"): [f"{format_hour(h)}–{format_hour(h + 1)}" for h in plan["hour"]],
        t("staffing_col_arrivals"): plan["arrivals"].map(lambda v: format_value(v, "score", lang)),
        t("staffing_col_service"): plan["service"].map(minutes),
        t("staffing_col_needed"): [
            counters_text(n) + ("" if ok else f" ({t('staffing_over_capacity')})")
            for n, ok in zip(plan["needed"], plan["reachable"])
        ],
        t("staffing_col_open"): [
            counters_text(n) + (f" ({t('staffing_added_hour')})" if added else "")
            for n, added in zip(plan["open_counters"], plan["added"])
        ],
        t("staffing_col_change"): [
            f"{p - o:+d}" if p != o else "0" for p, o in zip(plan["planned"], plan["open_counters"])
        ],
        quality_label_plan: (
            plan["level_plan"].map(format_ratio) if kind == "level" else plan["wait_plan"].map(minutes)
        ),
        t("staffing_col_level_open") if kind == "level" else t("staffing_col_wait_open"): (
            plan["level_open"].map(format_ratio) if kind == "level" else plan["wait_open"].map(minutes)
        ),
    }
)
st.table(table, hide_index=True)
st.caption(t("staffing_print_note"))
st.download_button(
    t("staffing_download_plan"),
    table.to_csv(index=False).encode("utf-8-sig"),
    file_name=f"staffing_plan_{outlet['code']}_{day_type}.csv",
    mime="text/csv",
    key="staffing_download_plan",
)

# --- Simulation beside the formula ------------------------------------------------------------------
st.subheader(t("staffing_sim_title"))
sim_controls = st.columns(4)
counters_source = sim_controls[0].radio(
    t("staffing_sim_counters"),
    ("planned", "open"),
    format_func={s: t(f"staffing_sim_counters_{s}") for s in ("planned", "open")}.get,
    key="staffing_sim_counters",
)
replications = sim_controls[1].selectbox(
    t("staffing_sim_replications"),
    REPLICATION_CHOICES,
    index=REPLICATION_CHOICES.index(DEFAULT_REPLICATIONS),
    key="staffing_replications",
)
abandon = sim_controls[2].toggle(t("staffing_sim_abandon"), value=False, key="staffing_abandon")
patience = sim_controls[2].number_input(
    t("staffing_sim_patience"), min_value=1.0, max_value=240.0, value=20.0, step=5.0, key="staffing_patience"
)
service_cv = sim_controls[3].number_input(
    t("staffing_sim_cv"),
    min_value=0.0,
    max_value=3.0,
    value=1.0,
    step=0.1,
    key="staffing_cv",
    help=t("staffing_sim_cv_help"),
)

# The simulation needs every hour from opening to closing: hours without data are filled by
# interpolating their neighbours (the plan above leaves them out).
day_frame = scenario.set_index("hour")[["arrivals", "service", "open"]].interpolate(limit_area="inside")
sim_counters = plan.set_index("hour")["planned" if counters_source == "planned" else "open_counters"]
sim_counters = sim_counters.reindex(day_frame.index).interpolate(limit_area="inside").round().astype(int)
rates = day_frame["arrivals"].to_numpy(float)
service_minutes = day_frame["service"].to_numpy(float)
counters = sim_counters.to_numpy(int)
if rates.sum() > 0 and counters.max(initial=0) == 0:
    st.info(t("staffing_sim_no_counters"))
else:
    if rates.sum() > 0 and counters[-1] == 0:
        counters[-1] = 1
        st.caption(t("staffing_sim_last_hour"))
    share_target = float(target_wait) if kind == "level" else float(max_mean_wait)
    try:
        with st.spinner(t("staffing_sim_running")):
            sim, sim_seconds = simulate(
                tuple(rates),
                tuple(service_minutes),
                tuple(int(c) for c in counters),
                int(replications),
                float(patience) if abandon else None,
                float(service_cv),
                share_target,
                int(day_frame.index[0]),
            )
    except ValueError as error:
        st.error(t("staffing_sim_failed"))
        st.caption(str(error))
        sim = None
    if sim is not None:
        formula = formula_day(rates, service_minutes, counters, share_target)
        formula_wait, day_formula_wait, day_formula_level = (
            formula.wait_minutes,
            formula.day_wait_minutes,
            formula.day_level,
        )
        low, high = sim.mean_wait_ci
        sim_metrics = st.columns(4)
        with sim_metrics[0].container(border=True):
            st.metric(t("staffing_sim_formula_wait"), minutes(day_formula_wait))
        with sim_metrics[1].container(border=True):
            st.metric(
                t("staffing_sim_sim_wait"),
                minutes(sim.mean_wait),
                help=t("staffing_sim_ci_help", replications=sim.replications),
            )
            st.caption(
                t(
                    "staffing_sim_ci",
                    low=minutes(low),
                    high=minutes(high),
                    half=minutes(sim.ci_half_width),
                    replications=sim.replications,
                )
            )
        with sim_metrics[2].container(border=True):
            st.metric(t("staffing_sim_formula_share", minutes=f"{share_target:g}"), format_ratio(day_formula_level))
        with sim_metrics[3].container(border=True):
            st.metric(
                t("staffing_sim_sim_share", minutes=f"{share_target:g}"), format_ratio(sim.share_within_target_overall)
            )
        sim_labels = [format_hour(h) for h in sim.hours]
        sim_figure = go.Figure(
            [
                go.Bar(
                    x=sim_labels,
                    y=np.where(np.isfinite(formula_wait), formula_wait, np.nan),
                    name=t("staffing_series_formula"),
                    marker_color="#2c7fb8",
                ),
                go.Scatter(
                    x=sim_labels,
                    y=sim.mean_wait_minutes,
                    name=t("staffing_series_simulated"),
                    mode="lines+markers",
                    line={"color": "#d7301f"},
                ),
                go.Scatter(
                    x=sim_labels,
                    y=sim.p95_wait_minutes,
                    name=t("staffing_series_simulated_p95"),
                    mode="lines",
                    line={"color": "#d7301f", "dash": "dot"},
                ),
            ]
        )
        sim_figure.update_layout(
            title={"text": t("staffing_sim_chart", counters=t(f"staffing_sim_counters_{counters_source}"))},
            xaxis_title=t("lobby_axis_hour"),
            yaxis_title=t("lobby_axis_minutes"),
            legend={"orientation": "h", "y": -0.25},
            height=400,
        )
        overloaded = ~np.isfinite(formula_wait)
        if overloaded.any():
            top = np.nanmax(np.concatenate([sim.p95_wait_minutes, np.where(overloaded, 0.0, formula_wait), [1.0]]))
            sim_figure.add_trace(
                go.Scatter(
                    x=[label for label, flag in zip(sim_labels, overloaded) if flag],
                    y=[top] * int(overloaded.sum()),
                    name=t("staffing_series_formula_overloaded"),
                    mode="markers",
                    marker={"color": "#2c7fb8", "symbol": "triangle-up", "size": 12},
                )
            )
        st.plotly_chart(sim_figure, key="staffing_sim_chart")

        # Why formula and simulation differ, from what this run actually shows.
        reasons = []
        if not np.isfinite(day_formula_wait):
            reasons.append(t("staffing_reason_unstable"))
        elif low <= day_formula_wait <= high:
            reasons.append(t("staffing_reason_agree"))
        else:
            direction = "higher" if sim.mean_wait > day_formula_wait else "lower"
            reasons.append(t(f"staffing_reason_sim_{direction}"))
        if non_stationary(rates, service_minutes, counters):
            reasons.append(t("staffing_reason_non_stationary"))
        reasons.append(t("staffing_reason_empty_start"))
        if abandon:
            abandoned = float(np.nansum(sim.abandonment_share * sim.arrivals) / max(sim.arrivals.sum(), 1e-9))
            reasons.append(t("staffing_reason_abandonment", share=format_ratio(abandoned)))
        if service_cv < 1:
            reasons.append(t("staffing_reason_cv_low", cv=f"{service_cv:g}"))
        elif service_cv > 1:
            reasons.append(t("staffing_reason_cv_high", cv=f"{service_cv:g}"))
        st.markdown("\n".join(f"- {reason}" for reason in reasons))
        st.caption(t("staffing_sim_timing", seconds=f"{sim_seconds:.2f}", replications=sim.replications))

# --- Every outlet of the unit ------------------------------------------------------------------------
st.subheader(t("staffing_all_title", unit=name_of(unit)))
all_cells = run_query(queries.lobby_profile, unit["id"], start, end, True, "day_type")
whole, plan_seconds = plan_all_outlets_timed(
    all_cells, outlets["counters"], kind, float(target_wait), target_level, float(max_mean_wait)
)
whole = whole.assign(
    open_counters=np.rint(whole["mean_counters_open"]).astype(int),
    unreachable=whole["needed"] == UNREACHABLE,
)
whole["planned"] = np.where(whole["unreachable"], whole["capacity"], whole["needed"])
whole["short"] = whole["open_counters"] < whole["planned"]
by_outlet = (
    whole.groupby(["outlet_id", "day_type"])
    .agg(
        peak=("needed", "max"),
        planned=("planned", "sum"),
        open_hours=("open_counters", "sum"),
        short=("short", "sum"),
        unreachable=("unreachable", "sum"),
    )
    .reset_index()
)
by_outlet = by_outlet.join(outlets[["code", "counters"]], on="outlet_id")
by_outlet = by_outlet.assign(order=by_outlet["day_type"].map(queries.LOBBY_DAY_TYPES.index))
by_outlet = by_outlet.sort_values(["code", "order"]).reset_index(drop=True)
all_table = pd.DataFrame(
    {
        t("col_code"): by_outlet["code"],
        t("col_name"): by_outlet["outlet_id"].map(names),
        t("lobby_day_type"): by_outlet["day_type"].map(lambda d: t(f"day_type_{d}")),
        t("lobby_col_counters"): by_outlet["counters"].map(counters_text),
        t("staffing_metric_peak"): [
            counters_text(p) if u == 0 else f"> {counters_text(c)}"
            for p, u, c in zip(by_outlet["peak"], by_outlet["unreachable"], by_outlet["counters"])
        ],
        t("staffing_metric_counter_hours"): by_outlet["planned"].map(counters_text),
        t("staffing_metric_open_hours"): by_outlet["open_hours"].map(counters_text),
        t("staffing_metric_short"): by_outlet["short"].map(counters_text),
        t("staffing_col_unreachable"): by_outlet["unreachable"].map(counters_text),
    }
)
st.dataframe(all_table, hide_index=True, width="stretch", key="staffing_all_table")
st.caption(
    t(
        "staffing_all_caption",
        outlets=format_count(whole["outlet_id"].nunique(), lang),
        cells=format_count(len(whole), lang),
        milliseconds=f"{plan_seconds * 1000:.0f}",
        target=target_text,
    )
)
long_csv = whole.join(outlets[["code"]], on="outlet_id").assign(label=lambda f: f["outlet_id"].map(names))[
    [
        "code",
        "label",
        "day_type",
        "hour",
        "mean_arrivals",
        "mean_service_minutes",
        "mean_counters_open",
        "capacity",
        "needed",
        "planned",
        "wait_with_plan",
    ]
]
st.download_button(
    t("staffing_download_all"),
    lobby_csv(long_csv),
    file_name=f"staffing_plan_all_{unit['code']}_{start}_{end}.csv",
    mime="text/csv",
    key="staffing_download_all",
)

with st.expander(t("how_computed")):
    st.markdown(t("staffing_how_computed", lunch=", ".join(format_hour(h) for h in LUNCH_HOURS)))
    st.caption(MISSING + " " + t("lobby_missing_value_note"))

"""Counter staffing plan: for one outlet and day type, the counters needed each hour to meet a
service target (a share served within a wait, or a mean wait) by the Erlang C model, against
the counters actually open; what-ifs (smart-machine diversion, demand change, longer opening,
an extra teller at lunch, the lobby's capacity); a printable, downloadable plan; a discrete-event
simulation of the same outlet-day beside the formula; and the plan of every outlet of the unit.

Hourly inputs come aggregated from ``data.queries_lobby.lobby_profile`` (mean arrivals per hour,
arrival-weighted mean service time, mean counters open over the period's days of that type).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.lobby import (
    LUNCH_HOURS,
    apply_what_if,
    compare_formula_and_simulation,
    compare_with_open_counters,
    formula_day,
    hourly_inputs,
    non_stationary,
    outlet_plan_totals,
    plan_all_outlets,
    plan_hours,
    plan_totals,
    simulation_day,
)
from analytics.lobby_simulation import simulate_lobby
from data import queries_lobby
from ui.cards import metric_cards
from ui.data_access import run_query
from ui.format import MISSING, format_count, format_hour, format_ratio, format_value
from ui.i18n import current_language, name_of, t
from ui.labels import unit_label_map
from ui.lobby_window import DEFAULT_WEEKS, PERIOD_WEEKS, lobby_csv, period_label, window_or_stop
from ui.page_entry import enter_through_app
from ui.session import current_scope
from ui.sidebar import focus_unit

enter_through_app()  # before anything else: never run without app.py (ui/page_entry.py)

REPLICATION_CHOICES = (200, 500, 1000, 2000)
DEFAULT_REPLICATIONS = 500
SIMULATION_SEED = 20261123
MAX_EXTRA_HOURS = 2
# How the day's Erlang C mean wait stands against the simulation, and the text that says so.
REASON_KEYS = {
    "unstable": "staffing_reason_unstable",
    "agree": "staffing_reason_agree",
    "higher": "staffing_reason_sim_higher",
    "lower": "staffing_reason_sim_lower",
}


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


# --------------------------------------------------------------------------- choices


@dataclass(frozen=True)
class Selection:
    """The outlet, day type and period the page plans for."""

    start: dt.date
    end: dt.date
    outlets: pd.DataFrame  # the unit's outlets with lobby data, by id
    names: dict[int, str]  # unique outlet labels by id
    outlet_id: int
    day_type: str

    @property
    def outlet(self) -> pd.Series:
        return self.outlets.loc[self.outlet_id]


@dataclass(frozen=True)
class Target:
    """The service target: ``kind`` "level" (``level_pct`` % within ``wait`` minutes) or
    "mean_wait" (mean wait at most ``max_mean_wait`` minutes)."""

    kind: str
    level_pct: float
    wait: float
    max_mean_wait: float

    @property
    def level(self) -> float:
        return self.level_pct / 100.0

    @property
    def share_wait(self) -> float:
        """The wait (minutes) that the share served within it is reported for."""
        return float(self.wait) if self.kind == "level" else float(self.max_mean_wait)

    def text(self) -> str:
        if self.kind == "level":
            return t("staffing_target_text_level", level=f"{self.level_pct:g}", minutes=f"{self.wait:g}")
        return t("staffing_target_text_mean", minutes=f"{self.max_mean_wait:g}")


@dataclass(frozen=True)
class WhatIf:
    """The what-if inputs (percentages as entered)."""

    divert_pct: int
    simple_minutes: float
    demand_pct: int
    capacity: int
    earlier: int
    later: int
    lunch_teller: bool


def minutes(value, lang: str) -> str:
    if value is not None and np.isinf(value):
        return t("staffing_overloaded")
    return format_value(value, "minutes", lang)


def joiner(lang: str) -> str:
    return "、" if lang == "zh" else ", "


def choose_outlet_and_period(unit: dict, period: dict, lang: str) -> Selection:
    """Outlet, day type, period: the controls and the caption (stops without lobby data)."""
    controls = st.columns([2, 1, 1])
    weeks = controls[2].selectbox(
        t("lobby_period"),
        PERIOD_WEEKS,
        index=PERIOD_WEEKS.index(DEFAULT_WEEKS),
        format_func={w: period_label(w) for w in PERIOD_WEEKS}.get,
        key="staffing_weeks",
    )
    start, end = window_or_stop(period, weeks)
    outlets = run_query(queries_lobby.lobby_outlet_summary, unit["id"], start, end)
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
    day_type = controls[1].segmented_control(
        t("lobby_day_type"),
        queries_lobby.LOBBY_DAY_TYPES,
        default="workday",
        format_func={d: t(f"day_type_{d}") for d in queries_lobby.LOBBY_DAY_TYPES}.get,
        key="staffing_day_type",
    )
    selection = Selection(start, end, outlets, names, outlet_id, day_type or "workday")
    outlet = selection.outlet
    st.caption(
        t(
            "staffing_caption",
            outlet=names[outlet_id],
            day_type=t(f"day_type_{selection.day_type}"),
            start=start.isoformat(),
            end=end.isoformat(),
            counters=format_count(outlet["counters"], lang),
            machines=format_count(outlet["smart_machines"], lang),
        )
    )
    return selection


def choose_target() -> Target:
    """The service target's controls."""
    target_columns = st.columns([2, 1, 1])
    kind = target_columns[0].radio(
        t("staffing_target_kind"),
        ("level", "mean_wait"),
        format_func={k: t(f"staffing_target_{k}") for k in ("level", "mean_wait")}.get,
        horizontal=True,
        key="staffing_target_kind",
    )
    level_pct, wait, max_mean_wait = 80.0, 10.0, 5.0
    if kind == "level":
        level_pct = target_columns[1].number_input(
            t("staffing_level"), min_value=0.0, max_value=100.0, value=80.0, step=5.0, key="staffing_level"
        )
        wait = target_columns[2].number_input(
            t("staffing_wait"), min_value=0.0, max_value=240.0, value=10.0, step=1.0, key="staffing_wait"
        )
    else:
        max_mean_wait = target_columns[1].number_input(
            t("staffing_mean_wait"), min_value=0.0, max_value=240.0, value=5.0, step=1.0, key="staffing_mean_wait"
        )
    return Target(kind, level_pct, wait, max_mean_wait)


def choose_what_ifs(selection: Selection) -> WhatIf:
    """The what-if controls, folded away."""
    with st.expander(t("staffing_what_if"), expanded=False):
        what_if = st.columns(3)
        divert_pct = what_if[0].slider(
            t("staffing_divert"), 0, 90, 0, step=5, key="staffing_divert", help=t("staffing_divert_help")
        )
        simple_minutes = what_if[0].number_input(
            t("staffing_simple_minutes"),
            min_value=0.5,
            max_value=60.0,
            value=3.0,
            step=0.5,
            key="staffing_simple_minutes",
        )
        demand_pct = what_if[1].number_input(
            t("staffing_demand"), min_value=-90, max_value=300, value=0, step=10, key="staffing_demand"
        )
        capacity = int(
            what_if[1].number_input(
                t("staffing_capacity"),
                min_value=0,
                max_value=60,
                value=int(selection.outlet["counters"]),
                step=1,
                key=f"staffing_capacity_{selection.outlet_id}",
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
    return WhatIf(divert_pct, simple_minutes, demand_pct, capacity, int(earlier), int(later), lunch_teller)


def check_target(target: Target) -> None:
    """A translated message for each target that cannot be planned for, then stop."""
    errors = []
    if target.kind == "level" and not 0 < target.level_pct < 100:
        errors.append(t("staffing_err_level_100") if target.level_pct >= 100 else t("staffing_err_level_0"))
    if target.kind == "mean_wait" and target.max_mean_wait <= 0:
        errors.append(t("staffing_err_mean_wait_0"))
    for message in errors:
        st.error(message)
    if errors:
        st.stop()


# --------------------------------------------------------------------------- the outlet-day's plan


def day_plan(
    selection: Selection, period: dict, target: Target, what_if: WhatIf, lang: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The hourly inputs after the what-ifs and the plan for them, with a message for what is
    missing or out of reach (stops when there is nothing to plan)."""
    day = run_query(
        queries_lobby.lobby_profile, int(selection.outlet_id), selection.start, selection.end, False, "day_type"
    )
    day = day[day["day_type"] == selection.day_type]
    if day.empty:
        st.info(t("lobby_no_day_type", day_type=t(f"day_type_{selection.day_type}")))
        st.stop()
    if period["invalid_rows"]:
        st.warning(t("lobby_invalid_rows", rows=format_count(period["invalid_rows"], lang)))
    hourly, missing_hours = hourly_inputs(day)
    if missing_hours:
        st.warning(t("staffing_missing_hours", hours=joiner(lang).join(format_hour(h) for h in missing_hours)))
    scenario, problems = apply_what_if(
        hourly,
        what_if.divert_pct / 100.0,
        what_if.simple_minutes,
        what_if.demand_pct / 100.0,
        what_if.earlier,
        what_if.later,
        what_if.lunch_teller,
    )
    for key, values in problems:
        st.error(t(f"staffing_err_{key}", **{name: minutes(value, lang) for name, value in values.items()}))
    if problems:
        st.stop()

    plan = plan_hours_cached(
        scenario, target.kind, float(target.wait), target.level, float(target.max_mean_wait), what_if.capacity
    )
    if plan.empty:
        st.info(t("lobby_no_day_type", day_type=t(f"day_type_{selection.day_type}")))
        st.stop()
    if plan["arrivals"].sum() == 0:
        st.info(t("staffing_nobody_arrives"))
    return scenario, plan


def show_unreachable(plan: pd.DataFrame, target: Target, capacity: int, lang: str) -> None:
    """A warning naming the hours whose target the lobby's counters cannot meet."""
    unreachable = plan[~plan["reachable"]]
    if unreachable.empty:
        return
    best = [
        f"{format_hour(row.hour)} "
        + (
            minutes(row.wait_plan, lang)
            if target.kind == "mean_wait" or np.isinf(row.wait_plan)
            else format_ratio(row.level_plan)
        )
        for row in unreachable.itertuples()
    ]
    st.warning(
        t(
            "staffing_unreachable",
            hours=joiner(lang).join(format_hour(h) for h in unreachable["hour"]),
            capacity=format_count(capacity, lang),
            most=format_count(int(unreachable["needed"].max()), lang),
            best=joiner(lang).join(best),
        )
    )


def show_headline(plan: pd.DataFrame, lang: str) -> None:
    totals = plan_totals(plan)
    headline = [
        (t("staffing_metric_peak"), format_count(totals.peak_needed, lang)),
        (t("staffing_metric_counter_hours"), format_count(totals.planned_counter_hours, lang)),
        (t("staffing_metric_open_hours"), format_count(totals.open_counter_hours, lang)),
        (t("staffing_metric_short"), format_count(totals.hours_short, lang)),
        (t("staffing_metric_over"), format_count(totals.hours_over, lang)),
    ]
    metric_cards(headline, key="staffing_headline")


def show_charts(plan: pd.DataFrame, selection: Selection, target: Target, capacity: int) -> None:
    """Counters needed against open, and the service quality with each."""
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
    subtitle = f"{selection.names[selection.outlet_id]} · {t(f'day_type_{selection.day_type}')}"
    counters_figure.update_layout(
        title={"text": f"{t('staffing_counters_chart')}<br><sup>{subtitle}</sup>"},
        xaxis_title=t("lobby_axis_hour"),
        yaxis_title=t("lobby_axis_counters"),
        yaxis={"rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.25},
        height=400,
    )
    chart_columns[0].plotly_chart(counters_figure, key="staffing_counters_chart")
    if target.kind == "level":
        quality_plan, quality_open = plan["level_plan"] * 100, plan["level_open"] * 100
        quality_axis, quality_target = t("staffing_axis_level"), target.level_pct
    else:
        quality_plan = plan["wait_plan"].replace(np.inf, np.nan)
        quality_open = plan["wait_open"].replace(np.inf, np.nan)
        quality_axis, quality_target = t("lobby_axis_minutes"), target.max_mean_wait
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
            "text": t("staffing_quality_chart_level" if target.kind == "level" else "staffing_quality_chart_wait")
            + f"<br><sup>{target.text()}</sup>"
        },
        xaxis_title=t("lobby_axis_hour"),
        yaxis_title=quality_axis,
        yaxis={"rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.25},
        height=400,
    )
    chart_columns[1].plotly_chart(quality_figure, key="staffing_quality_chart")
    if target.kind == "mean_wait" and (np.isinf(plan["wait_open"]).any() or np.isinf(plan["wait_plan"]).any()):
        chart_columns[1].caption(t("staffing_overloaded_note"))


def show_printable_plan(plan: pd.DataFrame, selection: Selection, target: Target, lang: str) -> None:
    """The plan as a table to print, and as a CSV download."""
    st.subheader(t("staffing_plan_title"))
    st.markdown(
        t(
            "staffing_plan_header",
            outlet=selection.names[selection.outlet_id],
            day_type=t(f"day_type_{selection.day_type}"),
            target=target.text(),
            start=selection.start.isoformat(),
            end=selection.end.isoformat(),
        )
    )
    level = target.kind == "level"
    table = pd.DataFrame(
        {
            t("staffing_col_hour"): [f"{format_hour(h)}–{format_hour(h + 1)}" for h in plan["hour"]],
            t("staffing_col_arrivals"): plan["arrivals"].map(lambda v: format_value(v, "score", lang)),
            t("staffing_col_service"): plan["service"].map(lambda v: minutes(v, lang)),
            t("staffing_col_needed"): [
                format_count(n, lang) + ("" if ok else f" ({t('staffing_over_capacity')})")
                for n, ok in zip(plan["needed"], plan["reachable"])
            ],
            t("staffing_col_open"): [
                format_count(n, lang) + (f" ({t('staffing_added_hour')})" if added else "")
                for n, added in zip(plan["open_counters"], plan["added"])
            ],
            t("staffing_col_change"): [
                f"{p - o:+d}" if p != o else "0" for p, o in zip(plan["planned"], plan["open_counters"])
            ],
            t("staffing_col_level_plan") if level else t("staffing_col_wait_plan"): (
                plan["level_plan"].map(format_ratio) if level else plan["wait_plan"].map(lambda v: minutes(v, lang))
            ),
            t("staffing_col_level_open") if level else t("staffing_col_wait_open"): (
                plan["level_open"].map(format_ratio) if level else plan["wait_open"].map(lambda v: minutes(v, lang))
            ),
        }
    )
    st.table(table, hide_index=True)
    st.caption(t("staffing_print_note"))
    st.download_button(
        t("staffing_download_plan"),
        table.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"staffing_plan_{selection.outlet['code']}_{selection.day_type}.csv",
        mime="text/csv",
        key="staffing_download_plan",
    )


# --------------------------------------------------------------------------- simulation beside the formula


def show_simulation(scenario: pd.DataFrame, plan: pd.DataFrame, target: Target, lang: str) -> None:
    """A discrete-event simulation of the outlet-day beside the Erlang C formula, and why they
    differ."""
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

    # Every hour from opening to closing (hours without data interpolated: the plan leaves them out).
    day = simulation_day(
        scenario, plan.set_index("hour")["planned" if counters_source == "planned" else "open_counters"]
    )
    if day.no_counters:
        st.info(t("staffing_sim_no_counters"))
        return
    if day.last_hour_opened:
        st.caption(t("staffing_sim_last_hour"))
    rates, service_minutes, counters = day.arrivals_per_hour, day.service_minutes, day.counters
    try:
        with st.spinner(t("staffing_sim_running")):
            sim, sim_seconds = simulate(
                tuple(rates),
                tuple(service_minutes),
                tuple(int(c) for c in counters),
                int(replications),
                float(patience) if abandon else None,
                float(service_cv),
                target.share_wait,
                day.opening_hour,
            )
    except ValueError as error:
        st.error(t("staffing_sim_failed"))
        st.caption(str(error))
        return
    formula = formula_day(rates, service_minutes, counters, target.share_wait)
    low, high = sim.mean_wait_ci
    sim_metrics = st.columns(4)
    with sim_metrics[0].container(border=True):
        st.metric(t("staffing_sim_formula_wait"), minutes(formula.day_wait_minutes, lang))
    with sim_metrics[1].container(border=True):
        st.metric(
            t("staffing_sim_sim_wait"),
            minutes(sim.mean_wait, lang),
            help=t("staffing_sim_ci_help", replications=sim.replications),
        )
        st.caption(
            t(
                "staffing_sim_ci",
                low=minutes(low, lang),
                high=minutes(high, lang),
                half=minutes(sim.ci_half_width, lang),
                replications=sim.replications,
            )
        )
    share_minutes = f"{target.share_wait:g}"
    with sim_metrics[2].container(border=True):
        st.metric(t("staffing_sim_formula_share", minutes=share_minutes), format_ratio(formula.day_level))
    with sim_metrics[3].container(border=True):
        st.metric(t("staffing_sim_sim_share", minutes=share_minutes), format_ratio(sim.share_within_target_overall))
    st.plotly_chart(simulation_figure(sim, formula.wait_minutes, counters_source), key="staffing_sim_chart")

    # Why formula and simulation differ, from what this run actually shows.
    agreement = compare_formula_and_simulation(formula.day_wait_minutes, sim.mean_wait, sim.mean_wait_ci)
    reasons = [t(REASON_KEYS[agreement])]
    if non_stationary(rates, service_minutes, counters):
        reasons.append(t("staffing_reason_non_stationary"))
    reasons.append(t("staffing_reason_empty_start"))
    if abandon:
        reasons.append(t("staffing_reason_abandonment", share=format_ratio(sim.abandonment_share_overall)))
    if service_cv < 1:
        reasons.append(t("staffing_reason_cv_low", cv=f"{service_cv:g}"))
    elif service_cv > 1:
        reasons.append(t("staffing_reason_cv_high", cv=f"{service_cv:g}"))
    st.markdown("\n".join(f"- {reason}" for reason in reasons))
    st.caption(t("staffing_sim_timing", seconds=f"{sim_seconds:.2f}", replications=sim.replications))


def simulation_figure(sim, formula_wait: np.ndarray, counters_source: str) -> go.Figure:
    """Mean wait per hour: Erlang C bars, the simulation's mean and 95th percentile, and markers
    on top for the hours the formula finds overloaded."""
    sim_labels = [format_hour(h) for h in sim.hours]
    figure = go.Figure(
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
    figure.update_layout(
        title={"text": t("staffing_sim_chart", counters=t(f"staffing_sim_counters_{counters_source}"))},
        xaxis_title=t("lobby_axis_hour"),
        yaxis_title=t("lobby_axis_minutes"),
        legend={"orientation": "h", "y": -0.25},
        height=400,
    )
    overloaded = ~np.isfinite(formula_wait)
    if overloaded.any():
        top = np.nanmax(np.concatenate([sim.p95_wait_minutes, np.where(overloaded, 0.0, formula_wait), [1.0]]))
        figure.add_trace(
            go.Scatter(
                x=[label for label, flag in zip(sim_labels, overloaded) if flag],
                y=[top] * int(overloaded.sum()),
                name=t("staffing_series_formula_overloaded"),
                mode="markers",
                marker={"color": "#2c7fb8", "symbol": "triangle-up", "size": 12},
            )
        )
    return figure


# --------------------------------------------------------------------------- every outlet of the unit


def show_all_outlets(unit: dict, selection: Selection, target: Target, lang: str) -> None:
    """The plan of every outlet of the unit by day type, as a table and a CSV of every hour."""
    st.subheader(t("staffing_all_title", unit=name_of(unit)))
    all_cells = run_query(queries_lobby.lobby_profile, unit["id"], selection.start, selection.end, True, "day_type")
    whole, plan_seconds = plan_all_outlets_timed(
        all_cells,
        selection.outlets["counters"],
        target.kind,
        float(target.wait),
        target.level,
        float(target.max_mean_wait),
    )
    whole = compare_with_open_counters(whole)
    by_outlet = outlet_plan_totals(whole).join(selection.outlets[["code", "counters"]], on="outlet_id")
    by_outlet = by_outlet.assign(order=by_outlet["day_type"].map(queries_lobby.LOBBY_DAY_TYPES.index))
    by_outlet = by_outlet.sort_values(["code", "order"]).reset_index(drop=True)

    def counters_text(value) -> str:
        return format_count(value, lang)

    all_table = pd.DataFrame(
        {
            t("col_code"): by_outlet["code"],
            t("col_name"): by_outlet["outlet_id"].map(selection.names),
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
            target=target.text(),
        )
    )
    long_csv = whole.join(selection.outlets[["code"]], on="outlet_id").assign(
        label=lambda f: f["outlet_id"].map(selection.names)
    )[
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
        file_name=f"staffing_plan_all_{unit['code']}_{selection.start}_{selection.end}.csv",
        mime="text/csv",
        key="staffing_download_all",
    )


def show_how_computed() -> None:
    with st.expander(t("how_computed")):
        st.markdown(t("staffing_how_computed", lunch=", ".join(format_hour(h) for h in LUNCH_HOURS)))
        st.caption(MISSING + " " + t("lobby_missing_value_note"))


# --------------------------------------------------------------------------- page


def main() -> None:
    lang = current_language()
    current_scope()  # the page needs a signed-in scope
    unit = focus_unit()

    st.title(t("staffing_title"))
    period = run_query(queries_lobby.lobby_period, unit["id"])
    if period["rows"] == 0 or period["last_day"] is None:
        st.caption(name_of(unit))
        st.info(t("lobby_no_data"))
        st.stop()

    selection = choose_outlet_and_period(unit, period, lang)
    target = choose_target()
    what_if = choose_what_ifs(selection)
    check_target(target)
    scenario, plan = day_plan(selection, period, target, what_if, lang)
    show_unreachable(plan, target, what_if.capacity, lang)
    show_headline(plan, lang)
    show_charts(plan, selection, target, what_if.capacity)
    show_printable_plan(plan, selection, target, lang)
    show_simulation(scenario, plan, target, lang)
    show_all_outlets(unit, selection, target, lang)
    show_how_computed()


main()

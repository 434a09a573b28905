"""Lobby models built on the Erlang C formulas of :mod:`analytics.queueing`: the waiting-time
percentile of a group of hours, counters needed per outlet-hour, the what-ifs of the counter
staffing plan, and the formula side of the formula-versus-simulation comparison.

Pure pandas/numpy: the lobby and staffing pages call these with the hourly aggregates of
``data.queries_lobby.lobby_profile`` (columns ``mean_arrivals`` per hour, ``mean_service_minutes``,
``mean_counters_open``, ``mean_wait_minutes``, ``arrivals`` summed).

Waiting-time percentile. Only hourly means are in the data, so the 95th-percentile wait comes from
the M/M/c waiting-time distribution of each cell (outlet × weekday × hour):
P(W > t) = C · exp(−t / m), with C the Erlang C probability of waiting for the cell's load on the
counters open and m the mean wait of those who wait. For an M/M/c queue m = S / (c − a); here m is
scaled so that the cell's mean wait equals the observed one (C · m = observed mean, so
m = observed / C). For one cell the q-quantile is then the closed form m · ln(C / (1 − q)) (0 when
C ≤ 1 − q); for a group of cells it is the quantile of their arrival-weighted mixture, found by
bisection.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.queueing import (
    UNREACHABLE,
    erlang_c,
    mean_wait,
    servers_needed,
    servers_needed_for_mean_wait,
    service_level,
    staffing_plan,
)

__all__ = [
    "LUNCH_HOURS",
    "FormulaDay",
    "PlanTotals",
    "SimulationDay",
    "apply_what_if",
    "compare_formula_and_simulation",
    "compare_with_open_counters",
    "counters_needed",
    "formula_day",
    "group_percentiles",
    "hourly_inputs",
    "hourly_means",
    "outlet_plan_totals",
    "plan_all_outlets",
    "plan_hours",
    "plan_totals",
    "simulation_day",
    "wait_percentile",
    "wait_tail_parameters",
    "weighted_mean",
]

PERCENTILE = 0.95
LUNCH_HOURS = (12, 13)
_BISECTION_STEPS = 60  # halves the bracket to 2^-60 of its width: exact to double precision


# --------------------------------------------------------------------------- percentiles


def wait_tail_parameters(cells: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per cell: the Erlang C probability of waiting C (for ``mean_arrivals`` per hour,
    ``mean_service_minutes`` and ``mean_counters_open`` rounded, at least one) and the mean wait
    in minutes of those who wait, scaled so that C × it equals the observed ``mean_wait_minutes``.
    """
    if cells.empty:
        return np.zeros(0), np.zeros(0)
    rate = cells["mean_arrivals"].to_numpy(float) / 60.0
    service = cells["mean_service_minutes"].to_numpy(float)
    counters = np.maximum(np.rint(cells["mean_counters_open"].to_numpy(float)), 1)
    waiting = np.atleast_1d(erlang_c(rate, service, counters))
    observed = cells["mean_wait_minutes"].to_numpy(float)
    conditional = np.divide(observed, waiting, out=np.zeros_like(observed), where=waiting > 0)
    return waiting, conditional


def wait_percentile(weights, waiting, conditional, quantile: float = PERCENTILE) -> float:
    """The ``quantile`` of the wait (minutes) over a mixture of cells (``weights`` = arrivals):
    in each cell a customer waits 0 with probability 1 − C, else an exponential time with mean
    ``conditional``. Found by bisection on the mixture's tail; NaN without weight, 0 if few
    enough wait at all."""
    weights = np.asarray(weights, float)
    total = weights.sum()
    if not np.isfinite(total) or total <= 0:
        return float("nan")
    share = weights / total
    waiting, conditional = np.asarray(waiting, float), np.asarray(conditional, float)
    waits = (waiting > 0) & (conditional > 0)
    share, waiting, conditional = share[waits], waiting[waits], conditional[waits]
    allowed = 1.0 - quantile

    def tail(t: float) -> float:
        return float((share * waiting * np.exp(-t / conditional)).sum())

    if tail(0.0) <= allowed:
        return 0.0
    low, high = 0.0, float(conditional.max() * np.log(1.0 / allowed))  # tail(high) <= allowed
    for _ in range(_BISECTION_STEPS):
        middle = (low + high) / 2
        low, high = (middle, high) if tail(middle) > allowed else (low, middle)
    return high


def group_percentiles(cells: pd.DataFrame, key: str, quantile: float = PERCENTILE) -> pd.Series:
    """:func:`wait_percentile` (minutes) for every value of ``key`` (e.g. hour, outlet_id) at once:
    the same bisection run on all groups together (one numpy pass per step, not a loop over
    groups). Index: the sorted values of ``key``; NaN for a group nobody arrived in."""
    if cells.empty:
        return pd.Series(dtype=float)
    waiting, conditional = wait_tail_parameters(cells)
    codes, groups = pd.factorize(cells[key], sort=True)
    n = len(groups)
    weights = cells["arrivals"].to_numpy(float)
    totals = np.bincount(codes, weights, minlength=n)
    share = np.divide(weights, totals[codes], out=np.zeros_like(weights), where=totals[codes] > 0)
    active = (waiting > 0) & (conditional > 0)
    mass = np.where(active, share * waiting, 0.0)
    scale = np.where(active, conditional, 1.0)
    allowed = 1.0 - quantile

    def tail(t: np.ndarray) -> np.ndarray:
        return np.bincount(codes, mass * np.exp(-t[codes] / scale), minlength=n)

    longest = pd.Series(np.where(active, conditional, 0.0)).groupby(codes).max().reindex(range(n), fill_value=0.0)
    low, high = np.zeros(n), longest.to_numpy() * np.log(1.0 / allowed)
    for _ in range(_BISECTION_STEPS):
        middle = (low + high) / 2
        above = tail(middle) > allowed
        low, high = np.where(above, middle, low), np.where(above, high, middle)
    result = np.where(tail(np.zeros(n)) <= allowed, 0.0, high)
    result = np.where(totals > 0, result, np.nan)
    return pd.Series(result, index=groups, dtype=float)


def overall_percentile(cells: pd.DataFrame, quantile: float = PERCENTILE) -> float:
    """:func:`wait_percentile` of all ``cells`` together, weighted by their ``arrivals``."""
    return wait_percentile(cells["arrivals"], *wait_tail_parameters(cells), quantile=quantile)


# --------------------------------------------------------------------------- aggregates


def weighted_mean(values: pd.Series, weights: pd.Series) -> float:
    """Σ values·weights / Σ weights; NaN when the weights sum to zero (e.g. nobody arrived)."""
    total = float(np.asarray(weights, float).sum())
    if total <= 0:
        return float("nan")
    return float((np.asarray(values, float) * np.asarray(weights, float)).sum() / total)


def hourly_means(profile: pd.DataFrame) -> pd.DataFrame:
    """Per hour of day (index): summed ``arrivals`` and the arrival-weighted ``mean_wait`` and
    ``mean_service`` minutes over the profile's days (NaN in an hour nobody arrived in)."""
    grouped = profile.assign(
        wait_x=profile["mean_wait_minutes"] * profile["arrivals"],
        service_x=profile["mean_service_minutes"] * profile["arrivals"],
    ).groupby("hour")[["arrivals", "wait_x", "service_x"]]
    by_hour = grouped.sum()
    arrivals = by_hour["arrivals"].where(by_hour["arrivals"] > 0)
    return pd.DataFrame(
        {
            "arrivals": by_hour["arrivals"],
            "mean_wait": by_hour["wait_x"] / arrivals,
            "mean_service": by_hour["service_x"] / arrivals,
        }
    )


def service_range_by_hour(cells: pd.DataFrame) -> pd.DataFrame:
    """Per hour (index): the fastest and slowest outlet's arrival-weighted mean service minutes
    (columns ``fastest``, ``slowest``), from per-outlet cells."""
    per_outlet = cells.assign(service_x=cells["mean_service_minutes"] * cells["arrivals"])
    per_outlet = per_outlet.groupby(["outlet_id", "hour"])[["service_x", "arrivals"]].sum()
    service = (per_outlet["service_x"] / per_outlet["arrivals"].where(per_outlet["arrivals"] > 0)).unstack()
    return pd.DataFrame({"fastest": service.min(), "slowest": service.max()})


def counters_needed(
    day_cells: pd.DataFrame, capacity: pd.Series, target_wait_minutes: float, target_level: float
) -> pd.DataFrame:
    """Per outlet × hour of one day type: counters needed for ``target_level`` of customers served
    within ``target_wait_minutes`` (Erlang C), at most the outlet's installed counters
    (``capacity``, by outlet id). Adds ``needed`` (the installed counters where the target is out
    of reach) and ``reachable``."""
    if day_cells.empty:
        return day_cells.assign(needed=pd.Series(dtype="int64"), reachable=pd.Series(dtype=bool))
    limit = day_cells["outlet_id"].map(capacity).fillna(0).astype(int).to_numpy()
    plan = staffing_plan(
        day_cells["mean_arrivals"].to_numpy(float),
        day_cells["mean_service_minutes"].to_numpy(float),
        target_wait_minutes,
        target_level,
        limit,
    )
    return day_cells.assign(needed=np.where(plan.reachable, plan.counters, limit), reachable=plan.reachable)


# --------------------------------------------------------------------------- staffing plan


def hourly_inputs(day: pd.DataFrame) -> tuple[pd.DataFrame, list[int]]:
    """One row per hour from the first to the last hour with data (hour, ``arrivals`` per hour,
    ``service`` minutes, ``open`` counters, ``days``), and the hours in between without data
    (their rows are NaN)."""
    day = day.sort_values("hour")
    hours = np.arange(int(day["hour"].min()), int(day["hour"].max()) + 1)
    frame = (
        day.set_index("hour")[["mean_arrivals", "mean_service_minutes", "mean_counters_open", "days"]]
        .reindex(hours)
        .rename(columns={"mean_arrivals": "arrivals", "mean_service_minutes": "service", "mean_counters_open": "open"})
        .rename_axis("hour")
        .reset_index()
    )
    return frame, [int(h) for h in frame.loc[frame["arrivals"].isna(), "hour"]]


def apply_what_if(
    hourly: pd.DataFrame,
    divert_share: float,
    simple_minutes: float,
    demand_change: float,
    earlier: int,
    later: int,
    lunch_teller: bool,
) -> tuple[pd.DataFrame, list[tuple[str, dict]]]:
    """The hourly inputs after the what-ifs, and problems as (code, values): ``divert`` (the
    diverted work exceeds an hour's service; values: ``minutes``, the shortest mean service) or
    ``hours`` (the longer opening leaves the day). With a problem the frame is unusable.

    * Demand change: every hour's arrivals × (1 + ``demand_change``).
    * Smart machines take ``divert_share`` of the customers, all simple transactions of
      ``simple_minutes`` each: arrivals × (1 − x); the remaining customers' mean service time
      becomes (S − x·s) / (1 − x), so the counters' work falls by λ·x·s.
    * Longer opening: each extra hour before or after gets the arrival rate, service time and
      counters of the hour next to it; the day's customers stay the same, spread over more hours.
    * Extra teller at lunch: one more counter open in :data:`LUNCH_HOURS`.
    """
    problems: list[tuple[str, dict]] = []
    frame = hourly.copy()
    frame["added"] = False
    frame["arrivals"] = frame["arrivals"] * (1.0 + demand_change)
    if divert_share > 0:
        remaining = frame["service"] - divert_share * simple_minutes
        if (remaining <= 0).any():
            problems.append(("divert", {"minutes": float(frame["service"].min())}))
            return frame, problems
        frame["service"] = remaining / (1.0 - divert_share)
        frame["arrivals"] = frame["arrivals"] * (1.0 - divert_share)
    if earlier or later:
        first, last = int(frame["hour"].min()), int(frame["hour"].max())
        if first - earlier < 0 or last + later > 23:
            problems.append(("hours", {}))
            return frame, problems
        before = pd.DataFrame([frame.iloc[0]] * earlier).assign(hour=range(first - earlier, first), added=True)
        after = pd.DataFrame([frame.iloc[-1]] * later).assign(hour=range(last + 1, last + 1 + later), added=True)
        customers = frame["arrivals"].sum()
        frame = pd.concat([before, frame, after], ignore_index=True)
        total = frame["arrivals"].sum()
        if total > 0:
            frame["arrivals"] = frame["arrivals"] * customers / total
        frame = frame.astype({"hour": "int64", "added": bool})
    if lunch_teller:
        frame.loc[frame["hour"].isin(LUNCH_HOURS), "open"] += 1
    return frame, problems


def plan_hours(
    hourly: pd.DataFrame,
    kind: str,
    target_wait: float,
    target_level: float,
    max_mean_wait: float,
    capacity: int,
) -> pd.DataFrame:
    """Counters needed per hour (Erlang C, searched without limit) for ``kind`` "level"
    (``target_level`` served within ``target_wait`` minutes) or "mean_wait" (mean wait ≤
    ``max_mean_wait`` minutes); whether the lobby's ``capacity`` holds them (``reachable``); the
    ``planned`` counters (needed, at most ``capacity``); and the service level and mean wait
    (minutes, inf when overloaded) with the planned counters and with the counters open (rounded).
    Hours without data are left out."""
    rows = hourly.dropna(subset=["arrivals", "service"]).reset_index(drop=True)
    rate = rows["arrivals"].to_numpy(float) / 60.0
    service = rows["service"].to_numpy(float)
    if kind == "level":
        needed = servers_needed(rate, service, target_wait, target_level)
    elif kind == "mean_wait":
        needed = servers_needed_for_mean_wait(rate, service, max_mean_wait)
    else:
        raise ValueError(f"unknown target kind {kind!r}")
    needed = np.atleast_1d(needed).astype(int)
    planned = np.minimum(needed, capacity)
    open_now = np.rint(rows["open"].fillna(0).to_numpy(float)).astype(int)
    share_wait = target_wait if kind == "level" else max_mean_wait
    return rows.assign(
        load=rate * service,
        needed=needed,
        reachable=needed <= capacity,
        planned=planned,
        open_counters=open_now,
        level_plan=np.atleast_1d(service_level(rate, service, planned, share_wait)),
        wait_plan=np.atleast_1d(mean_wait(rate, service, planned)),
        level_open=np.atleast_1d(service_level(rate, service, open_now, share_wait)),
        wait_open=np.atleast_1d(mean_wait(rate, service, open_now)),
    )


def plan_all_outlets(
    cells: pd.DataFrame,
    capacity: pd.Series,
    kind: str,
    target_wait: float,
    target_level: float,
    max_mean_wait: float,
) -> pd.DataFrame:
    """The plan for every outlet × day type × hour at once (vectorised Erlang C), from per-outlet
    cells of ``lobby_profile``. Adds ``needed`` (-1 = :data:`UNREACHABLE` where the outlet's
    installed counters, ``capacity`` by outlet id, cannot meet the target), ``capacity`` and
    ``wait_with_plan`` (mean wait in minutes with the plan, or with every counter where it is out
    of reach). Cells without a positive service time are left out."""
    cells = cells[cells["mean_service_minutes"] > 0].reset_index(drop=True)
    limit = cells["outlet_id"].map(capacity).fillna(0).astype(int).to_numpy()
    arrivals = cells["mean_arrivals"].to_numpy(float)
    service = cells["mean_service_minutes"].to_numpy(float)
    if kind == "level":
        plan = staffing_plan(arrivals, service, target_wait, target_level, limit)
        needed, wait = plan.counters, plan.mean_wait_minutes
    elif kind == "mean_wait":
        needed = np.atleast_1d(servers_needed_for_mean_wait(arrivals / 60.0, service, max_mean_wait))
        needed = np.where(needed <= limit, needed, UNREACHABLE)
        wait = np.atleast_1d(mean_wait(arrivals / 60.0, service, np.where(needed >= 0, needed, limit)))
    else:
        raise ValueError(f"unknown target kind {kind!r}")
    return cells.assign(needed=needed, capacity=limit, wait_with_plan=wait)


@dataclass(frozen=True)
class PlanTotals:
    """Headline figures of one outlet-day's plan (the output of :func:`plan_hours`).

    Attributes
    ----------
    peak_needed : int
        Most counters needed in any hour (counters).
    planned_counter_hours : int
        Counters planned summed over the hours (counter-hours).
    open_counter_hours : int
        Counters open (rounded per hour) summed over the hours (counter-hours).
    hours_short : int
        Hours with fewer counters open than planned (hours).
    hours_over : int
        Hours with more counters open than planned (hours).
    """

    peak_needed: int
    planned_counter_hours: int
    open_counter_hours: int
    hours_short: int
    hours_over: int


def plan_totals(plan: pd.DataFrame) -> PlanTotals:
    """Sum up one outlet-day's plan against the counters actually open.

    Parameters
    ----------
    plan : DataFrame
        One row per hour with ``needed``, ``planned`` and ``open_counters`` (counters), as
        :func:`plan_hours` returns it.

    Returns
    -------
    PlanTotals
        Peak counters needed, counter-hours planned and open, and the hours short (open <
        planned) and over (open > planned).

    Examples
    --------
    >>> plan = pd.DataFrame({"needed": [2, 4, 3], "planned": [2, 3, 3], "open_counters": [3, 2, 3]})
    >>> plan_totals(plan)
    PlanTotals(peak_needed=4, planned_counter_hours=8, open_counter_hours=8, hours_short=1, hours_over=1)
    """
    return PlanTotals(
        peak_needed=int(plan["needed"].max()),
        planned_counter_hours=int(plan["planned"].sum()),
        open_counter_hours=int(plan["open_counters"].sum()),
        hours_short=int((plan["open_counters"] < plan["planned"]).sum()),
        hours_over=int((plan["open_counters"] > plan["planned"]).sum()),
    )


def compare_with_open_counters(cells: pd.DataFrame) -> pd.DataFrame:
    """The plan of every outlet-hour beside the counters that were open.

    Parameters
    ----------
    cells : DataFrame
        Output of :func:`plan_all_outlets`: ``needed`` (counters, :data:`UNREACHABLE` where the
        installed counters cannot meet the target), ``capacity`` (installed counters) and
        ``mean_counters_open`` (mean counters open over the period's days, counters).

    Returns
    -------
    DataFrame
        ``cells`` with ``open_counters`` (the mean open, rounded to whole counters),
        ``unreachable`` (bool), ``planned`` (counters: ``needed``, or every installed counter
        where the target is out of reach) and ``short`` (bool: fewer open than planned).

    Examples
    --------
    >>> cells = pd.DataFrame({"needed": [3, -1], "capacity": [4, 4], "mean_counters_open": [2.4, 4.0]})
    >>> compare_with_open_counters(cells)[["open_counters", "unreachable", "planned", "short"]]
       open_counters  unreachable  planned  short
    0              2        False        3   True
    1              4         True        4  False
    """
    cells = cells.assign(
        open_counters=np.rint(cells["mean_counters_open"]).astype(int),
        unreachable=cells["needed"] == UNREACHABLE,
    )
    cells["planned"] = np.where(cells["unreachable"], cells["capacity"], cells["needed"])
    cells["short"] = cells["open_counters"] < cells["planned"]
    return cells


def outlet_plan_totals(cells: pd.DataFrame) -> pd.DataFrame:
    """Plan totals per outlet and day type, from :func:`compare_with_open_counters`.

    Parameters
    ----------
    cells : DataFrame
        One row per outlet × day type × hour with ``outlet_id``, ``day_type``, ``needed``,
        ``planned``, ``open_counters`` (counters), ``short`` and ``unreachable`` (bool).

    Returns
    -------
    DataFrame
        One row per ``outlet_id`` × ``day_type``: ``peak`` (most counters needed in an hour;
        -1 when every hour is out of reach), ``planned`` and ``open_hours`` (counter-hours),
        ``short`` and ``unreachable`` (hours).

    Examples
    --------
    >>> cells = compare_with_open_counters(
    ...     pd.DataFrame(
    ...         {
    ...             "outlet_id": [1, 1, 2],
    ...             "day_type": ["workday", "workday", "workday"],
    ...             "needed": [3, -1, 2],
    ...             "capacity": [4, 4, 3],
    ...             "mean_counters_open": [2.4, 4.0, 2.0],
    ...         }
    ...     )
    ... )
    >>> outlet_plan_totals(cells)
       outlet_id day_type  peak  planned  open_hours  short  unreachable
    0          1  workday     3        7           6      1            1
    1          2  workday     2        2           2      0            0
    """
    return (
        cells.groupby(["outlet_id", "day_type"])
        .agg(
            peak=("needed", "max"),
            planned=("planned", "sum"),
            open_hours=("open_counters", "sum"),
            short=("short", "sum"),
            unreachable=("unreachable", "sum"),
        )
        .reset_index()
    )


# --------------------------------------------------------------------------- formula beside simulation


@dataclass(frozen=True)
class FormulaDay:
    """Erlang C for each hour of one outlet-day and for the day as a whole.

    Attributes
    ----------
    wait_minutes, level : ndarray
        Per hour: mean wait in minutes (inf when the hour is overloaded) and share served
        within the target wait.
    day_wait_minutes : float
        Arrival-weighted mean wait of the day (inf if any hour with arrivals is overloaded).
    day_level : float
        Arrival-weighted share served within the target over the day.
    """

    wait_minutes: np.ndarray
    level: np.ndarray
    day_wait_minutes: float
    day_level: float


def formula_day(arrivals_per_hour, service_minutes, counters, target_wait_minutes: float) -> FormulaDay:
    """Erlang C per hour (steady state, each hour on its own) and weighted by arrivals for the
    day, to put beside a simulation of the same day."""
    rates = np.asarray(arrivals_per_hour, float)
    per_minute = rates / 60.0
    wait = np.atleast_1d(mean_wait(per_minute, service_minutes, counters)).astype(float)
    level = np.atleast_1d(service_level(per_minute, service_minutes, counters, target_wait_minutes)).astype(float)
    total = rates.sum()
    weights = rates / total if total > 0 else np.zeros_like(rates)
    busy = weights > 0
    day_wait = float((weights[busy] * wait[busy]).sum()) if np.isfinite(wait[busy]).all() else float("inf")
    return FormulaDay(wait, level, day_wait, float((weights * level).sum()))


def non_stationary(arrivals_per_hour, service_minutes, counters, jump: float = 0.3, busy: float = 0.85) -> bool:
    """Whether an outlet-day is far from the steady state Erlang C assumes: arrivals change by more
    than ``jump`` (share) from one hour to the next, or some hour's counters are busier than
    ``busy`` (utilisation), so queues carry over between hours."""
    rates = np.asarray(arrivals_per_hour, float)
    utilisation = rates / 60.0 * np.asarray(service_minutes, float) / np.maximum(np.asarray(counters, float), 1)
    jumps = len(rates) > 1 and bool((np.abs(np.diff(rates)) > jump * np.maximum(rates[:-1], 1)).any())
    return jumps or bool((utilisation > busy).any())


@dataclass(frozen=True)
class SimulationDay:
    """The inputs of a simulation of one outlet-day, every hour from opening to closing.

    Attributes
    ----------
    opening_hour : int
        Hour of the day (0-23) of the first row.
    arrivals_per_hour : ndarray of float
        Mean arrivals in each hour (customers per hour).
    service_minutes : ndarray of float
        Mean service time in each hour (minutes per customer).
    counters : ndarray of int
        Counters staffed in each hour.
    no_counters : bool
        Customers arrive but no hour has a counter: there is nothing to simulate.
    last_hour_opened : bool
        The last hour had no counter and was given one, so that the customers still queueing
        at closing time are served.
    """

    opening_hour: int
    arrivals_per_hour: np.ndarray
    service_minutes: np.ndarray
    counters: np.ndarray
    no_counters: bool
    last_hour_opened: bool


def simulation_day(scenario: pd.DataFrame, counters_by_hour: pd.Series) -> SimulationDay:
    """Inputs of a lobby simulation from the hourly inputs and a plan.

    The simulation needs every hour from opening to closing, but the plan leaves out hours
    without data: those hours get the linear interpolation of their neighbours (arrivals,
    service time, counters; counters rounded to whole counters).

    Parameters
    ----------
    scenario : DataFrame
        One row per hour (``hour``; ``arrivals`` per hour, ``service`` minutes, ``open``
        counters; NaN in hours without data), as :func:`apply_what_if` returns it.
    counters_by_hour : Series
        Counters to simulate with, indexed by hour (e.g. the plan's ``planned`` or
        ``open_counters``); hours missing here are interpolated too.

    Returns
    -------
    SimulationDay

    Examples
    --------
    >>> scenario = pd.DataFrame(
    ...     {"hour": [9, 10, 11], "arrivals": [20.0, None, 40.0], "service": [6.0, None, 8.0], "open": [2, None, 3]}
    ... )
    >>> day = simulation_day(scenario, pd.Series([2, 0], index=[9, 11]))
    >>> day.arrivals_per_hour.tolist(), day.service_minutes.tolist(), day.counters.tolist()
    ([20.0, 30.0, 40.0], [6.0, 7.0, 8.0], [2, 1, 1])
    >>> day.last_hour_opened, day.no_counters
    (True, False)
    """
    frame = scenario.set_index("hour")[["arrivals", "service", "open"]].interpolate(limit_area="inside")
    counters = counters_by_hour.reindex(frame.index).interpolate(limit_area="inside").round().astype(int)
    rates = frame["arrivals"].to_numpy(float)
    counters = counters.to_numpy(int).copy()
    someone_arrives = rates.sum() > 0
    no_counters = bool(someone_arrives and counters.max(initial=0) == 0)
    last_hour_opened = bool(someone_arrives and not no_counters and counters[-1] == 0)
    if last_hour_opened:
        counters[-1] = 1
    return SimulationDay(
        opening_hour=int(frame.index[0]),
        arrivals_per_hour=rates,
        service_minutes=frame["service"].to_numpy(float),
        counters=counters,
        no_counters=no_counters,
        last_hour_opened=last_hour_opened,
    )


def compare_formula_and_simulation(
    formula_wait_minutes: float, simulated_wait_minutes: float, simulated_ci: tuple[float, float]
) -> str:
    """How the day's Erlang C mean wait stands against a simulation of the same day.

    Parameters
    ----------
    formula_wait_minutes : float
        The day's arrival-weighted Erlang C mean wait (minutes; inf when an hour is overloaded).
    simulated_wait_minutes : float
        The simulation's mean wait (minutes).
    simulated_ci : tuple of float
        The simulation's 95 % confidence interval of the mean wait (minutes).

    Returns
    -------
    str
        "unstable" (the formula has no steady state), "agree" (the formula lies within the
        interval), "higher" or "lower" (the simulation's mean wait against the formula's).

    Examples
    --------
    >>> compare_formula_and_simulation(4.0, 4.5, (3.5, 5.5))
    'agree'
    >>> compare_formula_and_simulation(4.0, 6.0, (5.0, 7.0))
    'higher'
    >>> compare_formula_and_simulation(float("inf"), 6.0, (5.0, 7.0))
    'unstable'
    """
    low, high = simulated_ci
    if not np.isfinite(formula_wait_minutes):
        return "unstable"
    if low <= formula_wait_minutes <= high:
        return "agree"
    return "higher" if simulated_wait_minutes > formula_wait_minutes else "lower"

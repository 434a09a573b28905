"""Lobby models built on the Erlang C formulas of :mod:`analytics.queueing`: the waiting-time
percentile of a group of hours, counters needed per outlet-hour, the what-ifs of the counter
staffing plan, and the formula side of the formula-versus-simulation comparison.

Pure pandas/numpy: the lobby and staffing pages call these with the hourly aggregates of
``data.queries.lobby_profile`` (columns ``mean_arrivals`` per hour, ``mean_service_minutes``,
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
    "apply_what_if",
    "counters_needed",
    "formula_day",
    "group_percentiles",
    "hourly_inputs",
    "hourly_means",
    "plan_all_outlets",
    "plan_hours",
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

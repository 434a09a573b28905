"""Reporting periods, month-to-period aggregation and target assessment (pure: pandas in and out).

Periods
    A period is a run of whole months ``[start, end]`` (months are the first day of the month).
    ``month``: one month; ``quarter``: quarter to date (the first month of the end month's
    quarter up to the end month, the whole quarter when the end month closes it); ``ytd``:
    January up to the end month; ``custom``: any start ≤ end. Comparisons:
    - previous period: month → the month before; quarter → the same months of the previous
      quarter; ytd → year to date up to the month before the end month (so the change is what the
      latest month added; in January that is the whole previous year); custom → the run of
      months of the same length just before the start;
    - same period last year: every month shifted back twelve months.

Aggregating months (``collapse_months``)
    Base metrics combine over months by their catalogue ``time_aggregation``: ``flow`` sums the
    months, ``stock`` takes the value of the period's **end month** (no value when the end month
    has no data: a stock is a balance on a date), ``mean`` averages the monthly values. A derived
    metric is then recomputed from its collapsed components (``data.kpi_sums.combine``), so a
    year-to-date cost-income ratio is YTD cost ÷ YTD income, never a mean of monthly ratios.

Targets (``assess_targets``)
    A stored target covers ``[target_start, target_end]`` (the demo's are calendar years).
    The target *to date* for a period ending in month m depends on the metric's kind:
    - flow (fee income, new customers): target × months of the target period elapsed up to m
      (within the reporting period for month/quarter periods) ÷ months of the target period —
      i.e. even monthly phasing (序时进度);
    - stock (deposits, loans, VIP customers): the balance on the straight line from the balance
      before the target period (``base``: the month before its start) to the target at its end,
      at m; without a base the full target;
    - level (ratios, minutes, scores): the target itself.
    Completion = actual ÷ full target (for flows the cumulative actual from the target start);
    attainment = actual ÷ target to date for higher-is-better metrics and target to date ÷ actual
    for lower-is-better ones, so attainment ≥ 1 always means "on or ahead of target".
    RAG: green when attainment ≥ 1, amber when ≥ 1 − ``amber_band`` (default 5 %), red below.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from config.metrics import BY_CODE, MetricDef, components

__all__ = [
    "PERIOD_KINDS",
    "Period",
    "PeriodError",
    "add_months",
    "assess_targets",
    "attainment",
    "biggest_gaps",
    "collapse_months",
    "collapse_periods",
    "make_period",
    "previous_period",
    "rag",
    "same_period_last_year",
    "seasonal_overlay",
    "shares_of_total",
    "target_kind",
    "target_to_date",
]

PERIOD_KINDS = ("month", "quarter", "ytd", "custom")
MAX_CUSTOM_MONTHS = 60
DEFAULT_AMBER_BAND = 0.05


def add_months(month: dt.date, count: int) -> dt.date:
    """First day of the month ``count`` months after ``month`` (negative: before)."""
    index = month.year * 12 + (month.month - 1) + int(count)
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(start: dt.date, end: dt.date) -> int:
    """Number of months from ``start`` to ``end`` inclusive (0 when end is before start)."""
    return max((end.year - start.year) * 12 + end.month - start.month + 1, 0)


class PeriodError(ValueError):
    """A period that cannot be built; ``key`` is the translation key of the message."""

    def __init__(self, key: str, **values) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class Period:
    """A run of whole months ``[start, end]`` (first days) of a given kind (see module docstring)."""

    kind: str
    start: dt.date
    end: dt.date

    @property
    def length(self) -> int:
        """Number of months in the period."""
        return months_between(self.start, self.end)

    def months(self) -> list[dt.date]:
        """The first days of the period's months, oldest first."""
        return [add_months(self.start, i) for i in range(self.length)]

    def label(self) -> str:
        """ "2026-10" for one month, "2026-07 – 2026-10" otherwise."""
        if self.start == self.end:
            return self.end.strftime("%Y-%m")
        return f"{self.start.strftime('%Y-%m')} – {self.end.strftime('%Y-%m')}"


def make_period(kind: str, end: dt.date, start: dt.date | None = None) -> Period:
    """The period of ``kind`` ending in month ``end`` (``start`` only for custom periods).

    Raises PeriodError for an unknown kind, a custom period that ends before it starts or is
    longer than MAX_CUSTOM_MONTHS months.
    """
    end = end.replace(day=1)
    if kind == "month":
        return Period(kind, end, end)
    if kind == "quarter":
        return Period(kind, end.replace(month=(end.month - 1) // 3 * 3 + 1), end)
    if kind == "ytd":
        return Period(kind, end.replace(month=1), end)
    if kind == "custom":
        if start is None:
            raise PeriodError("kpi_err_custom_start")
        start = start.replace(day=1)
        if start > end:
            raise PeriodError("kpi_err_custom_order")
        if months_between(start, end) > MAX_CUSTOM_MONTHS:
            raise PeriodError("kpi_err_custom_length", months=MAX_CUSTOM_MONTHS)
        return Period(kind, start, end)
    raise PeriodError("kpi_err_period_kind")


def previous_period(period: Period) -> Period:
    """The period to compare with as "previous period" (see the module docstring)."""
    if period.kind == "month":
        return Period(period.kind, add_months(period.start, -1), add_months(period.end, -1))
    if period.kind == "quarter":
        return Period(period.kind, add_months(period.start, -3), add_months(period.end, -3))
    if period.kind == "ytd":
        end = add_months(period.end, -1)
        return Period(period.kind, end.replace(month=1), end)
    return Period(period.kind, add_months(period.start, -period.length), add_months(period.start, -1))


def same_period_last_year(period: Period) -> Period:
    """The same months one year earlier."""
    return Period(period.kind, add_months(period.start, -12), add_months(period.end, -12))


# --------------------------------------------------------------------------- month aggregation


def collapse_months(sums: pd.DataFrame, end: dt.date) -> pd.DataFrame:
    """Collapse monthly base sums into one row per (group_id, metric_code) for a period.

    ``sums`` has columns group_id, metric_code, month, total, n (as ``data.kpi_sums.base_sums``
    returns them: the SUM and COUNT over outlets per month). Each base metric combines over
    months by its catalogue ``time_aggregation`` (flow: sum; stock: the ``end`` month's value;
    mean: the mean of the monthly values, where a month's value of a ``mean`` metric is
    total ÷ n). The result has the same columns with ``month`` = ``end`` and, for mean metrics,
    ``total`` = the period mean and ``n`` = 1, so that ``data.kpi_sums.combine`` gives the period's
    value.
    """
    columns = ["group_id", "metric_code", "month", "total", "n"]
    if sums.empty:
        return pd.DataFrame(columns=columns)
    collapsed = collapse_periods(sums.assign(request=0, end=end))
    if collapsed.empty:
        return pd.DataFrame(columns=columns)
    frame = collapsed.assign(month=end)
    return frame[columns].sort_values(["group_id", "metric_code"]).reset_index(drop=True)


def collapse_periods(sums: pd.DataFrame) -> pd.DataFrame:
    """``collapse_months`` for many periods at once, in one pass of group-bys.

    ``sums``: columns request, end, group_id, metric_code, month, total, n — the monthly base
    sums of each period (``request`` names the period, ``end`` is its end month; a month may
    appear under several requests). Result: request, group_id, metric_code, total, n, one row
    per (request, group_id, metric_code), collapsed exactly as ``collapse_months`` does.
    """
    columns = ["request", "group_id", "metric_code", "total", "n"]
    if sums.empty:
        return pd.DataFrame(columns=columns)
    keys = ["request", "group_id", "metric_code"]
    codes = sums["metric_code"].unique()
    time_aggregation = sums["metric_code"].map({code: BY_CODE[code].time_aggregation for code in codes})
    per_outlet_mean = sums["metric_code"].map({code: BY_CODE[code].unit_aggregation == "mean" for code in codes})
    # Flow (a mean-per-outlet flow keeps total ÷ n as the mean per outlet-month) and stock at the end month.
    flows = sums[time_aggregation == "flow"].groupby(keys, as_index=False, sort=False)[["total", "n"]].sum()
    at_end = (time_aggregation == "stock") & (sums["month"] == sums["end"])
    stocks = sums[at_end].groupby(keys, as_index=False, sort=False)[["total", "n"]].sum()
    means = sums[time_aggregation == "mean"]
    monthly = means["total"].where(~per_outlet_mean[means.index], means["total"] / means["n"])
    means = means.assign(total=monthly).groupby(keys, as_index=False, sort=False)["total"].mean().assign(n=1)
    pieces = [frame for frame in (flows, stocks, means) if not frame.empty]
    if not pieces:
        return pd.DataFrame(columns=columns)
    return pd.concat(pieces, ignore_index=True)[columns]


def target_kind(metric: MetricDef) -> str:
    """ "flow", "stock" or "level": how a metric's target is phased over its period.

    Ratios, means (and totals of means, such as the 日均 totals) and minutes per customer are
    levels; a total of stocks is a stock; a total of flows is a flow.
    """
    numerator, denominator = components(metric)
    if denominator or metric.unit in ("ratio", "score") or metric.time_aggregation == "mean":
        return "level"
    kinds = {BY_CODE[code].time_aggregation for code in numerator}
    if kinds == {"mean"}:
        return "level"
    return "stock" if kinds == {"stock"} else "flow"


# --------------------------------------------------------------------------- targets


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def target_to_date(
    kind: str,
    target: float,
    target_start: dt.date,
    target_end: dt.date,
    as_of: dt.date,
    base: float | None = None,
    months_in_period: int | None = None,
) -> float:
    """The part of a target due by the end of month ``as_of`` (see the module docstring).

    ``kind``: "flow", "stock" or "level". For a flow, ``months_in_period`` limits the phased
    months to those of the reporting period (e.g. 1 for a monthly figure); None counts every
    month of the target period up to ``as_of``.
    """
    if _missing(target):
        return float("nan")
    if kind == "level":
        return float(target)
    total = months_between(target_start.replace(day=1), target_end.replace(day=1))
    elapsed = min(max(months_between(target_start.replace(day=1), as_of), 0), total)
    if total == 0:
        return float("nan")
    if kind == "flow":
        months = elapsed if months_in_period is None else min(months_in_period, elapsed)
        return float(target) * months / total
    if _missing(base):
        return float(target)
    return float(base) + (float(target) - float(base)) * elapsed / total


def attainment(actual: float, target: float, higher_is_better: bool) -> float:
    """actual ÷ target (higher is better) or target ÷ actual (lower is better); ≥ 1 is on target.

    NaN when either is missing or the divisor is zero, except a lower-is-better actual of zero
    against a positive target, which is infinitely good (inf).
    """
    if _missing(actual) or _missing(target):
        return float("nan")
    if higher_is_better:
        return float(actual) / float(target) if target != 0 else float("nan")
    if actual == 0:
        return float("inf") if target > 0 else float("nan")
    return float(target) / float(actual)


def rag(attainment_value: float, amber_band: float = DEFAULT_AMBER_BAND) -> str | None:
    """ "green" (attainment ≥ 1), "amber" (≥ 1 − amber_band), "red" (below), None when unknown."""
    if _missing(attainment_value):
        return None
    if attainment_value >= 1:
        return "green"
    if attainment_value >= 1 - amber_band:
        return "amber"
    return "red"


def assess_targets(
    frame: pd.DataFrame, as_of: dt.date, period_months: int | None = None, amber_band: float = DEFAULT_AMBER_BAND
) -> pd.DataFrame:
    """Completion, target to date, attainment and RAG for each row of ``frame``.

    ``frame`` needs columns metric_code, actual (the value compared with the target to date),
    target, target_start, target_end and optionally base (stock before the target period) and
    cumulative (for flows: the actual from the target start to ``as_of``, for completion of the
    full target; defaults to ``actual``). ``period_months`` is passed to ``target_to_date`` for
    flows (None: the whole target period to date). Returns a copy with columns kind,
    target_to_date, completion (actual or cumulative ÷ full target), attainment, gap (actual −
    target to date, in the metric's unit, signed so that negative is behind) and rag.
    """
    result = frame.copy()
    kinds, due, completion, attained, gaps, colours = [], [], [], [], [], []
    for row in result.itertuples(index=False):
        metric = BY_CODE[row.metric_code]
        kind = target_kind(metric)
        base = getattr(row, "base", None)
        start, end = row.target_start, row.target_end
        if _missing(row.target) or start is None or end is None or (isinstance(start, float) and math.isnan(start)):
            target_due = float("nan")
        else:
            target_due = target_to_date(
                kind, row.target, start, end, as_of, base, period_months if kind == "flow" else None
            )
        cumulative = getattr(row, "cumulative", row.actual)
        achieved = attainment(row.actual, target_due, metric.higher_is_better)
        kinds.append(kind)
        due.append(target_due)
        completion.append(
            float(cumulative) / float(row.target)
            if not _missing(cumulative) and not _missing(row.target) and row.target != 0
            else float("nan")
        )
        attained.append(achieved)
        gap = float(row.actual) - target_due if not _missing(row.actual) and not _missing(target_due) else np.nan
        gaps.append(gap if metric.higher_is_better else -gap if not _missing(gap) else np.nan)
        colours.append(rag(achieved, amber_band))
    result["kind"] = kinds
    result["target_to_date"] = due
    result["completion"] = completion
    result["attainment"] = attained
    result["gap"] = gaps
    result["rag"] = colours
    return result


def shortfall(attainment_value: float) -> float:
    """How far behind target, as a share: 1 − attainment (negative when ahead; NaN unknown)."""
    if _missing(attainment_value):
        return float("nan")
    return 1.0 - min(attainment_value, 1e9)


def biggest_gaps(assessed: pd.DataFrame, count: int = 3) -> pd.DataFrame:
    """The ``count`` rows of an ``assess_targets`` result furthest behind target (attainment < 1),
    worst first, by shortfall (1 − attainment); ties broken by metric code."""
    behind = assessed[assessed["attainment"] < 1].copy()
    behind["shortfall"] = 1 - behind["attainment"]
    return behind.sort_values(["shortfall", "metric_code"], ascending=[False, True]).head(count)


# --------------------------------------------------------------------------- shaping for charts


def seasonal_overlay(series: pd.DataFrame) -> pd.DataFrame:
    """A monthly series (columns month, value) as a year × month-of-year table for a seasonality
    chart: index = year, columns = 1 … 12, NaN where a month has no value."""
    if series.empty:
        return pd.DataFrame(columns=list(range(1, 13)))
    frame = series.assign(year=[m.year for m in series["month"]], month_of_year=[m.month for m in series["month"]])
    table = frame.pivot_table(index="year", columns="month_of_year", values="value", aggfunc="sum")
    return table.reindex(columns=list(range(1, 13)))


def shares_of_total(values: pd.Series, total: float) -> pd.Series:
    """Each value ÷ total (NaN when the total is missing or zero)."""
    if _missing(total) or total == 0:
        return pd.Series(np.nan, index=values.index)
    return values.astype("float64") / float(total)

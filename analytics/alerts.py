"""Alert rules for outlets (pure: pandas in, pandas out; deterministic).

Four rules, each a function returning one row per alert with the columns of ``ALERT_COLUMNS``
(outlet_id, rule, metric_code, month, severity, value, threshold, detail). The same rules feed
the Alerts page, the "My outlet" page and anything else that calls ``evaluate_alerts``.

``off_target``
    A metric with a target is behind its target to date by more than ``off_target_pct`` percent
    by the metric's direction: shortfall = 1 − attainment > off_target_pct / 100, where
    attainment = actual ÷ target to date (higher is better) or target to date ÷ actual (lower is
    better), see ``analytics.targets``. value = attainment, threshold = 1 − off_target_pct / 100.
    Severity "high" when the shortfall exceeds twice the threshold, else "medium".
``sudden_drop``
    The latest month-on-month relative change of a metric, Δ_t = v_t / v_{t−1} − 1, is an
    outlier against the same outlet's previous ``drop_history_months`` changes:
    z = (Δ_t − mean(Δ_hist)) / sd(Δ_hist) (sample standard deviation). Flagged when the move is
    adverse by more than ``drop_sigma`` standard deviations: z < −drop_sigma for a
    higher-is-better metric (a drop), z > drop_sigma for a lower-is-better one. At least
    ``drop_min_history`` consecutive earlier changes are needed; a history without any
    variation flags any adverse change. value = Δ_t, threshold = the change at the limit
    (mean − drop_sigma·sd, or mean + drop_sigma·sd). Severity "high" when |z| > drop_sigma + 1.
``wait_time``
    The month's average wait (minutes) is above the outlet's wait target: the stored
    ``avg_wait_minutes`` target when there is one, else ``wait_minutes``. value = wait,
    threshold = target; "high" when the wait exceeds 1.5 × target.
``complaint_spike``
    The month's complaints x are improbably many for the outlet's usual rate: with
    λ = mean complaints of the previous ``complaint_history_months`` months (at least 3 months,
    λ floored at 0.5 so a quiet outlet is not flagged for a single complaint),
    P(X ≥ x) under Poisson(λ) < ``complaint_alpha`` and x ≥ ``complaint_min_count``.
    value = x, threshold = the smallest count that would be flagged; "high" when the tail
    probability is below complaint_alpha / 10.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, fields

import numpy as np
import pandas as pd
from scipy.stats import poisson

from analytics.targets import add_months
from config.metrics import BY_CODE

__all__ = [
    "ALERT_COLUMNS",
    "DROP_CODES",
    "RULES",
    "SEVERITIES",
    "THRESHOLD_RANGES",
    "AlertSettingsError",
    "AlertThresholds",
    "complaint_spike_alerts",
    "drop_statistics",
    "evaluate_alerts",
    "off_target_alerts",
    "sudden_drop_alerts",
    "wait_time_alerts",
]

RULES = ("off_target", "sudden_drop", "wait_time", "complaint_spike")
SEVERITIES = ("high", "medium")
ALERT_COLUMNS = ["outlet_id", "rule", "metric_code", "month", "severity", "value", "threshold", "detail"]
DROP_CODES = ("deposits_total", "deposits_personal", "deposits_corporate", "loans_total", "customers_active")
MIN_POISSON_RATE = 0.5


class AlertSettingsError(ValueError):
    """An alert threshold out of its range; ``key`` is the translation key of the message."""

    def __init__(self, key: str, **values) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


# Allowed range (inclusive) of each threshold.
THRESHOLD_RANGES = {
    "off_target_pct": (1.0, 100.0),
    "drop_sigma": (1.0, 6.0),
    "drop_history_months": (6, 24),
    "drop_min_history": (3, 24),
    "wait_minutes": (1.0, 60.0),
    "complaint_alpha": (0.0001, 0.2),
    "complaint_min_count": (1, 100),
    "complaint_history_months": (3, 24),
}


@dataclass(frozen=True)
class AlertThresholds:
    """The user-adjustable thresholds of the rules (units in the names; see the module docstring)."""

    off_target_pct: float = 10.0
    drop_sigma: float = 2.0
    drop_history_months: int = 12
    drop_min_history: int = 6
    wait_minutes: float = 10.0
    complaint_alpha: float = 0.01
    complaint_min_count: int = 3
    complaint_history_months: int = 12

    @classmethod
    def from_dict(cls, values: dict | None) -> AlertThresholds:
        """Thresholds from a (possibly partial) dict; unknown keys are ignored, missing ones take
        the defaults; AlertSettingsError when a value is not a number or out of its range."""
        merged = asdict(cls())
        for field in fields(cls):
            if values and field.name in values and values[field.name] is not None:
                raw = values[field.name]
                try:
                    number = float(raw)
                except (TypeError, ValueError):
                    raise AlertSettingsError("alert_err_threshold", name=field.name) from None
                if math.isnan(number) or math.isinf(number):
                    raise AlertSettingsError("alert_err_threshold", name=field.name)
                low, high = THRESHOLD_RANGES[field.name]
                if not low <= number <= high:
                    raise AlertSettingsError("alert_err_threshold_range", name=field.name, low=low, high=high)
                if field.type in ("int", int):
                    if number != int(number):
                        raise AlertSettingsError("alert_err_threshold", name=field.name)
                    number = int(number)
                merged[field.name] = number
        if merged["drop_min_history"] > merged["drop_history_months"]:
            raise AlertSettingsError("alert_err_min_history")
        return cls(**merged)

    def to_dict(self) -> dict:
        """The thresholds as a plain dict (stored as JSON in ``app_setting``)."""
        return asdict(self)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=ALERT_COLUMNS)


def _frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=ALERT_COLUMNS) if rows else _empty()


def off_target_alerts(assessed: pd.DataFrame, month: dt.date, thresholds: AlertThresholds) -> pd.DataFrame:
    """Off-target alerts from target assessments.

    ``assessed``: one row per (outlet_id, metric_code) with columns attainment, actual and
    target_to_date (as ``analytics.targets.assess_targets`` returns them).
    """
    limit = thresholds.off_target_pct / 100.0
    rows = []
    for row in assessed.itertuples(index=False):
        if row.attainment is None or not np.isfinite(row.attainment):
            continue
        shortfall = 1.0 - float(row.attainment)
        if shortfall > limit:
            rows.append(
                {
                    "outlet_id": int(row.outlet_id),
                    "rule": "off_target",
                    "metric_code": row.metric_code,
                    "month": month,
                    "severity": "high" if shortfall > 2 * limit else "medium",
                    "value": float(row.attainment),
                    "threshold": 1.0 - limit,
                    "detail": {
                        "actual": float(row.actual),
                        "target_to_date": float(row.target_to_date),
                        "shortfall": shortfall,
                    },
                }
            )
    return _frame(rows)


def drop_statistics(values: pd.Series | dict, month: dt.date, history_months: int) -> dict | None:
    """Latest change and its z-score against the earlier changes of one monthly series.

    ``values``: a series indexed by month (first days), or a dict month → value. Uses only an
    unbroken run of months ending at ``month``, at most ``history_months`` + 1 changes long.
    Returns None when the month or the month before is missing, or the previous value is not
    positive; else a dict with change, mean, sd (NaN with fewer than two earlier changes), z,
    history (number of earlier changes), current and previous.
    """
    if isinstance(values, pd.Series):
        values = values.dropna().to_dict()
    else:
        values = {m: v for m, v in values.items() if v is not None and not math.isnan(v)}
    run = []
    current = month
    while current in values and len(run) < history_months + 2:
        run.append(float(values[current]))
        current = add_months(current, -1)
    run.reverse()  # oldest first, ending at ``month``
    if len(run) < 2 or run[-2] <= 0:
        return None
    levels = np.array(run)
    with np.errstate(divide="ignore", invalid="ignore"):
        changes = levels[1:] / levels[:-1] - 1.0
    valid = np.isfinite(changes) & (levels[:-1] > 0)
    history = changes[:-1][valid[:-1]]
    latest = float(changes[-1])
    mean = float(history.mean()) if len(history) else float("nan")
    sd = float(history.std(ddof=1)) if len(history) >= 2 else float("nan")
    if len(history) >= 2 and sd == 0:
        z = 0.0 if latest == mean else math.copysign(math.inf, latest - mean)
    else:
        z = (latest - mean) / sd if len(history) >= 2 else float("nan")
    return {
        "change": latest,
        "mean": mean,
        "sd": sd,
        "z": z,
        "history": int(len(history)),
        "current": float(levels[-1]),
        "previous": float(levels[-2]),
    }


def sudden_drop_alerts(series: pd.DataFrame, month: dt.date, thresholds: AlertThresholds) -> pd.DataFrame:
    """Sudden adverse month-on-month moves. ``series``: columns outlet_id, metric_code, month, value."""
    rows = []
    k = thresholds.drop_sigma
    # One pass over the rows into a dict per (outlet, metric): a pandas group and Series per
    # pair cost ~1 ms each, which for a city branch's 200 outlets × 5 metrics was most of the rule.
    by_pair: dict[tuple, dict] = {}
    for outlet_id, code, when, value in zip(
        series["outlet_id"], series["metric_code"], series["month"], series["value"]
    ):
        by_pair.setdefault((outlet_id, code), {})[when] = float(value)
    for (outlet_id, code), values in sorted(by_pair.items(), key=lambda item: item[0]):
        stats = drop_statistics(values, month, thresholds.drop_history_months)
        if stats is None or stats["history"] < thresholds.drop_min_history or math.isnan(stats["z"]):
            continue
        higher = BY_CODE[code].higher_is_better
        adverse = stats["z"] < -k if higher else stats["z"] > k
        if not adverse:
            continue
        sd = 0.0 if math.isnan(stats["sd"]) else stats["sd"]
        rows.append(
            {
                "outlet_id": int(outlet_id),
                "rule": "sudden_drop",
                "metric_code": code,
                "month": month,
                "severity": "high" if abs(stats["z"]) > k + 1 else "medium",
                "value": stats["change"],
                "threshold": stats["mean"] - k * sd if higher else stats["mean"] + k * sd,
                "detail": {key: (None if not math.isfinite(v) else v) for key, v in stats.items()},
            }
        )
    return _frame(rows)


def wait_time_alerts(waits: pd.DataFrame, month: dt.date, thresholds: AlertThresholds) -> pd.DataFrame:
    """Average wait above target. ``waits``: columns outlet_id, avg_wait_minutes and optionally
    target_minutes (NaN → ``thresholds.wait_minutes``)."""
    rows = []
    for row in waits.itertuples(index=False):
        wait = row.avg_wait_minutes
        if wait is None or not np.isfinite(wait):
            continue
        stored = getattr(row, "target_minutes", float("nan"))
        has_stored = stored is not None and bool(np.isfinite(stored))
        target = float(stored) if has_stored else thresholds.wait_minutes
        if wait > target:
            rows.append(
                {
                    "outlet_id": int(row.outlet_id),
                    "rule": "wait_time",
                    "metric_code": "avg_wait_minutes",
                    "month": month,
                    "severity": "high" if wait > 1.5 * target else "medium",
                    "value": float(wait),
                    "threshold": target,
                    "detail": {"target_source": "target" if has_stored else "setting"},
                }
            )
    return _frame(rows)


def complaint_spike_statistics(history: list[float], count: float, thresholds: AlertThresholds) -> dict:
    """λ (floored mean of ``history``), the tail probability P(X ≥ count) and the smallest
    flagged count for one outlet-month."""
    rate = max(float(np.mean(history)), MIN_POISSON_RATE)
    tail = float(poisson.sf(count - 1, rate))
    smallest = max(int(poisson.isf(thresholds.complaint_alpha, rate)) + 1, thresholds.complaint_min_count)
    while poisson.sf(smallest - 1, rate) >= thresholds.complaint_alpha:  # isf is exact up to rounding
        smallest += 1
    return {"rate": rate, "tail_probability": tail, "smallest_flagged": smallest}


def complaint_spike_alerts(series: pd.DataFrame, month: dt.date, thresholds: AlertThresholds) -> pd.DataFrame:
    """Complaint spikes. ``series``: columns outlet_id, month, complaints (one row per outlet-month)."""
    rows = []
    window = {add_months(month, -i) for i in range(1, thresholds.complaint_history_months + 1)}
    for outlet_id, group in series.groupby("outlet_id", sort=True):
        by_month = group.set_index("month")["complaints"].dropna()
        if month not in by_month.index:
            continue
        history = [float(v) for m, v in by_month.items() if m in window]
        if len(history) < 3:
            continue
        count = float(by_month[month])
        stats = complaint_spike_statistics(history, count, thresholds)
        if count >= thresholds.complaint_min_count and stats["tail_probability"] < thresholds.complaint_alpha:
            rows.append(
                {
                    "outlet_id": int(outlet_id),
                    "rule": "complaint_spike",
                    "metric_code": "complaints",
                    "month": month,
                    "severity": "high" if stats["tail_probability"] < thresholds.complaint_alpha / 10 else "medium",
                    "value": count,
                    "threshold": float(stats["smallest_flagged"]),
                    "detail": {**stats, "history_months": len(history)},
                }
            )
    return _frame(rows)


def evaluate_alerts(
    month: dt.date,
    thresholds: AlertThresholds,
    assessed: pd.DataFrame | None = None,
    series: pd.DataFrame | None = None,
    waits: pd.DataFrame | None = None,
    complaints: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """All rules for one month on whatever inputs are given, as one frame sorted by outlet,
    rule and metric (see the individual rule functions for the inputs)."""
    pieces = []
    if assessed is not None and not assessed.empty:
        pieces.append(off_target_alerts(assessed, month, thresholds))
    if series is not None and not series.empty:
        pieces.append(sudden_drop_alerts(series, month, thresholds))
    if waits is not None and not waits.empty:
        pieces.append(wait_time_alerts(waits, month, thresholds))
    if complaints is not None and not complaints.empty:
        pieces.append(complaint_spike_alerts(complaints, month, thresholds))
    pieces = [p for p in pieces if not p.empty]
    if not pieces:
        return _empty()
    frame = pd.concat(pieces, ignore_index=True)
    return frame.sort_values(["outlet_id", "rule", "metric_code"], kind="stable").reset_index(drop=True)

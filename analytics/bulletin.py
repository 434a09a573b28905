"""The figures of the monthly results bulletin (简报): biggest movers and target completion.

Pure pandas: frames in, frames out. The layout (PDF, Excel) is in ``reports/bulletin.py``.

Target completion
-----------------
Targets are set for a period (the demo: calendar years). ``attainment`` compares the actual so far
with the target:

* flows (fee income, new customers: summed over months): year-to-date actual ÷ target, judged
  against the ``pace`` = share of the target period elapsed (October: 10/12);
* stocks (deposits, loans, VIP customers: month-end balances): current balance ÷ target, pace 1;
* ratios and levels (e-channel rate, average wait): actual ÷ target, or target ÷ actual when
  lower is better, pace 1.

``status`` is green when attainment ≥ pace, amber when ≥ 95 % of the pace, red below.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from config.metrics import BY_CODE, components

AMBER_SHARE_OF_PACE = 0.95


def is_flow(code: str) -> bool:
    """True when the metric sums over months (all its base metrics are flows)."""
    metric = BY_CODE[code]
    numerator, denominator = components(metric)
    if denominator:
        return False  # a ratio is a level, whatever its parts
    return all(BY_CODE[c].time_aggregation == "flow" for c in numerator)


def months_elapsed(period_start: dt.date, period_end: dt.date, month: dt.date) -> tuple[int, int]:
    """Months of the target period up to and including ``month``, and months in the period."""
    total = (period_end.year - period_start.year) * 12 + period_end.month - period_start.month + 1
    done = (month.year - period_start.year) * 12 + month.month - period_start.month + 1
    return max(0, min(done, total)), total


def target_completion(targets: pd.DataFrame, month: dt.date) -> pd.DataFrame:
    """Attainment, pace and status of each target row (see the module docstring).

    ``targets`` has metric_code, period_start, period_end, target, actual (as returned by
    ``data.queries_comparison.target_completion_data``); the result adds ``attainment``,
    ``pace`` and ``status`` ("green", "amber", "red"; missing when actual or target is).
    """
    frame = targets.copy()
    attainment, pace = [], []
    for row in frame.itertuples(index=False):
        metric = BY_CODE[row.metric_code]
        actual, target = float(row.actual), float(row.target)
        if not np.isfinite(actual) or not np.isfinite(target) or target == 0:
            attainment.append(np.nan)
            pace.append(np.nan)
            continue
        if is_flow(row.metric_code):
            done, total = months_elapsed(row.period_start, row.period_end, month)
            attainment.append(actual / target)
            pace.append(done / total)
        elif metric.higher_is_better:
            attainment.append(actual / target)
            pace.append(1.0)
        else:
            attainment.append(target / actual if actual > 0 else np.nan)
            pace.append(1.0)
    frame["attainment"] = np.array(attainment, dtype=float)
    frame["pace"] = np.array(pace, dtype=float)
    ratio = frame["attainment"] / frame["pace"]
    frame["status"] = np.select(
        [ratio >= 1.0, ratio >= AMBER_SHARE_OF_PACE, ratio.notna()], ["green", "amber", "red"], default=None
    )
    frame["status"] = frame["status"].where(ratio.notna())
    return frame


def biggest_movers(
    table: pd.DataFrame, count: int = 5, higher_is_better: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``count`` outlets that improved most and the ``count`` that worsened most.

    ``table`` has ``value`` and ``previous_value`` (one row per outlet). ``change`` = value −
    previous, ``relative`` = change ÷ |previous| (rows without a previous value or with 0 are
    left out). "Improved" follows the metric's direction. Returns (improvers, decliners), each
    ordered from the largest relative move, with ``change`` and ``relative`` added.
    """
    frame = table.copy()
    frame["change"] = frame["value"] - frame["previous_value"]
    previous = frame["previous_value"].where(frame["previous_value"] != 0)
    frame["relative"] = frame["change"] / previous.abs()
    frame = frame[frame["relative"].notna()]
    better = frame["relative"] if higher_is_better else -frame["relative"]
    improvers = frame.loc[better[better > 0].sort_values(ascending=False).index].head(count)
    decliners = frame.loc[better[better < 0].sort_values(ascending=True).index].head(count)
    return improvers, decliners

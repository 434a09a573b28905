"""The figures of the monthly results bulletin (简报) not computed elsewhere: the biggest movers.

Pure pandas: frames in, frames out. Target completion uses ``analytics.targets.assess_targets``
(the same rules as the KPI explorer and My outlet); the layout (PDF, Excel) is in
``reports/bulletin.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["biggest_movers"]


def biggest_movers(
    table: pd.DataFrame, count: int = 5, higher_is_better: bool = True, key: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``count`` outlets that improved most and the ``count`` that worsened most.

    ``table`` has ``value`` and ``previous_value`` (one row per outlet). ``change`` = value −
    previous, ``relative`` = change ÷ |previous| (rows without a previous value or with 0 are
    left out). "Improved" follows the metric's direction. Returns (improvers, decliners), each
    ordered from the largest relative move, with ``change`` and ``relative`` added.

    Rows keep their index; they are told apart by the column ``key`` (the outlet id; rows
    repeating a key are counted once) or by position, never by name or index label: outlets
    that share a name (the demo has five 民族分理处) stay separate, and no outlet is both an
    improver and a decliner.
    """
    frame = table if key is None else table[~table[key].duplicated(keep="first")]
    change = frame["value"] - frame["previous_value"]
    previous = frame["previous_value"].where(frame["previous_value"] != 0)
    frame = frame.assign(change=change, relative=change / previous.abs())
    better = frame["relative"].to_numpy(dtype=float) * (1.0 if higher_is_better else -1.0)
    # Positions, not labels: rows that share an index label (a name) stay separate.
    up = [i for i in np.argsort(-better, kind="stable") if better[i] > 0][:count]
    down = [i for i in np.argsort(better, kind="stable") if better[i] < 0][:count]
    improvers, decliners = frame.iloc[up], frame.iloc[down]
    return improvers, decliners

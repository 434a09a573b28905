"""The figures of the monthly results bulletin (简报) not computed elsewhere: the biggest movers.

Pure pandas: frames in, frames out. Target completion uses ``analytics.targets.assess_targets``
(the same rules as the KPI explorer and My outlet); the layout (PDF, Excel) is in
``reports/bulletin.py``.
"""

from __future__ import annotations

import pandas as pd


def biggest_movers(
    table: pd.DataFrame, count: int = 5, higher_is_better: bool = True, key: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``count`` outlets that improved most and the ``count`` that worsened most.

    ``table`` has ``value`` and ``previous_value`` (one row per outlet). ``change`` = value −
    previous, ``relative`` = change ÷ |previous| (rows without a previous value or with 0 are
    left out). "Improved" follows the metric's direction. Returns (improvers, decliners), each
    ordered from the largest relative move, with ``change`` and ``relative`` added.

    Rows are told apart by the column ``key`` (the outlet id; rows repeating a key are counted
    once) or by position, never by name or index label: outlets that share a name (the demo has
    five 民族分理处) stay separate, and no outlet is both an improver and a decliner.
    """
    frame = table.reset_index(drop=True)
    if key is not None:
        frame = frame.drop_duplicates(subset=key, keep="first").reset_index(drop=True)
    frame["change"] = frame["value"] - frame["previous_value"]
    previous = frame["previous_value"].where(frame["previous_value"] != 0)
    frame["relative"] = frame["change"] / previous.abs()
    frame = frame[frame["relative"].notna()]
    better = frame["relative"] if higher_is_better else -frame["relative"]
    improvers = frame.loc[better[better > 0].sort_values(ascending=False, kind="stable").index].head(count)
    decliners = frame.loc[better[better < 0].sort_values(ascending=True, kind="stable").index].head(count)
    return improvers, decliners

"""Service quality from inspection points and complaints: shares of the maximum recomputed from
summed points (never averaged over outlets or months), per-outlet standing and change, the items
that lose most points, and complaints per category.

Inputs are the SQL aggregates of ``data.queries_service`` (``quality_scores``,
``quality_item_losses``, ``quality_complaints``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["complaint_matrix", "item_ranking", "monthly_shares", "outlet_standing", "score_share"]


def score_share(score: float, max_score: float) -> float:
    """Points scored ÷ points possible (a share 0–1; NaN when nothing was scored)."""
    return float(score) / float(max_score) if max_score and max_score > 0 else float("nan")


def monthly_shares(scores: pd.DataFrame) -> pd.DataFrame:
    """Per month (sorted): summed points, visits, outlets inspected and the ``share`` of the maximum
    for all outlets together, with the lowest and highest outlet's share (``worst``, ``best``)."""
    if scores.empty:
        return pd.DataFrame(columns=["month", "score", "max_score", "visits", "outlets", "share", "worst", "best"])
    per_outlet = scores.assign(share=scores["score"] / scores["max_score"].where(scores["max_score"] > 0))
    grouped = per_outlet.groupby("month")
    result = grouped.agg(
        score=("score", "sum"),
        max_score=("max_score", "sum"),
        visits=("visits", "sum"),
        outlets=("outlet_id", "nunique"),
        worst=("share", "min"),
        best=("share", "max"),
    ).reset_index()
    result.insert(5, "share", result["score"] / result["max_score"].where(result["max_score"] > 0))
    return result


def outlet_standing(scores: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: the share of the maximum over the whole period (from summed points), in its
    latest inspected month, in the month before that, and the change between them (``change``,
    a difference of shares), the latest month, and the items scored below maximum per visit.
    Sorted from the lowest period share up."""
    columns = ["outlet_id", "code", "name_zh", "name_en"]
    if scores.empty:
        return pd.DataFrame(
            columns=[*columns, "share", "latest_month", "latest", "previous", "change", "losing_per_visit"]
        )
    ordered = scores.sort_values(["outlet_id", "month"])
    period = ordered.groupby(columns, sort=False)[["score", "max_score", "visits", "items_losing"]].sum()
    latest = ordered.groupby("outlet_id").tail(1).set_index("outlet_id")
    previous = ordered.groupby("outlet_id").nth(-2).set_index("outlet_id")
    result = period.reset_index()
    result["share"] = result["score"] / result["max_score"].where(result["max_score"] > 0)
    result["latest_month"] = result["outlet_id"].map(latest["month"])
    result["latest"] = result["outlet_id"].map(latest["score"] / latest["max_score"])
    result["previous"] = result["outlet_id"].map(previous["score"] / previous["max_score"])
    result["change"] = result["latest"] - result["previous"]
    result["losing_per_visit"] = result["items_losing"] / result["visits"].where(result["visits"] > 0)
    keep = [*columns, "share", "latest_month", "latest", "previous", "change", "losing_per_visit"]
    return result.sort_values("share", kind="stable").reset_index(drop=True)[keep]


def item_ranking(losses: pd.DataFrame) -> pd.DataFrame:
    """Items by points lost, most first, with ``lost_share`` (points lost ÷ points possible for
    the item) and ``losing_rate`` (share of checks in which the item lost points)."""
    if losses.empty:
        return losses.assign(lost_share=pd.Series(dtype=float), losing_rate=pd.Series(dtype=float))
    result = losses.assign(
        lost_share=losses["lost"] / losses["max_score"].where(losses["max_score"] > 0),
        losing_rate=losses["checks_losing"] / losses["checks"].where(losses["checks"] > 0),
    )
    return result.sort_values(["lost_share", "item"], ascending=[False, True]).reset_index(drop=True)


def complaint_matrix(complaints: pd.DataFrame) -> pd.DataFrame:
    """Outlets × categories: complaints counted (0 where none), with a ``total`` column and rows
    ordered by it (most first); index (outlet_id, code, name_zh, name_en)."""
    keys = ["outlet_id", "code", "name_zh", "name_en"]
    if complaints.empty:
        return pd.DataFrame(columns=["total"])
    matrix = complaints.pivot_table(index=keys, columns="category", values="complaints", aggfunc="sum", fill_value=0)
    matrix.columns = [str(c) for c in matrix.columns]
    matrix["total"] = matrix.sum(axis=1)
    return matrix.sort_values("total", ascending=False, kind="stable").astype(np.int64)

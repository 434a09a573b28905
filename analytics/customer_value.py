"""Customer value structure: AUM tiers with bank-style hysteresis, tier migration, concentration
(top shares, Lorenz curve, Gini) and RFM scores with named segments.

Public API
----------
``DEFAULT_TIERS`` / :class:`Tier` — star tiers by assets under management (RMB), in the style of
Chinese retail banks (普通 / 一星 … 私行); callers may pass their own thresholds.
:func:`raw_tier` — tier index of each AUM value, no memory.
:func:`tier_history` — tiers month by month with **upgrade at once, downgrade only after N
consecutive months** below the current tier's threshold.
:func:`migration_matrix`, :func:`migration_summary` — who moved between two dates.
:func:`lorenz_curve`, :func:`top_share`, :func:`concentration` — concentration of AUM.
:func:`rfm_scores` — R, F, M quintile scores 1–5 and a named segment (``RFM_SEGMENTS``).

No Streamlit, no database: numpy/pandas in and out. Tier and segment *names* shown to users are
translated by the pages (text keys ``cust_tier_<code>`` and ``cust_rfm_<code>``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "DEFAULT_DOWNGRADE_AFTER_MONTHS",
    "DEFAULT_TIERS",
    "RFM_SEGMENTS",
    "apply_tier_rules",
    "concentration_from_groups",
    "lorenz_from_groups",
    "tier_structure",
    "Tier",
    "concentration",
    "lorenz_curve",
    "migration_matrix",
    "migration_summary",
    "raw_tier",
    "rfm_scores",
    "tier_history",
    "tiers_from_thresholds",
    "top_share",
]


@dataclass(frozen=True)
class Tier:
    """A value tier: customers with AUM ≥ ``min_aum_rmb`` (and below the next tier) belong to it."""

    code: str
    min_aum_rmb: float


#: Default star tiers (RMB of AUM): mass < 50 k ≤ one star < 200 k ≤ two stars < 500 k ≤ three
#: stars < 1 m ≤ four stars (wealth) < 6 m ≤ five stars (private banking). Many Chinese banks use
#: thresholds of this shape (5万 / 20万 / 50万 / 100万 / 600万); each bank sets its own.
DEFAULT_TIERS: tuple[Tier, ...] = (
    Tier("mass", 0.0),
    Tier("star1", 50_000.0),
    Tier("star2", 200_000.0),
    Tier("star3", 500_000.0),
    Tier("star4", 1_000_000.0),
    Tier("star5", 6_000_000.0),
)

#: Months in a row a customer must stay below their tier before they are moved down.
DEFAULT_DOWNGRADE_AFTER_MONTHS = 3


def tiers_from_thresholds(thresholds_rmb: Sequence[float], codes: Sequence[str] | None = None) -> tuple[Tier, ...]:
    """Tiers from the lower AUM bounds of the tiers above the lowest one (RMB, strictly rising).

    ``codes`` names all tiers (one more than thresholds); default the codes of ``DEFAULT_TIERS``.
    """
    values = [float(v) for v in thresholds_rmb]
    if not values or any(not np.isfinite(v) or v <= 0 for v in values):
        raise ValueError("tier thresholds must be positive amounts in RMB")
    if any(b <= a for a, b in zip(values, values[1:])):
        raise ValueError("tier thresholds must rise strictly from one tier to the next")
    names = list(codes) if codes is not None else [tier.code for tier in DEFAULT_TIERS]
    if len(names) < len(values) + 1:
        raise ValueError(f"{len(values) + 1} tier codes are needed for {len(values)} thresholds")
    return tuple(Tier(code, bound) for code, bound in zip(names, [0.0] + values))


def raw_tier(aum_rmb: ArrayLike, tiers: Sequence[Tier] = DEFAULT_TIERS) -> NDArray[np.int64]:
    """Index into ``tiers`` of each AUM value by the thresholds alone (negative or missing AUM → 0)."""
    bounds = np.array([tier.min_aum_rmb for tier in tiers[1:]])
    aum = np.nan_to_num(np.asarray(aum_rmb, dtype=float), nan=0.0)
    return np.searchsorted(bounds, aum, side="right").astype(np.int64)


def tier_history(
    aum_by_month: pd.DataFrame,
    tiers: Sequence[Tier] = DEFAULT_TIERS,
    downgrade_after_months: int = DEFAULT_DOWNGRADE_AFTER_MONTHS,
) -> pd.DataFrame:
    """Tier index per customer (rows) and month (columns, in order) with hysteresis.

    The first month's tier is the raw tier. After that a customer moves **up at once** when their
    month-end AUM reaches a higher tier, and moves **down only after** ``downgrade_after_months``
    consecutive months below their current tier; they then drop to the highest tier their AUM
    reached in every one of those months (the tier they actually sustained). A missing month
    counts as AUM 0. ``downgrade_after_months = 1`` is the plain month-end rule.
    """
    if len(aum_by_month) == 0 or aum_by_month.shape[1] == 0:
        return pd.DataFrame(index=aum_by_month.index, columns=aum_by_month.columns, dtype=np.int64)
    raw = np.column_stack([raw_tier(aum_by_month[column].to_numpy(), tiers) for column in aum_by_month.columns])
    result = apply_tier_rules(raw, downgrade_after_months)
    return pd.DataFrame(result, index=aum_by_month.index, columns=aum_by_month.columns)


def apply_tier_rules(raw: ArrayLike, downgrade_after_months: int = DEFAULT_DOWNGRADE_AFTER_MONTHS) -> NDArray[np.int64]:
    """The rules of :func:`tier_history` on raw tier indices (customers × months, oldest first)."""
    if int(downgrade_after_months) != downgrade_after_months or downgrade_after_months < 1:
        raise ValueError("downgrade_after_months must be a whole number ≥ 1")
    raw = np.asarray(raw, dtype=np.int64)
    if raw.ndim != 2:
        raise ValueError("raw tiers must be a customers × months matrix")
    if raw.size == 0:
        return raw.copy()
    n_months = raw.shape[1]
    result = np.empty_like(raw)
    current = raw[:, 0].copy()
    below_run = np.zeros(len(current), dtype=np.int64)
    result[:, 0] = current
    window = int(downgrade_after_months)
    for month in range(1, n_months):
        now = raw[:, month]
        up = now >= current
        current = np.where(now > current, now, current)
        below_run = np.where(up, 0, below_run + 1)
        due = below_run >= window
        if due.any():
            start = month - window + 1
            sustained = raw[:, start : month + 1].min(axis=1)
            current = np.where(due, sustained, current)
            below_run = np.where(due, 0, below_run)
        result[:, month] = current
    return result


def tier_structure(
    paths: pd.DataFrame, n_tiers: int, downgrade_after_months: int, from_month_index: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tier counts per outlet and the migration matrix from grouped raw tier paths.

    ``paths``: rows of (``outlet_id`` optional, ``t0`` … ``t{k−1}`` raw tiers oldest first,
    ``customers``, ``aum_rmb`` at the last month) as ``data.queries_customers.tier_paths``
    returns them. The tier rules are applied to each path; returns

    * ``by_outlet``: ``outlet_id`` (−1 when the input has none), ``tier``, ``customers``,
      ``aum_rmb``, one row per outlet and tier at the last month (tiers with no customers omitted);
    * ``migration``: customers per (tier at month ``from_month_index`` → tier at the last month),
      as :func:`migration_matrix`.
    """
    tier_columns = sorted((c for c in paths.columns if c[:1] == "t" and c[1:].isdigit()), key=lambda c: int(c[1:]))
    if not tier_columns:
        raise ValueError("the tier paths have no month columns t0 … t{k−1}")
    if not 0 <= from_month_index < len(tier_columns):
        raise ValueError("from_month_index must point at one of the path's months")
    official = apply_tier_rules(paths[tier_columns].to_numpy(), downgrade_after_months)
    weights = paths["customers"].to_numpy(dtype=np.int64)
    final = official[:, -1] if len(paths) else np.zeros(0, dtype=np.int64)
    outlet = paths["outlet_id"].to_numpy() if "outlet_id" in paths else np.full(len(paths), -1)
    by_outlet = (
        pd.DataFrame({"outlet_id": outlet, "tier": final, "customers": weights, "aum_rmb": paths["aum_rmb"].to_numpy()})
        .groupby(["outlet_id", "tier"], as_index=False)
        .sum()
    )
    start = official[:, from_month_index] if len(paths) else np.zeros(0, dtype=np.int64)
    migration = migration_matrix(start, final, n_tiers, weights=weights)
    return by_outlet, migration


def migration_matrix(
    tier_from: ArrayLike, tier_to: ArrayLike, n_tiers: int, weights: ArrayLike | None = None
) -> pd.DataFrame:
    """Customers per (tier at the first date → tier at the second date), all tiers as rows and
    columns (index = from, columns = to, both tier indices 0 … n_tiers−1). ``weights``: customers
    per entry (default 1 each)."""
    a = np.asarray(tier_from, dtype=np.int64)
    b = np.asarray(tier_to, dtype=np.int64)
    if a.shape != b.shape:
        raise ValueError("tier_from and tier_to must have one entry per customer")
    if a.size and (a.min() < 0 or b.min() < 0 or a.max() >= n_tiers or b.max() >= n_tiers):
        raise ValueError("tier indices must lie between 0 and n_tiers − 1")
    w = np.ones(a.shape, dtype=np.int64) if weights is None else np.asarray(weights, dtype=np.int64)
    counts = np.zeros((n_tiers, n_tiers), dtype=np.int64)
    np.add.at(counts, (a, b), w)
    return pd.DataFrame(counts, index=pd.RangeIndex(n_tiers, name="from"), columns=pd.RangeIndex(n_tiers, name="to"))


def migration_summary(matrix: pd.DataFrame) -> dict[str, float]:
    """Customers who moved up, stayed, moved down (counts) and the shares of each (0–1)."""
    values = matrix.to_numpy()
    total = float(values.sum())
    up = float(np.triu(values, 1).sum())
    down = float(np.tril(values, -1).sum())
    same = float(np.trace(values))
    share = (lambda v: v / total) if total else (lambda v: 0.0)
    return {
        "customers": total,
        "up": up,
        "same": same,
        "down": down,
        "up_share": share(up),
        "same_share": share(same),
        "down_share": share(down),
    }


def lorenz_curve(values: ArrayLike, points: int | None = None) -> pd.DataFrame:
    """Lorenz curve of non-negative values (negative values count as 0).

    Returns ``customer_share`` (poorest first, 0 → 1) and ``value_share`` (cumulative share of
    the total). With ``points`` the curve is interpolated at that many evenly spaced customer
    shares (for plotting millions of customers), otherwise one point per customer plus (0, 0).
    """
    v = np.sort(np.clip(np.asarray(values, dtype=float), 0.0, None))
    n = len(v)
    if n == 0 or v.sum() <= 0:
        grid = np.linspace(0.0, 1.0, points or 2)
        return pd.DataFrame({"customer_share": grid, "value_share": grid})
    customer_share = np.arange(n + 1) / n
    value_share = np.concatenate([[0.0], np.cumsum(v) / v.sum()])
    if points:
        grid = np.linspace(0.0, 1.0, int(points))
        return pd.DataFrame({"customer_share": grid, "value_share": np.interp(grid, customer_share, value_share)})
    return pd.DataFrame({"customer_share": customer_share, "value_share": value_share})


def top_share(values: ArrayLike, top_fraction: float) -> float:
    """Share of the total held by the richest ``top_fraction`` of customers (0–1), reading the
    Lorenz curve at 1 − top_fraction (a fractional customer counts pro rata)."""
    if not 0.0 < top_fraction <= 1.0:
        raise ValueError("top_fraction must lie in (0, 1]")
    curve = lorenz_curve(values)
    return float(1.0 - np.interp(1.0 - top_fraction, curve.customer_share, curve.value_share))


def concentration(values: ArrayLike) -> dict[str, float]:
    """Top 1 % and top 10 % shares of the total and the Gini coefficient (0 = equal, → 1 = one
    customer holds everything), for AUM in RMB (negative values count as 0)."""
    v = np.clip(np.asarray(values, dtype=float), 0.0, None)
    n = len(v)
    if n == 0 or v.sum() <= 0:
        return {"customers": float(n), "total": 0.0, "top1_share": 0.0, "top10_share": 0.0, "gini": 0.0}
    sorted_v = np.sort(v)
    gini = float((2.0 * np.arange(1, n + 1) - n - 1) @ sorted_v / (n * sorted_v.sum()))
    return {
        "customers": float(n),
        "total": float(v.sum()),
        "top1_share": top_share(v, 0.01),
        "top10_share": top_share(v, 0.10),
        "gini": gini,
    }


def lorenz_from_groups(customers: ArrayLike, totals: ArrayLike) -> pd.DataFrame:
    """Lorenz curve from groups of customers sorted poorest first (e.g. AUM percentiles):
    ``customer_share`` and ``value_share`` at each group boundary, starting at (0, 0)."""
    n = np.asarray(customers, dtype=float)
    v = np.clip(np.asarray(totals, dtype=float), 0.0, None)
    if n.sum() <= 0 or v.sum() <= 0:
        return pd.DataFrame({"customer_share": [0.0, 1.0], "value_share": [0.0, 1.0]})
    return pd.DataFrame(
        {
            "customer_share": np.concatenate([[0.0], np.cumsum(n) / n.sum()]),
            "value_share": np.concatenate([[0.0], np.cumsum(v) / v.sum()]),
        }
    )


def concentration_from_groups(customers: ArrayLike, totals: ArrayLike) -> dict[str, float]:
    """:func:`concentration` from groups sorted poorest first (e.g. 100 AUM percentiles).

    Top shares are read from the grouped Lorenz curve (exact at group boundaries, linear within
    a group); the Gini coefficient is 1 − 2·(area under the grouped curve), which ignores
    inequality inside each group and so is a slight lower bound (exact with one customer per
    group).
    """
    curve = lorenz_from_groups(customers, totals)
    x, y = curve.customer_share.to_numpy(), curve.value_share.to_numpy()
    area = float(np.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2.0))
    return {
        "customers": float(np.sum(customers)),
        "total": float(np.clip(np.asarray(totals, dtype=float), 0.0, None).sum()),
        "top1_share": float(1.0 - np.interp(0.99, x, y)),
        "top10_share": float(1.0 - np.interp(0.90, x, y)),
        "gini": max(0.0, 1.0 - 2.0 * area),
    }


#: Named RFM segments as (code, rule on R and F scores 1–5), checked in order; the first match
#: wins. The widely used R×F "segment map": recency says whether the relationship is warm,
#: frequency how deep it is; monetary value ranks customers within a segment.
RFM_SEGMENTS: tuple[tuple[str, tuple[tuple[int, int], tuple[int, int]]], ...] = (
    ("champions", ((5, 5), (4, 5))),
    ("loyal", ((3, 4), (4, 5))),
    ("cannot_lose", ((1, 1), (5, 5))),
    ("at_risk", ((1, 2), (3, 5))),
    ("potential_loyalists", ((4, 5), (2, 3))),
    ("new", ((5, 5), (1, 1))),
    ("promising", ((4, 4), (1, 1))),
    ("need_attention", ((3, 3), (3, 3))),
    ("about_to_sleep", ((3, 3), (1, 2))),
    ("hibernating", ((1, 2), (1, 2))),
)
RFM_SEGMENT_CODES: tuple[str, ...] = tuple(code for code, _ in RFM_SEGMENTS)


def _quintile(values: NDArray, higher_is_better: bool) -> NDArray[np.int64]:
    """Scores 1–5 by rank (ties broken by position so the quintiles stay equal-sized)."""
    n = len(values)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(values if higher_is_better else -values, kind="stable")
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = np.arange(n)
    return (ranks * 5 // n + 1).astype(np.int64)


def rfm_scores(recency_days: ArrayLike, frequency: ArrayLike, monetary_rmb: ArrayLike) -> pd.DataFrame:
    """R, F, M quintile scores (5 = best: most recent, most frequent, highest value) and a segment.

    ``recency_days``: days since the last transaction (lower is better); ``frequency``:
    transactions in the window; ``monetary_rmb``: value (e.g. AUM or transaction amount). Ties
    are broken by order of the input, so equal customers may get neighbouring scores. Returns
    columns ``r``, ``f``, ``m``, ``rfm`` (e.g. "545") and ``segment`` (a code of
    ``RFM_SEGMENTS``; a customer no rule covers is "others").
    """
    r_values = np.asarray(recency_days, dtype=float)
    f_values = np.asarray(frequency, dtype=float)
    m_values = np.asarray(monetary_rmb, dtype=float)
    if not (len(r_values) == len(f_values) == len(m_values)):
        raise ValueError("recency_days, frequency and monetary_rmb must have one entry per customer")
    for name, values in (("recency_days", r_values), ("frequency", f_values), ("monetary_rmb", m_values)):
        if not np.all(np.isfinite(values)):
            raise ValueError(f"{name} must be finite numbers")
    r = _quintile(r_values, higher_is_better=False)
    f = _quintile(f_values, higher_is_better=True)
    m = _quintile(m_values, higher_is_better=True)
    segment = np.full(len(r), "others", dtype=object)
    unassigned = np.ones(len(r), dtype=bool)
    for code, ((r_lo, r_hi), (f_lo, f_hi)) in RFM_SEGMENTS:
        hit = unassigned & (r >= r_lo) & (r <= r_hi) & (f >= f_lo) & (f <= f_hi)
        segment[hit] = code
        unassigned &= ~hit
    return pd.DataFrame({"r": r, "f": f, "m": m, "rfm": [f"{a}{b}{c}" for a, b, c in zip(r, f, m)], "segment": segment})

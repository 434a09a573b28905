"""Peer comparison of outlets: ranks with movement, percentiles within peer groups, peer bands by
size and trade-area character, an interim market-potential estimate, and the A/B/C/D
classification of outlets by actual output against market potential (一点一策).

Pure pandas/numpy: frames in, frames out; no Streamlit, no database.

Market potential (an interim estimate: it does not use the Huff model calibrated on the
site-selection pages, :func:`analytics.huff.calibrate_huff`): every demand cell of a city holds
``population × income_index`` *income-weighted residents* (people weighted by the cell's income
relative to the regional average). They are
shared among all open outlets of the city — ours and the competitors' — by a Huff model with
equal attractiveness for every outlet and distance decay λ = 2 (``analytics.huff``), so an outlet's
potential is the income-weighted residents a typical outlet *at its location* would attract
given the population, income and competition around it. Equal attractiveness is deliberate:
the potential must not reward an outlet for its own size or performance. Businesses (corporate
demand) are not in the estimate; the trade-area summary reports them separately.

A/B/C/D (网点分类, the outlet classification of branch-management practice, docs/domain.md):
``share`` = actual output ÷ potential (how much business the outlet makes of its market). With
``potential_split`` and ``share_split`` (default: the medians of the outlets classified):

* **A** potential ≥ split and share ≥ split: good market, strong position;
* **B** potential ≥ split, share < split: large market, low share (competition): win share;
* **C** potential < split, share ≥ split: strong position in a small market, so low output;
* **D** both below: weak market and weak position.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.huff import DEFAULT_MIN_DISTANCE_KM, haversine_km, huff_probabilities

__all__ = [
    "CLASSES",
    "DEFAULT_RADIUS_KM",
    "bands",
    "classify_abcd",
    "head_to_head_differences",
    "market_potential",
    "percentile_within_peers",
    "radar_scores",
    "rank_with_movement",
    "trade_area_character",
]

CLASSES = ("A", "B", "C", "D")
SIZE_BANDS = ("small", "medium", "large")
CHARACTERS = ("sparse", "suburban", "dense")
DEFAULT_RADIUS_KM = 1.5
DEFAULT_DISTANCE_DECAY = 2.0


# --------------------------------------------------------------------------- ranks and percentiles


def rank_with_movement(value: pd.Series, previous_value: pd.Series, higher_is_better: bool = True) -> pd.DataFrame:
    """League-table ranks now and one period earlier, and the movement between them.

    Ranks are 1 = best, ties share the best rank ("1, 2, 2, 4"); missing values are unranked
    (NaN). ``movement`` = previous rank − rank, so +2 means the outlet climbed two places; NaN
    when either rank is missing. Index as ``value``.
    """
    ascending = not higher_is_better
    rank = value.rank(method="min", ascending=ascending)
    previous_rank = previous_value.rank(method="min", ascending=ascending)
    return pd.DataFrame({"rank": rank, "previous_rank": previous_rank, "movement": previous_rank - rank})


def percentile_within_peers(
    value: pd.Series, group: pd.Series | None = None, higher_is_better: bool = True
) -> pd.Series:
    """Percentile of each outlet among its peers (same ``group`` label), 0–100, 100 = best.

    ``percentile = 100 × (peers worse + ½ × peers tied) / (peers − 1)`` counting the other
    outlets of the group only: the best outlet scores 100, the worst 0, the middle of an odd group
    50, and a group of one (or a missing value) NaN. The direction follows ``higher_is_better``.
    """
    if group is None:
        group = pd.Series(0, index=value.index)
    result = pd.Series(np.nan, index=value.index, dtype=float)
    sign = 1.0 if higher_is_better else -1.0
    for _, members in value.groupby(group, dropna=False):
        known = members.dropna() * sign
        n = len(known)
        if n < 2:
            continue
        values = known.to_numpy(float)
        worse = (values[None, :] < values[:, None]).sum(axis=1)
        tied = (values[None, :] == values[:, None]).sum(axis=1) - 1
        result[known.index] = 100.0 * (worse + 0.5 * tied) / (n - 1)
    return result


def bands(values: pd.Series, labels: tuple[str, ...] = SIZE_BANDS) -> pd.Series:
    """Equal-count bands (terciles for three labels) of ``values``, lowest band first; ties
    broken by order so every band gets its share. Missing values get no band (NaN)."""
    known = values.dropna()
    result = pd.Series(np.nan, index=values.index, dtype=object)
    if known.empty:
        return result
    order = known.rank(method="first").to_numpy() - 1
    position = np.floor(order * len(labels) / len(known)).astype(int)
    result[known.index] = [labels[p] for p in position]
    return result


# --------------------------------------------------------------------------- market potential


def market_potential(
    cells: pd.DataFrame,
    own: pd.DataFrame,
    competitors: pd.DataFrame,
    distance_decay: float = DEFAULT_DISTANCE_DECAY,
    radius_km: float = DEFAULT_RADIUS_KM,
) -> pd.DataFrame:
    """Interim market potential and trade-area summary of our outlets (see the module docstring).

    Parameters
    ----------
    cells : DataFrame with city_code, lon, lat, population (people), income_index (1 = regional
        average), businesses (count).
    own : our open outlets: outlet_id (> 0 for outlets to report, 0 for others that only compete),
        lon, lat, city_code.
    competitors : other banks' open outlets: lon, lat, city_code.
    distance_decay : Huff λ (≥ 0).
    radius_km : radius of the trade-area summary.

    Returns
    -------
    DataFrame indexed by outlet_id (only ids > 0): ``potential`` (income-weighted residents
    attracted under equal attractiveness), ``residents`` (people within ``radius_km``),
    ``income_index`` (population-weighted mean within the radius, NaN without residents),
    ``businesses`` (within the radius), ``competitors`` and ``own_outlets`` (other outlets of ours)
    within the radius.
    """
    columns = ["potential", "residents", "income_index", "businesses", "competitors", "own_outlets"]
    reported = own[own["outlet_id"] > 0]
    result = pd.DataFrame(np.nan, index=pd.Index(reported["outlet_id"].astype(int), name="outlet_id"), columns=columns)
    for city, outlets in own.groupby("city_code"):
        city_cells = cells[cells["city_code"] == city]
        rivals = competitors[competitors["city_code"] == city]
        ours = outlets[outlets["outlet_id"] > 0]
        if ours.empty:
            continue
        all_lon = np.r_[outlets["lon"].to_numpy(float), rivals["lon"].to_numpy(float)]
        all_lat = np.r_[outlets["lat"].to_numpy(float), rivals["lat"].to_numpy(float)]
        is_own = np.r_[np.ones(len(outlets), bool), np.zeros(len(rivals), bool)]
        potential = np.zeros(len(all_lon))
        if not city_cells.empty:
            distances = haversine_km(
                city_cells["lon"].to_numpy(float)[:, None],
                city_cells["lat"].to_numpy(float)[:, None],
                all_lon[None, :],
                all_lat[None, :],
            )
            distances = np.maximum(distances, DEFAULT_MIN_DISTANCE_KM)
            demand = city_cells["population"].to_numpy(float) * city_cells["income_index"].to_numpy(float)
            probabilities = huff_probabilities(distances, np.ones(len(all_lon)), distance_decay, 1.0)
            potential = demand @ probabilities
        positions = np.flatnonzero(outlets["outlet_id"].to_numpy() > 0)
        for position in positions:
            outlet_id = int(outlets["outlet_id"].iloc[position])
            near_cells = (
                haversine_km(city_cells["lon"], city_cells["lat"], all_lon[position], all_lat[position]) <= radius_km
                if not city_cells.empty
                else np.zeros(0, bool)
            )
            near = city_cells[np.asarray(near_cells, bool)]
            residents = float(near["population"].sum())
            to_others = haversine_km(all_lon, all_lat, all_lon[position], all_lat[position]) <= radius_km
            to_others[position] = False
            result.loc[outlet_id] = [
                float(potential[position]),
                residents,
                float((near["population"] * near["income_index"]).sum() / residents) if residents > 0 else np.nan,
                float(near["businesses"].sum()),
                float((to_others & ~is_own).sum()),
                float((to_others & is_own).sum()),
            ]
    return result


def trade_area_character(residents: pd.Series) -> pd.Series:
    """Trade-area character of each outlet from the residents within its radius: the lowest third
    of the outlets compared is "sparse", the middle "suburban", the top "dense"."""
    return bands(residents, CHARACTERS)


# --------------------------------------------------------------------------- A/B/C/D


def classify_abcd(
    output: pd.Series,
    potential: pd.Series,
    potential_split: float | None = None,
    share_split: float | None = None,
) -> pd.DataFrame:
    """A/B/C/D class of each outlet from its actual ``output`` (e.g. deposits, RMB) and its market
    ``potential`` (same index; see the module docstring for the rule).

    Outlets with a missing or non-positive output or potential get no class (NaN). The splits
    default to the medians of the classified outlets' potential and share. Returns a frame with
    ``output``, ``potential``, ``share`` (output ÷ potential), ``class`` and the splits used in
    ``attrs`` (``potential_split``, ``share_split``).
    """
    frame = pd.DataFrame({"output": output.astype(float), "potential": potential.astype(float)})
    valid = (frame["output"] > 0) & (frame["potential"] > 0)
    frame["share"] = np.where(valid, frame["output"] / frame["potential"].where(valid), np.nan)
    if potential_split is None:
        potential_split = float(frame.loc[valid, "potential"].median()) if valid.any() else np.nan
    if share_split is None:
        share_split = float(frame.loc[valid, "share"].median()) if valid.any() else np.nan
    high_potential = frame["potential"] >= potential_split
    high_share = frame["share"] >= share_split
    labels = np.select(
        [high_potential & high_share, high_potential & ~high_share, ~high_potential & high_share],
        ["A", "B", "C"],
        default="D",
    )
    frame["class"] = pd.Series(labels, index=frame.index).where(valid)
    frame.attrs.update(potential_split=potential_split, share_split=share_split)
    return frame


# --------------------------------------------------------------------------- head-to-head


def head_to_head_differences(values: pd.DataFrame, reference) -> pd.DataFrame:
    """Differences of every outlet (rows of ``values``, one column per metric) from the
    ``reference`` row: long frame outlet, metric_code, value, reference_value, difference
    (value − reference, in the metric's unit) and relative (difference ÷ |reference|, NaN when
    the reference is 0 or missing). The reference row itself is left out."""
    base = values.loc[reference]
    rows = []
    for outlet, row in values.drop(index=reference).iterrows():
        for code in values.columns:
            value, ref = float(row[code]), float(base[code])
            difference = value - ref
            rows.append((outlet, code, value, ref, difference, difference / abs(ref) if ref else np.nan))
    return pd.DataFrame(rows, columns=["outlet", "metric_code", "value", "reference_value", "difference", "relative"])


def radar_scores(values: pd.DataFrame, higher_is_better: dict[str, bool]) -> pd.DataFrame:
    """Each metric (column) scaled to 0–100 across the outlets compared (rows), 100 = the best of
    them: value ÷ best for higher-is-better metrics, best ÷ value for lower-is-better ones (both
    among positive values; others and missing values give 0 and NaN). For radar charts."""
    scores = pd.DataFrame(index=values.index, columns=values.columns, dtype=float)
    for code in values.columns:
        column = values[code].astype(float)
        positive = column.where(column > 0)
        if higher_is_better.get(code, True):
            best = positive.max()
            scores[code] = 100.0 * column.clip(lower=0) / best if best and best > 0 else np.nan
        else:
            best = positive.min()
            scores[code] = (100.0 * best / positive).fillna(0.0).where(column.notna()) if best and best > 0 else np.nan
    return scores

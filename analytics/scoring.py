"""Multi-criteria suitability of candidate sites (weighted sum of 0–100 criterion scores).

Each criterion is a column of values per site (residents, income index, businesses, our
customers, competitor outlets nearby, km to our nearest outlet, ...) with a weight in percent
(all weights sum to 100) and a direction:

* ``positive`` — more is better: ``score = 100 · (x − min) / (max − min)``;
* ``negative`` — less is better: ``score = 100 · (max − x) / (max − min)``;
* ``ideal`` — a target value ``v`` is best: ``score = 100 · (1 − |x − v| / max_k |x_k − v|)``.

min and max are taken over the sites being scored (so scores are relative to the set); a
criterion with no spread (all values equal, or all at the ideal) scores 100 everywhere and does
not change the ranking. The suitability is ``Σ_c weight_c / 100 · score_c`` (0–100).
Vectorised: 50,000 sites × 10 criteria take a few milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "DIRECTIONS",
    "SITE_CRITERIA",
    "WEIGHT_TOTAL",
    "Criterion",
    "criterion_scores",
    "site_criteria",
    "suitability",
    "validate_candidate_table",
    "validate_criteria",
]

DIRECTIONS = ("positive", "negative", "ideal")
#: Weights are percentages and must add up to this.
WEIGHT_TOTAL = 100.0
_WEIGHT_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Criterion:
    """One criterion: a column of the values frame, its weight in percent, direction, ideal value."""

    column: str
    weight: float
    direction: str = "positive"
    ideal: float | None = None


class CriteriaError(ValueError):
    """Invalid criteria; ``code`` names the problem for a translated message, ``values`` its details."""

    def __init__(self, code: str, message: str, **values):
        super().__init__(message)
        self.code = code
        self.values = values


def validate_criteria(criteria: Sequence[Criterion], columns: Sequence[str]) -> None:
    """Raise :class:`CriteriaError` unless the criteria can score a frame with these columns.

    Codes: ``no_criteria``, ``unknown_column``, ``duplicate``, ``bad_direction``, ``bad_weight``,
    ``missing_ideal``, ``weights_total`` (weights must sum to 100 %).
    """
    if not criteria:
        raise CriteriaError("no_criteria", "at least one criterion is needed")
    seen: set[str] = set()
    for criterion in criteria:
        if criterion.column not in columns:
            raise CriteriaError(
                "unknown_column", f"no values for criterion {criterion.column!r}", name=criterion.column
            )
        if criterion.column in seen:
            raise CriteriaError("duplicate", f"criterion {criterion.column!r} given twice", name=criterion.column)
        seen.add(criterion.column)
        if criterion.direction not in DIRECTIONS:
            raise CriteriaError("bad_direction", f"direction must be one of {DIRECTIONS}", name=criterion.column)
        weight = float(criterion.weight)
        if not math.isfinite(weight) or weight < 0:
            raise CriteriaError("bad_weight", "weights must be finite and >= 0", name=criterion.column)
        if criterion.direction == "ideal" and (criterion.ideal is None or not math.isfinite(float(criterion.ideal))):
            raise CriteriaError("missing_ideal", "an ideal-value criterion needs an ideal value", name=criterion.column)
    total = sum(float(c.weight) for c in criteria)
    if abs(total - WEIGHT_TOTAL) > _WEIGHT_TOLERANCE:
        raise CriteriaError("weights_total", f"weights add up to {total:g} %, not 100 %", total=f"{total:g}")


def _score_column(values: np.ndarray, criterion: Criterion) -> np.ndarray:
    """0–100 score of one criterion over all sites; missing values score 0."""
    finite = np.isfinite(values)
    if not finite.any():
        return np.zeros(values.shape[0])
    if criterion.direction == "ideal":
        gap = np.abs(values - float(criterion.ideal))
        worst = gap[finite].max()
        score = np.full(values.shape[0], 100.0) if worst == 0 else 100.0 * (1.0 - gap / worst)
    else:
        low, high = values[finite].min(), values[finite].max()
        if high == low:
            score = np.full(values.shape[0], 100.0)
        elif criterion.direction == "positive":
            score = 100.0 * (values - low) / (high - low)
        else:
            score = 100.0 * (high - values) / (high - low)
    return np.where(finite, score, 0.0)


def criterion_scores(values: pd.DataFrame, criteria: Sequence[Criterion]) -> pd.DataFrame:
    """Per-criterion 0–100 scores, one column per criterion, indexed like ``values``."""
    validate_criteria(criteria, list(values.columns))
    return pd.DataFrame(
        {c.column: _score_column(values[c.column].to_numpy(dtype=float), c) for c in criteria}, index=values.index
    )


def suitability(values: pd.DataFrame, criteria: Sequence[Criterion]) -> tuple[pd.Series, pd.DataFrame]:
    """(suitability 0–100 per site, per-criterion scores) for weights in percent summing to 100."""
    scores = criterion_scores(values, criteria)
    weights = np.array([float(c.weight) for c in criteria]) / WEIGHT_TOTAL
    total = pd.Series(scores.to_numpy() @ weights, index=values.index, name="suitability")
    return total, scores


# --------------------------------------------------------------------------- criteria of sites

#: The criteria the candidate page offers, in display order, with their default direction and weight.
SITE_CRITERIA: dict[str, tuple[str, float]] = {
    "population": ("positive", 25.0),
    "income_index": ("positive", 15.0),
    "businesses": ("positive", 15.0),
    "customers": ("positive", 10.0),
    "competitors_nearby": ("negative", 10.0),
    "nearest_own_km": ("ideal", 10.0),
    "net_gain": ("positive", 15.0),
}


def _unit_vectors(lonlat: np.ndarray) -> np.ndarray:
    lon, lat = np.radians(lonlat[:, 0]), np.radians(lonlat[:, 1])
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


def _chord(km: float) -> float:
    """Chord length on the unit sphere of a great-circle distance in km."""
    return 2 * math.sin(km / (2 * 6371.0088))


def site_criteria(
    site_lonlat: np.ndarray,
    cells: pd.DataFrame,
    customers_per_cell: np.ndarray,
    own_lonlat: np.ndarray,
    competitor_lonlat: np.ndarray,
    radius_km: float = 1.0,
) -> pd.DataFrame:
    """Criteria values of each site (n_sites rows) from the grid cell it lies in.

    Columns: population, income_index, businesses, customers (of the nearest cell),
    competitors_nearby (competitor outlets within ``radius_km``) and nearest_own_km (km to our
    nearest open outlet; NaN without one).
    """
    from scipy.spatial import cKDTree

    sites = np.asarray(site_lonlat, dtype=float).reshape(-1, 2)
    site_vectors = _unit_vectors(sites)
    cell_tree = cKDTree(_unit_vectors(cells[["lon", "lat"]].to_numpy(dtype=float)))
    _, nearest = cell_tree.query(site_vectors)
    frame = pd.DataFrame(
        {
            "population": cells["population"].to_numpy(dtype=float)[nearest],
            "income_index": cells["income_index"].to_numpy(dtype=float)[nearest],
            "businesses": cells["businesses"].to_numpy(dtype=float)[nearest],
            "customers": np.asarray(customers_per_cell, dtype=float)[nearest],
        }
    )
    competitors = np.asarray(competitor_lonlat, dtype=float).reshape(-1, 2)
    if competitors.shape[0]:
        tree = cKDTree(_unit_vectors(competitors))
        frame["competitors_nearby"] = tree.query_ball_point(site_vectors, _chord(radius_km), return_length=True)
    else:
        frame["competitors_nearby"] = 0
    own = np.asarray(own_lonlat, dtype=float).reshape(-1, 2)
    if own.shape[0]:
        chord, _ = cKDTree(_unit_vectors(own)).query(site_vectors)
        frame["nearest_own_km"] = 2 * 6371.0088 * np.arcsin(np.clip(chord / 2, 0, 1))
    else:
        frame["nearest_own_km"] = np.nan
    frame["competitors_nearby"] = frame["competitors_nearby"].astype(float)
    return frame


# --------------------------------------------------------------------------- uploaded candidate lists


def validate_candidate_table(
    table: pd.DataFrame, cell_lonlat: np.ndarray, max_km_from_grid: float = 3.0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check an uploaded candidate list; (clean candidates, errors).

    Needs columns ``name``, ``lon``, ``lat`` (an optional ``outlet_type`` is kept). Errors, one row
    each with ``row`` (1-based data row, as in a spreadsheet after the header: row 2 is the first),
    ``column`` and ``code``: ``missing_column``, ``empty``, ``not_a_number``, ``out_of_range``
    (not a longitude/latitude), ``outside_region`` (farther than ``max_km_from_grid`` from every
    demand cell), ``duplicate`` (same coordinates as an earlier row). Any error means the list is
    refused as a whole (the clean frame is then empty).
    """
    from scipy.spatial import cKDTree

    columns = {str(c).strip().lower(): c for c in table.columns}
    errors = [
        {"row": 1, "column": name, "code": "missing_column"} for name in ("name", "lon", "lat") if name not in columns
    ]
    if errors:
        return pd.DataFrame(columns=["name", "lon", "lat"]), pd.DataFrame(errors)
    if table.empty:
        return pd.DataFrame(columns=["name", "lon", "lat"]), pd.DataFrame([{"row": 1, "column": "", "code": "empty"}])
    frame = pd.DataFrame({name: table[columns[name]] for name in ("name", "lon", "lat")})
    if "outlet_type" in columns:
        frame["outlet_type"] = table[columns["outlet_type"]]
    frame = frame.reset_index(drop=True)
    for name in ("lon", "lat"):
        numbers = pd.to_numeric(frame[name], errors="coerce")
        for index in np.flatnonzero(numbers.isna().to_numpy()):
            errors.append({"row": int(index) + 2, "column": name, "code": "not_a_number"})
        frame[name] = numbers
    for index in np.flatnonzero(frame["name"].isna().to_numpy() | (frame["name"].astype(str).str.strip() == "")):
        errors.append({"row": int(index) + 2, "column": "name", "code": "empty"})
    valid = frame["lon"].notna() & frame["lat"].notna()
    bad_range = valid & ((frame["lon"].abs() > 180) | (frame["lat"].abs() > 90))
    for index in np.flatnonzero(bad_range.to_numpy()):
        errors.append({"row": int(index) + 2, "column": "lon/lat", "code": "out_of_range"})
    valid &= ~bad_range
    if valid.any():
        chord, _ = cKDTree(_unit_vectors(np.asarray(cell_lonlat, dtype=float))).query(
            _unit_vectors(frame.loc[valid, ["lon", "lat"]].to_numpy(dtype=float))
        )
        far = np.asarray(chord) > _chord(max_km_from_grid)
        for index in frame.index[valid][far]:
            errors.append({"row": int(index) + 2, "column": "lon/lat", "code": "outside_region"})
        duplicated = frame.loc[valid].round(6).duplicated(subset=["lon", "lat"])
        for index in duplicated.index[duplicated.to_numpy()]:
            errors.append({"row": int(index) + 2, "column": "lon/lat", "code": "duplicate"})
    if errors:
        return frame.iloc[0:0], pd.DataFrame(errors).sort_values(["row", "column"], ignore_index=True)
    frame["name"] = frame["name"].astype(str).str.strip()
    return frame, pd.DataFrame(columns=["row", "column", "code"])

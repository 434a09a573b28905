"""Huff gravity model of where customers bank: choice probabilities, captured demand, candidate
evaluation against the existing network, and maximum-likelihood calibration.

The Huff (1963) model gives the probability that a customer living in demand cell ``i`` banks at
outlet ``j`` as

    P_ij = A_j^α · d_ij^(−λ) / Σ_k A_k^α · d_ik^(−λ)

with ``A_j > 0`` the outlet's attractiveness (floor area in m², counters, a brand score: any
positive measure), ``d_ij > 0`` the distance in km, ``λ ≥ 0`` the distance decay and ``α`` the
attractiveness exponent. Expected demand captured by outlet ``j`` is ``Σ_i D_i P_ij`` with ``D_i``
the cell's demand (RMB of deposits, households, customers: any additive unit; results come back
in that unit).

Units and conventions
---------------------
* Coordinates are WGS84 degrees, given as ``(n, 2)`` arrays of ``(longitude, latitude)``.
* Distances are great-circle (haversine) kilometres on a sphere of radius
  :data:`EARTH_RADIUS_KM`.
* Probabilities are computed in log space with the row maximum subtracted, so they never overflow
  or underflow to 0/0 whatever ``λ``, ``α`` or the distance scale.
* Bad input raises ``ValueError`` naming the argument: non-finite, zero or negative distances,
  non-positive attractiveness, negative demand, mismatched shapes.

Candidate evaluation (:func:`evaluate_candidates`)
--------------------------------------------------
Adding candidate ``c`` to a network whose Huff denominator in cell ``i`` is
``S_i = Σ_j A_j^α d_ij^(−λ)`` gives it the share ``s_ic = w_ic / (S_i + w_ic)`` of the cell's demand,
``w_ic = A_c^α d_ic^(−λ)``. Under Huff's proportional-substitution property every existing outlet
loses the same fraction of its share, so the demand ``c`` captures from our own outlets
(cannibalisation) is ``Σ_i D_i · s_ic · O_i`` with ``O_i`` our own outlets' share of cell ``i``, and the
rest comes from competitors (or, with a cut-off radius, from cells no outlet reached before).
``S_i`` and ``O_i`` are computed once; candidates are then processed in chunks of a
(candidates × cells) matrix, so working memory stays at about a MiB whatever the network size: the
(cells × candidates × outlets) cube is never formed. Distances inside a chunk come from one matrix
product of 3-D unit vectors (the haversine identity ``hav(θ) = |p − q|² / 4``), so a chunk costs
a handful of vectorised passes over memory.

Calibration (:func:`calibrate_huff`)
-----------------------------------
``λ`` and ``α`` are fitted by maximum likelihood from observed choices (each customer's home cell
and the outlet they bank at). Distances are per cell, so customers are first aggregated into a
cell × outlet count matrix ``N``; the log-likelihood ``Σ_ij N_ij log P_ij`` is a conditional logit
in ``(λ, α)``, concave, with analytic gradient and Hessian, maximised by a trust-region Newton
method. Standard errors come from the inverse observed information at the optimum.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, sparse

__all__ = [
    "DEFAULT_MIN_DISTANCE_KM",
    "EARTH_RADIUS_KM",
    "CandidateEvaluation",
    "HuffCalibration",
    "NetworkBaseline",
    "calibrate_huff",
    "captured_demand",
    "chosen_distance_profile",
    "distance_matrix_km",
    "evaluate_candidates",
    "haversine_km",
    "huff_probabilities",
    "log_likelihood_profile",
    "nearest_cell",
    "network_baseline",
    "predicted_choices",
    "trade_area_classes",
]

#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM = 6371.0088

#: Default floor on distances computed from coordinates, km (a candidate placed on a cell's
#: centroid would otherwise be at distance 0 and take the whole cell).
DEFAULT_MIN_DISTANCE_KM = 0.1

#: Elements of one working (chunk) matrix: 2**16 float64 = 512 KiB. Small chunks stay in cache, and
#: keep the (chunk × 3) @ (3 × n) products under OpenBLAS's threading threshold (m·n·k < 262,144):
#: threaded, those tiny-k products ran 3× slower on a 2-core machine than single-threaded.
_CHUNK_ELEMENTS = 2**16


# --------------------------------------------------------------------------- validation helpers


def _finite_array(value: ArrayLike, name: str, ndim: int | None = None) -> NDArray[np.float64]:
    array = np.asarray(value, dtype=float)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return array


def _positive_array(value: ArrayLike, name: str, ndim: int | None = None) -> NDArray[np.float64]:
    array = _finite_array(value, name, ndim)
    if np.any(array <= 0):
        raise ValueError(f"{name} must be strictly positive")
    return array


def _check_parameters(distance_decay: float, attractiveness_exponent: float) -> tuple[float, float]:
    decay, exponent = float(distance_decay), float(attractiveness_exponent)
    if not math.isfinite(decay) or decay < 0:
        raise ValueError(f"distance_decay must be finite and >= 0, got {distance_decay!r}")
    if not math.isfinite(exponent):
        raise ValueError(f"attractiveness_exponent must be finite, got {attractiveness_exponent!r}")
    return decay, exponent


def _lonlat(value: ArrayLike, name: str) -> NDArray[np.float64]:
    points = _finite_array(value, name)
    if points.ndim == 1 and points.shape == (2,):
        points = points[None, :]
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"{name} must have shape (n, 2) of (longitude, latitude), got {points.shape}")
    if np.any(np.abs(points[:, 1]) > 90):
        raise ValueError(f"{name}: latitude must be within [-90, 90] degrees")
    return points


# --------------------------------------------------------------------------- distances


def haversine_km(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike) -> NDArray[np.float64] | float:
    """Great-circle distance in km between points given in degrees; broadcasts like numpy.

    ``haversine_km(lon[:, None], lat[:, None], lon2[None, :], lat2[None, :])`` gives a full
    distance matrix. Scalars in, float out.
    """
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlon = np.radians(np.subtract(lon2, lon1)) / 2
    h = np.sin(half_dphi) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(half_dlon) ** 2
    distance = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return float(distance) if np.ndim(distance) == 0 else distance


def _unit_vectors(lonlat: NDArray[np.float64]) -> NDArray[np.float64]:
    """(n, 3) unit vectors on the sphere for (longitude, latitude) degrees."""
    lon, lat = np.radians(lonlat[:, 0]), np.radians(lonlat[:, 1])
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


def _log_half_angle_block(
    scaled_rows: NDArray[np.float64], cols: NDArray[np.float64], floor_h: float, out: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Write ``log(θ/2)`` for the central angle θ between ``rows`` × ``cols`` unit vectors into ``out``.

    ``scaled_rows`` are the row unit vectors times −0.5, so one matrix product plus 0.5 gives the
    haversine ``h = hav(θ) = (1 − p·q) / 2``; then ``θ/2 = arcsin(√h)`` and the distance in km is
    ``d = 2R · θ/2``, i.e. ``log d = log(2R) + out``. ``h`` is clipped to ``[floor_h, 1]``
    (``floor_h = hav`` of the minimum distance) so near-zero distances are raised to the floor.
    """
    np.matmul(scaled_rows, cols.T, out=out)
    out += 0.5
    np.clip(out, floor_h, 1.0, out=out)
    np.sqrt(out, out=out)
    np.arcsin(out, out=out)
    np.log(out, out=out)
    return out


def _haversine_floor(min_distance_km: float) -> float:
    """``hav`` of the central angle of ``min_distance_km``."""
    return math.sin(min_distance_km / (2 * EARTH_RADIUS_KM)) ** 2


def _log_half_angle_cutoff(cutoff_km: float | None) -> float:
    """The cut-off radius on the ``log(θ/2)`` scale of :func:`_log_half_angle_block` (inf if none)."""
    return math.inf if cutoff_km is None else math.log(cutoff_km / (2 * EARTH_RADIUS_KM))


_LOG_DIAMETER = math.log(2 * EARTH_RADIUS_KM)


# --------------------------------------------------------------------------- Huff probabilities


def _log_utilities(
    distances: NDArray[np.float64], attractiveness: NDArray[np.float64], decay: float, exponent: float
) -> NDArray[np.float64]:
    return exponent * np.log(attractiveness) - decay * np.log(distances)


def _softmax_rows(utilities: NDArray[np.float64]) -> NDArray[np.float64]:
    shifted = utilities - utilities.max(axis=-1, keepdims=True)
    np.exp(shifted, out=shifted)
    shifted /= shifted.sum(axis=-1, keepdims=True)
    return shifted


def _check_distance_matrix(distances: ArrayLike, attractiveness: ArrayLike) -> tuple[NDArray, NDArray]:
    matrix = _finite_array(distances, "distances")
    if matrix.ndim not in (1, 2):
        raise ValueError(f"distances must be (n_cells, n_outlets) or (n_outlets,), got shape {matrix.shape}")
    if np.any(matrix <= 0):
        raise ValueError("distances must be strictly positive (a zero distance gives an infinite attraction)")
    weights = _positive_array(attractiveness, "attractiveness", ndim=1)
    if matrix.shape[-1] != weights.shape[0]:
        raise ValueError(
            f"distances has {matrix.shape[-1]} outlets (columns) but attractiveness has {weights.shape[0]}"
        )
    if weights.shape[0] == 0:
        raise ValueError("at least one outlet is needed")
    return matrix, weights


def huff_probabilities(
    distances: ArrayLike,
    attractiveness: ArrayLike,
    distance_decay: float = 2.0,
    attractiveness_exponent: float = 1.0,
) -> NDArray[np.float64]:
    """Huff choice probabilities ``P_ij ∝ A_j^α · d_ij^(−λ)``; each row sums to 1.

    Parameters
    ----------
    distances : (n_cells, n_outlets) km, finite and > 0. A 1-D row is one cell.
    attractiveness : (n_outlets,) > 0 (floor area m², counters, score; only ratios matter).
    distance_decay : λ >= 0. ``λ = 0`` makes probabilities proportional to ``A^α``.
    attractiveness_exponent : α (finite).

    Returns
    -------
    Array of the same shape as ``distances``. Computed as a softmax of the log utilities
    ``α log A_j − λ log d_ij`` with the row maximum subtracted (no overflow or underflow).
    """
    matrix, weights = _check_distance_matrix(distances, attractiveness)
    decay, exponent = _check_parameters(distance_decay, attractiveness_exponent)
    return _softmax_rows(_log_utilities(matrix, weights, decay, exponent))


def captured_demand(
    distances: ArrayLike,
    attractiveness: ArrayLike,
    demand: ArrayLike,
    distance_decay: float = 2.0,
    attractiveness_exponent: float = 1.0,
) -> NDArray[np.float64]:
    """Expected demand captured by each outlet, ``Σ_i D_i P_ij``, shape (n_outlets,).

    ``demand`` is (n_cells,), finite and >= 0, in any additive unit (RMB, households); the result
    is in the same unit and sums to ``demand.sum()``.
    """
    matrix, _ = _check_distance_matrix(distances, attractiveness)
    matrix = np.atleast_2d(matrix)
    cell_demand = _finite_array(demand, "demand", ndim=1)
    if cell_demand.shape[0] != matrix.shape[0]:
        raise ValueError(f"demand has {cell_demand.shape[0]} cells but distances has {matrix.shape[0]} rows")
    if np.any(cell_demand < 0):
        raise ValueError("demand must be >= 0")
    return cell_demand @ huff_probabilities(matrix, attractiveness, distance_decay, attractiveness_exponent)


# --------------------------------------------------------------------------- existing network


@dataclass(frozen=True)
class NetworkBaseline:
    """Per-cell Huff denominator of the existing network and our own outlets' share of it.

    Attributes
    ----------
    log_denominator : (n_cells,) ``log Σ_j A_j^α d_ij^(−λ)`` (d in km); ``-inf`` where no outlet is
        within the cut-off radius.
    own_share : (n_cells,) share of each cell's demand that our own outlets hold today (0 where no
        outlet reaches the cell).
    distance_decay, attractiveness_exponent, cutoff_km, min_distance_km : the parameters used.
    """

    log_denominator: NDArray[np.float64]
    own_share: NDArray[np.float64]
    distance_decay: float
    attractiveness_exponent: float
    cutoff_km: float | None
    min_distance_km: float

    @property
    def reached(self) -> NDArray[np.bool_]:
        """Cells that at least one existing outlet reaches (all cells without a cut-off)."""
        return np.isfinite(self.log_denominator)


def _check_cutoff(cutoff_km: float | None, min_distance_km: float) -> tuple[float | None, float]:
    floor = float(min_distance_km)
    if not math.isfinite(floor) or floor <= 0:
        raise ValueError(f"min_distance_km must be finite and > 0, got {min_distance_km!r}")
    if cutoff_km is None:
        return None, floor
    cutoff = float(cutoff_km)
    if not math.isfinite(cutoff) or cutoff <= 0:
        raise ValueError(f"cutoff_km must be finite and > 0, got {cutoff_km!r}")
    return cutoff, floor


def _rows_per_chunk(columns: int) -> int:
    return max(1, _CHUNK_ELEMENTS // max(columns, 1))


def _baseline_chunk(
    scaled_cells: NDArray,
    outlets: NDArray,
    log_weight: NDArray,
    own: NDArray,
    decay: float,
    cutoff: float | None,
    floor: float,
) -> tuple[NDArray, NDArray]:
    """log denominator and own share for a chunk of cells against every existing outlet."""
    utilities = np.empty((scaled_cells.shape[0], outlets.shape[0]))
    _log_half_angle_block(scaled_cells, outlets, _haversine_floor(floor), utilities)
    if cutoff is not None:
        beyond = utilities > _log_half_angle_cutoff(cutoff)
    # u_ij = α log A_j − λ (log 2R + log θ_ij/2)
    utilities *= -decay
    utilities += log_weight - decay * _LOG_DIAMETER
    if cutoff is not None:
        np.copyto(utilities, -np.inf, where=beyond)
    peak = utilities.max(axis=1)
    safe_peak = np.where(np.isfinite(peak), peak, 0.0)
    utilities -= safe_peak[:, None]
    np.exp(utilities, out=utilities)
    total = utilities.sum(axis=1)
    own_total = utilities @ own
    with np.errstate(divide="ignore", invalid="ignore"):
        log_denominator = np.where(total > 0, np.log(total) + safe_peak, -np.inf)
        own_share = np.where(total > 0, own_total / total, 0.0)
    return log_denominator, own_share


def network_baseline(
    cell_lonlat: ArrayLike,
    outlet_lonlat: ArrayLike,
    outlet_attractiveness: ArrayLike,
    own: ArrayLike,
    *,
    distance_decay: float = 2.0,
    attractiveness_exponent: float = 1.0,
    cutoff_km: float | None = None,
    min_distance_km: float = DEFAULT_MIN_DISTANCE_KM,
) -> NetworkBaseline:
    """Huff denominator of the existing network per cell, and our outlets' share of each cell.

    ``own`` is a boolean mask over existing outlets (True = ours, False = competitor). Outlets
    farther than ``cutoff_km`` from a cell are not in its choice set. Cells are processed in chunks
    (working matrices of 512 KiB, or one row when a row is longer). May be computed once and passed
    to :func:`evaluate_candidates`.
    """
    cells = _lonlat(cell_lonlat, "cell_lonlat")
    outlets = _lonlat(outlet_lonlat, "outlet_lonlat") if np.size(outlet_lonlat) else np.empty((0, 2))
    weights = _positive_array(outlet_attractiveness, "outlet_attractiveness", ndim=1)
    own_mask = np.asarray(own)
    if own_mask.dtype != bool or own_mask.shape != (outlets.shape[0],):
        raise ValueError(f"own must be a boolean mask of shape ({outlets.shape[0]},), got {own_mask.shape}")
    if weights.shape[0] != outlets.shape[0]:
        raise ValueError(f"outlet_attractiveness has {weights.shape[0]} values for {outlets.shape[0]} outlets")
    decay, exponent = _check_parameters(distance_decay, attractiveness_exponent)
    cutoff, floor = _check_cutoff(cutoff_km, min_distance_km)

    n_cells = cells.shape[0]
    log_denominator = np.full(n_cells, -np.inf)
    own_share = np.zeros(n_cells)
    if outlets.shape[0]:
        scaled_cells, outlet_vectors = -0.5 * _unit_vectors(cells), _unit_vectors(outlets)
        log_weight = exponent * np.log(weights)
        own_float = own_mask.astype(float)
        step = _rows_per_chunk(outlets.shape[0])
        for start in range(0, n_cells, step):
            block = slice(start, start + step)
            log_denominator[block], own_share[block] = _baseline_chunk(
                scaled_cells[block], outlet_vectors, log_weight, own_float, decay, cutoff, floor
            )
    return NetworkBaseline(log_denominator, own_share, decay, exponent, cutoff, floor)


# --------------------------------------------------------------------------- candidate evaluation


@dataclass(frozen=True)
class CandidateEvaluation:
    """Demand each candidate would capture if added alone to the existing network.

    All arrays are (n_candidates,) in the unit of ``demand`` (e.g. RMB).

    Attributes
    ----------
    captured : total expected demand the candidate captures.
    from_own : part of it taken from our own existing outlets (cannibalisation).
    from_competitors : part taken from competitors' outlets.
    from_unserved : part from cells no existing outlet reached (only with a cut-off radius).
    """

    captured: NDArray[np.float64]
    from_own: NDArray[np.float64]
    from_competitors: NDArray[np.float64]
    from_unserved: NDArray[np.float64]

    @property
    def net_gain(self) -> NDArray[np.float64]:
        """Demand our network gains: captured minus what is cannibalised from our own outlets."""
        return self.captured - self.from_own

    @property
    def cannibalisation_rate(self) -> NDArray[np.float64]:
        """Share of the captured demand that comes from our own outlets (0 where nothing is captured)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.captured > 0, self.from_own / self.captured, 0.0)

    def to_frame(self, index: ArrayLike | None = None) -> pd.DataFrame:
        """One row per candidate: captured, from_own, from_competitors, from_unserved, net_gain."""
        return pd.DataFrame(
            {
                "captured": self.captured,
                "from_own": self.from_own,
                "from_competitors": self.from_competitors,
                "from_unserved": self.from_unserved,
                "net_gain": self.net_gain,
                "cannibalisation_rate": self.cannibalisation_rate,
            },
            index=index,
        )


def _candidate_chunk(
    scaled_candidates: NDArray,
    log_weight: NDArray,
    cell_vectors: NDArray,
    log_denominator: NDArray,
    demand_split: NDArray,
    decay: float,
    cutoff: float | None,
    floor: float,
) -> NDArray:
    """(chunk, 3) demand captured from [own, competitors, unserved] for a chunk of candidates."""
    share = np.empty((scaled_candidates.shape[0], cell_vectors.shape[0]))
    _log_half_angle_block(scaled_candidates, cell_vectors, _haversine_floor(floor), share)
    if cutoff is not None:
        beyond = share > _log_half_angle_cutoff(cutoff)
    # share = w_c / (S_i + w_c) = 1 / (1 + exp(log S_i − log w_c)),
    # log w_c = α log A_c − λ (log 2R + log θ/2)
    if decay != 1.0:
        share *= decay
    share += (decay * _LOG_DIAMETER - log_weight)[:, None]
    share += log_denominator
    if cutoff is not None:
        np.copyto(share, np.inf, where=beyond)  # exp → inf → share 0
    with np.errstate(over="ignore"):
        np.exp(share, out=share)
    share += 1.0
    np.reciprocal(share, out=share)
    return share @ demand_split


def evaluate_candidates(
    candidate_lonlat: ArrayLike,
    candidate_attractiveness: ArrayLike,
    *,
    cell_lonlat: ArrayLike,
    demand: ArrayLike,
    outlet_lonlat: ArrayLike,
    outlet_attractiveness: ArrayLike,
    own: ArrayLike,
    distance_decay: float = 2.0,
    attractiveness_exponent: float = 1.0,
    cutoff_km: float | None = None,
    min_distance_km: float = DEFAULT_MIN_DISTANCE_KM,
    baseline: NetworkBaseline | None = None,
) -> CandidateEvaluation:
    """Demand each candidate site would capture if it alone were added to the existing network.

    Parameters
    ----------
    candidate_lonlat : (n_candidates, 2) degrees (longitude, latitude).
    candidate_attractiveness : scalar or (n_candidates,), > 0, same measure as the outlets'.
    cell_lonlat : (n_cells, 2) demand cell centroids, degrees.
    demand : (n_cells,) >= 0, e.g. RMB of deposit potential per cell.
    outlet_lonlat, outlet_attractiveness : the existing outlets (ours and competitors'); may be empty.
    own : (n_outlets,) boolean, True for our own outlets.
    distance_decay, attractiveness_exponent : Huff λ and α.
    cutoff_km : optional radius; outlets and candidates farther than this from a cell do not
        compete for it.
    min_distance_km : distances below this (km) are raised to it.
    baseline : a :class:`NetworkBaseline` from :func:`network_baseline` with the same parameters,
        to skip recomputing the existing network's denominators.

    Returns
    -------
    :class:`CandidateEvaluation`. Cost is one pass over (candidates × cells) in chunks of ~512 KiB
    plus one pass over (cells × outlets); memory does not grow with the number of candidates.
    """
    candidates = _lonlat(candidate_lonlat, "candidate_lonlat")
    cells = _lonlat(cell_lonlat, "cell_lonlat")
    cell_demand = _finite_array(demand, "demand", ndim=1)
    if cell_demand.shape[0] != cells.shape[0]:
        raise ValueError(f"demand has {cell_demand.shape[0]} values for {cells.shape[0]} cells")
    if np.any(cell_demand < 0):
        raise ValueError("demand must be >= 0")
    weights = _positive_array(
        np.broadcast_to(candidate_attractiveness, (candidates.shape[0],)), "candidate_attractiveness"
    )
    if baseline is None:
        baseline = network_baseline(
            cells,
            outlet_lonlat,
            outlet_attractiveness,
            own,
            distance_decay=distance_decay,
            attractiveness_exponent=attractiveness_exponent,
            cutoff_km=cutoff_km,
            min_distance_km=min_distance_km,
        )
    else:
        _check_baseline(baseline, cells.shape[0], distance_decay, attractiveness_exponent, cutoff_km, min_distance_km)

    keep = cell_demand > 0  # cells without demand change nothing
    cell_vectors = _unit_vectors(cells[keep])
    log_denominator = baseline.log_denominator[keep]
    kept_demand, own_share = cell_demand[keep], baseline.own_share[keep]
    reached = np.isfinite(log_denominator)
    demand_split = np.column_stack(
        [kept_demand * own_share, kept_demand * (1 - own_share) * reached, kept_demand * ~reached]
    )
    scaled_candidates = -0.5 * _unit_vectors(candidates)
    log_weight = baseline.attractiveness_exponent * np.log(weights)
    totals = np.zeros((candidates.shape[0], 3))
    step = _rows_per_chunk(cell_vectors.shape[0])
    for start in range(0, candidates.shape[0], step):
        block = slice(start, start + step)
        totals[block] = _candidate_chunk(
            scaled_candidates[block],
            log_weight[block],
            cell_vectors,
            log_denominator,
            demand_split,
            baseline.distance_decay,
            baseline.cutoff_km,
            baseline.min_distance_km,
        )
    from_own, from_competitors, from_unserved = totals.T
    return CandidateEvaluation(totals.sum(axis=1), from_own.copy(), from_competitors.copy(), from_unserved.copy())


def _check_baseline(
    baseline: NetworkBaseline,
    n_cells: int,
    distance_decay: float,
    attractiveness_exponent: float,
    cutoff_km: float | None,
    min_distance_km: float,
) -> None:
    if baseline.log_denominator.shape != (n_cells,):
        raise ValueError(f"baseline covers {baseline.log_denominator.shape[0]} cells, not {n_cells}")
    given = (float(distance_decay), float(attractiveness_exponent), cutoff_km, float(min_distance_km))
    used = (baseline.distance_decay, baseline.attractiveness_exponent, baseline.cutoff_km, baseline.min_distance_km)
    if given != used:
        raise ValueError(f"baseline was computed with (λ, α, cutoff_km, min_distance_km) = {used}, not {given}")


# --------------------------------------------------------------------------- calibration


@dataclass(frozen=True)
class HuffCalibration:
    """Maximum-likelihood estimates of the Huff parameters.

    Attributes
    ----------
    lambda_, alpha : estimated distance decay λ and attractiveness exponent α.
    lambda_se, alpha_se : standard errors from the inverse observed information (``nan`` for α
        when it was held fixed).
    covariance : 2 × 2 covariance of (λ, α) (row/column of a fixed α are ``nan``).
    log_likelihood : maximised ``Σ N_ij log P_ij``.
    null_log_likelihood : log-likelihood of equal shares (every outlet equally likely).
    pseudo_r2 : McFadden's ``1 − LL / LL_null``.
    n_customers : total (weighted) number of customers.
    n_cells : number of cells with at least one customer.
    converged, iterations : optimiser diagnostics.
    """

    lambda_: float
    alpha: float
    lambda_se: float
    alpha_se: float
    covariance: NDArray[np.float64]
    log_likelihood: float
    null_log_likelihood: float
    pseudo_r2: float
    n_customers: float
    n_cells: int
    converged: bool
    iterations: int


def _choice_counts(
    chosen: ArrayLike,
    n_rows: int,
    n_outlets: int,
    weights: ArrayLike | None,
    cells: ArrayLike | None,
) -> sparse.csr_array:
    """The cell × outlet (weighted) count matrix of observed choices."""
    if sparse.issparse(chosen) or np.ndim(chosen) == 2:
        if weights is not None or cells is not None:
            raise ValueError("weights and cells apply to per-customer choices, not to a count matrix")
        counts = sparse.csr_array(chosen, dtype=float)
        if counts.shape != (n_rows, n_outlets):
            raise ValueError(f"the count matrix has shape {counts.shape}, distances {(n_rows, n_outlets)}")
        if not np.all(np.isfinite(counts.data)) or np.any(counts.data < 0):
            raise ValueError("choice counts must be finite and >= 0")
        return counts
    outlet = np.asarray(chosen)
    if outlet.ndim != 1 or not np.issubdtype(outlet.dtype, np.integer):
        raise ValueError("chosen must be integer outlet indices (one per customer) or a count matrix")
    if outlet.size and (outlet.min() < 0 or outlet.max() >= n_outlets):
        raise ValueError(f"chosen outlet indices must be in [0, {n_outlets})")
    if cells is None:
        if outlet.shape[0] != n_rows:
            raise ValueError(f"{outlet.shape[0]} choices for {n_rows} distance rows; pass cells= to map customers")
        row = np.arange(n_rows)
    else:
        row = np.asarray(cells)
        if row.shape != outlet.shape or not np.issubdtype(row.dtype, np.integer):
            raise ValueError("cells must be integer row indices, one per customer")
        if row.size and (row.min() < 0 or row.max() >= n_rows):
            raise ValueError(f"cells must be in [0, {n_rows})")
    weight = np.ones(outlet.shape[0]) if weights is None else _finite_array(weights, "weights", ndim=1)
    if weight.shape != outlet.shape:
        raise ValueError(f"weights has {weight.shape[0]} values for {outlet.shape[0]} customers")
    if np.any(weight < 0):
        raise ValueError("weights must be >= 0")
    return sparse.csr_array((weight, (row, outlet)), shape=(n_rows, n_outlets))  # duplicates are summed


class _ConditionalLogit:
    """Log-likelihood of the Huff model on aggregated counts, with gradient and Hessian in (λ, α)."""

    def __init__(self, log_distance: NDArray, log_attractiveness: NDArray, counts: sparse.csr_array):
        self.log_distance = log_distance  # (n_active, n_outlets)
        self.log_attractiveness = log_attractiveness  # (n_outlets,)
        self.row_totals = np.asarray(counts.sum(axis=1)).ravel()
        coo = counts.tocoo()
        self.chosen_log_distance = float(coo.data @ log_distance[coo.row, coo.col])
        self.chosen_log_attractiveness = float(coo.data @ log_attractiveness[coo.col])
        self._cache: tuple[bytes, tuple] | None = None

    def evaluate(self, params: NDArray) -> tuple[float, NDArray, NDArray]:
        """(log-likelihood, gradient, Hessian) at ``params = (λ, α)``."""
        key = np.asarray(params, dtype=float).tobytes()
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        decay, exponent = params
        a = self.log_attractiveness
        log_z_total = 0.0
        mean = np.zeros(2)  # Σ_i n_i E_i[ℓ], Σ_i n_i E_i[a]
        second = np.zeros((2, 2))  # Σ_i n_i Cov_i(ℓ, a)
        step = _rows_per_chunk(a.shape[0])
        for start in range(0, self.log_distance.shape[0], step):
            ell = self.log_distance[start : start + step]
            n = self.row_totals[start : start + step]
            utility = exponent * a - decay * ell
            peak = utility.max(axis=1, keepdims=True)
            prob = np.exp(utility - peak)
            z = prob.sum(axis=1, keepdims=True)
            prob /= z
            log_z_total += float(n @ (np.log(z[:, 0]) + peak[:, 0]))
            mean_ell = np.einsum("ij,ij->i", prob, ell)
            mean_a = prob @ a
            centred_ell = ell - mean_ell[:, None]
            centred_a = a[None, :] - mean_a[:, None]
            weighted = prob * n[:, None]
            mean += [n @ mean_ell, n @ mean_a]
            second[0, 0] += np.einsum("ij,ij->", weighted, centred_ell * centred_ell)
            second[1, 1] += np.einsum("ij,ij->", weighted, centred_a * centred_a)
            second[0, 1] += np.einsum("ij,ij->", weighted, centred_ell * centred_a)
        second[1, 0] = second[0, 1]
        log_likelihood = exponent * self.chosen_log_attractiveness - decay * self.chosen_log_distance - log_z_total
        gradient = np.array([mean[0] - self.chosen_log_distance, self.chosen_log_attractiveness - mean[1]])
        # u = α a − λ ℓ: ∂²LL/∂λ² = −Var(ℓ), ∂²LL/∂α² = −Var(a), ∂²LL/∂λ∂α = +Cov(ℓ, a)
        hessian = np.array([[-second[0, 0], second[0, 1]], [second[0, 1], -second[1, 1]]])
        result = (log_likelihood, gradient, hessian)
        self._cache = (key, result)
        return result


def _maximise(model: _ConditionalLogit, start: NDArray, free: NDArray[np.bool_], scale: float):
    """Maximise the log-likelihood over the free parameters with trust-region Newton steps."""
    fixed_values = start.copy()

    def full(x: NDArray) -> NDArray:
        params = fixed_values.copy()
        params[free] = x
        return params

    def negative(x):
        return -model.evaluate(full(x))[0] / scale

    def negative_gradient(x):
        return -model.evaluate(full(x))[1][free] / scale

    def negative_hessian(x):
        return -model.evaluate(full(x))[2][np.ix_(free, free)] / scale

    result = optimize.minimize(
        negative,
        start[free],
        jac=negative_gradient,
        hess=negative_hessian,
        method="trust-exact",
        options={"gtol": 1e-10, "maxiter": 200},
    )
    # trust-exact may stop on "bad approximation" once rounding dominates; the scaled gradient says
    # whether that point is the optimum.
    converged = bool(result.success) or float(np.max(np.abs(result.jac), initial=0.0)) < 1e-7
    return full(result.x), result, converged


def calibrate_huff(
    distances: ArrayLike,
    attractiveness: ArrayLike,
    chosen: ArrayLike,
    weights: ArrayLike | None = None,
    *,
    cells: ArrayLike | None = None,
    fit_alpha: bool = True,
    initial: tuple[float, float] = (2.0, 1.0),
) -> HuffCalibration:
    """Fit Huff's λ (distance decay) and α (attractiveness exponent) by maximum likelihood.

    Parameters
    ----------
    distances : (n_rows, n_outlets) km, > 0: the distance from each home cell (or each customer)
        to every outlet in the choice set.
    attractiveness : (n_outlets,) > 0.
    chosen : either integer outlet indices, one per customer, whose home row is ``cells[k]`` (or
        row ``k`` when ``cells`` is None); or an (n_rows, n_outlets) count matrix (dense or
        scipy.sparse) of customers per cell and outlet.
    weights : optional (n_customers,) customer weights (frequency weights; the standard errors
        treat them as counts).
    cells : optional (n_customers,) row of ``distances`` for each customer.
    fit_alpha : False holds α at ``initial[1]`` (needed when all outlets are equally attractive,
        where α is not identified).
    initial : starting (λ, α).

    Returns
    -------
    :class:`HuffCalibration`. Customers are aggregated into the cell × outlet count matrix first,
    so the cost per Newton step is one pass over (cells with customers) × outlets.

    Raises
    ------
    ValueError
        On bad input, or when a parameter is not identified (no distance variation within cells,
        constant attractiveness with ``fit_alpha=True``).
    """
    matrix, outlet_weight = _check_distance_matrix(distances, attractiveness)
    matrix = np.atleast_2d(matrix)
    counts = _choice_counts(chosen, matrix.shape[0], matrix.shape[1], weights, cells)
    row_totals = np.asarray(counts.sum(axis=1)).ravel()
    active = np.flatnonzero(row_totals > 0)
    total = float(row_totals.sum())
    if total <= 0:
        raise ValueError("no customers: the choices (or their weights) are all empty")
    start = np.array([float(initial[0]), float(initial[1])])
    if not np.all(np.isfinite(start)):
        raise ValueError("initial must be finite")
    log_attractiveness = np.log(outlet_weight)
    free = np.array([True, bool(fit_alpha)])
    if fit_alpha and np.ptp(log_attractiveness) == 0:
        raise ValueError("all outlets are equally attractive, so α is not identified; pass fit_alpha=False")

    model = _ConditionalLogit(np.log(matrix[active]), log_attractiveness, counts[active])
    params, result, converged = _maximise(model, start, free, total)
    log_likelihood, _, hessian = model.evaluate(params)
    covariance = _covariance(hessian, free)
    null = -float(row_totals[active] @ np.full(active.shape[0], math.log(matrix.shape[1])))
    pseudo_r2 = 1.0 - log_likelihood / null if null < 0 else float("nan")
    return HuffCalibration(
        lambda_=float(params[0]),
        alpha=float(params[1]),
        lambda_se=float(math.sqrt(covariance[0, 0])),
        alpha_se=float(math.sqrt(covariance[1, 1])) if fit_alpha else float("nan"),
        covariance=covariance,
        log_likelihood=float(log_likelihood),
        null_log_likelihood=null,
        pseudo_r2=float(pseudo_r2),
        n_customers=total,
        n_cells=int(active.shape[0]),
        converged=converged,
        iterations=int(result.nit),
    )


def _covariance(hessian: NDArray, free: NDArray[np.bool_]) -> NDArray:
    """Inverse observed information for the free parameters; ``nan`` rows/columns for fixed ones."""
    information = -hessian[np.ix_(free, free)]
    eigenvalues = np.linalg.eigvalsh(information)
    if eigenvalues.min() <= 1e-12 * max(eigenvalues.max(), 1e-300):
        raise ValueError(
            "the likelihood is flat in some direction, so (λ, α) is not identified: distances must vary "
            "within cells and attractiveness across outlets"
        )
    covariance = np.full((2, 2), np.nan)
    covariance[np.ix_(free, free)] = np.linalg.inv(information)
    return covariance


# --------------------------------------------------------------------------- distances, trade areas, fit diagnostics


def distance_matrix_km(
    from_lonlat: ArrayLike, to_lonlat: ArrayLike, min_distance_km: float = DEFAULT_MIN_DISTANCE_KM
) -> NDArray[np.float64]:
    """(n_from, n_to) great-circle distances in km, raised to ``min_distance_km`` (> 0)."""
    a = _lonlat(from_lonlat, "from_lonlat")
    b = _lonlat(to_lonlat, "to_lonlat") if np.size(to_lonlat) else np.empty((0, 2))
    _, floor = _check_cutoff(None, min_distance_km)
    distance = haversine_km(a[:, 0:1], a[:, 1:2], b[None, :, 0], b[None, :, 1])
    return np.maximum(np.asarray(distance, dtype=float).reshape(a.shape[0], b.shape[0]), floor)


def nearest_cell(point_lonlat: ArrayLike, cell_lonlat: ArrayLike) -> NDArray[np.int64]:
    """Index of the nearest cell centre for each point (great-circle), shape (n_points,)."""
    from scipy.spatial import cKDTree

    points = _lonlat(point_lonlat, "point_lonlat") if np.size(point_lonlat) else np.empty((0, 2))
    cells = _lonlat(cell_lonlat, "cell_lonlat")
    if points.shape[0] == 0:
        return np.empty(0, dtype=np.int64)
    _, index = cKDTree(_unit_vectors(cells)).query(_unit_vectors(points))
    return np.asarray(index, dtype=np.int64)


def trade_area_classes(
    probability: ArrayLike, demand: ArrayLike, primary: float = 0.6, secondary: float = 0.85
) -> NDArray[np.int8]:
    """Probability-based trade area of one outlet: 1 = primary, 2 = secondary, 0 = outside.

    Cells are taken in decreasing order of the outlet's Huff probability; the primary area is the
    smallest such set that supplies ``primary`` (e.g. 60 %) of the outlet's expected demand
    ``Σ D_i P_i``, the secondary area the further cells up to ``secondary`` (e.g. 85 %).
    """
    p = _finite_array(probability, "probability", ndim=1)
    d = _finite_array(demand, "demand", ndim=1)
    if p.shape != d.shape:
        raise ValueError(f"probability has {p.shape[0]} cells but demand has {d.shape[0]}")
    if not 0 < primary <= secondary <= 1:
        raise ValueError(f"need 0 < primary <= secondary <= 1, got {primary}, {secondary}")
    captured = p * np.maximum(d, 0)
    classes = np.zeros(p.shape[0], dtype=np.int8)
    total = captured.sum()
    if total <= 0:
        return classes
    order = np.argsort(-p, kind="stable")
    before = (np.cumsum(captured[order]) - captured[order]) / total  # share supplied by better cells
    ranked = np.where(before < primary, 1, np.where(before < secondary, 2, 0)).astype(np.int8)
    ranked[captured[order] <= 0] = 0
    classes[order] = ranked
    return classes


def predicted_choices(
    distances: ArrayLike,
    attractiveness: ArrayLike,
    counts: ArrayLike,
    distance_decay: float,
    attractiveness_exponent: float,
) -> NDArray[np.float64]:
    """Customers each outlet is expected to have, ``Σ_i n_i P_ij``, given ``n_i`` customers per
    row of ``counts`` (a cell × outlet count matrix, dense or sparse): compare with the observed
    column sums for goodness of fit."""
    matrix, _ = _check_distance_matrix(distances, attractiveness)
    matrix = np.atleast_2d(matrix)
    rows = np.asarray(sparse.csr_array(counts).sum(axis=1)).ravel() if sparse.issparse(counts) else None
    if rows is None:
        rows = np.asarray(counts, dtype=float).sum(axis=1)
    return captured_demand(matrix, attractiveness, rows, distance_decay, attractiveness_exponent)


def log_likelihood_profile(
    distances: ArrayLike,
    attractiveness: ArrayLike,
    counts: ArrayLike,
    distance_decays: ArrayLike,
    attractiveness_exponent: float,
) -> NDArray[np.float64]:
    """Log-likelihood ``Σ N_ij log P_ij`` of the observed counts at each λ in ``distance_decays``
    with α held at ``attractiveness_exponent`` (the sensitivity view of the calibration)."""
    matrix, outlet_weight = _check_distance_matrix(distances, attractiveness)
    matrix = np.atleast_2d(matrix)
    choices = sparse.csr_array(counts, dtype=float)
    if choices.shape != matrix.shape:
        raise ValueError(f"counts has shape {choices.shape}, distances {matrix.shape}")
    totals = np.asarray(choices.sum(axis=1)).ravel()
    active = np.flatnonzero(totals > 0)
    model = _ConditionalLogit(np.log(matrix[active]), np.log(outlet_weight), choices[active])
    return np.array(
        [model.evaluate(np.array([float(lam), float(attractiveness_exponent)]))[0] for lam in distance_decays]
    )


def chosen_distance_profile(
    distances: ArrayLike,
    attractiveness: ArrayLike,
    counts: ArrayLike,
    distance_decay: float,
    attractiveness_exponent: float,
    bin_edges_km: ArrayLike,
) -> pd.DataFrame:
    """How far customers live from the outlet they bank at: observed vs the model's prediction.

    For each distance band ``[edge_k, edge_k+1)`` (km), the share of customers whose chosen outlet
    lies in it (observed, from ``counts``) and the share the fitted model expects
    (``Σ_i n_i Σ_{j: d_ij in band} P_ij``). Returns columns ``from_km``, ``to_km``, ``observed``,
    ``predicted`` (shares summing to 1 over the bands, when the edges cover every distance).
    """
    matrix, _ = _check_distance_matrix(distances, attractiveness)
    matrix = np.atleast_2d(matrix)
    choices = sparse.csr_array(counts, dtype=float)
    edges = np.asarray(bin_edges_km, dtype=float)
    totals = np.asarray(choices.sum(axis=1)).ravel()
    probabilities = huff_probabilities(matrix, attractiveness, distance_decay, attractiveness_exponent)
    band = np.clip(np.searchsorted(edges, matrix, side="right") - 1, 0, edges.shape[0] - 2)
    coo = choices.tocoo()
    observed = np.bincount(band[coo.row, coo.col], weights=coo.data, minlength=edges.shape[0] - 1)
    predicted = np.bincount(
        band.ravel(), weights=(probabilities * totals[:, None]).ravel(), minlength=edges.shape[0] - 1
    )
    total = totals.sum()
    return pd.DataFrame(
        {"from_km": edges[:-1], "to_km": edges[1:], "observed": observed / total, "predicted": predicted / total}
    )

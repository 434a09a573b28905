"""What the site-selection models share: the result type, the time limit, input checks, HiGHS.

Not a model itself. The three models (:mod:`analytics.siting.pmedian`,
:mod:`analytics.siting.covering`, :mod:`analytics.siting.huff_capture`) take the same kind of
input, a demand × candidate matrix (``cost`` in km or travel minutes, or the Huff attraction), a
weight per demand point (households, RMB of deposit potential), ``p`` sites to open, ``fixed``
candidate indices forced open and ``time_limit`` in seconds, and answer in the same form: the
selected candidate indices, the objective in the model's unit, a proven bound on the optimum and
the relative gap ``|objective − bound| / max(|objective|, |bound|)`` between them, reported
``"optimal"`` when that gap is at most :data:`OPTIMALITY_TOLERANCE` (10⁻⁷).

All of them solve their integer programmes with HiGHS through ``scipy.optimize.milp`` (Huangfu &
Hall 2018, "Parallelizing the dual revised simplex method", Mathematical Programming
Computation 10), on an objective rescaled to :data:`OBJECTIVE_SCALE` so that HiGHS's absolute
tolerances are ~10⁻¹⁰ relative, asked to beat the incumbent by :data:`CUTOFF_MARGIN` so that
"infeasible" proves the incumbent optimal (:func:`milp_outcome` reads HiGHS's answer). The Benders
decomposition is the p-median's alone and lives in :mod:`analytics.siting.pmedian`.
"""

from __future__ import annotations

import contextlib
import functools
import math
import numbers
import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

try:  # installed with scikit-learn, a project dependency
    from threadpoolctl import ThreadpoolController
except ImportError:  # pragma: no cover
    ThreadpoolController = None

__all__ = [
    "CUTOFF_MARGIN",
    "HIGHS_SOLVE_ERROR",
    "OBJECTIVE_SCALE",
    "OPTIMALITY_TOLERANCE",
    "Clock",
    "SitingResult",
    "check_budget",
    "check_fixed",
    "check_inputs",
    "milp_outcome",
    "one_blas_thread",
    "pad_selection",
    "relative_gap",
    "siting_result",
]

#: Relative gap under which a solution is reported optimal.
OPTIMALITY_TOLERANCE = 1e-7

#: Internal objective scale: the incumbent's cost is mapped to this value, so HiGHS's absolute
#: tolerances (1e-6 objective gap, 1e-7 row feasibility) are ~1e-10 relative.
OBJECTIVE_SCALE = 1e4

#: The MILPs are asked for a solution better than the incumbent by this relative margin;
#: "infeasible" then proves the incumbent optimal within it.
CUTOFF_MARGIN = 1e-9

#: scipy.optimize.milp status for a HiGHS solve error.
HIGHS_SOLVE_ERROR = 4


@dataclass(frozen=True)
class SitingResult:
    """Outcome of a site-selection model.

    Attributes
    ----------
    selected : sorted candidate indices opened (fixed ones included).
    objective : p-median: total weighted cost ``Σ w_i min_{j ∈ selected} c_ij`` (weight × cost
        units, e.g. household-km); maximal covering: total weight within the radius.
    status : ``"optimal"`` (proven within :data:`OPTIMALITY_TOLERANCE`) or ``"time_limit"`` (best
        solution found when the time ran out).
    gap : relative gap ``|objective − bound| / max(|objective|, |bound|)`` (0 when they agree).
    solve_seconds : wall-clock seconds of the whole call.
    bound : best proven bound on the optimum (lower for p-median, upper for maximal covering).
    """

    selected: tuple[int, ...]
    objective: float
    status: str
    gap: float
    solve_seconds: float
    bound: float


class Clock:
    """Wall-clock deadline for a solve (``time_limit=None`` never expires)."""

    def __init__(self, time_limit: float | None):
        self.start = time.perf_counter()
        self.deadline = math.inf if time_limit is None else self.start + time_limit

    def remaining(self) -> float:
        return self.deadline - time.perf_counter()

    def expired(self) -> bool:
        return self.remaining() <= 0

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def highs_options(self, **options) -> dict:
        """HiGHS options with the remaining time as its time limit."""
        if math.isfinite(self.deadline):
            options["time_limit"] = max(self.remaining(), 1e-3)
        return options


@functools.cache
def _blas_controller():
    return ThreadpoolController() if ThreadpoolController is not None else None


def one_blas_thread() -> contextlib.AbstractContextManager:
    """Limit BLAS to one thread. The heuristics' products are skinny (a weight vector times a
    chunk, p × chunk × m); threaded OpenBLAS made them 2–4× slower on a 2-core machine."""
    controller = _blas_controller()
    return controller.limit(limits=1, user_api="blas") if controller is not None else contextlib.nullcontext()


# --------------------------------------------------------------------------- validation


def check_inputs(
    cost: ArrayLike, weights: ArrayLike, p: int, fixed: ArrayLike | None, time_limit: float | None, *, allow_inf: bool
) -> tuple[NDArray[np.float64], NDArray[np.float64], int, NDArray[np.int64]]:
    """Validated (cost, weights, p, fixed) or ValueError naming the argument."""
    matrix = np.asarray(cost, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] == 0 or matrix.shape[1] == 0:
        raise ValueError(f"cost must be a non-empty (n_demand, n_candidates) matrix, got shape {matrix.shape}")
    if np.isnan(matrix).any():
        raise ValueError("cost contains NaN")
    if not allow_inf and not np.isfinite(matrix).all():
        raise ValueError("cost must be finite")
    if (matrix < 0).any():
        raise ValueError("cost must be >= 0 (a distance or travel time)")
    demand = np.asarray(weights, dtype=float)
    if demand.shape != (matrix.shape[0],):
        raise ValueError(f"weights must have shape ({matrix.shape[0]},) to match cost, got {demand.shape}")
    if not np.isfinite(demand).all() or (demand < 0).any():
        raise ValueError("weights must be finite and >= 0")
    n_candidates = matrix.shape[1]
    if isinstance(p, bool) or not isinstance(p, numbers.Integral):
        raise ValueError(f"p must be an integer, got {p!r}")
    if not 1 <= p <= n_candidates:
        raise ValueError(f"p must be between 1 and the number of candidates ({n_candidates}), got {p}")
    forced = check_fixed(fixed, n_candidates)
    if forced.shape[0] > p:
        raise ValueError(f"{forced.shape[0]} fixed sites but only p = {p} to open")
    if time_limit is not None and (not math.isfinite(time_limit) or time_limit <= 0):
        raise ValueError(f"time_limit must be a positive number of seconds, got {time_limit!r}")
    return matrix, demand, int(p), forced


def check_fixed(fixed: ArrayLike | None, n_candidates: int) -> NDArray[np.int64]:
    if fixed is None:
        return np.empty(0, dtype=np.int64)
    values = np.asarray(fixed)
    if values.size == 0:
        return np.empty(0, dtype=np.int64)
    if values.ndim != 1 or not np.issubdtype(values.dtype, np.integer):
        raise ValueError("fixed must be a sequence of candidate indices")
    if values.min() < 0 or values.max() >= n_candidates:
        raise ValueError(f"fixed indices must be in [0, {n_candidates})")
    if np.unique(values).shape[0] != values.shape[0]:
        raise ValueError("fixed contains duplicate indices")
    return np.sort(values.astype(np.int64))


def siting_result(selected, objective: float, bound: float, clock: Clock, *, maximise: bool) -> SitingResult:
    gap = relative_gap(objective, bound, maximise=maximise)
    status = "optimal" if gap <= OPTIMALITY_TOLERANCE else "time_limit"
    chosen = tuple(sorted(int(j) for j in selected))
    return SitingResult(chosen, float(objective), status, gap, clock.elapsed(), float(bound))


def relative_gap(objective: float, bound: float, *, maximise: bool) -> float:
    difference = bound - objective if maximise else objective - bound
    if difference <= 0:
        return 0.0
    return difference / max(abs(objective), abs(bound))


def pad_selection(selected: NDArray[np.int64], p: int, n_candidates: int) -> NDArray[np.int64]:
    """Complete a selection to exactly ``p`` sites with the lowest-index unused candidates."""
    if selected.shape[0] >= p:
        return selected
    unused = np.setdiff1d(np.arange(n_candidates), selected)
    return np.sort(np.concatenate([selected, unused[: p - selected.shape[0]]]))


def milp_outcome(result, n_candidates: int) -> tuple[str, NDArray[np.int64] | None, float | None]:
    """Map a HiGHS result to (status, selected candidates or None, dual bound or None).

    HiGHS status 0 is "optimal"; 1 is "time_limit" (time, iteration or node limit), with or without
    a feasible solution (``x`` is None then); 2, infeasible, is "cutoff": the objective cutoff
    constraint excludes every solution, i.e. none beats the incumbent. Anything else is a solver
    failure (RuntimeError).
    """
    statuses = {0: "optimal", 1: "time_limit", 2: "cutoff"}
    if result.status not in statuses:
        raise RuntimeError(f"HiGHS failed: {result.message}")
    x = getattr(result, "x", None)
    selected = None if x is None else np.flatnonzero(np.asarray(x)[:n_candidates] > 0.5)
    bound = getattr(result, "mip_dual_bound", None)
    if bound is None or not np.isfinite(bound):
        bound = None
    return statuses[result.status], selected, None if result.status == 2 else bound


def check_budget(
    site_costs: ArrayLike | None, budget: float | None, n_candidates: int, p: int, forced: NDArray
) -> NDArray | None:
    """Validated site costs (None without a budget); ValueError when no selection fits the budget."""
    if budget is None and site_costs is None:
        return None
    if budget is None or site_costs is None:
        raise ValueError("a budget needs site_costs, and site_costs need a budget")
    costs = np.asarray(site_costs, dtype=float)
    if costs.shape != (n_candidates,) or not np.isfinite(costs).all() or (costs < 0).any():
        raise ValueError(f"site_costs must be {n_candidates} finite values >= 0")
    limit = float(budget)
    if not math.isfinite(limit) or limit < 0:
        raise ValueError(f"budget must be finite and >= 0, got {budget!r}")
    free = np.setdiff1d(np.arange(n_candidates), forced)
    cheapest = float(costs[forced].sum() + np.sort(costs[free])[: p - forced.shape[0]].sum())
    if cheapest > limit * (1 + 1e-12):
        raise ValueError(f"budget {limit:g} is below the cheapest selection of {p} sites ({cheapest:g})")
    return costs

"""Data envelopment analysis (DEA): radial CCR and BCC efficiency of branches, with slacks, targets and peers.

Each unit (a branch) uses ``m`` inputs (staff, floor area, operating cost, ...) to produce ``s``
outputs (deposits, loans, transactions, ...). DEA scores a unit against the best practice
frontier spanned by the other units; no prices or weights are needed.

Models (envelopment form; ``x_o``, ``y_o`` are the evaluated unit's input and output vectors,
``X`` (m × n) and ``Y`` (s × n) all units' data, ``λ`` (n) the intensity weights):

* **CCR** (Charnes, Cooper & Rhodes 1978): constant returns to scale, ``λ ≥ 0``.
* **BCC** (Banker, Charnes & Cooper 1984): variable returns to scale, adds ``Σλ = 1``.
* **Input orientation**: ``min θ`` s.t. ``Xλ ≤ θ x_o``, ``Yλ ≥ y_o``. Efficiency = θ ∈ (0, 1].
* **Output orientation**: ``max φ`` s.t. ``Xλ ≤ x_o``, ``Yλ ≥ φ y_o``. Efficiency = 1/φ ∈ (0, 1].
  Under CCR the two are reciprocal (θ* = 1/φ*); under BCC they generally differ.

Two phases (Cooper, Seiford & Tone, *Data Envelopment Analysis*, 2nd ed., §3.3):

1. the radial LP above gives θ* (or φ*);
2. with the radial factor fixed, a second LP maximises the slacks:
   ``Xλ + s⁻ = θ* x_o``, ``Yλ − s⁺ = y_o`` (output orientation: ``= x_o`` and ``= φ* y_o``).
   Targets (the projection on the efficient frontier) are ``θ* x_o − s⁻`` and ``y_o + s⁺``
   (``x_o − s⁻`` and ``φ* y_o + s⁺``). A unit is **efficient** (Pareto–Koopmans) when its
   radial score is 1 *and* every slack is zero; score 1 with some slack is only weakly efficient.

   The phase-2 objective is a weighted slack sum. ``slack_objective="relative"`` (default)
   maximises ``Σ s⁻_i / x_io + Σ s⁺_r / y_ro``, which does not depend on the units the data are
   recorded in (yuan vs 10,000 yuan); ``"sum"`` is the textbook unweighted ``Σ s⁻ + Σ s⁺`` in the
   data's own units. Whether a unit has any slack does not depend on this choice; only which
   projection is reported when several maximise the slacks does.

Speed: column generation, certified against all units
-----------------------------------------------------
Solving each unit's LP over all ``n`` units costs ``n`` LPs with ``n`` columns. Only frontier units
ever carry weight in an optimal solution, so each unit's LP is solved over a small *working set* of
columns instead and then **priced out against every unit**: with the LP's duals ``(v, u, u₀)``
(the multipliers of the input, output and convexity rows), unit ``j``'s column has reduced cost
``r_j = v·x_j − u·y_j − u₀`` (phase 1). If ``r_j ≥ −1e-9`` for all ``n`` units, the duals are
feasible for the full LP, so by LP duality the restricted solution is optimal for the full LP
(not an approximation); otherwise the most negative columns are added and the LP is solved again.
The same check certifies phase 2. Weakly efficient or non-extreme units are therefore never
"lost": if the full LP needs them, pricing brings them in.

* The initial working set of unit ``o`` is ``o`` itself (which keeps every restricted LP feasible)
  plus the best units under the few random multiplier directions that flatter ``o`` most; those
  are frontier units near ``o``'s projection. Few units are certified in the first round, but on
  the 1,000-branch benchmark the seeds cut the total time by about 40 % (8-10 pricing rounds,
  each solving fewer units than the last).
* Many units' LPs are stacked into one block-diagonal LP per ``linprog`` call, which amortises
  scipy's per-call overhead (about 1 ms, more than HiGHS needs for a 30-column LP).
* Phase 2 is skipped when phase 1 already proves every slack zero: if every dual multiplier of the
  certified phase-1 LP is strictly positive, complementary slackness forces every input and output
  constraint to be tight in *every* optimal solution, so the maximal slacks are all zero.
* Data are divided by each variable's mean before solving (the LPs are invariant to this apart
  from rounding), so HiGHS's absolute tolerances mean the same on every scale.

Conventions
-----------
* Inputs and outputs must be finite and strictly positive (``ValueError`` names the unit and the
  variable otherwise).
* Peers are the units with ``λ > 1e-9``; ``lambdas`` holds only those (label → λ).
* Tolerances: a unit is efficient when its efficiency is ≥ 1 − 1e-6 and every slack is below
  1e-6 of its own value; slacks below that tolerance are reported as 0, so ``efficient`` is
  exactly "efficiency ≈ 1 and every slack column is 0".
* Small samples discriminate poorly: :func:`too_few_units` implements the rule of thumb
  ``n ≥ 3(m + s)`` (or ``n ≥ max(m·s, 3(m + s))``); :func:`dea` warns but still solves.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from scipy.optimize import linprog

__all__ = [
    "MODELS",
    "ORIENTATIONS",
    "SLACK_OBJECTIVES",
    "DEASampleSizeWarning",
    "dea",
    "improvement_targets",
    "super_efficiency",
    "too_few_units",
]

Model = Literal["ccr", "bcc"]
Orientation = Literal["input", "output"]
SlackObjective = Literal["relative", "sum"]

MODELS: tuple[str, ...] = ("ccr", "bcc")
ORIENTATIONS: tuple[str, ...] = ("input", "output")
SLACK_OBJECTIVES: tuple[str, ...] = ("relative", "sum")

#: A unit is a peer when its intensity weight λ exceeds this.
PEER_TOLERANCE = 1e-9
#: Efficiency at or above 1 − this counts as radially efficient.
EFFICIENCY_TOLERANCE = 1e-6
#: Slacks below this fraction of the unit's own value are reported as 0.
SLACK_TOLERANCE = 1e-6
#: A column prices out (may improve the LP) when its reduced cost is below −this.
_REDUCED_COST_TOLERANCE = 1e-9
#: A phase-1 multiplier share (v_i·x_io or u_r·y_ro) above this proves the matching slack is 0.
_DUAL_TOLERANCE = 1e-8
#: Column-generation rounds before falling back to all units as columns (rarely needed beyond 5).
_MAX_ROUNDS = 25
#: Random multiplier directions used to seed the working sets, and how many flatter each unit.
_DIRECTIONS = 1024
_SEED_DIRECTIONS = 24
#: Batch limits for the stacked LPs: units per linprog call and λ columns per call.
_BATCH_UNITS = 64
_BATCH_COLUMNS = 6000


class DEASampleSizeWarning(UserWarning):
    """Fewer units than the DEA rule of thumb asks for; scores are computed but discriminate poorly."""


# --------------------------------------------------------------------------- public helpers


def too_few_units(n_units: int, n_inputs: int, n_outputs: int, *, strict: bool = False) -> bool:
    """Whether a DEA sample is too small to discriminate between units.

    Rule of thumb ``n ≥ 3(m + s)`` (often attributed to Banker et al. 1989). With ``strict=True``
    the variant ``n ≥ max(m·s, 3(m + s))`` given by Cooper, Seiford & Tone (*Data Envelopment
    Analysis*, 2nd ed.) is used instead; it is stricter only when ``m·s > 3(m + s)``, i.e. with
    many inputs *and* many outputs (e.g. 7 × 7). Either way it is a rule of thumb: below it many
    units score 1 simply because few units resemble them.

    Parameters
    ----------
    n_units : int
        Number of units (branches), ``n``.
    n_inputs, n_outputs : int
        Number of input variables ``m`` and output variables ``s``.
    strict : bool, default False
        Use ``max(m·s, 3(m + s))`` instead of ``3(m + s)``.

    Returns
    -------
    bool
        True when ``n`` is below the rule's minimum.

    Examples
    --------
    >>> too_few_units(12, 2, 2), too_few_units(11, 2, 2), too_few_units(30, 5, 5, strict=True)
    (False, True, False)
    """
    for name, value in (("n_units", n_units), ("n_inputs", n_inputs), ("n_outputs", n_outputs)):
        if int(value) != value or value < 0:
            raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    minimum = 3 * (n_inputs + n_outputs)
    if strict:
        minimum = max(minimum, n_inputs * n_outputs)
    return n_units < minimum


# --------------------------------------------------------------------------- input handling


@dataclass(frozen=True)
class _Data:
    """Validated data: raw (n, m) inputs and (n, s) outputs, labels and variable names."""

    x: NDArray[np.float64]
    y: NDArray[np.float64]
    labels: pd.Index
    input_names: list[str]
    output_names: list[str]
    vrs: bool
    input_oriented: bool


def _as_matrix(values: ArrayLike, kind: str, prefix: str) -> tuple[NDArray[np.float64], pd.Index | None, list[str]]:
    """A (rows, columns) float matrix, its row index (for pandas objects) and column names."""
    index: pd.Index | None = None
    if isinstance(values, pd.Series):
        values = values.to_frame(name=values.name if values.name is not None else f"{prefix}1")
    if isinstance(values, pd.DataFrame):
        index = values.index
        names = [str(c) for c in values.columns]
        try:
            matrix = values.to_numpy(dtype=float, na_value=np.nan)  # pd.NA → NaN, reported below
        except (TypeError, ValueError) as error:
            raise ValueError(f"{kind} must be numeric: {error}") from error
    else:
        try:
            matrix = np.asarray(values, dtype=float)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{kind} must be numeric: {error}") from error
        if matrix.ndim == 1:  # one variable given as a vector of units
            matrix = matrix[:, None]
        names = [f"{prefix}{i + 1}" for i in range(matrix.shape[1])] if matrix.ndim == 2 else []
    if matrix.ndim != 2:
        raise ValueError(f"{kind} must be 2-D (units × variables), got shape {matrix.shape}")
    if matrix.shape[1] == 0:
        raise ValueError(f"{kind} need at least one variable (column)")
    if len(set(names)) != len(names):
        raise ValueError(f"{kind} have duplicate variable names: {names}")
    return matrix, index, names


def _check_values(matrix: NDArray[np.float64], kind: str, labels: pd.Index, names: list[str]) -> None:
    """Raise ValueError naming the first unit/variable that is NaN, infinite or not strictly positive."""
    bad = ~np.isfinite(matrix)
    if bad.any():
        unit, variable = np.argwhere(bad)[0]
        raise ValueError(
            f"{kind} contain {int(bad.sum())} NaN or infinite value(s); first: unit {labels[unit]!r}, "
            f"variable {names[variable]!r} = {matrix[unit, variable]}"
        )
    bad = matrix <= 0
    if bad.any():
        unit, variable = np.argwhere(bad)[0]
        raise ValueError(
            f"DEA needs strictly positive data, but {kind} contain {int(bad.sum())} value(s) <= 0; first: "
            f"unit {labels[unit]!r}, variable {names[variable]!r} = {matrix[unit, variable]:g}"
        )


def _choice(value: str, allowed: tuple[str, ...], argument: str) -> str:
    """``value`` lower-cased if it is one of ``allowed``; ValueError listing the allowed values otherwise."""
    if not isinstance(value, str) or value.lower() not in allowed:
        raise ValueError(f"{argument} must be one of {', '.join(map(repr, allowed))}; got {value!r}")
    return value.lower()


def _prepare(inputs: ArrayLike, outputs: ArrayLike, model: str, orientation: str, stacklevel: int) -> _Data:
    """Validate the arguments of :func:`dea` / :func:`super_efficiency` and warn on small samples."""
    model = _choice(model, MODELS, "model")
    orientation = _choice(orientation, ORIENTATIONS, "orientation")
    x, x_index, input_names = _as_matrix(inputs, "inputs", "x")
    y, y_index, output_names = _as_matrix(outputs, "outputs", "y")
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"inputs have {x.shape[0]} units (rows) but outputs have {y.shape[0]}")
    if x.shape[0] == 0:
        raise ValueError("DEA needs at least one unit (row)")
    if x_index is not None and y_index is not None and not x_index.equals(y_index):
        raise ValueError("inputs and outputs are DataFrames with different indexes (unit labels)")
    labels = x_index if x_index is not None else y_index if y_index is not None else pd.RangeIndex(x.shape[0])
    if labels.has_duplicates:
        raise ValueError(f"unit labels must be unique; duplicated: {list(labels[labels.duplicated()].unique())}")
    _check_values(x, "inputs", labels, input_names)
    _check_values(y, "outputs", labels, output_names)
    n, m, s = x.shape[0], x.shape[1], y.shape[1]
    if too_few_units(n, m, s):
        warnings.warn(
            f"{n} units for {m} inputs and {s} outputs: DEA discriminates poorly below n >= 3(m+s) = {3 * (m + s)} "
            f"(stricter: max(m*s, 3(m+s)) = {max(m * s, 3 * (m + s))}); many units will score 1",
            DEASampleSizeWarning,
            stacklevel=stacklevel,
        )
    return _Data(x, y, labels, input_names, output_names, model == "bcc", orientation == "input")


# --------------------------------------------------------------------------- the LPs


@dataclass(frozen=True)
class _Problem:
    """Mean-scaled data and the model options shared by every LP of one DEA run."""

    x: NDArray[np.float64]  # (n, m), each input divided by its mean
    y: NDArray[np.float64]  # (n, s)
    vrs: bool
    input_oriented: bool

    @property
    def n(self) -> int:
        return self.x.shape[0]

    @property
    def m(self) -> int:
        return self.x.shape[1]

    @property
    def s(self) -> int:
        return self.y.shape[1]


@dataclass
class _Solution:
    """One unit's restricted LP solution: λ over its columns, the radial factor or slacks, and the duals."""

    columns: NDArray[np.intp]
    lambdas: NDArray[np.float64]
    value: NDArray[np.float64]  # phase 1: [θ or φ]; phase 2: slacks (m + s), mean-scaled
    duals: NDArray[np.float64]  # (m + s) row duals, input rows first
    convexity_dual: float


def _lambda_block_entries(
    p: _Problem, columns: list[NDArray[np.intp]], lambda_start: NDArray[np.intp], rows_per_block: int, out_sign: float
) -> tuple[NDArray, NDArray, NDArray, NDArray, NDArray]:
    """COO entries of the λ part of stacked blocks: rows ``x_j`` then ``out_sign·y_j`` per block.

    Returns (rows, cols, values, λ variable index of each column, block of each column).
    """
    sizes = np.fromiter((c.size for c in columns), dtype=np.intp, count=len(columns))
    flat = np.concatenate(columns)
    block = np.repeat(np.arange(len(columns)), sizes)
    first = np.cumsum(sizes) - sizes
    variable = lambda_start[block] + np.arange(flat.size) - first[block]
    values = np.hstack([p.x[flat], out_sign * p.y[flat]]).T  # (m + s, K)
    rows = block[None, :] * rows_per_block + np.arange(p.m + p.s)[:, None]
    cols = np.broadcast_to(variable, values.shape)
    return rows.ravel(), cols.ravel(), values.ravel(), variable, block


def _split(vector: NDArray, columns: list[NDArray[np.intp]], variable: NDArray[np.intp]) -> list[NDArray]:
    """Per-block λ values from the stacked solution vector."""
    sizes = np.cumsum([c.size for c in columns])[:-1]
    return np.split(vector[variable], sizes)


def _solve_phase1(p: _Problem, units: NDArray[np.intp], columns: list[NDArray[np.intp]], _: object) -> list | None:
    """Radial LPs of ``units`` (each over its own columns), stacked block-diagonally in one linprog call.

    Block of unit o, variables [r, λ] with r = θ (input) or φ (output), all ≥ 0:
    input:  min θ   s.t.  Xλ − θ x_o ≤ 0,  −Yλ ≤ −y_o   (BCC: Σλ = 1)
    output: min −φ  s.t.  Xλ ≤ x_o,  φ y_o − Yλ ≤ 0     (BCC: Σλ = 1)
    Returns one _Solution per unit, or None when the stacked LP did not solve.
    """
    m, s, k = p.m, p.s, len(units)
    sizes = np.fromiter((c.size for c in columns), dtype=np.intp, count=k)
    start = np.cumsum(1 + sizes) - (1 + sizes)  # radial variable of each block
    rows, cols, vals, variable, block = _lambda_block_entries(p, columns, start + 1, m + s, -1.0)
    if p.input_oriented:
        radial_rows = np.arange(k)[:, None] * (m + s) + np.arange(m)
        radial_vals = -p.x[units]
        rhs = np.hstack([np.zeros((k, m)), -p.y[units]])
    else:
        radial_rows = np.arange(k)[:, None] * (m + s) + m + np.arange(s)
        radial_vals = p.y[units]
        rhs = np.hstack([p.x[units], np.zeros((k, s))])
    n_vars = int(start[-1] + 1 + sizes[-1])
    a_ub = sparse.csc_array(
        (
            np.concatenate([vals, radial_vals.ravel()]),
            (
                np.concatenate([rows, radial_rows.ravel()]),
                np.concatenate([cols, np.repeat(start, radial_rows.shape[1])]),
            ),
        ),
        shape=(k * (m + s), n_vars),
    )
    cost = np.zeros(n_vars)
    cost[start] = 1.0 if p.input_oriented else -1.0
    a_eq = b_eq = None
    if p.vrs:
        a_eq = sparse.csc_array((np.ones(variable.size), (block, variable)), shape=(k, n_vars))
        b_eq = np.ones(k)
    result = linprog(cost, A_ub=a_ub, b_ub=rhs.ravel(), A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    if result.status != 0:
        return None
    duals = result.ineqlin.marginals.reshape(k, m + s)
    convexity = result.eqlin.marginals if p.vrs else np.zeros(k)
    lambdas = _split(result.x, columns, variable)
    return [
        _Solution(columns[b], lambdas[b], result.x[start[b] : start[b] + 1], duals[b], float(convexity[b]))
        for b in range(k)
    ]


def _solve_phase2(
    p: _Problem, units: NDArray[np.intp], columns: list[NDArray[np.intp]], extra: tuple[NDArray, NDArray]
) -> list | None:
    """Max-slack LPs of ``units`` with the radial factor fixed, stacked like :func:`_solve_phase1`.

    Block of unit o, variables [λ, s⁻, s⁺] ≥ 0, objective min −(w⁻·s⁻ + w⁺·s⁺):
    input:  Xλ + s⁻ = θ* x_o,  Yλ − s⁺ = y_o       (BCC: Σλ = 1)
    output: Xλ + s⁻ = x_o,     Yλ − s⁺ = φ* y_o    (BCC: Σλ = 1)
    ``extra`` = (radial factors (k,), slack weights (k, m + s)).
    """
    radial, weights = extra
    m, s, k = p.m, p.s, len(units)
    rows_per_block = m + s + (1 if p.vrs else 0)
    sizes = np.fromiter((c.size for c in columns), dtype=np.intp, count=k)
    start = np.cumsum(sizes + m + s) - (sizes + m + s)  # first λ of each block; slacks follow the λs
    rows, cols, vals, variable, block = _lambda_block_entries(p, columns, start, rows_per_block, 1.0)
    slack_rows = np.arange(k)[:, None] * rows_per_block + np.arange(m + s)
    slack_cols = (start + sizes)[:, None] + np.arange(m + s)
    slack_vals = np.broadcast_to(np.r_[np.ones(m), -np.ones(s)], (k, m + s))
    parts_rows, parts_cols, parts_vals = (
        [rows, slack_rows.ravel()],
        [cols, slack_cols.ravel()],
        [vals, slack_vals.ravel()],
    )
    if p.input_oriented:
        rhs = np.hstack([radial[:, None] * p.x[units], p.y[units]])
    else:
        rhs = np.hstack([p.x[units], radial[:, None] * p.y[units]])
    if p.vrs:
        parts_rows.append(block * rows_per_block + m + s)
        parts_cols.append(variable)
        parts_vals.append(np.ones(variable.size))
        rhs = np.hstack([rhs, np.ones((k, 1))])
    n_vars = int(start[-1] + sizes[-1] + m + s)
    a_eq = sparse.csc_array(
        (np.concatenate(parts_vals), (np.concatenate(parts_rows), np.concatenate(parts_cols))),
        shape=(k * rows_per_block, n_vars),
    )
    cost = np.zeros(n_vars)
    cost[slack_cols.ravel()] = -weights.ravel()
    result = linprog(cost, A_eq=a_eq, b_eq=rhs.ravel(), bounds=(0, None), method="highs")
    if result.status != 0:
        return None
    duals = result.eqlin.marginals.reshape(k, rows_per_block)
    lambdas = _split(result.x, columns, variable)
    return [
        _Solution(
            columns[b],
            lambdas[b],
            result.x[slack_cols[b]],
            duals[b, : m + s],
            float(duals[b, m + s]) if p.vrs else 0.0,
        )
        for b in range(k)
    ]


_Solver = Callable[[_Problem, NDArray[np.intp], list[NDArray[np.intp]], object], "list[_Solution] | None"]


def _solve_batches(
    p: _Problem, solver: _Solver, units: NDArray[np.intp], columns: list[NDArray[np.intp]], extra: object
) -> list[_Solution | None]:
    """Solve the units' LPs in stacked batches; a batch that fails is split until single LPs remain."""
    out: list[_Solution | None] = [None] * len(units)

    def run(chosen: NDArray[np.intp]) -> None:
        solutions = solver(p, units[chosen], [columns[i] for i in chosen], _take(extra, chosen))
        if solutions is not None:
            for i, solution in zip(chosen, solutions):
                out[i] = solution
        elif len(chosen) > 1:  # one block is infeasible/unsolved: isolate it, keep the rest batched
            run(chosen[: len(chosen) // 2])
            run(chosen[len(chosen) // 2 :])

    batch: list[int] = []
    width = 0
    for i in range(len(units)):
        if batch and (len(batch) >= _BATCH_UNITS or width + columns[i].size > _BATCH_COLUMNS):
            run(np.array(batch))
            batch, width = [], 0
        batch.append(i)
        width += columns[i].size
    if batch:
        run(np.array(batch))
    return out


def _column_generation(
    p: _Problem,
    solver: _Solver,
    out_sign: float,
    units: NDArray[np.intp],
    columns: list[NDArray[np.intp]],
    extra: object = None,
) -> list[_Solution | None]:
    """Solve each unit's LP over a working set of columns until its duals price out every unit.

    The reduced cost of unit j's column is ``−(x_j·d_in + out_sign·y_j·d_out + d_conv)`` for row
    duals ``d`` (``out_sign`` is the sign of the output rows' λ coefficients: −1 in phase 1, +1 in
    phase 2). A unit's solution is accepted only when no column outside its working set has a
    reduced cost below −1e-9, i.e. it is optimal for the LP over all ``n`` units. The rest get
    their ``m + s`` most negative columns added and are solved again; after ``_MAX_ROUNDS``
    rounds the remaining units are solved over all units. Entries are None for units whose LP
    failed before it was certified (never an uncertified solution); the callers retry those alone.
    """
    columns = list(columns)
    results: list[_Solution | None] = [None] * len(units)
    pending = np.arange(len(units))
    for round_ in range(_MAX_ROUNDS + 1):
        last = round_ == _MAX_ROUNDS
        if last:
            for i in pending:
                columns[i] = np.arange(p.n)
        solutions = _solve_batches(p, solver, units[pending], [columns[i] for i in pending], _take(extra, pending))
        solved = [(i, sol) for i, sol in zip(pending, solutions) if sol is not None]
        still: list[int] = []
        for i, solution, violating in _price(p, out_sign, solved, columns):
            if last or violating.size == 0:
                results[i] = solution
            else:
                columns[i] = np.concatenate([columns[i], violating])
                still.append(i)
        pending = np.array(still, dtype=np.intp)
        if pending.size == 0:
            break
    return results


def _price(
    p: _Problem, out_sign: float, solved: list[tuple[int, _Solution]], columns: list[NDArray[np.intp]]
) -> list[tuple[int, _Solution, NDArray[np.intp]]]:
    """For each solved unit, the (at most ``m + s``) most negative-reduced-cost units outside its working set.

    Reduced costs are computed for a chunk of solved units at a time, so memory stays at about
    16 MB whatever ``n`` is (a full n × n matrix would need 1.8 GB for 15,000 units).
    """
    add = p.m + p.s
    chunk = max(1, 2_000_000 // p.n)
    out = []
    for first in range(0, len(solved), chunk):
        part = solved[first : first + chunk]
        duals = np.array([sol.duals for _, sol in part])  # (k, m + s)
        convexity = np.array([sol.convexity_dual for _, sol in part])
        reduced = -(p.x @ duals[:, : p.m].T + out_sign * (p.y @ duals[:, p.m :].T) + convexity)  # (n, k)
        for j, (i, solution) in enumerate(part):
            candidate = reduced[:, j]
            candidate[columns[i]] = 0.0  # columns in the LP are already optimal within HiGHS's tolerance
            violating = np.flatnonzero(candidate < -_REDUCED_COST_TOLERANCE)
            if violating.size > add:
                violating = violating[np.argpartition(candidate[violating], add)[:add]]
            out.append((i, solution, violating))
    return out


def _take(extra: object, chosen: NDArray[np.intp]) -> object:
    """The rows of per-unit extra LP data (a tuple of arrays) that belong to the ``chosen`` units."""
    return tuple(part[chosen] for part in extra) if isinstance(extra, tuple) else extra


# --------------------------------------------------------------------------- working sets


def _initial_columns(p: _Problem) -> list[NDArray[np.intp]]:
    """Each unit's first working set: itself plus the best units under the directions that flatter it most.

    A multiplier direction (v, u) ≥ 0 scores every unit (CCR: the ratio u·y / v·x; BCC: the
    affine u·y − v·x); the best unit under any direction lies on the frontier. The directions
    under which unit o looks best relative to that best unit point at the part of the frontier o
    is projected on, so their best units are likely to be o's peers. The directions are drawn
    with a fixed seed, so results are reproducible. Correctness does not depend on this choice:
    pricing adds whatever is missing. Units are scored in chunks (about 16 MB at a time).
    """
    rng = np.random.default_rng(20260501)
    k = max(_DIRECTIONS, 4 * (p.m + p.s) ** 2)
    v = rng.exponential(size=(k, p.m)) ** 2  # squaring spreads directions toward the corners
    u = rng.exponential(size=(k, p.s)) ** 2
    # Pure single-input/single-output directions pin down the frontier's extreme corners.
    corners = np.array([(i, r) for i in range(p.m) for r in range(p.s)])
    v = np.vstack([v, np.eye(p.m)[corners[:, 0]] + 1e-6])
    u = np.vstack([u, np.eye(p.s)[corners[:, 1]] + 1e-6])
    if p.vrs:
        # Affine score: rescale u so that outputs and inputs weigh alike on the average unit
        # (the data are mean-scaled, so the average unit is all ones), with some random spread.
        u *= (v.sum(axis=1) / u.sum(axis=1) * np.exp(rng.normal(0.0, 0.5, len(u))))[:, None]
    size = max(1, 2_000_000 // len(v))
    chunks = [slice(first, first + size) for first in range(0, p.n, size)]

    def scores(rows: slice) -> tuple[NDArray, NDArray, NDArray]:
        used, made = p.x[rows] @ v.T, p.y[rows] @ u.T  # (rows, directions)
        return used, made, (made - used if p.vrs else made / used)

    best_score = np.full(len(v), -np.inf)
    best = np.zeros(len(v), dtype=np.intp)  # best unit of each direction
    for rows in chunks:
        score = scores(rows)[2]
        top_row = np.argmax(score, axis=0)
        top_score = score[top_row, np.arange(len(v))]
        better = top_score > best_score
        best_score[better] = top_score[better]
        best[better] = top_row[better] + rows.start
    top = min(_SEED_DIRECTIONS, len(v))
    seeds = []
    for rows in chunks:
        used, made, score = scores(rows)
        if p.vrs:
            closeness = -(best_score - score) / (used if p.input_oriented else made)
        else:
            closeness = score / best_score
        flattering = np.argpartition(-closeness, top - 1, axis=1)[:, :top]
        seeds.extend(best[flattering])
    return [np.unique(np.r_[o, row]) for o, row in enumerate(seeds)]


# --------------------------------------------------------------------------- drivers


def _scaled_problem(data: _Data) -> tuple[_Problem, NDArray[np.float64], NDArray[np.float64]]:
    x_scale = data.x.mean(axis=0)
    y_scale = data.y.mean(axis=0)
    return _Problem(data.x / x_scale, data.y / y_scale, data.vrs, data.input_oriented), x_scale, y_scale


def _radial(p: _Problem) -> list[_Solution]:
    """Certified phase-1 solutions of every unit (see :func:`_column_generation`)."""
    units = np.arange(p.n)
    solutions = _column_generation(p, _solve_phase1, -1.0, units, _initial_columns(p))
    for unit in np.flatnonzero([sol is None for sol in solutions]):
        # Every restricted LP is feasible (λ_o = 1, θ = φ = 1) and bounded, so only a numerical
        # failure of HiGHS lands here: retry alone over all units.
        retry = _solve_phase1(p, np.array([unit]), [units], None)
        if retry is None:
            raise RuntimeError(f"HiGHS failed to solve the radial DEA LP of unit #{unit}")
        solutions[unit] = retry[0]
    return solutions  # type: ignore[return-value]


def dea(
    inputs: ArrayLike,
    outputs: ArrayLike,
    model: Model = "ccr",
    orientation: Orientation = "input",
    *,
    slack_objective: SlackObjective = "relative",
) -> pd.DataFrame:
    """Radial DEA efficiency (CCR or BCC, input or output oriented) with slacks, targets and peers.

    Parameters
    ----------
    inputs : array-like or DataFrame, shape (n, m)
        Inputs of each unit (rows) per variable (columns), in any units, all > 0. A DataFrame's
        index labels the units and its columns name the variables; a 1-D array is one variable.
    outputs : array-like or DataFrame, shape (n, s)
        Outputs, same conventions; same number of rows (and the same index, if both are pandas).
    model : {"ccr", "bcc"}
        Constant (CCR) or variable (BCC) returns to scale.
    orientation : {"input", "output"}
        Radial contraction of inputs (θ) or expansion of outputs (φ).
    slack_objective : {"relative", "sum"}, keyword-only
        Phase-2 objective: slacks relative to the unit's own values (unit-free, default) or the
        textbook unweighted sum in the data's units.

    Returns
    -------
    DataFrame
        One row per unit in input order, indexed by the unit labels, with columns

        * ``efficiency``: θ* (input) or 1/φ* (output), in (0, 1], 1.0 on the frontier;
        * ``theta`` (input orientation) or ``phi`` (output orientation, ≥ 1): the radial factor;
        * ``efficient``: efficiency ≈ 1 and all slacks 0 (Pareto–Koopmans efficient);
        * ``peers``: labels of the units with λ > 1e-9; ``lambdas``: dict label → λ of those;
        * ``slack_in_<input>`` / ``slack_out_<output>``: maximal slacks, in the data's units;
        * ``target_in_<input>`` / ``target_out_<output>``: the projection on the frontier.

        ``attrs`` records ``model``, ``orientation`` and ``slack_objective``.

    Raises
    ------
    ValueError
        Unknown model/orientation/slack_objective, mismatched rows or indexes, duplicate
        labels, or data that are NaN, infinite or not strictly positive (naming unit and variable).

    Warns
    -----
    DEASampleSizeWarning
        When :func:`too_few_units` says the sample is too small (scores are still computed).

    Examples
    --------
    One input, one output, constant returns: the best ratio y/x is 2 (unit "b"); "a" could make
    its output with half its staff. (Three units is a toy: it warns with DEASampleSizeWarning.)

    >>> r = dea(pd.DataFrame({"staff": [2.0, 1.0, 4.0]}, index=list("abc")),
    ...         pd.DataFrame({"deposits": [2.0, 2.0, 4.0]}, index=list("abc")))
    >>> r["efficiency"].tolist(), r.loc["a", "peers"], float(r.loc["a", "target_in_staff"])
    ([0.5, 1.0, 0.5], ['b'], 1.0)
    """
    slack_objective = _choice(slack_objective, SLACK_OBJECTIVES, "slack_objective")
    data = _prepare(inputs, outputs, model, orientation, stacklevel=3)
    p, x_scale, y_scale = _scaled_problem(data)
    m, s = p.m, p.s
    phase1 = _radial(p)
    radial = _snap_radial(np.array([sol.value[0] for sol in phase1]), data.input_oriented)
    efficiency = radial if data.input_oriented else 1.0 / radial

    # Phase 2 only where some phase-1 multiplier is zero (otherwise every slack is provably 0).
    own = np.hstack([p.x, p.y])  # (n, m + s)
    shares = -np.array([sol.duals for sol in phase1]) * own  # v_i·x_io and u_r·y_ro, mean-scaled
    needs_phase2 = np.flatnonzero((shares <= _DUAL_TOLERANCE).any(axis=1))
    slacks = np.zeros((p.n, m + s))
    final: list[_Solution] = list(phase1)
    if needs_phase2.size:
        if slack_objective == "relative":
            weights = 1.0 / own[needs_phase2]
        else:
            scale = np.r_[x_scale, y_scale]
            weights = np.broadcast_to(scale / scale.max(), (needs_phase2.size, m + s))
        weights = np.ascontiguousarray(weights)
        fixed = radial[needs_phase2]
        phase2 = _column_generation(
            p, _solve_phase2, 1.0, needs_phase2, [phase1[i].columns for i in needs_phase2], (fixed, weights)
        )
        for position, (unit, solution) in enumerate(zip(needs_phase2, phase2)):
            if solution is None:
                solution = _phase2_fallback(p, int(unit), phase1[unit], fixed[position], weights[position])
            final[unit] = solution
            slacks[unit] = solution.value

    # Back to the data's units; drop rounding-level slacks so `efficient` matches the columns.
    slacks = np.maximum(slacks, 0.0) * np.r_[x_scale, y_scale]
    slacks[slacks < SLACK_TOLERANCE * np.hstack([data.x, data.y])] = 0.0
    slack_in, slack_out = slacks[:, :m], slacks[:, m:]
    if data.input_oriented:
        target_in = radial[:, None] * data.x - slack_in
        target_out = data.y + slack_out
    else:
        target_in = data.x - slack_in
        target_out = radial[:, None] * data.y + slack_out
    efficient = (efficiency >= 1.0 - EFFICIENCY_TOLERANCE) & ~(slacks > 0).any(axis=1)

    labels = data.labels
    peers: list[list] = []
    lambdas: list[dict] = []
    for solution in final:
        keep = solution.lambdas > PEER_TOLERANCE
        order = np.argsort(solution.columns[keep], kind="stable")
        chosen = solution.columns[keep][order]
        weights_kept = solution.lambdas[keep][order]
        peers.append([labels[j] for j in chosen])
        lambdas.append({labels[j]: float(w) for j, w in zip(chosen, weights_kept)})

    columns: dict[str, object] = {"efficiency": efficiency}
    columns["theta" if data.input_oriented else "phi"] = radial
    columns["efficient"] = efficient
    columns["peers"] = peers
    columns["lambdas"] = lambdas
    for i, name in enumerate(data.input_names):
        columns[f"slack_in_{name}"] = slack_in[:, i]
    for r, name in enumerate(data.output_names):
        columns[f"slack_out_{name}"] = slack_out[:, r]
    for i, name in enumerate(data.input_names):
        columns[f"target_in_{name}"] = target_in[:, i]
    for r, name in enumerate(data.output_names):
        columns[f"target_out_{name}"] = target_out[:, r]
    result = pd.DataFrame(columns, index=labels)
    result.attrs.update(
        model="bcc" if data.vrs else "ccr",
        orientation="input" if data.input_oriented else "output",
        slack_objective=slack_objective,
    )
    return result


def _snap_radial(radial: NDArray[np.float64], input_oriented: bool) -> NDArray[np.float64]:
    """θ ≤ 1 and φ ≥ 1 (λ_o = 1 is always feasible), with rounding-level distances from 1 set to exactly 1."""
    if input_oriented:
        radial = np.minimum(radial, 1.0)
        return np.where(radial >= 1.0 - 1e-9, 1.0, radial)
    radial = np.maximum(radial, 1.0)
    return np.where(radial <= 1.0 + 1e-9, 1.0, radial)


def _phase2_fallback(
    p: _Problem, unit: int, phase1: _Solution, radial: float, weights: NDArray[np.float64]
) -> _Solution:
    """Phase 2 for one unit when the stacked LP failed: all units as columns, then a nudged radial factor.

    Rounding can leave θ* a hair below the true optimum, making ``Xλ + s⁻ = θ* x_o`` infeasible;
    nudging θ* up (φ* down) by 1e-9 restores feasibility without visible change. If even that
    fails, the phase-1 solution's own residuals are used as slacks (not maximal) with a warning.
    """
    all_units = np.arange(p.n)
    nudge = 1.0 + 1e-9 if p.input_oriented else 1.0 - 1e-9
    for factor in (radial, radial * nudge):
        solutions = _solve_phase2(p, np.array([unit]), [all_units], (np.array([factor]), weights[None, :]))
        if solutions is not None:
            return solutions[0]
    warnings.warn(
        f"max-slack LP failed for unit #{unit}; its slacks are the phase-1 residuals (may not be maximal)",
        RuntimeWarning,
        stacklevel=3,
    )
    used = p.x[phase1.columns].T @ phase1.lambdas
    made = p.y[phase1.columns].T @ phase1.lambdas
    if p.input_oriented:
        residual = np.r_[radial * p.x[unit] - used, made - p.y[unit]]
    else:
        residual = np.r_[p.x[unit] - used, made - radial * p.y[unit]]
    return _Solution(phase1.columns, phase1.lambdas, np.maximum(residual, 0.0), phase1.duals, 0.0)


def super_efficiency(
    inputs: ArrayLike, outputs: ArrayLike, model: Model = "ccr", orientation: Orientation = "input"
) -> pd.Series:
    """Andersen–Petersen super-efficiency: each unit scored against all *other* units.

    Efficient units can score above 1 (how far they could worsen and stay on the frontier),
    which ranks the units that plain DEA ties at 1. Inefficient units keep their ordinary score:
    an inefficient unit is not a vertex of the frontier, so removing it does not move the frontier.
    Output orientation is reported as 1/φ like :func:`dea`, so larger is better in both.

    Parameters
    ----------
    inputs, outputs, model, orientation
        As for :func:`dea`.

    Returns
    -------
    Series
        Super-efficiency per unit (index: unit labels, name ``"super_efficiency"``). NaN where
        the LP without the unit is infeasible, which only happens under BCC: input orientation
        when no convex combination of the other units produces at least the unit's outputs (it
        has the largest value of some output, so no input contraction can reach it); output
        orientation when no convex combination uses at most its inputs. ``attrs["infeasible"]``
        maps those labels to the reason. CCR is always feasible with two or more units; a lone
        unit has no one to be compared with and gets NaN too.

    Examples
    --------
    >>> super_efficiency([1.0, 2.0, 4.0], [1.0, 3.0, 4.0]).round(3).tolist()
    [0.667, 1.5, 0.667]
    """
    data = _prepare(inputs, outputs, model, orientation, stacklevel=3)
    p, _, _ = _scaled_problem(data)
    radial = np.array([sol.value[0] for sol in _radial(p)])
    efficiency = radial if p.input_oriented else 1.0 / np.maximum(radial, 1e-300)
    scores = np.minimum(efficiency, 1.0)
    infeasible: dict[object, str] = {}
    for unit in np.flatnonzero(efficiency >= 1.0 - EFFICIENCY_TOLERANCE):
        others = np.delete(np.arange(p.n), unit)
        value = _excluded_radial(p, int(unit), others)
        if value is None:
            scores[unit] = np.nan
            if others.size == 0:
                reason = "no other units to compare with"
            elif p.input_oriented:
                reason = "infeasible: no convex combination of the other units produces at least this unit's outputs"
            else:
                reason = "infeasible: no convex combination of the other units uses at most this unit's inputs"
            infeasible[data.labels[unit]] = reason
        else:
            scores[unit] = value if p.input_oriented else 1.0 / value
    series = pd.Series(scores, index=data.labels, name="super_efficiency")
    series.attrs.update(
        infeasible=infeasible,
        model="bcc" if data.vrs else "ccr",
        orientation="input" if data.input_oriented else "output",
    )
    return series


def _excluded_radial(p: _Problem, unit: int, others: NDArray[np.intp]) -> float | None:
    """θ (or φ) of ``unit`` against ``others`` only, or None when that LP is infeasible.

    The LP cannot be unbounded (all data > 0 bound λ), so any other outcome is a solver failure
    and raises RuntimeError rather than being reported as infeasible.
    """
    if others.size == 0:
        return None
    m, s = p.m, p.s
    block = np.vstack([p.x[others].T, -p.y[others].T])  # (m + s, k)
    if p.input_oriented:
        radial = np.r_[-p.x[unit], np.zeros(s)]
        rhs = np.r_[np.zeros(m), -p.y[unit]]
    else:
        radial = np.r_[np.zeros(m), p.y[unit]]
        rhs = np.r_[p.x[unit], np.zeros(s)]
    cost = np.r_[1.0 if p.input_oriented else -1.0, np.zeros(others.size)]
    a_eq = np.r_[0.0, np.ones(others.size)][None, :] if p.vrs else None
    result = linprog(
        cost,
        A_ub=np.column_stack([radial, block]),
        b_ub=rhs,
        A_eq=a_eq,
        b_eq=[1.0] if p.vrs else None,
        bounds=(0, None),
        method="highs",
    )
    if result.status == 2:  # infeasible
        return None
    if result.status != 0:
        raise RuntimeError(f"HiGHS failed on the super-efficiency LP of unit #{unit}: {result.message}")
    return float(result.x[0])


def improvement_targets(result: pd.DataFrame, inputs: pd.DataFrame, outputs: pd.DataFrame) -> pd.DataFrame:
    """What each unit must change to reach the frontier, split into radial and slack parts.

    Parameters
    ----------
    result : the frame returned by :func:`dea` for ``inputs`` and ``outputs``.
    inputs, outputs : the DataFrames passed to :func:`dea` (same index, named columns).

    Returns
    -------
    DataFrame
        One row per unit and variable whose target differs from the actual value: ``unit``,
        ``variable``, ``kind`` ("input" or "output"), ``actual``, ``target``, ``change`` (target −
        actual, in the variable's units), ``relative`` (change ÷ actual), ``radial`` (the part of
        the change from θ or φ) and ``slack`` (the rest: the slack, with the sign of the change).
        Efficient units have no rows.
    """
    input_oriented = result.attrs.get("orientation", "input") == "input"
    radial_factor = result["theta"] if input_oriented else result["phi"]
    rows = []
    for unit in result.index:
        for kind, frame in (("input", inputs), ("output", outputs)):
            for variable in frame.columns:
                actual = float(frame.loc[unit, variable])
                prefix = "in" if kind == "input" else "out"
                target = float(result.loc[unit, f"target_{prefix}_{variable}"])
                slack = float(result.loc[unit, f"slack_{prefix}_{variable}"])
                radial_moves = (kind == "input") == input_oriented
                radial = (float(radial_factor[unit]) - 1.0) * actual if radial_moves else 0.0
                change = target - actual
                if abs(change) <= 1e-9 * max(abs(actual), 1.0):
                    continue
                rows.append(
                    (
                        unit,
                        variable,
                        kind,
                        actual,
                        target,
                        change,
                        change / actual,
                        radial,
                        (-slack if kind == "input" else slack) + 0.0,
                    )
                )
    return pd.DataFrame(
        rows, columns=["unit", "variable", "kind", "actual", "target", "change", "relative", "radial", "slack"]
    )

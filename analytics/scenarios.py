"""What-if scenarios on the outlet network: open, relocate, merge and close, evaluated before and
after with the Huff model (pure numpy/pandas).

The network is a frame of outlets (ours and competitors') with ``key`` (unique), ``lon``, ``lat``
(degrees), ``attractiveness`` (> 0), ``own`` (bool), ``annual_cost_rmb`` (rent + running cost per
year) and ``one_off_cost_rmb`` (build or move cost, only counted for actions). Actions:

* ``open``: a new own outlet at (lon, lat) with a given attractiveness, annual and build cost;
* ``relocate``: an own outlet moves to (lon, lat), paying a one-off move cost;
* ``merge``: outlet A closes and its counters and staff move into B: B's attractiveness becomes
  ``√(A_A² + A_B²)`` (floor areas add under the √-area rule), A's annual cost is saved;
* ``close``: the outlet closes and its annual cost is saved.

Each state is evaluated on demand cells ``D_i`` (any additive unit, e.g. income-weighted residents):
our market share ``Σ D_i · own_share_i / Σ D_i``, captured demand per outlet, coverage (residents
within ``coverage_km`` of an open own outlet), expected deposits and customers (captured demand ×
RMB and customers per unit of demand, calibrated on the network before), and annual cost.

Where a closed outlet's customers go (:func:`closure_flows`): the demand it held before,
``D_i P_ic``, chooses again among the outlets open after the scenario with the after-scenario Huff
probabilities (Huff's independence of irrelevant alternatives: with nothing else changed these are
the before-probabilities renormalised without ``c``). A share ``digital_retention`` of those who
would go to a competitor keep banking with us through digital channels instead. The flows add up
to the demand the outlet held (conservation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from analytics.huff import DEFAULT_MIN_DISTANCE_KM, distance_matrix_km, huff_probabilities

__all__ = [
    "ACTION_KINDS",
    "Action",
    "NetworkEvaluation",
    "ScenarioError",
    "apply_actions",
    "closure_flows",
    "evaluate_network",
    "run_scenario",
    "ScenarioOutcome",
    "SUMMARY_METRICS",
]

ACTION_KINDS = ("open", "relocate", "merge", "close")
NETWORK_COLUMNS = ["key", "name", "lon", "lat", "attractiveness", "own", "annual_cost_rmb", "one_off_cost_rmb"]


class ScenarioError(ValueError):
    """An action that cannot be applied; ``code`` names the problem for a translated message."""

    def __init__(self, code: str, message: str, **values):
        super().__init__(message)
        self.code = code
        self.values = values


@dataclass(frozen=True)
class Action:
    """One step of a scenario. ``outlet`` and ``target`` are network keys (``target``: the outlet
    a merged one moves into); ``lon``/``lat`` for open and relocate; ``attractiveness``,
    ``annual_cost_rmb`` and ``one_off_cost_rmb`` for open (one-off also for relocate)."""

    kind: str
    outlet: str | None = None
    target: str | None = None
    lon: float | None = None
    lat: float | None = None
    name: str | None = None
    attractiveness: float | None = None
    annual_cost_rmb: float = 0.0
    one_off_cost_rmb: float = 0.0

    def to_dict(self) -> dict:
        """Plain dict (for saving a scenario as JSON)."""
        return {k: v for k, v in self.__dict__.items() if v is not None}

    @classmethod
    def from_dict(cls, values: dict) -> Action:
        """Inverse of :meth:`to_dict`."""
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})


def _require_own(network: pd.DataFrame, key: str | None, kind: str) -> int:
    matches = np.flatnonzero((network["key"] == key).to_numpy())
    if key is None or matches.shape[0] == 0:
        raise ScenarioError("unknown_outlet", f"{kind}: outlet {key!r} is not in the network", outlet=str(key))
    row = int(matches[0])
    if not bool(network["own"].iloc[row]):
        raise ScenarioError("not_own", f"{kind}: outlet {key!r} is a competitor's", outlet=str(key))
    return row


def _check_point(action: Action) -> tuple[float, float]:
    lon, lat = action.lon, action.lat
    if lon is None or lat is None or not (math.isfinite(lon) and math.isfinite(lat)) or abs(lat) > 90:
        raise ScenarioError("bad_point", f"{action.kind}: longitude/latitude missing or invalid")
    return float(lon), float(lat)


def apply_actions(network: pd.DataFrame, actions: list[Action]) -> tuple[pd.DataFrame, float, list[str]]:
    """The network after the actions, the total one-off cost (RMB), and the keys of closed outlets
    (closed or merged away). Actions apply in order; an outlet already closed cannot act again."""
    after = network[NETWORK_COLUMNS].copy().reset_index(drop=True)
    one_off = 0.0
    closed: list[str] = []
    for number, action in enumerate(actions, start=1):
        if action.kind not in ACTION_KINDS:
            raise ScenarioError("bad_kind", f"unknown action {action.kind!r}")
        if action.kind == "open":
            lon, lat = _check_point(action)
            weight = action.attractiveness
            if weight is None or not math.isfinite(weight) or weight <= 0:
                raise ScenarioError("bad_attractiveness", "open: attractiveness must be > 0")
            row = {
                "key": f"new-{number}",
                "name": action.name or f"new-{number}",
                "lon": lon,
                "lat": lat,
                "attractiveness": float(weight),
                "own": True,
                "annual_cost_rmb": float(action.annual_cost_rmb),
                "one_off_cost_rmb": float(action.one_off_cost_rmb),
            }
            after = pd.concat([after, pd.DataFrame([row])], ignore_index=True)
            one_off += float(action.one_off_cost_rmb)
            continue
        row = _require_own(after, action.outlet, action.kind)
        if action.kind == "relocate":
            lon, lat = _check_point(action)
            after.loc[row, ["lon", "lat"]] = [lon, lat]
            one_off += float(action.one_off_cost_rmb)
        elif action.kind == "close":
            closed.append(str(action.outlet))
            after = after.drop(index=row).reset_index(drop=True)
        else:  # merge
            if action.target == action.outlet:
                raise ScenarioError("merge_self", "merge: an outlet cannot merge into itself")
            target = _require_own(after, action.target, action.kind)
            merged = math.hypot(after.loc[row, "attractiveness"], after.loc[target, "attractiveness"])
            after.loc[target, "attractiveness"] = merged
            closed.append(str(action.outlet))
            after = after.drop(index=row).reset_index(drop=True)
    return after, one_off, closed


@dataclass(frozen=True)
class NetworkEvaluation:
    """Huff evaluation of one network state.

    Attributes
    ----------
    probabilities : (n_cells, n_outlets) Huff probabilities, columns in ``outlets`` order.
    outlets : the network frame with ``captured`` (demand units) per outlet.
    own_share : (n_cells,) our share of each cell.
    market_share : our share of all demand (0–1).
    own_demand : demand captured by our outlets (demand units).
    coverage_population : residents within the coverage radius of an open own outlet.
    coverage_share : that as a share of all residents.
    annual_cost_rmb : annual cost of our open outlets.
    """

    probabilities: NDArray[np.float64]
    distances_km: NDArray[np.float64]
    outlets: pd.DataFrame
    own_share: NDArray[np.float64]
    market_share: float
    own_demand: float
    coverage_population: float
    coverage_share: float
    annual_cost_rmb: float


def evaluate_network(
    network: pd.DataFrame,
    cell_lonlat: ArrayLike,
    demand: ArrayLike,
    population: ArrayLike,
    *,
    distance_decay: float = 2.0,
    attractiveness_exponent: float = 1.0,
    coverage_km: float = 2.0,
    min_distance_km: float = DEFAULT_MIN_DISTANCE_KM,
) -> NetworkEvaluation:
    """Huff shares, captured demand, coverage and cost of a network state (see module docstring)."""
    cells = np.asarray(cell_lonlat, dtype=float)
    cell_demand = np.asarray(demand, dtype=float)
    residents = np.asarray(population, dtype=float)
    if network.empty:
        raise ScenarioError("empty_network", "the network has no outlets")
    distances = distance_matrix_km(cells, network[["lon", "lat"]].to_numpy(dtype=float), min_distance_km)
    probabilities = huff_probabilities(
        distances, network["attractiveness"].to_numpy(dtype=float), distance_decay, attractiveness_exponent
    )
    own = network["own"].to_numpy(dtype=bool)
    own_share = probabilities[:, own].sum(axis=1)
    total = float(cell_demand.sum())
    own_demand = float(cell_demand @ own_share)
    covered = (distances[:, own] <= coverage_km).any(axis=1) if own.any() else np.zeros(cells.shape[0], dtype=bool)
    coverage = float(residents[covered].sum())
    outlets = network.reset_index(drop=True).assign(captured=cell_demand @ probabilities)
    return NetworkEvaluation(
        probabilities=probabilities,
        distances_km=distances,
        outlets=outlets,
        own_share=own_share,
        market_share=own_demand / total if total > 0 else 0.0,
        own_demand=own_demand,
        coverage_population=coverage,
        coverage_share=coverage / float(residents.sum()) if residents.sum() > 0 else 0.0,
        annual_cost_rmb=float(network.loc[network["own"], "annual_cost_rmb"].sum()),
    )


def closure_flows(
    before: NetworkEvaluation,
    after: NetworkEvaluation,
    closed_key: str,
    demand: ArrayLike,
    digital_retention: float = 0.0,
) -> tuple[pd.DataFrame, dict[str, float]]:
    """Where the demand of a closed outlet goes, and how far its customers travel.

    Returns (flows, summary). ``flows`` has one row per destination: ``key`` (an outlet open after,
    or ``"digital"``), ``own``, ``demand`` (units) and ``distance_km`` (demand-weighted mean
    distance to it). ``summary``: ``held`` (demand the outlet held before), ``to_own``,
    ``to_competitors``, ``to_digital`` (they add up to ``held``), ``distance_before_km`` (mean
    distance to the closed outlet) and ``distance_after_km`` (mean distance of those who go to a
    branch, own or competitor).
    """
    if not 0 <= digital_retention <= 1:
        raise ScenarioError("bad_retention", "digital retention must be between 0 and 1")
    keys = before.outlets["key"].tolist()
    if closed_key not in keys:
        raise ScenarioError("unknown_outlet", f"outlet {closed_key!r} is not in the network", outlet=closed_key)
    column = keys.index(closed_key)
    cell_demand = np.asarray(demand, dtype=float)
    held_by_cell = cell_demand * before.probabilities[:, column]
    held = float(held_by_cell.sum())
    moving = held_by_cell[:, None] * after.probabilities  # (cells, outlets after)
    own = after.outlets["own"].to_numpy(dtype=bool)
    to_outlet = moving.sum(axis=0)
    to_outlet[~own] *= 1.0 - digital_retention
    to_digital = float(moving[:, ~own].sum()) * digital_retention
    with np.errstate(invalid="ignore", divide="ignore"):
        distance = (moving * after.distances_km).sum(axis=0) / moving.sum(axis=0)
    flows = pd.DataFrame(
        {
            "key": after.outlets["key"].to_numpy(),
            "name": after.outlets["name"].to_numpy(),
            "own": own,
            "demand": to_outlet,
            "distance_km": distance,
        }
    )
    flows = pd.concat(
        [
            flows,
            pd.DataFrame(
                [{"key": "digital", "name": "digital", "own": True, "demand": to_digital, "distance_km": 0.0}]
            ),
        ],
        ignore_index=True,
    )
    branch_total = float(moving.sum())
    summary = {
        "held": held,
        "to_own": float(to_outlet[own].sum()),
        "to_competitors": float(to_outlet[~own].sum()),
        "to_digital": to_digital,
        "distance_before_km": float(held_by_cell @ before.distances_km[:, column]) / held if held > 0 else 0.0,
        "distance_after_km": float((moving * after.distances_km).sum()) / branch_total if branch_total > 0 else 0.0,
    }
    return flows.sort_values("demand", ascending=False, ignore_index=True), summary


#: Figures of a scenario's before/after table, in display order.
SUMMARY_METRICS = (
    "market_share",
    "own_demand",
    "deposits_rmb",
    "customers",
    "coverage_population",
    "coverage_share",
    "own_outlets",
    "annual_cost_rmb",
    "one_off_cost_rmb",
)


@dataclass(frozen=True)
class ScenarioOutcome:
    """Before/after of a scenario.

    ``summary``: one row per :data:`SUMMARY_METRICS` entry with ``before``, ``after``, ``change``.
    ``flows``: for each closed (or merged) outlet, where its demand goes (``closed``, ``key``,
    ``name``, ``own``, ``demand``, ``customers``, ``share`` of what it held, ``distance_km``).
    ``travel``: per closed outlet ``closed``, ``held``, ``to_own``, ``to_competitors``,
    ``to_digital``, ``distance_before_km``, ``distance_after_km``.
    """

    summary: pd.DataFrame
    flows: pd.DataFrame
    travel: pd.DataFrame
    before: NetworkEvaluation
    after: NetworkEvaluation

    def results(self) -> dict:
        """JSON-ready figures for saving: {metric: {before, after, change}}."""
        return {
            str(metric): {k: float(v) for k, v in row.items()}
            for metric, row in self.summary.set_index("metric")[["before", "after", "change"]].iterrows()
        }


def run_scenario(
    network: pd.DataFrame,
    actions: list[Action],
    cell_lonlat: ArrayLike,
    demand: ArrayLike,
    population: ArrayLike,
    *,
    distance_decay: float = 2.0,
    attractiveness_exponent: float = 1.0,
    coverage_km: float = 2.0,
    min_distance_km: float = DEFAULT_MIN_DISTANCE_KM,
    digital_retention: float = 0.0,
    deposits_per_unit: float = 0.0,
    customers_per_unit: float = 0.0,
) -> ScenarioOutcome:
    """Apply the actions and evaluate the network before and after (module docstring).

    Deposits and customers are the captured demand times the network's deposits and customers
    per demand unit; after closures the demand kept through digital channels counts as ours.
    """
    settings = {
        "distance_decay": distance_decay,
        "attractiveness_exponent": attractiveness_exponent,
        "coverage_km": coverage_km,
        "min_distance_km": min_distance_km,
    }
    before = evaluate_network(network, cell_lonlat, demand, population, **settings)
    after_network, one_off, closed = apply_actions(network, actions)
    after = evaluate_network(after_network, cell_lonlat, demand, population, **settings)
    flow_frames, travel_rows = [], []
    for key in closed:
        if key not in before.outlets["key"].tolist():
            continue  # opened and closed within the scenario: held nothing before
        flows, summary = closure_flows(before, after, key, demand, digital_retention)
        held = summary["held"]
        flows = flows.assign(
            closed=key,
            customers=flows["demand"] * customers_per_unit,
            share=flows["demand"] / held if held > 0 else 0.0,
        )
        flow_frames.append(flows[flows["demand"] > 0])
        travel_rows.append({"closed": key, **summary})
    digital = sum(row["to_digital"] for row in travel_rows)
    own_after = after.own_demand + digital
    figures = {
        "market_share": (before.market_share, own_after / max(float(np.sum(demand)), 1e-300)),
        "own_demand": (before.own_demand, own_after),
        "deposits_rmb": (before.own_demand * deposits_per_unit, own_after * deposits_per_unit),
        "customers": (before.own_demand * customers_per_unit, own_after * customers_per_unit),
        "coverage_population": (before.coverage_population, after.coverage_population),
        "coverage_share": (before.coverage_share, after.coverage_share),
        "own_outlets": (float(network["own"].sum()), float(after_network["own"].sum())),
        "annual_cost_rmb": (before.annual_cost_rmb, after.annual_cost_rmb),
        "one_off_cost_rmb": (0.0, one_off),
    }
    summary = pd.DataFrame([{"metric": m, "before": b, "after": a, "change": a - b} for m, (b, a) in figures.items()])
    flow_columns = ["closed", "key", "name", "own", "demand", "customers", "share", "distance_km"]
    flows = (
        pd.concat(flow_frames, ignore_index=True)[flow_columns] if flow_frames else pd.DataFrame(columns=flow_columns)
    )
    travel = pd.DataFrame(
        travel_rows,
        columns=["closed", "held", "to_own", "to_competitors", "to_digital", "distance_before_km", "distance_after_km"],
    )
    return ScenarioOutcome(summary, flows, travel, before, after)

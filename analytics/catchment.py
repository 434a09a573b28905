"""The Huff market of the map and site-selection pages: attractiveness from outlet attributes,
the market of a set of cities (cells, our outlets and competitors', choice probabilities), demand
per cell, competition by district, travel-time bands, the inputs of a calibration on our
customers' home cells and of network optimisation. All pure numpy/pandas; the model itself
(probabilities, candidate evaluation, calibration) is :mod:`analytics.huff`.

Units: coordinates are WGS84 ``(longitude, latitude)`` degrees, distances great-circle km,
demand in the unit of the chosen measure (income-weighted residents, residents, businesses).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import sparse

from analytics.huff import DEFAULT_MIN_DISTANCE_KM, distance_matrix_km, huff_probabilities, nearest_cell

__all__ = [
    "COMPETITOR_M2_PER_COUNTER",
    "DEFAULT_TYPE_APPEAL",
    "DEMAND_MEASURES",
    "OUTSIDE_CHOICE_SET_KM",
    "CalibrationData",
    "DesignInputs",
    "Market",
    "area_share",
    "attractiveness_of_competitors",
    "attractiveness_of_outlets",
    "build_market",
    "calibration_data",
    "candidate_cells",
    "cell_demand",
    "choice_set_distances",
    "customers_per_cell",
    "district_competition",
    "market_probabilities",
    "network_design_inputs",
    "travel_minutes",
]


#: Format multiplier of attractiveness beyond floor area, by outlet type (a business department
#: draws more than its size alone; a self-service branch less). Defaults; the pages show them.
DEFAULT_TYPE_APPEAL: dict[str, float] = {
    "business_dept": 1.3,
    "wealth_centre": 1.2,
    "sub_office": 1.0,
    "savings_office": 0.9,
    "community": 0.9,
    "self_service": 0.6,
}


#: Floor area assumed per counter of a competitor outlet, m² (competitor files give counters only).
COMPETITOR_M2_PER_COUNTER = 120.0


def attractiveness_of_outlets(
    floor_area_m2: ArrayLike, outlet_type: ArrayLike, type_appeal: dict[str, float] | None = None
) -> NDArray[np.float64]:
    """Attractiveness ``A = √(floor area / 100 m²) × appeal(type)`` of our outlets.

    The square root gives size diminishing returns (a 1,500 m² business department is about three
    times as attractive as a 150 m² community outlet, not ten). A missing or non-positive floor
    area takes the median of the others of the same type (else of all, else 100 m²); an unknown
    type has appeal 1.
    """
    appeal = DEFAULT_TYPE_APPEAL if type_appeal is None else type_appeal
    area = pd.Series(np.asarray(floor_area_m2, dtype=float))
    types = pd.Series(np.asarray(outlet_type, dtype=object))
    area = area.where(area > 0)
    area = area.fillna(area.groupby(types).transform("median")).fillna(area.median()).fillna(100.0)
    multiplier = types.map(lambda v: appeal.get(v, 1.0)).to_numpy(dtype=float)
    return np.sqrt(area.to_numpy() / 100.0) * multiplier


def attractiveness_of_competitors(
    counters: ArrayLike, m2_per_counter: float = COMPETITOR_M2_PER_COUNTER
) -> NDArray[np.float64]:
    """Attractiveness of competitor outlets on the same scale: ``√(counters × m² per counter / 100)``.

    Missing or non-positive counters take the median of the others (else 3).
    """
    values = pd.Series(np.asarray(counters, dtype=float))
    values = values.where(values > 0)
    values = values.fillna(values.median()).fillna(3.0)
    return np.sqrt(values.to_numpy() * m2_per_counter / 100.0)


def travel_minutes(distance_km: ArrayLike, detour_factor: float = 1.3, speed_kmh: float = 25.0) -> NDArray[np.float64]:
    """Travel time in minutes from straight-line km: ``distance × detour factor / speed × 60``.

    The detour factor (road km per straight-line km, ≥ 1; about 1.2–1.4 in Chinese cities) and the
    average door-to-door speed in km/h are the user's assumptions.
    """
    if not math.isfinite(detour_factor) or detour_factor < 1:
        raise ValueError(f"detour_factor must be >= 1, got {detour_factor!r}")
    if not math.isfinite(speed_kmh) or speed_kmh <= 0:
        raise ValueError(f"speed_kmh must be > 0, got {speed_kmh!r}")
    return np.asarray(distance_km, dtype=float) * detour_factor / speed_kmh * 60.0


#: Distance given to outlets outside a cell's choice set (another city), km: their Huff weight
#: (≈ 1e-12 of a local outlet's at λ = 2) is nil, while the matrix stays finite as the model needs.
OUTSIDE_CHOICE_SET_KM = 1.0e6


def choice_set_distances(
    cell_lonlat: ArrayLike,
    cell_city: ArrayLike,
    outlet_lonlat: ArrayLike,
    outlet_city: ArrayLike,
    min_distance_km: float = DEFAULT_MIN_DISTANCE_KM,
) -> NDArray[np.float64]:
    """Distances (km) from cells to outlets where a cell's choice set is its own city's outlets.

    Customers bank in their own city; outlets of other cities get :data:`OUTSIDE_CHOICE_SET_KM`.
    """
    distance = distance_matrix_km(cell_lonlat, outlet_lonlat, min_distance_km)
    same_city = np.asarray(cell_city, dtype=object)[:, None] == np.asarray(outlet_city, dtype=object)[None, :]
    return np.where(same_city, distance, OUTSIDE_CHOICE_SET_KM)


def market_probabilities(
    cell_lonlat: ArrayLike,
    cell_city: ArrayLike,
    outlet_lonlat: ArrayLike,
    outlet_city: ArrayLike,
    attractiveness: ArrayLike,
    distance_decay: float = 2.0,
    attractiveness_exponent: float = 1.0,
    min_distance_km: float = DEFAULT_MIN_DISTANCE_KM,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(probabilities, distances km), both (n_cells, n_outlets): the Huff choice of every cell among
    the outlets of its own city (ours and competitors'); distances are straight-line km (other
    cities' outlets get :data:`OUTSIDE_CHOICE_SET_KM`). A cell whose city has no outlet gets
    probabilities from the distant outlets, which callers may ignore via ``distances``."""
    distances = choice_set_distances(cell_lonlat, cell_city, outlet_lonlat, outlet_city, min_distance_km)
    return huff_probabilities(distances, attractiveness, distance_decay, attractiveness_exponent), distances


def district_competition(
    cell_district: ArrayLike,
    demand: ArrayLike,
    probabilities: ArrayLike,
    outlet_group: ArrayLike,
    outlet_district: ArrayLike,
    own_group: str = "own",
) -> pd.DataFrame:
    """Competition by district: demand, outlets of each group and each group's estimated share.

    ``outlet_group`` labels each outlet (column of ``probabilities``): ``own_group`` for ours, a
    bank code for competitors. Returns one row per district (index) with ``demand`` (Σ D_i),
    ``own_outlets``, ``competitor_outlets``, ``own_share`` (Σ_i D_i Σ_{j ours} P_ij / Σ D_i),
    ``leader`` (the competitor group with the largest share) and ``leader_share``, plus one
    ``share_<group>`` column per group.
    """
    p = np.asarray(probabilities, dtype=float)
    d = np.asarray(demand, dtype=float)
    groups = pd.Series(np.asarray(outlet_group, dtype=object))
    labels = sorted(groups.unique(), key=lambda g: (g != own_group, str(g)))
    by_group = np.column_stack([p[:, (groups == g).to_numpy()].sum(axis=1) for g in labels])
    captured = pd.DataFrame(by_group * d[:, None], columns=labels)
    captured["district"] = np.asarray(cell_district)
    captured["demand"] = d
    totals = captured.groupby("district").sum()
    shares = totals[labels].div(totals["demand"].where(totals["demand"] > 0), axis=0).fillna(0.0)
    outlets = pd.DataFrame({"district": np.asarray(outlet_district), "group": groups})
    counts = pd.crosstab(outlets["district"], outlets["group"]).reindex(index=totals.index, fill_value=0)
    result = pd.DataFrame(index=totals.index)
    result["demand"] = totals["demand"]
    result["own_outlets"] = counts[own_group] if own_group in counts else 0
    result["competitor_outlets"] = counts.drop(columns=[own_group], errors="ignore").sum(axis=1)
    result["own_share"] = shares[own_group] if own_group in shares else 0.0
    rivals = [g for g in labels if g != own_group]
    if rivals:
        result["leader"] = shares[rivals].idxmax(axis=1)
        result["leader_share"] = shares[rivals].max(axis=1)
    else:
        result["leader"], result["leader_share"] = None, 0.0
    for group in labels:
        result[f"share_{group}"] = shares[group]
    return result


#: Demand measures a page may choose for D_i, from the demand grid's columns.
DEMAND_MEASURES = ("weighted_residents", "residents", "businesses")


def cell_demand(cells: pd.DataFrame, measure: str = "weighted_residents") -> NDArray[np.float64]:
    """Demand per cell: income-weighted residents (population × income index, the deposit
    potential), residents, or businesses."""
    if measure == "weighted_residents":
        values = cells["population"].to_numpy(dtype=float) * cells["income_index"].to_numpy(dtype=float)
    elif measure == "residents":
        values = cells["population"].to_numpy(dtype=float)
    elif measure == "businesses":
        values = cells["businesses"].to_numpy(dtype=float)
    else:
        raise ValueError(f"unknown demand measure {measure!r}; expected one of {DEMAND_MEASURES}")
    return np.clip(np.nan_to_num(values), 0.0, None)


@dataclass(frozen=True)
class Market:
    """The Huff market of a set of cities: cells, every outlet (ours first, then competitors'),
    choice probabilities and distances.

    ``outlets`` columns: key ("o<id>" ours, "c<id>" competitors), id, own, group ("own" or the
    bank code), name_zh, name_en, outlet_type, lon, lat, city_code, attractiveness, captured
    (demand units). ``cells`` gets ``demand`` and ``own_share``.
    """

    cells: pd.DataFrame
    outlets: pd.DataFrame
    probabilities: NDArray[np.float64]
    distances_km: NDArray[np.float64]

    @property
    def own(self) -> NDArray[np.bool_]:
        """Mask of our outlets among the columns."""
        return self.outlets["own"].to_numpy(dtype=bool)

    @property
    def market_share(self) -> float:
        """Our share of all demand (0–1)."""
        demand = self.cells["demand"].where(self.cells["in_market"], 0.0)
        total = float(demand.sum())
        return float(demand @ self.cells["own_share"]) / total if total > 0 else 0.0


def build_market(
    cells: pd.DataFrame,
    own_outlets: pd.DataFrame,
    competitors: pd.DataFrame,
    *,
    demand_measure: str = "weighted_residents",
    distance_decay: float = 2.0,
    attractiveness_exponent: float = 1.0,
    min_distance_km: float = DEFAULT_MIN_DISTANCE_KM,
    type_appeal: dict[str, float] | None = None,
) -> Market:
    """Assemble the Huff market from the demand grid, our trading outlets and competitors' outlets.

    ``own_outlets`` needs id, name_zh, name_en, outlet_type, lon, lat, city_code, floor_area_m2;
    ``competitors`` needs id, bank_code, name, lon, lat, counters and (optional) city_code — when
    missing, each competitor takes the city of its nearest cell.
    """
    if cells.empty:
        raise ValueError("no demand cells")
    cells = cells.reset_index(drop=True).copy()
    cells["demand"] = cell_demand(cells, demand_measure)
    own = pd.DataFrame(
        {
            "key": "o" + own_outlets["id"].astype(str),
            "id": own_outlets["id"].to_numpy(),
            "own": True,
            "group": "own",
            "name_zh": own_outlets["name_zh"].to_numpy(),
            "name_en": own_outlets["name_en"].to_numpy(),
            "outlet_type": own_outlets["outlet_type"].to_numpy(),
            "lon": own_outlets["lon"].to_numpy(dtype=float),
            "lat": own_outlets["lat"].to_numpy(dtype=float),
            "city_code": own_outlets["city_code"].to_numpy(),
            "attractiveness": attractiveness_of_outlets(
                own_outlets["floor_area_m2"], own_outlets["outlet_type"], type_appeal
            ),
        }
    )
    cell_lonlat = cells[["lon", "lat"]].to_numpy(dtype=float)
    rival_city = (
        competitors["city_code"].to_numpy()
        if "city_code" in competitors
        else cells["city_code"].to_numpy()[nearest_cell(competitors[["lon", "lat"]].to_numpy(dtype=float), cell_lonlat)]
    )
    rivals = pd.DataFrame(
        {
            "key": "c" + competitors["id"].astype(str),
            "id": competitors["id"].to_numpy(),
            "own": False,
            "group": competitors["bank_code"].to_numpy(),
            "name_zh": competitors["name"].to_numpy(),
            "name_en": competitors["name"].to_numpy(),
            "outlet_type": None,
            "lon": competitors["lon"].to_numpy(dtype=float),
            "lat": competitors["lat"].to_numpy(dtype=float),
            "city_code": rival_city,
            "attractiveness": attractiveness_of_competitors(competitors["counters"]),
        }
    )
    outlets = pd.concat([own, rivals], ignore_index=True)
    outlets = outlets.dropna(subset=["lon", "lat"]).reset_index(drop=True)
    if outlets.empty:
        raise ValueError("no outlets with coordinates")
    probabilities, distances = market_probabilities(
        cell_lonlat,
        cells["city_code"].to_numpy(),
        outlets[["lon", "lat"]].to_numpy(dtype=float),
        outlets["city_code"].to_numpy(),
        outlets["attractiveness"].to_numpy(dtype=float),
        distance_decay,
        attractiveness_exponent,
        min_distance_km,
    )
    # a cell whose city has no outlet at all is not part of any market: nobody there is counted
    in_market = (distances < OUTSIDE_CHOICE_SET_KM).any(axis=1)
    probabilities[~in_market] = 0.0
    own_mask = outlets["own"].to_numpy(dtype=bool)
    cells["own_share"] = probabilities[:, own_mask].sum(axis=1)
    cells["in_market"] = in_market
    outlets["captured"] = cells["demand"].to_numpy() @ probabilities
    return Market(cells, outlets, probabilities, distances)


def customers_per_cell(customers: pd.DataFrame, cell_ids: ArrayLike) -> NDArray[np.float64]:
    """Customers per cell in the order of ``cell_ids`` from rows of (home_cell, customers)."""
    counts = customers.groupby("home_cell")["customers"].sum() if not customers.empty else pd.Series(dtype=float)
    return counts.reindex(pd.Index(np.asarray(cell_ids)), fill_value=0).to_numpy(dtype=float)


def area_share(demand: ArrayLike, own_share: ArrayLike, mask: ArrayLike) -> float:
    """Our demand-weighted share over the cells in ``mask``, ``Σ D_i s_i / Σ D_i`` (NaN if no demand)."""
    d = np.asarray(demand, dtype=float)[np.asarray(mask, dtype=bool)]
    s = np.asarray(own_share, dtype=float)[np.asarray(mask, dtype=bool)]
    return float(d @ s) / float(d.sum()) if d.sum() > 0 else float("nan")


@dataclass(frozen=True)
class CalibrationData:
    """Observed choices lined up for :func:`calibrate_huff`.

    Attributes
    ----------
    distances : (n_cells, n_outlets) km within each cell's city (other cities'
        outlets at :data:`OUTSIDE_CHOICE_SET_KM`).
    attractiveness : (n_outlets,) from the outlets' floor area and type.
    counts : sparse (n_cells, n_outlets) customers per home cell and outlet.
    cells : the home cells (rows), outlets : the outlets (columns).
    dropped_customers : customers whose home cell is not in the grid or whose outlet has no
        coordinates (left out).
    """

    distances: NDArray[np.float64]
    attractiveness: NDArray[np.float64]
    counts: sparse.csr_array
    cells: pd.DataFrame
    outlets: pd.DataFrame
    dropped_customers: int


def calibration_data(
    cells: pd.DataFrame,
    outlets: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    min_distance_km: float = DEFAULT_MIN_DISTANCE_KM,
    type_appeal: dict[str, float] | None = None,
) -> CalibrationData:
    """Line up customers' (home cell, outlet, count) rows with the grid and our outlets.

    The choice set is the outlets our customers bank at (with coordinates); a cell chooses among
    those of its own city.
    """
    located = outlets.dropna(subset=["lon", "lat"])
    chosen = located[located["id"].isin(customers["outlet_id"])].reset_index(drop=True)
    cell_index = pd.Index(cells["h3_index"])
    rows = cell_index.get_indexer(customers["home_cell"])
    columns = pd.Index(chosen["id"]).get_indexer(customers["outlet_id"])
    usable = (rows >= 0) & (columns >= 0)
    weight = customers["customers"].to_numpy(dtype=float)
    active, compact = np.unique(rows[usable], return_inverse=True)
    counts = sparse.csr_array(
        (weight[usable], (compact.ravel(), columns[usable])), shape=(active.shape[0], chosen.shape[0])
    )
    home = cells.iloc[active].reset_index(drop=True)
    distances = choice_set_distances(
        home[["lon", "lat"]].to_numpy(dtype=float),
        home["city_code"].to_numpy(),
        chosen[["lon", "lat"]].to_numpy(dtype=float),
        chosen["city_code"].to_numpy(),
        min_distance_km,
    )
    return CalibrationData(
        distances=distances,
        attractiveness=attractiveness_of_outlets(chosen["floor_area_m2"], chosen["outlet_type"], type_appeal),
        counts=counts,
        cells=home,
        outlets=chosen,
        dropped_customers=int(weight[~usable].sum()),
    )


def candidate_cells(
    cells: pd.DataFrame, own_lonlat: ArrayLike, count: int, min_spacing_km: float = 0.5, by: str = "population"
) -> pd.DataFrame:
    """The ``count`` grid cells with the most ``by`` whose centre is at least ``min_spacing_km``
    from every existing own outlet: new candidate sites for the optimisation (rows of ``cells``)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    centres = cells[["lon", "lat"]].to_numpy(dtype=float)
    own = np.asarray(own_lonlat, dtype=float).reshape(-1, 2)
    far = np.ones(len(cells), dtype=bool)
    if own.shape[0]:
        far = distance_matrix_km(centres, own, 1e-6).min(axis=1) >= min_spacing_km
    pool = cells[far & (cells[by].to_numpy(dtype=float) > 0)]
    return pool.sort_values([by, "h3_index"], ascending=[False, True]).head(int(count))


@dataclass(frozen=True)
class DesignInputs:
    """Everything the three optimisation models need, for one set of candidate sites.

    ``sites``: existing own outlets first (``existing`` True, with ``outlet_id``), then new
    candidate cells; columns key, name, lon, lat, existing, outlet_id, attractiveness. ``cells``:
    the demand cells in the market. ``distance_km`` (n_cells, n_sites), city-aware (another city's
    site at :data:`OUTSIDE_CHOICE_SET_KM`). ``attraction``: sparse ``A_j^α d_ij^(−λ)`` within
    ``cutoff_km``; ``other``: the competitors' attraction per cell (> 0).
    """

    sites: pd.DataFrame
    cells: pd.DataFrame
    distance_km: NDArray[np.float64]
    attraction: sparse.csr_array
    other: NDArray[np.float64]

    @property
    def existing(self) -> NDArray[np.int64]:
        """Column indices of the existing own outlets."""
        return np.flatnonzero(self.sites["existing"].to_numpy(dtype=bool))


def network_design_inputs(
    market: Market,
    new_sites: pd.DataFrame,
    new_site_attractiveness: float,
    *,
    distance_decay: float,
    attractiveness_exponent: float,
    cutoff_km: float = 10.0,
    min_distance_km: float = DEFAULT_MIN_DISTANCE_KM,
) -> DesignInputs:
    """Sites (our open outlets + ``new_sites`` rows with lon, lat, city_code, h3_index), the demand
    cells of the market, distances, Huff attractions and the competitors' attraction per cell."""
    own = market.outlets[market.outlets["own"]]
    sites = pd.concat(
        [
            pd.DataFrame(
                {
                    "key": own["key"].to_numpy(),
                    "name": own["name_zh"].to_numpy(),
                    "name_en": own["name_en"].to_numpy(),
                    "lon": own["lon"].to_numpy(dtype=float),
                    "lat": own["lat"].to_numpy(dtype=float),
                    "city_code": own["city_code"].to_numpy(),
                    "existing": True,
                    "outlet_id": own["id"].to_numpy(),
                    "attractiveness": own["attractiveness"].to_numpy(dtype=float),
                }
            ),
            pd.DataFrame(
                {
                    "key": "n" + new_sites["h3_index"].astype(str),
                    "name": new_sites["h3_index"].astype(str).to_numpy(),
                    "name_en": new_sites["h3_index"].astype(str).to_numpy(),
                    "lon": new_sites["lon"].to_numpy(dtype=float),
                    "lat": new_sites["lat"].to_numpy(dtype=float),
                    "city_code": new_sites["city_code"].to_numpy(),
                    "existing": False,
                    "outlet_id": None,
                    "attractiveness": float(new_site_attractiveness),
                }
            ),
        ],
        ignore_index=True,
    )
    cells = market.cells[market.cells["in_market"]].reset_index(drop=True)
    distance = choice_set_distances(
        cells[["lon", "lat"]].to_numpy(dtype=float),
        cells["city_code"].to_numpy(),
        sites[["lon", "lat"]].to_numpy(dtype=float),
        sites["city_code"].to_numpy(),
        min_distance_km,
    )
    weight = sites["attractiveness"].to_numpy(dtype=float) ** attractiveness_exponent
    pull = np.where(distance <= cutoff_km, weight[None, :] * distance ** (-distance_decay), 0.0)
    rivals = market.outlets[~market.outlets["own"]]
    cell_rows = market.cells.index[market.cells["in_market"]]
    rival_columns = np.flatnonzero(~market.own)
    if rival_columns.shape[0]:
        rival_distance = market.distances_km[np.ix_(cell_rows, rival_columns)]
        rival_weight = rivals["attractiveness"].to_numpy(dtype=float) ** attractiveness_exponent
        other = (rival_weight[None, :] * rival_distance ** (-distance_decay)).sum(axis=1)
    else:
        other = np.zeros(len(cells))
    # a cell without any competitor keeps a small outside option (1 % of a typical cell's
    # competition), so shares stay below 1 and the exact model's ratios stay well conditioned
    reference = other[other > 0] if (other > 0).any() else pull[pull > 0]
    floor = 0.01 * float(np.median(reference)) if reference.size else 1.0
    return DesignInputs(sites, cells, distance, sparse.csr_array(pull), np.maximum(other, floor))

"""Scoped queries of the map and site-selection pages (data.queries_market) on SQLite and
PostgreSQL, against pandas computations on the fixture network, and the Huff calibration on the
demo's customers recovering the distance decay the demo was generated with."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from analytics import catchment, huff
from data import queries_market
from data.bulk import bulk_insert
from data.db import make_engine, read_dataset_info
from data.schema import Customer, DemandCell, OrgUnit
from data.scope import ScopeError, scope_for

CELLS = pd.DataFrame(
    [
        # h3, city, district, lon, lat, population, households, income, businesses
        ("882a100001fffff", "150100", 1, 111.05, 40.05, 1000.0, 400.0, 1.2, 30.0),
        ("882a100003fffff", "150100", 1, 111.07, 40.06, 500.0, 200.0, 0.8, 10.0),
        ("882a100005fffff", "150100", None, 111.09, 40.08, 200.0, 90.0, 1.0, 5.0),
        ("882a100007fffff", "150200", 2, 111.08, 40.09, 3000.0, 1100.0, 1.1, 80.0),
    ],
    columns=[
        "h3_index",
        "city_code",
        "district_id",
        "lon",
        "lat",
        "population",
        "households",
        "income_index",
        "businesses",
    ],
).assign(resolution=8)
HOME_CELLS = {
    1: "882a100001fffff",
    2: "882a100003fffff",
    3: "882a100001fffff",
    4: None,
    5: "882a100007fffff",
    6: "882a100007fffff",
}


@pytest.fixture(scope="module")
def market_network(shared_network):
    with shared_network.begin() as connection:
        bulk_insert(connection, DemandCell.__table__, CELLS)
        for customer_id, cell in HOME_CELLS.items():
            connection.execute(Customer.__table__.update().where(Customer.id == customer_id).values(home_cell=cell))
        connection.execute(OrgUnit.__table__.update().where(OrgUnit.id == 6).values(district_id=1))
        connection.execute(OrgUnit.__table__.update().where(OrgUnit.id == 8).values(district_id=2))
    return shared_network


def scope_of(engine, username, role, unit_id=None):
    with engine.connect() as connection:
        return scope_for(connection, username, role, unit_id)


def test_demand_cells_are_those_of_the_units_cities(market_network):
    executive = scope_of(market_network, "exec", "executive")
    everything = queries_market.market_demand_cells(market_network, executive, 1)
    assert list(everything["h3_index"]) == sorted(CELLS["h3_index"])
    city_a = queries_market.market_demand_cells(market_network, executive, 2)
    assert set(city_a["city_code"]) == {"150100"} and len(city_a) == 3
    assert city_a["population"].sum() == 1700.0


def test_outlets_of_the_subtree_with_attributes(market_network):
    head = scope_of(market_network, "headA1", "branch_head", 4)
    outlets = queries_market.market_outlets(market_network, head, 4)
    assert list(outlets["id"]) == [6, 7]
    assert (outlets["floor_area_m2"] == 300.0).all() and set(outlets["parent_en"]) == {"Unit 4"}
    executive = scope_of(market_network, "exec", "executive")
    assert set(queries_market.market_outlets(market_network, executive, 1)["status"]) == {"open", "closed"}


def test_customer_cells_are_counted_in_sql(market_network):
    executive = scope_of(market_network, "exec", "executive")
    cells = queries_market.market_customer_cells(market_network, executive, 1)
    expected = (
        pd.DataFrame({"outlet_id": [6, 6, 7, 7, 8, 8], "home_cell": list(HOME_CELLS.values())})
        .dropna()
        .groupby(["home_cell", "outlet_id"])
        .size()
    )
    got = cells.set_index(["home_cell", "outlet_id"])["customers"]
    assert got.to_dict() == expected.to_dict()
    head = scope_of(market_network, "head6", "branch_head", 6)
    assert set(queries_market.market_customer_cells(market_network, head, 6)["outlet_id"]) == {6}


def test_district_totals_equal_pandas(market_network):
    executive = scope_of(market_network, "exec", "executive")
    totals = queries_market.market_district_totals(market_network, executive, 1).set_index("district_id")
    grid = CELLS.dropna(subset=["district_id"]).assign(weighted=CELLS["population"] * CELLS["income_index"])
    expected = grid.groupby("district_id").agg(population=("population", "sum"), weighted=("weighted", "sum"))
    assert totals.loc[1, "population"] == expected.loc[1, "population"] == 1500.0
    assert totals.loc[1, "weighted_population"] == pytest.approx(expected.loc[1, "weighted"])
    assert totals.loc[2, "businesses"] == 80.0 and totals.loc[1, "cells"] == 2
    assert totals.loc[1, "own_outlets"] == 1 and totals.loc[2, "own_outlets"] == 1


@pytest.mark.parametrize(
    "query",
    [
        queries_market.market_demand_cells,
        queries_market.market_outlets,
        queries_market.market_customer_cells,
        queries_market.market_district_totals,
    ],
)
def test_branch_head_cannot_read_another_units_market(market_network, query):
    head = scope_of(market_network, "head6", "branch_head", 6)
    for foreign in (7, 4, 1, 999):
        with pytest.raises(ScopeError):
            query(market_network, head, foreign)


# --------------------------------------------------------------------------- calibration on the demo


def calibration_inputs(url):
    """Observed choices of the demo's customers: counts (home cell × outlet), distances within
    the city, attractiveness from the outlets' attributes."""
    engine = make_engine(url)
    with engine.connect() as connection:
        scope = scope_for(connection, "exec", "executive", None)
    cells = queries_market.market_demand_cells(engine, scope, 1)
    outlets = queries_market.market_outlets(engine, scope, 1)
    customers = queries_market.market_customer_cells(engine, scope, 1)
    truth = read_dataset_info(engine)
    engine.dispose()
    return catchment.calibration_data(cells, outlets, customers, min_distance_km=0.35), truth


def test_calibration_on_the_demo_recovers_the_distance_decay(demo_database_url):
    data, truth = calibration_inputs(demo_database_url)
    fit = huff.calibrate_huff(data.distances, data.attractiveness, data.counts)
    true_lambda = float(truth["huff_lambda"])
    assert fit.converged
    # within two standard errors of the value the demo customers were drawn with
    assert abs(fit.lambda_ - true_lambda) <= 2 * fit.lambda_se
    assert 0 < fit.lambda_se < 0.3 and fit.pseudo_r2 > 0.5
    # expected customers per outlet at the fitted values add up to the observed total
    predicted = huff.predicted_choices(data.distances, data.attractiveness, data.counts, fit.lambda_, fit.alpha)
    assert predicted.sum() == pytest.approx(data.counts.sum())


def test_calibration_data_lines_up_cells_outlets_and_counts():
    cells = CELLS.drop(columns="resolution")
    outlets = pd.DataFrame(
        {
            "id": [6, 7, 8],
            "status": "open",
            "outlet_type": "sub_office",
            "floor_area_m2": [400.0, 100.0, 300.0],
            "lon": [111.05, 111.08, 111.08],
            "lat": [40.05, 40.06, 40.09],
            "city_code": ["150100", "150100", "150200"],
        }
    )
    customers = pd.DataFrame(
        {
            "home_cell": ["882a100001fffff", "882a100001fffff", "882a100007fffff", "unknown"],
            "outlet_id": [6, 7, 8, 6],
            "kind": "personal",
            "customers": [5, 2, 4, 9],
        }
    )
    data = catchment.calibration_data(cells, outlets, customers)
    assert data.counts.shape == (2, 3) and data.counts.sum() == 11  # the unknown cell is dropped
    np.testing.assert_allclose(data.counts.toarray(), [[5, 2, 0], [0, 0, 4]])
    np.testing.assert_allclose(data.attractiveness, [2.0, 1.0, np.sqrt(3)])
    assert data.distances[0, 2] == catchment.OUTSIDE_CHOICE_SET_KM  # another city's outlet
    assert data.dropped_customers == 9
    assert isinstance(data.counts, sparse.csr_array)

"""Scoped queries of the map and site-selection pages: the demand grid, our outlets with
the attributes the Huff model and the cost figures need, where our customers live, and district
totals. Every function checks the unit against the caller's scope first and aggregates in SQL.

"The cities of a unit" are the cities where the unit's subtree has units (as for the competitor
layer of the overview map); demand cells and districts are read for those cities only.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased

from data.query_support import city_codes, scoped_query
from data.schema import Customer, DemandCell, District, OrgUnit
from data.scope import Scope, require_unit_in_scope

DEMAND_CELL_COLUMNS = [
    "h3_index",
    "city_code",
    "district_id",
    "lon",
    "lat",
    "population",
    "households",
    "income_index",
    "businesses",
]

MARKET_OUTLET_COLUMNS = [
    "id",
    "code",
    "name_zh",
    "name_en",
    "outlet_type",
    "status",
    "city_code",
    "district_id",
    "lon",
    "lat",
    "floor_area_m2",
    "cash_counters",
    "non_cash_counters",
    "atms",
    "smart_machines",
    "staff_count",
    "build_cost_rmb",
    "monthly_rent_rmb",
    "monthly_running_cost_rmb",
    "opened_on",
    "parent_zh",
    "parent_en",
]


@scoped_query
def market_demand_cells(engine: Engine, scope: Scope, unit_id: int) -> pd.DataFrame:
    """The H3 demand cells of the unit's cities: centre (degrees), district, residents (persons),
    households, income index (1.0 = regional average) and businesses, ordered by cell."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        cities = city_codes(connection, path)
        rows = connection.execute(
            select(*(getattr(DemandCell, c) for c in DEMAND_CELL_COLUMNS))
            .where(DemandCell.city_code.in_(cities))
            .order_by(DemandCell.h3_index)
        ).all()
    frame = pd.DataFrame(rows, columns=DEMAND_CELL_COLUMNS)
    return frame.astype({c: float for c in DEMAND_CELL_COLUMNS[3:]})


@scoped_query
def market_outlets(engine: Engine, scope: Scope, unit_id: int) -> pd.DataFrame:
    """Our outlets in the unit's subtree (every status) with position, type, size, counters,
    machines, staff, build cost (RMB), monthly rent and running cost (RMB) and parent names."""
    parent = aliased(OrgUnit, name="parent")
    columns = [getattr(OrgUnit, c) for c in MARKET_OUTLET_COLUMNS[:-2]]
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        rows = connection.execute(
            select(*columns, parent.name_zh, parent.name_en)
            .join(parent, parent.id == OrgUnit.parent_id)
            .where(OrgUnit.level == "outlet", OrgUnit.path.startswith(path))
            .order_by(OrgUnit.code)
        ).all()
    return pd.DataFrame(rows, columns=MARKET_OUTLET_COLUMNS)


@scoped_query
def market_customer_cells(engine: Engine, scope: Scope, unit_id: int) -> pd.DataFrame:
    """Our customers (the stored sample) homed at outlets of the subtree, counted per home cell,
    home outlet and kind (personal / corporate): columns home_cell, outlet_id, kind, customers.

    This is both the customer-density layer and the observed choices a Huff calibration needs
    (each customer's home cell → the outlet they bank at). Customers without a home cell are
    left out.
    """
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        rows = connection.execute(
            select(Customer.home_cell, Customer.home_outlet_id, Customer.kind, func.count(Customer.id))
            .join(OrgUnit, OrgUnit.id == Customer.home_outlet_id)
            .where(OrgUnit.path.startswith(path), Customer.home_cell.is_not(None))
            .group_by(Customer.home_cell, Customer.home_outlet_id, Customer.kind)
            .order_by(Customer.home_cell, Customer.home_outlet_id, Customer.kind)
        ).all()
    frame = pd.DataFrame(rows, columns=["home_cell", "outlet_id", "kind", "customers"])
    return frame.astype({"outlet_id": int, "customers": int})


@scoped_query
def market_district_totals(engine: Engine, scope: Scope, unit_id: int) -> pd.DataFrame:
    """Districts of the unit's cities with their demand-grid totals (summed in SQL): cells,
    residents, households, businesses, income-weighted residents, and our open outlets of the
    subtree in each district. Columns: district_id, code, name_zh, name_en, city_code, cells,
    population, households, businesses, weighted_population, own_outlets."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        cities = city_codes(connection, path)
        grid = (
            select(
                DemandCell.district_id.label("district_id"),
                func.count(DemandCell.h3_index).label("cells"),
                func.sum(DemandCell.population).label("population"),
                func.sum(DemandCell.households).label("households"),
                func.sum(DemandCell.businesses).label("businesses"),
                func.sum(DemandCell.population * DemandCell.income_index).label("weighted_population"),
            )
            .where(DemandCell.city_code.in_(cities))
            .group_by(DemandCell.district_id)
            .subquery()
        )
        own = (
            select(OrgUnit.district_id.label("district_id"), func.count(OrgUnit.id).label("own_outlets"))
            .where(OrgUnit.level == "outlet", OrgUnit.status == "open", OrgUnit.path.startswith(path))
            .group_by(OrgUnit.district_id)
            .subquery()
        )
        rows = connection.execute(
            select(
                District.id,
                District.code,
                District.name_zh,
                District.name_en,
                District.city_code,
                func.coalesce(grid.c.cells, 0),
                func.coalesce(grid.c.population, 0.0),
                func.coalesce(grid.c.households, 0.0),
                func.coalesce(grid.c.businesses, 0.0),
                func.coalesce(grid.c.weighted_population, 0.0),
                func.coalesce(own.c.own_outlets, 0),
            )
            .outerjoin(grid, grid.c.district_id == District.id)
            .outerjoin(own, own.c.district_id == District.id)
            .where(District.city_code.in_(cities), District.level == "district")
            .order_by(District.code)
        ).all()
    columns = ["district_id", "code", "name_zh", "name_en", "city_code", "cells", "population", "households"]
    columns += ["businesses", "weighted_population", "own_outlets"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"cells": int, "own_outlets": int, "population": float, "businesses": float})

"""The demo generator: deterministic, consistent, calibrated, and real enough for the analytics."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from scipy.special import hyp2f1
from shapely.geometry import Point, shape
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from config.metrics import BASE_CODES, CATALOGUE
from data.bulk import bulk_insert
from data.db import DatabaseState, database_state, read_dataset_info
from data.demo import build_tables, generate
from data.demo.geography import load_cities
from data.demo.network import outlets_per_city
from data.demo.transactions import BGNBD_A, BGNBD_ALPHA, BGNBD_B, BGNBD_R, bgnbd_counts_and_times
from data.schema import AppUser, CompetitorOutlet, Customer, KpiMonthly, OrgUnit, Txn

SCALE = 0.2  # 40 outlets: big enough for calibration checks, small enough to build in seconds


@pytest.fixture(scope="module")
def tables():
    return build_tables(SCALE, seed=11)


@pytest.fixture(scope="module")
def full_tables():
    """The default-scale network (200 outlets) for statistical checks."""
    return build_tables(1.0, seed=3)


def _last_month(tables, code: str) -> pd.Series:
    kpis = tables["kpi_monthly"]
    last = kpis[(kpis.metric_code == code) & (kpis.month == kpis.month.max())]
    return last.set_index("outlet_id").value


def test_same_seed_gives_the_same_data_and_another_seed_does_not(tables):
    again = build_tables(SCALE, seed=11)
    for name in ("org_unit", "kpi_monthly", "customer", "txn", "lobby_hourly"):
        pd.testing.assert_frame_equal(tables[name], again[name])
    other = build_tables(SCALE, seed=12)
    assert not tables["kpi_monthly"].value.equals(other["kpi_monthly"].value)


def test_outlet_counts_follow_the_scale_and_every_city_has_one():
    cities = load_cities()
    assert sum(outlets_per_city(cities, 1.0)) == 200
    assert outlets_per_city(cities, 0.01) == [1] * len(cities)
    counts = outlets_per_city(cities, 1.0)
    assert counts == sorted(counts, reverse=True)  # cities come largest first


def test_scale_outside_the_allowed_range_is_refused():
    with pytest.raises(ValueError, match="scale"):
        build_tables(0.0, seed=1)


def test_tree_paths_levels_and_codes_are_consistent(tables):
    units = tables["org_unit"].set_index("id")
    assert units.code.is_unique
    parent_level = {"city_branch": "region", "sub_branch": "city_branch", "outlet": "sub_branch"}
    for unit_id, unit in units.iterrows():
        if unit.level == "region":
            assert unit.path == f"/{unit_id}/"
            continue
        parent = units.loc[int(unit.parent_id)]
        assert parent.level == parent_level[unit.level]
        assert unit.path == f"{parent.path}{unit_id}/"
    outlets = units[units.level == "outlet"]
    assert set(outlets.status) == {"open", "closed", "merged", "planned"}
    merged = outlets[outlets.status == "merged"]
    assert (units.loc[merged.merged_into_id.astype(int), "status"] == "open").all()


def test_outlets_lie_in_their_city_and_district(tables):
    districts = tables["district"].set_index("id")
    outlets = tables["org_unit"][tables["org_unit"].level == "outlet"]
    for outlet in outlets.itertuples():
        zone = districts.loc[int(outlet.district_id)]
        city = districts[(districts.level == "city") & (districts.city_code == outlet.city_code)].iloc[0]
        point = Point(outlet.lon, outlet.lat)
        assert zone.city_code == outlet.city_code
        assert shape(json.loads(city.geometry_geojson)).buffer(0.01).contains(point)


def test_demand_grid_holds_each_city_urban_population(tables):
    grid = tables["demand_cell"]
    for city in load_cities():
        assert grid[grid.city_code == city.code].population.sum() == pytest.approx(city.urban_population, rel=1e-3)
    assert np.average(grid.income_index, weights=grid.population) == pytest.approx(1.0, abs=0.01)


def test_kpis_cover_the_catalogue_and_only_trading_months(tables):
    kpis = tables["kpi_monthly"]
    assert set(kpis.metric_code) == set(BASE_CODES)
    units = tables["org_unit"].set_index("id")
    assert not kpis.outlet_id.isin(units.index[units.status == "planned"]).any()
    for outlet_id, unit in units[units.status.isin(["closed", "merged"])].iterrows():
        months = kpis[kpis.outlet_id == outlet_id].month
        assert months.max() <= unit.closed_on
    assert len(set(kpis.month)) == 36
    assert len(tables["metric"]) == len(CATALOGUE)


def test_magnitudes_match_the_calibration_figures(tables):
    deposits = _last_month(tables, "deposits_personal") + _last_month(tables, "deposits_corporate")
    loans = _last_month(tables, "loans_personal") + _last_month(tables, "loans_corporate")
    assert 5.0e8 < deposits.mean() < 9.0e8  # the calibration sub-branch (docs/domain.md): RMB 687 m per outlet
    assert 0.45 < loans.sum() / deposits.sum() < 0.70  # 53 %
    assert 0.75 < _last_month(tables, "deposits_personal").sum() / deposits.sum() < 0.92  # 85 %
    kpis = tables["kpi_monthly"]
    year = kpis[kpis.month >= kpis.month.max().replace(year=kpis.month.max().year - 1)]
    totals = year.groupby("metric_code").value.sum()
    fees = totals[[c for c in totals.index if c.startswith("fee_income_")]].sum()
    assert 0.20 < fees / (fees + totals["net_interest_income"]) < 0.35  # 27.4 %
    channels = ["txn_counter", "txn_smart_machine", "txn_atm", "txn_mobile", "txn_online"]
    by_month = kpis[kpis.metric_code.isin(channels)].pivot_table(
        index="month", columns="metric_code", values="value", aggfunc="sum"
    )
    e_share = 1 - by_month.txn_counter / by_month.sum(axis=1)
    assert 0.68 < e_share.iloc[0] < 0.78 and 0.78 < e_share.iloc[-1] < 0.88  # 79 % in the 2011 documents


def test_deposits_depend_on_trade_area_population_income_and_competition(full_tables):
    """What an analyst would find: regressing log deposits on the income-weighted residents and
    the competitor outlets within 2 km, with outlet-type dummies, gives a clearly positive
    population elasticity and a negative competition effect (200 outlets)."""
    build = full_tables
    units = build["org_unit"].set_index("id")
    personal = _last_month(build, "deposits_personal")
    grid, rivals = build["demand_cell"], build["competitor_outlet"]
    rows = []
    for outlet_id, deposits in personal.items():
        unit = units.loc[outlet_id]
        km_per_lon = 111.32 * np.cos(np.radians(unit.lat))
        cells = grid[grid.city_code == unit.city_code]
        near = np.hypot((cells.lon - unit.lon) * km_per_lon, (cells.lat - unit.lat) * 111.32) < 2.0
        banks = rivals[rivals.city_code == unit.city_code]
        competing = np.hypot((banks.lon - unit.lon) * km_per_lon, (banks.lat - unit.lat) * 111.32) < 2.0
        residents = (cells.population * cells.income_index)[near].sum()
        rows.append((np.log(deposits), np.log(max(residents, 1.0)), np.log1p(competing.sum()), unit.outlet_type))
    frame = pd.DataFrame(rows, columns=["log_deposits", "log_residents", "log_competitors", "outlet_type"])
    design = pd.get_dummies(frame.outlet_type, drop_first=True, dtype=float)
    design[["log_residents", "log_competitors"]] = frame[["log_residents", "log_competitors"]]
    design["constant"] = 1.0
    beta, *_ = np.linalg.lstsq(design.to_numpy(), frame.log_deposits.to_numpy(), rcond=None)
    coefficients = dict(zip(design.columns, beta))
    assert coefficients["log_residents"] > 0.2
    assert coefficients["log_competitors"] < -0.05


def test_most_customers_bank_near_home(full_tables):
    customers = full_tables["customer"]
    outlets = full_tables["org_unit"].set_index("id")
    grid = full_tables["demand_cell"].set_index("h3_index")
    home = grid.loc[customers.home_cell]
    outlet = outlets.loc[customers.home_outlet_id]
    dx = (home.lon.to_numpy() - outlet.lon.to_numpy()) * 111.32 * np.cos(np.radians(outlet.lat.to_numpy()))
    dy = (home.lat.to_numpy() - outlet.lat.to_numpy()) * 111.32
    distance_km = np.hypot(dx, dy)
    assert np.median(distance_km) < 3.0
    assert (distance_km < 3.0).mean() > 0.5


def test_customer_sample_adds_up_to_the_kpis(tables):
    customers = tables["customer"]
    assert (customers.kind == "corporate").mean() == pytest.approx(0.04, abs=0.02)
    sample_rate = 0.05
    balances = tables["balance_monthly"]
    last = balances[balances.month == balances.month.max()].merge(
        customers[["id", "home_outlet_id", "kind"]], left_on="customer_id", right_on="id"
    )
    personal = last[last.kind == "personal"].groupby("home_outlet_id").deposit_rmb.sum() / sample_rate
    expected = _last_month(tables, "deposits_personal")[personal.index]
    np.testing.assert_allclose(personal.to_numpy(), expected.to_numpy(), rtol=1e-6)


def test_complaints_match_the_monthly_kpi(tables):
    kpis = tables["kpi_monthly"]
    months = sorted(set(kpis.month))[-12:]
    expected = kpis[(kpis.metric_code == "complaints") & kpis.month.isin(months)].value.sum()
    assert len(tables["complaint"]) == expected


def test_region_targets_are_the_sum_of_outlet_targets(tables):
    targets = tables["target"]
    units = tables["org_unit"].set_index("id")
    deposits = targets[(targets.metric_code == "deposits_total") & (targets.period_start.astype(str) == "2026-01-01")]
    by_unit = deposits.set_index("org_unit_id").value
    outlet_sum = by_unit[by_unit.index.isin(units.index[units.level == "outlet"])].sum()
    assert by_unit[1] == pytest.approx(outlet_sum)


def test_bgnbd_simulation_matches_the_expected_number_of_transactions():
    """E[X(t)] of the BG/NBD model (Fader, Hardie & Lee 2005, eq. 9) for t = 365 days."""
    t = 365.0
    rng = np.random.default_rng(5)
    rows, times = bgnbd_counts_and_times(rng, np.zeros(200_000), t)
    simulated = len(rows) / 200_000
    r, alpha, a, b = BGNBD_R, BGNBD_ALPHA, BGNBD_A, BGNBD_B
    expected = (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)))
    assert simulated == pytest.approx(expected, rel=0.02)
    assert times.min() >= 0 and times.max() <= t
    per_customer = pd.Series(times).groupby(rows).apply(lambda s: s.is_monotonic_increasing)
    assert per_customer.all()


def test_generate_loads_the_same_rows_on_both_backends(engine):
    rows = generate(engine, scale=0.03, seed=5, with_demo_users=True)
    assert database_state(engine) is DatabaseState.READY
    info = read_dataset_info(engine)
    assert info["synthetic"] == "true" and info["huff_lambda"] == "2.0"
    with engine.connect() as connection:
        for table in (OrgUnit, KpiMonthly, Customer, Txn, CompetitorOutlet, AppUser):
            count = connection.execute(select(func.count()).select_from(table)).scalar()
            assert count == rows[table.__tablename__]
    generate(engine, scale=0.03, seed=6)  # a rebuild replaces the data and keeps no demo users
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(AppUser)).scalar() == 0
        assert connection.execute(select(func.count()).select_from(OrgUnit)).scalar() == rows["org_unit"]


def test_large_loads_keep_indexes_and_foreign_keys(engine):
    """The PostgreSQL bulk path drops and rebuilds indexes and foreign keys; they must come back."""
    generate(engine, scale=0.01, seed=5)
    before = {i["name"] for i in inspect(engine).get_indexes("txn")}
    with engine.begin() as connection:
        frame = pd.DataFrame(
            {
                "id": [10_000_001, 10_000_002],
                "customer_id": [1, 1],
                "outlet_id": connection.execute(select(Customer.home_outlet_id).where(Customer.id == 1)).scalar(),
                "channel": "mobile",
                "txn_at": pd.to_datetime(["2026-10-01 10:00", "2026-10-02 11:00"]),
                "amount_rmb": [10.0, 20.0],
            }
        )
        bulk_insert(connection, Txn.__table__, frame, rebuild_indexes_rows=1)
    assert {i["name"] for i in inspect(engine).get_indexes("txn")} == before
    assert {fk["referred_table"] for fk in inspect(engine).get_foreign_keys("txn")} == {
        "customer",
        "org_unit",
        "product",
        "import_batch",
    }
    bad = frame.assign(id=[10_000_003, 10_000_004], customer_id=999_999_999)
    with pytest.raises(IntegrityError), engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.execute(text("PRAGMA foreign_keys=ON"))
        bulk_insert(connection, Txn.__table__, bad, rebuild_indexes_rows=1)


def test_dates_loaded_in_bulk_are_stored_and_read_back_exactly(engine):
    """SQLite's dates are formatted in bulk by numpy: they must read back as the type's own would."""
    generate(engine, scale=0.01, seed=5)
    outlet = pd.read_sql(select(Customer.home_outlet_id).limit(1), engine).iloc[0, 0]
    times = pd.to_datetime(
        ["2026-10-01 10:00:00", "2026-10-02 23:59:59.000007", "2024-02-29 00:00:00.5"], format="ISO8601"
    )
    frame = pd.DataFrame(
        {
            "id": [10_000_011, 10_000_012, 10_000_013],
            "customer_id": 1,
            "outlet_id": int(outlet),
            "channel": "counter",
            "txn_at": times,
            "amount_rmb": 1.0,
        }
    )
    with engine.begin() as connection:
        bulk_insert(connection, Txn.__table__, frame)
    with engine.connect() as connection:
        stored = connection.execute(select(Txn.txn_at).where(Txn.id >= 10_000_011).order_by(Txn.id)).scalars().all()
        # Text comparison in SQL (how period filters work on SQLite) must see the same instants.
        later = select(func.count()).where(Txn.id >= 10_000_011, Txn.txn_at >= dt.datetime(2026, 10, 1, 12))
        assert connection.execute(later).scalar() == 1
    assert stored == [t.to_pydatetime() for t in times]


def test_bulk_date_text_equals_what_the_sqlite_types_store():
    from sqlalchemy import Date, DateTime
    from sqlalchemy.dialects import sqlite

    from data.bulk import _sqlite_date_text

    dialect = sqlite.dialect()
    times = pd.Series(pd.to_datetime(["2026-10-02 23:59:59.000007", None, "2024-02-29 00:00:00.5"], format="ISO8601"))
    for column_type in (Date(), DateTime()):
        processor = column_type.dialect_impl(dialect).bind_processor(dialect)
        expected = [None if pd.isna(t) else processor(t.to_pydatetime()) for t in times]
        assert _sqlite_date_text(times, column_type, processor) == expected
    assert _sqlite_date_text(pd.Series([1.0, 2.0]), DateTime(), processor) is None
    days = pd.Series([dt.date(2026, 1, 31), None, dt.date(2024, 2, 29)], dtype=object)
    processor = Date().dialect_impl(dialect).bind_processor(dialect)
    assert _sqlite_date_text(days, Date(), processor) == ["2026-01-31", None, "2024-02-29"]


def test_the_demo_goes_in_through_the_importer_one_batch_per_exported_file(engine):
    from data.demo.export import export_kinds
    from data.importer import history

    rows = generate(engine, scale=0.03, seed=5)
    batches = history(engine)
    assert sorted(batches.kind) == sorted(export_kinds())
    assert set(batches.status) == {"confirmed"} and set(batches.uploaded_by) == {"demo"}
    assert dict(zip(batches.kind, batches["rows"]))["monthly_kpis"] == rows["kpi_monthly"]
    with engine.connect() as connection:
        unlinked = connection.execute(
            select(func.count()).select_from(KpiMonthly).where(KpiMonthly.import_batch_id.is_(None))
        ).scalar()
        phones = connection.execute(select(Customer.phone_masked)).scalars().all()
    assert unlinked == 0
    assert all(len(p) == 11 and p[3:7] == "****" for p in phones)

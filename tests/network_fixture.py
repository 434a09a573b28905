"""A tiny hand-made network with known KPI values, for data-layer tests on both backends.

Tree (id: path):  1 region /1/
                    2 city A /1/2/      → 4 sub-branch A1 /1/2/4/ → outlets 6, 7
                    3 city B /1/3/      → 5 sub-branch B1 /1/3/5/ → outlets 8, 9 (9 closed)
KPI values are a simple function of outlet, metric and month so tests can recompute them with
pandas.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import delete
from sqlalchemy.engine import Engine

from config.metrics import CATALOGUE
from data.auth import create_user
from data.bulk import bulk_insert, reset_sequence
from data.schema import (
    BalanceMonthly,
    CompetitorOutlet,
    Customer,
    DatasetInfo,
    District,
    KpiMonthly,
    Metric,
    OrgUnit,
)

MONTHS = [dt.date(2025, 10, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 1)]
OPEN_OUTLETS = [6, 7, 8]
PASSWORD = "Secret#123"
FIXTURE_CODES = [
    "deposits_personal",
    "deposits_corporate",
    "txn_counter",
    "txn_smart_machine",
    "txn_atm",
    "txn_mobile",
    "txn_online",
    "inspection_score",
]

UNITS = [
    # id, parent, level, path, city, status
    (1, None, "region", "/1/", None, "open"),
    (2, 1, "city_branch", "/1/2/", "150100", "open"),
    (3, 1, "city_branch", "/1/3/", "150200", "open"),
    (4, 2, "sub_branch", "/1/2/4/", "150100", "open"),
    (5, 3, "sub_branch", "/1/3/5/", "150200", "open"),
    (6, 4, "outlet", "/1/2/4/6/", "150100", "open"),
    (7, 4, "outlet", "/1/2/4/7/", "150100", "open"),
    (8, 5, "outlet", "/1/3/5/8/", "150200", "open"),
    (9, 5, "outlet", "/1/3/5/9/", "150200", "closed"),
]


def kpi_value(outlet_id: int, code: str, month: dt.date) -> float:
    """The fixture's KPI value: distinct per outlet, metric and month."""
    return outlet_id * 1000.0 + FIXTURE_CODES.index(code) * 10.0 + MONTHS.index(month)


def kpi_frame() -> pd.DataFrame:
    """All KPI rows of the fixture (closed outlet 9 only has the oldest month)."""
    rows = [
        (outlet, code, month, kpi_value(outlet, code, month))
        for outlet in OPEN_OUTLETS + [9]
        for code in FIXTURE_CODES
        for month in MONTHS
        if outlet != 9 or month == MONTHS[0]
    ]
    return pd.DataFrame(rows, columns=["outlet_id", "metric_code", "month", "value"])


def load_network(engine: Engine) -> None:
    """Fill a migrated, empty database with the fixture network and three users."""
    units = pd.DataFrame(
        [
            {
                "id": uid,
                "code": f"U{uid}",
                "name_zh": f"机构{uid}",
                "name_en": f"Unit {uid}",
                "level": level,
                "parent_id": parent,
                "path": path,
                "city_code": city,
                "status": status,
                "outlet_type": "sub_office" if level == "outlet" else None,
                "lon": 111.0 + uid / 100,
                "lat": 40.0 + uid / 100,
                "floor_area_m2": 300.0,
            }
            for uid, parent, level, path, city, status in UNITS
        ]
    )
    polygon = '{"type": "Polygon", "coordinates": [[[111, 40], [111.2, 40], [111.2, 40.2], [111, 40]]]}'
    with engine.begin() as connection:
        connection.execute(delete(Metric))  # the migrations' reference rows, replaced by the same catalogue
        bulk_insert(
            connection,
            Metric.__table__,
            pd.DataFrame([{**m.__dict__, "display_order": i} for i, m in enumerate(CATALOGUE)]),
        )
        bulk_insert(connection, OrgUnit.__table__, units)
        bulk_insert(connection, KpiMonthly.__table__, kpi_frame())
        bulk_insert(
            connection,
            District.__table__,
            pd.DataFrame(
                [
                    {
                        "id": 1,
                        "code": "D1",
                        "name_zh": "甲区",
                        "name_en": "District A",
                        "city_code": "150100",
                        "level": "district",
                        "population": 1000,
                        "geometry_geojson": polygon,
                        "is_synthetic": True,
                    },
                    {
                        "id": 2,
                        "code": "D2",
                        "name_zh": "乙区",
                        "name_en": "District B",
                        "city_code": "150200",
                        "level": "district",
                        "population": 2000,
                        "geometry_geojson": polygon,
                        "is_synthetic": True,
                    },
                ]
            ),
        )
        bulk_insert(
            connection,
            CompetitorOutlet.__table__,
            pd.DataFrame(
                [
                    {
                        "id": 1,
                        "bank_code": "ICBC",
                        "bank_name_zh": "工商银行",
                        "bank_name_en": "ICBC",
                        "name": "A",
                        "city_code": "150100",
                        "lon": 111.05,
                        "lat": 40.05,
                        "counters": 4,
                    },
                    {
                        "id": 2,
                        "bank_code": "CCB",
                        "bank_name_zh": "建设银行",
                        "bank_name_en": "CCB",
                        "name": "B",
                        "city_code": "150200",
                        "lon": 111.07,
                        "lat": 40.07,
                        "counters": 4,
                    },
                ]
            ),
        )
        customers = pd.DataFrame(
            [
                {
                    "id": i,
                    "customer_no": f"C{i:03d}",
                    "kind": "personal",
                    "name": f"客户{i}号",
                    "id_number_hash": "0" * 64,
                    "home_outlet_id": outlet,
                    "opened_on": dt.date(2020, 1, 1),
                    "is_key_customer": True,
                }
                for i, outlet in enumerate([6, 6, 7, 7, 8, 8], start=1)
            ]
        )
        bulk_insert(connection, Customer.__table__, customers)
        bulk_insert(
            connection,
            BalanceMonthly.__table__,
            pd.DataFrame(
                [
                    {
                        "customer_id": i,
                        "month": MONTHS[-1],
                        "deposit_rmb": 1000.0 * i,
                        "loan_rmb": 0.0,
                        "aum_rmb": 1000.0 * i,
                    }
                    for i in customers["id"]
                ]
            ),
        )
        bulk_insert(
            connection,
            DatasetInfo.__table__,
            pd.DataFrame(
                [
                    {"key": "data_version", "value": "fixture-1"},
                    {"key": "synthetic", "value": "true"},
                ]
            ),
        )
        for table in (OrgUnit, District, CompetitorOutlet, Customer):  # explicit ids: move PostgreSQL's sequences on
            reset_sequence(connection, table.__table__)
        create_user(connection, "exec", "Executive", PASSWORD, "executive")
        create_user(connection, "head6", "Head of outlet 6", PASSWORD, "branch_head", 6)
        create_user(connection, "headA1", "Head of sub-branch A1", PASSWORD, "branch_head", 4)
        create_user(connection, "steward", "Data steward", PASSWORD, "data_steward")

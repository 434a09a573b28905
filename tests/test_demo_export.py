"""The demo as import files (``python -m data.demo --export DIR``), and loading them back with
``python -m data.importer load DIR --confirm`` into an empty database gives the demo's figures."""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections import Counter
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import func, select, text

from data.bulk import bulk_insert
from data.db import make_engine
from data.demo import DEFAULT_SEED, build_tables
from data.demo.__main__ import main as demo_cli
from data.demo.export import NOT_EXPORTED, export_demo, export_kinds, missing_kinds
from data.demo.import_files import account_rows, import_frame, write_csv
from data.importer.__main__ import main as import_cli
from data.importer.folder import plan_folder
from data.importer.limits import DEMO_ID_HASH_KEY
from data.importer.spec import KINDS
from data.schema import District
from data.setup_db import main as setup_db

SCALE = 0.05  # the scale of the session's demo database (tests/conftest.py)

# Tables the export carries, directly or through what the account extracts derive.
ROUND_TRIP_TABLES = (
    "org_unit",
    "org_unit_event",
    "product",
    "staff",
    "customer",
    "balance_monthly",
    "holding",
    "txn",
    "complaint",
    "kpi_monthly",
    "kpi_unit_monthly",
    "target",
    "competitor_outlet",
    "demand_cell",
    "lobby_hourly",
    "lobby_service_type",
    "inspection",
)
FIGURES = {
    "deposits and loans by outlet (balance_monthly)": "select u.code, b.month, sum(b.deposit_rmb), "
    "sum(b.loan_rmb), sum(b.aum_rmb) from balance_monthly b join customer c on c.id = "
    "b.customer_id join org_unit u on u.id = c.home_outlet_id group by u.code, b.month order by u.code, b.month",
    "deposit KPIs by outlet": "select u.code, k.metric_code, sum(k.value) from kpi_monthly k join org_unit "
    "u on u.id = k.outlet_id where k.metric_code like 'deposits%' group by u.code, k.metric_code order by 1, 2",
    "customers per outlet and kind": "select u.code, c.kind, count(*), sum(case when c.is_key_customer then 1 else 0 "
    "end) from customer c join org_unit u on u.id = c.home_outlet_id group by u.code, c.kind order by 1, 2",
    "units as in the tree": "select id, code, path, level, status from org_unit order by id",
    "ID-number hashes": "select customer_no, id_number_hash, id_hash_scheme, phone_masked from customer order by 1",
    "holdings per product": "select p.code, count(*), min(h.opened_on), max(h.matures_on) from holding h join product "
    "p on p.id = h.product_id group by p.code order by 1",
    "complaints by outlet and status": "select u.code, c.status, count(*), max(c.closed_at) from complaint c join "
    "org_unit u on u.id = c.outlet_id group by u.code, c.status order by 1, 2",
    "transactions by outlet and channel": "select u.code, t.channel, count(*), sum(t.amount_rmb) from txn t "
    "join org_unit u on u.id = t.outlet_id group by u.code, t.channel order by 1, 2",
    "staff per outlet and role": "select u.code, s.role, count(*) from staff s join org_unit u on u.id = s.outlet_id "
    "group by u.code, s.role order by 1, 2",
    "targets": "select u.code, t.metric_code, t.period_start, t.value from target t join org_unit u on u.id "
    "= t.org_unit_id order by 1, 2, 3",
}


@pytest.fixture(scope="module")
def demo_tables():
    return build_tables(SCALE, DEFAULT_SEED)


@pytest.fixture(scope="module")
def exported(demo_tables, tmp_path_factory):
    folder = tmp_path_factory.mktemp("export") / "demo"
    return folder, export_demo(folder, demo_tables)


def test_every_file_has_its_kinds_columns_and_is_in_the_manifest(exported):
    folder, files = exported
    assert [f.kind for f in files] == export_kinds()
    assert "customer_changes" in missing_kinds()  # the demo has no history of customer changes
    assert set(export_kinds()) | set(missing_kinds()) == set(KINDS)
    with (folder / "manifest.csv").open(encoding="utf-8") as manifest:
        listed = list(csv.DictReader(manifest))
    assert [(row["file"], row["kind"], int(row["order"])) for row in listed] == [
        (f.name, f.kind, f.order) for f in files
    ]
    assert [(f.name, f.kind) for f in plan_folder(folder)] == [(f.name, f.kind) for f in files]
    for item in files:
        frame = pd.read_csv(folder / item.name, dtype=str, keep_default_na=False)
        names = {column.name for column in KINDS[item.kind].columns}
        assert set(frame.columns) <= names, item.kind
        assert len(frame) == item.rows > 0


def test_account_extracts_give_back_the_demos_balances(demo_tables):
    rows = account_rows(demo_tables, demo_tables["customer_extract"])
    numbers = demo_tables["customer_extract"].set_index("id").customer_no
    balances = demo_tables["balance_monthly"].assign(
        customer_no=lambda f: f.customer_id.map(numbers), month=lambda f: pd.to_datetime(f.month).dt.strftime("%Y-%m")
    )
    cents = rows.assign(cents=(rows.balance_rmb * 100).round().astype("int64"))
    deposits = cents[cents.extract.str.endswith("_deposits")].groupby(["customer_no", "month"]).cents.sum()
    expected = balances.set_index(["customer_no", "month"])
    assert (deposits.reindex(expected.index, fill_value=0) == (expected.deposit_rmb * 100).round()).all()
    loans = cents[cents.extract.str.endswith("_loans")].groupby(["customer_no", "month"]).cents.sum()
    assert (loans.reindex(expected.index, fill_value=0) == (expected.loan_rmb * 100).round()).all()
    assert rows.account_no.str.len().max() <= 40
    assert not rows.duplicated(["account_no", "month"]).any()


def hand_tables() -> dict:
    """One personal customer of outlet O1 with two deposit products (60 / 20), one wealth
    product and a debit card, over two months."""
    return {
        "org_unit": pd.DataFrame({"id": [1], "code": ["O1"]}),
        "product": pd.DataFrame(
            {
                "id": [1, 2, 3, 4],
                "code": ["DD-P", "TD-P", "WM", "DC"],
                "family": ["demand_deposit", "time_deposit", "wealth", "card"],
                "segment": ["personal"] * 4,
            }
        ),
        "holding": pd.DataFrame(
            {
                "customer_id": [7, 7, 7, 7],
                "product_id": [1, 2, 3, 4],
                "balance_rmb": [60.0, 20.0, 5.0, 0.0],
                "opened_on": [dt.date(2026, 9, 15), dt.date(2020, 1, 1), dt.date(2026, 10, 3), dt.date(2021, 5, 5)],
                "matures_on": [None, dt.date(2027, 1, 1), None, None],
            }
        ),
        "balance_monthly": pd.DataFrame(
            {
                "customer_id": [7, 7],
                "month": [dt.date(2026, 9, 1), dt.date(2026, 10, 1)],
                "deposit_rmb": [100.01, 80.0],
                "loan_rmb": [0.0, 0.0],
                "aum_rmb": [110.01, 85.0],
            }
        ),
    }


def test_account_rows_of_a_hand_made_customer():
    customers = pd.DataFrame({"id": [7], "customer_no": ["P7"], "kind": ["personal"], "home_outlet_id": [1]})
    rows = account_rows(hand_tables(), customers)
    got = rows[["extract", "month", "product_code", "account_no", "balance_rmb", "opened_on", "matures_on"]]
    got = got.astype({name: object for name in ("extract", "month", "product_code", "account_no")})
    expected = pd.DataFrame(
        [
            # September: 100.01 split 3 : 1 → 75.0075 → 75.01 and 25.0025 → 25.00 (sum 100.01);
            # the demand deposit was opened on 15 September, so its date is given from then on.
            ("personal_deposits", "2026-09", "DD-P", "DD-P-P7", 75.01, dt.date(2026, 9, 15), None),
            ("personal_deposits", "2026-09", "TD-P", "TD-P-P7", 25.00, dt.date(2020, 1, 1), dt.date(2027, 1, 1)),
            ("personal_deposits", "2026-10", "DD-P", "DD-P-P7", 60.00, dt.date(2026, 9, 15), None),
            ("personal_deposits", "2026-10", "TD-P", "TD-P-P7", 20.00, dt.date(2020, 1, 1), dt.date(2027, 1, 1)),
            # The debit card in the last month only; the wealth product carries AUM − deposits,
            # and its October opening date is not given for September.
            ("product_holdings", "2026-10", "DC", "DC-P7", 0.00, dt.date(2021, 5, 5), None),
            ("product_holdings", "2026-09", "WM", "WM-P7", 10.00, None, None),
            ("product_holdings", "2026-10", "WM", "WM-P7", 5.00, dt.date(2026, 10, 3), None),
        ],
        columns=got.columns,
    )
    ordered = got.sort_values(["extract", "product_code", "month"]).reset_index(drop=True)
    expected = expected.sort_values(["extract", "product_code", "month"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(ordered, expected, check_dtype=False)
    assert set(rows.outlet_code) == {"O1"} and set(rows.customer_no) == {"P7"}


def test_the_remainder_cent_goes_to_the_largest_account():
    tables = hand_tables()
    tables["holding"]["balance_rmb"] = [1.0, 1.0, 0.0, 0.0]  # equal deposit weights
    tables["balance_monthly"]["deposit_rmb"] = [1.00, 0.02]  # 33.3 % each does not fit in cents
    customers = pd.DataFrame({"id": [7], "customer_no": ["P7"], "kind": ["personal"], "home_outlet_id": [1]})
    rows = account_rows(tables, customers)
    deposits = rows[rows.extract == "personal_deposits"].sort_values(["month", "product_code"])
    assert deposits.balance_rmb.tolist() == [0.50, 0.50, 0.01, 0.01]
    tables["balance_monthly"]["deposit_rmb"] = [0.03, 0.01]
    rows = account_rows(tables, customers)
    deposits = rows[rows.extract == "personal_deposits"].sort_values(["month", "product_code"])
    # 1.5 and 0.5 cents round to even (2 and 0); the cent over or missing goes to the first of
    # the equally large accounts.
    assert deposits.balance_rmb.tolist() == [0.01, 0.02, 0.01, 0.00]


def test_export_command_writes_an_empty_or_new_folder_only(tmp_path, capsys):
    folder = tmp_path / "demo"
    assert demo_cli(["--scale", "0.01", "--seed", "5", "--export", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "01_org_units.csv" in out and "manifest.csv" in out
    assert all(table in out for table in NOT_EXPORTED)
    assert (folder / "manifest.csv").is_file()
    assert demo_cli(["--scale", "0.01", "--export", str(folder)]) == 1
    assert "not an empty folder" in capsys.readouterr().err


def rows_per_table(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            name: connection.execute(select(func.count()).select_from(text(name))).scalar_one()
            for name in ROUND_TRIP_TABLES
        }


def _normal(value):
    """A value read back in the same form from either backend (dates and times as ISO text)."""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.removesuffix(".000000")
    if isinstance(value, Decimal):
        return float(value)
    return value


def figures(engine) -> dict[str, list]:
    with engine.connect() as connection:
        return {
            name: [tuple(_normal(value) for value in row) for row in connection.execute(text(sql)).all()]
            for name, sql in FIGURES.items()
        }


def same_rows(loaded: list[tuple], built: list[tuple]) -> bool:
    """Equal rows, sums of amounts equal up to the order the database added them in."""
    if len(loaded) != len(built):
        return False
    for row, other in zip(loaded, built):
        for value, expected in zip(row, other):
            if isinstance(expected, float) or isinstance(value, float):
                if not math.isclose(value, expected, rel_tol=1e-12, abs_tol=1e-6):
                    return False
            elif value != expected:
                return False
    return True


def holdings(engine) -> pd.DataFrame:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "select c.customer_no, p.code, h.balance_rmb from holding h join customer c on c.id = h.customer_id "
                "join product p on p.id = h.product_id order by 1, 2"
            )
        ).all()
    return pd.DataFrame(rows, columns=["customer_no", "code", "balance_rmb"])


def generated_holdings(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The generator's own holdings (before any export), as :func:`holdings` gives them."""
    customer_numbers = tables["customer"].set_index("id").customer_no
    product_codes = tables["product"].set_index("id").code
    frame = tables["holding"]
    return pd.DataFrame(
        {
            "customer_no": frame.customer_id.map(customer_numbers),
            "code": frame.product_id.map(product_codes),
            "balance_rmb": frame.balance_rmb,
        }
    )


def unit_lifecycles(engine) -> dict[str, tuple]:
    """Unit code → (status, closed_on, code of the unit merged into, district code, service area km²)."""
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "select u.code, u.status, u.closed_on, m.code, d.code, u.service_area_km2 from org_unit u "
                "left join org_unit m on m.id = u.merged_into_id left join district d on d.id = u.district_id"
            )
        ).all()
    return {row[0]: tuple(_normal(value) for value in row[1:]) for row in rows}


def registry_events(engine) -> list[tuple]:
    """Every org_unit_event in id order: (unit code, type, date, related unit code, reason, recorded by)."""
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "select u.code, e.event_type, e.event_date, r.code, e.reason, e.recorded_by from org_unit_event e "
                "join org_unit u on u.id = e.org_unit_id left join org_unit r on r.id = e.related_unit_id order by e.id"
            )
        ).all()
    return [tuple(_normal(value) for value in row) for row in rows]


def _missing(value):
    """None for a missing value of a generated frame (None, NaN, NaT), else the value."""
    return None if pd.isna(value) else value


def built_lifecycles(tables: dict) -> dict[str, tuple]:
    """:func:`unit_lifecycles` as the generator built the units (before any file was written)."""
    units = tables["org_unit"]
    codes = units.set_index("id").code
    districts = tables["district"].set_index("id").code
    return {
        code: (
            status,
            _normal(_missing(closed)),
            codes.get(_missing(merged)),
            districts.get(_missing(district)),
            _missing(area),
        )
        for code, status, closed, merged, district, area in zip(
            units.code, units.status, units.closed_on, units.merged_into_id, units.district_id, units.service_area_km2
        )
    }


def built_events(tables: dict, recorded_by: str) -> list[tuple]:
    """:func:`registry_events` as the generator built them, in its order (by date), recorded by ``recorded_by``."""
    events = tables["org_unit_event"].sort_values("id")
    codes = tables["org_unit"].set_index("id").code
    return [
        (codes[unit], kind, _normal(on), codes.get(_missing(related)), _missing(reason), recorded_by)
        for unit, kind, on, related, reason in zip(
            events.org_unit_id, events.event_type, events.event_date, events.related_unit_id, events.reason
        )
    ]


def test_exported_demo_loads_into_an_empty_database_with_the_demos_figures(
    exported, demo_tables, demo_database_url, database_url, monkeypatch, capsys
):
    folder, files = exported
    assert setup_db(["--empty", "--database-url", database_url]) == 0
    engine = make_engine(database_url)
    with engine.begin() as connection:  # the map outlines the demand grid refers to: no import kind
        bulk_insert(connection, District.__table__, demo_tables["district"])
    monkeypatch.setenv("BRANCHSCOPE_ID_HASH_KEY", DEMO_ID_HASH_KEY)  # the demo's ID-number hashes
    assert import_cli(["load", str(folder), "--database-url", database_url, "--confirm"]) == 0
    assert f"{len(files)} files loaded in one transaction" in capsys.readouterr().out
    direct = make_engine(demo_database_url)
    try:
        assert rows_per_table(engine) == rows_per_table(direct)
        loaded, built = figures(engine), figures(direct)
        for name in FIGURES:
            assert loaded[name] and same_rows(loaded[name], built[name]), name
        # Holdings: those of the demo build (the same files) exactly. They come from the last
        # month's accounts, which split the month's deposit and asset totals: the generator's own
        # holdings are rounded product by product and so differ by a cent or two here and there.
        both = holdings(engine).merge(holdings(direct), on=["customer_no", "code"], suffixes=("", "_demo"))
        assert len(both) == rows_per_table(direct)["holding"]
        assert (both.balance_rmb == both.balance_rmb_demo).all()
        generated = both.merge(generated_holdings(demo_tables), on=["customer_no", "code"], suffixes=("", "_built"))
        assert len(generated) == len(both)
        assert (generated.balance_rmb - generated.balance_rmb_built).abs().max() <= 0.02 + 1e-9
        # The units' lifecycle and the registry's events are those the generator built; the
        # events' recorder is the uploader (the command line's "cli", the demo build's "demo").
        assert unit_lifecycles(engine) == built_lifecycles(demo_tables) == unit_lifecycles(direct)
        assert registry_events(engine) == built_events(demo_tables, "cli")
        assert registry_events(direct) == built_events(demo_tables, "demo")
    finally:
        direct.dispose()
        engine.dispose()


LIFECYCLE_SCALE = 0.15  # the smallest network of the default seed with a closed, a merged and a planned outlet


@pytest.fixture(scope="module")
def lifecycle_tables():
    return build_tables(LIFECYCLE_SCALE, DEFAULT_SEED)


def test_units_lifecycle_and_registry_events_load_back_as_built(lifecycle_tables, database_url, tmp_path, capsys):
    """The org_units and unit_events files of a network with every kind of lifecycle event give
    back the generator's closing dates, merged-into units, districts, service areas and events."""
    tables = lifecycle_tables
    folder = tmp_path / "units"
    folder.mkdir()
    for order, kind in enumerate(("org_units", "unit_events"), start=1):
        write_csv(import_frame(kind, tables, tables["customer_extract"]), folder / f"{order:02d}_{kind}.csv")
    assert setup_db(["--empty", "--database-url", database_url]) == 0
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:  # the outlines the district codes name: reference data
            bulk_insert(connection, District.__table__, tables["district"])
        assert import_cli(["load", str(folder), "--database-url", database_url, "--confirm"]) == 0
        assert "2 files loaded in one transaction" in capsys.readouterr().out
        lifecycles = built_lifecycles(tables)
        assert unit_lifecycles(engine) == lifecycles
        assert registry_events(engine) == built_events(tables, "cli")
        # Not an empty comparison: the network has every lifecycle the columns carry.
        statuses = [status for status, *_ in lifecycles.values()]
        assert (statuses.count("closed"), statuses.count("merged"), statuses.count("planned")) == (1, 1, 1)
        merged = [values for values in lifecycles.values() if values[0] == "merged"][0]
        assert merged[1] is not None and merged[2] is not None
        assert sum(values[3] is not None for values in lifecycles.values()) == 30  # every outlet's district
        # Every outlet but the planned one serves an area.
        assert sum(values[4] is not None for values in lifecycles.values()) == 29
        assert Counter(kind for _, kind, *_ in registry_events(engine)) == {
            "opened": 29,
            "renovated": 2,
            "closed": 1,
            "merged": 1,
            "planned": 1,
        }
    finally:
        engine.dispose()

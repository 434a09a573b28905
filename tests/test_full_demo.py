"""The full-population demo (``--customers full``): every customer the KPIs count, made a part of
the customers at a time, and through the import path adding up to the outlets' KPIs without the
sample's ×20: per open outlet, customers = the last month's active customers, and the customers'
last month-end deposits and loans = the outlet's deposit and loan KPIs (personal and corporate)."""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import text

from data.demo import build_tables, generate
from data.demo.export import export_demo
from data.demo.parts import CUSTOMER_PARTS, CustomerParts
from data.importer.folder import plan_folder
from data.schema import Base
from tests.conftest import empty_database

SCALE = 0.01  # two outlets' worth of a city each: ≈ 27,000 customers
SEED = 5
PART = 6_000  # customers per part in these tests: several parts, several files per parted kind


@pytest.fixture(scope="module")
def full():
    tables = build_tables(SCALE, SEED, customers="full")
    tables[CUSTOMER_PARTS] = dataclasses.replace(tables[CUSTOMER_PARTS], part_customers=PART)
    return tables


def _last_month_kpis(kpis: pd.DataFrame) -> pd.DataFrame:
    """Outlet × metric of the last month."""
    last = kpis[kpis.month == kpis.month.max()]
    return last.pivot_table(index="outlet_id", columns="metric_code", values="value", aggfunc="sum")


def _expected_customers(kpis: pd.DataFrame, units: pd.DataFrame) -> pd.Series:
    """Customers per open outlet with active customers: round(active), at least one personal and
    one corporate (the generator's rule)."""
    active = _last_month_kpis(kpis)["customers_active"].fillna(0)
    open_ids = units.loc[(units.level == "outlet") & (units.status == "open"), "id"]
    active = active[active.index.isin(open_ids) & (active > 0)]
    corporate = np.maximum(1, np.round(active * 0.04))
    return (corporate + np.maximum(1, np.round(active) - corporate)).astype(int)


def test_every_active_customer_of_the_kpis_is_generated(full):
    customers = full["customer"]
    expected = _expected_customers(full["kpi_monthly"], full["org_unit"])
    counted = customers.groupby("home_outlet_id").size()
    assert len(customers) > 20_000
    pd.testing.assert_series_equal(counted.sort_index(), expected.sort_index(), check_names=False)
    assert customers.id.tolist() == list(range(1, len(customers) + 1))


def test_parts_cover_every_customer_once_and_add_up_to_the_kpis(full):
    parts = full[CUSTOMER_PARTS]
    assert len(parts) == -(-len(full["customer"]) // PART) >= 4
    seen, txn_ids, holding_ids, last_balances = [], [], [], []
    for part in parts:
        seen.extend(part.customers.id)
        txn_ids.append(part.transactions.id.to_numpy())
        holding_ids.append(part.holdings.id.to_numpy())
        assert set(part.transactions.customer_id) <= set(part.customers.id)
        balances = part.balances[part.balances.month == part.balances.month.max()]
        last_balances.append(
            balances.merge(part.customers[["id", "home_outlet_id", "kind"]], left_on="customer_id", right_on="id")
        )
    assert seen == full["customer"].id.tolist()
    for ids in (np.concatenate(txn_ids), np.sort(np.concatenate(holding_ids))):
        np.testing.assert_array_equal(ids, np.arange(1, len(ids) + 1))  # numbered on across parts
    assert len(np.concatenate(txn_ids)) > 150_000
    last = pd.concat(last_balances)
    kpis = _last_month_kpis(full["kpi_monthly"])
    for kind in ("personal", "corporate"):
        mine = last[last.kind == kind].groupby("home_outlet_id")
        for column, metric in (("deposit_rmb", f"deposits_{kind}"), ("loan_rmb", f"loans_{kind}")):
            sums = mine[column].sum()
            np.testing.assert_allclose(sums.to_numpy(), kpis.loc[sums.index, metric].to_numpy(), rtol=1e-6)


def test_same_seed_gives_the_same_parts():
    again = build_tables(SCALE, SEED, customers="full")[CUSTOMER_PARTS]
    first = next(iter(dataclasses.replace(again, part_customers=PART)))
    second = next(
        iter(dataclasses.replace(build_tables(SCALE, SEED, customers="full")[CUSTOMER_PARTS], part_customers=PART))
    )
    pd.testing.assert_frame_equal(first.transactions, second.transactions)
    pd.testing.assert_frame_equal(first.balances, second.balances)


def test_export_writes_one_file_per_part_and_kind(full, tmp_path):
    files = export_demo(tmp_path, full)
    transactions = [f for f in files if f.kind == "transactions"]
    assert len(transactions) == len(full[CUSTOMER_PARTS])
    assert [f.name for f in transactions] == sorted(f.name for f in transactions)
    assert len({f.order for f in transactions}) == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no scratch file left
    planned = [f.path.name for f in plan_folder(tmp_path)]
    assert planned == [f.name for f in files]  # the loader takes them in the export's order


def test_full_demo_through_the_import_adds_up_to_the_kpis(tmp_path, monkeypatch):
    """Built on PostgreSQL through the export and the folder loader (several files per account
    extract and for the transactions), the database's customers and last month-end balances per
    outlet equal the KPIs."""
    monkeypatch.setattr("data.demo.CustomerParts", functools.partial(CustomerParts, part_customers=10_000))
    from data.db import make_engine

    with empty_database("postgresql", tmp_path) as url:
        engine = make_engine(url)
        rows = generate(engine, SCALE, SEED, customers="full")
        with engine.connect() as connection:
            kpis = pd.read_sql(text("SELECT outlet_id, metric_code, month, value FROM kpi_monthly"), connection)
            units = pd.read_sql(text("SELECT id, level, status FROM org_unit"), connection)
            counted = (
                pd.read_sql(
                    text("SELECT home_outlet_id, count(*) AS n FROM customer GROUP BY home_outlet_id"), connection
                )
                .set_index("home_outlet_id")
                .n
            )
            sums = pd.read_sql(
                text(
                    "SELECT c.home_outlet_id, c.kind, sum(b.deposit_rmb) AS deposits, sum(b.loan_rmb) AS loans "
                    "FROM balance_monthly b JOIN customer c ON c.id = b.customer_id "
                    "WHERE b.month = (SELECT max(month) FROM balance_monthly) GROUP BY c.home_outlet_id, c.kind"
                ),
                connection,
            )
            rate = connection.execute(
                text("SELECT value FROM dataset_info WHERE key = 'customer_sample_rate'")
            ).scalar()
            batches = connection.execute(text("SELECT count(*) FROM import_batch WHERE kind = 'transactions'")).scalar()
            # The folder loader suspended foreign keys and indexes over the runs of part files: all back.
            restored = {
                table: (
                    connection.execute(
                        text(
                            "SELECT count(*) FROM pg_constraint WHERE conrelid = CAST(:t AS regclass) AND contype = 'f'"
                        ),
                        {"t": table},
                    ).scalar(),
                    set(
                        connection.execute(
                            text(
                                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                                "AND tablename = :t"
                            ),
                            {"t": table},
                        ).scalars()
                    ),
                )
                for table in ("txn", "account_balance")
            }
        engine.dispose()
    assert rate == "1.0"
    for name, (foreign_keys, indexes) in restored.items():
        table = Base.metadata.tables[name]
        assert foreign_keys == len(table.foreign_keys)
        assert {index.name for index in table.indexes} <= indexes
    assert batches >= 3
    assert rows["customer"] == counted.sum() and rows["txn"] > 150_000
    kpis["month"] = pd.to_datetime(kpis.month)
    expected = _expected_customers(kpis, units)
    pd.testing.assert_series_equal(counted.sort_index(), expected.sort_index(), check_names=False, check_dtype=False)
    last = _last_month_kpis(kpis)
    for kind in ("personal", "corporate"):
        mine = sums[sums.kind == kind].set_index("home_outlet_id")
        np.testing.assert_allclose(mine.deposits, last.loc[mine.index, f"deposits_{kind}"], rtol=1e-6)
        np.testing.assert_allclose(mine.loans, last.loc[mine.index, f"loans_{kind}"], rtol=1e-6, atol=0.01)

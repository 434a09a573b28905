"""What the account extracts give (data.accounts), on SQLite and PostgreSQL, with hand-computed
answers: customers' month-end balances and holdings, closed accounts, outlet KPIs only for
outlet-months marked complete, NPL from the loan classes, 日均, the KPI import winning over a
derived value (and giving it back when deleted), deletes and restatements deriving again."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, insert, select

from config.import_texts import import_message
from data import accounts, kpi_rollup
from data.bulk import bulk_insert, reset_sequence
from data.db import make_engine, read_dataset_info, upgrade_database
from data.demo.network import build_products
from data.importer import BatchError, confirm, delete, stage
from data.queries_performance import kpi_period_summary
from data.schema import (
    AccountKpiMonthly,
    AuditLog,
    BalanceMonthly,
    Customer,
    ExtractCompletion,
    Holding,
    KpiMonthly,
    KpiUnitMonthly,
    Product,
)
from data.scope import scope_for
from tests.conftest import empty_database
from tests.network_fixture import kpi_value, load_network
from tests.test_importer import table_checksums

OCT, NOV = dt.date(2026, 10, 1), dt.date(2026, 11, 1)
HEADER = "month,outlet_code,customer_no,product_code,account_no,balance_rmb"
DEPOSIT_HEADER = f"{HEADER},daily_average_rmb,opened_on,matures_on,closed_on"
LOAN_HEADER = f"{HEADER},daily_average_rmb,loan_class"
# Corporate customers added to the fixture network (C001–C006 are personal, ids 1–6).
CORPORATE = [(7, "K01", 6), (8, "K02", 8)]


def add_products_and_companies(engine) -> None:
    with engine.begin() as connection:
        bulk_insert(connection, Product.__table__, build_products())
        connection.execute(
            insert(Customer),
            [
                {
                    "id": cid,
                    "customer_no": no,
                    "kind": "corporate",
                    "name": f"公司{no}",
                    "id_number_hash": "0" * 64,
                    "home_outlet_id": outlet,
                    "opened_on": dt.date(2015, 1, 1),
                    "is_key_customer": False,
                }
                for cid, no, outlet in CORPORATE
            ],
        )
        reset_sequence(connection, Customer.__table__)


@pytest.fixture
def bank(network):
    """The fixture network with the demo product shelf and two corporate customers."""
    add_products_and_companies(network)
    return network


def load(engine, kind: str, header: str, *lines: str, restate: bool = False) -> int:
    """Stage and confirm a file as the steward; returns the batch id."""
    content = "\n".join([header, *lines]) + "\n"
    result = stage(engine, kind, content.encode(), f"{kind}.csv", "steward", restate=restate)
    assert result.ok, [(e.row, e.column, e.key, e.params) for e in result.errors]
    confirm(engine, result.batch_id, "steward")
    return result.batch_id


def _date(value):
    return value if value is None or type(value) is dt.date else dt.date.fromisoformat(str(value)[:10])


def balances(engine) -> dict:
    with engine.connect() as connection:
        rows = connection.execute(select(BalanceMonthly.__table__)).all()
    return {(r.customer_id, _date(r.month)): (r.deposit_rmb, r.loan_rmb, r.aum_rmb) for r in rows}


def holdings(engine) -> dict:
    with engine.connect() as connection:
        rows = connection.execute(
            select(Holding.customer_id, Product.code, Holding.balance_rmb, Holding.opened_on, Holding.matures_on).join(
                Product, Product.id == Holding.product_id
            )
        ).all()
    return {(c, code): (balance, _date(opened), _date(matures)) for c, code, balance, opened, matures in rows}


def account_kpis(engine) -> dict:
    with engine.connect() as connection:
        rows = connection.execute(select(AccountKpiMonthly.__table__)).all()
    return {(r.outlet_id, r.metric_code, _date(r.month)): (r.value, r.accounts) for r in rows}


def kpi_rows(engine, month=NOV) -> dict:
    """kpi_monthly of ``month``: (outlet, metric) → (value, source)."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(KpiMonthly.outlet_id, KpiMonthly.metric_code, KpiMonthly.value, KpiMonthly.source).where(
                KpiMonthly.month == month
            )
        ).all()
    return {(o, m): (v, s) for o, m, v, s in rows}


def rollup_total(engine, unit_id: int, code: str, month=NOV):
    """The KPI roll-up's total for a unit (None without a row); asserts the roll-up is current."""
    with engine.connect() as connection:
        assert kpi_rollup.is_current(connection)
        return connection.execute(
            select(KpiUnitMonthly.total).where(
                KpiUnitMonthly.unit_id == unit_id, KpiUnitMonthly.metric_code == code, KpiUnitMonthly.month == month
            )
        ).scalar()


def marks(engine) -> set:
    with engine.connect() as connection:
        rows = connection.execute(
            select(ExtractCompletion.extract, ExtractCompletion.outlet_id, ExtractCompletion.month)
        ).all()
    return {(e, o, _date(m)) for e, o, m in rows}


def add_holding(engine, customer_id: int, code: str, balance: float) -> None:
    """A holding as the demo writes it (no extract behind it)."""
    with engine.begin() as connection:
        product = connection.execute(select(Product.id).where(Product.code == code)).scalar_one()
        connection.execute(insert(Holding).values(customer_id=customer_id, product_id=product, balance_rmb=balance))


# --------------------------------------------------------------------------- customers


def test_balances_and_holdings_follow_the_extracts_and_closed_accounts_are_not_held(bank):
    add_holding(bank, 3, "DD-P", 123.0)  # customer 3 has no extract: the demo's holding stays
    add_holding(bank, 1, "CC", 0.0)  # customer 1 has extracts: holdings are what they say
    deposits = load(
        bank,
        "personal_deposits",
        DEPOSIT_HEADER,
        "2026-11,U6,C001,DD-P,A1,1000,,2020-01-01,,",
        "2026-11,U6,C001,TD-P,A2,5000,,2025-05-01,2027-05-01,",
        "2026-11,U6,C001,TD-P,A3,2500,,2026-01-10,2026-12-10,",
        "2026-11,U6,C002,TD-P,A4,0,,2024-01-01,2026-11-01,2026-11-01",  # matured and closed in November
        "2026-11,U6,C002,DD-P,A5,300,,,,",
    )
    loans = load(bank, "personal_loans", LOAN_HEADER, "2026-11,U6,C001,ML,L1,80000,,normal")
    held = load(
        bank,
        "product_holdings",
        HEADER,
        "2026-11,U6,C001,WM,W1,2000",
        "2026-11,U6,C001,FD,F1,1000",
        "2026-11,U6,C001,INS,I1,500",
        "2026-11,U6,C001,GD,G1,700",  # gold is held but not in AUM (as in the demo)
        "2026-11,U6,C001,DC,D1,0",
        "2026-11,U6,K01,CB,E1,0",  # a company's e-banking contract
    )
    fixture = {(i, OCT): (1000.0 * i, 0.0, 1000.0 * i) for i in range(1, 7)}  # the fixture's rows stay
    assert balances(bank) == fixture | {
        (1, NOV): (8500.0, 80000.0, 12000.0),  # deposits 1000 + 5000 + 2500; AUM + 2000 + 1000 + 500
        (2, NOV): (300.0, 0.0, 300.0),
        (7, NOV): (0.0, 0.0, 0.0),
    }
    assert holdings(bank) == {
        (1, "DD-P"): (1000.0, dt.date(2020, 1, 1), None),
        (1, "TD-P"): (7500.0, dt.date(2025, 5, 1), dt.date(2026, 12, 10)),  # earliest opening and maturity
        (1, "ML"): (80000.0, None, None),
        (1, "WM"): (2000.0, None, None),
        (1, "FD"): (1000.0, None, None),
        (1, "INS"): (500.0, None, None),
        (1, "GD"): (700.0, None, None),
        (1, "DC"): (0.0, None, None),
        (2, "DD-P"): (300.0, None, None),  # the closed time deposit is not held
        (3, "DD-P"): (123.0, None, None),
        (7, "CB"): (0.0, None, None),
    }
    # An earlier month replaces the fixture's row of that month; holdings stay with the latest month.
    october = load(bank, "personal_deposits", DEPOSIT_HEADER, "2026-10,U6,C001,DD-P,A1,900,,,,")
    assert balances(bank)[(1, OCT)] == (900.0, 0.0, 900.0)
    assert holdings(bank)[(1, "DD-P")] == (1000.0, dt.date(2020, 1, 1), None)
    # Deleting November's deposits: customer 2 has no extract rows left, customer 1 still has November's others.
    delete(bank, deposits, "steward")
    after = balances(bank)
    assert (2, NOV) not in after and after[(2, OCT)] == (2000.0, 0.0, 2000.0)
    assert after[(1, NOV)] == (0.0, 80000.0, 3500.0)
    assert {code for c, code in holdings(bank) if c == 1} == {"ML", "WM", "FD", "INS", "GD", "DC"}
    assert not [key for key in holdings(bank) if key[0] == 2]
    # Without any November extract, customer 1's latest month is October.
    delete(bank, loans, "steward")
    delete(bank, held, "steward")
    assert {key: value for key, value in holdings(bank).items() if key[0] in (1, 7)} == {
        (1, "DD-P"): (900.0, None, None)
    }
    assert (1, NOV) not in balances(bank) and (7, NOV) not in balances(bank)
    delete(bank, october, "steward")
    assert holdings(bank) == {(3, "DD-P"): (123.0, None, None)}
    assert balances(bank) == {key: value for key, value in fixture.items() if key[0] != 1}


# --------------------------------------------------------------------------- outlet KPIs


def test_outlet_kpis_and_daily_averages_only_for_complete_outlet_months(bank):
    personal = load(
        bank,
        "personal_deposits",
        DEPOSIT_HEADER,
        "2026-11,U6,C001,DD-P,A1,1000,950,,,",
        "2026-11,U6,C002,DD-P,A2,3000,3100,,,",
        "2026-11,U7,C003,DD-P,A3,500,,,,",  # no 日均: outlet 7 gets no daily-average KPI
        "2026-11,U7,C004,DD-P,A4,700,650,,,",
    )
    corporate = load(bank, "corporate_deposits", DEPOSIT_HEADER, "2026-11,U6,K01,DD-C,B1,1000000,900000,,,")
    assert account_kpis(bank) == {} and not any(s for _, s in kpi_rows(bank).values())
    assert accounts.mark_complete(bank, personal, "steward") == 2
    assert marks(bank) == {("personal_deposit", 6, NOV), ("personal_deposit", 7, NOV)}
    assert account_kpis(bank) == {
        (6, "deposits_personal", NOV): (4000.0, 2),
        (6, "deposits_personal_daily_avg", NOV): (4050.0, 2),
        (7, "deposits_personal", NOV): (1200.0, 2),
    }
    assert kpi_rows(bank) == {
        (6, "deposits_personal"): (4000.0, "accounts"),
        (6, "deposits_personal_daily_avg"): (4050.0, "accounts"),
        (7, "deposits_personal"): (1200.0, "accounts"),
    }
    assert rollup_total(bank, 4, "deposits_personal") == 5200.0  # sub-branch A1: outlets 6 and 7
    assert accounts.mark_complete(bank, corporate, "steward") == 1
    assert kpi_rows(bank)[(6, "deposits_corporate")] == (1e6, "accounts")
    assert kpi_rows(bank)[(6, "deposits_corporate_daily_avg")] == (9e5, "accounts")
    # The totals and a daily average over two months (the mean of the months) through the queries.
    october = load(bank, "personal_deposits", DEPOSIT_HEADER, "2026-10,U6,C001,DD-P,A1,800,850,,,")
    accounts.mark_complete(bank, october, "steward")
    with bank.connect() as connection:
        scope = scope_for(connection, "exec", "executive", None)
    summary = kpi_period_summary(
        bank,
        scope,
        6,
        ("deposits_total", "deposits_total_daily_avg", "deposits_personal_daily_avg"),
        "custom",
        NOV,
        OCT,
    ).set_index("metric_code")["value"]
    assert summary["deposits_total"] == pytest.approx(4000.0 + 1e6)  # a stock: November's
    assert summary["deposits_personal_daily_avg"] == pytest.approx((850.0 + 4050.0) / 2)  # mean of the months
    assert summary["deposits_total_daily_avg"] == pytest.approx((850.0 + 4050.0) / 2 + 9e5)
    # Taking a mark back removes its KPIs everywhere, the roll-up included.
    version = read_dataset_info(bank)["data_version"]
    accounts.unmark_complete(bank, "personal_deposit", 7, NOV, "steward")
    assert (7, "deposits_personal", NOV) not in account_kpis(bank) and (7, "deposits_personal") not in kpi_rows(bank)
    assert rollup_total(bank, 4, "deposits_personal") == 4000.0
    assert read_dataset_info(bank)["data_version"] != version
    with bank.connect() as connection:
        actions = connection.execute(select(AuditLog.action, AuditLog.username).order_by(AuditLog.id)).all()
    assert ("extract_marked_complete", "steward") in actions and actions[-1] == ("extract_unmarked", "steward")


def test_npl_needs_every_loan_extract_of_the_outlet_month_complete_and_classified(bank):
    personal = load(
        bank,
        "personal_loans",
        LOAN_HEADER,
        "2026-11,U6,C001,ML,L1,80000,,normal",
        "2026-11,U6,C002,CL,L2,20000,,次级",  # the Chinese name is stored as its code
        "2026-11,U6,C001,BL,L3,5000,,loss",
        "2026-11,U7,C003,ML,L4,1000,,",  # no class: outlet 7 gets no NPL
        "2026-11,U8,C005,ML,L5,3000,,substandard",  # outlet 8 has no corporate loans
    )
    corporate = load(
        bank,
        "corporate_loans",
        LOAN_HEADER,
        "2026-11,U6,K01,WC,M1,1000000,,doubtful",
        "2026-11,U6,K01,FL,M2,500000,,special_mention",
    )
    accounts.mark_complete(bank, personal, "steward")
    npl = {key: value for key, value in account_kpis(bank).items() if key[1] == "loans_npl"}
    assert npl == {(8, "loans_npl", NOV): (3000.0, 1)}  # outlet 6's corporate loans are not complete yet
    assert account_kpis(bank)[(6, "loans_personal", NOV)] == (105000.0, 3)
    accounts.mark_complete(bank, corporate, "steward")
    assert account_kpis(bank)[(6, "loans_npl", NOV)] == (20000.0 + 5000.0 + 1000000.0, 5)
    assert account_kpis(bank)[(6, "loans_corporate", NOV)] == (1500000.0, 2)
    assert (7, "loans_npl", NOV) not in account_kpis(bank)
    assert kpi_rows(bank)[(6, "loans_npl")] == (1025000.0, "accounts")
    assert rollup_total(bank, 1, "loans_npl") == 1028000.0  # region: outlets 6 and 8


def test_the_kpi_import_wins_replaces_the_derived_value_and_gives_it_back_when_deleted(bank):
    october = load(bank, "personal_deposits", DEPOSIT_HEADER, "2026-10,U6,C001,DD-P,A1,7000,,,,")
    november = load(bank, "personal_deposits", DEPOSIT_HEADER, "2026-11,U6,C001,DD-P,A1,7100,,,,")
    accounts.mark_complete(bank, october, "steward")
    accounts.mark_complete(bank, november, "steward")
    imported = kpi_value(6, "deposits_personal", OCT)  # the fixture's KPI row (an import) stays
    assert kpi_rows(bank, OCT)[(6, "deposits_personal")] == (imported, None)
    assert account_kpis(bank)[(6, "deposits_personal", OCT)] == (7000.0, 1)  # for the reconciliation
    assert kpi_rows(bank)[(6, "deposits_personal")] == (7100.0, "accounts")
    kpis = load(bank, "monthly_kpis", "outlet_code,metric_code,month,value", "U6,deposits_personal,2026-11,9999")
    assert kpi_rows(bank)[(6, "deposits_personal")] == (9999.0, None)
    assert rollup_total(bank, 4, "deposits_personal") == 9999.0
    delete(bank, kpis, "steward")
    assert kpi_rows(bank)[(6, "deposits_personal")] == (7100.0, "accounts")
    assert rollup_total(bank, 4, "deposits_personal") == 7100.0


def test_deleting_a_marked_batch_takes_its_marks_and_kpis_away(bank):
    batch = load(bank, "personal_deposits", DEPOSIT_HEADER, "2026-11,U6,C001,DD-P,A1,500,,,,")
    accounts.mark_complete(bank, batch, "steward")
    assert rollup_total(bank, 4, "deposits_personal") == 500.0
    delete(bank, batch, "steward")
    assert marks(bank) == set() and account_kpis(bank) == {}
    assert (6, "deposits_personal") not in kpi_rows(bank)
    assert rollup_total(bank, 4, "deposits_personal") is None


def test_a_restating_batch_derives_again_and_its_delete_restores(bank):
    first = load(
        bank,
        "personal_deposits",
        DEPOSIT_HEADER,
        "2026-11,U6,C001,DD-P,A1,1000,,,,",
        "2026-11,U6,C002,DD-P,A2,2000,,,,",
    )
    accounts.mark_complete(bank, first, "steward")
    before = (balances(bank), holdings(bank), account_kpis(bank), kpi_rows(bank))
    # The correction: A1's balance, and A2 belongs to customer 3 of outlet 7 (not marked complete).
    correction = load(
        bank,
        "personal_deposits",
        DEPOSIT_HEADER,
        "2026-11,U6,C001,DD-P,A1,1500,,,,",
        "2026-11,U7,C003,DD-P,A2,2000,,,,",
        restate=True,
    )
    after = balances(bank)
    assert after[(1, NOV)] == (1500.0, 0.0, 1500.0) and after[(3, NOV)] == (2000.0, 0.0, 2000.0)
    assert (2, NOV) not in after
    assert {key for key in holdings(bank)} == {(1, "DD-P"), (3, "DD-P")}
    assert account_kpis(bank) == {(6, "deposits_personal", NOV): (1500.0, 1)}  # outlet 7 is not complete
    assert kpi_rows(bank)[(6, "deposits_personal")] == (1500.0, "accounts")
    assert rollup_total(bank, 4, "deposits_personal") == 1500.0
    delete(bank, correction, "steward")
    assert (balances(bank), holdings(bank), account_kpis(bank), kpi_rows(bank)) == before
    assert marks(bank) == {("personal_deposit", 6, NOV)}  # the restored rows are what was marked complete
    assert rollup_total(bank, 4, "deposits_personal") == 3000.0


def test_a_large_scope_rebuilds_the_holdings_indexes_and_foreign_keys_on_postgresql(bank, monkeypatch):
    """Many holdings go in with the table's secondary index and foreign keys rebuilt afterwards
    (PostgreSQL): the holdings are the same and the index and keys are back."""
    from sqlalchemy import inspect

    from data import bulk

    before = inspect(bank)
    indexes = {index["name"] for index in before.get_indexes("holding")}
    foreign_keys = {fk["referred_table"] for fk in before.get_foreign_keys("holding")}
    rebuilt = []
    monkeypatch.setattr(accounts, "REBUILD_INDEXES_ROWS", 2)
    monkeypatch.setattr(
        accounts,
        "without_secondary_indexes_and_foreign_keys",
        lambda connection, table: (
            rebuilt.append(table.name) or bulk.without_secondary_indexes_and_foreign_keys(connection, table)
        ),
    )
    add_holding(bank, 3, "DD-P", 123.0)
    load(bank, "personal_deposits", DEPOSIT_HEADER, "2026-11,U6,C001,DD-P,A1,1000,,,,", "2026-11,U6,C002,DD-P,A2,5,,,,")
    assert rebuilt == (["holding"] if bank.dialect.name == "postgresql" else [])
    assert holdings(bank) == {
        (1, "DD-P"): (1000.0, None, None),
        (2, "DD-P"): (5.0, None, None),
        (3, "DD-P"): (123.0, None, None),
    }
    after = inspect(bank)
    assert {index["name"] for index in after.get_indexes("holding")} == indexes
    assert {fk["referred_table"] for fk in after.get_foreign_keys("holding")} == foreign_keys == {"customer", "product"}


def test_batches_confirmed_at_once_both_count(bank):
    """Deposits and loans of the same customer and month confirmed at the same moment: the
    derived month holds both (on PostgreSQL the derivations queue; SQLite serialises writers)."""
    import threading

    staged = [
        stage(bank, kind, f"{header}\n{line}\n".encode(), f"{kind}.csv", "steward").batch_id
        for kind, header, line in (
            ("personal_deposits", DEPOSIT_HEADER, "2026-11,U6,C001,DD-P,A1,1000,,,,"),
            ("personal_loans", LOAN_HEADER, "2026-11,U6,C001,ML,L1,50000,,normal"),
        )
    ]
    errors = []

    def confirm_one(batch_id):
        try:
            confirm(bank, batch_id, "steward")
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=confirm_one, args=(batch_id,)) for batch_id in staged]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert balances(bank)[(1, NOV)] == (1000.0, 50000.0, 1000.0)
    assert set(holdings(bank)) == {(1, "DD-P"), (1, "ML")}


# --------------------------------------------------------------------------- who and what


def test_only_stewards_mark_confirmed_account_batches(bank):
    line = "2026-11,U6,C001,DD-P,A1,500,,,,"
    batch = load(bank, "personal_deposits", DEPOSIT_HEADER, line)
    for user in ("exec", "head6", "nobody"):
        with pytest.raises(BatchError) as refused:
            accounts.mark_complete(bank, batch, user)
        assert refused.value.key == "import_not_allowed"
    staged = stage(
        bank, "personal_deposits", f"{DEPOSIT_HEADER}\n2026-12,U6,C001,DD-P,A1,5,,,,\n".encode(), "s.csv", "steward"
    )
    kpis = load(bank, "monthly_kpis", "outlet_code,metric_code,month,value", "U6,complaints,2026-11,4")
    for batch_id, key in ((staged.batch_id, "accounts_mark_needs_confirmed"), (kpis, "accounts_not_an_extract")):
        with pytest.raises(BatchError) as refused:
            accounts.mark_complete(bank, batch_id, "steward")
        assert refused.value.key == key and import_message(key, "zh", **refused.value.params)
    with pytest.raises(BatchError) as refused:
        accounts.unmark_complete(bank, "personal_deposit", 6, NOV, "steward")
    assert refused.value.key == "accounts_not_marked" and import_message(
        "accounts_not_marked", "en", **refused.value.params
    )
    assert marks(bank) == set()
    assert accounts.mark_complete(bank, batch, "cli", trusted=True) == 1
    with pytest.raises(BatchError):
        accounts.unmark_complete(bank, "personal_deposit", 6, NOV, "exec")
    accounts.unmark_complete(bank, "personal_deposit", 6, NOV, "steward")
    assert marks(bank) == set()


@pytest.mark.parametrize(
    "kind, header, line, column, key",
    [
        ("personal_deposits", DEPOSIT_HEADER, "2026-11,U6,C001,DD-P,A1,5,,2026-12-01,,", "opened_on",
         "import_account_opened_after_month"),
        ("personal_deposits", DEPOSIT_HEADER, "2026-11,U6,C001,DD-P,A1,5,,,,2026-12-02", "closed_on",
         "import_account_closed_after_month"),
        ("personal_deposits", DEPOSIT_HEADER, "2026-11,U6,C001,TD-P,A1,0,,2026-05-01,,2026-04-30", "closed_on",
         "import_closed_before_opened"),
        ("personal_deposits", DEPOSIT_HEADER, "2026-11,U6,C001,TD-P,A1,5,,2026-05-01,2026-04-30,", "matures_on",
         "import_account_matures_before_opened"),
        ("personal_deposits", DEPOSIT_HEADER, "2026-11,U6,C001,DD-P,A1,5,-1,,,", "daily_average_rmb",
         "import_below_minimum"),
        ("personal_loans", LOAN_HEADER, "2026-11,U6,C001,ML,L1,5,,bad", "loan_class", "import_bad_choice"),
        ("corporate_loans", LOAN_HEADER, "2026-11,U6,K01,ML,L1,5,,normal", "product_code", "import_unknown_code"),
        ("product_holdings", HEADER, "2026-11,U6,C001,DD-P,W1,5", "product_code", "import_unknown_code"),
        ("product_holdings", HEADER, "2026-11,U6,X999,WM,W1,5", "customer_no", "import_unknown_code"),
    ],
)  # fmt: skip
def test_bad_account_rows_get_a_row_level_error_and_change_nothing(bank, kind, header, line, column, key):
    before = table_checksums(bank)
    result = stage(bank, kind, f"{header}\n{line}\n".encode(), "extract.csv", "steward")
    assert [(e.row, e.column, e.key) for e in result.errors] == [(2, column, key)]
    assert import_message(key, "zh", **result.errors[0].params)
    assert table_checksums(bank) == before


def test_a_loan_class_column_in_a_deposit_file_is_refused(bank):
    result = stage(
        bank, "personal_deposits", f"{LOAN_HEADER}\n2026-11,U6,C001,DD-P,A1,5,,normal\n".encode(), "x.csv", "steward"
    )
    assert result.file_error is not None and result.file_error.key == "import_unknown_columns"


def test_optional_columns_land_as_written(bank):
    load(
        bank,
        "corporate_loans",
        f"{LOAN_HEADER},opened_on,matures_on,closed_on",
        "2026-11,U6,K01,WC,M1,250000.5,240000.25,可疑,2024-02-03,2027-02-03,",
    )
    from data.schema import AccountBalance

    with bank.connect() as connection:
        row = connection.execute(select(AccountBalance.__table__)).one()
    assert (row.extract, row.balance_rmb, row.daily_average_rmb, row.loan_class) == (
        "corporate_loan",
        250000.5,
        240000.25,
        "doubtful",
    )
    assert (_date(row.opened_on), _date(row.matures_on), row.closed_on) == (
        dt.date(2024, 2, 3),
        dt.date(2027, 2, 3),
        None,
    )


# --------------------------------------------------------------------------- fuzzed


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared_bank(request, tmp_path_factory):
    """The fixture network with products and companies, shared by the fuzzed test (which leaves
    it as it found it)."""
    with empty_database(request.param, tmp_path_factory.mktemp("bank")) as url:
        engine = make_engine(url)
        upgrade_database(engine)
        load_network(engine)
        add_products_and_companies(engine)
        yield engine
        engine.dispose()


BAD_VALUES = {0: "2026-13", 1: "X1", 2: "X999", 3: "DD-P", 5: "-1"}  # DD-P: a deposit product
VALID_ROW = st.tuples(
    st.sampled_from(["2026-11", "2026-12"]),  # not October: the fixture has balances then
    st.sampled_from(["U6", "U7", "U8"]),
    st.sampled_from(["C001", "C002", "C003", "K01"]),
    st.sampled_from(["WM", "FD", "INS", "GD", "DC", "MB"]),
    st.sampled_from(["N1", "N2", "N3", "N4", "N5", "N6"]),
    st.sampled_from(["0", "100", "2500.5", "7", "100", "250", "1e14", "abc"]),  # the last two are refused
    st.sampled_from(["", "", "2026-11-15"]),
)


@st.composite
def holding_rows(draw) -> tuple:
    """A row of the product-holding extract; now and then one value is made bad."""
    row = list(draw(VALID_ROW))
    spoilt = draw(st.sampled_from([None] * 12 + list(BAD_VALUES)))
    if spoilt is not None:
        row[spoilt] = BAD_VALUES[spoilt]
    return tuple(row)


def _model(frame: pd.DataFrame) -> tuple[dict, dict]:
    """Balances and holdings computed by hand from accepted rows (the module docstring's rules)."""
    customers = {"C001": 1, "C002": 2, "C003": 3, "K01": 7}
    frame = frame.assign(customer=frame.customer.map(customers), balance=frame.balance.astype(float))
    aum = frame.code.isin(["WM", "FD", "INS"])
    month = pd.to_datetime(frame.month + "-01").dt.date
    frame = frame.assign(month=month, invested=frame.balance.where(aum, 0.0))
    sums = frame.groupby(["customer", "month"]).invested.sum()
    balances_ = {key: (0.0, 0.0, value) for key, value in sums.items()}
    latest = frame.groupby("customer").month.transform("max")
    open_rows = frame[(frame.month == latest) & (frame.closed == "")]
    held = open_rows.groupby(["customer", "code"]).balance.sum()
    return balances_, {key: value for key, value in held.items()}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(holding_rows(), min_size=1, max_size=8, unique_by=lambda row: (row[0], row[4])))
def test_fuzzed_holding_extracts_derive_by_the_rules_or_change_nothing(shared_bank, rows):
    """Random product-holding files: refused with nothing changed, or confirmed with balances and
    holdings exactly as the rules compute them by hand, and deleted back to the start."""
    engine = shared_bank
    before = table_checksums(engine)
    lines = [f"{m},{o},{c},{p},{a},{b},,,{closed}" for m, o, c, p, a, b, closed in rows]
    content = (HEADER + ",opened_on,matures_on,closed_on\n" + "\n".join(lines) + "\n").encode()
    result = stage(engine, "product_holdings", content, "fuzz.csv", "steward")
    event("refused" if not result.ok else "confirmed")
    if not result.ok:
        assert result.errors and all(import_message(e.key, "en", **e.params) for e in result.errors)
        assert table_checksums(engine) == before
        return
    confirm(engine, result.batch_id, "steward")
    frame = pd.DataFrame(rows, columns=["month", "outlet", "customer", "code", "account", "balance", "closed"])
    expected_balances, expected_holdings = _model(frame)
    fixture = {(i, OCT): (1000.0 * i, 0.0, 1000.0 * i) for i in range(1, 7)}
    assert balances(engine) == fixture | expected_balances
    assert {key: value[0] for key, value in holdings(engine).items()} == pytest.approx(expected_holdings)
    delete(engine, result.batch_id, "steward")
    after = table_checksums(engine)
    # The batch's history row, the data version and the holdings' ids change; nothing else does.
    unchanged = [name for name in before if name not in ("import_batch", "dataset_info", "holding")]
    assert {name: after[name] for name in unchanged} == {name: before[name] for name in unchanged}
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(Holding)).scalar() == 0

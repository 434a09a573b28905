"""Customer queries (data.queries_customers) on SQLite and PostgreSQL with hand-made balances,
holdings and transactions whose answers are worked out in the comments; scope and masking."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics.customer_value import tier_structure
from data import queries_customers as qc
from data.bulk import bulk_insert
from data.schema import BalanceMonthly, Holding, Product, Txn
from data.scope import ScopeError, scope_for
from tests.network_fixture import MONTHS

THRESHOLDS = (2_500.0, 4_500.0)  # tiers: 0 below 2,500; 1 from 2,500; 2 from 4,500
END = dt.date(2026, 10, 31)

# Earlier month-end AUM per customer (the fixture has AUM = 1,000 × id at the last month):
# customer 5 has no rows before the last month (its tiers then count as 0).
EARLIER_AUM = {1: (5_000, 5_000), 2: (3_000, 1_000), 3: (1_000, 3_000), 4: (4_000, 4_000), 6: (6_000, 6_000)}
# → raw tier paths over MONTHS: 1: (2, 2, 0)  2: (1, 0, 0)  3: (0, 1, 1)  4: (1, 1, 1)  5: (0, 0, 2)  6: (2, 2, 2)
PATHS = {1: (2, 2, 0), 2: (1, 0, 0), 3: (0, 1, 1), 4: (1, 1, 1), 5: (0, 0, 2), 6: (2, 2, 2)}
HOME = {1: 6, 2: 6, 3: 7, 4: 7, 5: 8, 6: 8}

TRANSACTIONS = [
    # customer, time, amount, channel
    (1, "2026-08-01 10:00", 100.0, "counter"),
    (1, "2026-08-01 15:00", 50.0, "mobile"),  # same day as the first: one transaction day worth 150
    (1, "2026-08-11 09:30", 30.0, "online"),
    (1, "2026-09-10 11:00", 70.0, "counter"),
    (1, "2026-10-01 12:00", -20.0, "atm"),  # a reversal: not a purchase
    (2, "2026-09-01 10:00", 10.0, "counter"),
    (3, "2026-10-15 16:00", 5.0, "mobile"),
    (3, "2026-11-02 10:00", 9.0, "mobile"),  # after END
]


@pytest.fixture(scope="module")
def customers_db(shared_network):
    rows = [
        {"customer_id": c, "month": month, "deposit_rmb": aum, "loan_rmb": 0.0, "aum_rmb": aum}
        for c, values in EARLIER_AUM.items()
        for month, aum in zip(MONTHS[:2], values)
    ]
    txns = pd.DataFrame(
        [
            {
                "id": i,
                "customer_id": c,
                "outlet_id": HOME[c],
                "product_id": None,
                "channel": channel,
                "txn_at": pd.Timestamp(at).to_pydatetime(),
                "amount_rmb": amount,
            }
            for i, (c, at, amount, channel) in enumerate(TRANSACTIONS, start=1)
        ]
    )
    products = pd.DataFrame(
        [
            {"id": 1, "code": "DD", "name_zh": "活期", "name_en": "Demand", "family": "demand_deposit",
             "segment": "personal", "annual_margin_rate": 0.01},
            {"id": 2, "code": "WM", "name_zh": "理财", "name_en": "Wealth", "family": "wealth",
             "segment": "personal", "annual_margin_rate": 0.005},
        ]
    )  # fmt: skip
    holdings = pd.DataFrame(
        [
            {"id": 1, "customer_id": 1, "product_id": 1, "balance_rmb": 500.0},
            {"id": 2, "customer_id": 1, "product_id": 2, "balance_rmb": 800.0},
            {"id": 3, "customer_id": 2, "product_id": 1, "balance_rmb": 0.0},  # closed: not held
        ]
    )
    with shared_network.begin() as connection:
        bulk_insert(connection, BalanceMonthly.__table__, pd.DataFrame(rows))
        bulk_insert(connection, Product.__table__, products)
        bulk_insert(connection, Holding.__table__, holdings)
        bulk_insert(connection, Txn.__table__, txns)
    return shared_network


def scope_of(engine, username, role, unit_id=None):
    with engine.connect() as connection:
        return scope_for(connection, username, role, unit_id)


def executive(engine):
    return scope_of(engine, "exec", "executive")


def head(engine, unit_id=6):
    return scope_of(engine, f"head{unit_id}", "branch_head", unit_id)


def as_paths(frame: pd.DataFrame) -> set[tuple]:
    columns = [c for c in frame.columns if c.startswith("t")]
    keys = (["outlet_id"] if "outlet_id" in frame else []) + columns
    return {tuple(int(v) for v in row[keys]) + (int(row.customers), float(row.aum_rmb)) for _, row in frame.iterrows()}


def test_balance_months_and_outlets(customers_db):
    assert qc.customer_balance_months(customers_db, executive(customers_db), 1) == MONTHS
    outlets = qc.customer_outlets(customers_db, executive(customers_db), 1)
    assert outlets.id.tolist() == [6, 7, 8] and outlets.customers.tolist() == [2, 2, 2]


def test_tier_paths_group_customers_by_outlet_and_raw_tier_path(customers_db):
    paths = qc.tier_paths(customers_db, executive(customers_db), 1, tuple(MONTHS), THRESHOLDS)
    expected = {(HOME[c], *PATHS[c], 1, 1_000.0 * c) for c in PATHS}
    assert as_paths(paths) == expected


def test_tier_paths_of_a_branch_head_hold_only_their_customers(customers_db):
    paths = qc.tier_paths(customers_db, head(customers_db), 6, tuple(MONTHS), THRESHOLDS)
    assert as_paths(paths) == {(6, 2, 2, 0, 1, 1_000.0), (6, 1, 0, 0, 1, 2_000.0)}
    with pytest.raises(ScopeError):
        qc.tier_paths(customers_db, head(customers_db), 7, tuple(MONTHS), THRESHOLDS)


def test_tier_structure_of_the_paths_applies_the_grace_period(customers_db):
    paths = qc.tier_paths(customers_db, executive(customers_db), 1, tuple(MONTHS), THRESHOLDS)
    by_outlet, migration = tier_structure(paths, 3, downgrade_after_months=2, from_month_index=0)
    # With a 2-month grace period: customer 1 (2, 2, 0) stays 2; customer 2 (1, 0, 0) drops to 0
    # at the third month; customer 3 (0, 1, 1) and 5 (0, 0, 2) move up at once.
    final = {(int(r.outlet_id), int(r.tier)): int(r.customers) for _, r in by_outlet.iterrows()}
    assert final == {(6, 2): 1, (6, 0): 1, (7, 1): 2, (8, 2): 2}
    # from → to: 1: 2→2, 2: 1→0, 3: 0→1, 4: 1→1, 5: 0→2, 6: 2→2
    assert migration.to_numpy().tolist() == [[0, 1, 1], [1, 1, 0], [0, 0, 2]]


def test_peer_tier_paths_pool_the_siblings_without_naming_them(customers_db):
    peers = qc.peer_tier_paths(customers_db, head(customers_db), 6, tuple(MONTHS), THRESHOLDS)
    assert "outlet_id" not in peers
    assert as_paths(peers) == {(0, 1, 1, 1, 3_000.0), (1, 1, 1, 1, 4_000.0)}  # outlet 7's customers
    assert peers.attrs["peer_units"] == 1
    city = qc.peer_tier_paths(customers_db, executive(customers_db), 2, tuple(MONTHS), THRESHOLDS)
    assert as_paths(city) == {(0, 0, 2, 1, 5_000.0), (2, 2, 2, 1, 6_000.0)}  # city branch 3: outlets 8 and 9
    only_child = qc.peer_tier_paths(customers_db, executive(customers_db), 4, tuple(MONTHS), THRESHOLDS)
    assert only_child.empty and only_child.attrs["peer_units"] == 0  # sub-branch 4 is city 2's only child
    region = qc.peer_tier_paths(customers_db, executive(customers_db), 1, tuple(MONTHS), THRESHOLDS)
    assert region.empty and region.attrs["peer_units"] == 0


def test_aum_percentiles_put_each_of_few_customers_in_its_own_group(customers_db):
    groups = qc.aum_percentiles(customers_db, executive(customers_db), 1, MONTHS[-1])
    assert groups.percentile.tolist() == [1, 2, 3, 4, 5, 6]
    assert groups.customers.tolist() == [1] * 6
    assert groups.aum_rmb.tolist() == [1_000.0 * c for c in range(1, 7)]
    assert groups.max_aum_rmb.tolist() == groups.min_aum_rmb.tolist()


def test_transaction_summary_counts_repeat_days_in_sql(customers_db):
    summary = qc.customer_transaction_summary(customers_db, head(customers_db), 6, END).set_index("customer_no")
    # Customer 1: days 08-01 (150), 08-11 (30), 09-10 (70); the reversal does not count.
    # frequency 2, recency 40 days, T = 08-01 → 10-31 = 91 days, mean repeat value (30 + 70) / 2.
    assert summary.loc["C001", ["frequency", "recency_days", "T_days", "monetary_value"]].tolist() == [
        2,
        40.0,
        91.0,
        50.0,
    ]
    assert summary.loc["C002", ["frequency", "recency_days", "T_days", "monetary_value"]].tolist() == [
        0,
        0.0,
        60.0,
        0.0,
    ]
    assert summary.attrs["customers_without_transactions"] == 0


def test_transaction_summary_of_the_region_masks_numbers_and_counts_customers_without_transactions(customers_db):
    summary = qc.customer_transaction_summary(customers_db, executive(customers_db), 1, END)
    assert summary.customer_no.tolist() == ["C***", "C***", "C***"]
    assert summary.T_days.tolist() == [91.0, 60.0, 16.0]  # customer 3's November transaction is after END
    assert summary.attrs["customers_without_transactions"] == 3


def test_holdout_counts_only_customers_born_in_the_calibration_period(customers_db):
    holdout = qc.customer_holdout_counts(customers_db, head(customers_db), 6, dt.date(2026, 8, 31), END)
    # Only customer 1 transacted by 08-31; in the holdout they have 09-10 (the 10-01 reversal is not counted).
    assert holdout.to_dict("list") == {"customer_no": ["C001"], "frequency_holdout": [1]}
    with pytest.raises(ValueError):
        qc.customer_holdout_counts(customers_db, head(customers_db), 6, END, END)


def test_region_histogram_is_anonymous_and_readable_by_a_branch_head(customers_db):
    histogram = qc.region_transaction_histogram(customers_db, head(customers_db), 6, END)
    # (frequency, whole weeks of recency, whole weeks of T): 1: (2, 40//7, 91//7), 2: (0, 0, 60//7), 3: (0, 0, 16//7)
    assert sorted(map(tuple, histogram.to_numpy().tolist())) == [(0, 0, 2, 1), (0, 0, 8, 1), (2, 5, 13, 1)]
    assert list(histogram.columns) == ["frequency", "recency_weeks", "T_weeks", "customers"]


def test_feature_frame_by_hand(customers_db):
    frame = qc.customer_feature_frame(
        customers_db, head(customers_db), 6, MONTHS[-1], dt.date(2026, 8, 1), END
    ).set_index("customer_no")
    first = frame.loc["C001"]
    assert first.aum_rmb == 1_000.0 and first.products == 2
    assert first.transactions == 5 and first.active_days == 4  # 08-01 (twice), 08-11, 09-10, 10-01
    assert first.amount_rmb == pytest.approx(250.0)  # positive amounts only
    assert first.digital_share == pytest.approx(3 / 5)  # mobile, online, atm
    assert first.days_since_last == 30.0  # 10-01 → 10-31
    assert first.tenure_years == pytest.approx((END - dt.date(2020, 1, 1)).days / 365.25)
    second = frame.loc["C002"]
    assert (second.products, second.transactions, second.digital_share, second.days_since_last) == (0, 1, 0.0, 60.0)
    assert list(frame.index) == ["C001", "C002"]  # the branch head sees real numbers


def test_feature_frame_gives_customers_without_activity_defaults_and_masks_for_executives(customers_db):
    frame = qc.customer_feature_frame(customers_db, executive(customers_db), 1, MONTHS[-1], dt.date(2026, 8, 1), END)
    assert len(frame) == 6 and all(set(number[1:]) == {"*"} for number in frame.customer_no)
    quiet = frame.iloc[3:]  # customers 4–6: no transactions, no holdings
    assert quiet.transactions.tolist() == [0, 0, 0]
    assert quiet.days_since_last.tolist() == [93.0, 93.0, 93.0]  # window of 92 days + 1
    with pytest.raises(ValueError):
        qc.customer_feature_frame(customers_db, executive(customers_db), 1, MONTHS[-1], END, dt.date(2026, 8, 1))


def test_customer_number_masking():
    assert qc.mask_customer_no("C0012345") == "C0****45"
    assert qc.mask_customer_no("C001") == "C***"

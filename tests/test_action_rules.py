"""Action lists, care reminders and complaint ageing on hand-made customers with known answers."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from analytics.action_rules import (
    ActionRules,
    activity_summary,
    age_band,
    build_action_lists,
    complaint_ageing,
    complaint_summary,
    customer_rfm,
    daily_care_list,
    list_summary,
    probability_alive,
    tier_codes,
    wallet_estimates,
)

TODAY = dt.date(2026, 11, 23)
AS_OF = dt.date(2026, 10, 31)


def hand_made_customers() -> pd.DataFrame:
    """Customers 1–8 (born 1970) and 14 exercise churn, reserve and maintenance; 9–12 (born 2000)
    development; 13 is a company. AUM in RMB, p_alive NaN where the model has no answer."""
    rows = [
        # id, kind, birth year, aum now, aum 3 months ago, products, p_alive, outlet
        (1, "personal", 1970, 600_000, 650_000, 5, 0.2, 6),  # churn: P(alive) 0.2 < 0.5
        (2, "personal", 1970, 400_000, 700_000, 5, 0.9, 6),  # churn: AUM −42.9 %, was high value
        (3, "personal", 1970, 800_000, 800_000, 5, 0.9, 7),  # maintenance: never contacted
        (4, "personal", 1970, 900_000, 900_000, 5, 0.95, 7),  # met 10 days ago: no list
        (5, "personal", 1970, 300_000, 250_000, 5, 0.9, 6),  # reserve: +20 %, 200 k short
        (6, "personal", 1970, 450_000, 400_000, 5, 0.9, 6),  # reserve: +12.5 %, 50 k short
        (7, "personal", 1970, 100_000, 200_000, 5, 0.1, 6),  # fell, but never high value
        (8, "personal", 1970, 700_000, 700_000, 5, 0.1, 7),  # sold to 5 days ago: cooling off
        (9, "personal", 2000, 5_000, 5_000, 1, 0.9, 6),  # development: 1.5 % of a 340 k wallet
        (10, "personal", 2000, 10_000, 10_000, 4, 0.9, 6),  # too many products
        (11, "personal", 2000, 200_000, np.nan, 2, 0.9, 6),  # 59 % of wallet
        (12, "personal", 2000, 400_000, np.nan, 2, 0.9, 6),
        (13, "corporate", np.nan, 50_000, 50_000, 2, np.nan, 7),
        (14, "personal", 1970, 600_000, 610_000, 5, np.nan, 7),  # maintenance: called 100 days ago
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "customer_id",
            "kind",
            "birth_year",
            "aum_now_rmb",
            "aum_then_rmb",
            "products",
            "p_alive",
            "outlet_id",
        ],
    )
    # the data layer hands the rules ten-year age bands, never birth years
    return frame.assign(age_band=age_band(frame["birth_year"], AS_OF.year)).drop(columns=["birth_year"])


def last_contacts() -> pd.DataFrame:
    rows = [
        (1, TODAY - dt.timedelta(days=2), "no_answer", "churn"),
        (4, TODAY - dt.timedelta(days=10), "met", "maintenance"),
        (8, TODAY - dt.timedelta(days=5), "product_sold", "churn"),
        (14, TODAY - dt.timedelta(days=100), "called", "maintenance"),
    ]
    frame = pd.DataFrame(rows, columns=["customer_id", "contacted_at", "outcome", "list_kind"])
    frame["contacted_at"] = pd.to_datetime(frame["contacted_at"])
    return frame


def members(lists: pd.DataFrame, kind: str) -> list[int]:
    part = lists[lists["list_kind"] == kind].sort_values("rank")
    return [int(c) for c in part["customer_id"]]


def test_default_rules_give_exactly_the_expected_lists():
    lists = build_action_lists(hand_made_customers(), ActionRules(), TODAY, last_contacts())
    assert members(lists, "churn") == [1, 2]
    assert members(lists, "development") == [9]
    assert members(lists, "reserve") == [6, 5]
    assert members(lists, "maintenance") == [3, 14]
    churn = lists[lists["list_kind"] == "churn"].set_index("customer_id")
    assert churn.loc[1, "value_rmb"] == 600_000 and churn.loc[2, "value_rmb"] == 400_000
    assert bool(churn.loc[1, "reason_p_alive"]) and not bool(churn.loc[1, "reason_aum_drop"])
    assert bool(churn.loc[2, "reason_aum_drop"]) and not bool(churn.loc[2, "reason_p_alive"])
    assert churn.loc[2, "aum_change_share"] == pytest.approx(-3 / 7)
    assert churn.loc[1, "last_outcome"] == "no_answer"  # yesterday's "no answer" shows on today's list
    development = lists[lists["list_kind"] == "development"].set_index("customer_id")
    # Wallet of the 2000-born band: 90th percentile of 5 k, 10 k, 200 k, 400 k = 340 k.
    assert development.loc[9, "wallet_rmb"] == pytest.approx(340_000)
    assert development.loc[9, "value_rmb"] == pytest.approx(335_000)
    reserve = lists[lists["list_kind"] == "reserve"].set_index("customer_id")
    assert reserve.loc[6, "value_rmb"] == 50_000 and reserve.loc[5, "value_rmb"] == 200_000


def test_adjusted_rules_change_the_lists_as_their_sentences_say():
    customers, contacts = hand_made_customers(), last_contacts()
    stricter = build_action_lists(customers, ActionRules(churn_p_alive_below=0.1), TODAY, contacts)
    assert members(stricter, "churn") == [2]
    assert members(stricter, "maintenance") == [3, 14]  # 1 left the churn list but was called 2 days ago
    no_drop = build_action_lists(customers, ActionRules(churn_aum_drop_share=0.5), TODAY, contacts)
    assert members(no_drop, "churn") == [1]
    lower_bar = build_action_lists(
        customers, ActionRules(high_value_aum_rmb=90_000.0, reserve_min_aum_rmb=50_000.0), TODAY, contacts
    )
    assert members(lower_bar, "churn") == [1, 2, 7]
    short_cooloff = build_action_lists(customers, ActionRules(cooloff_days=3), TODAY, contacts)
    assert members(short_cooloff, "churn") == [8, 1, 2]  # sold 5 days ago: back after a 3-day cool-off
    wider = build_action_lists(customers, ActionRules(development_max_products=4), TODAY, contacts)
    assert members(wider, "development") == [9, 10]


def test_without_contacts_or_p_alive_the_model_condition_is_not_used():
    customers = hand_made_customers().drop(columns="p_alive")
    lists = build_action_lists(customers, ActionRules(), TODAY, None)
    assert members(lists, "churn") == [2]
    assert members(lists, "maintenance") == [4, 3, 8, 1, 14]
    assert lists["last_outcome"].isna().all()


def test_summary_counts_customers_and_value_per_outlet():
    lists = build_action_lists(hand_made_customers(), ActionRules(), TODAY, last_contacts())
    summary = list_summary(lists).set_index(["outlet_id", "list_kind"])
    assert summary.loc[(6, "churn"), "customers"] == 2
    assert summary.loc[(6, "churn"), "value_rmb"] == 1_000_000
    assert summary.loc[(7, "maintenance"), "customers"] == 2


def test_invalid_rule_values_are_refused():
    with pytest.raises(ValueError, match="churn_p_alive_below"):
        ActionRules(churn_p_alive_below=1.5)
    with pytest.raises(ValueError, match="churn_months"):
        ActionRules(churn_months=0)
    with pytest.raises(ValueError, match="reserve_min_aum_rmb"):
        ActionRules(reserve_min_aum_rmb=600_000.0)
    assert ActionRules.from_dict({"churn_months": 6, "unknown": 1}).churn_months == 6
    assert ActionRules.from_dict(ActionRules().as_dict()) == ActionRules()


def test_wallet_of_a_company_is_its_own_band():
    customers = hand_made_customers()
    wallets = wallet_estimates(customers, 0.9)
    assert wallets[customers["customer_id"] == 13].iloc[0] == 50_000


def test_daily_care_list_orders_maturities_idle_vips_then_birthdays():
    base = {"name": "x", "outlet_id": 6}
    maturities = pd.DataFrame(
        [
            {
                **base,
                "customer_id": 1,
                "customer_no": "P1",
                "is_key_customer": False,
                "product_code": "TD-P",
                "balance_rmb": 50_000.0,
                "matures_on": dt.date(2026, 12, 1),
            },
            {
                **base,
                "customer_id": 2,
                "customer_no": "P2",
                "is_key_customer": False,
                "product_code": "LD-P",
                "balance_rmb": 300_000.0,
                "matures_on": dt.date(2026, 11, 25),
            },
        ]
    )
    idle = pd.DataFrame(
        [
            {
                **base,
                "customer_id": 3,
                "customer_no": "P3",
                "is_key_customer": True,
                "aum_rmb": 900_000.0,
                "last_txn_at": pd.Timestamp("2026-07-26 10:00"),
            },
            {
                **base,
                "customer_id": 4,
                "customer_no": "P4",
                "is_key_customer": False,
                "aum_rmb": 1_200_000.0,
                "last_txn_at": pd.NaT,
            },
        ]
    )
    birthdays = pd.DataFrame(
        [
            {
                **base,
                "customer_id": 5,
                "customer_no": "P5",
                "is_key_customer": False,
                "turns": 60,
                "last_care_at": pd.NaT,
            },
            {
                **base,
                "customer_id": 6,
                "customer_no": "P6",
                "is_key_customer": True,
                "turns": 50,
                "last_care_at": pd.NaT,
            },
            {
                **base,
                "customer_id": 7,
                "customer_no": "P7",
                "is_key_customer": True,
                "turns": 40,
                "last_care_at": pd.Timestamp("2026-03-01"),
            },
        ]
    )
    care = daily_care_list(TODAY, birthdays, maturities, idle)
    assert list(care["customer_id"]) == [2, 1, 3, 4, 6, 5]  # 7 was already greeted this year
    assert list(care["priority"]) == [1, 2, 3, 4, 5, 6]
    row = care.set_index("customer_id")
    assert row.loc[2, "days_left"] == 2 and row.loc[2, "detail"] == "LD-P"
    assert row.loc[3, "detail"] == "120"  # idle days since the last transaction
    assert row.loc[4, "detail"] == ""  # never transacted
    assert row.loc[6, "due"] == dt.date(2026, 12, 31) and row.loc[6, "detail"] == "50"
    contacts = pd.DataFrame(
        {
            "customer_id": [2, 3],
            "contacted_at": pd.to_datetime(["2026-11-20 10:00", "2026-11-01 10:00"]),
            "list_kind": ["care", "care"],
        }
    )
    done = daily_care_list(TODAY, birthdays, maturities, idle, contacts, done_days=7)
    assert list(done["customer_id"]) == [1, 3, 4, 6, 5]  # 2 called 3 days ago; 3's call was 22 days ago
    empty = daily_care_list(TODAY, birthdays.iloc[:0], maturities.iloc[:0], idle.iloc[:0])
    assert empty.empty and "priority" in empty


def test_complaint_ageing_and_summary_by_hand():
    log = pd.DataFrame(
        [
            # id, outlet, received, closed, severity, status
            (1, 6, "2026-11-01 09:00", "2026-11-03 09:00", "low", "closed"),  # 2 days, in time
            (2, 6, "2026-11-01 09:00", "2026-11-11 21:00", "low", "closed"),  # 10.5 days: overdue
            (3, 6, "2026-11-19 12:00", None, "high", "open"),  # 4 days open: overdue (3-day SLA)
            (4, 7, "2026-11-22 12:00", None, "medium", "open"),  # 1 day open
        ],
        columns=["id", "outlet_id", "received_at", "closed_at", "severity", "status"],
    )
    aged = complaint_ageing(log, dt.datetime(2026, 11, 23, 12, 0)).set_index("id")
    assert aged.loc[1, "age_days"] == pytest.approx(2.0) and not aged.loc[1, "overdue"]
    assert aged.loc[2, "age_days"] == pytest.approx(10.5) and aged.loc[2, "overdue"]
    assert aged.loc[3, "age_days"] == pytest.approx(4.0) and aged.loc[3, "overdue"]
    assert aged.loc[4, "age_days"] == pytest.approx(1.0) and not aged.loc[4, "overdue"]
    assert list(aged["age_band"]) == [0, 2, 1, 0]
    summary = complaint_summary(aged.reset_index()).set_index("outlet_id")
    assert summary.loc[6, "received"] == 3 and summary.loc[6, "open"] == 1 and summary.loc[6, "closed"] == 2
    assert summary.loc[6, "open_overdue"] == 1
    assert summary.loc[6, "median_days_to_close"] == pytest.approx(6.25)
    assert summary.loc[6, "share_closed_within_sla"] == pytest.approx(0.5)
    assert np.isnan(summary.loc[7, "median_days_to_close"])


def test_activity_summary_in_days_by_hand():
    customers = pd.DataFrame(
        {
            "txn_days": [3, 1, 0],
            "first_txn_at": pd.to_datetime(["2026-09-01 10:00", "2026-10-05 09:00", None]),
            "last_txn_at": pd.to_datetime(["2026-10-05 09:00", "2026-10-05 09:00", None]),
        }
    )
    summary = activity_summary(customers, AS_OF)
    assert list(summary.loc[0]) == [2.0, 34.0, 60.0]
    assert list(summary.loc[1]) == [0.0, 0.0, 26.0]
    assert summary.loc[2].isna().all()


def test_probability_alive_uses_the_bgnbd_formula_and_declines_small_scopes():
    from analytics.clv import BetaGeo
    from tests.test_clv import DEMO, simulate_bgnbd

    # Customers from the BG/NBD process itself (the demo's parameters, per day), in whole days; data
    # that follow no dropout process may have their maximum at infinite a and b, and no fit.
    n = 600
    repeat, recency, age = simulate_bgnbd(n, **DEMO, t_low=60, t_high=400, seed=11)
    first = pd.Timestamp(AS_OF) - pd.to_timedelta(np.floor(age), unit="D")
    customers = pd.DataFrame(
        {
            "txn_days": repeat + 1,
            "first_txn_at": first,
            "last_txn_at": first + pd.to_timedelta(np.floor(recency), unit="D"),
        }
    )
    p_alive, info = probability_alive(customers, AS_OF)
    assert info["fitted"] and info["customers"] == n
    model = BetaGeo.from_params(**info["params"])
    summary = activity_summary(customers, AS_OF)
    expected = model.probability_alive(summary["frequency"], summary["recency"], summary["T"])
    np.testing.assert_allclose(p_alive.to_numpy(), expected, rtol=1e-9)
    assert (p_alive[repeat == 0] == 1.0).all()  # BG/NBD: no repeat purchase, no evidence of dropping out
    small, small_info = probability_alive(customers.head(20), AS_OF)
    assert small.isna().all() and small_info == {"fitted": False, "customers": 20, "reason": "too_few_customers"}


def test_tiers_and_rfm_from_the_action_inputs():
    aum = pd.Series([0.0, 49_999.0, 50_000.0, 750_000.0, 7_000_000.0], index=[10, 11, 12, 13, 14])
    assert list(tier_codes(aum)) == ["mass", "mass", "star1", "star3", "star5"]
    customers = pd.DataFrame(
        {
            "last_txn_at": pd.to_datetime(["2026-10-30", "2026-01-01", None, "2026-10-01", "2026-06-01"]),
            "txn_12m": [40, 2, 0, 20, 5],
            "aum_now_rmb": [1e6, 1e4, 5e5, 2e5, 3e4],
        }
    )
    rfm = customer_rfm(customers, AS_OF)
    assert list(rfm["r"]) == [5, 2, 1, 4, 3]  # never transacted = least recent
    assert list(rfm["f"]) == [5, 2, 1, 4, 3]
    assert rfm.loc[0, "segment"] == "champions" and rfm.loc[2, "segment"] == "hibernating"

"""The data quality view: coverage of the monthly extracts by outlet and month, empty values,
customers without accounts; hand-computed answers, both backends, and the page."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics.data_quality import (
    completeness_by_month,
    coverage,
    coverage_summary,
    months_between,
    null_rates,
    open_in_month,
)
from config.translations import TEXTS
from data import queries_data_quality as quality
from data.scope import ScopeError, scope_for
from tests.apptest_support import open_page, visible_text

JAN, FEB, MAR, APR = (dt.date(2026, m, 1) for m in (1, 2, 3, 4))
OUTLETS = pd.DataFrame(
    {
        "outlet_id": [1, 2, 3, 4],
        "opened_on": [None, dt.date(2026, 2, 20), None, None],
        "closed_on": [None, None, dt.date(2026, 2, 1), None],
        "status": ["open", "open", "closed", "closed"],
    }
)


def test_an_outlet_is_expected_in_the_months_it_was_open():
    assert list(open_in_month(OUTLETS, JAN)) == [True, False, True, False]
    assert list(open_in_month(OUTLETS, FEB)) == [True, True, True, False]  # opened on the 20th, closed on the 1st
    assert list(open_in_month(OUTLETS, MAR)) == [True, True, False, False]
    assert months_between(dt.date(2025, 11, 1), FEB) == [dt.date(2025, 11, 1), dt.date(2025, 12, 1), JAN, FEB]


def test_coverage_counts_expected_present_and_missing_outlet_months():
    counts = pd.DataFrame(
        [
            ("monthly_kpis", 1, JAN, 40),
            ("monthly_kpis", 3, JAN, 40),
            ("monthly_kpis", 1, FEB, 40),
            ("monthly_kpis", 2, FEB, 40),
            ("monthly_kpis", 1, APR, 40),  # March: no file at all
            ("monthly_kpis", 4, APR, 5),  # a closed outlet's rows: present, not expected
        ],
        columns=["source", "outlet_id", "month", "rows"],
    )
    table = coverage(counts, OUTLETS, ["monthly_kpis", "transactions"])
    expected = table[table["expected"]]
    # Jan: 1, 3; Feb: 1, 2, 3; Mar: 1, 2; Apr: 1, 2 → 9 expected, present 1/3, 1/2 (3 missing in Feb), 1 → 5
    assert len(expected) == 9 and int((expected["rows"] > 0).sum()) == 5
    missing = set(map(tuple, table.loc[table["missing"], ["outlet_id", "month"]].itertuples(index=False)))
    assert missing == {(3, FEB), (1, MAR), (2, MAR), (2, APR)}
    summary = coverage_summary(table, ["monthly_kpis", "transactions"]).set_index("source")
    row = summary.loc["monthly_kpis"]
    assert (row.first_month, row.last_month, row.months_missing) == (JAN, APR, 1)
    assert (row.outlet_months_expected, row.outlet_months_present) == (9, 5)
    assert row.completeness == pytest.approx(5 / 9) and row.outlets_missing_last_month == 1
    assert summary.loc["transactions", "outlet_months_expected"] == 0  # nothing loaded: listed, no figures
    shares = completeness_by_month(table).set_index("month")["present"]
    assert list(shares) == [1.0, pytest.approx(2 / 3), 0.0, 0.5]  # Jan 2 of 2, Feb 2 of 3, Mar 0 of 2, Apr 1 of 2


def test_null_rates():
    rates = null_rates(pd.DataFrame({"table": ["t", "u"], "column": ["a", "b"], "rows": [8, 0], "filled": [6, 0]}))
    assert (
        list(rates["empty"]) == [2, 0] and rates["empty_rate"].iloc[0] == 0.25 and pd.isna(rates["empty_rate"].iloc[1])
    )


def test_fixture_kpis_are_complete_in_three_of_thirteen_months(shared_network):
    """The fixture has KPIs for outlets 6, 7, 8 in 2025-10, 2026-09 and 2026-10 (and for closed
    outlet 9 in 2025-10): 13 months from first to last, 10 of them without any file."""
    with shared_network.connect() as connection:
        steward = scope_for(connection, "steward", "data_steward", None)
    rows = quality.quality_extract_rows(shared_network, steward, 1)
    outlets = quality.quality_outlets(shared_network, steward, 1)
    summary = coverage_summary(coverage(rows, outlets, list(quality.MONTHLY_SOURCES)), ["monthly_kpis"])
    row = summary.set_index("source").loc["monthly_kpis"]
    assert (row.first_month, row.last_month, row.months_missing) == (dt.date(2025, 10, 1), dt.date(2026, 10, 1), 10)
    assert (row.outlet_months_expected, row.outlet_months_present, row.outlets_missing_last_month) == (39, 9, 0)
    assert set(rows["source"]) == {"monthly_kpis"} and rows["rows"].sum() == 8 * (3 * 3 + 1)


def test_counts_of_empty_values_and_unmatched_rows_follow_the_scope(shared_network):
    with shared_network.connect() as connection:
        steward = scope_for(connection, "steward", "data_steward", None)
        head = scope_for(connection, "head", "branch_head", 4)
    whole = quality.quality_unmatched(shared_network, steward, 1)
    part = quality.quality_unmatched(shared_network, head, 4)
    assert whole["accounts"] == whole["accounts_without_customers"] == 0
    assert whole["customers_without_accounts"] == whole["customers"] >= part["customers"]
    empty = quality.quality_empty_values(shared_network, steward, 1).set_index(["table", "column"])
    assert empty.loc[("customers", "phone_masked"), "rows"] == whole["customers"]
    assert ("personal_loans", "loan_class") in empty.index and ("personal_deposits", "loan_class") not in empty.index
    with pytest.raises(ScopeError):
        quality.quality_unmatched(shared_network, head, 5)


@pytest.mark.parametrize("username", ["steward", "admin"])
def test_stewards_and_admins_see_the_page(app, username):
    at = open_page(app, username, "pages/data_quality.py", lang="en")
    text = visible_text(at)
    assert TEXTS["dq_title"]["en"] in text and TEXTS["dq_coverage_title"]["en"] in text
    assert not at.error, [e.value for e in at.error]
    assert len(at.get("plotly_chart")) == 1


def test_branch_heads_do_not_have_the_page(app):
    from tests.apptest_support import log_in

    at = log_in(app, "head_sub")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/data_quality.py")

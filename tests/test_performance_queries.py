"""Performance queries (KPI explorer, My outlet) on SQLite and PostgreSQL: period roll-ups of stock,
flow, mean and ratio metrics against hand-computed values and a pandas recomputation of the
fixture, targets with completion / attainment / RAG by direction, drill-down by child, trends,
rank among peers, what lies behind a gap, and the scope of every query."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import insert

from analytics.targets import add_months, assess_targets, make_period, previous_period, same_period_last_year
from config.metrics import BY_CODE, components
from data import queries_performance as performance
from data.bulk import bulk_insert
from data.schema import Alert, BalanceMonthly, KpiMonthly, OrgUnit, Target
from data.scope import ScopeError, scope_for
from tests.network_fixture import kpi_frame

OCT, SEP = dt.date(2026, 10, 1), dt.date(2026, 9, 1)
DEC_2025 = dt.date(2025, 12, 1)
YEAR_2026 = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
# Extra balances at the end of 2025 (the base of the 2026 stock targets): personal 5,000 and
# corporate 1,000 at each open outlet.
DECEMBER_ROWS = [
    (o, code, DEC_2025, v)
    for o in (6, 7, 8)
    for code, v in (("deposits_personal", 5000.0), ("deposits_corporate", 1000.0))
]
TARGETS = [
    # unit, metric, value (2026)
    (1, "deposits_total", 48000.0),
    (1, "txn_total", 240000.0),
    (1, "e_channel_rate", 0.85),
    (1, "txn_counter", 120000.0),
    (2, "deposits_total", 30000.0),
    (6, "txn_counter", 12000.0),
]


@pytest.fixture(scope="module")
def perf_network(shared_network):
    """The fixture network with December 2025 balances, 2026 targets, month-end customer
    balances for December 2025 and three alerts."""
    with shared_network.begin() as connection:
        bulk_insert(
            connection,
            KpiMonthly.__table__,
            pd.DataFrame(DECEMBER_ROWS, columns=["outlet_id", "metric_code", "month", "value"]),
        )
        bulk_insert(
            connection,
            Target.__table__,
            pd.DataFrame(
                [
                    {
                        "id": i + 1,
                        "org_unit_id": unit,
                        "metric_code": code,
                        "period_start": YEAR_2026[0],
                        "period_end": YEAR_2026[1],
                        "value": value,
                    }
                    for i, (unit, code, value) in enumerate(TARGETS)
                ]
            ),
        )
        # Customers 1..6 (homes 6, 6, 7, 7, 8, 8) had these deposits at the end of 2025; in
        # 2026-10 the fixture has 1000 × id. So customer 1 fell by 4,000 and customer 3 by 6,000.
        december = {1: 5000.0, 2: 1000.0, 3: 9000.0, 4: 100.0, 5: 100.0, 6: 100.0}
        bulk_insert(
            connection,
            BalanceMonthly.__table__,
            pd.DataFrame(
                [
                    {"customer_id": c, "month": DEC_2025, "deposit_rmb": v, "loan_rmb": 0.0, "aum_rmb": v}
                    for c, v in december.items()
                ]
            ),
        )
        now = dt.datetime(2026, 11, 2, 9, 0)
        for outlet, rule, code, severity in (
            (6, "sudden_drop", "deposits_total", "high"),
            (7, "wait_time", "avg_wait_minutes", "medium"),
            (8, "off_target", "deposits_total", "medium"),
        ):
            connection.execute(
                insert(Alert).values(
                    outlet_id=outlet,
                    rule=rule,
                    metric_code=code,
                    month=OCT,
                    severity=severity,
                    value=1.0,
                    threshold=0.5,
                    status="open",
                    created_at=now,
                    updated_at=now,
                )
            )
    return shared_network


def scope_of(engine, username, role, unit_id=None):
    with engine.connect() as connection:
        return scope_for(connection, username, role, unit_id)


def all_rows() -> pd.DataFrame:
    return pd.concat(
        [kpi_frame(), pd.DataFrame(DECEMBER_ROWS, columns=["outlet_id", "metric_code", "month", "value"])],
        ignore_index=True,
    )


def expected_period(outlets: list[int], code: str, kind: str, end: dt.date, start=None) -> float:
    """The metric over a period recomputed with pandas straight from the fixture rows: each base
    metric summed over outlets per month (mean for the inspection score), then over the months
    by its time aggregation (flow sum, stock last month, mean average), then the ratio."""
    period = make_period(kind, end, start)
    frame = all_rows()
    frame = frame[frame["outlet_id"].isin(outlets) & frame["month"].isin(period.months())]
    metric = BY_CODE[code]
    numerator, denominator = components(metric)

    def base_value(base: str) -> float:
        rows = frame[frame["metric_code"] == base]
        definition = BY_CODE[base]
        monthly = (
            rows.groupby("month")["value"].mean()
            if definition.unit_aggregation == "mean"
            else rows.groupby("month")["value"].sum()
        )
        if definition.time_aggregation == "stock":
            return float(monthly.get(period.end, np.nan))
        if definition.time_aggregation == "mean":
            return float(monthly.mean()) if len(monthly) else np.nan
        return float(monthly.sum()) if len(monthly) else np.nan

    tops = [base_value(b) for b in numerator]
    top = np.nansum(tops) if not all(np.isnan(tops)) else np.nan
    if not denominator:
        return top
    bottom = np.nansum([base_value(b) for b in denominator])
    return top / bottom if bottom else np.nan


# --------------------------------------------------------------------------- periods with known answers


def test_ytd_stock_flow_mean_and_ratio_by_hand(perf_network):
    """Region, year to date 2026-10 (only September and October 2026 have data this year)."""
    executive = scope_of(perf_network, "exec", "executive")
    codes = ("deposits_total", "txn_total", "e_channel_rate", "inspection_score")
    frame = performance.kpi_period_summary(perf_network, executive, 1, codes, "ytd", OCT).set_index("metric_code")
    # Stock: the October balances of outlets 6, 7, 8 (value = outlet·1000 + code index·10 + month index).
    assert frame.at["deposits_total", "value"] == pytest.approx(12014 + 14014 + 16014)
    assert frame.at["deposits_total", "previous"] == pytest.approx(12012 + 14012 + 16012)  # YTD to September
    assert frame.at["deposits_total", "last_year"] == pytest.approx(12010 + 14010 + 16010 + 18010)  # Oct 2025, 9 open
    # Flow: five channels, two months, three outlets.
    assert frame.at["txn_total", "value"] == pytest.approx(211245)
    # Ratio of the YTD sums, not a mean of monthly or outlet ratios.
    assert frame.at["e_channel_rate", "value"] == pytest.approx(169116 / 211245)
    # Mean metric: mean over outlets per month, then over the months.
    assert frame.at["inspection_score", "value"] == pytest.approx(7071.5)
    assert frame.at["inspection_score", "previous"] == pytest.approx(7071.0)
    assert frame.at["inspection_score", "last_year"] == pytest.approx((6070 + 7070 + 8070 + 9070) / 4)
    assert (frame["months_with_data"] == 2).all()
    assert frame["period_start"].iloc[0] == dt.date(2026, 1, 1)


def test_quarter_to_date_and_its_comparisons_by_hand(perf_network):
    executive = scope_of(perf_network, "exec", "executive")
    frame = performance.kpi_period_summary(perf_network, executive, 1, ("txn_total",), "quarter", OCT).iloc[0]
    assert frame["value"] == pytest.approx(105630)  # October only: Q4 to date
    assert np.isnan(frame["previous"])  # July 2026: no data
    assert frame["last_year"] == pytest.approx(5000 * (6 + 7 + 8 + 9) + 200 * 4)  # October 2025


@pytest.mark.parametrize("unit_id, outlets", [(1, [6, 7, 8, 9]), (2, [6, 7]), (5, [8, 9]), (6, [6])])
@pytest.mark.parametrize(
    "code", ["deposits_total", "deposits_personal", "txn_total", "e_channel_rate", "inspection_score", "txn_counter"]
)
@pytest.mark.parametrize(
    "kind, end, start",
    [("month", OCT, None), ("quarter", OCT, None), ("ytd", OCT, None), ("ytd", SEP, None), ("custom", OCT, DEC_2025)],
)
def test_period_values_equal_pandas_at_every_level(perf_network, unit_id, outlets, code, kind, end, start):
    executive = scope_of(perf_network, "exec", "executive")
    row = performance.kpi_period_summary(perf_network, executive, unit_id, (code,), kind, end, start).iloc[0]
    period = make_period(kind, end, start)
    for column, compared in (
        ("value", period),
        ("previous", previous_period(period)),
        ("last_year", same_period_last_year(period)),
    ):
        expected = expected_period(outlets, code, "custom", compared.end, compared.start)
        if np.isnan(expected):
            assert np.isnan(row[column]), column
        else:
            assert row[column] == pytest.approx(expected), column


def test_a_period_without_data_says_so(perf_network):
    executive = scope_of(perf_network, "exec", "executive")
    frame = performance.kpi_period_summary(
        perf_network, executive, 1, ("deposits_total",), "month", dt.date(2024, 3, 1)
    )
    assert frame["months_with_data"].iloc[0] == 0 and np.isnan(frame["value"].iloc[0])


# --------------------------------------------------------------------------- targets


def test_targets_completion_attainment_and_rag_by_hand(perf_network):
    executive = scope_of(perf_network, "exec", "executive")
    codes = ("deposits_total", "txn_total", "e_channel_rate", "txn_counter", "inspection_score")
    summary = performance.kpi_period_summary(perf_network, executive, 1, codes, "ytd", OCT)
    assessed = assess_targets(summary.rename(columns={"value": "actual"}), OCT, period_months=10).set_index(
        "metric_code"
    )
    # Stock: straight line from December 2025's 18,000 to 48,000 at the end of 2026: 43,000 due by October.
    deposits = assessed.loc["deposits_total"]
    assert deposits["base"] == pytest.approx(18000)
    assert deposits["target_to_date"] == pytest.approx(18000 + 30000 * 10 / 12)
    assert deposits["attainment"] == pytest.approx(42042 / 43000)
    assert deposits["completion"] == pytest.approx(42042 / 48000)
    assert deposits["rag"] == "amber"
    # Flow: 10/12 of 240,000 due; YTD 211,245.
    transactions = assessed.loc["txn_total"]
    assert transactions["target_to_date"] == pytest.approx(200000)
    assert transactions["attainment"] == pytest.approx(211245 / 200000) and transactions["rag"] == "green"
    assert transactions["completion"] == pytest.approx(211245 / 240000)
    # Level: the target itself.
    assert assessed.loc["e_channel_rate", "attainment"] == pytest.approx((169116 / 211245) / 0.85)
    assert assessed.loc["e_channel_rate", "rag"] == "red"
    # Lower is better: target ÷ actual (counter transactions 2·1000·21 + 129 = 42,129 YTD).
    assert assessed.loc["txn_counter", "attainment"] == pytest.approx(100000 / 42129)
    assert assessed.loc["txn_counter", "rag"] == "green"
    assert np.isnan(assessed.loc["inspection_score", "target"]) and pd.isna(assessed.loc["inspection_score", "rag"])


def test_monthly_figure_gets_one_month_of_a_flow_target(perf_network):
    executive = scope_of(perf_network, "exec", "executive")
    summary = performance.kpi_period_summary(perf_network, executive, 1, ("txn_total",), "month", OCT)
    assert summary["cumulative"].iloc[0] == pytest.approx(211245)  # since the target's start
    row = assess_targets(summary.rename(columns={"value": "actual"}), OCT, period_months=1).iloc[0]
    assert row["target_to_date"] == pytest.approx(20000)
    assert row["attainment"] == pytest.approx(105630 / 20000)
    assert row["completion"] == pytest.approx(211245 / 240000)


def test_lower_is_better_behind_target_is_red(perf_network):
    head = scope_of(perf_network, "head6", "branch_head", 6)
    summary = performance.kpi_period_summary(perf_network, head, 6, ("txn_counter",), "ytd", OCT)
    row = assess_targets(summary.rename(columns={"value": "actual"}), OCT, period_months=10).iloc[0]
    assert row["actual"] == pytest.approx(2000 * 6 + 43)
    assert row["attainment"] == pytest.approx(10000 / 12043) and row["rag"] == "red"


# --------------------------------------------------------------------------- drill-down and trends


def test_children_get_their_own_values_and_targets(perf_network):
    executive = scope_of(perf_network, "exec", "executive")
    frame = performance.kpi_period_by_child(perf_network, executive, 1, ("deposits_total", "txn_total"), "ytd", OCT)
    assert sorted(frame["id"].unique()) == [2, 3]
    rows = frame.set_index(["id", "metric_code"])
    assert rows.at[(2, "deposits_total"), "value"] == pytest.approx(
        expected_period([6, 7], "deposits_total", "ytd", OCT)
    )
    assert rows.at[(3, "txn_total"), "value"] == pytest.approx(expected_period([8], "txn_total", "ytd", OCT))
    assert rows.at[(2, "deposits_total"), "target"] == pytest.approx(30000)
    assert rows.at[(2, "deposits_total"), "base"] == pytest.approx(12000)
    assert np.isnan(rows.at[(3, "deposits_total"), "target"])
    outlets = performance.kpi_period_by_child(perf_network, executive, 5, ("deposits_total",), "month", OCT)
    closed = outlets.set_index("id").loc[9]
    assert closed["status"] == "closed" and np.isnan(closed["value"])
    assert closed["last_year"] == pytest.approx(18010)


def test_monthly_series_recomputes_ratios_each_month(perf_network):
    executive = scope_of(perf_network, "exec", "executive")
    series = performance.kpi_monthly_series(perf_network, executive, 2, ("deposits_total", "e_channel_rate"))
    deposits = series[series["metric_code"] == "deposits_total"].set_index("month")["value"]
    assert list(deposits.index) == [dt.date(2025, 10, 1), DEC_2025, SEP, OCT]
    for month in deposits.index:
        assert deposits[month] == pytest.approx(expected_period([6, 7], "deposits_total", "month", month))
    ratio = series[series["metric_code"] == "e_channel_rate"].set_index("month")["value"]
    assert ratio[OCT] == pytest.approx(expected_period([6, 7], "e_channel_rate", "month", OCT))
    window = performance.kpi_monthly_series(perf_network, executive, 2, ("deposits_total",), SEP, OCT)
    assert list(window["month"]) == [SEP, OCT]


# --------------------------------------------------------------------------- peers, gaps, alerts


def test_rank_among_same_type_peers_falls_back_to_the_region(perf_network):
    """Outlets 6 and 7 are the only sub-offices of city branch 2 (fewer than 3), so the peers are
    the region's open sub-offices 6, 7, 8 (closed 9 is left out)."""
    head = scope_of(perf_network, "head6", "branch_head", 6)
    ranks = performance.peer_rank(perf_network, head, 6, ("deposits_total", "txn_counter"), OCT).set_index(
        "metric_code"
    )
    assert ranks.at["deposits_total", "definition"] == "type_region"
    assert ranks.at["deposits_total", "rank"] == 3 and ranks.at["deposits_total", "peers"] == 3
    assert ranks.at["deposits_total", "previous_rank"] == 3
    assert ranks.at["deposits_total", "peer_median"] == pytest.approx(14014)
    assert ranks.at["deposits_total", "value"] == pytest.approx(12014)
    # Fewest counter transactions is best (lower is better).
    assert ranks.at["txn_counter", "rank"] == 1
    assert set(ranks.columns) == {
        "value",
        "rank",
        "peers",
        "previous_rank",
        "previous_peers",
        "peer_median",
        "definition",
    }


def test_rank_of_a_sub_branch_is_among_its_siblings(perf_network):
    executive = scope_of(perf_network, "exec", "executive")
    ranks = performance.peer_rank(perf_network, executive, 2, ("deposits_total",), OCT).iloc[0]
    assert ranks["definition"] == "siblings" and ranks["peers"] == 2
    assert ranks["rank"] == 1  # city 2 holds 26,028 against city 3's 16,014


def test_components_behind_a_stock_gap_since_the_year_start(perf_network):
    executive = scope_of(perf_network, "exec", "executive")
    frame = performance.component_changes(perf_network, executive, 1, "deposits_total", OCT).set_index("metric_code")
    assert list(frame.index) == ["deposits_personal", "deposits_corporate"]  # smaller rise first
    assert frame.at["deposits_personal", "change"] == pytest.approx(21006 - 15000)
    assert frame.at["deposits_corporate", "change"] == pytest.approx(21036 - 3000)
    assert (frame["compare"] == "year_start").all()


def test_customers_behind_a_deposit_gap(perf_network):
    executive = scope_of(perf_network, "exec", "executive")
    frame = performance.gap_customers(perf_network, executive, 1, "deposit", OCT)
    assert list(frame["customer_no"]) == ["C003", "C001"]
    assert list(frame["change"]) == pytest.approx([-6000, -4000])
    assert frame["from_month"].iloc[0] == DEC_2025 and frame["to_month"].iloc[0] == OCT
    assert all(set(name[1:]) == {"*"} for name in frame["name"])  # executives see masked names
    head = scope_of(perf_network, "head6", "branch_head", 6)
    own = performance.gap_customers(perf_network, head, 6, "deposit", OCT)
    assert list(own["customer_no"]) == ["C001"] and own["name"].iloc[0] == "客户1号"
    assert list(own["outlet_id"]) == [6]  # the home outlet's id: outlets that share a name stay apart
    with pytest.raises(ValueError):
        performance.gap_customers(perf_network, executive, 1, "gold", OCT)


def test_alert_list_is_limited_to_the_subtree(perf_network):
    executive = scope_of(perf_network, "exec", "executive")
    everything = performance.alert_list(perf_network, executive, 1)
    assert list(everything["severity"]) == ["high", "medium", "medium"]
    head = scope_of(perf_network, "headA1", "branch_head", 4)
    mine = performance.alert_list(perf_network, head, 4, OCT, ("open",))
    assert sorted(mine["outlet_id"]) == [6, 7]
    assert performance.alert_list(perf_network, head, 4, SEP).empty


@pytest.mark.parametrize(
    "query, arguments",
    [
        (performance.kpi_period_summary, (("deposits_total",), "ytd", OCT)),
        (performance.kpi_period_by_child, (("deposits_total",), "ytd", OCT)),
        (performance.kpi_monthly_series, (("deposits_total",),)),
        (performance.peer_rank, (("deposits_total",), OCT)),
        (performance.component_changes, ("deposits_total", OCT)),
        (performance.gap_customers, ("deposit", OCT)),
        (performance.alert_list, ()),
        (performance.alert_settings, ()),
        (performance.alert_findings, (OCT,)),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
@pytest.mark.parametrize("foreign_unit", [7, 4, 1])
def test_branch_head_cannot_read_another_outlet(perf_network, query, arguments, foreign_unit):
    head = scope_of(perf_network, "head6", "branch_head", 6)
    with pytest.raises(ScopeError):
        query(perf_network, head, foreign_unit, *arguments)
    query(perf_network, head, 6, *arguments)  # their own outlet is fine


def test_months_arithmetic():
    assert add_months(dt.date(2026, 1, 1), -1) == dt.date(2025, 12, 1)
    assert add_months(dt.date(2026, 11, 1), 14) == dt.date(2028, 1, 1)


def test_rank_among_same_type_outlets_of_the_city_branch(network):
    """With a third sub-office in city branch 2, outlet 6's peers are 6, 7 and 10 (not 8)."""
    with network.begin() as connection:
        connection.execute(
            insert(OrgUnit).values(
                id=10,
                code="U10",
                name_zh="机构10",
                name_en="Unit 10",
                level="outlet",
                parent_id=4,
                path="/1/2/4/10/",
                city_code="150100",
                status="open",
                outlet_type="sub_office",
            )
        )
        rows = [
            (10, code, month, 20000.0 + (5000.0 if month == OCT else 0.0))
            for code in ("deposits_personal", "deposits_corporate")
            for month in (SEP, OCT)
        ]
        bulk_insert(
            connection, KpiMonthly.__table__, pd.DataFrame(rows, columns=["outlet_id", "metric_code", "month", "value"])
        )
    executive = scope_of(network, "exec", "executive")
    ranks = performance.peer_rank(network, executive, 7, ("deposits_total",), OCT).iloc[0]
    assert ranks["definition"] == "type_city" and ranks["peers"] == 3
    assert ranks["rank"] == 2 and ranks["previous_rank"] == 2  # behind outlet 10 (50,000 in October)
    assert ranks["peer_median"] == pytest.approx(14014)

"""Lobby load and counter staffing: the lobby queries on SQLite and PostgreSQL against pandas
computations of the same numbers, their scope checks, the pages' model helpers, and the two
pages under AppTest for three roles in both languages, with bad input."""

from __future__ import annotations

import datetime as dt
import json
import re

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import delete, func, insert, select

from analytics import lobby
from analytics.queueing import erlang_c, mean_wait, servers_needed, servers_needed_for_mean_wait
from config.translations import TEXTS
from data import queries, queries_lobby
from data.bulk import bulk_insert
from data.db import make_engine
from data.schema import BUSINESS_TYPES, LobbyHourly, LobbyServiceType, OrgUnit
from data.scope import ScopeError, scope_for
from tests.apptest_support import log_in, new_app, open_page, visible_text
from tests.database_copy import copy_sqlite_database
from ui import lobby_window

LOBBY_QUERIES = [
    queries_lobby.lobby_period,
    queries_lobby.lobby_profile,
    queries_lobby.lobby_outlet_summary,
    queries_lobby.lobby_worst_hours,
]
FIRST_DAY = dt.date(2026, 10, 5)  # a Monday
DAYS = [FIRST_DAY + dt.timedelta(days=i) for i in range(14)]
HOURS = range(9, 17)
INVALID = {(8, dt.date(2026, 10, 6), 10), (8, dt.date(2026, 10, 7), 11)}
MISSING = (7, dt.date(2026, 10, 7), 12)


# --------------------------------------------------------------------------- fixture data


def lobby_rows() -> pd.DataFrame:
    """Two weeks of hourly lobby rows for outlets 6, 7, 8 (and a day of closed outlet 9), with
    outlet 6 shut on Sundays, one missing hour at outlet 7 and two invalid rows at outlet 8."""
    rows = []
    for outlet in (6, 7, 8, 9):
        for index, day in enumerate(DAYS):
            if (outlet == 6 and day.weekday() == 6) or (outlet == 9 and index > 0):
                continue
            for hour in HOURS:
                if (outlet, day, hour) == MISSING:
                    continue
                arrivals = (outlet * 7 + index * 3 + hour * 5) % 40 + 1
                if (outlet + index + hour) % 13 == 0:
                    arrivals = 0
                rows.append(
                    {
                        "outlet_id": outlet,
                        "day": day,
                        "hour": hour,
                        "arrivals": -3 if (outlet, day, hour) == min(INVALID) else arrivals,
                        "counters_open": 1 + (outlet + hour) % 3,
                        "mean_service_minutes": 0.0
                        if (outlet, day, hour) == max(INVALID)
                        else 4 + ((outlet * 3 + index + hour) % 7) * 0.5,
                        "mean_wait_minutes": ((outlet * 11 + index * 5 + hour * 3) % 97) / 4.0
                        + 0.013 * index
                        + hour / 1000,
                    }
                )
    return pd.DataFrame(rows)


def valid_rows(outlets=(6, 7, 8, 9), start=None, end=None) -> pd.DataFrame:
    frame = lobby_rows()
    keys = list(zip(frame["outlet_id"], frame["day"], frame["hour"]))
    frame = frame[np.array([k not in INVALID for k in keys]) & frame["outlet_id"].isin(outlets)]
    if start is not None:
        frame = frame[frame["day"] >= start]
    if end is not None:
        frame = frame[frame["day"] <= end]
    weekday = pd.to_datetime(frame["day"]).dt.day_of_week
    return frame.assign(weekday=weekday, day_type=np.where(weekday < 5, "workday", "weekend"))


def expected_means(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The lobby means recomputed with pandas: arrival-weighted service and wait, plain means
    where nobody arrived."""
    frame = frame.assign(
        service_x=frame["arrivals"] * frame["mean_service_minutes"],
        wait_x=frame["arrivals"] * frame["mean_wait_minutes"],
    )
    grouped = frame.groupby(keys)
    result = grouped.agg(
        days=("arrivals", "size"),
        calendar_days=("day", "nunique"),
        arrivals=("arrivals", "sum"),
        counters=("counters_open", "sum"),
        service_x=("service_x", "sum"),
        wait_x=("wait_x", "sum"),
        service_plain=("mean_service_minutes", "mean"),
        wait_plain=("mean_wait_minutes", "mean"),
    )
    weighted = result["arrivals"].where(result["arrivals"] > 0)
    return pd.DataFrame(
        {
            "days": result["days"],
            "calendar_days": result["calendar_days"],
            "arrivals": result["arrivals"],
            "mean_arrivals": result["arrivals"] / result["days"],
            "mean_counters_open": result["counters"] / result["days"],
            "mean_service_minutes": (result["service_x"] / weighted).fillna(result["service_plain"]),
            "mean_wait_minutes": (result["wait_x"] / weighted).fillna(result["wait_plain"]),
        }
    )


@pytest.fixture(scope="module")
def lobby_network(shared_network):
    """The fixture network (each backend) with the lobby rows above."""
    with shared_network.begin() as connection:
        bulk_insert(connection, LobbyHourly.__table__, lobby_rows())
        connection.execute(
            OrgUnit.__table__.update()
            .where(OrgUnit.id.in_([6, 7, 8]))
            .values(cash_counters=2, non_cash_counters=1, smart_machines=2)
        )
    return shared_network


def scope_of(engine, username, role, unit_id=None):
    with engine.connect() as connection:
        return scope_for(connection, username, role, unit_id)


def assert_frames_match(actual: pd.DataFrame, expected: pd.DataFrame, keys: list[str]) -> None:
    actual = actual.set_index(keys).sort_index()
    expected = expected.sort_index()
    assert list(actual.index) == list(expected.index)
    for column in expected.columns:
        np.testing.assert_allclose(actual[column].to_numpy(float), expected[column].to_numpy(float), rtol=1e-9)


# --------------------------------------------------------------------------- queries


@pytest.mark.parametrize("unit_id, outlets", [(1, [6, 7, 8, 9]), (4, [6, 7]), (5, [8, 9]), (6, [6])])
def test_profile_by_weekday_and_hour_equals_pandas(lobby_network, unit_id, outlets):
    executive = scope_of(lobby_network, "exec", "executive")
    actual = queries_lobby.lobby_profile(lobby_network, executive, unit_id)
    assert (actual["outlet_id"] == 0).all()
    expected = expected_means(valid_rows(outlets), ["weekday", "hour"])
    assert_frames_match(actual.drop(columns="outlet_id"), expected, ["weekday", "hour"])
    assert actual["weekday"].between(0, 6).all()


def test_profile_per_outlet_by_day_type_within_a_window_equals_pandas(lobby_network):
    executive = scope_of(lobby_network, "exec", "executive")
    start, end = DAYS[2], DAYS[12]
    actual = queries_lobby.lobby_profile(lobby_network, executive, 1, start, end, True, "day_type")
    expected = expected_means(valid_rows(start=start, end=end), ["outlet_id", "day_type", "hour"])
    assert_frames_match(actual, expected, ["outlet_id", "day_type", "hour"])
    assert set(actual["day_type"]) == {"workday", "weekend"}


def test_profile_counts_fewer_days_for_a_missing_hour(lobby_network):
    executive = scope_of(lobby_network, "exec", "executive")
    profile = queries_lobby.lobby_profile(lobby_network, executive, 7).set_index(["weekday", "hour"])["days"]
    assert profile.loc[(MISSING[1].weekday(), 12)] == 1
    assert profile.loc[(MISSING[1].weekday(), 11)] == 2


def test_outlet_summary_equals_pandas(lobby_network):
    executive = scope_of(lobby_network, "exec", "executive")
    summary = queries_lobby.lobby_outlet_summary(lobby_network, executive, 1, None, None, 10.0).set_index("id")
    assert list(summary.index) == [6, 7, 8, 9]
    frame = valid_rows()
    for outlet, rows in frame.groupby("outlet_id"):
        row = summary.loc[outlet]
        arrivals = rows["arrivals"].sum()
        assert row["days"] == rows["day"].nunique()
        assert row["hours"] == len(rows)
        assert row["arrivals"] == arrivals
        assert row["mean_daily_arrivals"] == pytest.approx(arrivals / rows["day"].nunique())
        assert row["mean_counters_open"] == pytest.approx(rows["counters_open"].mean())
        assert row["mean_service_minutes"] == pytest.approx(
            (rows["arrivals"] * rows["mean_service_minutes"]).sum() / arrivals
        )
        assert row["mean_wait_minutes"] == pytest.approx(
            (rows["arrivals"] * rows["mean_wait_minutes"]).sum() / arrivals
        )
        assert row["worst_hour_wait_minutes"] == pytest.approx(rows["mean_wait_minutes"].max())
        assert row["share_hours_over_threshold"] == pytest.approx((rows["mean_wait_minutes"] > 10).mean())
    assert summary.loc[6, "counters"] == 3 and summary.loc[6, "smart_machines"] == 2
    assert summary.loc[9, "counters"] == 0  # no counters recorded
    assert summary.loc[6, "parent_en"] == "Unit 4"


def test_worst_hours_equal_pandas_top_cells(lobby_network):
    executive = scope_of(lobby_network, "exec", "executive")
    worst = queries_lobby.lobby_worst_hours(lobby_network, executive, 2, None, None, 5)
    expected = expected_means(valid_rows([6, 7]), ["outlet_id", "weekday", "hour"]).reset_index()
    expected["code"] = "U" + expected["outlet_id"].astype(str)
    expected = expected.sort_values(
        ["mean_wait_minutes", "code", "weekday", "hour"], ascending=[False, True, True, True]
    )
    top = expected.head(5)
    assert list(zip(worst["outlet_id"], worst["weekday"], worst["hour"])) == list(
        zip(top["outlet_id"], top["weekday"], top["hour"])
    )
    np.testing.assert_allclose(worst["mean_wait_minutes"], top["mean_wait_minutes"], rtol=1e-9)
    np.testing.assert_allclose(worst["mean_arrivals"], top["mean_arrivals"], rtol=1e-9)
    assert set(worst["name_en"]) <= {"Unit 6", "Unit 7"}


def test_period_counts_rows_and_invalid_rows(lobby_network):
    executive = scope_of(lobby_network, "exec", "executive")
    period = queries_lobby.lobby_period(lobby_network, executive, 1)
    assert period == {
        "first_day": DAYS[0],
        "last_day": DAYS[-1],
        "outlets": 4,
        "rows": len(lobby_rows()),
        "invalid_rows": 2,
    }
    assert queries_lobby.lobby_period(lobby_network, executive, 4)["invalid_rows"] == 0


def test_a_network_without_lobby_rows_gives_empty_results(network):
    executive = scope_of(network, "exec", "executive")
    assert queries_lobby.lobby_period(network, executive, 1) == {
        "first_day": None,
        "last_day": None,
        "outlets": 0,
        "rows": 0,
        "invalid_rows": 0,
    }
    assert queries_lobby.lobby_profile(network, executive, 1).empty
    assert queries_lobby.lobby_profile(network, executive, 1, None, None, True, "day_type").empty
    assert queries_lobby.lobby_outlet_summary(network, executive, 1).empty
    assert queries_lobby.lobby_worst_hours(network, executive, 1).empty


@pytest.mark.parametrize("query", LOBBY_QUERIES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("foreign_unit", [7, 8, 4, 2, 1, 999])
def test_branch_head_cannot_read_another_outlets_lobby(lobby_network, query, foreign_unit):
    head = scope_of(lobby_network, "head6", "branch_head", 6)
    with pytest.raises(ScopeError):
        query(lobby_network, head, foreign_unit)


def test_branch_heads_see_only_their_own_outlets(lobby_network):
    head = scope_of(lobby_network, "head6", "branch_head", 6)
    assert set(queries_lobby.lobby_profile(lobby_network, head, 6, None, None, True)["outlet_id"]) == {6}
    assert set(queries_lobby.lobby_outlet_summary(lobby_network, head, 6)["id"]) == {6}
    assert set(queries_lobby.lobby_worst_hours(lobby_network, head, 6, None, None, 500)["outlet_id"]) == {6}
    sub_branch_head = scope_of(lobby_network, "headA1", "branch_head", 4)
    assert set(queries_lobby.lobby_profile(lobby_network, sub_branch_head, 4, None, None, True)["outlet_id"]) == {6, 7}
    with pytest.raises(ScopeError):
        queries_lobby.lobby_profile(lobby_network, sub_branch_head, 8)


def test_lobby_queries_are_registered():
    assert set(LOBBY_QUERIES) <= set(queries.SCOPED_QUERIES)


def test_unknown_day_grouping_is_refused(lobby_network):
    executive = scope_of(lobby_network, "exec", "executive")
    with pytest.raises(ValueError):
        queries_lobby.lobby_profile(lobby_network, executive, 1, None, None, False, "month")


# --------------------------------------------------------------------------- lobby models (analytics.lobby)


def test_p95_of_one_cell_is_the_erlang_c_percentile():
    rate, service, counters = 30.0, 6.0, 4  # per hour, minutes
    observed = mean_wait(rate / 60, service, counters)
    cells = pd.DataFrame(
        {
            "mean_arrivals": [rate],
            "mean_service_minutes": [service],
            "mean_counters_open": [counters],
            "mean_wait_minutes": [observed],
            "arrivals": [100],
        }
    )
    waiting, conditional = lobby.wait_tail_parameters(cells)
    load = rate / 60 * service
    c = erlang_c(rate / 60, service, counters)
    assert waiting[0] == pytest.approx(c)
    assert conditional[0] == pytest.approx(service / (counters - load))
    expected = service / (counters - load) * np.log(c / 0.05)
    assert lobby.wait_percentile(cells["arrivals"], waiting, conditional) == pytest.approx(expected, rel=1e-9)
    # Calibrated to the observed mean: doubling it doubles the percentile.
    doubled = lobby.wait_tail_parameters(cells.assign(mean_wait_minutes=2 * observed))
    assert lobby.wait_percentile([1], *doubled) == pytest.approx(2 * expected, rel=1e-9)


def test_p95_of_a_mixture_and_edge_cases():
    # Half the customers never wait, half wait Exp(mean 10): P(W > t) = 0.5·exp(−t/10) = 0.05.
    assert lobby.wait_percentile([1, 1], [0.0, 1.0], [0.0, 10.0]) == pytest.approx(10 * np.log(10), rel=1e-9)
    assert lobby.wait_percentile([1], [0.04], [5.0]) == 0.0  # fewer than 5 % wait at all
    assert np.isnan(lobby.wait_percentile([0, 0], [0.5, 0.5], [1.0, 1.0]))
    assert lobby.wait_percentile([], [], []) != lobby.wait_percentile([], [], [])  # NaN, no crash


def test_group_percentiles_equal_one_bisection_per_group():
    rng = np.random.default_rng(7)
    cells = pd.DataFrame(
        {
            "group": rng.integers(0, 6, 200),
            "mean_arrivals": rng.uniform(0, 80, 200),
            "mean_service_minutes": rng.uniform(3, 9, 200),
            "mean_counters_open": rng.integers(1, 8, 200).astype(float),
            "mean_wait_minutes": rng.uniform(0, 30, 200),
            "arrivals": rng.integers(0, 500, 200),
        }
    )
    cells.loc[cells["group"] == 5, "arrivals"] = 0  # a group nobody arrived in
    together = lobby.group_percentiles(cells, "group")
    for group, rows in cells.groupby("group"):
        alone = lobby.wait_percentile(rows["arrivals"], *lobby.wait_tail_parameters(rows))
        if np.isnan(alone):
            assert np.isnan(together[group])
        else:
            assert together[group] == pytest.approx(alone, rel=1e-9, abs=1e-9)
    assert lobby.group_percentiles(cells.iloc[:0], "group").empty


def test_what_ifs_keep_the_work_and_the_customers_they_should():
    hourly = pd.DataFrame(
        {
            "hour": [9, 10, 11, 12, 13],
            "arrivals": [20.0, 40.0, 30.0, 25.0, 10.0],
            "service": [6.0, 6.0, 7.0, 7.0, 6.0],
            "open": [2.0, 3.0, 3.0, 2.0, 2.0],
            "days": [10, 10, 10, 10, 10],
        }
    )
    diverted, problems = lobby.apply_what_if(hourly, 0.2, 3.0, 0.0, 0, 0, False)
    assert problems == []
    work_before = hourly["arrivals"] * hourly["service"]
    work_after = diverted["arrivals"] * diverted["service"]
    np.testing.assert_allclose(work_after, work_before - hourly["arrivals"] * 0.2 * 3.0)
    np.testing.assert_allclose(diverted["arrivals"], hourly["arrivals"] * 0.8)

    longer, _ = lobby.apply_what_if(hourly, 0.0, 3.0, 0.5, 1, 2, True)
    assert list(longer["hour"]) == list(range(8, 16))
    assert longer["arrivals"].sum() == pytest.approx(hourly["arrivals"].sum() * 1.5)
    assert list(longer["added"]) == [True, False, False, False, False, False, True, True]
    assert longer.set_index("hour").loc[12, "open"] == 3 and longer.set_index("hour").loc[13, "open"] == 3

    _, problems = lobby.apply_what_if(hourly, 0.9, 60.0, 0.0, 0, 0, False)
    assert problems[0][0] == "divert"
    _, problems = lobby.apply_what_if(hourly.assign(hour=hourly["hour"] + 10), 0.0, 3.0, 0.0, 0, 2, False)
    assert problems == [("hours", {})]


def test_plan_hours_matches_the_queueing_searches():
    hourly = pd.DataFrame(
        {
            "hour": [9, 10, 11],
            "arrivals": [20.0, 0.0, 90.0],
            "service": [6.0, 6.0, 7.0],
            "open": [2.0, 1.0, 3.0],
            "days": [10, 10, 10],
            "added": [False, False, False],
        }
    )
    plan = lobby.plan_hours(hourly, "level", 10.0, 0.8, 5.0, 8)
    expected = servers_needed(hourly["arrivals"].to_numpy() / 60, hourly["service"].to_numpy(), 10.0, 0.8)
    assert list(plan["needed"]) == list(expected)
    assert plan["needed"].iloc[1] == 0
    assert plan["reachable"].tolist() == [n <= 8 for n in expected]
    assert np.isinf(plan["wait_open"].iloc[2])  # 90/h × 7 min = 10.5 Erlangs on 3 counters
    by_wait = lobby.plan_hours(hourly, "mean_wait", 10.0, 0.8, 2.0, 8)
    expected_wait = servers_needed_for_mean_wait(hourly["arrivals"].to_numpy() / 60, hourly["service"].to_numpy(), 2.0)
    assert list(by_wait["needed"]) == list(expected_wait)
    assert not by_wait["reachable"].iloc[2]  # needs 12 or more
    assert by_wait["planned"].iloc[2] == 8


def test_missing_hours_are_found():
    day = pd.DataFrame(
        {
            "hour": [9, 10, 12],
            "mean_arrivals": [1.0, 2.0, 3.0],
            "mean_service_minutes": [5.0, 5.0, 5.0],
            "mean_counters_open": [1.0, 1.0, 1.0],
            "days": [3, 3, 3],
        }
    )
    frame, missing = lobby.hourly_inputs(day)
    assert missing == [11]
    assert list(frame["hour"]) == [9, 10, 11, 12]


def test_p95_of_an_mm1_cell_is_the_textbook_tail():
    """M/M/1 (Kleinrock, Queueing Systems I, §3.2): P(W > t) = ρ·exp(−(μ − λ)t), so the 95th
    percentile is ln(ρ / 0.05) / (μ − λ): λ = 0.8, μ = 1 per minute gives ln 16 / 0.2 = 13.86 min."""
    cells = pd.DataFrame(
        {
            "mean_arrivals": [48.0],  # 0.8 per minute
            "mean_service_minutes": [1.0],
            "mean_counters_open": [1.0],
            "mean_wait_minutes": [0.8 / 0.2],  # Wq = ρ / (μ − λ) = 4 min
            "arrivals": [480],
        }
    )
    waiting, conditional = lobby.wait_tail_parameters(cells)
    assert waiting[0] == pytest.approx(0.8) and conditional[0] == pytest.approx(5.0)
    assert lobby.overall_percentile(cells) == pytest.approx(np.log(16) / 0.2, rel=1e-9)
    assert lobby.overall_percentile(cells, 0.5) == pytest.approx(np.log(1.6) / 0.2, rel=1e-9)


def test_p95_of_an_mmc_cell_is_the_closed_form():
    """One M/M/c cell: the 95th percentile equals −m·ln(0.05 / C), m = S / (c − a)."""
    rate, service, counters = 50.0, 8.0, 8  # 6.67 Erlangs on 8 counters
    load = rate / 60 * service
    c = erlang_c(rate / 60, service, counters)
    m = service / (counters - load)
    cells = pd.DataFrame(
        {
            "hour": [10],
            "mean_arrivals": [rate],
            "mean_service_minutes": [service],
            "mean_counters_open": [counters],
            "mean_wait_minutes": [c * m],
            "arrivals": [50],
        }
    )
    assert lobby.group_percentiles(cells, "hour").loc[10] == pytest.approx(-m * np.log(0.05 / c), rel=1e-9)


def test_weighted_means_and_hourly_means_by_hand():
    assert lobby.weighted_mean([10.0, 20.0], [1, 3]) == pytest.approx(17.5)
    assert np.isnan(lobby.weighted_mean([10.0], [0]))
    profile = pd.DataFrame(
        {
            "hour": [9, 9, 10],
            "arrivals": [10, 30, 0],
            "mean_wait_minutes": [2.0, 6.0, 1.0],
            "mean_service_minutes": [4.0, 8.0, 5.0],
        }
    )
    by_hour = lobby.hourly_means(profile)
    assert by_hour.loc[9, "arrivals"] == 40
    assert by_hour.loc[9, "mean_wait"] == pytest.approx(5.0)  # (10·2 + 30·6) / 40
    assert by_hour.loc[9, "mean_service"] == pytest.approx(7.0)
    assert np.isnan(by_hour.loc[10, "mean_wait"])  # nobody arrived
    cells = profile.assign(outlet_id=[1, 2, 1])
    spread = lobby.service_range_by_hour(cells)
    assert spread.loc[9, "fastest"] == 4.0 and spread.loc[9, "slowest"] == 8.0


def test_counters_needed_are_capped_by_the_installed_counters():
    cells = pd.DataFrame(
        {
            "outlet_id": [1, 1, 2],
            "hour": [9, 10, 9],
            "mean_arrivals": [20.0, 90.0, 90.0],
            "mean_service_minutes": [6.0, 7.0, 7.0],
        }
    )
    result = lobby.counters_needed(cells, pd.Series({1: 20, 2: 5}), 10.0, 0.8)
    expected = servers_needed(cells["mean_arrivals"].to_numpy() / 60, cells["mean_service_minutes"].to_numpy(), 10, 0.8)
    assert list(result["needed"]) == [expected[0], expected[1], 5]
    assert list(result["reachable"]) == [True, True, False]  # 10.5 Erlangs cannot fit in 5 counters


def test_plan_all_outlets_equals_the_scalar_searches():
    cells = pd.DataFrame(
        {
            "outlet_id": [1, 1, 2, 2],
            "day_type": ["workday", "weekend", "workday", "weekend"],
            "hour": [9, 9, 9, 9],
            "mean_arrivals": [20.0, 0.0, 90.0, 30.0],
            "mean_service_minutes": [6.0, 6.0, 7.0, 0.0],
            "mean_counters_open": [2.0, 1.0, 3.0, 1.0],
        }
    )
    capacity = pd.Series({1: 6, 2: 16})
    plan = lobby.plan_all_outlets(cells, capacity, "level", 10.0, 0.8, 5.0)
    assert len(plan) == 3  # the cell without a service time is left out
    assert list(plan["needed"]) == [servers_needed(20 / 60, 6.0, 10.0, 0.8), 0, servers_needed(90 / 60, 7.0, 10.0, 0.8)]
    small = lobby.plan_all_outlets(cells, pd.Series({1: 6, 2: 8}), "level", 10.0, 0.8, 5.0)
    assert small["needed"].iloc[2] == -1  # 12 counters needed, 8 installed
    assert small["wait_with_plan"].iloc[2] == pytest.approx(mean_wait(90 / 60, 7.0, 8))
    by_wait = lobby.plan_all_outlets(cells, capacity, "mean_wait", 10.0, 0.8, 0.5)
    needed = servers_needed_for_mean_wait(90 / 60, 7.0, 0.5)
    assert by_wait["needed"].iloc[2] == (needed if needed <= 16 else -1)
    assert by_wait["wait_with_plan"].iloc[0] == pytest.approx(
        mean_wait(20 / 60, 6.0, servers_needed_for_mean_wait(20 / 60, 6.0, 0.5))
    )
    with pytest.raises(ValueError):
        lobby.plan_all_outlets(cells, capacity, "nonsense", 10.0, 0.8, 5.0)


def test_formula_day_weights_hours_by_arrivals():
    rates, service, counters = np.array([30.0, 60.0, 0.0]), np.array([6.0, 6.0, 6.0]), np.array([4, 8, 1])
    day = lobby.formula_day(rates, service, counters, 10.0)
    hours = [mean_wait(r / 60, 6.0, c) for r, c in zip(rates, counters)]
    np.testing.assert_allclose(day.wait_minutes, hours)
    assert day.day_wait_minutes == pytest.approx((30 * hours[0] + 60 * hours[1]) / 90)
    overloaded = lobby.formula_day(rates, service, np.array([2, 8, 1]), 10.0)  # 3 Erlangs on 2 counters
    assert np.isinf(overloaded.day_wait_minutes) and 0 <= overloaded.day_level < 1
    assert lobby.non_stationary([30, 60], [6, 6], [4, 8])  # arrivals double
    assert not lobby.non_stationary([30, 33], [6, 6], [6, 6])


def test_plan_totals_count_peak_counter_hours_and_hours_short_or_over_by_hand():
    plan = pd.DataFrame(
        {"needed": [2, 5, 4, 1], "planned": [2, 4, 4, 1], "open_counters": [3, 2, 4, 0]}  # hour 2: 5 needed, 4 fit
    )
    totals = lobby.plan_totals(plan)
    assert totals.peak_needed == 5
    assert totals.planned_counter_hours == 11  # 2 + 4 + 4 + 1
    assert totals.open_counter_hours == 9  # 3 + 2 + 4 + 0
    assert (totals.hours_short, totals.hours_over) == (2, 1)  # hours 2 and 4 short, hour 1 over


def test_every_outlets_plan_against_the_open_counters_by_hand():
    cells = pd.DataFrame(
        {
            "outlet_id": [1, 1, 1, 2, 2],
            "day_type": ["workday", "workday", "weekend", "workday", "workday"],
            "hour": [9, 10, 9, 9, 10],
            "needed": [3, -1, 1, 2, 2],  # -1: outlet 1 cannot meet the target at 10:00 on 4 counters
            "capacity": [4, 4, 4, 2, 2],
            "mean_counters_open": [2.4, 3.5, 1.0, 2.6, 1.2],
        }
    )
    compared = lobby.compare_with_open_counters(cells)
    assert compared["open_counters"].tolist() == [2, 4, 1, 3, 1]  # 3.5 rounds to the even 4
    assert compared["unreachable"].tolist() == [False, True, False, False, False]
    assert compared["planned"].tolist() == [3, 4, 1, 2, 2]  # every installed counter where out of reach
    assert compared["short"].tolist() == [True, False, False, False, True]
    totals = lobby.outlet_plan_totals(compared).set_index(["outlet_id", "day_type"])
    assert totals.loc[(1, "workday")].tolist() == [3, 7, 6, 1, 1]  # peak, planned, open, short, unreachable
    assert totals.loc[(1, "weekend")].tolist() == [1, 1, 1, 0, 0]
    assert totals.loc[(2, "workday")].tolist() == [2, 4, 4, 1, 0]


def test_simulation_day_fills_missing_hours_and_serves_the_queue_at_closing():
    scenario = pd.DataFrame(
        {
            "hour": [9, 10, 11, 12],
            "arrivals": [20.0, np.nan, 40.0, 10.0],  # 10:00 without data
            "service": [6.0, np.nan, 8.0, 5.0],
            "open": [2.0, np.nan, 3.0, 1.0],
        }
    )
    day = lobby.simulation_day(scenario, pd.Series([2, 4, 0], index=[9, 11, 12]))
    assert day.opening_hour == 9
    assert day.arrivals_per_hour.tolist() == [20.0, 30.0, 40.0, 10.0]  # 10:00 halfway between its neighbours
    assert day.service_minutes.tolist() == [6.0, 7.0, 8.0, 5.0]
    assert day.counters.tolist() == [2, 3, 4, 1]  # 10:00 gets 3; the last hour opens a counter
    assert day.last_hour_opened and not day.no_counters
    nobody_staffed = lobby.simulation_day(scenario, pd.Series([0, 0, 0, 0], index=[9, 10, 11, 12]))
    assert nobody_staffed.no_counters and not nobody_staffed.last_hour_opened
    assert nobody_staffed.counters.tolist() == [0, 0, 0, 0]
    nobody_comes = lobby.simulation_day(scenario.assign(arrivals=0.0), pd.Series([0, 0, 0, 0], index=[9, 10, 11, 12]))
    assert not nobody_comes.no_counters and not nobody_comes.last_hour_opened


def test_formula_against_simulation_by_the_confidence_interval():
    assert lobby.compare_formula_and_simulation(4.0, 4.6, (3.9, 5.3)) == "agree"
    assert lobby.compare_formula_and_simulation(3.9, 4.6, (3.9, 5.3)) == "agree"  # the interval is closed
    assert lobby.compare_formula_and_simulation(3.0, 4.6, (3.9, 5.3)) == "higher"  # simulation waits longer
    assert lobby.compare_formula_and_simulation(6.0, 4.6, (3.9, 5.3)) == "lower"
    assert lobby.compare_formula_and_simulation(np.inf, 4.6, (3.9, 5.3)) == "unstable"


def test_overall_abandonment_weights_each_hour_by_its_arrivals():
    from dataclasses import replace

    from analytics.lobby_simulation import simulate_lobby

    result = simulate_lobby([10.0, 10.0], 5.0, [1, 1], 5, 1)
    by_hand = replace(result, arrivals=np.array([10.0, 30.0]), abandonment_share=np.array([0.5, 0.1]))
    assert by_hand.abandonment_share_overall == pytest.approx(0.2)  # (10·0.5 + 30·0.1) / 40
    nobody = replace(result, arrivals=np.array([0.0, 0.0]), abandonment_share=np.array([np.nan, np.nan]))
    assert nobody.abandonment_share_overall == 0.0


def test_service_time_by_business_type_is_summed_minutes_over_summed_transactions(network):
    rows = [
        # outlet, month, type, transactions, minutes: outlet 6 cash 4 min, outlet 7 cash 2 min
        (6, dt.date(2026, 10, 1), "cash", 100, 400.0),
        (7, dt.date(2026, 10, 1), "cash", 300, 600.0),
        (6, dt.date(2026, 10, 1), "loan", 10, 200.0),
        (6, dt.date(2026, 9, 1), "cash", 50, 500.0),
        (6, dt.date(2026, 8, 1), "card", 20, 40.0),
        (6, dt.date(2026, 7, 1), "cash", 1000, 1.0),  # outside the last three months with data
        (8, dt.date(2026, 10, 1), "cash", 999, 9999.0),  # another city
    ]
    with network.begin() as connection:
        connection.execute(
            insert(LobbyServiceType),
            [
                dict(zip(("outlet_id", "month", "business_type", "transactions", "service_minutes_total"), r))
                for r in rows
            ],
        )
    with network.connect() as connection:
        executive = scope_for(connection, "exec", "executive", None)
        head = scope_for(connection, "head6", "branch_head", 6)
    sub_branch = queries_lobby.lobby_service_by_type(network, executive, 4).set_index("business_type")
    assert sub_branch.loc["cash", "transactions"] == 450
    assert sub_branch.loc["cash", "mean_service_minutes"] == pytest.approx(1500.0 / 450)  # not mean(4, 2, 10)
    assert sub_branch.loc["loan", "mean_service_minutes"] == pytest.approx(20.0)
    assert list(sub_branch.index) == ["cash", "card", "loan"]  # most transactions first
    assert sub_branch["first_month"].iat[0] == dt.date(2026, 8, 1)
    own = queries_lobby.lobby_service_by_type(network, head, 6).set_index("business_type")
    assert own.loc["cash", "transactions"] == 150
    with pytest.raises(ScopeError):
        queries_lobby.lobby_service_by_type(network, head, 7)


def test_demo_service_types_add_up_to_the_lobby_totals(demo_database_url):
    engine = make_engine(demo_database_url)
    with engine.connect() as connection:
        lobby = connection.execute(
            select(func.sum(LobbyHourly.arrivals), func.sum(LobbyHourly.arrivals * LobbyHourly.mean_service_minutes))
        ).one()
        types = connection.execute(
            select(func.sum(LobbyServiceType.transactions), func.sum(LobbyServiceType.service_minutes_total))
        ).one()
        kinds = set(connection.execute(select(LobbyServiceType.business_type).distinct()).scalars())
    assert types[0] == lobby[0]
    assert types[1] == pytest.approx(lobby[1], rel=1e-9)
    assert kinds == set(BUSINESS_TYPES)


def test_demo_lobby_waits_are_realistic(demo_database_url):
    """The demo's lobby: mean wait in the range Chinese banks report and target (about 5–12
    minutes over the day), busier hours worse, and no outlet-hour beyond 90 minutes."""
    engine = make_engine(demo_database_url)
    with engine.connect() as connection:
        scope = scope_for(connection, "exec", "executive", None)
        root = connection.execute(select(OrgUnit.id).where(OrgUnit.parent_id.is_(None))).scalar()
        longest = connection.execute(select(func.max(LobbyHourly.mean_wait_minutes))).scalar()
    summary = queries_lobby.lobby_outlet_summary(engine, scope, root)
    engine.dispose()
    region_wait = lobby.weighted_mean(summary["mean_wait_minutes"], summary["arrivals"])
    assert 4.0 <= region_wait <= 12.0
    assert summary["worst_hour_wait_minutes"].max() > 15.0  # some peak hours are worse
    assert longest <= 90.0


# --------------------------------------------------------------------------- pages (AppTest)

PAGE_USERS = ["exec", "planner", "head_outlet"]
LOBBY_PAGE, STAFFING_PAGE = "pages/lobby.py", "pages/staffing.py"


def fragment(key: str, lang: str) -> str:
    """The longest literal piece of a translated text (placeholders removed), to find it on a page."""
    return max(re.split(r"{\w+}", TEXTS[key][lang]), key=len)


def plotly_figures(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def plotly_titles(at) -> list[str]:
    return [figure["layout"]["title"]["text"] for figure in plotly_figures(at)]


def trace_names(at) -> set[str]:
    return {trace.get("name") for figure in plotly_figures(at) for trace in figure["data"]}


@pytest.mark.parametrize("username", PAGE_USERS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lobby_page_for_each_role(app, username, lang):
    at = open_page(app, username, LOBBY_PAGE, lang)
    assert at.title[0].value == TEXTS["lobby_title"][lang]
    text = visible_text(at)
    for key in ("lobby_heatmap_title", "lobby_wait_title", "lobby_counters_title", "lobby_peers_title"):
        assert TEXTS[key][lang] in text
    assert TEXTS["lobby_business_type_caption"][lang] in text
    assert any(TEXTS["lobby_business_type_chart"][lang] in title for title in plotly_titles(at))
    labels = [m.label for m in at.metric]
    assert TEXTS["lobby_metric_p95_wait_minutes"][lang] in labels
    assert all(len(m.value) <= 8 for m in at.metric)  # short enough not to be cut off in five columns
    assert all(m.value not in ("", "—") for m in at.metric)
    titles = plotly_titles(at)
    assert len(titles) >= 5 and all(titles)
    assert TEXTS["lobby_series_open"][lang] in trace_names(at)
    assert TEXTS["lobby_series_p95_wait"][lang] in trace_names(at)
    assert len(at.get("download_button")) == 2
    if username == "head_outlet":
        assert TEXTS["lobby_peers_scope_note"][lang] in text
        assert len(at.selectbox(key="lobby_outlet").options) == 1


def test_lobby_page_outlet_and_day_type_switch(app, demo_database_url):
    at = open_page(app, "exec", LOBBY_PAGE)
    outlets = at.selectbox(key="lobby_outlet")
    assert outlets.options[0].startswith("All outlets")
    with make_engine(demo_database_url).connect() as connection:
        busiest = connection.execute(
            select(LobbyHourly.outlet_id)
            .group_by(LobbyHourly.outlet_id)
            .order_by(func.sum(LobbyHourly.arrivals).desc())
        ).scalar()
    outlets.set_value(busiest).run()
    assert not at.exception
    assert at.session_state["lobby_outlet"] == busiest
    assert not at.exception
    at.toggle(key="lobby_same_type").set_value(True).run()
    assert not at.exception
    at.get("segmented_control")[0].set_value("weekend").run()
    assert not at.exception
    at.selectbox(key="lobby_weeks").set_value(0).run()
    assert not at.exception


@pytest.mark.parametrize("username", PAGE_USERS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_staffing_page_for_each_role(app, username, lang):
    at = open_page(app, username, STAFFING_PAGE, lang)
    assert at.title[0].value == TEXTS["staffing_title"][lang]
    text = visible_text(at)
    for key in ("staffing_plan_title", "staffing_sim_title"):
        assert TEXTS[key][lang] in text
    assert len(at.table) == 1, "the printable plan is missing"
    header = list(at.table[0].value.columns)
    assert TEXTS["staffing_col_needed"][lang] in header and TEXTS["staffing_col_open"][lang] in header
    assert len(plotly_titles(at)) == 3 and all(plotly_titles(at))
    labels = [m.label for m in at.metric]
    assert TEXTS["staffing_sim_sim_wait"][lang] in labels and TEXTS["staffing_sim_formula_wait"][lang] in labels
    assert "95%" in text  # the stated confidence interval
    assert len(at.get("download_button")) == 2
    assert not at.error


@pytest.mark.parametrize(
    "widgets, message",
    [
        ({"staffing_level": 100.0}, "staffing_err_level_100"),
        ({"staffing_level": 0.0}, "staffing_err_level_0"),
        ({"staffing_target_kind": "mean_wait", "staffing_mean_wait": 0.0}, "staffing_err_mean_wait_0"),
        ({"staffing_divert": 90, "staffing_simple_minutes": 60.0}, "staffing_err_divert"),
        ({"staffing_later": 2, "staffing_earlier": 2, "staffing_demand": 300}, None),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_staffing_page_bad_input_gives_a_translated_message(app, widgets, message, lang):
    at = open_page(app, "planner", STAFFING_PAGE, lang)
    for key, value in widgets.items():
        if key == "staffing_target_kind":
            at.radio(key=key).set_value(value).run()
        elif key == "staffing_divert":
            at.slider(key=key).set_value(value)
        else:
            at.number_input(key=key).set_value(value)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if message is None:  # a what-if that makes the target unreachable in the lobby
        assert any(fragment("staffing_unreachable", lang) in w.value for w in at.warning)
        assert len(at.table) == 1
    else:
        errors = [e.value for e in at.error]
        assert errors and fragment(message, lang) in errors[0]
        assert len(at.table) == 0


def test_staffing_page_with_no_counters_says_so(app):
    at = open_page(app, "exec", STAFFING_PAGE)
    outlet = at.selectbox(key="staffing_outlet").value
    at.number_input(key=f"staffing_capacity_{outlet}").set_value(0).run()
    assert not at.exception
    assert any(fragment("staffing_unreachable", "en") in w.value for w in at.warning)
    assert TEXTS["staffing_sim_no_counters"]["en"] in [i.value for i in at.info]


def test_staffing_page_simulation_options_and_weekend(app):
    at = open_page(app, "planner", STAFFING_PAGE)
    at.toggle(key="staffing_abandon").set_value(True)
    at.number_input(key="staffing_cv").set_value(0.5)
    at.radio(key="staffing_sim_counters").set_value("open")
    at.selectbox(key="staffing_replications").set_value(200)
    at.toggle(key="staffing_lunch").set_value(True).run()
    assert not at.exception
    text = visible_text(at)
    assert "0.5" in text and "200" in text
    at.get("segmented_control")[0].set_value("weekend").run()
    assert not at.exception


@pytest.fixture
def damaged_demo(demo_database_url, tmp_path, monkeypatch, navigation_only_pages):
    """A copy of the demo database in which the outlet head's outlet misses its 12:00 hour on
    every day and one row has negative arrivals."""
    url = copy_sqlite_database(demo_database_url, tmp_path / "damaged.sqlite")
    engine = make_engine(url)
    with engine.begin() as connection:
        outlet = _head_outlet_unit(connection)
        connection.execute(delete(LobbyHourly).where(LobbyHourly.outlet_id == outlet, LobbyHourly.hour == 12))
        day = connection.execute(select(LobbyHourly.day).where(LobbyHourly.outlet_id == outlet).limit(1)).scalar()
        connection.execute(
            insert(LobbyHourly).values(
                outlet_id=outlet,
                day=day,
                hour=20,
                arrivals=-5,
                counters_open=1,
                mean_service_minutes=5.0,
                mean_wait_minutes=1.0,
            )
        )
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    return new_app(90)


def _head_outlet_unit(connection) -> int:
    from data.schema import AppUser

    return connection.execute(select(AppUser.scope_unit_id).where(AppUser.username == "head_outlet")).scalar()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_missing_hours_and_invalid_rows_get_clear_messages(damaged_demo, lang):
    at = open_page(damaged_demo, "head_outlet", STAFFING_PAGE, lang)
    warnings = [w.value for w in at.warning]
    assert any("12:00" in w and fragment("staffing_missing_hours", lang) in w for w in warnings)
    assert any(fragment("lobby_invalid_rows", lang) in w for w in warnings)
    assert len(at.table) == 1
    assert "12:00–13:00" not in list(at.table[0].value.iloc[:, 0])
    at = open_page(new_app(90), "head_outlet", LOBBY_PAGE, lang)
    assert any(fragment("lobby_invalid_rows", lang) in w.value for w in at.warning)


# --------------------------------------------------------------------------- month, peers, legends


def test_lobby_window_ends_at_the_selected_month():
    period = {"first_day": dt.date(2026, 9, 6), "last_day": dt.date(2026, 10, 31)}
    # The month's end, back the chosen weeks (never before the first day of data).
    assert lobby_window.lobby_window(period, dt.date(2026, 10, 1), 4) == (dt.date(2026, 10, 4), dt.date(2026, 10, 31))
    assert lobby_window.lobby_window(period, dt.date(2026, 9, 1), 8) == (dt.date(2026, 9, 6), dt.date(2026, 9, 30))
    assert lobby_window.lobby_window(period, dt.date(2026, 9, 1), 0) == (dt.date(2026, 9, 6), dt.date(2026, 9, 30))
    # A month the data does not reach: nothing (the page says which dates the data covers).
    assert lobby_window.lobby_window(period, dt.date(2026, 6, 1), 8) is None
    assert lobby_window.lobby_window(period, dt.date(2026, 11, 1), 8) is None
    # Data ending mid-month: the window ends on the last day of data.
    short = {"first_day": dt.date(2026, 9, 6), "last_day": dt.date(2026, 10, 15)}
    assert lobby_window.lobby_window(short, dt.date(2026, 10, 1), 1) == (dt.date(2026, 10, 9), dt.date(2026, 10, 15))
    assert lobby_window.lobby_window(period, None, 1) == (dt.date(2026, 10, 25), dt.date(2026, 10, 31))


def test_top_and_bottom_keeps_the_ends_and_the_selected_outlet():
    ranked = pd.DataFrame({"id": range(1, 31)})
    shown, added = lobby_window.top_and_bottom(ranked, 3)
    assert shown["id"].tolist() == [1, 2, 3, 28, 29, 30] and not added
    shown, added = lobby_window.top_and_bottom(ranked, 3, keep_id=15)
    assert shown["id"].tolist() == [1, 2, 3, 15, 28, 29, 30] and added
    shown, added = lobby_window.top_and_bottom(ranked, 3, keep_id=2)
    assert shown["id"].tolist() == [1, 2, 3, 28, 29, 30] and not added
    assert lobby_window.top_and_bottom(ranked.head(6), 3)[0]["id"].tolist() == [1, 2, 3, 4, 5, 6]


def _lobby_months(demo_database_url) -> tuple[dt.date, dt.date]:
    with make_engine(demo_database_url).connect() as connection:
        first, last = connection.execute(select(func.min(LobbyHourly.day), func.max(LobbyHourly.day))).one()
    to_date = lambda v: v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10])  # noqa: E731
    return to_date(first), to_date(last)


@pytest.mark.parametrize("page", [LOBBY_PAGE, STAFFING_PAGE])
def test_lobby_pages_follow_the_sidebar_month(app, demo_database_url, page):
    first, last = _lobby_months(demo_database_url)
    at = log_in(app, "exec", lang="zh")
    at.session_state["month"] = first.replace(day=1)
    at.switch_page(page).run()
    assert not at.exception
    window = lobby_window.lobby_window({"first_day": first, "last_day": last}, first.replace(day=1), 8)
    assert window[1] < last  # the month's end, not the last day of data
    assert f"{window[0].isoformat()} 至 {window[1].isoformat()}" in visible_text(at)
    # A month the lobby data does not reach: said with the dates it covers, and no empty chart.
    at.session_state["month"] = dt.date(first.year - 1, first.month, 1)
    at.run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert first.isoformat() in warnings and last.isoformat() in warnings
    assert not at.get("plotly_chart")


def test_lobby_peer_chart_shows_the_ends_and_stays_short(app, monkeypatch):
    monkeypatch.setattr(lobby_window, "PEER_CHART_ENDS", 2)
    at = open_page(app, "exec", LOBBY_PAGE, "zh")
    peer = next(f for f in plotly_figures(at) if f["layout"]["title"]["text"] == TEXTS["lobby_peers_chart"]["zh"])
    assert len(peer["data"][0]["y"]) == 4
    assert peer["layout"]["height"] <= 700
    assert fragment("lobby_peers_top_bottom", "zh") in visible_text(at)
    peer_table = next(d.value for d in at.dataframe if TEXTS["lobby_col_counters"]["zh"] in d.value.columns)
    assert len(peer_table) > 4  # the table still lists every outlet


@pytest.mark.parametrize("page", [LOBBY_PAGE, STAFFING_PAGE])
def test_lobby_thresholds_are_legend_entries_not_annotations_over_lines(app, page):
    at = open_page(app, "exec", page, "zh")
    for figure in plotly_figures(at):
        assert not figure["layout"].get("annotations"), figure["layout"]["title"]["text"]
    names = trace_names(at)
    key = "lobby_threshold_line" if page == LOBBY_PAGE else "staffing_series_target"
    assert TEXTS[key]["zh"].format(minutes=10) in names


def test_lobby_csv_downloads_speak_the_session_language(monkeypatch):
    monkeypatch.setattr("ui.i18n.current_language", lambda: "zh")
    frame = pd.DataFrame(
        {
            "code": ["O1"],
            "label": ["民族分理处（城区支行）"],
            "outlet_type": ["sub_office"],
            "weekday": [0],
            "day_type": ["weekend"],
            "mean_wait_minutes": [3.14159],
        }
    )
    text = lobby_window.lobby_csv(frame).decode("utf-8-sig")
    header, row = text.strip().splitlines()
    assert header.split(",") == [
        TEXTS["col_code"]["zh"],
        TEXTS["col_name"]["zh"],
        TEXTS["col_type"]["zh"],
        TEXTS["lobby_axis_weekday"]["zh"],
        TEXTS["lobby_day_type"]["zh"],
        TEXTS["lobby_csv_wait_minutes"]["zh"],
    ]
    assert row.split(",") == [
        "O1",
        "民族分理处（城区支行）",
        TEXTS["outlet_type_sub_office"]["zh"],
        TEXTS["weekday_0"]["zh"],
        TEXTS["day_type_weekend"]["zh"],
        "3.142",
    ]

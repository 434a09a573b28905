"""Channel diversion: the channel sums on SQLite and PostgreSQL against pandas sums of the fixture's
rows, rates recomputed from numerator and denominator at every level of the hierarchy (never
averaged), targets, the anonymous peer benchmark, the counter mix, the analytics with hand-computed
answers, and the page under AppTest for every role that sees it."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from analytics import diversion
from analytics.lobby import plan_all_outlets
from config.metrics import CHANNEL_TXN_CODES
from config.translations import TEXTS
from data import queries_service
from data.bulk import bulk_insert
from data.schema import Product, Target, Txn
from data.scope import ScopeError, scope_for
from tests.apptest_support import log_in, new_app
from tests.network_fixture import MONTHS, kpi_frame

LAST_YEAR, PREVIOUS, LAST = MONTHS
LEVELS = [(1, [6, 7, 8, 9]), (2, [6, 7]), (3, [8, 9]), (4, [6, 7]), (5, [8, 9]), (6, [6]), (8, [8])]
STANDARD = diversion.definition(diversion.E_CHANNELS, "all")


def scope_of(engine, username, role, unit_id=None):
    with engine.connect() as connection:
        return scope_for(connection, username, role, unit_id)


def expected_sums(outlets: list[int], months=MONTHS) -> pd.DataFrame:
    """Channel sums per month from the fixture's raw KPI rows."""
    frame = kpi_frame()
    frame = frame[frame["outlet_id"].isin(outlets) & frame["month"].isin(months)]
    frame = frame[frame["metric_code"].isin(CHANNEL_TXN_CODES)]
    return frame.pivot_table(index="month", columns="metric_code", values="value", aggfunc="sum")


def expected_rate(outlets: list[int], month: dt.date, numerator, denominator) -> float:
    sums = expected_sums(outlets, [month])
    return sums[numerator].sum(axis=1).iloc[0] / sums[denominator].sum(axis=1).iloc[0]


@pytest.fixture(scope="module")
def service_network(shared_network):
    """The fixture network with e-channel targets and a small counter transaction sample."""
    targets = pd.DataFrame(
        [
            {
                "org_unit_id": unit,
                "metric_code": "e_channel_rate",
                "period_start": dt.date(2026, 1, 1),
                "period_end": dt.date(2026, 12, 31),
                "value": 0.8 + unit / 100,
            }
            for unit in (1, 2, 4, 6)
        ]
        + [
            {
                "org_unit_id": 6,
                "metric_code": "deposits_total",
                "period_start": dt.date(2026, 1, 1),
                "period_end": dt.date(2026, 12, 31),
                "value": 1e9,
            }
        ]
    )
    products = pd.DataFrame(
        [
            {"id": 1, "code": "DD-P", "name_zh": "活期", "name_en": "DD", "family": "demand_deposit"},
            {"id": 2, "code": "WM", "name_zh": "理财", "name_en": "WM", "family": "wealth"},
            {"id": 3, "code": "DD-C", "name_zh": "对公活期", "name_en": "DD-C", "family": "demand_deposit"},
        ]
    ).assign(segment=["personal", "personal", "corporate"], annual_margin_rate=0.01)
    # outlet, product, channel, amount: outlet 6 has 3 counter txns of which 2 are small personal
    # demand-deposit ones; one mobile txn must not count; outlet 8 has one corporate counter txn.
    txns = [
        (6, 1, "counter", 1_000.0),
        (6, 1, "counter", 49_999.0),
        (6, 1, "counter", 80_000.0),
        (6, 2, "counter", 2_000.0),
        (6, 1, "mobile", 10.0),
        (8, 3, "counter", 500.0),
    ]
    txn_frame = pd.DataFrame(
        [
            {
                "id": i + 1,
                "customer_id": 1 if outlet == 6 else 5,
                "outlet_id": outlet,
                "product_id": product,
                "channel": channel,
                "txn_at": dt.datetime(2026, 10, 10, 10, i),
                "amount_rmb": amount,
            }
            for i, (outlet, product, channel, amount) in enumerate(txns)
        ]
    )
    with shared_network.begin() as connection:
        bulk_insert(connection, Target.__table__, targets)
        bulk_insert(connection, Product.__table__, products)
        bulk_insert(connection, Txn.__table__, txn_frame)
    return shared_network


# --------------------------------------------------------------------------- queries


@pytest.mark.parametrize("unit_id, outlets", LEVELS)
def test_channel_sums_equal_pandas_at_every_level(service_network, unit_id, outlets):
    scope = scope_of(service_network, "exec", "executive")
    result = queries_service.diversion_channel_sums(service_network, scope, unit_id).set_index("month")
    expected = expected_sums(outlets)
    assert list(result.index) == list(expected.index)
    for code in CHANNEL_TXN_CODES:
        np.testing.assert_allclose(result[code].to_numpy(), expected[code].to_numpy())
    assert (result["group_id"] == unit_id).all()


@pytest.mark.parametrize("unit_id, outlets", LEVELS)
@pytest.mark.parametrize(
    "channels, denominator",
    [(diversion.E_CHANNELS, "all"), (("txn_mobile", "txn_online"), "all"), (("txn_smart_machine",), "counted")],
)
def test_rate_is_recomputed_from_numerator_and_denominator_at_every_level(
    service_network, unit_id, outlets, channels, denominator
):
    scope = scope_of(service_network, "exec", "executive")
    numerator, bottom = diversion.definition(channels, denominator)
    sums = queries_service.diversion_channel_sums(service_network, scope, unit_id, LAST, LAST)
    rates = diversion.diversion_rates(sums, numerator, bottom)
    open_outlets = [o for o in outlets if o != 9]  # closed outlet 9 only has the oldest month
    assert rates["rate"].iloc[0] == pytest.approx(expected_rate(open_outlets, LAST, numerator, bottom), rel=1e-12)
    assert rates["numerator"].iloc[0] == pytest.approx(
        expected_sums(open_outlets, [LAST])[numerator].sum(axis=1).iloc[0]
    )
    if len(open_outlets) > 1:
        averaged = np.mean([expected_rate([o], LAST, numerator, bottom) for o in open_outlets])
        assert rates["rate"].iloc[0] != pytest.approx(averaged, rel=1e-9)


def test_child_and_outlet_groupings_give_each_unit_its_own_rate(service_network):
    scope = scope_of(service_network, "exec", "executive")
    numerator, denominator = STANDARD
    children = queries_service.diversion_channel_sums(service_network, scope, 1, LAST, LAST, "child")
    children = diversion.diversion_rates(children, numerator, denominator).set_index("group_id")
    assert list(children.index) == [2, 3]
    assert children.loc[2, "rate"] == pytest.approx(expected_rate([6, 7], LAST, numerator, denominator))
    assert children.loc[3, "rate"] == pytest.approx(expected_rate([8], LAST, numerator, denominator))
    assert children.loc[2, "name_en"] == "Unit 2"
    outlets = queries_service.diversion_channel_sums(service_network, scope, 1, None, None, "outlet")
    over_period = diversion.period_rates(outlets, numerator, denominator, ["group_id"]).set_index("group_id")
    for outlet in (6, 7, 8):
        sums = expected_sums([outlet])
        assert over_period.loc[outlet, "rate"] == pytest.approx(
            sums[numerator].to_numpy().sum() / sums[denominator].to_numpy().sum()
        )
    assert set(over_period.index) == {6, 7, 8, 9}
    with pytest.raises(ValueError):
        queries_service.diversion_channel_sums(service_network, scope, 1, None, None, "district")


def test_targets_are_the_e_channel_rows_of_the_subtree(service_network):
    scope = scope_of(service_network, "exec", "executive")
    targets = queries_service.diversion_targets(service_network, scope, 2)
    assert sorted(targets["org_unit_id"]) == [2, 4, 6]
    assert diversion.target_for(targets, 4, LAST) == pytest.approx(0.84)
    assert np.isnan(diversion.target_for(targets, 4, LAST_YEAR))  # 2025: no target
    assert np.isnan(diversion.target_for(targets, 7, LAST))


def test_peer_benchmark_gives_an_outlet_head_only_rank_and_quartiles(service_network):
    """An outlet head gets only the summary the page shows (rate, rank, peer count, quartiles, best
    and worst), not every city-branch outlet's channel figures."""
    head = scope_of(service_network, "head6", "branch_head", 6)
    numerator, denominator = STANDARD
    position = queries_service.diversion_peer_position(
        service_network, head, 6, LAST, LAST, tuple(numerator), tuple(denominator)
    )
    assert set(position) == {"rate", "rank", "count", "p25", "median", "p75", "best", "worst"}
    own, other = (expected_rate([o], LAST, numerator, denominator) for o in (6, 7))  # city branch 2
    assert position["count"] == 2 and position["rate"] == pytest.approx(own)
    assert position["rank"] == (1 if own > other else 2)
    assert position["best"] == pytest.approx(max(own, other))
    assert position["worst"] == pytest.approx(min(own, other))
    assert position["median"] == pytest.approx((own + other) / 2)


def test_counter_mix_counts_counter_transactions_by_family_and_amount(service_network):
    scope = scope_of(service_network, "exec", "executive")
    mix = queries_service.diversion_counter_mix(
        service_network, scope, 1, dt.date(2026, 10, 1), dt.date(2026, 10, 31), 50_000.0
    )
    assert mix["txns"].sum() == 5  # the mobile transaction is not a counter one
    shares = diversion.movable_shares(mix, ["demand_deposit"], ["personal"])
    assert shares.loc[6, "counter"] == 4 and shares.loc[6, "movable"] == 2 and shares.loc[6, "share"] == 0.5
    assert shares.loc[8, "movable"] == 0  # corporate
    outside = queries_service.diversion_counter_mix(
        service_network, scope, 1, dt.date(2026, 9, 1), dt.date(2026, 10, 9), 50_000.0
    )
    assert outside.empty
    period = queries_service.txn_sample_period(service_network, scope, 6)
    assert period == {"first_day": dt.date(2026, 10, 10), "last_day": dt.date(2026, 10, 10)}


@pytest.mark.parametrize(
    "query, extra",
    [
        (queries_service.diversion_channel_sums, ()),
        (queries_service.diversion_targets, ()),
        (queries_service.diversion_peer_position, (LAST, LAST)),
        (queries_service.diversion_counter_mix, (LAST, LAST)),
        (queries_service.txn_sample_period, ()),
    ],
)
@pytest.mark.parametrize("foreign_unit", [7, 4, 2, 1])
def test_branch_head_cannot_read_another_units_diversion(service_network, query, extra, foreign_unit):
    head = scope_of(service_network, "head6", "branch_head", 6)
    with pytest.raises(ScopeError):
        query(service_network, head, foreign_unit, *extra)


# --------------------------------------------------------------------------- analytics


def test_definition_rejects_empty_or_unknown_channels():
    assert diversion.definition(["txn_mobile"], "counted") == (["txn_mobile"], ["txn_counter", "txn_mobile"])
    assert STANDARD[1] == list(CHANNEL_TXN_CODES)
    for channels, denominator in (([], "all"), (["txn_counter"], "all"), (["txn_mobile"], "some")):
        with pytest.raises(ValueError):
            diversion.definition(channels, denominator)


def test_rates_by_hand():
    sums = pd.DataFrame(
        {"txn_counter": [20.0, 0.0], "txn_smart_machine": [30.0, 0.0], "txn_atm": [10.0, 0.0]}
        | {"txn_mobile": [40.0, 0.0], "txn_online": [0.0, 0.0]}
    )
    rates = diversion.diversion_rates(sums, *STANDARD)
    assert rates["rate"].iloc[0] == pytest.approx(0.8) and np.isnan(rates["rate"].iloc[1])
    # 100 transactions, 80 e-channel: moving 10 counter transactions to machines gives 90 %.
    assert diversion.rate_after_move(80, 100, 10, *STANDARD) == pytest.approx(0.9)
    # Smart machines not counted, counted-only denominator: 40 mobile / (20 counter + 40 mobile)
    # becomes 40 / (10 + 40) once 10 counter transactions leave for machines.
    mobile = diversion.definition(["txn_mobile"], "counted")
    assert diversion.rate_after_move(40, 60, 10, *mobile) == pytest.approx(0.8)


def test_movable_business_by_hand():
    mix = pd.DataFrame(
        {
            "outlet_id": [6, 6, 6, 7, 7, 9],
            "family": ["card", "card", "loan", "card", "demand_deposit", "card"],
            "segment": ["personal", "personal", "personal", "corporate", "personal", "personal"],
            "small": [True, False, True, True, True, True],
            "txns": [30, 10, 60, 20, 30, 40],
        }
    )
    shares = diversion.movable_shares(mix, ["card", "demand_deposit"], ["personal"])
    # Outlet 6: 30 of 100 counter transactions movable (the large card and the loan ones stay);
    # outlet 7: 30 of 50 (the corporate card ones stay); outlet 9: 40 of 40, but not reported.
    assert shares.loc[6, "share"] == pytest.approx(0.3) and shares.loc[7, "share"] == pytest.approx(0.6)
    outlets = pd.DataFrame({"code": ["U6", "U7", "U8"]}, index=[6, 7, 8])  # outlet 8: no sample
    moved = diversion.movable_business(outlets, shares, pd.Series({6: 2000.0, 7: 1000.0, 8: 500.0}), 0.5)
    frame = moved.per_outlet
    assert frame["code"].tolist() == ["U6", "U7", "U8"]
    assert frame["take_up"].iloc[:2].tolist() == pytest.approx([0.15, 0.3])  # share × take-up 50 %
    assert frame["movable_txns"].iloc[:2].tolist() == pytest.approx([300.0, 300.0])  # 2000·0.15, 1000·0.3
    assert np.isnan(frame.loc[8, "movable_txns"])
    assert moved.counter_txns == pytest.approx(3500.0)
    assert moved.movable_txns == pytest.approx(600.0)
    assert moved.sample_share == pytest.approx(100 / 190)  # (30 + 30 + 40) / (100 + 50 + 40), every sampled outlet
    nothing = diversion.movable_business(outlets, shares.iloc[:0], pd.Series(dtype=float), 0.5)
    assert np.isnan(nothing.sample_share) and nothing.movable_txns == 0.0


def test_counter_relief_equals_the_plan_on_the_diverted_load():
    cells = pd.DataFrame(
        {
            "outlet_id": [1, 1, 2, 2],
            "day_type": ["workday", "workday", "workday", "weekend"],
            "hour": [9, 10, 9, 9],
            "mean_arrivals": [40.0, 60.0, 30.0, 20.0],
            "mean_service_minutes": [6.0, 6.0, 8.0, 8.0],
            "mean_counters_open": [4.0, 5.0, 3.0, 2.0],
        }
    )
    capacity = pd.Series({1: 10, 2: 6})
    same = diversion.counter_relief(cells, capacity, pd.Series(dtype=float), 3.0, 10.0, 0.8)
    assert (same["counter_hours_before"] == same["counter_hours_after"]).all()
    relief = diversion.counter_relief(cells, capacity, pd.Series({1: 0.5}), 3.0, 10.0, 0.8).set_index("outlet_id")
    diverted = cells[cells["outlet_id"] == 1].assign(
        mean_arrivals=lambda f: f["mean_arrivals"] * 0.5, mean_service_minutes=9.0
    )
    plan = plan_all_outlets(diverted, capacity, "level", 10.0, 0.8, 0.0)
    assert relief.loc[1, "counter_hours_after"] == plan["needed"].sum()  # (6 − 0.5·3) / 0.5 = 9 min each
    assert relief.loc[1, "counter_hours_after"] < relief.loc[1, "counter_hours_before"]
    assert relief.loc[1, "share"] == 0.5
    assert diversion.counter_relief(cells.iloc[:0], capacity, pd.Series(dtype=float), 3.0, 10.0, 0.8).empty


# --------------------------------------------------------------------------- page (AppTest)

PAGE = "pages/channel_diversion.py"


def open_page(app, username: str, lang: str = "en"):
    at = log_in(app, username, lang=lang)
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("username", ["exec", "planner", "head_sub", "head_outlet"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_diversion_page_for_each_role(app, username, lang):
    at = open_page(app, username, lang)
    assert at.title[0].value == TEXTS["div_title"][lang]
    labels = [m.label for m in at.metric]
    assert TEXTS["div_metric_numerator"][lang] in labels and TEXTS["div_metric_denominator"][lang] in labels
    values = {m.label: m.value for m in at.metric}
    assert values[TEXTS["div_metric_target"][lang]].endswith("%")
    assert TEXTS["div_metric_counter_hours_after"][lang] in labels
    assert not at.error
    outlets = at.dataframe[1].value
    if username == "head_outlet":
        assert len(outlets) == 1
        assert TEXTS["div_peer_rank"][lang] in labels
    elif username == "head_sub":
        assert 1 < len(outlets) < 20
    else:
        assert len(outlets) > 5
    assert len(at.get("download_button")) == 1


def test_diversion_page_other_definition_and_bad_input(app):
    at = open_page(app, "exec")
    standard_rate = at.metric[0].value
    at.multiselect(key="div_channels").set_value(["txn_mobile", "txn_online"]).run()
    assert not at.exception
    assert at.metric[0].value != standard_rate
    assert TEXTS["div_user_target"]["en"] in [n.label for n in at.number_input]
    at.radio(key="div_denominator").set_value("counted").run()
    assert not at.exception and not at.error
    at.multiselect(key="div_channels").set_value([]).run()
    assert at.error[0].value == TEXTS["div_err_no_channel"]["en"]
    at = open_page(new_app(90), "exec", "zh")
    at.multiselect(key="div_families").set_value([]).run()
    assert TEXTS["div_err_no_family"]["zh"] in [e.value for e in at.error]
    at.multiselect(key="div_families").set_value(["demand_deposit"]).run()
    at.number_input(key="div_max_amount").set_value(0.0).run()
    assert TEXTS["div_err_amount"]["zh"] in [e.value for e in at.error]


def _figure(at, title_key: str, lang: str = "zh") -> dict:
    import json

    for chart in at.get("plotly_chart"):
        figure = json.loads(chart.proto.spec)
        if TEXTS[title_key][lang].split("{")[0] in figure["layout"]["title"]["text"]:
            return figure
    raise AssertionError(f"no chart {title_key}")


def test_diversion_months_read_in_chinese_and_the_counter_effect_follows_the_sidebar_month(app):
    import re

    at = open_page(app, "exec", "zh")
    trend = _figure(at, "div_trend_chart")
    assert trend["layout"]["xaxis"]["tickformat"] == "%Y年%-m月"
    assert not any(isinstance(x, str) and re.fullmatch(r"\d{4}-\d{2}", x) for x in trend["data"][0]["x"])
    month = at.session_state["month"]
    month_end = (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()
    captions = " ".join(c.value for c in at.caption)
    assert f"至 {month_end.isoformat()}" in captions  # the lobby weeks end at the selected month's end
    # A month before the lobby data: the page says which dates the lobby data covers.
    at.session_state["month"] = dt.date(month.year - 1, month.month, 1)
    at.run()
    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    assert TEXTS["lobby_month_not_covered"]["zh"].split("{")[0] in infos
    assert not any(
        TEXTS["div_effect_chart"]["zh"].split("（")[0] in (f["layout"]["title"]["text"])
        for f in (__import__("json").loads(c.proto.spec) for c in at.get("plotly_chart"))
    )


def test_diversion_target_label_sits_above_the_outlet_bars(app):
    at = open_page(app, "exec", "zh")
    bars = _figure(at, "div_outlets_chart")
    (label,) = bars["layout"]["annotations"]
    assert label["text"] == TEXTS["div_series_target"]["zh"]
    assert label["yref"] == "y domain" and label["y"] == 1 and label["yanchor"] == "bottom"

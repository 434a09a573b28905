"""Alert rules on constructed series with known answers (a 3σ drop is flagged, a 1σ one is not;
Poisson tails of complaint counts; waits; off-target by direction), the period and target helpers,
and the alert writes on SQLite and PostgreSQL: idempotent refresh, status and owner changes by
role and scope, thresholds, audit."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import poisson
from sqlalchemy import delete, select

from analytics.alerts import (
    AlertSettingsError,
    AlertThresholds,
    complaint_spike_alerts,
    drop_statistics,
    evaluate_alerts,
    off_target_alerts,
    sudden_drop_alerts,
    wait_time_alerts,
)
from analytics.targets import (
    Period,
    PeriodError,
    add_months,
    assess_targets,
    attainment,
    biggest_gaps,
    collapse_months,
    make_period,
    previous_period,
    rag,
    same_period_last_year,
    seasonal_overlay,
    target_kind,
    target_to_date,
)
from config.metrics import BY_CODE
from data import queries_performance as performance
from data.alerts import AlertError, refresh_alerts, save_thresholds, update_alert
from data.bulk import bulk_insert
from data.schema import Alert, AuditLog, KpiMonthly, Target
from data.scope import ScopeError, scope_for

OCT = dt.date(2026, 10, 1)
DEFAULTS = AlertThresholds()


def months_ending(end: dt.date, count: int) -> list[dt.date]:
    return [add_months(end, -i) for i in range(count - 1, -1, -1)]


def series_from_changes(changes: list[float], start_level: float = 1000.0) -> list[float]:
    levels = [start_level]
    for change in changes:
        levels.append(levels[-1] * (1 + change))
    return levels


# Twelve earlier changes alternating +1 % / −1 %: mean 0, sample sd 0.01·√(12/11).
HISTORY = [0.01, -0.01] * 6
SD = 0.01 * math.sqrt(12 / 11)


# --------------------------------------------------------------------------- sudden drops


def frame_for(levels: list[float], code: str = "deposits_total", outlet: int = 6) -> pd.DataFrame:
    months = months_ending(OCT, len(levels))
    return pd.DataFrame({"outlet_id": outlet, "metric_code": code, "month": months, "value": levels})


def test_drop_statistics_by_hand():
    stats = drop_statistics(frame_for(series_from_changes(HISTORY + [-0.03])).set_index("month")["value"], OCT, 12)
    assert stats["history"] == 12
    assert stats["mean"] == pytest.approx(0.0, abs=1e-12)
    assert stats["sd"] == pytest.approx(SD)
    assert stats["change"] == pytest.approx(-0.03)
    assert stats["z"] == pytest.approx(-0.03 / SD)


def test_a_three_sigma_drop_is_flagged_and_a_one_sigma_drop_is_not():
    three_sigma = frame_for(series_from_changes(HISTORY + [-3 * SD]))
    one_sigma = frame_for(series_from_changes(HISTORY + [-1 * SD]), outlet=7)
    alerts = sudden_drop_alerts(pd.concat([three_sigma, one_sigma]), OCT, DEFAULTS)
    assert list(alerts["outlet_id"]) == [6]
    alert = alerts.iloc[0]
    assert alert["rule"] == "sudden_drop" and alert["metric_code"] == "deposits_total"
    assert alert["value"] == pytest.approx(-3 * SD)
    assert alert["threshold"] == pytest.approx(-2 * SD)  # mean − k·sd
    assert alert["detail"]["z"] == pytest.approx(-3.0)
    medium = sudden_drop_alerts(frame_for(series_from_changes(HISTORY + [-2.5 * SD])), OCT, DEFAULTS)
    assert medium["severity"].tolist() == ["medium"]  # 2.5σ: beyond k = 2, not beyond k + 1
    stricter = sudden_drop_alerts(three_sigma, OCT, AlertThresholds(drop_sigma=3.5))
    assert stricter.empty


def test_a_four_sigma_drop_is_high_and_a_rise_is_not_a_drop():
    alerts = sudden_drop_alerts(frame_for(series_from_changes(HISTORY + [-4.5 * SD])), OCT, DEFAULTS)
    assert alerts["severity"].tolist() == ["high"]
    assert sudden_drop_alerts(frame_for(series_from_changes(HISTORY + [5 * SD])), OCT, DEFAULTS).empty


def test_for_a_lower_is_better_metric_a_sudden_rise_is_flagged():
    assert not BY_CODE["customers_lost"].higher_is_better
    rise = frame_for(series_from_changes(HISTORY + [3 * SD]), code="customers_lost")
    assert sudden_drop_alerts(rise, OCT, DEFAULTS)["metric_code"].tolist() == ["customers_lost"]
    fall = frame_for(series_from_changes(HISTORY + [-3 * SD]), code="customers_lost")
    assert sudden_drop_alerts(fall, OCT, DEFAULTS).empty


def test_too_short_or_broken_history_raises_nothing():
    short = frame_for(series_from_changes([0.01, -0.01, 0.01, -0.01, 0.01] + [-0.2]))  # 5 earlier changes < 6
    assert sudden_drop_alerts(short, OCT, DEFAULTS).empty
    broken = frame_for(series_from_changes(HISTORY + [-0.2]))
    broken = broken[broken["month"] != add_months(OCT, -1)]  # September missing: no month-on-month change
    assert sudden_drop_alerts(broken, OCT, DEFAULTS).empty


def test_a_flat_history_flags_any_drop():
    alerts = sudden_drop_alerts(frame_for([1000.0] * 13 + [990.0]), OCT, DEFAULTS)
    assert len(alerts) == 1 and alerts["detail"].iloc[0]["z"] is None  # −inf is stored as None


# --------------------------------------------------------------------------- the other rules


def test_off_target_by_more_than_the_threshold():
    assessed = pd.DataFrame(
        {
            "outlet_id": [6, 7, 8, 9],
            "metric_code": ["deposits_total", "avg_wait_minutes", "fee_income_total", "loans_total"],
            "attainment": [0.85, 0.75, 0.95, np.inf],
            "actual": [85.0, 13.3, 95.0, 1.0],
            "target_to_date": [100.0, 10.0, 100.0, 1.0],
        }
    )
    alerts = off_target_alerts(assessed, OCT, DEFAULTS)
    assert list(alerts["outlet_id"]) == [6, 7]
    assert list(alerts["severity"]) == ["medium", "high"]  # 15 % behind; 25 % > 2 × 10 %
    assert alerts["threshold"].iloc[0] == pytest.approx(0.9)
    assert alerts["detail"].iloc[0]["shortfall"] == pytest.approx(0.15)


def test_wait_above_the_stored_target_or_the_setting():
    waits = pd.DataFrame(
        {
            "outlet_id": [6, 7, 8, 9],
            "avg_wait_minutes": [12.0, 16.0, 12.0, 9.0],
            "target_minutes": [np.nan, np.nan, 15.0, np.nan],
        }
    )
    alerts = wait_time_alerts(waits, OCT, DEFAULTS)
    assert list(alerts["outlet_id"]) == [6, 7]
    assert list(alerts["severity"]) == ["medium", "high"]  # 16 > 1.5 × 10
    assert list(alerts["threshold"]) == [10.0, 10.0]
    assert alerts["detail"].iloc[0] == {"target_source": "setting"}


def test_complaint_spike_by_poisson_tail():
    months = months_ending(OCT, 13)
    rows = []
    for outlet, history, count in ((6, 2, 9), (7, 2, 4), (8, 0, 3), (9, 0, 4)):
        rows += [{"outlet_id": outlet, "month": m, "complaints": float(history)} for m in months[:-1]]
        rows.append({"outlet_id": outlet, "month": OCT, "complaints": float(count)})
    alerts = complaint_spike_alerts(pd.DataFrame(rows), OCT, DEFAULTS).set_index("outlet_id")
    # λ = 2: P(X ≥ 9) = 0.00024 < 0.01 (and < 0.001: high); P(X ≥ 4) = 0.143 is not a spike.
    # λ floored at 0.5: P(X ≥ 3) = 0.0144 is not, P(X ≥ 4) = 0.00175 is.
    assert sorted(alerts.index) == [6, 9]
    assert alerts.at[6, "severity"] == "high" and alerts.at[9, "severity"] == "medium"
    assert alerts.at[6, "detail"]["tail_probability"] == pytest.approx(poisson.sf(8, 2.0))
    assert alerts.at[6, "threshold"] == 7  # P(X ≥ 7 | 2) = 0.0045 < 0.01 ≤ P(X ≥ 6 | 2) = 0.0166
    assert alerts.at[9, "detail"]["rate"] == pytest.approx(0.5)


def test_evaluate_alerts_combines_and_sorts():
    drops = frame_for(series_from_changes(HISTORY + [-3 * SD]), outlet=8)
    waits = pd.DataFrame({"outlet_id": [6], "avg_wait_minutes": [11.0]})
    alerts = evaluate_alerts(OCT, DEFAULTS, series=drops, waits=waits)
    assert list(zip(alerts["outlet_id"], alerts["rule"])) == [(6, "wait_time"), (8, "sudden_drop")]
    assert evaluate_alerts(OCT, DEFAULTS).empty


@pytest.mark.parametrize(
    "values, key",
    [
        ({"drop_sigma": 0.5}, "alert_err_threshold_range"),
        ({"off_target_pct": "ten"}, "alert_err_threshold"),
        ({"complaint_min_count": 2.5}, "alert_err_threshold"),
        ({"wait_minutes": float("nan")}, "alert_err_threshold"),
        ({"drop_min_history": 12, "drop_history_months": 8}, "alert_err_min_history"),
    ],
)
def test_bad_thresholds_are_refused(values, key):
    with pytest.raises(AlertSettingsError) as error:
        AlertThresholds.from_dict(values)
    assert error.value.key == key


def test_thresholds_round_trip_and_defaults():
    thresholds = AlertThresholds.from_dict({"drop_sigma": "3", "complaint_min_count": 4.0, "unknown": 1})
    assert thresholds.drop_sigma == 3.0 and thresholds.complaint_min_count == 4
    assert isinstance(thresholds.complaint_min_count, int)
    assert AlertThresholds.from_dict(thresholds.to_dict()) == thresholds
    assert AlertThresholds.from_dict(None) == DEFAULTS


# --------------------------------------------------------------------------- periods and targets (pure)


def test_periods_and_their_comparisons():
    quarter = make_period("quarter", dt.date(2026, 8, 1))
    assert (quarter.start, quarter.end, quarter.length) == (dt.date(2026, 7, 1), dt.date(2026, 8, 1), 2)
    assert previous_period(quarter) == Period("quarter", dt.date(2026, 4, 1), dt.date(2026, 5, 1))
    ytd = make_period("ytd", dt.date(2026, 1, 1))
    assert previous_period(ytd) == Period("ytd", dt.date(2025, 1, 1), dt.date(2025, 12, 1))  # the whole last year
    custom = make_period("custom", dt.date(2026, 3, 1), dt.date(2025, 11, 1))
    assert previous_period(custom) == Period("custom", dt.date(2025, 6, 1), dt.date(2025, 10, 1))
    assert same_period_last_year(custom) == Period("custom", dt.date(2024, 11, 1), dt.date(2025, 3, 1))
    assert make_period("month", dt.date(2026, 3, 17)).label() == "2026-03"
    for kind, start, key in (
        ("custom", dt.date(2026, 5, 1), "kpi_err_custom_order"),
        ("custom", None, "kpi_err_custom_start"),
        ("custom", dt.date(2020, 1, 1), "kpi_err_custom_length"),
        ("week", None, "kpi_err_period_kind"),
    ):
        with pytest.raises(PeriodError) as error:
            make_period(kind, dt.date(2026, 3, 1), start)
        assert error.value.key == key


def test_collapse_months_by_time_aggregation():
    sums = pd.DataFrame(
        {
            "group_id": 0,
            "metric_code": ["deposits_personal"] * 2 + ["fee_income_card"] * 2 + ["inspection_score"] * 2,
            "month": [dt.date(2026, 1, 1), dt.date(2026, 2, 1)] * 3,
            "total": [100.0, 120.0, 5.0, 7.0, 180.0, 270.0],
            "n": [2, 2, 2, 2, 2, 3],
        }
    )
    collapsed = collapse_months(sums, dt.date(2026, 2, 1)).set_index("metric_code")
    assert collapsed.at["deposits_personal", "total"] == 120.0  # stock: February
    assert collapsed.at["fee_income_card", "total"] == 12.0  # flow: sum
    assert collapsed.at["inspection_score", "total"] == pytest.approx((90 + 90) / 2)  # mean of monthly means
    assert collapsed.at["inspection_score", "n"] == 1


def test_target_kinds_and_phasing():
    codes = ("deposits_total", "fee_income_total", "e_channel_rate", "deposits_total_daily_avg")
    assert [target_kind(BY_CODE[c]) for c in codes] == ["stock", "flow", "level", "level"]  # 日均: a level
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    assert target_to_date("flow", 1200, start, end, dt.date(2026, 3, 1)) == pytest.approx(300)
    assert target_to_date("flow", 1200, start, end, dt.date(2026, 3, 1), months_in_period=1) == pytest.approx(100)
    assert target_to_date("stock", 1200, start, end, dt.date(2026, 3, 1), base=600) == pytest.approx(750)
    assert target_to_date("stock", 1200, start, end, dt.date(2026, 3, 1)) == 1200  # no base: the full target
    assert target_to_date("level", 0.8, start, end, dt.date(2026, 3, 1)) == 0.8
    assert attainment(9.0, 10.0, higher_is_better=False) == pytest.approx(10 / 9)
    assert attainment(0.0, 10.0, higher_is_better=False) == math.inf
    assert [rag(1.0), rag(0.96), rag(0.949), rag(float("nan"))] == ["green", "amber", "red", None]


def test_biggest_gaps_are_the_furthest_behind():
    frame = pd.DataFrame(
        {
            "metric_code": ["deposits_total", "loans_total", "fee_income_total", "customers_new", "avg_wait_minutes"],
            "actual": [80.0, 95.0, 50.0, 120.0, 12.0],
            "target": [100.0, 100.0, 100.0, 100.0, 10.0],
            "target_start": [dt.date(2026, 1, 1)] * 5,
            "target_end": [dt.date(2026, 12, 31)] * 5,
        }
    )
    assessed = assess_targets(frame, dt.date(2026, 12, 1), period_months=12)
    gaps = biggest_gaps(assessed, 3)
    assert list(gaps["metric_code"]) == ["fee_income_total", "deposits_total", "avg_wait_minutes"]
    assert gaps["shortfall"].tolist() == pytest.approx([0.5, 0.2, 1 - 10 / 12])
    assert gaps.set_index("metric_code").at["avg_wait_minutes", "gap"] == pytest.approx(-2.0)


def test_seasonal_overlay_puts_years_in_rows():
    series = pd.DataFrame({"month": [dt.date(2025, 12, 1), dt.date(2026, 1, 1)], "value": [1.0, 2.0]})
    overlay = seasonal_overlay(series)
    assert list(overlay.index) == [2025, 2026] and list(overlay.columns) == list(range(1, 13))
    assert overlay.at[2025, 12] == 1.0 and overlay.at[2026, 1] == 2.0 and np.isnan(overlay.at[2026, 12])


# --------------------------------------------------------------------------- writes (both backends)


def scope_of(engine, username, role, unit_id=None):
    with engine.connect() as connection:
        return scope_for(connection, username, role, unit_id)


@pytest.fixture
def alert_network(network):
    """The fixture network with 13 months of deposits for outlet 6 ending in a 4σ drop, 13 months
    of complaints for outlet 7 ending in a spike, an October wait of 12 minutes at outlet 8, and a
    2026 deposits target for outlet 7 far above its balance."""
    months = months_ending(OCT, 14)
    personal = series_from_changes([0.02, 0.0] * 6 + [-0.05], 5000.0)  # changes: mean 1 %, sd ≈ 1.04 %
    rows = [(6, "deposits_personal", m, v) for m, v in zip(months, personal)]
    rows += [(6, "deposits_corporate", m, 1000.0) for m in months]
    rows += [(7, "complaints", m, 1.0) for m in months[:-1]] + [(7, "complaints", OCT, 8.0)]
    rows += [(8, "wait_minutes_total", OCT, 12000.0), (8, "customers_served", OCT, 1000.0)]
    frame = pd.DataFrame(rows, columns=["outlet_id", "metric_code", "month", "value"])
    with network.begin() as connection:
        connection.execute(
            delete(KpiMonthly).where(
                KpiMonthly.outlet_id == 6, KpiMonthly.metric_code.in_(["deposits_personal", "deposits_corporate"])
            )
        )
        bulk_insert(connection, KpiMonthly.__table__, frame)
        bulk_insert(
            connection,
            Target.__table__,
            pd.DataFrame(
                [
                    {
                        "id": 1,
                        "org_unit_id": 7,
                        "metric_code": "deposits_total",
                        "period_start": dt.date(2026, 1, 1),
                        "period_end": dt.date(2026, 12, 31),
                        "value": 1_000_000.0,
                    }
                ]
            ),
        )
    return network


def stored_alerts(engine) -> pd.DataFrame:
    with engine.connect() as connection:
        rows = connection.execute(
            select(Alert.id, Alert.outlet_id, Alert.rule, Alert.metric_code, Alert.status, Alert.owner, Alert.severity)
        ).all()
    return pd.DataFrame(rows, columns=["id", "outlet_id", "rule", "metric_code", "status", "owner", "severity"])


def audit_actions(engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(select(AuditLog.action).order_by(AuditLog.id)).scalars())


def test_refresh_raises_each_rule_once_and_is_idempotent(alert_network):
    executive = scope_of(alert_network, "exec", "executive")
    first = refresh_alerts(alert_network, executive, 1, OCT)
    alerts = stored_alerts(alert_network)
    found = set(zip(alerts["outlet_id"], alerts["rule"], alerts["metric_code"]))
    assert (6, "sudden_drop", "deposits_personal") in found
    assert (6, "sudden_drop", "deposits_total") in found
    assert (7, "complaint_spike", "complaints") in found
    assert (8, "wait_time", "avg_wait_minutes") in found
    assert (7, "off_target", "deposits_total") in found
    assert first["raised"] == len(alerts) == first["active"] and first["cleared"] == 0
    assert (alerts["status"] == "open").all() and alerts["owner"].isna().all()
    second = refresh_alerts(alert_network, executive, 1, OCT)
    assert second == {"raised": 0, "updated": len(alerts), "cleared": 0, "active": len(alerts)}
    assert len(stored_alerts(alert_network)) == len(alerts)
    assert audit_actions(alert_network).count("alerts_refresh") == 1  # nothing new the second time


def test_findings_without_storing_are_what_refresh_stores(alert_network):
    """My outlet shows the rules' findings without writing; the Alerts page files the same ones."""
    executive = scope_of(alert_network, "exec", "executive")
    findings = performance.alert_findings(alert_network, executive, 1, OCT)
    assert stored_alerts(alert_network).empty
    refresh_alerts(alert_network, executive, 1, OCT)
    stored = stored_alerts(alert_network)
    keys = ["outlet_id", "rule", "metric_code"]
    assert sorted(map(tuple, findings[keys].to_numpy().tolist())) == sorted(
        map(tuple, stored[keys].to_numpy().tolist())
    )
    assert set(findings["code"]) == {"U6", "U7", "U8"}
    stricter = performance.alert_findings(alert_network, executive, 1, OCT, (("drop_sigma", 6.0),))
    assert "sudden_drop" not in set(stricter["rule"]) and "wait_time" in set(stricter["rule"])


def test_refresh_of_a_branch_heads_scope_touches_only_their_outlets(alert_network):
    head = scope_of(alert_network, "head6", "branch_head", 6)
    refresh_alerts(alert_network, head, 6, OCT)
    assert set(stored_alerts(alert_network)["outlet_id"]) == {6}
    with pytest.raises(ScopeError):
        refresh_alerts(alert_network, head, 1, OCT)


def test_status_and_owner_changes_by_role_and_scope(alert_network):
    executive = scope_of(alert_network, "exec", "executive")
    refresh_alerts(alert_network, executive, 1, OCT)
    alerts = stored_alerts(alert_network).set_index(["outlet_id", "rule", "metric_code"])
    own = int(alerts.loc[(6, "sudden_drop", "deposits_total"), "id"])
    foreign = int(alerts.loc[(8, "wait_time", "avg_wait_minutes"), "id"])
    head = scope_of(alert_network, "head6", "branch_head", 6)
    assert update_alert(alert_network, head, own, "acknowledged", "Li Wei") is True
    assert update_alert(alert_network, head, own, "acknowledged", "Li Wei") is False  # nothing changed
    with pytest.raises(AlertError) as error:
        update_alert(alert_network, head, foreign, "resolved")
    assert error.value.key == "alert_err_unknown"  # outside the scope looks like unknown
    with pytest.raises(AlertError) as error:
        update_alert(alert_network, head, 999_999, "resolved")
    assert error.value.key == "alert_err_unknown"
    with pytest.raises(AlertError) as error:
        update_alert(alert_network, head, own, "closed")
    assert error.value.key == "alert_err_status"
    with pytest.raises(AlertError) as error:
        update_alert(alert_network, head, own, owner="x" * 65)
    assert error.value.key == "alert_err_owner"
    steward = scope_of(alert_network, "steward", "data_steward")
    with pytest.raises(AlertError) as error:
        update_alert(alert_network, steward, foreign, "resolved")
    assert error.value.key == "alert_err_not_allowed"
    assert update_alert(alert_network, executive, foreign, "resolved", "") is True
    after = stored_alerts(alert_network).set_index("id")
    assert after.at[own, "status"] == "acknowledged" and after.at[own, "owner"] == "Li Wei"
    assert after.at[foreign, "status"] == "resolved" and pd.isna(after.at[foreign, "owner"])
    assert audit_actions(alert_network).count("alert_update") == 2


def test_alerts_someone_acted_on_survive_when_the_rule_stops_firing(alert_network):
    executive = scope_of(alert_network, "exec", "executive")
    refresh_alerts(alert_network, executive, 1, OCT)
    alerts = stored_alerts(alert_network).set_index(["outlet_id", "rule", "metric_code"])
    kept = int(alerts.loc[(6, "sudden_drop", "deposits_total"), "id"])
    update_alert(alert_network, executive, kept, "acknowledged")
    save_thresholds(alert_network, executive, {"drop_sigma": 6.0})  # no drop fires any more
    counts = refresh_alerts(alert_network, executive, 1, OCT)
    remaining = stored_alerts(alert_network)
    drops = remaining[remaining["rule"] == "sudden_drop"]
    assert list(drops["id"]) == [kept]  # the acknowledged one stays; the untouched one is cleared
    assert counts["cleared"] == 1 and counts["raised"] == 0


def test_thresholds_are_saved_by_executives_and_planners_only(alert_network):
    head = scope_of(alert_network, "head6", "branch_head", 6)
    with pytest.raises(AlertError) as error:
        save_thresholds(alert_network, head, {"drop_sigma": 3.0})
    assert error.value.key == "alert_err_settings_not_allowed"
    executive = scope_of(alert_network, "exec", "executive")
    with pytest.raises(AlertError) as error:
        save_thresholds(alert_network, executive, {"drop_sigma": 30.0})
    assert error.value.key == "alert_err_threshold_range" and error.value.values["name"] == "drop_sigma"
    save_thresholds(alert_network, executive, {"drop_sigma": 3.0, "wait_minutes": 8})
    save_thresholds(alert_network, executive, {"drop_sigma": 2.5, "wait_minutes": 8})  # an update, not a second row
    settings = performance.alert_settings(alert_network, head, 6)
    assert settings["drop_sigma"] == 2.5 and settings["wait_minutes"] == 8.0 and settings["off_target_pct"] == 10.0
    assert audit_actions(alert_network).count("alert_settings") == 2

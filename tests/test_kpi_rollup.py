"""The unit-level KPI roll-up (``data.kpi_rollup``) on SQLite and PostgreSQL: equal to a pandas
roll-up of ``kpi_monthly`` over the tree, kept equal after every write path (KPI import
confirmed and deleted, org-unit import, registry merge, other imports), never read when it is
stale, and giving the performance queries exactly the answers they give from ``kpi_monthly``."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import delete, insert, select

import data.kpi_sums
import data.queries
from data import kpi_rollup
from data import queries_performance as performance
from data.importer import confirm, stage
from data.importer import delete as delete_batch
from data.registry import merge_outlet
from data.schema import DatasetInfo, KpiMonthly, KpiUnitMonthly, OrgUnit, Target
from data.scope import scope_for
from tests.network_fixture import MONTHS, kpi_frame

TODAY = dt.date(2026, 11, 23)
UNITS_FILE = (
    "code,name_zh,name_en,level,parent_code,outlet_type,city_code,lon,lat,floor_area_m2\n"
    "O901,新华分理处,Xinhua Sub-office,outlet,S90,sub_office,150100,111.70,40.82,520\n"
    "S90,新华支行,Xinhua Sub-branch,sub_branch,U2,,150100,,,\n"
)
NEW_KPIS = (
    "outlet_code,metric_code,month,value\n"
    "U6,deposits_personal,2026-11,1200000.5\n"
    "U7,deposits_personal,2026-11,3400000\n"
    "U8,complaints,2026-11,4\n"
    "U6,inspection_score,2026-11,91\n"
    "U8,inspection_score,2026-11,85\n"
)


def pandas_rollup(engine) -> pd.DataFrame:
    """SUM and COUNT of kpi_monthly per non-outlet unit, metric and month, computed in pandas:
    an outlet row belongs to every non-outlet unit whose path prefixes the outlet's path."""
    with engine.connect() as connection:
        kpis = pd.DataFrame(
            connection.execute(
                select(KpiMonthly.outlet_id, KpiMonthly.metric_code, KpiMonthly.month, KpiMonthly.value)
            ),
            columns=["outlet_id", "metric_code", "month", "value"],
        )
        units = pd.DataFrame(
            connection.execute(select(OrgUnit.id, OrgUnit.level, OrgUnit.path)), columns=["id", "level", "path"]
        )
    paths = units.set_index("id")["path"]
    rows = []
    for unit in units[units["level"] != "outlet"].itertuples(index=False):
        inside = kpis[kpis["outlet_id"].map(paths).str.startswith(unit.path)]
        grouped = inside.groupby(["metric_code", "month"])["value"].agg(total="sum", n="count").reset_index()
        rows.append(grouped.assign(unit_id=unit.id))
    frame = pd.concat(rows, ignore_index=True)
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    return frame[["unit_id", "metric_code", "month", "total", "n"]].sort_values(["unit_id", "metric_code", "month"])


def stored_rollup(engine) -> pd.DataFrame:
    with engine.connect() as connection:
        frame = pd.DataFrame(
            connection.execute(select(KpiUnitMonthly.unit_id, KpiUnitMonthly.metric_code, KpiUnitMonthly.month,
                                      KpiUnitMonthly.total, KpiUnitMonthly.n)),
            columns=["unit_id", "metric_code", "month", "total", "n"],
        )  # fmt: skip
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    return frame.sort_values(["unit_id", "metric_code", "month"])


def assert_rollup_matches(engine) -> None:
    with engine.connect() as connection:
        assert kpi_rollup.is_current(connection)
    expected, stored = pandas_rollup(engine), stored_rollup(engine)
    assert len(stored) == len(expected) > 0
    merged = expected.merge(stored, on=["unit_id", "metric_code", "month"], suffixes=("", "_stored"))
    assert len(merged) == len(expected)
    np.testing.assert_allclose(merged["total_stored"], merged["total"], rtol=1e-12)
    assert (merged["n_stored"] == merged["n"]).all()


def refresh(engine) -> int:
    with engine.begin() as connection:
        return kpi_rollup.refresh_kpi_rollup(connection)


def test_rollup_equals_a_pandas_rollup_of_the_fixture(network):
    with network.connect() as connection:
        assert not kpi_rollup.is_current(connection)  # the fixture loaded KPIs without building it
    written = refresh(network)
    assert_rollup_matches(network)
    # Region, 2 cities, 2 sub-branches × the fixture's metrics × 3 months, every one with data.
    assert written == 5 * len(kpi_frame().groupby(["metric_code", "month"]))
    region = stored_rollup(network).query("unit_id == 1 and metric_code == 'deposits_personal'")
    october = kpi_frame().query("metric_code == 'deposits_personal' and month == @MONTHS[2]")
    assert region.loc[region["month"] == MONTHS[2], "total"].item() == pytest.approx(october["value"].sum())
    assert region.loc[region["month"] == MONTHS[2], "n"].item() == len(october)


def test_rollup_stays_equal_after_kpi_import_delete_org_units_and_merge(network):
    refresh(network)
    batch = stage(network, "monthly_kpis", NEW_KPIS.encode(), "kpis.csv", "steward")
    assert batch.ok
    with network.connect() as connection:
        assert kpi_rollup.is_current(connection)  # staging changes no data
    confirm(network, batch.batch_id, "steward")
    assert_rollup_matches(network)
    november = stored_rollup(network).query("unit_id == 4 and month == @dt.date(2026, 11, 1)").set_index("metric_code")
    assert november.at["deposits_personal", "total"] == pytest.approx(1200000.5 + 3400000)
    assert november.at["inspection_score", "n"] == 1  # only outlet 6 of sub-branch 4 has a November score
    delete_batch(network, batch.batch_id, "steward")
    assert_rollup_matches(network)
    assert stored_rollup(network).query("month == @dt.date(2026, 11, 1)").empty

    units = stage(network, "org_units", UNITS_FILE.encode(), "units.csv", "steward")
    confirm(network, units.batch_id, "steward")  # a new sub-branch S90 with outlet O901 under city 2
    assert_rollup_matches(network)
    kpis = stage(
        network, "monthly_kpis", b"outlet_code,metric_code,month,value\nO901,complaints,2026-10,5\n", "k.csv", "steward"
    )
    confirm(network, kpis.batch_id, "steward")
    assert_rollup_matches(network)
    with network.connect() as connection:
        sub_branch = connection.execute(select(OrgUnit.id).where(OrgUnit.code == "S90")).scalar()
    rolled = stored_rollup(network).query("metric_code == 'complaints' and month == @MONTHS[2]").set_index("unit_id")
    assert rolled.at[sub_branch, "total"] == 5 and rolled.at[sub_branch, "n"] == 1

    merge_outlet(network, "exec", 7, 6, dt.date(2026, 10, 15), "consolidation", TODAY)
    assert_rollup_matches(network)


def test_other_imports_keep_a_current_rollup_current(network):
    refresh(network)
    batch = stage(
        network,
        "targets",
        b"unit_code,metric_code,period_start,period_end,value\nU1,deposits_total,2026-01-01,2026-12-31,5e9\n",
        "targets.csv",
        "steward",
    )
    confirm(network, batch.batch_id, "steward")
    with network.connect() as connection:
        assert kpi_rollup.is_current(connection)
        versions = dict(connection.execute(select(DatasetInfo.key, DatasetInfo.value)).all())
    assert versions["data_version"].startswith("confirmed-")  # a new version, and the roll-up's is the same


def test_source_kinds_are_the_import_kinds_of_the_source_tables():
    """kpi_rollup names the import kinds that rebuild the roll-up instead of importing the import
    specification (which imports it): the names must stay those of the kinds writing its tables."""
    from data.importer.spec import KINDS

    writing = {name for name, kind in KINDS.items() if kind.table.name in kpi_rollup.SOURCE_TABLES}
    assert writing == kpi_rollup.SOURCE_KINDS == {"monthly_kpis", "org_units"}


def test_a_stale_rollup_is_never_read(network):
    refresh(network)
    with network.connect() as connection:  # closed before the schema is dropped at teardown
        scope = scope_for(connection, "exec", "executive", None)
    before = performance.kpi_period_summary(network, scope, 1, ("deposits_total",), "month", MONTHS[2])
    with network.begin() as connection:  # a write that bypasses the roll-up (and the data version) ...
        connection.execute(delete(KpiMonthly).where(KpiMonthly.outlet_id == 6, KpiMonthly.month == MONTHS[2]))
        connection.execute(delete(DatasetInfo).where(DatasetInfo.key == "data_version"))
        connection.execute(insert(DatasetInfo).values(key="data_version", value="someone-else"))
    after = performance.kpi_period_summary(network, scope, 1, ("deposits_total",), "month", MONTHS[2])
    without_6 = (
        kpi_frame()
        .query("outlet_id != 6 and month == @MONTHS[2] and metric_code in ('deposits_personal', 'deposits_corporate')")[
            "value"
        ]
        .sum()
    )
    assert after["value"].item() == pytest.approx(without_6) and after["value"].item() < before["value"].item()


CASES = [(1, "month", MONTHS[2], None), (2, "ytd", MONTHS[2], None), (4, "quarter", MONTHS[2], None),
         (6, "month", MONTHS[2], None), (1, "custom", MONTHS[2], MONTHS[0]), (3, "month", MONTHS[1], None)]  # fmt: skip


def _answers(engine, scope) -> dict:
    from config.metrics import CATALOGUE

    codes = tuple(m.code for m in CATALOGUE)
    answers = {}
    for unit, kind, end, start in CASES:
        answers[("summary", unit, kind)] = performance.kpi_period_summary(engine, scope, unit, codes, kind, end, start)
        answers[("children", unit, kind)] = performance.kpi_period_by_child(
            engine, scope, unit, codes, kind, end, start
        )
        answers[("series", unit)] = performance.kpi_monthly_series(engine, scope, unit, codes)
        answers[("rank", unit)] = performance.peer_rank(engine, scope, unit, codes, end)
        answers[("headline", unit)] = data.queries.headline_kpis(engine, scope, unit, end, list(codes))
        answers[("by_child", unit)] = data.queries.kpi_by_child(engine, scope, unit, end, list(codes))
    return answers


def test_performance_queries_answer_the_same_from_the_rollup(network, monkeypatch):
    with network.begin() as connection:
        connection.execute(
            insert(Target),
            [
                {"org_unit_id": unit, "metric_code": code, "period_start": dt.date(2026, 1, 1),
                 "period_end": dt.date(2026, 12, 31), "value": value}
                for unit, code, value in ((1, "deposits_total", 48000.0), (2, "txn_total", 2.4e5),
                                          (4, "e_channel_rate", 0.8), (6, "txn_counter", 1.2e4),
                                          (1, "inspection_score", 90.0))
            ],
        )  # fmt: skip
    with network.connect() as connection:  # closed before the schema is dropped at teardown
        scope = scope_for(connection, "exec", "executive", None)
    from_kpis = _answers(network, scope)
    refresh(network)
    groups = []
    original = data.kpi_sums.base_sums
    monkeypatch.setattr(data.kpi_sums, "base_sums", lambda *a: groups.append(a[-1]) or original(*a))
    from_rollup = _answers(network, scope)
    assert set(groups) <= {"outlet"}  # totals and children came from the roll-up (outlet peers from kpi_monthly)
    for key, expected in from_kpis.items():
        got = from_rollup[key]
        assert list(got.columns) == list(expected.columns), key
        sort = [c for c in ("id", "metric_code", "month") if c in got.columns]
        pd.testing.assert_frame_equal(
            got.sort_values(sort).reset_index(drop=True),
            expected.sort_values(sort).reset_index(drop=True),
            check_dtype=False,
            rtol=1e-12,
            obj=str(key),
        )


def test_two_rebuilds_at_once_both_succeed(network):
    """A second rebuild while the first is uncommitted waits for it (PostgreSQL: advisory lock,
    SQLite: the write lock) instead of failing on duplicate keys."""
    import threading
    import time

    outcome = {}

    def second() -> None:
        try:
            outcome["rows"] = refresh(network)
        except Exception as error:  # reported below
            outcome["error"] = error

    with network.begin() as connection:
        first = kpi_rollup.refresh_kpi_rollup(connection)
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.5)  # the second rebuild is waiting now
        assert "rows" not in outcome and "error" not in outcome
    thread.join(timeout=30)
    assert outcome.get("error") is None and outcome.get("rows") == first
    assert_rollup_matches(network)

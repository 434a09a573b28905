"""Concurrent writers: import confirms, deletes and registry edits that
overlap in time all succeed, because the data version is one row updated in place instead of
deleted and re-inserted (which made the second writer fail on its primary key)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, text

from data.db import bump_data_version, make_engine, set_dataset_fact, upgrade_database
from data.importer import confirm, delete, stage
from data.registry import update_outlet
from data.schema import DatasetInfo, ImportBatch, OrgUnit
from tests.conftest import empty_database

JOIN_TIMEOUT_S = 60


@pytest.fixture
def postgres_engine(tmp_path):
    """A migrated, empty PostgreSQL database (fails under REQUIRE_POSTGRES=1 when unreachable)."""
    with empty_database("postgresql", tmp_path) as url:
        engine = make_engine(url)
        upgrade_database(engine)
        yield engine
        engine.dispose()


class Worker(threading.Thread):
    """Runs ``work`` in a thread and keeps the exception it raised, if any."""

    def __init__(self, work) -> None:
        super().__init__(daemon=True)
        self.work = work
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.work()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            self.error = error


def _facts(engine, key: str) -> list[str]:
    with engine.connect() as connection:
        return connection.execute(select(DatasetInfo.value).where(DatasetInfo.key == key)).scalars().all()


def _wait_until_blocked(engine, seconds: float = 10.0) -> None:
    """Wait until a session of this PostgreSQL database waits for a lock on ``dataset_info``."""
    deadline = time.monotonic() + seconds
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        " AND datname = current_database() AND query LIKE '%dataset_info%'"
    )
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            if connection.execute(query).scalar():
                return
        time.sleep(0.05)
    pytest.fail("the second writer never waited for the first")


def test_a_second_writer_waits_for_the_first_and_both_bumps_commit(postgres_engine):
    with postgres_engine.begin() as connection:
        set_dataset_fact(connection, "data_version", "loaded-0")
    first = postgres_engine.connect()
    first.begin()
    bump_data_version(first, "first")
    second = Worker(lambda: _bump(postgres_engine, "second"))
    second.start()
    _wait_until_blocked(postgres_engine)
    first.commit()
    first.close()
    second.join(JOIN_TIMEOUT_S)
    assert not second.is_alive()
    assert second.error is None, repr(second.error)
    versions = _facts(postgres_engine, "data_version")
    assert len(versions) == 1 and versions[0].startswith("second-")


def _bump(engine, reason: str) -> None:
    with engine.begin() as connection:
        bump_data_version(connection, reason)


def test_two_writers_creating_a_missing_fact_at_once_both_succeed(postgres_engine):
    first = postgres_engine.connect()
    first.begin()
    set_dataset_fact(first, "kpi_rollup_version", "a")

    def second_writer():
        with postgres_engine.begin() as connection:
            set_dataset_fact(connection, "kpi_rollup_version", "b")

    second = Worker(second_writer)
    second.start()
    _wait_until_blocked(postgres_engine)
    first.commit()
    first.close()
    second.join(JOIN_TIMEOUT_S)
    assert second.error is None, repr(second.error)
    assert _facts(postgres_engine, "kpi_rollup_version") == ["b"]


def test_the_data_version_row_is_updated_in_place(engine):
    with engine.begin() as connection:
        set_dataset_fact(connection, "data_version", "v0")
        version = bump_data_version(connection, "registry")
    assert version.startswith("registry-") and _facts(engine, "data_version") == [version]
    with engine.begin() as connection:
        newer = bump_data_version(connection, "confirmed-3")
    assert newer != version and _facts(engine, "data_version") == [newer]


KPI_FILE = "outlet_code,metric_code,month,value\nU6,deposits_personal,2026-{month:02d},{value}\n"


def test_overlapping_confirms_deletes_and_registry_edits_all_succeed(network):
    """Three writers at once, as in the acceptance run: one confirms staged KPI batches, one
    deletes confirmed competitor batches, one edits an outlet; nothing fails, everything lands."""
    kpi_batches = [
        stage(network, "monthly_kpis", KPI_FILE.format(month=m, value=1000 + m).encode(), f"k{m}.csv", "steward")
        for m in range(1, 7)
    ]
    assert all(result.ok for result in kpi_batches)
    competitor_batches = []
    for n in range(4):
        content = (
            "bank_code,bank_name_zh,bank_name_en,name,city_code,lon,lat\n"
            f"ICBC,中国工商银行,ICBC,工行{n}号支行,150100,111.{n}1,40.81\n"
        ).encode()
        result = stage(network, "competitor_outlets", content, f"r{n}.csv", "steward")
        assert result.ok, result
        confirm(network, result.batch_id, "steward")
        competitor_batches.append(result.batch_id)
    start = threading.Barrier(3)

    def confirms():
        start.wait()
        for result in kpi_batches:
            confirm(network, result.batch_id, "steward")

    def deletes():
        start.wait()
        for batch_id in competitor_batches:
            delete(network, batch_id, "steward")

    def edits():
        start.wait()
        for area in range(200, 210):
            update_outlet(network, "exec", 6, {"floor_area_m2": area})

    workers = [Worker(confirms), Worker(deletes), Worker(edits)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(JOIN_TIMEOUT_S)
    assert [worker.error for worker in workers] == [None, None, None]
    with network.connect() as connection:
        statuses = dict(connection.execute(select(ImportBatch.id, ImportBatch.status)).all())
        area = connection.execute(select(OrgUnit.floor_area_m2).where(OrgUnit.id == 6)).scalar()
        versions = connection.execute(
            select(func.count()).select_from(DatasetInfo).where(DatasetInfo.key == "data_version")
        ).scalar()
    assert all(statuses[result.batch_id] == "confirmed" for result in kpi_batches)
    assert all(statuses[batch_id] == "deleted" for batch_id in competitor_batches)
    assert area == 209 and versions == 1

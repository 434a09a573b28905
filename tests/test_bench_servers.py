"""The several-servers benchmark (bench/bench_servers.py): its no-lost-write check finds writes
the database does not hold (fabricated ones, on a real database of each backend), and a short
real run — 2 servers, 4 browser sessions, 30 s on a fresh PostgreSQL database — ends with its
writes confirmed and found, no error, its servers stopped and its database dropped."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

import pytest
from sqlalchemy import text

from bench.servers_check import (
    IMPORT_CONFIRM,
    REGISTRY_EDIT,
    SCENARIO_SAVE,
    Stored,
    Write,
    lost_writes,
    read_stored,
)
from data.db import make_engine
from data.importer import confirm, stage
from data.registry import update_outlet
from data.scenarios import save_scenario
from data.scope import scope_for
from tests.test_browser import CHROMIUM

ACTION = {"kind": "open", "lon": 111.7, "lat": 40.8, "name": "new", "attractiveness": 1.0}


def _edit(session: int, user: str, outlet: int, field: str, value, at: float) -> Write:
    return Write(REGISTRY_EDIT, session, user, (outlet, field), value, at)


def test_nothing_is_lost_when_the_database_holds_every_last_write():
    writes = [
        _edit(0, "a", 6, "staff_count", 11, 1.0),
        _edit(0, "a", 6, "staff_count", 12, 2.0),
        Write(SCENARIO_SAVE, 1, "p", ("p", "s1"), ("open",), 3.0),
        Write(IMPORT_CONFIRM, 2, "s", ("U6", "deposits_personal", "2026-10-01"), 5.0, 4.0, "f1.csv"),
        Write(IMPORT_CONFIRM, 2, "s", ("U6", "deposits_personal", "2026-10-01"), 6.0, 5.0, "f2.csv"),
    ]
    stored = Stored(
        registry_values={(6, "staff_count"): 12},
        edit_events=[(6, "a", {"staff_count": [10, 11]}), (6, "a", {"staff_count": [11, 12]})],
        scenarios={("p", "s1"): ("open",)},
        confirmed_files={"f1.csv", "f2.csv"},
        kpi_values={("U6", "deposits_personal", "2026-10-01"): 6.0},
    )
    assert lost_writes(writes, stored) == []


def test_an_edit_written_back_by_another_users_stale_form_is_lost():
    """A saves staff 45; B, whose form still showed 38, saves ATMs and writes staff 38 back."""
    writes = [_edit(0, "a", 6, "staff_count", 45, 1.0), _edit(1, "b", 6, "atms", 8, 2.0)]
    stored = Stored(
        registry_values={(6, "staff_count"): 38, (6, "atms"): 8},
        edit_events=[(6, "a", {"staff_count": [38, 45]}), (6, "b", {"atms": [5, 8], "staff_count": [45, 38]})],
    )
    problems = lost_writes(writes, stored)
    assert [(p.username, p.key, p.expected, p.found) for p in problems] == [
        ("a", (6, "staff_count"), 45, 38),  # the last edit of the field is not what the database holds
        ("b", (6, "staff_count"), 45, 38),  # B's save changed a field B did not touch
    ]


def test_the_last_of_two_edits_of_one_field_must_win():
    writes = [_edit(0, "a", 6, "atms", 7, 1.0), _edit(1, "b", 6, "atms", 9, 2.0)]
    events = [(6, "a", {"atms": [5, 7]}), (6, "b", {"atms": [7, 9]})]
    assert lost_writes(writes, Stored(registry_values={(6, "atms"): 9}, edit_events=events)) == []
    problems = lost_writes(writes, Stored(registry_values={(6, "atms"): 7}, edit_events=events))
    assert [(p.username, p.expected, p.found) for p in problems] == [("b", 9, 7)]


def test_unknown_write_kinds_are_refused():
    with pytest.raises(ValueError, match="unknown write kinds"):
        lost_writes([Write("delete", 0, "a", (1,), 1, 1.0)], Stored())


def test_the_check_finds_fabricated_lost_writes_in_a_real_database(network):
    """Real writes through the data layer are found; a registry edit, a scenario and an import
    that were never written are each reported, and nothing else."""
    update_outlet(network, "exec", 6, {"staff_count": 9})
    with network.connect() as connection:
        scope = scope_for(connection, "exec", "executive", None)
    save_scenario(network, scope, 6, "kept", {"actions": [ACTION]}, {})
    content = b"outlet_code,metric_code,month,value\nU6,deposits_personal,2026-01,4321\n"
    staged = stage(network, "monthly_kpis", content, "k.csv", "steward")
    assert staged.ok, staged
    confirm(network, staged.batch_id, "steward")
    month = dt.date(2026, 1, 1).isoformat()
    real = [
        _edit(0, "exec", 6, "staff_count", 9, 1.0),
        Write(SCENARIO_SAVE, 1, "exec", ("exec", "kept"), ("open",), 2.0),
        Write(IMPORT_CONFIRM, 2, "steward", ("U6", "deposits_personal", month), 4321.0, 3.0, "k.csv"),
    ]
    assert lost_writes(real, read_stored(network, real)) == []
    fabricated = [
        _edit(0, "exec", 7, "atms", 77, 4.0),
        Write(SCENARIO_SAVE, 1, "exec", ("exec", "never saved"), ("close",), 5.0),
        Write(IMPORT_CONFIRM, 2, "steward", ("U7", "deposits_personal", month), 99.0, 6.0, "never.csv"),
    ]
    problems = lost_writes(real + fabricated, read_stored(network, real + fabricated))
    assert sorted((p.kind, p.key, p.reason) for p in problems) == sorted(
        [
            (REGISTRY_EDIT, (7, "atms"), "last edit not stored"),
            (REGISTRY_EDIT, (7, "atms"), "no edit event"),
            (SCENARIO_SAVE, ("exec", "never saved"), "scenario missing"),
            (IMPORT_CONFIRM, ("U7", "deposits_personal", month), "batch not confirmed"),
            (IMPORT_CONFIRM, ("U7", "deposits_personal", month), "last correction not stored"),
        ]
    )


def _databases() -> set[str]:
    from bench.run import POSTGRES_URL

    engine = make_engine(POSTGRES_URL)
    with engine.connect() as connection:
        names = set(connection.execute(text("SELECT datname FROM pg_database")).scalars())
    engine.dispose()
    return names


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.browser
@pytest.mark.postgres
def test_a_short_run_has_no_error_and_loses_no_write():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from bench import bench_servers

    outcome = bench_servers.run(minutes=0.5, sessions=4, servers=2, scale=0.01, think_s=(1.0, 3.0))
    assert outcome.errors == []  # failed steps, errors outside a step, error lines in the servers' logs
    assert outcome.problems == []  # no lost write
    kinds = {step.kind for step in outcome.recorder.steps}
    assert {"log_in", "read_executive", IMPORT_CONFIRM} <= kinds
    written = {w.kind for w in outcome.recorder.writes}
    assert IMPORT_CONFIRM in written
    assert {REGISTRY_EDIT, SCENARIO_SAVE} <= written
    assert {s.server for s in outcome.recorder.steps} == {0, 1}  # both servers served sessions
    assert outcome.database not in _databases()  # its database is dropped
    assert len(outcome.server_pids) == 2 and not any(_running(pid) for pid in outcome.server_pids)
    args = argparse.Namespace(servers=2, sessions=4, scale=0.01, think=(1.0, 3.0))
    lines = "\n".join(bench_servers.report(outcome, args))
    assert "| import_confirm | " in lines and "lost writes: 0" in lines
    assert f"errors: {len(outcome.errors)}" in lines

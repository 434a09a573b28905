"""The drop folder (``python -m data.importer watch DIR``): a delivery with ``READY`` is loaded and
moved to done/, one without it is left alone, a refused one changes nothing, moves to failed/
with its result.txt and an audit line that the import page shows; exit codes; the poll loop."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import func, select

from config.import_texts import import_message
from config.settings import PROJECT_ROOT
from data.auth import write_audit
from data.db import make_engine
from data.import_watch_log import drop_folder_failures
from data.importer import watch as watcher
from data.importer.__main__ import main as cli
from data.schema import AuditLog, KpiMonthly, OrgUnit, Target
from data.scope import Scope, ScopeError
from tests.apptest_support import log_in
from tests.test_import_folder import BAD_COMPETITORS, COMPETITORS, KPIS, ORG_UNITS, TARGETS, url_of, write
from tests.test_importer import table_checksums

DELIVERY = "2026-11-30"
REFUSED_LINE = "competitor_outlets.csv:2 [lon] 'east': Not a number."


def delivery(drop, name: str = DELIVERY, ready: bool = True, competitors: str = COMPETITORS):
    """A delivery sub-folder of ``drop`` with the four files of tests/test_import_folder.py (5 rows:
    1 outlet, 2 KPI rows, 1 target, 1 competitor outlet), and its READY marker when ``ready``."""
    drop.mkdir(exist_ok=True)
    folder = write(
        drop / name,
        {
            "competitor_outlets.csv": competitors,
            "monthly_kpis_2026-11.csv": KPIS,
            "org_units.csv": ORG_UNITS,
            "targets.csv": TARGETS,
        },
    )
    if ready:
        (folder / "READY").write_text("", encoding="utf-8")
    return folder


def new_outlets(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(OrgUnit).where(OrgUnit.code == "N1")).scalar_one()


def watch_audit(engine) -> list[tuple[str, bool, dict]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(AuditLog.username, AuditLog.success, AuditLog.detail)
            .where(AuditLog.action == "drop_folder_failed")
            .order_by(AuditLog.id)
        ).all()
    return [tuple(row) for row in rows]


def scope_of(role: str) -> Scope:
    return Scope("someone", role, 1, "/1/", False)


def test_a_ready_folder_is_loaded_and_moved_to_done(network, tmp_path, capsys):
    drop = tmp_path / "drop"
    delivery(drop)
    assert cli(["watch", str(drop), "--once", "--database-url", url_of(network), "--user", "ops"]) == 0
    out = capsys.readouterr().out
    done = drop / "done" / DELIVERY
    assert sorted(p.name for p in done.iterdir()) == [
        "competitor_outlets.csv",
        "monthly_kpis_2026-11.csv",
        "org_units.csv",
        "result.txt",
        "targets.csv",
    ]  # READY is gone, result.txt added
    assert not (drop / DELIVERY).exists() and not (drop / "loading" / DELIVERY).exists()
    result = (done / "result.txt").read_text(encoding="utf-8")
    assert "4 files loaded in one transaction (5 rows)" in result
    assert f"{DELIVERY} loaded; moved to {done}." in result
    assert "Drop folder done: 1 loaded, 0 failed." in out
    assert new_outlets(network) == 1
    with network.connect() as connection:
        assert connection.execute(select(func.count()).select_from(Target)).scalar_one() >= 1
    assert watch_audit(network) == []


def test_a_folder_without_ready_is_left_alone(network, tmp_path, capsys):
    drop = tmp_path / "drop"
    folder = delivery(drop, ready=False)  # still being copied
    before = table_checksums(network)
    assert cli(["watch", str(drop), "--once", "--database-url", url_of(network)]) == 0
    assert f"No sub-folder of {drop} is ready" in capsys.readouterr().out
    assert sorted(p.name for p in drop.iterdir()) == [DELIVERY]  # no done/, failed/ or loading/
    assert len(list(folder.iterdir())) == 4
    assert table_checksums(network) == before


def test_a_refused_folder_changes_nothing_and_moves_to_failed_with_its_reasons(network, tmp_path, capsys):
    drop = tmp_path / "drop"
    delivery(drop, competitors=BAD_COMPETITORS)  # the last file loaded is refused
    before = table_checksums(network)
    assert cli(["watch", str(drop), "--once", "--database-url", url_of(network), "--user", "ops"]) == 1
    err = capsys.readouterr().err
    assert REFUSED_LINE in err
    assert table_checksums(network) == before  # the three files before it were rolled back
    failed = drop / "failed" / DELIVERY
    result = (failed / "result.txt").read_text(encoding="utf-8")
    assert "[3/4] targets.csv (targets)" in result
    assert REFUSED_LINE in result
    assert "competitor_outlets.csv (competitor_outlets) was refused: nothing from this folder was loaded" in result
    assert f"{DELIVERY} failed; moved to {failed} (see result.txt there)." in result
    assert not (drop / "done").exists()
    ((username, success, detail),) = watch_audit(network)
    assert (username, success) == ("ops", False)
    assert detail["folder"] == DELIVERY and detail["moved_to"] == "failed"
    assert detail["errors"] == [
        REFUSED_LINE,
        "competitor_outlets.csv: 1 errors in 1 rows.",
        "competitor_outlets.csv (competitor_outlets) was refused: nothing from this folder was loaded (rolled back).",
    ]
    failures = drop_folder_failures(network, scope_of("data_steward"))
    assert failures["folder"].tolist() == [DELIVERY] and failures["errors"].iloc[0][0] == REFUSED_LINE


def test_a_folder_with_an_unknown_file_fails_before_loading_in_chinese(network, tmp_path):
    drop = tmp_path / "drop"
    folder = delivery(drop)
    (folder / "notes.csv").write_text("a\n1\n", encoding="utf-8")
    before = table_checksums(network)
    assert cli(["watch", str(drop), "--once", "--database-url", url_of(network), "--lang", "zh"]) == 1
    assert table_checksums(network) == before
    result = (drop / "failed" / DELIVERY / "result.txt").read_text(encoding="utf-8")
    assert result.startswith("notes.csv：无法判断是哪类数据。")
    assert import_message("import_folder_refused_nothing_loaded", "zh") in result
    assert watch_audit(network)[0][2]["errors"][0].startswith("notes.csv：无法判断是哪类数据。")


def test_exit_codes_of_once(network, tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    url = url_of(network)
    assert cli(["watch", str(drop), "--once", "--database-url", url]) == 0  # nothing ready
    delivery(drop, "a-good")
    delivery(drop, "b-bad", competitors=BAD_COMPETITORS)
    assert cli(["watch", str(drop), "--once", "--database-url", url]) == 1  # one loaded, one failed
    assert [p.name for p in (drop / "done").iterdir()] == ["a-good"]
    assert [p.name for p in (drop / "failed").iterdir()] == ["b-bad"]
    assert new_outlets(network) == 1
    # The same name delivered again goes next to the first one.
    delivery(drop, "b-bad", competitors=BAD_COMPETITORS)
    assert cli(["watch", str(drop), "--once", "--database-url", url]) == 1
    assert sorted(p.name for p in (drop / "failed").iterdir()) == ["b-bad", "b-bad-2"]
    with pytest.raises(SystemExit) as exit_info:
        cli(["watch", str(tmp_path / "nowhere"), "--once", "--database-url", url])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        cli(["watch", str(drop), "--once", "--interval", "0", "--database-url", url])
    assert exit_info.value.code == 2
    delivery(drop, "c-waiting")
    assert cli(["watch", str(drop), "--once", "--database-url", "postgresql://nobody@127.0.0.1:1/x"]) == 2
    assert cli(["watch", str(drop), "--once", "--database-url", f"sqlite:///{tmp_path / 'new.sqlite'}"]) == 2
    assert (drop / "c-waiting" / "READY").is_file()  # left for a run with a usable database


def test_the_poll_loop_loads_a_delivery_that_becomes_ready_and_stops_between_folders(network, tmp_path):
    drop = tmp_path / "drop"
    folder = delivery(drop, ready=False)
    stop = threading.Event()
    seen: list[watcher.DropOutcome] = []
    polls = []

    def usable() -> bool:
        polls.append(1)
        if len(polls) == 2:  # the copy finishes between the first and the second poll
            (folder / "READY").write_text("", encoding="utf-8")
        return True

    def on_outcome(outcome):
        seen.append(outcome)
        stop.set()

    thread = threading.Thread(
        target=lambda: seen.append(
            watcher.watch(network, drop, "ops", 0.05, stop, on_outcome=on_outcome, usable=usable)
        )
    )
    thread.start()
    thread.join(60)
    assert not thread.is_alive()
    outcome, failed = seen
    assert outcome.ok and outcome.name == DELIVERY and failed == 0 and len(polls) == 2
    assert new_outlets(network) == 1


def test_sigterm_ends_the_watcher_cleanly(network, tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "data.importer",
            "watch",
            str(drop),
            "--interval",
            "0.2",
            "--database-url",
            url_of(network),
        ],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )
    try:
        assert process.stdout.readline().startswith(f"Watching the drop folder {drop} every 0.2 s")
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Stopped watching: 0 loaded, 0 failed." in out


def test_only_stewards_and_admins_read_the_failures_and_only_of_the_last_days(network):
    with network.begin() as connection:
        write_audit(connection, "ops", "drop_folder_failed", False, {"folder": "old", "errors": ["x"]})
    for role in ("executive", "planner", "branch_head"):
        with pytest.raises(ScopeError):
            drop_folder_failures(network, scope_of(role))
    assert drop_folder_failures(network, scope_of("admin"))["folder"].tolist() == ["old"]
    eight_days_on = dt.datetime.now() + dt.timedelta(days=8)
    assert drop_folder_failures(network, scope_of("data_steward"), now=eight_days_on).empty


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_import_page_shows_the_failed_delivery_to_the_steward(private_app, tmp_path, lang):
    app, url = private_app
    drop = tmp_path / "drop"
    delivery(drop, competitors="not,a\ncompetitor,file\n")
    assert cli(["watch", str(drop), "--once", "--database-url", url, "--lang", lang]) == 1
    engine = make_engine(url)
    (detail,) = [row[2] for row in watch_audit(engine)]
    engine.dispose()
    at = log_in(app, "steward", lang=lang)
    at.switch_page("pages/data_import.py").run()
    assert not at.exception
    title = import_message("import_watch_failures_title", lang, days=7, count=1)
    (box,) = [w.value for w in at.warning if title in w.value]
    assert DELIVERY in box and detail["errors"][0] in box


def test_complete_marks_the_account_extracts_of_a_delivery(network, tmp_path):
    products = (
        "code,family,segment,name_zh,name_en,annual_margin_rate\nDD-P,demand_deposit,personal,活期,Demand,0.018\n"
    )
    deposits = (
        "month,outlet_code,customer_no,product_code,account_no,balance_rmb\n"
        "2026-11,U6,C001,DD-P,A1,1000.5\n2026-11,U7,C002,DD-P,A2,2000\n"
    )
    drop = tmp_path / "drop"
    drop.mkdir()
    folder = write(drop / DELIVERY, {"01_products.csv": products, "02_personal_deposits.csv": deposits})
    (folder / "READY").write_text("", encoding="utf-8")
    assert cli(["watch", str(drop), "--once", "--complete", "--database-url", url_of(network)]) == 0
    result = (drop / "done" / DELIVERY / "result.txt").read_text(encoding="utf-8")
    assert "marked complete: 2 outlet-months" in result
    with network.connect() as connection:
        derived = dict(
            connection.execute(
                select(KpiMonthly.outlet_id, KpiMonthly.value).where(
                    KpiMonthly.metric_code == "deposits_personal", KpiMonthly.source == "accounts"
                )
            ).all()
        )
    assert derived == {6: 1000.5, 7: 2000.0}  # the two accounts' balances, one per outlet

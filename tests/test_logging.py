"""Structured logs (config/logging_setup.py, ui/request_log.py): every app run writes a JSON line
with its request id, session, user and page; an error's id shown to the user is in the log line
with its traceback; the importer's drop-folder runs and the health check log JSON (or text) as
configured; a bad setting is refused and changes nothing."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import logging
import os
import re
import subprocess
import sys
import threading

import pytest
from sqlalchemy import select
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

from config.logging_setup import (
    bind_context,
    configure_logging,
    current_context,
    new_context,
)
from config.settings import PROJECT_ROOT, load_settings
from data.db import make_engine
from data.schema import AppUser
from tests.apptest_support import log_in
from tests.test_import_folder import BAD_COMPETITORS, url_of
from tests.test_import_watch import DELIVERY, delivery

HEX32 = re.compile(r"[0-9a-f]{32}")
HEX16 = re.compile(r"[0-9a-f]{16}")


@pytest.fixture(autouse=True)
def restore_logging():
    """Put the root logger back as it was (handlers, level) and clear the request context."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    new_context()


def json_lines(text: str) -> list[dict]:
    """Every JSON line of ``text`` (other lines, e.g. the CLI's own messages, are skipped)."""
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def user_id(database_url: str, username: str) -> int:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        found = connection.execute(select(AppUser.id).where(AppUser.username == username)).scalar_one()
    engine.dispose()
    return found


def test_each_app_run_logs_a_json_line_with_its_request_id_session_user_and_page(
    app, demo_database_url, monkeypatch, capsys
):
    monkeypatch.setenv("BRANCHSCOPE_LOG_FORMAT", "json")
    monkeypatch.setenv("BRANCHSCOPE_LOG_LEVEL", "INFO")
    capsys.readouterr()
    at = log_in(app, "exec")
    assert not at.exception
    runs = [line for line in json_lines(capsys.readouterr().err) if line["logger"] == "branchscope.request"]
    # the log-in form; the log-in itself (ends with st.rerun); the executive's home page
    assert [(run["page"], run["outcome"], run.get("user")) for run in runs] == [
        ("login", "ok", None),
        ("login", "rerun", "exec"),
        ("overview", "ok", "exec"),
    ]
    assert "user_id" not in runs[0]
    assert runs[1]["user_id"] == runs[2]["user_id"] == user_id(demo_database_url, "exec")
    assert all(HEX32.fullmatch(run["request_id"]) for run in runs)
    assert len({run["request_id"] for run in runs}) == 3  # one request id per run
    assert len({run["session_id"] for run in runs}) == 1 and HEX16.fullmatch(runs[0]["session_id"])
    for run in runs:
        assert run["level"] == "INFO" and run["message"] == f"page run {run['outcome']}"
        assert run["duration_ms"] > 0
        logged = dt.datetime.fromisoformat(run["time"])
        assert logged.utcoffset() == dt.timedelta(0)
        assert abs(dt.datetime.now(dt.UTC) - logged) < dt.timedelta(minutes=5)


def test_an_error_id_shown_to_the_user_is_in_the_log_line_with_its_traceback(app, monkeypatch, capsys):
    from data import users as user_admin

    def broken(*args, **kwargs):
        raise RuntimeError("list_users broke in the test")

    monkeypatch.setenv("BRANCHSCOPE_LOG_FORMAT", "json")
    monkeypatch.setattr(user_admin, "list_users", broken)
    at = log_in(app, "admin")
    capsys.readouterr()
    at.switch_page("pages/users.py").run()
    assert not at.exception
    error_id = at.error[-1].value.split("error id ")[1][:8]
    lines = json_lines(capsys.readouterr().err)
    (line,) = [line for line in lines if line.get("error_id") == error_id]
    assert line["level"] == "ERROR" and line["logger"] == "branchscope"
    assert line["message"] == f"error {error_id} on page users (user admin)"
    assert line["exception"].startswith("Traceback (most recent call last):")
    assert line["exception"].endswith("RuntimeError: list_users broke in the test")
    assert (line["user"], line["page"]) == ("admin", "users") and HEX32.fullmatch(line["request_id"])
    assert "list_users broke" not in "\n".join(element.value for element in at.error)  # the user sees the id only


def test_the_text_format_and_a_log_file(tmp_path):
    log_file = tmp_path / "logs" / "branchscope.log"
    settings = dataclasses.replace(load_settings(), log_format="text", log_level="INFO", log_file=str(log_file))
    configure_logging(settings, command="test", request_id="r1")
    bind_context(user="steward", user_id=7)
    logging.getLogger("data.test").info("loaded %d rows", 5)
    try:
        raise ValueError("bad row")
    except ValueError:
        logging.getLogger("branchscope").exception("failed", extra={"error_id": "abcd1234"})
    logging.getLogger("data.test").debug("not written at INFO")
    lines = log_file.read_text(encoding="utf-8").splitlines()
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO data\.test: loaded 5 rows "
        r"\[request_id=r1 user=steward user_id=7 command=test\]",
        lines[0],
    )
    assert lines[1].endswith(
        "ERROR branchscope: failed [request_id=r1 user=steward user_id=7 command=test error_id=abcd1234]"
    )
    assert lines[2] == "Traceback (most recent call last):" and lines[-1] == "ValueError: bad row"
    assert not any("not written" in line for line in lines)

    configure_logging(dataclasses.replace(settings, log_format="json"))  # replaces the handler
    logging.getLogger("data.test").warning("网点 %s", "N1")
    (last,) = json_lines(log_file.read_text(encoding="utf-8"))
    assert {key: last[key] for key in ("level", "logger", "message", "request_id", "user")} == {
        "level": "WARNING",
        "logger": "data.test",
        "message": "网点 N1",
        "request_id": "r1",
        "user": "steward",
    }
    assert sum(getattr(handler, "branchscope", False) for handler in logging.getLogger().handlers) == 1


@pytest.mark.parametrize(
    "change, message",
    [({"log_format": "xml"}, "log_format must be one of json, text, not 'xml'"), ({"log_level": "LOUD"}, "log_level")],
)
def test_a_bad_log_setting_is_refused_and_changes_nothing(change, message):
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    with pytest.raises(ValueError, match=message):
        configure_logging(dataclasses.replace(load_settings(), **change))
    assert (list(root.handlers), root.level) == before


def test_the_request_context_is_per_thread_and_checks_its_fields():
    new_context(request_id="main", user="exec")
    seen = {}
    thread = threading.Thread(target=lambda: seen.update(other=current_context()))
    thread.start()
    thread.join()
    assert seen["other"] == {} and current_context() == {"request_id": "main", "user": "exec"}
    bind_context(user=None, page="overview")
    assert current_context() == {"request_id": "main", "page": "overview"}
    with pytest.raises(ValueError, match="unknown log context field"):
        bind_context(password="x")
    assert current_context() == {"request_id": "main", "page": "overview"}


def run_cli(args: list[str], log_format: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "BRANCHSCOPE_LOG_FORMAT": log_format,
        "BRANCHSCOPE_LOG_LEVEL": "INFO",
    }
    env.pop("BRANCHSCOPE_LOG_FILE", None)
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_drop_folder_run_logs_json_lines(network, tmp_path):
    drop = tmp_path / "drop"
    delivery(drop)
    delivery(drop, name="2026-12-01", competitors=BAD_COMPETITORS)
    done = run_cli(["data.importer", "watch", str(drop), "--once", "--database-url", url_of(network)], "json")
    assert done.returncode == 1, done.stderr
    lines = json_lines(done.stderr)
    assert len(lines) == sum(1 for line in done.stderr.splitlines() if line.startswith("{"))
    loaded, failed, ended = [line for line in lines if line["logger"] in ("data.importer.watch", "data.importer")]
    assert (loaded["level"], loaded["message"]) == (
        "INFO",
        f"delivery {DELIVERY} loaded, moved to {drop / 'done' / DELIVERY}",
    )
    assert failed["level"] == "ERROR" and failed["delivery"] == "2026-12-01"
    result = (drop / "failed" / "2026-12-01" / "result.txt").read_text(encoding="utf-8")
    assert failed["errors"] and all(error in result for error in failed["errors"])
    assert ended["level"] == "ERROR" and ended["message"].startswith("importer watch ended with exit code 1 after ")
    request_ids = {line["request_id"] for line in (loaded, failed, ended)}
    assert len(request_ids) == 1 and HEX32.fullmatch(request_ids.pop())
    assert {line["command"] for line in (loaded, failed, ended)} == {"importer watch"}


def test_the_health_check_logs_a_failed_check_as_text_when_configured(database_url):
    checked = run_cli(["data.health", "--database-url", database_url], "text")  # not migrated
    assert checked.returncode == 1
    (line,) = [line for line in checked.stderr.splitlines() if " data.health: " in line]
    assert " WARNING data.health: health check failed: migrations: schema at nothing, head is " in line
    assert re.search(r"\[request_id=[0-9a-f]{32} command=health\]$", line)


@pytest.mark.parametrize("raised, outcome", [(None, "ok"), (StopException, "stopped"), (RuntimeError, "error")])
def test_a_page_run_logs_its_outcome_then_leaves_its_request(raised, outcome, caplog):
    from ui import request_log

    class Navigation:  # what st.navigation returns, for the default page (served at "/")
        url_path = ""
        _url_path = "overview"

    new_context(request_id="r1", session_id="s1")
    with caplog.at_level(logging.INFO, logger="branchscope.request"):
        with pytest.raises(raised) if raised else contextlib.nullcontext():
            with request_log.page_run(Navigation()):
                assert current_context() == {"request_id": "r1", "session_id": "s1", "page": "overview"}
                if raised:
                    raise raised()
    (record,) = [record for record in caplog.records if record.name == "branchscope.request"]
    assert (record.getMessage(), record.outcome) == (f"page run {outcome}", outcome)
    assert current_context() == {"session_id": "s1"}  # a callback before the next run is no part of it

"""Import of the complaint system's extracts on SQLite and PostgreSQL: complaints and their status
changes land exactly; a complaint's status and closed_at follow its latest change after a confirm
and come back when a batch of changes is deleted (known answers); bad rows are refused with
bilingual messages and change nothing; the complaint log reads status over time."""

from __future__ import annotations

import datetime as dt
import io
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import insert, select

from config.customer_care_texts import TEXTS as CARE_TEXTS
from config.import_texts import import_message
from data import queries_complaints
from data.demo.service import COMPLAINT_CATEGORIES, COMPLAINT_CHANNELS
from data.importer import BatchError, confirm, delete, preview, stage
from data.importer.__main__ import main as cli
from data.importer.kinds.complaints import CATEGORIES, CHANNELS, SEVERITIES, STATUSES
from data.importer.spec import KINDS
from data.importer.templates import template_csv, template_xlsx
from data.schema import COMPLAINT_STATUSES, Complaint, ComplaintStatusChange
from data.scope import scope_for
from tests.conftest import BACKENDS, empty_database
from tests.test_importer import table_checksums

HEADER = "complaint_no,outlet_code,customer_no,received_at,category,channel,severity,description\n"
COMPLAINTS = HEADER + (
    "TS-A,U6,C001,2026-10-01 09:00,wait_time,hotline,low,排队等候时间过长\n"
    "TS-B,U6,,2026-10-05T14:30,fees,onsite,high,\n"
    "TS-C,U8,C005,2026-10-20,system,online,medium,System outage\n"
)
CHANGES_HEADER = "complaint_no,status,changed_at,note\n"
# First batch: A and B are closed in October.
CHANGES_1 = CHANGES_HEADER + "TS-A,closed,2026-10-03 10:00,已致歉\nTS-B,closed,2026-10-07 08:00,\n"
# Second batch: A reopens in November; B gets an earlier change (its latest stays the close of
# batch 1); C is closed in November.
CHANGES_2 = CHANGES_HEADER + (
    "TS-A,open,2026-11-02 09:00,客户再次来电\nTS-B,open,2026-10-06 08:00,\nTS-C,closed,2026-11-05 17:30:15,\n"
)
A_CLOSED = dt.datetime(2026, 10, 3, 10)
B_CLOSED = dt.datetime(2026, 10, 7, 8)
C_CLOSED = dt.datetime(2026, 11, 5, 17, 30, 15)
D_CLOSED = dt.datetime(2026, 9, 2, 12)


def loaded(engine, kind: str, content: str, name: str = "file.csv") -> int:
    """Stage and confirm a file; its batch id."""
    result = stage(engine, kind, content.encode(), name, "steward")
    assert result.ok, result.errors
    confirm(engine, result.batch_id, "steward")
    return result.batch_id


def complaints(engine) -> pd.DataFrame:
    """Every complaint, by number (the one loaded without a number as "")."""
    columns = [
        "complaint_no",
        "outlet_id",
        "customer_id",
        "received_at",
        "category",
        "channel",
        "severity",
        "status",
        "closed_at",
        "description",
    ]
    with engine.connect() as connection:
        rows = connection.execute(select(*(Complaint.__table__.c[c] for c in columns))).all()
    frame = pd.DataFrame([tuple(row) for row in rows], columns=columns)
    frame["complaint_no"] = frame["complaint_no"].fillna("")
    return frame.sort_values("complaint_no").set_index("complaint_no")


def statuses(engine) -> dict[str, tuple[str, dt.datetime | None]]:
    """Complaint number → (status, closed_at)."""
    frame = complaints(engine)
    return {
        number: (status, None if pd.isna(closed) else pd.Timestamp(closed).to_pydatetime())
        for number, status, closed in zip(frame.index, frame["status"], frame["closed_at"])
    }


def add_unnumbered_closed_complaint(engine) -> None:
    """A complaint loaded without a number (as the demo builds them), closed, with no status change."""
    with engine.begin() as connection:
        connection.execute(
            insert(Complaint).values(
                outlet_id=7,
                received_at=dt.datetime(2026, 9, 1, 9),
                category="other",
                channel="hotline",
                severity="low",
                status="closed",
                closed_at=D_CLOSED,
            )
        )


# --------------------------------------------------------------------------- the app's values


def test_choices_are_the_values_the_app_draws_and_labels():
    assert CATEGORIES == tuple(COMPLAINT_CATEGORIES) and CHANNELS == COMPLAINT_CHANNELS
    for prefix, values in (
        ("care_category_", CATEGORIES),
        ("care_complaint_channel_", CHANNELS),
        ("care_severity_", SEVERITIES),
        ("care_status_", STATUSES),
    ):
        assert all(f"{prefix}{value}" in CARE_TEXTS for value in values), prefix
    assert set(STATUSES) <= set(COMPLAINT_STATUSES)


# --------------------------------------------------------------------------- landing


def test_complaints_land_exactly_and_open(network):
    result = stage(network, "complaints", COMPLAINTS.encode(), "complaints.csv", "steward")
    assert result.ok and result.rows == 3
    staged = preview(network, result.batch_id)
    assert staged["row_number"].tolist() == [2, 3, 4] and staged["status"].tolist() == ["open"] * 3
    assert complaints(network).empty  # staged rows are not data yet
    assert confirm(network, result.batch_id, "steward") == 3
    with network.connect() as connection:
        rows = connection.execute(select(Complaint.__table__).order_by(Complaint.complaint_no)).mappings().all()
    landed = [{k: v for k, v in row.items() if k != "id"} for row in rows]
    common = {"status": "open", "closed_at": None, "import_batch_id": result.batch_id}
    assert landed == [
        {
            "complaint_no": "TS-A",
            "outlet_id": 6,
            "customer_id": 1,
            "received_at": dt.datetime(2026, 10, 1, 9),
            "category": "wait_time",
            "channel": "hotline",
            "severity": "low",
            "description": "排队等候时间过长",
            **common,
        },
        {
            "complaint_no": "TS-B",
            "outlet_id": 6,
            "customer_id": None,
            "received_at": dt.datetime(2026, 10, 5, 14, 30),
            "category": "fees",
            "channel": "onsite",
            "severity": "high",
            "description": None,
            **common,
        },
        {
            "complaint_no": "TS-C",
            "outlet_id": 8,
            "customer_id": 5,
            "received_at": dt.datetime(2026, 10, 20),
            "category": "system",
            "channel": "online",
            "severity": "medium",
            "description": "System outage",
            **common,
        },
    ]


def test_status_changes_land_exactly(network):
    loaded(network, "complaints", COMPLAINTS)
    batch = loaded(network, "complaint_status_changes", CHANGES_1)
    with network.connect() as connection:
        rows = connection.execute(
            select(
                Complaint.complaint_no,
                ComplaintStatusChange.status,
                ComplaintStatusChange.changed_at,
                ComplaintStatusChange.note,
                ComplaintStatusChange.import_batch_id,
            )
            .join(Complaint, Complaint.id == ComplaintStatusChange.complaint_id)
            .order_by(ComplaintStatusChange.changed_at)
        ).all()
    assert [tuple(row) for row in rows] == [
        ("TS-A", "closed", A_CLOSED, "已致歉", batch),
        ("TS-B", "closed", B_CLOSED, None, batch),
    ]


# --------------------------------------------------------------------------- status follows the changes


def test_status_and_closed_at_follow_the_latest_change_and_come_back_on_delete(network):
    add_unnumbered_closed_complaint(network)
    loaded(network, "complaints", COMPLAINTS)
    untouched = ("closed", D_CLOSED)
    everything_open = {"": untouched, "TS-A": ("open", None), "TS-B": ("open", None), "TS-C": ("open", None)}
    assert statuses(network) == everything_open
    first = loaded(network, "complaint_status_changes", CHANGES_1, "changes-1.csv")
    after_first = {"": untouched, "TS-A": ("closed", A_CLOSED), "TS-B": ("closed", B_CLOSED), "TS-C": ("open", None)}
    assert statuses(network) == after_first
    second = loaded(network, "complaint_status_changes", CHANGES_2, "changes-2.csv")
    assert statuses(network) == {
        "": untouched,
        "TS-A": ("open", None),  # reopened on 2 November
        "TS-B": ("closed", B_CLOSED),  # the change on 6 October is older than the close on 7 October
        "TS-C": ("closed", C_CLOSED),
    }
    delete(network, second, "steward")
    assert statuses(network) == after_first
    second_again = loaded(network, "complaint_status_changes", CHANGES_2, "changes-2-again.csv")
    delete(network, first, "steward")  # what batch 2 says is left
    assert statuses(network) == {
        "": untouched,
        "TS-A": ("open", None),
        "TS-B": ("open", None),
        "TS-C": ("closed", C_CLOSED),
    }
    delete(network, second_again, "steward")
    assert statuses(network) == everything_open


def test_complaints_with_status_changes_cannot_be_deleted(network):
    complaints_batch = loaded(network, "complaints", COMPLAINTS)
    loaded(network, "complaint_status_changes", CHANGES_1)
    before = table_checksums(network)
    with pytest.raises(BatchError) as refused:
        delete(network, complaints_batch, "steward")
    assert refused.value.key == "import_batch_in_use"
    assert table_checksums(network) == before


def executive(engine):
    with engine.connect() as connection:
        return scope_for(connection, "exec", "executive", None)


def test_the_complaint_log_shows_each_month_as_it_stood(network):
    """October's log has A closed on 3 October (reopened only in November) and C open (closed in
    November); November's lists only what was open at its end; today's log the current status."""
    add_unnumbered_closed_complaint(network)
    loaded(network, "complaints", COMPLAINTS)
    loaded(network, "complaint_status_changes", CHANGES_1, "changes-1.csv")
    loaded(network, "complaint_status_changes", CHANGES_2, "changes-2.csv")
    scope = executive(network)

    def log(start, end):
        frame = queries_complaints.care_complaint_log(network, scope, 1, start, end)
        with network.connect() as connection:
            number = dict(connection.execute(select(Complaint.id, Complaint.complaint_no)).all())
        closed = [None if pd.isna(v) else v.to_pydatetime() for v in frame["closed_at"]]
        return {number[i] or "": (s, c) for i, s, c in zip(frame["id"], frame["status"], closed)}

    assert log(dt.date(2026, 10, 1), dt.date(2026, 10, 31)) == {
        "TS-A": ("closed", A_CLOSED),
        "TS-B": ("closed", B_CLOSED),
        "TS-C": ("open", None),
    }
    assert log(dt.date(2026, 11, 1), dt.date(2026, 11, 30)) == {"TS-A": ("open", None)}
    assert log(dt.date(2026, 9, 1), dt.date(2026, 9, 30)) == {"": ("closed", D_CLOSED)}
    # at the end of 6 October B was open again (6 October, 08:00) and not yet closed (7 October)
    assert log(dt.date(2026, 10, 1), dt.date(2026, 10, 6)) == {"TS-A": ("closed", A_CLOSED), "TS-B": ("open", None)}
    assert log(None, None) == {
        "": ("closed", D_CLOSED),
        "TS-A": ("open", None),
        "TS-B": ("closed", B_CLOSED),
        "TS-C": ("closed", C_CLOSED),
    }


# --------------------------------------------------------------------------- refused rows


def refused(engine, kind: str, content: str) -> set[tuple[int, str, str]]:
    """Stage a file that must be refused; its errors as (line, column, key), each message in both
    languages; the data exactly as before."""
    before = table_checksums(engine)
    result = stage(engine, kind, content.encode(), "bad.csv", "steward")
    assert not result.ok and result.file_error is None
    for error in result.errors:
        assert import_message(error.key, "zh", **error.params) and import_message(error.key, "en", **error.params)
    assert table_checksums(engine) == before
    return {(e.row, e.column, e.key) for e in result.errors}


def test_bad_complaint_rows_are_refused_one_by_one_and_change_nothing(network):
    content = HEADER + (
        "TS-1,U6,C001,2026-10-01 09:00,wait_time,hotline,low,fine\n"  # the only good row
        "TS-2,U9X,,2026-10-01 09:00,wait_time,hotline,low,\n"
        "TS-3,U6,NOBODY,2026-10-01 09:00,wait_time,hotline,low,\n"
        "TS-4,U6,,2026/10/01 09:00,wait_time,hotline,low,\n"
        "TS-5,U6,,2026-10-01 25:00,queue,phone,urgent,\n"
        ",U6,,2026-10-01 09:00,fees,online,high,=HYPERLINK()\n"
        "TS-7,U2,,,fees,online,high,\n"
    )
    assert refused(network, "complaints", content) == {
        (3, "outlet_code", "import_unknown_code"),
        (4, "customer_no", "import_unknown_code"),
        (5, "received_at", "import_bad_datetime"),
        (6, "received_at", "import_no_such_datetime"),
        (6, "category", "import_bad_choice"),
        (6, "channel", "import_bad_choice"),
        (6, "severity", "import_bad_choice"),
        (7, "complaint_no", "import_required"),
        (7, "description", "import_formula_text"),
        (8, "outlet_code", "import_unknown_code"),  # U2 is a city branch, not an outlet
        (8, "received_at", "import_required"),
    }


def test_bad_status_change_rows_are_refused_one_by_one_and_change_nothing(network):
    loaded(network, "complaints", COMPLAINTS)
    content = CHANGES_HEADER + (
        "TS-A,closed,2026-10-03 10:00,\n"  # the only good row
        "TS-X,closed,2026-10-03 10:00,\n"
        "TS-A,in_progress,2026-10-04 10:00,\n"
        "TS-B,closed,2026-10-05,\n"  # midnight, before 14:30 that day
        "TS-C,closed,yesterday,\n"
        "TS-C,,2026-10-21 09:00,\n"
    )
    assert refused(network, "complaint_status_changes", content) == {
        (3, "complaint_no", "import_unknown_code"),
        (4, "status", "import_bad_choice"),
        (5, "changed_at", "import_change_before_received"),
        (6, "changed_at", "import_bad_datetime"),
        (7, "status", "import_required"),
    }


def test_a_change_before_the_complaint_was_received_says_when_it_was(network):
    loaded(network, "complaints", COMPLAINTS)
    content = CHANGES_HEADER + "TS-C,closed,2026-10-19 23:59:59,\nTS-C,open,2026-10-20 00:00,\n"
    result = stage(network, "complaint_status_changes", content.encode(), "early.csv", "steward")
    assert [(e.row, e.column, e.key, e.value) for e in result.errors] == [
        (2, "changed_at", "import_change_before_received", "2026-10-19 23:59:59")
    ]
    error = result.errors[0]
    assert import_message(error.key, "en", **error.params) == (
        "The status changes before the complaint was received (2026-10-20 00:00:00)."
    )
    assert (
        import_message(error.key, "zh", **error.params) == "状态变更时间早于该投诉的受理时间（2026-10-20 00:00:00）。"
    )


# --------------------------------------------------------------------------- duplicates


def test_a_complaint_number_repeated_in_the_file_or_already_loaded_is_refused(network):
    loaded(network, "complaints", COMPLAINTS)
    content = HEADER + (
        "TS-9,U6,,2026-10-01 09:00,fees,online,high,\n"
        "TS-9,U7,,2026-10-02 09:00,fees,online,high,\n"
        "TS-B,U6,,2026-10-05 14:30,fees,onsite,high,\n"
    )
    assert refused(network, "complaints", content) == {
        (3, "", "import_duplicate_in_file"),
        (4, "", "import_already_in_database"),
    }


def test_a_status_change_repeated_in_the_file_or_already_loaded_is_refused(network):
    loaded(network, "complaints", COMPLAINTS)
    loaded(network, "complaint_status_changes", CHANGES_1)
    content = CHANGES_HEADER + (
        "TS-C,closed,2026-10-22 09:00,\n"
        "TS-C,open,2026-10-22 09:00:00,\n"  # the same time written with seconds
        "TS-A,open,2026-10-03 10:00,\n"
    )
    assert refused(network, "complaint_status_changes", content) == {
        (3, "", "import_duplicate_in_file"),
        (4, "", "import_already_in_database"),
    }


def test_another_change_on_the_same_day_is_a_new_key(network):
    """The key is the complaint and the time of day, not the day."""
    loaded(network, "complaints", COMPLAINTS)
    loaded(network, "complaint_status_changes", CHANGES_1)
    loaded(network, "complaint_status_changes", CHANGES_HEADER + "TS-A,open,2026-10-03 15:00,\n")
    assert statuses(network)["TS-A"] == ("open", None)


# --------------------------------------------------------------------------- templates and command line


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_filled_in_templates_import_one_after_the_other(network, file_format):
    """The two templates' example rows, with the fixture's outlet and customer, import in order:
    the example complaint, then its example status change, which closes it."""
    fixture_values = {"outlet_code": "U6", "customer_no": "C001"}
    for kind_name in ("complaints", "complaint_status_changes"):
        kind = KINDS[kind_name]
        values = [fixture_values.get(c.name, c.example) for c in kind.columns]
        if file_format == "csv":
            header = template_csv(kind).decode("utf-8-sig").splitlines()[0]
            content = f"{header}\n{','.join(values)}\n".encode()
        else:
            workbook = load_workbook(io.BytesIO(template_xlsx(kind)))
            for cell, value in zip(workbook.worksheets[0][2], values):
                cell.value = value
            buffer = io.BytesIO()
            workbook.save(buffer)
            content = buffer.getvalue()
        result = stage(network, kind_name, content, f"filled.{file_format}", "steward")
        assert result.ok, result.errors
        confirm(network, result.batch_id, "steward")
    assert statuses(network) == {"TS2026100001": ("closed", dt.datetime(2026, 10, 14, 16, 5))}


def test_command_line_loads_confirms_and_deletes(network, tmp_path, capsys):
    url = network.url.render_as_string(hide_password=False)
    files = {}
    for name, content in (("complaints", COMPLAINTS), ("changes", CHANGES_1), ("bad", CHANGES_HEADER + "TS-Z,x,,\n")):
        files[name] = tmp_path / f"{name}.csv"
        files[name].write_text(content, encoding="utf-8")
    assert cli(["complaints", str(files["complaints"]), "--database-url", url, "--confirm"]) == 0
    assert "confirmed: 3 rows added" in capsys.readouterr().out
    assert cli(["complaint_status_changes", str(files["bad"]), "--database-url", url, "--lang", "zh"]) == 1
    errors = capsys.readouterr().err
    assert "bad.csv:2 [complaint_no] 'TS-Z': 代码不存在。" in errors
    assert "bad.csv:2 [changed_at] '': 必填项为空。" in errors
    assert cli(["complaint_status_changes", str(files["changes"]), "--database-url", url, "--confirm"]) == 0
    batch_id = int(capsys.readouterr().out.split()[1])
    assert statuses(network)["TS-A"] == ("closed", A_CLOSED)
    assert cli(["delete", str(batch_id), "--database-url", url]) == 0
    assert f"batch {batch_id} deleted: 2 rows removed" in capsys.readouterr().out
    assert statuses(network)["TS-A"] == ("open", None)


# --------------------------------------------------------------------------- fuzz


@pytest.fixture(scope="module", params=BACKENDS)
def complaint_network(request, tmp_path_factory):
    """The fixture network with the three complaints confirmed, shared by the fuzz examples
    (each leaves the data as it found it)."""
    from data.db import make_engine, upgrade_database
    from tests.network_fixture import load_network

    with empty_database(request.param, tmp_path_factory.mktemp("complaints")) as url:
        engine = make_engine(url)
        upgrade_database(engine)
        load_network(engine)
        loaded(engine, "complaints", COMPLAINTS)
        yield engine
        engine.dispose()


RECEIVED = {
    "TS-A": dt.datetime(2026, 10, 1, 9),
    "TS-B": dt.datetime(2026, 10, 5, 14, 30),
    "TS-C": dt.datetime(2026, 10, 20),
}
BAD_VALUES = (
    ["TS-Z", "", "ts-a"],
    ["in_progress", "CLOSED", ""],
    ["2026-10-32 09:00", "2026/10/03", "", "=1+1", "2026-10-03 9:00"],
)
HOURS_AFTER_RECEIPT = (-1, 0, 2, 26, 480, 1000)  # a change an hour before the complaint was received is refused


@st.composite
def change_rows(draw) -> list[tuple[str, str, str]]:
    """Rows of a status-change file: mostly valid values (times may fall before the complaint was
    received, or repeat), about one row in eight with an unknown number, a bad status or a
    malformed time."""
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        number = draw(st.sampled_from(list(RECEIVED)))
        when = RECEIVED[number] + dt.timedelta(hours=draw(st.sampled_from(HOURS_AFTER_RECEIPT)))
        row = [number, draw(st.sampled_from(STATUSES)), when.strftime("%Y-%m-%d %H:%M")]
        if draw(st.integers(0, 7)) == 0:
            field = draw(st.integers(0, 2))
            row[field] = draw(st.sampled_from(BAD_VALUES[field]))
        rows.append(tuple(row))
    return rows


def expected_statuses(rows: list[tuple[str, str, str]]) -> dict[str, tuple[str, dt.datetime | None]] | None:
    """What a file of ``rows`` must give (None: it must be refused): every row valid and no
    (complaint, time) twice, and then each complaint has the status of its latest change."""
    changes = {}
    for number, status, when in rows:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", when):
            return None
        try:
            at = dt.datetime.strptime(when, "%Y-%m-%d %H:%M")
        except ValueError:
            return None
        if number not in RECEIVED or status not in STATUSES or at < RECEIVED[number] or (number, at) in changes:
            return None
        changes[(number, at)] = status
    result = {number: ("open", None) for number in RECEIVED}
    for (number, at), status in sorted(changes.items(), key=lambda item: item[0][1]):
        result[number] = (status, at if status == "closed" else None)
    return result


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=change_rows())
def test_fuzzed_status_changes_give_the_known_answer_or_change_nothing(complaint_network, rows):
    before = table_checksums(complaint_network)
    content = CHANGES_HEADER + "".join(f"{number},{status},{when},\n" for number, status, when in rows)
    result = stage(complaint_network, "complaint_status_changes", content.encode(), "fuzz.csv", "steward")
    expected = expected_statuses(rows)
    event("refused" if expected is None else "imported")
    if expected is None:
        assert not result.ok and result.errors
        assert all(import_message(e.key, "zh", **e.params) for e in result.errors)
        assert table_checksums(complaint_network) == before
        return
    assert result.ok, result.errors
    confirm(complaint_network, result.batch_id, "steward")
    assert statuses(complaint_network) == expected
    delete(complaint_network, result.batch_id, "steward")
    after = table_checksums(complaint_network)
    assert (
        after["complaint"] == before["complaint"]
        and after["complaint_status_change"] == before["complaint_status_change"]
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_complaint_files_never_crash_and_never_change_data(complaint_network, data):
    """A valid complaints file with bytes changed, cut or inserted: refused with messages and
    nothing changed, or staged and deleted."""
    content = bytearray(COMPLAINTS.replace("TS-", "NEW-").encode())
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(content) - 1))
        operation = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        if operation == "flip":
            content[position] = data.draw(st.integers(0, 255))
        elif operation == "cut":
            del content[position : position + data.draw(st.integers(1, 12))]
        else:
            content[position:position] = data.draw(st.sampled_from([b",", b"\n", b'"', b"=", b"-", b":", b"\xe4\xb8"]))
    before = table_checksums(complaint_network)
    result = stage(complaint_network, "complaints", bytes(content), "fuzz.csv", "steward")
    if result.ok:
        delete(complaint_network, result.batch_id, "steward")
        after = table_checksums(complaint_network)
        assert after["complaint"] == before["complaint"]
        return
    if result.file_error is not None:
        assert import_message(result.file_error.key, "en", **result.file_error.params)
    else:
        assert result.errors and all(import_message(e.key, "en", **e.params) for e in result.errors)
    assert table_checksums(complaint_network) == before

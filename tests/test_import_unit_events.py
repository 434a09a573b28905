"""Import of the registry's events (kind ``unit_events``) on SQLite and PostgreSQL: events land
exactly, recorded by the uploader; deleting the batch removes them and only them; bad rows are
refused with bilingual messages and change nothing; an event already loaded or recorded on the
registry page is refused; the registry's change log shows imported events like its own."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from config.import_texts import import_message
from data import queries_registry as registry_queries
from data.auth import create_user
from data.importer import BatchError, confirm, delete, preview, stage
from data.importer.kinds.unit_events import UNIT_EVENTS
from data.importer.spec import KINDS
from data.importer.templates import template_csv, template_xlsx
from data.registry import renovate_outlet
from data.schema import EVENT_TYPES, OrgUnit, OrgUnitEvent
from data.scope import scope_for
from tests.test_importer import table_checksums

HEADER = "unit_code,event_type,event_date,related_unit_code,reason\n"
EVENTS = HEADER + (
    "U6,opened,2015-03-02,,\n"
    "U9,closed,2026-06-30,U8,低客流 / low footfall\n"
    "U7,merged,2026-09-30,U6,overlapping trade areas\n"
    "U4,renovated,2025-01-15,,\n"  # a sub-branch: events of any level
)
TODAY = dt.date(2026, 11, 23)


def loaded(engine, content: str, user: str = "steward", kind: str = "unit_events") -> int:
    """Stage (as ``user``) and confirm (as the steward) a file; its batch id."""
    result = stage(engine, kind, content.encode(), f"{kind}.csv", user)
    assert result.ok, result.errors
    confirm(engine, result.batch_id, "steward")
    return result.batch_id


def events(engine, batch_id: int | None = None) -> list[tuple]:
    """(unit id, type, date, related unit id, reason, recorded by) of every event, or of a batch's, in id order."""
    statement = select(
        OrgUnitEvent.org_unit_id,
        OrgUnitEvent.event_type,
        OrgUnitEvent.event_date,
        OrgUnitEvent.related_unit_id,
        OrgUnitEvent.reason,
        OrgUnitEvent.recorded_by,
    ).order_by(OrgUnitEvent.id)
    if batch_id is not None:
        statement = statement.where(OrgUnitEvent.import_batch_id == batch_id)
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(statement).all()]


def cells(frame: pd.DataFrame) -> list[list]:
    """A frame's rows as lists, missing values (None, NaN) as None."""
    return [[None if pd.isna(value) else value for value in row] for row in frame.astype(object).values.tolist()]


def test_the_event_types_are_the_registrys():
    assert UNIT_EVENTS.column("event_type").choices == EVENT_TYPES
    assert KINDS["unit_events"].table is OrgUnitEvent.__table__


def test_events_land_exactly_recorded_by_the_uploader_and_go_with_their_batch(network):
    with network.begin() as connection:
        create_user(connection, "steward2", "Second steward", "Secret#123", "data_steward")
    before = table_checksums(network)
    result = stage(network, "unit_events", EVENTS.encode(), "events.csv", "steward2")
    assert result.ok, result.errors
    staged = preview(network, result.batch_id)
    assert cells(staged[["org_unit_id", "event_type", "related_unit_id"]]) == [
        [6, "opened", None],
        [9, "closed", 8],
        [7, "merged", 6],
        [4, "renovated", None],
    ]
    confirm(network, result.batch_id, "steward")  # confirmed by another steward: the uploader recorded them
    assert events(network, result.batch_id) == [
        (6, "opened", dt.date(2015, 3, 2), None, None, "steward2"),
        (9, "closed", dt.date(2026, 6, 30), 8, "低客流 / low footfall", "steward2"),
        (7, "merged", dt.date(2026, 9, 30), 6, "overlapping trade areas", "steward2"),
        (4, "renovated", dt.date(2025, 1, 15), None, None, "steward2"),
    ]
    with network.connect() as connection:  # events change no unit
        assert connection.execute(select(OrgUnit.status).where(OrgUnit.id == 7)).scalar() == "open"
    assert delete(network, result.batch_id, "steward") == 4
    assert events(network) == []
    after = table_checksums(network)
    for table in ("org_unit", "org_unit_event", "staging_org_unit_event"):
        assert after[table] == before[table], table


def test_deleting_a_batch_keeps_the_registrys_own_events_and_other_batches(network):
    renovate_outlet(network, "exec", 8, dt.date(2026, 10, 20), 150_000, reason="new counters", today=TODAY)
    first = loaded(network, EVENTS)
    second = loaded(network, HEADER + "U8,opened,2016-04-01,,\n")
    delete(network, first, "steward")
    assert events(network) == [
        (8, "renovated", dt.date(2026, 10, 20), None, "new counters", "exec"),
        (8, "opened", dt.date(2016, 4, 1), None, None, "steward"),
    ]
    assert [row[1] for row in events(network, second)] == ["opened"]


def test_the_related_unit_may_be_one_loaded_by_an_earlier_import(network):
    units = (
        "code,name_zh,name_en,level,parent_code,outlet_type,city_code,lon,lat\n"
        "N1,新网点,New,outlet,U4,sub_office,150100,111.1,40.1\n"
    )
    units_batch = loaded(network, units, kind="org_units")
    batch = loaded(network, HEADER + "U7,merged,2026-09-30,N1,\nN1,opened,2026-01-05,,\n")
    with network.connect() as connection:
        new_id = connection.execute(select(OrgUnit.id).where(OrgUnit.code == "N1")).scalar_one()
    assert new_id > 9
    assert [(unit, kind, related) for unit, kind, _, related, *_ in events(network, batch)] == [
        (7, "merged", new_id),
        (new_id, "opened", None),
    ]
    with pytest.raises(BatchError) as error:  # the events name N1: its batch stays until they go
        delete(network, units_batch, "steward")
    assert error.value.key == "import_batch_in_use"
    delete(network, batch, "steward")
    delete(network, units_batch, "steward")


def refused(engine, content: str) -> set[tuple[int, str, str]]:
    """Stage a file that must be refused: its errors as (line, column, key), each message in both
    languages; the data exactly as before."""
    before = table_checksums(engine)
    result = stage(engine, "unit_events", content.encode(), "bad.csv", "steward")
    assert not result.ok and result.file_error is None
    for error in result.errors:
        assert import_message(error.key, "zh", **error.params) and import_message(error.key, "en", **error.params)
    assert table_checksums(engine) == before
    return {(e.row, e.column, e.key) for e in result.errors}


def test_bad_rows_are_refused_one_by_one_and_change_nothing(network):
    content = HEADER + (
        "U6,opened,2015-03-02,,\n"  # the only good row
        "U99,opened,2015-03-02,,\n"
        "U6,moved,2015-03-03,,\n"
        "U6,renovated,2015/03/04,,\n"
        "U6,renovated,2015-02-30,,\n"
        "U7,merged,2026-09-30,,\n"
        "U7,closed,2026-10-31,U7,\n"
        "U8,closed,2026-10-31,U77,\n"
        ",,,,=HYPERLINK()\n"
    )
    assert refused(network, content) == {
        (3, "unit_code", "import_unknown_code"),
        (4, "event_type", "import_bad_choice"),
        (5, "event_date", "import_bad_date"),
        (6, "event_date", "import_no_such_date"),
        (7, "related_unit_code", "import_merged_event_needs_related"),
        (8, "related_unit_code", "import_related_unit_is_itself"),
        (9, "related_unit_code", "import_unknown_code"),
        (10, "unit_code", "import_required"),
        (10, "event_type", "import_required"),
        (10, "event_date", "import_required"),
        (10, "reason", "import_formula_text"),
    }


def test_the_new_messages_in_both_languages(network):
    content = HEADER + "U7,merged,2026-09-30,,\nU7,closed,2026-10-31,U7,\n"
    result = stage(network, "unit_events", content.encode(), "bad.csv", "steward")
    assert [
        (e.row, import_message(e.key, "zh", **e.params), import_message(e.key, "en", **e.params)) for e in result.errors
    ] == [
        (
            2,
            "合并（merged）记录须填写并入的机构代码（相关机构代码）。",
            "A merged event needs the unit merged into (related_unit_code).",
        ),
        (3, "相关机构不能是该机构自身。", "The related unit cannot be the unit itself."),
    ]


def test_an_event_repeated_in_the_file_already_loaded_or_recorded_on_the_registry_page_is_refused(network):
    loaded(network, EVENTS)
    renovate_outlet(network, "exec", 8, dt.date(2026, 10, 20), 150_000, today=TODAY)
    content = HEADER + (
        "U8,renovated,2026-05-01,,\n"
        "U8,renovated,2026-05-01,,again\n"  # the same unit, type and date
        "U9,closed,2026-06-30,,\n"  # loaded with EVENTS
        "U8,renovated,2026-10-20,,\n"  # recorded on the registry page
        "U9,renovated,2026-06-30,,\n"  # another type on the same day: a new event
    )
    assert refused(network, content) == {
        (3, "", "import_duplicate_in_file"),
        (4, "", "import_already_in_database"),
        (5, "", "import_already_in_database"),
    }


def test_the_registrys_change_log_shows_imported_events_like_its_own(network):
    renovate_outlet(network, "exec", 6, dt.date(2026, 10, 20), 80_000, reason="6S upgrade", today=TODAY)
    loaded(network, EVENTS)
    with network.connect() as connection:
        scope = scope_for(connection, "exec", "executive", None)
    log = registry_queries.change_log(network, scope, 6)
    shown = ["event_date", "event_type", "unit_id", "code", "related_code", "reason", "recorded_by"]
    assert cells(log[shown]) == [
        [dt.date(2026, 10, 20), "renovated", 6, "U6", None, "6S upgrade", "exec"],
        [dt.date(2026, 9, 30), "merged", 7, "U7", "U6", "overlapping trade areas", "steward"],
        [dt.date(2015, 3, 2), "opened", 6, "U6", None, None, "steward"],
    ]
    # The city branch B's log: the closed outlet 9 (related: outlet 8, also in that subtree).
    log = registry_queries.change_log(network, scope, 3)
    assert cells(log[["event_type", "code", "related_code"]]) == [["closed", "U9", "U8"]]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_filled_in_template_imports(network, file_format):
    kind = KINDS["unit_events"]
    values = [{"unit_code": "U6"}.get(c.name, c.example) for c in kind.columns]
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
    result = stage(network, "unit_events", content, f"filled.{file_format}", "steward")
    assert result.ok, result.errors
    confirm(network, result.batch_id, "steward")
    assert events(network, result.batch_id) == [
        (6, "renovated", dt.date(2025, 6, 30), None, "6S upgrade / 6S改造", "steward")
    ]

"""Customer changes from the CRM (import kind ``customer_changes``) on SQLite and PostgreSQL: rows land
exactly, due changes take effect in date order with the replaced values kept, future-dated changes
wait for their day, deleting a batch restores what it replaced (or is refused while a later change
of another batch is in effect), the pages' scoped queries follow, bad rows change nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from config.import_texts import IMPORT_TEXTS, import_message
from data import queries_customer_360, queries_customers
from data.bulk import bulk_insert, reset_sequence
from data.importer import confirm, delete, stage
from data.importer.kinds import customer_changes as kind_module
from data.importer.kinds.customer_changes import CHANGED, apply_due, pending_count, replay
from data.importer.spec import KINDS
from data.schema import STAGING_TABLES, AuditLog, Base, Customer, CustomerChange, Staff
from data.scope import scope_for

HEADER = (
    "customer_no,effective_on,address,phone,home_outlet_code,relationship_manager,is_key_customer,home_cell,industry"
)
CELL = "8831aa5081fffff"  # a valid H3 cell, resolution 8
TODAY = dt.date.today()
ORIGINAL = {  # customer 1 of the fixture network as loaded
    "address": None,
    "phone_masked": None,
    "home_outlet_id": 6,
    "relationship_manager_id": None,
    "is_key_customer": True,
    "home_cell": None,
    "industry": None,
}


def add_staff(engine) -> None:
    """Two relationship managers: E1 at outlet 6, employed; E2 at outlet 7, left on 2026-06-30;
    E3 a teller (no relationship manager); E4 a relationship manager hired on 2026-12-01."""
    staff = pd.DataFrame(
        [
            {"id": 1, "employee_no": "E1", "outlet_id": 6, "name": "经理甲", "role": "relationship_manager"},
            {
                "id": 2,
                "employee_no": "E2",
                "outlet_id": 7,
                "name": "经理乙",
                "role": "relationship_manager",
                "left_on": dt.date(2026, 6, 30),
            },
            {"id": 3, "employee_no": "E3", "outlet_id": 6, "name": "柜员丙", "role": "teller"},
            {
                "id": 4,
                "employee_no": "E4",
                "outlet_id": 6,
                "name": "经理丁",
                "role": "客户经理",
                "hired_on": dt.date(2026, 12, 1),
            },
        ]
    )
    staff["is_relationship_manager"] = [True, True, False, True]
    with engine.begin() as connection:
        bulk_insert(connection, Staff.__table__, staff)
        reset_sequence(connection, Staff.__table__)


@pytest.fixture
def crm(network):
    add_staff(network)
    return network


def csv(*lines: str) -> bytes:
    return (HEADER + "\n" + "\n".join(lines) + "\n").encode("utf-8")


def load(engine, *lines: str, name: str = "changes.csv") -> int:
    """Stage and confirm a file of changes; returns the batch id."""
    result = stage(engine, "customer_changes", csv(*lines), name, "steward")
    assert result.ok, result.errors
    confirm(engine, result.batch_id, "steward")
    return result.batch_id


def customer(engine, customer_id: int = 1) -> dict:
    with engine.connect() as connection:
        row = connection.execute(
            select(*(Customer.__table__.c[name] for name in CHANGED)).where(Customer.id == customer_id)
        ).one()
    return dict(row._mapping)


def changes(engine) -> list[dict]:
    table = CustomerChange.__table__
    with engine.connect() as connection:
        rows = connection.execute(select(table).order_by(table.c.customer_id, table.c.effective_on)).all()
    return [{k: v for k, v in row._mapping.items() if k != "id"} for row in rows]


def checksums(engine, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Row count and a hash of every row of every data table (audit log and ``skip`` excluded)."""
    sums = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name == AuditLog.__tablename__ or table.name in skip:
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            rows = connection.execute(select(table).order_by(*order)).all()
            sums[table.name] = f"{len(rows)}:{hashlib.sha256(repr(rows).encode()).hexdigest()}"
    return sums


# What confirming and deleting a batch change besides the data: the batch list, staging, the data version.
IMPORT_TABLES = ("import_batch", "dataset_info", *(f"staging_{name}" for name in STAGING_TABLES))


def scope(engine, role: str = "executive", unit_id: int | None = None):
    with engine.connect() as connection:
        return scope_for(connection, f"t_{role}_{unit_id}", role, unit_id)


# --------------------------------------------------------------------------- landing and applying


def test_changes_land_exactly_and_take_effect_with_the_replaced_values_kept(crm):
    batch = load(
        crm,
        "C001,2026-11-01,呼和浩特市新华东街88号,138 1234 5678,U7,E1,否,,",
        f"C005,2026-10-15,,,,,,{CELL},制造业",
    )
    assert changes(crm) == [
        {
            "customer_id": 1,
            "effective_on": dt.date(2026, 11, 1),
            "address": "呼和浩特市新华东街88号",
            "phone_masked": "138****5678",
            "home_outlet_id": 7,
            "relationship_manager_id": 1,
            "is_key_customer": False,
            "home_cell": None,
            "industry": None,
            "previous": {
                "address": None,
                "phone_masked": None,
                "home_outlet_id": 6,
                "relationship_manager_id": None,
                "is_key_customer": True,
            },
            "import_batch_id": batch,
        },
        {
            "customer_id": 5,
            "effective_on": dt.date(2026, 10, 15),
            "address": None,
            "phone_masked": None,
            "home_outlet_id": None,
            "relationship_manager_id": None,
            "is_key_customer": None,
            "home_cell": CELL,
            "industry": "制造业",
            "previous": {"home_cell": None, "industry": None},
            "import_batch_id": batch,
        },
    ]
    assert customer(crm, 1) == {
        "address": "呼和浩特市新华东街88号",
        "phone_masked": "138****5678",
        "home_outlet_id": 7,
        "relationship_manager_id": 1,
        "is_key_customer": False,
        "home_cell": None,
        "industry": None,
    }
    assert customer(crm, 5) == {**ORIGINAL, "home_outlet_id": 8, "home_cell": CELL, "industry": "制造业"}
    delete(crm, batch, "steward")
    assert customer(crm, 1) == ORIGINAL
    assert customer(crm, 5) == {**ORIGINAL, "home_outlet_id": 8}
    assert changes(crm) == []


def test_the_pages_follow_the_home_outlet_manager_and_key_flag_and_go_back_when_the_batch_is_deleted(crm):
    executive = scope(crm)
    outlet6, outlet7 = scope(crm, "branch_head", 6), scope(crm, "branch_head", 7)

    def counts() -> dict[int, int]:
        frame = queries_customers.customer_outlets(crm, executive, 1)
        return dict(zip(frame["id"], frame["customers"]))

    def numbers(unit_scope, unit_id) -> set[str]:
        return set(queries_customer_360.care_customer_search(crm, unit_scope, unit_id, "C")["customer_no"])

    assert counts() == {6: 2, 7: 2, 8: 2}
    assert numbers(outlet6, 6) == {"C001", "C002"} and numbers(outlet7, 7) == {"C003", "C004"}
    batch = load(crm, "C001,2026-11-01,,,U7,E1,0,,")
    assert counts() == {6: 1, 7: 3, 8: 2}
    assert numbers(outlet6, 6) == {"C002"} and numbers(outlet7, 7) == {"C001", "C003", "C004"}
    profile = queries_customer_360.care_customer_profile(crm, outlet7, 7, 1)
    assert (profile["outlet_id"], profile["manager_name"], profile["is_key_customer"]) == (7, "经理甲", False)
    assert "C001" not in set(
        queries_customer_360.care_customer_search(crm, executive, 1, "", key_only=True)["customer_no"]
    )
    delete(crm, batch, "steward")
    assert counts() == {6: 2, 7: 2, 8: 2}
    assert numbers(outlet6, 6) == {"C001", "C002"} and numbers(outlet7, 7) == {"C003", "C004"}
    profile = queries_customer_360.care_customer_profile(crm, outlet6, 6, 1)
    assert (profile["outlet_id"], profile["manager_name"], profile["is_key_customer"]) == (6, None, True)


def test_customers_are_brought_up_to_date_a_page_at_a_time(crm, monkeypatch):
    monkeypatch.setattr(kind_module, "CUSTOMERS_PER_STEP", 2)
    lines = [f"C00{i},2026-11-0{i},,,,,,,行业{i}" for i in range(1, 6)]
    batch = load(crm, *lines, "C006,2026-11-01,,,U6,,,,", "C003,2026-11-09,,,U6,,,,")
    assert [customer(crm, i)["industry"] for i in range(1, 7)] == ["行业1", "行业2", "行业3", "行业4", "行业5", None]
    assert [customer(crm, i)["home_outlet_id"] for i in range(1, 7)] == [6, 6, 6, 7, 8, 6]
    delete(crm, batch, "steward")
    assert [customer(crm, i)["industry"] for i in range(1, 7)] == [None] * 6
    assert [customer(crm, i)["home_outlet_id"] for i in range(1, 7)] == [6, 6, 7, 7, 8, 8]


def test_several_changes_of_a_customer_in_one_file_take_effect_in_date_order(crm):
    batch = load(crm, "C001,2026-11-05,,,U8,,0,,", "C001,2026-11-01,,,U7,,,,")  # file order is not date order
    assert customer(crm)["home_outlet_id"] == 8 and customer(crm)["is_key_customer"] is False
    assert [c["previous"] for c in changes(crm)] == [
        {"home_outlet_id": 6},
        {"home_outlet_id": 7, "is_key_customer": True},
    ]
    delete(crm, batch, "steward")
    assert customer(crm) == ORIGINAL


def test_future_changes_wait_for_their_day(crm):
    soon = TODAY + dt.timedelta(days=10)
    batch = load(crm, f"C001,{soon.isoformat()},,,U7,,,,", f"C002,{TODAY.isoformat()},,,U8,,,,")
    assert customer(crm, 1) == ORIGINAL  # pending
    assert customer(crm, 2)["home_outlet_id"] == 8  # dated today: in effect
    with crm.begin() as connection:
        assert pending_count(connection) == 1
        assert apply_due(connection, soon - dt.timedelta(days=1)) == 0
    assert customer(crm, 1) == ORIGINAL
    with crm.begin() as connection:
        assert apply_due(connection, soon) == 1
        assert pending_count(connection) == 0
        assert apply_due(connection, soon) == 0  # nothing applied twice
    assert customer(crm, 1)["home_outlet_id"] == 7
    assert changes(crm)[0]["previous"] == {"home_outlet_id": 6}
    delete(crm, batch, "steward")
    assert customer(crm, 1) == ORIGINAL and customer(crm, 2)["home_outlet_id"] == 6


def test_a_pending_change_takes_effect_at_the_next_confirm_and_deleting_it_while_pending_changes_nothing(crm):
    soon = TODAY + dt.timedelta(days=30)
    waiting = load(crm, f"C001,{soon.isoformat()},,,U7,,,,", name="a.csv")
    before = checksums(crm, skip=IMPORT_TABLES + ("customer_change",))
    delete(crm, waiting, "steward")
    assert checksums(crm, skip=IMPORT_TABLES + ("customer_change",)) == before
    load(crm, f"C001,{soon.isoformat()},,,U7,,,,", name="b.csv")
    with crm.begin() as connection:  # the day comes
        connection.execute(update(CustomerChange).values(effective_on=TODAY - dt.timedelta(days=1)))
    load(crm, "C003,2026-11-01,,,,,1,,", name="c.csv")
    assert customer(crm, 1)["home_outlet_id"] == 7 and customer(crm, 3)["is_key_customer"] is True


def test_a_late_change_is_put_in_its_place_and_either_batch_can_be_deleted(crm):
    later = load(crm, "C001,2026-11-10,,,U7,,,,", name="later.csv")
    late = load(crm, "C001,2026-11-01,,13900001111,U8,,,,", name="late.csv")
    assert customer(crm) == {**ORIGINAL, "home_outlet_id": 7, "phone_masked": "139****1111"}  # the later date wins
    assert [c["previous"] for c in changes(crm)] == [
        {"phone_masked": None, "home_outlet_id": 6},
        {"home_outlet_id": 8},
    ]
    delete(crm, late, "steward")  # the later change of the other batch stays in effect
    assert customer(crm) == {**ORIGINAL, "home_outlet_id": 7}
    assert [c["previous"] for c in changes(crm)] == [{"home_outlet_id": 6}]
    delete(crm, later, "steward")
    assert customer(crm) == ORIGINAL


def test_interleaved_batches_can_be_deleted_in_any_order(crm):
    first = load(crm, "C001,2026-11-05,,,U7,,,,", "C001,2026-11-20,,,,,0,,", name="first.csv")
    second = load(crm, "C001,2026-11-10,,13900001111,U8,,,,", name="second.csv")
    assert customer(crm) == {**ORIGINAL, "home_outlet_id": 8, "phone_masked": "139****1111", "is_key_customer": False}
    delete(crm, first, "steward")
    assert customer(crm) == {**ORIGINAL, "home_outlet_id": 8, "phone_masked": "139****1111"}
    assert [c["previous"] for c in changes(crm)] == [{"home_outlet_id": 6, "phone_masked": None}]
    delete(crm, second, "steward")
    assert customer(crm) == ORIGINAL


def test_a_correcting_batch_replaces_a_change_in_effect_and_deleting_it_brings_the_old_one_back(crm):
    first = load(crm, "C001,2026-11-01,,,U7,,,,", "C002,2026-11-01,,,,,0,,", name="first.csv")
    later = load(crm, "C001,2026-11-10,,,,,0,,", name="later.csv")
    fix = stage(crm, "customer_changes", csv("C001,2026-11-01,,13900001111,,,,,"), "fix.csv", "steward", restate=True)
    assert fix.ok and fix.restated == 1
    confirm(crm, fix.batch_id, "steward")
    # the outlet change of 11-01 is replaced by a phone change; the later key flag stays in effect
    assert customer(crm) == {**ORIGINAL, "phone_masked": "139****1111", "is_key_customer": False}
    assert [c["previous"] for c in changes(crm) if c["customer_id"] == 1] == [
        {"phone_masked": None},
        {"is_key_customer": True},
    ]
    assert customer(crm, 2)["is_key_customer"] is False
    delete(crm, fix.batch_id, "steward")
    assert customer(crm) == {**ORIGINAL, "home_outlet_id": 7, "is_key_customer": False}
    assert [(c["import_batch_id"], c["previous"]) for c in changes(crm) if c["customer_id"] == 1] == [
        (first, {"home_outlet_id": 6}),
        (later, {"is_key_customer": True}),
    ]
    delete(crm, later, "steward")
    delete(crm, first, "steward")
    assert customer(crm) == ORIGINAL and customer(crm, 2)["is_key_customer"] is True


def test_replay_known_answers():
    """The pure step: undo later applied changes, apply all in date order, keep what each replaced."""

    def change(cid, day, previous=None, **values):
        return SimpleNamespace(
            id=cid, effective_on=dt.date(2026, 11, day), previous=previous, **{n: values.get(n) for n in CHANGED}
        )

    now = {**ORIGINAL, "home_outlet_id": 7, "industry": "x"}  # after change 1 (day 10)
    applied = [change(1, 10, {"home_outlet_id": 6, "industry": None}, home_outlet_id=7, industry="x")]
    pending = [change(2, 5, home_outlet_id=8, address="a"), change(3, 20, industry="y")]
    state, previous = replay(now, applied, pending)
    assert state == {**ORIGINAL, "home_outlet_id": 7, "address": "a", "industry": "y"}
    assert previous == [
        (2, {"home_outlet_id": 6, "address": None}),
        (1, {"home_outlet_id": 8, "industry": None}),
        (3, {"industry": "x"}),
    ]
    assert replay(now, applied, []) == (now, [])
    # taking change 1 out: back to what it replaced
    assert replay(now, applied, [], frozenset({1})) == (ORIGINAL, [])
    # change 1 corrected to set the address: undone with its previous, applied with its new values
    corrected = [change(1, 10, {"home_outlet_id": 6, "industry": None}, address="b")]
    assert replay(now, corrected, [], redone=frozenset({1})) == (
        {**ORIGINAL, "address": "b"},
        [(1, {"address": None})],
    )
    # taking change 1 out while change 2 (day 5) comes in: 2 applies on the original values
    state, previous = replay(now, applied, pending[:1], frozenset({1}))
    assert state == {**ORIGINAL, "home_outlet_id": 8, "address": "a"}
    assert previous == [(2, {"home_outlet_id": 6, "address": None})]


# --------------------------------------------------------------------------- bad rows and duplicates

BAD_ROWS = [
    ("C999,2026-11-01,,,U7,,,,", "customer_no", "import_unknown_code"),
    ("C001,2026/11/01,,,U7,,,,", "effective_on", "import_bad_date"),
    ("C001,2026-02-30,,,U7,,,,", "effective_on", "import_no_such_date"),
    (",2026-11-01,,,U7,,,,", "customer_no", "import_required"),
    ("C001,2026-11-01,,,,,,,", "", "import_customer_change_nothing"),
    ("C001,2026-11-01,,12ab,,,,,", "phone", "import_bad_phone"),
    ("C001,2026-11-01,,,U99,,,,", "home_outlet_code", "import_unknown_code"),
    ("C001,2026-11-01,,,U4,,,,", "home_outlet_code", "import_unknown_code"),  # a sub-branch, not an outlet
    ("C001,2026-11-01,,,U9,,,,", "home_outlet_code", "import_customer_change_outlet_not_open"),  # closed
    ("C001,2026-11-01,,,,E9,,,", "relationship_manager", "import_unknown_code"),
    ("C001,2026-07-01,,,,E2,,,", "relationship_manager", "import_customer_change_manager_left"),
    ("C001,2026-11-01,,,,E3,,,", "relationship_manager", "import_customer_change_not_a_manager"),
    ("C001,2026-11-30,,,,E4,,,", "relationship_manager", "import_customer_change_manager_not_hired"),
    ("C001,2026-11-01,,,,,maybe,,", "is_key_customer", "import_not_a_boolean"),
    ("C001,2026-11-01,,,,,perhaps,,", "is_key_customer", "import_too_long"),
    ("C001,2026-11-01,,,,,,ffffffffffffff,", "home_cell", "import_bad_h3_cell"),
    ("C001,2026-11-01,=HYPERLINK(1),,,,,,", "address", "import_formula_text"),
    ("C001,2026-11-01,,,,,,," + "x" * 33, "industry", "import_too_long"),
    (
        f"C001,{(TODAY + dt.timedelta(days=400)).isoformat()},,,U7,,,,",
        "effective_on",
        "import_customer_change_too_far_ahead",
    ),
]


@pytest.mark.parametrize(("line", "column", "key"), BAD_ROWS)
def test_a_bad_row_is_refused_with_a_bilingual_row_error_and_nothing_changes(crm, line, column, key):
    before = checksums(crm, skip=("import_batch",))
    result = stage(crm, "customer_changes", csv("C002,2026-11-01,,,U8,,,,", line), "bad.csv", "steward")
    assert not result.ok
    assert [(e.row, e.column, e.key) for e in result.errors] == [(3, column, key)]
    error = result.errors[0]
    assert import_message(error.key, "zh", **error.params) and import_message(error.key, "en", **error.params)
    assert checksums(crm, skip=("import_batch",)) == before


def test_a_manager_may_take_customers_from_their_first_to_their_last_day(crm):
    load(crm, "C001,2026-06-30,,,,E2,,,", "C002,2026-12-01,,,,E4,,,")
    assert customer(crm, 1)["relationship_manager_id"] == 2 and customer(crm, 2)["relationship_manager_id"] == 4


def test_duplicates_in_the_file_and_in_the_database_are_refused(crm):
    result = stage(
        crm, "customer_changes", csv("C001,2026-11-01,,,U7,,,,", "C001,2026-11-01,,,U8,,,,"), "d.csv", "steward"
    )
    assert [(e.row, e.key, e.params) for e in result.errors] == [(3, "import_duplicate_in_file", {"first_row": 2})]
    load(crm, "C001,2026-11-01,,,U7,,,,")
    before = checksums(crm, skip=("import_batch",))
    again = stage(crm, "customer_changes", csv("C001,2026-11-01,,,,,1,,"), "again.csv", "steward")
    assert [(e.row, e.key) for e in again.errors] == [(2, "import_already_in_database")]
    assert checksums(crm, skip=("import_batch",)) == before


def test_messages_exist_in_both_languages():
    keys = [k for k in IMPORT_TEXTS if k.startswith("import_customer_change_")]
    assert len(keys) == 7
    assert all(IMPORT_TEXTS[k]["zh"] and IMPORT_TEXTS[k]["en"] for k in keys)


# --------------------------------------------------------------------------- template and command line


def test_the_template_example_imports_into_the_fixture_network_in_both_formats(crm):
    from openpyxl import load_workbook

    from data.importer.templates import template_csv, template_xlsx

    kind = KINDS["customer_changes"]
    fixture_values = {"customer_no": "C001", "home_outlet_code": "U7"}
    values = [fixture_values.get(c.name, c.example) for c in kind.columns]
    header = template_csv(kind).decode("utf-8-sig").splitlines()[0]
    result = stage(crm, "customer_changes", f"{header}\n{','.join(values)}\n".encode(), "filled.csv", "steward")
    assert result.ok, result.errors
    delete(crm, result.batch_id, "steward")
    workbook = load_workbook(io.BytesIO(template_xlsx(kind)))
    for cell, value in zip(workbook.worksheets[0][2], values):
        cell.value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = stage(crm, "customer_changes", buffer.getvalue(), "filled.xlsx", "steward")
    assert result.ok, result.errors
    confirm(crm, result.batch_id, "steward")
    assert customer(crm)["home_outlet_id"] == 7 and customer(crm)["phone_masked"] == "138****5678"


def test_command_line_loads_and_applies_due_changes(crm, tmp_path, capsys):
    from data.importer.__main__ import main as importer_cli

    url = crm.url.render_as_string(hide_password=False)
    soon = TODAY + dt.timedelta(days=3)
    good = tmp_path / "changes.csv"
    good.write_bytes(csv(f"C001,{soon.isoformat()},,,U7,,,,", "C003,2026-11-01,,,,,1,,"))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv("C001,2026-11-01,,,,,,,"))
    assert importer_cli(["customer_changes", str(bad), "--confirm", "--database-url", url]) == 1
    assert "changes nothing" in capsys.readouterr().err
    assert importer_cli(["customer_changes", str(good), "--confirm", "--database-url", url]) == 0
    assert customer(crm, 1) == ORIGINAL and customer(crm, 3)["is_key_customer"] is True
    assert importer_cli(["apply-due-changes", "--database-url", url]) == 0  # the daily job
    assert capsys.readouterr().out.strip().endswith("0 customer changes took effect; 1 wait for their effective date.")
    with crm.begin() as connection:
        connection.execute(update(CustomerChange).where(CustomerChange.customer_id == 1).values(effective_on=TODAY))
    assert kind_module.main(["apply-due", "--database-url", url, "--lang", "zh", "--user", "cron"]) == 0
    assert capsys.readouterr().out.strip() == "已生效客户信息变更1条；尚有0条待到生效日期。"
    assert customer(crm, 1)["home_outlet_id"] == 7
    with crm.connect() as connection:
        audit = connection.execute(
            select(AuditLog.username, AuditLog.detail).where(AuditLog.action == "customer_changes_applied")
        ).all()
    assert [(name, detail) for name, detail in audit] == [
        ("cli", {"applied": 0, "pending": 1}),
        ("cron", {"applied": 1, "pending": 0}),
    ]
    assert kind_module.main(["apply-due", "--database-url", "sqlite:////nonexistent/dir/x.sqlite"]) == 2


# --------------------------------------------------------------------------- fuzz

CUSTOMERS = ["C001", "C002", "C003"]
DAYS = [f"2026-10-{day:02d}" for day in range(1, 29)] + [(TODAY + dt.timedelta(days=d)).isoformat() for d in (1, 5)]
VALID = {  # per column after the key, values that pass ("" = unchanged)
    "address": ["", "", "新地址1号", "A路2号"],
    "phone": ["", "", "13800001111", "13900002222"],
    "home_outlet_code": ["", "", "U6", "U7", "U8"],
    "relationship_manager": ["", "", "E1"],
    "is_key_customer": ["", "", "1", "0", "是", "否", "TRUE"],
    "home_cell": ["", "", CELL],
    "industry": ["", "", "零售", "制造业"],
}
INVALID = {  # a cell that makes its row refused
    "customer_no": ["C999", ""],
    "effective_on": ["2026-13-01", "", "2026/10/01"],
    "address": ["=1+1"],
    "phone": ["12"],
    "home_outlet_code": ["U9", "U99", "U4"],
    "relationship_manager": ["E2", "E3", "E9"],
    "is_key_customer": ["maybe"],
    "home_cell": ["bad"],
    "industry": ["x" * 40],
}


@st.composite
def change_files(draw) -> list[list[str]]:
    """Rows of changes of three customers, mostly valid; sometimes one bad cell (then the file
    is refused); repeated (customer, day) keys are refused too."""
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        row = [draw(st.sampled_from(CUSTOMERS)), draw(st.sampled_from(DAYS))]
        row += [draw(st.sampled_from(pool)) for pool in VALID.values()]
        rows.append(row)
    if draw(st.integers(0, 3)) == 0:
        columns = list(INVALID)
        column = draw(st.sampled_from(columns))
        rows[draw(st.integers(0, len(rows) - 1))][columns.index(column)] = draw(st.sampled_from(INVALID[column]))
    return rows


def expected_customers(engine_before: dict[int, dict], rows: list[list[str]], outlets: dict[str, int]) -> dict:
    """What the customers must look like after a valid file: per attribute, the value of the
    latest-dated due change that sets it (independent of the ``previous`` bookkeeping)."""
    states = {cid: dict(values) for cid, values in engine_before.items()}
    numbers = {f"C{cid:03d}": cid for cid in states}
    flags = {"1": True, "0": False, "是": True, "否": False, "TRUE": True}
    for row in sorted(rows, key=lambda r: r[1]):
        if dt.date.fromisoformat(row[1]) > TODAY:
            continue
        address, phone, outlet, manager, key, cell, industry = row[2:]
        state = states[numbers[row[0]]]
        if address:
            state["address"] = address
        if phone:
            state["phone_masked"] = phone[:3] + "****" + phone[-4:]
        if outlet:
            state["home_outlet_id"] = outlets[outlet]
        if manager:
            state["relationship_manager_id"] = {"E1": 1, "E2": 2}[manager]
        if key:
            state["is_key_customer"] = flags[key]
        if cell:
            state["home_cell"] = cell
        if industry:
            state["industry"] = industry
    return states


@pytest.fixture(scope="module")
def shared_crm(shared_network):
    add_staff(shared_network)
    return shared_network


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=change_files(), split=st.integers(0, 6), second_first=st.booleans())
def test_fuzzed_change_files_apply_exactly_or_change_nothing_and_deleting_restores(
    shared_crm, rows, split, second_first
):
    """Changes in one or two files: a file with a bad row changes nothing; otherwise every
    customer ends with the latest-dated due value of each attribute, and deleting the batches,
    in either order, gives back the data exactly as it was."""
    engine = shared_crm
    before = checksums(engine, skip=IMPORT_TABLES)
    originals = {cid: customer(engine, cid) for cid in (1, 2, 3)}
    batches, loaded = [], []
    try:
        for part, name in ((rows[:split], "fuzz1.csv"), (rows[split:], "fuzz2.csv")):
            if not part:
                continue
            unchanged = checksums(engine, skip=IMPORT_TABLES)
            result = stage(engine, "customer_changes", csv(*(",".join(row) for row in part)), name, "steward")
            if not result.ok:  # a bad row, or the second file is the first again
                problems = [result.file_error] if result.file_error is not None else result.errors
                assert problems and all(
                    import_message(e.key, "zh", **e.params) and import_message(e.key, "en", **e.params)
                    for e in problems
                )
                assert checksums(engine, skip=IMPORT_TABLES) == unchanged
                continue
            confirm(engine, result.batch_id, "steward")
            batches.append(result.batch_id)
            loaded += part
        expected = expected_customers(originals, loaded, {"U6": 6, "U7": 7, "U8": 8})
        assert {cid: customer(engine, cid) for cid in (1, 2, 3)} == expected
    finally:  # a failing example must not leave its batches for the next one
        for batch in reversed(batches) if second_first else batches:
            delete(engine, batch, "steward")
    assert checksums(engine, skip=IMPORT_TABLES) == before

"""Import kind ``transactions`` (交易流水) on SQLite and PostgreSQL: exact landing, row-level
bilingual errors that change nothing, duplicates, the command line, fuzzing, and the customer
pages' figures computed from imported transactions exactly as from the demo's."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete as sql_delete
from sqlalchemy import select

from config.import_texts import IMPORT_TEXTS, import_message
from config.settings import PROJECT_ROOT
from data import queries_action_lists, queries_customer_360
from data import queries_customers as qc
from data.bulk import bulk_insert
from data.importer import confirm, delete, preview, stage
from data.importer.__main__ import main as cli
from data.importer.kinds.transactions import MAX_AMOUNT_RMB, TRANSACTIONS, latest_allowed_time
from data.importer.spec import KINDS
from data.schema import BUSINESS_TYPES, CHANNELS, Customer, Product, Txn
from data.scope import scope_for
from tests.network_fixture import MONTHS
from tests.test_importer import IMPORT_TABLES, table_checksums

HEADER = "txn_no,customer_no,outlet_code,txn_at,channel,business_type,product_code,amount_rmb"
HEADER_ZH = "流水号,客户号,网点代码,交易时间,交易渠道,业务类型,产品代码,交易金额"
GOOD_LINES = [
    "T0001,C001,U6,2026-10-12 09:30:00,counter,cash,DD-P,5000.00",
    "T0002,C001,U7,2026-10-12 21:05,mobile,transfer,,-120.5",  # a reversal at another outlet, no seconds
    'T0003,CORP01,U8,2026-10-13,online,,DD-C,"1,250,000"',  # a corporate customer; a bare date is midnight
    "T0004,C003,U9,2025-03-01 10:00:00,atm,,,0",  # a closed outlet's history; a balance enquiry
]
TXN_COLUMNS = (
    Txn.txn_no,
    Txn.customer_id,
    Txn.outlet_id,
    Txn.txn_at,
    Txn.channel,
    Txn.business_type,
    Product.code,
    Txn.amount_rmb,
)


def _file(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


@pytest.fixture
def txn_network(network):
    """The fixture network (personal customers C001–C006 at outlets 6–8, closed outlet 9) plus
    the demo product shelf and one corporate customer, CORP01 (id 7, outlet 8)."""
    from data.demo.network import build_products

    corporate = {
        "customer_no": "CORP01",
        "kind": "corporate",
        "name": "甲公司",
        "id_number_hash": "1" * 64,
        "home_outlet_id": 8,
        "opened_on": dt.date(2018, 5, 1),
        "is_key_customer": False,
    }
    with network.begin() as connection:
        bulk_insert(connection, Product.__table__, build_products())
        bulk_insert(connection, Customer.__table__, pd.DataFrame([corporate]))
    return network


def landed(engine) -> list[tuple]:
    """The imported transactions, by serial number, with product codes."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(*TXN_COLUMNS)
            .outerjoin(Product, Product.id == Txn.product_id)
            .where(Txn.import_batch_id.is_not(None))
            .order_by(Txn.txn_no)
        ).all()
    return [tuple(row) for row in rows]


def customer_id(engine, number: str) -> int:
    with engine.connect() as connection:
        return connection.execute(select(Customer.id).where(Customer.customer_no == number)).scalar_one()


def test_transactions_land_exactly_with_ids(txn_network):
    result = stage(txn_network, "transactions", _file(*GOOD_LINES), "流水.csv", "steward")
    assert result.ok, result.errors
    staged = preview(txn_network, result.batch_id)
    assert staged.txn_no.tolist() == ["T0001", "T0002", "T0003", "T0004"]
    assert landed(txn_network) == []  # staged rows are not data yet
    assert confirm(txn_network, result.batch_id, "steward") == 4
    corporate = customer_id(txn_network, "CORP01")
    assert landed(txn_network) == [
        ("T0001", 1, 6, dt.datetime(2026, 10, 12, 9, 30), "counter", "cash", "DD-P", 5000.0),
        ("T0002", 1, 7, dt.datetime(2026, 10, 12, 21, 5), "mobile", "transfer", None, -120.5),
        ("T0003", corporate, 8, dt.datetime(2026, 10, 13), "online", None, "DD-C", 1_250_000.0),
        ("T0004", 3, 9, dt.datetime(2025, 3, 1, 10), "atm", None, None, 0.0),
    ]
    with txn_network.connect() as connection:
        batches = set(connection.execute(select(Txn.import_batch_id).where(Txn.txn_no.is_not(None))).scalars())
    assert batches == {result.batch_id}


def test_chinese_headers_in_gb18030_and_any_column_order(txn_network):
    columns = HEADER_ZH.split(",")
    order = [7, 3, 0, 2, 1, 4, 6, 5]  # amount first, business type last
    values = GOOD_LINES[0].split(",")
    content = (",".join(columns[i] for i in order) + "\n" + ",".join(values[i] for i in order) + "\n").encode("gb18030")
    result = stage(txn_network, "transactions", content, "交易流水.csv", "steward")
    assert result.ok, result.errors
    assert result.column_label("txn_at") == "交易时间"
    confirm(txn_network, result.batch_id, "steward")
    assert landed(txn_network) == [("T0001", 1, 6, dt.datetime(2026, 10, 12, 9, 30), "counter", "cash", "DD-P", 5000.0)]


def test_deleting_a_confirmed_batch_removes_exactly_its_rows(txn_network):
    before = table_checksums(txn_network)
    first = stage(txn_network, "transactions", _file(*GOOD_LINES[:2]), "a.csv", "steward")
    second = stage(txn_network, "transactions", _file(*GOOD_LINES[2:]), "b.csv", "steward")
    confirm(txn_network, first.batch_id, "steward")
    confirm(txn_network, second.batch_id, "steward")
    assert delete(txn_network, first.batch_id, "steward") == 2
    assert [row[0] for row in landed(txn_network)] == ["T0003", "T0004"]
    assert delete(txn_network, second.batch_id, "steward") == 2
    after = table_checksums(txn_network)
    assert {k: v for k, v in after.items() if k not in IMPORT_TABLES | {"dataset_info"}} == {
        k: v for k, v in before.items() if k not in IMPORT_TABLES | {"dataset_info"}
    }


TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()
TODAY = dt.date.today().isoformat()


@pytest.mark.parametrize(
    "line, column, key",
    [
        ("T1,C001,U6,2026/10/12 09:30,counter,,,5", "txn_at", "import_bad_datetime"),
        ("T1,C001,U6,12.10.2026,counter,,,5", "txn_at", "import_bad_datetime"),
        ("T1,C001,U6,2026-10-12 25:00,counter,,,5", "txn_at", "import_no_such_datetime"),
        ("T1,C001,U6,2026-02-30 10:00,counter,,,5", "txn_at", "import_no_such_datetime"),
        (f"T1,C001,U6,{TOMORROW} 00:00:00,counter,,,5", "txn_at", "import_txn_in_future"),
        ("T1,,U6,2026-10-12 09:30,counter,,,5", "customer_no", "import_required"),
        ("T1,C999,U6,2026-10-12 09:30,counter,,,5", "customer_no", "import_unknown_code"),
        ("T1,C001,U4,2026-10-12 09:30,counter,,,5", "outlet_code", "import_unknown_code"),  # a sub-branch
        ("T1,C001,U6,2026-10-12 09:30,branch,,,5", "channel", "import_bad_choice"),
        ("T1,C001,U6,2026-10-12 09:30,Counter,,,5", "channel", "import_bad_choice"),
        ("T1,C001,U6,2026-10-12 09:30,counter,teleport,,5", "business_type", "import_bad_choice"),
        ("T1,C001,U6,2026-10-12 09:30,counter,,NOPE,5", "product_code", "import_unknown_code"),
        ("T1,C001,U6,2026-10-12 09:30,counter,,,five", "amount_rmb", "import_not_a_number"),
        ("T1,C001,U6,2026-10-12 09:30,counter,,,", "amount_rmb", "import_required"),
        ("T1,C001,U6,2026-10-12 09:30,counter,,,2e12", "amount_rmb", "import_above_maximum"),
        ("T1,C001,U6,2026-10-12 09:30,counter,,,-2e12", "amount_rmb", "import_below_minimum"),
        ("T1,C001,U6,2026-10-12 09:30,counter,,,inf", "amount_rmb", "import_not_a_number"),
        (",C001,U6,2026-10-12 09:30,counter,,,5", "txn_no", "import_required"),
        ("=HYPERLINK(1),C001,U6,2026-10-12 09:30,counter,,,5", "txn_no", "import_formula_text"),
        (f"{'9' * 41},C001,U6,2026-10-12 09:30,counter,,,5", "txn_no", "import_too_long"),
    ],
)
def test_a_bad_row_is_named_in_both_languages_and_changes_nothing(txn_network, line, column, key):
    before = table_checksums(txn_network)
    result = stage(txn_network, "transactions", _file(GOOD_LINES[0], line), "bad.csv", "steward")
    assert not result.ok
    assert [(e.row, e.column, e.key) for e in result.errors] == [(3, column, key)]
    error = result.errors[0]
    assert import_message(error.key, "zh", **error.params) and import_message(error.key, "en", **error.params)
    assert table_checksums(txn_network) == before


def test_the_future_is_after_today_and_its_message_names_today(txn_network):
    limit = latest_allowed_time(dt.date(2026, 10, 12))
    assert limit == dt.datetime(2026, 10, 13)
    result = stage(
        txn_network,
        "transactions",
        _file(f"T1,C001,U6,{TODAY} 23:59:59,counter,,,5", f"T2,C001,U6,{TOMORROW},counter,,,5"),
        "edge.csv",
        "steward",
    )
    assert [(e.row, e.key) for e in result.errors] == [(3, "import_txn_in_future")]
    assert result.errors[0].value == f"{TOMORROW} 00:00:00"
    assert TODAY in import_message("import_txn_in_future", "zh", **result.errors[0].params)


def test_every_bad_row_of_a_file_is_reported_at_once(txn_network):
    before = table_checksums(txn_network)
    result = stage(
        txn_network,
        "transactions",
        _file(
            "T1,C999,U6,2026-10-12 09:30,counter,,,5",
            "T2,C001,U6,yesterday,fax,,,5",
            GOOD_LINES[0],
        ),
        "bad.csv",
        "steward",
    )
    assert sorted((e.row, e.column, e.key) for e in result.errors) == [
        (2, "customer_no", "import_unknown_code"),
        (3, "channel", "import_bad_choice"),
        (3, "txn_at", "import_bad_datetime"),
    ]
    assert table_checksums(txn_network) == before


def test_a_serial_number_twice_in_the_file_names_the_first_line(txn_network):
    before = table_checksums(txn_network)
    again = GOOD_LINES[1].replace("T0002", "T0001")
    result = stage(txn_network, "transactions", _file(GOOD_LINES[0], GOOD_LINES[2], again), "dup.csv", "steward")
    assert [(e.row, e.key, e.params) for e in result.errors] == [(4, "import_duplicate_in_file", {"first_row": 2})]
    assert table_checksums(txn_network) == before


def test_a_serial_number_already_loaded_is_refused_and_changes_nothing(txn_network):
    first = stage(txn_network, "transactions", _file(*GOOD_LINES[:2]), "a.csv", "steward")
    confirm(txn_network, first.batch_id, "steward")
    before = table_checksums(txn_network)
    result = stage(txn_network, "transactions", _file(GOOD_LINES[2], GOOD_LINES[1]), "b.csv", "steward")
    assert [(e.row, e.key) for e in result.errors] == [(3, "import_already_in_database")]
    assert table_checksums(txn_network) == before
    staged_but_not_confirmed = stage(txn_network, "transactions", _file(GOOD_LINES[3]), "c.csv", "steward")
    assert staged_but_not_confirmed.ok  # a staged batch holds no data: its serial numbers are still free


def test_a_corrected_extract_restates_transactions_and_deleting_it_restores_them(txn_network):
    first = stage(txn_network, "transactions", _file(*GOOD_LINES[:2]), "a.csv", "steward")
    confirm(txn_network, first.batch_id, "steward")
    original = landed(txn_network)
    corrected = GOOD_LINES[0].replace("5000.00", "4500.00").replace("counter,cash", "smart_machine,cash")
    restating = stage(txn_network, "transactions", _file(corrected, GOOD_LINES[2]), "fix.csv", "steward", restate=True)
    assert restating.ok, restating.errors
    assert restating.restated == 1  # T0001 restated, T0003 new
    confirm(txn_network, restating.batch_id, "steward")
    rows = {row[0]: row for row in landed(txn_network)}
    assert sorted(rows) == ["T0001", "T0002", "T0003"]
    assert rows["T0001"][4] == "smart_machine" and rows["T0001"][7] == 4500.0
    delete(txn_network, restating.batch_id, "steward")
    assert landed(txn_network) == original


def test_command_line_stages_confirms_and_reports_errors_in_chinese(txn_network, tmp_path, capsys):
    url = txn_network.url.render_as_string(hide_password=False)
    good = tmp_path / "交易流水.csv"
    good.write_bytes(_file(*GOOD_LINES, header=HEADER_ZH))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_file("T9,C001,U6,2026-10-12 09:30,pigeon,,,5", header=HEADER_ZH))
    assert cli(["transactions", str(bad), "--database-url", url, "--lang", "zh"]) == 1
    error = capsys.readouterr().err
    assert "bad.csv:2 [交易渠道] 'pigeon': 取值须为：counter, smart_machine, atm, mobile, online。" in error
    assert cli(["transactions", str(good), "--database-url", url, "--confirm", "--user", "nightly"]) == 0
    output = capsys.readouterr().out
    batch_id = int(output.split()[1])
    assert f"batch {batch_id} confirmed: 4 rows added" in output
    assert len(landed(txn_network)) == 4
    assert cli(["transactions", str(good), "--database-url", url]) == 1  # the same file again
    assert "batch" in capsys.readouterr().err
    assert cli(["delete", str(batch_id), "--database-url", url]) == 0
    assert landed(txn_network) == []


def test_the_shipped_templates_import_with_the_networks_codes(txn_network):
    """data/templates/transactions.csv and .xlsx, their example row given the fixture's customer
    and outlet codes, stage cleanly; the Excel column sheet describes every column in Chinese."""
    from openpyxl import load_workbook

    folder = PROJECT_ROOT / "data" / "templates"
    header, example = (folder / "transactions.csv").read_text(encoding="utf-8-sig").splitlines()
    assert header == HEADER
    fixture = {"customer_no": "C001", "outlet_code": "U6"}
    values = [fixture.get(name, value) for name, value in zip(header.split(","), example.split(","))]
    result = stage(txn_network, "transactions", _file(",".join(values)), "filled.csv", "steward")
    assert result.ok, result.errors
    delete(txn_network, result.batch_id, "steward")
    workbook = load_workbook(folder / "transactions.xlsx")
    assert [c.value for c in workbook.worksheets[0][1]] == HEADER_ZH.split(",")
    for cell, value in zip(workbook.worksheets[0][2], values):
        cell.value = value
    notes = list(workbook["列说明"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in notes] == HEADER_ZH.split(",") and all(row[5] for row in notes)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = stage(txn_network, "transactions", buffer.getvalue(), "filled.xlsx", "steward")
    assert result.ok, result.errors


def test_kind_describes_every_column_in_both_languages_and_its_message_exists():
    kind = KINDS["transactions"]
    assert kind.table is Txn.__table__ and kind.key == ("txn_no",)
    assert all(c.description_zh and c.description_en and c.header_zh for c in kind.columns)
    assert kind.column("channel").choices == CHANNELS and kind.column("business_type").choices == BUSINESS_TYPES
    assert kind.column("amount_rmb").minimum == -MAX_AMOUNT_RMB
    assert set(IMPORT_TEXTS["import_txn_in_future"]) == {"zh", "en"}
    assert [c.name for c in TRANSACTIONS.columns] == HEADER.split(",")


# --------------------------------------------------------------------------- fuzzing

VALID_LINES = [
    "F1,C001,U6,2026-10-12 09:30:00,counter,cash,,100",
    "F2,C002,U7,2026-10-12 10:00,mobile,,,-5",
    "F3,C005,U8,2026-10-13,atm,card,,0",
]


@st.composite
def malformed_files(draw) -> bytes:
    """A valid extract mutated (bytes flipped, cut, inserted, lines repeated), or random bytes."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=400))
    content = bytearray(_file(*VALID_LINES))
    for _ in range(draw(st.integers(1, 5))):
        operation = draw(st.sampled_from(["flip", "cut", "insert", "repeat"]))
        position = draw(st.integers(0, max(len(content) - 1, 0)))
        if operation == "flip" and content:
            content[position] = draw(st.integers(0, 255))
        elif operation == "cut":
            del content[position : position + draw(st.integers(1, 20))]
        elif operation == "insert":
            content[position:position] = draw(
                st.sampled_from([b",", b"\n", b'"', b"=", b"-1", b":", b"\xff", b"\xe4\xb8", b" ", b"9", b"T"])
            )
        else:
            content += VALID_LINES[0].encode() + b"\n"
    return bytes(content)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=malformed_files())
def test_malformed_extracts_never_crash_and_never_change_data(shared_network, content):
    before = table_checksums(shared_network)
    result = stage(shared_network, "transactions", content, "fuzz.csv", "steward")
    if result.ok:
        delete(shared_network, result.batch_id, "steward")
        after = table_checksums(shared_network)
        assert {k: v for k, v in after.items() if k not in IMPORT_TABLES} == {
            k: v for k, v in before.items() if k not in IMPORT_TABLES
        }
        return
    if result.file_error is not None:
        assert import_message(result.file_error.key, "zh", **result.file_error.params)
    else:
        assert result.errors and all(
            import_message(e.key, "zh", **e.params) and import_message(e.key, "en", **e.params) for e in result.errors
        )
    assert table_checksums(shared_network) == before


@st.composite
def valid_rows(draw) -> list[tuple]:
    """1–12 valid transactions: (serial, customer id, outlet id, time, channel, business type, amount)."""
    count = draw(st.integers(1, 12))
    rows = []
    for index in range(count):
        at = draw(st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2026, 10, 31, 23, 59, 59)))
        amount = draw(st.decimals(min_value=-1_000_000, max_value=1_000_000, places=2, allow_nan=False))
        rows.append(
            (
                f"H{index:04d}",
                draw(st.integers(1, 6)),
                draw(st.sampled_from([6, 7, 8, 9])),
                at.replace(microsecond=0),
                draw(st.sampled_from(CHANNELS)),
                draw(st.sampled_from((None, *BUSINESS_TYPES))),
                float(amount),
            )
        )
    return rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=valid_rows())
def test_any_valid_extract_is_staged_exactly(shared_network, rows):
    """Whatever valid values a file holds, the staged rows are exactly them (ids for codes)."""
    lines = [
        f"{no},C{customer:03d},U{outlet},{at:%Y-%m-%d %H:%M:%S},{channel},{business or ''},,{amount:.2f}"
        for no, customer, outlet, at, channel, business, amount in rows
    ]
    result = stage(shared_network, "transactions", _file(*lines), "valid.csv", "steward")
    assert result.ok, result.errors
    try:
        staged = preview(shared_network, result.batch_id)
    finally:
        delete(shared_network, result.batch_id, "steward")
    got = [
        (r.txn_no, int(r.customer_id), int(r.outlet_id), pd.Timestamp(r.txn_at).to_pydatetime(), r.channel)
        + (None if pd.isna(r.business_type) else r.business_type, float(r.amount_rmb))
        for r in staged.itertuples()
    ]
    assert got == [(no, c, o, at, ch, b, round(a, 2)) for no, c, o, at, ch, b, a in rows]


# --------------------------------------------------------------------------- the pages read imported rows

# The hand-made transactions of tests/test_customer_queries.py, as an extract (customer, outlet, time,
# channel, amount). Customer 1: transaction days 08-01 (100 + 50), 08-11 (30), 09-10 (70) and a reversal
# on 10-01; customer 2 one day; customer 3 one day before END and one after.
EXTRACT = [
    ("C001", "U6", "2026-08-01 10:00", "counter", "100"),
    ("C001", "U6", "2026-08-01 15:00", "mobile", "50"),
    ("C001", "U6", "2026-08-11 09:30", "online", "30"),
    ("C001", "U6", "2026-09-10 11:00", "counter", "70"),
    ("C001", "U6", "2026-10-01 12:00", "atm", "-20"),
    ("C002", "U6", "2026-09-01 10:00", "counter", "10"),
    ("C003", "U7", "2026-10-15 16:00", "mobile", "5"),
    ("C003", "U7", "2026-11-02 10:00", "mobile", "9"),
]
END = dt.date(2026, 10, 31)


def scope_of(engine, username, role, unit_id=None):
    with engine.connect() as connection:
        return scope_for(connection, username, role, unit_id)


def page_figures(engine) -> dict[str, pd.DataFrame]:
    """What the lifetime-value, segments/RFM, Customer 360 and action-list pages read."""
    head = scope_of(engine, "head6", "branch_head", 6)
    executive = scope_of(engine, "exec", "executive")
    return {
        "summary": qc.customer_transaction_summary(engine, head, 6, END),
        "holdout": qc.customer_holdout_counts(engine, head, 6, dt.date(2026, 8, 31), END),
        "histogram": qc.region_transaction_histogram(engine, head, 6, END),
        "features": qc.customer_feature_frame(engine, executive, 1, MONTHS[-1], dt.date(2026, 8, 1), END),
        "channels": queries_customer_360.care_customer_channels(engine, head, 6, 1),
        "days": queries_customer_360.care_customer_transaction_days(engine, head, 6, 1),
        "actions": queries_action_lists.care_action_inputs(engine, executive, 1),
    }


def test_customer_pages_read_imported_transactions_exactly_as_the_demos(network):
    lines = [f"X{i},{c},{o},{at},{ch},,,{amount}" for i, (c, o, at, ch, amount) in enumerate(EXTRACT)]
    result = stage(network, "transactions", _file(*lines), "extract.csv", "steward")
    assert result.ok, result.errors
    confirm(network, result.batch_id, "steward")
    imported = page_figures(network)

    # By hand (see EXTRACT): customer 1 has 2 repeat days, 40 days from first to last, 91 days from
    # the first day to END, and repeat days worth (30 + 70) / 2; the reversal is not a purchase.
    summary = imported["summary"].set_index("customer_no")
    assert summary.loc["C001", ["frequency", "recency_days", "T_days", "monetary_value"]].tolist() == [
        2,
        40.0,
        91.0,
        50.0,
    ]
    assert summary.loc["C002", ["frequency", "T_days"]].tolist() == [0, 60.0]
    assert imported["holdout"].to_dict("list") == {"customer_no": ["C001"], "frequency_holdout": [1]}
    first = imported["features"].iloc[0]  # customer 1 (numbers masked for the executive)
    assert (first.transactions, first.active_days, first.amount_rmb) == (5, 4, 250.0)  # the reversal counts as use
    assert first.digital_share == pytest.approx(3 / 5) and first.days_since_last == 30.0
    channels = [tuple(r) for r in imported["channels"].itertuples(index=False)]
    assert channels == [
        ("2026-08", "counter", 1, 100.0),
        ("2026-08", "mobile", 1, 50.0),
        ("2026-08", "online", 1, 30.0),
        ("2026-09", "counter", 1, 70.0),
        ("2026-10", "atm", 1, -20.0),  # Customer 360 shows the net amount
    ]

    # The same rows loaded the way the demo loads them (no serial number, no batch) read the same.
    delete(network, result.batch_id, "steward")
    demo_rows = pd.DataFrame(
        {
            "customer_id": [int(c[1:]) for c, *_ in EXTRACT],
            "outlet_id": [int(o[1:]) for _, o, *_ in EXTRACT],
            "product_id": None,
            "channel": [ch for *_, ch, _ in EXTRACT],
            "txn_at": pd.to_datetime([at for _, _, at, *_ in EXTRACT]),
            "amount_rmb": [float(a) for *_, a in EXTRACT],
        }
    )
    with network.begin() as connection:
        bulk_insert(connection, Txn.__table__, demo_rows)
    direct = page_figures(network)
    for name, frame in imported.items():
        pd.testing.assert_frame_equal(frame, direct[name], obj=name)
    with network.begin() as connection:
        connection.execute(sql_delete(Txn))

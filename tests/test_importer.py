"""The import pipeline on SQLite and PostgreSQL: good files land exactly, bad files change nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
import re
import zipfile

import h3
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import delete as sql_delete
from sqlalchemy import func, select, text

import data.importer.pipeline as pipeline
from config.import_texts import IMPORT_TEXTS, import_message
from config.settings import PROJECT_ROOT
from data.importer import BatchError, confirm, delete, history, preview, stage
from data.importer.__main__ import main as cli
from data.importer.limits import DEMO_ID_HASH_KEY
from data.importer.spec import KINDS
from data.schema import STAGING_TABLES, AccountBalance, AuditLog, Base, CompetitorOutlet, KpiMonthly, Product

GOOD_KPIS = (
    "outlet_code,metric_code,month,value\n"
    "U6,deposits_personal,2026-11,1200000.5\n"
    'U7,deposits_personal,2026-11,"3,400,000"\n'
    "U8,complaints,2026-11,4\n"
    "U6,net_interest_income,2026-11,-1500\n"
)


def table_checksums(engine) -> dict[str, str]:
    """Row count and a hash of every row of every data table (the audit log excluded)."""
    sums = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name == AuditLog.__tablename__:
                continue
            order = [c for c in table.primary_key.columns] or list(table.columns)
            rows = connection.execute(select(table).order_by(*order)).all()
            sums[table.name] = f"{len(rows)}:{hashlib.sha256(repr(rows).encode()).hexdigest()}"
    return sums


def imported_kpis(engine) -> pd.DataFrame:
    with engine.connect() as connection:
        rows = connection.execute(
            select(KpiMonthly.outlet_id, KpiMonthly.metric_code, KpiMonthly.month, KpiMonthly.value)
            .where(KpiMonthly.import_batch_id.is_not(None))
            .order_by(KpiMonthly.outlet_id, KpiMonthly.metric_code)
        ).all()
    return pd.DataFrame(rows, columns=["outlet_id", "metric_code", "month", "value"])


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_every_message_key_the_pipeline_uses_exists_in_both_languages():
    sources = "".join(path.read_text(encoding="utf-8") for path in (PROJECT_ROOT / "data" / "importer").glob("*.py"))
    used = set(re.findall(r'"(import_[a-z_]+)"', sources)) - {"import_batch_id", "import_batch"}
    audit_actions = {"import_refused", "import_rejected", "import_staged", "import_confirmed", "import_deleted"}
    assert used - audit_actions <= set(IMPORT_TEXTS)
    for key, texts in IMPORT_TEXTS.items():
        assert texts["zh"] and texts["en"], key
        assert set(re.findall(r"{(\w+)}", texts["zh"])) == set(re.findall(r"{(\w+)}", texts["en"])), key


def test_good_file_is_staged_previewed_confirmed_and_lands_exactly(network):
    result = stage(network, "monthly_kpis", GOOD_KPIS.encode(), "kpis.csv", "steward")
    assert result.ok and result.rows == 4
    staged = preview(network, result.batch_id)
    assert staged.row_number.tolist() == [2, 3, 4, 5] and staged.outlet_id.tolist() == [6, 7, 8, 6]
    assert imported_kpis(network).empty  # staged rows are not data yet
    assert confirm(network, result.batch_id, "steward") == 4
    landed = imported_kpis(network)
    november = dt.date(2026, 11, 1)
    expected = pd.DataFrame(
        {
            "outlet_id": [6, 6, 7, 8],
            "metric_code": ["deposits_personal", "net_interest_income", "deposits_personal", "complaints"],
            "month": [november] * 4,
            "value": [1200000.5, -1500.0, 3400000.0, 4.0],
        }
    )
    pd.testing.assert_frame_equal(landed.reset_index(drop=True), expected)
    batches = history(network)
    assert batches.iloc[0].status == "confirmed" and batches.iloc[0]["rows"] == 4
    with network.connect() as connection:
        staged = STAGING_TABLES["kpi_monthly"]
        assert connection.execute(select(func.count()).select_from(staged)).scalar() == 0
        actions = connection.execute(select(AuditLog.action).order_by(AuditLog.id)).scalars().all()
    assert actions[-2:] == ["import_staged", "import_confirmed"]


def test_gbk_file_with_chinese_headers(network):
    content = "网点代码,指标代码,月份,数值\nU6,customers_new,2026-11,12\n".encode("gbk")
    result = stage(network, "monthly_kpis", content, "新增客户.csv", "steward")
    assert result.ok, result.errors
    confirm(network, result.batch_id, "steward")
    assert imported_kpis(network).value.tolist() == [12.0]


def test_excel_file_with_dates_and_numbers_as_cells(network):
    content = xlsx_bytes(
        [
            ["银行代码", "银行名称", "银行英文名称", "网点名称", "城市代码", "经度", "纬度", "柜台数", "开业日期"],
            ["ICBC", "中国工商银行", "ICBC", "工行新华支行", "150100", 111.70, 40.80, 4, dt.datetime(2015, 3, 2)],
            ["BOC", "中国银行", "Bank of China", "中行人民路支行", 150200, 109.84, 40.66, None, None],
        ]
    )
    result = stage(network, "competitor_outlets", content, "rivals.xlsx", "steward")
    assert result.ok, result.errors
    confirm(network, result.batch_id, "steward")
    with network.connect() as connection:
        rows = connection.execute(
            select(
                CompetitorOutlet.bank_code,
                CompetitorOutlet.city_code,
                CompetitorOutlet.counters,
                CompetitorOutlet.opened_on,
            )
            .where(CompetitorOutlet.import_batch_id == result.batch_id)
            .order_by(CompetitorOutlet.bank_code)
        ).all()
    assert [tuple(r) for r in rows] == [("BOC", "150200", None, None), ("ICBC", "150100", 4, dt.date(2015, 3, 2))]


BAD_FILES = {
    "empty": (b"", "import_empty_file"),
    "header only": (b"outlet_code,metric_code,month,value\n", "import_no_rows"),
    "not a text file": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "import_not_csv_or_xlsx"),
    "legacy xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "import_not_csv_or_xlsx"),
    "broken xlsx": (b"PK\x03\x04 not really a zip", "import_not_csv_or_xlsx"),
    "unknown encoding": (b"outlet_code,metric_code,month,value\nU6,\xff\xfe,2026-11,1\n", "import_bad_encoding"),
    "missing column": (b"outlet_code,month,value\nU6,2026-11,1\n", "import_missing_columns"),
    "extra column": (
        b"outlet_code,metric_code,month,value,note\nU6,complaints,2026-11,1,x\n",
        "import_unknown_columns",
    ),
    "huge line": (
        b"outlet_code,metric_code,month,value\nU6,complaints,2026-11," + b"9" * 70_000 + b"\n",
        "import_line_too_long",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_are_refused_and_change_nothing(network, case):
    content, key = BAD_FILES[case]
    before = table_checksums(network)
    result = stage(network, "monthly_kpis", content, "bad.csv", "steward")
    assert not result.ok and result.file_error is not None and result.file_error.key == key
    assert import_message(key, "zh", **result.file_error.params)
    assert table_checksums(network) == before


BAD_ROWS = {
    "wrong type": ("U6,complaints,2026-11,lots", "value", "import_not_a_number"),
    "no such month": ("U6,complaints,2026-13,1", "month", "import_no_such_month"),
    "slashed month": ("U6,complaints,2026/11,1", "month", "import_bad_month"),
    "month without its zero": ("U6,complaints,2026-1,1", "month", "import_bad_month"),
    "decimal comma": ('U6,complaints,2026-11,"58300,25"', "value", "import_bad_thousands"),
    "commas anywhere": ('U6,complaints,2026-11,"1,2,3"', "value", "import_bad_thousands"),
    "comma groups of four": ('U6,complaints,2026-11,"1,2345"', "value", "import_bad_thousands"),
    "leading minus formula": ("-1+1+cmd|' /C calc'!A0,complaints,2026-11,1", "outlet_code", "import_formula_text"),
    "full-width equals": ("＝cmd|' /C calc'!A0,complaints,2026-11,1", "outlet_code", "import_formula_text"),
    "full-width plus": ("＋1,complaints,2026-11,1", "outlet_code", "import_formula_text"),
    "full-width minus": ("－1,complaints,2026-11,1", "outlet_code", "import_formula_text"),
    "full-width at": ("＠SUM(A1),complaints,2026-11,1", "outlet_code", "import_formula_text"),
    "unknown outlet": ("U99,complaints,2026-11,1", "outlet_code", "import_unknown_code"),
    "not an outlet": ("U4,complaints,2026-11,1", "outlet_code", "import_unknown_code"),
    "unknown metric": ("U6,deposits_total,2026-11,1", "metric_code", "import_unknown_code"),
    "negative balance": ("U6,deposits_personal,2026-11,-5", "value", "import_negative_value"),
    "score above 100": ("U6,inspection_score,2026-11,101", "value", "import_score_out_of_range"),
    "required missing": ("U6,,2026-11,1", "metric_code", "import_required"),
    "formula": ("=cmd|' /C calc'!A0,complaints,2026-11,1", "outlet_code", "import_formula_text"),
    "already in database": ("U6,deposits_personal,2026-10,1", "", "import_already_in_database"),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_bad_rows_get_a_row_level_error_and_change_nothing(network, case):
    line, column, key = BAD_ROWS[case]
    content = f"outlet_code,metric_code,month,value\nU7,complaints,2026-11,2\n{line}\n".encode()
    before = table_checksums(network)
    result = stage(network, "monthly_kpis", content, "bad.csv", "steward")
    assert not result.ok and result.file_error is None
    assert [(e.row, e.column, e.key) for e in result.errors] == [(3, column, key)]
    assert table_checksums(network) == before


def test_duplicates_inside_the_file_name_the_first_line(network):
    lines = ["outlet_code,metric_code,month,value", "U7,complaints,2026-11,2", "U6,complaints,2026-11,1"]
    content = "\n".join([*lines, "U7,complaints,2026-11,3", ""]).encode()
    result = stage(network, "monthly_kpis", content, "dupes.csv", "steward")
    assert [(e.row, e.key, e.params) for e in result.errors] == [(4, "import_duplicate_in_file", {"first_row": 2})]


def test_the_same_file_twice_is_refused_until_its_batch_is_deleted(network):
    first = stage(network, "monthly_kpis", GOOD_KPIS.encode(), "kpis.csv", "steward")
    again = stage(network, "monthly_kpis", GOOD_KPIS.encode(), "kpis-copy.csv", "steward")
    assert again.file_error.key == "import_same_file_again" and again.file_error.params == {"batch": first.batch_id}
    delete(network, first.batch_id, "steward")
    assert stage(network, "monthly_kpis", GOOD_KPIS.encode(), "kpis.csv", "steward").ok


def test_deleting_a_confirmed_batch_removes_exactly_its_rows(network):
    before = table_checksums(network)
    result = stage(network, "monthly_kpis", GOOD_KPIS.encode(), "kpis.csv", "steward")
    confirm(network, result.batch_id, "steward")
    assert delete(network, result.batch_id, "steward") == 4
    after = table_checksums(network)
    assert after["kpi_monthly"] == before["kpi_monthly"]
    with pytest.raises(BatchError) as refused:
        delete(network, result.batch_id, "steward")
    assert refused.value.key == "import_not_deletable"
    with pytest.raises(BatchError):
        confirm(network, result.batch_id, "steward")


def test_an_import_killed_half_way_leaves_no_partial_batch(network, monkeypatch):
    monkeypatch.setattr("data.importer.reading.CHUNK_ROWS", 2)
    calls = {"n": 0}
    original = pipeline.validate_chunk

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("killed")
        return original(*args, **kwargs)

    monkeypatch.setattr(pipeline, "validate_chunk", failing)
    before = table_checksums(network)
    with pytest.raises(RuntimeError, match="killed"):
        stage(network, "monthly_kpis", GOOD_KPIS.encode(), "kpis.csv", "steward")
    assert table_checksums(network) == before


def test_a_confirm_killed_half_way_keeps_the_batch_staged(network, monkeypatch):
    """Rows already copied and staging rows already deleted when it dies: all rolled back."""
    result = stage(network, "monthly_kpis", GOOD_KPIS.encode(), "kpis.csv", "steward")
    before = table_checksums(network)

    def dying(*args, **kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(pipeline, "write_audit", dying)  # runs after the INSERT ... SELECT and the DELETE
    with pytest.raises(RuntimeError, match="killed"):
        confirm(network, result.batch_id, "steward")
    assert table_checksums(network) == before
    monkeypatch.undo()
    assert confirm(network, result.batch_id, "steward") == 4


IMPORT_TABLES = {"import_batch", *(f"staging_{name}" for name in STAGING_TABLES)}
VALID_LINES = ["U6,complaints,2026-11,1", "U7,customers_new,2026-11,20", "U8,deposits_personal,2026-12,100"]


@st.composite
def malformed_files(draw) -> bytes:
    """A valid file mutated: bytes flipped, cut, inserted, lines shuffled, or plain random bytes."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=400))
    content = bytearray(("outlet_code,metric_code,month,value\n" + "\n".join(VALID_LINES) + "\n").encode())
    for _ in range(draw(st.integers(1, 5))):
        operation = draw(st.sampled_from(["flip", "cut", "insert", "duplicate"]))
        position = draw(st.integers(0, max(len(content) - 1, 0)))
        if operation == "flip" and content:
            content[position] = draw(st.integers(0, 255))
        elif operation == "cut":
            del content[position : position + draw(st.integers(1, 20))]
        elif operation == "insert":
            content[position:position] = draw(
                st.sampled_from([b",", b"\n", b'"', b"=", b"-1", b"\xff", b"\xe4\xb8", b" ", b"0"])
            )
        else:
            content += b"U6,complaints,2026-11,1\n"
    return bytes(content)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=malformed_files())
def test_malformed_files_never_crash_and_never_change_data(shared_network, content):
    """Hundreds of malformed files: each is refused with a message, or staged and then deleted;
    in every case the data tables are byte-for-byte what they were."""
    before = table_checksums(shared_network)
    result = stage(shared_network, "monthly_kpis", content, "fuzz.csv", "steward")
    if result.ok:  # the mutation left a valid file: staging and deleting it leaves the data as it was
        delete(shared_network, result.batch_id, "steward")
        after = table_checksums(shared_network)
        assert {k: v for k, v in after.items() if k not in IMPORT_TABLES} == {
            k: v for k, v in before.items() if k not in IMPORT_TABLES
        }
        return
    if result.file_error is not None:
        assert import_message(result.file_error.key, "en", **result.file_error.params)
    else:
        assert result.errors and all(import_message(e.key, "zh", **e.params) for e in result.errors)
    assert table_checksums(shared_network) == before


def test_command_line_exit_codes(network, tmp_path, capsys):
    url = network.url.render_as_string(hide_password=False)
    good = tmp_path / "good.csv"
    good.write_text(GOOD_KPIS, encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("outlet_code,metric_code,month,value\nU6,complaints,2026-11,x\n", encoding="utf-8")
    assert cli(["monthly_kpis", str(bad), "--database-url", url]) == 1
    assert "bad.csv:2 [value] 'x': Not a number." in capsys.readouterr().err
    assert cli(["monthly_kpis", str(good), "--database-url", url, "--confirm"]) == 0
    output = capsys.readouterr().out
    batch_id = int(output.split()[1])
    assert f"batch {batch_id} confirmed: 4 rows added" in output
    assert cli(["delete", str(batch_id), "--database-url", url]) == 0
    assert cli(["delete", "999", "--database-url", url]) == 1
    with pytest.raises(SystemExit) as usage:
        cli(["no_such_kind", str(good), "--database-url", url])
    assert usage.value.code == 2
    assert cli(["monthly_kpis", str(good), "--database-url", "postgresql://nobody@127.0.0.1:1/x"]) == 2


def test_kinds_name_their_columns_in_both_languages():
    for kind in KINDS.values():
        names = [c.name for c in kind.columns]
        assert len(set(names)) == len(names)
        assert all(c.header_zh for c in kind.columns)
        assert set(kind.key) <= {c.target_column for c in kind.columns}
    with pytest.raises(ValueError, match="unknown import kind"):
        stage(None, "no_such_kind", b"", "x.csv", "steward")


def test_history_lists_the_latest_batch_first(network):
    stage(network, "monthly_kpis", GOOD_KPIS.encode(), "a.csv", "steward")
    stage(network, "monthly_kpis", GOOD_KPIS.replace("1200000.5", "7").encode(), "b.csv", "steward")
    batches = history(network)
    assert batches.file_name.tolist() == ["b.csv", "a.csv"]
    assert batches.status.tolist() == ["staged", "staged"] and batches.uploaded_by.tolist() == ["steward"] * 2


@pytest.fixture
def network_with_products(network):
    """The fixture network plus the demo product shelf (customers C001–C006 are personal)."""
    from data.bulk import bulk_insert
    from data.demo.network import build_products

    with network.begin() as connection:
        bulk_insert(connection, Product.__table__, build_products())
    return network


def test_account_extract_lands_exactly_with_ids(network_with_products):
    content = (
        "月份,网点代码,客户号,产品代码,账号,余额\n"
        "2026-10,U6,C001,DD-P,6222000000000001,58300.25\n"
        "2026-10,U6,C001,TD-P,6222000000000002,100000\n"
        "2026-10,U7,C003,LD-P,6222000000000003,0\n"
    ).encode("gb18030")
    result = stage(network_with_products, "personal_deposits", content, "对私存款.csv", "steward")
    assert result.ok, result.errors
    confirm(network_with_products, result.batch_id, "steward")
    with network_with_products.connect() as connection:
        rows = connection.execute(
            select(
                AccountBalance.extract,
                AccountBalance.month,
                AccountBalance.outlet_id,
                AccountBalance.customer_id,
                Product.code,
                AccountBalance.account_no,
                AccountBalance.balance_rmb,
            )
            .join(Product, Product.id == AccountBalance.product_id)
            .order_by(AccountBalance.account_no)
        ).all()
    october = dt.date(2026, 10, 1)
    assert [tuple(r) for r in rows] == [
        ("personal_deposit", october, 6, 1, "DD-P", "6222000000000001", 58300.25),
        ("personal_deposit", october, 6, 1, "TD-P", "6222000000000002", 100000.0),
        ("personal_deposit", october, 7, 3, "LD-P", "6222000000000003", 0.0),
    ]


@pytest.mark.parametrize(
    "kind, line, column, key",
    [
        ("personal_deposits", "2026-10,U6,C001,ML,62220001,5", "product_code", "import_unknown_code"),  # a loan
        ("personal_deposits", "2026-10,U6,C001,DD-P,62220001,-5", "balance_rmb", "import_below_minimum"),
        ("corporate_deposits", "2026-10,U6,C001,DD-C,62220001,5", "customer_no", "import_unknown_code"),  # personal
        ("personal_loans", "2026-10,U6,C001,ML,62220001,x", "balance_rmb", "import_not_a_number"),
    ],
)
def test_account_extract_refuses_wrong_products_customers_and_balances(network_with_products, kind, line, column, key):
    before = table_checksums(network_with_products)
    content = f"month,outlet_code,customer_no,product_code,account_no,balance_rmb\n{line}\n".encode()
    result = stage(network_with_products, kind, content, "extract.csv", "steward")
    assert [(e.row, e.column, e.key) for e in result.errors] == [(2, column, key)]
    assert table_checksums(network_with_products) == before


@pytest.mark.parametrize("kind_name", list(KINDS))
def test_shipped_templates_match_the_specification(kind_name):
    """data/templates/ is what the validator expects (regenerate: python -m data.importer.templates)."""
    from openpyxl import load_workbook

    from data.importer.templates import TEMPLATE_FOLDER, template_csv

    kind = KINDS[kind_name]
    assert (TEMPLATE_FOLDER / f"{kind_name}.csv").read_bytes() == template_csv(kind)
    workbook = load_workbook(TEMPLATE_FOLDER / f"{kind_name}.xlsx", read_only=True)
    header = next(workbook.worksheets[0].iter_rows(values_only=True))
    assert list(header) == [c.header_zh for c in kind.columns]


@pytest.mark.parametrize("kind_name", ["monthly_kpis", "competitor_outlets"])
def test_filled_in_templates_import_in_both_formats(network, kind_name):
    """The templates' example rows, with codes of the fixture network, stage cleanly from CSV and Excel."""
    from openpyxl import load_workbook

    from data.importer.templates import template_csv, template_xlsx

    kind = KINDS[kind_name]
    fixture_values = {"outlet_code": "U6", "city_code": "150100", "month": "2026-11"}
    values = [fixture_values.get(c.name, c.example) for c in kind.columns]
    header = template_csv(kind).decode("utf-8-sig").splitlines()[0]
    csv_result = stage(network, kind_name, f"{header}\n{','.join(values)}\n".encode(), "filled.csv", "steward")
    assert csv_result.ok, csv_result.errors
    delete(network, csv_result.batch_id, "steward")
    workbook = load_workbook(io.BytesIO(template_xlsx(kind)))
    for cell, value in zip(workbook.worksheets[0][2], values):
        cell.value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    xlsx_result = stage(network, kind_name, buffer.getvalue(), "filled.xlsx", "steward")
    assert xlsx_result.ok, xlsx_result.errors


def test_error_report_keeps_formula_like_values_as_text():
    from openpyxl import load_workbook

    from data.importer.report import error_report_xlsx
    from data.importer.validation import RowError

    attack = "=cmd|' /C calc'!A0"
    content = error_report_xlsx([RowError(3, "outlet_code", "import_formula_text", {}, attack)], "en")
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]] == ["line", "column", "value", "problem"]
    cell = sheet.cell(row=2, column=3)
    assert cell.value == attack and cell.data_type == "s"
    assert sheet.cell(row=2, column=4).value == import_message("import_formula_text", "en")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert not any(b"<f>" in archive.read(name) for name in archive.namelist() if name.endswith(".xml"))


def test_confirm_and_delete_give_the_data_a_new_version(network):
    from data.db import read_dataset_info

    before = read_dataset_info(network)["data_version"]
    result = stage(network, "monthly_kpis", GOOD_KPIS.encode(), "kpis.csv", "steward")
    assert read_dataset_info(network)["data_version"] == before  # staging changes no data
    confirm(network, result.batch_id, "steward")
    confirmed = read_dataset_info(network)["data_version"]
    assert confirmed != before
    delete(network, result.batch_id, "steward")
    assert read_dataset_info(network)["data_version"] not in (before, confirmed)


@pytest.mark.parametrize("username", ["exec", "head6", "nobody"])
def test_only_stewards_and_admins_may_import(network, username):
    before = table_checksums(network)
    with pytest.raises(BatchError) as refused:
        stage(network, "monthly_kpis", GOOD_KPIS.encode(), "kpis.csv", username)
    assert refused.value.key == "import_not_allowed"
    staged = stage(network, "monthly_kpis", GOOD_KPIS.encode(), "kpis.csv", "steward")
    with pytest.raises(BatchError):
        confirm(network, staged.batch_id, username)
    with pytest.raises(BatchError):
        delete(network, staged.batch_id, username)
    delete(network, staged.batch_id, "steward")
    after = table_checksums(network)
    assert after["kpi_monthly"] == before["kpi_monthly"]


def landed(engine, table, batch_id, columns):
    with engine.connect() as connection:
        rows = connection.execute(
            select(*(table.c[c] for c in columns))
            .where(table.c.import_batch_id == batch_id)
            .order_by(*table.primary_key)
        ).all()
    return [tuple(r) for r in rows]


def stage_and_confirm(engine, kind, text_content):
    result = stage(engine, kind, text_content.encode(), f"{kind}.csv", "steward")
    assert result.ok, [(e.row, e.column, e.key) for e in result.errors]
    confirm(engine, result.batch_id, "steward")
    return result.batch_id


def test_customers_land_with_hashed_ids_and_masked_phones(network):
    from data.schema import Customer

    batch = stage_and_confirm(
        network,
        "customers",
        "customer_no,kind,name,id_number,phone,address,home_outlet_code,birth_year,gender,industry,opened_on,"
        "is_key_customer\n"
        "P900,personal,王伟,150102198001011234,138-1234-5678,呼和浩特市新华东街88号,U6,1980,M,,2015-06-01,是\n"
        "C900,corporate,鑫达商贸有限公司,91150100MA0000000X,,,U7,,,trade,2019-01-15,0\n",
    )
    assert landed(network, Customer.__table__, batch, ["address"]) == [("呼和浩特市新华东街88号",), (None,)]
    rows = landed(
        network,
        Customer.__table__,
        batch,
        ["customer_no", "kind", "id_number_hash", "phone_masked", "home_outlet_id", "birth_year", "is_key_customer"],
    )
    digest = hmac.new(DEMO_ID_HASH_KEY.encode(), b"150102198001011234", hashlib.sha256).hexdigest()
    assert rows[0] == ("P900", "personal", digest, "138****5678", 6, 1980, True)  # the fixture is a demo database
    assert landed(network, Customer.__table__, batch, ["id_hash_scheme"]) == [("hmac-sha256:demo",)] * 2
    assert rows[1][0:2] == ("C900", "corporate") and rows[1][3:] == (None, 7, None, False)
    with network.connect() as connection:  # the raw ID number is stored nowhere
        assert "150102198001011234" not in repr(connection.execute(select(Customer.__table__)).all())


def test_targets_demand_grid_and_lobby_hours_land_exactly(network):
    from data.schema import DemandCell, LobbyHourly, LobbyServiceType, Target

    batch = stage_and_confirm(
        network,
        "targets",
        "unit_code,metric_code,period_start,period_end,value\nU1,deposits_total,2026-01-01,2026-12-31,5e9\n"
        "U6,e_channel_rate,2026-01-01,2026-12-31,0.85\n",
    )
    assert landed(network, Target.__table__, batch, ["org_unit_id", "metric_code", "value"]) == [
        (1, "deposits_total", 5e9),
        (6, "e_channel_rate", 0.85),
    ]
    cell = h3.latlng_to_cell(40.84, 111.75, 8)
    lat, lon = h3.cell_to_latlng(cell)
    batch = stage_and_confirm(
        network,
        "demand_grid",
        f"h3_index,city_code,population,households,income_index,businesses\n{cell},150100,2450,900,1.05,31\n",
    )
    assert landed(network, DemandCell.__table__, batch, ["h3_index", "resolution", "lon", "lat", "population"]) == [
        (cell, 8, round(lon, 6), round(lat, 6), 2450.0)
    ]
    batch = stage_and_confirm(
        network,
        "lobby_hourly",
        "outlet_code,day,hour,arrivals,counters_open,mean_service_minutes,mean_wait_minutes\n"
        "U6,2026-10-12,10,38,5,6.5,8.2\nU6,2026-10-12,11,31,5,6.1,4.0\n",
    )
    assert landed(network, LobbyHourly.__table__, batch, ["hour", "arrivals", "mean_wait_minutes"]) == [
        (10, 38, 8.2),
        (11, 31, 4.0),
    ]
    batch = stage_and_confirm(
        network,
        "lobby_service_types",
        "outlet_code,month,business_type,transactions,service_minutes_total\n"
        "U6,2026-10,cash,5230,17259.0\nU6,2026-10,wealth,210,3024.5\n",
    )
    assert landed(network, LobbyServiceType.__table__, batch, ["business_type", "month", "transactions"]) == [
        ("cash", dt.date(2026, 10, 1), 5230),
        ("wealth", dt.date(2026, 10, 1), 210),
    ]


@pytest.mark.parametrize(
    "kind, header, line, column, key",
    [
        (
            "customers",
            "customer_no,kind,name,id_number,home_outlet_code,opened_on,is_key_customer",
            "P1,personal,张三,1501,U6,2020-01-01,maybe",
            "is_key_customer",
            "import_not_a_boolean",
        ),
        (
            "customers",
            "customer_no,kind,name,id_number,phone,home_outlet_code,opened_on",
            "P1,personal,张三,1501,12ab,U6,2020-01-01",
            "phone",
            "import_bad_phone",
        ),
        (
            "customers",
            "customer_no,kind,name,id_number,home_outlet_code,opened_on",
            "P1,retail,张三,1501,U6,2020-01-01",
            "kind",
            "import_bad_choice",
        ),
        (
            "targets",
            "unit_code,metric_code,period_start,period_end,value",
            "U6,deposits_total,2026-12-31,2026-01-01,1",
            "period_end",
            "import_period_reversed",
        ),
        (
            "demand_grid",
            "h3_index,city_code,population,households,income_index,businesses",
            "not-a-cell,150100,1,1,1,1",
            "h3_index",
            "import_bad_h3_cell",
        ),
        (
            "lobby_hourly",
            "outlet_code,day,hour,arrivals,counters_open,mean_service_minutes,mean_wait_minutes",
            "U6,2026-10-12,24,38,5,6.5,8.2",
            "hour",
            "import_above_maximum",
        ),
        (
            "lobby_service_types",
            "outlet_code,month,business_type,transactions,service_minutes_total",
            "U6,2026-10,teleport,5,10",
            "business_type",
            "import_bad_choice",
        ),
        (
            "lobby_service_types",
            "outlet_code,month,business_type,transactions,service_minutes_total",
            "U6,2026-10,cash,-5,10",
            "transactions",
            "import_below_minimum",
        ),
    ],
)
def test_new_kinds_refuse_bad_rows(network, kind, header, line, column, key):
    before = table_checksums(network)
    result = stage(network, kind, f"{header}\n{line}\n".encode(), "bad.csv", "steward")
    assert [(e.row, e.column, e.key) for e in result.errors] == [(2, column, key)]
    assert table_checksums(network) == before


UNITS_FILE = (
    "code,name_zh,name_en,level,parent_code,outlet_type,city_code,lon,lat,floor_area_m2\n"
    "O901,新华分理处,Xinhua Sub-office,outlet,S90,sub_office,150100,111.70,40.82,520\n"  # parent later in the file
    "S90,新华支行,Xinhua Sub-branch,sub_branch,U2,,150100,,,\n"
    "O902,光明社区支行,Guangming Community,outlet,S90,community,150100,111.71,40.83,180\n"
    "O903,人民储蓄所,Renmin Savings,outlet,U4,savings_office,150100,111.72,40.84,260\n"
)


def test_org_units_land_in_the_tree_with_parents_and_paths(network):
    from data.schema import OrgUnit

    batch = stage_and_confirm(network, "org_units", UNITS_FILE)
    with network.connect() as connection:
        units = {
            code: (unit_id, parent_id, path, status)
            for code, unit_id, parent_id, path, status in connection.execute(
                select(OrgUnit.code, OrgUnit.id, OrgUnit.parent_id, OrgUnit.path, OrgUnit.status).where(
                    OrgUnit.import_batch_id == batch
                )
            ).all()
        }
    sub_id = units["S90"][0]
    assert units["S90"][1:] == (2, f"/1/2/{sub_id}/", "open")
    assert units["O901"][1:3] == (sub_id, f"/1/2/{sub_id}/{units['O901'][0]}/")
    assert units["O902"][1:3] == (sub_id, f"/1/2/{sub_id}/{units['O902'][0]}/")
    assert units["O903"][1:3] == (4, f"/1/2/4/{units['O903'][0]}/")
    # The new outlets are part of their city's subtree for every query.
    from data import queries
    from data.scope import scope_for

    with network.connect() as connection:
        scope = scope_for(connection, "exec", "executive", None)
    children = queries.child_units(network, scope, 2)
    assert "S90" in set(children["code"])


@pytest.mark.parametrize(
    "line, column, key",
    [
        ("O950,甲,A,outlet,U6,sub_office,150100,111.7,40.8,100", "parent_code", "import_wrong_parent_level"),
        ("O950,甲,A,outlet,S999,sub_office,150100,111.7,40.8,100", "parent_code", "import_unknown_code"),
        ("O950,甲,A,outlet,U4,,150100,111.7,40.8,100", "outlet_type", "import_required_for_outlets"),
        ("O950,甲,A,outlet,U4,sub_office,150100,,40.8,100", "lon", "import_required_for_outlets"),
        ("R2,乙,B,region,U1,,,,,", "parent_code", "import_region_has_no_parent"),
        ("U6,丙,C,outlet,U4,sub_office,150100,111.7,40.8,100", "", "import_already_in_database"),
    ],
)
def test_org_units_refuse_broken_trees(network, line, column, key):
    header = UNITS_FILE.splitlines()[0]
    before = table_checksums(network)
    result = stage(network, "org_units", f"{header}\n{line}\n".encode(), "units.csv", "steward")
    assert [(e.row, e.column, e.key) for e in result.errors] == [(2, column, key)]
    assert table_checksums(network) == before


def test_a_units_batch_others_refer_to_cannot_be_deleted(network):
    batch = stage_and_confirm(network, "org_units", UNITS_FILE)
    kpis = stage_and_confirm(
        network, "monthly_kpis", "outlet_code,metric_code,month,value\nO901,complaints,2026-11,1\n"
    )
    before = table_checksums(network)
    with pytest.raises(BatchError) as refused:
        delete(network, batch, "steward")
    assert refused.value.key == "import_batch_in_use"
    assert table_checksums(network) == before
    delete(network, kpis, "steward")
    assert delete(network, batch, "steward") == 4


def test_a_whole_new_branch_of_the_tree_can_come_in_one_file(network):
    """A bank's own city branch under the loaded provincial branch (U1): city branch, sub-branch
    and outlets, children before parents, one outlet straight under the city branch (a level
    skipped, as a city branch's business department is)."""
    from data.schema import OrgUnit

    header = UNITS_FILE.splitlines()[0]
    batch = stage_and_confirm(
        network,
        "org_units",
        f"{header}\n"
        "O1,网点,Outlet,outlet,S1,sub_office,150900,113.13,41.03,300\n"
        "O2,营业部,Business department,outlet,C1,sub_office,150900,113.12,41.02,900\n"
        "S1,支行,Sub-branch,sub_branch,C1,,150900,,,\n"
        "C1,分行,City branch,city_branch,U1,,150900,,,\n",
    )
    with network.connect() as connection:
        paths = dict(
            connection.execute(select(OrgUnit.code, OrgUnit.path).where(OrgUnit.import_batch_id == batch)).all()
        )
    city = paths["C1"]
    assert city.count("/") == 3
    assert paths["S1"].startswith(city) and paths["S1"].count("/") == 4
    assert paths["O1"].startswith(paths["S1"]) and paths["O1"].count("/") == 5
    assert paths["O2"].startswith(city) and paths["O2"].count("/") == 4


def test_large_first_batch_rebuilds_indexes_and_foreign_keys_on_postgresql(network, monkeypatch):
    """A batch at least as large as its table goes in with the secondary indexes and foreign keys
    rebuilt afterwards (PostgreSQL); they are all there again, and the rows landed."""
    monkeypatch.setattr(pipeline, "REBUILD_INDEXES_ROWS", 1)

    def catalogue():
        with network.connect() as connection:
            if connection.dialect.name != "postgresql":
                return None
            indexes = connection.execute(
                text(
                    "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'kpi_monthly'"
                )
            ).scalars()
            keys = connection.execute(
                text("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'kpi_monthly'::regclass")
            ).scalars()
            return sorted(indexes), sorted(keys)

    before = catalogue()
    with network.begin() as connection:
        connection.execute(sql_delete(KpiMonthly))
    batch = stage_and_confirm(network, "monthly_kpis", GOOD_KPIS)
    assert catalogue() == before
    with network.connect() as connection:
        landed_rows = connection.execute(
            select(func.count()).select_from(KpiMonthly).where(KpiMonthly.import_batch_id == batch)
        ).scalar()
    assert landed_rows == GOOD_KPIS.count("\n") - 1


# --- Values stored wrong, files that crashed or took minutes, keyed ID hashes ------------------

KPI_HEADER = "outlet_code,metric_code,month,value\n"


def audited_refusals(engine) -> list[dict]:
    with engine.connect() as connection:
        rows = connection.execute(select(AuditLog.detail).where(AuditLog.action == "import_refused")).scalars().all()
    return [row if isinstance(row, dict) else json.loads(row) for row in rows]


def test_a_nul_byte_after_the_first_mib_is_refused_audited_and_changes_nothing(network):
    """It reached PostgreSQL as a DataError with no audit row; now the file is refused up front."""
    good_lines = "".join(f"U6,complaints,2026-11,{n}\n" for n in range(60_000))  # > 1 MiB before the NUL
    content = (KPI_HEADER + good_lines + "U7,complaints,2026-11,1\x00\n").encode()
    assert content.index(b"\x00") > 1 << 20
    before = table_checksums(network)
    result = stage(network, "monthly_kpis", content, "nul.csv", "steward")
    assert result.file_error.key == "import_nul_byte" and result.file_error.params == {"line": 60_002}
    assert table_checksums(network) == before
    assert audited_refusals(network)[-1]["error"] == "import_nul_byte"


@pytest.mark.parametrize(
    "value, stored",
    [("1,234,567.89", 1234567.89), ("58300.25", 58300.25), ("-1,500", -1500.0), ("1e3", 1000.0), ("999", 999.0)],
)
def test_thousands_separators_are_read_only_in_their_places(network, value, stored):
    result = stage(
        network, "monthly_kpis", f'{KPI_HEADER}U6,net_interest_income,2026-11,"{value}"\n'.encode(), "n.csv", "steward"
    )
    assert result.ok, result.errors
    assert preview(network, result.batch_id).value.tolist() == [stored]


@pytest.mark.parametrize(
    "text, key, params",
    [
        ("bank_code,name\nX,M\xfcller\n".encode("latin-1"), "import_latin1_as_gbk", {"line": 2, "text": "M黮ler"}),
        (
            "bank_code,name\nX,Ren\xe9e Bank\n".encode("latin-1"),
            "import_latin1_as_gbk",
            {"line": 2, "text": "Ren閑 Bank"},
        ),
        ("bank_code,name\nX,a\ue000b\n".encode(), "import_bad_character", {"line": 2, "code": "U+E000"}),
        ("bank_code,name\nX,\u8c48\n\nY,\uf900\n".encode(), "import_bad_character", {"line": 4, "code": "U+F900"}),
        (b"bank_code,name\nX,bell\x07\n", "import_bad_character", {"line": 2, "code": "U+0007"}),
        ("bank_code,name\nX,\u0378\n".encode(), "import_bad_character", {"line": 2, "code": "U+0378"}),  # unassigned
        ("bank_code,name\nX,工行\ue5e5\n".encode("gb18030"), "import_bad_character", {"line": 2, "code": "U+E5E5"}),
    ],
)
def test_text_a_bank_extract_cannot_hold_is_refused_with_its_line(text, key, params):
    from data.importer.reading import ImportFileError, prepare

    with pytest.raises(ImportFileError) as refused:
        prepare(text)
    assert (refused.value.key, refused.value.params) == (key, params)
    assert import_message(key, "zh", **params) and import_message(key, "en", **params)


@pytest.mark.parametrize(
    "text",
    [
        "name\n朱镕基,中国工商银行\n",  # rare characters (镕 is GBK's E9 46) away from Latin letters
        "name\nICBC新华支行,A座3楼\n",
        "name\nMüller,José\n",
    ],
)
def test_real_gbk_and_utf8_text_is_accepted(text):
    from data.importer.reading import prepare

    encodings = ("gb18030", "utf-8", "utf-8-sig") if "ü" not in text else ("utf-8", "utf-8-sig")
    for encoding in encodings:
        file_format, content = prepare(text.encode(encoding))
        assert file_format.kind == "csv" and content.decode(file_format.encoding) == text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_files_with_a_byte_order_mark_are_read(network, encoding):
    text = "网点代码,指标代码,月份,数值\nU6,customers_new,2026-11,12\n"
    content = text.encode(encoding) if encoding == "utf-16" else "\ufeff".encode(encoding) + text.encode(encoding)
    result = stage(network, "monthly_kpis", content, "utf16.csv", "steward")
    assert result.ok, (result.file_error, result.errors)
    assert preview(network, result.batch_id).value.tolist() == [12.0]


def test_ten_thousand_unknown_columns_are_summarised():
    from data.importer.reading import ImportFileError, header_map

    with pytest.raises(ImportFileError) as refused:
        header_map(
            KINDS["monthly_kpis"], ["outlet_code", "metric_code", "month", "value"] + [f"x{n}" for n in range(10_000)]
        )
    message = import_message(refused.value.key, "en", **refused.value.params)
    assert message == "The file has 10000 columns this kind does not know: x0, x1, x2, x3, x4 and 9995 more."
    assert len(import_message(refused.value.key, "zh", **refused.value.params)) < 200


@pytest.mark.parametrize(
    "header, column, first",
    [("account_no,month,account_no", "account_no", "account_no"), ("账号,month,account_no", "account_no", "账号")],
)
def test_a_duplicate_header_is_named_as_such(network_with_products, header, column, first):
    content = f"outlet_code,customer_no,product_code,balance_rmb,{header}\nU6,C001,DD-P,1,62220001,2026-10,62220001\n"
    result = stage(network_with_products, "personal_deposits", content.encode(), "dup.csv", "steward")
    assert result.file_error.key == "import_duplicate_column"
    assert result.file_error.params == {"column": column, "first": first}
    assert import_message("import_duplicate_column", "en", **result.file_error.params).startswith(
        "Duplicate column account_no"
    )


@pytest.mark.parametrize("bad_line, line", [(2, 2), (3, 3)])
def test_a_row_with_extra_fields_names_its_field_count(network, bad_line, line):
    rows = ["U6,complaints,2026-11,1", "U7,complaints,2026-11,2"]
    rows[bad_line - 2] += ",oops"
    result = stage(network, "monthly_kpis", (KPI_HEADER + "\n".join(rows) + "\n").encode(), "x.csv", "steward")
    assert result.file_error.key == "import_wrong_field_count"
    assert result.file_error.params == {"line": line, "fields": 5, "header": 4}
    assert "Line 3 has 5 fields, the header has 4" in import_message(
        "import_wrong_field_count", "en", line=3, fields=5, header=4
    )


def test_an_excel_row_with_cells_beyond_the_header_is_refused(network):
    content = xlsx_bytes([["outlet_code", "metric_code", "month", "value"], ["U6", "complaints", "2026-11", 1, "x"]])
    result = stage(network, "monthly_kpis", content, "x.xlsx", "steward")
    assert result.file_error.key == "import_wrong_field_count"
    assert result.file_error.params == {"line": 2, "fields": 5, "header": 4}


def xlsx_with_shared_strings(count: int, declare: bool) -> bytes:
    """A workbook whose shared-strings part holds ``count`` strings (declared in the count
    attribute or not): highly compressible, like the 414 KB file with 10 M strings."""
    workbook = xlsx_bytes([["outlet_code", "metric_code", "month", "value"], ["U6", "complaints", "2026-11", 1]])
    source = zipfile.ZipFile(io.BytesIO(workbook))
    attributes = f' count="{count}" uniqueCount="{count}"' if declare else ""
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        f"{attributes}>" + "<si><t>a</t></si>" * count + "</sst>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        target.writestr("xl/sharedStrings.xml", strings)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "limit, value, content_of, key",
    [
        (
            "xlsx_max_shared_strings",
            "1000",
            lambda: xlsx_with_shared_strings(5_000, declare=True),
            "import_xlsx_too_many_strings",
        ),
        (
            "xlsx_max_shared_strings",
            "1000",
            lambda: xlsx_with_shared_strings(5_000, declare=False),
            "import_xlsx_too_many_strings",
        ),
        ("xlsx_max_uncompressed_mib", "0", lambda: xlsx_bytes([["outlet_code"], ["U6"]]), "import_xlsx_too_big"),
        ("xlsx_max_rows", "3", lambda: xlsx_bytes([["outlet_code"]] + [["U6"]] * 5), "import_xlsx_too_large_sheet"),
        ("xlsx_max_columns", "3", lambda: xlsx_bytes([["a", "b", "c", "d", "e"]]), "import_xlsx_too_large_sheet"),
    ],
)
def test_excel_files_over_a_limit_are_refused_before_parsing(network, monkeypatch, limit, value, content_of, key):
    import data.importer.reading as reading

    def must_not_parse(*args, **kwargs):
        raise AssertionError("openpyxl must not see a file over the limits")

    monkeypatch.setattr(reading, "load_workbook", must_not_parse)
    monkeypatch.setenv(f"BRANCHSCOPE_{limit.upper()}", value)
    result = stage(network, "monthly_kpis", content_of(), "big.xlsx", "steward")
    assert result.file_error is not None and result.file_error.key == key
    assert import_message(key, "en", **result.file_error.params)
    assert audited_refusals(network)[-1]["error"] == key


def test_the_ten_million_strings_workbook_is_refused_at_once(network):
    import time

    content = xlsx_with_shared_strings(10_000_000, declare=True)
    assert len(content) < 1_000_000
    started = time.perf_counter()
    result = stage(network, "monthly_kpis", content, "bomb.xlsx", "steward")
    assert result.file_error.key == "import_xlsx_too_many_strings"
    assert result.file_error.params["count"] == "10,000,000"
    assert time.perf_counter() - started < 5  # was 4 minutes and 1.1 GB


@pytest.mark.parametrize(
    "kind, header, line, column, key, value, params",
    [
        (
            "lobby_hourly",
            LOBBY := "outlet_code,day,hour,arrivals,counters_open,mean_service_minutes,mean_wait_minutes",
            "U6,2019/04/01,10,38,5,6.5,8.2",
            "day",
            "import_bad_date",
            "2019/04/01",
            {},
        ),
        ("lobby_hourly", LOBBY, "U6,2019-4-1,10,38,5,6.5,8.2", "day", "import_bad_date", "2019-4-1", {}),
        ("lobby_hourly", LOBBY, "U6,2019-02-30,10,38,5,6.5,8.2", "day", "import_no_such_date", "2019-02-30", {}),
        (
            "competitor_outlets",
            "bank_code,bank_name_zh,bank_name_en,name,city_code,lon,lat,opened_on,closed_on",
            "ICBC,工行,ICBC,新华支行,150100,111.7,40.8,2015-03-02,2014-01-01",
            "closed_on",
            "import_closed_before_opened",
            "2014-01-01",
            {"opened": "2015-03-02"},
        ),
        (
            "targets",
            "unit_code,metric_code,period_start,period_end,value",
            "U6,deposits_total,2026-12-31,2026-01-01,1",
            "period_end",
            "import_period_reversed",
            "2026-01-01",
            {"start": "2026-12-31"},
        ),
        (
            "inspections",
            "outlet_code,inspected_on,kind,item,score,max_score,note",
            "U6,2026-10-15,six_s,shine,10,16,-1+1+cmd|' /C calc'!A0",
            "note",
            "import_formula_text",
            "-1+1+cmd|' /C calc'!A0",
            {},
        ),
    ],
)
def test_dates_are_strict_and_errors_show_the_values(network, kind, header, line, column, key, value, params):
    result = stage(network, kind, f"{header}\n{line}\n".encode(), "bad.csv", "steward")
    assert [(e.row, e.column, e.key, e.value, e.params) for e in result.errors] == [(2, column, key, value, params)]
    assert import_message(key, "en", **params)


def test_errors_name_the_columns_as_the_file_wrote_them(network):
    content = "网点代码,指标代码,月份,数值\nU6,complaints,2026-11,lots\n".encode()
    result = stage(network, "monthly_kpis", content, "中文.csv", "steward")
    (error,) = result.errors
    assert error.column == "value" and result.column_label(error.column) == "数值"
    english = stage(network, "monthly_kpis", content.decode().replace("数值", "VALUE").encode(), "en.csv", "steward")
    assert english.column_label("value") == "VALUE"


CUSTOMER_FILE = (
    "customer_no,kind,name,id_number,home_outlet_code,opened_on\nP901,personal,王伟,150102198001011234,U6,2015-06-01\n"
)


def test_id_numbers_need_a_key_outside_the_demo(network, monkeypatch):
    from data.schema import Customer, DatasetInfo

    monkeypatch.delenv("BRANCHSCOPE_ID_HASH_KEY", raising=False)
    with network.begin() as connection:
        connection.execute(DatasetInfo.__table__.update().where(DatasetInfo.key == "synthetic").values(value="false"))
    before = table_checksums(network)
    refused = stage(network, "customers", CUSTOMER_FILE.encode(), "c.csv", "steward")
    assert refused.file_error.key == "import_no_id_hash_key"
    assert table_checksums(network) == before and audited_refusals(network)[-1]["error"] == "import_no_id_hash_key"
    monkeypatch.setenv("BRANCHSCOPE_ID_HASH_KEY", "short")
    assert stage(network, "customers", CUSTOMER_FILE.encode(), "c.csv", "steward").file_error.key == (
        "import_id_hash_key_too_short"
    )
    key = "a bank's own secret key, 32 chars"
    monkeypatch.setenv("BRANCHSCOPE_ID_HASH_KEY", key)
    batch = stage_and_confirm(network, "customers", CUSTOMER_FILE)
    ((digest, scheme),) = landed(network, Customer.__table__, batch, ["id_number_hash", "id_hash_scheme"])
    assert digest == hmac.new(key.encode(), b"150102198001011234", hashlib.sha256).hexdigest()
    assert digest != hashlib.sha256(b"150102198001011234").hexdigest()
    assert scheme.startswith("hmac-sha256:") and scheme != "hmac-sha256:demo" and key not in scheme
    assert stage(network, "monthly_kpis", GOOD_KPIS.encode(), "kpis.csv", "steward").ok  # other kinds need no key


@pytest.mark.parametrize("kind_name", list(KINDS))
def test_template_column_sheet_is_in_chinese_and_describes_every_column(kind_name):
    from openpyxl import load_workbook

    from data.importer.templates import NOTES_HEADERS, TEMPLATE_FOLDER

    notes = load_workbook(TEMPLATE_FOLDER / f"{kind_name}.xlsx", read_only=True)["列说明"]
    header, *rows = list(notes.iter_rows(values_only=True))
    assert list(header) == NOTES_HEADERS["zh"]
    assert [row[0] for row in rows] == [c.header_zh for c in KINDS[kind_name].columns]
    assert all(row[5] and row[5].strip() for row in rows)  # 说明 filled for every column
    assert all(c.description_en for c in KINDS[kind_name].columns)

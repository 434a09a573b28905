"""Import kinds ``products`` (product catalogue) and ``staff`` (HR extract) on SQLite and PostgreSQL:
good files land exactly, every bad row gets its row-level error in both languages and changes
nothing, batches others refer to cannot be deleted, and the app reads the HR facts (leavers and
relationship managers) with known answers."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select, update

from config.import_texts import IMPORT_TEXTS, import_message
from data import queries_action_lists, queries_customer_360, queries_registry
from data.importer import BatchError, confirm, delete, stage
from data.importer.__main__ import main as cli
from data.importer.spec import KINDS
from data.registry import RegistryError, close_outlet
from data.schema import BalanceMonthly, Customer, Holding, Product, Staff
from data.scope import scope_for
from tests.test_importer import IMPORT_TABLES, table_checksums

PRODUCT_HEADER = "code,family,segment,name_zh,name_en,annual_margin_rate"
GOOD_PRODUCTS = (
    "产品代码,产品大类,客户类别,产品中文名称,产品英文名称,年化利差率\n"
    "DD-P,demand_deposit,personal,个人活期存款,Personal demand deposit,0.018\n"
    "ML,personal_loan,personal,个人住房贷款,,0.012\n"
    "MB,e_banking,both,手机银行,Mobile banking,0\n"
    "SUB,time_deposit,corporate,补贴定期,Subsidised deposit,-0.002\n"
)
STAFF_HEADER = "employee_no,name,outlet_code,role,is_relationship_manager,hired_on,left_on"
GOOD_STAFF = (
    "员工号,姓名,所属网点代码,岗位,是否客户经理,入职日期,离职日期\n"
    "E001,李娜,U6,relationship_manager,是,2018-07-01,\n"
    "E002,王强,U6,teller,否,2015-03-16,2020-12-31\n"
    "E003,张敏,U8,客户经理,1,2021-01-04,2021-01-04\n"
    "E004,赵磊,U9,大堂经理,no,2010-09-01,\n"
)


def imported(engine, table, columns: list[str]) -> list[tuple]:
    """The imported rows of ``table`` (``columns``), ordered by id."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(*(table.c[c] for c in columns)).where(table.c.import_batch_id.is_not(None)).order_by(table.c.id)
        ).all()
    return [tuple(row) for row in rows]


def stage_and_confirm(engine, kind: str, content: str) -> int:
    result = stage(engine, kind, content.encode("utf-8"), f"{kind}.csv", "steward")
    assert result.ok, result.errors
    confirm(engine, result.batch_id, "steward")
    return result.batch_id


# --------------------------------------------------------------------------- good files land exactly


def test_products_land_exactly_with_ids_and_values(network):
    result = stage(network, "products", GOOD_PRODUCTS.encode("gb18030"), "产品目录.csv", "steward")
    assert result.ok and result.rows == 4, result.errors
    assert confirm(network, result.batch_id, "steward") == 4
    columns = ["id", "code", "family", "segment", "name_zh", "name_en", "annual_margin_rate", "import_batch_id"]
    batch = result.batch_id
    assert imported(network, Product.__table__, columns) == [
        (1, "DD-P", "demand_deposit", "personal", "个人活期存款", "Personal demand deposit", 0.018, batch),
        (
            2,
            "ML",
            "personal_loan",
            "personal",
            "个人住房贷款",
            "个人住房贷款",
            0.012,
            batch,
        ),  # English name from Chinese
        (3, "MB", "e_banking", "both", "手机银行", "Mobile banking", 0.0, batch),
        (4, "SUB", "time_deposit", "corporate", "补贴定期", "Subsidised deposit", -0.002, batch),
    ]


def test_staff_land_exactly_with_ids_and_values(network):
    result = stage(network, "staff", GOOD_STAFF.encode("utf-8"), "花名册.csv", "steward")
    assert result.ok and result.rows == 4, result.errors
    assert confirm(network, result.batch_id, "steward") == 4
    columns = [
        "id",
        "employee_no",
        "name",
        "outlet_id",
        "role",
        "is_relationship_manager",
        "hired_on",
        "left_on",
        "import_batch_id",
    ]
    batch = result.batch_id
    assert imported(network, Staff.__table__, columns) == [
        (1, "E001", "李娜", 6, "relationship_manager", True, dt.date(2018, 7, 1), None, batch),
        (2, "E002", "王强", 6, "teller", False, dt.date(2015, 3, 16), dt.date(2020, 12, 31), batch),
        (3, "E003", "张敏", 8, "客户经理", True, dt.date(2021, 1, 4), dt.date(2021, 1, 4), batch),  # one day's work
        (4, "E004", "赵磊", 9, "大堂经理", False, dt.date(2010, 9, 1), None, batch),  # a closed outlet's staff
    ]


@pytest.mark.parametrize("kind_name", ["products", "staff"])
def test_filled_in_templates_import_in_both_formats(network, kind_name):
    """The shipped templates' example rows, with the fixture network's outlet, stage from CSV and Excel."""
    from openpyxl import load_workbook

    from data.importer.templates import TEMPLATE_FOLDER, template_csv, template_xlsx

    kind = KINDS[kind_name]
    assert (TEMPLATE_FOLDER / f"{kind_name}.csv").read_bytes() == template_csv(kind)
    values = ["U6" if c.name == "outlet_code" else c.example for c in kind.columns]
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


def test_every_column_is_described_in_both_languages():
    for name in ("products", "staff"):
        for column in KINDS[name].columns:
            assert column.description_zh.strip() and column.description_en.strip(), (name, column.name)


# --------------------------------------------------------------------------- bad rows

BAD_PRODUCT_ROWS = {
    "unknown family": ("XX,savings,personal,储蓄,Savings,0.01", "family", "import_bad_choice"),
    "unknown segment": ("XX,wealth,private,理财,Wealth,0.01", "segment", "import_bad_choice"),
    "margin typed as percent": ("XX,wealth,personal,理财,Wealth,1.2", "annual_margin_rate", "import_above_maximum"),
    "margin too negative": ("XX,wealth,personal,理财,Wealth,-0.2", "annual_margin_rate", "import_below_minimum"),
    "margin not a number": ("XX,wealth,personal,理财,Wealth,1.2%", "annual_margin_rate", "import_not_a_number"),
    "margin missing": ("XX,wealth,personal,理财,Wealth,", "annual_margin_rate", "import_required"),
    "code missing": (",wealth,personal,理财,Wealth,0.01", "code", "import_required"),
    "code too long": ("X" * 33 + ",wealth,personal,理财,Wealth,0.01", "code", "import_too_long"),
    "Chinese name missing": ("XX,wealth,personal,,Wealth,0.01", "name_zh", "import_required"),
    "formula in a name": ("XX,wealth,personal,=HYPERLINK(1),Wealth,0.01", "name_zh", "import_formula_text"),
    "personal loan for companies": (
        "XX,personal_loan,corporate,贷款,Loan,0.01",
        "segment",
        "import_product_family_segment",
    ),
    "personal loan for both": ("XX,personal_loan,both,贷款,Loan,0.01", "segment", "import_product_family_segment"),
    "corporate loan for people": (
        "XX,corporate_loan,personal,贷款,Loan,0.01",
        "segment",
        "import_product_family_segment",
    ),
}


@pytest.mark.parametrize("case", list(BAD_PRODUCT_ROWS))
def test_bad_product_rows_get_a_row_level_error_and_change_nothing(network, case):
    line, column, key = BAD_PRODUCT_ROWS[case]
    content = f"{PRODUCT_HEADER}\nOK,wealth,personal,理财,Wealth,0.005\n{line}\n".encode()
    before = table_checksums(network)
    result = stage(network, "products", content, "bad.csv", "steward")
    assert not result.ok and result.file_error is None
    assert [(e.row, e.column, e.key) for e in result.errors] == [(3, column, key)]
    for lang in ("zh", "en"):
        assert import_message(key, lang, **result.errors[0].params)
    assert table_checksums(network) == before


FUTURE = (dt.date.today() + dt.timedelta(days=30)).isoformat()
BAD_STAFF_ROWS = {
    "unknown outlet": ("E9,甲,U99,teller,0,2020-01-01,", "outlet_code", "import_unknown_code"),
    "not an outlet": ("E9,甲,U4,teller,0,2020-01-01,", "outlet_code", "import_unknown_code"),
    "flag not yes or no": ("E9,甲,U6,teller,maybe,2020-01-01,", "is_relationship_manager", "import_not_a_boolean"),
    "flag missing": ("E9,甲,U6,teller,,2020-01-01,", "is_relationship_manager", "import_required"),
    "left before hired": ("E9,甲,U6,teller,0,2020-01-01,2019-12-31", "left_on", "import_staff_left_before_hired"),
    "hired in the future": (f"E9,甲,U6,teller,0,{FUTURE},", "hired_on", "import_staff_hired_out_of_range"),
    "hired before 1950": ("E9,甲,U6,teller,0,1949-12-31,", "hired_on", "import_staff_hired_out_of_range"),
    "hire date missing": ("E9,甲,U6,teller,0,,", "hired_on", "import_required"),
    "slashed date": ("E9,甲,U6,teller,0,2020/01/01,", "hired_on", "import_bad_date"),
    "no such day": ("E9,甲,U6,teller,0,2020-01-01,2023-02-29", "left_on", "import_no_such_date"),
    "name missing": ("E9,,U6,teller,0,2020-01-01,", "name", "import_required"),
    "role missing": ("E9,甲,U6,,0,2020-01-01,", "role", "import_required"),
    "role too long": ("E9,甲,U6," + "r" * 33 + ",0,2020-01-01,", "role", "import_too_long"),
    "employee number missing": (",甲,U6,teller,0,2020-01-01,", "employee_no", "import_required"),
    "formula in a name": ("E9,@SUM(A1),U6,teller,0,2020-01-01,", "name", "import_formula_text"),
    "manager role without the flag": (
        "E9,甲,U6,relationship_manager,否,2020-01-01,",
        "is_relationship_manager",
        "import_staff_manager_role_unflagged",
    ),
}


@pytest.mark.parametrize("case", list(BAD_STAFF_ROWS))
def test_bad_staff_rows_get_a_row_level_error_and_change_nothing(network, case):
    line, column, key = BAD_STAFF_ROWS[case]
    content = f"{STAFF_HEADER}\nE8,乙,U7,teller,0,2019-05-06,\n{line}\n".encode()
    before = table_checksums(network)
    result = stage(network, "staff", content, "bad.csv", "steward")
    assert not result.ok and result.file_error is None
    assert [(e.row, e.column, e.key) for e in result.errors] == [(3, column, key)]
    for lang in ("zh", "en"):
        assert import_message(key, lang, **result.errors[0].params)
    assert table_checksums(network) == before


def test_row_messages_name_the_rule_in_both_languages():
    assert (
        import_message("import_staff_left_before_hired", "zh", hired="2020-01-01")
        == "离职日期早于入职日期（2020-01-01）。"
    )
    assert (
        import_message("import_staff_left_before_hired", "en", hired="2020-01-01")
        == "Left before being hired (2020-01-01)."
    )
    message = import_message("import_product_family_segment", "en", family="personal_loan", segment="personal")
    assert message.startswith("A personal_loan product must have the segment personal")
    for key in (
        "import_product_family_segment",
        "import_staff_hired_out_of_range",
        "import_staff_manager_role_unflagged",
    ):
        assert IMPORT_TEXTS[key]["zh"] and IMPORT_TEXTS[key]["en"]


@pytest.mark.parametrize(
    "kind, header, first, repeat",
    [
        ("products", PRODUCT_HEADER, "WM,wealth,personal,理财,Wealth,0.005", "WM,fund,personal,基金,Fund,0.008"),
        ("staff", STAFF_HEADER, "E1,甲,U6,teller,0,2020-01-01,", "E1,乙,U7,teller,0,2021-01-01,"),
    ],
)
def test_keys_repeated_in_the_file_or_already_loaded_are_refused(network, kind, header, first, repeat):
    other = "CC,card,personal,信用卡,Credit card,0.02" if kind == "products" else "E2,丙,U8,teller,0,2019-01-01,"
    before = table_checksums(network)
    twice = stage(network, kind, f"{header}\n{first}\n{other}\n{repeat}\n".encode(), "twice.csv", "steward")
    assert [(e.row, e.key, e.params) for e in twice.errors] == [(4, "import_duplicate_in_file", {"first_row": 2})]
    assert table_checksums(network) == before
    stage_and_confirm(network, kind, f"{header}\n{first}\n")
    loaded = table_checksums(network)
    again = stage(network, kind, f"{header}\n{other}\n{repeat}\n".encode(), "again.csv", "steward")
    assert [(e.row, e.column, e.key) for e in again.errors] == [(3, "", "import_already_in_database")]
    assert table_checksums(network) == loaded


# --------------------------------------------------------------------------- delete, command line


def test_a_product_batch_that_holdings_refer_to_cannot_be_deleted(network):
    batch = stage_and_confirm(network, "products", GOOD_PRODUCTS)
    with network.begin() as connection:
        product_id = connection.execute(select(Product.id).where(Product.code == "DD-P")).scalar_one()
        connection.execute(
            insert(Holding).values(
                customer_id=1, product_id=product_id, balance_rmb=500.0, opened_on=dt.date(2024, 1, 2)
            )
        )
    before = table_checksums(network)
    with pytest.raises(BatchError) as refused:
        delete(network, batch, "steward")
    assert refused.value.key == "import_batch_in_use" and refused.value.params == {"batch": batch}
    assert import_message("import_batch_in_use", "zh", batch=batch)
    assert table_checksums(network) == before
    with network.begin() as connection:
        connection.execute(Holding.__table__.delete())
    assert delete(network, batch, "steward") == 4


def test_a_staff_batch_that_customers_refer_to_cannot_be_deleted(network):
    batch = stage_and_confirm(network, "staff", GOOD_STAFF)
    with network.begin() as connection:
        staff_id = connection.execute(select(Staff.id).where(Staff.employee_no == "E001")).scalar_one()
        connection.execute(update(Customer).where(Customer.id == 2).values(relationship_manager_id=staff_id))
    before = table_checksums(network)
    with pytest.raises(BatchError) as refused:
        delete(network, batch, "steward")
    assert refused.value.key == "import_batch_in_use"
    assert table_checksums(network) == before
    with network.begin() as connection:
        connection.execute(update(Customer).values(relationship_manager_id=None))
    assert delete(network, batch, "steward") == 4


def test_command_line_loads_products_then_staff(network, tmp_path, capsys):
    url = network.url.render_as_string(hide_password=False)
    products = tmp_path / "products.csv"
    products.write_text(GOOD_PRODUCTS, encoding="utf-8")
    staff = tmp_path / "staff.csv"
    staff.write_text(GOOD_STAFF, encoding="utf-8")
    bad = tmp_path / "bad_staff.csv"
    bad.write_text(f"{STAFF_HEADER}\nE9,甲,U6,teller,0,2020-01-01,2019-12-31\n", encoding="utf-8")
    assert cli(["products", str(products), "--database-url", url, "--confirm"]) == 0
    assert "confirmed: 4 rows added" in capsys.readouterr().out
    before = table_checksums(network)
    assert cli(["staff", str(bad), "--database-url", url, "--lang", "zh"]) == 1
    error = capsys.readouterr().err
    assert "bad_staff.csv:2 [left_on] '2019-12-31': 离职日期早于入职日期（2020-01-01）。" in error
    assert table_checksums(network) == before
    assert cli(["staff", str(staff), "--database-url", url, "--confirm"]) == 0
    assert "confirmed: 4 rows added" in capsys.readouterr().out
    assert [row[0] for row in imported(network, Staff.__table__, ["employee_no"])] == ["E001", "E002", "E003", "E004"]
    assert len(imported(network, Product.__table__, ["code"])) == 4


# --------------------------------------------------------------------------- fuzz

VALID_LINES = {
    "products": (PRODUCT_HEADER, ["WM,wealth,personal,理财,Wealth,0.005", "CC,card,personal,信用卡,,0.02"]),
    "staff": (STAFF_HEADER, ["E1,甲,U6,teller,0,2020-01-01,", "E2,乙,U7,relationship_manager,1,2019-01-01,2026-01-31"]),
}


@st.composite
def malformed_files(draw) -> tuple[str, bytes]:
    """A kind and a valid file of it mutated: bytes flipped, cut, inserted, rows repeated, or random bytes."""
    kind = draw(st.sampled_from(sorted(VALID_LINES)))
    if draw(st.integers(0, 4)) == 0:
        return kind, draw(st.binary(max_size=300))
    header, lines = VALID_LINES[kind]
    content = bytearray(("\n".join([header, *lines]) + "\n").encode())
    for _ in range(draw(st.integers(1, 5))):
        operation = draw(st.sampled_from(["flip", "cut", "insert", "duplicate"]))
        position = draw(st.integers(0, max(len(content) - 1, 0)))
        if operation == "flip" and content:
            content[position] = draw(st.integers(0, 255))
        elif operation == "cut":
            del content[position : position + draw(st.integers(1, 12))]
        elif operation == "insert":
            content[position:position] = draw(
                st.sampled_from([b",", b"\n", b'"', b"=", b"-", b"9", b"\xff", b"\xe4\xb8", b" ", b"0", b"2099-"])
            )
        else:
            content += (lines[0] + "\n").encode()
    return kind, bytes(content)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=malformed_files())
def test_malformed_product_and_staff_files_never_crash_and_never_change_data(shared_network, case):
    """Each mutated file is refused with messages in both languages, or staged and deleted; the data
    tables are byte for byte what they were."""
    kind, content = case
    before = table_checksums(shared_network)
    result = stage(shared_network, kind, content, "fuzz.csv", "steward")
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
        assert result.errors
        for error in result.errors:
            assert import_message(error.key, "zh", **error.params) and import_message(error.key, "en", **error.params)
    assert table_checksums(shared_network) == before


# --------------------------------------------------------------------------- the app reads the HR facts


def scope(engine, username, role, unit=None):
    with engine.connect() as connection:
        return scope_for(connection, username, role, unit)


HR_EXTRACT = (
    f"{STAFF_HEADER}\n"
    "E1,在岗柜员,U6,teller,0,2015-01-01,\n"
    "E2,离职柜员,U6,teller,0,2015-01-01,2020-06-30\n"  # left: not counted
    f"E3,将离职客户经理,U6,客户经理,1,2016-01-01,{FUTURE}\n"  # leaves next month: still counted
    "E4,离职客户经理,U6,relationship_manager,1,2016-01-01,2021-03-31\n"  # left: not counted, not shown
    "E5,转岗柜员,U7,teller,0,2017-01-01,\n"  # employed, but not a relationship manager
    "E6,在岗柜员乙,U8,teller,0,2017-01-01,\n"
)


@pytest.fixture
def hr_network(network):
    """The fixture network with the HR extract above, one employee written before the flag existed
    (E7: a relationship manager by role, flag unset), and customers 1–4 assigned to E3, E4, E5 and E7."""
    stage_and_confirm(network, "staff", HR_EXTRACT)
    with network.begin() as connection:
        connection.execute(
            insert(Staff).values(employee_no="E7", name="老客户经理", outlet_id=7, role="relationship_manager")
        )
        ids = dict(connection.execute(select(Staff.employee_no, Staff.id)).all())
        for customer_id, employee_no in ((1, "E3"), (2, "E4"), (3, "E5"), (4, "E7")):
            connection.execute(
                update(Customer).where(Customer.id == customer_id).values(relationship_manager_id=ids[employee_no])
            )
    return network


def test_staff_who_left_are_not_counted_on_the_outlet_record(hr_network):
    executive = scope(hr_network, "exec", "executive")
    record = queries_registry.outlet_record(hr_network, executive, 6)
    assert record["staff_by_role"] == {"teller": 1, "客户经理": 1}  # E2 and E4 have left
    assert queries_registry.outlet_record(hr_network, executive, 7)["staff_by_role"] == {
        "teller": 1,
        "relationship_manager": 1,
    }


def test_only_current_flagged_managers_are_shown_as_relationship_managers(hr_network):
    head = scope(hr_network, "head6", "branch_head", 6)
    assert queries_customer_360.care_customer_profile(hr_network, head, 6, 1)["manager_name"] == "将离职客户经理"
    assert queries_customer_360.care_customer_profile(hr_network, head, 6, 2)["manager_name"] is None  # E4 left in 2021
    inputs = queries_action_lists.care_action_inputs(hr_network, scope(hr_network, "headA1", "branch_head", 4), 4, 3)
    managers = inputs.set_index("customer_no")["manager_name"]
    assert managers["C001"] == "将离职客户经理"
    assert pd.isna(managers["C002"])  # left
    assert pd.isna(managers["C003"])  # E5 is a teller, not flagged
    assert managers["C004"] == "老客户经理"  # by role: a row from before the flag


def test_an_outlet_whose_staff_all_left_closes_without_a_receiver(hr_network):
    with hr_network.begin() as connection:
        connection.execute(BalanceMonthly.__table__.delete().where(BalanceMonthly.customer_id.in_((5, 6))))
        connection.execute(Customer.__table__.delete().where(Customer.id.in_((5, 6))))
        connection.execute(update(Staff).where(Staff.employee_no == "E6").values(left_on=dt.date(2026, 10, 31)))
    with pytest.raises(RegistryError) as refused:  # E6 works until 31 October: needs a receiver on that day
        close_outlet(hr_network, "exec", 8, dt.date(2026, 10, 31), today=dt.date(2026, 11, 23))
    assert refused.value.problems[0][1] == "reg_err_receiver_required"
    counts = close_outlet(hr_network, "exec", 8, dt.date(2026, 11, 1), today=dt.date(2026, 11, 23))
    assert counts == {"customers": 0, "staff": 0}

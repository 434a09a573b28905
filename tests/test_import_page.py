"""The data import page under AppTest: a steward uploads a bad file, then a good one, confirms it,
and deletes it again; other roles do not get the page."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from config.import_texts import import_message
from config.translations import TEXTS
from data.db import make_engine
from data.schema import KpiMonthly, OrgUnit
from tests.apptest_support import log_in, visible_text

PAGE = "pages/data_import.py"


def frame_with(at, column: str):
    """The one data frame on the page that has ``column``."""
    (frame,) = [d.value for d in at.dataframe if column in d.value.columns]
    return frame


def first_outlet_code(url: str) -> str:
    with make_engine(url).connect() as connection:
        return connection.execute(
            select(OrgUnit.code).where(OrgUnit.level == "outlet", OrgUnit.status == "open").order_by(OrgUnit.code)
        ).scalar()


def imported_rows(url: str) -> int:
    """KPI rows of October 2023, the month this test imports (before the demo's history)."""
    with make_engine(url).connect() as connection:
        return connection.execute(
            select(func.count()).select_from(KpiMonthly).where(KpiMonthly.month == dt.date(2023, 10, 1))
        ).scalar()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_steward_imports_checks_confirms_and_deletes(app, demo_database_url, lang):
    outlet = first_outlet_code(demo_database_url)
    at = log_in(app, "steward", lang=lang)
    at.switch_page(PAGE).run()
    assert not at.exception
    assert TEXTS["import_title"][lang] in visible_text(at)

    at.selectbox(key="import_kind").set_value("monthly_kpis").run()
    # A month before the demo's history, so the other page tests see the same data.
    bad = f"outlet_code,metric_code,month,value\n{outlet},complaints,2023-10,-1\n".encode()
    at.file_uploader(key="import_file").set_value(("bad.csv", bad, "text/csv")).run()
    at.button(key="import_validate").click().run()
    assert not at.exception
    problems = frame_with(at, TEXTS["import_error_problem"][lang])[TEXTS["import_error_problem"][lang]].tolist()
    assert problems == [TEXTS["import_negative_value"][lang]]
    assert imported_rows(demo_database_url) == 0

    good = f"outlet_code,metric_code,month,value\n{outlet},complaints,2023-10,3\n{outlet},customers_new,2023-10,40\n"
    at.file_uploader(key="import_file").set_value(("good.csv", good.encode(), "text/csv")).run()
    at.button(key="import_validate").click().run()
    assert not at.exception
    line = TEXTS["import_field_row_number"][lang]
    assert frame_with(at, line)[line].tolist() == ["2", "3"]  # the preview
    at.button(key="import_confirm_staged").click().run()
    assert not at.exception
    assert imported_rows(demo_database_url) == 2
    assert "2" in at.success[0].value

    from data.importer import history

    ours = int(history(make_engine(demo_database_url)).query("file_name == 'good.csv'").id.iloc[0])
    at.selectbox(key="import_batch").set_value(ours).run()
    at.checkbox(key="import_delete_sure").check().run()
    at.button(key="import_delete_history").click().run()
    assert not at.exception
    assert imported_rows(demo_database_url) == 0


@pytest.mark.parametrize("username", ["exec", "head_outlet"])
def test_other_roles_do_not_get_the_import_page(app, username):
    at = log_in(app, username)
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_admin_gets_the_import_page_with_its_history(app, lang):
    at = log_in(app, "admin", lang=lang)
    at.switch_page(PAGE).run()
    assert not at.exception
    assert TEXTS["import_title"][lang] in visible_text(at)
    history_table = frame_with(at, TEXTS["import_col_status"][lang])
    assert TEXTS["import_status_confirmed"][lang] in set(history_table[TEXTS["import_col_status"][lang]])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_column_sheet_preview_and_errors_speak_the_users_language(app, demo_database_url, lang):
    """The column sheet has headers in the user's language and every column
    described; the preview names columns in that language with empty cells for missing values;
    an error names the column as the file did (Chinese headers: Chinese names)."""
    from data.importer.spec import KINDS
    from data.importer.templates import NOTES_HEADERS

    at = log_in(app, "steward", lang=lang)
    at.switch_page(PAGE).run()
    at.selectbox(key="import_kind").set_value("competitor_outlets").run()
    description = NOTES_HEADERS[lang][5]
    notes = frame_with(at, description)
    assert list(notes.columns) == NOTES_HEADERS[lang]
    assert all(text.strip() for text in notes[description])  # every column described
    first = NOTES_HEADERS[lang][0]
    kind = KINDS["competitor_outlets"]
    assert notes[first].tolist() == [c.header_zh if lang == "zh" else c.name for c in kind.columns]

    header = "银行代码,银行名称,银行英文名称,网点名称,城市代码,经度,纬度,柜台数,开业日期"
    bad = f"{header}\nZZ9,测试银行,Test Bank,测试网点,150100,111.7,40.8,四,2019/04/01\n"
    at.file_uploader(key="import_file").set_value(("bad.csv", bad.encode(), "text/csv")).run()
    at.button(key="import_validate").click().run()
    assert not at.exception
    errors = frame_with(at, TEXTS["import_error_column"][lang])
    assert errors[TEXTS["import_error_column"][lang]].tolist() == ["柜台数", "开业日期"]

    good = f"{header}\nZZ9,测试银行,Test Bank,测试网点,150100,111.7,40.8,,\n"
    at.file_uploader(key="import_file").set_value(("good.csv", good.encode(), "text/csv")).run()
    at.button(key="import_validate").click().run()
    assert not at.exception
    line = TEXTS["import_field_row_number"][lang]
    staged = frame_with(at, line)
    counters = "柜台数" if lang == "zh" else "Counters"
    assert staged[counters].tolist() == [""]  # missing: empty, not "None"
    assert "bank_code" not in staged.columns and "None" not in staged.to_numpy().tolist()[0]
    assert staged["银行代码" if lang == "zh" else "Bank code"].tolist() == ["ZZ9"]
    at.button(key="import_delete_staged").click().run()
    assert not at.exception


def kpis_of_october_2023(url: str) -> dict[tuple[int, str], tuple[float, int]]:
    with make_engine(url).connect() as connection:
        rows = connection.execute(
            select(KpiMonthly.outlet_id, KpiMonthly.metric_code, KpiMonthly.value, KpiMonthly.import_batch_id).where(
                KpiMonthly.month == dt.date(2023, 10, 1)
            )
        ).all()
    return {(outlet, code): (value, batch) for outlet, code, value, batch in rows}


def upload_and_stage(at, name: str, content: str, restate: bool = False):
    at.file_uploader(key="import_file").set_value((name, content.encode(), "text/csv")).run()
    if restate:
        at.checkbox(key="import_restate").check().run()
    at.button(key="import_validate").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_steward_restates_a_month_and_the_history_says_which_batch_restated_which(private_app, lang):
    app, url = private_app
    from data.importer import history

    outlet = first_outlet_code(url)
    at = log_in(app, "steward", lang=lang)
    at.switch_page(PAGE).run()
    at.selectbox(key="import_kind").set_value("monthly_kpis").run()
    assert TEXTS["import_restate_check"][lang] in [box.label for box in at.checkbox]
    header = "outlet_code,metric_code,month,value\n"
    upload_and_stage(at, "first.csv", f"{header}{outlet},complaints,2023-10,3\n")
    shown = [message.value for message in (*at.error, *at.warning)]
    assert "import_confirm_staged" in [button.key for button in at.button], shown
    at.button(key="import_confirm_staged").click().run()
    first = int(history(make_engine(url)).query("file_name == 'first.csv'").id.iloc[0])

    corrected = f"{header}{outlet},complaints,2023-10,5\n{outlet},customers_new,2023-10,40\n"
    upload_and_stage(at, "again.csv", corrected)  # without the flag: refused
    problems = frame_with(at, TEXTS["import_error_problem"][lang])[TEXTS["import_error_problem"][lang]].tolist()
    assert problems == [TEXTS["import_already_in_database"][lang]]

    upload_and_stage(at, "again.csv", corrected, restate=True)
    assert TEXTS["import_restated_rows"][lang].format(rows="1") in visible_text(at)
    at.button(key="import_confirm_staged").click().run()
    assert not at.exception
    second = int(history(make_engine(url)).query("file_name == 'again.csv' and status == 'confirmed'").id.iloc[0])
    assert TEXTS["import_confirmed_restated_summary"][lang].format(
        batch=second, rows="2", restated="1"
    ) in visible_text(at)
    (outlet_id,) = {key[0] for key in kpis_of_october_2023(url)}
    assert kpis_of_october_2023(url) == {
        (outlet_id, "complaints"): (5.0, second),
        (outlet_id, "customers_new"): (40.0, second),
    }

    shown = frame_with(at, TEXTS["import_col_superseded_by"][lang]).set_index(TEXTS["import_col_id"][lang])
    assert shown.at[second, TEXTS["import_col_restates"][lang]] == str(first)
    assert shown.at[first, TEXTS["import_col_superseded_by"][lang]] == str(second)
    assert shown.at[second, TEXTS["import_col_kind"][lang]].endswith(TEXTS["import_restating_mark"][lang])

    at.selectbox(key="import_batch").set_value(first).run()  # the restated batch cannot go first
    at.checkbox(key="import_delete_sure").check().run()
    at.button(key="import_delete_history").click().run()
    assert not at.exception
    refusal = import_message("import_superseded_delete_later_first", lang, batch=first, later=str(second))
    assert refusal in [e.value for e in at.error]

    at.selectbox(key="import_batch").set_value(second).run()
    at.button(key="import_delete_history").click().run()
    assert kpis_of_october_2023(url) == {(outlet_id, "complaints"): (3.0, first)}


def test_an_account_extract_can_be_marked_complete_when_it_is_confirmed(private_app):
    from data.schema import Customer, ExtractCompletion

    app, url = private_app
    with make_engine(url).connect() as connection:
        customer_no, outlet = connection.execute(
            select(Customer.customer_no, OrgUnit.code)
            .join(OrgUnit, OrgUnit.id == Customer.home_outlet_id)
            .where(Customer.kind == "personal", OrgUnit.status == "open")
            .order_by(Customer.customer_no)
        ).first()
    at = log_in(app, "steward")
    at.switch_page(PAGE).run()
    at.selectbox(key="import_kind").set_value("personal_deposits").run()
    extract = "month,outlet_code,customer_no,product_code,account_no,balance_rmb\n"
    extract += f"2023-10,{outlet},{customer_no},DD-P,X1,100\n"
    upload_and_stage(at, "deposits.csv", extract)
    at.checkbox(key="import_extract_complete").check().run()
    at.button(key="import_confirm_staged").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with make_engine(url).connect() as connection:
        marked = connection.execute(select(ExtractCompletion.extract, ExtractCompletion.month)).all()
    assert [tuple(row) for row in marked] == [("personal_deposit", dt.date(2023, 10, 1))]

"""The audit log: the auditor role, the audit-log page and its query, audited customer exports and
Customer 360 views, and audit lines that nothing in the app changes or deletes."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pandas as pd
import pytest
from sqlalchemy import insert, select, text, update

from config.pages import CUSTOMERS, PAGES
from config.roles import ROLE_POLICIES
from config.settings import PROJECT_ROOT
from config.translations import TEXTS
from data import queries_audit, queries_customer_360
from data.auth import write_audit
from data.db import make_engine
from data.schema import AuditLog
from data.scope import ScopeError, scope_for
from tests.apptest_support import open_page, visible_text

MARKER_USER = "zz_audit_probe"


def scope_of(engine, username, role, unit_id=None):
    with engine.connect() as connection:
        return scope_for(connection, username, role, unit_id)


def add_line(engine, at: dt.datetime, username, action, success, detail=None) -> None:
    """One audit line at a chosen time (write_audit stamps 'now')."""
    with engine.begin() as connection:
        connection.execute(
            insert(AuditLog).values(at=at, username=username, action=action, success=success, detail=detail)
        )


# --- The role ----------------------------------------------------------------------------------


def test_the_auditor_is_read_only_and_sees_no_personal_data():
    policy = ROLE_POLICIES["auditor"]
    assert not policy.sees_personal_data and not policy.scoped_to_unit
    assert policy.pages[0] == "audit_log"
    assert TEXTS["role_auditor"] == {"zh": "审计员", "en": "Auditor"}
    assert TEXTS["page_audit_log"] == {"zh": "审计日志", "en": "Audit log"}


# --- The query ---------------------------------------------------------------------------------

DAY = dt.datetime(2026, 3, 10, 9, 0)


@pytest.fixture
def lines(network):
    """Five known audit lines on the tiny network (tree: 1 → 2 → 4 → outlets 6, 7; 1 → 3 → 5 → 8, 9)."""
    add_line(network, DAY, "alice", "outlet_edited", True, {"unit_id": 6})
    add_line(network, DAY + dt.timedelta(hours=1), "bob", "alert_update", True, {"outlet_id": 8})
    add_line(network, DAY + dt.timedelta(days=1), "alice", "customer_export", True, {"scope_unit_id": 4, "rows": 3})
    add_line(network, DAY + dt.timedelta(days=2), "mallory", "login", False, {"reason": "wrong_password"})
    add_line(network, DAY + dt.timedelta(days=3), None, "login", False, None)
    return network


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_filters_narrow_the_lines_newest_first(lines, role):
    scope = scope_of(lines, "reader", role)

    def ids(**filters):
        frame = queries_audit.audit_lines(lines, scope, **filters)
        return [(row.username, row.action) for row in frame.itertuples()], frame.attrs["matching"]

    everything, total = ids()
    assert total == 5 and everything[0] == (None, "login") and everything[-1] == ("alice", "outlet_edited")
    assert ids(username="alice") == ([("alice", "customer_export"), ("alice", "outlet_edited")], 2)
    assert ids(action="login", success=False)[1] == 2
    assert ids(success=True)[1] == 3
    # Unit 2 (city A) holds sub-branch 4 and outlet 6; outlet 8 is under city B.
    assert ids(unit_id=2) == ([("alice", "customer_export"), ("alice", "outlet_edited")], 2)
    assert ids(unit_id=8) == ([("bob", "alert_update")], 1)
    assert ids(unit_id=6) == ([("alice", "outlet_edited")], 1)
    # Days are inclusive at both ends: 10 March and 11 March.
    assert ids(date_from=dt.date(2026, 3, 10), date_to=dt.date(2026, 3, 11))[1] == 3
    assert ids(date_from=dt.date(2026, 3, 12))[1] == 2
    limited = queries_audit.audit_lines(lines, scope, limit=2)
    assert len(limited) == 2 and limited.attrs["matching"] == 5
    assert limited.iloc[1]["detail"] == {"reason": "wrong_password"}


def test_a_filter_value_is_a_parameter_not_sql(lines):
    scope = scope_of(lines, "reader", "auditor")
    frame = queries_audit.audit_lines(lines, scope, username="alice' OR '1'='1", action="x'); DROP TABLE audit_log; --")
    assert frame.empty and frame.attrs["matching"] == 0
    assert queries_audit.audit_lines(lines, scope).attrs["matching"] == 5


@pytest.mark.parametrize(
    "role, unit", [("executive", None), ("planner", None), ("data_steward", None), ("branch_head", 6)]
)
def test_other_roles_cannot_read_the_audit_log(lines, role, unit):
    scope = scope_of(lines, "someone", role, unit)
    with pytest.raises(ScopeError):
        queries_audit.audit_lines(lines, scope)
    with pytest.raises(ScopeError):
        queries_audit.audit_filter_choices(lines, scope)
    with pytest.raises(ScopeError):
        queries_audit.audit_export(lines, scope, "csv", 1, {})


def test_filter_choices_and_an_audited_download(lines):
    scope = scope_of(lines, "auditor1", "auditor")
    choices = queries_audit.audit_filter_choices(lines, scope)
    assert choices == {
        "users": ["alice", "bob", "mallory"],
        "actions": ["alert_update", "customer_export", "login", "outlet_edited"],
    }
    queries_audit.audit_export(lines, scope, "xlsx", 2, {"username": "alice", "unit_id": None})
    newest = queries_audit.audit_lines(lines, scope, action="audit_log_export")
    assert len(newest) == 1 and newest.iloc[0]["username"] == "auditor1" and newest.iloc[0]["success"]
    assert newest.iloc[0]["detail"] == {
        "format": "xlsx",
        "rows": 2,
        "filters": {"username": "alice", "unit_id": "None"},
    }


# --- Customer 360 views --------------------------------------------------------------------------


def test_every_customer_360_view_is_audited_and_a_refused_one_too(network):
    auditor = scope_of(network, "auditor1", "auditor")
    facts = queries_customer_360.care_customer_profile(network, auditor, 1, 3)
    assert facts["customer_no"] == "C003" and facts["name"] == "客***"  # masked: no personal data
    head = scope_of(network, "head6", "branch_head", 6)
    with pytest.raises(ScopeError):
        queries_customer_360.care_customer_profile(network, head, 6, 3)  # customer 3 is homed at outlet 7
    reader = scope_of(network, "admin1", "admin")
    views = queries_audit.audit_lines(network, reader, action="customer_360_view")
    assert [(r.username, r.success, r.detail) for r in views.itertuples()] == [
        ("head6", False, {"customer_id": "3", "asked_unit": "6"}),
        ("auditor1", True, {"customer_id": 3, "unit_id": 1, "masked": True}),
    ]


# --- Nothing changes or deletes an audit line ----------------------------------------------------

CHANGING = re.compile(
    r"(update|delete)\(\s*AuditLog\b|AuditLog\.__table__\.(update|delete)|"
    r"(UPDATE|DELETE\s+FROM|TRUNCATE)\s+[\"']?audit_log\b",
    re.IGNORECASE,
)


def test_no_code_of_the_app_updates_or_deletes_audit_lines():
    sources = [*(PROJECT_ROOT / "data").rglob("*.py"), *(PROJECT_ROOT / "ui").rglob("*.py")]
    sources += [*(PROJECT_ROOT / "pages").glob("*.py"), PROJECT_ROOT / "app.py"]
    offending = [
        f"{path.relative_to(PROJECT_ROOT)}: {match.group(0)}"
        for path in sources
        if "migrations" not in path.parts
        for match in CHANGING.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offending == []
    # The pattern itself finds what it must.
    assert CHANGING.search("connection.execute(delete(AuditLog).where(AuditLog.id == 1))")
    assert CHANGING.search("update(AuditLog).values(success=True)")
    assert CHANGING.search('text("DELETE FROM audit_log")')
    # The demo's reset keeps the audit log.
    demo = (PROJECT_ROOT / "data" / "demo" / "__init__.py").read_text(encoding="utf-8")
    assert "kept = {AuditLog.__tablename__" in demo


def test_on_postgresql_a_role_with_select_and_insert_only_writes_audit_lines_but_cannot_change_them(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("database grants are PostgreSQL's")
    role = f"app_{uuid.uuid4().hex[:10]}"
    with engine.begin() as connection:
        schema = connection.execute(text("SELECT current_schema()")).scalar()
        connection.execute(text(f'CREATE ROLE "{role}" NOLOGIN'))  # throw-away names of our own
        connection.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"'))
        connection.execute(text(f'GRANT SELECT, INSERT ON audit_log TO "{role}"'))
        connection.execute(text(f'GRANT USAGE ON SEQUENCE audit_log_id_seq TO "{role}"'))
        connection.execute(text(f'REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM "{role}"'))
    try:
        with engine.begin() as connection:
            connection.execute(text(f'SET LOCAL ROLE "{role}"'))
            write_audit(connection, "granted", "login", True, {"probe": 1})
        with engine.connect() as connection:
            connection.execute(text(f'SET ROLE "{role}"'))
            assert connection.execute(select(AuditLog.username)).scalars().all() == ["granted"]
            for statement in (update(AuditLog).values(success=False), AuditLog.__table__.delete()):
                with pytest.raises(Exception, match="permission denied"):
                    connection.execute(statement)
                connection.rollback()
                connection.execute(text(f'SET ROLE "{role}"'))
            connection.execute(text("RESET ROLE"))
            connection.rollback()
    finally:
        with engine.begin() as connection:
            connection.execute(text(f'DROP OWNED BY "{role}"'))
            connection.execute(text(f'DROP ROLE "{role}"'))


# --- Customer exports go through the one audited button -------------------------------------------


def test_every_download_on_the_customer_pages_goes_through_the_audited_button():
    customer_pages = [page for page in PAGES if page.section == CUSTOMERS]
    assert len(customer_pages) >= 7
    with_downloads = 0
    for page in customer_pages:
        source = (PROJECT_ROOT / page.path).read_text(encoding="utf-8")
        plain = re.findall(r"(?<!customer_)download_button\(", source)
        assert plain == [], page.name
        with_downloads += bool(re.search(r"\bcustomer_download_button\(", source))
    assert with_downloads == 6  # all but Customer 360, which has no download


def test_the_audited_button_writes_a_customer_export_line(network, monkeypatch):
    import ui.customer_export as customer_export

    scope = scope_of(network, "auditor1", "auditor")
    monkeypatch.setattr(customer_export, "current_scope", lambda: scope)
    monkeypatch.setattr(customer_export, "app_engine", lambda: network)

    class Column:
        def download_button(self, label, data, **kwargs):
            self.call = (label, data, kwargs)
            return False

    column = Column()
    customer_export.customer_download_button(
        "Excel", b"x", file_name="f.xlsx", key="k", what="segments", rows=7, container=column
    )
    kwargs = column.call[2]
    assert kwargs["mime"] == customer_export.XLSX_MIME and kwargs["file_name"] == "f.xlsx"
    kwargs["on_click"](*kwargs["args"])  # what Streamlit does on the click
    lines = queries_audit.audit_lines(network, scope, action="customer_export")
    assert [(r.username, r.detail) for r in lines.itertuples()] == [
        ("auditor1", {"what": "segments", "rows": 7, "masked": True, "scope_unit_id": 1})
    ]


# --- The page ------------------------------------------------------------------------------------


def frames(at) -> list[pd.DataFrame]:
    return [element.value for element in at.dataframe]


@pytest.mark.parametrize("username", ["admin", "auditor"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_filters_to_a_known_line(private_app, username, lang):
    app, url = private_app
    engine = make_engine(url)
    now = dt.datetime.now().replace(microsecond=0)
    add_line(engine, now, MARKER_USER, "probe_action", False, {"unit_id": 1, "note": "已知行"})
    engine.dispose()
    at = open_page(app, username, "pages/audit_log.py", lang)
    assert at.title[0].value == TEXTS["audit_title"][lang]
    assert len(at.get("download_button")) == 2
    at.selectbox(key="audit_user").set_value(MARKER_USER).run()
    assert not at.exception
    table = frames(at)[0]
    assert len(table) == 1
    row = table.iloc[0]
    assert row[TEXTS["audit_col_action"][lang]] == "probe_action"  # an action without a name shows its code
    assert row[TEXTS["audit_col_action_code"][lang]] == "probe_action"
    assert row[TEXTS["audit_col_outcome"][lang]] == TEXTS["audit_outcome_refused"][lang]
    assert "已知行" in row[TEXTS["audit_col_detail"][lang]]
    assert TEXTS["audit_shown"][lang].format(total="1", shown="1", limit="500", export_limit="100,000") in visible_text(
        at
    )
    at.selectbox(key="audit_outcome").set_value(True).run()  # successes only: the refused line goes
    assert TEXTS["audit_none"][lang] in visible_text(at)


def test_the_page_wires_both_downloads_to_the_audit():
    source = (PROJECT_ROOT / "pages" / "audit_log.py").read_text(encoding="utf-8")
    assert source.count("download_button(") == 2
    assert source.count("on_click=queries_audit.audit_export") == 2


@pytest.mark.parametrize("username", ["exec", "planner", "head_sub", "steward"])
def test_other_roles_get_the_not_for_your_role_stand_in(app, username):
    from tests.apptest_support import log_in

    at = log_in(app, username)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/audit_log.py")  # not among the role's pages
    registered = {info.get("url_pathname"): (key, info) for key, info in at._registered_pages.items()}
    page_hash, info = registered["audit_log"]
    assert not info.get("script_path")  # a stand-in, not pages/audit_log.py
    at._page_hash = page_hash  # as a bookmarked address would (AppTest switches by file only)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert TEXTS["audit_title"]["en"] not in visible_text(at)
    assert TEXTS["page_not_for_role"]["en"] in visible_text(at)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_auditor_sees_customer_360_and_lists_without_personal_data(app, lang):
    at = open_page(app, "auditor", "pages/customer_360.py", lang)
    assert TEXTS["c360_masked_note"][lang] in visible_text(at)
    names = frames(at)[0][TEXTS["c360_col_name"][lang]]
    assert len(names) > 0 and names.map(lambda n: set(n[1:]) == {"*"}).all()
    at.switch_page("pages/action_lists.py").run()
    assert not at.exception
    assert TEXTS["act_aggregates_only"][lang] in visible_text(at)


@pytest.mark.parametrize("page", ROLE_POLICIES["auditor"].pages)
def test_the_auditor_opens_every_page_of_the_role(app, page):
    """Every page of the auditor opens without an error; the customer pages' downloads (each
    through the audited button) are offered as to an executive (next best product: aggregates only)."""
    at = open_page(app, "auditor", f"pages/{page}.py")
    assert TEXTS["page_not_for_role"]["en"] not in visible_text(at)
    if page in {"customer_structure", "lifetime_value", "action_lists"}:  # segments: after "run"
        assert len(at.get("download_button")) >= 1, page


def test_on_a_new_empty_database_the_auditor_reads_the_audit_log(tmp_path, monkeypatch, navigation_only_pages):
    """After ``setup_db --empty`` an administrator creates an auditor (no scope unit: the role is
    not scoped); the auditor's only page is the audit log, which lists the creation."""
    from data import auth, setup_db
    from data import users as user_admin
    from tests.apptest_support import log_in, new_app
    from ui.data_access import app_database_state, dataset_info, has_users

    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    url = f"sqlite:///{tmp_path / 'bank.sqlite'}"
    assert setup_db.main(["--empty", "--database-url", url]) == 0
    monkeypatch.setenv("DATABASE_URL", url)
    engine = make_engine(url)
    password = "Kq7vLm2pX9zT"
    user_admin.create_first_admin(engine, "root", "Root", password, language="en")
    user_admin.create_user(engine, "root", "ivy", "Ivy", password, "auditor", language="en")
    engine.dispose()
    for cached in (app_database_state, has_users, dataset_info):
        cached.clear()
    try:
        at = log_in(new_app(), "ivy", password)
        assert not at.exception, [e.value for e in at.exception]
        assert at.title[0].value == TEXTS["audit_title"]["en"]
        actions = at.selectbox(key="audit_action")
        created = TEXTS["audit_action_user_created"]["en"]  # the filter lists actions by name
        actions.select_index(actions.options.index(created)).run()
        table = frames(at)[0]
        assert set(table[TEXTS["audit_col_action"]["en"]]) == {created}
        assert set(table[TEXTS["audit_col_action_code"]["en"]]) == {"user_created"}
        assert list(table[TEXTS["audit_col_user"]["en"]]) == ["root", "cli"]  # newest first; create-admin is "cli"
        assert '"user": "ivy"' in table[TEXTS["audit_col_detail"]["en"]].iloc[0]
    finally:
        for cached in (app_database_state, has_users, dataset_info):
            cached.clear()


def test_opening_a_customer_on_the_page_is_audited_each_time_and_a_rerun_is_not(private_app):
    """Customer 360 reads the opened customer fresh (not from the query cache), so a second
    session opening the same customer within the cache time is audited too; a rerun of the same
    view (another widget) adds no line."""
    from tests.apptest_support import new_app

    app, url = private_app
    engine = make_engine(url)

    def views() -> int:
        with engine.connect() as connection:
            return (
                connection.execute(
                    select(AuditLog.id).where(AuditLog.action == "customer_360_view", AuditLog.username == "auditor")
                )
                .all()
                .__len__()
            )

    before = views()
    at = open_page(app, "auditor", "pages/customer_360.py")
    assert not at.exception and views() == before + 1
    at.run()
    assert views() == before + 1
    open_page(new_app(180), "auditor", "pages/customer_360.py")
    assert views() == before + 2
    engine.dispose()

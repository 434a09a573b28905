"""User administration: the data layer on SQLite and PostgreSQL (every operation, its audit row,
and every refused input leaving the database unchanged), and the page under AppTest."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select, update

from config.roles import ROLE_POLICIES
from config.translations import TEXTS
from data import auth
from data import users as user_admin
from data.auth import LoginStatus, authenticate, create_user, verify_password
from data.db import make_engine
from data.schema import AppUser, AuditLog, OrgUnit
from data.scope import scope_for
from data.users import UserAdminError
from tests.apptest_support import PathWithoutLegacyPages, log_in, new_app
from tests.network_fixture import PASSWORD, load_network

ADMIN = "root"
NEW_PASSWORD = "Fresh2026pass"
LATER = dt.datetime.now() + dt.timedelta(days=1)  # still ahead however long the suite runs


# --- Helpers ------------------------------------------------------------------------------------


@pytest.fixture
def db(engine, monkeypatch):
    """The fixture network (users exec, head6, headA1) plus one admin, ``root``.

    Their hashes are made at bcrypt cost 4 to keep ~150 set-ups fast; everything the tests
    themselves create or reset goes through the normal cost 12 (which they check).
    """
    with monkeypatch.context() as patch:
        patch.setattr(auth, "BCRYPT_ROUNDS", 4)
        load_network(engine)
        with engine.begin() as connection:
            create_user(connection, ADMIN, "Administrator", PASSWORD, "admin")
    return engine


def add_user(engine, username: str, role: str, scope_unit_id: int | None = None) -> None:
    with engine.begin() as connection:
        create_user(connection, username, username.title(), PASSWORD, role, scope_unit_id)


def user_row(engine, username: str):
    with engine.connect() as connection:
        return connection.execute(select(AppUser.__table__).where(AppUser.username == username)).one()


def audit(engine, action: str | None = None) -> list:
    query = select(AuditLog.username, AuditLog.action, AuditLog.success, AuditLog.detail).order_by(AuditLog.id)
    if action:
        query = query.where(AuditLog.action == action)
    with engine.connect() as connection:
        return connection.execute(query).all()


def snapshot(engine) -> tuple[list, list]:
    """Every user row (hashes included) and every audit row: compared before and after a refusal."""
    with engine.connect() as connection:
        users = connection.execute(select(AppUser.__table__).order_by(AppUser.id)).all()
        log = connection.execute(select(AuditLog.__table__).order_by(AuditLog.id)).all()
    return [tuple(row) for row in users], [tuple(row) for row in log]


def assert_refused(engine, key: str, operation, *args, **kwargs) -> None:
    """The call raises UserAdminError(key) and changes nothing in the database."""
    before = snapshot(engine)
    with pytest.raises(UserAdminError) as raised:
        operation(engine, *args, **kwargs)
    assert raised.value.key == key
    assert raised.value.key in TEXTS
    assert snapshot(engine) == before


def lock(engine, username: str, failed: int = 5, until: dt.datetime = LATER) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(AppUser).where(AppUser.username == username).values(failed_attempts=failed, locked_until=until)
        )


def login(engine, username: str, password: str):
    return authenticate(engine, username, password, max_failed_logins=5, lockout_minutes=15)


# --- Password policy ----------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["abcdefghi1", "Demo@2026xx", "春眠不觉晓处处闻啼鸟7", "1234567890a"])
def test_password_policy_accepts_ten_characters_with_letters_and_digits(password):
    user_admin.check_password_policy(password)


@pytest.mark.parametrize(
    "password, key",
    [
        ("abcdefgh1", "users_err_weak_password"),
        ("abcdefghijkl", "users_err_weak_password"),
        ("123456789012", "users_err_weak_password"),
        ("", "users_err_weak_password"),
        ("a1" * 37, "users_err_password_too_long"),
    ],
)
def test_password_policy_refuses_weak_and_overlong_passwords(password, key):
    with pytest.raises(UserAdminError) as raised:
        user_admin.check_password_policy(password)
    assert raised.value.key == key
    assert TEXTS[key]["en"].format(**raised.value.values)


@pytest.mark.parametrize(
    "password, key",
    [
        ("password12", "users_err_password_common"),
        ("Password2026!", "users_err_password_common"),
        ("2026Welcome", "users_err_password_common"),
        ("qwertyuiop1", "users_err_password_common"),
        ("aaaaaaaaa1", "users_err_password_repetitive"),
        ("abababab12", "users_err_password_repetitive"),
        ("密码密码密码密码密码1", "users_err_password_repetitive"),
        ("planner.2x9", "users_err_password_has_username"),
        ("X7PLANNER.2q", "users_err_password_has_username"),
    ],
)
def test_password_policy_refuses_common_repetitive_and_user_name_passwords(password, key):
    with pytest.raises(UserAdminError) as raised:
        user_admin.check_password_policy(password, "planner.2")
    assert raised.value.key == key
    assert TEXTS[key]["en"].format(**raised.value.values)


def test_common_password_list_is_shipped_with_a_few_hundred_entries():
    listed = user_admin.common_passwords()
    assert len(listed) >= 300 and "password" in listed and all(word == word.lower() for word in listed)


def test_creating_or_resetting_with_a_weak_or_overlong_password_is_refused(db):
    assert_refused(
        db,
        "users_err_password_has_username",
        user_admin.create_user,
        ADMIN,
        "zhangwei",
        "Z",
        "zhangwei2026x",
        "planner",
    )
    assert_refused(
        db, "users_err_password_common", user_admin.create_user, ADMIN, "zhang.w", "Z", "password12", "planner"
    )
    assert_refused(
        db, "users_err_password_too_long", user_admin.create_user, ADMIN, "zhang.w", "Z", "密" * 25 + "1", "planner"
    )
    assert_refused(db, "users_err_password_has_username", user_admin.reset_password, ADMIN, "head6", "xHEAD6-2026q")
    assert_refused(db, "users_err_password_too_long", user_admin.reset_password, ADMIN, "head6", "a1" * 37)


def test_deactivation_and_password_reset_end_the_users_open_sessions(db):
    from data.auth import SessionStatus, check_session, open_session

    head6 = user_row(db, "head6").id
    first, second = open_session(db, head6, 12), open_session(db, head6, 12)
    user_admin.reset_password(db, ADMIN, "head6", NEW_PASSWORD)
    assert check_session(db, first, 30).status is SessionStatus.ENDED
    assert audit(db, "password_reset")[-1].detail == {"user": "head6", "sessions_ended": 2}
    third = open_session(db, head6, 12)
    user_admin.deactivate_user(db, ADMIN, "head6")
    assert check_session(db, third, 30).status is SessionStatus.ENDED
    assert check_session(db, second, 30).status is SessionStatus.ENDED
    assert audit(db, "user_deactivated")[-1].detail == {"user": "head6", "sessions_ended": 1}


# --- Listing ------------------------------------------------------------------------------------


def test_list_users_returns_everyone_without_password_hashes(db):
    users = user_admin.list_users(db, ADMIN)
    with db.connect() as connection:
        everyone = connection.execute(select(AppUser.username)).scalars().all()
    assert sorted(u["username"] for u in users) == sorted(everyone)
    assert {"exec", "head6", "headA1", ADMIN} <= set(everyone)
    assert all("password_hash" not in u for u in users)
    assert all(not any(str(v).startswith("$2b$") for v in u.values()) for u in users)
    head6 = next(u for u in users if u["username"] == "head6")
    assert head6["role"] == "branch_head" and head6["scope_unit_id"] == 6
    assert (head6["scope_code"], head6["scope_name_zh"], head6["scope_name_en"]) == ("U6", "机构6", "Unit 6")
    assert head6["is_active"] and head6["failed_attempts"] == 0 and head6["locked_until"] is None
    exec_user = next(u for u in users if u["username"] == "exec")
    assert exec_user["scope_unit_id"] is None and exec_user["scope_code"] is None


def test_scope_units_are_every_unit_from_the_top_level_down(db):
    units = user_admin.scope_units(db, ADMIN)
    assert [u["id"] for u in units] == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert [u["level"] for u in units] == ["region"] + ["city_branch"] * 2 + ["sub_branch"] * 2 + ["outlet"] * 4


# --- Create -------------------------------------------------------------------------------------


def test_create_user_stores_a_bcrypt_hash_audits_and_can_log_in(db):
    user_id = user_admin.create_user(db, ADMIN, " planner.2 ", "Planner Two", NEW_PASSWORD, "planner", language="en")
    row = user_row(db, "planner.2")
    assert row.id == user_id and row.role == "planner" and row.scope_unit_id is None and row.language == "en"
    assert row.is_active and row.failed_attempts == 0
    assert row.password_hash.startswith("$2b$12$") and verify_password(NEW_PASSWORD, row.password_hash)
    [(actor, action, success, detail)] = audit(db, "user_created")
    assert (actor, action, success) == (ADMIN, "user_created", True)
    assert detail == {
        "user": "planner.2",
        "display_name": "Planner Two",
        "role": "planner",
        "scope_unit_id": None,
        "language": "en",
    }
    assert NEW_PASSWORD not in str(audit(db))
    assert login(db, "planner.2", NEW_PASSWORD).status is LoginStatus.OK


@pytest.mark.parametrize("role", ["branch_head", "executive", "planner", "data_steward", "admin", "auditor"])
@pytest.mark.parametrize("unit_id", [1, 2, 4, 6])
def test_any_role_may_be_scoped_to_a_unit_of_any_level(db, role, unit_id):
    user_admin.create_user(db, ADMIN, "scoped_new", "New scoped user", NEW_PASSWORD, role, unit_id)
    assert user_row(db, "scoped_new").scope_unit_id == unit_id
    assert audit(db, "user_created")[0].detail["scope_unit_id"] == unit_id
    user = login(db, "scoped_new", NEW_PASSWORD).user
    with db.connect() as connection:
        scope = scope_for(connection, user.username, user.role, user.scope_unit_id)
    path = {1: "/1/", 2: "/1/2/", 4: "/1/2/4/", 6: "/1/2/4/6/"}[unit_id]
    assert (scope.root_unit_id, scope.root_path) == (unit_id, path)


@pytest.mark.parametrize(
    "username, display_name, password, role, unit_id, language, key",
    [
        ("ab", "Short", NEW_PASSWORD, "planner", None, "zh", "users_err_username"),
        ("a" * 33, "Long", NEW_PASSWORD, "planner", None, "zh", "users_err_username"),
        ("Planner", "Upper case", NEW_PASSWORD, "planner", None, "zh", "users_err_username"),
        ("two words", "Blank", NEW_PASSWORD, "planner", None, "zh", "users_err_username"),
        ("用户名", "Chinese", NEW_PASSWORD, "planner", None, "zh", "users_err_username"),
        ("semi;colon", "Punctuation", NEW_PASSWORD, "planner", None, "zh", "users_err_username"),
        ("exec", "Duplicate", NEW_PASSWORD, "planner", None, "zh", "users_err_duplicate"),
        ("newuser", "Weak", "short1", "planner", None, "zh", "users_err_weak_password"),
        ("newuser", "Weak", "onlyletterspassword", "planner", None, "zh", "users_err_weak_password"),
        ("newuser", "Weak", "12345678901234", "planner", None, "zh", "users_err_weak_password"),
        ("newuser", "Unknown role", NEW_PASSWORD, "superuser", None, "zh", "users_err_role"),
        ("newuser", "No scope", NEW_PASSWORD, "branch_head", None, "zh", "users_err_scope_required"),
        ("newuser", "Missing unit", NEW_PASSWORD, "branch_head", 999, "zh", "users_err_scope_unknown"),
        ("newuser", "Missing unit", NEW_PASSWORD, "executive", 999, "zh", "users_err_scope_unknown"),
        ("newuser", "  ", NEW_PASSWORD, "planner", None, "zh", "users_err_display_name"),
        ("newuser", "French", NEW_PASSWORD, "planner", None, "fr", "users_err_language"),
    ],
)
def test_create_user_refuses_bad_input_and_changes_nothing(
    db, username, display_name, password, role, unit_id, language, key
):
    assert_refused(db, key, user_admin.create_user, ADMIN, username, display_name, password, role, unit_id, language)


# --- Only admins --------------------------------------------------------------------------------

OPERATIONS = [
    (user_admin.list_users, ()),
    (user_admin.scope_units, ()),
    (user_admin.create_user, ("newuser", "New", NEW_PASSWORD, "planner")),
    (user_admin.reset_password, ("head6", NEW_PASSWORD)),
    (user_admin.set_role, ("head6", "planner", None)),
    (user_admin.unlock_user, ("head6",)),
    (user_admin.deactivate_user, ("head6",)),
    (user_admin.reactivate_user, ("head6",)),
]


@pytest.mark.parametrize("caller", ["exec", "headA1", "ghost", "retired_admin"])
def test_only_an_active_admin_may_administer_users(db, caller):
    add_user(db, "retired_admin", "admin")
    with db.begin() as connection:
        connection.execute(update(AppUser).where(AppUser.username == "retired_admin").values(is_active=False))
    lock(db, "head6")
    for operation, args in OPERATIONS:
        assert_refused(db, "users_err_not_admin", operation, caller, *args)


# --- Reset password -----------------------------------------------------------------------------


def test_reset_password_sets_a_new_hash_and_clears_the_lock(db):
    lock(db, "head6")
    old_hash = user_row(db, "head6").password_hash
    user_admin.reset_password(db, ADMIN, "head6", NEW_PASSWORD)
    row = user_row(db, "head6")
    assert row.password_hash != old_hash and row.password_hash.startswith("$2b$12$")
    assert verify_password(NEW_PASSWORD, row.password_hash) and not verify_password(PASSWORD, row.password_hash)
    assert row.failed_attempts == 0 and row.locked_until is None
    assert audit(db, "password_reset") == [(ADMIN, "password_reset", True, {"user": "head6", "sessions_ended": 0})]
    assert NEW_PASSWORD not in str(audit(db))
    assert login(db, "head6", NEW_PASSWORD).status is LoginStatus.OK


@pytest.mark.parametrize(
    "username, password, key",
    [
        ("head6", "weakpass", "users_err_weak_password"),
        ("head6", "nodigitsatall", "users_err_weak_password"),
        ("ghost", NEW_PASSWORD, "users_err_unknown_user"),
    ],
)
def test_reset_password_refuses_bad_input_and_changes_nothing(db, username, password, key):
    lock(db, "head6")
    assert_refused(db, key, user_admin.reset_password, ADMIN, username, password)


# --- Role and scope ------------------------------------------------------------------------------


def test_set_role_changes_role_and_scope_and_audits(db):
    user_admin.set_role(db, ADMIN, "exec", "branch_head", 8)
    row = user_row(db, "exec")
    assert (row.role, row.scope_unit_id) == ("branch_head", 8)
    user_admin.set_role(db, ADMIN, "head6", "planner", None)
    row = user_row(db, "head6")
    assert (row.role, row.scope_unit_id) == ("planner", None)
    assert [r.detail for r in audit(db, "role_changed")] == [
        {"user": "exec", "old_role": "executive", "new_role": "branch_head", "old_scope_unit_id": None,
         "new_scope_unit_id": 8},
        {"user": "head6", "old_role": "branch_head", "new_role": "planner", "old_scope_unit_id": 6,
         "new_scope_unit_id": None},
    ]  # fmt: skip
    assert all(r.username == ADMIN and r.success for r in audit(db, "role_changed"))
    # The new role takes effect at the next log-in.
    result = login(db, "exec", PASSWORD)
    assert (result.user.role, result.user.scope_unit_id) == ("branch_head", 8)


@pytest.mark.parametrize(
    "username, role, unit_id, key",
    [
        ("exec", "superuser", None, "users_err_role"),
        ("exec", "branch_head", None, "users_err_scope_required"),
        ("head6", "branch_head", 999, "users_err_scope_unknown"),
        ("head6", "planner", 999, "users_err_scope_unknown"),
        ("ghost", "planner", None, "users_err_unknown_user"),
        (ADMIN, "planner", None, "users_err_last_admin"),
    ],
)
def test_set_role_refuses_bad_input_and_changes_nothing(db, username, role, unit_id, key):
    assert_refused(db, key, user_admin.set_role, ADMIN, username, role, unit_id)


def test_an_admin_may_demote_another_admin_or_themselves_while_another_remains(db):
    add_user(db, "admin2", "admin")
    user_admin.set_role(db, ADMIN, "admin2", "data_steward")
    assert user_row(db, "admin2").role == "data_steward"
    add_user(db, "admin3", "admin")
    user_admin.set_role(db, ADMIN, ADMIN, "executive")
    assert user_row(db, ADMIN).role == "executive"
    # root is no longer an admin, and admin3 is now the last one.
    assert_refused(db, "users_err_not_admin", user_admin.set_role, ADMIN, "exec", "planner")
    assert_refused(db, "users_err_last_admin", user_admin.set_role, "admin3", "admin3", "planner")


def test_a_deactivated_admin_does_not_count_as_an_active_admin(db):
    add_user(db, "admin2", "admin")
    user_admin.deactivate_user(db, ADMIN, "admin2")
    assert_refused(db, "users_err_last_admin", user_admin.set_role, ADMIN, ADMIN, "planner")
    # Demoting the deactivated admin is fine: it removes no active admin.
    user_admin.set_role(db, ADMIN, "admin2", "planner")
    assert user_row(db, "admin2").role == "planner"


# --- Unlock ---------------------------------------------------------------------------------------


def test_unlock_clears_failures_and_lock_and_lets_the_user_log_in(db):
    until = LATER.replace(microsecond=0)
    lock(db, "head6", failed=5, until=until)
    assert login(db, "head6", PASSWORD).status is LoginStatus.LOCKED
    user_admin.unlock_user(db, ADMIN, "head6")
    row = user_row(db, "head6")
    assert row.failed_attempts == 0 and row.locked_until is None
    [(actor, _, success, detail)] = audit(db, "user_unlocked")
    assert (actor, success) == (ADMIN, True)
    assert detail == {"user": "head6", "failed_attempts": 5, "locked_until": until.isoformat()}
    assert login(db, "head6", PASSWORD).status is LoginStatus.OK


def test_unlock_refuses_an_unknown_user(db):
    assert_refused(db, "users_err_unknown_user", user_admin.unlock_user, ADMIN, "ghost")


# --- Deactivate / reactivate ------------------------------------------------------------------------


def test_deactivate_and_reactivate_are_audited_and_stop_and_allow_log_in(db):
    user_admin.deactivate_user(db, ADMIN, "head6")
    assert not user_row(db, "head6").is_active
    assert login(db, "head6", PASSWORD).status is LoginStatus.INACTIVE
    user_admin.reactivate_user(db, ADMIN, "head6")
    assert user_row(db, "head6").is_active
    assert login(db, "head6", PASSWORD).status is LoginStatus.OK
    rows = [r for r in audit(db) if r.action in ("user_deactivated", "user_reactivated")]
    assert rows == [
        (ADMIN, "user_deactivated", True, {"user": "head6", "sessions_ended": 0}),
        (ADMIN, "user_reactivated", True, {"user": "head6"}),
    ]


def test_an_admin_may_deactivate_another_admin(db):
    add_user(db, "admin2", "admin")
    user_admin.deactivate_user(db, ADMIN, "admin2")
    assert not user_row(db, "admin2").is_active


def test_an_admin_cannot_deactivate_themselves(db):
    assert_refused(db, "users_err_self_deactivate", user_admin.deactivate_user, ADMIN, ADMIN)
    add_user(db, "admin2", "admin")  # not even when another admin remains
    assert_refused(db, "users_err_self_deactivate", user_admin.deactivate_user, ADMIN, ADMIN)


@pytest.mark.parametrize("operation", [user_admin.deactivate_user, user_admin.reactivate_user])
def test_deactivate_and_reactivate_refuse_an_unknown_user(db, operation):
    assert_refused(db, "users_err_unknown_user", operation, ADMIN, "ghost")


# --- Navigation -----------------------------------------------------------------------------------


def test_only_the_admin_role_has_the_users_page():
    assert [role for role, policy in ROLE_POLICIES.items() if "users" in policy.pages] == ["admin"]


# --- The page (AppTest on the demo database) ---------------------------------------------------------

TIMEOUT_S = 60


@pytest.fixture
def app(demo_database_url, monkeypatch):
    """A fresh app session on the small demo database (AppTest runs app.py as the server does)."""
    from streamlit.runtime import pages_manager

    monkeypatch.setattr(pages_manager, "Path", PathWithoutLegacyPages)
    monkeypatch.setenv("DATABASE_URL", demo_database_url)
    return new_app(TIMEOUT_S)


def open_users_page(app, lang: str, username: str = "admin"):
    at = log_in(app, username, lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page("pages/users.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at, key: str, lang: str):
    return next(b for b in at.button if b.label == TEXTS[key][lang])


def fill_create_form(at, username, password, role="planner", scope=None, confirm=None, display_name="Test user"):
    at.text_input(key="users_new_username").input(username)
    at.text_input(key="users_new_display_name").input(display_name)
    at.text_input(key="users_new_password").input(password)
    at.text_input(key="users_new_password_confirm").input(password if confirm is None else confirm)
    at.selectbox(key="users_new_role").set_value(role)
    if scope is not None:
        at.selectbox(key="users_new_scope").set_value(scope)


def db_user(demo_database_url, username):
    engine = make_engine(demo_database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(select(AppUser.__table__).where(AppUser.username == username)).first()
    finally:
        engine.dispose()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_admin_sees_the_user_table_in_their_language(app, lang):
    at = open_users_page(app, lang)
    assert at.title[0].value == TEXTS["users_title"][lang]
    table = at.dataframe[0].value
    assert list(table.columns) == [
        TEXTS[key][lang]
        for key in (
            "col_username",
            "col_display_name",
            "col_role",
            "col_scope_unit",
            "col_language",
            "col_active",
            "col_locked_until",
            "col_last_login",
        )
    ]
    roles = dict(zip(table[TEXTS["col_username"][lang]], table[TEXTS["col_role"][lang]]))
    assert roles["exec"] == TEXTS["role_executive"][lang]
    assert roles["admin"] == TEXTS["role_admin"][lang]
    scopes = dict(zip(table[TEXTS["col_username"][lang]], table[TEXTS["col_scope_unit"][lang]]))
    assert scopes["exec"] == "—" and scopes["head_outlet"] != "—"
    assert [tab.label for tab in at.tabs] == [
        TEXTS[key][lang] for key in ("users_tab_password", "users_tab_role", "users_tab_lock", "users_tab_active")
    ]
    assert (
        "password_hash" not in table.columns
        and not table.astype(str).apply(lambda column: column.str.startswith("$2b$")).any().any()
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_admin_creates_a_branch_head_who_can_then_log_in(app, demo_database_url, lang):
    at = open_users_page(app, lang)
    username = f"head_{uuid.uuid4().hex[:6]}"
    outlet_option = at.selectbox(key="users_new_scope").options[1]
    engine = make_engine(demo_database_url)
    with engine.connect() as connection:
        outlet_id = connection.execute(
            select(OrgUnit.id).where(OrgUnit.code == outlet_option.split(" · ")[0])
        ).scalar_one()
    engine.dispose()
    fill_create_form(at, username, NEW_PASSWORD, role="branch_head", scope=outlet_id)
    button(at, "users_create_submit", lang).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.success[0].value == TEXTS["users_created"][lang].format(username=username)
    assert username in list(at.dataframe[0].value[TEXTS["col_username"][lang]])
    assert at.text_input(key="users_new_username").value == ""  # the form is empty again
    row = db_user(demo_database_url, username)
    assert (row.role, row.scope_unit_id, row.is_active) == ("branch_head", outlet_id, True)

    fresh = log_in(new_app(TIMEOUT_S), username, NEW_PASSWORD, lang=lang)
    assert not fresh.exception and not fresh.error
    assert fresh.session_state["scope"].root_unit_id == outlet_id


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "username, password, role, confirm, key",
    [
        ("weak_pw_user", "short1", "planner", None, "users_err_weak_password"),
        ("Bad Name", NEW_PASSWORD, "planner", None, "users_err_username"),
        ("exec", NEW_PASSWORD, "planner", None, "users_err_duplicate"),
        ("no_scope_head", NEW_PASSWORD, "branch_head", None, "users_err_scope_required"),
        ("mismatch_user", NEW_PASSWORD, "planner", "Other2026pass", "users_err_password_mismatch"),
    ],
)
def test_bad_input_on_the_page_shows_the_translated_error_and_creates_nobody(
    app, demo_database_url, lang, username, password, role, confirm, key
):
    at = open_users_page(app, lang)
    before = db_user(demo_database_url, username)
    fill_create_form(at, username, password, role=role, confirm=confirm)
    button(at, "users_create_submit", lang).click().run()
    assert not at.exception, [e.value for e in at.exception]
    expected = TEXTS[key][lang]
    if key == "users_err_weak_password":
        expected = expected.format(min_length=user_admin.PASSWORD_MIN_LENGTH)
    assert [e.value for e in at.error] == [expected]
    assert not at.success
    assert db_user(demo_database_url, username) == before
    # What was typed stays in the form to be corrected.
    assert at.text_input(key="users_new_username").value == username


def test_admin_unlocks_resets_and_deactivates_a_user_on_the_page(app, demo_database_url):
    username = f"lock_{uuid.uuid4().hex[:6]}"
    engine = make_engine(demo_database_url)
    add_user(engine, username, "executive")
    lock(engine, username)
    at = open_users_page(app, "en")
    at.selectbox(key="users_selected").set_value(username).run()
    uid = user_row(engine, username).id
    assert "locked until" in at.warning[0].value

    button(at, "users_unlock_submit", "en").click().run()
    assert at.success[0].value == TEXTS["users_unlocked"]["en"].format(username=username)
    row = user_row(engine, username)
    assert row.failed_attempts == 0 and row.locked_until is None

    at.text_input(key=f"users_reset_password_{uid}").input(NEW_PASSWORD)
    at.text_input(key=f"users_reset_confirm_{uid}").input(NEW_PASSWORD)
    button(at, "users_reset_submit", "en").click().run()
    assert at.success[0].value == TEXTS["users_password_reset_done"]["en"].format(username=username)
    assert verify_password(NEW_PASSWORD, user_row(engine, username).password_hash)

    at.selectbox(key=f"users_role_{uid}").set_value("planner")
    button(at, "users_role_submit", "en").click().run()
    assert at.success[0].value == TEXTS["users_role_changed"]["en"].format(
        username=username, role=TEXTS["role_planner"]["en"]
    )
    assert user_row(engine, username).role == "planner"

    button(at, "users_deactivate_submit", "en").click().run()  # not confirmed: refused
    assert at.error[0].value == TEXTS["users_err_confirm_required"]["en"]
    assert user_row(engine, username).is_active
    at.checkbox(key=f"users_deactivate_confirm_{uid}").check()
    button(at, "users_deactivate_submit", "en").click().run()
    assert at.success[0].value == TEXTS["users_deactivated"]["en"].format(username=username)
    assert not user_row(engine, username).is_active

    button(at, "users_reactivate_submit", "en").click().run()
    assert at.success[0].value == TEXTS["users_reactivated"]["en"].format(username=username)
    assert user_row(engine, username).is_active
    assert not at.exception
    actions = [r.action for r in audit(engine) if r.detail and r.detail.get("user") == username]
    assert actions == ["user_unlocked", "password_reset", "role_changed", "user_deactivated", "user_reactivated"]
    engine.dispose()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_admin_cannot_deactivate_themselves_on_the_page(app, demo_database_url, lang):
    at = open_users_page(app, lang)
    at.selectbox(key="users_selected").set_value("admin").run()
    uid = db_user(demo_database_url, "admin").id
    at.checkbox(key=f"users_deactivate_confirm_{uid}").check()
    button(at, "users_deactivate_submit", lang).click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [TEXTS["users_err_self_deactivate"][lang]]
    assert db_user(demo_database_url, "admin").is_active


@pytest.mark.parametrize("username", ["exec", "planner", "head_sub", "steward"])
def test_other_roles_do_not_get_the_users_page(app, username):
    at = log_in(app, username)
    assert not at.exception
    with pytest.raises(ValueError, match="navigation page"):
        at.switch_page("pages/users.py")

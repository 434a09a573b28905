"""Log-in on SQLite and PostgreSQL: bcrypt, lockout after repeated failures (also under
concurrent attempts), no account enumeration, over-long passwords, sessions, audit log."""

from __future__ import annotations

import datetime as dt
import threading

import bcrypt
import pytest
from sqlalchemy import func, select, update

from data import auth
from data.auth import (
    LoginStatus,
    SessionStatus,
    authenticate,
    check_session,
    close_session,
    create_user,
    hash_password,
    open_session,
    verify_password,
)
from data.schema import AppUser, AuditLog, UserSession
from tests.network_fixture import PASSWORD

MAX_FAILED, LOCK_MINUTES = 5, 15
NOW = dt.datetime(2026, 11, 23, 9, 0)


def login(engine, username, password, now=NOW):
    return authenticate(engine, username, password, MAX_FAILED, LOCK_MINUTES, now=now)


def audit_rows(engine):
    with engine.connect() as connection:
        return connection.execute(select(AuditLog.username, AuditLog.action, AuditLog.success)).all()


def test_passwords_are_stored_as_bcrypt_hashes(network):
    with network.connect() as connection:
        stored = connection.execute(select(AppUser.password_hash).where(AppUser.username == "exec")).scalar()
    assert stored.startswith("$2b$12$") and PASSWORD not in stored
    assert verify_password(PASSWORD, stored)
    assert not verify_password("wrong", hash_password("right"))


def test_correct_password_logs_in_and_is_audited(network):
    result = login(network, "exec", PASSWORD)
    assert result.status is LoginStatus.OK
    assert result.user.role == "executive" and result.user.scope_unit_id is None
    assert ("exec", "login", True) in audit_rows(network)


def test_wrong_password_and_unknown_user_fail_and_are_audited(network):
    assert login(network, "exec", "nope").status is LoginStatus.WRONG_PASSWORD
    assert login(network, "ghost", PASSWORD).status is LoginStatus.UNKNOWN_USER
    rows = audit_rows(network)
    assert ("exec", "login", False) in rows and ("ghost", "login", False) in rows


def test_account_locks_after_five_failures_even_for_the_right_password(network):
    statuses = [login(network, "head6", f"bad{i}").status for i in range(MAX_FAILED)]
    assert statuses == [LoginStatus.WRONG_PASSWORD] * (MAX_FAILED - 1) + [LoginStatus.LOCKED]
    locked = login(network, "head6", PASSWORD, now=NOW + dt.timedelta(minutes=LOCK_MINUTES - 1))
    assert locked.status is LoginStatus.LOCKED
    assert locked.locked_until == NOW + dt.timedelta(minutes=LOCK_MINUTES)
    assert ("head6", "account_locked", True) in audit_rows(network)


def test_lock_expires_and_success_resets_the_failure_count(network):
    for i in range(MAX_FAILED):
        login(network, "head6", f"bad{i}")
    later = NOW + dt.timedelta(minutes=LOCK_MINUTES + 1)
    assert login(network, "head6", PASSWORD, now=later).status is LoginStatus.OK
    # After the lock, one more failure does not lock again at once.
    assert login(network, "head6", "bad", now=later).status is LoginStatus.WRONG_PASSWORD
    with network.connect() as connection:
        user = connection.execute(select(AppUser.__table__).where(AppUser.username == "head6")).one()
    assert user.failed_attempts == 1 and user.locked_until is None


def user_row(engine, username):
    with engine.connect() as connection:
        return connection.execute(select(AppUser.__table__).where(AppUser.username == username)).one()


def last_audit_detail(engine, username):
    with engine.connect() as connection:
        return connection.execute(
            select(AuditLog.detail).where(AuditLog.username == username).order_by(AuditLog.id.desc())
        ).scalar()


@pytest.fixture
def fast_hashes(monkeypatch):
    """bcrypt cost 4 for the user a test creates and for the dummy check (many log-ins stay fast)."""
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    monkeypatch.setattr(auth, "_DUMMY_HASH", bcrypt.hashpw(b"x", bcrypt.gensalt(4)))


def test_concurrent_wrong_passwords_check_at_most_five_before_the_lock(network, fast_hashes, monkeypatch):
    with network.begin() as connection:
        create_user(connection, "racer", "Racer", PASSWORD, "executive")
    checked, guard = [], threading.Lock()
    real_verify = auth.verify_password

    def counting_verify(password, password_hash):
        with guard:
            checked.append(password)
        return real_verify(password, password_hash)

    monkeypatch.setattr(auth, "verify_password", counting_verify)
    start, results, errors = threading.Barrier(30), [], []

    def attempt(i):
        start.wait()
        try:
            results.append(login(network, "racer", f"wrong-{i}", now=dt.datetime.now()).status)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(checked) <= MAX_FAILED
    assert LoginStatus.OK not in results and len(results) == 30
    row = user_row(network, "racer")
    assert row.failed_attempts == MAX_FAILED and row.locked_until is not None
    # Locked now: even the right password is not checked.
    assert login(network, "racer", PASSWORD, now=dt.datetime.now()).status is LoginStatus.LOCKED
    assert len(checked) <= MAX_FAILED


@pytest.mark.parametrize("case", ["unknown", "wrong", "locked", "inactive_wrong", "too_long"])
def test_every_failure_costs_exactly_one_bcrypt_check(network, monkeypatch, case):
    """Unknown, locked and disabled accounts take as long as a wrong password (no enumeration)."""
    if case == "locked":
        with network.begin() as connection:
            connection.execute(
                update(AppUser)
                .where(AppUser.username == "head6")
                .values(failed_attempts=MAX_FAILED, locked_until=NOW + dt.timedelta(minutes=5))
            )
    if case == "inactive_wrong":
        with network.begin() as connection:
            connection.execute(update(AppUser).where(AppUser.username == "head6").values(is_active=False))
    calls = []
    real_checkpw = bcrypt.checkpw
    monkeypatch.setattr(bcrypt, "checkpw", lambda *args: calls.append(1) or real_checkpw(*args))
    username = "ghost" if case == "unknown" else "head6"
    password = "x" * 73 if case == "too_long" else "wrong-password"
    status = login(network, username, password).status
    assert len(calls) == 1
    assert status is not LoginStatus.OK and status is not LoginStatus.INACTIVE


def test_disabled_account_is_reported_only_after_the_right_password(network):
    with network.begin() as connection:
        connection.execute(update(AppUser).where(AppUser.username == "head6").values(is_active=False))
    assert login(network, "head6", "wrong-password").status is LoginStatus.WRONG_PASSWORD
    assert user_row(network, "head6").failed_attempts == 1
    assert login(network, "head6", PASSWORD).status is LoginStatus.INACTIVE
    assert user_row(network, "head6").failed_attempts == 0


@pytest.mark.parametrize("password", ["a" * 73, "密" * 25])
def test_password_over_72_bytes_is_refused_counted_and_audited(network, password):
    result = login(network, "head6", password)
    assert result.status is LoginStatus.PASSWORD_TOO_LONG
    assert user_row(network, "head6").failed_attempts == 1
    assert last_audit_detail(network, "head6") == {"reason": "password_too_long", "failed": 1}
    assert login(network, "ghost", password).status is LoginStatus.PASSWORD_TOO_LONG
    assert last_audit_detail(network, "ghost") == {"reason": "password_too_long"}


def test_password_of_72_bytes_still_logs_in(network):
    password = "Ab1" * 24
    with network.begin() as connection:
        connection.execute(
            update(AppUser).where(AppUser.username == "head6").values(password_hash=hash_password(password))
        )
    assert login(network, "head6", password).status is LoginStatus.OK
    with pytest.raises(ValueError):
        hash_password(password + "x")
    assert not verify_password(password + "x", user_row(network, "head6").password_hash)


def session_count(engine, username: str | None = None):
    """Open sessions in the database, or of one user (a copy of the shared demo database holds
    the sessions of the tests that ran on it before)."""
    query = select(func.count()).select_from(UserSession)
    if username is not None:
        query = query.join(AppUser, AppUser.id == UserSession.user_id).where(AppUser.username == username)
    with engine.connect() as connection:
        return connection.execute(query).scalar()


def test_session_token_is_stored_hashed_and_ends_on_close(network):
    user_id = user_row(network, "head6").id
    token = open_session(network, user_id, max_hours=12, now=NOW)
    with network.connect() as connection:
        stored = connection.execute(select(UserSession.token_hash)).scalar()
    assert stored != token and len(token) >= 40
    check = check_session(network, token, idle_minutes=30, now=NOW + dt.timedelta(minutes=5))
    assert check.status is SessionStatus.VALID and check.user.username == "head6"
    assert check_session(network, token + "x", 30, now=NOW).status is SessionStatus.ENDED
    close_session(network, token)
    assert check_session(network, token, 30, now=NOW).status is SessionStatus.ENDED
    assert session_count(network) == 0


def test_session_expires_when_idle_and_at_its_absolute_limit(network):
    user_id = user_row(network, "head6").id
    idle = open_session(network, user_id, max_hours=12, now=NOW)
    assert check_session(network, idle, 30, now=NOW + dt.timedelta(minutes=31)).status is SessionStatus.EXPIRED
    assert session_count(network) == 0
    busy = open_session(network, user_id, max_hours=1, now=NOW)
    for minutes in (20, 40):  # activity keeps it alive ...
        assert check_session(network, busy, 30, now=NOW + dt.timedelta(minutes=minutes)).status is SessionStatus.VALID
    # ... but not beyond its absolute limit.
    assert check_session(network, busy, 30, now=NOW + dt.timedelta(minutes=61)).status is SessionStatus.EXPIRED
    assert ("head6", "timeout", True) in audit_rows(network)


def test_session_follows_role_and_scope_and_ends_for_a_disabled_user(network):
    user_id = user_row(network, "head6").id
    token = open_session(network, user_id, max_hours=12, now=NOW)
    with network.begin() as connection:
        connection.execute(update(AppUser).where(AppUser.id == user_id).values(scope_unit_id=4))
    assert check_session(network, token, 30, now=NOW).user.scope_unit_id == 4
    with network.begin() as connection:
        connection.execute(update(AppUser).where(AppUser.id == user_id).values(is_active=False))
    assert check_session(network, token, 30, now=NOW).status is SessionStatus.INACTIVE
    assert session_count(network) == 0
    assert ("head6", "session_revoked", True) in audit_rows(network)


# --- The app: sessions checked on every run, errors shown by id (AppTest) ----------------------


def _texts(at) -> str:
    from tests.apptest_support import visible_text

    return visible_text(at)


def test_deactivating_a_user_ends_their_open_session_at_once(private_app):
    from config.translations import TEXTS
    from data.db import make_engine
    from data.users import deactivate_user
    from tests.apptest_support import log_in

    at, url = private_app
    at = log_in(at, "head_sub")
    assert at.session_state["user"].username == "head_sub"
    engine = make_engine(url)
    deactivate_user(engine, "admin", "head_sub")
    at.run()
    assert not at.exception
    assert "user" not in at.session_state
    assert TEXTS["login_session_revoked"]["en"] in _texts(at)
    assert session_count(engine, "head_sub") == 0
    assert ("head_sub", "session_revoked", True) in audit_rows(engine)
    engine.dispose()


def test_a_changed_role_and_scope_apply_to_the_open_session_at_once(private_app):
    from config.translations import TEXTS
    from data.db import make_engine
    from data.users import set_role
    from tests.apptest_support import log_in

    at, url = private_app
    at = log_in(at, "head_outlet")
    outlet_root = at.session_state["scope"].root_unit_id
    engine = make_engine(url)
    with engine.connect() as connection:
        sub_branch = connection.execute(select(AppUser.scope_unit_id).where(AppUser.username == "head_sub")).scalar()
    set_role(engine, "admin", "head_outlet", "branch_head", sub_branch)
    at.run()
    assert not at.exception
    assert at.session_state["user"].scope_unit_id == sub_branch
    assert at.session_state["scope"].root_unit_id == sub_branch != outlet_root
    assert at.session_state["focus_unit_id"] == sub_branch
    assert TEXTS["login_session_rescoped"]["en"] in _texts(at)
    set_role(engine, "admin", "head_outlet", "executive")
    at.run()
    assert at.session_state["user"].role == "executive" and at.session_state["scope"].root_unit_id != sub_branch
    assert [row for row in audit_rows(engine) if row.action == "session_rescoped"] == [
        ("head_outlet", "session_rescoped", True)
    ] * 2
    engine.dispose()


def test_logging_out_deletes_the_server_side_session(private_app):
    from data.db import make_engine
    from tests.apptest_support import log_in

    at, url = private_app
    engine = make_engine(url)
    before = session_count(engine)  # sessions of the tests that ran on the shared database before
    at = log_in(at, "planner")
    assert session_count(engine) == before + 1
    at.sidebar.button(key="logout").click().run()
    assert "user" not in at.session_state
    assert session_count(engine) == before
    engine.dispose()


def test_an_unexpected_error_shows_an_error_id_and_no_details(app, monkeypatch, caplog):
    from data import users as user_admin
    from tests.apptest_support import log_in

    def broken(*args, **kwargs):
        raise RuntimeError("SELECT password_hash FROM app_user")

    monkeypatch.setattr(user_admin, "list_users", broken)
    at = log_in(app, "admin")
    at.switch_page("pages/users.py").run()
    assert not at.exception
    message = at.error[-1].value
    error_id = message.split("error id ")[1][:8]
    assert len(error_id) == 8 and "SELECT" not in _texts(at)
    assert any(error_id in record.getMessage() and record.exc_info for record in caplog.records)


def test_streamlit_is_configured_to_show_no_error_details():
    import tomllib

    from config.settings import PROJECT_ROOT

    with open(PROJECT_ROOT / ".streamlit" / "config.toml", "rb") as handle:
        assert tomllib.load(handle)["client"]["showErrorDetails"] == "none"

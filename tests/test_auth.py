"""Log-in on SQLite and PostgreSQL: bcrypt, lockout after repeated failures, audit log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from data.auth import LoginStatus, authenticate, hash_password, verify_password
from data.schema import AppUser, AuditLog
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

"""Users, passwords (bcrypt), log-in with lockout, and the audit log."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

import bcrypt
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine

from config.roles import ROLE_POLICIES
from data.schema import AppUser, AuditLog

BCRYPT_ROUNDS = 12
# Checked against when the user does not exist, so an unknown name costs as much time as a
# wrong password and response times do not reveal which user names exist.
_DUMMY_HASH = bcrypt.hashpw(b"not-a-password", bcrypt.gensalt(BCRYPT_ROUNDS))


class LoginStatus(enum.Enum):
    """Outcome of a log-in attempt (the page turns it into a translated message)."""

    OK = "ok"
    UNKNOWN_USER = "unknown_user"
    WRONG_PASSWORD = "wrong_password"
    LOCKED = "locked"
    INACTIVE = "inactive"


@dataclass(frozen=True)
class UserInfo:
    """The public facts of a logged-in user."""

    id: int
    username: str
    display_name: str
    role: str
    scope_unit_id: int | None
    language: str


@dataclass(frozen=True)
class LoginResult:
    """Status, the user on success, and the end of the lock when locked."""

    status: LoginStatus
    user: UserInfo | None = None
    locked_until: dt.datetime | None = None


def hash_password(password: str) -> str:
    """bcrypt hash (cost 12) of a password, as text."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(BCRYPT_ROUNDS)).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    """True when ``password`` matches the bcrypt ``password_hash``."""
    return bcrypt.checkpw(password.encode("utf-8"), password_hash.encode("ascii"))


def write_audit(
    connection: Connection, username: str | None, action: str, success: bool, detail: dict | None = None
) -> None:
    """Append one line to the audit log (inside the caller's transaction)."""
    connection.execute(
        insert(AuditLog).values(at=dt.datetime.now(), username=username, action=action, success=success, detail=detail)
    )


def create_user(
    connection: Connection,
    username: str,
    display_name: str,
    password: str,
    role: str,
    scope_unit_id: int | None = None,
    language: str = "zh",
) -> int:
    """Create a user and return their id. Branch heads must have a scope unit."""
    if role not in ROLE_POLICIES:
        raise ValueError(f"unknown role {role!r}; expected one of {sorted(ROLE_POLICIES)}")
    if ROLE_POLICIES[role].scoped_to_unit and scope_unit_id is None:
        raise ValueError(f"role {role} needs a scope unit")
    result = connection.execute(
        insert(AppUser).values(
            username=username,
            display_name=display_name,
            password_hash=hash_password(password),
            role=role,
            scope_unit_id=scope_unit_id,
            language=language,
            is_active=True,
            failed_attempts=0,
            created_at=dt.datetime.now(),
        )
    )
    return result.inserted_primary_key[0]


def authenticate(
    engine: Engine,
    username: str,
    password: str,
    max_failed_logins: int,
    lockout_minutes: int,
    now: dt.datetime | None = None,
) -> LoginResult:
    """Check a log-in; count failures, lock after ``max_failed_logins`` in a row; audit it all.

    A locked account stays locked for ``lockout_minutes`` even with the right password.
    """
    now = now or dt.datetime.now()
    username = username.strip()
    with engine.begin() as connection:
        user = connection.execute(select(AppUser.__table__).where(AppUser.username == username)).first()
        if user is None:
            bcrypt.checkpw(password.encode("utf-8"), _DUMMY_HASH)
            write_audit(connection, username[:64], "login", False, {"reason": "unknown_user"})
            return LoginResult(LoginStatus.UNKNOWN_USER)
        if not user.is_active:
            write_audit(connection, username, "login", False, {"reason": "inactive"})
            return LoginResult(LoginStatus.INACTIVE)
        if user.locked_until is not None and user.locked_until > now:
            write_audit(connection, username, "login", False, {"reason": "locked"})
            return LoginResult(LoginStatus.LOCKED, locked_until=user.locked_until)
        failed_before = 0 if user.locked_until is not None else user.failed_attempts
        if not verify_password(password, user.password_hash):
            failed = failed_before + 1
            locked_until = now + dt.timedelta(minutes=lockout_minutes) if failed >= max_failed_logins else None
            connection.execute(
                update(AppUser).where(AppUser.id == user.id).values(failed_attempts=failed, locked_until=locked_until)
            )
            write_audit(connection, username, "login", False, {"reason": "wrong_password", "failed": failed})
            if locked_until is not None:
                write_audit(connection, username, "account_locked", True, {"until": locked_until.isoformat()})
                return LoginResult(LoginStatus.LOCKED, locked_until=locked_until)
            return LoginResult(LoginStatus.WRONG_PASSWORD)
        connection.execute(
            update(AppUser).where(AppUser.id == user.id).values(failed_attempts=0, locked_until=None, last_login_at=now)
        )
        write_audit(connection, username, "login", True)
        return LoginResult(
            LoginStatus.OK,
            UserInfo(user.id, user.username, user.display_name, user.role, user.scope_unit_id, user.language),
        )

"""Users, passwords (bcrypt), log-in with lockout, and the audit log."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import secrets
from dataclasses import dataclass

import bcrypt
from sqlalchemy import case, delete, insert, null, or_, select, update
from sqlalchemy.engine import Connection, Engine

from config.roles import ROLE_POLICIES
from data.schema import AppUser, AuditLog, UserSession

BCRYPT_ROUNDS = 12
PASSWORD_MAX_BYTES = 72  # bcrypt reads at most 72 bytes (and bcrypt >= 5 refuses more)
# Checked against when no password of a user is checked (unknown name, locked account, password
# too long), so every failure costs one bcrypt check and response times reveal no user names.
_DUMMY_HASH = bcrypt.hashpw(b"not-a-password", bcrypt.gensalt(BCRYPT_ROUNDS))


class LoginStatus(enum.Enum):
    """Outcome of a log-in attempt (the page turns it into a translated message)."""

    OK = "ok"
    UNKNOWN_USER = "unknown_user"
    WRONG_PASSWORD = "wrong_password"
    LOCKED = "locked"
    INACTIVE = "inactive"
    PASSWORD_TOO_LONG = "password_too_long"


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
    """bcrypt hash (cost 12) of a password, as text; ValueError over 72 bytes (callers check first)."""
    if len(password.encode("utf-8")) > PASSWORD_MAX_BYTES:
        raise ValueError(f"a password may have at most {PASSWORD_MAX_BYTES} bytes")
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(BCRYPT_ROUNDS)).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    """True when ``password`` matches the bcrypt ``password_hash`` (False over 72 bytes)."""
    if len(password.encode("utf-8")) > PASSWORD_MAX_BYTES:
        return False
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


def _reserve_attempt(connection: Connection, username: str, max_failed: int, until: dt.datetime, now: dt.datetime):
    """Count one failure in advance, atomically, unless the account is locked; the user's row or None.

    One ``UPDATE … SET failed_attempts = failed_attempts + 1 … RETURNING``: concurrent log-ins
    each get their own count (PostgreSQL re-checks the WHERE clause after a concurrent update;
    SQLite runs writers one at a time), so at most ``max_failed`` passwords are checked before the
    lock. The attempt that reaches ``max_failed`` sets the lock at once; a right password then
    clears it. An expired lock starts a new count at 1.
    """
    lock_over = AppUser.locked_until.is_not(None)  # the WHERE clause lets only expired locks through
    new_count = case((lock_over, 1), else_=AppUser.failed_attempts + 1)
    return connection.execute(
        update(AppUser)
        .where(
            AppUser.username == username,
            or_(AppUser.locked_until.is_(None), AppUser.locked_until <= now),
            or_(lock_over, AppUser.failed_attempts < max_failed),
        )
        .values(failed_attempts=new_count, locked_until=case((new_count >= max_failed, until), else_=null()))
        .returning(
            AppUser.id,
            AppUser.username,
            AppUser.display_name,
            AppUser.password_hash,
            AppUser.role,
            AppUser.scope_unit_id,
            AppUser.language,
            AppUser.is_active,
            AppUser.failed_attempts,
            AppUser.locked_until,
        )
    ).first()


def _refused(connection: Connection, username: str, max_failed: int, until: dt.datetime, now: dt.datetime):
    """Why no attempt could be reserved: (reason, locked_until) for an unknown or locked user.

    A count at the limit without a lock (left by an older version) gets its lock now, so it expires.
    """
    row = connection.execute(select(AppUser.id, AppUser.locked_until).where(AppUser.username == username)).first()
    if row is None:
        return "unknown_user", None
    if row.locked_until is None:
        connection.execute(
            update(AppUser)
            .where(AppUser.id == row.id, AppUser.locked_until.is_(None), AppUser.failed_attempts >= max_failed)
            .values(locked_until=until)
        )
        return "locked", until
    return "locked", row.locked_until


def authenticate(
    engine: Engine,
    username: str,
    password: str,
    max_failed_logins: int,
    lockout_minutes: int,
    now: dt.datetime | None = None,
) -> LoginResult:
    """Check a log-in; count failures, lock after ``max_failed_logins`` in a row; audit it all.

    Every failure costs one bcrypt check (unknown user, locked account and over-long password
    included), and no password is checked while the account is locked, so a lock cannot be used
    to test passwords. A disabled account is reported (INACTIVE) only after the right password.
    A password over 72 bytes is refused (PASSWORD_TOO_LONG), counted and audited.
    """
    now = now or dt.datetime.now()
    username = username.strip()[:64]
    secret = password.encode("utf-8")
    too_long = len(secret) > PASSWORD_MAX_BYTES
    until = now + dt.timedelta(minutes=lockout_minutes)
    with engine.begin() as connection:  # committed before the slow check: others see the count
        user = _reserve_attempt(connection, username, max_failed_logins, until, now)
        if user is None:
            reason, locked_until = _refused(connection, username, max_failed_logins, until, now)
    if user is None:
        bcrypt.checkpw(secret[:PASSWORD_MAX_BYTES], _DUMMY_HASH)
        with engine.begin() as connection:
            write_audit(connection, username, "login", False, {"reason": "password_too_long" if too_long else reason})
        if too_long:
            return LoginResult(LoginStatus.PASSWORD_TOO_LONG)
        if reason == "locked":
            return LoginResult(LoginStatus.LOCKED, locked_until=locked_until)
        return LoginResult(LoginStatus.UNKNOWN_USER)
    if too_long:
        bcrypt.checkpw(secret[:PASSWORD_MAX_BYTES], _DUMMY_HASH)
        right = False
    else:
        right = verify_password(password, user.password_hash)
    with engine.begin() as connection:
        if right:
            return _password_right(connection, user, now)
        return _password_wrong(
            connection, user, "password_too_long" if too_long else "wrong_password", max_failed_logins
        )


def _password_right(connection: Connection, user, now: dt.datetime) -> LoginResult:
    """Clear the reserved count; log in an active user, refuse a disabled one (audited)."""
    values = {"failed_attempts": 0, "locked_until": None}
    if user.is_active:
        values["last_login_at"] = now
    connection.execute(update(AppUser).where(AppUser.id == user.id).values(**values))
    if not user.is_active:
        write_audit(connection, user.username, "login", False, {"reason": "inactive"})
        return LoginResult(LoginStatus.INACTIVE)
    write_audit(connection, user.username, "login", True)
    return LoginResult(
        LoginStatus.OK,
        UserInfo(user.id, user.username, user.display_name, user.role, user.scope_unit_id, user.language),
    )


def _password_wrong(connection: Connection, user, reason: str, max_failed: int) -> LoginResult:
    """Audit a wrong (or over-long) password whose failure is already counted; say if it locked."""
    write_audit(connection, user.username, "login", False, {"reason": reason, "failed": user.failed_attempts})
    if user.failed_attempts >= max_failed:
        write_audit(connection, user.username, "account_locked", True, {"until": user.locked_until.isoformat()})
        if reason == "password_too_long":
            return LoginResult(LoginStatus.PASSWORD_TOO_LONG)
        return LoginResult(LoginStatus.LOCKED, locked_until=user.locked_until)
    if reason == "password_too_long":
        return LoginResult(LoginStatus.PASSWORD_TOO_LONG)
    return LoginResult(LoginStatus.WRONG_PASSWORD)


# --- Sessions ---------------------------------------------------------------------------------


class SessionStatus(enum.Enum):
    """What ``check_session`` found for a session token."""

    VALID = "valid"
    ENDED = "ended"  # no such session: logged out, revoked, or never opened
    EXPIRED = "expired"  # idle too long, or older than its absolute limit
    INACTIVE = "inactive"  # the user has been deactivated


@dataclass(frozen=True)
class SessionCheck:
    """The status and, when valid, the user as the database has them now."""

    status: SessionStatus
    user: UserInfo | None = None


def token_hash(token: str) -> str:
    """SHA-256 (hex) of a session token: what the database stores instead of the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(engine: Engine, user_id: int, max_hours: float, now: dt.datetime | None = None) -> str:
    """Open a session for ``user_id`` lasting at most ``max_hours``; return its token.

    The token is 256 random bits (URL-safe text): it cannot be guessed or forged, and it is only
    valid while its row exists, so deleting the row revokes it.
    """
    now = now or dt.datetime.now()
    token = secrets.token_urlsafe(32)
    with engine.begin() as connection:
        connection.execute(
            insert(UserSession).values(
                token_hash=token_hash(token),
                user_id=user_id,
                created_at=now,
                last_seen_at=now,
                expires_at=now + dt.timedelta(hours=max_hours),
            )
        )
    return token


TOUCH_EVERY = dt.timedelta(seconds=60)  # last_seen_at is written at most once a minute


def check_session(
    engine: Engine, token: str, idle_minutes: int, now: dt.datetime | None = None, user_id: int | None = None
) -> SessionCheck:
    """The session of ``token`` and its user's current role, scope and active flag (one indexed read).

    An expired session is deleted and audited as ``timeout``; a deactivated user's sessions are all
    deleted and audited as ``session_revoked``. A valid session's last activity is recorded. When
    the session is gone and ``user_id`` (the user the caller believes it belongs to) has been
    deactivated meanwhile (deactivation deletes the sessions), the answer is INACTIVE, not ENDED.
    """
    now = now or dt.datetime.now()
    digest = token_hash(token)
    with engine.connect() as connection:
        row = connection.execute(
            select(
                UserSession.id.label("session_id"),
                UserSession.last_seen_at,
                UserSession.expires_at,
                AppUser.id,
                AppUser.username,
                AppUser.display_name,
                AppUser.role,
                AppUser.scope_unit_id,
                AppUser.language,
                AppUser.is_active,
            )
            .join(AppUser, AppUser.id == UserSession.user_id)
            .where(UserSession.token_hash == digest)
        ).first()
    if row is None:
        if user_id is not None:
            with engine.begin() as connection:
                user = connection.execute(
                    select(AppUser.username, AppUser.is_active).where(AppUser.id == user_id)
                ).first()
                if user is not None and not user.is_active:
                    write_audit(connection, user.username, "session_revoked", True, {"reason": "inactive"})
                    return SessionCheck(SessionStatus.INACTIVE)
        return SessionCheck(SessionStatus.ENDED)
    if not row.is_active:
        with engine.begin() as connection:
            revoke_sessions(connection, row.id)
            write_audit(connection, row.username, "session_revoked", True, {"reason": "inactive"})
        return SessionCheck(SessionStatus.INACTIVE)
    if now > row.expires_at or now - row.last_seen_at > dt.timedelta(minutes=idle_minutes):
        with engine.begin() as connection:
            connection.execute(delete(UserSession).where(UserSession.id == row.session_id))
            write_audit(connection, row.username, "timeout", True)
        return SessionCheck(SessionStatus.EXPIRED)
    if now - row.last_seen_at >= TOUCH_EVERY:
        with engine.begin() as connection:
            connection.execute(update(UserSession).where(UserSession.id == row.session_id).values(last_seen_at=now))
    user = UserInfo(row.id, row.username, row.display_name, row.role, row.scope_unit_id, row.language)
    return SessionCheck(SessionStatus.VALID, user)


def close_session(engine: Engine, token: str) -> None:
    """Delete the session of ``token`` (log-out, time-out); nothing happens if it is gone already."""
    with engine.begin() as connection:
        connection.execute(delete(UserSession).where(UserSession.token_hash == token_hash(token)))


def revoke_sessions(connection: Connection, user_id: int) -> int:
    """Delete every session of ``user_id`` (inside the caller's transaction); how many there were."""
    return connection.execute(delete(UserSession).where(UserSession.user_id == user_id)).rowcount

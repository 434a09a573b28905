"""Users, passwords (bcrypt), log-in with lockout, single sign-on identities, and the audit log."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

import bcrypt
from sqlalchemy import case, delete, func, insert, null, or_, select, update
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


# --- Single sign-on ---------------------------------------------------------------------------
# The bank's identity provider (OpenID Connect) says who the person is; BranchScope's own user
# table says what they may see. One claim of the ID token names the BranchScope user: its value,
# without "@<domain>" when a domain is configured, must be the user name (compared without case)
# of an existing, active account. A sign-on creates no user and changes no role or scope.

SSO_CLOCK_SKEW = dt.timedelta(seconds=60)  # an ID token issued this far "in the future" is still fresh
_AUDIT_TEXT_MAX = 200  # characters of a claim value kept in an audit line


class SsoStatus(enum.Enum):
    """Outcome of turning an identity from the identity provider into a BranchScope log-in."""

    OK = "ok"
    MISSING_CLAIM = "missing_claim"  # the ID token lacks the configured claim (refused, audited)
    WRONG_DOMAIN = "wrong_domain"  # the claim's value is not "<name>@<configured domain>" (refused, audited)
    UNKNOWN_IDENTITY = "unknown_identity"  # no BranchScope user has that name (refused, audited)
    AMBIGUOUS = "ambiguous_identity"  # two user names differ only in case (refused, audited)
    INACTIVE = "inactive"  # the BranchScope account is disabled (refused, audited)
    REUSED = "identity_reused"  # this ID token has already opened a session (refused, audited)
    NOT_FRESH = "not_fresh"  # the ID token is too old, or says nothing of when it was issued (not audited)


@dataclass(frozen=True)
class SsoResult:
    """The status, the user on success, and the user name the identity maps to (if any)."""

    status: SsoStatus
    user: UserInfo | None = None
    username: str | None = None


def sso_username(claims: Mapping[str, object], claim: str, domain: str = "") -> tuple[SsoStatus, str | None]:
    """The BranchScope user name an identity's ``claim`` names: ``(OK, name)``, or why there is none.

    The value is stripped and lower-cased (BranchScope user names are lower case; identity
    providers compare names without case; :func:`sso_log_in` finds the user without case too).
    With ``domain`` (e.g. ``"bank.cn"``) the value must end in ``@bank.cn`` (any case) and the
    part before it is the name: ``Zhang.San@Bank.cn`` → ``zhang.san``; a value of another
    domain, or without one, is WRONG_DOMAIN. A missing, empty or non-text claim is MISSING_CLAIM.
    """
    value = claims.get(claim)
    if not isinstance(value, str) or not value.strip():
        return SsoStatus.MISSING_CLAIM, None
    name = value.strip().lower()
    if domain:
        local, at, value_domain = name.rpartition("@")
        if not at or not local or value_domain != domain.strip().lower().lstrip("@"):
            return SsoStatus.WRONG_DOMAIN, None
        name = local
    return SsoStatus.OK, name


def _issued_at(claims: Mapping[str, object]) -> dt.datetime | None:
    """The ID token's ``iat`` (seconds since 1970, UTC) as the server's local time, or None."""
    issued = claims.get("iat")
    if isinstance(issued, bool) or not isinstance(issued, (int, float)):
        return None
    try:
        return dt.datetime.fromtimestamp(issued)
    except (OverflowError, OSError, ValueError):
        return None


def _sso_detail(claims: Mapping[str, object], claim: str, reason: str | None = None) -> dict:
    """What an SSO audit line keeps: the claim used, its value, the issuer and subject (and why refused)."""
    detail = {
        "claim": claim,
        "value": str(claims.get(claim, ""))[:_AUDIT_TEXT_MAX],
        "issuer": str(claims.get("iss", ""))[:_AUDIT_TEXT_MAX],
        "subject": str(claims.get("sub", ""))[:_AUDIT_TEXT_MAX],
    }
    if reason:
        detail["reason"] = reason
    return detail


def sso_log_in(
    engine: Engine,
    claims: Mapping[str, object],
    claim: str,
    domain: str = "",
    max_age_seconds: int = 300,
    now: dt.datetime | None = None,
) -> SsoResult:
    """Log in the BranchScope user that an identity provider's ID-token ``claims`` name; audit it.

    ``claim`` names the user (see :func:`sso_username`). An ID token counts only while fresh:
    issued (``iat``) at most ``max_age_seconds`` seconds ago (and at most a minute ahead of this
    server's clock), so a browser's leftover sign-on cookie cannot log anyone in after a
    time-out; and only once: a token issued before the user's last single sign-on
    (``sso_login`` in the audit log) is REUSED. A stale token is NOT_FRESH and not audited (it is
    no new sign-on); everything else writes one line: ``sso_login`` (success) or
    ``sso_login_refused`` (with the reason). A disabled account is refused (INACTIVE); a password
    lock does not stop a sign-on (it guards passwords) and the password counters are left as
    they are. ValueError for an empty ``claim`` or a ``max_age_seconds`` below 1.
    """
    if not claim or not claim.strip():
        raise ValueError("the single sign-on claim (setting sso_claim) must not be empty")
    if max_age_seconds < 1:
        raise ValueError("sso_max_age_seconds must be at least 1")
    now = now or dt.datetime.now()
    issued = _issued_at(claims)
    if issued is None or now - issued > dt.timedelta(seconds=max_age_seconds) or issued - now > SSO_CLOCK_SKEW:
        return SsoResult(SsoStatus.NOT_FRESH)
    status, username = sso_username(claims, claim, domain)
    with engine.begin() as connection:
        if status is not SsoStatus.OK:
            write_audit(connection, None, "sso_login_refused", False, _sso_detail(claims, claim, status.value))
            return SsoResult(status)
        username = username[:64]
        users = connection.execute(
            select(
                AppUser.id,
                AppUser.username,
                AppUser.display_name,
                AppUser.role,
                AppUser.scope_unit_id,
                AppUser.language,
                AppUser.is_active,
            )
            .where(func.lower(AppUser.username) == username)
            .limit(2)
        ).all()
        if len(users) != 1 or not users[0].is_active:
            status = {0: SsoStatus.UNKNOWN_IDENTITY, 1: SsoStatus.INACTIVE}.get(len(users), SsoStatus.AMBIGUOUS)
            write_audit(connection, username, "sso_login_refused", False, _sso_detail(claims, claim, status.value))
            return SsoResult(status, username=username)
        user = users[0]
        username = user.username
        used = connection.execute(
            select(AuditLog.id)
            .where(
                AuditLog.username == username,
                AuditLog.action == "sso_login",
                AuditLog.success.is_(True),
                AuditLog.at >= issued,
            )
            .limit(1)
        ).first()
        if used is not None:
            detail = _sso_detail(claims, claim, SsoStatus.REUSED.value)
            write_audit(connection, username, "sso_login_refused", False, detail)
            return SsoResult(SsoStatus.REUSED, username=username)
        connection.execute(update(AppUser).where(AppUser.id == user.id).values(last_login_at=now))
        write_audit(connection, username, "sso_login", True, _sso_detail(claims, claim))
    info = UserInfo(user.id, user.username, user.display_name, user.role, user.scope_unit_id, user.language)
    return SsoResult(SsoStatus.OK, info, username)

"""User administration for the admin role: list, create, reset passwords, set role and scope,
unlock, deactivate and reactivate.

Every function takes ``(engine, actor, ...)``: ``actor`` is the user name of the acting
administrator. The actor's role is checked in the database (an active ``admin``), so the data
layer refuses a non-admin whatever page calls it. Every change runs in one transaction together
with its ``audit_log`` row (never with a password in it). Bad input raises ``UserAdminError``
carrying a translation key (``config/translations.py``) and changes nothing.
"""

from __future__ import annotations

import functools
import re

from sqlalchemy import case, func, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from config.roles import ROLE_POLICIES
from config.settings import PROJECT_ROOT
from data.auth import PASSWORD_MAX_BYTES, hash_password, revoke_sessions, write_audit
from data.auth import create_user as insert_user
from data.schema import ROLES, UNIT_LEVELS, AppUser, OrgUnit

USERNAME_PATTERN = re.compile(r"[a-z0-9_.-]{3,32}")
PASSWORD_MIN_LENGTH = 10
PASSWORD_MIN_DISTINCT = 5  # "aaaaaaaaa1" and "abababab12" are refused
COMMON_PASSWORDS_FILE = PROJECT_ROOT / "config" / "common_passwords.txt"
_EDGE_NON_LETTERS = re.compile(r"^[^a-z]+|[^a-z]+$")
DISPLAY_NAME_MAX_LENGTH = 100
USER_LANGUAGES = ("zh", "en")


class UserAdminError(Exception):
    """A refused administration request; ``key`` is the translation key of the message."""

    def __init__(self, key: str, **values) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


# --- Validation -----------------------------------------------------------------------------


@functools.cache
def common_passwords() -> frozenset[str]:
    """The refused common passwords of ``config/common_passwords.txt`` (lower case)."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _is_common(password: str) -> bool:
    """True for a listed password, or a listed word with digits or symbols added at either end."""
    lowered = password.lower()
    return lowered in common_passwords() or _EDGE_NON_LETTERS.sub("", lowered) in common_passwords()


def check_password_policy(password: str, username: str | None = None) -> None:
    """Raise UserAdminError unless the password is acceptable for ``username``.

    Acceptable: 10 characters to 72 bytes, letters and digits, at least 5 different characters,
    not a common password (``config/common_passwords.txt``, also with digits or symbols added at
    either end) and not containing the user name. Used for new users and password resets alike.
    """
    if (
        len(password) < PASSWORD_MIN_LENGTH
        or not any(c.isalpha() for c in password)
        or not any(c.isdigit() for c in password)
    ):
        raise UserAdminError("users_err_weak_password", min_length=PASSWORD_MIN_LENGTH)
    if len(password.encode("utf-8")) > PASSWORD_MAX_BYTES:
        raise UserAdminError("users_err_password_too_long", max_bytes=PASSWORD_MAX_BYTES)
    if len(set(password.lower())) < PASSWORD_MIN_DISTINCT:
        raise UserAdminError("users_err_password_repetitive", min_distinct=PASSWORD_MIN_DISTINCT)
    if _is_common(password):
        raise UserAdminError("users_err_password_common")
    if username and len(username.strip()) >= 3 and username.strip().lower() in password.lower():
        raise UserAdminError("users_err_password_has_username")


def check_username(username: str) -> str:
    """The user name without surrounding blanks; UserAdminError unless 3–32 of [a-z0-9_.-]."""
    username = username.strip()
    if not USERNAME_PATTERN.fullmatch(username):
        raise UserAdminError("users_err_username")
    return username


def _check_display_name(display_name: str) -> str:
    display_name = display_name.strip()
    if not display_name or len(display_name) > DISPLAY_NAME_MAX_LENGTH:
        raise UserAdminError("users_err_display_name", max_length=DISPLAY_NAME_MAX_LENGTH)
    return display_name


def _check_role_and_scope(connection: Connection, role: str, scope_unit_id: int | None) -> int | None:
    """Validate a role and its scope unit: any role may be scoped to any unit of the tree (head
    office, province, city branch, sub-branch or outlet); branch heads must be, the others
    without a unit see the whole bank."""
    if role not in ROLES or role not in ROLE_POLICIES:
        raise UserAdminError("users_err_role")
    if scope_unit_id is None:
        if ROLE_POLICIES[role].scoped_to_unit:
            raise UserAdminError("users_err_scope_required")
        return None
    level = connection.execute(select(OrgUnit.level).where(OrgUnit.id == int(scope_unit_id))).scalar()
    if level is None:
        raise UserAdminError("users_err_scope_unknown")
    return int(scope_unit_id)


def _require_admin(connection: Connection, actor: str) -> None:
    """Raise UserAdminError unless ``actor`` is an active admin according to the database."""
    row = connection.execute(select(AppUser.role, AppUser.is_active).where(AppUser.username == actor)).first()
    if row is None or row.role != "admin" or not row.is_active:
        raise UserAdminError("users_err_not_admin")


def _target(connection: Connection, username: str):
    """The row of the user being administered, locked for the rest of the transaction."""
    row = connection.execute(
        select(AppUser.__table__).where(AppUser.username == username.strip()).with_for_update()
    ).first()
    if row is None:
        raise UserAdminError("users_err_unknown_user")
    return row


def _other_active_admins(connection: Connection, user_id: int) -> int:
    """How many active admins there are besides ``user_id`` (rows locked against a concurrent change)."""
    ids = (
        connection.execute(
            select(AppUser.id)
            .where(AppUser.role == "admin", AppUser.is_active.is_(True), AppUser.id != user_id)
            .with_for_update()
        )
        .scalars()
        .all()
    )
    return len(ids)


# --- Reading --------------------------------------------------------------------------------


def list_users(engine: Engine, actor: str) -> list[dict]:
    """Every user (never the password hash) with their scope unit's code and names, by user name.

    Keys: id, username, display_name, role, scope_unit_id, scope_code, scope_name_zh,
    scope_name_en, language, is_active, failed_attempts, locked_until, last_login_at, created_at.
    """
    with engine.connect() as connection:
        _require_admin(connection, actor)
        rows = connection.execute(
            select(
                AppUser.id,
                AppUser.username,
                AppUser.display_name,
                AppUser.role,
                AppUser.scope_unit_id,
                OrgUnit.code.label("scope_code"),
                OrgUnit.name_zh.label("scope_name_zh"),
                OrgUnit.name_en.label("scope_name_en"),
                AppUser.language,
                AppUser.is_active,
                AppUser.failed_attempts,
                AppUser.locked_until,
                AppUser.last_login_at,
                AppUser.created_at,
            )
            .outerjoin(OrgUnit, OrgUnit.id == AppUser.scope_unit_id)
            .order_by(AppUser.username)
        ).all()
    return [dict(row._mapping) for row in rows]


def scope_units(engine: Engine, actor: str) -> list[dict]:
    """The units a user may be scoped to: every unit of the tree, from the top level down
    (``UNIT_LEVELS``), by code within a level.

    Keys: id, code, name_zh, name_en, level, status, path.
    """
    rank = case({level: index for index, level in enumerate(UNIT_LEVELS)}, value=OrgUnit.level, else_=len(UNIT_LEVELS))
    with engine.connect() as connection:
        _require_admin(connection, actor)
        rows = connection.execute(
            select(
                OrgUnit.id, OrgUnit.code, OrgUnit.name_zh, OrgUnit.name_en, OrgUnit.level, OrgUnit.status, OrgUnit.path
            ).order_by(rank, OrgUnit.code)
        ).all()
    return [dict(row._mapping) for row in rows]


# --- Changes --------------------------------------------------------------------------------


def _checked_new_user(username: str, display_name: str, password: str, language: str) -> tuple[str, str]:
    """User name and display name as stored, after every check a new user must pass."""
    username = check_username(username)
    display_name = _check_display_name(display_name)
    check_password_policy(password, username)
    if language not in USER_LANGUAGES:
        raise UserAdminError("users_err_language")
    return username, display_name


def create_user(
    engine: Engine,
    actor: str,
    username: str,
    display_name: str,
    password: str,
    role: str,
    scope_unit_id: int | None = None,
    language: str = "zh",
) -> int:
    """Create an active user and return their id; audited as ``user_created``."""
    username, display_name = _checked_new_user(username, display_name, password, language)
    try:
        with engine.begin() as connection:
            _require_admin(connection, actor)
            scope_unit_id = _check_role_and_scope(connection, role, scope_unit_id)
            taken = connection.execute(
                select(func.count()).select_from(AppUser).where(func.lower(AppUser.username) == username)
            ).scalar()
            if taken:
                raise UserAdminError("users_err_duplicate")
            user_id = insert_user(connection, username, display_name, password, role, scope_unit_id, language)
            write_audit(
                connection,
                actor,
                "user_created",
                True,
                {
                    "user": username,
                    "display_name": display_name,
                    "role": role,
                    "scope_unit_id": scope_unit_id,
                    "language": language,
                },
            )
    except IntegrityError as error:  # created by someone else at the same moment
        raise UserAdminError("users_err_duplicate") from error
    return user_id


def reset_password(engine: Engine, actor: str, username: str, new_password: str) -> None:
    """Set a new password (same policy as for new users), clear failures and lock, and end the
    user's open sessions."""
    check_password_policy(new_password, username)
    password_hash = hash_password(new_password)  # slow: before the transaction takes any lock
    with engine.begin() as connection:
        _require_admin(connection, actor)
        user = _target(connection, username)
        connection.execute(
            update(AppUser)
            .where(AppUser.id == user.id)
            .values(password_hash=password_hash, failed_attempts=0, locked_until=None)
        )
        ended = revoke_sessions(connection, user.id)
        write_audit(connection, actor, "password_reset", True, {"user": user.username, "sessions_ended": ended})


def set_role(engine: Engine, actor: str, username: str, role: str, scope_unit_id: int | None = None) -> None:
    """Change a user's role and scope unit (validated as for new users); audited as ``role_changed``.

    The last active admin keeps the admin role (an admin may hand over and demote themselves).
    """
    with engine.begin() as connection:
        _require_admin(connection, actor)
        user = _target(connection, username)
        scope_unit_id = _check_role_and_scope(connection, role, scope_unit_id)
        if user.role == "admin" and role != "admin" and user.is_active:
            if _other_active_admins(connection, user.id) == 0:
                raise UserAdminError("users_err_last_admin")
        connection.execute(update(AppUser).where(AppUser.id == user.id).values(role=role, scope_unit_id=scope_unit_id))
        write_audit(
            connection,
            actor,
            "role_changed",
            True,
            {
                "user": user.username,
                "old_role": user.role,
                "new_role": role,
                "old_scope_unit_id": user.scope_unit_id,
                "new_scope_unit_id": scope_unit_id,
            },
        )


def unlock_user(engine: Engine, actor: str, username: str) -> None:
    """Clear a user's failed log-in count and lock; audited as ``user_unlocked``."""
    with engine.begin() as connection:
        _require_admin(connection, actor)
        user = _target(connection, username)
        connection.execute(update(AppUser).where(AppUser.id == user.id).values(failed_attempts=0, locked_until=None))
        write_audit(
            connection,
            actor,
            "user_unlocked",
            True,
            {
                "user": user.username,
                "failed_attempts": user.failed_attempts,
                "locked_until": user.locked_until.isoformat() if user.locked_until else None,
            },
        )


def deactivate_user(engine: Engine, actor: str, username: str) -> None:
    """Stop a user from logging in and end their open sessions; audited as ``user_deactivated``.

    Refused for the acting admin themselves and for the last active admin.
    """
    with engine.begin() as connection:
        _require_admin(connection, actor)
        user = _target(connection, username)
        if user.username == actor:
            raise UserAdminError("users_err_self_deactivate")
        if user.role == "admin" and user.is_active and _other_active_admins(connection, user.id) == 0:
            raise UserAdminError("users_err_last_admin")
        connection.execute(update(AppUser).where(AppUser.id == user.id).values(is_active=False))
        ended = revoke_sessions(connection, user.id)
        write_audit(connection, actor, "user_deactivated", True, {"user": user.username, "sessions_ended": ended})


def reactivate_user(engine: Engine, actor: str, username: str) -> None:
    """Let a deactivated user log in again; audited as ``user_reactivated``."""
    with engine.begin() as connection:
        _require_admin(connection, actor)
        user = _target(connection, username)
        connection.execute(update(AppUser).where(AppUser.id == user.id).values(is_active=True))
        write_audit(connection, actor, "user_reactivated", True, {"user": user.username})


def users_exist(engine: Engine) -> bool:
    """Whether the database has at least one active user (a new production database has none)."""
    with engine.connect() as connection:
        statement = select(AppUser.id).where(AppUser.is_active.is_(True)).limit(1)
        return connection.execute(statement).first() is not None


# --- Command line: the first administrator ---------------------------------------------------

ADMIN_PASSWORD_ENV = "BRANCHSCOPE_ADMIN_PASSWORD"


def create_first_admin(
    engine: Engine, username: str, display_name: str, password: str, language: str = "zh", actor: str = "cli"
) -> int:
    """Create the first administrator (no admin to act yet) and return their id.

    Same checks as :func:`create_user` (user name, display name, password policy, language);
    refused with ``users_err_admin_exists`` once an active admin exists (they create further
    users in the app). Audited as ``user_created`` by ``actor`` with ``via: create-admin``.
    """
    username, display_name = _checked_new_user(username, display_name, password, language)
    try:
        with engine.begin() as connection:
            admins = connection.execute(
                select(func.count()).select_from(AppUser).where(AppUser.role == "admin", AppUser.is_active.is_(True))
            ).scalar()
            if admins:
                raise UserAdminError("users_err_admin_exists")
            taken = connection.execute(
                select(func.count()).select_from(AppUser).where(func.lower(AppUser.username) == username)
            ).scalar()
            if taken:
                raise UserAdminError("users_err_duplicate")
            user_id = insert_user(connection, username, display_name, password, "admin", None, language)
            detail = {"user": username, "display_name": display_name, "role": "admin", "via": "create-admin"}
            write_audit(connection, actor, "user_created", True, {**detail, "language": language})
    except IntegrityError as error:  # created by someone else at the same moment
        raise UserAdminError("users_err_duplicate") from error
    return user_id


def _admin_password(username: str) -> str:
    """The password from ``BRANCHSCOPE_ADMIN_PASSWORD``, else asked twice on the terminal."""
    import getpass
    import os

    given = os.environ.get(ADMIN_PASSWORD_ENV)
    if given:
        return given
    password = getpass.getpass(f"Password for {username}: ")
    if getpass.getpass("Repeat the password: ") != password:
        raise UserAdminError("users_err_password_mismatch")
    return password


def main(argv: list[str] | None = None) -> int:
    """``python -m data.users create-admin NAME``; exit 0 created, 1 refused, 2 database not usable."""
    import argparse
    import sys

    from config.settings import load_settings
    from config.translations import TEXTS
    from data.db import DatabaseState, database_state, make_engine

    parser = argparse.ArgumentParser(prog="python -m data.users", description="Create the first administrator.")
    parser.add_argument("command", choices=("create-admin",))
    parser.add_argument("username", help="3–32 of a-z 0-9 _ . -")
    parser.add_argument("--display-name", default=None, help="name shown in the app (default: the user name)")
    parser.add_argument("--language", choices=USER_LANGUAGES, default="zh", help="the administrator's app language")
    parser.add_argument("--database-url", default=None, help="SQLAlchemy URL (default: DATABASE_URL or settings)")
    parser.add_argument("--lang", choices=USER_LANGUAGES, default="en", help="language of the messages")
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url or load_settings().database_url)
    try:
        if database_state(engine) in (DatabaseState.UNREACHABLE, DatabaseState.NOT_MIGRATED):
            where = engine.url.render_as_string(hide_password=True)
            print(f"error: the database at {where} is not usable (run python -m data.setup_db first)", file=sys.stderr)
            return 2
        try:
            password = _admin_password(args.username.strip())
            create_first_admin(engine, args.username, args.display_name or args.username, password, args.language)
        except UserAdminError as error:
            print(f"error: {TEXTS[error.key][args.lang].format(**error.values)}", file=sys.stderr)
            return 1
        except (EOFError, KeyboardInterrupt):
            print("error: no password given", file=sys.stderr)
            return 1
    finally:
        engine.dispose()
    print(f"Administrator {args.username.strip()} created. Log in to the app to create the other users.")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())

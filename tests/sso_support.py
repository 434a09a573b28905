"""What the single sign-on tests read and change in the app's database directly (AppTest and
browser alike): audit lines of an action, a user's log-in sessions, a user's active flag."""

from __future__ import annotations

from sqlalchemy import func, select, update

from data.db import make_engine
from data.schema import AppUser, AuditLog, UserSession


def audit(url: str, action: str) -> list[tuple]:
    """(username, success, detail) of every audit line of ``action``, oldest first."""
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(AuditLog.username, AuditLog.success, AuditLog.detail)
            .where(AuditLog.action == action)
            .order_by(AuditLog.id)
        ).all()
    engine.dispose()
    return [tuple(row) for row in rows]


def sessions_of(url: str, username: str) -> int:
    """How many log-in sessions the user has open."""
    engine = make_engine(url)
    with engine.connect() as connection:
        count = connection.execute(
            select(func.count()).select_from(UserSession).join(AppUser).where(AppUser.username == username)
        ).scalar()
    engine.dispose()
    return count


def set_active(url: str, username: str, active: bool) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(update(AppUser).where(AppUser.username == username).values(is_active=active))
    engine.dispose()

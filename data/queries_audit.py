"""The audit log, read: filtered audit lines for the audit-log page (administrators and auditors
only), the users and actions to filter by, and the audit line of an audit-log download.

Audit lines are only ever added (``data.auth.write_audit``); nothing in the app changes or
deletes them (a test scans ``data/`` for it), and on PostgreSQL the app's database role should
not be allowed to (README, "Audit log"). Every filter reaches the database as a bound parameter.
Times are the app server's local time, as written.

The functions take ``(engine, scope, ...)`` and raise ``ScopeError`` for any role but the
administrator and the auditor. They are not in ``data.query_support.SCOPED_QUERIES``: those are
the network's unit queries, which every role reads through the page cache, while audit lines must
be read fresh (a line written a second ago is shown) and by two roles only.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from sqlalchemy import Select, func, or_, select
from sqlalchemy.engine import Connection, Engine

from data.auth import write_audit
from data.schema import AuditLog, OrgUnit
from data.scope import Scope, ScopeError, require_unit_in_scope

#: The roles that may read the audit log.
AUDIT_READER_ROLES = ("admin", "auditor")
#: Keys of an audit line's detail that name a unit (an outlet, the unit of a change, the scope
#: unit of an export); the unit filter matches any of them.
DETAIL_UNIT_KEYS = ("unit_id", "outlet_id", "scope_unit_id")
#: At most this many lines go into one download (CSV or Excel).
EXPORT_LIMIT = 100_000
#: The action of the audit line a download of the audit log writes.
EXPORT_ACTION = "audit_log_export"

COLUMNS = ["id", "at", "username", "action", "success", "detail"]


def require_audit_reader(scope: Scope) -> None:
    """ScopeError unless the scope's role may read the audit log (administrator, auditor)."""
    if scope.role not in AUDIT_READER_ROLES:
        raise ScopeError(f"{scope.username} ({scope.role}) may not read the audit log")


def _subtree_ids(connection: Connection, scope: Scope, unit_id: int) -> list[int]:
    """The ids of ``unit_id`` and every unit under it (ScopeError outside the scope)."""
    path = require_unit_in_scope(connection, scope, unit_id)
    return list(connection.execute(select(OrgUnit.id).where(OrgUnit.path.startswith(path))).scalars())


def _filtered(
    statement: Select,
    connection: Connection,
    scope: Scope,
    username: str | None,
    action: str | None,
    unit_id: int | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    success: bool | None,
) -> Select:
    """``statement`` with the filters' WHERE clauses, each value a bound parameter."""
    if username is not None:
        statement = statement.where(AuditLog.username == str(username))
    if action is not None:
        statement = statement.where(AuditLog.action == str(action))
    if date_from is not None:
        statement = statement.where(AuditLog.at >= dt.datetime.combine(date_from, dt.time.min))
    if date_to is not None:  # inclusive: before the next day's midnight
        statement = statement.where(AuditLog.at < dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min))
    if success is not None:
        statement = statement.where(AuditLog.success.is_(bool(success)))
    if unit_id is not None:
        ids = _subtree_ids(connection, scope, unit_id)
        statement = statement.where(or_(*(AuditLog.detail[key].as_integer().in_(ids) for key in DETAIL_UNIT_KEYS)))
    return statement


def audit_lines(
    engine: Engine,
    scope: Scope,
    *,
    username: str | None = None,
    action: str | None = None,
    unit_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    success: bool | None = None,
    limit: int = 500,
) -> pd.DataFrame:
    """The audit lines matching every given filter, newest first, at most ``limit`` of them.

    Filters (None: any): ``username`` exactly; ``action`` exactly; ``unit_id``: lines whose
    detail names this unit or a unit under it (:data:`DETAIL_UNIT_KEYS`; ScopeError for a unit
    outside the scope); ``date_from`` … ``date_to``: days of the time written, both inclusive;
    ``success``: True for successes, False for refusals and failures.

    Columns ``id, at, username, action, success, detail`` (``detail`` a dict or None);
    ``attrs["matching"]`` is the number of matching lines, however many were returned.
    """
    require_audit_reader(scope)
    filters = (username, action, unit_id, date_from, date_to, success)
    with engine.connect() as connection:
        matching = connection.execute(
            _filtered(select(func.count()).select_from(AuditLog), connection, scope, *filters)
        ).scalar_one()
        rows = connection.execute(
            _filtered(
                select(AuditLog.id, AuditLog.at, AuditLog.username, AuditLog.action, AuditLog.success, AuditLog.detail),
                connection,
                scope,
                *filters,
            )
            .order_by(AuditLog.at.desc(), AuditLog.id.desc())
            .limit(max(int(limit), 0))
        ).all()
    frame = pd.DataFrame([tuple(row) for row in rows], columns=COLUMNS, dtype=object)  # None stays None
    frame["success"] = frame["success"].astype(bool)
    frame.attrs["matching"] = int(matching)
    return frame


def audit_filter_choices(engine: Engine, scope: Scope) -> dict[str, list[str]]:
    """The user names and actions found in the audit log, each sorted (for the page's filters)."""
    require_audit_reader(scope)
    with engine.connect() as connection:
        users = connection.execute(
            select(AuditLog.username).distinct().where(AuditLog.username.is_not(None)).order_by(AuditLog.username)
        ).scalars()
        actions = connection.execute(select(AuditLog.action).distinct().order_by(AuditLog.action)).scalars()
        return {"users": list(users), "actions": list(actions)}


def detail_text(detail) -> str:
    """An audit line's detail as one line of JSON (keys sorted, Chinese kept), "" for none."""
    if detail is None:
        return ""
    return json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)


def audit_export(engine: Engine, scope: Scope, file_format: str, rows: int, filters: dict) -> None:
    """Write the download of ``rows`` audit lines (``file_format`` "csv" or "xlsx", with the
    filters used: names to values as text) to the audit log. ScopeError for other roles."""
    require_audit_reader(scope)
    with engine.begin() as connection:
        write_audit(
            connection,
            scope.username,
            EXPORT_ACTION,
            True,
            {"format": str(file_format)[:8], "rows": int(rows), "filters": {k: str(v) for k, v in filters.items()}},
        )

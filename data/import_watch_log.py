"""The drop-folder failures the import page shows the stewards: the audit lines that
:mod:`data.importer.watch` writes when a delivery fails (action ``drop_folder_failed``).

For data stewards and administrators only (the roles that import): any other role gets
``ScopeError``, whatever page asks. The page reads this module directly, as it reads the
import history; it is not one of the unit-scoped queries of ``data.query_support``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine

from config.pages import ADMIN, DATA_STEWARD
from data.schema import AuditLog
from data.scope import Scope, ScopeError

FAILED_ACTION = "drop_folder_failed"  # written by data.importer.watch
FAILURE_COLUMNS = ["at", "folder", "moved_to", "errors"]
READER_ROLES = (DATA_STEWARD, ADMIN)


def drop_folder_failures(
    engine: Engine, scope: Scope, days: int = 7, now: dt.datetime | None = None, limit: int = 50
) -> pd.DataFrame:
    """The drop-folder deliveries that failed in the last ``days`` days (before ``now``, local
    time as the audit log records it), newest first, at most ``limit``. Columns: ``at``
    (datetime), ``folder`` (the delivery's sub-folder name), ``moved_to`` ("failed", or "done"
    when it loaded but an account extract could not be marked complete), ``errors`` (list of
    the first messages). Raises ``ScopeError`` for a role other than steward or admin."""
    if scope.role not in READER_ROLES:
        raise ScopeError(f"{scope.username} may not read the drop-folder failures")
    since = (now or dt.datetime.now()) - dt.timedelta(days=int(days))
    with engine.connect() as connection:
        rows = connection.execute(
            select(AuditLog.at, AuditLog.detail)
            .where(AuditLog.action == FAILED_ACTION, AuditLog.at >= since)
            .order_by(AuditLog.at.desc(), AuditLog.id.desc())
            .limit(int(limit))
        ).all()
    records = []
    for at, detail in rows:
        detail = detail or {}
        errors = detail.get("errors") or []
        records.append((at, str(detail.get("folder", "")), str(detail.get("moved_to", "")), [str(e) for e in errors]))
    return pd.DataFrame(records, columns=FAILURE_COLUMNS)

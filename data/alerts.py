"""Writing alerts: raise or refresh them from the rules, change their status and owner, and save
the user-adjustable thresholds.

- ``refresh_alerts`` evaluates the rules of ``analytics.alerts`` for every outlet of a subtree
  in one month and makes the ``alert`` table agree, idempotently: a new finding is inserted
  (status "open", no owner), a finding that is still there gets its severity, value, threshold
  and detail brought up to date (status and owner are never touched), and a stored alert that
  no longer fires is deleted only while nobody has acted on it (status "open" and no owner);
  acknowledged, resolved or owned alerts stay as the record of what was done.
- ``update_alert`` changes status and/or owner. Only active executives, planners and branch
  heads may (checked in the database), a branch head only for outlets in their scope; an alert
  outside the scope is reported exactly like an unknown one. Every change is audited.
- ``save_thresholds`` stores the thresholds (one set for the whole bank) in ``app_setting``;
  executives and planners only; audited.

Refused requests raise ``AlertError`` with a translation key and change nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from analytics.alerts import AlertSettingsError, AlertThresholds
from data.auth import write_audit
from data.queries_performance import ALERT_SETTING_KEY, evaluate_subtree, load_thresholds
from data.schema import ALERT_STATUSES, Alert, AppSetting, AppUser, OrgUnit
from data.scope import Scope, ScopeError, require_unit_in_scope

ALERT_EDITOR_ROLES = ("executive", "planner", "branch_head")
SETTINGS_EDITOR_ROLES = ("executive", "planner")
OWNER_MAX_LENGTH = 64


class AlertError(Exception):
    """A refused alert request; ``key`` is the translation key of the message."""

    def __init__(self, key: str, **values) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def _require_role(connection: Connection, scope: Scope, roles: tuple[str, ...], key: str) -> None:
    """AlertError(key) unless the scope's user is active in the database with a role in ``roles``."""
    row = connection.execute(select(AppUser.role, AppUser.is_active).where(AppUser.username == scope.username)).first()
    if row is None or not row.is_active or row.role != scope.role or row.role not in roles:
        raise AlertError(key)


def _json_safe(detail):
    if detail is None:
        return None
    return {key: (float(value) if hasattr(value, "item") else value) for key, value in detail.items()}


def refresh_alerts(engine: Engine, scope: Scope, unit_id: int, month: dt.date) -> dict:
    """Evaluate the rules for the subtree in ``month`` and make the alert table agree (see the
    module docstring). Returns counts: raised (new), updated, cleared (deleted), active (firing
    now). Writes one audit line when anything was raised or cleared. ScopeError for a unit
    outside the scope."""
    for attempt in range(2):  # a concurrent refresh may insert the same alert first: retry once
        try:
            return _refresh_once(engine, scope, unit_id, month)
        except IntegrityError:
            if attempt == 1:
                raise
    raise AssertionError("unreachable")


def _refresh_once(engine: Engine, scope: Scope, unit_id: int, month: dt.date) -> dict:
    now = dt.datetime.now()
    with engine.begin() as connection:
        thresholds = load_thresholds(connection)
        path = require_unit_in_scope(connection, scope, unit_id)
        found = evaluate_subtree(connection, scope, unit_id, month, thresholds)
        stored = connection.execute(
            select(Alert.id, Alert.outlet_id, Alert.rule, Alert.metric_code, Alert.status, Alert.owner, Alert.value)
            .join(OrgUnit, OrgUnit.id == Alert.outlet_id)
            .where(OrgUnit.path.startswith(path), Alert.month == month)
        ).all()
        existing = {(row.outlet_id, row.rule, row.metric_code): row for row in stored}
        raised = updated = cleared = 0
        firing = set()
        for alert in found.itertuples(index=False):
            key = (int(alert.outlet_id), alert.rule, alert.metric_code)
            firing.add(key)
            values = {
                "severity": alert.severity,
                "value": float(alert.value),
                "threshold": float(alert.threshold),
                "detail": _json_safe(alert.detail),
            }
            if key in existing:
                connection.execute(update(Alert).where(Alert.id == existing[key].id).values(**values))
                updated += 1
            else:
                connection.execute(
                    insert(Alert).values(
                        outlet_id=key[0],
                        rule=key[1],
                        metric_code=key[2],
                        month=month,
                        status="open",
                        owner=None,
                        created_at=now,
                        updated_at=now,
                        **values,
                    )
                )
                raised += 1
        stale = [
            row.id for key, row in existing.items() if key not in firing and row.status == "open" and not row.owner
        ]
        if stale:
            connection.execute(delete(Alert).where(Alert.id.in_(stale)))
            cleared = len(stale)
        if raised or cleared:
            write_audit(
                connection,
                scope.username,
                "alerts_refresh",
                True,
                {"unit_id": int(unit_id), "month": month.isoformat(), "raised": raised, "cleared": cleared},
            )
    return {"raised": raised, "updated": updated, "cleared": cleared, "active": len(firing)}


# --------------------------------------------------------------------------- status, owner, settings


def update_alert(
    engine: Engine, scope: Scope, alert_id: int, status: str | None = None, owner: str | None = None
) -> bool:
    """Set an alert's status (one of ALERT_STATUSES) and/or owner (None leaves a field as it is;
    an empty owner clears it). Returns True when something changed. AlertError when the caller
    may not, the alert is unknown or outside the scope, or the input is bad."""
    with engine.begin() as connection:
        _require_role(connection, scope, ALERT_EDITOR_ROLES, "alert_err_not_allowed")
        row = connection.execute(
            select(Alert.id, Alert.outlet_id, Alert.rule, Alert.metric_code, Alert.month, Alert.status, Alert.owner)
            .where(Alert.id == int(alert_id))
            .with_for_update()
        ).first()
        if row is None:
            raise AlertError("alert_err_unknown")
        try:
            require_unit_in_scope(connection, scope, row.outlet_id)
        except ScopeError:
            raise AlertError("alert_err_unknown") from None
        changes = {}
        if status is not None:
            if status not in ALERT_STATUSES:
                raise AlertError("alert_err_status")
            if status != row.status:
                changes["status"] = status
        if owner is not None:
            owner = owner.strip()
            if len(owner) > OWNER_MAX_LENGTH:
                raise AlertError("alert_err_owner", max_length=OWNER_MAX_LENGTH)
            new_owner = owner or None
            if new_owner != row.owner:
                changes["owner"] = new_owner
        if not changes:
            return False
        connection.execute(update(Alert).where(Alert.id == row.id).values(**changes, updated_at=dt.datetime.now()))
        write_audit(
            connection,
            scope.username,
            "alert_update",
            True,
            {
                "alert_id": int(row.id),
                "outlet_id": int(row.outlet_id),
                "rule": row.rule,
                "metric_code": row.metric_code,
                "month": str(row.month)[:10],
                "before": {"status": row.status, "owner": row.owner},
                "after": {"status": changes.get("status", row.status), "owner": changes.get("owner", row.owner)},
            },
        )
    return True


def save_thresholds(engine: Engine, scope: Scope, values: dict) -> AlertThresholds:
    """Validate and store the alert thresholds for everyone (executives and planners only).

    Returns the stored thresholds. AlertError for a caller who may not or a bad value (the
    error carries the translation key of ``analytics.alerts.AlertSettingsError``)."""
    try:
        thresholds = AlertThresholds.from_dict(values)
    except AlertSettingsError as error:
        raise AlertError(error.key, **error.values) from None
    now = dt.datetime.now()
    with engine.begin() as connection:
        _require_role(connection, scope, SETTINGS_EDITOR_ROLES, "alert_err_settings_not_allowed")
        before = load_thresholds(connection).to_dict()
        exists = connection.execute(select(AppSetting.key).where(AppSetting.key == ALERT_SETTING_KEY)).first()
        stored = {"value": thresholds.to_dict(), "updated_by": scope.username, "updated_at": now}
        if exists:
            connection.execute(update(AppSetting).where(AppSetting.key == ALERT_SETTING_KEY).values(**stored))
        else:
            connection.execute(insert(AppSetting).values(key=ALERT_SETTING_KEY, **stored))
        write_audit(
            connection, scope.username, "alert_settings", True, {"before": before, "after": thresholds.to_dict()}
        )
    return thresholds

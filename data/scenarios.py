"""Saved what-if scenarios (table ``scenario``): save, list, load and delete, with role, scope and
owner checks, and every change written to the audit log.

Who may do what:

* roles whose pages include ``scenarios`` (``config/roles.py``) may save scenarios and list and
  open the scenarios of units inside their scope (planning is shared work: a planner may compare
  their scenario with a colleague's);
* only the owner may overwrite or delete a scenario.

A scenario's ``params`` hold the unit it was made for (``unit_id``), its actions and model
settings; ``results`` hold the before/after figures, so a list or a comparison does not recompute.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine

from config.roles import ROLE_POLICIES
from data.auth import write_audit
from data.schema import AppUser, OrgUnit, Scenario
from data.scope import Scope, ScopeError, require_unit_in_scope

SCENARIO_PAGE = "scenarios"
MAX_NAME_LENGTH = 100


class ScenarioPermissionError(PermissionError):
    """The caller may not do this to the scenario (wrong role, not the owner, unknown id)."""


def _require_role(scope: Scope) -> None:
    if SCENARIO_PAGE not in ROLE_POLICIES[scope.role].pages:
        raise ScenarioPermissionError(f"role {scope.role} may not use scenarios")


def _user_id(connection, username: str) -> int:
    user_id = connection.execute(select(AppUser.id).where(AppUser.username == username)).scalar()
    if user_id is None:
        raise ScenarioPermissionError(f"unknown user {username}")
    return int(user_id)


def _clean_name(name: str) -> str:
    cleaned = " ".join(str(name).split())
    if not cleaned or len(cleaned) > MAX_NAME_LENGTH:
        raise ValueError(f"a scenario name needs 1 to {MAX_NAME_LENGTH} characters")
    return cleaned


def save_scenario(engine: Engine, scope: Scope, unit_id: int, name: str, params: dict, results: dict) -> int:
    """Save (or, for the same owner and name, overwrite) a scenario for ``unit_id``; its id.

    Raises ScopeError for a unit outside the scope, ScenarioPermissionError for a role without the
    scenario page, ValueError for an empty or too long name. Audited as ``scenario_save``.
    """
    _require_role(scope)
    cleaned = _clean_name(name)
    now = dt.datetime.now().replace(microsecond=0)
    stored = {**params, "unit_id": int(unit_id)}
    with engine.begin() as connection:
        require_unit_in_scope(connection, scope, unit_id)
        owner = _user_id(connection, scope.username)
        existing = connection.execute(
            select(Scenario.id).where(Scenario.owner_user_id == owner, Scenario.name == cleaned)
        ).scalar()
        if existing is None:
            scenario_id = connection.execute(
                Scenario.__table__.insert()
                .values(
                    owner_user_id=owner, name=cleaned, created_at=now, updated_at=now, params=stored, results=results
                )
                .returning(Scenario.id)
            ).scalar_one()
        else:
            scenario_id = int(existing)
            connection.execute(
                Scenario.__table__.update()
                .where(Scenario.id == scenario_id)
                .values(updated_at=now, params=stored, results=results)
            )
        write_audit(
            connection,
            scope.username,
            "scenario_save",
            True,
            {
                "scenario_id": int(scenario_id),
                "name": cleaned,
                "unit_id": int(unit_id),
                "overwrote": existing is not None,
            },
        )
    return int(scenario_id)


def _visible(connection, scope: Scope, unit_id) -> bool:
    path = connection.execute(select(OrgUnit.path).where(OrgUnit.id == int(unit_id))).scalar() if unit_id else None
    return path is not None and scope.contains_path(path)


def list_scenarios(engine: Engine, scope: Scope, unit_id: int) -> pd.DataFrame:
    """Scenarios made for ``unit_id`` or units below it (inside the scope), newest first: id, name,
    owner, created_at, updated_at, unit_id, actions (count)."""
    _require_role(scope)
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        rows = connection.execute(
            select(
                Scenario.id,
                Scenario.name,
                AppUser.username,
                Scenario.created_at,
                Scenario.updated_at,
                Scenario.params,
            )
            .join(AppUser, AppUser.id == Scenario.owner_user_id)
            .order_by(Scenario.updated_at.desc(), Scenario.id.desc())
        ).all()
        paths = dict(connection.execute(select(OrgUnit.id, OrgUnit.path)).all())
    records = []
    for row in rows:
        unit = (row.params or {}).get("unit_id")
        unit_path = paths.get(unit)
        if unit_path is None or not unit_path.startswith(path) or not scope.contains_path(unit_path):
            continue
        records.append(
            {
                "id": row.id,
                "name": row.name,
                "owner": row.username,
                "created_at": row.created_at,
                "updated_at": row.updated_at,
                "unit_id": unit,
                "actions": len((row.params or {}).get("actions", [])),
            }
        )
    columns = ["id", "name", "owner", "created_at", "updated_at", "unit_id", "actions"]
    return pd.DataFrame(records, columns=columns)


def load_scenario(engine: Engine, scope: Scope, scenario_id: int) -> dict:
    """One scenario: id, name, owner, created_at, updated_at, params, results.

    An unknown id and a scenario of a unit outside the scope raise the same ScopeError.
    """
    _require_role(scope)
    with engine.connect() as connection:
        row = connection.execute(
            select(
                Scenario.id,
                Scenario.name,
                AppUser.username,
                Scenario.created_at,
                Scenario.updated_at,
                Scenario.params,
                Scenario.results,
            )
            .join(AppUser, AppUser.id == Scenario.owner_user_id)
            .where(Scenario.id == int(scenario_id))
        ).first()
        if row is None or not _visible(connection, scope, (row.params or {}).get("unit_id")):
            raise ScopeError(f"scenario {scenario_id} is outside the scope of {scope.username}")
    return {
        "id": row.id,
        "name": row.name,
        "owner": row.username,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "params": row.params,
        "results": row.results,
    }


def delete_scenario(engine: Engine, scope: Scope, scenario_id: int) -> None:
    """Delete a scenario; only its owner may. Audited as ``scenario_delete`` (refusals too)."""
    _require_role(scope)
    with engine.begin() as connection:
        row = connection.execute(
            select(Scenario.owner_user_id, Scenario.name, Scenario.params).where(Scenario.id == int(scenario_id))
        ).first()
        owner = _user_id(connection, scope.username)
        allowed = row is not None and row.owner_user_id == owner
        if not allowed:
            write_audit(connection, scope.username, "scenario_delete", False, {"scenario_id": int(scenario_id)})
        else:
            connection.execute(Scenario.__table__.delete().where(Scenario.id == int(scenario_id)))
            write_audit(
                connection, scope.username, "scenario_delete", True, {"scenario_id": int(scenario_id), "name": row.name}
            )
    if not allowed:
        raise ScenarioPermissionError(f"scenario {scenario_id} is not {scope.username}'s to delete")

"""User-defined peer groups (``peer_group`` / ``peer_group_member``): create, edit, delete.

Only executives and planners may write peer groups, and only with outlets inside their scope;
editing or deleting a group also needs every current member inside the scope. Each change runs
in one transaction with its ``audit_log`` row. Bad input raises ``PeerGroupError`` carrying a
translation key (``config/comparison_texts.py``) and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection, Engine

from data.auth import write_audit
from data.schema import OrgUnit, PeerGroup, PeerGroupMember
from data.scope import Scope

WRITER_ROLES = ("executive", "planner")
NAME_MAX_LENGTH = 100
MIN_MEMBERS = 2


class PeerGroupError(Exception):
    """A refused peer-group change; ``key`` is the translation key of the message."""

    def __init__(self, key: str, **values) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def _check_writer(scope: Scope) -> None:
    if scope.role not in WRITER_ROLES:
        raise PeerGroupError("peer_err_role")


def _check_name(connection: Connection, name: str, group_id: int | None) -> str:
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX_LENGTH:
        raise PeerGroupError("peer_err_name", max_length=NAME_MAX_LENGTH)
    clash = connection.execute(select(PeerGroup.id).where(PeerGroup.name == name)).scalar()
    if clash is not None and clash != group_id:
        raise PeerGroupError("peer_err_name_taken", name=name)
    return name


def _check_members(connection: Connection, scope: Scope, outlet_ids) -> list[int]:
    try:
        ids = sorted({int(i) for i in outlet_ids})
    except (TypeError, ValueError):
        raise PeerGroupError("peer_err_members") from None
    if len(ids) < MIN_MEMBERS:
        raise PeerGroupError("peer_err_too_few", minimum=MIN_MEMBERS)
    rows = connection.execute(select(OrgUnit.id, OrgUnit.path, OrgUnit.level).where(OrgUnit.id.in_(ids))).all()
    allowed = {r.id for r in rows if r.level == "outlet" and scope.contains_path(r.path)}
    if allowed != set(ids):
        raise PeerGroupError("peer_err_members")
    return ids


def _check_existing(connection: Connection, scope: Scope, group_id: int) -> str:
    """The group's name; PeerGroupError unless it exists and all its members are in scope."""
    name = connection.execute(select(PeerGroup.name).where(PeerGroup.id == int(group_id))).scalar()
    if name is None:
        raise PeerGroupError("peer_err_unknown")
    paths = (
        connection.execute(
            select(OrgUnit.path)
            .join(PeerGroupMember, PeerGroupMember.outlet_id == OrgUnit.id)
            .where(PeerGroupMember.peer_group_id == int(group_id))
        )
        .scalars()
        .all()
    )
    if not all(scope.contains_path(p) for p in paths):
        raise PeerGroupError("peer_err_unknown")
    return name


def create_peer_group(engine: Engine, scope: Scope, name: str, outlet_ids, definition: dict | None = None) -> int:
    """Create a peer group of ``outlet_ids`` (≥ 2 outlets in the scope); returns its id."""
    _check_writer(scope)
    with engine.begin() as connection:
        name = _check_name(connection, name, None)
        ids = _check_members(connection, scope, outlet_ids)
        group_id = connection.execute(
            insert(PeerGroup)
            .values(
                name=name,
                definition=definition or {"kind": "manual"},
                created_by=scope.username,
                created_at=dt.datetime.now(),
            )
            .returning(PeerGroup.id)
        ).scalar_one()
        connection.execute(insert(PeerGroupMember), [{"peer_group_id": group_id, "outlet_id": i} for i in ids])
        write_audit(
            connection, scope.username, "peer_group_create", True, {"group_id": group_id, "name": name, "outlets": ids}
        )
    return int(group_id)


def update_peer_group(engine: Engine, scope: Scope, group_id: int, name: str, outlet_ids) -> None:
    """Rename a peer group and replace its members (all old and new members in the scope)."""
    _check_writer(scope)
    with engine.begin() as connection:
        _check_existing(connection, scope, group_id)
        name = _check_name(connection, name, int(group_id))
        ids = _check_members(connection, scope, outlet_ids)
        connection.execute(update(PeerGroup).where(PeerGroup.id == int(group_id)).values(name=name))
        connection.execute(delete(PeerGroupMember).where(PeerGroupMember.peer_group_id == int(group_id)))
        connection.execute(insert(PeerGroupMember), [{"peer_group_id": int(group_id), "outlet_id": i} for i in ids])
        write_audit(
            connection,
            scope.username,
            "peer_group_update",
            True,
            {"group_id": int(group_id), "name": name, "outlets": ids},
        )


def delete_peer_group(engine: Engine, scope: Scope, group_id: int) -> None:
    """Delete a peer group whose members are all in the scope."""
    _check_writer(scope)
    with engine.begin() as connection:
        name = _check_existing(connection, scope, group_id)
        connection.execute(delete(PeerGroupMember).where(PeerGroupMember.peer_group_id == int(group_id)))
        connection.execute(delete(PeerGroup).where(PeerGroup.id == int(group_id)))
        write_audit(connection, scope.username, "peer_group_delete", True, {"group_id": int(group_id), "name": name})

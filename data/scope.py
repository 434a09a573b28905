"""Access scope: which part of the organisation tree a user's queries may return.

Every query function in ``data.queries`` takes a ``Scope`` and checks the unit it is asked
about with ``require_unit_in_scope`` before it reads anything, so a branch head gets only their
own subtree whatever page (or URL, or session state) asks.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection

from config.roles import ROLE_POLICIES
from data.schema import OrgUnit


class ScopeError(PermissionError):
    """Raised when a query asks for a unit outside the caller's scope (or an unknown unit)."""


#: Unit ids are positive 32-bit integers (the ``org_unit.id`` column on both backends).
MAX_UNIT_ID = 2**31 - 1


def checked_unit_id(value) -> int:
    """``value`` as a unit id, or ScopeError (as for a unit outside the scope) when it is not a
    whole number in 1 … 2^31 − 1: a string of ASCII digits, an int or an integral float.

    Ids from URLs and session state pass through here before any SQL, so an absurd id
    (``?unit=99999999999999999999``, ``?unit=1e3``) cannot overflow a driver or reach the
    database as a type error.
    """
    if isinstance(value, bool):
        raise ScopeError(f"unit id {value!r} is not a number")
    if isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit() and len(text) <= len(str(MAX_UNIT_ID))):
            raise ScopeError(f"unit id {value[:40]!r} is not a number")
        number = int(text)
    else:
        try:
            number = operator.index(value)
        except TypeError:
            if not (isinstance(value, float) and math.isfinite(value) and value.is_integer()):
                raise ScopeError(f"unit id {str(value)[:40]!r} is not a whole number") from None
            number = int(value)
    if not 1 <= number <= MAX_UNIT_ID:
        raise ScopeError(f"unit id {number} is outside 1 … {MAX_UNIT_ID}")
    return number


@dataclass(frozen=True)
class Scope:
    """What one logged-in user may see.

    ``root_path`` is the materialised path of the highest unit the user may see, the scope's root
    ("/1/" for the whole bank when unit 1 is the tree's top unit, "/1/2/7/" for a city branch);
    every unit whose path starts with it is in scope. ``root_unit_id`` is that unit, the one the
    pages show first.
    """

    username: str
    role: str
    root_unit_id: int
    root_path: str
    sees_personal_data: bool

    def contains_path(self, path: str) -> bool:
        """True when the unit with this materialised path lies inside the scope."""
        return path.startswith(self.root_path)


# The root "unit" of an unscoped user's scope while the organisation tree is still empty (a new
# production database before its first import): no unit has this id, every path is inside "/".
NO_TREE_ROOT_ID = 0


def bank_root(connection: Connection) -> tuple[int, str]:
    """Id and path of the whole bank: the top unit of the organisation tree (a head office above
    its provinces, or a province's own branch when the tree starts there).

    The importer gives a tree one top unit. A database with several anyway (written around the
    importer) has no unit that holds the whole bank: the answer is then the first top unit's id
    with the path "/", so a scope built on it still holds every unit. ScopeError when the tree
    is empty.
    """
    rows = connection.execute(
        select(OrgUnit.id, OrgUnit.path).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.id).limit(2)
    ).all()
    if not rows:
        raise ScopeError("the organisation tree is empty")
    return (rows[0].id, rows[0].path) if len(rows) == 1 else (rows[0].id, "/")


# The name the tree's top unit had while the tree always started at one region (kept for callers).
region_root = bank_root


def scope_for(connection: Connection, username: str, role: str, scope_unit_id: int | None) -> Scope:
    """Build the scope of a user from their role and unit.

    Any role may have a scope unit (any level: head office, province, city branch, sub-branch,
    outlet): the scope is that unit's subtree. A role that must have one (``scoped_to_unit``,
    the branch head) without it is refused; any other role without one sees the whole bank
    (:func:`bank_root`, or everything "/" while the tree is still empty).
    """
    policy = ROLE_POLICIES[role]
    if scope_unit_id is not None:
        row = connection.execute(select(OrgUnit.id, OrgUnit.path).where(OrgUnit.id == scope_unit_id)).first()
        if row is None:
            raise ScopeError(f"unit {scope_unit_id} of user {username} does not exist")
        unit_id, path = row.id, row.path
    elif policy.scoped_to_unit:
        raise ScopeError(f"user {username} has role {role} but no unit")
    else:
        try:
            unit_id, path = bank_root(connection)
        except ScopeError:  # nothing loaded yet: the whole (empty) bank
            unit_id, path = NO_TREE_ROOT_ID, "/"
    return Scope(username, role, unit_id, path, policy.sees_personal_data)


def require_unit_in_scope(connection: Connection, scope: Scope, unit_id: int) -> str:
    """Return the path of ``unit_id`` if the scope may see it, else raise ScopeError.

    An unknown unit, and an id that cannot be one (see :func:`checked_unit_id`), raise the same
    error as a forbidden one, so probing ids reveals nothing.
    """
    path = connection.execute(select(OrgUnit.path).where(OrgUnit.id == checked_unit_id(unit_id))).scalar()
    if path is None or not scope.contains_path(path):
        raise ScopeError(f"unit {unit_id} is outside the scope of {scope.username}")
    return path

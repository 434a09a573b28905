"""The organisation tree's levels, read from the tree itself.

The tree may be of any depth the level vocabulary allows (``data.schema.UNIT_LEVELS``: head
office → provincial branch → city branch → sub-branch → outlet), starting at a head office or at
a provincial branch. Code that needs "the city branch of this outlet" or "its province" asks the
unit's own chain of ancestors (its materialised path) instead of counting path positions, so the
same query works on a four-level and a five-level tree.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from data.schema import UNIT_LEVELS, OrgUnit


def path_ids(path: str) -> list[int]:
    """The unit ids of a materialised path, from the top unit down ("/1/4/17/" → [1, 4, 17])."""
    return [int(part) for part in path.strip("/").split("/") if part]


def level_rank(level: str) -> int:
    """Position of a level from the top (head office 0 … outlet 4); unknown levels sort last."""
    return UNIT_LEVELS.index(level) if level in UNIT_LEVELS else len(UNIT_LEVELS)


def ancestor_chain(connection: Connection, path: str) -> dict[str, tuple[int, str]]:
    """The units above the unit at ``path`` (itself excluded), keyed by level: ``{level: (id,
    path)}``; the nearest unit wins should a level appear twice."""
    ids = path_ids(path)[:-1]
    if not ids:
        return {}
    rows = connection.execute(select(OrgUnit.id, OrgUnit.level, OrgUnit.path).where(OrgUnit.id.in_(ids))).all()
    depth = {unit_id: index for index, unit_id in enumerate(ids)}
    chain: dict[str, tuple[int, str]] = {}
    for row in sorted(rows, key=lambda r: depth[r.id]):
        chain[row.level] = (int(row.id), row.path)
    return chain


def area_of(connection: Connection, path: str, levels: tuple[str, ...]) -> tuple[int, str]:
    """The nearest unit above ``path`` whose level is the first of ``levels`` the chain has,
    else the top unit of the path: (id, path)."""
    chain = ancestor_chain(connection, path)
    for level in levels:
        if level in chain:
            return chain[level]
    top = path_ids(path)[0]
    return top, f"/{top}/"

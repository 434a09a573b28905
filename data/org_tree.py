"""The organisation tree's levels, read from the tree itself.

The tree may be of any depth the level vocabulary allows (``data.schema.UNIT_LEVELS``: head
office → provincial branch → city branch → sub-branch → outlet), starting at a head office or at
a provincial branch. Code that needs "the city branch of this outlet" or "its province" asks the
unit's own chain of ancestors (its materialised path) instead of counting path positions, so the
same query works on a four-level and a five-level tree.
"""

from __future__ import annotations

from sqlalchemy import insert, literal, select, update
from sqlalchemy.engine import Connection, Engine

from data.schema import ROOT_LEVELS, UNIT_LEVELS, OrgUnit


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


class TreeError(ValueError):
    """A refused change of the tree's shape; nothing was changed."""


def add_head_office(engine: Engine, actor: str, code: str, name_zh: str, name_en: str) -> int:
    """Put a new head office above the tree's one top unit, a provincial branch, so that more
    provinces can be loaded under it (the importer refuses a second top unit); returns its id.

    One transaction: the head office is inserted, the old top unit gets it as parent, every
    unit's path gets its id in front ("/1/4/" → "/250/1/4/"), the data version is bumped (the
    app's caches recompute), the KPI roll-up is rebuilt (it now has the head office's rows) and
    the change is audited (``head_office_added``). Scopes stay as they were: a user of the old top
    unit now sees that province, a user without a unit the whole bank from the head office.
    TreeError, nothing changed, when the tree does not have exactly one top unit or it is not a
    provincial branch, or the code is taken or the names are empty.
    """
    from data.auth import write_audit
    from data.db import bump_data_version
    from data.kpi_rollup import refresh_kpi_rollup

    code, name_zh, name_en = code.strip(), name_zh.strip(), name_en.strip()
    if not code or not name_zh or not name_en or len(code) > 32 or max(len(name_zh), len(name_en)) > 100:
        raise TreeError("the head office needs a code (at most 32 characters) and names in zh and en (at most 100)")
    with engine.begin() as connection:
        tops = connection.execute(select(OrgUnit.id, OrgUnit.level).where(OrgUnit.parent_id.is_(None))).all()
        if len(tops) != 1 or tops[0].level != ROOT_LEVELS[1]:
            raise TreeError("the tree must have exactly one top unit, a provincial branch (level region)")
        if connection.execute(select(OrgUnit.id).where(OrgUnit.code == code)).first() is not None:
            raise TreeError(f"the code {code} is taken")
        old_top = int(tops[0].id)
        head_id = connection.execute(
            insert(OrgUnit)
            .values(code=code, name_zh=name_zh, name_en=name_en, level=UNIT_LEVELS[0], path="/", status="open")
            .returning(OrgUnit.id)
        ).scalar_one()
        connection.execute(
            update(OrgUnit).where(OrgUnit.id != head_id).values(path=literal(f"/{head_id}") + OrgUnit.path)
        )
        connection.execute(update(OrgUnit).where(OrgUnit.id == old_top).values(parent_id=head_id))
        connection.execute(update(OrgUnit).where(OrgUnit.id == head_id).values(path=f"/{head_id}/"))
        write_audit(connection, actor, "head_office_added", True, {"unit_id": head_id, "code": code, "below": old_top})
        bump_data_version(connection, "tree")
        refresh_kpi_rollup(connection)
    return int(head_id)


def main(argv: list[str] | None = None) -> int:
    """``python -m data.org_tree add-head-office CODE NAME_ZH NAME_EN [--database-url URL]``:
    exit code 0 on success, 1 when refused (the reason on stderr)."""
    import argparse
    import getpass
    import sys

    from config.settings import load_settings
    from data.db import make_engine

    parser = argparse.ArgumentParser(description="Change the shape of the organisation tree.")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add-head-office", help="put a head office above the one provincial branch")
    add.add_argument("code")
    add.add_argument("name_zh")
    add.add_argument("name_en")
    add.add_argument("--database-url", default=None, help="SQLAlchemy URL (default: DATABASE_URL or settings)")
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url or load_settings().database_url)
    try:
        head_id = add_head_office(engine, f"cli:{getpass.getuser()}", args.code, args.name_zh, args.name_en)
    except TreeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"Head office {args.code} added (unit {head_id}); load the other provinces under it.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

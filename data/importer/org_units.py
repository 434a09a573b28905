"""Confirming a batch of organisation units: link parents and build the materialised paths.

Units of a batch may have parents in the same batch, whose ids only exist once the rows are
inserted, so parents are linked by code afterwards and the paths ("/1/4/17/") are built level by
level from the region down, inside the confirming transaction.
"""

from __future__ import annotations

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.engine import Connection

from data.schema import UNIT_LEVELS, OrgUnit


def finish_org_units(connection: Connection, batch_id: int, staging: Table) -> None:
    """Set ``parent_id`` and ``path`` of the units a confirmed batch has just inserted."""
    ids = dict(connection.execute(select(OrgUnit.code, OrgUnit.id)).all())
    links = [
        {"unit_id": ids[code], "parent": ids[parent]}
        for code, parent in connection.execute(
            select(staging.c.code, staging.c.parent_code).where(
                staging.c.batch_id == batch_id, staging.c.parent_code.is_not(None)
            )
        ).all()
    ]
    if links:
        connection.execute(
            update(OrgUnit).where(OrgUnit.id == bindparam("unit_id")).values(parent_id=bindparam("parent")),
            links,
        )
    parent = OrgUnit.__table__.alias("parent")
    for level in UNIT_LEVELS:
        rows = connection.execute(
            select(OrgUnit.id, parent.c.path)
            .outerjoin(parent, parent.c.id == OrgUnit.parent_id)
            .where(OrgUnit.import_batch_id == batch_id, OrgUnit.level == level)
        ).all()
        paths = [{"unit_id": unit_id, "new_path": f"{parent_path or '/'}{unit_id}/"} for unit_id, parent_path in rows]
        if paths:
            connection.execute(
                update(OrgUnit).where(OrgUnit.id == bindparam("unit_id")).values(path=bindparam("new_path")),
                paths,
            )

"""Organisation units: their lifecycle checks, and confirming a batch (link parents and merged
units, build the materialised paths).

Units of a batch may have parents in the same batch, whose ids only exist once the rows are
inserted, so parents are linked by code afterwards and the paths ("/1/4/17/") are built level by
level from the region down, inside the confirming transaction. A merged unit's ``merged_into_id``
(the unit it went into, already loaded or in the same batch) is linked by code the same way.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.engine import Connection

from data.importer.validation import Context, RowError
from data.schema import UNIT_LEVELS, OrgUnit

ENDED_STATUSES = ("closed", "merged")  # a unit with one of these statuses has a closed_on date
MERGED = "merged"


def lifecycle_checks(frame: pd.DataFrame, rows: pd.Series, errors: list, context: Context) -> None:
    """The lifecycle columns of a chunk of org units (``status`` empty means open):

    - a closed or merged unit needs ``closed_on``, not before its ``opened_on``;
    - a merged unit needs ``merged_into_code``, and only a merged unit may have one;
    - the unit it was merged into is not the unit itself and has the same level: checked here
      when it is already in the database, at the end of the file (``context.pending_merges``,
      see :func:`data.importer.validation.finish_validation`) when it is only in the file.
    """
    known = context.references["unit_id_level"]  # code → (id, level) of the units in the database
    # Cells already refused (a date that is no date, a code with a formula) get no second message.
    refused = {(error.row, error.column) for error in errors if error is not None}
    columns = zip(frame["code"], frame["level"], frame["status"], frame["opened_on"], frame["closed_on"])
    for index, (code, level, status, opened, closed) in enumerate(columns):
        line = int(rows.iat[index])
        target = frame["merged_into_code"].iat[index]
        if status in ENDED_STATUSES and closed is None and (line, "closed_on") not in refused:
            errors.append(RowError(line, "closed_on", "import_closed_on_required", {"status": status}))
        if closed is not None and opened is not None and closed < opened:
            errors.append(
                RowError(
                    line, "closed_on", "import_closed_before_opened", {"opened": opened.isoformat()}, closed.isoformat()
                )
            )
        if (line, "merged_into_code") in refused:
            continue
        if target is None:
            if status == MERGED:
                errors.append(RowError(line, "merged_into_code", "import_merged_into_required", {}))
            continue
        if status != MERGED:
            errors.append(RowError(line, "merged_into_code", "import_merged_into_not_merged", {}, target))
        elif target == code:
            errors.append(RowError(line, "merged_into_code", "import_merged_into_itself", {}, target))
        elif target in known:
            if level is not None and known[target][1] != level:
                errors.append(
                    RowError(line, "merged_into_code", "import_merged_into_wrong_level", {"level": level}, target)
                )
        elif level is not None:
            context.pending_merges.append((line, target, level))


def finish_org_units(connection: Connection, batch_id: int, staging: Table) -> None:
    """Set ``parent_id``, ``merged_into_id`` and ``path`` of the units a confirmed batch has just inserted."""
    ids = dict(connection.execute(select(OrgUnit.code, OrgUnit.id)).all())
    for code_column, id_column in (("parent_code", "parent_id"), ("merged_into_code", "merged_into_id")):
        links = [
            {"unit_id": ids[code], "linked": ids[linked]}
            for code, linked in connection.execute(
                select(staging.c.code, staging.c[code_column]).where(
                    staging.c.batch_id == batch_id, staging.c[code_column].is_not(None)
                )
            ).all()
        ]
        if links:
            connection.execute(
                update(OrgUnit).where(OrgUnit.id == bindparam("unit_id")).values({id_column: bindparam("linked")}),
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

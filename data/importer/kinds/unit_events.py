"""Import kind of the registry's history: the lifecycle events of units (``unit_events``).

One row per event of a unit (``org_unit_event``): the unit's code (any level), the event type
(:data:`data.schema.EVENT_TYPES`, the types the registry records: planned, opened, edited,
relocated, renovated, merged, closed), its date, the related unit (the unit a merged outlet went
into, or the one that took over a closed outlet's customers) and the reason. The registry page's
timeline and change log show imported events like the ones recorded on the page. The person
who recorded an imported event is the batch's uploader (set when the batch is confirmed).

An event is identified by its unit, type and date: the same event already in the database (from
an earlier batch or recorded on the registry page) is refused. Loading events changes no unit:
a unit's status, closing date and merged-into unit come with the ``org_units`` kind.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from data.importer.kind import ColumnSpec, ImportKind
from data.importer.validation import Context, RowError
from data.schema import EVENT_TYPES, ImportBatch, OrgUnitEvent

MERGED = "merged"  # the event type whose related unit (the unit merged into) is required

EVENT_TYPE_NAMES = (
    "planned（规划）、opened（开业）、edited（信息变更）、relocated（迁址）、renovated（装修改造）、"
    "merged（合并）、closed（撤销）"
)


def _related_units(frame: pd.DataFrame, rows: pd.Series, errors: list, context: Context) -> None:
    """A merged event names the unit merged into; no event names its own unit as the related one."""
    units, related = frame["org_unit_id"], frame["related_unit_id"]
    itself = (units.notna() & related.notna() & (units == related)).to_numpy(dtype=bool)
    for index in np.flatnonzero(itself):
        errors.append(RowError(int(rows.iat[index]), "related_unit_code", "import_related_unit_is_itself", {}, ""))
    missing = ((frame["event_type"] == MERGED) & related.isna()).to_numpy(dtype=bool)
    for index in np.flatnonzero(missing):
        errors.append(RowError(int(rows.iat[index]), "related_unit_code", "import_merged_event_needs_related", {}))


def record_uploader(connection: Connection, batch_id: int) -> None:
    """After a batch of events is in: who recorded them is the batch's uploader. Only events
    without a recorder get it (a restating batch leaves the recorder of the events it replaces)."""
    uploader = select(ImportBatch.uploaded_by).where(ImportBatch.id == batch_id).scalar_subquery()
    connection.execute(
        update(OrgUnitEvent)
        .where(OrgUnitEvent.import_batch_id == batch_id, OrgUnitEvent.recorded_by.is_(None))
        .values(recorded_by=uploader)
    )


UNIT_EVENTS = ImportKind(
    name="unit_events",
    title_zh="机构变更记录",
    title_en="Registry events of units",
    table=OrgUnitEvent.__table__,
    columns=(
        ColumnSpec(
            "unit_code",
            "机构代码",
            "text",
            max_length=32,
            reference="unit_code",
            target="org_unit_id",
            example="O150100001",
            description_en="Code of a unit already loaded (any level: region, city branch, sub-branch or outlet)",
            description_zh="已导入机构的代码（任一层级：区域、分行、支行或网点）",
        ),
        ColumnSpec(
            "event_type",
            "变更类型",
            "text",
            choices=EVENT_TYPES,
            example="renovated",
            description_en="One of " + ", ".join(EVENT_TYPES) + " (the events the registry page records)",
            description_zh="取值：" + EVENT_TYPE_NAMES + "（与机构登记页记录的类型相同）",
        ),
        ColumnSpec(
            "event_date",
            "变更日期",
            "date",
            example="2025-06-30",
            description_en="Date of the event, YYYY-MM-DD; a unit has one event of a type per day",
            description_zh="变更日期，格式 YYYY-MM-DD；同一机构同一类型每天只能一条",
        ),
        ColumnSpec(
            "related_unit_code",
            "相关机构代码",
            "text",
            required=False,
            max_length=32,
            reference="unit_code",
            target="related_unit_id",
            example="",
            description_en="Code of another unit already loaded: the unit merged into (required for merged), or "
            "the one that took over a closed unit's customers; empty otherwise",
            description_zh="另一已导入机构的代码：合并时为并入的机构（merged 必填），撤销时为承接客户的机构；其他留空",
        ),
        ColumnSpec(
            "reason",
            "变更原因",
            "text",
            required=False,
            max_length=2000,
            example="6S upgrade / 6S改造",
            description_en="Why (optional)",
            description_zh="变更原因说明（可空）",
        ),
    ),
    key=("org_unit_id", "event_type", "event_date"),
    checks=_related_units,
    after_confirm=record_uploader,
)

KINDS = (UNIT_EVENTS,)

"""Import kinds of the complaint system's extracts: complaints, and their status changes over time.

- ``complaints``: one row per complaint (the complaint system's number, outlet, customer if
  known, when it was received, category, channel, severity, description). A complaint is
  imported open; its status follows the status changes.
- ``complaint_status_changes``: one row per change of a complaint's status (the complaint's
  number, the new status, when). A complaint's ``status`` and ``closed_at`` follow its latest
  change: confirming a batch sets them for the complaints it touches, deleting it restores what
  the remaining changes say (a complaint with no change left is open again).

The texts of the choices below are the ones the complaints page labels (``care_category_*``,
``care_complaint_channel_*``, ``care_severity_*``, ``care_status_*`` in
``config/customer_care_texts.py``) and the demo draws from (``data/demo/service.py``).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.engine import Connection

from data.importer.kind import ColumnSpec, ImportKind, outlet_code_column
from data.importer.validation import Context, RowError
from data.schema import COMPLAINT_STATUSES, Complaint, ComplaintStatusChange, Customer

CATEGORIES = ("wait_time", "service_attitude", "fees", "product", "system", "machine", "other")
CHANNELS = ("hotline", "onsite", "online", "regulator")  # how the complaint reached the bank
SEVERITIES = ("low", "medium", "high")
# The statuses the app knows (data.schema.COMPLAINT_STATUSES): a complaint system's "in
# progress" is "open" here, as the complaints page counts everything but "closed" as open.
STATUSES = COMPLAINT_STATUSES
INITIAL_STATUS = "open"  # a complaint's status until a change says otherwise
CLOSED = "closed"

CATEGORY_NAMES = "wait_time（排队时间长）、service_attitude（服务态度）、fees（收费争议）、product（产品销售）、" + (
    "system（系统故障）、machine（自助设备）、other（其他）"
)
CHANNEL_NAMES = "hotline（客服热线）、onsite（网点现场）、online（线上）、regulator（监管转办）"


class ComplaintNumbers(dict):
    """Complaint number → complaint id, knowing when each complaint was received
    (``received_at``: id → datetime), for the check that no status changes before that."""

    def __init__(self, rows):
        rows = list(rows)
        super().__init__((number, complaint_id) for number, complaint_id, _ in rows)
        self.received_at: dict[int, dt.datetime] = {complaint_id: at for _, complaint_id, at in rows}


def complaint_numbers(connection: Connection) -> ComplaintNumbers:
    """The complaints already in the database that have a number (the ``complaint_no`` lookup)."""
    rows = connection.execute(
        select(Complaint.complaint_no, Complaint.id, Complaint.received_at).where(Complaint.complaint_no.is_not(None))
    ).all()
    return ComplaintNumbers(rows)


def customer_numbers(connection: Connection) -> dict[str, int]:
    """Customer number → id of every customer, personal or corporate (the ``customer_no`` lookup)."""
    return dict(connection.execute(select(Customer.customer_no, Customer.id)).all())


COMPLAINTS = ImportKind(
    name="complaints",
    title_zh="客户投诉",
    title_en="Complaints",
    table=Complaint.__table__,
    columns=(
        ColumnSpec(
            "complaint_no",
            "投诉编号",
            "text",
            max_length=40,
            example="TS2026100001",
            description_en="The complaint system's number of the complaint, unique",
            description_zh="投诉系统中的投诉编号，不重复",
        ),
        outlet_code_column(
            description_en="Code of the outlet the complaint is about, in the registry",
            description_zh="被投诉网点在机构登记中的代码",
        ),
        ColumnSpec(
            "customer_no",
            "客户号",
            "text",
            required=False,
            max_length=32,
            reference="customer_no",
            target="customer_id",
            example="P0000000001",
            description_en="Number of the complaining customer, personal or corporate, already loaded; "
            "empty when anonymous or not a customer",
            description_zh="投诉客户的客户号（对私或对公，须已导入客户信息）；匿名或非本行客户留空",
        ),
        ColumnSpec(
            "received_at",
            "受理时间",
            "datetime",
            example="2026-10-12 09:30",
            description_en="When the complaint was received, YYYY-MM-DD HH:MM",
            description_zh="投诉受理时间，格式 YYYY-MM-DD HH:MM",
        ),
        ColumnSpec(
            "category",
            "投诉类别",
            "text",
            choices=CATEGORIES,
            example="wait_time",
            description_en="One of " + ", ".join(CATEGORIES),
            description_zh="取值：" + CATEGORY_NAMES,
        ),
        ColumnSpec(
            "channel",
            "投诉渠道",
            "text",
            choices=CHANNELS,
            example="hotline",
            description_en="How the complaint came in: hotline, onsite (at the outlet), online or regulator "
            "(passed on by the regulator)",
            description_zh="投诉来源：" + CHANNEL_NAMES,
        ),
        ColumnSpec(
            "severity",
            "严重程度",
            "text",
            choices=SEVERITIES,
            example="medium",
            description_en="low, medium or high (sets the days to close before it is overdue)",
            description_zh="low（一般）、medium（较重）或 high（严重），决定办结时限",
        ),
        ColumnSpec(
            "description",
            "投诉内容",
            "text",
            required=False,
            max_length=2000,
            example="排队等候时间过长",
            description_en="What the customer complained about (optional)",
            description_zh="投诉内容摘要（可空）",
        ),
    ),
    key=("complaint_no",),
    fixed={"status": INITIAL_STATUS},
    lookups={"customer_no": customer_numbers},
)


def _changes_before_receipt(frame: pd.DataFrame, rows: pd.Series, errors: list, context: Context) -> None:
    """A complaint's status cannot change before the complaint was received."""
    received_at = context.references["complaint_no"].received_at
    received = pd.to_datetime(frame["complaint_id"].map(received_at))
    changed = pd.to_datetime(frame["changed_at"])
    early = (received.notna() & changed.notna() & (changed < received)).to_numpy()
    for index in np.flatnonzero(early):
        errors.append(
            RowError(
                int(rows.iat[index]),
                "changed_at",
                "import_change_before_received",
                {"received": f"{received.iat[index]:%Y-%m-%d %H:%M:%S}"},
                f"{changed.iat[index]:%Y-%m-%d %H:%M:%S}",
            )
        )


def _recompute(connection: Connection, touched, without_batch: int | None = None) -> None:
    """Set status and closed_at of the complaints whose ids ``touched`` (a select of ids) gives
    from their latest status change (``without_batch``: leaving out that batch's changes): its
    status, and its time when it is a close; the initial status and no closed_at without one."""
    change = ComplaintStatusChange
    counted = _counted(change, without_batch)
    latest = select(change.status).where(counted).order_by(change.changed_at.desc()).limit(1).scalar_subquery()
    latest_at = select(func.max(change.changed_at)).where(counted).scalar_subquery()
    connection.execute(
        update(Complaint)
        .where(Complaint.id.in_(touched))
        .values(status=func.coalesce(latest, INITIAL_STATUS), closed_at=case((latest == CLOSED, latest_at)))
    )


def _counted(change, without_batch: int | None):
    """The changes of the complaint being updated, leaving out batch ``without_batch``."""
    condition = change.complaint_id == Complaint.id
    if without_batch is not None:
        condition = and_(condition, or_(change.import_batch_id.is_(None), change.import_batch_id != without_batch))
    return condition


def _touched(batch_id: int):
    """The ids of the complaints whose status changes came in batch ``batch_id``."""
    change = ComplaintStatusChange
    return select(change.complaint_id).where(change.import_batch_id == batch_id).distinct()


def follow_confirmed_changes(connection: Connection, batch_id: int) -> None:
    """After a batch of status changes is in: its complaints' status and closed_at follow their latest change."""
    _recompute(connection, _touched(batch_id))


def restore_without_changes(connection: Connection, batch_id: int) -> None:
    """Before a confirmed batch of status changes is removed: its complaints' status and
    closed_at as the changes of the other batches give them (open when none is left). Done
    before the rows go, because afterwards nothing says which complaints the batch touched."""
    _recompute(connection, _touched(batch_id), without_batch=batch_id)


COMPLAINT_STATUS_CHANGES = ImportKind(
    name="complaint_status_changes",
    title_zh="投诉处理状态变更",
    title_en="Complaint status changes",
    table=ComplaintStatusChange.__table__,
    columns=(
        ColumnSpec(
            "complaint_no",
            "投诉编号",
            "text",
            max_length=40,
            reference="complaint_no",
            target="complaint_id",
            example="TS2026100001",
            description_en="Number of a complaint already loaded (complaints import)",
            description_zh="已导入投诉的投诉编号（先导入客户投诉）",
        ),
        ColumnSpec(
            "status",
            "状态",
            "text",
            choices=STATUSES,
            example="closed",
            description_en="The complaint's status from this time: open or closed (a reopened complaint is open "
            "again); its latest change sets the status the pages show",
            description_zh="自该时间起的投诉状态：open（处理中，含重新打开）或 closed（已办结）；以最近一次变更为准",
        ),
        ColumnSpec(
            "changed_at",
            "变更时间",
            "datetime",
            example="2026-10-14 16:05",
            description_en="When the status changed, YYYY-MM-DD HH:MM, not before the complaint was received; "
            "once per complaint",
            description_zh="状态变更时间，格式 YYYY-MM-DD HH:MM，不早于受理时间；同一投诉同一时间只能一条",
        ),
        ColumnSpec(
            "note",
            "处理说明",
            "text",
            required=False,
            max_length=2000,
            example="已向客户解释并致歉",
            description_en="What was done (optional)",
            description_zh="处理情况说明（可空）",
        ),
    ),
    key=("complaint_id", "changed_at"),
    checks=_changes_before_receipt,
    lookups={"complaint_no": complaint_numbers},
    after_confirm=follow_confirmed_changes,
    before_delete=restore_without_changes,
)

KINDS = (COMPLAINTS, COMPLAINT_STATUS_CHANGES)

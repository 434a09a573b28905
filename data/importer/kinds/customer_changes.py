"""Import kind ``customer_changes``: changes of customers' attributes from the bank's CRM, each
from an effective date (address, phone, home outlet, relationship manager, key-customer flag,
home cell, industry; an empty cell leaves the attribute as it is).

Applying: a change takes effect on its ``effective_on`` day. Confirming a batch applies every
change of every confirmed batch that is due (dated today or earlier) to the ``customer`` rows,
customer by customer in effective order, and keeps in ``customer_change.previous`` the values
each change replaced (``previous`` NULL = not applied yet: the change is pending). A change
dated later than today stays pending until :func:`apply_due` runs again: at the next confirm of
a change batch, or from the daily job ``python -m data.importer.kinds.customer_changes apply-due``.
A change that arrives late (dated before a change of the same customer that is already
applied) is put in its place: the later changes are undone and applied again after it, so the
latest-dated change of each attribute always wins.

Deleting a confirmed batch takes its changes out the same way: the customers get back what the
batch's changes replaced, while later changes of other batches stay in effect (their replaced
values are taken again), so the customers end exactly as if the batch had never been loaded,
whatever order batches are deleted in.

A correcting batch (``restate``: same customer and date as a change loaded earlier) replaces
that change: the old values are undone and the new ones applied in their place; deleting the
correcting batch brings the old change back into effect.

In BranchScope a customer's value tier comes from their month-end assets (AUM), not from a CRM
attribute; what moves a customer between the lists and tier structures of outlets is the home
outlet, what puts them on the key-customer lists and care reminders is the key-customer flag,
and the customer page names the relationship manager. Those are the changes this kind carries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterable
from dataclasses import dataclass

import h3
import pandas as pd
from sqlalchemy import (
    JSON,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    cast,
    delete,
    func,
    literal,
    null,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.schema import CreateTable

from data.bulk import bulk_insert
from data.importer.kind import ColumnSpec, ImportKind
from data.importer.validation import BOOLEAN_WORDS, RowError
from data.schema import Customer, CustomerChange, ImportSuperseded, OrgUnit, Staff
from data.staff_status import RELATIONSHIP_MANAGER_ROLES

# Customer attributes a change can set (the same column names in ``customer`` and ``customer_change``).
CHANGED = (
    "address",
    "phone_masked",
    "home_outlet_id",
    "relationship_manager_id",
    "is_key_customer",
    "home_cell",
    "industry",
)
MAX_DAYS_AHEAD = 366  # a change dated further ahead than this is refused as a likely typo (days)
CUSTOMERS_PER_STEP = 20_000  # customers whose changes are applied or restored per round trip
H3_RESOLUTIONS = range(5, 13)


@dataclass(frozen=True)
class Manager:
    """What the relationship-manager lookup gives for an employee number (an object, not a
    tuple, so that pandas and numpy keep it whole in a column)."""

    employee_no: str
    staff_id: int
    manages_customers: bool  # flagged as relationship manager, or in such a role (data.staff_status)
    hired_on: dt.date | None
    left_on: dt.date | None  # last day of employment; None while employed

    def problem_on(self, day: dt.date) -> tuple[str, dict] | None:
        """Why the employee cannot take customers from ``day`` (message key and parameters), or
        None: they must be a relationship manager, hired by then and not have left before."""
        if not self.manages_customers:
            return "import_customer_change_not_a_manager", {}
        if self.hired_on is not None and self.hired_on > day:
            return "import_customer_change_manager_not_hired", {"hired_on": self.hired_on.isoformat()}
        if self.left_on is not None and self.left_on < day:
            return "import_customer_change_manager_left", {"left_on": self.left_on.isoformat()}
        return None


@dataclass(frozen=True)
class Outlet:
    """What the home-outlet lookup gives for an outlet code."""

    code: str
    outlet_id: int
    status: str
    opened_on: dt.date | None
    closed_on: dt.date | None

    def open_on(self, day: dt.date) -> bool:
        """Whether the outlet serves customers on ``day``: opened by then (a planned outlet needs
        its opening date), not closed by then (a closed or merged one without a closing date is
        closed already)."""
        if self.opened_on is not None and self.opened_on > day:
            return False
        if self.status == "planned" and self.opened_on is None:
            return False
        if self.closed_on is not None:
            return self.closed_on > day
        return self.status not in ("closed", "merged")


def _customer_numbers(connection: Connection) -> dict[str, int]:
    """Customer number → customer id, for personal and corporate customers."""
    return dict(connection.execute(select(Customer.customer_no, Customer.id)).all())


def _managers(connection: Connection) -> dict[str, Manager]:
    """Employee number → the employee's id, whether they manage customers, and their dates."""
    rows = connection.execute(
        select(Staff.employee_no, Staff.id, Staff.is_relationship_manager, Staff.role, Staff.hired_on, Staff.left_on)
    ).all()
    return {
        number: Manager(
            number, staff_id, bool(flag) or role in RELATIONSHIP_MANAGER_ROLES, _as_date(hired), _as_date(left)
        )
        for number, staff_id, flag, role, hired, left in rows
    }


def _outlets(connection: Connection) -> dict[str, Outlet]:
    """Outlet code → the outlet's id, status and opening and closing dates."""
    rows = connection.execute(
        select(OrgUnit.code, OrgUnit.id, OrgUnit.status, OrgUnit.opened_on, OrgUnit.closed_on).where(
            OrgUnit.level == "outlet"
        )
    ).all()
    return {
        code: Outlet(code, outlet_id, status, _as_date(opened_on), _as_date(closed_on))
        for code, outlet_id, status, opened_on, closed_on in rows
    }


def _as_date(value) -> dt.date | None:
    """A DATE column's value as a date (SQLite may hand back text)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


# ----------------------------------------------------------------------------- row checks


def _rows_with_errors(errors: list) -> set[int]:
    return {error.row for error in errors if error is not None}


def _key_customer_flags(frame: pd.DataFrame, rows: pd.Series, errors: list) -> None:
    """``is_key_customer`` read as yes/no like a bool column, but an empty cell stays None
    ("not changed") instead of becoming "no"."""
    flags = []
    for index, value in enumerate(frame["is_key_customer"]):
        if value is None:
            flags.append(None)
            continue
        flag = BOOLEAN_WORDS.get(str(value).lower())
        if flag is None and len(str(value)) <= 5:  # longer values already have a too-long error
            errors.append(RowError(int(rows.iat[index]), "is_key_customer", "import_not_a_boolean", {}, str(value)))
        flags.append(flag)
    frame["is_key_customer"] = pd.Series(flags, index=frame.index, dtype=object)


def _home_cells(frame: pd.DataFrame, rows: pd.Series, errors: list) -> None:
    """A home cell must be a valid H3 cell of resolution 5 to 12."""
    for index, cell in enumerate(frame["home_cell"]):
        if cell is not None and not (h3.is_valid_cell(cell) and h3.get_resolution(cell) in H3_RESOLUTIONS):
            errors.append(RowError(int(rows.iat[index]), "home_cell", "import_bad_h3_cell", {}, str(cell)))


def _relationship_managers(frame: pd.DataFrame, rows: pd.Series, errors: list) -> None:
    """Replace each :class:`Manager` by its staff id; refuse an employee who is no relationship
    manager, or not employed on the effective date (``left_on`` is the last working day)."""
    ids = []
    for index, (manager, effective_on) in enumerate(zip(frame["relationship_manager_id"], frame["effective_on"])):
        if not isinstance(manager, Manager):
            ids.append(None)
            continue
        ids.append(manager.staff_id)
        problem = manager.problem_on(effective_on) if effective_on is not None else None
        if problem is not None:
            key, params = problem
            params = params | {"effective_on": effective_on.isoformat()}
            errors.append(RowError(int(rows.iat[index]), "relationship_manager", key, params, manager.employee_no))
    frame["relationship_manager_id"] = pd.Series(ids, index=frame.index, dtype=object)


def _home_outlets(frame: pd.DataFrame, rows: pd.Series, errors: list) -> None:
    """Replace each :class:`Outlet` by its id; refuse an outlet that does not serve customers on
    the effective date (not yet open, closed or merged)."""
    ids = []
    for index, (outlet, effective_on) in enumerate(zip(frame["home_outlet_id"], frame["effective_on"])):
        if not isinstance(outlet, Outlet):
            ids.append(None)
            continue
        ids.append(outlet.outlet_id)
        if effective_on is not None and not outlet.open_on(effective_on):
            errors.append(
                RowError(
                    int(rows.iat[index]),
                    "home_outlet_code",
                    "import_customer_change_outlet_not_open",
                    {"effective_on": effective_on.isoformat()},
                    outlet.code,
                )
            )
    frame["home_outlet_id"] = pd.Series(ids, index=frame.index, dtype=object)


def _effective_dates(frame: pd.DataFrame, rows: pd.Series, errors: list, today: dt.date) -> None:
    """A change may be dated at most :data:`MAX_DAYS_AHEAD` days after today."""
    latest = today + dt.timedelta(days=MAX_DAYS_AHEAD)
    for index, day in enumerate(frame["effective_on"]):
        if day is not None and day > latest:
            errors.append(
                RowError(
                    int(rows.iat[index]),
                    "effective_on",
                    "import_customer_change_too_far_ahead",
                    {"days": MAX_DAYS_AHEAD, "latest": latest.isoformat()},
                    day.isoformat(),
                )
            )


def _something_changes(frame: pd.DataFrame, rows: pd.Series, errors: list) -> None:
    """A row must give at least one new value (rows already refused for a bad value are not
    told a second time that they change nothing)."""
    refused = _rows_with_errors(errors)
    given = frame[list(CHANGED)].notna().any(axis=1).to_numpy()
    for index, any_value in enumerate(given):
        row = int(rows.iat[index])
        if not any_value and row not in refused:
            errors.append(RowError(row, "", "import_customer_change_nothing", {}))


def check_changes(frame: pd.DataFrame, rows: pd.Series, errors: list, context, today: dt.date | None = None) -> None:
    """The checks of a chunk of customer changes that need more than one cell (see the kind)."""
    _key_customer_flags(frame, rows, errors)
    _home_cells(frame, rows, errors)
    _relationship_managers(frame, rows, errors)
    _home_outlets(frame, rows, errors)
    _effective_dates(frame, rows, errors, today or dt.date.today())
    _something_changes(frame, rows, errors)


# ----------------------------------------------------------------------------- applying


def _customer_values(connection: Connection) -> dict[int, dict]:
    """The changeable attributes now of the customers in the scratch table of ids (rows locked
    where the backend can, so that two confirms cannot rewrite one customer at once)."""
    statement = select(Customer.id, *(Customer.__table__.c[name] for name in CHANGED)).join(
        _STEP_CUSTOMERS, _STEP_CUSTOMERS.c.id == Customer.id
    )
    if connection.dialect.name == "postgresql":
        statement = statement.with_for_update(of=Customer.__table__)
    return {row[0]: dict(zip(CHANGED, row[1:])) for row in connection.execute(statement).all()}


def _changes_of(connection: Connection) -> list:
    """Every change of the customers in the scratch table of ids, by customer and date."""
    table = CustomerChange.__table__
    statement = select(
        table.c.id,
        table.c.customer_id,
        table.c.effective_on,
        table.c.import_batch_id,
        table.c.previous,
        *(table.c[name] for name in CHANGED),
    ).join(_STEP_CUSTOMERS, _STEP_CUSTOMERS.c.id == table.c.customer_id)
    return connection.execute(statement.order_by(table.c.customer_id, table.c.effective_on)).all()


def _new_values(change) -> dict:
    """The attributes a change sets (its non-empty columns)."""
    return {name: getattr(change, name) for name in CHANGED if getattr(change, name) is not None}


def replay(
    state: dict,
    applied: list,
    pending: list,
    dropped: frozenset[int] = frozenset(),
    redone: frozenset[int] = frozenset(),
) -> tuple[dict, list[tuple[int, dict]]]:
    """A customer's attributes once the ``pending`` changes take effect and the applied changes
    whose ids are in ``dropped`` are taken out, and what each change in effect from then on
    replaced, as (change id, previous values).

    ``state`` is the customer's attributes now, with the ``applied`` changes in effect (each
    with its ``previous``). ``redone``: applied changes whose values a correction replaced since
    (their ``previous`` still undoes what was applied). From the earliest date touched (a
    pending, dropped or redone change), the applied changes are undone, latest first, and the
    ones that stay are applied again in date order with the pending ones: the result is as if
    the changes in effect had always been just these, each arriving in time. Pure: ``state`` is
    not changed.
    """
    state = dict(state)
    touched = [c.effective_on for c in pending] + [c.effective_on for c in applied if c.id in dropped | redone]
    if not touched:
        return state, []
    start = min(touched)
    undone = [change for change in applied if change.effective_on >= start]
    for change in sorted(undone, key=lambda c: c.effective_on, reverse=True):
        state.update(change.previous)
    previous = []
    kept = [change for change in undone if change.id not in dropped]
    for change in sorted([*kept, *pending], key=lambda c: c.effective_on):
        values = _new_values(change)
        previous.append((change.id, {name: state[name] for name in values}))
        state.update(values)
    return state, previous


# Scratch tables of one transaction: the customers of a step, and the new values of the
# customers and changes it rewrites, bulk-loaded (COPY on PostgreSQL) and joined or applied
# with one UPDATE ... FROM each, whatever the number of rows.
_SCRATCH = MetaData()
_STEP_CUSTOMERS = Table(
    "tmp_customer_change_customers", _SCRATCH, Column("id", Integer, primary_key=True), prefixes=["TEMPORARY"]
)
_NEW_STATES = Table(
    "tmp_customer_change_states",
    _SCRATCH,
    Column("id", Integer, primary_key=True),
    *(Column(name, Customer.__table__.c[name].type) for name in CHANGED),
    prefixes=["TEMPORARY"],
)
_NEW_PREVIOUS = Table(
    "tmp_customer_change_previous",
    _SCRATCH,
    Column("id", Integer, primary_key=True),
    Column("previous", JSON),
    prefixes=["TEMPORARY"],
)
NEVER_REBUILD = 2**62  # scratch tables have no secondary indexes to rebuild (data.bulk)


def _fill(connection: Connection, scratch: Table, frame: pd.DataFrame) -> None:
    """Make ``scratch`` hold exactly the rows of ``frame`` (created on first use in the session)."""
    connection.execute(CreateTable(scratch, if_not_exists=True))
    connection.execute(delete(scratch))
    bulk_insert(connection, scratch, frame, rebuild_indexes_rows=NEVER_REBUILD)
    if connection.dialect.name == "postgresql":  # row counts for the planner (our own table name)
        connection.execute(text(f"ANALYZE {scratch.name}"))


def _update_from(connection: Connection, target: Table, scratch: Table, frame: pd.DataFrame) -> None:
    """Set the columns of ``target`` rows (by id) to the values in ``frame``, through ``scratch``."""
    if frame.empty:
        return
    _fill(connection, scratch, frame)
    values = {name: scratch.c[name] for name in frame.columns if name != "id"}
    connection.execute(update(target).where(target.c.id == scratch.c.id).values(values))


def _write_customers(connection: Connection, states: dict[int, dict]) -> None:
    frame = pd.DataFrame(
        [{"id": customer_id, **values} for customer_id, values in states.items()], columns=["id", *CHANGED]
    ).astype(object)
    _update_from(connection, Customer.__table__, _NEW_STATES, frame)


def _write_previous(connection: Connection, previous: list[tuple[int, dict]]) -> None:
    frame = pd.DataFrame(previous, columns=["id", "previous"]).astype(object)
    _update_from(connection, CustomerChange.__table__, _NEW_PREVIOUS, frame)


def _changes_by_customer(connection: Connection, customer_ids: list[int]) -> dict[int, list]:
    by_customer: dict[int, list] = {customer_id: [] for customer_id in customer_ids}
    for change in _changes_of(connection):
        by_customer[change.customer_id].append(change)
    return by_customer


def _rebuild(
    connection: Connection,
    customer_ids: list[int],
    today: dt.date | None,
    dropped_batch: int | None = None,
    redone_batch: int | None = None,
) -> int:
    """Bring these customers up to date through :func:`replay`: apply their changes due by
    ``today`` (None: none), take out the applied changes of ``dropped_batch`` and apply again
    those of ``redone_batch`` (rows a correction restated); writes the customers and the
    changes' ``previous``. Returns how many pending changes took effect."""
    _fill(connection, _STEP_CUSTOMERS, pd.DataFrame({"id": customer_ids}))
    current = _customer_values(connection)
    states, previous, applied_now = {}, [], 0
    for customer_id, changes in _changes_by_customer(connection, customer_ids).items():
        applied = [c for c in changes if c.previous is not None]
        pending = [c for c in changes if c.previous is None and today is not None and c.effective_on <= today]
        dropped = frozenset(c.id for c in applied if dropped_batch is not None and c.import_batch_id == dropped_batch)
        redone = frozenset(c.id for c in applied if redone_batch is not None and c.import_batch_id == redone_batch)
        state, replaced = replay(current[customer_id], applied, pending, dropped, redone)
        if state != current[customer_id]:
            states[customer_id] = state
        previous.extend(replaced)
        applied_now += len(pending)
    _write_customers(connection, states)
    _write_previous(connection, previous)
    return applied_now


def _customer_steps(connection: Connection, condition) -> Iterable[list[int]]:
    """The customers with a change matching ``condition``, :data:`CUSTOMERS_PER_STEP` at a time
    in id order (keyset pages: memory does not grow with the table; the condition is read again
    for every page, after the previous page's work)."""
    table = CustomerChange.__table__
    last = None
    while True:
        after = table.c.customer_id > last if last is not None else true()
        statement = (
            select(table.c.customer_id)
            .where(condition, after)
            .distinct()
            .order_by(table.c.customer_id)
            .limit(CUSTOMERS_PER_STEP)
        )
        customer_ids = list(connection.execute(statement).scalars().all())
        if not customer_ids:
            return
        yield customer_ids
        last = customer_ids[-1]


def _due(today: dt.date):
    """Condition: a pending change dated ``today`` or earlier."""
    table = CustomerChange.__table__
    return and_(table.c.previous.is_(None), table.c.effective_on <= today)


def apply_due(connection: Connection, today: dt.date | None = None) -> int:
    """Apply every pending change dated ``today`` (default: the server's date) or earlier, in
    the caller's transaction; returns how many changes took effect."""
    today = today or dt.date.today()
    return sum(_rebuild(connection, step, today) for step in _customer_steps(connection, _due(today)))


def apply_after_confirm(connection: Connection, batch_id: int) -> None:
    """``after_confirm``: the batch's due changes (and any other overdue ones) take effect. Rows
    of a correcting batch (``restate``) that replaced changes already in effect carry the old
    change's ``previous``: they are undone with it and applied again with their new values."""
    today = dt.date.today()
    table = CustomerChange.__table__
    restated = and_(table.c.import_batch_id == batch_id, table.c.previous.is_not(None))
    for step in _customer_steps(connection, or_(_due(today), restated)):
        _rebuild(connection, step, today, redone_batch=batch_id)


def pending_count(connection: Connection) -> int:
    """Changes not yet in effect."""
    table = CustomerChange.__table__
    return connection.execute(select(func.count()).select_from(table).where(table.c.previous.is_(None))).scalar_one()


# ----------------------------------------------------------------------------- deleting


def _restated_change_ids(connection: Connection, batch_id: int):
    """SQL: ids of the changes a correcting batch restated (kept in ``import_superseded``; they
    get their earlier values back when the batch is deleted)."""
    if connection.dialect.name == "sqlite":
        kept_id = func.json_extract(ImportSuperseded.row_data, "$.id")
    else:
        kept_id = ImportSuperseded.row_data.op("->>", return_type=String)(literal("id", String))
    return select(cast(kept_id, Integer)).where(
        ImportSuperseded.batch_id == batch_id, ImportSuperseded.table_name == CustomerChange.__tablename__
    )


def restore_before_delete(connection: Connection, batch_id: int) -> None:
    """``before_delete``: the customers of the batch's applied changes get back what those
    replaced, as if the batch had never been loaded: later changes of other batches stay in
    effect (their ``previous`` values are taken again without the batch's). Changes the batch
    restated (a correction) become pending: once the pipeline has put their earlier values back,
    :func:`apply_after_delete` applies them again."""
    table = CustomerChange.__table__
    ours = and_(table.c.import_batch_id == batch_id, table.c.previous.is_not(None))
    for step in _customer_steps(connection, ours):
        _rebuild(connection, step, None, dropped_batch=batch_id)
    restated = _restated_change_ids(connection, batch_id)
    connection.execute(update(table).where(table.c.id.in_(restated)).values(previous=null()))


def apply_after_delete(connection: Connection, batch_id: int) -> None:
    """``after_delete``: the changes a deleted correction had restated take effect again with
    their earlier values (and any overdue change with them)."""
    apply_due(connection)


# ----------------------------------------------------------------------------- the kind

CUSTOMER_CHANGES = ImportKind(
    name="customer_changes",
    title_zh="客户信息变更",
    title_en="Customer changes",
    table=CustomerChange.__table__,
    columns=(
        ColumnSpec(
            "customer_no",
            "客户号",
            "text",
            max_length=32,
            reference="any_customer_no",
            target="customer_id",
            example="P0000000001",
            description_en="A customer already loaded (customers import), personal or corporate",
            description_zh="已导入的客户（对私或对公）的客户号",
        ),
        ColumnSpec(
            "effective_on",
            "生效日期",
            "date",
            example="2026-11-01",
            description_en=f"Day the change takes effect, YYYY-MM-DD; later than today: applied on that day "
            f"(at most {MAX_DAYS_AHEAD} days ahead). One change per customer and day",
            description_zh=f"变更生效日期，格式 YYYY-MM-DD；晚于今天的到期自动生效（最多提前{MAX_DAYS_AHEAD}天）。"
            "同一客户同一天只能有一条变更",
        ),
        ColumnSpec(
            "address",
            "地址",
            "text",
            required=False,
            max_length=200,
            example="呼和浩特市新华东街88号",
            description_en="New address (personal data: shown only to roles that see phone numbers); empty: unchanged",
            description_zh="新地址（个人信息，仅对可查看手机号的角色显示）；留空表示不变",
        ),
        ColumnSpec(
            "phone",
            "手机号",
            "text",
            required=False,
            max_length=20,
            target="phone_masked",
            transform="mask_phone",
            example="13812345678",
            description_en="New phone number, stored masked (138****5678); empty: unchanged",
            description_zh="新手机号，脱敏保存（138****5678）；留空表示不变",
        ),
        ColumnSpec(
            "home_outlet_code",
            "归属网点代码",
            "text",
            required=False,
            max_length=32,
            reference="home_outlet_code",
            target="home_outlet_id",
            example="O150100002",
            description_en="Code of the customer's new home outlet, open on the effective date: the customer "
            "moves to its lists; empty: unchanged",
            description_zh="客户新的归属网点代码（生效日须在营业），客户随之归入该网点；留空表示不变",
        ),
        ColumnSpec(
            "relationship_manager",
            "客户经理工号",
            "text",
            required=False,
            max_length=32,
            reference="relationship_manager_no",
            target="relationship_manager_id",
            example="",
            description_en="Employee number of the new relationship manager (staff import: flagged as "
            "relationship manager, employed on the effective date); empty: unchanged",
            description_zh="新客户经理的员工号（先导入员工：须标为客户经理，生效日在职）；留空表示不变",
        ),
        ColumnSpec(
            "is_key_customer",
            "重点客户",
            "text",
            required=False,
            max_length=5,
            example="1",
            description_en="Key customer from the effective date: 1/0, true/false, yes/no, 是/否; empty: unchanged",
            description_zh="自生效日起是否重点客户：1/0、true/false、yes/no 或 是/否；留空表示不变",
        ),
        ColumnSpec(
            "home_cell",
            "居住网格",
            "text",
            required=False,
            max_length=16,
            example="",
            description_en="H3 cell (resolution 5 to 12) of the new home, for trade areas; empty: unchanged",
            description_zh="新居住地的H3网格编号（分辨率5至12，用于商圈分析）；留空表示不变",
        ),
        ColumnSpec(
            "industry",
            "行业",
            "text",
            required=False,
            max_length=32,
            example="",
            description_en="New industry of a corporate customer; empty: unchanged",
            description_zh="对公客户的新行业；留空表示不变",
        ),
    ),
    key=("customer_id", "effective_on"),
    checks=check_changes,
    lookups={
        "any_customer_no": _customer_numbers,
        "home_outlet_code": _outlets,
        "relationship_manager_no": _managers,
    },
    after_confirm=apply_after_confirm,
    before_delete=restore_before_delete,
    after_delete=apply_after_delete,
)

KINDS: tuple = (CUSTOMER_CHANGES,)


# ----------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    """``apply-due``: apply the changes that have become due (run daily, e.g. from cron).
    Exit codes: 0 done; 2 bad arguments or the database does not answer."""
    from config.import_texts import import_message
    from config.settings import load_settings
    from data.auth import write_audit
    from data.db import DatabaseState, bump_data_version, database_state, make_engine

    parser = argparse.ArgumentParser(
        prog="python -m data.importer.kinds.customer_changes",
        description="Apply the customer changes whose effective date has come.",
    )
    parser.add_argument("command", choices=("apply-due",))
    parser.add_argument("--database-url", default=None, help="SQLAlchemy URL (default: DATABASE_URL or settings)")
    parser.add_argument("--user", default="cli", help="name recorded in the audit log")
    parser.add_argument("--lang", choices=("zh", "en"), default="en", help="language of the messages")
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url or load_settings().database_url)
    if database_state(engine) in (DatabaseState.UNREACHABLE, DatabaseState.NOT_MIGRATED):
        print(
            f"error: the database at {engine.url.render_as_string(hide_password=True)} is not usable", file=sys.stderr
        )
        return 2
    with engine.begin() as connection:
        applied = apply_due(connection)
        pending = pending_count(connection)
        if applied:
            bump_data_version(connection, "customer-changes")
        write_audit(connection, args.user, "customer_changes_applied", True, {"applied": applied, "pending": pending})
    print(import_message("import_customer_change_applied", args.lang, applied=applied, pending=pending))
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

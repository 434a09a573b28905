"""Keys already in the database, and corrections: batches that restate rows of earlier batches.

Everything here is set-based SQL over a batch's staged rows (``staging_<table>``) joined with the
target table on the kind's key, so that the work is a few statements whatever the file's size and
memory does not grow with it. The same statements run on SQLite (3.33 or later: ``UPDATE ...
FROM``) and PostgreSQL.

- :func:`existing_keys` finds staged rows whose key is already in the table (an error unless the
  batch restates; rows matching the kind's ``replaceable`` rule never count).
- :func:`restate_rows` (confirm of a restating batch) keeps every target row that the batch
  replaces in ``import_superseded`` (all its columns as JSON, with the batch it came from), then
  updates the row in place: its id stays, so rows of other tables that refer to it stay valid.
- :func:`restore_rows` (delete of a restating batch) puts the kept rows back.
- :func:`later_restatements` names the confirmed batches that replaced rows of a batch: such a
  batch cannot be deleted before them.
"""

from __future__ import annotations

from sqlalchemy import Float, String, Table, and_, case, func, literal, literal_column, select, true, tuple_
from sqlalchemy import delete as sql_delete
from sqlalchemy import insert as sql_insert
from sqlalchemy import update as sql_update
from sqlalchemy.engine import Connection

from data.importer.kind import ImportKind
from data.schema import ImportBatch, ImportSuperseded

MAX_REPORTED_ROWS = 10_000  # rows of a file named one by one in an error report (the rest are counted)
# Columns that validation derives for a kind (beyond its file columns): a restatement replaces them too.
DERIVED_COLUMNS = {"demand_grid": ("resolution", "lon", "lat"), "customers": ("id_hash_scheme",)}

SUPERSEDED = ImportSuperseded.__table__


def key_match(kind: ImportKind, target: Table, staging: Table):
    """The join condition of staged rows and target rows: the kind's key, every part equal."""
    return and_(*(target.c[name] == staging.c[name] for name in kind.key))


def _not_replaceable(kind: ImportKind, target: Table):
    """Target rows that a batch of the kind may not replace silently (all rows when the kind has no rule)."""
    if kind.replaceable is None:
        return true()
    column, value = kind.replaceable
    return target.c[column].is_distinct_from(value)


def _existing(kind: ImportKind, staging: Table, batch_id: int):
    """The line numbers of the batch's staged rows whose key is in the target table (rows the
    kind's ``replaceable`` rule covers excepted): one join, answered by the target's key index."""
    target = kind.table
    return (
        select(staging.c.row_number)
        .select_from(staging.join(target, key_match(kind, target, staging)))
        .where(staging.c.batch_id == batch_id, _not_replaceable(kind, target))
    )


def existing_count(connection: Connection, kind: ImportKind, staging: Table, batch_id: int) -> int:
    """How many staged rows of the batch have a key already in the target table."""
    matches = _existing(kind, staging, batch_id).subquery()
    return connection.execute(select(func.count()).select_from(matches)).scalar_one()


def existing_keys(connection: Connection, kind: ImportKind, staging: Table, batch_id: int) -> tuple[list[int], int]:
    """Staged rows of the batch whose key is already in the target table: the first
    :data:`MAX_REPORTED_ROWS` file lines in order, and how many there are in all."""
    matches = _existing(kind, staging, batch_id).order_by(staging.c.row_number).limit(MAX_REPORTED_ROWS)
    lines = [int(line) for line in connection.execute(matches).scalars().all()]
    if len(lines) < MAX_REPORTED_ROWS:
        return lines, len(lines)
    return lines, existing_count(connection, kind, staging, batch_id)


def delete_replaceable(connection: Connection, kind: ImportKind, staging: Table, batch_id: int) -> int:
    """Delete the target rows that the kind's ``replaceable`` rule covers and that the batch
    brings again (derived rows; no record is kept). Returns the rows deleted."""
    if kind.replaceable is None:
        return 0
    target = kind.table
    column, value = kind.replaceable
    staged_keys = select(*(staging.c[name] for name in kind.key)).where(staging.c.batch_id == batch_id)
    statement = sql_delete(target).where(
        target.c[column].is_not_distinct_from(value),
        tuple_(*(target.c[name] for name in kind.key)).in_(staged_keys),
    )
    return connection.execute(statement).rowcount


def restated_columns(kind: ImportKind) -> list[str]:
    """Target columns a restatement replaces: those the file supplies and those validation derives
    from them. Key columns (equal by definition), the kind's fixed values (e.g. a complaint's
    initial status) and columns other steps derive (a customer's address from customer changes)
    keep their values."""
    names = [column.target_column for column in kind.columns] + list(DERIVED_COLUMNS.get(kind.name, ()))
    return [name for name in dict.fromkeys(names) if name in kind.table.c and name not in kind.key]


def _row_json(connection: Connection, target: Table):
    """A target row as a JSON object of all its columns, built in SQL. PostgreSQL: the row as
    it is (``row_to_json``, floats exact). SQLite's JSON writes only 15 significant digits of a
    REAL, so floats go in as 17-digit numbers (exact from 1e-100 to 1e100, far beyond the import
    limits)."""
    if connection.dialect.name == "postgresql":
        return func.row_to_json(literal_column(f'"{target.name}"'))  # the whole row of our own table
    arguments = []
    for column in target.columns:
        value = column
        if isinstance(column.type, Float):
            value = case((column.is_(None), None), else_=func.json(func.printf("%!.17g", column)))
        arguments.extend([literal(column.name, String), value])
    return func.json_object(*arguments)


def restate_rows(connection: Connection, kind: ImportKind, staging: Table, batch_id: int) -> int:
    """Confirm of a restating batch, first step: every target row whose key the batch brings goes
    to ``import_superseded`` as it is (all columns, and the batch it came from), then is updated
    in place with the batch's values (:func:`restated_columns`) and tagged with the batch. Two
    statements whatever the number of rows. Returns the rows restated."""
    target = kind.table
    match = key_match(kind, target, staging)
    kept = (
        select(literal(batch_id), target.c.import_batch_id, literal(target.name, String), _row_json(connection, target))
        .select_from(target.join(staging, match))
        .where(staging.c.batch_id == batch_id)
    )
    connection.execute(sql_insert(SUPERSEDED).from_select(["batch_id", "old_batch_id", "table_name", "row_data"], kept))
    values = {name: staging.c[name] for name in restated_columns(kind)} | {"import_batch_id": batch_id}
    statement = sql_update(target).where(staging.c.batch_id == batch_id, match).values(values)
    return connection.execute(statement).rowcount


def new_rows_only(kind: ImportKind, target: Table, staging: Table):
    """The condition on staged rows whose key is not (or no longer) in the target table."""
    in_target = select(literal(1)).select_from(target).where(key_match(kind, target, staging))
    return ~in_target.exists()


def restore_rows(connection: Connection, kind: ImportKind, batch_id: int) -> int:
    """Delete of a restating batch, first step: the rows the batch replaced get their kept values
    back (the columns it replaced, and the batch they came from), and the kept copies are
    removed. One ``UPDATE ... FROM`` matching the kept rows by the kind's key. Returns the rows
    restored."""
    target = kind.table
    columns = restated_columns(kind)
    if connection.dialect.name == "postgresql":
        restored = _restore_postgresql(connection, target, kind.key, columns, batch_id)
    else:
        restored = _restore_sqlite(connection, target, kind.key, columns, batch_id)
    connection.execute(sql_delete(SUPERSEDED).where(SUPERSEDED.c.batch_id == batch_id))
    return restored


def _restore_sqlite(connection: Connection, target: Table, key, columns: list[str], batch_id: int) -> int:
    """SQLite: each value read from the JSON (numbers as numbers, dates as the text SQLite stores)."""

    def kept(name: str):
        return func.json_extract(SUPERSEDED.c.row_data, f"$.{name}")

    ours = and_(SUPERSEDED.c.batch_id == batch_id, SUPERSEDED.c.table_name == target.name)
    match = and_(*(target.c[name] == kept(name) for name in key))
    values = {name: kept(name) for name in columns} | {"import_batch_id": SUPERSEDED.c.old_batch_id}
    return connection.execute(sql_update(target).where(ours, match).values(values)).rowcount


def _restore_postgresql(connection: Connection, target: Table, key, columns: list[str], batch_id: int) -> int:
    """PostgreSQL: each kept row parsed once into the table's row type (``json_populate_record``),
    half the time of extracting and casting every column from the JSON text."""
    kept_row = SUPERSEDED.alias("kept_row")
    row_type = literal_column(f'NULL::"{target.name}"')  # the row type of our own table
    kept = (
        func.json_populate_record(row_type, kept_row.c.row_data)
        .table_valued(*(column.name for column in target.columns))
        .lateral("kept")
    )
    # The kept row's own batch is the one recorded with it: true by construction, and it tells
    # SQLAlchemy's cartesian-product check that the lateral row belongs to its kept row.
    ours = and_(
        kept_row.c.batch_id == batch_id,
        kept_row.c.table_name == target.name,
        kept.c.import_batch_id.is_not_distinct_from(kept_row.c.old_batch_id),
    )
    match = and_(*(target.c[name] == kept.c[name] for name in key))
    values = {name: kept.c[name] for name in columns} | {"import_batch_id": kept_row.c.old_batch_id}
    return connection.execute(sql_update(target).where(ours, match).values(values)).rowcount


def later_restatements(connection: Connection, batch_id: int) -> list[int]:
    """Confirmed batches that replaced rows of batch ``batch_id`` (newest first): they must be
    deleted before it. Reads the kept rows that came from the batch (by their old-batch index)."""
    replacing = select(SUPERSEDED.c.batch_id).where(SUPERSEDED.c.old_batch_id == batch_id).distinct().subquery()
    later = (
        select(ImportBatch.id)
        .join(replacing, replacing.c.batch_id == ImportBatch.id)
        .where(ImportBatch.status == "confirmed")
        .order_by(ImportBatch.id.desc())
    )
    return [int(b) for b in connection.execute(later).scalars().all()]


def restatement_links(connection: Connection, batch_ids: list[int]) -> list[tuple[int, int]]:
    """(restating batch, batch whose rows it replaced) for the confirmed restating batches among
    ``batch_ids``, in order. Reads the kept rows of those batches only (by their batch index)."""
    restating = select(ImportBatch.id).where(
        ImportBatch.id.in_([int(b) for b in batch_ids]),
        ImportBatch.restates.is_(True),
        ImportBatch.status == "confirmed",
    )
    restating_ids = list(connection.execute(restating).scalars().all())
    if not restating_ids:
        return []
    pairs = (
        select(SUPERSEDED.c.batch_id, SUPERSEDED.c.old_batch_id)
        .where(SUPERSEDED.c.batch_id.in_(restating_ids), SUPERSEDED.c.old_batch_id.is_not(None))
        .group_by(SUPERSEDED.c.batch_id, SUPERSEDED.c.old_batch_id)
        .order_by(SUPERSEDED.c.batch_id, SUPERSEDED.c.old_batch_id)
    )
    return [(int(a), int(b)) for a, b in connection.execute(pairs).all()]

"""Loading a whole folder of import files in one transaction: all of them, or nothing.

Which kind each file holds comes from the folder's ``manifest.csv`` when there is one, else from
the file's name (see :func:`kind_from_name`). The files are loaded in dependency order
(:data:`LOAD_ORDER`: the organisation tree before the customers that name its outlets, the
customers before their accounts, ...); files of one kind by their ``order`` (manifest column or
the number at the start of the name), then by name.

Every file is staged and at once confirmed inside one database transaction, because later files
refer to rows of earlier ones (an account extract to the customers of the customer file). The
first refused file stops the load and the transaction is rolled back: the database is exactly as
before. Without ``confirm`` the whole folder is checked the same way and then rolled back (a dry
run). With ``confirm`` the transaction is committed once at the end, with one audit line, a new
data version and a rebuilt KPI roll-up.

Manifest (``manifest.csv``, UTF-8, one line per file; headers in English or Chinese):

    file,kind,order           (文件,类型,顺序)
    units_2026.xlsx,org_units,1
    clients.csv,customers,

With a manifest every file of the folder must be listed in it; ``order`` is optional.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Connection, Engine

from data.auth import write_audit
from data.bulk import without_secondary_indexes_and_foreign_keys
from data.db import analyze_tables, bump_data_version
from data.importer.pipeline import (
    StageResult,
    _require_importer,
    confirm_in_transaction,
    stage_in_transaction,
)
from data.importer.spec import KINDS
from data.kpi_rollup import refresh_kpi_rollup

# Every import kind, in the order a folder is loaded: a kind comes after every kind whose rows it
# refers to (tests/test_import_folder.py checks this against the kinds' references, and fails
# when a kind of data.importer.spec.KINDS is missing here).
LOAD_ORDER: tuple[str, ...] = (
    "org_units",  # the tree: everything else names its units
    "unit_events",  # the registry's history of the units
    "products",  # the product shelf: accounts and transactions name products
    "staff",  # relationship managers named by customers
    "customers",
    "customer_changes",
    "personal_deposits",
    "corporate_deposits",
    "personal_loans",
    "corporate_loans",
    "product_holdings",
    "transactions",
    "complaints",
    "complaint_status_changes",
    "monthly_kpis",
    "targets",
    "competitor_outlets",
    "demand_grid",
    "lobby_hourly",
    "lobby_service_types",
    "inspections",
)

MANIFEST = "manifest.csv"
FILE_SUFFIXES = (".csv", ".xlsx")
NAME_SEPARATORS = "_-. "
_NUMBERED = re.compile(r"^(?P<order>\d+)[_\-. ]+(?P<rest>.+)$")
MANIFEST_HEADERS = {"file": "file", "文件": "file", "kind": "kind", "类型": "kind", "order": "order", "顺序": "order"}


class FolderError(Exception):
    """What is wrong with a folder or its manifest: ``problems`` = [(message key, params)].
    Raised before anything is loaded."""

    def __init__(self, problems: list[tuple[str, dict]]):
        super().__init__(problems)
        self.problems = problems


@dataclass(frozen=True)
class FolderFile:
    """One file of the folder and the import kind it holds; ``order`` sorts files of one kind."""

    path: Path
    kind: str
    order: int | None = None

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class LoadedFile:
    """A file staged and confirmed inside the folder's transaction."""

    file: FolderFile
    batch_id: int
    rows: int
    seconds: float
    restated: int = 0  # rows that replaced rows of earlier batches (a restating load)


@dataclass
class FolderResult:
    """Outcome of :func:`load_folder`: the files loaded (in order) and, if one was refused, that
    file and its staging result (nothing was changed then)."""

    loaded: list[LoadedFile] = field(default_factory=list)
    refused: FolderFile | None = None
    refusal: StageResult | None = None
    committed: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.refused is None

    @property
    def rows(self) -> int:
        return sum(item.rows for item in self.loaded)


def load_position(kind: str) -> int:
    """Where files of ``kind`` go in the load (an index of :data:`LOAD_ORDER`)."""
    try:
        return LOAD_ORDER.index(kind)
    except ValueError:
        raise KeyError(f"import kind {kind!r} has no place in data.importer.folder.LOAD_ORDER") from None


def kind_from_name(file_name: str) -> tuple[str | None, int | None]:
    """The import kind a file's name starts with, and the number before it if any.

    The name (without its extension, ignoring case) is the kind's name, or starts with it and a
    separator (``_``, ``-``, ``.`` or a space), optionally after a number and a separator:
    ``customers.csv``, ``customers_2026-10.xlsx`` and ``03_customers.csv`` all hold customers
    (the last with order 3). Where several kinds fit, the longest name wins. ``(None, order)``
    when no kind fits.
    """
    stem = Path(file_name).stem.strip().lower()
    order = None
    numbered = _NUMBERED.match(stem)
    if numbered and not _kind_at_start(stem):
        order, stem = int(numbered["order"]), numbered["rest"]
    return _kind_at_start(stem), order


def _kind_at_start(stem: str) -> str | None:
    fits = [name for name in KINDS if stem == name or (stem.startswith(name) and stem[len(name)] in NAME_SEPARATORS)]
    return max(fits, key=len, default=None)


def _kind_names() -> str:
    return ", ".join(KINDS)


def _candidates(folder: Path) -> list[Path]:
    """The folder's files that may be loaded: regular files, not hidden, not the manifest
    (sub-folders are not read)."""
    return sorted(
        (
            path
            for path in folder.iterdir()
            if path.is_file() and not path.name.startswith(".") and path.name.lower() != MANIFEST
        ),
        key=lambda path: path.name,
    )


def _manifest_path(folder: Path) -> Path | None:
    return next((path for path in folder.iterdir() if path.is_file() and path.name.lower() == MANIFEST), None)


def _suffix_problem(path: Path) -> tuple[str, dict] | None:
    if path.suffix.lower() in FILE_SUFFIXES:
        return None
    return ("import_folder_not_csv_or_xlsx", {"file": path.name})


def _read_manifest(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The manifest's lines as (line number, {file, kind, order}); headers in either language."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FolderError([("import_folder_manifest_not_utf8", {})]) from None
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(reader, [])]
    names = [MANIFEST_HEADERS.get(cell) for cell in header]
    if "file" not in names or "kind" not in names:
        raise FolderError([("import_folder_manifest_columns", {"header": ",".join(header)})])
    lines = []
    for line, cells in enumerate(reader, start=2):
        row = {name: cell.strip() for name, cell in zip(names, cells) if name}
        if any(row.values()):
            lines.append((line, row))
    return lines


def _from_manifest(folder: Path, manifest: Path) -> list[FolderFile]:
    """The files as the manifest lists them; every problem of the manifest at once."""
    problems: list[tuple[str, dict]] = []
    files: list[FolderFile] = []
    present = {path.name: path for path in _candidates(folder)}
    first_line: dict[str, int] = {}
    for line, row in _read_manifest(manifest):
        name, kind, order = row.get("file", ""), row.get("kind", ""), row.get("order", "")
        if not name or not kind:
            problems.append(("import_folder_manifest_required", {"line": line}))
            continue
        if name in first_line:
            problems.append(("import_folder_manifest_twice", {"line": line, "file": name, "first": first_line[name]}))
            continue
        first_line[name] = line
        if name not in present:
            problems.append(("import_folder_manifest_missing_file", {"line": line, "file": name}))
            continue
        if kind not in KINDS:
            problems.append(
                (
                    "import_folder_manifest_unknown_kind",
                    {"line": line, "file": name, "kind": kind, "kinds": _kind_names()},
                )
            )
            continue
        if order and not re.fullmatch(r"[+-]?\d+", order):
            problems.append(("import_folder_manifest_bad_order", {"line": line, "order": order}))
            continue
        problem = _suffix_problem(present[name])
        if problem:
            problems.append(problem)
            continue
        files.append(FolderFile(present[name], kind, int(order) if order else None))
    problems.extend(("import_folder_not_in_manifest", {"file": name}) for name in present if name not in first_line)
    if problems:
        raise FolderError(problems)
    return files


def _from_names(folder: Path) -> list[FolderFile]:
    """The files with the kind each name starts with; every unknown file at once."""
    problems: list[tuple[str, dict]] = []
    files: list[FolderFile] = []
    for path in _candidates(folder):
        problem = _suffix_problem(path)
        kind, order = kind_from_name(path.name)
        if problem:
            problems.append(problem)
        elif kind is None:
            problems.append(("import_folder_unknown_file", {"file": path.name, "kinds": _kind_names()}))
        else:
            files.append(FolderFile(path, kind, order))
    if problems:
        raise FolderError(problems)
    return files


def plan_folder(folder: Path) -> list[FolderFile]:
    """The folder's files with their kinds, in the order they are loaded.

    Raises :class:`FolderError` listing every problem (not a folder, no files, unknown files,
    files that are not CSV or Excel, manifest errors) before anything is read into the database.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FolderError([("import_folder_not_a_folder", {"folder": str(folder)})])
    manifest = _manifest_path(folder)
    files = _from_manifest(folder, manifest) if manifest else _from_names(folder)
    if not files:
        raise FolderError([("import_folder_no_files", {"folder": str(folder)})])
    return sorted(
        files,
        key=lambda f: (load_position(f.kind), f.order is None, f.order or 0, f.name.lower()),
    )


def load_folder(
    engine: Engine,
    files: list[FolderFile],
    username: str,
    confirm: bool = False,
    trusted: bool = False,
    on_file: Callable[[LoadedFile], None] | None = None,
    id_hash_key: str | None = None,
    restate: bool = False,
) -> FolderResult:
    """Stage and confirm ``files`` (as :func:`plan_folder` orders them) in one transaction.

    Stops at the first refused file and rolls everything back (``refused``/``refusal`` say which
    and why; an audit line records it). Without ``confirm`` the transaction is rolled back after
    the last file too (a dry run: everything validated, nothing changed). With ``confirm`` it is
    committed once, with a new data version, the KPI roll-up rebuilt and an audit line.
    ``on_file`` is called after each file is in. ``restate``: every file may restate rows that
    earlier batches loaded (same key: they are replaced, and kept for a delete to restore; see
    :func:`data.importer.pipeline.stage`). Raises
    :class:`data.importer.pipeline.BatchError` when ``username`` may not import (``trusted``:
    the command line, see :func:`data.importer.pipeline.stage`).
    """
    started = time.perf_counter()
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            _require_importer(connection, username, trusted)
            outcome = load_in_transaction(connection, files, username, on_file, id_hash_key, restate)
            if outcome.ok and confirm:
                finish_in_transaction(connection, outcome, username)
                transaction.commit()
                outcome.committed = True
            else:
                transaction.rollback()
        except BaseException:
            if transaction.is_active:
                transaction.rollback()
            raise
    if outcome.refused is not None:
        _audit_refusal(engine, username, outcome)
    outcome.seconds = time.perf_counter() - started
    return outcome


def load_in_transaction(
    connection: Connection,
    files: list[FolderFile],
    username: str,
    on_file: Callable[[LoadedFile], None] | None = None,
    id_hash_key: str | None = None,
    restate: bool = False,
) -> FolderResult:
    """The work of :func:`load_folder` inside the caller's transaction: stage and confirm each
    file in turn, stopping at the first refused one. The caller rolls back when the result is
    not ``ok`` (the files before it are in), and commits after :func:`finish_in_transaction`
    otherwise. For a caller that loads more in the same transaction (the demo build)."""
    outcome = FolderResult()
    for _, run in itertools.groupby(files, key=lambda f: f.kind):
        run = list(run)
        with _checks_suspended(connection, run, restate):
            if not _load_run(connection, run, username, on_file, id_hash_key, restate, outcome):
                return outcome
    return outcome


def _checks_suspended(connection: Connection, run: list[FolderFile], restate: bool):
    """For several files of one kind in a row on PostgreSQL (the full demo's parts, a bank's
    monthly files): the target table's foreign keys dropped before the first and validated once
    after the last (one join instead of a trigger call per row and key), and, for kinds no later
    step reads through them, its non-unique indexes built once after the last. Within the
    folder's transaction, so a failure restores them; the importer's own checks have resolved
    every reference already."""
    if connection.dialect.name != "postgresql" or len(run) < 2 or restate:
        return contextlib.nullcontext()
    kind = KINDS[run[0].kind]
    plain = kind.after_confirm is None and kind.finish is None
    return without_secondary_indexes_and_foreign_keys(connection, kind.table, with_indexes=plain, unique_indexes=False)


def _load_run(connection, run, username, on_file, id_hash_key, restate, outcome: FolderResult) -> bool:
    """Stage and confirm each file of ``run`` into ``outcome``; False at the first refused one."""
    for file in run:
        file_started = time.perf_counter()
        result = stage_in_transaction(
            connection,
            file.kind,
            file.path.read_bytes(),
            file.name,
            username,
            id_hash_key=id_hash_key,
            restate=restate,
        )
        if not result.ok:
            outcome.refused, outcome.refusal = file, result
            return False
        confirm_in_transaction(connection, result.batch_id, username)
        seconds = time.perf_counter() - file_started
        loaded = LoadedFile(file, result.batch_id, result.rows, seconds, result.restated)
        outcome.loaded.append(loaded)
        if on_file:
            on_file(loaded)
    return True


def finish_in_transaction(connection: Connection, outcome: FolderResult, username: str) -> None:
    """What a confirmed folder ends with, inside its transaction: one data version for the
    whole load, the KPI roll-up rebuilt for it, planner statistics, and the audit line."""
    bump_data_version(connection, "folder")
    refresh_kpi_rollup(connection)
    analyze_tables(connection)  # every table the files and their derivations wrote
    write_audit(
        connection,
        username,
        "folder_loaded",
        True,
        {
            "files": [item.file.name for item in outcome.loaded],
            "batches": [item.batch_id for item in outcome.loaded],
            "rows": outcome.rows,
        },
    )


def _audit_refusal(engine: Engine, username: str, outcome: FolderResult) -> None:
    refusal = outcome.refusal
    detail = {"file": outcome.refused.name, "kind": outcome.refused.kind, "files_before": len(outcome.loaded)}
    if refusal.file_error is not None:
        detail["error"] = refusal.file_error.key
    else:
        detail["errors"] = refusal.error_count
    with engine.begin() as connection:
        write_audit(connection, username, "folder_refused", False, detail)

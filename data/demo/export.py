"""The whole demo as a bank's import files: ``python -m data.demo --scale S [--seed N] --export DIR``.

Writes one CSV file (UTF-8, the kind's English column names) per import kind the demo has rows
for, named ``NN_<kind>.csv`` in loading order, and ``manifest.csv`` (file, kind, order), so that
``python -m data.importer load DIR --confirm`` loads the demo into a database the way a bank's
extracts go in. The customer file holds the raw (synthetic) ID numbers: a database that is not
the demo's hashes them with its own key (``BRANCHSCOPE_ID_HASH_KEY``); the demo's hashes come
back with the published demo key.

What the files do not carry is listed in :data:`NOT_EXPORTED` (tables) and
:data:`NOT_EXPORTED_COLUMNS` (columns of exported tables); the demo writes those directly.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from data.demo.import_files import (
    ACCOUNT_KINDS,
    CUSTOMER_EXTRACT,
    account_extracts,
    exported_kinds,
    import_frame,
    write_csv,
)
from data.demo.parts import CUSTOMER_PARTS, CustomerParts
from data.importer.folder import LOAD_ORDER, MANIFEST
from data.importer.spec import KINDS

PARTED_KINDS = (*ACCOUNT_KINDS, "transactions")  # the full demo writes these one part of the customers at a time

# Demo tables no import file carries, and why.
NOT_EXPORTED: dict[str, str] = {
    "district": "city and district outlines (GeoJSON) for the maps: no import kind; the demand grid's "
    "district_code refers to them, so they must be in the database before the folder is loaded",
    "metric": "the metric catalogue: reference data written by the migrations",
    "holding": "derived from the account extracts when they are confirmed (data.accounts)",
    "balance_monthly": "derived from the account extracts when they are confirmed (data.accounts)",
    "app_user": "the demo log-ins: not data a bank supplies",
}
# Columns of exported tables that the import kinds do not have (the loaded rows lack them).
NOT_EXPORTED_COLUMNS: dict[tuple[str, str], str] = {
    ("org_unit", "data_origin"): "whether a demo province is on real city facts or synthetic (only with "
    "--provinces above 1): the demo marks its units after loading them",
}


@dataclass(frozen=True)
class ExportedFile:
    """One file written: its name, import kind, order in the manifest and data rows."""

    name: str
    kind: str
    order: int
    rows: int


def export_kinds() -> list[str]:
    """The import kinds the export writes, in loading order: every kind of the import
    specification that the demo has rows for."""
    available = set(exported_kinds())
    return [kind for kind in LOAD_ORDER if kind in KINDS and kind in available]


def missing_kinds() -> list[str]:
    """Import kinds the demo gives no file for (e.g. customer changes: the demo has no history)."""
    return [kind for kind in LOAD_ORDER if kind in KINDS and kind not in set(exported_kinds())]


def _check_columns(kind: str, frame: pd.DataFrame) -> None:
    """The frame's columns are the kind's column names (a mismatch is a bug of the exporter)."""
    names = {column.name for column in KINDS[kind].columns}
    unknown = set(frame.columns) - names
    missing = {c.name for c in KINDS[kind].columns if c.required} - set(frame.columns)
    if unknown or missing:
        raise ValueError(f"export of {kind}: unknown columns {sorted(unknown)}, missing {sorted(missing)}")


def export_demo(folder: Path, tables: dict[str, pd.DataFrame]) -> list[ExportedFile]:
    """Write the demo ``tables`` (see :func:`data.demo.build_tables`) as import files and
    ``manifest.csv`` into ``folder`` (created if missing; it must hold no files yet); returns
    the files written. A kind without rows (a tiny network may have no corporate loans) gets no
    file. The full-population demo's account extracts and transactions (``CUSTOMER_PARTS``) go
    as one file per part of the customers: ``NN_<kind>_PPP.csv``, ``order`` NN for all of them
    (the folder loader takes files of one kind by order, then name)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise FileExistsError(f"{folder} is not empty")
    customers = tables[CUSTOMER_EXTRACT]
    parts = tables.get(CUSTOMER_PARTS)
    part_files = _write_parts(folder, parts, tables) if parts is not None else {}
    accounts = account_extracts(tables, customers) if parts is None else {}
    written = []
    order = 0
    for kind in export_kinds():
        if kind in PARTED_KINDS and parts is not None:
            if part_files.get(kind):
                order += 1
            for number, (scratch, rows) in enumerate(part_files.get(kind, []), start=1):
                name = f"{order:02d}_{kind}_{number:03d}.csv"
                scratch.rename(folder / name)
                written.append(ExportedFile(name, kind, order, rows))
            continue
        frame = accounts[kind] if kind in accounts else import_frame(kind, tables, customers)
        _check_columns(kind, frame)
        if frame.empty:
            continue
        order += 1
        name = f"{order:02d}_{kind}.csv"
        write_csv(frame, folder / name)
        written.append(ExportedFile(name, kind, order, len(frame)))
    with (folder / MANIFEST).open("w", encoding="utf-8", newline="") as manifest:
        writer = csv.writer(manifest)
        writer.writerow(["file", "kind", "order"])
        writer.writerows([item.name, item.kind, item.order] for item in written)
    return written


def _write_parts(folder: Path, parts: CustomerParts, tables: dict) -> dict[str, list[tuple[Path, int]]]:
    """Each part's account extracts and transactions as hidden scratch files in ``folder``
    (renamed by :func:`export_demo`): kind → [(file, rows)] in part order, parts without rows
    of a kind left out. One part is in memory at a time."""
    files: dict[str, list[tuple[Path, int]]] = {kind: [] for kind in PARTED_KINDS}
    for part in parts:
        part_tables = {
            **tables,
            "holding": part.holdings,
            "balance_monthly": part.balances,
            "txn": part.transactions,
        }
        frames = account_extracts(part_tables, part.customers)
        frames["transactions"] = import_frame("transactions", part_tables, part.customers)
        del part_tables, part
        for kind in PARTED_KINDS:
            frame = frames.pop(kind)
            _check_columns(kind, frame)
            if frame.empty:
                continue
            scratch = folder / f".part-{kind}-{len(files[kind]) + 1:03d}.csv"
            write_csv(frame, scratch)
            files[kind].append((scratch, len(frame)))
    return files

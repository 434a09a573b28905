"""The data-loading reference of every import kind, written from the kind specifications as the
templates are, so that the documentation never drifts from the validator.

``python -m data.importer.docs`` prints the Markdown page ``docs/data-loading/kinds.md`` (one
section per kind in loading order: title in both languages, target table, key, templates, and a
table of every column with its Chinese header, type, whether it is required, its limits or
allowed values, and its description in English and Chinese). ``--write`` writes the page where
it changed; ``--check`` exits 1 when the committed page is out of date (a test runs the check).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from data.importer.folder import LOAD_ORDER
from data.importer.kind import ColumnSpec, ImportKind
from data.importer.spec import KINDS
from data.importer.templates import TYPE_NAMES

PAGE_PATH = Path(__file__).resolve().parent.parent.parent / "docs" / "data-loading" / "kinds.md"
COMMAND = "python -m data.importer.docs --write"

HEADER = f"""# Import kinds: every column

<!-- Generated from the import specifications (data/importer/spec.py and data/importer/kinds/)
by `{COMMAND}`; do not edit by hand: a test fails when this page is out of date. -->

Every file a bank supplies is one of these kinds, listed in loading order (what a kind refers to
comes first; `python -m data.importer load DIR` takes a folder in this order). A file's header
row may use the English column names or the Chinese headers (表头), in any order. The templates in
`data/templates/` are made from the same specifications: `<kind>.csv` (English headers, one
example row) and `<kind>.xlsx` (Chinese headers and a sheet 列说明 describing every column).

Types: text; number (a decimal point, thousands separators only between groups of three
digits); whole number; yes/no (1/0, true/false, yes/no or 是/否); date `YYYY-MM-DD`; time
`YYYY-MM-DD HH:MM[:SS]` (a bare date is midnight); month `YYYY-MM`. "Key" names the columns
whose values may appear only once, in the file and in the database (a restating batch replaces
rows with the same key: see [Corrections](index.md#corrections-restating-batches)).
"""


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ").strip()


def _limits(column: ColumnSpec) -> str:
    """Range, length and allowed values of a column, in English."""
    limits = []
    if column.minimum is not None:
        limits.append(f"≥ {column.minimum:g}")
    if column.maximum is not None:
        limits.append(f"≤ {column.maximum:g}")
    if column.choices:
        limits.append("one of " + ", ".join(f"`{choice}`" for choice in column.choices))
    elif column.kind == "text":
        limits.append(f"≤ {column.max_length} chars")
    return "; ".join(limits)


def _key_columns(kind: ImportKind) -> list[str]:
    """The file columns behind the kind's key (a key on a stored id names the code column)."""
    names = []
    for target in kind.key:
        column = next((c for c in kind.columns if c.target_column == target or c.name == target), None)
        names.append(column.name if column is not None else target)
    return names


def kind_section(kind: ImportKind) -> str:
    """The Markdown section of one import kind."""
    key = ", ".join(f"`{name}`" for name in _key_columns(kind))
    lines = [
        f"## `{kind.name}`: {kind.title_en} ({kind.title_zh})",
        "",
        f"Rows go to table `{kind.table.name}`. Key: {key}. "
        f"Templates: `data/templates/{kind.name}.csv`, `data/templates/{kind.name}.xlsx`.",
        "",
        "| column | 表头 | type | required | limits | description | 说明 | example |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for column in kind.columns:
        example = f"`{_cell(column.example)}`" if column.example else ""
        cells = [
            f"`{column.name}`",
            column.header_zh,
            TYPE_NAMES[column.kind][1],
            "yes" if column.required else "no",
            _limits(column),
            column.description_en,
            column.description_zh,
            example,
        ]
        lines.append("| " + " | ".join(_cell(cell) for cell in cells[:-1]) + f" | {example} |")
    return "\n".join(lines) + "\n"


def render() -> str:
    """The whole page: the introduction, then every kind in loading order."""
    ordered = [KINDS[name] for name in LOAD_ORDER] + [kind for name, kind in KINDS.items() if name not in LOAD_ORDER]
    return HEADER + "\n" + "\n".join(kind_section(kind) for kind in ordered)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.importer.docs", description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help=f"write {PAGE_PATH.name} where it changed")
    action.add_argument("--check", action="store_true", help="exit 1 when the committed page is out of date")
    args = parser.parse_args(argv)
    page = render()
    if args.check:
        current = PAGE_PATH.read_text(encoding="utf-8") if PAGE_PATH.exists() else ""
        if current != page:
            print(f"{PAGE_PATH} is out of date: run {COMMAND}", file=sys.stderr)
            return 1
        return 0
    if args.write:
        PAGE_PATH.parent.mkdir(parents=True, exist_ok=True)
        if not PAGE_PATH.exists() or PAGE_PATH.read_text(encoding="utf-8") != page:
            PAGE_PATH.write_text(page, encoding="utf-8")
            print(PAGE_PATH)
        return 0
    sys.stdout.write(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())

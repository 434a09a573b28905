"""What an import kind is: its columns, the key that must be unique, the target table, and the
steps particular to the kind (checks across columns, code lookups, work after a confirm or a
delete). The kinds themselves are in :mod:`data.importer.spec` (the first ones) and in
:mod:`data.importer.kinds` (one module per kind a bank supplies).

Adding an import kind: write its :class:`ImportKind` in a module of ``data/importer/kinds/``,
list it in that package's ``BANK_KINDS``, give its table a staging table in ``data/schema.py``
(``STAGING_TABLES``), put its messages in a ``config/import_texts_*.py`` module, regenerate the
templates (``python -m data.importer.templates``) and test it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ColumnSpec:
    """One column of an import file.

    ``kind``: ``text``, ``float``, ``int``, ``bool`` (1/0, true/false, yes/no, 是/否), ``date``
    (YYYY-MM-DD only), ``datetime`` (YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS; a bare date is
    midnight) or ``month`` (YYYY-MM, or YYYY-MM-01; stored as the first day of the month).
    ``minimum``/``maximum`` bound numbers; ``choices`` lists the allowed texts; ``reference``
    names a lookup (see ``data.importer.validation.load_context`` and :attr:`ImportKind.lookups`)
    that turns a code into the id stored in ``target``. ``transform`` protects personal data
    before it is stored: ``hmac_sha256`` keeps only the keyed hash of an ID number (see
    ``data.importer.limits``), ``mask_phone`` keeps 3 + 4 digits.
    """

    name: str
    header_zh: str
    kind: str
    required: bool = True
    minimum: float | None = None
    maximum: float | None = None
    max_length: int = 200
    choices: tuple[str, ...] = ()
    reference: str | None = None
    target: str | None = None  # column of the table the value goes to (default: ``name``)
    transform: str | None = None
    example: str = ""
    description_en: str = ""
    description_zh: str = ""

    @property
    def target_column(self) -> str:
        return self.target or self.name


def outlet_code_column(description_en: str = "", description_zh: str = "") -> ColumnSpec:
    """The ``outlet_code`` column most kinds have: an outlet of the registry, stored as its id."""
    return ColumnSpec(
        "outlet_code",
        "网点代码",
        "text",
        max_length=32,
        reference="outlet_code",
        target="outlet_id",
        example="O150100001",
        description_en=description_en,
        description_zh=description_zh,
    )


# (frame of converted rows, their file line numbers, the error list, the file's Context): adds
# RowErrors for problems that need more than one column, and may add derived columns.
Checks = Callable[..., None]
# (connection) → {code: id}: a lookup a ``reference`` of the kind's columns names.
Lookup = Callable[..., dict]
# (connection, batch id): a step run inside the confirm or delete transaction.
BatchStep = Callable[..., None]


@dataclass(frozen=True)
class ImportKind:
    """An import kind: file columns, the key that must be unique, and the target table.

    ``checks`` runs on every validated chunk; ``lookups`` adds code lookups of the kind's own
    (name → loader) to the shared ones. ``after_confirm`` runs after a batch's rows are in the
    table (e.g. derive what follows from them); ``before_delete`` before a confirmed batch's
    rows are removed and ``after_delete`` after (e.g. restore or re-derive), all in the same
    transaction as the confirm or delete.

    ``replaceable`` = (column, value): rows of the table with that value in that column (e.g.
    ``("source", "accounts")``: KPIs derived from account extracts) are not "already in the
    database" for this kind: a batch with their key replaces them when it is confirmed.
    """

    name: str
    title_zh: str
    title_en: str
    table: object  # a SQLAlchemy Table
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...]  # target columns that identify a row (checked in the file and in the table)
    fixed: dict = field(default_factory=dict)  # constant target columns
    finish: str | None = None  # a step run when a batch is confirmed (see data.importer.org_units)
    checks: Checks | None = None
    lookups: dict[str, Lookup] = field(default_factory=dict)
    after_confirm: BatchStep | None = None
    before_delete: BatchStep | None = None
    after_delete: BatchStep | None = None
    replaceable: tuple[str, object] | None = None

    def column(self, name: str) -> ColumnSpec:
        return next(c for c in self.columns if c.name == name)

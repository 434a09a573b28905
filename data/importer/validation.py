"""Row-level validation of an import chunk: types, required values, ranges, codes that must
exist, formula-like text. Keys repeated inside the file and keys already in the database are found
by the pipeline with SQL over the staged rows (see ``data.importer.pipeline``).

Vectorised with pandas per chunk; every problem becomes a :class:`RowError` naming the file
line, the column, a translation key and its parameters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import h3
import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Connection

from config.metrics import BASE_CODES, BY_CODE
from data.importer.kind import ColumnSpec, ImportKind
from data.importer.limits import id_hash
from data.schema import ROOT_LEVELS, UNIT_LEVELS, Customer, District, OrgUnit, Product, Staff

PRODUCT_FAMILIES_OF_EXTRACT = {
    "personal_deposit": ("demand_deposit", "time_deposit"),
    "corporate_deposit": ("demand_deposit", "time_deposit"),
    "personal_loan": ("personal_loan",),
    "corporate_loan": ("corporate_loan",),
    "product_holding": ("wealth", "insurance", "fund", "gold", "card", "e_banking"),
}
BOOLEAN_WORDS = {
    "1": True,
    "0": False,
    "true": True,
    "false": False,
    "yes": True,
    "no": False,
    "y": True,
    "n": False,
    "是": True,
    "否": False,
}
# Text that a spreadsheet would run as a formula: =, +, -, @ (and their full-width forms, which
# some spreadsheet programs also accept), tab and carriage return. Numbers keep their sign: only
# text columns are checked.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# A number with thousands separators in their places (1,234,567.89); without commas, what
# pandas.to_numeric reads (-1234.5, 1e6, .5) and is finite.
GROUPED_NUMBER = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"
DATE_FORMAT = r"\d{4}-\d{2}-\d{2}"  # YYYY-MM-DD, nothing else
MONTH_FORMAT = r"\d{4}-\d{2}(?:-01)?"  # YYYY-MM, or the month's first day as a date
DATETIME_FORMAT = r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?"  # YYYY-MM-DD[ HH:MM[:SS]]
MAX_REPORTED_ERRORS = 10_000


@dataclass(frozen=True)
class RowError:
    """One problem in one cell (``column`` empty for a whole-row problem)."""

    row: int
    column: str
    key: str
    params: dict
    value: str = ""


@dataclass
class Context:
    """Lookups and state shared by all chunks of one file."""

    references: dict[str, dict[str, object]]
    id_hash_key: str | None = None  # key of the ID-number HMAC (see data.importer.limits)
    units_in_file: dict[str, str] = field(default_factory=dict)  # org unit code → level
    pending_parents: list[tuple[int, str, tuple[str, ...]]] = field(
        default_factory=list
    )  # (line, parent code, levels allowed)
    top_units_in_file: list[str] = field(default_factory=list)  # codes of the file's units without a parent
    # (line, code of the unit merged into, its level): merged units whose target is not in the database
    pending_merges: list[tuple[int, str, str]] = field(default_factory=list)


def load_context(connection: Connection, kind: ImportKind, id_hash_key: str | None = None) -> Context:
    """Load the code lookups the kind's columns need; ``id_hash_key`` is for kinds that hash ID numbers."""
    references = {}
    if kind.name == "org_units":
        rows = connection.execute(select(OrgUnit.code, OrgUnit.id, OrgUnit.level)).all()
        references["unit_id_level"] = {code: (unit_id, level) for code, unit_id, level in rows}
        tops = connection.execute(select(OrgUnit.code).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.id))
        references["top_unit_codes"] = tops.scalars().all()
    for column in kind.columns:
        if column.reference in kind.lookups:
            references[column.reference] = kind.lookups[column.reference](connection)
        elif column.reference == "outlet_code":
            rows = connection.execute(select(OrgUnit.code, OrgUnit.id).where(OrgUnit.level == "outlet")).all()
            references["outlet_code"] = dict(rows)
        elif column.reference == "city_code":
            rows = connection.execute(select(OrgUnit.city_code).where(OrgUnit.city_code.is_not(None)).distinct()).all()
            references["city_code"] = {code: code for (code,) in rows}
        elif column.reference == "unit_code":
            references["unit_code"] = dict(connection.execute(select(OrgUnit.code, OrgUnit.id)).all())
        elif column.reference == "employee_no":
            references["employee_no"] = dict(connection.execute(select(Staff.employee_no, Staff.id)).all())
        elif column.reference == "district_code":
            references["district_code"] = dict(connection.execute(select(District.code, District.id)).all())
        elif column.reference == "metric_code":
            references["metric_code"] = {code: code for code in BY_CODE}
        elif column.reference == "base_metric_code":
            references["base_metric_code"] = {code: code for code in BASE_CODES}
        elif column.reference in ("personal_customer_no", "corporate_customer_no"):
            segment = column.reference.split("_")[0]
            rows = connection.execute(select(Customer.customer_no, Customer.id).where(Customer.kind == segment)).all()
            references[column.reference] = dict(rows)
        elif column.reference in PRODUCT_FAMILIES_OF_EXTRACT:
            families = PRODUCT_FAMILIES_OF_EXTRACT[column.reference]
            segment = column.reference.split("_")[0]
            rows = connection.execute(
                select(Product.code, Product.id).where(
                    Product.family.in_(families), Product.segment.in_((segment, "both"))
                )
            ).all()
            references[column.reference] = dict(rows)
    return Context(references, id_hash_key)


def _kept(values: pd.Series, keep: pd.Series) -> pd.Series:
    """``values`` where ``keep``, else None, as plain Python objects (pandas would use NaN)."""
    return pd.Series(np.where(keep.to_numpy(), values.to_numpy(dtype=object), None), index=values.index, dtype=object)


def _text(values: pd.Series) -> pd.Series:
    return values.fillna("").astype(str).str.strip()


def _distinct(text: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """The distinct texts of a column and, for each cell, the position of its text among them:
    conversions that are costly per cell (date parsing, code lookups) run once per distinct
    value and are spread back with ``result[codes]`` (a month column of a million rows has one
    distinct value)."""
    codes, uniques = pd.factorize(text)
    return codes, pd.Series(np.asarray(uniques, dtype=object), dtype=object)


def _looked_up(text: pd.Series, lookup) -> pd.Series:
    """The lookup's value (an id) for each cell's code, None for unknown codes."""
    codes, distinct = _distinct(text)
    found = np.empty(len(distinct) + 1, dtype=object)  # the last slot answers code -1 (none)
    for index, code in enumerate(distinct):
        found[index] = lookup.get(code)
    return pd.Series(found[codes], index=text.index, dtype=object)


def _convert(column: ColumnSpec, raw: pd.Series, errors: list, rows: pd.Series, context: Context) -> pd.Series:
    """Convert one column; append errors for bad cells; missing values become None/NaN."""
    text = _text(raw)
    present = text != ""
    if column.required:
        for row in rows[~present]:
            errors.append(RowError(int(row), column.name, "import_required", {}))
    if column.kind == "bool":
        lowered = text.str.lower()
        truth = lowered.map(BOOLEAN_WORDS)
        _flag(errors, rows, present & truth.isna(), column, text, "import_not_a_boolean")
        return truth.where(present & truth.notna(), False if not column.required else None).astype(object)
    if column.kind == "text":
        values = _kept(text, present)
        too_long = present & (text.str.len() > column.max_length)
        formula = present & text.str.startswith(FORMULA_PREFIXES)
        _flag(errors, rows, too_long, column, text, "import_too_long", maximum=column.max_length)
        _flag(errors, rows, formula, column, text, "import_formula_text")
        if column.choices:
            _flag(
                errors,
                rows,
                present & ~text.isin(column.choices),
                column,
                text,
                "import_bad_choice",
                choices=", ".join(column.choices),
            )
        if column.transform:
            return _transformed(column, text, present & ~too_long & ~formula, errors, rows, context)
        if column.reference:
            mapped = _looked_up(text, context.references[column.reference])
            _flag(errors, rows, present & ~too_long & ~formula & mapped.isna(), column, text, "import_unknown_code")
            return _kept(mapped, present)
        return values
    if column.kind in ("float", "int"):
        numbers, bad = _numbers(column, text, present, errors, rows)
        if column.kind == "int":
            _flag(errors, rows, present & ~bad & (numbers % 1 != 0), column, text, "import_not_an_integer")
        if column.minimum is not None:
            _flag(
                errors,
                rows,
                present & ~bad & (numbers < column.minimum),
                column,
                text,
                "import_below_minimum",
                minimum=column.minimum,
            )
        if column.maximum is not None:
            _flag(
                errors,
                rows,
                present & ~bad & (numbers > column.maximum),
                column,
                text,
                "import_above_maximum",
                maximum=column.maximum,
            )
        return numbers.where(present & ~bad)
    if column.kind in ("date", "month"):
        return _dates(column, text, present, errors, rows)
    if column.kind == "datetime":
        return _datetimes(column, text, present, errors, rows)
    raise ValueError(f"unknown column kind {column.kind!r}")


def _numbers(
    column: ColumnSpec, text: pd.Series, present: pd.Series, errors: list, rows: pd.Series
) -> tuple[pd.Series, pd.Series]:
    """The numbers of a column and which present cells are bad. A comma is a thousands separator
    only between groups of three digits (1,234,567.89); "58300,25" or "1,2,3" are refused rather
    than read as 5830025 or 123. Vectorised: one regex pass over the cells that hold a comma."""
    commas = text.str.contains(",", regex=False)
    grouped = commas & text.str.fullmatch(GROUPED_NUMBER)
    bad_grouping = present & commas & ~grouped
    _flag(errors, rows, bad_grouping, column, text, "import_bad_thousands")
    plain = text.where(~grouped, text.str.replace(",", "", regex=False)) if grouped.any() else text
    numbers = pd.to_numeric(plain.where(~commas | grouped, ""), errors="coerce")
    bad = present & ~bad_grouping & (numbers.isna() | ~np.isfinite(numbers.fillna(0)))
    _flag(errors, rows, bad, column, text, "import_not_a_number")
    return numbers, bad | bad_grouping


def _dates(column: ColumnSpec, text: pd.Series, present: pd.Series, errors: list, rows: pd.Series) -> pd.Series:
    """Dates as YYYY-MM-DD only (months as YYYY-MM or YYYY-MM-01): "2019/04/01" is a format
    error, "2019-02-30" has the right format but is no such date. Each distinct text is parsed
    once."""
    month = column.kind == "month"
    codes, distinct = _distinct(text)
    shaped_once = distinct.str.fullmatch(MONTH_FORMAT if month else DATE_FORMAT).fillna(False).to_numpy(dtype=bool)
    parsed = pd.to_datetime(
        distinct.str.slice(0, 7) if month else distinct, format="%Y-%m" if month else "%Y-%m-%d", errors="coerce"
    )
    dates_once = parsed.to_numpy().astype("datetime64[D]").astype(object)  # datetime.date, None where NaT
    shaped = pd.Series(shaped_once[codes], index=text.index)
    dates = pd.Series(dates_once[codes], index=text.index, dtype=object)
    bad_format = present & ~shaped
    no_such = present & shaped & dates.isna()
    _flag(errors, rows, bad_format, column, text, "import_bad_month" if month else "import_bad_date")
    _flag(errors, rows, no_such, column, text, "import_no_such_month" if month else "import_no_such_date")
    return _kept(dates, present & ~bad_format & ~no_such)


def _datetimes(column: ColumnSpec, text: pd.Series, present: pd.Series, errors: list, rows: pd.Series) -> pd.Series:
    """Times as YYYY-MM-DD HH:MM[:SS] (a "T" instead of the space is accepted; a bare
    YYYY-MM-DD is midnight): "2026/10/12 09:30" is a format error, "2026-10-12 25:00" has the
    right format but is no such time."""
    shaped = text.str.fullmatch(DATETIME_FORMAT)
    normalised = text.str.replace("T", " ", regex=False)
    with_seconds = normalised.where(normalised.str.len() != 16, normalised + ":00")
    with_time = with_seconds.where(with_seconds.str.len() != 10, with_seconds + " 00:00:00")
    parsed = pd.to_datetime(with_time.where(present & shaped, ""), format="%Y-%m-%d %H:%M:%S", errors="coerce")
    bad_format = present & ~shaped
    no_such = present & shaped & parsed.isna()
    _flag(errors, rows, bad_format, column, text, "import_bad_datetime")
    _flag(errors, rows, no_such, column, text, "import_no_such_datetime")
    times = pd.Series(parsed.dt.to_pydatetime(), index=text.index, dtype=object)
    return _kept(times, present & ~bad_format & ~no_such)


def _transformed(
    column: ColumnSpec, text: pd.Series, usable: pd.Series, errors: list, rows: pd.Series, context: Context
) -> pd.Series:
    """Personal data protected before it is stored: ID numbers hashed with the key, phone numbers masked."""
    if column.transform == "hmac_sha256":
        key = context.id_hash_key
        if key is None:
            raise ValueError("a kind that hashes ID numbers needs the key (data.importer.limits)")
        hashed = [id_hash(key, v) if ok else None for v, ok in zip(text, usable)]
        return pd.Series(hashed, index=text.index, dtype=object)
    if column.transform == "mask_phone":
        digits = text.str.replace(r"[\s\-+()]", "", regex=True)
        valid = digits.str.fullmatch(r"\d{7,15}")
        _flag(errors, rows, usable & ~valid, column, text, "import_bad_phone")
        masked = digits.str.slice(0, 3) + "****" + digits.str.slice(-4)
        return _kept(masked, usable & valid)
    raise ValueError(f"unknown transform {column.transform!r}")


def _flag(errors: list, rows: pd.Series, mask: pd.Series, column: ColumnSpec, text: pd.Series, key: str, **params):
    for index in np.flatnonzero(mask.to_numpy()):
        if len(errors) < MAX_REPORTED_ERRORS:
            errors.append(RowError(int(rows.iat[index]), column.name, key, params, text.iat[index][:100]))
        else:
            errors.append(None)  # counted, not reported


def _kind_checks(kind: ImportKind, frame: pd.DataFrame, rows: pd.Series, errors: list, context: Context) -> None:
    """Checks that need more than one column."""
    if kind.checks is not None:
        kind.checks(frame, rows, errors, context)
    if kind.name == "monthly_kpis":
        units = frame["metric_code"].map(lambda code: BY_CODE[code].unit if code in BY_CODE else None)
        value = frame["value"]
        negative = (value < 0) & (frame["metric_code"] != "net_interest_income")
        score = (units == "score") & ((value < 0) | (value > 100))
        for mask, key in ((negative, "import_negative_value"), (score & ~negative, "import_score_out_of_range")):
            for index in np.flatnonzero(mask.fillna(False).to_numpy()):
                errors.append(RowError(int(rows.iat[index]), "value", key, {}, str(value.iat[index])))
    if kind.name == "targets":
        starts, ends = frame["period_start"], frame["period_end"]
        reversed_period = [bool(s and e and e < s) for s, e in zip(starts, ends)]
        for index in np.flatnonzero(reversed_period):
            start, end = starts.iat[index].isoformat(), ends.iat[index].isoformat()
            errors.append(RowError(int(rows.iat[index]), "period_end", "import_period_reversed", {"start": start}, end))
    if kind.name == "demand_grid":
        _demand_cells(frame, rows, errors)
    if kind.name == "customers":
        for index, cell in enumerate(frame["home_cell"]):
            if cell is not None and not h3.is_valid_cell(cell):
                errors.append(RowError(int(rows.iat[index]), "home_cell", "import_bad_h3_cell", {}, str(cell)))
        _birth_dates(frame, rows, errors)
    if kind.name == "org_units":
        _org_units(frame, rows, errors, context)
    if kind.name == "inspections":
        _inspections(frame, rows, errors)
    if kind.name == "competitor_outlets":
        closed_before_open = frame["closed_on"].notna() & frame["opened_on"].notna()
        closed_before_open &= pd.Series(
            [c < o if c and o else False for c, o in zip(frame["closed_on"], frame["opened_on"])], index=frame.index
        )
        for index in np.flatnonzero(closed_before_open.to_numpy()):
            closed, opened = frame["closed_on"].iat[index].isoformat(), frame["opened_on"].iat[index].isoformat()
            errors.append(
                RowError(int(rows.iat[index]), "closed_on", "import_closed_before_opened", {"opened": opened}, closed)
            )


def _birth_dates(frame: pd.DataFrame, rows: pd.Series, errors: list) -> None:
    """A birth date must lie in the past and agree with the birth year when both are given; an
    empty birth year is taken from the date (so age-based analytics see it too)."""
    if "birth_date" not in frame:
        return
    parsed = pd.to_datetime(frame["birth_date"], errors="coerce")
    date_year = parsed.dt.year.astype(float)
    years = frame["birth_year"].astype(float)
    for index in np.flatnonzero((date_year.notna() & years.notna() & (date_year != years)).to_numpy()):
        errors.append(
            RowError(
                int(rows.iat[index]),
                "birth_date",
                "import_birth_year_mismatch",
                {"year": int(years.iat[index])},
                str(frame["birth_date"].iat[index]),
            )
        )
    impossible = ((parsed > pd.Timestamp(dt.date.today())) | (date_year < 1900)).to_numpy()
    for index in np.flatnonzero(impossible):
        errors.append(
            RowError(
                int(rows.iat[index]),
                "birth_date",
                "import_birth_date_out_of_range",
                {},
                str(frame["birth_date"].iat[index]),
            )
        )
    frame["birth_year"] = years.where(years.notna(), date_year)


def _inspections(frame: pd.DataFrame, rows: pd.Series, errors: list) -> None:
    """An item must belong to its inspection kind, and a score cannot exceed the item's maximum."""
    from data.importer.spec import INSPECTION_ITEMS

    for index, (kind, item) in enumerate(zip(frame["kind"], frame["item"])):
        if kind in INSPECTION_ITEMS and item is not None and item not in INSPECTION_ITEMS[kind]:
            choices = ", ".join(INSPECTION_ITEMS[kind])
            errors.append(
                RowError(int(rows.iat[index]), "item", "import_unknown_item", {"choices": choices}, str(item))
            )
    above = (frame["score"] > frame["max_score"]).fillna(False).to_numpy()
    for index in np.flatnonzero(above):
        errors.append(
            RowError(int(rows.iat[index]), "score", "import_score_above_max", {}, str(frame["score"].iat[index]))
        )


# The levels a unit's parent may have: any above its own in ``UNIT_LEVELS`` (a head office has
# none; a provincial branch may also be the top of the tree, when there is no head office). A
# level may be skipped: banks hang business departments (营业部) straight under a city or
# provincial branch, and directly managed branches under the head office.
PARENT_LEVELS = {level: UNIT_LEVELS[:index] for index, level in enumerate(UNIT_LEVELS) if index}


def _org_units(frame: pd.DataFrame, rows: pd.Series, errors: list, context: Context) -> None:
    """Tree rules: a unit's parent is a unit of any level above its own (``UNIT_LEVELS``:
    head office → provincial branch → city branch → sub-branch → outlet), already in the
    database or anywhere in the file (checked by :func:`finish_validation`); a head office has no
    parent, a provincial branch may have none; the tree has one top unit (a second, in the file
    or beside the database's, is refused); outlets are leaves and need a type and coordinates.
    Sets ``parent_id`` for parents already in the database."""
    known = context.references["unit_id_level"]
    tops = context.references["top_unit_codes"]
    parent_ids = []
    frame["status"] = frame["status"].fillna("open")
    for index, (code, level, parent) in enumerate(zip(frame["code"], frame["level"], frame["parent_code"])):
        line = int(rows.iat[index])
        parent_ids.append(None)
        if code is not None and level is not None:
            context.units_in_file[code] = level
        if level == UNIT_LEVELS[0] and parent is not None:
            errors.append(RowError(line, "parent_code", "import_head_office_has_no_parent", {}, parent))
        elif level in ROOT_LEVELS and parent is None:
            other = [top for top in tops + context.top_units_in_file if top != code][:1]  # not itself again
            if other:
                errors.append(RowError(line, "code", "import_second_top_unit", {"top": other[0]}, code or ""))
            elif code is not None:
                context.top_units_in_file.append(code)
        elif level in PARENT_LEVELS:
            allowed = PARENT_LEVELS[level]
            if parent is None:
                errors.append(RowError(line, "parent_code", "import_required", {}))
            elif parent in known:
                parent_id, parent_level = known[parent]
                if parent_level not in allowed:
                    key = "import_region_has_no_parent" if level in ROOT_LEVELS else "import_wrong_parent_level"
                    errors.append(RowError(line, "parent_code", key, {"level": ", ".join(allowed)}, parent))
                parent_ids[-1] = parent_id
            else:
                context.pending_parents.append((line, parent, allowed))
        if level == "outlet":
            for column in ("outlet_type", "lon", "lat"):
                value = frame[column].iat[index]
                if value is None or (isinstance(value, float) and np.isnan(value)):
                    errors.append(RowError(line, column, "import_required_for_outlets", {}))
    frame["parent_id"] = pd.array(parent_ids, dtype="Int64")


def finish_validation(kind: ImportKind, context: Context) -> list[RowError]:
    """Checks that need the whole file: parents, and units merged into, that are only in the file."""
    errors = []
    for line, parent, allowed in context.pending_parents:
        found = context.units_in_file.get(parent)
        if found is None:
            errors.append(RowError(line, "parent_code", "import_unknown_code", {}, parent))
        elif found not in allowed:
            errors.append(
                RowError(line, "parent_code", "import_wrong_parent_level", {"level": ", ".join(allowed)}, parent)
            )
    for line, target, level in context.pending_merges:
        found = context.units_in_file.get(target)
        if found is None:
            errors.append(RowError(line, "merged_into_code", "import_merged_into_unknown", {}, target))
        elif found != level:
            errors.append(
                RowError(line, "merged_into_code", "import_merged_into_wrong_level", {"level": level}, target)
            )
    return errors


def _demand_cells(frame: pd.DataFrame, rows: pd.Series, errors: list) -> None:
    """Check H3 indexes and add the cell's resolution and centre (lon, lat) to the rows."""
    resolution, lon, lat = [], [], []
    for index, cell in enumerate(frame["h3_index"]):
        if cell is None or not h3.is_valid_cell(cell) or not 5 <= h3.get_resolution(cell) <= 12:
            if cell is not None:
                errors.append(RowError(int(rows.iat[index]), "h3_index", "import_bad_h3_cell", {}, str(cell)))
            resolution.append(None)
            lon.append(None)
            lat.append(None)
            continue
        centre_lat, centre_lon = h3.cell_to_latlng(cell)
        resolution.append(h3.get_resolution(cell))
        lon.append(round(centre_lon, 6))
        lat.append(round(centre_lat, 6))
    frame["resolution"] = pd.array(resolution, dtype="Int64")
    frame["lon"] = pd.array(lon, dtype="Float64")
    frame["lat"] = pd.array(lat, dtype="Float64")


def validate_chunk(
    connection: Connection, kind: ImportKind, chunk: pd.DataFrame, context: Context
) -> tuple[pd.DataFrame, list]:
    """Converted rows (target column names, plus ``row_number``) and the errors of one chunk."""
    errors: list = []
    rows = chunk["row_number"]
    converted = {"row_number": rows}
    for column in kind.columns:
        raw = chunk[column.name] if column.name in chunk else pd.Series([""] * len(chunk), index=chunk.index)
        converted[column.target_column] = _convert(column, raw, errors, rows, context)
    frame = pd.DataFrame(converted)
    for name, value in kind.fixed.items():
        frame[name] = value
    _kind_checks(kind, frame, rows, errors, context)
    return frame, errors

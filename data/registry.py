"""The outlet registry's changes: create and edit outlets, their lifecycle, and policy documents.

Every function takes ``(engine, actor, ...)``: ``actor`` is the user name of the person making
the change. Their role is checked in the database (an active executive, planner or admin), so
the data layer refuses a branch head or a data steward whatever page calls it. Each change runs
in one transaction together with its ``org_unit_event`` (the outlet's timeline and the region's
change log), its ``audit_log`` row and a new data version (the app's caches recompute). Bad
input raises :class:`RegistryError` with one problem per field and changes nothing.

Lifecycle (``EVENT_TYPES``):
- *planned* / *opened*: a new outlet is created planned (a future opening date) or open;
  a planned outlet opens later with :func:`open_outlet`;
- *edited*: master data changed (the event's ``detail`` holds ``{field: [old, new]}``);
- *relocated*: new coordinates and address; the old ones stay in the event's ``detail``;
- *renovated*: a refit with its cost (RMB) and the days the outlet was shut;
- *merged*: the outlet's customers, staff, accounts and transactions from the merger date, and
  its KPI rows and targets from the merger month on, roll to the receiving outlet (KPI values
  and targets are added to the receiver's, months before stay with the merged outlet: history
  is kept); the outlet's status becomes ``merged``;
- *closed*: the outlet closes; its customers and staff move to a receiving outlet (required when
  it has any), and its history stays.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pandas as pd
from shapely.geometry import Point, shape
from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from config.metrics import BY_CODE
from data.auth import write_audit
from data.db import bump_data_version
from data.kpi_rollup import refresh_kpi_rollup
from data.schema import (
    OUTLET_PARENT_LEVELS,
    OUTLET_TYPES,
    AccountBalance,
    AppUser,
    Customer,
    District,
    KpiMonthly,
    OrgUnit,
    OrgUnitDocument,
    OrgUnitEvent,
    Staff,
    Target,
    Txn,
)
from data.scope import ScopeError, checked_unit_id
from data.staff_status import employed_on

EDITOR_ROLES = ("executive", "planner", "admin")
PARENT_LEVELS = OUTLET_PARENT_LEVELS  # what an outlet may report to
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{2,32}")
NAME_MAX_LENGTH = 100
ADDRESS_MAX_LENGTH = 200
TITLE_MAX_LENGTH = 200
URL_MAX_LENGTH = 500
LON_RANGE = (73.0, 135.5)  # China, as the import pipeline checks
LAT_RANGE = (18.0, 53.6)
PLANNING_HORIZON_YEARS = 10  # a planned opening date at most this far ahead

# Numeric master data: column → (integer?, minimum, maximum). Units in the column names.
NUMBER_FIELDS: dict[str, tuple[bool, float, float]] = {
    "floor_area_m2": (False, 1.0, 20_000.0),
    "cash_counters": (True, 0, 100),
    "non_cash_counters": (True, 0, 100),
    "atms": (True, 0, 100),
    "smart_machines": (True, 0, 100),
    "staff_count": (True, 0, 500),
    "build_cost_rmb": (False, 0.0, 1e10),
    "monthly_rent_rmb": (False, 0.0, 1e8),
    "monthly_running_cost_rmb": (False, 0.0, 1e8),
    "service_area_km2": (False, 0.0, 10_000.0),
}
TEXT_FIELDS = {"name_zh": NAME_MAX_LENGTH, "name_en": NAME_MAX_LENGTH, "address_zh": ADDRESS_MAX_LENGTH}
TEXT_FIELDS |= {"address_en": ADDRESS_MAX_LENGTH}
REQUIRED_TEXT = ("name_zh", "name_en")
# Every field of the master-data form, in form order.
EDITABLE_FIELDS = (
    "code",
    "name_zh",
    "name_en",
    "outlet_type",
    "parent_id",
    "address_zh",
    "address_en",
    "lon",
    "lat",
    "opened_on",
    *NUMBER_FIELDS,
)


class RegistryError(Exception):
    """A refused registry change. ``problems``: ``(field, translation key, values)`` triples."""

    def __init__(self, problems: list[tuple[str, str, dict]]) -> None:
        super().__init__(", ".join(f"{name}: {key}" for name, key, _ in problems))
        self.problems = problems

    @classmethod
    def one(cls, name: str, key: str, **values) -> RegistryError:
        """An error with a single problem."""
        return cls([(name, key, values)])


@dataclass
class _Checked:
    """Values that passed validation, and the problems of those that did not."""

    values: dict = field(default_factory=dict)
    problems: list[tuple[str, str, dict]] = field(default_factory=list)

    def problem(self, name: str, key: str, **values) -> None:
        self.problems.append((name, key, values))


# --- Validation ------------------------------------------------------------------------------


def _blank(value) -> bool:
    return (
        value is None or (isinstance(value, float) and value != value) or (isinstance(value, str) and not value.strip())
    )


def _check_number(checked: _Checked, name: str, value) -> None:
    integer, minimum, maximum = NUMBER_FIELDS[name]
    if _blank(value):
        checked.values[name] = None
        return
    try:
        number = float(value)
    except (TypeError, ValueError):
        checked.problem(name, "reg_err_number")
        return
    except OverflowError:  # an int beyond a float
        number = math.inf
    if not math.isfinite(number):  # inf, "1e400", nan
        checked.problem(name, "reg_err_finite")
    elif integer and number != int(number):
        checked.problem(name, "reg_err_integer")
    elif not minimum <= number <= maximum:
        checked.problem(name, "reg_err_range", minimum=f"{minimum:,g}", maximum=f"{maximum:,g}")
    else:
        checked.values[name] = int(number) if integer else number


def _check_coordinates(checked: _Checked, lon, lat) -> None:
    for name, value, (low, high) in (("lon", lon, LON_RANGE), ("lat", lat, LAT_RANGE)):
        if _blank(value):
            checked.problem(name, "reg_err_required")
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            checked.problem(name, "reg_err_number")
            continue
        except OverflowError:  # an int beyond a float
            number = math.inf
        if not math.isfinite(number):
            checked.problem(name, "reg_err_finite")
        elif not low <= number <= high:
            checked.problem(name, "reg_err_range", minimum=f"{low:g}", maximum=f"{high:g}")
        else:
            checked.values[name] = round(number, 6)


def _check_date(value) -> dt.date | None:
    """A date from a date, datetime or ISO string; ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def check_outlet_fields(fields: dict, today: dt.date, planned: bool) -> tuple[dict, list[tuple[str, str, dict]]]:
    """Check the master data of an outlet without the database (codes, names, ranges, dates).

    ``fields`` holds any of ``EDITABLE_FIELDS``; blank optional fields become None. An open
    outlet's opening date may not lie in the future; a planned one's must lie ahead, within
    ``PLANNING_HORIZON_YEARS``. Returns the cleaned values and the problems found.
    """
    checked = _Checked()
    if "code" in fields:
        code = str(fields["code"] or "").strip()
        if not CODE_PATTERN.fullmatch(code):
            checked.problem("code", "reg_err_code")
        else:
            checked.values["code"] = code
    for name, max_length in TEXT_FIELDS.items():
        if name not in fields:
            continue
        text = "" if _blank(fields[name]) else str(fields[name]).strip()
        if not text and name in REQUIRED_TEXT:
            checked.problem(name, "reg_err_required")
        elif len(text) > max_length:
            checked.problem(name, "reg_err_too_long", max_length=max_length)
        elif text and text[0] in "=+-@":  # would run as a formula if a spreadsheet opened it
            checked.problem(name, "reg_err_formula")
        else:
            checked.values[name] = text or None
    if "outlet_type" in fields:
        if fields["outlet_type"] not in OUTLET_TYPES:
            checked.problem("outlet_type", "reg_err_type")
        else:
            checked.values["outlet_type"] = fields["outlet_type"]
    if "lon" in fields or "lat" in fields:
        _check_coordinates(checked, fields.get("lon"), fields.get("lat"))
    if "opened_on" in fields:
        try:
            opened_on = None if _blank(fields["opened_on"]) else _check_date(fields["opened_on"])
        except ValueError:
            checked.problem("opened_on", "reg_err_date")
        else:
            horizon = today.replace(year=today.year + PLANNING_HORIZON_YEARS)
            if opened_on is None:
                checked.problem("opened_on", "reg_err_required")
            elif planned and not today < opened_on <= horizon:
                checked.problem("opened_on", "reg_err_planned_date", years=PLANNING_HORIZON_YEARS)
            elif not planned and opened_on > today:
                checked.problem("opened_on", "reg_err_future_date")
            else:
                checked.values["opened_on"] = opened_on
    for name in NUMBER_FIELDS:
        if name in fields:
            _check_number(checked, name, fields[name])
    if "parent_id" in fields:
        try:
            checked.values["parent_id"] = checked_unit_id(fields["parent_id"])
        except ScopeError:
            checked.problem("parent_id", "reg_err_parent")
    return checked.values, checked.problems


def check_document(title: str, url: str) -> tuple[str, str]:
    """A document link's title and URL, cleaned; RegistryError unless the URL is http(s) or
    file:// (intranet shares) and both fit their columns."""
    problems = []
    title, url = (title or "").strip(), (url or "").strip()
    if not title or len(title) > TITLE_MAX_LENGTH:
        problems.append(("title", "reg_err_doc_title", {"max_length": TITLE_MAX_LENGTH}))
    parsed = urlparse(url)
    if (
        len(url) > URL_MAX_LENGTH
        or parsed.scheme not in ("http", "https", "file")
        or (parsed.scheme != "file" and not parsed.netloc)
        or any(character.isspace() for character in url)
    ):
        problems.append(("url", "reg_err_doc_url", {}))
    if problems:
        raise RegistryError(problems)
    return title, url


# --- Helpers inside a transaction ------------------------------------------------------------


def _require_editor(connection: Connection, actor: str) -> str:
    """The actor's role; RegistryError unless an active executive, planner or admin."""
    role = connection.execute(
        select(AppUser.role).where(AppUser.username == actor, AppUser.is_active.is_(True))
    ).scalar()
    if role not in EDITOR_ROLES:
        raise RegistryError.one("actor", "reg_err_not_allowed")
    return role


def _outlet(connection: Connection, unit_id: int, lock: bool = True):
    """The outlet's row (locked where the backend can); RegistryError if it is not an outlet."""
    try:
        unit_id = checked_unit_id(unit_id)
    except ScopeError:
        raise RegistryError.one("unit", "reg_err_unknown_outlet") from None
    statement = select(OrgUnit.__table__).where(OrgUnit.id == unit_id, OrgUnit.level == "outlet")
    row = connection.execute(statement.with_for_update() if lock else statement).first()
    if row is None:
        raise RegistryError.one("unit", "reg_err_unknown_outlet")
    return row


def _parent(connection: Connection, parent_id: int):
    row = connection.execute(
        select(OrgUnit.id, OrgUnit.path, OrgUnit.city_code, OrgUnit.level, OrgUnit.status).where(
            OrgUnit.id == parent_id
        )
    ).first()
    if row is None or row.level not in PARENT_LEVELS or row.status != "open":
        raise RegistryError.one("parent_id", "reg_err_parent")
    return row


def district_for_point(connection: Connection, lon: float, lat: float, city_code: str | None) -> int | None:
    """Id of the district whose outline contains the point (districts of ``city_code`` first,
    then any), or None when no outline contains it."""
    rows = connection.execute(
        select(District.id, District.city_code, District.geometry_geojson).where(District.level == "district")
    ).all()
    point = Point(lon, lat)
    for row in sorted(rows, key=lambda row: row.city_code != city_code):
        if shape(json.loads(row.geometry_geojson)).covers(point):
            return row.id
    return None


def _event(
    connection: Connection,
    unit_id: int,
    event_type: str,
    on: dt.date,
    actor: str,
    reason: str | None = None,
    related_unit_id: int | None = None,
    detail: dict | None = None,
) -> None:
    connection.execute(
        insert(OrgUnitEvent).values(
            org_unit_id=unit_id,
            event_type=event_type,
            event_date=on,
            related_unit_id=related_unit_id,
            reason=(reason or "").strip() or None,
            recorded_by=actor,
            detail=detail,
        )
    )


def _finish(connection: Connection, actor: str, action: str, detail: dict) -> None:
    write_audit(connection, actor, action, True, detail)
    bump_data_version(connection, "registry")
    refresh_kpi_rollup(connection)  # merges move KPI rows; new or moved units change the tree


def _jsonable(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _comparable(value):
    """A field value in one form for comparisons: blanks are None, text is stripped, numbers are
    floats (rounded to 1e-6), dates are dates (ISO strings accepted)."""
    if _blank(value):
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, bool) or isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)):
        return round(float(value), 6)
    return value


def same_field_value(a, b) -> bool:
    """Whether two values of a master-data field are the same (``""`` and None, 3 and 3.0, a date
    and its ISO string are)."""
    return _comparable(a) == _comparable(b)


def _check_reason(reason: str | None) -> str | None:
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise RegistryError.one("reason", "reg_err_too_long", max_length=500)
    return reason or None


def _check_event_date(on, not_before: dt.date | None, today: dt.date) -> dt.date:
    """A lifecycle date: a real date, not in the future, not before ``not_before``."""
    try:
        on = _check_date(on)
    except (TypeError, ValueError):
        raise RegistryError.one("event_date", "reg_err_date") from None
    if on > today:
        raise RegistryError.one("event_date", "reg_err_future_date")
    if not_before is not None and on < not_before:
        raise RegistryError.one("event_date", "reg_err_before_opening", date=not_before.isoformat())
    return on


def _require_open(row) -> None:
    if row.status != "open":
        raise RegistryError.one("unit", "reg_err_not_open", status=row.status)


# --- Creating and editing ----------------------------------------------------------------------


def create_outlet(engine: Engine, actor: str, fields: dict, today: dt.date | None = None) -> int:
    """Create an outlet (status ``open``, or ``planned`` when ``fields["status"] == "planned"``)
    and return its id. ``fields`` must give code, names, type, parent_id, lon, lat and opened_on;
    the rest of ``EDITABLE_FIELDS`` is optional. The district is found from the coordinates."""
    today = today or dt.date.today()
    planned = fields.get("status") == "planned"
    required = {"code": None, "name_zh": None, "name_en": None, "outlet_type": None, "parent_id": None}
    required |= {"lon": None, "lat": None, "opened_on": None}
    values, problems = check_outlet_fields(
        required | {k: v for k, v in fields.items() if k != "status"}, today, planned
    )
    if problems:
        raise RegistryError(problems)
    try:
        with engine.begin() as connection:
            _require_editor(connection, actor)
            parent = _parent(connection, values["parent_id"])
            if connection.execute(select(OrgUnit.id).where(OrgUnit.code == values["code"])).first():
                raise RegistryError.one("code", "reg_err_code_taken")
            unit_id = connection.execute(
                insert(OrgUnit)
                .values(
                    **values,
                    level="outlet",
                    path=parent.path,  # completed below, once the id is known
                    status="planned" if planned else "open",
                    city_code=parent.city_code,
                    district_id=district_for_point(connection, values["lon"], values["lat"], parent.city_code),
                )
                .returning(OrgUnit.id)
            ).scalar_one()
            connection.execute(update(OrgUnit).where(OrgUnit.id == unit_id).values(path=f"{parent.path}{unit_id}/"))
            event_type = "planned" if planned else "opened"
            _event(connection, unit_id, event_type, values["opened_on"] if not planned else today, actor)
            _finish(
                connection, actor, "outlet_created", {"unit_id": unit_id, "code": values["code"], "status": event_type}
            )
    except IntegrityError as error:  # the same code created by someone else at the same moment
        raise RegistryError.one("code", "reg_err_code_taken") from error
    return unit_id


def update_outlet(
    engine: Engine,
    actor: str,
    unit_id: int,
    fields: dict,
    today: dt.date | None = None,
    expected: dict | None = None,
) -> dict:
    """Change an outlet's master data (any of ``EDITABLE_FIELDS`` but the coordinates, which
    change by :func:`relocate_outlet`) and return ``{field: [old, new]}`` of what changed
    (empty: nothing to do, nothing written).

    ``expected`` holds, for fields being changed, the value the editor started from (the one
    the form showed). Should another user have changed such a field since, nothing is written:
    RegistryError ``reg_err_changed_meanwhile`` names the field and its value now. (An editor
    sends only the fields they changed, so a change to another field by someone else stays.)"""
    today = today or dt.date.today()
    if {"lon", "lat"} & set(fields):
        raise RegistryError.one("lon", "reg_err_use_relocate")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise RegistryError.one(sorted(unknown)[0], "reg_err_unknown_field")
    with engine.begin() as connection:
        _require_editor(connection, actor)
        row = _outlet(connection, unit_id)
        if row.status in ("merged", "closed"):
            raise RegistryError.one("unit", "reg_err_not_open", status=row.status)
        stale = [
            (name, "reg_err_changed_meanwhile", {"current": "—" if row._mapping[name] is None else row._mapping[name]})
            for name, value in (expected or {}).items()
            if name in fields and name in EDITABLE_FIELDS and not same_field_value(row._mapping[name], value)
        ]
        if stale:
            raise RegistryError(stale)
        values, problems = check_outlet_fields(fields, today, planned=row.status == "planned")
        if problems:
            raise RegistryError(problems)
        changes = {name: [row._mapping[name], value] for name, value in values.items() if row._mapping[name] != value}
        if not changes:
            return {}
        if (
            "code" in changes
            and connection.execute(
                select(OrgUnit.id).where(OrgUnit.code == values["code"], OrgUnit.id != row.id)
            ).first()
        ):
            raise RegistryError.one("code", "reg_err_code_taken")
        if "parent_id" in changes:
            parent = _parent(connection, values["parent_id"])
            values |= {"path": f"{parent.path}{row.id}/", "city_code": parent.city_code}
        connection.execute(update(OrgUnit).where(OrgUnit.id == row.id).values(**values))
        detail = {name: [_jsonable(old), _jsonable(new)] for name, (old, new) in changes.items()}
        _event(connection, row.id, "edited", today, actor, detail=detail)
        _finish(connection, actor, "outlet_edited", {"unit_id": row.id, "changes": detail})
    return changes


# --- Lifecycle ---------------------------------------------------------------------------------


def open_outlet(engine: Engine, actor: str, unit_id: int, on, reason: str | None = None, today=None) -> None:
    """A planned outlet opens on ``on`` (not in the future)."""
    today = today or dt.date.today()
    reason = _check_reason(reason)
    with engine.begin() as connection:
        _require_editor(connection, actor)
        row = _outlet(connection, unit_id)
        if row.status != "planned":
            raise RegistryError.one("unit", "reg_err_not_planned", status=row.status)
        on = _check_event_date(on, None, today)
        connection.execute(update(OrgUnit).where(OrgUnit.id == row.id).values(status="open", opened_on=on))
        _event(connection, row.id, "opened", on, actor, reason)
        _finish(connection, actor, "outlet_opened", {"unit_id": row.id, "date": on.isoformat()})


def relocate_outlet(
    engine: Engine,
    actor: str,
    unit_id: int,
    on,
    lon,
    lat,
    address_zh: str | None = None,
    address_en: str | None = None,
    reason: str | None = None,
    today: dt.date | None = None,
) -> None:
    """Move an open outlet to new coordinates (and address) from ``on``; the old coordinates and
    address stay in the event's detail; the district follows the new coordinates."""
    today = today or dt.date.today()
    reason = _check_reason(reason)
    values, problems = check_outlet_fields(
        {"lon": lon, "lat": lat, "address_zh": address_zh, "address_en": address_en}, today, False
    )
    if problems:
        raise RegistryError(problems)
    with engine.begin() as connection:
        _require_editor(connection, actor)
        row = _outlet(connection, unit_id)
        _require_open(row)
        on = _check_event_date(on, row.opened_on, today)
        if (row.lon, row.lat) == (values["lon"], values["lat"]):
            raise RegistryError.one("lon", "reg_err_same_place")
        values = {name: value for name, value in values.items() if value is not None or name in ("lon", "lat")}
        values["district_id"] = district_for_point(connection, values["lon"], values["lat"], row.city_code)
        connection.execute(update(OrgUnit).where(OrgUnit.id == row.id).values(**values))
        detail = {
            "old_lon": row.lon,
            "old_lat": row.lat,
            "new_lon": values["lon"],
            "new_lat": values["lat"],
            "old_address_zh": row.address_zh,
            "new_address_zh": values.get("address_zh", row.address_zh),
            "old_district_id": row.district_id,
            "new_district_id": values["district_id"],
        }
        _event(connection, row.id, "relocated", on, actor, reason, detail=detail)
        _finish(connection, actor, "outlet_relocated", {"unit_id": row.id, **detail})


def renovate_outlet(
    engine: Engine,
    actor: str,
    unit_id: int,
    on,
    cost_rmb,
    closed_days=0,
    reason: str | None = None,
    today: dt.date | None = None,
) -> None:
    """Record a refit of an open outlet finished on ``on``: its cost (RMB, ≥ 0) and the days the
    outlet was shut for it (0–365)."""
    today = today or dt.date.today()
    reason = _check_reason(reason)
    problems = []
    try:
        cost = float(cost_rmb)
        if not math.isfinite(cost):
            problems.append(("cost_rmb", "reg_err_finite", {}))
        elif not 0 <= cost <= 1e10:
            problems.append(("cost_rmb", "reg_err_range", {"minimum": "0", "maximum": "10,000,000,000"}))
    except (TypeError, ValueError, OverflowError):
        problems.append(("cost_rmb", "reg_err_number", {}))
    try:
        days = int(closed_days or 0)
        if not 0 <= days <= 365 or days != float(closed_days or 0):
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        problems.append(("closed_days", "reg_err_range", {"minimum": "0", "maximum": "365"}))
    if problems:
        raise RegistryError(problems)
    with engine.begin() as connection:
        _require_editor(connection, actor)
        row = _outlet(connection, unit_id)
        _require_open(row)
        on = _check_event_date(on, row.opened_on, today)
        detail = {"cost_rmb": cost, "closed_days": days}
        _event(connection, row.id, "renovated", on, actor, reason, detail=detail)
        _finish(connection, actor, "outlet_renovated", {"unit_id": row.id, **detail})


def _receiver(connection: Connection, row, receiver_id) -> object:
    if receiver_id is None:
        raise RegistryError.one("receiver", "reg_err_receiver_required")
    try:
        receiver_id = checked_unit_id(receiver_id)
    except ScopeError:
        raise RegistryError.one("receiver", "reg_err_receiver") from None
    if receiver_id == row.id:
        raise RegistryError.one("receiver", "reg_err_receiver_self")
    try:
        receiver = _outlet(connection, receiver_id)
    except RegistryError:
        raise RegistryError.one("receiver", "reg_err_receiver") from None
    if receiver.status != "open":
        raise RegistryError.one("receiver", "reg_err_receiver")
    return receiver


def _move_people(connection: Connection, from_id: int, to_id: int) -> dict[str, int]:
    """Customers and staff of ``from_id`` now belong to ``to_id``; counts moved."""
    customers = connection.execute(
        update(Customer).where(Customer.home_outlet_id == from_id).values(home_outlet_id=to_id)
    ).rowcount
    staff = connection.execute(update(Staff).where(Staff.outlet_id == from_id).values(outlet_id=to_id)).rowcount
    return {"customers": customers, "staff": staff}


def _roll_kpis(connection: Connection, from_id: int, to_id: int, first_month: dt.date) -> int:
    """Add the merged outlet's KPI rows from ``first_month`` on to the receiver's and remove
    them from the merged outlet; returns the rows rolled. Metrics whose outlets combine by mean
    (scores) are not added: the receiver keeps its own value."""
    moved = connection.execute(
        select(KpiMonthly.metric_code, KpiMonthly.month, KpiMonthly.value).where(
            KpiMonthly.outlet_id == from_id, KpiMonthly.month >= first_month
        )
    ).all()
    if not moved:
        return 0
    moved = pd.DataFrame(moved, columns=["metric_code", "month", "value"])
    additive = moved[[BY_CODE[code].unit_aggregation == "sum" for code in moved["metric_code"]]]
    existing = pd.DataFrame(
        connection.execute(
            select(KpiMonthly.metric_code, KpiMonthly.month, KpiMonthly.value).where(
                KpiMonthly.outlet_id == to_id, KpiMonthly.month >= first_month
            )
        ).all(),
        columns=["metric_code", "month", "value"],
    )
    combined = pd.concat([existing, additive]).groupby(["metric_code", "month"], as_index=False)["value"].sum()
    connection.execute(
        delete(KpiMonthly).where(KpiMonthly.outlet_id.in_([from_id, to_id]), KpiMonthly.month >= first_month)
    )
    rows = [
        {"outlet_id": to_id, "metric_code": code, "month": month, "value": float(value)}
        for code, month, value in combined.itertuples(index=False)
    ]
    if rows:
        connection.execute(insert(KpiMonthly), rows)
    return len(moved)


def _roll_targets(connection: Connection, from_id: int, to_id: int, first_month: dt.date) -> int:
    """Add the merged outlet's targets of periods starting from ``first_month`` to the
    receiver's targets of the same metric and period (created where the receiver had none)."""
    moved = connection.execute(
        select(Target.id, Target.metric_code, Target.period_start, Target.period_end, Target.value).where(
            Target.org_unit_id == from_id, Target.period_start >= first_month
        )
    ).all()
    for target in moved:
        same = and_(
            Target.org_unit_id == to_id,
            Target.metric_code == target.metric_code,
            Target.period_start == target.period_start,
            Target.period_end == target.period_end,
        )
        own = connection.execute(select(Target.id, Target.value).where(same)).first()
        if own is not None and BY_CODE[target.metric_code].unit_aggregation != "mean":
            connection.execute(update(Target).where(Target.id == own.id).values(value=own.value + target.value))
        elif own is None:
            connection.execute(update(Target).where(Target.id == target.id).values(org_unit_id=to_id))
            continue
        connection.execute(delete(Target).where(Target.id == target.id))
    return len(moved)


def merge_outlet(
    engine: Engine, actor: str, unit_id: int, receiver_id: int, on, reason: str | None = None, today=None
) -> dict[str, int]:
    """Merge an open outlet into another open outlet from ``on`` (see the module docstring);
    returns the counts rolled to the receiver (customers, staff, kpi_rows, targets, accounts,
    transactions)."""
    today = today or dt.date.today()
    reason = _check_reason(reason)
    with engine.begin() as connection:
        _require_editor(connection, actor)
        row = _outlet(connection, unit_id)
        _require_open(row)
        receiver = _receiver(connection, row, receiver_id)
        on = _check_event_date(on, row.opened_on, today)
        first_month = on.replace(day=1)
        counts = _move_people(connection, row.id, receiver.id)
        counts["kpi_rows"] = _roll_kpis(connection, row.id, receiver.id, first_month)
        counts["targets"] = _roll_targets(connection, row.id, receiver.id, first_month)
        counts["accounts"] = connection.execute(
            update(AccountBalance)
            .where(AccountBalance.outlet_id == row.id, AccountBalance.month >= first_month)
            .values(outlet_id=receiver.id)
        ).rowcount
        counts["transactions"] = connection.execute(
            update(Txn)
            .where(Txn.outlet_id == row.id, Txn.txn_at >= dt.datetime.combine(on, dt.time()))
            .values(outlet_id=receiver.id)
        ).rowcount
        connection.execute(
            update(OrgUnit)
            .where(OrgUnit.id == row.id)
            .values(status="merged", merged_into_id=receiver.id, closed_on=on)
        )
        _event(connection, row.id, "merged", on, actor, reason, related_unit_id=receiver.id, detail=counts)
        _finish(connection, actor, "outlet_merged", {"unit_id": row.id, "receiver_id": receiver.id, **counts})
    return counts


def close_outlet(
    engine: Engine,
    actor: str,
    unit_id: int,
    on,
    receiver_id: int | None = None,
    reason: str | None = None,
    today: dt.date | None = None,
) -> dict[str, int]:
    """Close an open or planned outlet on ``on``. Its customers and staff move to
    ``receiver_id``, which is required when it has any (staff who left before ``on`` do not
    count); its history stays. Returns the counts."""
    today = today or dt.date.today()
    reason = _check_reason(reason)
    with engine.begin() as connection:
        _require_editor(connection, actor)
        row = _outlet(connection, unit_id)
        if row.status not in ("open", "planned"):
            raise RegistryError.one("unit", "reg_err_not_open", status=row.status)
        on = _check_event_date(on, row.opened_on if row.status == "open" else None, today)
        people = (
            connection.execute(
                select(func.count()).select_from(Customer).where(Customer.home_outlet_id == row.id)
            ).scalar()
            + connection.execute(
                select(func.count()).select_from(Staff).where(Staff.outlet_id == row.id, employed_on(Staff, on))
            ).scalar()
        )
        counts = {"customers": 0, "staff": 0}
        related = None
        if people or receiver_id is not None:
            receiver = _receiver(connection, row, receiver_id)
            counts = _move_people(connection, row.id, receiver.id)
            related = receiver.id
        connection.execute(update(OrgUnit).where(OrgUnit.id == row.id).values(status="closed", closed_on=on))
        _event(connection, row.id, "closed", on, actor, reason, related_unit_id=related, detail=counts)
        _finish(connection, actor, "outlet_closed", {"unit_id": row.id, "receiver_id": related, **counts})
    return counts


# --- Documents ---------------------------------------------------------------------------------


def add_document(engine: Engine, actor: str, unit_id: int, title: str, url: str) -> int:
    """Link a policy or planning document (http(s) or file:// URL) to an outlet; returns its id."""
    title, url = check_document(title, url)
    with engine.begin() as connection:
        _require_editor(connection, actor)
        row = _outlet(connection, unit_id, lock=False)
        document_id = connection.execute(
            insert(OrgUnitDocument)
            .values(org_unit_id=row.id, title=title, url=url, added_by=actor, added_at=dt.datetime.now())
            .returning(OrgUnitDocument.id)
        ).scalar_one()
        _finish(connection, actor, "document_added", {"unit_id": row.id, "document_id": document_id, "url": url})
    return document_id


def remove_document(engine: Engine, actor: str, document_id: int) -> None:
    """Remove a document link."""
    try:
        document_id = checked_unit_id(document_id)  # ids of every table are 32-bit
    except ScopeError:
        raise RegistryError.one("document", "reg_err_unknown_document") from None
    with engine.begin() as connection:
        _require_editor(connection, actor)
        row = connection.execute(select(OrgUnitDocument.__table__).where(OrgUnitDocument.id == document_id)).first()
        if row is None:
            raise RegistryError.one("document", "reg_err_unknown_document")
        connection.execute(delete(OrgUnitDocument).where(OrgUnitDocument.id == row.id))
        _finish(
            connection, actor, "document_removed", {"unit_id": row.org_unit_id, "document_id": row.id, "url": row.url}
        )

"""Scoped read queries of the outlet registry: outlets' master data, one outlet's record, the
lifecycle change log, and the cost view. Same rules as ``data/queries.py``: every function
checks the unit against the caller's scope first and aggregates in SQL.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import case, func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased

from config.metrics import BY_CODE, components
from data.kpi_sums import base_sums
from data.query_support import scoped_query
from data.schema import OUTLET_PARENT_LEVELS, District, OrgUnit, OrgUnitDocument, OrgUnitEvent, Staff
from data.scope import Scope, require_unit_in_scope
from data.staff_status import employed_on

MASTER_COLUMNS = (
    "id",
    "code",
    "name_zh",
    "name_en",
    "outlet_type",
    "status",
    "parent_id",
    "city_code",
    "district_id",
    "address_zh",
    "address_en",
    "lon",
    "lat",
    "opened_on",
    "closed_on",
    "merged_into_id",
    "floor_area_m2",
    "cash_counters",
    "non_cash_counters",
    "atms",
    "smart_machines",
    "staff_count",
    "build_cost_rmb",
    "monthly_rent_rmb",
    "monthly_running_cost_rmb",
    "service_area_km2",
    "data_origin",
)
COST_WINDOW_MONTHS = 12
INCOME_METRIC = "operating_income"
COST_METRIC = "operating_cost"
CUSTOMER_METRIC = "customers_active"


def _master_select():
    parent = aliased(OrgUnit, name="parent")
    receiver = aliased(OrgUnit, name="receiver")
    return (
        select(
            *(OrgUnit.__table__.c[name] for name in MASTER_COLUMNS),
            parent.code.label("parent_code"),
            parent.name_zh.label("parent_name_zh"),
            parent.name_en.label("parent_name_en"),
            District.name_zh.label("district_name_zh"),
            District.name_en.label("district_name_en"),
            receiver.code.label("merged_into_code"),
        )
        .outerjoin(parent, parent.id == OrgUnit.parent_id)
        .outerjoin(District, District.id == OrgUnit.district_id)
        .outerjoin(receiver, receiver.id == OrgUnit.merged_into_id)
    )


@scoped_query
def registry_outlets(engine: Engine, scope: Scope, unit_id: int) -> pd.DataFrame:
    """Master data of every outlet in the unit's subtree (all statuses), ordered by code, with
    the parent's, district's and (for merged outlets) receiving outlet's code and names."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        statement = _master_select().where(OrgUnit.path.startswith(path), OrgUnit.level == "outlet")
        result = connection.execute(statement.order_by(OrgUnit.code))
        return pd.DataFrame(result.all(), columns=list(result.keys()))


@scoped_query
def registry_parents(engine: Engine, scope: Scope, unit_id: int) -> pd.DataFrame:
    """The units a new outlet in the subtree may report to: open city branches and sub-branches
    (the unit itself included), ordered by code; columns id, code, name_zh, name_en, level."""
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        result = connection.execute(
            select(OrgUnit.id, OrgUnit.code, OrgUnit.name_zh, OrgUnit.name_en, OrgUnit.level)
            .where(
                OrgUnit.path.startswith(path),
                OrgUnit.level.in_(OUTLET_PARENT_LEVELS),
                OrgUnit.status == "open",
            )
            .order_by(OrgUnit.code)
        )
        return pd.DataFrame(result.all(), columns=list(result.keys()))


@scoped_query
def outlet_record(engine: Engine, scope: Scope, unit_id: int) -> dict:
    """One outlet's master data (as ``registry_outlets``) plus ``staff_by_role`` ({role: count}
    of the staff table's employees on the staff today, see data.staff_status) and ``documents``
    (list of {id, title, url, added_by, added_at}); an empty dict when the unit is not an outlet."""
    with engine.connect() as connection:
        require_unit_in_scope(connection, scope, unit_id)
        row = connection.execute(_master_select().where(OrgUnit.id == unit_id, OrgUnit.level == "outlet")).first()
        if row is None:
            return {}
        record = dict(row._mapping)
        record["staff_by_role"] = dict(
            connection.execute(
                select(Staff.role, func.count())
                .where(Staff.outlet_id == unit_id, employed_on(Staff, dt.date.today()))
                .group_by(Staff.role)
            ).all()
        )
        record["documents"] = [
            dict(document._mapping)
            for document in connection.execute(
                select(
                    OrgUnitDocument.id,
                    OrgUnitDocument.title,
                    OrgUnitDocument.url,
                    OrgUnitDocument.added_by,
                    OrgUnitDocument.added_at,
                )
                .where(OrgUnitDocument.org_unit_id == unit_id)
                .order_by(OrgUnitDocument.added_at)
            ).all()
        ]
    return record


@scoped_query
def change_log(engine: Engine, scope: Scope, unit_id: int, limit: int = 1000) -> pd.DataFrame:
    """Lifecycle events of the units in the subtree, and events of other units that name one of
    them as the related unit (e.g. an outlet merged into one of ours), newest first, at most
    ``limit``. Columns: id, event_date, event_type, unit_id, code, name_zh, name_en,
    related_unit_id, related_code, related_name_zh, related_name_en, reason, recorded_by, detail."""
    unit = aliased(OrgUnit, name="unit")
    related = aliased(OrgUnit, name="related")
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        result = connection.execute(
            select(
                OrgUnitEvent.id,
                OrgUnitEvent.event_date,
                OrgUnitEvent.event_type,
                OrgUnitEvent.org_unit_id.label("unit_id"),
                unit.code,
                unit.name_zh,
                unit.name_en,
                OrgUnitEvent.related_unit_id,
                related.code.label("related_code"),
                related.name_zh.label("related_name_zh"),
                related.name_en.label("related_name_en"),
                OrgUnitEvent.reason,
                OrgUnitEvent.recorded_by,
                OrgUnitEvent.detail,
            )
            .join(unit, unit.id == OrgUnitEvent.org_unit_id)
            .outerjoin(related, related.id == OrgUnitEvent.related_unit_id)
            .where(or_(unit.path.startswith(path), related.path.startswith(path)))
            .order_by(OrgUnitEvent.event_date.desc(), OrgUnitEvent.id.desc())
            .limit(max(1, min(int(limit), 10_000)))
        )
        frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    if not frame.empty:
        frame["event_date"] = pd.to_datetime(frame["event_date"]).dt.date
    return frame


def _window(month: dt.date) -> list[dt.date]:
    """The ``COST_WINDOW_MONTHS`` months ending with ``month`` (first days), oldest first."""
    months = [month.replace(day=1)]
    for _ in range(COST_WINDOW_MONTHS - 1):
        months.insert(0, (months[0] - dt.timedelta(days=1)).replace(day=1))
    return months


@scoped_query
def cost_breakdown(engine: Engine, scope: Scope, unit_id: int, month: dt.date) -> pd.DataFrame:
    """Cost view of each direct child of the unit (or of the unit itself when it is an outlet).

    One row per unit: id, code, name_zh, name_en, level, outlets_open, build_cost_rmb (outlets
    opened, whatever their status now; planned ones are plans, not costs), annual_running_cost_rmb
    (12 × (monthly rent + running cost) of open outlets), operating_cost_rmb and
    operating_income_rmb (KPI flows over the 12 months ending with ``month``),
    customers_active (stock in ``month``), cost_per_customer_rmb (operating cost ÷ active
    customers) and cost_income_ratio (operating cost ÷ operating income: recomputed from the
    sums, never averaged).
    """
    months = _window(month)
    base_codes = set()
    for code in (COST_METRIC, INCOME_METRIC, CUSTOMER_METRIC):
        for part in components(BY_CODE[code]):
            base_codes |= set(part)
    outlet = aliased(OrgUnit, name="outlet")
    child = aliased(OrgUnit, name="child")
    with engine.connect() as connection:
        path = require_unit_in_scope(connection, scope, unit_id)
        level = connection.execute(select(OrgUnit.level).where(OrgUnit.id == unit_id)).scalar()
        group = "total" if level == "outlet" else "child"
        units_filter = OrgUnit.id == unit_id if level == "outlet" else OrgUnit.parent_id == unit_id
        units = pd.DataFrame(
            connection.execute(
                select(OrgUnit.id, OrgUnit.code, OrgUnit.name_zh, OrgUnit.name_en, OrgUnit.level)
                .where(units_filter)
                .order_by(OrgUnit.code)
            ).all(),
            columns=["id", "code", "name_zh", "name_en", "level"],
        )
        opened = case((outlet.status != "planned", 1), else_=0)
        running = case((outlet.status == "open", 1), else_=0)
        monthly = func.coalesce(outlet.monthly_rent_rmb, 0.0) + func.coalesce(outlet.monthly_running_cost_rmb, 0.0)
        costs = (
            select(
                child.id,
                func.sum(running).label("outlets_open"),
                func.sum(func.coalesce(outlet.build_cost_rmb, 0.0) * opened).label("build_cost_rmb"),
                func.sum(monthly * 12 * running).label("annual_running_cost_rmb"),
            )
            .join(outlet, outlet.path.startswith(child.path))
            .where(child.id.in_(units["id"].tolist()), outlet.level == "outlet")
            .group_by(child.id)
        )
        cost_frame = pd.DataFrame(
            connection.execute(costs).all(), columns=["id", "outlets_open", "build_cost_rmb", "annual_running_cost_rmb"]
        )
        sums = base_sums(connection, unit_id, path, months, base_codes, group)
    if group == "total":
        sums["group_id"] = unit_id
    flows = sums[sums["month"].isin(months)]
    income_codes = set(components(BY_CODE[INCOME_METRIC])[0])
    per_unit = pd.DataFrame(
        {
            "operating_cost_rmb": flows[flows.metric_code == COST_METRIC].groupby("group_id")["total"].sum(),
            "operating_income_rmb": flows[flows.metric_code.isin(income_codes)].groupby("group_id")["total"].sum(),
            "customers_active": flows[(flows.metric_code == CUSTOMER_METRIC) & (flows.month == months[-1])]
            .groupby("group_id")["total"]
            .sum(),
        }
    )
    result = units.merge(cost_frame, on="id", how="left").join(per_unit, on="id")
    result["outlets_open"] = result["outlets_open"].fillna(0).astype(int)
    customers = result["customers_active"].where(result["customers_active"] > 0)
    income = result["operating_income_rmb"].where(result["operating_income_rmb"] != 0)
    result["cost_per_customer_rmb"] = result["operating_cost_rmb"] / customers
    result["cost_income_ratio"] = result["operating_cost_rmb"] / income
    return result

"""The unit-level monthly KPI roll-up (``kpi_unit_monthly``): SUM and COUNT of each base metric
per non-outlet unit (region, city branch, sub-branch) and month over every outlet of its
subtree, so that the KPI explorer, My outlet, the rankings and the bulletin read tens of rows
per unit by primary key instead of summing ≈1,000 outlets × 36 months × 36 metrics of
``kpi_monthly`` on every request.

Only sums and counts are stored: ratios are still recomputed from the period sums of their
numerator and denominator, and "mean" metrics still divide the total by the count of outlets
(``data.kpi_sums.combine``), exactly as from ``kpi_monthly``; ``data.kpi_sums.unit_sums`` reads
here when it can.

Correctness rule: the roll-up is read only while ``dataset_info['kpi_rollup_version']`` equals
``dataset_info['data_version']``; every write path that bumps the data version without
rebuilding the roll-up therefore makes the queries fall back to ``kpi_monthly`` (slower, never
wrong). Write paths that change ``kpi_monthly`` or the organisation tree call
:func:`refresh_kpi_rollup` in their own transaction: the demo load, confirmed and deleted KPI
and org-unit imports, account imports and completion marks that change the KPIs derived from
complete account extracts (``data.accounts``), and every registry change; other imports only
restamp a current roll-up (:func:`after_import`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
from sqlalchemy import case, delete, func, insert, literal, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from data.db import set_dataset_fact
from data.query_values import as_date, rows_frame
from data.schema import DatasetInfo, ImportBatch, KpiMonthly, KpiUnitMonthly, OrgUnit

VERSION_KEY = "kpi_rollup_version"
SOURCE_TABLES = (KpiMonthly.__tablename__, OrgUnit.__tablename__)  # imports of these change the roll-up
#: The import kinds whose rows go into SOURCE_TABLES ("monthly_kpis" → kpi_monthly, "org_units" →
#: org_unit). Named here rather than read from ``data.importer.spec``, which would make the import
#: pipeline (which calls :func:`after_import`) import itself through this module; a test checks
#: the names against the import specification.
SOURCE_KINDS = frozenset({"monthly_kpis", "org_units"})
CHANGED_KEY = "account_kpis_changed"  # connection.info: batches whose hooks changed kpi_monthly


def _versions(connection: Connection) -> dict[str, str]:
    return dict(
        connection.execute(
            select(DatasetInfo.key, DatasetInfo.value).where(DatasetInfo.key.in_(["data_version", VERSION_KEY]))
        ).all()
    )


def is_current(connection: Connection) -> bool:
    """True when the roll-up was built for the data version in force (so it may be read)."""
    versions = _versions(connection)
    return bool(versions.get("data_version")) and versions.get(VERSION_KEY) == versions.get("data_version")


def _stamp(connection: Connection) -> None:
    """Mark the roll-up current for the data version in force: an atomic update of its stamp
    row (``data.db.set_dataset_fact``), so that overlapping writers do not collide on it."""
    version = _versions(connection).get("data_version")
    if version:
        set_dataset_fact(connection, VERSION_KEY, version)
    else:
        connection.execute(delete(DatasetInfo).where(DatasetInfo.key == VERSION_KEY))


def refresh_kpi_rollup(connection: Connection) -> int:
    """Rebuild ``kpi_unit_monthly`` from ``kpi_monthly`` and ``org_unit`` inside the caller's
    transaction and mark it current for the data version in force; returns the rows written.

    Two GROUP BYs in the database: each outlet's rows are first summed into its parent unit
    (a KPI row of a non-outlet unit stays with that unit), then those per-unit sums are added
    up into every non-outlet unit whose path prefixes the owner's path (the owner itself
    included). SUM and COUNT are both additive, so this equals summing the outlets of each
    subtree directly, which is what ``data.kpi_sums.base_sums`` does.
    """
    outlet = aliased(OrgUnit, name="outlet")
    owner_id = case((outlet.level == "outlet", outlet.parent_id), else_=outlet.id).label("owner_id")
    direct = (
        select(
            owner_id,
            KpiMonthly.metric_code.label("metric_code"),
            KpiMonthly.month.label("month"),
            func.sum(KpiMonthly.value).label("total"),
            func.count(KpiMonthly.value).label("n"),
        )
        .join(outlet, outlet.id == KpiMonthly.outlet_id)
        .group_by(owner_id, KpiMonthly.metric_code, KpiMonthly.month)
        .subquery("direct")
    )
    owner = aliased(OrgUnit, name="owner")
    ancestor = aliased(OrgUnit, name="ancestor")
    rolled = (
        select(
            ancestor.id,
            direct.c.metric_code,
            direct.c.month,
            func.sum(direct.c.total),
            func.sum(direct.c.n),
        )
        .join(owner, owner.id == direct.c.owner_id)
        .join(ancestor, owner.path.startswith(ancestor.path))
        .where(ancestor.level != literal("outlet"))
        .group_by(ancestor.id, direct.c.metric_code, direct.c.month)
    )
    if connection.dialect.name == "postgresql":
        # Two imports confirmed at once would otherwise both delete and re-insert the same keys;
        # the lock (released at commit) makes the second rebuild start from the first's rows.
        # SQLite serialises writers already.
        # Keyed on the schema: advisory locks are per database, and another schema's roll-up
        # (another deployment or test in the same database) is none of this rebuild's business.
        key = func.hashtext(func.concat(func.current_schema(), ".", KpiUnitMonthly.__tablename__))
        connection.execute(select(func.pg_advisory_xact_lock(key)))
    connection.execute(delete(KpiUnitMonthly))
    connection.execute(insert(KpiUnitMonthly).from_select(["unit_id", "metric_code", "month", "total", "n"], rolled))
    _stamp(connection)
    return int(connection.execute(select(func.count()).select_from(KpiUnitMonthly)).scalar_one())


def after_change(connection: Connection, changed: bool, was_current: bool) -> None:
    """Keep the roll-up in step after a write that bumped the data version: rebuild it when the
    write ``changed`` ``kpi_monthly`` or the organisation tree, restamp it when it was current
    before and the write changed neither."""
    if changed:
        refresh_kpi_rollup(connection)
    elif was_current:
        _stamp(connection)


def note_kpis_changed(connection: Connection, batch_id: int) -> None:
    """Remember, for :func:`after_import` in the same transaction, that the batch's hooks changed
    ``kpi_monthly`` (``data.accounts`` derives KPIs from complete account extracts)."""
    connection.info.setdefault(CHANGED_KEY, set()).add(int(batch_id))


def kpis_changed_by(connection: Connection, batch_id: int) -> bool:
    """Whether the batch's hooks changed ``kpi_monthly`` (:func:`note_kpis_changed`), and forget it."""
    noted = connection.info.get(CHANGED_KEY, set())
    changed = int(batch_id) in noted
    noted.discard(int(batch_id))
    return changed


def after_import(connection: Connection, batch_id: int, was_current: bool) -> None:
    """:func:`after_change` after an import batch was confirmed or deleted: the roll-up is
    rebuilt when the batch was of a kind whose rows go into ``kpi_monthly`` or ``org_unit``
    (:data:`SOURCE_KINDS`), or when its hooks changed the KPIs derived from complete account
    extracts (:func:`note_kpis_changed`)."""
    kind = connection.execute(select(ImportBatch.kind).where(ImportBatch.id == int(batch_id))).scalar()
    derived_changed = kpis_changed_by(connection, batch_id)
    after_change(connection, derived_changed or kind in SOURCE_KINDS, was_current)


def rollup_sums(
    connection: Connection, unit_id: int, path: str, months: Iterable[dt.date], base_codes: set[str], group: str
) -> pd.DataFrame | None:
    """``data.kpi_sums.base_sums`` for ``group`` "total" or "child" answered from the roll-up:
    columns group_id, metric_code, month, total, n. None when the roll-up cannot answer (not
    current, or a grouping per outlet); outlets (the unit itself or its children) are read from
    ``kpi_monthly`` by primary key."""
    if group not in ("total", "child") or not is_current(connection):
        return None
    months = list(months)
    codes = sorted(base_codes)
    columns = ["group_id", "metric_code", "month", "total", "n"]
    if group == "total":
        units = connection.execute(select(OrgUnit.id, OrgUnit.level).where(OrgUnit.id == int(unit_id))).all()
    else:
        units = connection.execute(select(OrgUnit.id, OrgUnit.level).where(OrgUnit.parent_id == int(unit_id))).all()
    rolled_ids = [int(i) for i, level in units if level != "outlet"]
    outlet_ids = [int(i) for i, level in units if level == "outlet"]
    frames = []
    if rolled_ids and codes and months:
        rows = connection.execute(
            select(
                KpiUnitMonthly.unit_id,
                KpiUnitMonthly.metric_code,
                KpiUnitMonthly.month,
                KpiUnitMonthly.total,
                KpiUnitMonthly.n,
            ).where(
                KpiUnitMonthly.unit_id.in_(rolled_ids),
                KpiUnitMonthly.metric_code.in_(codes),
                KpiUnitMonthly.month.in_(months),
            )
        ).all()
        frames.append(rows_frame(rows, columns))
    if outlet_ids and codes and months:
        rows = connection.execute(
            select(
                KpiMonthly.outlet_id,
                KpiMonthly.metric_code,
                KpiMonthly.month,
                func.sum(KpiMonthly.value),
                func.count(KpiMonthly.value),
            )
            .where(
                KpiMonthly.outlet_id.in_(outlet_ids),
                KpiMonthly.metric_code.in_(codes),
                KpiMonthly.month.in_(months),
            )
            .group_by(KpiMonthly.outlet_id, KpiMonthly.metric_code, KpiMonthly.month)
        ).all()
        frames.append(rows_frame(rows, columns))
    frames = [frame for frame in frames if not frame.empty]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    if group == "total":
        frame["group_id"] = 0
    if len(frame) and type(frame["month"].iloc[0]) is not dt.date:  # drivers return dates; else convert
        frame["month"] = pd.to_datetime(frame["month"]).dt.date
    return frame


def unit_months(connection: Connection, unit_id: int, path: str) -> list[dt.date]:
    """The months in which any outlet of the unit's subtree has a KPI row, oldest first: from
    the roll-up when current (a roll-up row exists exactly when a KPI row does), by primary key
    for an outlet, else from ``kpi_monthly`` over the subtree."""
    level = connection.execute(select(OrgUnit.level).where(OrgUnit.id == int(unit_id))).scalar()
    if level == "outlet":
        statement = select(KpiMonthly.month).distinct().where(KpiMonthly.outlet_id == int(unit_id))
    elif is_current(connection):
        statement = select(KpiUnitMonthly.month).distinct().where(KpiUnitMonthly.unit_id == int(unit_id))
    else:
        statement = (
            select(KpiMonthly.month)
            .distinct()
            .join(OrgUnit, OrgUnit.id == KpiMonthly.outlet_id)
            .where(OrgUnit.path.startswith(path))
        )
    months = connection.execute(statement).scalars().all()
    return sorted(as_date(m) for m in months)

"""The no-lost-write check of the several-servers benchmark (``bench.bench_servers``).

While the sessions run, every write the app confirmed on screen is noted as a :class:`Write`
(a registry edit after "Saved.", a scenario after "Scenario … saved", a KPI correction after
"Batch … confirmed"). Afterwards :func:`read_stored` reads what the database holds for them and
:func:`lost_writes` compares the two:

* a registry edit: the field's value in ``org_unit`` must be the value of the last confirmed
  edit of that field (last write wins), and the outlet's change log must hold an ``edited`` event
  by that user with that new value; an edit event of a benchmark user that also changed a field
  the user did not touch is reported too: a form shown before someone else's edit wrote that
  user's old values back (their write was lost, even if a later edit put a value back);
* a scenario: the user's scenario of that name must exist with the saved actions;
* a KPI correction: its batch must be confirmed and ``kpi_monthly`` must hold the value of the
  last confirmed correction of that outlet, metric and month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.engine import Engine

from data.schema import AppUser, ImportBatch, KpiMonthly, OrgUnit, OrgUnitEvent, Scenario

REGISTRY_EDIT = "registry_edit"
SCENARIO_SAVE = "scenario_save"
IMPORT_CONFIRM = "import_confirm"


@dataclass(frozen=True)
class Write:
    """One write the app confirmed to a user.

    ``key``: registry edit (outlet id, field); scenario (user name, scenario name); KPI
    correction (outlet code, metric code, first day of the month as ISO text). ``value``: the
    field's new value; the scenario's action kinds (a tuple); the KPI value (RMB or count).
    ``confirmed_at``: seconds (monotonic clock) when the confirmation was on screen.
    ``file_name``: the import file of a KPI correction.
    """

    kind: str
    session: int
    username: str
    key: tuple
    value: object
    confirmed_at: float
    file_name: str = ""


@dataclass
class Stored:
    """What the database holds for the writes (see :func:`read_stored`)."""

    registry_values: dict[tuple, object] = field(default_factory=dict)  # (outlet id, field) → value
    edit_events: list[tuple[int, str, dict]] = field(default_factory=list)  # (outlet id, actor, detail)
    scenarios: dict[tuple, tuple] = field(default_factory=dict)  # (user name, name) → action kinds
    confirmed_files: set[str] = field(default_factory=set)  # file names of confirmed batches
    kpi_values: dict[tuple, float] = field(default_factory=dict)  # (outlet code, metric, month) → value


@dataclass(frozen=True)
class Problem:
    """A write the database does not hold as confirmed, with what was found instead."""

    kind: str
    username: str
    key: tuple
    expected: object
    found: object
    reason: str

    def line(self) -> str:
        found = f"found {self.found!r} ({self.reason})"
        return f"{self.kind} by {self.username} {self.key}: expected {self.expected!r}, {found}"


def _last_per_key(writes: list[Write]) -> dict[tuple, Write]:
    """The last confirmed write of each key."""
    last: dict[tuple, Write] = {}
    for write in sorted(writes, key=lambda w: w.confirmed_at):
        last[write.key] = write
    return last


def _same(a, b) -> bool:
    """Equal values, numbers compared as floats (the database gives 12.0 for 12)."""
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(a)))
    return a == b


def _registry_problems(writes: list[Write], stored: Stored) -> list[Problem]:
    problems = []
    for key, write in _last_per_key(writes).items():
        found = stored.registry_values.get(key)
        if not _same(found, write.value):
            problems.append(Problem(REGISTRY_EDIT, write.username, key, write.value, found, "last edit not stored"))
    for write in writes:
        outlet_id, name = write.key
        logged = any(
            unit == outlet_id and actor == write.username and name in detail and _same(detail[name][1], write.value)
            for unit, actor, detail in stored.edit_events
        )
        if not logged:
            problems.append(Problem(REGISTRY_EDIT, write.username, write.key, write.value, None, "no edit event"))
    intended = {(w.username, w.key[0]): set() for w in writes}
    for write in writes:
        intended[(write.username, write.key[0])].add(write.key[1])
    for unit, actor, detail in stored.edit_events:
        if (actor, unit) not in intended:
            continue
        for name in sorted(set(detail) - intended[(actor, unit)]):
            old, new = detail[name]
            problems.append(
                Problem(REGISTRY_EDIT, actor, (unit, name), old, new, "a stale form wrote back another user's field")
            )
    return problems


def _scenario_problems(writes: list[Write], stored: Stored) -> list[Problem]:
    problems = []
    for key, write in _last_per_key(writes).items():
        found = stored.scenarios.get(key)
        if found != tuple(write.value):
            problems.append(Problem(SCENARIO_SAVE, write.username, key, tuple(write.value), found, "scenario missing"))
    return problems


def _import_problems(writes: list[Write], stored: Stored) -> list[Problem]:
    problems = []
    for write in writes:
        if write.file_name not in stored.confirmed_files:
            problems.append(
                Problem(IMPORT_CONFIRM, write.username, write.key, write.file_name, None, "batch not confirmed")
            )
    for key, write in _last_per_key(writes).items():
        found = stored.kpi_values.get(key)
        if not _same(found, write.value):
            problems.append(
                Problem(IMPORT_CONFIRM, write.username, key, write.value, found, "last correction not stored")
            )
    return problems


def lost_writes(writes: list[Write], stored: Stored) -> list[Problem]:
    """Every confirmed write the database does not hold as the rules above say (empty: none lost)."""
    by_kind = {kind: [w for w in writes if w.kind == kind] for kind in (REGISTRY_EDIT, SCENARIO_SAVE, IMPORT_CONFIRM)}
    unknown = {w.kind for w in writes} - set(by_kind)
    if unknown:
        raise ValueError(f"unknown write kinds: {sorted(unknown)}")
    return (
        _registry_problems(by_kind[REGISTRY_EDIT], stored)
        + _scenario_problems(by_kind[SCENARIO_SAVE], stored)
        + _import_problems(by_kind[IMPORT_CONFIRM], stored)
    )


def read_stored(engine: Engine, writes: list[Write]) -> Stored:
    """What the database holds for ``writes``: the edited outlets' fields and edit events, the
    benchmark users' scenarios, the confirmed import files and the corrected KPI values."""
    stored = Stored()
    users = sorted({w.username for w in writes})
    outlets = sorted({w.key[0] for w in writes if w.kind == REGISTRY_EDIT})
    with engine.connect() as connection:
        for outlet_id in outlets:
            row = connection.execute(select(OrgUnit.__table__).where(OrgUnit.id == outlet_id)).mappings().one()
            for name in {w.key[1] for w in writes if w.kind == REGISTRY_EDIT and w.key[0] == outlet_id}:
                stored.registry_values[(outlet_id, name)] = row[name]
        events = connection.execute(
            select(OrgUnitEvent.org_unit_id, OrgUnitEvent.recorded_by, OrgUnitEvent.detail).where(
                OrgUnitEvent.event_type == "edited",
                OrgUnitEvent.org_unit_id.in_(outlets),
                OrgUnitEvent.recorded_by.in_(users),
            )
        ).all()
        stored.edit_events = [(int(unit), actor, dict(detail or {})) for unit, actor, detail in events]
        scenarios = connection.execute(
            select(AppUser.username, Scenario.name, Scenario.params)
            .join(AppUser, AppUser.id == Scenario.owner_user_id)
            .where(AppUser.username.in_(users))
        ).all()
        stored.scenarios = {
            (username, name): tuple(action["kind"] for action in (params or {}).get("actions", []))
            for username, name, params in scenarios
        }
        files = [w.file_name for w in writes if w.kind == IMPORT_CONFIRM]
        stored.confirmed_files = set(
            connection.execute(
                select(ImportBatch.file_name).where(ImportBatch.file_name.in_(files), ImportBatch.status == "confirmed")
            ).scalars()
        )
        for code, metric, month in {w.key for w in writes if w.kind == IMPORT_CONFIRM}:
            value = connection.execute(
                select(KpiMonthly.value)
                .join(OrgUnit, OrgUnit.id == KpiMonthly.outlet_id)
                .where(
                    OrgUnit.code == code,
                    KpiMonthly.metric_code == metric,
                    KpiMonthly.month == dt.date.fromisoformat(month),
                )
            ).scalar()
            stored.kpi_values[(code, metric, month)] = None if value is None else float(value)
    return stored

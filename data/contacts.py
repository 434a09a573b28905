"""Logging the outcome of a contact with a customer from an action list or the care list.

A relationship manager's outcome (called, met, product sold, no answer, lost: see
``data.schema.CONTACT_OUTCOMES``) goes into ``customer_contact`` with the customer's home outlet,
and the next day's lists show it (``data.queries_customer_care.care_last_contacts``). The data
layer checks, whatever page calls it, that the caller's role may work customer lists (roles that
see personal data: the branch head), that the caller's account is active, and that the customer
is homed inside the caller's scope; a refused request writes nothing to ``customer_contact`` but
is written to the audit log as a failed ``contact_logged``. Bad input raises ``ContactError``
carrying a translation key (``config/customer_care_texts.py``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from analytics.action_rules import ActionRules
from config.roles import ROLE_POLICIES
from data.auth import write_audit
from data.schema import CONTACT_OUTCOMES, AppSetting, AppUser, Customer, CustomerContact, OrgUnit
from data.scope import Scope, ScopeError, require_unit_in_scope

CONTACT_LIST_KINDS = ("reserve", "development", "maintenance", "churn", "care")
NOTE_MAX_LENGTH = 500
RULES_KEY_PREFIX = "care_action_rules:"  # app_setting key of a unit's action-list rules: prefix + unit id
RULE_EDITOR_ROLES = ("branch_head", "executive")


class ContactError(ValueError):
    """A refused contact record; ``key`` is the translation key of the message."""

    def __init__(self, key: str, **values) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def may_log_contacts(role: str) -> bool:
    """Whether a role works customer lists (and so may log contacts): it must see personal data
    and be limited to its own part of the network (the branch head)."""
    policy = ROLE_POLICIES.get(role)
    return policy is not None and policy.sees_personal_data and policy.scoped_to_unit


def log_contact(
    engine: Engine,
    scope: Scope,
    customer_id: int,
    list_kind: str,
    outcome: str,
    note: str | None = None,
    contacted_at: dt.datetime | None = None,
) -> int:
    """Record one contact and return its id; the audit log gets the same request.

    Raises ``ScopeError`` (nothing written to ``customer_contact``) when the role may not log
    contacts, the account is not active, or the customer is unknown or homed outside the
    caller's scope; ``ContactError`` for an unknown list kind or outcome, a note longer than
    500 characters, or a contact time in the future.
    """
    now = dt.datetime.now().replace(microsecond=0)
    contacted_at = contacted_at or now
    note = (note or "").strip() or None
    if list_kind not in CONTACT_LIST_KINDS:
        raise ContactError("care_err_list_kind")
    if outcome not in CONTACT_OUTCOMES:
        raise ContactError("care_err_outcome")
    if note is not None and len(note) > NOTE_MAX_LENGTH:
        raise ContactError("care_err_note_too_long", max_length=NOTE_MAX_LENGTH)
    if contacted_at > now + dt.timedelta(minutes=5):
        raise ContactError("care_err_future")
    detail = {"customer_id": int(customer_id), "list_kind": list_kind, "outcome": outcome}
    with engine.begin() as connection:
        active = connection.execute(
            select(AppUser.is_active, AppUser.role).where(AppUser.username == scope.username)
        ).first()
        home = connection.execute(
            select(Customer.home_outlet_id, OrgUnit.path)
            .join(OrgUnit, OrgUnit.id == Customer.home_outlet_id)
            .where(Customer.id == int(customer_id))
        ).first()
        refusal = None
        if not may_log_contacts(scope.role) or active is None or not active.is_active or active.role != scope.role:
            refusal = "role"
        elif home is None or not scope.contains_path(home.path):
            refusal = "scope"
        if refusal is None:
            contact_id = connection.execute(
                insert(CustomerContact).values(
                    customer_id=int(customer_id),
                    outlet_id=home.home_outlet_id,
                    list_kind=list_kind,
                    outcome=outcome,
                    note=note,
                    contacted_at=contacted_at,
                    recorded_by=scope.username,
                )
            ).inserted_primary_key[0]
            write_audit(connection, scope.username, "contact_logged", True, {**detail, "contact_id": int(contact_id)})
            return int(contact_id)
    with engine.begin() as connection:  # the refusal is audited in its own transaction
        write_audit(connection, scope.username, "contact_logged", False, {**detail, "refused": refusal})
    raise ScopeError(f"{scope.username} may not log a contact with customer {customer_id}")


def audit_export(engine: Engine, scope: Scope, what: str, rows: int, masked: bool) -> None:
    """Write an export of customer lists (``what``: which list, ``rows`` exported, whether
    personal data was masked) to the audit log, as banks expect for data leaving the system."""
    with engine.begin() as connection:
        write_audit(
            connection,
            scope.username,
            "customer_export",
            True,
            {"what": str(what)[:64], "rows": int(rows), "masked": bool(masked), "scope_unit_id": scope.root_unit_id},
        )


def save_action_rules(engine: Engine, scope: Scope, unit_id: int, values: dict) -> ActionRules:
    """Store the action-list rules of a unit (and, unless they save their own, its subtree) in
    ``app_setting`` and return them; the audit log gets the old and new values.

    Branch heads may save rules for units inside their scope, executives for any unit; others get
    ``ScopeError``, as does a unit outside the scope. Invalid values raise ``ContactError``
    ("act_err_rules") and change nothing.
    """
    try:
        rules = ActionRules.from_dict(values)
    except (TypeError, ValueError):
        raise ContactError("act_err_rules") from None
    key = f"{RULES_KEY_PREFIX}{int(unit_id)}"
    with engine.begin() as connection:
        active = connection.execute(
            select(AppUser.is_active, AppUser.role).where(AppUser.username == scope.username)
        ).first()
        if scope.role not in RULE_EDITOR_ROLES or active is None or not active.is_active or active.role != scope.role:
            raise ScopeError(f"{scope.username} may not change action-list rules")
        require_unit_in_scope(connection, scope, unit_id)
        before = connection.execute(select(AppSetting.value).where(AppSetting.key == key)).scalar()
        stored = {"value": rules.as_dict(), "updated_by": scope.username, "updated_at": dt.datetime.now()}
        if before is None:
            connection.execute(insert(AppSetting).values(key=key, **stored))
        else:
            connection.execute(update(AppSetting).where(AppSetting.key == key).values(**stored))
        write_audit(
            connection,
            scope.username,
            "action_rules_saved",
            True,
            {"unit_id": int(unit_id), "before": before, "after": rules.as_dict()},
        )
    return rules

"""Who counts as staff on a day, and who as a customer's relationship manager: the rules every read
of the ``staff`` table follows (SQL conditions, for the query modules).

An employee is on the staff on ``day`` when hired on or before it (or the hire date is unknown)
and ``left_on`` (the last day of employment) is empty or on or after it. A relationship manager
is an employee on the staff flagged ``is_relationship_manager`` (the HR extract's flag), or one
whose role is one of :data:`RELATIONSHIP_MANAGER_ROLES`: rows written before migration 0013
added the flag (it starts unset) keep their managers. The staff import refuses a row with such a
role and the flag unset, so that for imported staff the flag alone decides.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, or_
from sqlalchemy.sql.elements import ColumnElement

# Roles that manage customers by their name alone (the demo's relationship managers and wealth advisors).
RELATIONSHIP_MANAGER_ROLES = ("relationship_manager", "wealth_advisor")


def employed_on(staff, day: dt.date) -> ColumnElement[bool]:
    """SQL condition: the employee (``Staff`` or an alias of it) works for the bank on ``day``."""
    return and_(
        or_(staff.hired_on.is_(None), staff.hired_on <= day),
        or_(staff.left_on.is_(None), staff.left_on >= day),
    )


def relationship_manager_on(staff, day: dt.date) -> ColumnElement[bool]:
    """SQL condition: the employee is a relationship manager on ``day`` (flagged, or in a
    relationship-manager role, and employed)."""
    return and_(
        or_(staff.is_relationship_manager.is_(True), staff.role.in_(RELATIONSHIP_MANAGER_ROLES)),
        employed_on(staff, day),
    )

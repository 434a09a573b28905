"""Roles, what each may do, and which pages each sees.

Scope (which part of the organisation tree a user's queries may return) is enforced in
``data/scope.py``; this table only says what a role is allowed in principle. Which pages a role
sees is declared once, page by page, in ``config/pages.py``; ``RolePolicy.pages`` is derived
from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from config.pages import ADMIN, AUDITOR, BRANCH_HEAD, DATA_STEWARD, EXECUTIVE, PLANNER, pages_of_role


@dataclass(frozen=True)
class RolePolicy:
    """What a role may do. ``scoped_to_unit``: a user of the role must have a scope unit (their
    queries are limited to its subtree). Every role may be given one (a city-branch executive, a
    provincial planner, an auditor of one city); a user of a role without ``scoped_to_unit`` and
    without a unit sees the whole bank.

    ``home_page``: the page the role lands on after log-in. ``pages``: the names of the pages the
    role sees, in menu order with the home page first (from ``config.pages.PAGES``).
    """

    role: str
    scoped_to_unit: bool
    sees_personal_data: bool
    home_page: str = "overview"
    pages: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pages", pages_of_role(self.role, self.home_page))


ROLE_POLICIES: dict[str, RolePolicy] = {
    policy.role: policy
    for policy in (
        RolePolicy(EXECUTIVE, scoped_to_unit=False, sees_personal_data=False),
        RolePolicy(PLANNER, scoped_to_unit=False, sees_personal_data=False),
        RolePolicy(BRANCH_HEAD, scoped_to_unit=True, sees_personal_data=True, home_page="my_outlet"),
        RolePolicy(DATA_STEWARD, scoped_to_unit=False, sees_personal_data=False),
        RolePolicy(ADMIN, scoped_to_unit=False, sees_personal_data=False),
        # Read-only: the audit log (always the whole bank's) and the read-only pages of its scope
        # (the whole bank, or the unit it is given), never personal data.
        RolePolicy(AUDITOR, scoped_to_unit=False, sees_personal_data=False, home_page="audit_log"),
    )
}

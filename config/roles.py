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
    """What a role may do. ``scoped_to_unit``: queries limited to the user's own subtree.

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
        # Read-only: the audit log and the whole bank's read-only pages, never personal data.
        # (Executives, and so auditors, cannot be scoped to a unit yet: issue 15, item 2.)
        RolePolicy(AUDITOR, scoped_to_unit=False, sees_personal_data=False, home_page="audit_log"),
    )
}

"""Roles, what each may do, and which pages each sees.

Scope (which part of the organisation tree a user's queries may return) is enforced in
``data/scope.py``; this table only says what a role is allowed in principle.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RolePolicy:
    """What a role may do. ``scoped_to_unit``: queries limited to the user's own subtree."""

    scoped_to_unit: bool
    sees_personal_data: bool
    pages: tuple[str, ...]


ROLE_POLICIES: dict[str, RolePolicy] = {
    "executive": RolePolicy(
        scoped_to_unit=False,
        sees_personal_data=False,
        pages=(
            "overview",
            "kpi_explorer",
            "alerts",
            "lobby",
            "staffing",
            "channel_diversion",
            "service_quality",
            "rankings",
            "peer_groups",
            "efficiency",
            "bulletin",
            "market_map",
            "huff_model",
            "candidates",
            "scenarios",
            "optimisation",
            "registry",
            "costs",
            "customer_structure",
            "segments",
            "lifetime_value",
            "action_lists",
            "next_product",
            "customer_360",
            "complaints",
            "reconciliation",
        ),
    ),
    "planner": RolePolicy(
        scoped_to_unit=False,
        sees_personal_data=False,
        pages=(
            "overview",
            "kpi_explorer",
            "alerts",
            "lobby",
            "staffing",
            "channel_diversion",
            "service_quality",
            "rankings",
            "peer_groups",
            "efficiency",
            "bulletin",
            "market_map",
            "huff_model",
            "candidates",
            "scenarios",
            "optimisation",
            "registry",
            "costs",
            "customer_structure",
            "segments",
            "lifetime_value",
            "action_lists",
            "next_product",
        ),
    ),
    "branch_head": RolePolicy(
        scoped_to_unit=True,
        sees_personal_data=True,
        pages=(
            "my_outlet",
            "overview",
            "kpi_explorer",
            "alerts",
            "lobby",
            "staffing",
            "channel_diversion",
            "service_quality",
            "rankings",
            "peer_groups",
            "bulletin",
            "registry",
            "costs",
            "customer_structure",
            "segments",
            "lifetime_value",
            "action_lists",
            "next_product",
            "customer_360",
            "complaints",
            "reconciliation",
        ),
    ),
    "data_steward": RolePolicy(
        scoped_to_unit=False,
        sees_personal_data=False,
        pages=(
            "overview",
            "data_import",
            "data_quality",
            "reconciliation",
        ),
    ),
    "admin": RolePolicy(
        scoped_to_unit=False,
        sees_personal_data=False,
        pages=(
            "overview",
            "data_import",
            "data_quality",
            "reconciliation",
            "users",
            "registry",
            "costs",
        ),
    ),
}

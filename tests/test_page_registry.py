"""The page registry (config/pages.py): one declared list of pages from which the navigation
(app.py) and each role's pages (config/roles.py) are derived.

The expected tables below were taken from the app before the registry existed (app.py ``PAGES``
grouped by the hand-kept role lists of config/roles.py): every role keeps exactly its pages, its
menu sections in the same order, and its home page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from config.pages import PAGE_BY_NAME, PAGES, PAGES_ON_EMPTY_DATABASE, PAGES_WITHOUT_MONTH, Page, menu, pages_of_role
from config.roles import ROLE_POLICIES
from config.settings import PROJECT_ROOT
from config.translations import TEXTS
from data.schema import ROLES

NETWORK = ("nav_section_network", ["overview", "registry", "costs"])
SERVICE = ("nav_section_service", ["lobby", "staffing", "channel_diversion", "service_quality"])
PLANNING = ("map_nav_planning", ["market_map", "huff_model", "candidates", "scenarios", "optimisation"])
CUSTOMER_ANALYSIS = ["customer_structure", "segments", "lifetime_value", "action_lists", "next_product"]
DATA = ("nav_section_data", ["data_import", "data_quality", "reconciliation"])
HELP = ("nav_section_help", ["help"])  # every role, last

# role -> its menu: (section translation key, page names) in the order shown in the sidebar.
EXPECTED_MENU = {
    "executive": [
        NETWORK,
        ("nav_section_performance", ["kpi_explorer", "alerts"]),
        SERVICE,
        ("nav_section_comparison", ["rankings", "peer_groups", "efficiency", "bulletin"]),
        PLANNING,
        ("cust_nav_section", [*CUSTOMER_ANALYSIS, "customer_360", "complaints"]),
        ("nav_section_data", ["reconciliation"]),
        HELP,
    ],
    "planner": [
        NETWORK,
        ("nav_section_performance", ["kpi_explorer", "alerts"]),
        SERVICE,
        ("nav_section_comparison", ["rankings", "peer_groups", "efficiency", "bulletin"]),
        PLANNING,
        ("cust_nav_section", CUSTOMER_ANALYSIS),
        HELP,
    ],
    "branch_head": [
        ("nav_section_performance", ["my_outlet", "kpi_explorer", "alerts"]),
        NETWORK,
        SERVICE,
        ("nav_section_comparison", ["rankings", "peer_groups", "bulletin"]),
        ("cust_nav_section", [*CUSTOMER_ANALYSIS, "customer_360", "complaints"]),
        ("nav_section_data", ["reconciliation"]),
        HELP,
    ],
    "data_steward": [("nav_section_network", ["overview"]), DATA, HELP],
    "admin": [NETWORK, DATA, ("nav_section_admin", ["users", "audit_log"]), HELP],
    # Read-only: the executive's pages without registry, alerts, peer groups and scenarios (they
    # write), the audit log first.
    "auditor": [
        ("nav_section_admin", ["audit_log"]),
        ("nav_section_network", ["overview", "costs"]),
        ("nav_section_performance", ["kpi_explorer"]),
        SERVICE,
        ("nav_section_comparison", ["rankings", "efficiency", "bulletin"]),
        ("map_nav_planning", ["market_map", "huff_model", "candidates", "optimisation"]),
        ("cust_nav_section", [*CUSTOMER_ANALYSIS, "customer_360", "complaints"]),
        ("nav_section_data", ["reconciliation"]),
        HELP,
    ],
}

# role -> its menu on a database without data yet (empty: the "no data yet" note).
EXPECTED_EMPTY_DATABASE_MENU = {
    "executive": [],
    "planner": [],
    "branch_head": [],
    "data_steward": [("nav_section_data", ["data_import"])],
    "admin": [("nav_section_data", ["data_import"]), ("nav_section_admin", ["users", "audit_log"])],
    "auditor": [("nav_section_admin", ["audit_log"])],
}

EXPECTED_HOME_PAGE = {
    "executive": "overview",
    "planner": "overview",
    "branch_head": "my_outlet",
    "data_steward": "overview",
    "admin": "overview",
    "auditor": "audit_log",
}

EXPECTED_PAGE_COUNT = {"executive": 27, "planner": 24, "branch_head": 22, "data_steward": 5, "admin": 9, "auditor": 24}

EXPECTED_WITHOUT_MONTH = {
    "registry",
    "market_map",
    "huff_model",
    "optimisation",
    "action_lists",
    "next_product",
    "customer_360",
    "data_import",
    "data_quality",
    "users",
    "audit_log",
    "help",
}


def names(sections: list[tuple[str, list[Page]]]) -> list[tuple[str, list[str]]]:
    return [(section, [page.name for page in pages]) for section, pages in sections]


@pytest.mark.parametrize("role", sorted(EXPECTED_MENU))
def test_every_role_keeps_its_menu(role):
    pages = ROLE_POLICIES[role].pages
    assert names(menu(pages)) == EXPECTED_MENU[role]
    assert list(pages) == [name for _, section in EXPECTED_MENU[role] for name in section]
    assert len(pages) == len(set(pages)) == EXPECTED_PAGE_COUNT[role]


@pytest.mark.parametrize("role", sorted(EXPECTED_HOME_PAGE))
def test_every_role_starts_on_its_home_page(role):
    assert ROLE_POLICIES[role].pages[0] == EXPECTED_HOME_PAGE[role]


@pytest.mark.parametrize("role", sorted(EXPECTED_EMPTY_DATABASE_MENU))
def test_on_an_empty_database_only_import_and_users_are_offered(role):
    assert names(menu(ROLE_POLICIES[role].pages, empty_database=True)) == EXPECTED_EMPTY_DATABASE_MENU[role]
    assert PAGES_ON_EMPTY_DATABASE == ("data_import", "users", "audit_log")


def test_the_pages_without_the_sidebar_month():
    assert PAGES_WITHOUT_MONTH == EXPECTED_WITHOUT_MONTH


def test_the_roles_of_the_registry_are_the_roles_of_the_schema():
    assert set(ROLE_POLICIES) == set(ROLES)
    assert {role for page in PAGES for role in page.roles} == set(ROLES)
    for page in PAGES:
        assert page.roles, page.name
        assert len(set(page.roles)) == len(page.roles), page.name


def test_every_page_file_is_registered_and_every_registered_page_has_its_file():
    files = {path.stem for path in (PROJECT_ROOT / "pages").glob("*.py")}
    assert files - {"login"} == set(PAGE_BY_NAME)
    for page in PAGES:
        assert (PROJECT_ROOT / page.path).is_file(), page.path
        assert Path(page.path).stem == page.name


def test_every_title_and_section_is_translated():
    for page in PAGES:
        for key in (page.title, page.section):
            assert set(TEXTS[key]) == {"zh", "en"}, key
            assert all(TEXTS[key].values()), key


def test_a_section_is_one_run_of_the_registry():
    """The registry lists a section's pages together, so the menu order is the registry order."""
    runs = [page.section for index, page in enumerate(PAGES) if index == 0 or PAGES[index - 1].section != page.section]
    assert len(runs) == len(set(runs))


def test_the_home_page_section_comes_first():
    assert pages_of_role("admin", "users") == (
        "users",
        "audit_log",
        "overview",
        "registry",
        "costs",
        "data_import",
        "data_quality",
        "reconciliation",
        "help",
    )
    assert pages_of_role("admin", "costs")[:3] == ("costs", "overview", "registry")


def test_a_home_page_outside_the_role_or_a_role_without_pages_is_refused():
    with pytest.raises(ValueError, match="home page 'users'"):
        pages_of_role("planner", "users")
    with pytest.raises(ValueError, match="home page 'nowhere'"):
        pages_of_role("planner", "nowhere")
    with pytest.raises(ValueError, match="sees no page"):
        pages_of_role("nobody", "overview")


def test_the_roles_keep_their_scope_and_personal_data_rights():
    rights = {role: (policy.scoped_to_unit, policy.sees_personal_data) for role, policy in ROLE_POLICIES.items()}
    assert rights == {
        "executive": (False, False),
        "planner": (False, False),
        "branch_head": (True, True),
        "data_steward": (False, False),
        "admin": (False, False),
        "auditor": (False, False),
    }


# Pages that write (registry edits, alerts raised on opening, saved peer groups and scenarios,
# imports, data-quality actions, users, one's own outlet's notes): never the auditor's.
WRITING_PAGES = {
    "registry",
    "alerts",
    "peer_groups",
    "scenarios",
    "data_import",
    "data_quality",
    "users",
    "my_outlet",
}


def test_the_auditor_reads_the_audit_log_and_no_page_that_writes():
    auditor = set(ROLE_POLICIES["auditor"].pages)
    assert auditor == set(ROLE_POLICIES["executive"].pages) - WRITING_PAGES | {"audit_log"}
    assert not auditor & WRITING_PAGES
    assert PAGE_BY_NAME["audit_log"].roles == ("admin", "auditor")

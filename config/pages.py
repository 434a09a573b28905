"""The one registry of the app's pages: where each lives, its menu title and section, which roles
see it, and how it behaves on a new database and towards the sidebar month.

``app.py`` builds the navigation from :data:`PAGES`; ``config/roles.py`` derives each role's
pages from it (``ROLE_POLICIES[role].pages``). Adding a page is one entry here, the page file
``pages/<name>.py``, its translation keys and its page test (docs/architecture/recipes.md).

The order of :data:`PAGES` is the menu order: sections in this order, pages within a section in
this order. A role's menu is that order filtered to the role, with the section of the role's home
page moved to the top and its home page first (a branch head starts on "My outlet").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Roles (as in data/schema.py ROLES and config/roles.py ROLE_POLICIES).
EXECUTIVE = "executive"
PLANNER = "planner"
BRANCH_HEAD = "branch_head"
DATA_STEWARD = "data_steward"
ADMIN = "admin"
AUDITOR = "auditor"

# Navigation sections: the translation key of each section's heading.
NETWORK = "nav_section_network"
PERFORMANCE = "nav_section_performance"
SERVICE = "nav_section_service"
COMPARISON = "nav_section_comparison"
PLANNING = "map_nav_planning"
CUSTOMERS = "cust_nav_section"
DATA = "nav_section_data"
ADMINISTRATION = "nav_section_admin"
HELP = "nav_section_help"

_HEAD_OFFICE = (EXECUTIVE, PLANNER)  # the whole network, no personal data
_ANALYSTS = (EXECUTIVE, PLANNER, BRANCH_HEAD)  # the network's figures, a branch head on their own subtree
# The auditor reads what an executive reads, without personal data, on every page that writes
# nothing: not the registry (edits), alerts (raised and filed when the page opens), peer groups
# (saved groups), scenarios (saved scenarios), imports, data quality or users.
_HEAD_OFFICE_READ = (*_HEAD_OFFICE, AUDITOR)
_ANALYSTS_READ = (*_ANALYSTS, AUDITOR)
_EVERY_ROLE = (EXECUTIVE, PLANNER, BRANCH_HEAD, DATA_STEWARD, ADMIN, AUDITOR)


@dataclass(frozen=True)
class Page:
    """One page of the app.

    ``name`` is its address (``/name``) and its file ``pages/<name>.py``; ``section`` and
    ``title`` are translation keys (config/translations.py); ``icon`` a Material icon;
    ``roles`` the roles that see it. ``follows_month``: the page shows the sidebar month selector
    (False for pages that say on the page which date they use). ``on_empty_database``: offered on
    a database without data yet (a new production database, before the first confirmed import).
    """

    name: str
    section: str
    title: str
    icon: str
    roles: tuple[str, ...]
    follows_month: bool = True
    on_empty_database: bool = False

    @property
    def path(self) -> str:
        """The page's script, relative to the project root."""
        return f"pages/{self.name}.py"


PAGES: tuple[Page, ...] = (
    Page("overview", NETWORK, "page_overview", ":material/map:", (*_ANALYSTS_READ, DATA_STEWARD, ADMIN)),
    Page("registry", NETWORK, "page_registry", ":material/store:", (*_ANALYSTS, ADMIN), follows_month=False),
    Page("costs", NETWORK, "page_costs", ":material/payments:", (*_ANALYSTS_READ, ADMIN)),
    Page("my_outlet", PERFORMANCE, "page_my_outlet", ":material/storefront:", (BRANCH_HEAD,)),
    Page("kpi_explorer", PERFORMANCE, "page_kpi_explorer", ":material/query_stats:", _ANALYSTS_READ),
    Page("alerts", PERFORMANCE, "page_alerts", ":material/notifications_active:", _ANALYSTS),
    Page("lobby", SERVICE, "page_lobby", ":material/groups:", _ANALYSTS_READ),
    Page("staffing", SERVICE, "page_staffing", ":material/event_seat:", _ANALYSTS_READ),
    Page("channel_diversion", SERVICE, "page_channel_diversion", ":material/devices:", _ANALYSTS_READ),
    Page("service_quality", SERVICE, "page_service_quality", ":material/verified:", _ANALYSTS_READ),
    Page("rankings", COMPARISON, "page_rankings", ":material/leaderboard:", _ANALYSTS_READ),
    Page("peer_groups", COMPARISON, "page_peer_groups", ":material/workspaces:", _ANALYSTS),
    Page("efficiency", COMPARISON, "page_efficiency", ":material/speed:", _HEAD_OFFICE_READ),
    Page("bulletin", COMPARISON, "page_bulletin", ":material/summarize:", _ANALYSTS_READ),
    Page("market_map", PLANNING, "map_page", ":material/layers:", _HEAD_OFFICE_READ, follows_month=False),
    Page("huff_model", PLANNING, "huff_page", ":material/function:", _HEAD_OFFICE_READ, follows_month=False),
    Page("candidates", PLANNING, "cand_page", ":material/add_location:", _HEAD_OFFICE_READ),
    Page("scenarios", PLANNING, "scen_page", ":material/alt_route:", _HEAD_OFFICE),
    Page("optimisation", PLANNING, "opt_page", ":material/hub:", _HEAD_OFFICE_READ, follows_month=False),
    Page("customer_structure", CUSTOMERS, "cust_page_structure", ":material/stacked_bar_chart:", _ANALYSTS_READ),
    Page("segments", CUSTOMERS, "cust_page_segments", ":material/donut_small:", _ANALYSTS_READ),
    Page("lifetime_value", CUSTOMERS, "cust_page_clv", ":material/trending_up:", _ANALYSTS_READ),
    Page("action_lists", CUSTOMERS, "act_page", ":material/checklist:", _ANALYSTS_READ, follows_month=False),
    Page("next_product", CUSTOMERS, "nbp_page", ":material/recommend:", _ANALYSTS_READ, follows_month=False),
    Page(
        "customer_360",
        CUSTOMERS,
        "c360_page",
        ":material/person_search:",
        (EXECUTIVE, BRANCH_HEAD, AUDITOR),
        follows_month=False,
    ),
    Page("complaints", CUSTOMERS, "care_page", ":material/support_agent:", (EXECUTIVE, BRANCH_HEAD, AUDITOR)),
    Page(
        "data_import",
        DATA,
        "page_import",
        ":material/upload_file:",
        (DATA_STEWARD, ADMIN),
        follows_month=False,
        on_empty_database=True,
    ),
    Page(
        "data_quality", DATA, "page_data_quality", ":material/fact_check:", (DATA_STEWARD, ADMIN), follows_month=False
    ),
    Page(
        "reconciliation",
        DATA,
        "page_reconciliation",
        ":material/balance:",
        (EXECUTIVE, BRANCH_HEAD, DATA_STEWARD, ADMIN, AUDITOR),
    ),
    Page(
        "users",
        ADMINISTRATION,
        "page_users",
        ":material/manage_accounts:",
        (ADMIN,),
        follows_month=False,
        on_empty_database=True,
    ),
    Page(
        "audit_log",
        ADMINISTRATION,
        "page_audit_log",
        ":material/policy:",
        (ADMIN, AUDITOR),
        follows_month=False,
        on_empty_database=True,
    ),
    # The user guide (docs/user-guide) offline, for everyone.
    Page("help", HELP, "page_help", ":material/help:", _EVERY_ROLE, follows_month=False),
)

PAGE_BY_NAME: dict[str, Page] = {page.name: page for page in PAGES}
if len(PAGE_BY_NAME) != len(PAGES):
    raise ValueError("config.pages.PAGES: two pages with the same name")

# Pages that do not follow the sidebar month (each says on the page which date it uses): master
# data and administration, the planning models' data dates, and customer work done on the newest
# data (call lists, product advice, one customer's record). The month selector is not shown there.
PAGES_WITHOUT_MONTH: frozenset[str] = frozenset(page.name for page in PAGES if not page.follows_month)

# The pages that work on a database without data yet (a new production database): loading the
# bank's files, managing users and reading the audit log (log-ins are audited from the start).
# Other pages appear once the first import is confirmed.
PAGES_ON_EMPTY_DATABASE: tuple[str, ...] = tuple(page.name for page in PAGES if page.on_empty_database)


def pages_of_role(role: str, home_page: str) -> tuple[str, ...]:
    """The names of the pages ``role`` sees, in menu order: the home page's section first (home
    page at its top), then the other sections in registry order.

    >>> pages_of_role("data_steward", "overview")
    ('overview', 'data_import', 'data_quality', 'reconciliation', 'help')
    """
    seen = [page for page in PAGES if role in page.roles]
    if not seen:
        raise ValueError(f"role {role!r} sees no page in config.pages.PAGES")
    home = PAGE_BY_NAME.get(home_page)
    if home is None or home not in seen:
        raise ValueError(f"home page {home_page!r} of role {role!r} is not among its pages")
    # Stable sort: the home section before the others, the home page before its section's others.
    ordered = sorted(seen, key=lambda page: (page.section != home.section, page is not home))
    return tuple(page.name for page in ordered)


def menu(page_names: Iterable[str], empty_database: bool = False) -> list[tuple[str, list[Page]]]:
    """The navigation menu of a role whose pages are ``page_names`` (in menu order): one
    ``(section key, pages)`` pair per section, in order of first appearance. On a database
    without data only the pages of :data:`PAGES_ON_EMPTY_DATABASE` are kept (the list is empty
    for a role that has none of them)."""
    sections: dict[str, list[Page]] = {}
    for name in page_names:
        page = PAGE_BY_NAME[name]
        if empty_database and not page.on_empty_database:
            continue
        sections.setdefault(page.section, []).append(page)
    return list(sections.items())

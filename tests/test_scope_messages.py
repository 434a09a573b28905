"""Every page tells a branch head that the unit asked for in the URL
(``?unit=``) is outside their scope (one shared message, shown once, from the sidebar) and shows
their own unit; an id that cannot be a unit (beyond 64 bits, not a number) is treated the same
instead of crashing the page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from config.roles import ROLE_POLICIES
from config.translations import TEXTS
from data.db import make_engine
from data.schema import OrgUnit
from tests.apptest_support import log_in


def _foreign_city(database_url: str) -> int:
    """A city branch that no demo branch head's scope contains (the last one by code)."""
    with make_engine(database_url).connect() as connection:
        return connection.execute(
            select(OrgUnit.id).where(OrgUnit.level == "city_branch").order_by(OrgUnit.code.desc())
        ).scalar()


@pytest.mark.parametrize(
    "username, requested",
    [("head_sub", "foreign"), ("head_outlet", "99999999999999999999"), ("head_outlet", "2147483648")],
)
def test_every_page_of_a_branch_head_says_a_requested_unit_is_outside_their_scope(
    app, demo_database_url, username, requested
):
    if requested == "foreign":
        requested = str(_foreign_city(demo_database_url))
    message = TEXTS["scope_unit_not_allowed"]["en"]
    at = log_in(app, username)
    own = at.session_state["scope"].root_unit_id
    silent, crashed = [], []
    for name in ROLE_POLICIES["branch_head"].pages:
        at.query_params["unit"] = requested
        at.switch_page(f"pages/{name}.py").run()  # app.PAGES: one file per page name
        if at.exception:
            crashed.append((name, [e.value for e in at.exception][:1]))
            continue
        if [e.value for e in at.error].count(message) != 1:
            silent.append(name)
        assert at.session_state["focus_unit_id"] == own, name
        assert at.query_params["unit"] in (str(own), [str(own)]), name
    assert crashed == [] and silent == []

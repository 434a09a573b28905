"""Page tests with Streamlit's AppTest: every page for every demo role, and every bad input of
the log-in (wrong password, unknown user, locked user, expired session, a foreign unit in the
URL, an unreachable or empty database) gives a clear message and no traceback."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from config.translations import TEXTS
from data.db import make_engine
from data.demo_users import DEMO_PASSWORD
from data.schema import OrgUnit
from tests.apptest_support import log_in, new_app

pytestmark = pytest.mark.usefixtures("navigation_only_pages")  # also for the tests that make their own app
DEMO_USERS = ["exec", "planner", "head_sub", "head_outlet", "steward", "admin"]
TIMEOUT_S = 60


def texts(at: AppTest) -> str:
    """All visible text of the run (markdown, captions, titles, alerts, metrics)."""
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.title]
    parts += [e.value for e in at.error] + [e.value for e in at.warning] + [e.value for e in at.info]
    parts += [e.label for e in at.metric] + [e.value for e in at.subheader]
    return "\n".join(str(p) for p in parts)


def assert_no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


@pytest.mark.parametrize("username", DEMO_USERS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_role_sees_the_overview_with_map_and_kpis(app, username, lang):
    at = log_in(app, username, lang=lang)
    assert_no_exception(at)
    if at.title[0].value != TEXTS["overview_title"][lang]:  # branch heads land on My outlet
        assert at.title[0].value == TEXTS["myoutlet_title"][lang]
        at.switch_page("pages/overview.py").run()
        assert_no_exception(at)
    assert at.title[0].value == TEXTS["overview_title"][lang]
    assert len(at.metric) == 4
    assert all(m.value not in ("", "—") for m in at.metric)
    assert at.get("deck_gl_json_chart"), "the map is missing"
    assert TEXTS["demo_badge_help"][lang] in texts(at)


def test_branch_head_sees_only_their_outlet_in_the_scope_picker(app):
    at = log_in(app, "head_outlet")
    assert_no_exception(at)
    # An outlet head has nothing to drill into: no drill-down select box at all.
    assert not [s for s in at.sidebar.selectbox if s.key and s.key.startswith("drill_")]


def test_sidebar_drilldown_changes_the_focus_unit(app, demo_database_url):
    at = log_in(app, "exec")
    drill = at.sidebar.selectbox(key="drill_1")
    first_city = drill.options[1]
    with make_engine(demo_database_url).connect() as connection:
        city_id = connection.execute(select(OrgUnit.id).where(OrgUnit.name_en == first_city)).scalar_one()
    drill.set_value(city_id).run()
    assert_no_exception(at)
    assert first_city in at.caption[0].value or first_city in texts(at)
    assert at.session_state["focus_unit_id"] != 1


def test_branch_head_asking_for_another_unit_in_the_url_is_refused(app, demo_database_url):
    with make_engine(demo_database_url).connect() as connection:
        other = connection.execute(
            select(OrgUnit.id).where(OrgUnit.level == "city_branch").order_by(OrgUnit.code.desc())
        ).scalar()
    app.query_params["unit"] = str(other)
    at = log_in(app, "head_outlet")
    assert_no_exception(at)
    assert TEXTS["scope_unit_not_allowed"]["en"] in texts(at)
    assert at.session_state["focus_unit_id"] == at.session_state["scope"].root_unit_id


@pytest.mark.parametrize("username, password", [("exec", "wrong-password"), ("nobody", "whatever")])
def test_failed_log_in_gives_the_same_clear_message(app, username, password):
    at = log_in(app, username, password)
    assert_no_exception(at)
    assert at.error[0].value == TEXTS["login_failed"]["en"]
    assert "user" not in at.session_state


def test_empty_log_in_form_asks_for_both_fields(app):
    at = log_in(app, "", "")
    assert at.error[0].value == TEXTS["login_missing"]["en"]


def test_locked_account_gets_the_same_message_as_a_wrong_password(app, lockable_user):
    """A lock is not announced (it would tell which accounts exist, and the right password during
    a lock would be an oracle): the one failure message mentions that an account may be locked."""
    at = None
    for attempt in range(5):
        at = log_in(new_app(TIMEOUT_S), lockable_user, f"bad-{attempt}")
    assert at.error[0].value == TEXTS["login_failed"]["en"]
    at = log_in(new_app(TIMEOUT_S), lockable_user, DEMO_PASSWORD, lang="zh")
    assert at.error[0].value == TEXTS["login_failed"]["zh"] and "锁定" in at.error[0].value
    assert "user" not in at.session_state


def test_idle_session_expires(app):
    at = log_in(app, "planner")
    at.session_state["last_activity"] = dt.datetime.now() - dt.timedelta(hours=2)
    at.run()
    assert_no_exception(at)
    assert "user" not in at.session_state
    assert TEXTS["login_session_expired"]["en"] in texts(at)


def test_unreachable_database_gets_a_clear_message(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    at = new_app(TIMEOUT_S)
    at.session_state["lang"] = "zh"
    at.run()
    assert_no_exception(at)
    assert at.error[0].value == TEXTS["db_unreachable"]["zh"]


def test_database_without_migrations_gets_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'new.sqlite'}")
    at = new_app(TIMEOUT_S)
    at.session_state["lang"] = "en"
    at.run()
    assert_no_exception(at)
    assert at.error[0].value == TEXTS["db_not_migrated"]["en"]

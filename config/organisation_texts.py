"""Texts of the organisation tree shared by the pages: where a demo province's data come from
(``org_unit.data_origin``), in both languages."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "col_data_origin": {"zh": "数据来源", "en": "Data origin"},
    "data_origin_census": {"zh": "真实城市（2020 年人口普查）", "en": "Real cities (2020 census)"},
    "data_origin_synthetic": {"zh": "合成（虚构省份）", "en": "Synthetic (invented province)"},
    "origin_badge_synthetic": {"zh": "合成省份", "en": "Synthetic province"},
    "origin_synthetic_help": {
        "zh": "该省份的城市、位置与人口均为虚构，仅用于演示多省份的机构树。",
        "en": "This province's cities, places and populations are invented, to show an organisation of several "
        "provinces.",
    },
    "origin_census_help": {
        "zh": "城市位置与人口来自 2020 年人口普查；网点与业务数据为演示数据。",
        "en": "City seats and populations are from the 2020 census; the outlets and their business are demo data.",
    },
}

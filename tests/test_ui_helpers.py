"""Formatting, translations, map colour classes and settings: hand-computed answers."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from config.metrics import BY_CODE, CATALOGUE, components
from config.settings import PROJECT_ROOT, load_settings
from config.translations import TEXTS
from ui import maps
from ui.format import format_change, format_count, format_money, format_ratio, format_value


@pytest.mark.parametrize(
    "value, lang, expected",
    [
        (962_100_000, "zh", "9.62 亿元"),
        (34_567_000, "zh", "3,456.70 万元"),
        (850, "zh", "850 元"),
        (9_621_000_000, "en", "RMB 9.62 bn"),
        (34_567_000, "en", "RMB 34.6 m"),
        (12_345, "en", "RMB 12,345"),
        (-250_000_000, "zh", "-2.50 亿元"),
        (None, "en", "—"),
        (math.nan, "zh", "—"),
    ],
)
def test_money_uses_wan_and_yi_in_chinese_and_separators_in_english(value, lang, expected):
    assert format_money(value, lang) == expected


def test_counts_ratios_and_changes():
    assert format_count(2_405_123, "zh") == "240.51 万"
    assert format_count(2_405_123, "en") == "2,405,123"
    assert format_ratio(0.791) == "79.1%"
    assert format_value(12.345, "minutes", "en") == "12.3 min"
    assert format_change(110, 100, "rmb", "en") == "+10.0%"
    assert format_change(0.80, 0.79, "ratio", "en") == "+1.0 pp"
    assert format_change(0.78, 0.79, "ratio", "zh") == "-1.0 个百分点"
    assert format_change(5, 0, "count", "en") is None
    assert format_change(None, 3, "count", "en") is None


def test_every_text_has_chinese_and_english():
    for key, texts in TEXTS.items():
        assert set(texts) == {"zh", "en"}, key
        assert all(value.strip() for value in texts.values()), key
        # The same placeholders in both languages.
        assert set(re.findall(r"{(\w+)}", texts["zh"])) == set(re.findall(r"{(\w+)}", texts["en"])), key


def test_every_literal_text_key_used_in_the_code_exists():
    used = set()
    for folder in ("app.py", "pages", "ui"):
        for path in [PROJECT_ROOT / folder] if folder.endswith(".py") else (PROJECT_ROOT / folder).glob("*.py"):
            used |= set(re.findall(r"(?<![`\w])t\(\"(\w+)\"", Path(path).read_text(encoding="utf-8")))
    assert used, "no t(...) calls found"
    assert used - set(TEXTS) == set()


def test_catalogue_is_consistent():
    for metric in CATALOGUE:
        assert metric.name_zh and metric.name_en
        numerator, denominator = components(metric)
        for code in numerator + denominator:
            assert BY_CODE[code].unit_aggregation != "derived", f"{metric.code} uses derived {code}"
        if metric.unit_aggregation == "derived":
            assert metric.numerator


def test_class_colours_put_the_better_end_dark():
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, float("nan")])
    breaks = maps.class_breaks(values)
    assert breaks == pytest.approx([1.0, 1.8, 2.6, 3.4, 4.2, 5.0])
    higher = maps.class_colours(values, breaks, higher_is_better=True)
    lower = maps.class_colours(values, breaks, higher_is_better=False)
    assert higher[0] == list(maps.RAMP[0]) and higher[4] == list(maps.RAMP[-1])
    assert lower[0] == list(maps.RAMP[-1]) and lower[4] == list(maps.RAMP[0])
    assert higher[5] == list(maps.NO_DATA)
    assert len(maps.legend_entries(breaks, True, str)) == 5


def test_view_fits_points():
    view = maps.view_for(pd.Series([111.5, 111.9]), pd.Series([40.7, 40.9]))
    assert view.longitude == pytest.approx(111.7) and view.latitude == pytest.approx(40.8)
    assert 8 < view.zoom < 12


def test_environment_overrides_settings(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    monkeypatch.setenv("BRANCHSCOPE_SESSION_TIMEOUT_MINUTES", "7")
    settings = load_settings()
    assert settings.database_url == "postgresql://u@h/db"
    assert settings.session_timeout_minutes == 7
    monkeypatch.delenv("DATABASE_URL")
    assert load_settings().database_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'branchscope.sqlite'}"


def test_view_zoom_uses_deck_gl_512_pixel_world():
    # 0.3515625° (with the 30 % margin) across 512 px at the equator is exactly zoom 10 in deck.gl.
    span = 0.3515625 / 1.3
    view = maps.view_for(pd.Series([0.0, span]), pd.Series([0.0, 0.0]), width_px=512, height_px=10_000)
    assert view.zoom == pytest.approx(10.0)


def test_two_values_get_two_classes_not_five():
    assert maps.class_breaks(pd.Series([1.0, 3.0])) == [1.0, 2.0, 3.0]
    assert maps.class_breaks(pd.Series([5.0, 5.0])) == [5.0]


def test_changes_that_round_to_zero_have_no_minus_sign():
    assert format_change(99.999, 100.0, "count", "en") == "+0.0%"
    assert format_change(0.50001, 0.5002, "ratio", "en") == "+0.0 pp"
    assert format_change(90.0, 100.0, "count", "en") == "-10.0%"


@pytest.mark.parametrize(
    "value, lang, expected",
    [
        (128_806_000_000, "zh", "1,288.1 亿元"),  # was "1,288.06 亿元", cut on the card
        (12_880_600_000, "en", "RMB 12.9 bn"),
        (128_806_000_000, "en", "RMB 128.8 bn"),
        (34_567_000, "zh", "3,456.7 万元"),
        (34_567, "zh", "3.5 万元"),
        (34_567, "en", "RMB 34.6 k"),
        (850, "zh", "850 元"),
        (850, "en", "RMB 850"),
        (-2_905_000, "zh", "-290.5 万元"),
        (-2_905_000, "en", "RMB -2.9 m"),
        (99_999_600, "zh", "1.0 亿元"),  # rounds up into the next unit, not "10,000.0 万元"
        (999_960, "en", "RMB 1.0 m"),
        (9_999.6, "zh", "1.0 万元"),
        (12.95e8, "zh", "13.0 亿元"),  # half away from zero, not to even
        (None, "zh", "—"),
        (math.nan, "en", "—"),
    ],
)
def test_compact_money_for_cards_has_one_decimal_in_wan_and_yi(value, lang, expected):
    from ui.format import format_compact_money

    assert format_compact_money(value, lang) == expected


def test_compact_counts_and_other_units():
    from ui.format import format_compact, format_compact_count

    assert format_compact_count(2_405_123, "zh") == "240.5 万"
    assert format_compact_count(2_405_123, "en") == "2.4 m"
    assert format_compact_count(9_876, "zh") == "9,876"
    assert format_compact_count(45_210, "en") == "45.2 k"
    assert format_compact_count(1.5e8, "zh") == "1.5 亿"
    assert format_compact(128_806_000_000, "rmb", "zh") == "1,288.1 亿元"
    assert format_compact(910_000, "count", "zh") == "91.0 万"
    assert format_compact(0.791, "ratio", "zh") == "79.1%"
    assert format_compact(12.345, "minutes", "en") == "12.3 min"


def test_month_of_year_labels():
    from ui.format import month_of_year_label

    assert [month_of_year_label(m, "zh") for m in (1, 6, 12)] == ["1月", "6月", "12月"]
    assert [month_of_year_label(m, "en") for m in (1, 6, 12)] == ["Jan", "Jun", "Dec"]


def test_no_arrow_on_a_change_that_is_no_change():
    from ui.cards import delta_style, is_unchanged

    for unchanged in ("+0.0%", "0.0%", "+0.0 pp", "+0.0 个百分点", "+0.0% 较上月", "0"):
        assert is_unchanged(unchanged), unchanged
        assert delta_style(unchanged) == {"delta_color": "off", "delta_arrow": "off"}
    for changed in ("+0.1%", "-1.0 pp", "+10.0% 较上月", "+0.05%"):
        assert not is_unchanged(changed), changed
    assert delta_style("+1.2%", higher_is_better=True) == {"delta_color": "normal", "delta_arrow": "auto"}
    assert delta_style("-1.2%", higher_is_better=False) == {"delta_color": "inverse", "delta_arrow": "auto"}
    assert delta_style(None) == {"delta_color": "off", "delta_arrow": "off"}


def test_card_grid_wraps_by_the_width_of_the_main_area():
    from ui.cards import MIN_CARD_REM, card_grid_css

    css = card_grid_css("kpi", 4)
    assert ".st-key-kpi_area {container-type: inline-size;}" in css
    assert "grid-template-columns: repeat(4, minmax(0, 1fr))" in css
    wide, narrow = 4 * MIN_CARD_REM + 3 * 0.75, 2 * MIN_CARD_REM + 0.75
    assert f"@container (max-width: {wide}rem) {{.st-key-kpi {{grid-template-columns: repeat(2," in css
    assert f"@container (max-width: {narrow}rem) {{.st-key-kpi {{grid-template-columns: minmax(0, 1fr);" in css


@pytest.mark.parametrize(
    "unit, values, lang, divisor, title, tickformat",
    [
        ("rmb", [3.2e9, 1.1e9], "zh", 1e8, "存款余额（亿元）", ",~f"),
        ("rmb", [3.2e6, -2.9e5], "zh", 1e4, "存款余额（万元）", ",~f"),
        ("rmb", [3.2e9], "en", 1e9, "Deposits (RMB bn)", ",~f"),
        ("count", [2_405_123], "zh", 1e4, "存款余额（万）", ",~f"),
        ("count", [2_405_123], "en", 1.0, "Deposits", ",~f"),
        ("ratio", [0.5], "zh", 1.0, "存款余额", ".1%"),
    ],
)
def test_metric_axes_scale_to_wan_and_yi_without_si_suffixes(unit, values, lang, divisor, title, tickformat):
    import streamlit as st

    from ui.metric_axes import metric_axis

    st.session_state["lang"] = lang
    try:
        axis = metric_axis(values, unit, "存款余额" if lang == "zh" else "Deposits")
    finally:
        del st.session_state["lang"]
    assert (axis.divisor, axis.title, axis.tickformat) == (divisor, title, tickformat)
    assert axis.layout()["exponentformat"] == "none"
    assert axis.scale([values[0], None, math.nan]) == [values[0] / divisor, None, None]


def test_every_multiselect_has_a_translated_placeholder():
    """Streamlit's own "Choose options" cannot be translated: every st.multiselect of the pages
    and ui/ sets our placeholder (``widget_choose``) instead."""
    import ast

    missing = []
    for path in sorted([*(PROJECT_ROOT / "pages").glob("*.py"), *(PROJECT_ROOT / "ui").glob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "multiselect":
                if not any(keyword.arg == "placeholder" for keyword in node.keywords):
                    missing.append(f"{path.name}:{node.lineno}")
    assert not missing, missing

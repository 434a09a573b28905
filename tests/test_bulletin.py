"""The results bulletin on the small demo database: the PDF is a valid A4 document with an embedded
CJK font and the scope's outlet names in Chinese and English, a branch head's bulletin names no
other outlet, the Excel workbook has the expected sheets and numbers, and a machine without a CJK
font gets a clear error instead of a broken PDF."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from config.translations import TEXTS
from data import queries
from data.db import make_engine
from data.schema import OrgUnit
from data.scope import scope_for
from data.unit_labels import disambiguated_labels
from reports import bulletin as report

A4_POINTS = (595.28, 841.89)


def bulletin_data(engine, scope, unit_id: int, lang: str, alerts=None) -> report.BulletinData:
    """The bulletin's figures collected as the page collects them, with direct (uncached) reads."""
    month = queries.kpi_months(engine, scope, unit_id)[0]
    unit = queries.unit_info(engine, scope, unit_id)
    data = report.collect_bulletin(
        lambda query, *args: query(engine, scope, *args), unit, month, lang, "deposits_total", synthetic=True
    )
    data.alerts = alerts
    return data


def _font_required() -> bool:
    """CI (``.ci/run``: REQUIRE_BROWSER=1, whose system-deps install the fonts) and
    REQUIRE_CJK_FONT=1 make a missing CJK font fail the PDF tests instead of skipping them."""
    return os.environ.get("REQUIRE_CJK_FONT") == "1" or os.environ.get("REQUIRE_BROWSER") == "1"


def _missing_font(what: str) -> None:
    if _font_required():
        pytest.fail(f"{what} is required (REQUIRE_CJK_FONT/REQUIRE_BROWSER=1): make system-deps installs it")
    pytest.skip(f"{what} not installed (apt-get install fonts-wqy-microhei fonts-noto-cjk)")


@pytest.fixture(params=list(report.NAMED_CJK_FONTS))
def cjk_font(request) -> Path:
    """Each CJK font the README names, in turn (the PDF tests run once per font)."""
    path = Path(report.NAMED_CJK_FONTS[request.param])
    if not path.is_file():
        _missing_font(request.param)
    return path


@pytest.fixture
def any_cjk_font() -> Path:
    font = report.find_cjk_font()
    if font is None:
        _missing_font("a CJK font")
    return font


@pytest.fixture(scope="module")
def demo(demo_database_url):
    engine = make_engine(demo_database_url)
    yield engine
    engine.dispose()


def scope_of(engine, username, role, unit_id=None):
    with engine.connect() as connection:
        return scope_for(connection, username, role, unit_id)


def pdf_text(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def outlets_under(engine, path: str) -> pd.DataFrame:
    with engine.connect() as connection:
        rows = connection.execute(
            select(OrgUnit.id, OrgUnit.name_zh, OrgUnit.name_en, OrgUnit.path).where(
                OrgUnit.level == "outlet", OrgUnit.status == "open"
            )
        ).all()
    frame = pd.DataFrame(rows, columns=["id", "name_zh", "name_en", "path"])
    return frame.assign(inside=frame["path"].str.startswith(path))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_region_bulletin_is_an_a4_pdf_naming_every_outlet(demo, lang, cjk_font):
    executive = scope_of(demo, "exec", "executive")
    data = bulletin_data(demo, executive, 1, lang)
    pdf = report.bulletin_pdf(data, cjk_font)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    reader, text = pdf_text(pdf)
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_POINTS, abs=0.1)
    fonts = {str(f) for page in reader.pages for f in (page["/Resources"]["/Font"].values())}
    assert fonts, "no font embedded"
    outlets = outlets_under(demo, "/")
    ranked = data.league.dropna(subset=["value"]).sort_values("rank").head(report.PDF_RANKING_ROWS)
    assert "\x00" not in text  # pypdf read NULs between the letters with Noto (CFF) before
    for label in report.labels_of(data, ranked):
        assert label in text.replace("\n", " ") or label in text
    assert TEXTS["bulletin_pdf_title"][lang].format(unit=data.unit[f"name_{lang}"], month=f"{data.month:%Y-%m}") in text
    assert TEXTS["bulletin_section_alerts"][lang] in text
    assert TEXTS["bulletin_alerts_unavailable"][lang] in text
    assert len(outlets) >= len(ranked)


def test_branch_head_bulletin_names_no_other_outlet(demo, demo_database_url, cjk_font):
    with demo.connect() as connection:
        unit_id = connection.execute(
            select(OrgUnit.id).where(OrgUnit.level == "sub_branch").order_by(OrgUnit.code)
        ).scalar()
        path = connection.execute(select(OrgUnit.path).where(OrgUnit.id == unit_id)).scalar()
    head = scope_of(demo, "somebody", "branch_head", unit_id)
    data = bulletin_data(demo, head, unit_id, "zh")
    _, text = pdf_text(report.bulletin_pdf(data, cjk_font))
    outlets = outlets_under(demo, path)
    assert outlets["inside"].any()
    for row in outlets.itertuples():
        assert (row.name_zh in text) == row.inside, row.name_zh


def test_excel_bulletin_has_every_sheet_and_the_raw_ranking(demo):
    executive = scope_of(demo, "exec", "executive")
    alerts = pd.DataFrame({"Outlet": ["X"], "Rule": ["Off target"]})
    for lang in ("zh", "en"):
        data = bulletin_data(demo, executive, 1, lang, alerts=alerts)
        workbook = load_workbook(io.BytesIO(report.bulletin_xlsx(data)))
        assert workbook.sheetnames == list(report.sheet_names(lang).values())
        ranking = workbook[report.sheet_names(lang)["ranking"]]
        header = [cell.value for cell in ranking[1]]
        values = [row[6] for row in ranking.iter_rows(min_row=2, values_only=True)]
        league = data.league.sort_values(["rank", "code"], na_position="last")
        assert header[0] == TEXTS["bulletin_col_rank"][lang]
        assert values == pytest.approx(league["value"].tolist())
        assert workbook[report.sheet_names(lang)["alerts"]]["B2"].value == "Off target"
        headline = workbook[report.sheet_names(lang)["headline"]]
        assert headline.max_row == len(report.HEADLINE_CODES) + 1


def test_missing_cjk_font_gives_a_clear_error(demo, monkeypatch):
    monkeypatch.setattr(report, "CJK_FONT_CANDIDATES", ("/nonexistent/font.ttc",))
    monkeypatch.setattr(report.shutil, "which", lambda name: None)
    assert report.find_cjk_font() is None
    executive = scope_of(demo, "exec", "executive")
    with pytest.raises(report.BulletinFontError) as error:
        report.bulletin_pdf(bulletin_data(demo, executive, 1, "en"))
    assert error.value.key == "bulletin_err_no_font"
    assert error.value.key in TEXTS


def test_headline_table_formats_changes_in_the_bulletin_language(demo):
    executive = scope_of(demo, "exec", "executive")
    data = bulletin_data(demo, executive, 1, "zh")
    table = report.headline_table(data)
    deposits = table.iloc[0]
    assert deposits.iloc[0] == "存款余额" and deposits.iloc[1].endswith("亿元")
    assert report.headline_table(bulletin_data(demo, executive, 1, "en")).iloc[0, 0] == "Deposits"


def test_alert_rows_take_the_filed_status_and_leave_out_resolved_ones():
    findings = pd.DataFrame(
        {
            "outlet_id": [1, 1, 2, 3],
            "rule": ["sudden_drop", "off_target", "wait_time", "complaint_spike"],
            "metric_code": ["deposits_total", "fee_income_total", "avg_wait_minutes", "complaints"],
            "severity": ["medium", "high", "medium", "medium"],
            "value": [-0.123, 0.25, 12.5, 9.0],
            "code": ["O1", "O1", "O2", "O3"],
            "name_zh": ["甲", "甲", "乙", "丙"],
            "name_en": ["A", "A", "B", "C"],
        }
    )
    filed = pd.DataFrame(
        {
            "outlet_id": [2, 3],
            "rule": ["wait_time", "complaint_spike"],
            "metric_code": ["avg_wait_minutes", "complaints"],
            "status": ["acknowledged", "resolved"],
        }
    )
    rows = report.alert_rows(findings, filed, "en")
    assert rows.iloc[:, 0].tolist() == ["A", "A", "B"]  # high first; C's alert is resolved
    assert rows.iloc[:, 1].tolist() == ["Off target", "Sudden drop", "Wait over target"]
    assert rows.iloc[:, 4].tolist() == ["25.0%", "-12.3%", "12.5 min"]
    assert rows.iloc[:, 5].tolist() == ["open", "open", "acknowledged"]
    assert report.alert_rows(findings, filed.iloc[0:0], "zh").iloc[:, 5].tolist() == ["待处理"] * 4


def test_the_text_layer_reads_the_same_with_every_named_font(demo):
    """fonts-noto-cjk (CFF outlines, a collection whose first face is Japanese) and
    fonts-wqy-microhei give the same text to a PDF reader; Noto embeds its Simplified Chinese face."""
    missing = [name for name, path in report.NAMED_CJK_FONTS.items() if not Path(path).is_file()]
    if missing:
        _missing_font(" and ".join(missing))
    executive = scope_of(demo, "exec", "executive")
    data = bulletin_data(demo, executive, 1, "zh")
    texts, base_fonts = [], set()
    for path in report.NAMED_CJK_FONTS.values():
        reader, text = pdf_text(report.bulletin_pdf(data, Path(path)))
        texts.append(text)
        base_fonts |= {
            str(f.get_object()["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()
        }
    assert texts[0] == texts[1]
    assert "\x00" not in texts[0] and "内蒙古" in texts[0]
    assert any(f.endswith("NotoSansCJKSC") for f in base_fonts), base_fonts
    assert not any("JP" in f for f in base_fonts), base_fonts
    noto = report.NAMED_CJK_FONTS["fonts-noto-cjk"]
    assert report.cjk_face_index(noto) == 2  # JP, KR, SC, … in Debian's NotoSansCJK-Regular.ttc
    assert report.cjk_face_index(report.NAMED_CJK_FONTS["fonts-wqy-microhei"]) == 0


def test_notes_are_left_aligned_not_justified(demo, any_cjk_font):
    """The first footnote was justified: fpdf2 spread its Chinese lines with gaps of up to nine
    characters (TJ adjustments of -9,244/1,000 em). No gap wider than half a character now."""
    executive = scope_of(demo, "exec", "executive")
    reader, _ = pdf_text(report.bulletin_pdf(bulletin_data(demo, executive, 1, "zh"), any_cjk_font))
    gaps = [
        float(gap)
        for page in reader.pages
        for gap in re.findall(rb"\)\s*(-?\d+(?:\.\d+)?)\s*\(", page.get_contents().get_data())
    ]
    assert all(abs(gap) <= 500 for gap in gaps), max(gaps, key=abs)


def test_target_statuses_use_the_apps_words(demo):
    """Amber was "略落后" in the PDF but "接近目标" on the KPI explorer and My outlet."""
    executive = scope_of(demo, "exec", "executive")
    for lang in ("zh", "en"):
        data = bulletin_data(demo, executive, 1, lang)
        shown = set(report.target_table(data, own=False)[TEXTS["bulletin_col_status"][lang]])
        app_words = {TEXTS[f"kpi_rag_{rag}"][lang] for rag in ("green", "amber", "red")}
        assert shown and shown <= app_words | {report.MISSING}
        assert report.status_text("amber", lang) == TEXTS["kpi_rag_amber"][lang]
    assert "略落后" not in TEXTS["bulletin_targets_note"]["zh"]


def _twin_league() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two outlets called 太平分理处 under different sub-branches: one rose, one fell; a frame
    index that repeats (as after a concat)."""
    league = pd.DataFrame(
        {
            "id": [11, 12, 13, 14],
            "code": ["O11", "O12", "O13", "O14"],
            "name_zh": ["太平分理处", "太平分理处", "锦绣分理处", "民族分理处"],
            "name_en": ["Taiping", "Taiping", "Jinxiu", "Minzu"],
            "parent_zh": ["新华支行", "青山支行", "新华支行", "青山支行"],
            "parent_en": ["Xinhua", "Qingshan", "Xinhua", "Qingshan"],
            "value": [120.0, 80.0, 101.0, 99.0],
            "previous_value": [100.0, 100.0, 100.0, 100.0],
            "rank": [1, 4, 2, 3],
            "previous_rank": [1, 1, 1, 1],
            "movement": [0, -3, -1, -2],
        },
        index=[0, 0, 1, 1],
    )
    units = league.rename(columns={"parent_zh": "parent_name_zh", "parent_en": "parent_name_en"}).assign(level="outlet")
    return league, disambiguated_labels(units)[["id", "label_zh", "label_en"]]


def test_movers_are_keyed_on_the_outlet_and_shared_names_are_labelled_with_their_parent(demo):
    league, labels = _twin_league()
    up, down = report.biggest_movers(league, 5, True, key="id")
    assert up["id"].tolist() == [11, 13] and down["id"].tolist() == [12, 14]
    executive = scope_of(demo, "exec", "executive")
    data = bulletin_data(demo, executive, 1, "zh")
    data.league, data.labels, data.ranking_code = league, labels, "deposits_total"
    up_table, down_table = report.movers_tables(data)
    outlet = TEXTS["bulletin_col_outlet"]["zh"]
    assert up_table[outlet].tolist() == ["太平分理处（新华支行）", "锦绣分理处"]
    assert down_table[outlet].tolist() == ["太平分理处（青山支行）", "民族分理处"]
    assert set(up_table[outlet]).isdisjoint(down_table[outlet])
    assert report.league_display(data)[outlet].is_unique

"""The results bulletin on the small demo database: the PDF is a valid A4 document with an embedded
CJK font and the scope's outlet names in Chinese and English, a branch head's bulletin names no
other outlet, the Excel workbook has the expected sheets and numbers, and a machine without a CJK
font gets a clear error instead of a broken PDF."""

from __future__ import annotations

import io

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


@pytest.mark.skipif(report.find_cjk_font() is None, reason="no CJK font installed (apt-get install fonts-wqy-microhei)")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_region_bulletin_is_an_a4_pdf_naming_every_outlet(demo, lang):
    executive = scope_of(demo, "exec", "executive")
    data = bulletin_data(demo, executive, 1, lang)
    pdf = report.bulletin_pdf(data)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    reader, text = pdf_text(pdf)
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_POINTS, abs=0.1)
    fonts = {str(f) for page in reader.pages for f in (page["/Resources"]["/Font"].values())}
    assert fonts, "no font embedded"
    outlets = outlets_under(demo, "/")
    ranked = data.league.dropna(subset=["value"]).sort_values("rank").head(report.PDF_RANKING_ROWS)
    for name in ranked[f"name_{lang}"]:
        assert name in text.replace("\n", " ") or name in text
    assert TEXTS["bulletin_pdf_title"][lang].format(unit=data.unit[f"name_{lang}"], month=f"{data.month:%Y-%m}") in text
    assert TEXTS["bulletin_section_alerts"][lang] in text
    assert TEXTS["bulletin_alerts_unavailable"][lang] in text
    assert len(outlets) >= len(ranked)


@pytest.mark.skipif(report.find_cjk_font() is None, reason="no CJK font installed")
def test_branch_head_bulletin_names_no_other_outlet(demo, demo_database_url):
    with demo.connect() as connection:
        unit_id = connection.execute(
            select(OrgUnit.id).where(OrgUnit.level == "sub_branch").order_by(OrgUnit.code)
        ).scalar()
        path = connection.execute(select(OrgUnit.path).where(OrgUnit.id == unit_id)).scalar()
    head = scope_of(demo, "somebody", "branch_head", unit_id)
    data = bulletin_data(demo, head, unit_id, "zh")
    _, text = pdf_text(report.bulletin_pdf(data))
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

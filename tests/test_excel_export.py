"""The shared Excel export: formulas never survive, types do, sheet names are made valid."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from ui.excel import frames_to_xlsx


def test_text_that_looks_like_a_formula_stays_text_and_numbers_stay_numbers():
    frame = pd.DataFrame(
        {
            "name": ["=cmd|' /C calc'!A0", "张三", None],
            "balance": [np.float64(1234.5), np.nan, 7.0],
            "count": np.array([1, 2, 3], dtype=np.int64),
            "month": [dt.date(2026, 10, 1), dt.date(2026, 11, 1), None],
        }
    )
    workbook = load_workbook(io.BytesIO(frames_to_xlsx({"客户/customers?": frame})))
    sheet = workbook["客户_customers_"]
    assert [cell.value for cell in sheet[1]] == ["name", "balance", "count", "month"]
    assert sheet["A2"].value == "=cmd|' /C calc'!A0" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 1234.5 and sheet["B3"].value is None
    assert sheet["C4"].value == 3
    assert sheet["D2"].value == dt.datetime(2026, 10, 1)
    assert sheet.freeze_panes == "A2"


def test_long_and_repeated_sheet_names_become_unique_valid_titles():
    frame = pd.DataFrame({"a": [1]})
    name = "x" * 40
    workbook = load_workbook(io.BytesIO(frames_to_xlsx({name: frame, name + "y": frame})))
    assert workbook.sheetnames == ["x" * 31, "x" * 27 + " (2)"]


def test_no_tables_still_gives_a_valid_workbook():
    assert load_workbook(io.BytesIO(frames_to_xlsx({}))).sheetnames == ["sheet"]

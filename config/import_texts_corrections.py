"""Messages and page texts of the import area "corrections" in both languages (merged into the import
messages by :mod:`config.import_texts`; a key may be defined only once)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # Pipeline messages (data.importer.pipeline).
    "import_restate_not_for_kind": {
        "zh": "机构信息不能以更正方式导入：请在机构登记页面修改已有机构，新机构照常导入。",
        "en": "Organisation units cannot be restated: change existing units on the registry page and import "
        "new units as usual.",
    },
    "import_superseded_delete_later_first": {
        "zh": "第{batch}批的部分数据已被之后的更正批次（第{later}批）替换，请先删除第{later}批。",
        "en": "Rows of batch {batch} were replaced by a later correction (batch {later}): delete batch {later} first.",
    },
    # The data import page.
    "import_restate_check": {
        "zh": "此文件更正此前已导入的数据（更正导入）",
        "en": "This file corrects data loaded earlier (restate)",
    },
    "import_restate_help": {
        "zh": "勾选后，文件中与库中已有记录主键相同的行（如重新提取的某月指标或余额）将替换原记录，"
        "原记录会保留，删除本批次即可恢复。未勾选时，这样的行会被拒绝（“数据库中已有相同记录”）。",
        "en": "When ticked, rows whose key is already in the database (a month's KPIs or balances extracted "
        "again, say) replace the rows loaded earlier; those are kept, and deleting this batch puts them back. "
        "Unticked, such rows are refused ('already in the database').",
    },
    "import_restated_rows": {
        "zh": "其中 {rows} 行更正此前导入的数据（确认后替换原记录）。",
        "en": "{rows} rows restate earlier data (they replace the earlier rows when confirmed).",
    },
    "import_restate_no_rows": {
        "zh": "这是更正批次，但没有行与库中已有记录相同：全部为新增数据。",
        "en": "This batch restates, but no row has a key already in the database: every row is new.",
    },
    "import_confirmed_restated_summary": {
        "zh": "第{batch}批已入库：{rows} 行，其中 {restated} 行更正此前导入的数据。",
        "en": "Batch {batch} confirmed: {rows} rows, {restated} of them restate earlier data.",
    },
    "import_col_restates": {"zh": "更正了批次", "en": "Restates batches"},
    "import_col_superseded_by": {"zh": "被以下批次更正", "en": "Superseded by"},
    "import_restating_mark": {"zh": "（更正）", "en": " (restates)"},
    "import_extract_complete_check": {
        "zh": "此明细包含所涉网点、月份的全部账户（完整提取）",
        "en": "This extract is complete for its outlets and months",
    },
    "import_extract_complete_help": {
        "zh": "勾选后，确认入库时将这些网点、月份标记为完整，由明细计算网点的存贷款指标。",
        "en": "When ticked, confirming marks these outlets and months as complete, and the outlets' deposit and "
        "loan KPIs are derived from the extract.",
    },
}

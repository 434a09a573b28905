"""Messages of the import pipeline in both languages (merged into the translation table).

Keys are what :class:`data.importer.reading.ImportFileError`,
:class:`data.importer.validation.RowError` and :class:`data.importer.pipeline.BatchError`
carry; ``{name}`` placeholders are filled from their parameters.
"""

from __future__ import annotations

from config import (
    import_texts_accounts,
    import_texts_complaints,
    import_texts_corrections,
    import_texts_customer_changes,
    import_texts_folder,
    import_texts_products_staff,
    import_texts_quality,
    import_texts_transactions,
    import_texts_tree,
    import_texts_units,
    import_texts_watch,
)

IMPORT_TEXTS: dict[str, dict[str, str]] = {
    "import_empty_file": {"zh": "文件为空。", "en": "The file is empty."},
    "import_no_rows": {"zh": "文件只有表头，没有数据行。", "en": "The file has a header but no data rows."},
    "import_not_csv_or_xlsx": {
        "zh": "文件不是CSV或Excel（.xlsx）格式。旧版.xls请另存为.xlsx。",
        "en": "The file is neither CSV nor Excel (.xlsx). Save a legacy .xls file as .xlsx.",
    },
    "import_bad_encoding": {
        "zh": "无法识别文件编码：请使用UTF-8（推荐）、GBK/GB18030或带BOM的UTF-16。",
        "en": "Unknown text encoding: use UTF-8 (best), GBK/GB18030 or UTF-16 with a byte-order mark.",
    },
    "import_nul_byte": {
        "zh": "第{line}行含有空字符（NUL），文件已损坏，未导入任何数据。请重新导出后上传。",
        "en": "Line {line} holds a NUL byte: the file is damaged and nothing was imported. Export it again.",
    },
    "import_bad_character": {
        "zh": "第{line}行含有字符 {code}，银行数据中不应出现（控制字符、私用区、兼容汉字或未分配的码位），"
        "文件可能已损坏或编码不对。请另存为UTF-8后重新上传。",
        "en": "Line {line} holds the character {code}, which bank data does not contain (a control, private-use, "
        "compatibility-ideograph or unassigned code point): the file is damaged or in another encoding. "
        "Save it as UTF-8 and upload it again.",
    },
    "import_latin1_as_gbk": {
        "zh": "第{line}行的“{text}”像是西文（Latin-1/Windows-1252）文本被当作GBK读取。请将文件另存为UTF-8后重新上传。",
        "en": "Line {line}: '{text}' looks like Western (Latin-1/Windows-1252) text read as GBK. Save the file "
        "as UTF-8 and upload it again.",
    },
    "import_wrong_field_count": {
        "zh": "第{line}行有{fields}个字段，表头只有{header}列（可能多了逗号或引号不配对）。",
        "en": "Line {line} has {fields} fields, the header has {header} (a stray comma or quote?).",
    },
    "import_xlsx_too_big": {
        "zh": "Excel文件解压后约{size} MiB，超过上限{limit} MiB，未解析。请另存为CSV后上传。",
        "en": "The Excel file unpacks to about {size} MiB, above the limit of {limit} MiB; it was not parsed. "
        "Save it as CSV.",
    },
    "import_xlsx_too_many_strings": {
        "zh": "Excel文件含有{count}个不同文本，超过上限{limit}，未解析。请另存为CSV后上传。",
        "en": "The Excel file holds {count} distinct texts, above the limit of {limit}; it was not parsed. "
        "Save it as CSV.",
    },
    "import_xlsx_too_large_sheet": {
        "zh": "工作表有{rows}行、{columns}列，超过上限（{max_rows}行、{max_columns}列），未解析。"
        "请删除多余的行列或另存为CSV后上传。",
        "en": "The sheet has {rows} rows and {columns} columns, above the limits ({max_rows} rows, "
        "{max_columns} columns); it was not parsed. Delete the unused rows and columns or save it as CSV.",
    },
    "import_no_id_hash_key": {
        "zh": "未配置证件号码摘要密钥，不能导入客户信息。请管理员设置环境变量 BRANCHSCOPE_ID_HASH_KEY"
        "（或 secrets.toml 中的 id_hash_key，至少16个字符）。",
        "en": "No key for hashing ID numbers is configured, so customers cannot be imported. An administrator "
        "sets BRANCHSCOPE_ID_HASH_KEY (or id_hash_key in secrets.toml, at least 16 characters).",
    },
    "import_id_hash_key_too_short": {
        "zh": "证件号码摘要密钥太短（至少{minimum}个字符）。",
        "en": "The key for hashing ID numbers is too short (at least {minimum} characters).",
    },
    "import_line_too_long": {
        "zh": "第{line}行超过{limit}字节，文件可能已损坏。",
        "en": "Line {line} is longer than {limit} bytes; the file may be damaged.",
    },
    "import_malformed_csv": {"zh": "CSV格式错误：{detail}", "en": "Malformed CSV: {detail}"},
    "import_unknown_columns": {
        "zh": "文件含有无法识别的列：{columns}。",
        "en": "The file has columns this kind does not know: {columns}.",
    },
    "import_unknown_columns_more": {
        "zh": "文件含有{count}个无法识别的列：{columns}，另有{more}个。",
        "en": "The file has {count} columns this kind does not know: {columns} and {more} more.",
    },
    "import_missing_columns": {"zh": "缺少必填列：{columns}。", "en": "Required columns are missing: {columns}."},
    "import_duplicate_column": {
        "zh": "重复的列：{column}（与“{first}”是同一列）。",
        "en": "Duplicate column {column} (the same column as '{first}').",
    },
    "import_same_file_again": {
        "zh": "同一文件已作为第{batch}批导入（可先删除该批次）。",
        "en": "This file was already imported as batch {batch} (delete that batch first).",
    },
    "import_required": {"zh": "必填项为空。", "en": "A required value is empty."},
    "import_too_long": {"zh": "超过{maximum}个字符。", "en": "Longer than {maximum} characters."},
    "import_formula_text": {
        "zh": "内容以=、+、-、@（含全角＝＋－＠）等开头，疑似电子表格公式，已拒绝。",
        "en": "Starts like a spreadsheet formula (=, +, -, @, also full-width ＝＋－＠); refused.",
    },
    "import_bad_choice": {"zh": "取值须为：{choices}。", "en": "Must be one of: {choices}."},
    "import_unknown_code": {"zh": "代码不存在。", "en": "Unknown code."},
    "import_not_a_number": {"zh": "不是数字。", "en": "Not a number."},
    "import_bad_thousands": {
        "zh": "千位分隔符位置不对：逗号只能每三位一个（如 1,234,567.89），小数点须用“.”。",
        "en": "Misplaced thousands separator: commas only between groups of three digits (1,234,567.89); "
        "the decimal mark is '.'.",
    },
    "import_not_an_integer": {"zh": "须为整数。", "en": "Must be a whole number."},
    "import_below_minimum": {"zh": "小于最小值{minimum}。", "en": "Below the minimum {minimum}."},
    "import_above_maximum": {"zh": "大于最大值{maximum}。", "en": "Above the maximum {maximum}."},
    "import_not_a_boolean": {
        "zh": "须为 1/0、true/false、yes/no 或 是/否。",
        "en": "Must be 1/0, true/false, yes/no or 是/否.",
    },
    "import_bad_phone": {"zh": "手机号须为7到15位数字。", "en": "A phone number has 7 to 15 digits."},
    "import_bad_h3_cell": {
        "zh": "不是有效的H3网格编号（分辨率5到12）。",
        "en": "Not a valid H3 cell index (resolution 5 to 12).",
    },
    "import_period_reversed": {
        "zh": "结束日期早于开始日期（{start}）。",
        "en": "The period ends before it starts ({start}).",
    },
    "import_region_has_no_parent": {
        "zh": "省（区）分行（region）的上级机构只能为空或总行（head_office）。",
        "en": "A provincial branch (region) has no parent unit, or a head office (head_office).",
    },
    "import_wrong_parent_level": {
        "zh": "上级机构须为更高层级（{level}）的机构。",
        "en": "The parent must be a unit of a higher level ({level}).",
    },
    "import_required_for_outlets": {"zh": "网点必须填写此项。", "en": "Required for outlets."},
    "import_batch_in_use": {
        "zh": "第{batch}批的数据已被其他数据引用（如客户、指标），无法删除。",
        "en": "Other data (customers, KPIs ...) refers to batch {batch}; it cannot be deleted.",
    },
    "import_bad_date": {
        "zh": "日期格式须为YYYY-MM-DD（如 2019-04-01）。",
        "en": "Dates must be YYYY-MM-DD (e.g. 2019-04-01).",
    },
    "import_bad_month": {"zh": "月份格式须为YYYY-MM（如 2026-10）。", "en": "Months must be YYYY-MM (e.g. 2026-10)."},
    "import_no_such_date": {"zh": "没有这一天（日期不存在）。", "en": "No such date."},
    "import_no_such_month": {"zh": "没有这个月份。", "en": "No such month."},
    "import_negative_value": {
        "zh": "该指标不能为负数。",
        "en": "This metric cannot be negative.",
    },
    "import_score_out_of_range": {"zh": "得分须在0到100之间。", "en": "Scores must be between 0 and 100."},
    "import_score_above_max": {"zh": "得分高于该项满分。", "en": "The score is above the item's maximum."},
    "import_unknown_item": {
        "zh": "该检查类型没有这个项目，可选：{choices}。",
        "en": "No such item for this kind of inspection; allowed: {choices}.",
    },
    "import_closed_before_opened": {
        "zh": "关闭日期早于开业日期（{opened}）。",
        "en": "Closed before it opened ({opened}).",
    },
    "import_birth_year_mismatch": {
        "zh": "出生日期与出生年份（{year}）不一致。",
        "en": "The birth date does not fall in the birth year ({year}).",
    },
    "import_birth_date_out_of_range": {
        "zh": "出生日期须在1900年以后且不晚于今天。",
        "en": "A birth date must be after 1900 and not in the future.",
    },
    "import_duplicate_in_file": {
        "zh": "与第{first_row}行重复。",
        "en": "Duplicates line {first_row} of the file.",
    },
    "import_already_in_database": {
        "zh": "数据库中已有相同记录（导入不覆盖已有数据）。",
        "en": "Already in the database (an import never overwrites data).",
    },
    "import_not_allowed": {
        "zh": "用户“{user}”无权导入数据（仅数据管理员和系统管理员）。",
        "en": "User '{user}' may not import data (data stewards and administrators only).",
    },
    "import_no_such_batch": {"zh": "没有第{batch}批。", "en": "There is no batch {batch}."},
    "import_not_staged": {
        "zh": "第{batch}批状态为“{status}”，只有待确认批次可以确认。",
        "en": "Batch {batch} is {status}; only a staged batch can be confirmed.",
    },
    # Columns of a staged batch's preview that are not the file's own columns.
    "import_field_row_number": {"zh": "行号", "en": "Line"},
    "import_field_extract": {"zh": "明细类型", "en": "Extract"},
    "import_field_resolution": {"zh": "H3分辨率", "en": "H3 resolution"},
    "import_field_lon": {"zh": "中心经度", "en": "Centre longitude"},
    "import_field_lat": {"zh": "中心纬度", "en": "Centre latitude"},
    "import_field_parent_id": {"zh": "上级机构（ID）", "en": "Parent unit (ID)"},
    "import_field_id_hash_scheme": {"zh": "证件号摘要方案", "en": "ID hash scheme"},
    "import_bad_datetime": {
        "zh": "时间格式应为 YYYY-MM-DD HH:MM:SS（如 2026-10-12 09:30:00）。",
        "en": "A time must be written YYYY-MM-DD HH:MM:SS (e.g. 2026-10-12 09:30:00).",
    },
    "import_no_such_datetime": {
        "zh": "没有这个时间（格式正确，但日期或时刻不存在）。",
        "en": "No such time (the format is right, but the date or the hour does not exist).",
    },
    "import_not_deletable": {
        "zh": "第{batch}批状态为“{status}”，无法删除。",
        "en": "Batch {batch} is {status} and cannot be deleted.",
    },
}

# The data import page.
IMPORT_PAGE_TEXTS: dict[str, dict[str, str]] = {
    "nav_section_data": {"zh": "数据维护", "en": "Data"},
    "page_import": {"zh": "数据导入", "en": "Data import"},
    "import_title": {"zh": "数据导入", "en": "Data import"},
    "import_caption": {
        "zh": "上传CSV或Excel（UTF-8或GBK编码）→ 逐行校验 → 预览待确认批次 → 确认入库或删除。"
        "出错的文件不会改动任何数据。",
        "en": "Upload CSV or Excel (UTF-8 or GBK) → every row validated → preview the staged batch → confirm "
        "or delete. A file with errors changes nothing.",
    },
    "import_tab_upload": {"zh": "上传", "en": "Upload"},
    "import_tab_history": {"zh": "导入记录", "en": "History"},
    "import_kind": {"zh": "数据类型", "en": "Kind of data"},
    "import_columns_title": {"zh": "列说明与模板", "en": "Columns and templates"},
    "import_template_csv_en": {"zh": "CSV模板（英文表头）", "en": "CSV template (English headers)"},
    "import_template_csv_zh": {"zh": "CSV模板（中文表头）", "en": "CSV template (Chinese headers)"},
    "import_template_xlsx": {"zh": "Excel模板", "en": "Excel template"},
    "import_file": {"zh": "选择文件", "en": "File"},
    "import_validate": {"zh": "校验并暂存", "en": "Validate and stage"},
    "import_rows_read": {"zh": "已读取 {rows} 行", "en": "{rows} rows read"},
    "import_rejected_summary": {
        "zh": "{rows} 行中发现 {errors} 处错误，未导入任何数据。请修正后重新上传。",
        "en": "{errors} errors in {rows} rows; nothing was imported. Fix the file and upload it again.",
    },
    "import_error_line": {"zh": "行号", "en": "Line"},
    "import_error_column": {"zh": "列", "en": "Column"},
    "import_error_value": {"zh": "内容", "en": "Value"},
    "import_error_problem": {"zh": "问题", "en": "Problem"},
    "import_error_report": {"zh": "下载错误报告（Excel）", "en": "Download the error report (Excel)"},
    "import_staged_summary": {
        "zh": "第{batch}批已暂存：{rows} 行全部通过校验。请检查预览后确认入库。",
        "en": "Batch {batch} staged: all {rows} rows are valid. Check the preview, then confirm.",
    },
    "import_preview": {"zh": "预览（前50行，按入库格式）", "en": "Preview (first 50 rows, as stored)"},
    "import_confirm": {"zh": "确认入库", "en": "Confirm"},
    "import_delete": {"zh": "删除批次", "en": "Delete batch"},
    "import_confirmed_summary": {
        "zh": "第{batch}批已入库：{rows} 行。",
        "en": "Batch {batch} confirmed: {rows} rows added.",
    },
    "import_deleted_summary": {
        "zh": "第{batch}批已删除：{rows} 行。",
        "en": "Batch {batch} deleted: {rows} rows removed.",
    },
    "import_history_empty": {"zh": "还没有导入记录。", "en": "No imports yet."},
    "import_batch_pick": {"zh": "批次", "en": "Batch"},
    "import_delete_check": {
        "zh": "我确认删除该批次的全部数据",
        "en": "I understand that all rows of this batch will be removed",
    },
    "import_col_id": {"zh": "批次", "en": "Batch"},
    "import_col_kind": {"zh": "数据类型", "en": "Kind"},
    "import_col_file": {"zh": "文件", "en": "File"},
    "import_col_by": {"zh": "上传人", "en": "Uploaded by"},
    "import_col_at": {"zh": "上传时间", "en": "Uploaded at"},
    "import_col_status": {"zh": "状态", "en": "Status"},
    "import_col_rows": {"zh": "行数", "en": "Rows"},
    "import_status_staged": {"zh": "待确认", "en": "staged"},
    "import_status_confirmed": {"zh": "已入库", "en": "confirmed"},
    "import_status_deleted": {"zh": "已删除", "en": "deleted"},
}


# Each group of import kinds keeps its messages in a module of its own.
for _module in (
    import_texts_products_staff,
    import_texts_transactions,
    import_texts_complaints,
    import_texts_customer_changes,
    import_texts_accounts,
    import_texts_corrections,
    import_texts_folder,
    import_texts_quality,
    import_texts_units,
    import_texts_tree,
    import_texts_watch,
):
    _twice = set(_module.TEXTS) & (set(IMPORT_TEXTS) | set(IMPORT_PAGE_TEXTS))
    if _twice:
        raise ValueError(f"import message keys defined twice: {sorted(_twice)}")
    IMPORT_TEXTS.update(_module.TEXTS)


def import_message(key: str, lang: str = "en", **params) -> str:
    """The message ``key`` in ``lang`` with its placeholders filled."""
    template = IMPORT_TEXTS[key][lang]
    return template.format(**params)

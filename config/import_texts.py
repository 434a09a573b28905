"""Messages of the import pipeline in both languages (merged into the translation table).

Keys are what :class:`data.importer.reading.ImportFileError`,
:class:`data.importer.validation.RowError` and :class:`data.importer.pipeline.BatchError`
carry; ``{name}`` placeholders are filled from their parameters.
"""

from __future__ import annotations

IMPORT_TEXTS: dict[str, dict[str, str]] = {
    "import_empty_file": {"zh": "文件为空。", "en": "The file is empty."},
    "import_no_rows": {"zh": "文件只有表头，没有数据行。", "en": "The file has a header but no data rows."},
    "import_not_csv_or_xlsx": {
        "zh": "文件不是CSV或Excel（.xlsx）格式。旧版.xls请另存为.xlsx。",
        "en": "The file is neither CSV nor Excel (.xlsx). Save a legacy .xls file as .xlsx.",
    },
    "import_bad_encoding": {
        "zh": "无法识别文件编码：请使用UTF-8或GBK/GB18030。",
        "en": "Unknown text encoding: use UTF-8 or GBK/GB18030.",
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
    "import_missing_columns": {"zh": "缺少必填列：{columns}。", "en": "Required columns are missing: {columns}."},
    "import_duplicate_column": {"zh": "列“{column}”出现了两次。", "en": "Column '{column}' appears twice."},
    "import_same_file_again": {
        "zh": "同一文件已作为第{batch}批导入（可先删除该批次）。",
        "en": "This file was already imported as batch {batch} (delete that batch first).",
    },
    "import_required": {"zh": "必填项为空。", "en": "A required value is empty."},
    "import_too_long": {"zh": "超过{maximum}个字符。", "en": "Longer than {maximum} characters."},
    "import_formula_text": {
        "zh": "内容以=、+、@等开头，疑似电子表格公式，已拒绝。",
        "en": "Starts like a spreadsheet formula (=, +, @ ...); refused.",
    },
    "import_bad_choice": {"zh": "取值须为：{choices}。", "en": "Must be one of: {choices}."},
    "import_unknown_code": {"zh": "代码不存在。", "en": "Unknown code."},
    "import_not_a_number": {"zh": "不是数字。", "en": "Not a number."},
    "import_not_an_integer": {"zh": "须为整数。", "en": "Must be a whole number."},
    "import_below_minimum": {"zh": "小于最小值{minimum}。", "en": "Below the minimum {minimum}."},
    "import_above_maximum": {"zh": "大于最大值{maximum}。", "en": "Above the maximum {maximum}."},
    "import_bad_date": {"zh": "日期格式须为YYYY-MM-DD。", "en": "Dates must be YYYY-MM-DD."},
    "import_bad_month": {"zh": "月份格式须为YYYY-MM。", "en": "Months must be YYYY-MM."},
    "import_negative_value": {
        "zh": "该指标不能为负数。",
        "en": "This metric cannot be negative.",
    },
    "import_score_out_of_range": {"zh": "得分须在0到100之间。", "en": "Scores must be between 0 and 100."},
    "import_closed_before_opened": {"zh": "关闭日期早于开业日期。", "en": "Closed before it opened."},
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
    "import_not_deletable": {
        "zh": "第{batch}批状态为“{status}”，无法删除。",
        "en": "Batch {batch} is {status} and cannot be deleted.",
    },
}


def import_message(key: str, lang: str = "en", **params) -> str:
    """The message ``key`` in ``lang`` with its placeholders filled."""
    template = IMPORT_TEXTS[key][lang]
    return template.format(**params)

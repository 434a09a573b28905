"""User-facing strings of the outlet registry pages (issue 3), zh and en; merged into the translation table."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # Errors of data/registry.py (RegistryError problems)
    "reg_err_code": {
        "zh": "网点代码须为2–32位字母、数字、下划线或连字符。",
        "en": "The outlet code must be 2–32 letters, digits, underscores or hyphens.",
    },
    "reg_err_code_taken": {"zh": "该网点代码已被使用。", "en": "This outlet code is already in use."},
    "reg_err_required": {"zh": "必填项。", "en": "Required."},
    "reg_err_too_long": {"zh": "最多{max_length}个字符。", "en": "At most {max_length} characters."},
    "reg_err_formula": {
        "zh": "不能以 = + - @ 开头（电子表格会把它当作公式执行）。",
        "en": "May not start with = + - @ (a spreadsheet would run it as a formula).",
    },
    "reg_err_type": {"zh": "未知的网点类型。", "en": "Unknown outlet type."},
    "reg_err_number": {"zh": "须为数字。", "en": "Must be a number."},
    "reg_err_integer": {"zh": "须为整数。", "en": "Must be a whole number."},
    "reg_err_range": {"zh": "须在{minimum}到{maximum}之间。", "en": "Must lie between {minimum} and {maximum}."},
    "reg_err_date": {"zh": "日期无效（格式YYYY-MM-DD）。", "en": "Not a valid date (YYYY-MM-DD)."},
    "reg_err_future_date": {"zh": "日期不能晚于今天。", "en": "The date may not be in the future."},
    "reg_err_planned_date": {
        "zh": "筹建网点的计划开业日期须在今天之后、{years}年以内。",
        "en": "A planned outlet's opening date must lie after today and within {years} years.",
    },
    "reg_err_before_opening": {
        "zh": "日期不能早于开业日期（{date}）。",
        "en": "The date may not be before the opening date ({date}).",
    },
    "reg_err_parent": {
        "zh": "上级机构须为营业中的分行或支行。",
        "en": "The parent must be an open city branch or sub-branch.",
    },
    "reg_err_not_allowed": {
        "zh": "只有区域管理层、规划人员和系统管理员可以修改网点档案。",
        "en": "Only executives, planners and administrators may change the outlet registry.",
    },
    "reg_err_unknown_outlet": {"zh": "找不到该网点。", "en": "No such outlet."},
    "reg_err_unknown_field": {"zh": "该字段不能修改。", "en": "This field cannot be changed."},
    "reg_err_use_relocate": {
        "zh": "坐标只能通过“迁址”修改，以保留原址记录。",
        "en": "Coordinates change only through a relocation, which keeps the old place in the history.",
    },
    "reg_err_not_open": {
        "zh": "该网点当前状态为“{status}”，不能执行此操作。",
        "en": "The outlet's status is '{status}': this action is not possible.",
    },
    "reg_err_not_planned": {
        "zh": "只有筹建中的网点可以开业（当前状态“{status}”）。",
        "en": "Only a planned outlet can open (status now '{status}').",
    },
    "reg_err_same_place": {"zh": "新坐标与现址相同。", "en": "The new coordinates are the current ones."},
    "reg_err_receiver_required": {
        "zh": "请选择承接客户和员工的网点。",
        "en": "Choose the outlet that takes over the customers and staff.",
    },
    "reg_err_receiver_self": {
        "zh": "承接网点不能是本网点。",
        "en": "The receiving outlet cannot be the outlet itself.",
    },
    "reg_err_receiver": {"zh": "承接网点须为营业中的网点。", "en": "The receiving outlet must be an open outlet."},
    "reg_err_doc_title": {
        "zh": "请填写标题（最多{max_length}个字符）。",
        "en": "Give a title (at most {max_length} characters).",
    },
    "reg_err_doc_url": {
        "zh": "链接须以 http://、https:// 或 file:// 开头，且不含空格。",
        "en": "The link must start with http://, https:// or file:// and contain no spaces.",
    },
    "reg_err_unknown_document": {"zh": "找不到该文档链接。", "en": "No such document link."},
}

"""User-facing strings of the audit-log page and the auditor role, zh and en; merged into the
translation table.

Keys: ``page_audit_log`` (navigation), ``role_auditor`` (the role's name), ``audit_`` (the page).
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "page_audit_log": {"zh": "审计日志", "en": "Audit log"},
    "role_auditor": {"zh": "审计员", "en": "Auditor"},
    "audit_title": {"zh": "审计日志", "en": "Audit log"},
    "audit_caption": {
        "zh": "谁在何时做了什么：登录、导入、导出、修改与查看客户信息。审计记录只能追加，应用内不能修改或删除。",
        "en": "Who did what and when: log-ins, imports, exports, changes and views of customer records. "
        "Audit lines are only ever added; the app cannot change or delete them.",
    },
    "audit_filter_user": {"zh": "用户", "en": "User"},
    "audit_filter_action": {"zh": "操作", "en": "Action"},
    "audit_filter_unit": {"zh": "机构（含下级）", "en": "Unit (and the units under it)"},
    "audit_filter_unit_help": {
        "zh": "只列出记录中写明该机构或其下级机构的审计行（如网点编辑、告警、客户导出的范围）。",
        "en": "Only audit lines whose detail names this unit or a unit under it (outlet edits, alerts, "
        "the scope of a customer export, …).",
    },
    "audit_filter_from": {"zh": "起始日期", "en": "From"},
    "audit_filter_to": {"zh": "截止日期（含）", "en": "To (inclusive)"},
    "audit_filter_outcome": {"zh": "结果", "en": "Outcome"},
    "audit_any": {"zh": "全部", "en": "All"},
    "audit_outcome_success": {"zh": "成功", "en": "Success"},
    "audit_outcome_refused": {"zh": "拒绝/失败", "en": "Refused or failed"},
    "audit_col_at": {"zh": "时间", "en": "Time"},
    "audit_col_user": {"zh": "用户", "en": "User"},
    "audit_col_action": {"zh": "操作", "en": "Action"},
    "audit_col_outcome": {"zh": "结果", "en": "Outcome"},
    "audit_col_detail": {"zh": "详情", "en": "Detail"},
    "audit_none": {"zh": "没有符合筛选条件的审计记录。", "en": "No audit line matches the filters."},
    "audit_shown": {
        "zh": "共 {total} 条符合条件，按时间倒序显示最新的 {shown} 条（页面最多 {limit} 条）；"
        "下载包含最多 {export_limit} 条。",
        "en": "{total} lines match; the newest {shown} are shown, newest first (at most {limit}); a download "
        "holds at most {export_limit}.",
    },
    "audit_download_csv": {"zh": "下载 CSV", "en": "Download CSV"},
    "audit_download_excel": {"zh": "下载 Excel", "en": "Download Excel"},
    "audit_sheet": {"zh": "审计日志", "en": "Audit log"},
    "audit_downloads_audited": {
        "zh": "每次下载审计日志本身也会记入审计日志。",
        "en": "Every download of the audit log is itself written to the audit log.",
    },
    "audit_bad_dates": {"zh": "起始日期晚于截止日期。", "en": "The start date is after the end date."},
}

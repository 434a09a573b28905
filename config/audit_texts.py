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
    "audit_col_action_code": {"zh": "操作代码", "en": "Action code"},
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

#: The name of each audit action (the ``action`` column), by its code: ``audit_action_<code>``.
#: tests/test_audit_actions.py finds every code the app writes and checks it is named here.
ACTION_TEXTS: dict[str, dict[str, str]] = {
    "audit_action_login": {"zh": "登录", "en": "Log-in"},
    "audit_action_logout": {"zh": "退出登录", "en": "Log-out"},
    "audit_action_timeout": {"zh": "会话超时", "en": "Session timed out"},
    "audit_action_account_locked": {"zh": "账户被锁定", "en": "Account locked"},
    "audit_action_session_revoked": {"zh": "会话被终止", "en": "Session ended by the system"},
    "audit_action_session_rescoped": {"zh": "会话权限范围已更新", "en": "Session rescoped"},
    "audit_action_sso_login": {"zh": "单点登录", "en": "Single sign-on log-in"},
    "audit_action_sso_login_refused": {"zh": "单点登录被拒绝", "en": "Single sign-on refused"},
    "audit_action_user_created": {"zh": "创建用户", "en": "User created"},
    "audit_action_password_reset": {"zh": "重置密码", "en": "Password reset"},
    "audit_action_role_changed": {"zh": "更改角色或范围", "en": "Role or scope changed"},
    "audit_action_head_office_added": {"zh": "在省分行之上增设总行", "en": "Head office added above the province"},
    "audit_action_user_unlocked": {"zh": "解锁用户", "en": "User unlocked"},
    "audit_action_user_deactivated": {"zh": "停用用户", "en": "User deactivated"},
    "audit_action_user_reactivated": {"zh": "重新启用用户", "en": "User reactivated"},
    "audit_action_audit_log_export": {"zh": "导出审计日志", "en": "Audit log exported"},
    "audit_action_customer_360_view": {"zh": "查看客户360视图", "en": "Customer 360 viewed"},
    "audit_action_customer_export": {"zh": "导出客户数据", "en": "Customer data exported"},
    "audit_action_contact_logged": {"zh": "记录客户联系", "en": "Customer contact logged"},
    "audit_action_action_rules_saved": {"zh": "保存行动规则", "en": "Action rules saved"},
    "audit_action_alert_settings": {"zh": "修改预警阈值", "en": "Alert thresholds changed"},
    "audit_action_alert_update": {"zh": "处理预警", "en": "Alert updated"},
    "audit_action_alerts_refresh": {"zh": "刷新预警", "en": "Alerts refreshed"},
    "audit_action_peer_group_create": {"zh": "创建对标组", "en": "Peer group created"},
    "audit_action_peer_group_update": {"zh": "修改对标组", "en": "Peer group changed"},
    "audit_action_peer_group_delete": {"zh": "删除对标组", "en": "Peer group deleted"},
    "audit_action_scenario_save": {"zh": "保存情景方案", "en": "Scenario saved"},
    "audit_action_scenario_delete": {"zh": "删除情景方案", "en": "Scenario deleted"},
    "audit_action_outlet_created": {"zh": "新增网点", "en": "Outlet created"},
    "audit_action_outlet_edited": {"zh": "修改网点信息", "en": "Outlet edited"},
    "audit_action_outlet_opened": {"zh": "网点开业", "en": "Outlet opened"},
    "audit_action_outlet_relocated": {"zh": "网点迁址", "en": "Outlet relocated"},
    "audit_action_outlet_renovated": {"zh": "网点装修", "en": "Outlet renovated"},
    "audit_action_outlet_merged": {"zh": "网点合并", "en": "Outlets merged"},
    "audit_action_outlet_closed": {"zh": "网点撤并", "en": "Outlet closed"},
    "audit_action_document_added": {"zh": "添加批文", "en": "Document added"},
    "audit_action_document_removed": {"zh": "删除批文", "en": "Document removed"},
    "audit_action_import_staged": {"zh": "导入文件暂存", "en": "Import file staged"},
    "audit_action_import_refused": {
        "zh": "导入文件被拒收（文件本身有误）",
        "en": "Import file refused (the file itself)",
    },
    "audit_action_import_rejected": {
        "zh": "导入文件被退回（行有错误）",
        "en": "Import file rejected (rows with errors)",
    },
    "audit_action_import_confirmed": {"zh": "确认导入", "en": "Import confirmed"},
    "audit_action_import_deleted": {"zh": "删除导入批次", "en": "Import batch deleted"},
    "audit_action_folder_loaded": {"zh": "导入整批文件夹", "en": "Folder loaded"},
    "audit_action_folder_refused": {"zh": "文件夹导入被拒绝", "en": "Folder refused"},
    "audit_action_drop_folder_failed": {"zh": "投递目录导入失败", "en": "Drop-folder delivery failed"},
    "audit_action_customer_changes_applied": {"zh": "应用客户变更", "en": "Customer changes applied"},
    "audit_action_extract_marked_complete": {"zh": "账户抽取标记为完整", "en": "Account extract marked complete"},
    "audit_action_extract_unmarked": {"zh": "撤销账户抽取完整标记", "en": "Account extract unmarked"},
    "audit_action_districts_loaded": {"zh": "加载行政区划边界", "en": "District boundaries loaded"},
}
TEXTS |= ACTION_TEXTS

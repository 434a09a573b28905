"""User-facing strings of the outlet registry pages, zh and en; merged into the translation table."""

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
    "reg_err_finite": {  # refused: inf, nan and numbers out of range such as 1e400
        "zh": "须为有限的数字（不接受 inf、nan 或超出范围的数）。",
        "en": "Must be a finite number (not inf, nan or a number out of range).",
    },
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
    "reg_err_changed_meanwhile": {
        "zh": "打开表单后，另一位用户已修改此项（现为：{current}），本次未保存。表单已显示当前值，请重新输入您的修改。",
        "en": "Someone else changed this after you opened the form (it is now {current}); nothing was saved. "
        "The form now shows the current values: enter your change again.",
    },
    "reg_edit_outdated": {
        "zh": "打开表单后，此网点的档案已被修改。保存时只提交您改动的字段；要先看到当前值，请重新载入表单。",
        "en": "This outlet's master data changed after you opened the form. Saving sends only the fields you "
        "changed; reload the form to see the current values first.",
    },
    "reg_edit_reload": {"zh": "重新载入表单", "en": "Reload the form"},
    "reg_nothing_changed": {"zh": "没有改动，未保存。", "en": "Nothing was changed; nothing saved."},
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
    # Page texts
    "page_registry": {"zh": "网点档案", "en": "Outlet registry"},
    "page_costs": {"zh": "网点成本", "en": "Outlet costs"},
    "reg_title": {"zh": "网点档案与建设管理", "en": "Outlet registry"},
    "reg_as_of_today": {
        "zh": "登记信息为当前状态（截至 {today}），不随侧栏所选月份变化。",
        "en": "The register shows the current state (as of {today}); the month chosen in the sidebar does not apply.",
    },
    "reg_caption": {
        "zh": "{unit}下属网点的基础信息、生命周期（开业、迁址、装修、撤并、关闭）与变更记录。",
        "en": "Master data, lifecycle (open, relocate, renovate, merge, close) and change log of the outlets "
        "of {unit}.",
    },
    "reg_read_only": {
        "zh": "只读：网点档案由区域管理层、规划人员和系统管理员维护。",
        "en": "Read only: executives, planners and administrators maintain the registry.",
    },
    "reg_tab_list": {"zh": "网点列表", "en": "Outlets"},
    "reg_tab_outlet": {"zh": "网点详情", "en": "Outlet"},
    "reg_tab_new": {"zh": "新建网点", "en": "New outlet"},
    "reg_tab_log": {"zh": "变更记录", "en": "Change log"},
    "reg_tab_master": {"zh": "基础信息", "en": "Master data"},
    "reg_tab_lifecycle": {"zh": "生命周期", "en": "Lifecycle"},
    "reg_tab_documents": {"zh": "制度文件", "en": "Documents"},
    "reg_filter_status": {"zh": "状态", "en": "Status"},
    "reg_filter_type": {"zh": "网点类型（不选为全部）", "en": "Outlet type (none = all)"},
    "reg_filter_search": {"zh": "按代码或名称查找", "en": "Find by code or name"},
    "reg_filter_event": {"zh": "事件类型", "en": "Event types"},
    "reg_list_count": {"zh": "显示 {shown} 个，共 {total} 个网点。", "en": "Showing {shown} of {total} outlets."},
    "reg_export": {"zh": "导出Excel", "en": "Export to Excel"},
    "reg_no_outlets": {"zh": "该机构下没有网点。", "en": "There are no outlets under this unit."},
    "reg_pick_outlet": {"zh": "网点", "en": "Outlet"},
    "reg_counters": {"zh": "柜台数", "en": "Counters"},
    "reg_monthly_cost_card": {"zh": "月租金+运营费用", "en": "Monthly rent + running cost"},
    "reg_area": {"zh": "营业面积（平方米）", "en": "Floor area (m²)"},
    "reg_monthly_cost": {"zh": "月租金+运营费用（元）", "en": "Monthly rent + running cost (RMB)"},
    "reg_merged_into": {"zh": "已于 {date} 并入 {code}。", "en": "Merged into {code} on {date}."},
    "reg_col_field": {"zh": "项目", "en": "Field"},
    "reg_col_value": {"zh": "内容", "en": "Value"},
    "reg_col_date": {"zh": "日期", "en": "Date"},
    "reg_col_event": {"zh": "事件", "en": "Event"},
    "reg_col_change": {"zh": "变更内容", "en": "What changed"},
    "reg_col_reason": {"zh": "原因", "en": "Reason"},
    "reg_col_by": {"zh": "记录人", "en": "Recorded by"},
    "reg_map_caption": {
        "zh": "蓝点为现址，灰点为迁址前的旧址。",
        "en": "Blue: where the outlet is; grey: where it was before a relocation.",
    },
    "reg_map_now": {"zh": "现址", "en": "Current site"},
    "reg_map_before": {"zh": "迁址前旧址，迁址日期", "en": "Former site, moved on"},
    "reg_edit_title": {"zh": "修改基础信息", "en": "Edit master data"},
    "reg_edit_help": {
        "zh": "坐标请通过“生命周期 → 迁址”修改，以保留原址记录。空白的数值项表示未知。",
        "en": "Change the coordinates under Lifecycle → Relocate, which keeps the old site. "
        "Empty numbers mean unknown.",
    },
    "reg_save": {"zh": "保存", "en": "Save"},
    "reg_saved": {"zh": "已保存。", "en": "Saved."},
    "reg_no_events": {"zh": "暂无变更记录。", "en": "No events recorded."},
    "reg_action": {"zh": "登记事项", "en": "Record"},
    "reg_action_open": {"zh": "开业", "en": "Open"},
    "reg_action_relocate": {"zh": "迁址", "en": "Relocate"},
    "reg_action_renovate": {"zh": "装修改造", "en": "Renovate"},
    "reg_action_merge": {"zh": "撤并", "en": "Merge"},
    "reg_action_close": {"zh": "关闭", "en": "Close"},
    "reg_action_open_help": {"zh": "筹建网点正式开业。", "en": "The planned outlet opens."},
    "reg_action_relocate_help": {
        "zh": "网点迁至新址；原址坐标与地址保留在历史记录中，所属行政区按新坐标重新确定。",
        "en": "The outlet moves; the old coordinates and address stay in its history and the district "
        "follows the new site.",
    },
    "reg_action_renovate_help": {
        "zh": "登记装修改造的完成日期、费用和停业天数。",
        "en": "Record a refit: the day it finished, its cost and the days the outlet was shut.",
    },
    "reg_action_merge_help": {
        "zh": "自撤并日起，本网点的客户、员工、账户和交易转入承接网点；"
        "撤并当月起的经营指标和目标并入承接网点，此前的历史保留在本网点。",
        "en": "From the merger date the outlet's customers, staff, accounts and transactions go to the "
        "receiving outlet; its KPIs and targets from the merger month on are added to the receiver's, earlier "
        "history stays with this outlet.",
    },
    "reg_action_close_help": {
        "zh": "网点关闭；若有客户或员工，须选择承接网点。历史数据保留。",
        "en": "The outlet closes; if it has customers or staff, choose the outlet that takes them over. "
        "History is kept.",
    },
    "reg_opened": {"zh": "已登记开业。", "en": "Opening recorded."},
    "reg_relocated": {"zh": "已登记迁址。", "en": "Relocation recorded."},
    "reg_renovated": {"zh": "已登记装修改造。", "en": "Refit recorded."},
    "reg_merged": {"zh": "已登记撤并。", "en": "Merger recorded."},
    "reg_closed": {"zh": "已登记关闭。", "en": "Closure recorded."},
    "reg_created": {"zh": "网点已创建。", "en": "Outlet created."},
    "reg_no_documents": {"zh": "尚未关联制度文件。", "en": "No documents linked."},
    "reg_remove": {"zh": "移除", "en": "Remove"},
    "reg_add_document": {"zh": "添加文件链接", "en": "Add document link"},
    "reg_document_added": {"zh": "已添加文件链接。", "en": "Document link added."},
    "reg_document_removed": {"zh": "已移除文件链接。", "en": "Document link removed."},
    "reg_no_parents": {
        "zh": "该机构下没有可挂靠的分行或支行。",
        "en": "There is no open branch or sub-branch here to report to.",
    },
    "reg_new_help": {
        "zh": "在地图上点击一个六边形网格即可取其中心坐标，也可直接输入经纬度（WGS84）。",
        "en": "Click a hexagon on the map to take its centre as the coordinates, or type them (WGS84).",
    },
    "reg_pick_caption": {
        "zh": "网格为需求网格（H3）；点击后坐标填入下方表单，可再微调。",
        "en": "The hexagons are the demand grid (H3); a click fills the coordinates below, which you can then adjust.",
    },
    "reg_new_planned": {"zh": "筹建中（计划开业）", "en": "Planned (opens later)"},
    "reg_create": {"zh": "创建网点", "en": "Create outlet"},
    "reg_log_caption": {"zh": "共 {count} 条记录，最新在前。", "en": "{count} events, newest first."},
    # Event types and their descriptions
    "reg_event_planned": {"zh": "筹建", "en": "Planned"},
    "reg_event_opened": {"zh": "开业", "en": "Opened"},
    "reg_event_edited": {"zh": "信息修改", "en": "Edited"},
    "reg_event_relocated": {"zh": "迁址", "en": "Relocated"},
    "reg_event_renovated": {"zh": "装修改造", "en": "Renovated"},
    "reg_event_merged": {"zh": "撤并", "en": "Merged"},
    "reg_event_closed": {"zh": "关闭", "en": "Closed"},
    "reg_event_moved": {"zh": "由 {old} 迁至 {new}", "en": "moved from {old} to {new}"},
    "reg_event_refit": {"zh": "费用 {cost}，停业 {days} 天", "en": "cost {cost}, shut {days} days"},
    "reg_event_rolled": {
        "zh": "客户 {customers} 户、员工 {staff} 人转入 {receiver}",
        "en": "{customers} customers and {staff} staff to {receiver}",
    },
    # Field labels (also used in error messages)
    "reg_field_actor": {"zh": "操作人", "en": "User"},
    "reg_field_unit": {"zh": "网点", "en": "Outlet"},
    "reg_field_code": {"zh": "网点代码", "en": "Outlet code"},
    "reg_field_name_zh": {"zh": "中文名称", "en": "Name (Chinese)"},
    "reg_field_name_en": {"zh": "英文名称", "en": "Name (English)"},
    "reg_field_outlet_type": {"zh": "网点类型", "en": "Outlet type"},
    "reg_field_status": {"zh": "状态", "en": "Status"},
    "reg_field_parent_id": {"zh": "上级机构", "en": "Reports to"},
    "reg_field_district_id": {"zh": "所属行政区", "en": "District"},
    "reg_field_address_zh": {"zh": "中文地址", "en": "Address (Chinese)"},
    "reg_field_address_en": {"zh": "英文地址", "en": "Address (English)"},
    "reg_field_lon": {"zh": "经度", "en": "Longitude"},
    "reg_field_lat": {"zh": "纬度", "en": "Latitude"},
    "reg_field_opened_on": {"zh": "开业日期", "en": "Opening date"},
    "reg_field_closed_on": {"zh": "关闭/撤并日期", "en": "Closed or merged on"},
    "reg_field_floor_area_m2": {"zh": "营业面积（平方米）", "en": "Floor area (m²)"},
    "reg_field_cash_counters": {"zh": "现金柜台", "en": "Cash counters"},
    "reg_field_non_cash_counters": {"zh": "非现金柜台", "en": "Non-cash counters"},
    "reg_field_atms": {"zh": "ATM", "en": "ATMs"},
    "reg_field_smart_machines": {"zh": "智能柜员机", "en": "Smart machines"},
    "reg_field_staff_count": {"zh": "员工人数", "en": "Staff"},
    "reg_field_staff_by_role": {"zh": "按岗位员工（员工表）", "en": "Staff by role (staff table)"},
    "reg_field_build_cost_rmb": {"zh": "建设投入（元）", "en": "Build cost (RMB)"},
    "reg_field_monthly_rent_rmb": {"zh": "月租金（元）", "en": "Monthly rent (RMB)"},
    "reg_field_monthly_running_cost_rmb": {"zh": "月运营费用（元）", "en": "Monthly running cost (RMB)"},
    "reg_field_service_area_km2": {"zh": "服务半径面积（平方公里）", "en": "Service area (km²)"},
    "reg_field_event_date": {"zh": "日期", "en": "Date"},
    "reg_field_cost_rmb": {"zh": "费用（元）", "en": "Cost (RMB)"},
    "reg_field_closed_days": {"zh": "停业天数", "en": "Days shut"},
    "reg_field_receiver": {"zh": "承接网点", "en": "Receiving outlet"},
    "reg_field_reason": {"zh": "原因/说明", "en": "Reason"},
    "reg_field_title": {"zh": "文件标题", "en": "Document title"},
    "reg_field_url": {"zh": "链接", "en": "Link"},
    "reg_field_document": {"zh": "文件", "en": "Document"},
    # Cost view
    "cost_title": {"zh": "网点成本分析", "en": "Outlet costs"},
    "cost_caption": {
        "zh": "{unit}：建设投入、运营费用、户均成本与成本收入比（{start} 至 {end} 滚动12个月）。",
        "en": "{unit}: build cost, running cost, cost per customer and cost-income ratio (12 months {start} to {end}).",
    },
    "cost_no_children": {"zh": "该机构下没有数据。", "en": "No data under this unit."},
    "cost_build": {"zh": "建设投入", "en": "Build cost"},
    "cost_running": {"zh": "年租金及运营费用", "en": "Annual rent and running cost"},
    "cost_operating": {"zh": "营业费用（12个月）", "en": "Operating cost (12 months)"},
    "cost_income": {"zh": "营业收入（12个月）", "en": "Operating income (12 months)"},
    "cost_customers": {"zh": "有效客户", "en": "Active customers"},
    "cost_outlets_open": {"zh": "营业网点", "en": "Open outlets"},
    "cost_per_customer": {"zh": "户均营业费用", "en": "Operating cost per customer"},
    "cost_income_ratio": {"zh": "成本收入比", "en": "Cost-income ratio"},
    "cost_unit_line": {"zh": "本级 {value}", "en": "This unit {value}"},
    "cost_chart_cir": {"zh": "成本收入比（红色：高于本级）", "en": "Cost-income ratio (red: above this unit's)"},
    "cost_axis_cir": {"zh": "成本收入比（%）", "en": "Cost-income ratio (%)"},
    "cost_chart_per_customer": {"zh": "户均营业费用", "en": "Operating cost per active customer"},
    "cost_axis_per_customer": {"zh": "每户费用", "en": "Per customer"},
    "cost_table_title": {"zh": "明细", "en": "Detail"},
    "cost_drill_help": {"zh": "选中一行可下钻到该机构。", "en": "Select a row to drill down into that unit."},
    "cost_export": {"zh": "导出Excel", "en": "Export to Excel"},
    "cost_how": {
        "zh": "**建设投入**：已开业网点（含已关闭、已撤并）的建设投入之和，筹建网点不计。"
        "**年租金及运营费用**：营业中网点（月租金＋月运营费用）×12。"
        "**营业费用、营业收入**：最近{months}个月经营指标之和（营业收入＝净利息收入＋各项手续费收入）。"
        "**户均营业费用**＝营业费用÷当月有效客户数；**成本收入比**＝营业费用÷营业收入，"
        "上级机构的比率由合计数重新计算，而非下级比率的平均。",
        "en": "**Build cost**: sum over outlets that opened (including closed and merged ones; planned ones are plans, "
        "not costs). **Annual rent and running cost**: 12 × (monthly rent + running cost) of open outlets. "
        "**Operating cost and income**: sums of the KPIs over the last {months} months (income = net interest "
        "income + fee income). **Cost per customer** = operating cost ÷ active customers in the last month; "
        "**cost-income ratio** = operating cost ÷ operating income; a unit's ratios are recomputed from its sums, "
        "never averaged over the units below.",
    },
}

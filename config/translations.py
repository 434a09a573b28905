"""Every user-facing string, in Chinese (zh) and English (en). ``ui.i18n.t(key)`` looks them up.

A test checks that every key has both languages and that every key used in the code exists.
"""

from __future__ import annotations

from config import (
    audit_texts,
    comparison_texts,
    customer_care_texts,
    customer_texts,
    help_texts,
    market_texts,
    organisation_texts,
    performance_texts,
    reconciliation_texts,
    registry_texts,
    service_texts,
    sso_texts,
)
from config.import_texts import IMPORT_PAGE_TEXTS, IMPORT_TEXTS

TEXTS: dict[str, dict[str, str]] = {
    # Application
    "app_title": {"zh": "BranchScope 网点经营决策支持", "en": "BranchScope branch network decision support"},
    "app_tagline": {
        "zh": "网点选址、客户细分与网点经营对比分析",
        "en": "Site selection, customer segmentation and branch performance comparison",
    },
    "loading": {"zh": "正在加载数据…", "en": "Loading data…"},
    "nav_section_network": {"zh": "网点网络", "en": "Network"},
    "page_overview": {"zh": "网点总览", "en": "Network overview"},
    "page_login": {"zh": "登录", "en": "Log in"},
    # Placeholder of every multi-select (Streamlit's own "Choose options" cannot be translated).
    "widget_choose": {"zh": "请选择", "en": "Choose"},
    # Database state
    "db_unreachable": {
        "zh": "无法连接数据库：服务器没有响应。请检查 DATABASE_URL 设置或数据库服务是否已启动。",
        "en": "Cannot reach the database: the server does not answer. Check DATABASE_URL and that the "
        "database server is running.",
    },
    "db_not_migrated": {
        "zh": "数据库尚未初始化或版本过旧（未执行数据库迁移）。",
        "en": "The database has not been set up yet, or its schema is out of date (migrations not applied).",
    },
    "db_empty": {"zh": "数据库中还没有数据。", "en": "The database holds no data yet."},
    "db_empty_wait": {
        "zh": "数据库中还没有数据：数据管理员导入本行数据后，这里将显示各项分析页面。",
        "en": "The database holds no data yet: the pages appear here once a data steward has loaded the bank's data.",
    },
    "db_empty_load_first": {
        "zh": "新数据库：请先导入机构与网点，再导入产品、员工、客户、账户明细等（见 README“Going live”）。"
        "首批数据确认入库后，其余页面将自动出现。",
        "en": "New database: load the organisation units first, then products, staff, customers, account extracts "
        "and the rest (README, 'Going live'). The other pages appear once the first batch is confirmed.",
    },
    "db_how_to_fix": {
        "zh": "管理员可运行 `make demo` 生成演示数据；生产库请运行 `python -m data.setup_db --empty`，"
        "再用 `python -m data.users create-admin 用户名` 创建首个管理员，并用 `python -m data.importer` "
        "导入本行数据（见 README“Loading your bank's data”）。",
        "en": "An administrator can run `make demo` to build the demo data; for a production database, run "
        "`python -m data.setup_db --empty`, create the first administrator with `python -m data.users "
        "create-admin NAME` and load the bank's files with `python -m data.importer` (README, "
        "'Loading your bank's data').",
    },
    # Log-in
    "login_demo_hint": {
        "zh": "当前为演示数据。演示账号见 README（如 exec / Demo@2026）。",
        "en": "This is demo data. Demo accounts are listed in the README (e.g. exec / Demo@2026).",
    },
    "login_username": {"zh": "用户名", "en": "User name"},
    "login_password": {"zh": "密码", "en": "Password"},
    "login_submit": {"zh": "登录", "en": "Log in"},
    "login_missing": {"zh": "请输入用户名和密码。", "en": "Please enter your user name and password."},
    "login_failed": {
        "zh": "用户名或密码错误，或账号因多次登录失败已暂时锁定。请稍后再试或联系管理员。",
        "en": "The user name or password is incorrect, or the account is locked for a while after too many "
        "failed attempts. Try again later or ask an administrator.",
    },
    "login_password_too_long": {
        "zh": "密码太长：最多 {max_bytes} 字节（约 24 个汉字）。",
        "en": "The password is too long: at most {max_bytes} bytes.",
    },
    "login_inactive": {
        "zh": "该账号已停用，请联系管理员。",
        "en": "This account is disabled. Please ask an administrator.",
    },
    "login_session_revoked": {
        "zh": "该账号已被管理员停用，会话已结束。",
        "en": "An administrator has disabled this account; the session has ended.",
    },
    "login_session_ended": {
        "zh": "会话已结束（已在其他窗口退出或已被撤销），请重新登录。",
        "en": "The session has ended (logged out in another window, or revoked). Please log in again.",
    },
    "login_session_rescoped": {
        "zh": "管理员已调整您的角色或机构范围，页面已按新的权限显示。",
        "en": "An administrator has changed your role or scope; the pages now follow the new access.",
    },
    "page_not_for_role": {
        "zh": "您的角色无权访问此页面，请从左侧菜单选择页面。",
        "en": "This page is not available to your role. Please choose a page from the menu.",
    },
    "app_unexpected_error": {
        "zh": "出现意外错误，已记录（错误编号 {error_id}）。请重试；如仍出现，请将错误编号告知管理员。",
        "en": "An unexpected error occurred and has been logged (error id {error_id}). Please try again; if it "
        "happens again, give the error id to an administrator.",
    },
    "login_session_expired": {
        "zh": "会话已超时，请重新登录。",
        "en": "Your session expired after a period of inactivity. Please log in again.",
    },
    "logout": {"zh": "退出登录", "en": "Log out"},
    # Roles
    "role_executive": {"zh": "区域管理层", "en": "Regional executive"},
    "role_planner": {"zh": "渠道规划", "en": "Planner"},
    "role_branch_head": {"zh": "网点负责人", "en": "Branch head"},
    "role_data_steward": {"zh": "数据管理员", "en": "Data steward"},
    "role_admin": {"zh": "系统管理员", "en": "Administrator"},
    # Sidebar
    "demo_badge": {"zh": "演示数据", "en": "Demo data"},
    "demo_badge_help": {
        "zh": "城市位置与人口为真实数据（2020年人口普查）；网点、客户、业绩、区划轮廓均为合成数据。",
        "en": "City locations and populations are real (2020 census); outlets, customers, results and "
        "district outlines are synthetic.",
    },
    "scope_label": {"zh": "机构范围", "en": "Scope"},
    "scope_all": {"zh": "（全部）", "en": "(all)"},
    "scope_unit_not_allowed": {
        "zh": "所请求的机构不在您的权限范围内，已返回您的默认范围。",
        "en": "The unit you asked for is outside your scope; showing your own scope instead.",
    },
    "period_month": {"zh": "月份", "en": "Month"},
    "level_head_office": {"zh": "总行", "en": "Head office"},
    "level_region": {"zh": "省（区）分行", "en": "Provincial branch"},
    "level_city_branch": {"zh": "分行", "en": "City branch"},
    "level_sub_branch": {"zh": "支行", "en": "Sub-branch"},
    "level_outlet": {"zh": "网点", "en": "Outlet"},
    # Organisation vocabulary
    "outlet_type_business_dept": {"zh": "营业部", "en": "Business department"},
    "outlet_type_sub_office": {"zh": "分理处", "en": "Sub-office"},
    "outlet_type_savings_office": {"zh": "储蓄所", "en": "Savings office"},
    "outlet_type_wealth_centre": {"zh": "财富中心", "en": "Wealth centre"},
    "outlet_type_community": {"zh": "社区网点", "en": "Community outlet"},
    "outlet_type_self_service": {"zh": "自助银行", "en": "Self-service branch"},
    "outlet_type_None": {"zh": "—", "en": "—"},
    "status_planned": {"zh": "规划中", "en": "Planned"},
    "status_open": {"zh": "营业中", "en": "Open"},
    "status_merged": {"zh": "已撤并", "en": "Merged"},
    "status_closed": {"zh": "已关闭", "en": "Closed"},
    "customer_kind_personal": {"zh": "对私", "en": "Personal"},
    "customer_kind_corporate": {"zh": "对公", "en": "Corporate"},
    # Overview page
    "overview_title": {"zh": "网点网络总览", "en": "Network overview"},
    "overview_caption": {"zh": "{unit} · {month}", "en": "{unit} · {month}"},
    "no_kpi_data": {"zh": "所选范围内没有经营数据。", "en": "There is no KPI data in this scope."},
    "vs_last_month": {"zh": "环比", "en": "vs last month"},
    "vs_last_year": {"zh": "同比", "en": "vs same month last year"},
    "overview_map_title": {"zh": "网点地图", "en": "Outlet map"},
    "overview_colour_by": {"zh": "网点着色指标", "en": "Colour outlets by"},
    "overview_show_competitors": {"zh": "显示他行网点", "en": "Show competitors"},
    "overview_show_planned": {"zh": "显示规划网点", "en": "Show planned outlets"},
    "overview_no_outlets": {"zh": "所选范围内没有网点。", "en": "There are no outlets in this scope."},
    "tab_map": {"zh": "地图", "en": "Map"},
    "tab_table": {"zh": "数据表", "en": "Table"},
    "legend_our_outlets": {"zh": "本行网点", "en": "Our outlets"},
    "legend_competitors": {"zh": "他行网点", "en": "Competitors' outlets"},
    "legend_higher_better": {"zh": "颜色越深越好", "en": "darker is better"},
    "legend_lower_better": {"zh": "颜色越深越好（数值越低越好）", "en": "darker is better (lower values)"},
    "legend_no_data": {"zh": "无数据", "en": "no data"},
    "map_geometry_note": {
        "zh": "底图为本系统自带的城区与区县轮廓（演示数据为合成轮廓），无需互联网地图服务。",
        "en": "The basemap is drawn from our own city and district outlines (synthetic in the demo data); "
        "no internet map service is needed.",
    },
    "overview_children_title": {"zh": "下级机构：{level}", "en": "Drill down: {level}"},
    "overview_children_help": {
        "zh": "点击表格中的一行可进入该机构。",
        "en": "Select a row to drill down into that unit.",
    },
    "overview_key_customers": {"zh": "重点客户（按资产规模）", "en": "Key customers (by assets under management)"},
    "overview_no_key_customers": {"zh": "所选范围内没有重点客户。", "en": "There are no key customers in this scope."},
    "overview_key_customers_month": {
        "zh": "资产为 {month} 月末余额（所选月份或之前最近的月末）。",
        "en": "Assets at the end of {month} (the selected month or the nearest month-end before it).",
    },
    "masked_note": {
        "zh": "按您的角色权限，客户姓名已脱敏显示。",
        "en": "Customer names are masked for your role.",
    },
    "how_computed": {"zh": "指标口径说明", "en": "How these numbers are computed"},
    "how_computed_overview": {
        "zh": "所有数字均在数据库中按所选机构的全部下属网点汇总（{month}）。余额类指标取月末余额，收入、"
        "交易类指标取当月发生额；比率类指标按分子、分母分别汇总后再相除，不对网点比率取平均。"
        "环比为与上月比较，同比为与去年同月比较。",
        "en": "Every figure is aggregated in the database over all outlets under the selected unit ({month}). "
        "Balances are month-end balances; income and transactions are the month's flows; ratios are "
        "recomputed from their summed numerator and denominator, never averaged over outlets. Month-on-month "
        "compares with the previous month, year-on-year with the same month last year.",
    },
    "how_base_metric": {"zh": "由核心系统按网点每月报送。", "en": "Reported per outlet and month by the core systems."},
    # Table columns
    "col_code": {"zh": "机构代码", "en": "Code"},
    "col_name": {"zh": "名称", "en": "Name"},
    "col_type": {"zh": "类型", "en": "Type"},
    "col_status": {"zh": "状态", "en": "Status"},
    "col_parent": {"zh": "上级机构", "en": "Parent"},
    "col_lon": {"zh": "经度", "en": "Longitude"},
    "col_lat": {"zh": "纬度", "en": "Latitude"},
    "col_customer_no": {"zh": "客户号", "en": "Customer no."},
    "col_kind": {"zh": "客户类型", "en": "Kind"},
    "col_outlet": {"zh": "归属网点", "en": "Home outlet"},
    "col_aum": {"zh": "资产规模", "en": "Assets under management"},
    # User administration (admin role)
    "nav_section_admin": {"zh": "系统管理", "en": "Administration"},
    "page_users": {"zh": "用户管理", "en": "User administration"},
    "users_title": {"zh": "用户管理", "en": "User administration"},
    "users_caption": {
        "zh": "新建用户、重置密码、设置角色与机构范围、解锁、停用或启用账号。所有操作均记入审计日志。",
        "en": "Create users, reset passwords, set role and scope, unlock, deactivate or reactivate accounts. "
        "Every change is written to the audit log.",
    },
    "users_list_title": {"zh": "全部用户", "en": "All users"},
    "col_username": {"zh": "用户名", "en": "User name"},
    "col_display_name": {"zh": "显示名称", "en": "Display name"},
    "col_role": {"zh": "角色", "en": "Role"},
    "col_scope_unit": {"zh": "机构范围", "en": "Scope unit"},
    "col_language": {"zh": "界面语言", "en": "Language"},
    "col_active": {"zh": "启用", "en": "Active"},
    "col_locked_until": {"zh": "锁定至", "en": "Locked until"},
    "col_last_login": {"zh": "最近登录", "en": "Last log-in"},
    "users_create_title": {"zh": "新建用户", "en": "Create a user"},
    "users_field_username": {"zh": "用户名", "en": "User name"},
    "users_field_username_help": {
        "zh": "3–32 个字符，只能使用小写字母、数字和 _ . -",
        "en": "3–32 characters: lower-case letters, digits and _ . - only",
    },
    "users_field_display_name": {"zh": "显示名称", "en": "Display name"},
    "users_field_password": {"zh": "初始密码", "en": "Initial password"},
    "users_field_new_password": {"zh": "新密码", "en": "New password"},
    "users_field_password_help": {
        "zh": "至少 10 个字符，须同时包含字母和数字。",
        "en": "At least 10 characters, with both letters and digits.",
    },
    "users_field_password_confirm": {"zh": "再次输入密码", "en": "Repeat the password"},
    "users_field_role": {"zh": "角色", "en": "Role"},
    "users_field_scope": {"zh": "机构范围", "en": "Scope unit"},
    "users_field_scope_help": {
        "zh": "用户只能查看该机构及其下级机构的数据（总行、省分行、盟市分行、支行或网点均可）。网点负责人必须指定；"
        "其他角色可选“（无）”，即查看全行。",
        "en": "The user sees only this unit and the units under it (a head office, province, city branch, "
        "sub-branch or outlet). A branch head must have one; for other roles “(none)” means the whole bank.",
    },
    "users_field_language": {"zh": "界面语言", "en": "Language"},
    "users_scope_none": {"zh": "（无：全行）", "en": "(none: the whole bank)"},
    "users_create_submit": {"zh": "创建用户", "en": "Create user"},
    "users_created": {"zh": "已创建用户 {username}。", "en": "User {username} has been created."},
    "users_actions_title": {"zh": "管理现有用户", "en": "Manage a user"},
    "users_select_user": {"zh": "选择用户", "en": "User"},
    "users_state_line": {
        "zh": "{role} · {scope} · {state}",
        "en": "{role} · {scope} · {state}",
    },
    "users_state_active": {"zh": "已启用", "en": "active"},
    "users_state_inactive": {"zh": "已停用", "en": "deactivated"},
    "users_tab_password": {"zh": "重置密码", "en": "Reset password"},
    "users_tab_role": {"zh": "角色与范围", "en": "Role and scope"},
    "users_tab_lock": {"zh": "解锁", "en": "Unlock"},
    "users_tab_active": {"zh": "停用 / 启用", "en": "Deactivate / reactivate"},
    "users_reset_submit": {"zh": "确认重置密码", "en": "Reset the password"},
    "users_password_reset_done": {
        "zh": "已重置 {username} 的密码，账号锁定已解除。",
        "en": "The password of {username} has been reset and the account unlocked.",
    },
    "users_role_submit": {"zh": "确认修改角色与范围", "en": "Change role and scope"},
    "users_role_changed": {
        "zh": "{username} 的角色已改为{role}。",
        "en": "{username} now has the role {role}.",
    },
    "users_own_role_changed": {
        "zh": "您已修改自己的角色，请重新登录。",
        "en": "You changed your own role. Please log in again.",
    },
    "users_lock_state_locked": {
        "zh": "该账号因连续 {failed} 次登录失败已锁定至 {until}。",
        "en": "This account is locked until {until} after {failed} failed log-ins in a row.",
    },
    "users_lock_state_unlocked": {
        "zh": "该账号未锁定（连续登录失败 {failed} 次）。",
        "en": "This account is not locked ({failed} failed log-ins in a row).",
    },
    "users_unlock_submit": {"zh": "确认解锁", "en": "Unlock the account"},
    "users_unlocked": {
        "zh": "已解锁 {username}，登录失败次数已清零。",
        "en": "{username} has been unlocked and the failed log-in count cleared.",
    },
    "users_deactivate_confirm": {
        "zh": "确认停用 {username}（停用后无法登录）",
        "en": "Yes, deactivate {username} (they can no longer log in)",
    },
    "users_deactivate_submit": {"zh": "停用账号", "en": "Deactivate the account"},
    "users_deactivated": {"zh": "已停用 {username}。", "en": "{username} has been deactivated."},
    "users_reactivate_note": {
        "zh": "该账号已停用，启用后可重新登录。",
        "en": "This account is deactivated; reactivating it lets the user log in again.",
    },
    "users_reactivate_submit": {"zh": "重新启用账号", "en": "Reactivate the account"},
    "users_reactivated": {"zh": "已重新启用 {username}。", "en": "{username} has been reactivated."},
    "users_err_not_admin": {
        "zh": "只有系统管理员可以管理用户。",
        "en": "Only an administrator may manage users.",
    },
    "users_err_username": {
        "zh": "用户名须为 3–32 个字符，只能使用小写字母、数字和 _ . -",
        "en": "A user name must be 3–32 characters of lower-case letters, digits and _ . - only.",
    },
    "users_err_duplicate": {"zh": "该用户名已存在。", "en": "This user name is already taken."},
    "users_err_admin_exists": {  # create-admin (command line) only creates the first administrator
        "zh": "已有启用的系统管理员：请由其在“用户管理”页面创建其他用户。",
        "en": "An active administrator exists already: they create further users on the Users page.",
    },
    "users_err_weak_password": {
        "zh": "密码太弱：至少 {min_length} 个字符，并须同时包含字母和数字。",
        "en": "The password is too weak: it needs at least {min_length} characters, with both letters and digits.",
    },
    "users_err_password_repetitive": {
        "zh": "密码太弱：至少须有 {min_distinct} 个不同的字符。",
        "en": "The password is too weak: it needs at least {min_distinct} different characters.",
    },
    "users_err_password_common": {
        "zh": "密码太常见（在常用密码表中，或只是常用词加数字），请换一个。",
        "en": "This password is too common (on the list of common passwords, or a common word with digits "
        "added). Please choose another.",
    },
    "users_err_password_has_username": {
        "zh": "密码不能包含用户名。",
        "en": "The password must not contain the user name.",
    },
    "users_err_password_too_long": {
        "zh": "密码太长：最多 {max_bytes} 字节。",
        "en": "The password is too long: at most {max_bytes} bytes.",
    },
    "users_err_password_mismatch": {
        "zh": "两次输入的密码不一致。",
        "en": "The two passwords do not match.",
    },
    "users_err_display_name": {
        "zh": "请填写显示名称（最多 {max_length} 个字符）。",
        "en": "Please enter a display name (at most {max_length} characters).",
    },
    "users_err_language": {"zh": "不支持该界面语言。", "en": "This language is not supported."},
    "users_err_role": {"zh": "未知角色。", "en": "Unknown role."},
    "users_err_scope_required": {
        "zh": "网点负责人必须指定机构范围。",
        "en": "A branch head needs a scope unit.",
    },
    "users_err_scope_unknown": {"zh": "所选机构不存在。", "en": "The chosen unit does not exist."},
    "users_err_unknown_user": {"zh": "该用户不存在。", "en": "This user does not exist."},
    "users_err_self_deactivate": {
        "zh": "不能停用自己的账号。",
        "en": "You cannot deactivate your own account.",
    },
    "users_err_last_admin": {
        "zh": "不能移除最后一个启用的系统管理员。",
        "en": "The last active administrator cannot be removed.",
    },
    "users_err_confirm_required": {
        "zh": "请先勾选确认框。",
        "en": "Please tick the confirmation box first.",
    },
    # Service: lobby load and counter staffing (pages/lobby.py, pages/staffing.py)
    "nav_section_service": {"zh": "厅堂服务", "en": "Service"},
    "page_lobby": {"zh": "厅堂客流", "en": "Lobby load"},
    "page_staffing": {"zh": "柜台排班", "en": "Counter staffing plan"},
    "weekday_0": {"zh": "周一", "en": "Mon"},
    "weekday_1": {"zh": "周二", "en": "Tue"},
    "weekday_2": {"zh": "周三", "en": "Wed"},
    "weekday_3": {"zh": "周四", "en": "Thu"},
    "weekday_4": {"zh": "周五", "en": "Fri"},
    "weekday_5": {"zh": "周六", "en": "Sat"},
    "weekday_6": {"zh": "周日", "en": "Sun"},
    "day_type_workday": {"zh": "工作日（周一至周五）", "en": "Workday (Mon–Fri)"},
    "day_type_weekend": {"zh": "周末", "en": "Weekend"},
    "col_outlet_name": {"zh": "网点", "en": "Outlet"},
    "lobby_title": {"zh": "厅堂客流与等候", "en": "Lobby load and waiting"},
    "lobby_caption": {
        "zh": "{unit} · {start} 至 {end} · {outlets} 个网点",
        "en": "{unit} · {start} to {end} · {outlets} outlet(s)",
    },
    "lobby_no_data": {
        "zh": "所选范围内没有厅堂客流数据（按小时的到店人数、开放柜台与等候时间）。",
        "en": "There is no lobby data (hourly arrivals, counters open and waits) in this scope.",
    },
    "lobby_period": {"zh": "统计期间", "en": "Period"},
    "lobby_period_all": {"zh": "全部数据", "en": "All data"},
    "lobby_period_weeks": {"zh": "最近 {weeks} 周", "en": "Last {weeks} weeks"},
    "lobby_outlet": {"zh": "网点", "en": "Outlet"},
    "lobby_all_outlets": {"zh": "全部网点（{count} 个）", "en": "All outlets ({count})"},
    "lobby_day_type": {"zh": "日期类型", "en": "Day type"},
    "lobby_invalid_rows": {
        "zh": "有 {rows} 条小时记录数据无效（到店人数、柜台数或等候时间为负，"
        "或办理时长缺失、不为正），已从所有统计中剔除。",
        "en": "{rows} hourly row(s) are invalid (negative arrivals, counters or waits, or a service time that is "
        "missing or not positive) and are left out of every figure.",
    },
    "lobby_metric_daily_arrivals": {"zh": "每网点日均到店客户", "en": "Customers per outlet-day"},
    "lobby_metric_mean_wait": {"zh": "平均等候时间", "en": "Mean wait"},
    "lobby_metric_p95_wait": {"zh": "95% 客户等候不超过", "en": "95th-percentile wait"},
    "lobby_metric_service": {"zh": "平均办理时长", "en": "Mean service time"},
    "lobby_metric_hours_over": {"zh": "等候超 {minutes} 分钟的小时", "en": "Hours over {minutes} min wait"},
    "lobby_heatmap_title": {"zh": "到店客流：星期 × 时段", "en": "Arrivals by weekday and hour"},
    "lobby_heatmap_chart": {"zh": "{subject}：平均每小时到店客户数", "en": "{subject}: mean arrivals per hour"},
    "lobby_all_outlets_together": {"zh": "{count} 个网点合计", "en": "{count} outlets together"},
    "lobby_series_service_fastest": {"zh": "最快网点", "en": "Fastest outlet"},
    "lobby_series_service_slowest": {"zh": "最慢网点", "en": "Slowest outlet"},
    "lobby_unit_customers_per_hour": {"zh": "客户/小时", "en": "customers/hour"},
    "lobby_arrivals_per_hour": {"zh": "到店客户/小时", "en": "Arrivals per hour"},
    "lobby_axis_hour": {"zh": "时段（开始时间）", "en": "Hour of day (start)"},
    "lobby_axis_weekday": {"zh": "星期", "en": "Weekday"},
    "lobby_axis_minutes": {"zh": "分钟", "en": "Minutes"},
    "lobby_axis_counters": {"zh": "柜台数", "en": "Counters"},
    "lobby_axis_outlet": {"zh": "网点", "en": "Outlet"},
    "lobby_missing_hours": {
        "zh": "有 {cells} 个星期×时段格的数据天数少于同一星期的其他时段（缺失小时），其平均值只按有数据的天数计算。",
        "en": "{cells} weekday × hour cell(s) have data for fewer days than other hours of the same weekday "
        "(missing hours); their averages use only the days with data.",
    },
    "lobby_wait_title": {"zh": "等候与办理时长", "en": "Waiting and service time"},
    "lobby_wait_chart": {"zh": "按时段的平均等候与 95% 分位等候", "en": "Mean and 95th-percentile wait by hour"},
    "lobby_series_mean_wait": {"zh": "平均等候（分钟）", "en": "Mean wait (min)"},
    "lobby_series_p95_wait": {"zh": "95% 分位等候（分钟）", "en": "95th-percentile wait (min)"},
    "lobby_threshold_line": {"zh": "{minutes} 分钟", "en": "{minutes} min"},
    "lobby_service_chart": {"zh": "按时段的平均办理时长", "en": "Mean service time by hour"},
    "lobby_series_service": {"zh": "平均办理时长（分钟）", "en": "Mean service time (min)"},
    "lobby_business_type_missing": {
        "zh": "尚未导入分业务类型的柜面办理时长（导入类型“分业务类型柜面办理时长”，来自排队叫号系统）。",
        "en": "Counter service time by business type has not been loaded yet (import kind 'Counter service time "
        "by business type', from the queue-ticket system).",
    },
    "lobby_business_type_chart": {"zh": "各类业务平均办理时长", "en": "Mean service time by business type"},
    "lobby_axis_business_type": {"zh": "业务类型", "en": "Business type"},
    "lobby_business_type_caption": {
        "zh": "柱高为平均办理时长（分钟）＝办理总时长÷笔数，柱上数字为该类业务占柜面笔数的比例；最近三个月。",
        "en": "Bar height: mean service time (minutes) = summed service time ÷ transactions; the label is the "
        "type's share of counter transactions; last three months.",
    },
    "business_type_cash": {"zh": "现金存取", "en": "Cash"},
    "business_type_transfer": {"zh": "转账汇款", "en": "Transfers"},
    "business_type_account_opening": {"zh": "开户销户", "en": "Account opening/closing"},
    "business_type_card": {"zh": "银行卡业务", "en": "Cards"},
    "business_type_wealth": {"zh": "理财保险销售", "en": "Wealth and insurance sales"},
    "business_type_loan": {"zh": "贷款业务", "en": "Loans"},
    "business_type_corporate": {"zh": "对公结算", "en": "Corporate settlement"},
    "business_type_other": {"zh": "其他", "en": "Other"},
    "lobby_counters_title": {"zh": "开放柜台与所需柜台", "en": "Counters open vs needed"},
    "lobby_counters_chart": {"zh": "按时段的开放柜台与所需柜台", "en": "Counters open and needed by hour"},
    "lobby_series_open": {"zh": "实际开放柜台（平均）", "en": "Counters open (average)"},
    "lobby_series_needed": {
        "zh": "所需柜台（{level}% 客户 {minutes} 分钟内办理）",
        "en": "Counters needed ({level}% served within {minutes} min)",
    },
    "lobby_series_installed": {"zh": "已配置柜台（厅堂容量）", "en": "Counters installed (lobby capacity)"},
    "lobby_target_unreachable": {
        "zh": "有 {cells} 个网点×时段即使开满已配置柜台也达不到目标，图中按已配置柜台数计入。",
        "en": "In {cells} outlet-hour(s) even all installed counters cannot meet the target; the chart counts "
        "them at the installed number.",
    },
    "lobby_counters_note": {
        "zh": "所需柜台按 Erlang C（M/M/c）排队模型计算，目标为 {level}% 的客户在 {minutes} 分钟内开始办理，"
        "输入为各网点该时段的平均到店人数与平均办理时长，并按网点汇总。",
        "en": "Counters needed come from the Erlang C (M/M/c) queueing model for a target of {level}% of customers "
        "reaching a counter within {minutes} minutes, from each outlet's mean arrivals and service time in the "
        "hour, summed over outlets.",
    },
    "lobby_staffing_link": {
        "zh": "其他目标与情景模拟见“柜台排班”页面。",
        "en": "Other targets and what-ifs are on the Counter staffing plan page.",
    },
    "lobby_no_day_type": {
        "zh": "所选期间内没有“{day_type}”的厅堂数据。",
        "en": "There is no lobby data for “{day_type}” in this period.",
    },
    "lobby_peers_title": {"zh": "同业网点对比", "en": "Peer outlets compared"},
    "lobby_peers_caption": {"zh": "{unit} 下的 {count} 个网点", "en": "{count} outlet(s) of {unit}"},
    "lobby_peers_scope_note": {
        "zh": "您的权限范围只有本网点，因此无法与其他网点对比。",
        "en": "Your scope is this outlet only, so there are no other outlets to compare with.",
    },
    "lobby_same_type": {"zh": "只比较同类型网点", "en": "Only outlets of the same type"},
    "lobby_peers_chart": {
        "zh": "各网点平均等候与 95% 分位等候（红色为所选网点）",
        "en": "Mean and 95th-percentile wait per outlet (selected outlet in red)",
    },
    "lobby_col_counters": {"zh": "已配置柜台", "en": "Counters installed"},
    "lobby_col_smart_machines": {"zh": "智能柜台机", "en": "Smart machines"},
    "lobby_col_daily_arrivals": {"zh": "日均到店客户", "en": "Customers per day"},
    "lobby_col_counters_open": {"zh": "平均开放柜台", "en": "Counters open (avg.)"},
    "lobby_col_service": {"zh": "平均办理时长", "en": "Mean service time"},
    "lobby_col_mean_wait": {"zh": "平均等候", "en": "Mean wait"},
    "lobby_col_p95_wait": {"zh": "95% 分位等候", "en": "95th-percentile wait"},
    "lobby_col_worst_hour": {"zh": "最长单小时平均等候", "en": "Worst hourly mean wait"},
    "lobby_col_hours_over": {"zh": "等候超 {minutes} 分钟小时占比", "en": "Hours over {minutes} min"},
    "lobby_col_when": {"zh": "星期与时段", "en": "Weekday and hour"},
    "lobby_col_arrivals": {"zh": "平均到店客户/小时", "en": "Arrivals per hour (avg.)"},
    "lobby_download_peers": {"zh": "下载网点对比（CSV）", "en": "Download the peer comparison (CSV)"},
    "lobby_download_heatmap": {"zh": "下载星期×时段客流（CSV）", "en": "Download arrivals by weekday and hour (CSV)"},
    "lobby_worst_title": {"zh": "{unit} 等候最长的时段", "en": "Worst hours in {unit}"},
    "lobby_worst_heatmap": {
        "zh": "{unit}：按星期与时段的平均等候（分钟）",
        "en": "{unit}: mean wait by weekday and hour (minutes)",
    },
    "lobby_worst_caption": {
        "zh": "平均等候最长的 {count} 个“网点×星期×时段”，平均等候按到店人数加权。",
        "en": "The {count} outlet × weekday × hour cells with the longest mean wait (weighted by arrivals).",
    },
    "lobby_how_computed": {
        "zh": "数据来自各网点按小时报送的厅堂记录（{start} 至 {end}）："
        "到店人数、开放柜台数、平均办理时长与平均等候时间，"
        "全部在数据库中按网点、星期（或工作日/周末）与时段汇总。平均等候与平均办理时长按到店人数加权；"
        "“每网点”数字为网点·日的平均；热力图为所选网点合计的每小时到店人数（按有数据的日期平均）。\n\n"
        "**95% 分位等候**不在数据中（只有每小时的平均值）：按 Erlang C 模型，某小时客户需要等候的概率为 C"
        "（由该小时的到店率、办理时长与开放柜台数算出），需等候者的等候时间服从指数分布，其均值按观察到的平均等候校准"
        "（平均等候 ÷ C）；多个时段或网点的分位数按到店人数加权的混合分布求得。"
        "客流超过柜台能力的时段没有稳态，同样按指数形状估算，可能高估长尾。\n\n"
        "**所需柜台**：Erlang C 模型下使 {level}% 客户在 {minutes} 分钟内开始办理的最少柜台数，不超过已配置柜台数。",
        "en": "The data are the outlets' hourly lobby records ({start} to {end}): arrivals, counters open, mean "
        "service time and mean wait, aggregated in the database by outlet, weekday (or workday/weekend) and hour. "
        "Mean waits and service times are weighted by arrivals; “per outlet” figures are averages per outlet-day; "
        "the heatmap shows the selected outlets' total arrivals per hour, averaged over the days with data."
        "\n\n**The 95th-percentile wait** is not in the data (only hourly means are): by the Erlang C model a "
        "customer of the hour waits with probability C (from the hour's arrival rate, service time and counters "
        "open), and those who wait wait an exponential time whose mean is calibrated to the observed mean wait "
        "(mean wait ÷ C); the percentile over several hours or outlets is that of their arrival-weighted mixture. "
        "Hours whose load exceeds their counters have no steady state; the same exponential shape is used there "
        "and may overstate the tail."
        "\n\n**Counters needed**: the fewest counters for which the Erlang C model serves {level}% of customers "
        "within {minutes} minutes, at most the counters installed.",
    },
    "lobby_missing_value_note": {"zh": "表示无数据或无法计算。", "en": "means no data or not computable."},
    "staffing_title": {"zh": "柜台排班方案", "en": "Counter staffing plan"},
    "staffing_outlet": {"zh": "网点", "en": "Outlet"},
    "staffing_caption": {
        "zh": "{outlet} · {day_type} · 依据 {start} 至 {end} 的数据 ·"
        " 已配置柜台 {counters} 个 · 智能柜台机 {machines} 台",
        "en": "{outlet} · {day_type} · from the data of {start} to {end} · {counters} counters installed · "
        "{machines} smart machines",
    },
    "staffing_target_kind": {"zh": "服务目标", "en": "Service target"},
    "staffing_target_level": {"zh": "在规定时间内办理的客户比例", "en": "Share served within a wait"},
    "staffing_target_mean_wait": {"zh": "平均等候时间上限", "en": "Maximum mean wait"},
    "staffing_level": {"zh": "客户比例（%）", "en": "Share of customers (%)"},
    "staffing_wait": {"zh": "等候不超过（分钟）", "en": "Within (minutes)"},
    "staffing_mean_wait": {"zh": "平均等候不超过（分钟）", "en": "Mean wait at most (minutes)"},
    "staffing_target_text_level": {
        "zh": "{level}% 的客户在 {minutes} 分钟内开始办理",
        "en": "{level}% of customers served within {minutes} min",
    },
    "staffing_target_text_mean": {"zh": "平均等候不超过 {minutes} 分钟", "en": "mean wait at most {minutes} min"},
    "staffing_what_if": {"zh": "情景模拟（假如……）", "en": "What if …"},
    "staffing_divert": {"zh": "智能柜台机分流的客户比例（%）", "en": "Customers diverted to smart machines (%)"},
    "staffing_divert_help": {
        "zh": "增加智能柜台机后，改到机器办理的简单业务客户占柜台客户的比例。",
        "en": "Share of counter customers whose simple transactions move to additional smart machines.",
    },
    "staffing_simple_minutes": {
        "zh": "被分流简单业务的柜台办理时长（分钟）",
        "en": "Counter time of a diverted simple transaction (min)",
    },
    "staffing_demand": {"zh": "客流变化（%）", "en": "Change in customers (%)"},
    "staffing_capacity": {"zh": "厅堂可容纳柜台数", "en": "Counters the lobby can hold"},
    "staffing_capacity_help": {
        "zh": "默认为已配置的现金与非现金柜台数；方案不会超过此数。",
        "en": "By default the cash and non-cash counters installed; the plan never exceeds it.",
    },
    "staffing_earlier": {"zh": "提前开门（小时）", "en": "Open earlier (hours)"},
    "staffing_later": {"zh": "推迟关门（小时）", "en": "Close later (hours)"},
    "staffing_lunch": {
        "zh": "午间（12:00–13:59）增加一名柜员",
        "en": "One more teller at lunch (12:00–13:59)",
    },
    "staffing_what_if_note": {
        "zh": "假设：分流的客户都是简单业务，其余客户的平均办理时长相应变长；延长营业的新增时段客流与相邻时段相同，"
        "全天客户总数不变（分摊到更多时段），柜台配置与相邻时段相同；午间增员只改变实际开放柜台数。",
        "en": "Assumptions: diverted customers are all simple transactions, so the remaining customers' mean "
        "service time rises; an added opening hour gets the arrival rate of the hour next to it while the day's "
        "customers stay the same (spread over more hours), and is staffed like that hour; a lunch teller only "
        "changes the counters actually open.",
    },
    "staffing_err_level_100": {
        "zh": "服务目标不能为 100%：客户随机到达，"
        "任何柜台数都无法保证所有客户都在规定时间内办理。请输入小于 100 的比例。",
        "en": "The target cannot be 100%: customers arrive at random, so no number of counters can guarantee that "
        "every customer is served within the wait. Enter a share below 100.",
    },
    "staffing_err_level_0": {
        "zh": "服务目标比例须大于 0%。",
        "en": "The share of customers must be above 0%.",
    },
    "staffing_err_mean_wait_0": {
        "zh": "平均等候上限须大于 0 分钟：平均等候为 0 需要无限多个柜台。",
        "en": "The maximum mean wait must be above 0 minutes: a mean wait of 0 would need infinitely many counters.",
    },
    "staffing_err_divert": {
        "zh": "无法按此情景计算：被分流业务的办理时长乘以分流比例已达到或超过某时段的平均办理时长（最短 {minutes}）。"
        "请降低分流比例或简单业务的办理时长。",
        "en": "This what-if cannot be computed: the diverted share times the simple transactions' counter time "
        "reaches or exceeds an hour's mean service time (shortest {minutes}). Lower the share or the simple "
        "transactions' time.",
    },
    "staffing_err_hours": {
        "zh": "延长后的营业时间超出了一天（0:00–24:00），请减少提前或推迟的小时数。",
        "en": "The longer opening would run outside the day (0:00–24:00); reduce the hours added.",
    },
    "staffing_missing_hours": {
        "zh": "以下时段没有数据：{hours}。排班表不含这些时段；仿真按相邻时段插值补齐。",
        "en": "No data for these hours: {hours}. The plan leaves them out; the simulation fills them by "
        "interpolating the neighbouring hours.",
    },
    "staffing_nobody_arrives": {
        "zh": "该日期类型没有客户到店，不需要开放柜台。",
        "en": "Nobody arrives on this day type, so no counters are needed.",
    },
    "staffing_unreachable": {
        "zh": "厅堂容量不足：在 {hours}，"
        "即使开满 {capacity} 个柜台也达不到目标（最多需要 {most} 个）；开满时最好能达到 {best}。"
        "方案中这些时段按 {capacity} 个柜台计。",
        "en": "The lobby is too small: at {hours} even all {capacity} counters cannot meet the target (up to {most} "
        "needed); the best they can do is {best}. The plan counts these hours at {capacity} counters.",
    },
    "staffing_overloaded": {"zh": "超负荷", "en": "overloaded"},
    "staffing_overloaded_note": {
        "zh": "“超负荷”或图中缺口表示该时段到店客流超过柜台处理能力，按稳态模型排队会无限增长。",
        "en": "“Overloaded” or a gap in the chart means arrivals exceed what the counters can serve in that hour: "
        "in the steady-state model the queue grows without bound.",
    },
    "staffing_metric_peak": {"zh": "高峰所需柜台", "en": "Peak counters needed"},
    "staffing_metric_counter_hours": {"zh": "方案柜台·小时", "en": "Counter-hours planned"},
    "staffing_metric_open_hours": {"zh": "实际开放柜台·小时", "en": "Counter-hours open now"},
    "staffing_metric_short": {"zh": "柜台不足时段", "en": "Hours understaffed"},
    "staffing_metric_over": {"zh": "柜台富余时段", "en": "Hours overstaffed"},
    "staffing_series_needed": {"zh": "所需柜台（Erlang C）", "en": "Counters needed (Erlang C)"},
    "staffing_series_capacity": {"zh": "厅堂可容纳柜台", "en": "Counters the lobby can hold"},
    "staffing_counters_chart": {"zh": "按时段的所需柜台与实际开放柜台", "en": "Counters needed vs open by hour"},
    "staffing_series_formula_overloaded": {
        "zh": "公式：超负荷（等候无限增长）",
        "en": "Formula: overloaded (wait grows without bound)",
    },
    "staffing_axis_level": {"zh": "达标客户比例（%）", "en": "Customers within target (%)"},
    "staffing_series_with_plan": {"zh": "按方案排班", "en": "With the plan"},
    "staffing_series_with_open": {"zh": "按实际开放柜台", "en": "With counters open now"},
    "staffing_quality_chart_level": {
        "zh": "按时段的达标客户比例（Erlang C）",
        "en": "Share of customers within the target by hour (Erlang C)",
    },
    "staffing_quality_chart_wait": {
        "zh": "按时段的平均等候（Erlang C，分钟）",
        "en": "Mean wait by hour (Erlang C, minutes)",
    },
    "staffing_plan_title": {"zh": "排班表", "en": "The plan"},
    "staffing_plan_header": {
        "zh": "**{outlet}** · {day_type} · 目标：{target} · 依据 {start} 至 {end} 的数据",
        "en": "**{outlet}** · {day_type} · target: {target} · from the data of {start} to {end}",
    },
    "staffing_col_hour": {"zh": "时段", "en": "Hour"},
    "staffing_col_arrivals": {"zh": "平均到店客户", "en": "Arrivals (avg.)"},
    "staffing_col_service": {"zh": "平均办理时长", "en": "Mean service time"},
    "staffing_col_needed": {"zh": "所需柜台", "en": "Counters needed"},
    "staffing_col_open": {"zh": "实际开放柜台", "en": "Counters open now"},
    "staffing_col_change": {"zh": "方案增减", "en": "Change"},
    "staffing_col_level_plan": {"zh": "按方案达标比例", "en": "Within target with the plan"},
    "staffing_col_level_open": {"zh": "按实际达标比例", "en": "Within target now"},
    "staffing_col_wait_plan": {"zh": "按方案平均等候", "en": "Mean wait with the plan"},
    "staffing_col_wait_open": {"zh": "按实际平均等候", "en": "Mean wait now"},
    "staffing_col_unreachable": {"zh": "容量不足的时段数", "en": "Hours beyond capacity"},
    "staffing_over_capacity": {"zh": "超出容量", "en": "over capacity"},
    "staffing_added_hour": {"zh": "新增时段", "en": "added hour"},
    "staffing_print_note": {
        "zh": "打印：使用浏览器的“打印”功能（Ctrl+P）即可打印本页的排班表；也可下载 CSV 用 Excel 打开。",
        "en": "To print, use the browser's Print (Ctrl+P) on this page, or download the CSV and open it in Excel.",
    },
    "staffing_download_plan": {"zh": "下载排班表（CSV）", "en": "Download the plan (CSV)"},
    "staffing_sim_title": {"zh": "仿真验证（离散事件仿真）", "en": "Checked by simulation (discrete-event)"},
    "staffing_sim_counters": {"zh": "仿真使用的柜台数", "en": "Counters in the simulation"},
    "staffing_sim_counters_planned": {"zh": "按方案", "en": "The plan"},
    "staffing_sim_counters_open": {"zh": "按实际开放", "en": "Counters open now"},
    "staffing_sim_replications": {"zh": "仿真天数（重复次数）", "en": "Simulated days (replications)"},
    "staffing_sim_abandon": {"zh": "客户等不及会离开", "en": "Customers may give up"},
    "staffing_sim_patience": {"zh": "平均耐心（分钟）", "en": "Mean patience (minutes)"},
    "staffing_sim_cv": {"zh": "办理时长变异系数", "en": "Service time variability (CV)"},
    "staffing_sim_cv_help": {
        "zh": "1 为指数分布（与 Erlang C 假设相同）；小于 1 表示办理时长更稳定。",
        "en": "1 is exponential (as Erlang C assumes); below 1 means more regular service times.",
    },
    "staffing_sim_running": {"zh": "正在仿真…", "en": "Simulating…"},
    "staffing_sim_no_counters": {
        "zh": "没有开放的柜台，无法仿真：请提高厅堂可容纳柜台数或选择“按方案”。",
        "en": "No counters are open, so there is nothing to simulate: raise the lobby's counters or simulate the plan.",
    },
    "staffing_sim_last_hour": {
        "zh": "最后一个时段没有柜台但仍有客户在排队：仿真中该时段按 1 个柜台计，以便服务完已在厅堂的客户。",
        "en": "The last hour has no counter but customers may still be queuing: the simulation opens one so that "
        "those already in the lobby are served.",
    },
    "staffing_sim_failed": {
        "zh": "这些输入无法仿真。",
        "en": "These inputs cannot be simulated.",
    },
    "staffing_sim_formula_wait": {"zh": "平均等候（Erlang C 公式）", "en": "Mean wait (Erlang C formula)"},
    "staffing_sim_sim_wait": {"zh": "平均等候（仿真）", "en": "Mean wait (simulation)"},
    "staffing_sim_ci": {
        "zh": "95% 置信区间：{low} – {high}（±{half}，{replications} 个仿真日）",
        "en": "95% confidence interval: {low} – {high} (±{half}, {replications} simulated days)",
    },
    "staffing_sim_ci_help": {
        "zh": "基于 {replications} 个独立仿真日的平均等候 t 区间。",
        "en": "t-interval over {replications} independent simulated days.",
    },
    "staffing_sim_formula_share": {"zh": "{minutes} 分钟内办理（公式）", "en": "Within {minutes} min (formula)"},
    "staffing_sim_sim_share": {"zh": "{minutes} 分钟内办理（仿真）", "en": "Within {minutes} min (simulation)"},
    "staffing_series_formula": {"zh": "Erlang C 平均等候", "en": "Erlang C mean wait"},
    "staffing_series_simulated": {"zh": "仿真平均等候", "en": "Simulated mean wait"},
    "staffing_series_simulated_p95": {"zh": "仿真 95% 分位等候", "en": "Simulated 95th-percentile wait"},
    "staffing_sim_chart": {
        "zh": "按时段的等候：公式与仿真（柜台：{counters}）",
        "en": "Wait by hour: formula and simulation (counters: {counters})",
    },
    "staffing_reason_agree": {
        "zh": "公式的全天平均等候落在仿真的 95% 置信区间内：两者一致。",
        "en": "The formula's day-level mean wait lies inside the simulation's 95% confidence interval: they agree.",
    },
    "staffing_reason_sim_higher": {
        "zh": "仿真的平均等候高于公式（公式值在置信区间之外）。",
        "en": "The simulation waits longer than the formula (the formula lies outside the confidence interval).",
    },
    "staffing_reason_sim_lower": {
        "zh": "仿真的平均等候低于公式（公式值在置信区间之外）。",
        "en": "The simulation waits less than the formula (the formula lies outside the confidence interval).",
    },
    "staffing_reason_unstable": {
        "zh": "至少一个时段客流超过柜台能力，公式（稳态）给出无限长等候；"
        "仿真中一天是有限的，排队在关门后被服务完，因此等候有限但很长。",
        "en": "In at least one hour arrivals exceed what the counters can serve, so the steady-state formula gives "
        "an infinite wait; in the simulation the day is finite and the queue is served after closing, so waits "
        "are finite but long.",
    },
    "staffing_reason_non_stationary": {
        "zh": "客流随时段变化、柜台数在整点变化："
        "公式把每小时当作独立的稳态，而仿真中高峰时段积压的队伍会延续到下一时段。",
        "en": "Arrivals change by the hour and counters change on the hour: the formula treats each hour as its own "
        "steady state, while in the simulation a queue built up in a busy hour carries over into the next.",
    },
    "staffing_reason_empty_start": {
        "zh": "仿真中厅堂开门时没有人排队，第一个时段的等候通常比稳态公式短。",
        "en": "The simulated lobby opens empty, so the first hour usually waits less than the steady-state formula.",
    },
    "staffing_reason_abandonment": {
        "zh": "仿真中有 {share} 的客户等不及离开：留下的客户等候更短，但这些客户没有得到服务。",
        "en": "{share} of simulated customers gave up: those who stay wait less, but these customers were not served.",
    },
    "staffing_reason_cv_low": {
        "zh": "办理时长变异系数为 {cv}，比公式假设的指数分布更稳定，排队更短。",
        "en": "Service times with a CV of {cv} are more regular than the formula's exponential assumption, so "
        "queues are shorter.",
    },
    "staffing_reason_cv_high": {
        "zh": "办理时长变异系数为 {cv}，比公式假设的指数分布更分散，排队更长。",
        "en": "Service times with a CV of {cv} vary more than the formula's exponential assumption, so queues are "
        "longer.",
    },
    "staffing_sim_timing": {
        "zh": "仿真 {replications} 个营业日用时 {seconds} 秒（相同输入的结果会被缓存）。",
        "en": "{replications} simulated days took {seconds} s (results for the same inputs are cached).",
    },
    "staffing_all_title": {"zh": "{unit} 全部网点的排班方案", "en": "Plan for every outlet of {unit}"},
    "staffing_all_caption": {
        "zh": "{outlets} 个网点、{cells} 个“网点×日期类型×时段”，目标：{target}；计算用时 {milliseconds} 毫秒。"
        "厅堂容量按各网点已配置柜台计，不含上方的情景模拟。",
        "en": "{outlets} outlet(s), {cells} outlet × day type × hour cells, target: {target}; computed in "
        "{milliseconds} ms. Capacity is each outlet's installed counters; the what-ifs above are not applied.",
    },
    "staffing_download_all": {"zh": "下载全部网点逐时段方案（CSV）", "en": "Download every outlet's hourly plan (CSV)"},
    "staffing_how_computed": {
        "zh": "**输入**：所选期间内该网点同一日期类型各时段的平均到店人数、按到店人数加权的平均办理时长与平均开放柜台数"
        "（数据库中汇总）。\n\n"
        "**所需柜台**：把每个时段看作稳态的 M/M/c 排队（泊松到达、指数办理时长、一个队列、c 个柜台），"
        "按 Erlang C 公式求满足目标的最少柜台数；若超过厅堂可容纳柜台数，则标为容量不足，方案按容量计。\n\n"
        "**仿真**：对同一网点的一天做离散事件仿真：各时段泊松到达、开门时厅堂为空、柜台在整点增减、可选客户放弃与"
        "非指数办理时长；重复多个独立营业日，给出全天平均等候的 95% 置信区间。\n\n"
        "**情景**：午间增员指 {lunch} 时段；其他假设见情景模拟说明。",
        "en": "**Inputs**: for the outlet and day type, each hour's mean arrivals, arrival-weighted mean service "
        "time and mean counters open over the period (aggregated in the database).\n\n"
        "**Counters needed**: each hour is taken as a steady-state M/M/c queue (Poisson arrivals, exponential "
        "service, one queue, c counters) and the Erlang C formula gives the fewest counters meeting the target; "
        "more than the lobby can hold is flagged and the plan uses the capacity.\n\n"
        "**Simulation**: a discrete-event simulation of one day of the same outlet, with Poisson arrivals by "
        "hour, a lobby that opens empty, counters changing on the hour, and optionally customers who give up and "
        "non-exponential service; repeated over independent days for a 95% confidence interval of the mean "
        "wait.\n\n**What-ifs**: the lunch teller covers {lunch}; the other assumptions are under the what-ifs.",
    },
}

# The import pipeline's messages and its page keep their texts beside the pipeline's keys.
TEXTS.update(IMPORT_TEXTS)
TEXTS.update(IMPORT_PAGE_TEXTS)
# Each area's pages keep their strings in their own module; a key may be defined only once.
for _area in (
    audit_texts,
    help_texts,
    performance_texts,
    comparison_texts,
    customer_texts,
    customer_care_texts,
    market_texts,
    organisation_texts,
    registry_texts,
    service_texts,
    reconciliation_texts,
    sso_texts,
):
    _twice = set(_area.TEXTS) & set(TEXTS)
    if _twice:
        raise ValueError(f"translation keys defined twice: {sorted(_twice)}")
    TEXTS.update(_area.TEXTS)

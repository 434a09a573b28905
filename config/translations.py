"""Every user-facing string, in Chinese (zh) and English (en). ``ui.i18n.t(key)`` looks them up.

A test checks that every key has both languages and that every key used in the code exists.
"""

from __future__ import annotations

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
    "db_how_to_fix": {
        "zh": "管理员可运行 `make demo` 生成演示数据，或运行 `alembic upgrade head` 后导入本行数据。",
        "en": "An administrator can run `make demo` to build the demo data, or `alembic upgrade head` and "
        "then import the bank's own data.",
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
    "login_failed": {"zh": "用户名或密码错误。", "en": "The user name or password is incorrect."},
    "login_locked": {
        "zh": "连续登录失败次数过多，账号已锁定至 {until}。请稍后再试或联系管理员。",
        "en": "Too many failed attempts: this account is locked until {until}. Try again later or ask an "
        "administrator.",
    },
    "login_inactive": {
        "zh": "该账号已停用，请联系管理员。",
        "en": "This account is disabled. Please ask an administrator.",
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
    "level_region": {"zh": "区分行", "en": "Region"},
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
    "users_field_scope": {"zh": "机构范围（仅网点负责人）", "en": "Scope unit (branch heads only)"},
    "users_field_scope_help": {
        "zh": "网点负责人必须指定一个支行或网点；其他角色不设机构范围（可查看全辖）。",
        "en": "A branch head must be given a sub-branch or an outlet; other roles have no scope unit (they see "
        "the whole region).",
    },
    "users_field_language": {"zh": "界面语言", "en": "Language"},
    "users_scope_none": {"zh": "（无）", "en": "(none)"},
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
    "users_err_weak_password": {
        "zh": "密码太弱：至少 {min_length} 个字符，并须同时包含字母和数字。",
        "en": "The password is too weak: it needs at least {min_length} characters, with both letters and digits.",
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
        "zh": "网点负责人必须指定机构范围（支行或网点）。",
        "en": "A branch head needs a scope unit (a sub-branch or an outlet).",
    },
    "users_err_scope_level": {
        "zh": "网点负责人的机构范围只能是支行或网点。",
        "en": "A branch head's scope unit must be a sub-branch or an outlet.",
    },
    "users_err_scope_unknown": {"zh": "所选机构不存在。", "en": "The chosen unit does not exist."},
    "users_err_scope_not_for_role": {
        "zh": "只有网点负责人可以指定机构范围；其他角色请选择“（无）”。",
        "en": "Only branch heads have a scope unit; choose “(none)” for other roles.",
    },
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
}

# The import pipeline's messages and its page keep their texts beside the pipeline's keys.
TEXTS.update(IMPORT_TEXTS)
TEXTS.update(IMPORT_PAGE_TEXTS)

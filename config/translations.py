"""Every user-facing string, in Chinese (zh) and English (en). ``ui.i18n.t(key)`` looks them up.

A test checks that every key has both languages and that every key used in the code exists.
"""

from __future__ import annotations

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
}

"""Texts of the Help page (帮助): its title and section, its notes, and one line per page of the
app saying what the page is for (``help_page_<page name>``, shown in the Help page's table of
the user's pages; a test checks that every page of ``config.pages.PAGES`` has one)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "nav_section_help": {"zh": "帮助", "en": "Help"},
    "page_help": {"zh": "帮助", "en": "Help"},
    "help_intro": {
        "zh": "用户指南（离线）：先看“入门”和您角色的指南，再看您使用的页面的说明。",
        "en": "The user guide, offline: start with Getting started and the guide for your role, then read "
        "about the pages you use.",
    },
    "help_section": {"zh": "章节", "en": "Section"},
    "help_english_only": {
        "zh": "本章节目前只有英文版，以下为英文原文。",
        "en": "This section is in English only.",
    },
    "help_missing": {
        "zh": "找不到用户指南文件（docs/user-guide）。请管理员检查安装是否完整。",
        "en": "The user guide files (docs/user-guide) are missing. Ask an administrator to check the installation.",
    },
    "help_your_pages": {"zh": "您可以使用的页面", "en": "Your pages"},
    "help_col_section": {"zh": "菜单分组", "en": "Menu section"},
    "help_col_page": {"zh": "页面", "en": "Page"},
    "help_col_purpose": {"zh": "用途", "en": "What it is for"},
    # What each page is for, one line (config/pages.py names).
    "help_page_overview": {
        "zh": "全部网点的地图和所选机构的主要指标",
        "en": "Every outlet on a map and the headline figures of the chosen unit",
    },
    "help_page_registry": {
        "zh": "网点主数据、位置、生命周期（新设、迁址、装修、合并、关闭）和变更记录",
        "en": "Outlets' master data, location, lifecycle (open, relocate, renovate, merge, close) and change log",
    },
    "help_page_costs": {
        "zh": "建设成本、租金和运营成本，每户成本与成本收入比",
        "en": "Build, rent and running costs, cost per active customer and the cost-income ratio",
    },
    "help_page_my_outlet": {
        "zh": "本网点的目标完成情况、同类排名、最大差距及其背后的产品和客户、预警",
        "en": "Your outlet against its targets, its rank among peers, the biggest gaps and what is behind them, "
        "its alerts",
    },
    "help_page_kpi_explorer": {
        "zh": "任一指标按期间与上期、去年同期和目标对比，逐级下钻",
        "en": "Any metric over a period against the previous one, last year and the target, with drill-down",
    },
    "help_page_alerts": {
        "zh": "偏离目标、指标骤降、等候过长、投诉激增的预警及其处理",
        "en": "Alerts for off-target figures, sudden drops, long waits and complaint spikes, and their follow-up",
    },
    "help_page_lobby": {
        "zh": "按星期和时段的客流、等候时长、业务办理时长和所需柜台",
        "en": "Arrivals, waits, service times and counters needed by weekday and hour",
    },
    "help_page_staffing": {
        "zh": "按等候时间目标计算每小时所需柜台数，含情景模拟和仿真",
        "en": "Counters needed per hour for a waiting-time target, with what-ifs and a simulation",
    },
    "help_page_channel_diversion": {
        "zh": "电子渠道分流率（口径可选）、目标及智能机具可分流的柜面业务",
        "en": "The e-channel diversion rate under a chosen definition, its target and the counter work machines "
        "could take",
    },
    "help_page_service_quality": {
        "zh": "6S 现场检查和神秘客户得分、失分项目及投诉",
        "en": "6S inspection and mystery-shopper scores, the items that lost points, complaints",
    },
    "help_page_rankings": {
        "zh": "任一指标的排行榜及名次变化，网点之间的 PK 对比",
        "en": "League tables of any metric with movement, and head-to-head contests between outlets",
    },
    "help_page_peer_groups": {
        "zh": "同类网点对标、百分位，以及按市场潜力和份额的 A/B/C/D 分类",
        "en": "Peers, percentiles among them, and the A/B/C/D classes by market potential and share",
    },
    "help_page_efficiency": {
        "zh": "DEA 效率得分、参照网点和达到前沿所需的改进",
        "en": "DEA efficiency scores, reference peers and what it takes to reach the frontier",
    },
    "help_page_bulletin": {
        "zh": "一键生成月度经营简报（A4 PDF 和 Excel）",
        "en": "The monthly results bulletin in one click (A4 PDF and Excel)",
    },
    "help_page_market_map": {
        "zh": "需求网格、本行与他行网点、商圈和市场份额地图",
        "en": "The demand grid, our and other banks' outlets, trade areas and market share on a map",
    },
    "help_page_huff_model": {
        "zh": "根据客户居住地拟合 Huff 模型的距离衰减和吸引力参数",
        "en": "Fit the Huff model's distance decay and attractiveness on where customers live",
    },
    "help_page_candidates": {
        "zh": "按加权指标和 Huff 评估为候选网点位置评分，含回收期和净现值",
        "en": "Score candidate sites by weighted criteria and the Huff evaluation, with payback and NPV",
    },
    "help_page_scenarios": {
        "zh": "新设、迁址、合并或关闭网点前后的对比，保存和比较情景",
        "en": "Open, relocate, merge or close outlets and compare before and after; save and compare scenarios",
    },
    "help_page_optimisation": {
        "zh": "按覆盖、p-中位或可获取需求选出最佳新网点位置",
        "en": "Choose the best new sites by covering, p-median or captured demand",
    },
    "help_page_customer_structure": {
        "zh": "客户星级分层、层级迁移和资产集中度",
        "en": "Customers by value tier, tier migration and concentration of assets",
    },
    "help_page_segments": {
        "zh": "RFM 评分和按行为的客户细分，含各细分的特征和分布地图",
        "en": "RFM scores and behavioural segments with their profiles and where they live",
    },
    "help_page_lifetime_value": {
        "zh": "客户存活概率、预期交易和客户终身价值，以及模型检验",
        "en": "Probability alive, expected transactions and lifetime value of customers, with a model check",
    },
    "help_page_action_lists": {
        "zh": "流失、开拓、储备、维护四类客户名单，导出并记录联系结果",
        "en": "Churn, development, reserve and maintenance lists of customers to call, export and outcomes",
    },
    "help_page_next_product": {
        "zh": "向哪些客户推荐哪些产品及原因，各网点的潜力",
        "en": "Which product to offer to whom and why, and each outlet's untapped potential",
    },
    "help_page_customer_360": {
        "zh": "查找客户，查看其产品、余额、交易、投诉和联系记录",
        "en": "Find a customer and see their holdings, balances, transactions, complaints and contacts",
    },
    "help_page_complaints": {
        "zh": "投诉处理情况和超时，以及今日客户关怀提醒",
        "en": "The complaint log with ageing and overdue cases, and today's care reminders",
    },
    "help_page_data_import": {
        "zh": "上传本行数据文件，检查错误，确认或删除批次",
        "en": "Upload the bank's files, read the row errors, confirm or delete batches",
    },
    "help_page_data_quality": {
        "zh": "缺少文件的月份和网点、空字段、没有账户的客户",
        "en": "Months and outlets without a file, empty columns, customers without accounts",
    },
    "help_page_reconciliation": {
        "zh": "指标导入与账户明细的核对，以及明细完整性",
        "en": "The KPI import against the account extracts, and extract completeness",
    },
    "help_page_users": {
        "zh": "新建用户、重置密码、设置角色和机构范围、停用",
        "en": "Create users, reset passwords, set role and scope, deactivate",
    },
    "help_page_audit_log": {
        "zh": "登录、导入、修改和客户数据查看的审计记录，可筛选和下载",
        "en": "The audit trail of log-ins, imports, changes and customer views, filtered and downloaded",
    },
    "help_page_help": {
        "zh": "本用户指南",
        "en": "This user guide",
    },
}

"""User-facing strings of the customer-care pages, zh and en; merged into the translation table.

Prefixes: ``act_`` action lists, ``nbp_`` next best product, ``c360_`` customer 360, ``care_``
complaints and care (and labels the four pages share).
"""

from __future__ import annotations

from config.codes import CHANNELS, PRODUCT_FAMILIES

_FAMILIES = {
    "demand_deposit": ("活期存款", "Demand deposit"),
    "time_deposit": ("定期存款", "Time deposit"),
    "personal_loan": ("个人贷款", "Personal loan"),
    "corporate_loan": ("公司贷款", "Corporate loan"),
    "wealth": ("理财", "Wealth management"),
    "insurance": ("保险", "Insurance"),
    "fund": ("基金", "Funds"),
    "gold": ("贵金属", "Precious metals"),
    "card": ("银行卡", "Cards"),
    "e_banking": ("电子银行", "E-banking"),
}
_CHANNELS = {
    "counter": ("柜面", "Counter"),
    "smart_machine": ("智能柜台", "Smart machine"),
    "atm": ("ATM", "ATM"),
    "mobile": ("手机银行", "Mobile banking"),
    "online": ("网上银行", "Online banking"),
}
assert set(_FAMILIES) == set(PRODUCT_FAMILIES) and set(_CHANNELS) == set(CHANNELS)

TEXTS: dict[str, dict[str, str]] = {
    # Navigation and pages
    "act_page": {"zh": "客户行动名单", "en": "Action lists"},
    "nbp_page": {"zh": "产品推荐", "en": "Next best product"},
    "c360_page": {"zh": "客户全景视图", "en": "Customer 360"},
    "care_page": {"zh": "投诉与客户关怀", "en": "Complaints and care"},
    # Shared labels
    **{f"care_family_{code}": {"zh": zh, "en": en} for code, (zh, en) in _FAMILIES.items()},
    **{f"care_channel_{code}": {"zh": zh, "en": en} for code, (zh, en) in _CHANNELS.items()},
    "care_nbp_reason": {
        "zh": "同为{tier}的同类客户中有 {share} 持有{product}。",
        "en": "{share} of similar customers in tier {tier} hold {product}.",
    },
    "care_nbp_reason_lookalike": {
        "zh": "客户特征与{product}的持有客户相近（模型倾向度 {propensity}）。",
        "en": "Resembles the customers who hold {product} (model propensity {propensity}).",
    },
    # ---------------------------------------------------------------- customer 360
    "c360_title": {"zh": "客户全景视图", "en": "Customer 360"},
    "c360_caption": {
        "zh": "{unit}：按客户号或姓名查找客户，查看持有产品、余额"
        "与层级变化、渠道交易、存活概率、推荐产品、投诉与联系记录。",
        "en": "{unit}: find a customer by customer number or name and see holdings, balance and tier history, "
        "transactions by channel, probability alive, next best products, complaints and contacts.",
    },
    "c360_masked_note": {
        "zh": "您的角色不能查看客户个人信息：姓名只显示首字，电话、地址、出生年份、出生日期和客户经理不显示；"
        "姓名只能按首字查找。",
        "en": "Your role may not see personal data: names show their first character only; phone, address, "
        "birth year, birth date and relationship manager are hidden, and names can be searched by their first "
        "character only.",
    },
    "c360_search": {"zh": "查找客户", "en": "Find a customer"},
    "c360_search_placeholder": {
        "zh": "客户号开头（如 P00001）或姓名",
        "en": "Start of the customer number (e.g. P00001) or a name",
    },
    "c360_key_only": {"zh": "只看重点客户/重点企业", "en": "Key customers and enterprises only"},
    "c360_no_match": {
        "zh": "本机构范围内没有符合条件的客户。",
        "en": "No customer of this unit matches.",
    },
    "c360_results_caption": {
        "zh": "共 {count} 位客户（最多显示 {limit} 位；重点客户在前，再按资产排序）。",
        "en": "{count} customers (at most {limit} shown; key customers first, then by assets).",
    },
    "c360_customer": {"zh": "客户", "en": "Customer"},
    "c360_col_customer_no": {"zh": "客户号", "en": "Customer no."},
    "c360_col_name": {"zh": "姓名/名称", "en": "Name"},
    "c360_col_kind": {"zh": "类型", "en": "Type"},
    "c360_col_flags": {"zh": "标识", "en": "Flags"},
    "c360_col_outlet": {"zh": "归属网点", "en": "Home outlet"},
    "c360_col_aum": {"zh": "金融资产（AUM）", "en": "Assets (AUM)"},
    "c360_kind_personal": {"zh": "个人", "en": "Personal"},
    "c360_kind_corporate": {"zh": "对公", "en": "Corporate"},
    "c360_flag_key": {"zh": "重点客户", "en": "Key customer"},
    "c360_flag_key_enterprise": {"zh": "重点企业", "en": "Key enterprise"},
    "c360_flag_big": {"zh": "大客户", "en": "Big customer"},
    "c360_models_running": {
        "zh": "正在计算存活概率和推荐产品…",
        "en": "Computing probability alive and next products…",
    },
    "c360_metric_aum": {"zh": "金融资产", "en": "Assets (AUM)"},
    "c360_metric_deposits": {"zh": "存款", "en": "Deposits"},
    "c360_metric_loans": {"zh": "贷款", "en": "Loans"},
    "c360_metric_products": {"zh": "持有产品数", "en": "Products held"},
    "c360_metric_tier": {"zh": "客户层级", "en": "Tier"},
    "c360_metric_p_alive": {"zh": "存活概率", "en": "Probability alive"},
    "c360_p_alive_missing": {
        "zh": "该网点只有 {customers} 位有交易的客户，不足以拟合 BG/NBD 模型，存活概率暂不显示。",
        "en": "The outlet has only {customers} customers with transactions: too few to fit the BG/NBD model, so "
        "no probability alive is shown.",
    },
    "c360_p_alive_no_transactions": {
        "zh": "该客户在数据期内没有交易，模型无法估计其存活概率。",
        "en": "This customer has no transactions in the data, so the model cannot estimate a probability alive.",
    },
    "c360_col_fact": {"zh": "项目", "en": "Item"},
    "c360_col_value": {"zh": "内容", "en": "Value"},
    "c360_fact_kind": {"zh": "客户类型", "en": "Customer type"},
    "c360_fact_outlet": {"zh": "归属网点", "en": "Home outlet"},
    "c360_fact_manager": {"zh": "客户经理", "en": "Relationship manager"},
    "c360_fact_phone": {"zh": "电话（脱敏）", "en": "Phone (masked)"},
    "c360_fact_address": {"zh": "地址", "en": "Address"},
    "c360_fact_age": {"zh": "年龄", "en": "Age"},
    "c360_fact_birth_date": {"zh": "出生日期", "en": "Birth date"},
    "c360_fact_industry": {"zh": "行业", "en": "Industry"},
    "c360_industry_trade": {"zh": "批发零售", "en": "Trade"},
    "c360_industry_construction": {"zh": "建筑业", "en": "Construction"},
    "c360_industry_energy": {"zh": "能源", "en": "Energy"},
    "c360_industry_dairy_food": {"zh": "乳业食品", "en": "Dairy and food"},
    "c360_industry_logistics": {"zh": "交通物流", "en": "Logistics"},
    "c360_industry_technology": {"zh": "信息技术", "en": "Technology"},
    "c360_axis_balance": {"zh": "余额", "en": "Balance"},
    "c360_fact_opened": {"zh": "开户日期", "en": "Customer since"},
    "c360_fact_tenure": {"zh": "客户年限（年）", "en": "Tenure (years)"},
    "c360_fact_segment": {"zh": "RFM 客群", "en": "RFM segment"},
    "c360_holdings_title": {"zh": "持有产品", "en": "Holdings"},
    "c360_no_holdings": {"zh": "该客户目前没有持有产品。", "en": "This customer holds no products."},
    "c360_col_product": {"zh": "产品", "en": "Product"},
    "c360_col_family": {"zh": "产品类别", "en": "Family"},
    "c360_col_balance": {"zh": "余额", "en": "Balance"},
    "c360_col_opened": {"zh": "开立日期", "en": "Opened"},
    "c360_col_matures": {"zh": "到期日", "en": "Matures"},
    "c360_no_balances": {"zh": "没有月末余额记录。", "en": "No month-end balances recorded."},
    "c360_balance_chart": {"zh": "月末余额（元）", "en": "Month-end balances (RMB)"},
    "c360_series_aum": {"zh": "金融资产", "en": "Assets (AUM)"},
    "c360_series_deposits": {"zh": "存款", "en": "Deposits"},
    "c360_series_loans": {"zh": "贷款", "en": "Loans"},
    "c360_series_tier": {"zh": "层级", "en": "Tier"},
    "c360_axis_month": {"zh": "月份", "en": "Month"},
    "c360_axis_rmb": {"zh": "金额（元）", "en": "Amount (RMB)"},
    "c360_axis_tier": {"zh": "客户层级", "en": "Tier"},
    "c360_axis_transactions": {"zh": "交易笔数", "en": "Transactions"},
    "c360_tier_chart": {
        "zh": "客户层级变化（升级即时，降级需连续三个月）",
        "en": "Tier history (up at once, down after 3 months)",
    },
    "c360_tier_note": {
        "zh": "层级按月末金融资产划分，升级立即生效，连续三个月低于门槛才降级。",
        "en": "Tiers follow month-end assets: a customer moves up at once and down only after three months in a "
        "row below the threshold.",
    },
    "c360_channels_title": {"zh": "各渠道交易", "en": "Transactions by channel"},
    "c360_no_transactions": {"zh": "数据期内没有交易。", "en": "No transactions in the data."},
    "c360_channel_chart": {"zh": "每月各渠道交易笔数", "en": "Transactions per month by channel"},
    "c360_e_share": {
        "zh": "电子渠道占比 {share}（共 {transactions} 笔交易）。",
        "en": "E-channel share {share} ({transactions} transactions in all).",
    },
    "c360_nbp_title": {"zh": "推荐产品", "en": "Next best products"},
    "c360_nbp_none": {
        "zh": "没有可推荐的产品（已持有全部适合的产品，或产品模型数据不足）。",
        "en": "No product to recommend (the customer holds every product that fits, or the models lack data).",
    },
    "c360_nbp_line": {
        "zh": "**{rank}. {product}** — 购买倾向 {propensity}，预期年收益 {margin}",
        "en": "**{rank}. {product}** — propensity {propensity}, expected annual margin {margin}",
    },
    "c360_complaints_title": {"zh": "投诉记录", "en": "Complaints"},
    "c360_no_complaints": {"zh": "没有投诉记录。", "en": "No complaints."},
    "c360_contacts_title": {"zh": "联系记录", "en": "Contacts"},
    "c360_no_contacts": {"zh": "还没有联系记录。", "en": "No contacts logged yet."},
    "c360_how_computed": {
        "zh": "- **重点客户/重点企业**：客户资料中的重点客户标识（对公客"
        "户称重点企业）；**大客户**：金融资产不低于 {big}。\n"
        "- **客户层级**：按月末金融资产（存款 + 理财等投资）划"
        "分的星级；历史层级升级即时生效，连续三个月低于门槛才降级。\n"
        "- **存活概率**：在该客户归属网点全部客户的交易记录上拟合 BG/NBD 模型（以天为周期），"
        "按客户的重复交易天数、首末交易间隔和观察期长度计算。\n"
        "- **RFM 客群**：在归属网点内按最近交易天数、近12个月交易笔数和金融资产的五分位打分。\n"
        "- **推荐产品**：每个产品一个逻辑回归（持有产品、层级、客户年限、年龄、渠道使用），"
        "按购买倾向 × 该产品持有客户的平均年收益排序。",
        "en": "- **Key customer / key enterprise**: the key-customer flag of the customer record (key enterprise "
        "for corporate customers); **big customer**: assets of at least {big}.\n"
        "- **Tier**: star tier by month-end assets (deposits + investments); in the history a customer moves up "
        "at once and down only after three months in a row below the threshold.\n"
        "- **Probability alive**: a BG/NBD model (periods of one day) fitted on the transactions of every "
        "customer of the home outlet, evaluated at the customer's repeat transaction days, time between first "
        "and last transaction and time observed.\n"
        "- **RFM segment**: quintile scores within the home outlet for days since the last transaction, "
        "transactions in 12 months and assets.\n"
        "- **Next best products**: one logistic regression per product (holdings, tier, tenure, age, channel "
        "use), ranked by propensity × the mean annual margin of the product's holders.",
    },
    # ---------------------------------------------------------------- action lists
    "act_title": {"zh": "客户行动名单", "en": "Customer action lists"},
    "act_caption": {
        "zh": "{unit} · {today}：流失预警、开拓、储备和维护名单，按可调整的规则生成。",
        "en": "{unit} · {today}: churn, development, reserve and maintenance lists from rules you can adjust.",
    },
    "act_rules_title": {"zh": "名单规则（可调整）", "en": "List rules (adjustable)"},
    "act_rules_help": {
        "zh": "修改后点击“应用规则”，本次会话内的名单即按新规则生成。",
        "en": "Change the values and press Apply: the lists of this session follow the new rules.",
    },
    "act_set_high_value": {"zh": "高价值客户门槛：金融资产（元）", "en": "High value from assets of (RMB)"},
    "act_set_p_alive": {"zh": "流失：存活概率低于", "en": "Churn: probability alive below"},
    "act_set_drop": {"zh": "流失：资产降幅超过（比例）", "en": "Churn: assets down by more than (share)"},
    "act_set_months": {"zh": "比较的月数", "en": "Months compared"},
    "act_set_max_products": {"zh": "开拓：持有产品不超过", "en": "Development: at most this many products"},
    "act_set_share_of_wallet": {"zh": "开拓：钱包份额不超过（比例）", "en": "Development: share of wallet at most"},
    "act_set_min_wallet": {"zh": "开拓：估计钱包至少（元）", "en": "Development: wallet of at least (RMB)"},
    "act_set_reserve_min": {"zh": "储备：金融资产至少（元）", "en": "Reserve: assets of at least (RMB)"},
    "act_set_growth": {"zh": "储备：资产增幅至少（比例）", "en": "Reserve: assets up by at least (share)"},
    "act_set_maintenance_days": {"zh": "维护：多少天未联系", "en": "Maintenance: days without contact"},
    "act_set_cooloff": {"zh": "联系后暂停天数", "en": "Days off the list after a contact"},
    "act_apply_rules": {"zh": "应用规则", "en": "Apply"},
    "act_save_rules": {"zh": "保存为本机构规则", "en": "Save for this unit"},
    "act_rules_save_help": {
        "zh": "“保存为本机构规则”对本机构及其下属网点长期生效（下属网点保存了自己的规则时除外）。",
        "en": "Save for this unit keeps the rules for the unit and the outlets under it (unless one saves its own).",
    },
    "act_rules_saved_by": {
        "zh": "当前规则：{unit} 的规则，由 {user} 于 {when} 保存。",
        "en": "Rules in force: those of {unit}, saved by {user} on {when}.",
    },
    "act_rules_parent_unit": {"zh": "上级机构", "en": "a parent unit"},
    "act_rules_default": {"zh": "当前为默认规则。", "en": "Default rules in force."},
    "act_rules_saved": {"zh": "规则已保存。", "en": "Rules saved."},
    "act_err_rules_not_allowed": {
        "zh": "您的角色不能保存该机构的名单规则，未保存。",
        "en": "Your role may not save the rules of this unit; nothing was saved.",
    },
    "act_reset_rules": {"zh": "恢复默认", "en": "Back to defaults"},
    "act_err_rules": {
        "zh": "规则数值无效：比例须在 0 到 1 之间，储备门槛须低于高价值门槛。名单未改变。",
        "en": "Invalid rule values: shares must lie between 0 and 1 and the reserve threshold below the high-value "
        "one. The lists did not change.",
    },
    "act_rule_churn": {
        "zh": "高价值客户（现在或 {months} 个月前金融资产 ≥ {value}），"
        "存活概率低于 {p}，或 {months} 个月内资产下降超过 {drop}；"
        "按仍持有的资产（风险价值）排序。",
        "en": "high-value customers (assets now or {months} months ago ≥ {value}) whose probability alive is below "
        "{p}, or whose assets fell by more than {drop} in {months} months; ranked by the assets still held "
        "(value at risk).",
    },
    "act_rule_development": {
        "zh": "钱包份额 ≤ {share}、持有产品 ≤ {products} 个、估"
        "计钱包 ≥ {wallet} 的客户；钱包按同类客户（类型、十岁年龄段）"
        "资产的第 {quantile} 百分位估计；按潜力（钱包 − 现有资产）排序。",
        "en": "customers with a share of wallet ≤ {share}, at most {products} products and an estimated wallet ≥ "
        "{wallet}; the wallet is the {quantile}th percentile of the assets of similar customers (type, ten-year "
        "age band); ranked by potential (wallet − assets).",
    },
    "act_rule_reserve": {
        "zh": "金融资产在 {low} 至 {value} 之间、{months} 个月内"
        "增长至少 {growth} 的未来贵宾；按距高价值门槛的差距由小到大排序。",
        "en": "future VIPs with assets between {low} and {value} that grew by at least {growth} in {months} months; "
        "ranked by the gap to the high-value threshold, smallest first.",
    },
    "act_rule_maintenance": {
        "zh": "金融资产 ≥ {value}、不在流失名单、{days} 天内无人联系的客户；按资产排序。",
        "en": "customers with assets ≥ {value}, not on the churn list, whom nobody contacted for {days} days; "
        "ranked by assets.",
    },
    "act_cooloff_note": {
        "zh": "已面谈、已成交或确认流失的客户在 {days} 天内不再进入流失、开"
        "拓和储备名单；“已致电”“未接通”的客户保留在名单上并显示最近结果。",
        "en": "Customers met, sold to or recorded as lost leave the churn, development and reserve lists for {days} "
        "days; those called or not reached stay on the list with their last outcome shown.",
    },
    "act_building": {"zh": "正在生成名单…", "en": "Building the lists…"},
    "act_no_customers": {"zh": "本机构范围内没有客户。", "en": "This unit has no customers."},
    "act_p_alive_fitted": {
        "zh": "存活概率来自在 {customers} 位有交易客户上拟合的 BG/NBD 模型（数据截至 {as_of}）。",
        "en": "Probability alive from a BG/NBD model fitted on {customers} customers with transactions (data up to "
        "{as_of}).",
    },
    "act_p_alive_not_fitted": {
        "zh": "只有 {customers} 位有交易的客户，不足以拟合 BG/NBD 模型：本次流失名单只使用资产降幅条件。",
        "en": "Only {customers} customers with transactions: too few to fit the BG/NBD model, so the churn list uses "
        "the asset-drop condition only.",
    },
    "act_list_churn": {"zh": "流失预警名单", "en": "Churn list"},
    "act_list_development": {"zh": "开拓名单", "en": "Development list"},
    "act_list_reserve": {"zh": "储备名单", "en": "Reserve list"},
    "act_list_maintenance": {"zh": "维护名单", "en": "Maintenance list"},
    "act_list_care": {"zh": "客户关怀", "en": "Care"},
    "act_value_churn": {"zh": "风险资产 {value}", "en": "Value at risk {value}"},
    "act_value_development": {"zh": "潜力 {value}", "en": "Potential {value}"},
    "act_value_reserve": {"zh": "距门槛合计 {value}", "en": "Gap to VIP {value} in all"},
    "act_value_maintenance": {"zh": "维护资产 {value}", "en": "Assets to keep {value}"},
    "act_outlets_chart": {"zh": "{unit} 各网点名单客户数", "en": "Customers on each list by outlet — {unit}"},
    "act_axis_outlet": {"zh": "网点", "en": "Outlet"},
    "act_axis_customers": {"zh": "客户数", "en": "Customers"},
    "act_summary_title": {"zh": "各网点名单汇总", "en": "Lists by outlet"},
    "act_aggregates_only": {
        "zh": "您的角色只查看汇总；客户明细名单（含姓名）由网点负责人及其客户经理使用。",
        "en": "Your role sees aggregates only; the customer rows (with names) are for branch heads and their "
        "relationship managers.",
    },
    "act_download_summary": {"zh": "导出汇总（Excel）", "en": "Export the summary (Excel)"},
    "act_download": {
        "zh": "导出全部名单（Excel，供客户经理使用）",
        "en": "Export all lists (Excel, for relationship managers)",
    },
    "act_list_empty": {"zh": "按当前规则，该名单为空。", "en": "Under the current rules this list is empty."},
    "act_more_rows": {
        "zh": "显示前 {shown} 位，共 {total} 位；导出文件包含全部客户。",
        "en": "Showing the first {shown} of {total}; the export has all of them.",
    },
    "act_col_rank": {"zh": "排名", "en": "Rank"},
    "act_col_manager": {"zh": "客户经理", "en": "Relationship manager"},
    "act_col_value": {"zh": "价值（元）", "en": "Value (RMB)"},
    "act_col_value_churn": {"zh": "风险资产（元）", "en": "Value at risk (RMB)"},
    "act_col_value_development": {"zh": "潜力（元）", "en": "Potential (RMB)"},
    "act_col_value_reserve": {"zh": "距门槛（元）", "en": "Gap to VIP (RMB)"},
    "act_col_value_maintenance": {"zh": "金融资产（元）", "en": "Assets (RMB)"},
    "act_col_value_plain": {"zh": "价值", "en": "Value"},
    "act_col_value_wan": {"zh": "价值（万元）", "en": "Value (10k RMB)"},
    "act_col_value_churn_wan": {"zh": "风险资产（万元）", "en": "Value at risk (10k RMB)"},
    "act_col_value_development_wan": {"zh": "潜力（万元）", "en": "Potential (10k RMB)"},
    "act_col_value_reserve_wan": {"zh": "距门槛（万元）", "en": "Gap to VIP (10k RMB)"},
    "act_col_value_maintenance_wan": {"zh": "金融资产（万元）", "en": "Assets (10k RMB)"},
    "act_col_aum_wan": {"zh": "金融资产（万元）", "en": "Assets (10k RMB)"},
    "act_col_phone": {"zh": "联系电话", "en": "Phone"},
    "act_dates_used": {
        "zh": "名单用于当下联系客户，按最新数据生成：余额 {month} 月末，交易截至 {as_of}，"
        "冷静期与维护期按今天 {today} 计。",
        "en": "The lists are for contacting customers now, so they use the newest data: balances at the end of "
        "{month}, transactions up to {as_of}, cool-off and maintenance windows counted to today, {today}.",
    },
    "act_col_reason": {"zh": "入选原因", "en": "Why"},
    "act_col_last_outcome": {"zh": "最近联系结果", "en": "Last outcome"},
    "act_col_contacted_at": {"zh": "联系时间", "en": "Contacted"},
    "act_col_list": {"zh": "名单", "en": "List"},
    "act_col_outcome": {"zh": "联系结果", "en": "Outcome"},
    "act_col_note": {"zh": "备注", "en": "Note"},
    "act_col_recorded_by": {"zh": "记录人", "en": "Recorded by"},
    "act_reason_p_alive": {"zh": "存活概率 {p}", "en": "probability alive {p}"},
    "act_reason_drop": {"zh": "{months} 个月资产变化 {change}", "en": "assets {change} in {months} months"},
    "act_reason_development": {
        "zh": "钱包份额 {share}（估计钱包 {wallet}），持有 {products} 个产品",
        "en": "share of wallet {share} (wallet {wallet}), {products} products",
    },
    "act_reason_reserve": {
        "zh": "{months} 个月资产增长 {change}，距贵宾门槛 {gap}",
        "en": "assets {change} in {months} months, {gap} short of VIP",
    },
    "act_reason_never_contacted": {"zh": "从未联系", "en": "never contacted"},
    "act_reason_not_contacted": {"zh": "{days} 天未联系", "en": "not contacted for {days} days"},
    "act_outcome_called": {"zh": "已致电", "en": "Called"},
    "act_outcome_met": {"zh": "已面谈", "en": "Met"},
    "act_outcome_product_sold": {"zh": "已成交", "en": "Product sold"},
    "act_outcome_no_answer": {"zh": "未接通", "en": "No answer"},
    "act_outcome_lost": {"zh": "确认流失", "en": "Lost"},
    "act_contact_title": {"zh": "登记联系结果", "en": "Log a contact outcome"},
    "act_log_contact": {"zh": "保存联系结果", "en": "Save the outcome"},
    "act_contact_saved": {
        "zh": "联系结果已保存，名单中已显示最近结果。",
        "en": "Outcome saved; the lists show it as the last outcome.",
    },
    "act_err_not_allowed": {
        "zh": "不能为该客户登记联系：您的角色不使用客户名单，或该客户不在您的管辖范围内。未保存任何内容。",
        "en": "You cannot log a contact with this customer: your role does not work customer lists, or the customer "
        "is outside your scope. Nothing was saved.",
    },
    "care_err_list_kind": {"zh": "未知的名单类型，未保存。", "en": "Unknown list; nothing was saved."},
    "care_err_outcome": {"zh": "未知的联系结果，未保存。", "en": "Unknown outcome; nothing was saved."},
    "care_err_note_too_long": {
        "zh": "备注不能超过 {max_length} 个字符，未保存。",
        "en": "The note may have at most {max_length} characters; nothing was saved.",
    },
    "care_err_future": {
        "zh": "联系时间不能晚于现在，未保存。",
        "en": "The contact time cannot lie in the future; nothing was saved.",
    },
    "act_how_computed": {
        "zh": "名单日期 {today}，客户数据截至 {as_of}。资产为月末金融资产"
        "（存款 + 投资）；资产变化 = (本月 − N 个月前) ÷ N 个月前。"
        "存活概率来自在本机构全部有交易客户上拟合的 BG/NBD 模型（Fader、Hardie 与 Lee，2005），以天为周期，"
        "输入为每位客户的重复交易天数、首末交易间隔和观察期长度；没有交易的客户不使用该条件。"
        "钱包按 Perlich 等（2007）的高分位数方法估计：同类客户（类型、十岁年龄段）资产的高分位数即其可能的总资产，"
        "钱包份额 = 在本行资产 ÷ 钱包。",
        "en": "Lists of {today}; customer data up to {as_of}. Assets are month-end assets (deposits + investments); "
        "asset change = (this month − N months ago) ÷ N months ago. Probability alive comes from a BG/NBD model "
        "(Fader, Hardie & Lee 2005) fitted on every customer of the unit with transactions, in periods of a day, "
        "from each customer's repeat transaction days, time between first and last transaction and time "
        "observed; the condition is not used for customers without transactions. The wallet follows the "
        "high-quantile method of Perlich et al. (2007): a high percentile of the assets of similar customers "
        "(type, ten-year age band) is what such a customer could hold, and share of wallet = assets with us ÷ "
        "wallet.",
    },
    "act_bgnbd_params": {
        "zh": "拟合参数：r = {r}，α = {alpha} 天，a = {a}，b = {b}。",
        "en": "Fitted parameters: r = {r}, α = {alpha} days, a = {a}, b = {b}.",
    },
    "act_missing_note": {
        "zh": "“—”表示没有数据（例如没有三个月前的余额）。",
        "en": "“—” marks a value without data (e.g. no balance N months ago).",
    },
    # ---------------------------------------------------------------- next best product
    "nbp_title": {"zh": "产品推荐（下一最佳产品）", "en": "Next best product"},
    "nbp_caption": {
        "zh": "{unit}：每位客户尚未持有、最值得推荐的产品，以及各网点未开发的潜力。",
        "en": "{unit}: the products each customer does not hold yet that are most worth offering, and each outlet's "
        "untapped potential.",
    },
    "nbp_no_customers": {"zh": "本机构范围内没有客户或产品数据。", "en": "This unit has no customers or products."},
    "nbp_fitting": {
        "zh": "正在为 {customers} 位客户拟合各产品的模型…",
        "en": "Fitting the product models on {customers} customers…",
    },
    "nbp_cannot_fit": {
        "zh": "客户或持有数据太少，无法拟合产品模型。",
        "en": "Too few customers or holdings to fit the product models.",
    },
    "nbp_rank_by": {"zh": "排序依据", "en": "Rank by"},
    "nbp_rank_expected_margin": {"zh": "预期收益（倾向 × 收益）", "en": "Expected margin (propensity × margin)"},
    "nbp_rank_propensity": {"zh": "购买倾向", "en": "Propensity"},
    "nbp_unit_expected_margin_rmb": {"zh": "预期年收益（元）", "en": "Expected annual margin (RMB)"},
    "nbp_unit_expected_new_holders": {"zh": "预期新增持有客户", "en": "Expected new holders"},
    "nbp_potential_title": {"zh": "各网点未开发潜力", "en": "Untapped potential by outlet"},
    "nbp_metric_customers": {"zh": "客户数", "en": "Customers"},
    "nbp_metric_models": {"zh": "可靠模型产品", "en": "Products with a reliable model"},
    "nbp_metric_new_holders": {"zh": "预期新增持有", "en": "Expected new holders"},
    "nbp_metric_margin": {"zh": "预期年收益", "en": "Expected annual margin"},
    "nbp_heatmap_chart": {"zh": "网点 × 产品：{measure}", "en": "Outlet × product: {measure}"},
    "nbp_products_chart": {"zh": "{unit} 各产品潜力", "en": "Potential by product — {unit}"},
    "nbp_axis_product": {"zh": "产品", "en": "Product"},
    "nbp_axis_outlet": {"zh": "网点", "en": "Outlet"},
    "nbp_col_outlet": {"zh": "网点", "en": "Outlet"},
    "nbp_col_product": {"zh": "产品", "en": "Product"},
    "nbp_col_non_holders": {"zh": "可推荐客户数", "en": "Customers who could buy"},
    "nbp_col_new_holders": {"zh": "预期新增持有", "en": "Expected new holders"},
    "nbp_col_margin": {"zh": "预期年收益（元）", "en": "Expected annual margin (RMB)"},
    "nbp_models_title": {"zh": "各产品模型与主要驱动因素", "en": "Product models and what drives them"},
    "nbp_col_customers": {"zh": "建模客户", "en": "Customers fitted"},
    "nbp_col_holders": {"zh": "持有客户", "en": "Holders"},
    "nbp_col_auc": {"zh": "留出样本 AUC", "en": "Holdout AUC"},
    "nbp_col_reliable": {"zh": "可用于推荐", "en": "Used for advice"},
    "nbp_reliable_yes": {"zh": "是", "en": "Yes"},
    "nbp_reliable_no": {"zh": "否：模型不可靠", "en": "No: not reliable"},
    "nbp_axis_margin": {"zh": "预期年收益", "en": "Expected annual margin"},
    "nbp_unreliable": {
        "zh": "以下产品的模型在留出样本上的 AUC 低于 {auc}（0.5 相当于随机猜测），模型不可靠，不作推荐：{products}。",
        "en": "The models of these products reach a holdout AUC below {auc} (0.5 is chance): they are not "
        "reliable and are not recommended: {products}.",
    },
    "nbp_no_reliable": {
        "zh": "没有可靠的产品模型，暂不提供推荐。",
        "en": "No product model is reliable enough to recommend from.",
    },
    "nbp_policy_note": {
        "zh": "只推荐留出样本 AUC 不低于 {auc} 的产品，且预期年收益不低于 {value}（设置见 config/defaults.toml）。",
        "en": "Only products whose model reaches a holdout AUC of at least {auc} are recommended, and only "
        "recommendations worth at least {value} a year (settings in config/defaults.toml).",
    },
    "nbp_dates_used": {
        "zh": "按最新客户数据建模与推荐（余额 {month} 月末，持有产品为当前持有，交易截至 {as_of}），不随侧栏月份变化。",
        "en": "Models and advice use the newest customer data (balances at the end of {month}, current holdings, "
        "transactions up to {as_of}), whatever month the sidebar shows.",
    },
    "nbp_col_margin_per_sale": {"zh": "每笔成交年收益", "en": "Annual margin per sale"},
    "nbp_col_drivers": {"zh": "正向驱动因素（系数）", "en": "Positive drivers (coefficient)"},
    "nbp_feature_tenure_years": {"zh": "客户年限（每年）", "en": "Tenure (per year)"},
    "nbp_feature_age_years": {"zh": "年龄（每岁）", "en": "Age (per year)"},
    "nbp_feature_log_transactions_12m": {"zh": "交易频次（对数）", "en": "Transactions (log)"},
    "nbp_feature_e_channel_share": {"zh": "电子渠道占比", "en": "E-channel share"},
    "nbp_feature_holds": {"zh": "持有{product}", "en": "Holds {product}"},
    "nbp_feature_tier": {"zh": "层级：{tier}", "en": "Tier: {tier}"},
    "nbp_skipped": {"zh": "未建模的产品：{products}。", "en": "Products without a model: {products}."},
    "nbp_skip_too_few_holders": {"zh": "持有客户太少", "en": "too few holders"},
    "nbp_skip_too_few_non_holders": {"zh": "几乎人人持有", "en": "nearly everyone holds it"},
    "nbp_skip_not_eligible": {"zh": "没有适用客户", "en": "no eligible customers"},
    "nbp_customers_title": {"zh": "客户推荐清单", "en": "Customers and their best products"},
    "nbp_aggregates_only": {
        "zh": "您的角色只查看汇总；逐个客户的推荐清单（含姓名）由网点负责人使用。",
        "en": "Your role sees aggregates only; the customer-by-customer recommendations (with names) are for branch "
        "heads.",
    },
    "nbp_col_propensity": {"zh": "购买倾向", "en": "Propensity"},
    "nbp_col_reason": {"zh": "推荐理由", "en": "Reason"},
    "nbp_col_next": {"zh": "其次推荐", "en": "Next in line"},
    "nbp_customers_caption": {
        "zh": "显示 {count} 位最值得联系的客户（最多 {limit} 位），每位客户的首选产品。",
        "en": "The {count} customers most worth calling (at most {limit}), each with their best product.",
    },
    "nbp_download": {"zh": "导出推荐清单（Excel）", "en": "Export the recommendations (Excel)"},
    "nbp_how_computed": {
        "zh": "每个产品拟合一个带 L2 正则的逻辑回归（牛顿法求最优解），在可"
        "购买该产品的客户（个人产品对个人客户，对公产品对公司客户）中"
        "预测“持有”的概率，解释变量为：其他产品的持有情况、客户层级、客户年限、年龄、近12个月交易频次和电子渠道占比；"
        "特征标准化后拟合，系数换算回原单位显示。对尚未持有的客户，该概率即购买倾向。每笔成交的年收益 = 产品年收益率 × "
        "持有客户的平均余额（卡和电子银行按余额计收益为 0）。推荐理由为同类型、同层级客户中持有该产品的比例。"
        "AUC 在随机留出的四分之一客户上计算。数据截至 {as_of}。",
        "en": "One logistic regression per product (L2-penalised, solved to its optimum by Newton's method) "
        "predicts the probability of holding it among the "
        "customers who can buy it (personal products for personal customers, corporate ones for companies) from "
        "the other products held, the tier, tenure, age, transactions in 12 months and the e-channel share; "
        "features are standardised for the fit and the coefficients shown in their own units. For a customer "
        "who does not hold the product this probability is the propensity. The annual margin of a sale = the "
        "product's margin rate × the mean balance of its holders (cards and e-banking earn no balance margin, "
        "so 0 here). The reason is the share of customers of the same type and tier who hold the product. The "
        "AUC is measured on a random quarter of the customers held out. Data up to {as_of}.",
    },
    # ---------------------------------------------------------------- complaints and care
    "care_title": {"zh": "投诉与客户关怀", "en": "Complaints and care"},
    "care_caption": {
        "zh": "{unit} · {today}：投诉处理进度与时效，以及今日客户关怀提醒。",
        "en": "{unit} · {today}: complaint handling and ageing, and today's customer care reminders.",
    },
    "care_complaints_title": {"zh": "投诉台账", "en": "Complaint log"},
    "care_period": {"zh": "受理时间", "en": "Received within"},
    "care_period_days": {"zh": "最近 {days} 天", "en": "Last {days} days"},
    "care_period_all": {"zh": "全部", "en": "All"},
    "care_log_as_of": {
        "zh": "投诉台账按 {end} 日终状态统计（受理日期 {start} 至 {end}，另含当时仍在处理的投诉）；随侧栏月份变化。",
        "en": "Complaint log as it stood at the end of {end} (received {start} to {end}, plus those still open "
        "then); follows the month chosen in the sidebar.",
    },
    "care_reminders_today_note": {
        "zh": "关怀提醒针对今天（{today}）起的未来几天，不随侧栏月份变化。",
        "en": "Care reminders are about the days from today ({today}) and do not follow the sidebar month.",
    },
    "care_outlet": {"zh": "网点", "en": "Outlet"},
    "care_all_outlets": {"zh": "全部网点", "en": "All outlets"},
    "care_status_all": {"zh": "全部", "en": "All"},
    "care_status_open": {"zh": "处理中", "en": "Open"},
    "care_status_closed": {"zh": "已办结", "en": "Closed"},
    "care_metric_received": {"zh": "受理投诉", "en": "Received"},
    "care_metric_open": {"zh": "未办结", "en": "Open"},
    "care_metric_overdue": {"zh": "超时未办结", "en": "Open and overdue"},
    "care_metric_median_close": {"zh": "办结天数中位数", "en": "Median days to close"},
    "care_metric_within_sla": {"zh": "按时办结率", "en": "Closed within the service level"},
    "care_days": {"zh": "{days} 天", "en": "{days} days"},
    "care_sla_note": {
        "zh": "服务时限：一般和较重投诉 {low}/{medium} 天内办结，"
        "严重投诉 {high} 天内办结；未办结的投诉在列表期外也会列出。",
        "en": "Service level: low and medium complaints closed within {low}/{medium} days, high within {high} days. "
        "Open complaints are listed whenever they were received.",
    },
    "care_no_complaints": {"zh": "所选期间没有投诉。", "en": "No complaints in the period."},
    "care_none_open": {"zh": "没有未办结的投诉。", "en": "No complaint is open."},
    "care_ageing_chart": {"zh": "各网点未办结投诉的账龄", "en": "Age of open complaints by outlet"},
    "care_axis_open_complaints": {"zh": "未办结投诉数", "en": "Open complaints"},
    "care_axis_outlet": {"zh": "网点", "en": "Outlet"},
    "care_legend_age": {"zh": "已受理天数", "en": "Days open"},
    "care_band_upto": {"zh": "≤ {days} 天", "en": "≤ {days} days"},
    "care_band_over": {"zh": "> {days} 天", "en": "> {days} days"},
    "care_outlet_summary": {"zh": "各网点投诉汇总", "en": "Complaints by outlet"},
    "care_col_id": {"zh": "编号", "en": "No."},
    "care_col_received": {"zh": "受理时间", "en": "Received"},
    "care_col_category": {"zh": "类别", "en": "Category"},
    "care_col_channel": {"zh": "渠道", "en": "Channel"},
    "care_col_severity": {"zh": "严重程度", "en": "Severity"},
    "care_col_status": {"zh": "状态", "en": "Status"},
    "care_col_age": {"zh": "账龄/办结天数", "en": "Days open / to close"},
    "care_col_overdue": {"zh": "超时", "en": "Overdue"},
    "care_col_closed": {"zh": "办结时间", "en": "Closed"},
    "care_yes": {"zh": "是", "en": "Yes"},
    "care_category_wait_time": {"zh": "排队时间长", "en": "Waiting time"},
    "care_category_service_attitude": {"zh": "服务态度", "en": "Service attitude"},
    "care_category_fees": {"zh": "收费争议", "en": "Fees"},
    "care_category_product": {"zh": "产品销售", "en": "Product sale"},
    "care_category_system": {"zh": "系统故障", "en": "System outage"},
    "care_category_machine": {"zh": "自助设备", "en": "Self-service machine"},
    "care_category_other": {"zh": "其他", "en": "Other"},
    "care_complaint_channel_hotline": {"zh": "客服热线", "en": "Hotline"},
    "care_complaint_channel_onsite": {"zh": "网点现场", "en": "At the outlet"},
    "care_complaint_channel_online": {"zh": "线上", "en": "Online"},
    "care_complaint_channel_regulator": {"zh": "监管转办", "en": "Via the regulator"},
    "care_severity_low": {"zh": "一般", "en": "Low"},
    "care_severity_medium": {"zh": "较重", "en": "Medium"},
    "care_severity_high": {"zh": "严重", "en": "High"},
    "care_log_caption": {"zh": "共 {count} 条投诉。", "en": "{count} complaints."},
    "care_download_log": {"zh": "导出投诉台账（Excel）", "en": "Export the complaint log (Excel)"},
    "care_reminders_title": {"zh": "今日关怀提醒", "en": "Today's care reminders"},
    "care_reminders_caption": {
        "zh": "{maturity_days} 天内到期的定期存款；{idle_days} 天无交易的贵宾（重点客户或金融资产 ≥ {vip}）；"
        "今天起 {birthday_days} 天内过生日的个人客户；只有出生年份的客户中今年满 {ages} 岁者（尚未登记关怀联系）。",
        "en": "Time deposits maturing within {maturity_days} days; VIPs (key customers or assets ≥ {vip}) without a "
        "transaction for {idle_days} days; personal customers whose birthday falls in the {birthday_days} days from "
        "today; customers known by birth year only who turn {ages} this year (no care contact logged yet).",
    },
    "care_reason_maturity": {"zh": "定期存款到期", "en": "Deposit maturing"},
    "care_reason_idle_vip": {"zh": "贵宾客户沉睡", "en": "Idle VIP"},
    "care_reason_birthday": {"zh": "整寿生日", "en": "Milestone birthday"},
    "care_birthday_note": {
        "zh": "有出生日期的客户在生日前 {birthday_days} 天内提醒（2 月 29 日出生者平年在 2 月 28 日），"
        "期间登记关怀联系即不再提醒；只有出生年份的客户按当年满整十岁列出，登记一次关怀联系后当年不再提醒。",
        "en": "Customers with a recorded birth date are listed in the {birthday_days} days up to their birthday "
        "(29 February birthdays on 28 February in common years) until a care contact is logged; customers known "
        "by birth year only are listed when they turn a round age this year, until a care contact is logged.",
    },
    "care_birthday_days": {"zh": "生日提前提醒天数", "en": "Birthdays in the next (days)"},
    "care_no_reminders": {"zh": "今天没有关怀提醒。", "en": "No care reminders today."},
    "care_aggregates_only": {
        "zh": "您的角色只查看各网点提醒数量；客户明细由网点负责人使用。",
        "en": "Your role sees the number of reminders per outlet; the customer rows are for branch heads.",
    },
    "care_col_priority": {"zh": "优先级", "en": "Priority"},
    "care_col_reason": {"zh": "提醒事项", "en": "Reminder"},
    "care_col_detail": {"zh": "详情", "en": "Detail"},
    "care_col_amount": {"zh": "金额（元）", "en": "Amount (RMB)"},
    "care_col_days_left": {"zh": "剩余天数", "en": "Days left"},
    "care_detail_maturity": {"zh": "{product} {date} 到期", "en": "{product} matures on {date}"},
    "care_detail_idle": {"zh": "{days} 天无交易", "en": "no transaction for {days} days"},
    "care_detail_never": {"zh": "数据期内无交易", "en": "no transaction in the data"},
    "care_detail_birthday": {"zh": "今年满 {age} 岁", "en": "turns {age} this year"},
    "care_detail_birthday_on": {"zh": "{date} 满 {age} 岁", "en": "turns {age} on {date}"},
    "care_download_reminders": {"zh": "导出关怀提醒（Excel）", "en": "Export the reminders (Excel)"},
    "care_mark_done": {"zh": "登记关怀联系", "en": "Log a care contact"},
    "care_how_computed": {
        "zh": "账龄：未办结投诉为受理至今的天数，已办结投诉为受理到办结的天数；超时按严重程度的服务时限判断。"
        "关怀提醒：{maturity_days} 天内到期的定期存款按到期日排序"
        "；贵宾 {idle_days} 天无交易按资产排序；生日按日期排序、重点客户在前（只有出生年份的整寿生日排在最后）。"
        "登记关怀联系后 {done_days} 天内不再提醒到期和沉睡事项。",
        "en": "Age: days from receipt to now for open complaints, from receipt to closure for closed ones; overdue "
        "by the service level of the severity. Care reminders: time deposits maturing within {maturity_days} days "
        "by maturity date; VIPs idle for {idle_days} days by assets; birthdays by date with key customers first "
        "(milestone birthdays of customers known by birth year only last). "
        "A care contact takes a maturity or idle-VIP reminder off the list for {done_days} days.",
    },
}

"""User-facing strings of the customer pages, zh and en; merged into the translation table.

Keys start with ``cust_`` (customer structure, shared customer words, tier and RFM segment names,
lifetime value ``cust_clv_``) or ``seg_`` (segments page). ``cust_nav_section`` is the menu
section of every customer page.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # Navigation
    "cust_nav_section": {"zh": "客户管理", "en": "Customers"},
    "cust_page_structure": {"zh": "客户结构", "en": "Customer structure"},
    "cust_page_segments": {"zh": "客户细分", "en": "Segments"},
    "cust_page_clv": {"zh": "客户价值与流失风险", "en": "Lifetime value and churn risk"},
    # Tier names (analytics.customer_value.DEFAULT_TIERS codes)
    "cust_tier_mass": {"zh": "普通客户", "en": "Mass"},
    "cust_tier_star1": {"zh": "一星客户", "en": "One star"},
    "cust_tier_star2": {"zh": "二星客户", "en": "Two stars"},
    "cust_tier_star3": {"zh": "三星客户", "en": "Three stars"},
    "cust_tier_star4": {"zh": "四星客户（财富）", "en": "Four stars (wealth)"},
    "cust_tier_star5": {"zh": "五星客户（私行）", "en": "Five stars (private)"},
    # RFM segment names (analytics.customer_value.RFM_SEGMENTS codes)
    "cust_rfm_champions": {"zh": "核心客户", "en": "Champions"},
    "cust_rfm_loyal": {"zh": "忠诚客户", "en": "Loyal"},
    "cust_rfm_cannot_lose": {"zh": "不可流失客户", "en": "Cannot lose"},
    "cust_rfm_at_risk": {"zh": "流失风险客户", "en": "At risk"},
    "cust_rfm_potential_loyalists": {"zh": "潜力客户", "en": "Potential loyalists"},
    "cust_rfm_new": {"zh": "新客户", "en": "New"},
    "cust_rfm_promising": {"zh": "有望发展客户", "en": "Promising"},
    "cust_rfm_need_attention": {"zh": "需关注客户", "en": "Need attention"},
    "cust_rfm_about_to_sleep": {"zh": "即将沉睡客户", "en": "About to sleep"},
    "cust_rfm_hibernating": {"zh": "沉睡客户", "en": "Hibernating"},
    "cust_rfm_others": {"zh": "其他", "en": "Others"},
    # Shared
    "cust_no_balances": {
        "zh": "该机构范围内还没有客户月末余额数据。",
        "en": "There are no month-end customer balances for this unit yet.",
    },
    "cust_no_customers": {"zh": "该机构范围内没有客户。", "en": "This unit has no customers."},
    "cust_axis_customers": {"zh": "客户数（户）", "en": "Customers"},
    "cust_axis_share": {"zh": "占比", "en": "Share"},
    "cust_how_computed": {"zh": "计算方法", "en": "How this is computed"},
    "cust_download_excel": {"zh": "导出 Excel", "en": "Export to Excel"},
    "cust_ids_masked": {
        "zh": "按您的角色权限，客户号已部分隐藏。",
        "en": "Customer numbers are partly hidden for your role.",
    },
    "cust_col_tier": {"zh": "客户层级", "en": "Tier"},
    "cust_col_threshold": {"zh": "资产下限", "en": "AUM from"},
    "cust_col_customers": {"zh": "客户数", "en": "Customers"},
    "cust_col_customer_share": {"zh": "客户占比", "en": "Share of customers"},
    "cust_col_aum": {"zh": "金融资产（AUM）", "en": "AUM"},
    "cust_col_aum_rmb": {"zh": "金融资产（元）", "en": "AUM (RMB)"},
    "cust_col_aum_share": {"zh": "资产占比", "en": "Share of AUM"},
    "cust_col_outlet": {"zh": "网点", "en": "Outlet"},
    "cust_col_movement": {"zh": "层级变动", "en": "Movement"},
    "cust_col_peers": {"zh": "同级机构（{count} 个）", "en": "Peer units ({count})"},
    # Customer structure page
    "cust_structure_title": {"zh": "客户结构", "en": "Customer structure"},
    "cust_tier_rules": {"zh": "客户分层规则", "en": "Tier rules"},
    "cust_tier_rules_help": {
        "zh": "按月末金融资产（AUM）分层，单位万元。资产达到更高层级当月即升级；低于本层级下限须连续满设定月数才降级。",
        "en": "Tiers by month-end assets under management (AUM), in 10,000 RMB (万元). A customer moves up "
        "in the first month their AUM reaches a higher tier, and down only after the set number of "
        "consecutive months below their tier.",
    },
    "cust_tier_threshold": {"zh": "{tier}（万元起）", "en": "{tier} from (10k RMB)"},
    "cust_downgrade_after": {"zh": "连续低于几个月降级", "en": "Downgrade after months below"},
    "cust_bad_thresholds": {
        "zh": "分层下限须为正数且逐级递增，本次按默认规则计算。",
        "en": "Tier thresholds must be positive and rise from tier to tier; the default rules are used.",
    },
    "cust_month_from": {"zh": "对比起始月", "en": "Compare from"},
    "cust_month_label": {"zh": "{year}年{month}月", "en": "{month} {year}"},  # month: 6 / "Jun"
    "cust_month_from_sidebar": {
        "zh": "统计月份：{month} 月末（侧栏所选月份）。",
        "en": "Month: end of {month} (the month chosen in the sidebar).",
    },
    "cust_month_fallback": {
        "zh": "所选月份没有客户余额数据，显示其前最近的 {month} 月末（余额数据截至 {last}）。",
        "en": "No customer balances for the chosen month: showing the nearest earlier month-end, {month} "
        "(balances reach {last}).",
    },
    "cust_month_not_covered": {
        "zh": "客户余额数据覆盖 {first} 至 {last}，不含所选月份 {month}，请在侧栏选择其他月份。",
        "en": "Customer balances cover {first} to {last}, not the chosen month {month}: choose another month "
        "in the sidebar.",
    },
    "cust_pct_col_percentile": {"zh": "百分位组", "en": "Percentile"},
    "cust_pct_col_customers": {"zh": "客户数", "en": "Customers"},
    "cust_pct_col_aum_rmb": {"zh": "金融资产（元）", "en": "AUM (RMB)"},
    "cust_pct_col_min_aum_rmb": {"zh": "组内最低资产（元）", "en": "Lowest AUM (RMB)"},
    "cust_pct_col_max_aum_rmb": {"zh": "组内最高资产（元）", "en": "Highest AUM (RMB)"},
    "cust_pct_col_customer_share": {"zh": "客户累计占比", "en": "Cumulative share of customers"},
    "cust_month_to": {"zh": "统计月份", "en": "Month"},
    "cust_one_month_only": {
        "zh": "只有一个月的余额数据，无法计算层级迁移。",
        "en": "Balances exist for one month only, so there is no tier migration to show.",
    },
    "cust_metric_customers": {"zh": "客户数", "en": "Customers"},
    "cust_metric_aum": {"zh": "金融资产（AUM）", "en": "AUM"},
    "cust_metric_high_tier_share": {"zh": "三星及以上客户占比", "en": "Three stars and above"},
    "cust_metric_top1": {"zh": "前 1% 客户资产占比", "en": "Top 1 % share of AUM"},
    "cust_metric_top10": {"zh": "前 10% 客户资产占比", "en": "Top 10 % share of AUM"},
    "cust_metric_gini": {"zh": "基尼系数", "en": "Gini coefficient"},
    "cust_structure_caption": {
        "zh": "{month} 月末；降级需连续 {months} 个月低于本层级下限。",
        "en": "Month-end {month}; a downgrade needs {months} consecutive months below the tier.",
    },
    "cust_tiers_title": {"zh": "客户分层", "en": "Value tiers"},
    "cust_tier_chart_title": {"zh": "各层级客户数与资产占比", "en": "Customers and AUM by tier"},
    "cust_per_outlet_title": {"zh": "各网点客户分层", "en": "Tiers per outlet"},
    "cust_per_outlet_chart_title": {
        "zh": "各网点各层级客户数（按资产规模排序）",
        "en": "Customers per tier and outlet (outlets by AUM)",
    },
    "cust_migration_title": {"zh": "层级迁移：{start} → {end}", "en": "Tier migration: {start} → {end}"},
    "cust_migration_chart_title": {"zh": "层级迁移矩阵（客户数）", "en": "Tier migration matrix (customers)"},
    "cust_migration_from": {"zh": "{month} 层级", "en": "Tier in {month}"},
    "cust_migration_to": {"zh": "{month} 层级", "en": "Tier in {month}"},
    "cust_migration_hover": {"zh": "%{y} → %{x}：%{z} 户", "en": "%{y} → %{x}: %{z} customers"},
    "cust_migration_up": {"zh": "升级", "en": "Moved up"},
    "cust_migration_same": {"zh": "不变", "en": "Same tier"},
    "cust_migration_down": {"zh": "降级", "en": "Moved down"},
    "cust_compare_peers": {"zh": "与同级机构对比", "en": "Compare with peer units"},
    "cust_migration_vs_peers": {"zh": "与同级机构对比", "en": "Against peer units"},
    "cust_no_peers": {"zh": "该机构没有同级机构可比。", "en": "This unit has no peer units to compare with."},
    "cust_peers_explained": {
        "zh": "同级机构：同一上级机构下的其他机构，合并计算，不显示单个机构。",
        "en": "Peer units: the other units under the same parent, pooled; no single unit is shown.",
    },
    "cust_concentration_title": {"zh": "资产集中度", "en": "Concentration of AUM"},
    "cust_lorenz_title": {"zh": "洛伦兹曲线（{month} 月末 AUM）", "en": "Lorenz curve (AUM at {month})"},
    "cust_lorenz_curve": {"zh": "洛伦兹曲线", "en": "Lorenz curve"},
    "cust_lorenz_equal": {"zh": "完全均等", "en": "Perfect equality"},
    "cust_lorenz_x": {"zh": "客户累计占比（资产由低到高）", "en": "Cumulative share of customers (poorest first)"},
    "cust_lorenz_y": {"zh": "资产累计占比", "en": "Cumulative share of AUM"},
    "cust_top_bucket_from": {
        "zh": "前 1% 客户的资产均不低于 {amount}。",
        "en": "Every customer in the top 1 % holds at least {amount}.",
    },
    "cust_sheet_migration": {"zh": "层级迁移", "en": "Tier migration"},
    "cust_sheet_percentiles": {"zh": "资产百分位", "en": "AUM percentiles"},
    "cust_structure_method": {
        "zh": "**分层**：每月末按 AUM 与各层级下限比较得到当月原始层级；资产达到更高层级当月即升级，"
        "连续 {months} 个月低于当前层级才降级，降到这几个月都达到的最高层级（银行通行做法）。"
        "各网点客户数与资产按客户归属网点统计，资产为所选月份月末余额。\n\n"
        "**迁移矩阵**：同一规则下客户在起始月与统计月的层级交叉计数；同级机构为同一上级机构下的其他机构合并数据。\n\n"
        "**集中度**：客户按月末 AUM 由低到高分为 100 组（各组人数相同），前 1%/10% 占比取自分组洛伦兹曲线；"
        "基尼系数 = 1 − 2 × 曲线下面积（忽略组内差异，略偏低）。",
        "en": "**Tiers**: each month-end AUM is compared with the tier thresholds to give that month's raw "
        "tier; a customer moves up in the first month they reach a higher tier and down only after "
        "{months} consecutive months below their tier, to the highest tier they held in every one of "
        "those months (as banks do). Counts and AUM are by home outlet, AUM at the chosen month-end.\n\n"
        "**Migration matrix**: customers by tier at the start month and at the chosen month under the "
        "same rules; peer units are the other units under the same parent, pooled.\n\n"
        "**Concentration**: customers are split into 100 equal-sized groups by month-end AUM, poorest "
        "first; the top 1 % / 10 % shares are read from that grouped Lorenz curve, and the Gini "
        "coefficient is 1 − 2 × the area under it (which ignores differences inside a group, so it is "
        "slightly low).",
    },
    # Lifetime value page
    "cust_clv_title": {"zh": "客户价值与流失风险", "en": "Lifetime value and churn risk"},
    "cust_clv_horizon": {"zh": "预测期（月）", "en": "Horizon (months)"},
    "cust_clv_discount": {"zh": "年折现率（%）", "en": "Annual discount rate (%)"},
    "cust_clv_margin": {"zh": "价值率（交易额的 %）", "en": "Value rate (% of amount)"},
    "cust_clv_margin_help": {
        "zh": "客户价值按预期交易金额乘以该比例计算；100% 即预期交易金额本身，可改为本行的收益率。",
        "en": "Lifetime value is the expected transaction amount times this rate; 100 % is the amount "
        "itself. Enter the bank's margin to get a profit value.",
    },
    "cust_clv_holdout": {"zh": "检验期", "en": "Holdout period"},
    "cust_clv_months": {"zh": "{months} 个月", "en": "{months} months"},
    "cust_clv_no_transactions": {
        "zh": "该机构范围内的客户没有交易记录，无法估计模型。",
        "en": "The customers of this unit have no transactions, so the model cannot be fitted.",
    },
    "cust_clv_too_few": {
        "zh": "本机构有交易的客户太少（或几乎没有重复交易），无法单独估计模型。",
        "en": "Too few customers of this unit have (repeat) transactions to fit the model on its own.",
    },
    "cust_clv_not_converged": {
        "zh": "本机构数据的模型估计未收敛。",
        "en": "The model fit on this unit's data did not converge.",
    },
    "cust_clv_region_fallback": {
        "zh": "以下结果使用全区域客户估计的模型参数（按周汇总的匿名交易分布），再应用于本机构客户。",
        "en": "The results below use model parameters fitted on the whole region's customers (an "
        "anonymous weekly histogram), applied to this unit's customers.",
    },
    "cust_clv_fallback_failed": {
        "zh": "全区域数据也无法估计模型。",
        "en": "The region's data could not be fitted either.",
    },
    "cust_clv_cannot_fit": {
        "zh": "本机构和全区域的数据都无法估计模型，不显示预测结果。",
        "en": "Neither this unit's nor the region's data can be fitted, so no predictions are shown.",
    },
    "cust_clv_value_too_few": {
        "zh": "有重复交易且金额为正的客户太少，无法估计单笔价值模型，改用客户自身平均交易额。",
        "en": "Too few customers with repeat, positive transactions to fit the value model; each "
        "customer's own mean amount is used instead.",
    },
    "cust_clv_value_not_converged": {
        "zh": "单笔价值模型估计未收敛，改用客户自身平均交易额。",
        "en": "The value model did not converge; each customer's own mean amount is used instead.",
    },
    "cust_clv_without_transactions": {
        "zh": "另有 {count} 户客户没有任何交易，未纳入模型。",
        "en": "{count} more customers have no transactions and are not modelled.",
    },
    "cust_clv_metric_customers": {"zh": "建模客户数", "en": "Customers modelled"},
    "cust_clv_metric_mean_alive": {"zh": "平均活跃概率", "en": "Mean P(alive)"},
    "cust_clv_metric_at_risk": {"zh": "活跃概率低于 50% 的客户占比", "en": "Share with P(alive) < 50 %"},
    "cust_clv_metric_expected": {
        "zh": "未来 {months} 个月预期交易天数",
        "en": "Expected transaction days, {months} months",
    },
    "cust_clv_metric_total_clv": {"zh": "{months} 个月客户价值合计", "en": "Lifetime value, {months} months"},
    "cust_clv_params_title": {"zh": "模型参数", "en": "Fitted parameters"},
    "cust_clv_param": {"zh": "参数", "en": "Parameter"},
    "cust_clv_value": {"zh": "估计值", "en": "Estimate"},
    "cust_clv_days": {"zh": "天", "en": "days"},
    "cust_clv_rmb": {"zh": "元", "en": "RMB"},
    "cust_clv_params_plain": {
        "zh": "BG/NBD：活跃客户平均每月约 {rate} 个交易日；每次交易后平均有 {dropout} 的概率不再来往。",
        "en": "BG/NBD: an active customer transacts on about {rate} days a month on average and, after "
        "each transaction, stops for good with probability {dropout} on average.",
    },
    "cust_clv_gg_plain": {
        "zh": "Gamma-Gamma：客户每个交易日的平均交易额为 {mean}（因人而异）。",
        "en": "Gamma-Gamma: the mean amount per transaction day is {mean} (varying by customer).",
    },
    "cust_clv_gg_fallback": {
        "zh": "单笔价值：客户自身平均交易额（整体平均 {mean}）。",
        "en": "Value per transaction: each customer's own mean amount (overall mean {mean}).",
    },
    "cust_clv_alive_title": {"zh": "活跃概率分布", "en": "Probability alive"},
    "cust_clv_alive_chart_title": {"zh": "客户活跃概率 P(alive) 分布", "en": "Distribution of P(alive)"},
    "cust_clv_alive_axis": {"zh": "活跃概率", "en": "Probability alive"},
    "cust_clv_alive_explained": {
        "zh": "**活跃概率**：根据客户交易的频率与最近一次交易距今的时间，估计客户仍在与本行往来的概率。"
        "交易频繁但很久没来的客户，活跃概率下降最快——这是流失名单的主要依据。",
        "en": "**Probability alive**: from how often a customer transacted and how long ago the last "
        "transaction was, the chance that they still bank with us. Frequent customers who have gone "
        "quiet lose it fastest — the main signal for the churn list.",
    },
    "cust_clv_value_title": {"zh": "客户价值（未来 {months} 个月）", "en": "Lifetime value over {months} months"},
    "cust_clv_value_chart_title": {
        "zh": "客户价值分布（对数刻度）",
        "en": "Distribution of lifetime value (log scale)",
    },
    "cust_clv_value_axis": {"zh": "客户价值（元，对数）", "en": "Lifetime value (RMB, log scale)"},
    "cust_clv_top": {"zh": "价值最高的 {count} 位客户", "en": "Top {count} customers by lifetime value"},
    "cust_clv_col_customer": {"zh": "客户号", "en": "Customer no."},
    "cust_clv_col_outlet": {"zh": "归属网点", "en": "Home outlet"},
    "cust_clv_col_frequency": {"zh": "重复交易天数", "en": "Repeat transaction days"},
    "cust_clv_col_recency": {"zh": "距最近交易（天）", "en": "Days since last transaction"},
    "cust_clv_col_alive": {"zh": "活跃概率", "en": "P(alive)"},
    "cust_clv_col_expected": {"zh": "预期交易天数", "en": "Expected transaction days"},
    "cust_clv_col_value_each": {"zh": "预期单日交易额（元）", "en": "Expected amount per day (RMB)"},
    "cust_clv_col_clv": {"zh": "客户价值（元）", "en": "Lifetime value (RMB)"},
    "cust_clv_holdout_title": {"zh": "模型检验：预测与实际", "en": "Model check: predicted against actual"},
    "cust_clv_holdout_intro": {
        "zh": "用最近 {months} 个月之前的数据重新估计模型，预测这 {months} 个月的交易天数，并与实际比较。",
        "en": "The model is refitted on the data before the last {months} months and predicts the "
        "transaction days in them, to compare with what customers actually did.",
    },
    "cust_clv_run_check": {"zh": "运行模型检验", "en": "Run the model check"},
    "cust_clv_holdout_unavailable": {
        "zh": "检验期之前的数据太少，无法做检验。",
        "en": "Too little data before the holdout period to run the check.",
    },
    "cust_clv_holdout_chart_title": {
        "zh": "检验期 {start} 至 {end} 人均交易天数",
        "en": "Transaction days per customer, {start} to {end}",
    },
    "cust_clv_holdout_x": {"zh": "检验期前的重复交易天数", "en": "Repeat transaction days before the holdout"},
    "cust_clv_holdout_y": {"zh": "检验期人均交易天数", "en": "Mean transaction days in the holdout"},
    "cust_clv_actual": {"zh": "实际", "en": "Actual"},
    "cust_clv_model": {"zh": "模型预测", "en": "Model"},
    "cust_clv_actual_total": {"zh": "检验期实际交易天数", "en": "Actual transaction days"},
    "cust_clv_model_total": {"zh": "模型预测交易天数", "en": "Predicted transaction days"},
    "cust_clv_holdout_error": {"zh": "预测偏差：{error}", "en": "Prediction error: {error}"},
    "cust_clv_sheet": {"zh": "客户价值", "en": "Lifetime value"},
    "cust_clv_method": {
        "zh": "**数据**：截至 {end} 每位客户有正金额交易的日期；同一天多笔算一次。首个交易日为起点，"
        "重复交易天数 x、首末交易间隔 tₓ、首个交易日至今 T（天），重复交易日的平均金额 m。\n\n"
        "**BG/NBD**（Fader、Hardie、Lee 2005）：客户活跃时按泊松过程交易，交易率 λ ~ Gamma(r, α)；"
        "每次交易后以概率 p ~ Beta(a, b) 永久流失。参数用最大似然估计。"
        "活跃概率 = 1 / (1 + a/(b+x−1)·((α+T)/(α+tₓ))^(r+x))。\n\n"
        "**Gamma-Gamma**：单笔金额 ~ Gamma(p, ν)，ν ~ Gamma(q, v)，与交易频率独立；"
        "预期单笔金额是总体均值与客户自身均值的加权平均。\n\n"
        "**客户价值** = Σ 每月预期交易天数 × 预期单笔金额 × 价值率 ÷ (1+月折现率)^月数，"
        "月折现率 = (1+年率)^(1/12) − 1。\n\n"
        "**检验**：用检验期之前的数据估计模型，预测检验期内的交易天数，与实际比较。",
        "en": "**Data**: each customer's days with a positive transaction up to {end}; several on one day "
        "count once. The first day is the start; x = repeat transaction days, tₓ = first to last day, "
        "T = first day to the end (days), m = mean amount of the repeat days.\n\n"
        "**BG/NBD** (Fader, Hardie & Lee 2005): while active a customer transacts as a Poisson process "
        "with rate λ ~ Gamma(r, α); after each transaction they leave for good with probability "
        "p ~ Beta(a, b). Maximum likelihood. P(alive) = 1 / (1 + a/(b+x−1)·((α+T)/(α+tₓ))^(r+x)).\n\n"
        "**Gamma-Gamma**: amounts ~ Gamma(p, ν) with ν ~ Gamma(q, v), independent of frequency; the "
        "expected amount is a weighted mean of the population mean and the customer's own mean.\n\n"
        "**Lifetime value** = Σ over months of expected transaction days × expected amount × value rate "
        "÷ (1 + monthly rate)^month, monthly rate = (1 + annual rate)^(1/12) − 1.\n\n"
        "**Check**: the model is fitted on the data before the holdout period and predicts the "
        "transaction days in it, compared with what customers actually did.",
    },
    # Segments page
    "seg_title": {"zh": "客户细分", "en": "Customer segments"},
    "seg_method": {"zh": "聚类方法", "en": "Clustering method"},
    "seg_method_kmeans": {"zh": "K 均值（按轮廓系数选组数）", "en": "k-means (k by silhouette)"},
    "seg_method_gmm": {"zh": "高斯混合（按 BIC 选组数）", "en": "Gaussian mixture (k by BIC)"},
    "seg_k": {"zh": "细分组数", "en": "Number of segments"},
    "seg_k_auto": {"zh": "自动选择", "en": "Choose from the data"},
    "seg_window": {"zh": "行为数据期间：{start} 至 {end}", "en": "Behaviour window: {start} to {end}"},
    "seg_run": {"zh": "运行细分", "en": "Run segmentation"},
    "seg_press_run": {
        "zh": "选择方法后点击「运行细分」。结果按机构、数据版本和设置缓存。",
        "en": "Choose a method and press \u201cRun segmentation\u201d. Results are cached per unit, data "
        "version and settings.",
    },
    "seg_progress_loading": {"zh": "正在读取客户特征…", "en": "Reading customer features…"},
    "seg_progress_fitting": {"zh": "正在拟合 {k} 组…", "en": "Fitting {k} segments…"},
    "seg_progress_profiles": {"zh": "正在生成细分画像…", "en": "Describing the segments…"},
    "seg_too_few": {
        "zh": "该机构只有 {count} 户客户，太少，无法细分。请选择更大的机构。",
        "en": "This unit has only {count} customers, too few to segment. Choose a larger unit.",
    },
    "seg_rfm_title": {"zh": "RFM 分群", "en": "RFM segments"},
    "seg_rfm_chart_title": {"zh": "各 RFM 分群客户数", "en": "Customers per RFM segment"},
    "seg_rfm_segment": {"zh": "RFM 分群", "en": "RFM segment"},
    "seg_rfm_explained": {
        "zh": "R = 最近一次交易距今天数，F = 近一年交易天数，M = 月末 AUM，各按五等分打 1–5 分（5 最好）；"
        "分群依据 R 与 F 分值。",
        "en": "R = days since the last transaction, F = transaction days in the last year, M = month-end "
        "AUM, each scored 1–5 by quintile (5 best); segments follow the R and F scores.",
    },
    "seg_cluster_title": {"zh": "行为聚类：{k} 个细分", "en": "Behavioural clustering: {k} segments"},
    "seg_score_silhouette": {"zh": "轮廓系数", "en": "Silhouette"},
    "seg_score_bic": {"zh": "BIC", "en": "BIC"},
    "seg_score_silhouette_explained": {
        "zh": "轮廓系数越高，组内越紧密、组间越分明；选择了最高的 {k} 组。",
        "en": "A higher silhouette means tighter, better separated segments; {k} scored highest.",
    },
    "seg_score_bic_explained": {
        "zh": "BIC 越低，模型在拟合度与复杂度之间越平衡；选择了最低的 {k} 组。",
        "en": "A lower BIC balances fit against complexity better; {k} scored lowest.",
    },
    "seg_score_chart_title": {"zh": "各组数的{criterion}", "en": "{criterion} by number of segments"},
    "seg_k_axis": {"zh": "组数", "en": "Number of segments"},
    "seg_size_chart_title": {"zh": "各细分客户数", "en": "Customers per segment"},
    "seg_segment": {"zh": "细分 {number}", "en": "Segment {number}"},
    "seg_segment_col": {"zh": "细分", "en": "Segment"},
    "seg_profiles_title": {"zh": "细分画像", "en": "Segment profiles"},
    "seg_profile_line": {
        "zh": "- **{segment}**（{customers} 户，{share}）：{traits}。主要分布：{outlets}。",
        "en": "- **{segment}** ({customers} customers, {share}): {traits}. Mostly at {outlets}.",
    },
    "seg_trait_higher": {
        "zh": "{feature}偏高（中位数 {value}，整体 {overall}）",
        "en": "higher {feature} (median {value} against {overall} overall)",
    },
    "seg_trait_lower": {
        "zh": "{feature}偏低（中位数 {value}，整体 {overall}）",
        "en": "lower {feature} (median {value} against {overall} overall)",
    },
    "seg_trait_higher_mean": {
        "zh": "{feature}偏高（均值 {value}，整体 {overall}）",
        "en": "higher {feature} (mean {value} against {overall} overall)",
    },
    "seg_trait_lower_mean": {
        "zh": "{feature}偏低（均值 {value}，整体 {overall}）",
        "en": "lower {feature} (mean {value} against {overall} overall)",
    },
    "seg_trait_average": {"zh": "各项特征接近整体水平", "en": "close to the average on every feature"},
    "seg_feature_aum_rmb": {"zh": "金融资产", "en": "AUM"},
    "seg_feature_products": {"zh": "持有产品数", "en": "products held"},
    "seg_feature_active_days": {"zh": "年交易天数", "en": "transaction days a year"},
    "seg_feature_digital_share": {"zh": "电子渠道占比", "en": "digital channel share"},
    "seg_feature_tenure_years": {"zh": "开户年限", "en": "years as a customer"},
    "seg_feature_age_years": {"zh": "年龄", "en": "age"},
    "seg_map_title": {"zh": "细分客户居住分布", "en": "Where each segment lives"},
    "seg_map_segment": {"zh": "显示细分", "en": "Segment shown"},
    "seg_map_no_cells": {
        "zh": "该细分的客户没有登记居住网格。",
        "en": "The customers of this segment have no home cell on record.",
    },
    "seg_map_tooltip": {
        "zh": "客户 {customers} 户，占本网格客户 {share}",
        "en": "{customers} customers, {share} of the cell's customers",
    },
    "seg_map_legend": {"zh": "{segment} 客户数（H3 网格）", "en": "{segment}: customers per H3 cell"},
    "seg_map_table": {"zh": "以表格查看", "en": "Show as a table"},
    "seg_col_cell": {"zh": "H3 网格", "en": "H3 cell"},
    "seg_col_share_of_cell": {"zh": "占网格客户比例", "en": "Share of the cell's customers"},
    "seg_sheet_customers": {"zh": "客户细分", "en": "Customers"},
    "seg_sheet_profiles": {"zh": "细分画像", "en": "Profiles"},
    "seg_method_text": {
        "zh": "**特征**：月末金融资产、持有产品数、近 {window} 天交易天数、电子渠道交易占比、开户年限、年龄"
        "（对公客户取中位数）。资产、产品数、交易天数先取 log(1+x)，再全部标准化。\n\n"
        "**聚类**：K 均值或高斯混合，在 2–8 组中按轮廓系数（K 均值，越高越好）或 BIC（高斯混合，越低越好）"
        "选择组数；客户数多时在 2 万户样本上选择，再为全部客户分组。细分按资产中位数由高到低编号，固定随机种子，"
        "重复运行结果相同。\n\n"
        "**画像**：与整体相比差异最大的特征（以标准差计）。**地图**：客户登记的居住 H3 网格。",
        "en": "**Features**: month-end AUM, products held, transaction days in the last {window} days, "
        "share of transactions on digital channels, years as a customer and age (the median for "
        "corporate customers). AUM, products and transaction days are log(1+x)-scaled, then all are "
        "standardised.\n\n"
        "**Clustering**: k-means or a Gaussian mixture; the number of segments (2–8) is chosen by the "
        "silhouette (k-means, higher is better) or BIC (mixture, lower is better), on a sample of "
        "20,000 customers when there are more, and then every customer is assigned. Segments are "
        "numbered by falling median AUM with a fixed seed, so reruns give the same segments.\n\n"
        "**Profiles**: the features on which a segment differs most from everyone (in standard "
        "deviations). **Map**: customers' registered home H3 cells.",
    },
    # Stored scores (the scoring job, jobs.score), shared by every customer page
    "score_from_job": {
        "zh": "评分来自批量评分作业：数据版本 {version}，完成于 {finished}；模型在全行客户上拟合。",
        "en": "Scores from the scoring job: data version {version}, finished {finished}; the models were fitted "
        "on every customer of the bank.",
    },
    "score_missing": {
        "zh": "当前数据尚无批量评分，本页正在现场计算（范围大时需要较长时间）。请运维人员运行评分作业："
        "`python -m jobs.score --database-url <数据库地址>`。",
        "en": "There are no stored scores for the current data yet, so this page computes them now (slow for a "
        "large scope). Ask the operators to run the scoring job: "
        "`python -m jobs.score --database-url <database URL>`.",
    },
    "score_stale": {
        "zh": "批量评分属于较早的数据版本 {version}（完成于 {finished}），与当前数据不符，本页现场计算。"
        "请运维人员重新运行：`python -m jobs.score --database-url <数据库地址>`。",
        "en": "The stored scores belong to an earlier data version, {version} (finished {finished}), not the "
        "current data, so this page computes them now. Ask the operators to run the scoring job again: "
        "`python -m jobs.score --database-url <database URL>`.",
    },
    "score_on_demand": {
        "zh": "按您选择的设置现场计算（批量评分使用默认设置与最新月份）。",
        "en": "Computed now with your settings (the stored scores use the default settings and the newest month).",
    },
    "score_fit_here": {"zh": "仅用本单位客户现场拟合", "en": "Fit on this unit's customers now"},
    "score_fit_here_help": {
        "zh": "批量评分的模型在全行客户上拟合；打开后仅用本单位客户重新拟合（范围大时较慢）。",
        "en": "The stored scores come from models fitted on every customer of the bank; switch this on to fit "
        "them on this unit's customers only (slow for a large scope).",
    },
}

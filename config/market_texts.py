"""User-facing strings of the map and site-selection pages (issue 6), zh and en; merged into the translation table."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # Navigation
    "map_nav_planning": {"zh": "选址与规划", "en": "Planning"},
    "map_page": {"zh": "市场地图", "en": "Market map"},
    "huff_page": {"zh": "Huff 模型", "en": "Huff model"},
    "cand_page": {"zh": "候选网点评分", "en": "Candidate scoring"},
    "scen_page": {"zh": "情景模拟", "en": "What-if scenarios"},
    "opt_page": {"zh": "网络优化", "en": "Network optimisation"},
    # Market map
    "map_title": {"zh": "市场地图", "en": "Market map"},
    "map_caption": {
        "zh": "{unit}：本行网点、他行网点、需求网格、客户分布与 Huff 模型估算的市场份额。",
        "en": "{unit}: our outlets, competitors, the demand grid, our customers and our market share "
        "from the Huff model.",
    },
    "map_no_market": {
        "zh": "所选机构所在城市没有需求网格或营业中的网点，无法显示市场地图。",
        "en": "The cities of this unit have no demand grid or no open outlet, so there is no market to show.",
    },
    "map_settings": {"zh": "模型与出行设置", "en": "Model and travel settings"},
    "map_settings_help": {
        "zh": "λ、α 默认取 Huff 模型页面的校准结果（未校准时为 2 和 1）；出行时间 = 直线距离 × 绕行系数 ÷ 平均速度。",
        "en": "λ and α default to the values calibrated on the Huff model page (2 and 1 before a calibration); "
        "travel time = straight-line distance × detour factor ÷ average speed.",
    },
    "map_lambda": {"zh": "距离衰减 λ", "en": "Distance decay λ"},
    "map_alpha": {"zh": "吸引力指数 α", "en": "Attractiveness exponent α"},
    "map_demand": {"zh": "需求口径", "en": "Demand measure"},
    "map_demand_weighted_residents": {"zh": "收入加权常住人口", "en": "Income-weighted residents"},
    "map_demand_residents": {"zh": "常住人口", "en": "Residents"},
    "map_demand_businesses": {"zh": "企业数", "en": "Businesses"},
    "map_detour": {"zh": "绕行系数", "en": "Detour factor"},
    "map_speed": {"zh": "平均速度（公里/小时）", "en": "Average speed (km/h)"},
    "map_computing": {"zh": "正在计算 Huff 市场份额…", "en": "Computing Huff market shares…"},
    "map_metric_share": {"zh": "本行估算市场份额", "en": "Our estimated market share"},
    "map_metric_outlets": {"zh": "营业中的本行网点", "en": "Our open outlets"},
    "map_metric_competitors": {"zh": "他行网点", "en": "Competitor outlets"},
    "map_metric_customers": {"zh": "客户（样本）", "en": "Customers (sample)"},
    "map_cell_view": {"zh": "网格着色", "en": "Colour the cells by"},
    "map_view_none": {"zh": "不显示网格", "en": "No cells"},
    "map_view_population": {"zh": "常住人口", "en": "Residents"},
    "map_view_income": {"zh": "收入指数", "en": "Income index"},
    "map_view_businesses": {"zh": "企业数", "en": "Businesses"},
    "map_view_customers": {"zh": "本行客户密度", "en": "Our customers"},
    "map_view_share": {"zh": "本行市场份额", "en": "Our market share"},
    "map_view_trade_area": {"zh": "所选网点商圈", "en": "Trade area of the selected outlet"},
    "map_view_travel_time": {"zh": "所选网点出行时间", "en": "Travel time to the selected outlet"},
    "map_types": {"zh": "网点类型", "en": "Outlet types"},
    "map_statuses": {"zh": "网点状态", "en": "Outlet status"},
    "map_banks": {"zh": "他行", "en": "Competitor banks"},
    "map_outlet": {"zh": "所选网点", "en": "Selected outlet"},
    "map_radius": {"zh": "周边竞争半径（公里）", "en": "Competitors within (km)"},
    "map_rings": {"zh": "距离圈（公里）", "en": "Rings (km)"},
    "map_show_districts": {"zh": "行政区", "en": "Districts"},
    "map_trade_primary": {"zh": "核心商圈", "en": "Primary trade area"},
    "map_trade_secondary": {"zh": "次级商圈", "en": "Secondary trade area"},
    "map_minutes_tooltip": {"zh": "约 {minutes} 分钟", "en": "about {minutes} min"},
    "map_band_label": {"zh": "≤ {minutes} 分钟", "en": "≤ {minutes} min"},
    "map_ring_tooltip": {"zh": "{km} 公里", "en": "{km} km"},
    "map_selected_outlet": {"zh": "所选网点", "en": "Selected outlet"},
    "map_col_attractiveness": {"zh": "吸引力 A", "en": "Attractiveness A"},
    "map_col_captured": {"zh": "估算吸纳需求", "en": "Expected captured demand"},
    "map_col_bank": {"zh": "银行", "en": "Bank"},
    "map_col_distance": {"zh": "距离（公里）", "en": "Distance (km)"},
    "map_col_minutes": {"zh": "出行时间（分钟）", "en": "Travel time (min)"},
    "map_detail_title": {"zh": "网点详情：{name}", "en": "Outlet detail: {name}"},
    "map_detail_captured": {"zh": "估算吸纳需求", "en": "Expected captured demand"},
    "map_detail_primary": {"zh": "核心商圈", "en": "Primary trade area"},
    "map_detail_cells": {"zh": "{cells} 个网格 · {residents} 人", "en": "{cells} cells · {residents} residents"},
    "map_detail_area_share": {"zh": "商圈内本行份额", "en": "Our share in its trade area"},
    "map_detail_rivals": {"zh": "{km} 公里内他行网点", "en": "Competitor outlets within {km} km"},
    "map_detail_no_rivals": {"zh": "{km} 公里内没有他行网点。", "en": "No competitor outlet within {km} km."},
    "map_competition_title": {"zh": "分区竞争分析", "en": "Competition by district"},
    "map_col_district": {"zh": "行政区", "en": "District"},
    "map_col_residents": {"zh": "常住人口", "en": "Residents"},
    "map_col_own_outlets": {"zh": "本行网点", "en": "Our outlets"},
    "map_col_rival_outlets": {"zh": "他行网点", "en": "Competitor outlets"},
    "map_col_own_share": {"zh": "本行估算份额", "en": "Our estimated share"},
    "map_col_leader": {"zh": "份额最高的他行", "en": "Leading competitor"},
    "map_col_leader_share": {"zh": "其估算份额", "en": "Its estimated share"},
    "map_own_bank": {"zh": "本行", "en": "Our bank"},
    "map_download": {"zh": "导出 Excel", "en": "Download Excel"},
    "map_how": {
        "zh": "**Huff 模型**：网格 i 的需求选择网点 j 的概率 P_ij ∝ A_j^α · d_ij^(−λ)，本页 λ = {decay}、α = {alpha}；"
        "只在同一城市的网点（本行与他行）之间选择；距离为直线距离（不足 0.35 公里按 0.35 公里计）。\n\n"
        "**吸引力**：本行网点 A = √(营业面积 / 100 m²) × 网点类型系数（营业部 1.3、财富中心 1.2、分理处 1.0、"
        "储蓄所和社区网点 0.9、自助银行 0.6）；他行网点按每个柜台 120 m² 折算面积。\n\n"
        "**市场份额**：网格内本行网点概率之和；分区份额按需求加权汇总。\n\n"
        "**商圈**：按所选网点的选择概率从高到低排列网格，提供其 60% 估算需求的网格为核心商圈，"
        "到 85% 为次级商圈。\n\n"
        "**出行时间**：直线距离 × 绕行系数 {detour} ÷ {speed} 公里/小时。距离圈为直线距离。",
        "en": "**Huff model**: the demand of cell i chooses outlet j with probability P_ij ∝ A_j^α · d_ij^(−λ); "
        "here λ = {decay} and α = {alpha}. A cell chooses among the outlets (ours and competitors') of its own "
        "city; distances are straight-line km (at least 0.35 km).\n\n"
        "**Attractiveness**: our outlets A = √(floor area / 100 m²) × a type factor (business department 1.3, "
        "wealth centre 1.2, sub-office 1.0, savings and community outlets 0.9, self-service 0.6); competitor "
        "outlets count 120 m² per counter.\n\n"
        "**Market share**: the sum of our outlets' probabilities in a cell; district shares are demand-weighted.\n\n"
        "**Trade area**: cells in decreasing order of the selected outlet's probability; those supplying 60 % of "
        "its expected demand form the primary area, up to 85 % the secondary area.\n\n"
        "**Travel time**: straight-line distance × detour factor {detour} ÷ {speed} km/h. Rings are straight-line.",
    },
    # Huff model
    "huff_title": {"zh": "Huff 模型校准", "en": "Huff model calibration"},
    "huff_caption": {
        "zh": "{unit}：用本行客户的居住网格与开户网点，以最大似然估计距离衰减 λ 与吸引力指数 α。",
        "en": "{unit}: distance decay λ and attractiveness exponent α estimated by maximum likelihood from "
        "where our customers live (home cell) and bank (their outlet).",
    },
    "huff_kind": {"zh": "客户类型", "en": "Customers"},
    "huff_kind_all": {"zh": "全部客户", "en": "All customers"},
    "huff_kind_personal": {"zh": "个人客户", "en": "Personal customers"},
    "huff_kind_corporate": {"zh": "对公客户", "en": "Corporate customers"},
    "huff_min_distance": {"zh": "最小距离（公里）", "en": "Minimum distance (km)"},
    "huff_fit_alpha": {"zh": "同时估计 α", "en": "Estimate α too"},
    "huff_no_customers": {
        "zh": "所选范围内没有带居住网格的客户，无法校准。",
        "en": "No customers with a home cell in this scope, so there is nothing to calibrate on.",
    },
    "huff_fitting": {"zh": "正在最大似然估计…", "en": "Maximising the likelihood…"},
    "huff_not_identified": {
        "zh": "参数无法识别：需要至少两个网点且客户到各网点的距离有差异；网点吸引力全部相同时请关闭“同时估计 α”。",
        "en": "The parameters are not identified here: it needs at least two outlets and distances that differ; "
        "when every outlet is equally attractive, switch off “Estimate α too”.",
    },
    "huff_estimates_title": {"zh": "估计结果", "en": "Estimates"},
    "huff_metric_lambda": {"zh": "距离衰减 λ", "en": "Distance decay λ"},
    "huff_metric_alpha": {"zh": "吸引力指数 α", "en": "Attractiveness exponent α"},
    "huff_metric_r2": {"zh": "McFadden 伪 R²", "en": "McFadden pseudo R²"},
    "huff_metric_customers": {"zh": "参与校准的客户", "en": "Customers in the fit"},
    "huff_se_help": {
        "zh": "标准误来自最优点处观测信息矩阵的逆。",
        "en": "Standard errors from the inverse observed information at the optimum.",
    },
    "huff_r2_help": {
        "zh": "1 − 对数似然 / 等概率模型的对数似然；越接近 1 拟合越好。",
        "en": "1 − log-likelihood / log-likelihood of equal shares; closer to 1 fits better.",
    },
    "huff_se_ci": {"zh": "标准误 {se}，95% 置信区间 [{low}, {high}]", "en": "SE {se}, 95% CI [{low}, {high}]"},
    "huff_alpha_fixed": {"zh": "α 固定，未估计", "en": "α held fixed, not estimated"},
    "huff_cells_outlets": {
        "zh": "{cells} 个居住网格 · {outlets} 个网点",
        "en": "{cells} home cells · {outlets} outlets",
    },
    "huff_not_converged": {
        "zh": "优化未完全收敛，结果仅供参考。",
        "en": "The optimiser did not fully converge; treat the estimates with care.",
    },
    "huff_dropped": {
        "zh": "{count} 名客户的居住网格不在需求网格中或网点无坐标，未参与校准。",
        "en": "{count} customers were left out: their home cell is not in the grid or their outlet has no coordinates.",
    },
    "huff_demo_truth": {
        "zh": "演示数据按 λ = {decay}、α = {alpha} 生成。注意：演示客户数还受网点管理水平影响（各网点一个随机系数），"
        "因此 α 的估计会吸收这一差异；λ 应落在真实值附近。",
        "en": "The demo data were generated with λ = {decay} and α = {alpha}. Demo customer numbers also carry a "
        "random management factor per outlet, which the α estimate absorbs; λ should land near its true value.",
    },
    "huff_use": {"zh": "在其他规划页面使用这组参数", "en": "Use these values on the other planning pages"},
    "huff_used": {"zh": "已采用 λ = {decay}、α = {alpha}。", "en": "Now using λ = {decay}, α = {alpha}."},
    "huff_in_use": {
        "zh": "规划页面当前使用 λ = {decay}、α = {alpha}。",
        "en": "Planning pages now use λ = {decay}, α = {alpha}.",
    },
    "huff_fit_title": {"zh": "拟合优度", "en": "Goodness of fit"},
    "huff_series_outlets": {"zh": "网点", "en": "Outlets"},
    "huff_series_diagonal": {"zh": "完全吻合", "en": "Perfect fit"},
    "huff_chart_outlets": {"zh": "各网点客户数：模型预测与实际", "en": "Customers per outlet: predicted vs observed"},
    "huff_axis_predicted": {"zh": "模型预测客户数", "en": "Predicted customers"},
    "huff_axis_observed": {"zh": "实际客户数", "en": "Observed customers"},
    "huff_chart_distance": {
        "zh": "客户到其开户网点的距离分布",
        "en": "Distance from customers' homes to their outlet",
    },
    "huff_axis_distance": {"zh": "距离（公里）", "en": "Distance (km)"},
    "huff_axis_share": {"zh": "客户占比", "en": "Share of customers"},
    "huff_band": {"zh": "{low}–{high}", "en": "{low}–{high}"},
    "huff_band_open": {"zh": "≥ {low}", "en": "≥ {low}"},
    "huff_series_observed": {"zh": "实际", "en": "Observed"},
    "huff_series_predicted": {"zh": "模型", "en": "Model"},
    "huff_fit_table": {"zh": "各网点明细", "en": "Per-outlet detail"},
    "huff_sensitivity_title": {"zh": "对 λ 的敏感性", "en": "Sensitivity to λ"},
    "huff_sensitivity_help": {
        "zh": "α 固定为估计值时，不同 λ 下的对数似然（峰值即估计值）与本行估算市场份额。",
        "en": "With α held at its estimate: the log-likelihood at each λ (its peak is the estimate) and our "
        "estimated market share.",
    },
    "huff_series_loglik": {"zh": "对数似然", "en": "Log-likelihood"},
    "huff_chart_loglik": {"zh": "对数似然随 λ 的变化", "en": "Log-likelihood against λ"},
    "huff_chart_share": {"zh": "本行市场份额随 λ 的变化", "en": "Our market share against λ"},
    "huff_axis_lambda": {"zh": "距离衰减 λ", "en": "Distance decay λ"},
    "huff_axis_loglik": {"zh": "对数似然", "en": "Log-likelihood"},
    "huff_how": {
        "zh": "客户 k 住在网格 i、在网点 j 开户的概率 P_ij = A_j^α d_ij^(−λ) / Σ_m A_m^α d_im^(−λ)，"
        "选择集为同城的本行网点（他行网点没有我们的客户，按 Huff 模型的无关选择独立性不影响估计）。"
        "客户先汇总成“网格 × 网点”的计数 N_ij，最大化 Σ N_ij log P_ij（凹函数，信赖域牛顿法）。"
        "对数似然 {ll}，等概率模型 {null}。",
        "en": "A customer living in cell i banks at outlet j with probability P_ij = A_j^α d_ij^(−λ) / "
        "Σ_m A_m^α d_im^(−λ); the choice set is our outlets in the same city (competitors hold none of our "
        "customers, and by the Huff model's independence of irrelevant alternatives they do not change the "
        "estimate). Customers are counted per (cell, outlet), N_ij, and Σ N_ij log P_ij is maximised (concave; "
        "trust-region Newton). Log-likelihood {ll}; equal shares {null}.",
    },
}

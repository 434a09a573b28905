"""User-facing strings of the map and site-selection pages, zh and en; merged into the translation table."""

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
    "map_click_help": {
        "zh": "点击地图上的本行网点即可选中它，查看其商圈与周边竞争。",
        "en": "Click one of our outlets on the map to select it and see its trade area and competition.",
    },
    "map_col_attractiveness": {"zh": "吸引力 A", "en": "Attractiveness A"},
    "map_col_captured": {"zh": "估算吸纳需求", "en": "Expected captured demand"},
    "map_col_bank": {"zh": "银行", "en": "Bank"},
    "map_col_distance": {"zh": "距离（公里）", "en": "Distance (km)"},
    "map_col_minutes": {"zh": "出行时间（分钟）", "en": "Travel time (min)"},
    "map_detail_title": {"zh": "网点详情：{name}", "en": "Outlet detail: {name}"},
    "map_detail_captured": {"zh": "估算吸纳需求", "en": "Expected captured demand"},
    "map_detail_primary": {"zh": "核心商圈常住人口", "en": "Residents of the primary trade area"},
    "map_detail_cells": {
        "zh": "核心商圈 {cells} 个网格，次级商圈 {secondary} 个网格",
        "en": "{cells} cells in the primary area, {secondary} in the secondary",
    },
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
    # Candidate scoring
    "cand_title": {"zh": "候选网点评分", "en": "Candidate scoring"},
    "cand_caption": {
        "zh": "{unit}：多准则适宜性评分（权重合计 100%）与 Huff 模型测算（吸纳需求、内部分流、存款、成本、回收期、"
        "净现值）。",
        "en": "{unit}: multi-criteria suitability (weights adding up to 100 %) and a Huff evaluation (captured demand, "
        "cannibalisation, deposits, cost, payback, NPV).",
    },
    "cand_source": {"zh": "候选来源", "en": "Candidates"},
    "cand_source_grid": {"zh": "全部网格", "en": "Every grid cell"},
    "cand_source_points": {"zh": "地图点选 / 输入坐标", "en": "Map click / typed coordinates"},
    "cand_source_upload": {"zh": "上传清单（CSV/XLSX）", "en": "Uploaded list (CSV/XLSX)"},
    "cand_type": {"zh": "拟设网点类型", "en": "Outlet type"},
    "cand_floor_area": {"zh": "营业面积（m²）", "en": "Floor area (m²)"},
    "cand_radius": {"zh": "周边他行统计半径（公里）", "en": "Competitors counted within (km)"},
    "cand_point_name": {"zh": "名称", "en": "Name"},
    "cand_point_default": {"zh": "候选点 {n}", "en": "Candidate {n}"},
    "cand_add": {"zh": "添加", "en": "Add"},
    "cand_clear": {"zh": "清空", "en": "Clear"},
    "cand_points_help": {
        "zh": "在下方地图上点击一个网格即可把其中心填入坐标，再点“添加”。",
        "en": "Click a cell on the map below to fill in its centre, then press Add.",
    },
    "cand_point_refused": {"zh": "未添加：{reason}", "en": "Not added: {reason}"},
    "cand_upload": {"zh": "上传候选网点清单", "en": "Upload a candidate list"},
    "cand_upload_help": {
        "zh": "需要列 name、lon、lat（WGS84 经纬度），可选 outlet_type；第 1 行为表头。",
        "en": "Columns name, lon, lat (WGS84 degrees), optionally outlet_type; row 1 is the header.",
    },
    "cand_upload_unreadable": {
        "zh": "无法读取该文件：请上传 UTF-8 编码的 CSV 或 Excel（.xlsx）文件。",
        "en": "This file cannot be read: upload a UTF-8 CSV or an Excel (.xlsx) file.",
    },
    "cand_upload_refused": {
        "zh": "清单有 {count} 处问题，未做任何计算。请修改后重新上传：",
        "en": "The list has {count} problems, so nothing was computed. Fix them and upload again:",
    },
    "cand_col_row": {"zh": "行", "en": "Row"},
    "cand_col_column": {"zh": "列", "en": "Column"},
    "cand_col_problem": {"zh": "问题", "en": "Problem"},
    "cand_err_row_missing_column": {"zh": "缺少必需的列", "en": "a required column is missing"},
    "cand_err_row_empty": {"zh": "为空", "en": "is empty"},
    "cand_err_row_not_a_number": {"zh": "不是数字", "en": "is not a number"},
    "cand_err_row_out_of_range": {"zh": "不是有效的经纬度", "en": "is not a valid longitude/latitude"},
    "cand_err_row_outside_region": {
        "zh": "不在本区域内（离最近的需求网格超过 3 公里）",
        "en": "is outside the region (over 3 km from every demand cell)",
    },
    "cand_err_row_duplicate": {"zh": "与前面某行坐标重复", "en": "repeats the coordinates of an earlier row"},
    "cand_criteria_title": {"zh": "评分准则与权重", "en": "Criteria and weights"},
    "cand_criteria_help": {
        "zh": "权重为百分比，合计必须为 100%；权重为 0 的准则不参与评分。方向：越大越好、越小越好，"
        "或越接近理想值越好。",
        "en": "Weights are percentages and must add up to 100 %; a criterion with weight 0 is left out. Direction: "
        "more is better, less is better, or closest to an ideal value is best.",
    },
    "cand_col_criterion": {"zh": "准则", "en": "Criterion"},
    "cand_col_weight": {"zh": "权重 %", "en": "Weight %"},
    "cand_col_direction": {"zh": "方向", "en": "Direction"},
    "cand_col_ideal": {"zh": "理想值", "en": "Ideal value"},
    "cand_direction_positive": {"zh": "越大越好", "en": "More is better"},
    "cand_direction_negative": {"zh": "越小越好", "en": "Less is better"},
    "cand_direction_ideal": {"zh": "接近理想值", "en": "Closest to ideal"},
    "cand_criterion_population": {"zh": "常住人口", "en": "Residents"},
    "cand_criterion_income_index": {"zh": "收入指数", "en": "Income index"},
    "cand_criterion_businesses": {"zh": "企业数", "en": "Businesses"},
    "cand_criterion_customers": {"zh": "本行客户数", "en": "Our customers"},
    "cand_criterion_competitors_nearby": {"zh": "周边他行网点数", "en": "Competitor outlets nearby"},
    "cand_criterion_nearest_own_km": {"zh": "距最近本行网点（公里）", "en": "Km to our nearest outlet"},
    "cand_criterion_net_gain": {"zh": "Huff 净增需求", "en": "Huff net demand gain"},
    "cand_weight_total": {"zh": "权重合计：{total}%", "en": "Weights add up to {total} %"},
    "cand_err_weights_total": {
        "zh": "权重合计为 {total}%，必须正好是 100%。请调整权重。",
        "en": "The weights add up to {total} %; they must add up to exactly 100 %. Adjust them.",
    },
    "cand_err_no_criteria": {"zh": "请至少给一个准则非零权重。", "en": "Give at least one criterion a weight above 0."},
    "cand_err_missing_ideal": {
        "zh": "“接近理想值”的准则需要理想值。",
        "en": "A closest-to-ideal criterion needs an ideal value.",
    },
    "cand_err_bad_weight": {"zh": "权重必须是不小于 0 的数。", "en": "Weights must be numbers of at least 0."},
    "cand_err_bad_direction": {"zh": "方向无效。", "en": "Invalid direction."},
    "cand_err_duplicate": {"zh": "同一准则出现了两次。", "en": "A criterion appears twice."},
    "cand_err_unknown_column": {"zh": "未知的准则。", "en": "Unknown criterion."},
    "cand_money_title": {"zh": "成本与财务假设", "en": "Cost and financial assumptions"},
    "cand_build_cost": {"zh": "建设成本（元）", "en": "Build cost (RMB)"},
    "cand_running_cost": {"zh": "年运营成本（元）", "en": "Running cost per year (RMB)"},
    "cand_margin": {"zh": "存款年净息差 %", "en": "Annual margin on deposits %"},
    "cand_discount": {"zh": "折现率 %", "en": "Discount rate %"},
    "cand_horizon": {"zh": "测算年限", "en": "Horizon (years)"},
    "cand_ramp": {"zh": "成熟期（年）", "en": "Years to maturity"},
    "cand_cutoff": {"zh": "竞争半径（公里）", "en": "Competition radius (km)"},
    "cand_money_help": {
        "zh": "默认成本取同类型现有网点的中位数。存款与客户按现有网点的比例换算：每单位吸纳需求 {deposits} 存款、"
        "{customers} 名客户。",
        "en": "Default costs are the medians of our outlets of the same type. Deposits and customers use our "
        "network's ratios: {deposits} of deposits and {customers} customers per unit of captured demand.",
    },
    "cand_computing": {"zh": "正在评分与测算…", "en": "Scoring and evaluating…"},
    "cand_heatmap_title": {"zh": "全网格适宜性热力图", "en": "Suitability over the grid"},
    "cand_city": {"zh": "城市（按最高评分排序）", "en": "City (best score first)"},
    "cand_cell_tooltip": {"zh": "适宜性 {score} · 净现值 {npv}", "en": "Suitability {score} · NPV {npv}"},
    "cand_legend": {"zh": "适宜性评分（0–100）", "en": "Suitability score (0–100)"},
    "cand_click_help": {
        "zh": "点击网格可将其作为候选点（切换到“地图点选”）。",
        "en": "Click a cell to take it as a candidate (switches to map click).",
    },
    "cand_top_title": {"zh": "排名前列的候选点", "en": "Top candidates"},
    "cand_export_numbers": {"zh": "数值（金额单位：元）", "en": "Numbers (amounts in RMB)"},
    "cand_rank_by": {"zh": "排序依据", "en": "Rank by"},
    "cand_rank_suitability": {"zh": "适宜性评分", "en": "Suitability"},
    "cand_rank_npv_rmb": {"zh": "净现值", "en": "NPV"},
    "cand_rank_net_gain": {"zh": "净增需求", "en": "Net demand gain"},
    "cand_top_n": {"zh": "显示前 N 个", "en": "Show top N"},
    "cand_no_candidates": {"zh": "还没有候选点。", "en": "No candidates yet."},
    "cand_col_site": {"zh": "候选点", "en": "Site"},
    "cand_score_of": {"zh": "得分：{name}", "en": "Score: {name}"},
    "cand_col_captured": {"zh": "吸纳需求", "en": "Captured demand"},
    "cand_col_from_own": {"zh": "其中来自本行网点", "en": "of which from our outlets"},
    "cand_col_from_rivals": {"zh": "其中来自他行/新增", "en": "of which from competitors / unserved"},
    "cand_col_deposits": {"zh": "成熟期存款", "en": "Deposits at maturity"},
    "cand_col_net_deposits": {"zh": "全行净增存款", "en": "Net deposit gain of the bank"},
    "cand_col_customers": {"zh": "成熟期客户数", "en": "Customers at maturity"},
    "cand_col_payback": {"zh": "回收期（年）", "en": "Payback (years)"},
    "cand_col_npv": {"zh": "净现值", "en": "NPV"},
    "cand_never": {"zh": "期内无法收回", "en": "not within the horizon"},
    "cand_how": {
        "zh": "**适宜性**：每个准则在全部网格与候选点上按最小–最大归一化到 0–100（越小越好取反；"
        "理想值准则按与理想值的距离），"
        "再按权重加权求和。\n\n**Huff 测算**：候选点吸引力 A = √(面积/100) × 类型系数，λ = {decay}、α = {alpha}；"
        "新网点在网格 i 的份额 w/(S_i + w)，按比例替代原有网点，因此来自本行网点的部分即内部分流。"
        "{cutoff} 公里以外不参与竞争。\n\n**财务**：第 0 年投入建设成本，"
        "此后年收益 = 全行净增存款 × 净息差 × 成熟度（线性爬坡），"
        "减去年运营成本；净现值按折现率折现，回收期为累计现金流转正的时点。",
        "en": "**Suitability**: each criterion is scaled to 0–100 over all grid cells and candidates (min–max; "
        "reversed when less is better; by the distance to the ideal value for ideal criteria), then weighted.\n\n"
        "**Huff evaluation**: candidate attractiveness A = √(area/100) × type factor, λ = {decay}, α = {alpha}; "
        "the new outlet takes the share w/(S_i + w) of cell i, proportionally from every existing outlet, so "
        "the part taken from our own outlets is the cannibalisation. Outlets over {cutoff} km away do not "
        "compete.\n\n**Money**: build cost in year 0; then each year the bank's net deposit gain × margin × "
        "ramp-up (linear to maturity) minus the running cost; NPV at the discount rate; payback when the "
        "cumulative cash flow turns positive.",
    },
    # What-if scenarios
    "scen_title": {"zh": "情景模拟", "en": "What-if scenarios"},
    "scen_caption": {
        "zh": "{unit}：组合新设、迁址、撤并、关闭等动作，比较调整前后的覆盖、份额、存款与成本，"
        "并查看关闭网点客户的去向。",
        "en": "{unit}: combine openings, relocations, mergers and closures; compare coverage, share, deposits and cost "
        "before and after, and see where a closed outlet's customers go.",
    },
    "scen_compose_title": {"zh": "组合调整动作", "en": "Compose the scenario"},
    "scen_kind": {"zh": "动作", "en": "Action"},
    "scen_kind_open": {"zh": "新设网点", "en": "Open an outlet"},
    "scen_kind_relocate": {"zh": "迁址", "en": "Relocate"},
    "scen_kind_merge": {"zh": "撤并到另一网点", "en": "Merge into another outlet"},
    "scen_kind_close": {"zh": "关闭", "en": "Close"},
    "scen_outlet": {"zh": "网点", "en": "Outlet"},
    "scen_target": {"zh": "并入网点", "en": "Merge into"},
    "scen_move_cost": {"zh": "迁址一次性成本（元）", "en": "One-off cost of the move (RMB)"},
    "scen_new_outlet": {"zh": "新设{type}", "en": "New {type}"},
    "scen_open_help": {
        "zh": "按同类型网点中位数：面积 {area} m²，建设成本 {build}，年运营成本 {yearly}。",
        "en": "Medians of our outlets of this type: {area} m², build cost {build}, running cost {yearly} a year.",
    },
    "scen_add": {"zh": "加入情景", "en": "Add to scenario"},
    "scen_undo": {"zh": "撤销上一步", "en": "Undo last"},
    "scen_clear": {"zh": "清空", "en": "Clear"},
    "scen_no_actions": {
        "zh": "情景中还没有动作：下表即当前网络。",
        "en": "No actions yet: the figures below are today's network.",
    },
    "scen_describe_open": {"zh": "{name}（经度 {lon}，纬度 {lat}）", "en": "{name} at ({lon}, {lat})"},
    "scen_describe_relocate": {"zh": "{name} 迁至（{lon}, {lat}）", "en": "Relocate {name} to ({lon}, {lat})"},
    "scen_describe_merge": {"zh": "{name} 撤并到 {target}", "en": "Merge {name} into {target}"},
    "scen_describe_close": {"zh": "关闭 {name}", "en": "Close {name}"},
    "scen_err_unknown_outlet": {
        "zh": "该网点已在本情景中关闭或撤并，不能再操作。",
        "en": "That outlet is already closed or merged in this scenario.",
    },
    "scen_err_not_own": {"zh": "只能调整本行网点。", "en": "Only our own outlets can be changed."},
    "scen_err_merge_self": {"zh": "网点不能并入自身。", "en": "An outlet cannot merge into itself."},
    "scen_err_bad_point": {"zh": "经纬度无效。", "en": "Invalid longitude or latitude."},
    "scen_err_bad_attractiveness": {"zh": "新网点面积必须大于 0。", "en": "The new outlet needs a floor area above 0."},
    "scen_err_bad_kind": {"zh": "未知的动作。", "en": "Unknown action."},
    "scen_err_empty_network": {"zh": "网络中没有网点。", "en": "The network has no outlets."},
    "scen_err_bad_retention": {"zh": "数字渠道留存率须在 0–100% 之间。", "en": "Digital retention must be 0–100 %."},
    "scen_err_name": {
        "zh": "请给情景起一个 1–100 个字符的名称。",
        "en": "Give the scenario a name of 1 to 100 characters.",
    },
    "scen_err_not_owner": {"zh": "只有创建者可以删除该情景。", "en": "Only its owner may delete this scenario."},
    "scen_coverage": {"zh": "覆盖半径（公里）", "en": "Coverage radius (km)"},
    "scen_digital": {"zh": "数字渠道留存率 %", "en": "Digital retention %"},
    "scen_computing": {"zh": "正在测算情景…", "en": "Evaluating the scenario…"},
    "scen_result_title": {"zh": "调整前后对比", "en": "Before and after"},
    "scen_metric_market_share": {"zh": "本行市场份额", "en": "Our market share"},
    "scen_metric_own_demand": {"zh": "本行吸纳需求", "en": "Demand we capture"},
    "scen_metric_deposits_rmb": {"zh": "估算存款", "en": "Expected deposits"},
    "scen_metric_customers": {"zh": "估算客户数", "en": "Expected customers"},
    "scen_metric_coverage_population": {"zh": "覆盖人口", "en": "Residents covered"},
    "scen_metric_coverage_share": {"zh": "人口覆盖率", "en": "Share of residents covered"},
    "scen_metric_own_outlets": {"zh": "本行网点数", "en": "Our outlets"},
    "scen_metric_annual_cost_rmb": {"zh": "年运营成本", "en": "Running cost per year"},
    "scen_metric_one_off_cost_rmb": {"zh": "一次性成本", "en": "One-off cost"},
    "scen_col_metric": {"zh": "指标", "en": "Figure"},
    "scen_col_before": {"zh": "调整前", "en": "Before"},
    "scen_col_after": {"zh": "调整后", "en": "After"},
    "scen_col_change": {"zh": "变化", "en": "Change"},
    "scen_flows_title": {"zh": "关闭网点客户的去向", "en": "Where a closed outlet's customers go"},
    "scen_flows_summary": {
        "zh": "**{name}**：{own} 转到本行其他网点，{rivals} 流向他行，{digital} 通过数字渠道留存；"
        "平均距离由 {before} 公里变为 {after} 公里。",
        "en": "**{name}**: {own} move to our other outlets, {rivals} go to competitors, {digital} stay through "
        "digital channels; the average distance goes from {before} km to {after} km.",
    },
    "scen_digital_channels": {"zh": "数字渠道", "en": "Digital channels"},
    "scen_competitor": {"zh": "他行", "en": "competitor"},
    "scen_col_closed": {"zh": "关闭网点", "en": "Closed outlet"},
    "scen_col_destination": {"zh": "去向", "en": "Goes to"},
    "scen_col_share": {"zh": "占比", "en": "Share"},
    "scen_col_customers": {"zh": "估算客户数", "en": "Expected customers"},
    "scen_flows_chart": {"zh": "客户去向（占原有客户的比例）", "en": "Where the customers go (share of those it had)"},
    "scen_col_action": {"zh": "动作", "en": "Action"},
    "scen_sheet_actions": {"zh": "动作", "en": "Actions"},
    "scen_saved_title": {"zh": "保存与比较", "en": "Save and compare"},
    "scen_name": {"zh": "情景名称", "en": "Scenario name"},
    "scen_save": {"zh": "保存情景", "en": "Save scenario"},
    "scen_saved": {"zh": "已保存情景“{name}”。", "en": "Scenario “{name}” saved."},
    "scen_none_saved": {"zh": "还没有保存的情景。", "en": "No saved scenarios yet."},
    "scen_col_owner": {"zh": "创建者", "en": "Owner"},
    "scen_col_created": {"zh": "创建时间", "en": "Created"},
    "scen_col_updated": {"zh": "更新时间", "en": "Updated"},
    "scen_col_actions": {"zh": "动作数", "en": "Actions"},
    "scen_compare": {"zh": "选择要并列比较的情景", "en": "Scenarios to compare side by side"},
    "scen_compare_help": {
        "zh": "“调整前”为第一个所选情景保存时的网络；各列为各情景调整后的数字（保存时计算）。",
        "en": "“Before” is the network when the first chosen scenario was saved; each column is a scenario's "
        "figures after its actions (computed when it was saved).",
    },
    "scen_compare_sheet": {"zh": "情景比较", "en": "Comparison"},
    "scen_download_compare": {"zh": "导出比较（Excel）", "en": "Download the comparison (Excel)"},
    "scen_delete_which": {"zh": "删除我的情景", "en": "Delete one of my scenarios"},
    "scen_delete": {"zh": "删除", "en": "Delete"},
    "scen_how": {
        "zh": "调整前后的网络都用 Huff 模型（λ = {decay}、α = {alpha}）把每个网格的需求（收入加权人口）"
        "分配到本行与他行网点。"
        "撤并：被撤并网点关闭，其柜台与人员并入目标网点，目标网点吸引力变为 √(A₁² + A₂²)。"
        "关闭网点原有客户按调整后的 Huff 概率重新选择网点，其中本应流向他行的部分按数字渠道留存率留在本行。"
        "覆盖人口：{coverage} 公里内有本行网点的网格人口。存款与客户数按现有网点“每单位吸纳需求的存款/客户”换算；"
        "年运营成本为租金与运营费用之和。",
        "en": "Before and after, the Huff model (λ = {decay}, α = {alpha}) shares each cell's demand (income-weighted "
        "residents) among our and competitors' outlets. Merge: the merged outlet closes and its counters and staff "
        "move to the target, whose attractiveness becomes √(A₁² + A₂²). A closed outlet's customers choose again "
        "with the after-scenario Huff probabilities; of those who would go to a competitor, the digital retention "
        "share stays with us. Residents covered: people in cells with one of our outlets within {coverage} km. "
        "Deposits and customers use our outlets' deposits and customers per unit of captured demand today; the "
        "running cost is rent plus running cost.",
    },
    # Network optimisation
    "opt_title": {"zh": "网络优化", "en": "Network optimisation"},
    "opt_caption": {
        "zh": "{unit}：从候选网格中选出 k 个新网点（可选择是否保留现有网点），"
        "用 HiGHS 求出可证明的最优解或给出最优性差距。",
        "en": "{unit}: choose k new sites from candidate cells (and whether existing outlets stay), solved with HiGHS "
        "to proven optimality or with the remaining gap stated.",
    },
    "opt_model": {"zh": "优化目标", "en": "Objective"},
    "opt_model_covering": {"zh": "最大覆盖", "en": "Maximal covering"},
    "opt_model_pmedian": {"zh": "p-中位（最小加权距离）", "en": "p-median (least weighted distance)"},
    "opt_model_huff": {"zh": "Huff 最大吸纳需求", "en": "Most Huff-captured demand"},
    "opt_model_covering_help": {
        "zh": "使覆盖半径内有本行网点的常住人口最多。",
        "en": "Most residents with one of our outlets within the coverage radius.",
    },
    "opt_model_pmedian_help": {
        "zh": "使常住人口到最近本行网点的加权距离之和最小。",
        "en": "Least total resident-weighted distance to the nearest of our outlets.",
    },
    "opt_model_huff_help": {
        "zh": "在与他行竞争的 Huff 模型下，使本行吸纳的需求（收入加权人口）最多。",
        "en": "Most demand (income-weighted residents) captured by our outlets under the Huff model "
        "against competitors.",
    },
    "opt_existing": {"zh": "现有网点", "en": "Existing outlets"},
    "opt_existing_fixed": {"zh": "全部保留", "en": "All stay open"},
    "opt_existing_may_close": {"zh": "允许关闭（总数不变）", "en": "May close (same total)"},
    "opt_k": {"zh": "新设网点数 k", "en": "New sites k"},
    "opt_n_candidates": {"zh": "候选网格数", "en": "Candidate cells"},
    "opt_spacing": {"zh": "候选点距现有网点至少（公里）", "en": "Candidates at least this far from our outlets (km)"},
    "opt_radius": {"zh": "覆盖半径（公里）", "en": "Coverage radius (km)"},
    "opt_method": {"zh": "求解方法", "en": "Method"},
    "opt_method_exact": {"zh": "精确（线性化 MILP）", "en": "Exact (linearised MILP)"},
    "opt_method_greedy": {"zh": "贪心（保证 ≥ 63%）", "en": "Greedy (guarantee ≥ 63 %)"},
    "opt_cutoff": {"zh": "吸引距离上限（公里）", "en": "Pull cut-off (km)"},
    "opt_time_limit": {"zh": "求解时间上限（秒）", "en": "Time limit (s)"},
    "opt_budget_on": {"zh": "建设成本预算约束", "en": "Budget on build cost"},
    "opt_budget": {"zh": "预算（元）", "en": "Budget (RMB)"},
    "opt_build_cost_note": {
        "zh": "每个新网点建设成本 {cost}（同类型中位数）",
        "en": "Build cost {cost} per new site (median of the type)",
    },
    "opt_pmedian_no_budget": {
        "zh": "p-中位模型不支持预算约束（新网点成本相同时，预算等同于限制 k）。",
        "en": "The p-median model takes no budget (with equal costs per new site a budget only limits k).",
    },
    "opt_size": {
        "zh": "{cells} 个需求网格 · {existing} 个现有网点 · {new} 个候选点 · 共开设 {p} 个",
        "en": "{cells} demand cells · {existing} existing outlets · {new} candidate sites · {p} open in total",
    },
    "opt_err_k": {
        "zh": "k = {k} 超过候选点数量 {n}：请减少 k 或增加候选网格。",
        "en": "k = {k} is more than the {n} candidate sites: lower k or allow more candidate cells.",
    },
    "opt_err_budget": {
        "zh": "预算不足：最便宜的方案也超出预算。请提高预算或减少 k。",
        "en": "The budget is too small: even the cheapest choice exceeds it. Raise the budget or lower k.",
    },
    "opt_err_no_solution": {
        "zh": "在时间上限内没有找到满足预算的方案，请延长时间上限。",
        "en": "No solution within the budget was found within the time limit; allow more time.",
    },
    "opt_err_too_large": {
        "zh": "问题规模过大，无法使用精确方法：请减少候选网格、缩小吸引距离上限，或改用贪心法。",
        "en": "Too large for the exact method: use fewer candidate cells, a smaller pull cut-off, or the "
        "greedy method.",
    },
    "opt_err_input": {"zh": "参数无效：{message}", "en": "Invalid input: {message}"},
    "opt_solve": {"zh": "求解", "en": "Solve"},
    "opt_solving": {"zh": "正在求解… 已用 {seconds} 秒", "en": "Solving… {seconds} s so far"},
    "opt_press_solve": {"zh": "设置好参数后点击“求解”。", "en": "Set the options, then press Solve."},
    "opt_result_title": {"zh": "求解结果", "en": "Result"},
    "opt_metric_status": {"zh": "状态", "en": "Status"},
    "opt_status_optimal": {"zh": "已证明最优", "en": "Proven optimal"},
    "opt_status_time_limit": {"zh": "达到时间上限（未证明最优）", "en": "Time limit (not proven optimal)"},
    "opt_status_heuristic": {"zh": "贪心解", "en": "Greedy solution"},
    "opt_objective_covering": {"zh": "覆盖人口", "en": "Residents covered"},
    "opt_objective_pmedian": {"zh": "加权距离", "en": "Weighted distance"},
    "opt_objective_huff": {"zh": "本行吸纳需求", "en": "Demand we capture"},
    "opt_metric_today": {"zh": "现有网络", "en": "Today's network"},
    "opt_metric_gap": {"zh": "最优性差距", "en": "Optimality gap"},
    "opt_metric_time": {"zh": "求解时间", "en": "Solve time"},
    "opt_seconds": {"zh": "{seconds} 秒", "en": "{seconds} s"},
    "opt_person_km": {"zh": "{value} 人·公里", "en": "{value} person-km"},
    "opt_covering_share": {"zh": "覆盖全部常住人口的 {share}。", "en": "{share} of all residents."},
    "opt_not_proven": {
        "zh": "时间上限内未能证明最优：这是找到的最好方案，最优值不超过（或不低于）{bound}。",
        "en": "Not proven optimal within the time limit: this is the best solution found; the optimum is "
        "bounded by {bound}.",
    },
    "opt_greedy_note": {
        "zh": "贪心解至少达到最优值的 63%（1 − 1/e），因此最优值不超过 {bound}。",
        "en": "The greedy solution is within 63 % (1 − 1/e) of the optimum, so the optimum is at most {bound}.",
    },
    "opt_col_site": {"zh": "网点 / 候选点", "en": "Outlet / site"},
    "opt_col_decision": {"zh": "决策", "en": "Decision"},
    "opt_col_build_cost": {"zh": "建设成本", "en": "Build cost"},
    "opt_col_value": {"zh": "数值", "en": "Value"},
    "opt_decision_open": {"zh": "新设", "en": "Open"},
    "opt_decision_keep": {"zh": "保留", "en": "Keep"},
    "opt_decision_close": {"zh": "关闭", "en": "Close"},
    "opt_candidate": {"zh": "未选中的候选点", "en": "Candidate not chosen"},
    "opt_legend": {"zh": "决策", "en": "Decision"},
    "opt_how": {
        "zh": "候选点为人口最多、距现有网点足够远的网格中心。最大覆盖与 p-中位以常住人口为权重、直线距离为成本"
        "（只在同城内）；Huff 目标为 Σ D_i·W_i/(C_i+W_i)，W_i 为所选网点的吸引力 A^α d^(−λ)（λ = {decay}、"
        "α = {alpha}），"
        "C_i 为他行。精确解由 scipy 的 HiGHS（milp）求得：p-中位用 Benders 分解，最大覆盖合并相同覆盖集，"
        "Huff 用 Haase 线性化；状态为“已证明最优”时差距小于 10⁻⁷。",
        "en": "Candidates are the centres of the most populous cells far enough from our outlets. Maximal covering and "
        "p-median weight residents by straight-line distance (within a city); the Huff objective is "
        "Σ D_i·W_i/(C_i+W_i), W_i the chosen sites' attraction A^α d^(−λ) (λ = {decay}, α = {alpha}), C_i the "
        "competitors'. Exact solutions come from scipy's HiGHS (milp): Benders decomposition for the p-median, merged "
        "coverage sets for maximal covering, Haase's linearisation for Huff; “proven optimal” means a gap below 10⁻⁷.",
    },
    # Which dates the planning pages show (they do not follow the sidebar month otherwise).
    "plan_data_current": {
        "zh": "数据日期：需求网格、网点与竞争对手为数据库中的当前数据，不随侧栏月份变化。",
        "en": "Data dates: the demand grid, outlets and competitors are as they are in the database now,"
        " whatever the sidebar month.",
    },
    "plan_data_kpi_month": {
        "zh": "存款与客户数取 {month} 的数据（侧栏所选月份）。",
        "en": "Deposits and customers are those of {month} (the sidebar month).",
    },
}

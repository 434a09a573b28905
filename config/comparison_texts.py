"""User-facing strings of the comparison pages, zh and en; merged into the translation table."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # Navigation
    "nav_section_comparison": {"zh": "对比分析", "en": "Comparisons"},
    "page_rankings": {"zh": "排名与PK赛", "en": "Rankings and contests"},
    "page_peer_groups": {"zh": "对标分组与分类", "en": "Peer groups and classes"},
    "page_efficiency": {"zh": "效率分析（DEA）", "en": "Efficiency (DEA)"},
    "page_bulletin": {"zh": "经营简报", "en": "Results bulletin"},
    # Shared
    "rank_period_month": {"zh": "当月", "en": "Month"},
    "rank_period_qtd": {"zh": "本季累计", "en": "Quarter to date"},
    "rank_period_ytd": {"zh": "本年累计", "en": "Year to date"},
    "rank_period_last12": {"zh": "近12个月", "en": "Last 12 months"},
    "rank_no_outlets": {
        "zh": "所选机构下没有营业中的网点。",
        "en": "There are no open outlets under the selected unit.",
    },
    "rank_position_title": {"zh": "本网点在同类网点中的位次（{month}）", "en": "Your position among peers ({month})"},
    "rank_position_rank": {"zh": "排名", "en": "Rank"},
    "rank_position_moved": {"zh": "较上月 {places:+d} 位", "en": "{places:+d} places on last month"},
    "rank_position_value": {"zh": "本网点", "en": "Your figure"},
    "rank_position_median": {"zh": "同类网点中位数", "en": "Peers' median"},
    "rank_position_note": {
        "zh": "其他网点的数据不在您的权限范围内，只显示排名与中位数；下表为您权限内的网点。",
        "en": "Other outlets' figures are outside your scope, so only the rank and the median are shown; the "
        "table below lists the outlets in your scope.",
    },
    "rank_month_not_covered": {
        "zh": "所选月份 {chosen} 本机构没有指标数据（数据覆盖 {first} 至 {last}），本页显示 {shown}。",
        "en": "This unit has no KPI data for the chosen month {chosen} (data cover {first} to {last}); "
        "the page shows {shown}.",
    },
    "rank_no_data": {
        "zh": "所选期间没有数据（{period}）。请选择其他月份或期间。",
        "en": "There are no data for the chosen period ({period}). Choose another month or period.",
    },
    "rank_scope_error": {
        "zh": "所选网点超出您的权限范围，未显示任何数据。",
        "en": "The chosen outlets are outside your scope; nothing is shown.",
    },
    "rank_unit_rmb": {"zh": "元", "en": "RMB"},
    "rank_unit_count": {"zh": "数量", "en": "count"},
    "rank_unit_ratio": {"zh": "比率", "en": "ratio"},
    "rank_unit_minutes": {"zh": "分钟", "en": "minutes"},
    "rank_unit_score": {"zh": "得分", "en": "score"},
    # Rankings page
    "rank_title": {"zh": "排名与PK赛", "en": "Rankings and head-to-head contests"},
    "rank_caption": {
        "zh": "{unit} · {count} 个网点 · 截至 {month}",
        "en": "{unit} · {count} outlets · up to {month}",
    },
    "rank_tab_league": {"zh": "排行榜", "en": "League table"},
    "rank_tab_pk": {"zh": "PK对比", "en": "Head-to-head (PK)"},
    "rank_metric": {"zh": "指标", "en": "Metric"},
    "rank_period": {"zh": "期间", "en": "Period"},
    "rank_peers": {"zh": "对标范围", "en": "Compare within"},
    "rank_peers_all": {"zh": "全部网点", "en": "All outlets"},
    "rank_peers_type": {"zh": "同类型网点", "en": "Same outlet type"},
    "rank_peers_size": {"zh": "同规模网点", "en": "Same size band"},
    "rank_peers_group": {"zh": "自定义分组：{name}", "en": "Peer group: {name}"},
    "rank_outlet_type": {"zh": "网点类型", "en": "Outlet type"},
    "rank_size_band": {"zh": "规模档（按员工数）", "en": "Size band (by staff)"},
    "size_band_small": {"zh": "小型", "en": "Small"},
    "size_band_medium": {"zh": "中型", "en": "Medium"},
    "size_band_large": {"zh": "大型", "en": "Large"},
    "rank_league_chart": {"zh": "{metric}排行（{period}）", "en": "{metric} league table ({period})"},
    "rank_col_rank": {"zh": "名次", "en": "Rank"},
    "rank_col_previous_rank": {"zh": "上期名次", "en": "Previous rank"},
    "rank_col_movement": {"zh": "名次变化", "en": "Movement"},
    "rank_col_value": {"zh": "本期", "en": "This period"},
    "rank_col_previous_value": {"zh": "上期", "en": "Previous period"},
    "rank_col_change": {"zh": "变化", "en": "Change"},
    "rank_col_percentile": {"zh": "同组百分位", "en": "Percentile in group"},
    "rank_movement_note": {
        "zh": "名次变化 = 上期名次 − 本期名次（▲上升，▼下降）；上期为截至上月的同类期间。并列取最好名次。",
        "en": "Movement = previous rank − rank (▲ up, ▼ down); the previous period is the same kind of period "
        "ending a month earlier. Ties share the best rank.",
    },
    "rank_download": {"zh": "导出排行榜（Excel）", "en": "Download the league table (Excel)"},
    "rank_pk_outlets": {"zh": "参赛网点（至少两个）", "en": "Outlets (two or more)"},
    "rank_pk_metrics": {"zh": "对比指标", "en": "Metrics"},
    "rank_pk_months": {"zh": "期间截止月份", "en": "Periods ending in"},
    "rank_pk_need_two": {"zh": "请至少选择两个网点和一个指标。", "en": "Choose at least two outlets and one metric."},
    "rank_pk_single_outlet": {
        "zh": "您的权限范围内只有一个网点，无法进行PK对比。",
        "en": "Your scope holds a single outlet: there is nobody to compete with.",
    },
    "rank_pk_radar": {
        "zh": "雷达图（{month}，以参赛网点最佳值为100）",
        "en": "Radar ({month}, best of the outlets = 100)",
    },
    "rank_pk_small_multiples": {"zh": "各指标走势", "en": "Each metric over the periods"},
    "rank_pk_differences": {"zh": "与 {reference} 的差距（{month}）", "en": "Difference from {reference} ({month})"},
    "rank_pk_reference": {"zh": "对比基准网点", "en": "Reference outlet"},
    "rank_col_outlet": {"zh": "网点", "en": "Outlet"},
    "rank_col_metric": {"zh": "指标", "en": "Metric"},
    "rank_col_reference": {"zh": "基准值", "en": "Reference"},
    "rank_col_difference": {"zh": "差值", "en": "Difference"},
    "rank_col_relative": {"zh": "相对差", "en": "Relative"},
    "rank_col_better": {"zh": "是否领先", "en": "Ahead?"},
    "rank_better_yes": {"zh": "领先", "en": "ahead"},
    "rank_better_no": {"zh": "落后", "en": "behind"},
    "rank_better_tie": {"zh": "持平", "en": "level"},
    "rank_pk_download": {"zh": "导出PK结果（Excel）", "en": "Download the contest (Excel)"},
    "rank_how_computed": {
        "zh": "各指标按指标目录口径在数据库中汇总：流量指标（收入、交易笔数、新增客户）按期间求和，余额类指标取期末"
        "月，"
        "比率（成本收入比、电子渠道分流率、平均等候时间）由分子分母的期间合计重新计算，不对网点比率求平均。"
        "同组百分位 = 同组中比本网点差的网点数（并列计一半）÷（同组网点数 − 1）× 100，最好为100，最差为0。"
        "雷达图中每个指标以参赛网点的最佳值为100（越低越好的指标取 最佳值 ÷ 本值）。",
        "en": "Each metric is aggregated in the database by its catalogue rule: flows (income, transactions, new "
        "customers) are summed over the period, balances are taken at the period's last month, and ratios "
        "(cost-income, e-channel rate, average wait) are recomputed from the period totals of their numerator "
        "and denominator, never averaged over outlets. Percentile in group = peers doing worse (ties count half) ÷ "
        "(peers − 1) × 100: the best is 100, the worst 0. On the radar each metric is scaled so that the best of "
        "the outlets compared is 100 (best ÷ value for lower-is-better metrics).",
    },
    # Peer groups page
    "peer_title": {"zh": "对标分组与网点分类", "en": "Peer groups and outlet classification"},
    "peer_basis": {"zh": "分组依据", "en": "Group outlets by"},
    "peer_basis_all": {"zh": "全部网点为一组", "en": "All outlets as one group"},
    "peer_basis_type": {"zh": "网点类型", "en": "Outlet type"},
    "peer_basis_size": {"zh": "规模档", "en": "Size band"},
    "peer_basis_character": {"zh": "商圈特征", "en": "Trade-area character"},
    "peer_basis_type_size": {"zh": "类型 × 规模", "en": "Type × size"},
    "peer_basis_user": {"zh": "自定义分组", "en": "User peer groups"},
    "peer_group_label": {"zh": "对标组", "en": "Peer group"},
    "peer_character_sparse": {"zh": "稀疏型", "en": "Sparse"},
    "peer_character_suburban": {"zh": "一般型", "en": "Suburban"},
    "peer_character_dense": {"zh": "密集型", "en": "Dense"},
    "peer_tab_percentiles": {"zh": "同组百分位", "en": "Percentiles within peers"},
    "peer_tab_abcd": {"zh": "ABCD分类", "en": "A/B/C/D classes"},
    "peer_tab_groups": {"zh": "管理自定义分组", "en": "Manage peer groups"},
    "peer_metrics": {"zh": "百分位指标", "en": "Metrics"},
    "peer_percentile_chart": {
        "zh": "各网点在同组中的百分位（{period}）",
        "en": "Percentile of each outlet among its peers ({period})",
    },
    "peer_axis_percentile": {"zh": "同组百分位（100 = 最好）", "en": "Percentile among peers (100 = best)"},
    "peer_col_group": {"zh": "对标组", "en": "Peer group"},
    "peer_col_size": {"zh": "规模档", "en": "Size"},
    "peer_col_character": {"zh": "商圈特征", "en": "Trade area"},
    "peer_col_peers": {"zh": "同组网点数", "en": "Peers"},
    "peer_col_potential": {"zh": "市场潜力（收入加权人口）", "en": "Market potential (income-weighted residents)"},
    "peer_col_share": {"zh": "潜力转化率", "en": "Output per unit of potential"},
    "peer_col_class": {"zh": "分类", "en": "Class"},
    "peer_col_strategy": {"zh": "建议策略（一点一策）", "en": "Recommended strategy (one outlet, one plan)"},
    "peer_col_residents": {"zh": "{radius}公里内常住人口", "en": "Residents within {radius} km"},
    "peer_col_income": {"zh": "收入指数", "en": "Income index"},
    "peer_col_businesses": {"zh": "{radius}公里内企业数", "en": "Businesses within {radius} km"},
    "peer_col_competitors": {"zh": "{radius}公里内他行网点", "en": "Other banks within {radius} km"},
    "peer_output_metric": {"zh": "产出指标", "en": "Output metric"},
    "peer_split": {"zh": "分界线", "en": "Split at"},
    "peer_split_median": {"zh": "中位数", "en": "Median"},
    "peer_split_mean": {"zh": "平均数", "en": "Mean"},
    "peer_abcd_within": {"zh": "在对标组内分别划分", "en": "Split within each peer group"},
    "peer_abcd_chart": {
        "zh": "ABCD象限图：市场潜力 × 潜力转化率（{period}）",
        "en": "A/B/C/D quadrants: market potential × output per unit of potential ({period})",
    },
    "peer_axis_potential": {
        "zh": "市场潜力（收入加权人口，对数坐标）",
        "en": "Market potential (income-weighted residents, log scale)",
    },
    "peer_axis_share": {"zh": "{metric} ÷ 市场潜力（对数坐标）", "en": "{metric} ÷ market potential (log scale)"},
    "peer_class_A": {"zh": "A 类：市场好、地位强", "en": "A: good market, strong position"},
    "peer_class_B": {"zh": "B 类：潜力大、份额低", "en": "B: large potential, low share"},
    "peer_class_C": {"zh": "C 类：地位强、产出低", "en": "C: strong position, low output"},
    "peer_class_D": {"zh": "D 类：市场与地位均弱", "en": "D: weak market and position"},
    "peer_strategy_A": {
        "zh": "巩固提升：作为标杆网点，保持资源投入，推广财富管理与综合金融服务，输出经验。",
        "en": "Consolidate: keep investing, push wealth management and full-service banking, and use it as a "
        "benchmark outlet for others.",
    },
    "peer_strategy_B": {
        "zh": "抢占份额：市场潜力大但份额低，加强营销与客户经理配置，针对他行客户开展竞争性营销，必要时改造升级网点。",
        "en": "Win share: the market is there but competitors hold it; add relationship managers and campaigns "
        "aimed at other banks' customers, and upgrade the outlet where it falls short.",
    },
    "peer_strategy_C": {
        "zh": "提质增效：在较小市场中地位已强，控制成本、提高人均效能，推动业务向电子渠道分流，可考虑轻型化。",
        "en": "Run lean: a strong position in a small market; control cost, raise output per staff, move routine "
        "business to e-channels and consider a lighter format.",
    },
    "peer_strategy_D": {
        "zh": "调整优化：市场与地位均弱，评估迁址、合并（撤并）或转为自助网点。",
        "en": "Restructure: weak market and weak position; assess relocation, merger or conversion to self-service.",
    },
    "peer_class_counts": {"zh": "各类网点数", "en": "Outlets per class"},
    "peer_unclassified": {
        "zh": "{count} 个网点因产出或潜力缺失（或为零）未参与分类。",
        "en": "{count} outlets are not classified: their output or potential is missing or zero.",
    },
    "peer_abcd_few": {
        "zh": "只有 {count} 个网点参与分类（建议至少 {minimum} 个）："
        "分类是相对于所比较网点的中位数划分的，网点太少时意义有限。",
        "en": "Only {count} outlets are classified (at least {minimum} advised): classes are relative to the medians "
        "of the outlets compared, so with so few they say little.",
    },
    "peer_potential_note": {
        "zh": "市场潜力为过渡估算：城市内每个H3网格的常住人口 × 收入指数，按Huff模型（距离衰减λ = 2，所有网点吸引力相"
        "同）"
        "在本行与他行全部营业网点之间分配，某网点的潜力即其位置上一个普通网点可吸引的收入加权人口。它反映人口、收入和"
        "竞争，"
        "不因网点自身规模而变化；企业客户需求未计入。待选址模块的校准Huff潜力上线后替换。"
        "潜力转化率 = 产出 ÷ 潜力；分界线默认取参与分类网点的中位数。",
        "en": "Market potential is an interim estimate: each H3 cell's residents × income index are shared among all "
        "open outlets of the city, ours and other banks', by a Huff model (distance decay λ = 2, equal "
        "attractiveness), so an outlet's potential is the income-weighted residents a typical outlet at its location "
        "would attract. It reflects population, income and competition, not the outlet's own size; corporate demand "
        "is not included. It will be replaced by the site-selection module's calibrated Huff potential. Output per "
        "unit of potential = output ÷ potential; the splits default to the medians of the classified outlets.",
    },
    "peer_no_trade_area": {
        "zh": "没有商圈数据（人口网格），无法估算市场潜力。",
        "en": "There are no trade-area data (demand grid), so market potential cannot be estimated.",
    },
    "peer_download": {"zh": "导出分类结果（Excel）", "en": "Download the classes (Excel)"},
    "peer_groups_list": {"zh": "已保存的自定义分组", "en": "Saved peer groups"},
    "peer_groups_none": {"zh": "尚无自定义分组。", "en": "No peer groups yet."},
    "peer_col_name": {"zh": "分组名称", "en": "Name"},
    "peer_col_members": {"zh": "网点数", "en": "Outlets"},
    "peer_col_created_by": {"zh": "创建人", "en": "Created by"},
    "peer_col_created_at": {"zh": "创建时间", "en": "Created"},
    "peer_edit_group": {"zh": "编辑分组", "en": "Edit group"},
    "peer_new_group": {"zh": "（新建分组）", "en": "(new group)"},
    "peer_group_name": {"zh": "分组名称", "en": "Group name"},
    "peer_group_members": {"zh": "组内网点", "en": "Member outlets"},
    "peer_save": {"zh": "保存分组", "en": "Save group"},
    "peer_delete": {"zh": "删除分组", "en": "Delete group"},
    "peer_saved": {"zh": "分组“{name}”已保存。", "en": "Peer group “{name}” saved."},
    "peer_deleted": {"zh": "分组已删除。", "en": "Peer group deleted."},
    "peer_read_only": {
        "zh": "只有区域管理层和规划人员可以新建或修改自定义分组。",
        "en": "Only executives and planners can create or change peer groups.",
    },
    "peer_err_role": {
        "zh": "您的角色不能新建或修改自定义分组。",
        "en": "Your role may not create or change peer groups.",
    },
    "peer_err_name": {
        "zh": "请填写分组名称（不超过 {max_length} 个字符）。",
        "en": "Enter a group name of at most {max_length} characters.",
    },
    "peer_err_name_taken": {"zh": "已有名为“{name}”的分组。", "en": "A peer group named “{name}” already exists."},
    "peer_err_too_few": {
        "zh": "一个分组至少需要 {minimum} 个网点。",
        "en": "A peer group needs at least {minimum} outlets.",
    },
    "peer_err_members": {
        "zh": "分组只能包含您权限范围内的网点。",
        "en": "A peer group may only hold outlets inside your scope.",
    },
    "peer_err_unknown": {
        "zh": "找不到该分组，或其中有您权限范围外的网点。",
        "en": "Unknown peer group, or it holds outlets outside your scope.",
    },
    "peer_how_computed": {
        "zh": "规模档：按员工数把网点三等分（小、中、大）；商圈特征：按网点 {radius} 公里内常住人口三等分（稀疏、一般"
        "、密集）。"
        "三等分都在当前机构范围内的网点之间进行，因此是相对划分。",
        "en": "Size band: outlets split into equal thirds by staff (small, medium, large). Trade-area character: equ"
        "al "
        "thirds by residents within {radius} km (sparse, suburban, dense). Both are relative to the outlets of the "
        "unit shown.",
    },
    # Efficiency (DEA) page
    "dea_title": {"zh": "效率分析（数据包络分析 DEA）", "en": "Efficiency (data envelopment analysis)"},
    "dea_inputs": {"zh": "投入", "en": "Inputs"},
    "dea_outputs": {"zh": "产出", "en": "Outputs"},
    "dea_model": {"zh": "模型", "en": "Model"},
    "dea_model_ccr": {"zh": "CCR（规模报酬不变）", "en": "CCR (constant returns to scale)"},
    "dea_model_bcc": {"zh": "BCC（规模报酬可变）", "en": "BCC (variable returns to scale)"},
    "dea_orientation": {"zh": "导向", "en": "Orientation"},
    "dea_orientation_input": {"zh": "投入导向（产出不变，减少投入）", "en": "Input (same outputs with fewer inputs)"},
    "dea_orientation_output": {
        "zh": "产出导向（投入不变，增加产出）",
        "en": "Output (more outputs from the same inputs)",
    },
    "dea_input_staff": {"zh": "员工人数", "en": "Staff"},
    "dea_input_counters": {"zh": "柜台数（高柜 + 低柜）", "en": "Counters (cash + non-cash)"},
    "dea_input_machines": {"zh": "自助机具数（ATM + 智能机具）", "en": "Machines (ATMs + smart machines)"},
    "dea_input_floor_area": {"zh": "营业面积（平方米）", "en": "Floor area (m²)"},
    "dea_input_premises_cost": {"zh": "月租金与运营成本（元/月）", "en": "Rent and running cost (RMB per month)"},
    "dea_input_operating_cost": {"zh": "营业费用（期间合计）", "en": "Operating cost (period total)"},
    "dea_need_variables": {"zh": "请至少选择一个投入和一个产出。", "en": "Choose at least one input and one output."},
    "dea_excluded": {
        "zh": "{count} 个网点因投入或产出缺失、为零或为负被排除（DEA要求所有数据为正）：{names}",
        "en": "{count} outlets are left out because an input or output is missing, zero or negative (DEA needs "
        "positive data): {names}",
    },
    "dea_too_few": {
        "zh": "只有 {n} 个网点，少于经验法则要求的 3 ×（投入数 + 产出数）= {minimum} 个：很多网点会仅因缺少可比对象而"
        "得分为1，结果区分度差。",
        "en": "Only {n} outlets, fewer than the rule of thumb 3 × (inputs + outputs) = {minimum}: many outlets will "
        "score 1 only because nobody resembles them, so the scores discriminate poorly.",
    },
    "dea_need_two": {
        "zh": "至少需要两个数据完整的网点才能进行DEA分析。",
        "en": "DEA needs at least two outlets with complete data.",
    },
    "dea_metric_units": {"zh": "参评网点", "en": "Outlets assessed"},
    "dea_metric_efficient": {"zh": "有效网点", "en": "Efficient outlets"},
    "dea_metric_mean": {"zh": "平均效率", "en": "Mean efficiency"},
    "dea_metric_median": {"zh": "效率中位数", "en": "Median efficiency"},
    "dea_scores_chart": {
        "zh": "效率得分（{model}，{orientation}）",
        "en": "Efficiency scores ({model}, {orientation})",
    },
    "dea_axis_efficiency": {"zh": "效率（1 = 有效前沿）", "en": "Efficiency (1 = on the frontier)"},
    "dea_series_efficient": {"zh": "有效", "en": "Efficient"},
    "dea_series_inefficient": {"zh": "非有效", "en": "Inefficient"},
    "dea_col_efficiency": {"zh": "效率", "en": "Efficiency"},
    "dea_col_efficient": {"zh": "是否有效", "en": "Efficient"},
    "dea_col_peers": {"zh": "参照网点（λ权重）", "en": "Reference peers (λ weights)"},
    "dea_col_super": {"zh": "超效率", "en": "Super-efficiency"},
    "dea_col_super_rank": {"zh": "超效率排名", "en": "Super-efficiency rank"},
    "dea_yes": {"zh": "是", "en": "yes"},
    "dea_no": {"zh": "否", "en": "no"},
    "dea_targets_title": {"zh": "改进目标", "en": "Improvement targets"},
    "dea_target_outlet": {"zh": "选择网点", "en": "Outlet"},
    "dea_target_efficient": {
        "zh": "{outlet} 位于有效前沿上（效率 = 1，无松弛），无需改进。",
        "en": "{outlet} is on the frontier (efficiency 1, no slack): nothing to improve.",
    },
    "dea_target_intro": {
        "zh": "{outlet} 的效率为 {score}。要达到有效前沿，该网点应：",
        "en": "{outlet} scores {score}. To reach the frontier, this outlet should:",
    },
    "dea_target_reduce": {
        "zh": "将{variable}从 {actual} 降至 {target}（{relative}；其中等比例压缩 {radial}，松弛 {slack}）",
        "en": "reduce {variable} from {actual} to {target} ({relative}; radial {radial}, slack {slack})",
    },
    "dea_target_raise": {
        "zh": "将{variable}从 {actual} 提高到 {target}（{relative}；其中等比例扩张 {radial}，松弛 {slack}）",
        "en": "raise {variable} from {actual} to {target} ({relative}; radial {radial}, slack {slack})",
    },
    "dea_target_peers": {
        "zh": "对标学习：{peers}（括号内为λ权重，目标即这些网点的加权组合）。",
        "en": "Learn from: {peers} (λ weights in brackets; the target is their weighted combination).",
    },
    "dea_targets_table": {"zh": "全部非有效网点的改进目标", "en": "Targets of every inefficient outlet"},
    "dea_col_variable": {"zh": "变量", "en": "Variable"},
    "dea_col_kind": {"zh": "类别", "en": "Kind"},
    "dea_col_actual": {"zh": "实际", "en": "Actual"},
    "dea_col_target": {"zh": "目标", "en": "Target"},
    "dea_col_relative": {"zh": "变动", "en": "Change"},
    "dea_kind_input": {"zh": "投入", "en": "input"},
    "dea_kind_output": {"zh": "产出", "en": "output"},
    "dea_super_title": {"zh": "超效率排名（有效网点）", "en": "Super-efficiency ranking of the efficient outlets"},
    "dea_super_note": {
        "zh": "超效率（Andersen–Petersen）：将有效网点从参照集中剔除后重新评价，得分可超过1，用于区分并列为1的有效网"
        "点。"
        "BCC模型下个别网点无可行解，显示为“—”。",
        "en": "Super-efficiency (Andersen–Petersen) scores each efficient outlet against the others only, so scores "
        "can exceed 1 and rank the outlets tied at 1. Under BCC some outlets have no feasible solution (shown as —).",
    },
    "dea_none_efficient": {"zh": "没有有效网点。", "en": "No outlet is efficient."},
    "dea_download": {"zh": "导出DEA结果（Excel）", "en": "Download the DEA results (Excel)"},
    "dea_error": {"zh": "DEA无法计算：{reason}", "en": "DEA could not be computed: {reason}"},
    "dea_how_computed": {
        "zh": "包络形式的径向DEA（scipy HiGHS求解）：CCR假设规模报酬不变，BCC增加 Σλ = 1（规模报酬可变）。投入导向求"
        "最小θ，"
        "使参照网点的加权组合以 θ 倍投入生产不少于本网点的产出；产出导向求最大φ，效率报告为1/φ。第二阶段在θ（或φ）固"
        "定后最大化松弛。"
        "目标 = 径向调整 + 松弛。投入（员工、柜台、面积、租金与运营成本）取当前网点资料，营业费用和产出按所选期间汇总"
        "。",
        "en": "Radial DEA in envelopment form, solved with scipy's HiGHS: CCR assumes constant returns to scale, BCC "
        "adds Σλ = 1 (variable returns). Input orientation finds the smallest θ such that a weighted combination of "
        "peers makes at least this outlet's outputs with θ times its inputs; output orientation the largest φ, "
        "reported as 1/φ. A second phase maximises the slacks with θ (or φ) fixed. Target = radial move + slack. "
        "Staff, counters, floor area, rent and running cost are the outlets' current facts; operating cost and "
        "outputs are totals (flows) or end balances (stocks) over the chosen period.",
    },
    # Bulletin page and documents
    "bulletin_title": {"zh": "经营简报", "en": "Monthly results bulletin"},
    "bulletin_intro": {
        "zh": "一键生成所选机构的月度经营简报（A4 PDF 与 Excel）：主要指标、目标完成、排名、进退步最大网点、预警与图"
        "表。",
        "en": "One click produces the monthly bulletin of the selected unit as an A4 PDF and an Excel workbook: "
        "headline figures, target completion, rankings, biggest movers, alerts and charts.",
    },
    "bulletin_language": {"zh": "简报语言", "en": "Bulletin language"},
    "bulletin_ranking_metric": {"zh": "排名指标", "en": "Ranking metric"},
    "bulletin_generate": {"zh": "生成简报", "en": "Produce the bulletin"},
    "bulletin_ready": {"zh": "简报已生成（{seconds} 秒）。", "en": "Bulletin ready ({seconds} s)."},
    "bulletin_download_pdf": {"zh": "下载 PDF（A4）", "en": "Download PDF (A4)"},
    "bulletin_download_xlsx": {"zh": "下载 Excel", "en": "Download Excel"},
    "bulletin_preview": {"zh": "简报内容预览", "en": "Preview"},
    "bulletin_err_no_font": {
        "zh": "系统中没有中文字体，无法生成PDF。请管理员安装 fonts-wqy-microhei 或 fonts-noto-cjk。Excel 版本仍可下载"
        "。",
        "en": "No Chinese (CJK) font is installed, so the PDF cannot be made. Ask an administrator to install "
        "fonts-wqy-microhei or fonts-noto-cjk. The Excel version can still be downloaded.",
    },
    "bulletin_pdf_title": {"zh": "{unit} 经营简报（{month}）", "en": "{unit} results bulletin, {month}"},
    "bulletin_footer": {
        "zh": "{unit} · {month} 经营简报 · BranchScope",
        "en": "{unit} · bulletin {month} · BranchScope",
    },
    "bulletin_generated": {"zh": "生成时间：{at}", "en": "Produced {at}"},
    "bulletin_demo_note": {
        "zh": "注：本简报基于演示（模拟）数据。",
        "en": "Note: this bulletin is based on demo (synthetic) data.",
    },
    "bulletin_section_headline": {"zh": "一、主要指标", "en": "1. Headline figures"},
    "bulletin_section_targets": {"zh": "二、目标完成情况", "en": "2. Target completion"},
    "bulletin_section_ranking": {"zh": "三、网点排名：{metric}", "en": "3. Outlet ranking: {metric}"},
    "bulletin_section_movers": {"zh": "四、进退步最大网点：{metric}", "en": "4. Biggest movers: {metric}"},
    "bulletin_section_children": {"zh": "五、下级机构对比：{metric}", "en": "5. Units compared: {metric}"},
    "bulletin_section_outlet_targets": {"zh": "六、下级机构目标进度落后项", "en": "6. Units behind target"},
    "bulletin_section_alerts": {"zh": "七、预警", "en": "7. Alerts"},
    "bulletin_col_metric": {"zh": "指标", "en": "Metric"},
    "bulletin_col_value": {"zh": "本月", "en": "This month"},
    "bulletin_col_vs_previous": {"zh": "较上月", "en": "vs last month"},
    "bulletin_col_vs_last_year": {"zh": "较去年同期", "en": "vs a year ago"},
    "bulletin_col_target": {"zh": "目标", "en": "Target"},
    "bulletin_col_actual": {"zh": "实际", "en": "Actual"},
    "bulletin_col_attainment": {"zh": "序时完成率", "en": "Attainment"},
    "bulletin_col_completion": {"zh": "全年完成率", "en": "Of full target"},
    "bulletin_col_due": {"zh": "序时目标", "en": "Target to date"},
    "bulletin_col_status": {"zh": "状态", "en": "Status"},
    "bulletin_col_rank": {"zh": "名次", "en": "Rank"},
    "bulletin_col_previous_rank": {"zh": "上月名次", "en": "Previous rank"},
    "bulletin_col_movement": {"zh": "变化", "en": "Move"},
    "bulletin_col_outlet": {"zh": "网点", "en": "Outlet"},
    "bulletin_col_parent": {"zh": "所属支行", "en": "Sub-branch"},
    "bulletin_col_code": {"zh": "机构代码", "en": "Code"},
    "bulletin_col_unit": {"zh": "机构", "en": "Unit"},
    "bulletin_col_direction": {"zh": "方向", "en": "Direction"},
    "bulletin_col_note": {"zh": "说明", "en": "Note"},
    "bulletin_col_rule": {"zh": "预警规则", "en": "Rule"},
    "bulletin_col_severity": {"zh": "级别", "en": "Severity"},
    "bulletin_col_alert_value": {"zh": "数值", "en": "Value"},
    "bulletin_previous_period": {"zh": "上月", "en": "previous month"},
    "bulletin_targets_note": {
        "zh": "口径与“指标查询”“我的网点”一致：序时目标——流量指标为年度目标 × 已过月份 ÷ 12，余额指标为从上年末余额"
        "到年度目标的直线进度，"
        "比率指标为目标本身；序时完成率 = 实际 ÷ 序时目标（越低越好的指标取 序时目标 ÷ 实际）；≥ 100% 为达标，≥ 95% "
        "为接近目标，否则为落后。"
        "全年完成率 = 本年累计（余额为当前值）÷ 年度目标。",
        "en": "Same rules as the KPI explorer and My outlet. Target to date: flows, the annual target × months elaps"
        "ed ÷ 12; "
        "balances, the straight line from last year-end's balance to the target; ratios, the target itself. Attainme"
        "nt "
        "= actual ÷ target to date (target to date ÷ actual where lower is better): at least 100 % is on target, at l"
        "east "
        "95 % near target, else behind. Of full target = year to date (balances: now) ÷ the annual target.",
    },
    "bulletin_no_targets": {"zh": "本期没有目标数据。", "en": "No targets cover this month."},
    "bulletin_more_in_excel": {
        "zh": "仅列出前 {shown} 名（共 {total} 个网点），完整排名见Excel版。",
        "en": "Top {shown} of {total} outlets shown; the Excel version has the full table.",
    },
    "bulletin_improvers": {"zh": "进步最大", "en": "Most improved"},
    "bulletin_decliners": {"zh": "退步最大", "en": "Most declined"},
    "bulletin_outlets_behind": {
        "zh": "下级机构的 {total} 项目标中有 {count} 项落后于序时进度（列出前20项）。",
        "en": "{count} of the units' {total} targets are behind target to date (first 20 listed).",
    },
    "bulletin_alerts_unavailable": {
        "zh": "预警信息暂不可用。",
        "en": "Alerts are not available.",
    },
    "bulletin_no_alerts": {"zh": "本月预警规则未发现问题。", "en": "The alert rules found nothing this month."},
    "bulletin_chart_children": {"zh": "{metric}（按下级机构）", "en": "{metric} by unit"},
    "bulletin_chart_targets": {
        "zh": "本年序时完成率（100% = 达到序时进度）",
        "en": "Attainment to date (100 % = on track)",
    },
    "bulletin_axis_attainment": {"zh": "序时完成率（%）", "en": "attainment (%)"},
    "bulletin_axis_count": {"zh": "数量", "en": "count"},
    "bulletin_axis_ratio": {"zh": "比率", "en": "ratio"},
    "bulletin_axis_minutes": {"zh": "分钟", "en": "minutes"},
    "bulletin_axis_score": {"zh": "得分", "en": "score"},
    "bulletin_sheet_headline": {"zh": "主要指标", "en": "Headline"},
    "bulletin_sheet_targets": {"zh": "目标完成", "en": "Targets"},
    "bulletin_sheet_outlet_targets": {"zh": "下级目标", "en": "Unit targets"},
    "bulletin_sheet_ranking": {"zh": "网点排名", "en": "Ranking"},
    "bulletin_sheet_movers": {"zh": "进退步", "en": "Movers"},
    "bulletin_sheet_children": {"zh": "下级机构", "en": "Units"},
    "bulletin_sheet_alerts": {"zh": "预警", "en": "Alerts"},
    "bulletin_rule_off_target": {"zh": "偏离目标", "en": "Off target"},
    "bulletin_rule_sudden_drop": {"zh": "骤降", "en": "Sudden drop"},
    "bulletin_rule_wait_time": {"zh": "等候超时", "en": "Wait over target"},
    "bulletin_rule_complaint_spike": {"zh": "投诉激增", "en": "Complaint spike"},
    "bulletin_col_alert_status": {"zh": "处理状态", "en": "Status"},
    "bulletin_alert_status_open": {"zh": "待处理", "en": "open"},
    "bulletin_alert_status_acknowledged": {"zh": "已确认", "en": "acknowledged"},
    "bulletin_severity_high": {"zh": "高", "en": "high"},
    "bulletin_severity_medium": {"zh": "中", "en": "medium"},
    "bulletin_no_data": {
        "zh": "{month} 没有经营数据，无法生成简报。",
        "en": "There are no figures for {month}, so no bulletin can be produced.",
    },
}

"""User-facing strings of the service pages, zh and en; merged into the translation table."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # Lobby page headline (units in the label keep the values short enough for five columns).
    "lobby_metric_mean_wait_minutes": {"zh": "平均等候（分钟）", "en": "Mean wait (min)"},
    "lobby_metric_p95_wait_minutes": {"zh": "95% 分位等候（分钟）", "en": "P95 wait (min)"},
    "lobby_metric_service_minutes": {"zh": "平均办理时长（分钟）", "en": "Mean service time (min)"},
    # Channel diversion page
    "page_channel_diversion": {"zh": "电子渠道分流", "en": "Channel diversion"},
    "div_title": {"zh": "电子渠道分流率", "en": "E-channel diversion rate"},
    "div_caption": {"zh": "{unit} · {start} 至 {end}", "en": "{unit} · {start} to {end}"},
    "div_definition": {
        "zh": "**分子**（计入分流的渠道）：{numerator}；**分母**：{denominator}。",
        "en": "**Numerator** (channels counted as diverted): {numerator}; **denominator**: {denominator}.",
    },
    "div_channels": {"zh": "计入分流的渠道", "en": "Channels counted as diverted"},
    "div_channels_help": {
        "zh": "行内标准口径为四个电子渠道全部计入、分母为全部交易。",
        "en": "The bank's standard definition counts all four e-channels over all transactions.",
    },
    "div_denominator": {"zh": "分母", "en": "Denominator"},
    "div_denominator_all": {"zh": "全部渠道交易", "en": "All channels' transactions"},
    "div_denominator_counted": {"zh": "柜面＋所选渠道", "en": "Counter + counted channels"},
    "div_period": {"zh": "期间", "en": "Period"},
    "div_period_months": {"zh": "近 {months} 个月", "en": "Last {months} months"},
    "div_channel_txn_counter": {"zh": "柜面", "en": "Counter"},
    "div_channel_txn_smart_machine": {"zh": "智能机具", "en": "Smart machines"},
    "div_channel_txn_atm": {"zh": "ATM", "en": "ATM"},
    "div_channel_txn_mobile": {"zh": "手机银行", "en": "Mobile banking"},
    "div_channel_txn_online": {"zh": "网上银行", "en": "Online banking"},
    "div_err_no_channel": {
        "zh": "请至少选择一个计入分流的渠道，否则分流率无从计算。",
        "en": "Choose at least one channel counted as diverted; without one there is no rate.",
    },
    "div_no_data": {
        "zh": "该机构在此期间没有分渠道交易数据。",
        "en": "No transactions by channel for this unit and period.",
    },
    "div_target_from_table": {
        "zh": "目标 {target}：取自目标表（标准口径）。",
        "en": "Target {target}: from the targets table (standard definition).",
    },
    "div_user_target": {"zh": "目标分流率（%）", "en": "Target rate (%)"},
    "div_target_user_standard": {
        "zh": "目标表中没有该机构本期的分流率目标，请输入目标。",
        "en": "The targets table holds no diversion target for this unit and period; enter one.",
    },
    "div_target_user_definition": {
        "zh": "目标表的目标按标准口径设定，不适用于所选口径，请输入本口径的目标。",
        "en": "The targets table's targets use the standard definition, not this one; enter a target for it.",
    },
    "div_pp": {"zh": "{value} 个百分点", "en": "{value} pp"},
    "div_metric_rate": {"zh": "分流率（{month}）", "en": "Rate ({month})"},
    "div_metric_numerator": {"zh": "分子（笔）", "en": "Numerator"},
    "div_metric_denominator": {"zh": "分母（笔）", "en": "Denominator"},
    "div_metric_target": {"zh": "目标", "en": "Target"},
    "div_metric_gap": {"zh": "与目标差（百分点）", "en": "Gap to target (pp)"},
    "div_metric_change": {"zh": "较上年同月（百分点）", "en": "vs last year (pp)"},
    "div_trend_title": {"zh": "分流率走势", "en": "Rate over time"},
    "div_trend_chart": {"zh": "{unit} 电子渠道分流率（按月）", "en": "{unit}: e-channel diversion rate by month"},
    "div_series_rate": {"zh": "分流率 {unit}", "en": "Rate {unit}"},
    "div_series_target": {"zh": "目标", "en": "Target"},
    "div_series_numerator": {"zh": "分子（笔）", "en": "Numerator (transactions)"},
    "div_series_denominator": {"zh": "分母（笔）", "en": "Denominator (transactions)"},
    "div_axis_month": {"zh": "月份", "en": "Month"},
    "div_axis_rate": {"zh": "分流率（%）", "en": "Diversion rate (%)"},
    "div_axis_txns": {"zh": "交易笔数", "en": "Transactions"},
    "div_axis_outlet": {"zh": "网点", "en": "Outlet"},
    "div_axis_counter_hours": {"zh": "每个工作日所需柜台·小时", "en": "Counter-hours needed per workday"},
    "div_monthly_table": {
        "zh": "各月分渠道交易笔数（分子、分母）",
        "en": "Transactions by channel and month (numerator, denominator)",
    },
    "div_col_month": {"zh": "月份", "en": "Month"},
    "div_col_numerator": {"zh": "分子", "en": "Numerator"},
    "div_col_denominator": {"zh": "分母", "en": "Denominator"},
    "div_col_rate": {"zh": "分流率", "en": "Rate"},
    "div_col_target": {"zh": "目标", "en": "Target"},
    "div_col_gap": {"zh": "与目标差", "en": "Gap"},
    "div_outlets_title": {"zh": "网点与同业对比", "en": "Outlets and peers"},
    "div_outlets_caption": {
        "zh": "近三个月（{start} 至 {end}）合计交易重新计算的分流率。",
        "en": "Rates recomputed from the last three months' summed transactions ({start} to {end}).",
    },
    "div_outlets_chart": {
        "zh": "各网点分流率（绿色：达到目标）",
        "en": "Diversion rate by outlet (green: at or above target)",
    },
    "div_peer_rank": {"zh": "同城网点排名", "en": "Rank in the city branch"},
    "div_peer_median": {"zh": "同城中位数", "en": "Peers' median"},
    "div_peer_p75": {"zh": "同城上四分位", "en": "Peers' upper quartile"},
    "div_peer_best": {"zh": "同城最高", "en": "Peers' best"},
    "div_peer_outlets": {"zh": "同城网点", "en": "City-branch outlets"},
    "div_peer_chart": {"zh": "本网点在同城网点中的位置", "en": "This outlet among the city branch's outlets"},
    "div_peer_note": {
        "zh": "同城网点只以汇总显示（排名、四分位数、最高和最低），不显示任何单个网点的数据。",
        "en": "Peers are shown only in summary (rank, quartiles, best and worst), never one outlet's figures.",
    },
    "div_movable_title": {"zh": "可分流至智能机具的柜面业务", "en": "Counter business smart machines could take"},
    "div_families": {"zh": "可由机具办理的产品类别", "en": "Product families machines can handle"},
    "div_segments": {"zh": "客户类型", "en": "Customer segments"},
    "div_max_amount": {"zh": "机具单笔限额（元）", "en": "Machine limit per transaction (RMB)"},
    "div_take_up": {"zh": "愿意改用机具的比例（%）", "en": "Customers willing to switch (%)"},
    "div_simple_minutes": {"zh": "每笔简单业务柜面用时（分钟）", "en": "Counter minutes per simple transaction"},
    "div_family_demand_deposit": {"zh": "活期存款", "en": "Demand deposits"},
    "div_family_time_deposit": {"zh": "定期存款", "en": "Time deposits"},
    "div_family_personal_loan": {"zh": "个人贷款", "en": "Personal loans"},
    "div_family_corporate_loan": {"zh": "公司贷款", "en": "Corporate loans"},
    "div_family_wealth": {"zh": "理财", "en": "Wealth products"},
    "div_family_insurance": {"zh": "保险", "en": "Insurance"},
    "div_family_fund": {"zh": "基金", "en": "Funds"},
    "div_family_gold": {"zh": "贵金属", "en": "Precious metals"},
    "div_family_card": {"zh": "银行卡", "en": "Cards"},
    "div_family_e_banking": {"zh": "电子银行", "en": "E-banking"},
    "div_segment_personal": {"zh": "个人", "en": "Personal"},
    "div_segment_corporate": {"zh": "公司", "en": "Corporate"},
    "div_err_no_family": {
        "zh": "请至少选择一个产品类别和一种客户类型。",
        "en": "Choose at least one product family and one customer segment.",
    },
    "div_err_amount": {"zh": "机具单笔限额须大于 0 元。", "en": "The machine limit must be more than RMB 0."},
    "div_no_sample": {
        "zh": "该机构没有客户交易样本，无法估计可分流的柜面业务。",
        "en": "No customer transaction sample for this unit, so movable counter business cannot be estimated.",
    },
    "div_no_lobby": {
        "zh": "没有厅堂客流数据，无法计算对柜台需求的影响。",
        "en": "No lobby data, so the effect on counters cannot be computed.",
    },
    "div_metric_movable_share": {"zh": "可分流柜面业务占比", "en": "Movable share of counter business"},
    "div_metric_movable_txns": {"zh": "预计每月分流笔数", "en": "Expected moved per month"},
    "div_metric_counter_txns": {"zh": "上月柜面交易笔数", "en": "Counter transactions last month"},
    "div_metric_rate_after": {"zh": "分流后分流率", "en": "Rate after the move"},
    "div_movable_caption": {
        "zh": "客户交易样本 {start} 至 {end} 中，单笔不超过 {amount} 元的所选业务视为可由机具办理；"
        "其中 {take_up}% 的客户改用机具。",
        "en": "From the customer transaction sample {start} to {end}: chosen business of at most RMB {amount} "
        "per transaction counts as machine-ready; {take_up}% of those customers switch.",
    },
    "div_metric_counter_hours_before": {"zh": "所需柜台·小时（现状）", "en": "Counter-hours needed now"},
    "div_metric_counter_hours_after": {"zh": "所需柜台·小时（分流后）", "en": "Counter-hours after the move"},
    "div_metric_counter_hours_saved": {"zh": "每工作日节省柜台·小时", "en": "Counter-hours saved per workday"},
    "div_metric_peak_after": {"zh": "分流后高峰柜台（各网点合计）", "en": "Peak counters after (outlets summed)"},
    "div_series_before": {"zh": "现状", "en": "Now"},
    "div_series_after": {"zh": "分流后", "en": "After the move"},
    "div_effect_chart": {
        "zh": "每个工作日所需柜台·小时（{level}% 客户等候不超过 {minutes} 分钟）",
        "en": "Counter-hours needed per workday ({level}% served within {minutes} min)",
    },
    "div_still_short": {
        "zh": "分流后仍有 {hours} 个网点·小时即使开满柜台也达不到目标。",
        "en": "After the move, {hours} outlet-hours still miss the target with every counter open.",
    },
    "div_col_sample_counter": {"zh": "样本柜面笔数", "en": "Sample counter transactions"},
    "div_col_sample_movable": {"zh": "样本可分流笔数", "en": "Sample movable"},
    "div_col_movable_share": {"zh": "可分流占比", "en": "Movable share"},
    "div_col_counter_txns": {"zh": "上月柜面笔数", "en": "Counter transactions last month"},
    "div_col_movable_txns": {"zh": "预计每月分流笔数", "en": "Expected moved per month"},
    "div_sheet_monthly": {"zh": "按月", "en": "By month"},
    "div_sheet_outlets": {"zh": "按网点", "en": "By outlet"},
    "div_sheet_movable": {"zh": "可分流业务", "en": "Movable business"},
    "div_download": {"zh": "导出 Excel", "en": "Export to Excel"},
    "div_how_computed": {
        "zh": "- 分流率 = 分子渠道交易笔数之和 ÷ 分母渠道交易笔数之和，在每一层级（网点、支行、分行、全区）"
        "和每个期间都由合计笔数重新计算，从不对下级比率求平均。\n"
        "- 目标取自目标表的 e_channel_rate 目标（仅标准口径适用），否则由用户输入。\n"
        "- 可分流业务：客户交易样本中柜面办理、属所选产品类别和客户类型、金额不超过机具限额的交易占比，"
        "乘以愿意改用机具的比例，再乘以上月柜面交易笔数。\n"
        "- 对柜台的影响：近 {weeks} 周各网点分日类型、分小时的客流，按 Erlang C 计算达到"
        "“{level}% 客户等候不超过 {minutes} 分钟”所需柜台；"
        "分流后到柜客户 λ·(1−x)，其余客户平均办理时长 (S−x·s)/(1−x)。",
        "en": "- Rate = Σ numerator channels' transactions ÷ Σ denominator channels' transactions, recomputed from the "
        "summed transactions at every level (outlet, sub-branch, city branch, region) and for every period, never an "
        "average of lower-level rates.\n"
        "- Target: the targets table's e_channel_rate target (only for the standard definition), otherwise yours.\n"
        "- Movable business: the share of counter transactions in the customer sample of the chosen product families "
        "and segments within the machine limit, times the share of customers willing to switch, times last month's "
        "counter transactions.\n"
        "- Effect on counters: the last {weeks} weeks' lobby load per outlet, day type and hour; Erlang C gives the "
        'counters for "{level}% served within {minutes} min"; after the move counter arrivals are λ·(1−x) and the '
        "remaining customers' mean service (S−x·s)/(1−x).",
    },
    # Service quality page
    "page_service_quality": {"zh": "服务质量", "en": "Service quality"},
    "qual_title": {
        "zh": "服务质量：现场检查、神秘客户与投诉",
        "en": "Service quality: inspections, mystery shoppers, complaints",
    },
    "qual_no_data": {
        "zh": "该机构还没有服务检查或投诉数据。检查结果可在“数据导入”页按“服务检查”类型导入。",
        "en": "No inspections or complaints for this unit yet. Inspection results are loaded on the Data import "
        "page (kind: service inspections).",
    },
    "qual_kind": {"zh": "检查类型", "en": "Inspection"},
    "qual_kind_six_s": {"zh": "6S现场检查", "en": "6S on-site inspection"},
    "qual_kind_mystery_shopper": {"zh": "神秘客户", "en": "Mystery shopper"},
    "qual_period": {"zh": "期间", "en": "Period"},
    "qual_period_months": {"zh": "近 {months} 个月", "en": "Last {months} months"},
    "qual_caption": {"zh": "{unit} · {start} 至 {end}", "en": "{unit} · {start} to {end}"},
    "qual_pp": {"zh": "{value} 个百分点", "en": "{value} pp"},
    "qual_metric_share": {"zh": "期间得分率", "en": "Score, whole period"},
    "qual_metric_latest": {"zh": "最近一月得分率（{month}）", "en": "Score, {month}"},
    "qual_metric_outlets": {"zh": "受检网点", "en": "Outlets inspected"},
    "qual_metric_visits": {"zh": "检查次数", "en": "Visits"},
    "qual_metric_complaints": {"zh": "投诉件数", "en": "Complaints"},
    "qual_metric_open": {"zh": "未办结投诉", "en": "Open complaints"},
    "qual_no_inspections": {
        "zh": "本期间没有“{kind}”记录。",
        "en": "No {kind} results in this period.",
    },
    "qual_trend_title": {"zh": "得分走势", "en": "Scores over time"},
    "qual_trend_chart": {"zh": "{unit} · {kind}得分率（按月）", "en": "{unit}: {kind} score by month"},
    "qual_series_unit": {"zh": "{unit}（合计得分÷合计满分）", "en": "{unit} (points ÷ maximum)"},
    "qual_series_best": {"zh": "最好网点", "en": "Best outlet"},
    "qual_series_worst": {"zh": "最差网点", "en": "Weakest outlet"},
    "qual_series_lost": {"zh": "失分占满分比例", "en": "Points lost (share of maximum)"},
    "qual_axis_month": {"zh": "月份", "en": "Month"},
    "qual_axis_share": {"zh": "得分率（%）", "en": "Score (% of maximum)"},
    "qual_axis_lost": {"zh": "失分占该项满分（%）", "en": "Points lost (% of the item's maximum)"},
    "qual_axis_item": {"zh": "检查项目", "en": "Item"},
    "qual_axis_complaints": {"zh": "投诉件数", "en": "Complaints"},
    "qual_outlets_title": {"zh": "各网点得分", "en": "Scores by outlet"},
    "qual_outlets_caption": {
        "zh": "按期间得分率从低到高排列；得分率由合计得分 ÷ 合计满分计算。",
        "en": "Lowest period score first; scores are summed points ÷ summed maximum.",
    },
    "qual_col_share": {"zh": "期间得分率", "en": "Period score"},
    "qual_col_latest_month": {"zh": "最近检查月", "en": "Latest month"},
    "qual_col_latest": {"zh": "最近得分率", "en": "Latest score"},
    "qual_col_change": {"zh": "较上次", "en": "Change from the visit before"},
    "qual_col_losing": {"zh": "每次失分项目数", "en": "Items losing points per visit"},
    "qual_items_title": {"zh": "失分项目", "en": "Items that lost points"},
    "qual_items_chart": {"zh": "{kind}：各项目失分占满分比例", "en": "{kind}: points lost per item (share of maximum)"},
    "qual_col_item": {"zh": "项目", "en": "Item"},
    "qual_col_checks": {"zh": "检查次数", "en": "Checks"},
    "qual_col_losing_rate": {"zh": "失分次数占比", "en": "Checks losing points"},
    "qual_col_lost": {"zh": "失分合计", "en": "Points lost"},
    "qual_col_lost_share": {"zh": "失分占满分", "en": "Lost share of maximum"},
    "qual_notes_title": {
        "zh": "最近的失分记录与检查说明（{count} 条）",
        "en": "Latest items that lost points, with notes ({count})",
    },
    "qual_col_date": {"zh": "检查日期", "en": "Date"},
    "qual_col_score": {"zh": "得分 / 满分", "en": "Score / maximum"},
    "qual_col_note": {"zh": "扣分说明", "en": "Note"},
    "qual_complaints_title": {"zh": "投诉（按类别）", "en": "Complaints by category"},
    "qual_no_complaints": {"zh": "本期间没有投诉。", "en": "No complaints in this period."},
    "qual_complaints_chart": {
        "zh": "{unit} 投诉件数（按月、按类别）",
        "en": "{unit}: complaints by month and category",
    },
    "qual_complaints_caption": {
        "zh": "每件投诉计入受理网点；按投诉件数从多到少排列。",
        "en": "Each complaint counts at the outlet it concerns; most complaints first.",
    },
    "qual_col_total": {"zh": "合计", "en": "Total"},
    "qual_sheet_outlets": {"zh": "网点得分", "en": "Outlets"},
    "qual_sheet_items": {"zh": "失分项目", "en": "Items"},
    "qual_sheet_notes": {"zh": "失分记录", "en": "Notes"},
    "qual_sheet_complaints": {"zh": "投诉", "en": "Complaints"},
    "qual_download": {"zh": "导出 Excel", "en": "Export to Excel"},
    "qual_how_computed": {
        "zh": "- 检查结果由“数据导入”页按“服务检查”类型导入（网点代码、检查日期、类型、项目、得分、满分、扣分说明），"
        "导入时检查得分在 0 与满分之间、网点代码存在、项目属于该检查类型。\n"
        "- 6S 现场检查六项：整理、整顿、清扫、清洁、素养、安全；神秘客户七项。\n"
        "- 得分率 = 合计得分 ÷ 合计满分，在网点、支行、分行、全区各层级和每个月份都由合计重新计算，"
        "不对下级得分率求平均。\n"
        "- 失分 = 满分 − 得分；“失分次数占比”为该项目得分低于满分的检查次数 ÷ 检查次数。\n"
        "- 投诉按受理时间计入月份，按网点和类别计数。",
        "en": "- Inspection results are loaded on the Data import page (kind: service inspections; outlet code, date, "
        "kind, item, score, maximum, note); the import checks 0 ≤ score ≤ maximum, known outlet codes and items that "
        "belong to the inspection kind.\n"
        "- 6S on-site items: sort, set in order, shine, standardise, sustain, safety; mystery shoppers score seven "
        "items.\n"
        "- Score = summed points ÷ summed maximum, recomputed at every level (outlet, sub-branch, city branch, "
        "region) and for every month, never an average of lower-level scores.\n"
        '- Points lost = maximum − score; "checks losing points" = checks below the maximum ÷ checks.\n'
        "- Complaints count in the month they were received, per outlet and category.",
    },
    "qual_item_sort": {"zh": "整理", "en": "Sort"},
    "qual_item_set_in_order": {"zh": "整顿", "en": "Set in order"},
    "qual_item_shine": {"zh": "清扫", "en": "Shine"},
    "qual_item_standardise": {"zh": "清洁", "en": "Standardise"},
    "qual_item_sustain": {"zh": "素养", "en": "Sustain"},
    "qual_item_safety": {"zh": "安全", "en": "Safety"},
    "qual_item_greeting": {"zh": "迎候", "en": "Greeting"},
    "qual_item_appearance": {"zh": "仪容仪表", "en": "Appearance"},
    "qual_item_queue_guidance": {"zh": "引导分流", "en": "Queue guidance"},
    "qual_item_needs_inquiry": {"zh": "需求询问", "en": "Asking needs"},
    "qual_item_product_explanation": {"zh": "产品介绍", "en": "Product explanation"},
    "qual_item_risk_disclosure": {"zh": "风险揭示", "en": "Risk disclosure"},
    "qual_item_farewell": {"zh": "送别", "en": "Farewell"},
    "qual_category_wait_time": {"zh": "等候时间长", "en": "Waiting time"},
    "qual_category_service_attitude": {"zh": "服务态度", "en": "Service attitude"},
    "qual_category_fees": {"zh": "收费争议", "en": "Fees"},
    "qual_category_product": {"zh": "产品与风险揭示", "en": "Products and risks"},
    "qual_category_system": {"zh": "系统故障", "en": "System outage"},
    "qual_category_machine": {"zh": "自助设备", "en": "Self-service machines"},
    "qual_category_other": {"zh": "其他", "en": "Other"},
    # The lobby pages follow the sidebar month; a short peer chart; thresholds named in the legend.
    "lobby_window_weeks": {"zh": "{weeks} 周（截至所选月份月末）", "en": "{weeks} weeks (to the selected month's end)"},
    "lobby_window_all": {"zh": "全部数据（截至所选月份月末）", "en": "All data (to the selected month's end)"},
    "lobby_month_not_covered": {
        "zh": "厅堂客流数据不覆盖所选月份 {month}：现有数据为 {first} 至 {last}。请在侧栏选择该期间内的月份。",
        "en": "The lobby data does not cover the selected month {month}: it runs from {first} to {last}."
        " Choose a month in that period in the sidebar.",
    },
    "lobby_peers_top_bottom": {
        "zh": "图中为等候最长的 {top} 个与最短的 {bottom} 个网点（共 {count} 个）{selected}；全部网点见下表。",
        "en": "The chart shows the {top} outlets with the longest and the {bottom} with the shortest waits"
        " (of {count}){selected}; the table below lists them all.",
    },
    "lobby_peers_selected_added": {"zh": "，另加所选网点", "en": ", plus the selected outlet"},
    "div_lobby_dates": {
        "zh": "柜台影响依据 {start} 至 {end} 的厅堂客流数据（截至所选月份月末）。",
        "en": "The counter effect uses the lobby data of {start} to {end} (to the selected month's end).",
    },
    "qual_month_not_covered": {
        "zh": "检查与投诉数据不覆盖所选月份 {month}：现有数据为 {first} 至 {last}。请在侧栏选择该期间内的月份。",
        "en": "The inspection and complaint data do not cover the selected month {month}: they run from"
        " {first} to {last}. Choose a month in that period in the sidebar.",
    },
    "qual_month_after_data": {
        "zh": "所选月份 {month} 尚无检查与投诉数据（现有数据为 {first} 至 {last}），下图只含此前的数据。",
        "en": "There are no inspections or complaints yet in the selected month {month} (the data run from"
        " {first} to {last}); the charts show the months before it.",
    },
    "lobby_csv_days": {"zh": "天数", "en": "Days"},
    "lobby_csv_service_minutes": {"zh": "平均办理时长（分钟）", "en": "Mean service time (min)"},
    "lobby_csv_wait_minutes": {"zh": "平均等候（分钟）", "en": "Mean wait (min)"},
    "lobby_csv_p95_minutes": {"zh": "95% 分位等候（分钟）", "en": "95th-percentile wait (min)"},
    "lobby_csv_worst_minutes": {"zh": "最长单小时平均等候（分钟）", "en": "Worst hourly mean wait (min)"},
    "lobby_csv_share_over": {"zh": "等候超标小时占比", "en": "Share of hours over the wait threshold"},
    "lobby_csv_planned": {"zh": "方案柜台", "en": "Counters planned"},
    "lobby_csv_wait_plan_minutes": {"zh": "按方案平均等候（分钟）", "en": "Mean wait with the plan (min)"},
    "staffing_series_target": {"zh": "目标", "en": "Target"},
    "lobby_service_months": {"zh": "{first} 至 {last}", "en": "{first} to {last}"},
}

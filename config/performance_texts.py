"""User-facing strings of the performance pages, zh and en; merged into the translation table.

Keys: ``kpi_`` (KPI explorer and shared period/target words), ``myoutlet_`` (My outlet), ``alert_``
(Alerts page, alert rules and their errors), plus the three page titles and the navigation section.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # Navigation
    "nav_section_performance": {"zh": "经营管理", "en": "Performance"},
    "page_kpi_explorer": {"zh": "指标查询", "en": "KPI explorer"},
    "page_my_outlet": {"zh": "我的网点", "en": "My outlet"},
    "page_alerts": {"zh": "经营预警", "en": "Alerts"},
    # KPI explorer
    "kpi_title": {"zh": "经营指标查询", "en": "KPI explorer"},
    "kpi_caption": {"zh": "{unit} · {kind} · {period}。", "en": "{unit} · {kind} · {period}."},
    "kpi_caption_up": {"zh": "点击上方路径返回上级。", "en": "Click the path above to go back up."},
    "kpi_caption_down": {
        "zh": "点击下表中的行进入下级机构。",
        "en": "Click a row of the table below to drill down.",
    },
    "axis_amount": {"zh": "金额", "en": "Amount"},
    "kpi_metrics": {"zh": "指标", "en": "Metrics"},
    "kpi_pick_metrics": {"zh": "请至少选择一个指标。", "en": "Pick at least one metric."},
    "kpi_period": {"zh": "期间", "en": "Period"},
    "kpi_period_month": {"zh": "当月", "en": "Month"},
    "kpi_period_quarter": {"zh": "本季度", "en": "Quarter to date"},
    "kpi_period_ytd": {"zh": "年初至今", "en": "Year to date"},
    "kpi_period_custom": {"zh": "自定义", "en": "Custom"},
    "kpi_custom_start": {"zh": "起始月份", "en": "First month"},
    "kpi_custom_end": {"zh": "截止月份", "en": "Last month"},
    "kpi_err_custom_start": {"zh": "自定义期间需要起始月份。", "en": "A custom period needs a first month."},
    "kpi_err_custom_order": {
        "zh": "起始月份晚于截止月份，请重新选择。",
        "en": "The first month is after the last month; please choose again.",
    },
    "kpi_err_custom_length": {
        "zh": "自定义期间最长 {months} 个月。",
        "en": "A custom period may span at most {months} months.",
    },
    "kpi_err_period_kind": {"zh": "未知的期间类型。", "en": "Unknown kind of period."},
    "kpi_no_data_period": {
        "zh": "{period} 没有任何指标数据，请选择其他期间。",
        "en": "There is no KPI data for {period}; choose another period.",
    },
    "kpi_partial_period": {
        "zh": "本期间 {length} 个月中只有 {months} 个月有数据，流量指标为已有月份之和。",
        "en": "Only {months} of the period's {length} months have data; flows are the sum of the months there are.",
    },
    "kpi_summary_title": {"zh": "指标汇总", "en": "Summary"},
    "kpi_vs_previous": {"zh": "较上期", "en": "vs previous period"},
    "kpi_vs_last_year": {"zh": "同比", "en": "vs same period last year"},
    "kpi_target": {"zh": "目标", "en": "Target"},
    "kpi_rag_green": {"zh": "达标", "en": "On target"},
    "kpi_rag_amber": {"zh": "接近目标", "en": "Near target"},
    "kpi_rag_red": {"zh": "落后", "en": "Behind"},
    "kpi_col_metric": {"zh": "指标", "en": "Metric"},
    "kpi_col_code": {"zh": "指标代码", "en": "Metric code"},
    "kpi_col_unit": {"zh": "单位", "en": "Unit"},
    "kpi_col_value": {"zh": "本期", "en": "This period"},
    "kpi_col_previous": {"zh": "上期", "en": "Previous period"},
    "kpi_col_change_previous": {"zh": "较上期", "en": "Change vs previous"},
    "kpi_col_last_year": {"zh": "去年同期", "en": "Same period last year"},
    "kpi_col_change_last_year": {"zh": "同比", "en": "Change vs last year"},
    "kpi_col_target": {"zh": "目标", "en": "Target"},
    "kpi_col_target_to_date": {"zh": "序时目标", "en": "Target to date"},
    "kpi_col_attainment": {"zh": "序时达成率", "en": "Attainment to date"},
    "kpi_col_completion": {"zh": "目标完成率", "en": "Completion of target"},
    "kpi_col_rag": {"zh": "状态", "en": "Status"},
    "kpi_col_share": {"zh": "占比", "en": "Share"},
    "kpi_download": {"zh": "导出 Excel", "en": "Export to Excel"},
    "kpi_sheet_summary": {"zh": "指标汇总", "en": "Summary"},
    "kpi_sheet_children": {"zh": "下级机构", "en": "Children"},
    "kpi_sheet_trend": {"zh": "月度趋势", "en": "Monthly trend"},
    "kpi_drill_title": {"zh": "下级机构：{level}", "en": "Drill down: {level}"},
    "kpi_drill_help": {
        "zh": "点击一行进入该机构；变化、达成率和状态针对下方所选指标。",
        "en": "Click a row to open that unit; changes, attainment and status refer to the metric chosen below.",
    },
    "kpi_drill_metric": {"zh": "对比指标", "en": "Metric to compare"},
    "kpi_drill_chart": {"zh": "{metric}：各下级机构 {period}", "en": "{metric} by unit, {period}"},
    "kpi_series_actual": {"zh": "本期", "en": "This period"},
    "kpi_series_last_year": {"zh": "去年同期", "en": "Same period last year"},
    "kpi_series_target": {"zh": "序时目标", "en": "Target to date"},
    "kpi_detail_title": {"zh": "分产品明细", "en": "Detail by product"},
    "kpi_detail_deposits": {"zh": "存款", "en": "Deposits"},
    "kpi_detail_loans": {"zh": "贷款", "en": "Loans"},
    "kpi_detail_income": {"zh": "收入", "en": "Income"},
    "kpi_detail_channels": {"zh": "渠道交易", "en": "Channels"},
    "kpi_fee_chart": {"zh": "中间业务收入分产品 {period}", "en": "Fee income by product, {period}"},
    "kpi_trend_title": {"zh": "趋势与季节性", "en": "Trend and seasonality"},
    "kpi_trend_metric": {"zh": "趋势指标", "en": "Metric for the trend"},
    "kpi_trend_chart": {"zh": "{metric}：月度趋势", "en": "{metric}: monthly trend"},
    "kpi_trend_period_band": {"zh": "所选期间", "en": "chosen period"},
    "kpi_season_chart": {"zh": "{metric}：按年对比各月（季节性）", "en": "{metric}: months of each year (seasonality)"},
    "kpi_legend_year": {"zh": "年份", "en": "Year"},
    "kpi_axis_month": {"zh": "月份", "en": "Month"},
    "kpi_axis_month_of_year": {"zh": "月份（1–12）", "en": "Month of the year (1–12)"},
    "kpi_axis_rmb": {"zh": "金额（元）", "en": "Amount (RMB)"},
    "kpi_axis_count": {"zh": "数量", "en": "Count"},
    "kpi_axis_ratio": {"zh": "比率", "en": "Ratio"},
    "kpi_axis_minutes": {"zh": "分钟", "en": "Minutes"},
    "kpi_axis_score": {"zh": "得分", "en": "Score"},
    "kpi_time_flow": {"zh": "流量：期间内各月相加", "en": "flow: months summed"},
    "kpi_time_stock": {"zh": "时点：取期末月份", "en": "stock: value of the period's last month"},
    "kpi_time_mean": {"zh": "均值：各月平均", "en": "mean: average of the months"},
    "kpi_time_derived": {
        "zh": "派生：由各组成指标的期间汇总重新计算",
        "en": "derived: recomputed from its components over the period",
    },
    "kpi_how_periods": {
        "zh": "**期间**：当月；本季度为季初至所选月份；年初至今为1月至所选月份；自定义为任意起止月份。"
        "**上期**：上月、上一季度同期、截至上月的年初至今、或紧邻的等长期间；**去年同期**：各月前移12个月。"
        "流量指标（收入、交易、新增客户）为各月之和，时点指标（存贷款余额、客户数）取期末月份，"
        "比率（成本收入比、电子渠道分流率、平均等候时间等）由分子分母的期间汇总重新计算，绝不对网点比率求平均。",
        "en": "**Periods**: month; quarter to date (first month of the quarter to the chosen month); year to date "
        "(January to the chosen month); custom (any first and last month). **Previous period**: the month before, "
        "the same months of the previous quarter, year to date up to the month before, or the run of months of "
        "the same length just before. **Same period last year**: every month twelve months earlier. Flows (income, "
        "transactions, new customers) are summed over the months, stocks (balances, customers) take the last "
        "month, and ratios (cost-income, e-channel rate, average wait, ...) are recomputed from the period's "
        "numerator and denominator, never averaged over outlets.",
    },
    "kpi_how_targets": {
        "zh": "**目标**取覆盖所选月份的目标（如年度目标）。**序时目标**：流量指标按月均匀分解（年度目标×已过月数÷12）；"
        "时点指标从上年末余额到目标值按月直线推进；比率类指标即目标值。**目标完成率** = 实际 ÷ 全期目标"
        "（流量为目标期初至今累计）。**序时达成率** = 实际 ÷ 序时目标（越低越好的指标为序时目标 ÷ 实际），"
        "≥100% 为达标（绿），95%–100% 为接近（黄），低于95% 为落后（红）。",
        "en": "The **target** is the one covering the chosen month (e.g. the annual target). **Target to date**: "
        "flows phased evenly by month (annual target × months elapsed ÷ 12); stocks on a straight line from last "
        "year-end's balance to the target; ratios and levels the target itself. **Completion** = actual ÷ the "
        "full target (for flows the total since the target's start). **Attainment** = actual ÷ target to date "
        "(target to date ÷ actual for lower-is-better metrics); ≥ 100 % is on target (green), 95–100 % near "
        "(amber), below 95 % behind (red).",
    },
    # My outlet
    "myoutlet_title": {"zh": "我的网点", "en": "My outlet"},
    "myoutlet_caption": {"zh": "{unit} · 截至 {month}", "en": "{unit} · as of {month}"},
    "myoutlet_targets_title": {"zh": "目标进度", "en": "Position on targets"},
    "myoutlet_targets_help": {
        "zh": "年初至今 {months} 个月；颜色按指标方向判断序时达成情况。",
        "en": "Year to date, {months} months; colours judge attainment to date by each metric's direction.",
    },
    "myoutlet_no_targets": {
        "zh": "本机构在所选月份没有设定目标。",
        "en": "This unit has no targets covering the chosen month.",
    },
    "myoutlet_completion_flow": {"zh": "累计完成全年目标", "en": "Completion of the target so far"},
    "myoutlet_completion_stock": {"zh": "余额 ÷ 年末目标", "en": "Balance ÷ year-end target"},
    "myoutlet_completion_level": {"zh": "实际 ÷ 目标水平", "en": "Actual ÷ target level"},
    "myoutlet_attainment": {"zh": "序时达成 {value}", "en": "attainment to date {value}"},
    "myoutlet_card_detail": {
        "zh": "当月 {mtd} · 年初至今 {ytd} · 序时目标 {due} · 目标 {target}",
        "en": "Month {mtd} · YTD {ytd} · due to date {due} · target {target}",
    },
    "myoutlet_attainment_chart": {
        "zh": "序时达成率（截至 {month}，虚线为100%）",
        "en": "Attainment to date (as of {month}; the dotted line is 100 %)",
    },
    "myoutlet_targets_table": {"zh": "目标进度明细表", "en": "Targets as a table"},
    "myoutlet_todate_title": {"zh": "当月与年初至今", "en": "Month and year to date"},
    "myoutlet_todate_help": {
        "zh": "数据按月更新：当月即所选月份的月度数据；余额类指标的年初至今为月末余额，同比为与去年同期比较。",
        "en": "Data are monthly: month to date is the chosen month's figure; for balances year to date is the "
        "month-end balance; the change is against the same period last year.",
    },
    "myoutlet_col_mtd": {"zh": "当月", "en": "Month"},
    "myoutlet_col_mtd_change": {"zh": "较上月", "en": "vs previous month"},
    "myoutlet_col_ytd": {"zh": "年初至今", "en": "Year to date"},
    "myoutlet_col_ytd_change": {"zh": "同比", "en": "vs last year"},
    "myoutlet_rank_title": {"zh": "同业排名", "en": "Rank among peers"},
    "myoutlet_col_rank": {"zh": "本月排名", "en": "Rank this month"},
    "myoutlet_col_previous_rank": {"zh": "上月排名", "en": "Rank last month"},
    "myoutlet_col_movement": {"zh": "变动", "en": "Movement"},
    "myoutlet_col_peer_median": {"zh": "同组中位数", "en": "Peer median"},
    "myoutlet_peers_type_city": {
        "zh": "同组：同一分行内同类型的营业网点。第1名为最优（按指标方向）；▲ 表示名次上升。",
        "en": "Peers: open outlets of the same type in the same city branch. Rank 1 is best by the metric's "
        "direction; ▲ means moving up.",
    },
    "myoutlet_peers_type_region": {
        "zh": "同组：本省（区）分行同类型的营业网点（本分行同类型网点不足3家）。第1名为最优；▲ 表示名次上升。",
        "en": "Peers: open outlets of the same type in the provincial branch (fewer than 3 in the city branch). "
        "Rank 1 is best; ▲ means moving up.",
    },
    "myoutlet_peers_siblings": {
        "zh": "同组：同一上级机构下的同级机构。第1名为最优；▲ 表示名次上升。",
        "en": "Peers: units of the same level under the same parent. Rank 1 is best; ▲ means moving up.",
    },
    "myoutlet_gaps_title": {"zh": "三大差距", "en": "The three biggest gaps"},
    "myoutlet_no_gaps": {"zh": "所有目标均已达到序时进度。", "en": "Every target is on track to date."},
    "myoutlet_gap_line": {
        "zh": "**{metric}**：落后序时目标 {shortfall}（差 {gap}）",
        "en": "**{metric}**: {shortfall} behind target to date (short by {gap})",
    },
    "myoutlet_products_behind": {"zh": "背后的产品：", "en": "The products behind it:"},
    "myoutlet_col_product": {"zh": "产品/组成", "en": "Product / component"},
    "myoutlet_col_change": {"zh": "变化", "en": "Change"},
    "myoutlet_compare_year_start": {"zh": "上年末", "en": "Last year-end"},
    "myoutlet_compare_last_year": {"zh": "去年同期", "en": "Same period last year"},
    "myoutlet_customers_behind": {
        "zh": "余额降幅最大的客户（{start} 至 {end}）：",
        "en": "Customers whose balance fell most ({start} to {end}):",
    },
    "myoutlet_col_balance_from": {"zh": "期初余额", "en": "Balance before"},
    "myoutlet_col_balance_to": {"zh": "期末余额", "en": "Balance now"},
    "myoutlet_no_customers_behind": {
        "zh": "客户样本中没有余额下降的客户。",
        "en": "No customer in the customer data had a falling balance.",
    },
    "myoutlet_sample_note": {
        "zh": "客户明细来自客户月末余额表（演示数据为客户抽样）。",
        "en": "Customer detail from the customers' month-end balances (the demo holds a sample of customers).",
    },
    "myoutlet_how_gaps": {
        "zh": "**三大差距**：序时达成率最低的三个目标（1 − 达成率从大到小）。**背后的产品**：时点指标为各组成部分"
        "较上年末的变化，流量和比率指标为年初至今较去年同期的变化，按不利程度排序。**客户**：本机构客户中"
        "存款（或贷款）余额较上年末下降最多者。",
        "en": "**Three biggest gaps**: the three targets with the lowest attainment to date (largest 1 − attainment). "
        "**Products behind**: for stocks each component's change since last year-end, for flows and ratios the "
        "year-to-date change against last year, worst first. **Customers**: the unit's customers whose deposit "
        "(or loan) balance fell most since last year-end.",
    },
    "myoutlet_alerts_title": {"zh": "本机构预警", "en": "Alerts"},
    "myoutlet_no_alerts": {"zh": "本月没有未处理的预警。", "en": "No open alerts this month."},
    "myoutlet_alerts_help": {
        "zh": "与“经营预警”页面使用同一套规则和阈值；在该页面登记、认领和处理预警。",
        "en": "The same rules and thresholds as the Alerts page, where alerts are filed, taken on and handled.",
    },
    # Alerts
    "alert_title": {"zh": "经营预警", "en": "Alerts"},
    "alert_caption": {"zh": "{unit} · {month}", "en": "{unit} · {month}"},
    "alert_refreshing": {"zh": "正在运行预警规则…", "en": "Running the alert rules…"},
    "alert_rerun": {"zh": "重新运行规则", "en": "Run the rules again"},
    "alert_rerun_done": {
        "zh": "规则已运行：新增 {raised}，更新 {updated}，清除 {cleared}，当前触发 {active}。",
        "en": "Rules run: {raised} raised, {updated} updated, {cleared} cleared, {active} firing now.",
    },
    "alert_all_months": {"zh": "全部月份", "en": "All months"},
    "alert_filter_month": {"zh": "月份", "en": "Month"},
    "alert_filter_status": {"zh": "状态", "en": "Status"},
    "alert_filter_severity": {"zh": "严重程度", "en": "Severity"},
    "alert_filter_rule": {"zh": "规则", "en": "Rule"},
    "alert_count_shown": {"zh": "预警数", "en": "Alerts shown"},
    "alert_count_high": {"zh": "高", "en": "High severity"},
    "alert_count_unowned": {"zh": "未指定负责人", "en": "Without owner"},
    "alert_none": {"zh": "没有符合条件的预警。", "en": "No alerts match the filters."},
    "alert_col_outlet": {"zh": "网点", "en": "Outlet"},
    "alert_col_rule": {"zh": "规则", "en": "Rule"},
    "alert_col_metric": {"zh": "指标", "en": "Metric"},
    "alert_col_month": {"zh": "月份", "en": "Month"},
    "alert_col_severity": {"zh": "严重程度", "en": "Severity"},
    "alert_col_value": {"zh": "实际", "en": "Value"},
    "alert_col_threshold": {"zh": "阈值", "en": "Threshold"},
    "alert_col_owner": {"zh": "负责人", "en": "Owner"},
    "alert_col_status": {"zh": "状态", "en": "Status"},
    "alert_sheet": {"zh": "预警", "en": "Alerts"},
    "alert_rule_off_target": {"zh": "偏离目标", "en": "Off target"},
    "alert_rule_sudden_drop": {"zh": "异常下降", "en": "Sudden drop"},
    "alert_rule_wait_time": {"zh": "等候超时", "en": "Wait above target"},
    "alert_rule_complaint_spike": {"zh": "投诉激增", "en": "Complaint spike"},
    "alert_severity_high": {"zh": "高", "en": "High"},
    "alert_severity_medium": {"zh": "中", "en": "Medium"},
    "alert_status_open": {"zh": "待处理", "en": "Open"},
    "alert_status_acknowledged": {"zh": "处理中", "en": "Acknowledged"},
    "alert_status_resolved": {"zh": "已解决", "en": "Resolved"},
    "alert_status_new": {"zh": "新发现（尚未登记）", "en": "New (not yet filed)"},
    "alert_edit_title": {"zh": "处理预警", "en": "Handle an alert"},
    "alert_edit_pick": {"zh": "预警", "en": "Alert"},
    "alert_edit_save": {"zh": "保存", "en": "Save"},
    "alert_edit_saved": {"zh": "预警已更新。", "en": "The alert was updated."},
    "alert_edit_unchanged": {"zh": "没有变化，未保存。", "en": "Nothing changed; nothing saved."},
    "alert_settings_title": {"zh": "预警阈值", "en": "Alert thresholds"},
    "alert_settings_help": {
        "zh": "阈值对全行生效；保存后重新运行规则。",
        "en": "The thresholds apply to the whole bank; the rules run again after saving.",
    },
    "alert_settings_read_only": {
        "zh": "阈值由区域管理层或渠道规划设定，此处仅供查看。",
        "en": "Executives and planners set the thresholds; shown here for reference.",
    },
    "alert_settings_save": {"zh": "保存阈值", "en": "Save thresholds"},
    "alert_settings_saved": {"zh": "阈值已保存。", "en": "Thresholds saved."},
    "alert_set_off_target_pct": {"zh": "偏离目标阈值（%）", "en": "Off target by more than (%)"},
    "alert_set_drop_sigma": {"zh": "异常下降（标准差倍数 k）", "en": "Drop beyond k standard deviations"},
    "alert_set_drop_history_months": {"zh": "下降规则参考月数", "en": "Drop rule: months of history"},
    "alert_set_drop_min_history": {"zh": "下降规则最少月数", "en": "Drop rule: minimum months of history"},
    "alert_set_wait_minutes": {"zh": "等候时间目标（分钟，无目标时）", "en": "Wait target (minutes, when none set)"},
    "alert_set_complaint_alpha": {"zh": "投诉激增显著性水平", "en": "Complaint spike significance level"},
    "alert_set_complaint_min_count": {"zh": "投诉激增最少件数", "en": "Complaint spike: minimum complaints"},
    "alert_set_complaint_history_months": {"zh": "投诉规则参考月数", "en": "Complaint rule: months of history"},
    "alert_err_threshold": {"zh": "阈值 {name} 不是有效数字。", "en": "Threshold {name} is not a valid number."},
    "alert_err_threshold_range": {
        "zh": "阈值 {name} 须在 {low} 至 {high} 之间。",
        "en": "Threshold {name} must lie between {low} and {high}.",
    },
    "alert_err_min_history": {
        "zh": "下降规则的最少月数不能大于参考月数。",
        "en": "The drop rule's minimum months cannot exceed its months of history.",
    },
    "alert_err_not_allowed": {
        "zh": "您的角色不能处理预警。",
        "en": "Your role may not change alerts.",
    },
    "alert_err_settings_not_allowed": {
        "zh": "只有区域管理层和渠道规划可以修改预警阈值。",
        "en": "Only executives and planners may change the alert thresholds.",
    },
    "alert_err_unknown": {
        "zh": "该预警不存在或不在您的权限范围内。",
        "en": "This alert does not exist or is outside your scope.",
    },
    "alert_err_status": {"zh": "未知的预警状态。", "en": "Unknown alert status."},
    "alert_err_owner": {
        "zh": "负责人最多 {max_length} 个字符。",
        "en": "The owner may be at most {max_length} characters long.",
    },
    "alert_how_off_target": {
        "zh": "有目标的指标序时达成率低于 1 − {off_target_pct}%（按指标方向）；落后超过两倍阈值为“高”。"
        "等候时间由等候超时规则判断。",
        "en": "A metric with a target whose attainment to date is below 1 − {off_target_pct} % (by the metric's "
        "direction); more than twice that behind is high. The wait target is left to the wait rule.",
    },
    "alert_how_sudden_drop": {
        "zh": "存款、贷款、有效客户数的环比变化率 Δ 与本网点此前 {drop_history_months} 个月环比变化的均值相差超过 "
        "{drop_sigma} 个标准差（z < −{drop_sigma}），至少需要 {drop_min_history} 个月历史；|z| 超过 k+1 为“高”。",
        "en": "The month-on-month change Δ of deposits, loans or active customers lies more than {drop_sigma} "
        "standard deviations below the mean of the outlet's previous {drop_history_months} changes "
        "(z < −{drop_sigma}); needs at least {drop_min_history} months of history; |z| above k + 1 is high.",
    },
    "alert_how_wait_time": {
        "zh": "当月平均等候时间（等候总分钟 ÷ 服务客户数）超过网点等候目标（无目标时为 {wait_minutes} 分钟）；"
        "超过目标1.5倍为“高”。",
        "en": "The month's average wait (wait minutes ÷ customers served) is above the outlet's wait target "
        "({wait_minutes} minutes when none is set); above 1.5 × target is high.",
    },
    "alert_how_complaint_spike": {
        "zh": "当月投诉件数 x ≥ {complaint_min_count}，且在泊松分布（λ = 此前 {complaint_history_months} "
        "个月均值，至少0.5）下 P(X ≥ x) < {complaint_alpha}；小于其十分之一为“高”。",
        "en": "The month's complaints x ≥ {complaint_min_count} and P(X ≥ x) < {complaint_alpha} under a Poisson "
        "distribution with λ = the mean of the previous {complaint_history_months} months (at least 0.5); "
        "below a tenth of that is high.",
    },
}

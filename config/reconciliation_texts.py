"""User-facing strings of the reconciliation page and the KPI explorer's source note, zh and
en; merged into the translation table.

Keys: ``page_reconciliation`` (navigation), ``recon_`` (the page), ``kpisrc_`` (where the KPI
explorer's figures came from).
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "page_reconciliation": {"zh": "对账", "en": "Reconciliation"},
    "recon_title": {"zh": "指标与账户明细对账", "en": "KPI import against account extracts"},
    "recon_caption": {
        "zh": "{unit} · {month}：指标导入的数值与已标记完整的账户明细汇总数逐网点、逐指标比对。"
        "差异 = 账户明细 − 指标导入；超过容差（{absolute} + 导入值的 {relative}）即标出。",
        "en": "{unit} · {month}: each outlet's imported KPIs against the sums of its account extracts marked "
        "complete. Difference = account extracts − KPI import; flagged above the tolerance ({absolute} + "
        "{relative} of the imported value).",
    },
    "recon_no_data": {
        "zh": "本机构范围内还没有指标或账户明细数据。",
        "en": "There is no KPI or account extract data in this unit yet.",
    },
    "recon_month": {"zh": "对账月份", "en": "Month"},
    "recon_tab_compare": {"zh": "对账结果", "en": "Reconciliation"},
    "recon_tab_coverage": {"zh": "明细完整性", "en": "Extract completeness"},
    "recon_card_outlets": {"zh": "参与比对网点", "en": "Outlets compared"},
    "recon_card_match": {"zh": "一致网点", "en": "Outlets reconciled"},
    "recon_card_differs": {"zh": "存在差异网点", "en": "Outlets differing"},
    "recon_card_one_sided": {"zh": "仅一方有数网点", "en": "Outlets with one side only"},
    "recon_nothing": {
        "zh": "{month} 本机构范围内没有可比对的指标（存贷款余额、不良贷款、日均）。",
        "en": "In {month} this unit has no figures to compare (deposit and loan balances, NPL, daily averages).",
    },
    "recon_no_accounts": {
        "zh": "{month} 还没有标记为完整的账户明细：先在“明细完整性”中确认各网点的明细已完整，才能比对。",
        "en": "No account extract of {month} is marked complete yet: a data steward marks each outlet's extracts "
        "complete under 'Extract completeness' before they can be compared.",
    },
    "recon_all_match": {
        "zh": "所有双方都有数据的指标均在容差之内。",
        "en": "Every figure that has both sides is within the tolerance.",
    },
    "recon_table_title": {"zh": "网点 × 指标差异", "en": "Differences by outlet and metric"},
    "recon_table_help": {
        "zh": "单元格为差异（账户明细 − 指标导入）；红色为超出容差，黄色为仅一方有数。",
        "en": "Cells show the difference (account extracts − KPI import); red: above the tolerance, "
        "yellow: one side only.",
    },
    "recon_only_flagged": {"zh": "只看有差异的网点", "en": "Only outlets with differences"},
    "recon_cell_match": {"zh": "一致", "en": "Agrees"},
    "recon_cell_import_only": {"zh": "仅指标导入", "en": "KPI import only"},
    "recon_cell_accounts_only": {"zh": "仅账户明细", "en": "Accounts only"},
    "recon_status_differs": {"zh": "有差异", "en": "Differs"},
    "recon_status_match": {"zh": "一致", "en": "Reconciled"},
    "recon_status_import_only": {"zh": "仅指标导入", "en": "KPI import only"},
    "recon_status_accounts_only": {"zh": "仅账户明细", "en": "Account extracts only"},
    "recon_status_one_sided": {"zh": "各指标仅一方有数", "en": "One side per metric"},
    "recon_col_outlet_code": {"zh": "网点代码", "en": "Outlet code"},
    "recon_col_outlet": {"zh": "网点", "en": "Outlet"},
    "recon_col_status": {"zh": "对账状态", "en": "Status"},
    "recon_col_month": {"zh": "月份", "en": "Month"},
    "recon_col_metric_code": {"zh": "指标代码", "en": "Metric code"},
    "recon_col_metric": {"zh": "指标", "en": "Metric"},
    "recon_col_import": {"zh": "指标导入（元）", "en": "KPI import (RMB)"},
    "recon_col_accounts": {"zh": "账户明细（元）", "en": "Account extracts (RMB)"},
    "recon_col_account_count": {"zh": "账户数", "en": "Accounts"},
    "recon_col_difference": {"zh": "差异（元）", "en": "Difference (RMB)"},
    "recon_col_relative": {"zh": "相对差异", "en": "Relative difference"},
    "recon_col_allowed": {"zh": "容差（元）", "en": "Tolerance (RMB)"},
    "recon_col_flagged": {"zh": "超出容差", "en": "Above tolerance"},
    "recon_col_metrics": {"zh": "比对指标数", "en": "Metrics compared"},
    "recon_col_differing": {"zh": "差异指标数", "en": "Metrics differing"},
    "recon_yes": {"zh": "是", "en": "yes"},
    "recon_no": {"zh": "否", "en": "no"},
    "recon_chart_title": {
        "zh": "{month} 差异最大的网点指标（账户明细 − 指标导入）",
        "en": "Largest differences in {month} (account extracts − KPI import)",
    },
    "recon_axis_difference": {"zh": "差异", "en": "Difference"},
    "recon_series_higher": {"zh": "明细高于导入", "en": "Accounts above import"},
    "recon_series_lower": {"zh": "明细低于导入", "en": "Accounts below import"},
    "recon_download": {"zh": "导出 Excel", "en": "Export to Excel"},
    "recon_sheet_detail": {"zh": "对账明细", "en": "Reconciliation"},
    "recon_sheet_outlets": {"zh": "网点汇总", "en": "Outlets"},
    "recon_sheet_coverage": {"zh": "明细完整性", "en": "Extract completeness"},
    "recon_how": {
        "zh": "- **指标导入**：通过“数据导入”上传的月度指标（kpi_monthly 中无来源标记的数值）。\n"
        "- **账户明细**：对私/对公存款、对私/对公贷款四类账户明细中，数据管理员标记为完整的网点-月份，"
        "按账户月末余额、日均余额和五级分类（次级、可疑、损失计为不良）汇总。\n"
        "- **差异** = 账户明细 − 指标导入；**相对差异** = 差异 ÷ |指标导入|。\n"
        "- **容差** = {absolute} + 导入值 × {relative}（设置项 reconciliation_tolerance_rmb、"
        "reconciliation_tolerance_ratio）。\n"
        "- 某网点某月没有导入指标时，账户明细的汇总数直接作为该网点的指标（指标查询页会注明来源）。",
        "en": "- **KPI import**: the monthly KPIs uploaded under Data import (kpi_monthly values without a source "
        "mark).\n"
        "- **Account extracts**: the personal/corporate deposit and loan extracts of every outlet-month a data "
        "steward marked complete, summed: month-end balances, daily averages, and the loan classification "
        "(substandard, doubtful and loss count as NPL).\n"
        "- **Difference** = account extracts − KPI import; **relative difference** = difference ÷ |KPI import|.\n"
        "- **Tolerance** = {absolute} + imported value × {relative} (settings reconciliation_tolerance_rmb and "
        "reconciliation_tolerance_ratio).\n"
        "- Where an outlet has no imported KPI for a month, the account extracts' sum becomes its KPI (the KPI "
        "explorer names the source).",
    },
    # Extract completeness
    "recon_extract_personal_deposit": {"zh": "对私存款", "en": "Personal deposits"},
    "recon_extract_corporate_deposit": {"zh": "对公存款", "en": "Corporate deposits"},
    "recon_extract_personal_loan": {"zh": "对私贷款", "en": "Personal loans"},
    "recon_extract_corporate_loan": {"zh": "对公贷款", "en": "Corporate loans"},
    "recon_extract_product_holding": {"zh": "产品持有", "en": "Product holdings"},
    "recon_coverage_caption": {
        "zh": "{month} 各网点四类账户明细的装载情况。只有标记为完整的网点-月份，其明细汇总数才进入对账和指标。",
        "en": "The four account extracts of each outlet in {month}. Only outlet-months marked complete feed the "
        "reconciliation and the KPIs.",
    },
    "recon_coverage_cards_loaded": {"zh": "已装载（网点-明细）", "en": "Loaded (outlet × extract)"},
    "recon_coverage_cards_complete": {"zh": "已标记完整", "en": "Marked complete"},
    "recon_coverage_cards_missing": {"zh": "未装载", "en": "Not loaded"},
    "recon_col_extract": {"zh": "明细类别", "en": "Extract"},
    "recon_col_balance": {"zh": "月末余额合计", "en": "Month-end balance"},
    "recon_col_balance_rmb": {"zh": "月末余额合计（元）", "en": "Month-end balance (RMB)"},
    "recon_col_daily_average": {"zh": "日均余额合计", "en": "Daily average balance"},
    "recon_col_daily_average_rmb": {"zh": "日均余额合计（元）", "en": "Daily average balance (RMB)"},
    "recon_col_daily_average_accounts": {"zh": "有日均的账户数", "en": "Accounts with a daily average"},
    "recon_col_batch": {"zh": "最新批次", "en": "Latest batch"},
    "recon_col_complete": {"zh": "已标记完整", "en": "Marked complete"},
    "recon_col_marked_by": {"zh": "标记人", "en": "Marked by"},
    "recon_col_marked_at": {"zh": "标记时间", "en": "Marked at"},
    "recon_mark_title": {"zh": "标记明细完整", "en": "Mark extracts complete"},
    "recon_mark_help": {
        "zh": "确认导入批次中各网点各月的账户明细已全部装载后，将该批次标记为完整（批次涉及的所有网点和月份）："
        "其汇总数随即成为这些网点的存贷款指标并参与对账。取消某网点某类明细的标记则撤回这些数值。",
        "en": "Once a batch's account extracts are fully loaded, mark the batch complete (every outlet and month it "
        "holds): their sums then become those outlets' deposit and loan KPIs and enter the reconciliation. "
        "Unmarking an outlet's extract withdraws them.",
    },
    "recon_mark_pick": {"zh": "待标记的导入批次", "en": "Import batch to mark complete"},
    "recon_batch_label": {
        "zh": "批次 {batch} · {file} · {outlets} 个网点 · {unmarked} 项未标记",
        "en": "Batch {batch} · {file} · {outlets} outlets · {unmarked} not marked",
    },
    "recon_unmark_pick": {"zh": "要取消标记的网点明细", "en": "Extracts to unmark"},
    "recon_mark_button": {"zh": "标记为完整", "en": "Mark complete"},
    "recon_unmark_button": {"zh": "取消完整标记", "en": "Unmark"},
    "recon_marked": {
        "zh": "已标记 {count} 个网点-月份的明细为完整。",
        "en": "Marked {count} outlet-month extracts complete.",
    },
    "recon_unmarked": {"zh": "已取消 {count} 个标记。", "en": "Removed {count} marks."},
    "recon_mark_refused": {
        "zh": "未能标记：{reason}",
        "en": "Not marked: {reason}",
    },
    "recon_nothing_to_mark": {
        "zh": "本月没有已装载但尚未标记的明细。",
        "en": "No loaded extract of this month is waiting to be marked.",
    },
    "recon_mark_steward_only": {
        "zh": "只有数据管理员和系统管理员可以标记或取消明细完整。",
        "en": "Only data stewards and administrators can mark extracts complete or unmark them.",
    },
    # KPI explorer: where the figures came from
    "kpisrc_import": {"zh": "指标导入", "en": "KPI import"},
    "kpisrc_accounts": {"zh": "账户明细", "en": "Account extracts"},
    "kpisrc_mixed": {"zh": "混合", "en": "Mixed"},
    "kpisrc_col_source": {"zh": "来源", "en": "Source"},
    "kpisrc_legend": {
        "zh": "来源：指标导入 = 上传的月度指标；账户明细 = 由已标记完整的账户明细汇总（该网点该月没有导入指标）。",
        "en": "Source: KPI import = the uploaded monthly KPIs; account extracts = summed from account extracts "
        "marked complete (where the outlet has no imported KPI for the month).",
    },
    "kpisrc_mixed_notice": {
        "zh": "{metrics}：汇总数混合了两种来源（指标导入 {imports} 个、账户明细 {accounts} 个网点-月份数值）。",
        "en": "{metrics}: the totals mix both sources ({imports} outlet-month values from the KPI import, "
        "{accounts} from account extracts).",
    },
}

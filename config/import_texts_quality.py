"""Texts of the data quality page (数据质量) in both languages (merged into the translation table
by :mod:`config.import_texts`; a key may be defined only once)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "page_data_quality": {"zh": "数据质量", "en": "Data quality"},
    "dq_title": {"zh": "数据质量", "en": "Data quality"},
    "dq_caption": {
        "zh": "各月度数据按网点、月份的完整程度（营业中的网点每月都应有文件）、关键可选字段的空值比例、"
        "无账户的客户和无客户的账户。统计范围为左侧所选机构。",
        "en": "How complete each monthly extract is by outlet and month (every outlet open in a month should "
        "have a file), the share of empty values in key optional columns, customers without accounts and "
        "accounts without customers, for the unit chosen in the sidebar.",
    },
    "dq_card_sources": {"zh": "已导入的月度数据", "en": "Monthly extracts loaded"},
    "dq_card_completeness": {"zh": "网点月份完整率", "en": "Outlet-months complete"},
    "dq_card_outlets_missing": {"zh": "最近月份缺文件的网点", "en": "Outlets missing in latest month"},
    "dq_card_customers_without_accounts": {"zh": "无账户的客户", "en": "Customers without accounts"},
    "dq_card_accounts_without_customers": {"zh": "无客户的账户", "en": "Accounts without customers"},
    "dq_coverage_title": {"zh": "各数据的完整程度", "en": "Completeness of each extract"},
    "dq_col_source": {"zh": "数据类型", "en": "Extract"},
    "dq_col_first_month": {"zh": "最早月份", "en": "First month"},
    "dq_col_last_month": {"zh": "最近月份", "en": "Latest month"},
    "dq_col_months_missing": {"zh": "整月缺失", "en": "Months with no file"},
    "dq_col_expected": {"zh": "应有网点月份", "en": "Outlet-months expected"},
    "dq_col_present": {"zh": "已有网点月份", "en": "Outlet-months present"},
    "dq_col_completeness": {"zh": "完整率", "en": "Complete"},
    "dq_col_missing_last": {"zh": "最近月份缺文件网点", "en": "Outlets missing, latest month"},
    "dq_nothing_loaded": {
        "zh": "所选范围内还没有任何月度数据。请在“数据导入”页面导入。",
        "en": "No monthly extract is loaded for this unit yet. Load them on the data import page.",
    },
    "dq_chart_title": {"zh": "各月有文件的网点占比", "en": "Share of open outlets with a file, by month"},
    "dq_chart_y": {"zh": "有文件的网点（%）", "en": "Outlets with a file (%)"},
    "dq_gaps_title": {"zh": "缺文件的网点", "en": "Outlets without a file"},
    "dq_month": {"zh": "月份", "en": "Month"},
    "dq_no_gaps": {
        "zh": "“{source}”：每个营业中的网点每月都有数据。",
        "en": "{source}: every open outlet has rows in every month.",
    },
    "dq_gaps_caption": {
        "zh": "{month}：{count} 个营业中的网点没有数据。",
        "en": "{month}: {count} open outlets have no rows.",
    },
    "dq_col_outlet": {"zh": "网点", "en": "Outlet"},
    "dq_download": {"zh": "下载完整性明细（Excel）", "en": "Download the completeness detail (Excel)"},
    "dq_empty_title": {"zh": "关键字段空值", "en": "Empty values in key columns"},
    "dq_empty_none": {
        "zh": "所选范围内还没有客户、交易或账户数据。",
        "en": "No customers, transactions or accounts yet.",
    },
    "dq_col_table": {"zh": "数据", "en": "Data"},
    "dq_col_column": {"zh": "字段", "en": "Column"},
    "dq_col_rows": {"zh": "行数", "en": "Rows"},
    "dq_col_empty": {"zh": "空值行数", "en": "Empty"},
    "dq_col_empty_rate": {"zh": "空值比例", "en": "Empty share"},
    "dq_column_phone_masked": {"zh": "手机号", "en": "Phone"},
    "dq_column_birth_date": {"zh": "出生日期", "en": "Birth date"},
    "dq_column_home_cell": {"zh": "居住网格", "en": "Home cell"},
    "dq_column_relationship_manager_id": {"zh": "客户经理", "en": "Relationship manager"},
    "dq_column_address": {"zh": "地址", "en": "Address"},
    "dq_column_business_type": {"zh": "业务类型", "en": "Business type"},
    "dq_column_product_id": {"zh": "产品", "en": "Product"},
    "dq_column_daily_average_rmb": {"zh": "日均余额", "en": "Daily average balance"},
    "dq_column_opened_on": {"zh": "开户日期", "en": "Opened on"},
    "dq_column_matures_on": {"zh": "到期日", "en": "Matures on"},
    "dq_column_loan_class": {"zh": "五级分类", "en": "Loan classification"},
    "dq_unmatched_caption": {
        "zh": "所选范围内共有客户 {customers} 户、账户记录 {accounts} 条。账户明细中未登记的客户号在导入时即被拒绝。",
        "en": "The unit holds {customers} customers and {accounts} account rows. Account rows of customers not "
        "loaded are refused at import.",
    },
    "dq_origins_title": {"zh": "各数据表的来源", "en": "Where every table comes from"},
    "dq_col_origin": {"zh": "来源", "en": "Origin"},
    "dq_origin_import": {"zh": "导入：{kind}", "en": "Import: {kind}"},
}

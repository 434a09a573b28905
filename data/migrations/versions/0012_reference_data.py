"""Reference data: the metric catalogue, written by the migrations (no longer only by the demo)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08 06:00:00

An empty production database needs the catalogue before its first ``monthly_kpis`` import
(``kpi_monthly.metric_code`` refers to it). The rows are written here as literal data, frozen
for this revision: a later change of ``config/metrics.py`` adds or changes rows in a migration
of its own (tests/test_setup_db.py fails until it does). Rows that already exist (a database
the demo or the fixture filled before this revision) are left as they are.

Product families, business types and the other enumerations are not tables: they are the
tuples of ``data/schema.py`` that the importer checks against. The products themselves are the
bank's own master data.
"""

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

METRICS = [
    {'code': 'deposits_total', 'name_zh': '存款余额', 'name_en': 'Deposits', 'category': 'deposits', 'unit': 'rmb', 'higher_is_better': True, 'unit_aggregation': 'derived', 'time_aggregation': 'derived', 'numerator': 'deposits_personal,deposits_corporate', 'denominator': None, 'description_zh': '对私存款 + 对公存款，月末余额', 'description_en': 'Personal + corporate deposits, month-end balance', 'display_order': 0},
    {'code': 'deposits_personal', 'name_zh': '对私存款余额', 'name_en': 'Personal deposits', 'category': 'deposits', 'unit': 'rmb', 'higher_is_better': True, 'unit_aggregation': 'sum', 'time_aggregation': 'stock', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 1},
    {'code': 'deposits_corporate', 'name_zh': '对公存款余额', 'name_en': 'Corporate deposits', 'category': 'deposits', 'unit': 'rmb', 'higher_is_better': True, 'unit_aggregation': 'sum', 'time_aggregation': 'stock', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 2},
    {'code': 'loans_total', 'name_zh': '贷款余额', 'name_en': 'Loans', 'category': 'loans', 'unit': 'rmb', 'higher_is_better': True, 'unit_aggregation': 'derived', 'time_aggregation': 'derived', 'numerator': 'loans_personal,loans_corporate', 'denominator': None, 'description_zh': '对私贷款 + 对公贷款，月末余额', 'description_en': 'Personal + corporate loans, month-end balance', 'display_order': 3},
    {'code': 'loans_personal', 'name_zh': '对私贷款余额', 'name_en': 'Personal loans', 'category': 'loans', 'unit': 'rmb', 'higher_is_better': True, 'unit_aggregation': 'sum', 'time_aggregation': 'stock', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 4},
    {'code': 'loans_corporate', 'name_zh': '对公贷款余额', 'name_en': 'Corporate loans', 'category': 'loans', 'unit': 'rmb', 'higher_is_better': True, 'unit_aggregation': 'sum', 'time_aggregation': 'stock', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 5},
    {'code': 'loans_npl', 'name_zh': '不良贷款余额', 'name_en': 'Non-performing loans', 'category': 'loans', 'unit': 'rmb', 'higher_is_better': False, 'unit_aggregation': 'sum', 'time_aggregation': 'stock', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 6},
    {'code': 'npl_ratio', 'name_zh': '不良贷款率', 'name_en': 'NPL ratio', 'category': 'loans', 'unit': 'ratio', 'higher_is_better': False, 'unit_aggregation': 'derived', 'time_aggregation': 'derived', 'numerator': 'loans_npl', 'denominator': 'loans_personal,loans_corporate', 'description_zh': '不良贷款余额 ÷ 贷款余额', 'description_en': 'Non-performing loans ÷ loans', 'display_order': 7},
    {'code': 'fee_income_total', 'name_zh': '中间业务收入', 'name_en': 'Fee income', 'category': 'income', 'unit': 'rmb', 'higher_is_better': True, 'unit_aggregation': 'derived', 'time_aggregation': 'derived', 'numerator': 'fee_income_wealth,fee_income_insurance,fee_income_fund,fee_income_gold,fee_income_card,fee_income_ebanking', 'denominator': None, 'description_zh': '理财、保险、基金、贵金属、银行卡、电子银行手续费及佣金收入之和', 'description_en': 'Sum of fee and commission income of all product families', 'display_order': 8},
    {'code': 'fee_income_wealth', 'name_zh': '理财中间业务收入', 'name_en': 'Fee income: wealth', 'category': 'income', 'unit': 'rmb', 'higher_is_better': True, 'unit_aggregation': 'sum', 'time_aggregation': 'flow', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 9},
    {'code': 'fee_income_insurance', 'name_zh': '代理保险收入', 'name_en': 'Fee income: insurance', 'category': 'income', 'unit': 'rmb', 'higher_is_better': True, 'unit_aggregation': 'sum', 'time_aggregation': 'flow', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 10},
    {'code': 'fee_income_fund', 'name_zh': '代销基金收入', 'name_en': 'Fee income: funds', 'category': 'income', 'unit': 'rmb', 'higher_is_better': True, 'unit_aggregation': 'sum', 'time_aggregation': 'flow', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 11},
    {'code': 'fee_income_gold', 'name_zh': '贵金属业务收入', 'name_en': 'Fee income: gold', 'category': 'income', 'unit': 'rmb', 'higher_is_better': True, 'unit_aggregation': 'sum', 'time_aggregation': 'flow', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 12},
    {'code': 'fee_income_card', 'name_zh': '银行卡收入', 'name_en': 'Fee income: cards', 'category': 'income', 'unit': 'rmb', 'higher_is_better': True, 'unit_aggregation': 'sum', 'time_aggregation': 'flow', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 13},
    {'code': 'fee_income_ebanking', 'name_zh': '电子银行收入', 'name_en': 'Fee income: e-banking', 'category': 'income', 'unit': 'rmb', 'higher_is_better': True, 'unit_aggregation': 'sum', 'time_aggregation': 'flow', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 14},
    {'code': 'net_interest_income', 'name_zh': '净利息收入', 'name_en': 'Net interest income', 'category': 'income', 'unit': 'rmb', 'higher_is_better': True, 'unit_aggregation': 'sum', 'time_aggregation': 'flow', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 15},
    {'code': 'operating_income', 'name_zh': '营业收入', 'name_en': 'Operating income', 'category': 'income', 'unit': 'rmb', 'higher_is_better': True, 'unit_aggregation': 'derived', 'time_aggregation': 'derived', 'numerator': 'net_interest_income,fee_income_wealth,fee_income_insurance,fee_income_fund,fee_income_gold,fee_income_card,fee_income_ebanking', 'denominator': None, 'description_zh': '净利息收入 + 中间业务收入', 'description_en': 'Net interest income + fee income', 'display_order': 16},
    {'code': 'fee_income_share', 'name_zh': '中间业务收入占比', 'name_en': 'Fee income share', 'category': 'income', 'unit': 'ratio', 'higher_is_better': True, 'unit_aggregation': 'derived', 'time_aggregation': 'derived', 'numerator': 'fee_income_wealth,fee_income_insurance,fee_income_fund,fee_income_gold,fee_income_card,fee_income_ebanking', 'denominator': 'net_interest_income,fee_income_wealth,fee_income_insurance,fee_income_fund,fee_income_gold,fee_income_card,fee_income_ebanking', 'description_zh': '中间业务收入 ÷ 营业收入', 'description_en': 'Fee income ÷ operating income', 'display_order': 17},
    {'code': 'operating_cost', 'name_zh': '营业费用', 'name_en': 'Operating cost', 'category': 'cost', 'unit': 'rmb', 'higher_is_better': False, 'unit_aggregation': 'sum', 'time_aggregation': 'flow', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 18},
    {'code': 'cost_income_ratio', 'name_zh': '成本收入比', 'name_en': 'Cost-income ratio', 'category': 'cost', 'unit': 'ratio', 'higher_is_better': False, 'unit_aggregation': 'derived', 'time_aggregation': 'derived', 'numerator': 'operating_cost', 'denominator': 'net_interest_income,fee_income_wealth,fee_income_insurance,fee_income_fund,fee_income_gold,fee_income_card,fee_income_ebanking', 'description_zh': '营业费用 ÷ 营业收入', 'description_en': 'Operating cost ÷ operating income', 'display_order': 19},
    {'code': 'txn_total', 'name_zh': '交易笔数', 'name_en': 'Transactions', 'category': 'channels', 'unit': 'count', 'higher_is_better': True, 'unit_aggregation': 'derived', 'time_aggregation': 'derived', 'numerator': 'txn_counter,txn_smart_machine,txn_atm,txn_mobile,txn_online', 'denominator': None, 'description_zh': '各渠道交易笔数之和', 'description_en': 'Transactions over all channels', 'display_order': 20},
    {'code': 'txn_counter', 'name_zh': '柜面交易笔数', 'name_en': 'Counter transactions', 'category': 'channels', 'unit': 'count', 'higher_is_better': False, 'unit_aggregation': 'sum', 'time_aggregation': 'flow', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 21},
    {'code': 'txn_smart_machine', 'name_zh': '智能机具交易笔数', 'name_en': 'Smart-machine transactions', 'category': 'channels', 'unit': 'count', 'higher_is_better': True, 'unit_aggregation': 'sum', 'time_aggregation': 'flow', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 22},
    {'code': 'txn_atm', 'name_zh': 'ATM交易笔数', 'name_en': 'ATM transactions', 'category': 'channels', 'unit': 'count', 'higher_is_better': True, 'unit_aggregation': 'sum', 'time_aggregation': 'flow', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 23},
    {'code': 'txn_mobile', 'name_zh': '手机银行交易笔数', 'name_en': 'Mobile-banking transactions', 'category': 'channels', 'unit': 'count', 'higher_is_better': True, 'unit_aggregation': 'sum', 'time_aggregation': 'flow', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 24},
    {'code': 'txn_online', 'name_zh': '网上银行交易笔数', 'name_en': 'Online-banking transactions', 'category': 'channels', 'unit': 'count', 'higher_is_better': True, 'unit_aggregation': 'sum', 'time_aggregation': 'flow', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 25},
    {'code': 'e_channel_rate', 'name_zh': '电子渠道分流率', 'name_en': 'E-channel diversion rate', 'category': 'channels', 'unit': 'ratio', 'higher_is_better': True, 'unit_aggregation': 'derived', 'time_aggregation': 'derived', 'numerator': 'txn_smart_machine,txn_atm,txn_mobile,txn_online', 'denominator': 'txn_counter,txn_smart_machine,txn_atm,txn_mobile,txn_online', 'description_zh': '智能机具、ATM、手机银行、网上银行交易笔数 ÷ 全部交易笔数', 'description_en': 'Smart-machine, ATM, mobile and online transactions ÷ all transactions', 'display_order': 26},
    {'code': 'customers_active', 'name_zh': '有效客户数', 'name_en': 'Active customers', 'category': 'customers', 'unit': 'count', 'higher_is_better': True, 'unit_aggregation': 'sum', 'time_aggregation': 'stock', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 27},
    {'code': 'customers_new', 'name_zh': '新增客户数', 'name_en': 'New customers', 'category': 'customers', 'unit': 'count', 'higher_is_better': True, 'unit_aggregation': 'sum', 'time_aggregation': 'flow', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 28},
    {'code': 'customers_lost', 'name_zh': '流失客户数', 'name_en': 'Lost customers', 'category': 'customers', 'unit': 'count', 'higher_is_better': False, 'unit_aggregation': 'sum', 'time_aggregation': 'flow', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 29},
    {'code': 'customers_vip', 'name_zh': '星级客户数', 'name_en': 'Star-tier (VIP) customers', 'category': 'customers', 'unit': 'count', 'higher_is_better': True, 'unit_aggregation': 'sum', 'time_aggregation': 'stock', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 30},
    {'code': 'avg_wait_minutes', 'name_zh': '平均等候时间', 'name_en': 'Average wait', 'category': 'service', 'unit': 'minutes', 'higher_is_better': False, 'unit_aggregation': 'derived', 'time_aggregation': 'derived', 'numerator': 'wait_minutes_total', 'denominator': 'customers_served', 'description_zh': '客户等候总分钟 ÷ 服务客户数', 'description_en': 'Total customer wait minutes ÷ customers served', 'display_order': 31},
    {'code': 'wait_minutes_total', 'name_zh': '客户等候总时长', 'name_en': 'Total wait minutes', 'category': 'service', 'unit': 'minutes', 'higher_is_better': False, 'unit_aggregation': 'sum', 'time_aggregation': 'flow', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 32},
    {'code': 'customers_served', 'name_zh': '服务客户数', 'name_en': 'Customers served at counters', 'category': 'service', 'unit': 'count', 'higher_is_better': True, 'unit_aggregation': 'sum', 'time_aggregation': 'flow', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 33},
    {'code': 'complaints', 'name_zh': '客户投诉数', 'name_en': 'Complaints', 'category': 'service', 'unit': 'count', 'higher_is_better': False, 'unit_aggregation': 'sum', 'time_aggregation': 'flow', 'numerator': None, 'denominator': None, 'description_zh': '', 'description_en': '', 'display_order': 34},
    {'code': 'inspection_score', 'name_zh': '服务检查得分', 'name_en': 'Service inspection score', 'category': 'service', 'unit': 'score', 'higher_is_better': True, 'unit_aggregation': 'mean', 'time_aggregation': 'mean', 'numerator': None, 'denominator': None, 'description_zh': '6S现场检查得分（0–100）', 'description_en': '6S on-site inspection score (0–100)', 'display_order': 35},
]

_metric = sa.table(
    'metric',
    *(sa.column(name) for name in METRICS[0]),
)


def upgrade() -> None:
    existing = {code for (code,) in op.get_bind().execute(sa.text('SELECT code FROM metric'))}
    missing = [row for row in METRICS if row['code'] not in existing]
    if missing:
        op.bulk_insert(_metric, missing)


def downgrade() -> None:
    # The rows stay: KPI values and targets refer to them, and revision 0011 has the same table.
    pass

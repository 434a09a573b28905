"""Reference data: the daily-average balance metrics (日均) of the account extracts

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-09 08:00:00

Six catalogue entries: personal and corporate deposits and loans as daily averages (base
metrics, summed over outlets, averaged over months) and the deposit and loan totals. They sit
after the loans in the catalogue, so the display order of the entries after them moves on by
six. Written as literal data frozen for this revision (see 0012). Rows already present are left
as they are; the display order of every entry is set to this revision's.
"""

from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

METRICS = [
    {'code': 'deposits_total_daily_avg', 'name_zh': '存款日均余额', 'name_en': 'Deposits, daily average', 'category': 'deposits', 'unit': 'rmb', 'higher_is_better': True, 'unit_aggregation': 'derived', 'time_aggregation': 'derived', 'numerator': 'deposits_personal_daily_avg,deposits_corporate_daily_avg', 'denominator': None, 'description_zh': '对私存款日均 + 对公存款日均', 'description_en': 'Personal + corporate deposits, daily average', 'display_order': 8},
    {'code': 'deposits_personal_daily_avg', 'name_zh': '对私存款日均余额', 'name_en': 'Personal deposits, daily average', 'category': 'deposits', 'unit': 'rmb', 'higher_is_better': True, 'unit_aggregation': 'sum', 'time_aggregation': 'mean', 'numerator': None, 'denominator': None, 'description_zh': '当月每日余额的平均值（日均）', 'description_en': "Mean of the month's daily balances", 'display_order': 9},
    {'code': 'deposits_corporate_daily_avg', 'name_zh': '对公存款日均余额', 'name_en': 'Corporate deposits, daily average', 'category': 'deposits', 'unit': 'rmb', 'higher_is_better': True, 'unit_aggregation': 'sum', 'time_aggregation': 'mean', 'numerator': None, 'denominator': None, 'description_zh': '当月每日余额的平均值（日均）', 'description_en': "Mean of the month's daily balances", 'display_order': 10},
    {'code': 'loans_total_daily_avg', 'name_zh': '贷款日均余额', 'name_en': 'Loans, daily average', 'category': 'loans', 'unit': 'rmb', 'higher_is_better': True, 'unit_aggregation': 'derived', 'time_aggregation': 'derived', 'numerator': 'loans_personal_daily_avg,loans_corporate_daily_avg', 'denominator': None, 'description_zh': '对私贷款日均 + 对公贷款日均', 'description_en': 'Personal + corporate loans, daily average', 'display_order': 11},
    {'code': 'loans_personal_daily_avg', 'name_zh': '对私贷款日均余额', 'name_en': 'Personal loans, daily average', 'category': 'loans', 'unit': 'rmb', 'higher_is_better': True, 'unit_aggregation': 'sum', 'time_aggregation': 'mean', 'numerator': None, 'denominator': None, 'description_zh': '当月每日贷款余额的平均值（日均）', 'description_en': "Mean of the month's daily loan balances", 'display_order': 12},
    {'code': 'loans_corporate_daily_avg', 'name_zh': '对公贷款日均余额', 'name_en': 'Corporate loans, daily average', 'category': 'loans', 'unit': 'rmb', 'higher_is_better': True, 'unit_aggregation': 'sum', 'time_aggregation': 'mean', 'numerator': None, 'denominator': None, 'description_zh': '当月每日贷款余额的平均值（日均）', 'description_en': "Mean of the month's daily loan balances", 'display_order': 13},
]

DISPLAY_ORDER = {
    'deposits_total': 0,
    'deposits_personal': 1,
    'deposits_corporate': 2,
    'loans_total': 3,
    'loans_personal': 4,
    'loans_corporate': 5,
    'loans_npl': 6,
    'npl_ratio': 7,
    'deposits_total_daily_avg': 8,
    'deposits_personal_daily_avg': 9,
    'deposits_corporate_daily_avg': 10,
    'loans_total_daily_avg': 11,
    'loans_personal_daily_avg': 12,
    'loans_corporate_daily_avg': 13,
    'fee_income_total': 14,
    'fee_income_wealth': 15,
    'fee_income_insurance': 16,
    'fee_income_fund': 17,
    'fee_income_gold': 18,
    'fee_income_card': 19,
    'fee_income_ebanking': 20,
    'net_interest_income': 21,
    'operating_income': 22,
    'fee_income_share': 23,
    'operating_cost': 24,
    'cost_income_ratio': 25,
    'txn_total': 26,
    'txn_counter': 27,
    'txn_smart_machine': 28,
    'txn_atm': 29,
    'txn_mobile': 30,
    'txn_online': 31,
    'e_channel_rate': 32,
    'customers_active': 33,
    'customers_new': 34,
    'customers_lost': 35,
    'customers_vip': 36,
    'avg_wait_minutes': 37,
    'wait_minutes_total': 38,
    'customers_served': 39,
    'complaints': 40,
    'inspection_score': 41,
}

PREVIOUS_DISPLAY_ORDER = {
    'deposits_total': 0,
    'deposits_personal': 1,
    'deposits_corporate': 2,
    'loans_total': 3,
    'loans_personal': 4,
    'loans_corporate': 5,
    'loans_npl': 6,
    'npl_ratio': 7,
    'fee_income_total': 8,
    'fee_income_wealth': 9,
    'fee_income_insurance': 10,
    'fee_income_fund': 11,
    'fee_income_gold': 12,
    'fee_income_card': 13,
    'fee_income_ebanking': 14,
    'net_interest_income': 15,
    'operating_income': 16,
    'fee_income_share': 17,
    'operating_cost': 18,
    'cost_income_ratio': 19,
    'txn_total': 20,
    'txn_counter': 21,
    'txn_smart_machine': 22,
    'txn_atm': 23,
    'txn_mobile': 24,
    'txn_online': 25,
    'e_channel_rate': 26,
    'customers_active': 27,
    'customers_new': 28,
    'customers_lost': 29,
    'customers_vip': 30,
    'avg_wait_minutes': 31,
    'wait_minutes_total': 32,
    'customers_served': 33,
    'complaints': 34,
    'inspection_score': 35,
}

_metric = sa.table(
    'metric',
    *(sa.column(name) for name in METRICS[0]),
)


def _set_display_order(orders: dict) -> None:
    for code, order in orders.items():
        op.execute(_metric.update().where(_metric.c.code == code).values(display_order=order))


def upgrade() -> None:
    existing = {code for (code,) in op.get_bind().execute(sa.text('SELECT code FROM metric'))}
    missing = [row for row in METRICS if row['code'] not in existing]
    if missing:
        op.bulk_insert(_metric, missing)
    _set_display_order(DISPLAY_ORDER)


def downgrade() -> None:
    # The rows stay (KPI values and targets may refer to them, as in 0012); the order goes back.
    _set_display_order(PREVIOUS_DISPLAY_ORDER)

"""Stored customer scores: the scoring job's runs (score_run), the models it fitted
(score_model) and per customer its scores (score_customer), tier history (score_tier_month) and
next-best products (score_product), and per outlet and product the untapped potential
(score_outlet_product). Derived data, keyed on the run: no foreign key to customers or units.

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-07 14:48:37
"""

from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('score_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('data_version', sa.String(length=80), nullable=False),
    sa.Column('engine', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('customers', sa.Integer(), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('observation_end', sa.Date(), nullable=True),
    sa.Column('parameters', sa.JSON(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('score_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_score_run_data_version'), ['data_version'], unique=False)

    op.create_table('score_customer',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=False),
    sa.Column('tier', sa.Integer(), nullable=True),
    sa.Column('aum_rmb', sa.Float(), nullable=True),
    sa.Column('rfm_r', sa.Integer(), nullable=True),
    sa.Column('rfm_f', sa.Integer(), nullable=True),
    sa.Column('rfm_m', sa.Integer(), nullable=True),
    sa.Column('rfm_segment', sa.String(length=24), nullable=True),
    sa.Column('segment', sa.Integer(), nullable=True),
    sa.Column('frequency', sa.Integer(), nullable=True),
    sa.Column('recency_days', sa.Float(), nullable=True),
    sa.Column('t_days', sa.Float(), nullable=True),
    sa.Column('monetary_value', sa.Float(), nullable=True),
    sa.Column('p_alive', sa.Float(), nullable=True),
    sa.Column('expected_txn', sa.Float(), nullable=True),
    sa.Column('value_each', sa.Float(), nullable=True),
    sa.Column('clv_rmb', sa.Float(), nullable=True),
    sa.Column('act_p_alive', sa.Float(), nullable=True),
    sa.Column('aum_now_rmb', sa.Float(), nullable=True),
    sa.Column('aum_then_rmb', sa.Float(), nullable=True),
    sa.Column('aum_change_share', sa.Float(), nullable=True),
    sa.Column('wallet_rmb', sa.Float(), nullable=True),
    sa.Column('share_of_wallet', sa.Float(), nullable=True),
    sa.Column('products', sa.Integer(), nullable=True),
    sa.Column('high_value', sa.Boolean(), nullable=True),
    sa.Column('churn_candidate', sa.Boolean(), nullable=True),
    sa.Column('reason_p_alive', sa.Boolean(), nullable=True),
    sa.Column('reason_aum_drop', sa.Boolean(), nullable=True),
    sa.Column('development_candidate', sa.Boolean(), nullable=True),
    sa.Column('reserve_candidate', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['score_run.id'], ),
    sa.PrimaryKeyConstraint('run_id', 'customer_id')
    )
    with op.batch_alter_table('score_customer', schema=None) as batch_op:
        batch_op.create_index('ix_score_customer_run_outlet', ['run_id', 'outlet_id'], unique=False)

    op.create_table('score_model',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=48), nullable=False),
    sa.Column('params', sa.JSON(), nullable=True),
    sa.Column('diagnostics', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['score_run.id'], ),
    sa.PrimaryKeyConstraint('run_id', 'name')
    )
    op.create_table('score_outlet_product',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('non_holders', sa.Integer(), nullable=False),
    sa.Column('expected_new_holders', sa.Float(), nullable=False),
    sa.Column('expected_margin_rmb', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['score_run.id'], ),
    sa.PrimaryKeyConstraint('run_id', 'outlet_id', 'code')
    )
    op.create_table('score_product',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('ranking', sa.String(length=16), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('propensity', sa.Float(), nullable=False),
    sa.Column('expected_margin_rmb', sa.Float(), nullable=False),
    sa.Column('tier', sa.String(length=16), nullable=True),
    sa.Column('kind', sa.String(length=12), nullable=True),
    sa.Column('similar_share', sa.Float(), nullable=True),
    sa.Column('reason', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['score_run.id'], ),
    sa.PrimaryKeyConstraint('run_id', 'customer_id', 'ranking', 'rank')
    )
    with op.batch_alter_table('score_product', schema=None) as batch_op:
        batch_op.create_index('ix_score_product_run_outlet', ['run_id', 'outlet_id'], unique=False)

    op.create_table('score_tier_month',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=False),
    sa.Column('tier', sa.Integer(), nullable=False),
    sa.Column('aum_rmb', sa.Float(), nullable=True),
    sa.Column('known', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['score_run.id'], ),
    sa.PrimaryKeyConstraint('run_id', 'customer_id', 'month')
    )
    with op.batch_alter_table('score_tier_month', schema=None) as batch_op:
        batch_op.create_index('ix_score_tier_month_run_month_outlet', ['run_id', 'month', 'outlet_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('score_tier_month', schema=None) as batch_op:
        batch_op.drop_index('ix_score_tier_month_run_month_outlet')

    op.drop_table('score_tier_month')
    with op.batch_alter_table('score_product', schema=None) as batch_op:
        batch_op.drop_index('ix_score_product_run_outlet')

    op.drop_table('score_product')
    op.drop_table('score_outlet_product')
    op.drop_table('score_model')
    with op.batch_alter_table('score_customer', schema=None) as batch_op:
        batch_op.drop_index('ix_score_customer_run_outlet')

    op.drop_table('score_customer')
    with op.batch_alter_table('score_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_score_run_data_version'))

    op.drop_table('score_run')

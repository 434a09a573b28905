"""kpi roll-up per unit and month (kpi_unit_monthly)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 02:15:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('kpi_unit_monthly',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('metric_code', sa.String(length=48), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('total', sa.Float(), nullable=True),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('unit_id', 'metric_code', 'month')
    )
    # Empty after the upgrade: the queries read kpi_monthly until data.kpi_rollup.refresh_kpi_rollup
    # (run by the next demo load, KPI or org-unit import, registry change) has built it.


def downgrade() -> None:
    op.drop_table('kpi_unit_monthly')

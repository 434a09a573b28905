"""org units through the import pipeline: batch ids and a staging table with parent codes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 09:41:47.304462
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('staging_org_unit',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=True),
    sa.Column('name_zh', sa.String(length=100), nullable=True),
    sa.Column('name_en', sa.String(length=100), nullable=True),
    sa.Column('level', sa.String(length=16), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('path', sa.String(length=200), nullable=True),
    sa.Column('outlet_type', sa.String(length=24), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=True),
    sa.Column('city_code', sa.String(length=12), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('address_zh', sa.String(length=200), nullable=True),
    sa.Column('address_en', sa.String(length=200), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('opened_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('floor_area_m2', sa.Float(), nullable=True),
    sa.Column('cash_counters', sa.Integer(), nullable=True),
    sa.Column('non_cash_counters', sa.Integer(), nullable=True),
    sa.Column('atms', sa.Integer(), nullable=True),
    sa.Column('smart_machines', sa.Integer(), nullable=True),
    sa.Column('staff_count', sa.Integer(), nullable=True),
    sa.Column('build_cost_rmb', sa.Float(), nullable=True),
    sa.Column('monthly_rent_rmb', sa.Float(), nullable=True),
    sa.Column('monthly_running_cost_rmb', sa.Float(), nullable=True),
    sa.Column('service_area_km2', sa.Float(), nullable=True),
    sa.Column('parent_code', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], ),
    sa.PrimaryKeyConstraint('batch_id', 'row_number')
    )
    with op.batch_alter_table('org_unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_batch_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_org_unit_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_foreign_key('fk_org_unit_import_batch_id_import_batch', 'import_batch', ['import_batch_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('org_unit', schema=None) as batch_op:
        batch_op.drop_constraint('fk_org_unit_import_batch_id_import_batch', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_org_unit_import_batch_id'))
        batch_op.drop_column('import_batch_id')

    op.drop_table('staging_org_unit')

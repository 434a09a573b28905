"""import batch ids and staging tables for customers, targets, the demand grid and lobby hours

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 09:29:50.650240
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('staging_customer',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('customer_no', sa.String(length=32), nullable=True),
    sa.Column('kind', sa.String(length=12), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=True),
    sa.Column('id_number_hash', sa.String(length=64), nullable=True),
    sa.Column('phone_masked', sa.String(length=20), nullable=True),
    sa.Column('home_outlet_id', sa.Integer(), nullable=True),
    sa.Column('relationship_manager_id', sa.Integer(), nullable=True),
    sa.Column('home_cell', sa.String(length=16), nullable=True),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('gender', sa.String(length=1), nullable=True),
    sa.Column('industry', sa.String(length=32), nullable=True),
    sa.Column('opened_on', sa.Date(), nullable=True),
    sa.Column('is_key_customer', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], ),
    sa.PrimaryKeyConstraint('batch_id', 'row_number')
    )
    op.create_table('staging_demand_cell',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('h3_index', sa.String(length=16), nullable=True),
    sa.Column('resolution', sa.Integer(), nullable=True),
    sa.Column('city_code', sa.String(length=12), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('population', sa.Float(), nullable=True),
    sa.Column('households', sa.Float(), nullable=True),
    sa.Column('income_index', sa.Float(), nullable=True),
    sa.Column('businesses', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], ),
    sa.PrimaryKeyConstraint('batch_id', 'row_number')
    )
    op.create_table('staging_lobby_hourly',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=True),
    sa.Column('day', sa.Date(), nullable=True),
    sa.Column('hour', sa.Integer(), nullable=True),
    sa.Column('arrivals', sa.Integer(), nullable=True),
    sa.Column('counters_open', sa.Integer(), nullable=True),
    sa.Column('mean_service_minutes', sa.Float(), nullable=True),
    sa.Column('mean_wait_minutes', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], ),
    sa.PrimaryKeyConstraint('batch_id', 'row_number')
    )
    op.create_table('staging_target',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=True),
    sa.Column('metric_code', sa.String(length=48), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('value', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], ),
    sa.PrimaryKeyConstraint('batch_id', 'row_number')
    )
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_batch_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_customer_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_foreign_key('fk_customer_import_batch_id_import_batch', 'import_batch', ['import_batch_id'], ['id'])

    with op.batch_alter_table('demand_cell', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_batch_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_demand_cell_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_foreign_key('fk_demand_cell_import_batch_id_import_batch', 'import_batch', ['import_batch_id'], ['id'])

    with op.batch_alter_table('lobby_hourly', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_batch_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_lobby_hourly_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_foreign_key('fk_lobby_hourly_import_batch_id_import_batch', 'import_batch', ['import_batch_id'], ['id'])

    with op.batch_alter_table('target', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_batch_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_target_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_foreign_key('fk_target_import_batch_id_import_batch', 'import_batch', ['import_batch_id'], ['id'])



def downgrade() -> None:
    for table in ("target", "lobby_hourly", "demand_cell", "customer"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_import_batch_id_import_batch", type_="foreignkey")
            batch_op.drop_index(batch_op.f(f"ix_{table}_import_batch_id"))
            batch_op.drop_column("import_batch_id")
    for table in ("staging_target", "staging_lobby_hourly", "staging_demand_cell", "staging_customer"):
        op.drop_table(table)

"""Import of the units' lifecycle and the registry's events: org_unit_event rows carry the
import batch that loaded them (kind ``unit_events``), and the staging tables of the org_units
kind (the code of the unit a merged unit went into) and of the unit events

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-10 08:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('staging_org_unit_event',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=True),
    sa.Column('event_type', sa.String(length=16), nullable=True),
    sa.Column('event_date', sa.Date(), nullable=True),
    sa.Column('related_unit_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('recorded_by', sa.String(length=64), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], ),
    sa.PrimaryKeyConstraint('batch_id', 'row_number')
    )
    with op.batch_alter_table('org_unit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_batch_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_org_unit_event_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_org_unit_event_import_batch_id_import_batch'), 'import_batch', ['import_batch_id'], ['id'])

    with op.batch_alter_table('staging_org_unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('merged_into_code', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('staging_org_unit', schema=None) as batch_op:
        batch_op.drop_column('merged_into_code')

    with op.batch_alter_table('org_unit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_org_unit_event_import_batch_id_import_batch'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_org_unit_event_import_batch_id'))
        batch_op.drop_column('import_batch_id')

    op.drop_table('staging_org_unit_event')

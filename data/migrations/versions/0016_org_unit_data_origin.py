"""An organisation of any depth: where a unit's data come from

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-11 08:00:00

The tree may now start at a head office (level ``head_office``) above several provincial
branches; ``org_unit.level`` is free text of 16 characters already, so the new level needs no
change. New: ``org_unit.data_origin`` (empty for a bank's own units; the demo marks the provinces
it builds as "census", on real city facts, or "synthetic", invented), also in the staging table
of the org_units import kind, which mirrors ``org_unit``.
"""

from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('org_unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data_origin', sa.String(length=12), nullable=True))
    with op.batch_alter_table('staging_org_unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data_origin', sa.String(length=12), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('staging_org_unit', schema=None) as batch_op:
        batch_op.drop_column('data_origin')
    with op.batch_alter_table('org_unit', schema=None) as batch_op:
        batch_op.drop_column('data_origin')

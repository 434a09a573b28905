"""customer birth date (birthday reminders by day)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 02:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Personal data like the birth year: nullable (companies have none; older extracts carry the
    # year only), shown only to roles that may see personal data.
    op.add_column('customer', sa.Column('birth_date', sa.Date(), nullable=True))
    op.add_column('staging_customer', sa.Column('birth_date', sa.Date(), nullable=True))


def downgrade() -> None:
    # DROP COLUMN in place on both backends (SQLite ≥ 3.35): a batch copy of the customer table
    # would break the foreign keys that point at it.
    op.execute('ALTER TABLE staging_customer DROP COLUMN birth_date')
    op.execute('ALTER TABLE customer DROP COLUMN birth_date')

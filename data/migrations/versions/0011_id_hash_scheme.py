"""ID-number hash scheme: keyed HMAC-SHA-256 from now on, and which scheme each hash uses

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 06:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # New imports store HMAC-SHA-256 with the bank's key ("hmac-sha256:<key fingerprint>", the
    # demo "hmac-sha256:demo"). The hashes already stored are unkeyed SHA-256: a migration cannot
    # re-key them (the raw ID numbers were never kept), so they are marked "sha256" and replaced
    # only where the raw value is imported again (python -m data.importer rekey, see README).
    op.add_column('customer', sa.Column('id_hash_scheme', sa.String(length=40), nullable=True))
    op.add_column('staging_customer', sa.Column('id_hash_scheme', sa.String(length=40), nullable=True))
    op.execute("UPDATE customer SET id_hash_scheme = 'sha256' WHERE id_number_hash IS NOT NULL")


def downgrade() -> None:
    # DROP COLUMN in place on both backends (SQLite ≥ 3.35), as in 0009.
    op.execute('ALTER TABLE staging_customer DROP COLUMN id_hash_scheme')
    op.execute('ALTER TABLE customer DROP COLUMN id_hash_scheme')

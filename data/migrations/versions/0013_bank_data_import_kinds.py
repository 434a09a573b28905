"""Import kinds for a bank's own data: products, staff, transactions, complaints and their
status changes, customer changes; account extracts with 日均, 五级分类 and dates; extract
completion and the KPIs derived from complete extracts; restating batches (corrections)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 08:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('account_kpi_monthly',
    sa.Column('outlet_id', sa.Integer(), nullable=False),
    sa.Column('metric_code', sa.String(length=48), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('accounts', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('outlet_id', 'metric_code', 'month')
    )
    op.create_table('import_superseded',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('old_batch_id', sa.Integer(), nullable=True),
    sa.Column('table_name', sa.String(length=48), nullable=False),
    sa.Column('row_data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['old_batch_id'], ['import_batch.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('import_superseded', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_superseded_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_superseded_old_batch_id'), ['old_batch_id'], unique=False)

    op.create_table('staging_complaint',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=True),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=True),
    sa.Column('category', sa.String(length=32), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=True),
    sa.Column('severity', sa.String(length=8), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('complaint_no', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], ),
    sa.PrimaryKeyConstraint('batch_id', 'row_number')
    )
    op.create_table('staging_complaint_status_change',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], ),
    sa.PrimaryKeyConstraint('batch_id', 'row_number')
    )
    op.create_table('staging_customer_change',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('phone_masked', sa.String(length=20), nullable=True),
    sa.Column('home_outlet_id', sa.Integer(), nullable=True),
    sa.Column('relationship_manager_id', sa.Integer(), nullable=True),
    sa.Column('is_key_customer', sa.Boolean(), nullable=True),
    sa.Column('home_cell', sa.String(length=16), nullable=True),
    sa.Column('industry', sa.String(length=32), nullable=True),
    sa.Column('previous', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], ),
    sa.PrimaryKeyConstraint('batch_id', 'row_number')
    )
    op.create_table('staging_product',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=True),
    sa.Column('name_zh', sa.String(length=100), nullable=True),
    sa.Column('name_en', sa.String(length=100), nullable=True),
    sa.Column('family', sa.String(length=24), nullable=True),
    sa.Column('segment', sa.String(length=12), nullable=True),
    sa.Column('annual_margin_rate', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], ),
    sa.PrimaryKeyConstraint('batch_id', 'row_number')
    )
    op.create_table('staging_staff',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('employee_no', sa.String(length=32), nullable=True),
    sa.Column('outlet_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=64), nullable=True),
    sa.Column('role', sa.String(length=32), nullable=True),
    sa.Column('hired_on', sa.Date(), nullable=True),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('is_relationship_manager', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], ),
    sa.PrimaryKeyConstraint('batch_id', 'row_number')
    )
    op.create_table('staging_txn',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('outlet_id', sa.Integer(), nullable=True),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=True),
    sa.Column('txn_at', sa.DateTime(), nullable=True),
    sa.Column('amount_rmb', sa.Float(), nullable=True),
    sa.Column('txn_no', sa.String(length=40), nullable=True),
    sa.Column('business_type', sa.String(length=24), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], ),
    sa.PrimaryKeyConstraint('batch_id', 'row_number')
    )
    op.create_table('extract_completion',
    sa.Column('extract', sa.String(length=24), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('marked_by', sa.String(length=64), nullable=False),
    sa.Column('marked_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['outlet_id'], ['org_unit.id'], ),
    sa.PrimaryKeyConstraint('extract', 'outlet_id', 'month')
    )
    op.create_table('customer_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('phone_masked', sa.String(length=20), nullable=True),
    sa.Column('home_outlet_id', sa.Integer(), nullable=True),
    sa.Column('relationship_manager_id', sa.Integer(), nullable=True),
    sa.Column('is_key_customer', sa.Boolean(), nullable=True),
    sa.Column('home_cell', sa.String(length=16), nullable=True),
    sa.Column('industry', sa.String(length=32), nullable=True),
    sa.Column('previous', sa.JSON(), nullable=True),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['home_outlet_id'], ['org_unit.id'], ),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], ),
    sa.ForeignKeyConstraint(['relationship_manager_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('customer_id', 'effective_on')
    )
    with op.batch_alter_table('customer_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_change_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_change_import_batch_id'), ['import_batch_id'], unique=False)

    op.create_table('complaint_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('import_batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], ),
    sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('complaint_id', 'changed_at')
    )
    with op.batch_alter_table('complaint_status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_status_change_complaint_id'), ['complaint_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_status_change_import_batch_id'), ['import_batch_id'], unique=False)

    with op.batch_alter_table('account_balance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('daily_average_rmb', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('loan_class', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('opened_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('matures_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('closed_on', sa.Date(), nullable=True))

    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.add_column(sa.Column('complaint_no', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('import_batch_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_complaint_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_complaint_complaint_no'), ['complaint_no'])
        batch_op.create_foreign_key(batch_op.f('fk_complaint_import_batch_id_import_batch'), 'import_batch', ['import_batch_id'], ['id'])

    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=200), nullable=True))

    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.add_column(sa.Column('restates', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('kpi_monthly', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=12), nullable=True))

    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_batch_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_product_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_product_import_batch_id_import_batch'), 'import_batch', ['import_batch_id'], ['id'])

    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('left_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('is_relationship_manager', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('import_batch_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_staff_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_staff_import_batch_id_import_batch'), 'import_batch', ['import_batch_id'], ['id'])

    with op.batch_alter_table('staging_account_balance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('daily_average_rmb', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('loan_class', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('opened_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('matures_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('closed_on', sa.Date(), nullable=True))

    with op.batch_alter_table('staging_customer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=200), nullable=True))

    with op.batch_alter_table('staging_kpi_monthly', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=12), nullable=True))

    with op.batch_alter_table('txn', schema=None) as batch_op:
        batch_op.add_column(sa.Column('txn_no', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('business_type', sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column('import_batch_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_txn_import_batch_id'), ['import_batch_id'], unique=False)
        batch_op.create_index('ix_txn_txn_no', ['txn_no'], unique=True)
        batch_op.create_foreign_key(batch_op.f('fk_txn_import_batch_id_import_batch'), 'import_batch', ['import_batch_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('txn', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_txn_import_batch_id_import_batch'), type_='foreignkey')
        batch_op.drop_index('ix_txn_txn_no')
        batch_op.drop_index(batch_op.f('ix_txn_import_batch_id'))
        batch_op.drop_column('import_batch_id')
        batch_op.drop_column('business_type')
        batch_op.drop_column('txn_no')

    with op.batch_alter_table('staging_kpi_monthly', schema=None) as batch_op:
        batch_op.drop_column('source')

    with op.batch_alter_table('staging_customer', schema=None) as batch_op:
        batch_op.drop_column('address')

    with op.batch_alter_table('staging_account_balance', schema=None) as batch_op:
        batch_op.drop_column('closed_on')
        batch_op.drop_column('matures_on')
        batch_op.drop_column('opened_on')
        batch_op.drop_column('loan_class')
        batch_op.drop_column('daily_average_rmb')

    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_staff_import_batch_id_import_batch'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_staff_import_batch_id'))
        batch_op.drop_column('import_batch_id')
        batch_op.drop_column('is_relationship_manager')
        batch_op.drop_column('left_on')

    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_product_import_batch_id_import_batch'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_product_import_batch_id'))
        batch_op.drop_column('import_batch_id')

    with op.batch_alter_table('kpi_monthly', schema=None) as batch_op:
        batch_op.drop_column('source')

    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_column('restates')

    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_column('address')

    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_complaint_import_batch_id_import_batch'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_complaint_complaint_no'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_complaint_import_batch_id'))
        batch_op.drop_column('import_batch_id')
        batch_op.drop_column('complaint_no')

    with op.batch_alter_table('account_balance', schema=None) as batch_op:
        batch_op.drop_column('closed_on')
        batch_op.drop_column('matures_on')
        batch_op.drop_column('opened_on')
        batch_op.drop_column('loan_class')
        batch_op.drop_column('daily_average_rmb')

    with op.batch_alter_table('complaint_status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_status_change_import_batch_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_status_change_complaint_id'))

    op.drop_table('complaint_status_change')
    with op.batch_alter_table('customer_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_change_import_batch_id'))
        batch_op.drop_index(batch_op.f('ix_customer_change_customer_id'))

    op.drop_table('customer_change')
    op.drop_table('extract_completion')
    op.drop_table('staging_txn')
    op.drop_table('staging_staff')
    op.drop_table('staging_product')
    op.drop_table('staging_customer_change')
    op.drop_table('staging_complaint_status_change')
    op.drop_table('staging_complaint')
    with op.batch_alter_table('import_superseded', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_superseded_old_batch_id'))
        batch_op.drop_index(batch_op.f('ix_import_superseded_batch_id'))

    op.drop_table('import_superseded')
    op.drop_table('account_kpi_monthly')

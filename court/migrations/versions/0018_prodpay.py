"""payments.pay_url: where the litigant pays an order, as the provider answered when it was created

WeChat Pay APIv3 (Native) answers an order with a ``code_url`` (weixin://wxpay/bizpayurl?pr=…)
valid for two hours: it cannot be recomputed from the order number, so it is kept with the order.
NULL for the development provider, whose page is derived from the order number.

Revision ID: 0018_prodpay
Revises: 0017_case_file
Create Date: 2026-12-07 09:35:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0018_prodpay'
down_revision = '0017_case_file'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pay_url', sa.String(length=512), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_column('pay_url')

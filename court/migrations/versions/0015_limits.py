"""identity_challenges.address: SMS codes are limited per client address too (issue 9, finding 7)

Also indexes the columns the limits count by: codes per phone and per address, filings per
litigant by time.

Revision ID: 0015_limits
Revises: 0014_complaint_render
Create Date: 2026-12-07 06:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0015_limits'
down_revision = '0014_complaint_render'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('identity_challenges', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_identity_challenges_phone_created', ['phone', 'created_at'])
        batch_op.create_index('ix_identity_challenges_address_created', ['address', 'created_at'])
    with op.batch_alter_table('filings', schema=None) as batch_op:
        batch_op.create_index('ix_filings_litigant_created', ['litigant_id', 'created_at'])


def downgrade() -> None:
    with op.batch_alter_table('filings', schema=None) as batch_op:
        batch_op.drop_index('ix_filings_litigant_created')
    with op.batch_alter_table('identity_challenges', schema=None) as batch_op:
        batch_op.drop_index('ix_identity_challenges_address_created')
        batch_op.drop_index('ix_identity_challenges_phone_created')
        batch_op.drop_column('address')

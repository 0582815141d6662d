"""identity_binding: tokens bound to a conversation; challenges confirmed by an identity provider

Revision ID: 0007_identity_binding
Revises: 0006_transcript_inbox
Create Date: 2026-12-07 04:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_identity_binding'
down_revision = '0006_transcript_inbox'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('conversation_id', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('channel', sa.String(length=32), nullable=True))
    with op.batch_alter_table('identity_challenges', schema=None) as batch_op:
        batch_op.add_column(sa.Column('provider_ref', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('identity_challenges', schema=None) as batch_op:
        batch_op.drop_column('provider_ref')
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.drop_column('channel')
        batch_op.drop_column('conversation_id')

"""transcript_inbox: the RabbitMQ transcript consumer's record of events already folded into turns

Revision ID: 0006_transcript_inbox
Revises: 0005_evidence_drafts
Create Date: 2026-11-28 16:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_transcript_inbox'
down_revision = '0005_evidence_drafts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('transcript_inbox',
    sa.Column('event_key', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('event_key')
    )
    with op.batch_alter_table('transcript_inbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transcript_inbox_received_at'), ['received_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('transcript_inbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transcript_inbox_received_at'))

    op.drop_table('transcript_inbox')

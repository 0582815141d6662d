"""The court's view (issue 12 §3): nlu_labels (the NLU inbox), transcript_conversations.verified_at
(the funnel), and the indexes the dashboard's aggregates read by.

``verified_at`` is filled for conversations already ingested from their turns' ``litigant_token``
slot (stored as a placeholder, never the token), so the funnel covers the past too.

Revision ID: 0012_nlu_inbox
Revises: 0009_fee_service
Create Date: 2026-12-07 06:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_nlu_inbox'
down_revision = '0009_fee_service'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'nlu_labels',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('turn_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('intent', sa.String(length=128), nullable=True),
        sa.Column('out_of_scope', sa.Boolean(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        sa.Column('labelled_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['turn_id'], ['transcript_turns.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('turn_id'),
    )
    op.create_index('ix_nlu_labels_labelled_at', 'nlu_labels', ['labelled_at'])
    with op.batch_alter_table('transcript_conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True))
    token = ("t.slots::jsonb ->> 'litigant_token'" if op.get_bind().dialect.name == 'postgresql'
             else "json_extract(t.slots, '$.litigant_token')")
    op.execute(f"UPDATE transcript_conversations SET verified_at = (SELECT min(t.at) FROM transcript_turns t "
               f"WHERE t.conversation_id = transcript_conversations.conversation_id AND {token} IS NOT NULL)")
    op.create_index('ix_transcript_turns_confidence', 'transcript_turns', ['confidence'])
    op.create_index('ix_filings_created_at', 'filings', ['created_at'])
    op.create_index('ix_events_action_at', 'events', ['action', 'at'])
    op.create_index('ix_tickets_created_at', 'tickets', ['created_at'])
    op.create_index('ix_fee_notices_issued_at', 'fee_notices', ['issued_at'])


def downgrade() -> None:
    op.drop_index('ix_fee_notices_issued_at', table_name='fee_notices')
    op.drop_index('ix_tickets_created_at', table_name='tickets')
    op.drop_index('ix_events_action_at', table_name='events')
    op.drop_index('ix_filings_created_at', table_name='filings')
    op.drop_index('ix_transcript_turns_confidence', table_name='transcript_turns')
    with op.batch_alter_table('transcript_conversations', schema=None) as batch_op:
        batch_op.drop_column('verified_at')
    op.drop_index('ix_nlu_labels_labelled_at', table_name='nlu_labels')
    op.drop_table('nlu_labels')

"""transcripts of Rasa conversations, stream cursors, deliveries into conversations

Revision ID: 0004_transcripts
Revises: 0003_doc_content_type
Create Date: 2026-11-28 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004_transcripts'
down_revision = '0003_doc_content_type'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('transcript_conversations',
    sa.Column('conversation_id', sa.String(length=255), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('turn_count', sa.Integer(), nullable=False),
    sa.Column('phones', sa.Text(), nullable=False),
    sa.Column('filing_numbers', sa.Text(), nullable=False),
    sa.Column('requested_slot', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('conversation_id')
    )
    with op.batch_alter_table('transcript_conversations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transcript_conversations_started_at'), ['started_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_transcript_conversations_last_at'), ['last_at'], unique=False)

    op.create_table('transcript_turns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=255), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=True),
    sa.Column('user_text', sa.Text(), nullable=True),
    sa.Column('intent', sa.String(length=128), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('entities', sa.JSON(), nullable=True),
    sa.Column('bot', sa.JSON(), nullable=False),
    sa.Column('slots', sa.JSON(), nullable=False),
    sa.Column('actions', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['transcript_conversations.conversation_id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('conversation_id', 'seq')
    )
    with op.batch_alter_table('transcript_turns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transcript_turns_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_transcript_turns_at'), ['at'], unique=False)

    op.create_table('transcript_cursors',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('position', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )

    op.create_table('conversation_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=255), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=256), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'ref')
    )
    with op.batch_alter_table('conversation_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_deliveries_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_deliveries_status'), ['status'], unique=False)


def downgrade() -> None:
    op.drop_table('conversation_deliveries')
    op.drop_table('transcript_cursors')
    op.drop_table('transcript_turns')
    op.drop_table('transcript_conversations')

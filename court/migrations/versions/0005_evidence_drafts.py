"""filings.evidence (证据和证据来源, 民事诉讼法 art. 124(四)); documents.generated (the 起诉状 the
backend made from the filing, replaced on resubmission); filing_drafts (待提交, one per litigant)

Revision ID: 0005_evidence_drafts
Revises: 0004_transcripts
Create Date: 2026-11-28 15:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005_evidence_drafts'
down_revision = '0004_transcripts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('filings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evidence', sa.JSON(), nullable=True))
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('generated', sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_table('filing_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('litigant_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('conversation_id', sa.String(length=128), nullable=True),
    sa.Column('channel', sa.String(length=32), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['litigant_id'], ['litigants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('litigant_id')
    )
    with op.batch_alter_table('filing_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_filing_drafts_updated_at'), ['updated_at'], unique=False)


def downgrade() -> None:
    op.drop_table('filing_drafts')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('generated')
    with op.batch_alter_table('filings', schema=None) as batch_op:
        batch_op.drop_column('evidence')

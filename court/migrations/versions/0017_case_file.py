"""case_files and case_file_items: the electronic case file (电子卷宗随案同步生成)

Every document, decision, notice, receipt and payment confirmation of a filing becomes a numbered
item of its case file (court/services/case_file.py); ``case_files.last_seq`` is the per-filing
counter whose row lock numbers two items arriving at once one after the other.

Revision ID: 0017_case_file
Revises: 0016_enforcement
Create Date: 2026-12-07 06:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0017_case_file'
down_revision = '0016_enforcement'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'case_files',
        sa.Column('filing_id', sa.Integer(), nullable=False),
        sa.Column('last_seq', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['filing_id'], ['filings.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('filing_id'),
    )
    op.create_table(
        'case_file_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('filing_id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('ref', sa.String(length=96), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('title', sa.String(length=128), nullable=False),
        sa.Column('source', sa.String(length=64), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('staff_only', sa.Boolean(), nullable=False),
        sa.Column('document_id', sa.String(length=32), nullable=True),
        sa.Column('body', sa.Text(), nullable=True),
        sa.Column('pages', sa.Integer(), nullable=True),
        sa.Column('storage_path', sa.String(length=512), nullable=True),
        sa.Column('sha256', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['filing_id'], ['filings.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('filing_id', 'seq'),
        sa.UniqueConstraint('filing_id', 'ref'),
    )
    with op.batch_alter_table('case_file_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_file_items_filing_id'), ['filing_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case_file_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_file_items_filing_id'))
    op.drop_table('case_file_items')
    op.drop_table('case_files')

"""complaint_renders: the generated 起诉状 still to render, written with its filing (rendered off the request)

Revision ID: 0014_complaint_render
Revises: 0013_relief_complaint
Create Date: 2026-12-07 06:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0014_complaint_render'
down_revision = '0013_relief_complaint'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('complaint_renders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filing_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('signed_on', sa.DateTime(timezone=True), nullable=False),
    sa.Column('base_url', sa.String(length=255), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=256), nullable=True),
    sa.Column('document_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['filing_id'], ['filings.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('complaint_renders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_renders_filing_id'), ['filing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_renders_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('complaint_renders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_renders_status'))
        batch_op.drop_index(batch_op.f('ix_complaint_renders_filing_id'))
    op.drop_table('complaint_renders')

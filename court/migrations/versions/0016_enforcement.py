"""enforcement (申请执行): effective judgments, applications / enforcement cases, their steps

A case's decision marked effective is what lets its party apply for enforcement (民诉法第二百五十条
counts the period from the performance period it sets); an application becomes a case with a 执
number when staff docket it; each step (立案 … 结案) is recorded and sent to the applicant.

Revision ID: 0016_enforcement
Revises: 0015_limits
Create Date: 2026-12-07 06:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0016_enforcement'
down_revision = '0015_limits'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'effective_judgments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('effective_on', sa.Date(), nullable=False),
        sa.Column('performance_last_day', sa.Date(), nullable=True),
        sa.Column('marked_by', sa.String(length=64), nullable=False),
        sa.Column('marked_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id'),
    )
    op.create_table(
        'enforcements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=32), nullable=False),
        sa.Column('idempotency_key', sa.String(length=128), nullable=True),
        sa.Column('request_hash', sa.String(length=64), nullable=False),
        sa.Column('litigant_id', sa.Integer(), nullable=False),
        sa.Column('conversation_id', sa.String(length=255), nullable=True),
        sa.Column('channel', sa.String(length=32), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('basis_kind', sa.String(length=16), nullable=False),
        sa.Column('basis_number', sa.String(length=64), nullable=True),
        sa.Column('basis_document', sa.String(length=256), nullable=True),
        sa.Column('basis_case_id', sa.Integer(), nullable=True),
        sa.Column('basis_confirmed', sa.Boolean(), nullable=False),
        sa.Column('court_code', sa.String(length=16), nullable=False),
        sa.Column('court_name', sa.String(length=64), nullable=False),
        sa.Column('court_note', sa.Text(), nullable=True),
        sa.Column('applicant', sa.JSON(), nullable=False),
        sa.Column('respondent', sa.JSON(), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=True),
        sa.Column('acts', sa.Text(), nullable=True),
        sa.Column('property_leads', sa.JSON(), nullable=False),
        sa.Column('performance_last_day', sa.Date(), nullable=False),
        sa.Column('interrupted_on', sa.Date(), nullable=True),
        sa.Column('period_last_day', sa.Date(), nullable=False),
        sa.Column('fee', sa.BigInteger(), nullable=True),
        sa.Column('fee_text', sa.Text(), nullable=False),
        sa.Column('case_number', sa.String(length=64), nullable=True),
        sa.Column('reject_reason', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['basis_case_id'], ['cases.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['litigant_id'], ['litigants.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_number'),
        sa.UniqueConstraint('idempotency_key'),
        sa.UniqueConstraint('number'),
    )
    op.create_index('ix_enforcements_litigant_id', 'enforcements', ['litigant_id'])
    op.create_index('ix_enforcements_status', 'enforcements', ['status'])
    op.create_index('ix_enforcements_court_code', 'enforcements', ['court_code'])
    op.create_table(
        'enforcement_steps',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('enforcement_id', sa.Integer(), nullable=False),
        sa.Column('step', sa.String(length=16), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('actor', sa.String(length=64), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['enforcement_id'], ['enforcements.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_enforcement_steps_enforcement_id', 'enforcement_steps', ['enforcement_id'])


def downgrade() -> None:
    op.drop_index('ix_enforcement_steps_enforcement_id', table_name='enforcement_steps')
    op.drop_table('enforcement_steps')
    op.drop_index('ix_enforcements_court_code', table_name='enforcements')
    op.drop_index('ix_enforcements_status', table_name='enforcements')
    op.drop_index('ix_enforcements_litigant_id', table_name='enforcements')
    op.drop_table('enforcements')
    op.drop_table('effective_judgments')

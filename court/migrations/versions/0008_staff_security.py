"""staff_login_failures (login throttle and lockout), staff_audit (who opened which transcript or ID number), staff.totp_secret

Revision ID: 0008_staff_security
Revises: 0007_identity_binding
Create Date: 2026-12-07 04:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_staff_security'
down_revision = '0007_identity_binding'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
    op.create_table('staff_login_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('staff_login_failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_login_failures_username'), ['username'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_login_failures_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_login_failures_at'), ['at'], unique=False)
    op.create_table('staff_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('staff_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_audit_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_audit_at'), ['at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('staff_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_audit_at'))
        batch_op.drop_index(batch_op.f('ix_staff_audit_staff_id'))
    op.drop_table('staff_audit')
    with op.batch_alter_table('staff_login_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_login_failures_at'))
        batch_op.drop_index(batch_op.f('ix_staff_login_failures_address'))
        batch_op.drop_index(batch_op.f('ix_staff_login_failures_username'))
    op.drop_table('staff_login_failures')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_column('totp_secret')

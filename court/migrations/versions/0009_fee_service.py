"""fee_notices: the moment and way of service; due_at stays empty until served; filings.decision_due

The fee deadline runs from the day after the litigant receives the notice (《诉讼费用交纳办法》
第二十二条), so docketing no longer sets ``due_at``: service does (electronic service only with
consent, 民诉法第九十条; otherwise a staff-recorded service such as 邮寄送达).

Revision ID: 0009_fee_service
Revises: 0008_staff_security
Create Date: 2026-12-07 04:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0009_fee_service'
down_revision = '0008_staff_security'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # 民诉法第一百二十六条: the day by which the court decides on a pending filing (restarted by a correction)
    with op.batch_alter_table('filings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decision_due', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('fee_notices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('served_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('service_method', sa.String(length=16), nullable=True))
        batch_op.alter_column('due_at', existing_type=sa.DateTime(timezone=True), nullable=True)


def downgrade() -> None:
    # Notices never served get a deadline 7 days after issue, the old (pre-0009) rule.
    op.execute("UPDATE fee_notices SET due_at = issued_at + interval '7 days' WHERE due_at IS NULL"
               if op.get_bind().dialect.name == 'postgresql' else
               "UPDATE fee_notices SET due_at = datetime(issued_at, '+7 days') WHERE due_at IS NULL")
    with op.batch_alter_table('fee_notices', schema=None) as batch_op:
        batch_op.alter_column('due_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.drop_column('service_method')
        batch_op.drop_column('served_at')
    with op.batch_alter_table('filings', schema=None) as batch_op:
        batch_op.drop_column('decision_due')

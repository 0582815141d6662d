"""parties: 民族, 职业/工作单位, organisation form, 法定代理人, 委托诉讼代理人; filings.witnesses, fee_relief

The 2016 最高人民法院 样式 of the 民事起诉状 describes a person by 性别, 出生日期, 民族, 职业或工作单位,
住所 and contact, an organisation by its 法定代表人 or, for a 其他组织, its 主要负责人, and names the
法定代理人 and 委托诉讼代理人; art. 124(四) 民事诉讼法 adds 证人姓名和住所. All nullable: filings made
before this migration simply do not have them.

Revision ID: 0013_relief_complaint
Revises: 0012_nlu_inbox
Create Date: 2026-12-07 06:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0013_relief_complaint'
down_revision = '0012_nlu_inbox'
branch_labels = None
depends_on = None

PARTY_COLUMNS = (
    ('ethnicity', 32), ('occupation', 128), ('org_form', 16), ('legal_agent', 64),
    ('legal_agent_relation', 32), ('agent', 64), ('agent_detail', 128),
)


def upgrade() -> None:
    with op.batch_alter_table('parties', schema=None) as batch_op:
        for name, length in PARTY_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))
    with op.batch_alter_table('filings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('witnesses', sa.JSON(), nullable=True))
        # 司法救助 (《诉讼费用交纳办法》第四十八条): the application with the filing and the clerk's decision
        batch_op.add_column(sa.Column('fee_relief', sa.JSON(), nullable=True))
        # 需补正's 指定期限 (登记立案规定第七条)
        batch_op.add_column(sa.Column('correction_due', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_filings_correction_due', ['correction_due'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('filings', schema=None) as batch_op:
        batch_op.drop_index('ix_filings_correction_due')
        batch_op.drop_column('correction_due')
        batch_op.drop_column('fee_relief')
        batch_op.drop_column('witnesses')
    with op.batch_alter_table('parties', schema=None) as batch_op:
        for name, _length in reversed(PARTY_COLUMNS):
            batch_op.drop_column(name)

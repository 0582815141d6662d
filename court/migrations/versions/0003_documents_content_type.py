"""documents.content_type: 128 characters (the DOCX media type alone is 71)

`application/vnd.openxmlformats-officedocument.wordprocessingml.document` does not fit the
VARCHAR(64) of 0002; PostgreSQL refuses it (SQLite does not check lengths).

Revision ID: 0003_doc_content_type
Revises: 0002
Create Date: 2026-11-28 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003_doc_content_type'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.alter_column('content_type', existing_type=sa.String(length=64), type_=sa.String(length=128),
                              existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.alter_column('content_type', existing_type=sa.String(length=128), type_=sa.String(length=64),
                              existing_nullable=False)

"""queue: province filter walks (province, submitted_at, id) instead of sorting a province's rows

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 19:20:00

"""
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        # The composite index serves plain province look-ups too, so the single-column one goes.
        batch_op.drop_index('ix_complaints_province')
        batch_op.create_index('ix_complaints_queue_province', ['province', 'submitted_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_queue_province')
        batch_op.create_index('ix_complaints_province', ['province'], unique=False)

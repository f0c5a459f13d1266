"""officer workspace: indexes for the queue filters, duplicate lookups and overdue referrals

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 18:00:00

"""
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

COMPLAINT_INDEXES = [
    ('ix_complaints_queue_status', ['status', 'submitted_at', 'id']),
    ('ix_complaints_queue_assignee', ['assignee_id', 'submitted_at']),
    ('ix_complaints_queue_platform', ['platform_id', 'submitted_at']),
    ('ix_complaints_queue_severity', ['severity', 'submitted_at']),
    ('ix_complaints_updated_at', ['updated_at']),
    ('ix_complaints_contact_email', ['contact_email']),
    ('ix_complaints_contact_phone', ['contact_phone']),
]


def upgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        for name, columns in COMPLAINT_INDEXES:
            batch_op.create_index(name, columns, unique=False)
    with op.batch_alter_table('complaint_violations', schema=None) as batch_op:
        batch_op.create_index('ix_complaint_violations_code_complaint', ['code', 'complaint_id'], unique=False)
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index('ix_referrals_waiting_due', ['status', 'due_on', 'complaint_id'], unique=False)


def downgrade():
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index('ix_referrals_waiting_due')
    with op.batch_alter_table('complaint_violations', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_violations_code_complaint')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        for name, _columns in reversed(COMPLAINT_INDEXES):
            batch_op.drop_index(name)

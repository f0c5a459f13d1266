"""outbox_messages: mail written in the same transaction as the change it reports, sent by `flask send-mail`

Recipient, subject and body are encrypted by the app (the column type seals them), so the table
holds no address in clear; the partial index serves the worker's "unsent and due, oldest first".

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 01:30:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('recipient', sa.Text(), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=120), nullable=False),
    sa.CheckConstraint(
        "kind IN ('responder_new_complaint', 'consumer_answered', 'consumer_status_changed', 'officer_overdue')",
        name=op.f('ck_outbox_messages_kind'),
    ),
    sa.CheckConstraint("language IN ('zh_Hans', 'en')", name=op.f('ck_outbox_messages_language')),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_outbox_messages_attempts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(
            'ix_outbox_messages_due',
            ['next_attempt_at', 'id'],
            unique=False,
            sqlite_where=sa.text('sent_at IS NULL'),
            postgresql_where=sa.text('sent_at IS NULL'),
        )


def downgrade():
    op.drop_table('outbox_messages')

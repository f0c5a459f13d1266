"""the platform response loop: responder accounts, what platforms answered, where a complaint stands with them

Schema: officers gain platform_id and the role "responder" (a responder always has a platform, no
one else has one); complaints gain the fourth consent (share identity with the platform), the
retaliation question, the platform stage with its deadlines and the consumer's review;
platform_responses holds each answer, its text encrypted like the narrative.

Data: none. Every existing complaint starts as not sent (triage never decided), so nothing is sent
to a platform without an officer's decision.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 01:07:19

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('platform_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('responder_id', sa.Integer(), nullable=False),
    sa.Column('response_type', sa.String(length=24), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("response_type IN ('monetary_relief', 'non_monetary_relief', 'explanation', 'in_progress', 'not_our_customer')", name=op.f('ck_platform_responses_response_type')),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_platform_responses_complaint_id_complaints'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['platform_id'], ['platforms.id'], name=op.f('fk_platform_responses_platform_id_platforms')),
    sa.ForeignKeyConstraint(['responder_id'], ['officers.id'], name=op.f('fk_platform_responses_responder_id_officers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_platform_responses'))
    )
    with op.batch_alter_table('platform_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_platform_responses_complaint_id'), ['complaint_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_platform_responses_platform_id'), ['platform_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_platform_responses_responder_id'), ['responder_id'], unique=False)

    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_share_with_platform', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('fears_retaliation', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('platform_stage', sa.String(length=16), server_default='not_sent', nullable=False))
        batch_op.add_column(sa.Column('sent_to_platform_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('platform_answer_due_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('platform_answered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('platform_timely', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('platform_overdue_notified_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('consumer_review', sa.String(length=16), server_default='', nullable=False))
        batch_op.add_column(sa.Column('consumer_reviewed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_complaints_platform_due', ['platform_stage', 'platform_answer_due_at'], unique=False)
        batch_op.create_index('ix_complaints_platform_sent', ['platform_id', 'sent_to_platform_at'], unique=False)
        batch_op.create_index('ix_complaints_platform_waiting', ['platform_id', 'platform_answer_due_at'], unique=False)
        batch_op.create_index('ix_complaints_answer_due', ['platform_answer_due_at', 'platform_stage', 'status', 'platform_overdue_notified_at'], unique=False)
        # The received-order index carries the status and platform stage, so the queue filters on them in it.
        batch_op.drop_index('ix_complaints_submitted_at')
        batch_op.create_index('ix_complaints_submitted_at', ['submitted_at', 'status', 'platform_stage'], unique=False)
        batch_op.create_check_constraint(op.f('ck_complaints_platform_stage'), "platform_stage IN ('not_sent', 'withheld', 'awaiting', 'in_progress', 'answered', 'settled', 'disputed', 'not_our_customer')")
        batch_op.create_check_constraint(op.f('ck_complaints_consumer_review'), "consumer_review IN ('', 'settled', 'disputed')")

    with op.batch_alter_table('officers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('platform_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_officers_platform_id'), ['platform_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_officers_platform_id_platforms'), 'platforms', ['platform_id'], ['id'])
        batch_op.drop_constraint(op.f('ck_officers_role'), type_='check')
        batch_op.create_check_constraint(op.f('ck_officers_role'), "role IN ('officer', 'admin', 'responder')")
        batch_op.create_check_constraint(op.f('ck_officers_responder_has_platform'), "(role = 'responder') = (platform_id IS NOT NULL)")



def downgrade():
    # The role goes; its accounts stay (the audit log names them) but disabled, as plain officers
    # with no session left, and their answers go with the table.
    with op.batch_alter_table('officers', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_officers_responder_has_platform'), type_='check')
        batch_op.drop_constraint(op.f('ck_officers_role'), type_='check')
    op.execute(
        "DELETE FROM server_sessions WHERE officer_id IN (SELECT id FROM officers WHERE role = 'responder')"
    )
    op.execute(
        "UPDATE officers SET role = 'officer', active = false, session_version = session_version + 1"
        " WHERE role = 'responder'"
    )
    with op.batch_alter_table('officers', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_officers_role'), "role IN ('officer', 'admin')")
        batch_op.drop_constraint(batch_op.f('fk_officers_platform_id_platforms'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_officers_platform_id'))
        batch_op.drop_column('platform_id')

    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_complaints_consumer_review'), type_='check')
        batch_op.drop_constraint(op.f('ck_complaints_platform_stage'), type_='check')
        batch_op.drop_index('ix_complaints_submitted_at')
        batch_op.create_index('ix_complaints_submitted_at', ['submitted_at'], unique=False)
        batch_op.drop_index('ix_complaints_answer_due')
        batch_op.drop_index('ix_complaints_platform_waiting')
        batch_op.drop_index('ix_complaints_platform_sent')
        batch_op.drop_index('ix_complaints_platform_due')
        batch_op.drop_column('consumer_reviewed_at')
        batch_op.drop_column('consumer_review')
        batch_op.drop_column('platform_overdue_notified_at')
        batch_op.drop_column('platform_timely')
        batch_op.drop_column('platform_answered_at')
        batch_op.drop_column('platform_answer_due_at')
        batch_op.drop_column('sent_to_platform_at')
        batch_op.drop_column('platform_stage')
        batch_op.drop_column('fears_retaliation')
        batch_op.drop_column('consent_share_with_platform')

    with op.batch_alter_table('platform_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_platform_responses_responder_id'))
        batch_op.drop_index(batch_op.f('ix_platform_responses_platform_id'))
        batch_op.drop_index(batch_op.f('ix_platform_responses_complaint_id'))

    op.drop_table('platform_responses')

"""server_sessions: officer sign-ins and consumer status pages live on the server, so they can be ended

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 21:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    # Sessions from before this revision lived only in their cookies: none carries a token, so every
    # officer signs in again and every opened status page asks for its code again, once.
    op.create_table('server_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('complaint_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('officer', 'consumer')", name=op.f('ck_server_sessions_kind')),
    sa.CheckConstraint(
        "(kind = 'officer' AND officer_id IS NOT NULL AND complaint_id IS NULL)"
        " OR (kind = 'consumer' AND complaint_id IS NOT NULL AND officer_id IS NULL)",
        name=op.f('ck_server_sessions_subject'),
    ),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_server_sessions_complaint_id_complaints'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name=op.f('fk_server_sessions_officer_id_officers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_server_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_server_sessions_token_hash'))
    )
    with op.batch_alter_table('server_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_server_sessions_complaint_id'), ['complaint_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_server_sessions_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_server_sessions_seen_at'), ['seen_at'], unique=False)


def downgrade():
    op.drop_table('server_sessions')

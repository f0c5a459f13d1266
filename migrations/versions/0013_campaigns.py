"""campaigns: clusters of complaints one filer or one template ties together

Schema: campaigns holds each cluster; complaints gain campaign_id (the cluster, if any),
agent_filed (officers judged it filed by a paid agent) and campaign_folded (agent-filed and not
its campaign's first such member: counted once, under that one, in public figures).

Data: none. No existing complaint is in a campaign; new filings form and join them.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 18:47:29

"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns'))
    )
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaigns_updated_at'), ['updated_at'], unique=False)

    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('campaign_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('agent_filed', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('campaign_folded', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(batch_op.f('ix_complaints_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index('ix_complaints_campaign_folded', ['campaign_folded', 'submitted_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_complaints_campaign_id_campaigns'), 'campaigns', ['campaign_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_complaints_campaign_id_campaigns'), type_='foreignkey')
        batch_op.drop_index('ix_complaints_campaign_folded')
        batch_op.drop_index(batch_op.f('ix_complaints_campaign_id'))
        batch_op.drop_column('campaign_folded')
        batch_op.drop_column('agent_filed')
        batch_op.drop_column('campaign_id')

    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaigns_updated_at'))

    op.drop_table('campaigns')

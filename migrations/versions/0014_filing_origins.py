"""filing origins: the keyed hash of the network each complaint was filed from, kept about a day

Schema: filing_origins holds, per complaint, the keyed hash (index key) of its filing address's
network (/24 for IPv4, /48 for IPv6) and when it was filed. Duplicate suggestions read it to show
copies filed from one place within a day; `flask purge` deletes rows older than that.

Data: none (complaints filed before this revision have no origin).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 19:36:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('filing_origins',
    sa.Column('complaint_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('network_hash', sa.String(length=64), nullable=False),
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_filing_origins_complaint_id_complaints'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('complaint_id', name=op.f('pk_filing_origins'))
    )
    with op.batch_alter_table('filing_origins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_filing_origins_filed_at'), ['filed_at'], unique=False)
        batch_op.create_index('ix_filing_origins_network', ['network_hash', 'filed_at'], unique=False)


def downgrade():
    with op.batch_alter_table('filing_origins', schema=None) as batch_op:
        batch_op.drop_index('ix_filing_origins_network')
        batch_op.drop_index(batch_op.f('ix_filing_origins_filed_at'))
    op.drop_table('filing_origins')

"""near-duplicate index of narratives: the LSH band codes of each narrative's keyed MinHash

Schema: narrative_bands holds, for each complaint, one 32-bit code per band of its narrative's
signature (complaints.core.resemblance), keyed by code so that the complaints sharing a band are
one index range.

Data: none here (a migration cannot decrypt narratives without importing live code). Complaints
filed before this revision get their bands from `flask rotate-key --rebuild-index`, run once after
upgrading; until then they are found only by the other signals.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 18:41:03

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('narrative_bands',
    sa.Column('band_hash', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('complaint_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_narrative_bands_complaint_id_complaints'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('band_hash', 'complaint_id', name=op.f('pk_narrative_bands')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('narrative_bands', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_narrative_bands_complaint_id'), ['complaint_id'], unique=False)


def downgrade():
    with op.batch_alter_table('narrative_bands', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_narrative_bands_complaint_id'))
    op.drop_table('narrative_bands')

"""reported_phones: a collector number the parser does not recognise is kept as typed, flagged

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 04:10:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reported_phones', schema=None) as batch_op:
        batch_op.alter_column('phone', existing_type=sa.String(length=32), type_=sa.String(length=40), existing_nullable=False)
        # Every number stored before was normalised: the form refused the rest.
        batch_op.add_column(sa.Column('normalised', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('reported_phones', schema=None) as batch_op:
        batch_op.drop_column('normalised')
        batch_op.alter_column('phone', existing_type=sa.String(length=40), type_=sa.String(length=32), existing_nullable=False)

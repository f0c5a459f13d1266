"""encryption at rest: private columns sealed with AES-GCM, blind indexes for duplicates and search

Schema: the private columns become TEXT (ciphertext is longer than the clear value);
contact_email_hash / contact_phone_hash replace the indexes on the clear details; the approved
narrative gets a clear column of its own (narrative_published) so the draft can be encrypted;
narrative_terms is the blind index of narrative bigrams.

Data: every existing clear value is encrypted with the app's key ring (DATA_KEYS or
instance/data_keys.json), the keyed hashes and search terms are computed, and evidence files are
encrypted in place. Running it again on encrypted data changes nothing.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 20:40:00

"""
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# The columns as 0004 left them, for the way back.
CLEAR_TYPES = {
    'collector_name_reported': sa.String(length=200),
    'loan_reference': sa.String(length=100),
    'contact_name': sa.String(length=200),
    'contact_phone': sa.String(length=32),
    'contact_email': sa.String(length=254),
}


def _ring():
    from complaints.core.crypto import current_keyring

    return current_keyring()


def _store(ring):
    from complaints.intake.evidence_store import LocalEvidenceStore

    return LocalEvidenceStore(Path(current_app.config['EVIDENCE_DIR']), ring)


def upgrade():
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_contact_email')
        batch_op.drop_index('ix_complaints_contact_phone')
        for name, clear in CLEAR_TYPES.items():
            batch_op.alter_column(name, existing_type=clear, type_=sa.Text(), existing_nullable=False)
        batch_op.add_column(sa.Column('contact_email_hash', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('contact_phone_hash', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('narrative_published', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        # The defaults only filled existing rows; the models give every new row its values.
        batch_op.alter_column('contact_email_hash', server_default=None)
        batch_op.alter_column('contact_phone_hash', server_default=None)
        batch_op.alter_column('narrative_published', server_default=None)
        batch_op.create_index('ix_complaints_contact_email_hash', ['contact_email_hash'], unique=False)
        batch_op.create_index('ix_complaints_contact_phone_hash', ['contact_phone_hash'], unique=False)
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.alter_column('original_name', existing_type=sa.String(length=255), type_=sa.Text(),
                              existing_nullable=False)
    op.create_table(
        'narrative_terms',
        sa.Column('term_hash', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('complaint_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'],
                                name=op.f('fk_narrative_terms_complaint_id_complaints'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('term_hash', 'complaint_id', name=op.f('pk_narrative_terms')),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table('narrative_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_narrative_terms_complaint_id'), ['complaint_id'], unique=False)

    # Data: encrypt what is in clear, then derive the blind indexes from the plaintext.
    from complaints.privacy.key_rotation import rebuild_blind_indexes, reseal_files, reseal_rows

    connection = op.get_bind()
    ring = _ring()
    for _step in reseal_rows(connection, ring):
        pass
    for _step in rebuild_blind_indexes(connection, ring):
        pass
    for _key in reseal_files(_store(ring)):
        pass


def downgrade():
    from complaints.models.private import PRIVATE_EVENT_FIELDS, unseal
    from complaints.privacy.key_rotation import ENCRYPTED, raw_table

    connection = op.get_bind()
    ring = _ring()
    # Back to clear values (the keys are still needed for this), then the 0004 schema.
    for name, columns in ENCRYPTED.items():
        table = raw_table(name, columns)
        for row in connection.execute(sa.select(table)).all():
            values = {}
            for column, kind in columns:
                value = getattr(row, column)
                if kind == 'fields' and value:
                    value = dict(value)
                    for key in PRIVATE_EVENT_FIELDS:
                        if isinstance(value.get(key), str) and value[key]:
                            value[key] = unseal(ring, value[key], f'{name}.{column}.{key}')
                elif kind == 'text':
                    value = unseal(ring, value, f'{name}.{column}')
                values[column] = value
            connection.execute(sa.update(table).where(table.c.id == row.id).values(**values))
    store = _store(ring)
    stored = store.keys()
    for key in stored:
        path = store.root / key[:2] / key[2:4] / key
        if store.key_id(key) is not None:
            path.write_bytes(store.read(key))

    with op.batch_alter_table('narrative_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_narrative_terms_complaint_id'))
    op.drop_table('narrative_terms')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.alter_column('original_name', existing_type=sa.Text(), type_=sa.String(length=255),
                              existing_nullable=False)
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_contact_phone_hash')
        batch_op.drop_index('ix_complaints_contact_email_hash')
        batch_op.drop_column('narrative_published')
        batch_op.drop_column('contact_phone_hash')
        batch_op.drop_column('contact_email_hash')
        for name, clear in CLEAR_TYPES.items():
            batch_op.alter_column(name, existing_type=sa.Text(), type_=clear, existing_nullable=False)
        batch_op.create_index('ix_complaints_contact_email', ['contact_email'], unique=False)
        batch_op.create_index('ix_complaints_contact_phone', ['contact_phone'], unique=False)

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
import base64
import hashlib
import hmac
import json
import os
import re
import tempfile
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
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

# --- Frozen: what this migration needs of the encryption, as it was at revision 0005. --------------
# A migration must not import the live code (complaints.*): a later refactor of the key ring, the
# blind indexes or the evidence store would silently change what this old migration does. These
# copies define the stored formats of 0005 ("enc1" values, "CWE1" files, the keyed hashes); later
# changes to those formats belong in a later migration.

PREFIX = 'enc1'
NONCE_BYTES = 12
FILE_MAGIC = b'CWE1'
#: Keys of case_events.data that may hold a person's words.
PRIVATE_EVENT_FIELDS = ('text', 'reason')
#: Every encrypted column: table -> [(column, "text" | "fields")].
ENCRYPTED = {
    'complaints': [
        ('contact_name', 'text'),
        ('contact_phone', 'text'),
        ('contact_email', 'text'),
        ('narrative', 'text'),
        ('desired_outcome', 'text'),
        ('loan_reference', 'text'),
        ('collector_name_reported', 'text'),
        ('narrative_redacted', 'text'),
    ],
    'evidence': [('original_name', 'text')],
    'case_events': [('data', 'fields'), ('public_message', 'text')],
}
COMPLAINT_PRIVATE = [
    ('contact_name', 'text'),
    ('contact_phone', 'text'),
    ('contact_email', 'text'),
    ('narrative', 'text'),
    ('narrative_redacted', 'text'),
]
BATCH = 1000
_NOISE = re.compile(r'[\s\W_]+', re.UNICODE)
_SPACES = re.compile(r'\s+', re.UNICODE)


class _Keys:
    """The deployment's key ring, read as DATA_KEYS (or the key file) holds it: JSON, base64 keys."""

    def __init__(self, text):
        data = json.loads(text)
        self.keys = {key_id: base64.urlsafe_b64decode(value.encode()) for key_id, value in data['keys'].items()}
        self.current = data['current']
        self.index_key = base64.urlsafe_b64decode(data['index_key'].encode())

    def encrypt(self, plaintext, context):
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[self.current]).encrypt(nonce, plaintext.encode(), context.encode())
        return f'{PREFIX}:{self.current}:{base64.urlsafe_b64encode(nonce + sealed).decode()}'

    def decrypt(self, token, context):
        _prefix, key_id, payload = token.split(':', 2)
        raw = base64.urlsafe_b64decode(payload.encode())
        try:
            return AESGCM(self.keys[key_id]).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()).decode()
        except (InvalidTag, KeyError) as exc:
            raise RuntimeError(f'{context}: value was altered or its key is not in the key ring') from exc

    def encrypt_bytes(self, data, context):
        nonce = os.urandom(NONCE_BYTES)
        key_id = self.current.encode()
        sealed = AESGCM(self.keys[self.current]).encrypt(nonce, data, context.encode())
        return FILE_MAGIC + bytes([len(key_id)]) + key_id + nonce + sealed

    def decrypt_bytes(self, blob, context):
        key_id = file_key_id(blob)
        start = len(FILE_MAGIC) + 1 + len(key_id.encode())
        nonce, sealed = blob[start:start + NONCE_BYTES], blob[start + NONCE_BYTES:]
        try:
            return AESGCM(self.keys[key_id]).decrypt(nonce, sealed, context.encode())
        except (InvalidTag, KeyError) as exc:
            raise RuntimeError(f'{context}: file was altered or its key is not in the key ring') from exc

    def key_id_of(self, token):
        parts = token.split(':', 2)
        return parts[1] if len(parts) == 3 and parts[0] == PREFIX else None

    def keyed_hash(self, value, purpose):
        if not value:
            return ''
        return hmac.new(self.index_key, purpose.encode() + b'\x00' + value.encode(), hashlib.sha256).hexdigest()

    def term_code(self, value):
        digest = hmac.new(self.index_key, b'term\x00' + value.encode(), hashlib.sha256).digest()
        return int.from_bytes(digest[:4], 'big', signed=True)


def file_key_id(blob):
    """Which key sealed an encrypted file (None for a clear file)."""
    if not blob.startswith(FILE_MAGIC) or len(blob) < len(FILE_MAGIC) + 1:
        return None
    length = blob[len(FILE_MAGIC)]
    start = len(FILE_MAGIC) + 1
    if len(blob) < start + length + NONCE_BYTES + 16:
        return None
    try:
        return blob[start:start + length].decode('ascii')
    except UnicodeDecodeError:
        return None


def _ring():
    """The key ring the app loaded at start (DATA_KEYS, else the key file it read or created)."""
    text = current_app.config.get('DATA_KEYS') or Path(current_app.config['DATA_KEYS_FILE']).read_text()
    return _Keys(text)


def seal(ring, value, context):
    return ring.encrypt(value, context) if value else value


def unseal(ring, value, context):
    if not value:
        return value
    if not value.startswith(PREFIX + ':'):
        raise RuntimeError(f'{context}: the stored value is not encrypted')
    return ring.decrypt(value, context)


def search_form(text):
    return _SPACES.sub(' ', text).strip().casefold()


def term_codes(ring, text):
    form = search_form(text)
    return {ring.term_code(form[i:i + 2]) for i in range(len(form) - 1)}


def email_hash(ring, email):
    return ring.keyed_hash(email.strip().casefold(), 'contact_email')


def phone_hash(ring, phone):
    return ring.keyed_hash(phone.strip(), 'contact_phone')


def contact_fingerprint(ring, name, phone, email):
    parts = (name.strip().casefold(), phone.strip(), email.strip().casefold())
    return ring.keyed_hash('\x1f'.join(parts), 'contact') if any(parts) else ''


def narrative_fingerprint(ring, narrative):
    return ring.keyed_hash(_NOISE.sub('', narrative).casefold(), 'narrative')


def raw_table(name, columns):
    """The table with plain types, so values are read and written exactly as stored."""
    typed = [sa.column(column, sa.JSON() if kind == 'fields' else sa.Text()) for column, kind in columns]
    return sa.table(name, sa.column('id', sa.Integer()), *typed)


def _reseal_text(ring, value, context):
    if not value or ring.key_id_of(value) == ring.current:
        return value
    plain = unseal(ring, value, context) if value.startswith(PREFIX + ':') else value
    return seal(ring, plain, context)


def _reseal_fields(ring, data, context):
    if not data:
        return data
    out = dict(data)
    for key in PRIVATE_EVENT_FIELDS:
        value = out.get(key)
        if isinstance(value, str) and value:
            out[key] = _reseal_text(ring, value, f'{context}.{key}')
    return out


def reseal_rows(connection, ring):
    """Encrypt every clear private value (values sealed by the current key are left alone)."""
    for name, columns in ENCRYPTED.items():
        table = raw_table(name, columns)
        last = 0
        while True:
            rows = connection.execute(sa.select(table).where(table.c.id > last).order_by(table.c.id).limit(BATCH)).all()
            if not rows:
                break
            last = rows[-1].id
            updates = []
            for row in rows:
                new_row = {'row_id': row.id}
                for column, kind in columns:
                    reseal = _reseal_fields if kind == 'fields' else _reseal_text
                    new_row[f'new_{column}'] = reseal(ring, getattr(row, column), f'{name}.{column}')
                if any(new_row[f'new_{column}'] != getattr(row, column) for column, _kind in columns):
                    updates.append(new_row)
            if updates:
                statement = (
                    sa.update(table)
                    .where(table.c.id == sa.bindparam('row_id'))
                    .values({column: sa.bindparam(f'new_{column}') for column, _kind in columns})
                )
                connection.execute(statement, updates)


def rebuild_blind_indexes(connection, ring):
    """Compute every complaint's keyed hashes, search terms and published text from the plaintext."""
    table = raw_table('complaints', COMPLAINT_PRIVATE)
    status = sa.column('publication_status', sa.String())
    terms = sa.table('narrative_terms', sa.column('term_hash', sa.Integer()), sa.column('complaint_id', sa.Integer()))
    derived_names = (
        'contact_email_hash', 'contact_phone_hash', 'contact_fingerprint', 'narrative_fingerprint', 'narrative_published'
    )
    derived = sa.table('complaints', sa.column('id', sa.Integer()), *(sa.column(n, sa.Text()) for n in derived_names))
    last = 0
    while True:
        rows = connection.execute(
            sa.select(table, status).where(table.c.id > last).order_by(table.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        first, last = rows[0].id, rows[-1].id
        term_rows = []
        values = []
        for row in rows:
            plain = {c: unseal(ring, getattr(row, c), f'complaints.{c}') or '' for c, _k in COMPLAINT_PRIVATE}
            values.append({
                'row_id': row.id,
                'new_contact_email_hash': email_hash(ring, plain['contact_email']),
                'new_contact_phone_hash': phone_hash(ring, plain['contact_phone']),
                'new_contact_fingerprint': contact_fingerprint(
                    ring, plain['contact_name'], plain['contact_phone'], plain['contact_email']
                ),
                'new_narrative_fingerprint': narrative_fingerprint(ring, plain['narrative']),
                'new_narrative_published': plain['narrative_redacted'] if row.publication_status == 'approved' else '',
            })
            term_rows += [
                {'term_hash': code, 'complaint_id': row.id} for code in sorted(term_codes(ring, plain['narrative']))
            ]
        connection.execute(
            sa.update(derived)
            .where(derived.c.id == sa.bindparam('row_id'))
            .values({name: sa.bindparam(f'new_{name}') for name in derived_names}),
            values,
        )
        connection.execute(sa.delete(terms).where(terms.c.complaint_id.between(first, last)))
        if term_rows:
            connection.execute(sa.insert(terms), term_rows)


class _Files:
    """The evidence folder as 0005 found it: files fanned out by their SHA-256, bound to it as context."""

    def __init__(self, ring):
        self.root = Path(current_app.config['EVIDENCE_DIR'])
        self.ring = ring

    def keys(self):
        if not self.root.exists():
            return []
        return sorted(p.name for p in self.root.glob('*/*/*') if not p.name.startswith('.'))

    def path(self, key):
        return self.root / key[:2] / key[2:4] / key

    @staticmethod
    def context(key):
        return f'evidence:{key}'

    def write(self, path, data):
        """Atomically (temporary file, fsync, rename), so a crash never leaves half a file."""
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix='.upload-')
        try:
            with os.fdopen(fd, 'wb') as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp_name, 0o600)
            os.replace(tmp_name, path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise

    def seal_all(self):
        """Encrypt each file not yet sealed by the current key."""
        for key in self.keys():
            path = self.path(key)
            blob = path.read_bytes()
            sealed_by = file_key_id(blob)
            if sealed_by == self.ring.current:
                continue
            data = self.ring.decrypt_bytes(blob, self.context(key)) if sealed_by is not None else blob
            if sealed_by is None and hashlib.sha256(data).hexdigest() != key:
                raise ValueError(f'evidence file {key[:12]}... is neither encrypted nor its own plaintext')
            self.write(path, self.ring.encrypt_bytes(data, self.context(key)))

    def open_all(self):
        """Decrypt every sealed file back to its plaintext."""
        for key in self.keys():
            path = self.path(key)
            blob = path.read_bytes()
            if file_key_id(blob) is not None:
                self.write(path, self.ring.decrypt_bytes(blob, self.context(key)))


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
    connection = op.get_bind()
    ring = _ring()
    reseal_rows(connection, ring)
    rebuild_blind_indexes(connection, ring)
    _Files(ring).seal_all()


def downgrade():
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
    _Files(ring).open_all()

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

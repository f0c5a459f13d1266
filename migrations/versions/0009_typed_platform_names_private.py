"""typed platform names are private text: no directory entry for what a consumer types

Schema: complaints.platform_id may be empty (a complaint an officer has not linked to a verified
platform yet); complaints.platform_name_reported becomes TEXT and is encrypted like the narrative.

Data: every unverified platform entry (all were consumer-typed) is removed, with its aliases; its
complaints keep what the consumer typed as their reported name and lose the link, so an officer
links them at triage. Verified entries are left as they are. The statistics rows of the removed
entries go; if any of their complaints had been accepted, the all-platform totals still count them
until `flask rebuild-stats` (the migration says so), because the rollup is the app's to recompute
and a migration does not run the live code.

Going back, each unlinked complaint gets an unverified entry of its typed name again (one per
distinct name) and the reported names are decrypted.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 19:10:00

"""
import base64
import json
import os
import re
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# --- Frozen: the "enc1" value format of 0005, which this migration writes and reads. ---------------
PREFIX = 'enc1'
NONCE_BYTES = 12
CONTEXT = 'complaints.platform_name_reported'
BATCH = 1000
PUBLIC_STATUSES = ('accepted', 'referred', 'closed')
_SPACES = re.compile(r'\s+', re.UNICODE)


class _Keys:
    """The deployment's key ring, read as DATA_KEYS (or the key file) holds it."""

    def __init__(self, text):
        data = json.loads(text)
        self.keys = {key_id: base64.urlsafe_b64decode(value.encode()) for key_id, value in data['keys'].items()}
        self.current = data['current']

    def encrypt(self, plaintext):
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[self.current]).encrypt(nonce, plaintext.encode(), CONTEXT.encode())
        return f'{PREFIX}:{self.current}:{base64.urlsafe_b64encode(nonce + sealed).decode()}'

    def decrypt(self, token):
        _prefix, key_id, payload = token.split(':', 2)
        raw = base64.urlsafe_b64decode(payload.encode())
        try:
            return AESGCM(self.keys[key_id]).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], CONTEXT.encode()).decode()
        except (InvalidTag, KeyError) as exc:
            raise RuntimeError(f'{CONTEXT}: value was altered or its key is not in the key ring') from exc


def _ring():
    text = current_app.config.get('DATA_KEYS') or Path(current_app.config['DATA_KEYS_FILE']).read_text()
    return _Keys(text)


complaints = sa.table(
    'complaints',
    sa.column('id', sa.Integer()),
    sa.column('platform_id', sa.Integer()),
    sa.column('platform_name_reported', sa.Text()),
    sa.column('status', sa.String()),
    sa.column('accepted_at', sa.DateTime()),
)
platforms = sa.table(
    'platforms',
    sa.column('id', sa.Integer()),
    sa.column('name_zh', sa.String()),
    sa.column('name_en', sa.String()),
    sa.column('kind', sa.String()),
    sa.column('operating_company', sa.String()),
    sa.column('verified', sa.Boolean()),
    sa.column('search_text', sa.Text()),
    sa.column('merged_into_id', sa.Integer()),
    sa.column('created_at', sa.DateTime()),
)
aliases = sa.table('platform_aliases', sa.column('platform_id', sa.Integer()))
stat_counts = sa.table('stat_counts', sa.column('platform_id', sa.Integer()))


def _rewrite_names(bind, change):
    """Apply change(value) to every reported name, in id batches (flat memory)."""
    last = 0
    while True:
        rows = bind.execute(
            sa.select(complaints.c.id, complaints.c.platform_name_reported)
            .where(complaints.c.id > last)
            .order_by(complaints.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        for cid, value in rows:
            new = change(value or '')
            if new != value:
                bind.execute(
                    complaints.update().where(complaints.c.id == cid).values(platform_name_reported=new)
                )
        last = rows[-1][0]


def _accepted(condition):
    return sa.select(sa.func.count()).select_from(complaints).where(
        condition, complaints.c.accepted_at.is_not(None), complaints.c.status.in_(PUBLIC_STATUSES)
    )


def _warn(count, why):
    if count:
        print(  # noqa: T201  (a migration talks to the person running it)
            f'0009: {count} accepted complaint(s) {why}; run `flask rebuild-stats` to bring the '
            'statistics rollup in line.'
        )


def upgrade():
    bind = op.get_bind()
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.alter_column(
            'platform_name_reported', existing_type=sa.String(length=200), type_=sa.Text(), existing_nullable=False
        )
        batch_op.alter_column('platform_id', existing_type=sa.Integer(), nullable=True)

    ring = _ring()
    _rewrite_names(bind, lambda value: value if not value or value.startswith(PREFIX + ':') else ring.encrypt(value))

    unverified = sa.select(platforms.c.id).where(platforms.c.verified.is_(False)).scalar_subquery()
    _warn(bind.execute(_accepted(complaints.c.platform_id.in_(unverified))).scalar(), 'lose an unverified platform')
    bind.execute(complaints.update().where(complaints.c.platform_id.in_(unverified)).values(platform_id=None))
    bind.execute(stat_counts.delete().where(stat_counts.c.platform_id.in_(unverified)))
    bind.execute(aliases.delete().where(aliases.c.platform_id.in_(unverified)))
    bind.execute(platforms.update().where(platforms.c.merged_into_id.in_(unverified)).values(merged_into_id=None))
    bind.execute(platforms.delete().where(platforms.c.verified.is_(False)))


def downgrade():
    bind = op.get_bind()
    ring = _ring()
    unlinked = bind.execute(
        sa.select(complaints.c.id, complaints.c.platform_name_reported).where(complaints.c.platform_id.is_(None))
    ).all()
    _warn(bind.execute(_accepted(complaints.c.platform_id.is_(None))).scalar(), 'get an unverified platform again')
    entries = {}
    for cid, value in unlinked:
        name = _SPACES.sub(' ', (ring.decrypt(value) if value.startswith(PREFIX + ':') else value).strip())[:200]
        name = name or '?'
        key = name.casefold()
        if key not in entries:
            is_latin = all(ord(ch) < 0x2E80 for ch in name)
            result = bind.execute(
                platforms.insert().values(
                    name_zh=name,
                    name_en=name if is_latin else '',
                    kind='other',
                    operating_company='',
                    verified=False,
                    search_text=key,
                    created_at=sa.func.current_timestamp(),
                )
                .returning(platforms.c.id)
            )
            entries[key] = result.scalar_one()
        bind.execute(complaints.update().where(complaints.c.id == cid).values(platform_id=entries[key]))

    _rewrite_names(
        bind, lambda value: (ring.decrypt(value) if value.startswith(PREFIX + ':') else value)[:200]
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.alter_column('platform_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column(
            'platform_name_reported', existing_type=sa.Text(), type_=sa.String(length=200), existing_nullable=False
        )

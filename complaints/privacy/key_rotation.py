"""Re-encrypting stored data under the current key, and rebuilding the blind indexes under the index key.

Each function works through one table in id order, in batches, on a plain Connection (so the
0005 migration can call it inside its own transaction) and yields after every batch so that a
command can commit as it goes. Every step is idempotent: a value already sealed by the current key
is left alone, and a blind index row is recomputed from the plaintext, so an interrupted run is
simply run again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from complaints.core import resemblance
from complaints.core.crypto import PREFIX, KeyRing
from complaints.intake.evidence_store import LocalEvidenceStore
from complaints.models import private

#: Every encrypted column: table → [(column, "text" | "fields")]. The models name the same columns.
ENCRYPTED: dict[str, list[tuple[str, str]]] = {
    "complaints": [
        ("contact_name", "text"),
        ("contact_phone", "text"),
        ("contact_email", "text"),
        ("narrative", "text"),
        ("desired_outcome", "text"),
        ("loan_reference", "text"),
        ("collector_name_reported", "text"),
        ("platform_name_reported", "text"),
        ("narrative_redacted", "text"),
    ],
    "evidence": [("original_name", "text")],
    "platform_responses": [("text", "text")],
    "case_events": [("data", "fields"), ("public_message", "text")],
    "outbox_messages": [("recipient", "text"), ("subject", "text"), ("body", "text")],
}
BATCH = 1000


def raw_table(name: str, columns: list[tuple[str, str]]) -> sa.TableClause:
    """The table with plain types, so values are read and written exactly as stored."""
    typed = [sa.column(column, sa.JSON() if kind == "fields" else sa.Text()) for column, kind in columns]
    return sa.table(name, sa.column("id", sa.Integer()), *typed)


def _reseal_text(ring: KeyRing, value: str | None, context: str) -> str | None:
    """The value sealed by the current key: clear values are encrypted, older keys' values re-encrypted."""
    if not value or ring.key_id_of(value) == ring.current:
        return value
    plain = private.unseal(ring, value, context) if value.startswith(PREFIX + ":") else value
    return private.seal(ring, plain, context)


def _reseal_fields(ring: KeyRing, data: dict[str, Any] | None, context: str) -> dict[str, Any] | None:
    if not data:
        return data
    out = dict(data)
    for key in private.PRIVATE_EVENT_FIELDS:
        value = out.get(key)
        if isinstance(value, str) and value:
            out[key] = _reseal_text(ring, value, f"{context}.{key}")
    return out


def reseal_rows(
    connection: Connection, ring: KeyRing, tables: dict[str, list[tuple[str, str]]] | None = None, batch: int = BATCH
) -> Iterator[tuple[str, int]]:
    """Bring every encrypted value under the current key; yields (table, rows rewritten) per batch."""
    for name, columns in (tables or ENCRYPTED).items():
        table = raw_table(name, columns)
        last = 0
        while True:
            rows = connection.execute(sa.select(table).where(table.c.id > last).order_by(table.c.id).limit(batch)).all()
            if not rows:
                break
            last = rows[-1].id
            updates = []
            for row in rows:
                new_row: dict[str, Any] = {"row_id": row.id}
                for column, kind in columns:
                    value = getattr(row, column)
                    context = f"{name}.{column}"
                    reseal = _reseal_fields if kind == "fields" else _reseal_text
                    new_row[f"new_{column}"] = reseal(ring, value, context)
                if any(new_row[f"new_{column}"] != getattr(row, column) for column, _kind in columns):
                    updates.append(new_row)
            if updates:
                statement = (
                    sa.update(table)
                    .where(table.c.id == sa.bindparam("row_id"))
                    .values({column: sa.bindparam(f"new_{column}") for column, _kind in columns})
                )
                connection.execute(statement, updates)
            yield name, len(updates)


def key_usage(connection: Connection, ring: KeyRing, store: LocalEvidenceStore | None = None) -> Counter[str]:
    """How many stored values (and evidence files) each key id seals; "clear" counts unencrypted ones."""
    usage: Counter[str] = Counter()
    for name, columns in ENCRYPTED.items():
        table = raw_table(name, columns)
        for row in connection.execute(sa.select(table)).yield_per(BATCH):
            for column, kind in columns:
                value = getattr(row, column)
                values = [value.get(k) for k in private.PRIVATE_EVENT_FIELDS] if kind == "fields" and value else [value]
                for item in values:
                    if isinstance(item, str) and item:
                        usage[ring.key_id_of(item) or "clear"] += 1
    if store is not None:
        stored = store.keys()
        for key in stored:
            usage[store.key_id(key) or "clear"] += 1
    return usage


def reseal_files(store: LocalEvidenceStore) -> Iterator[str]:
    """Re-encrypt each evidence file not yet sealed by the current key; yields the keys rewritten."""
    stored = store.keys()
    for key in stored:
        if store.reseal(key):
            yield key


_COMPLAINT_PRIVATE = [
    ("contact_name", "text"),
    ("contact_phone", "text"),
    ("contact_email", "text"),
    ("narrative", "text"),
    ("narrative_redacted", "text"),
]


def rebuild_blind_indexes(connection: Connection, ring: KeyRing, batch: int = BATCH) -> Iterator[int]:
    """Recompute every complaint's keyed hashes, search terms, near-duplicate bands and published text.

    Yields the rows done per batch.
    """
    table = raw_table("complaints", _COMPLAINT_PRIVATE)
    status = sa.column("publication_status", sa.String())
    terms = sa.table("narrative_terms", sa.column("term_hash", sa.Integer()), sa.column("complaint_id", sa.Integer()))
    bands = sa.table("narrative_bands", sa.column("band_hash", sa.Integer()), sa.column("complaint_id", sa.Integer()))
    derived = sa.table(
        "complaints",
        sa.column("id", sa.Integer()),
        *(
            sa.column(name, sa.Text())
            for name in (
                "contact_email_hash",
                "contact_phone_hash",
                "contact_fingerprint",
                "narrative_fingerprint",
                "narrative_published",
            )
        ),
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(table, status).where(table.c.id > last).order_by(table.c.id).limit(batch)
        ).all()
        if not rows:
            break
        first, last = rows[0].id, rows[-1].id
        term_rows = []
        band_rows = []
        values = []
        for row in rows:
            plain = {c: private.unseal(ring, getattr(row, c), f"complaints.{c}") or "" for c, _k in _COMPLAINT_PRIVATE}
            values.append(
                {
                    "row_id": row.id,
                    "new_contact_email_hash": private.email_hash(ring, plain["contact_email"]),
                    "new_contact_phone_hash": private.phone_hash(ring, plain["contact_phone"]),
                    "new_contact_fingerprint": private.contact_fingerprint(
                        ring, plain["contact_name"], plain["contact_phone"], plain["contact_email"]
                    ),
                    "new_narrative_fingerprint": private.narrative_fingerprint(ring, plain["narrative"]),
                    "new_narrative_published": (
                        plain["narrative_redacted"] if row.publication_status == "approved" else ""
                    ),
                }
            )
            term_rows += [
                {"term_hash": code, "complaint_id": row.id}
                for code in sorted(private.term_codes(ring, plain["narrative"]))
            ]
            band_rows += [
                {"band_hash": code, "complaint_id": row.id}
                for code in sorted(resemblance.band_codes(ring, plain["narrative"]))
            ]
        names = [name.removeprefix("new_") for name in values[0] if name != "row_id"]
        connection.execute(
            sa.update(derived)
            .where(derived.c.id == sa.bindparam("row_id"))
            .values({name: sa.bindparam(f"new_{name}") for name in names}),
            values,
        )
        connection.execute(sa.delete(terms).where(terms.c.complaint_id.between(first, last)))
        if term_rows:
            connection.execute(sa.insert(terms), term_rows)
        connection.execute(sa.delete(bands).where(bands.c.complaint_id.between(first, last)))
        if band_rows:
            connection.execute(sa.insert(bands), band_rows)
        yield len(rows)

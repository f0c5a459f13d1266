"""Where evidence bytes live: a small interface, and a local folder outside the web root.

Files are encrypted at rest (AES-GCM, one fresh nonce per file, the key id in the file's header);
a file is still named by the SHA-256 of its plaintext, the hash recorded on the Evidence row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, scoped_session

from complaints.core.crypto import KeyRing, current_keyring, file_key_id


class EvidenceStore(Protocol):
    """What intake and the case page need from storage; object storage can implement it too."""

    def put(self, data: bytes) -> tuple[str, bool]:
        """Store bytes under their SHA-256; return the key and whether the file is new."""

    def read(self, key: str) -> bytes:
        """The bytes stored under a key."""

    def delete(self, key: str) -> None:
        """Remove a stored file, if present."""

    def exists(self, key: str) -> bool:
        """Whether a key is stored."""

    def keys(self) -> list[str]:
        """Every stored key (for integrity checks)."""

    def modified_at(self, key: str) -> dt.datetime:
        """When a stored file was last written (integrity checks spare files of a filing in progress)."""

    def remove_partial_uploads(self, older_than: dt.datetime) -> int:
        """Delete temporary files a crashed write left behind; return how many."""


class LocalEvidenceStore:
    """Encrypted files in a folder, fanned out by the first hex digits of their plaintext's SHA-256."""

    def __init__(self, root: Path, keyring: KeyRing | None = None) -> None:
        self.root = root
        self._keyring = keyring

    @property
    def keyring(self) -> KeyRing:
        """The ring given, else the app's (so a store built outside a request still encrypts)."""
        return self._keyring or current_keyring()

    @staticmethod
    def _context(key: str) -> str:
        # Binding the file to its name: a file copied over another's name does not decrypt.
        return f"evidence:{key}"

    def _path(self, key: str) -> Path:
        if len(key) != 64 or any(ch not in "0123456789abcdef" for ch in key):
            raise ValueError("evidence keys are SHA-256 hex digests")
        return self.root / key[:2] / key[2:4] / key

    def put(self, data: bytes) -> tuple[str, bool]:
        """Write atomically (temporary file, fsync, rename), so a crash never leaves half a file."""
        key = hashlib.sha256(data).hexdigest()
        path = self._path(key)
        if path.exists():
            return key, False
        self._write(path, self.keyring.encrypt_bytes(data, self._context(key)))
        return key, True

    def _write(self, path: Path, sealed: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(sealed)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp_name, 0o600)
            os.replace(tmp_name, path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise

    def read(self, key: str) -> bytes:
        """The plaintext; DecryptionError if the file was altered or its key is missing from the ring."""
        return self.keyring.decrypt_bytes(self._path(key).read_bytes(), self._context(key))

    def key_id(self, key: str) -> str | None:
        """Which data key sealed a stored file (None for a clear file written before encryption)."""
        with self._path(key).open("rb") as handle:
            return file_key_id(handle.read(64))

    def reseal(self, key: str) -> bool:
        """Encrypt a stored file under the current key if it is not already (clear or older key); atomic."""
        path = self._path(key)
        blob = path.read_bytes()
        ring = self.keyring
        sealed_by = file_key_id(blob)
        if sealed_by == ring.current:
            return False
        data = ring.decrypt_bytes(blob, self._context(key)) if sealed_by is not None else blob
        if sealed_by is None and hashlib.sha256(data).hexdigest() != key:
            raise ValueError(f"evidence file {key[:12]}… is neither encrypted nor its own plaintext")
        self._write(path, ring.encrypt_bytes(data, self._context(key)))
        return True

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).exists()

    def keys(self) -> list[str]:
        if not self.root.exists():
            return []
        return sorted(p.name for p in self.root.glob("*/*/*") if not p.name.startswith("."))

    def modified_at(self, key: str) -> dt.datetime:
        return dt.datetime.fromtimestamp(self._path(key).stat().st_mtime, dt.UTC)

    def remove_partial_uploads(self, older_than: dt.datetime) -> int:
        # A worker killed between mkstemp and rename leaves its ".upload-*" file; nothing refers to it.
        removed = 0
        for path in self.root.glob("*/*/.upload-*") if self.root.exists() else []:
            if dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC) < older_than:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


_PENDING = "collectwatch_new_evidence"
_DOOMED = "collectwatch_doomed_evidence"


def _current(session: Session | scoped_session[Any]) -> SessionTransaction | None:
    """The innermost transaction of the session (a scoped session's current one)."""
    actual = session() if isinstance(session, scoped_session) else session
    return actual.get_nested_transaction() or actual.get_transaction()


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


def track_new_file(session: Session | scoped_session[Any], store: EvidenceStore, key: str) -> None:
    """Remember a file written in this transaction, so that a rollback deletes it again."""
    session.info.setdefault(_PENDING, []).append((store, key, _current(session)))


def delete_after_commit(session: Session | scoped_session[Any], store: EvidenceStore, key: str) -> None:
    """Delete a file only once the transaction that stops using it has committed."""
    session.info.setdefault(_DOOMED, []).append((store, key, _current(session)))


def _settle_files(session: Session) -> None:
    # A savepoint's release fires after_commit too; only the outermost commit settles the files.
    if session.in_nested_transaction():
        return
    session.info.pop(_PENDING, None)
    for store, key, _transaction in session.info.pop(_DOOMED, []):
        store.delete(key)


def _delete_new_files(session: Session, previous_transaction: SessionTransaction) -> None:
    # A failed submission must not leave an orphan file behind; a refused savepoint takes back
    # only the files written, and the deletions asked for, inside it.
    pending = session.info.get(_PENDING, [])
    session.info[_PENDING] = [entry for entry in pending if not _within(entry[2], previous_transaction)]
    for store, key, transaction in pending:
        if _within(transaction, previous_transaction):
            store.delete(key)
    doomed = session.info.get(_DOOMED, [])
    session.info[_DOOMED] = [entry for entry in doomed if not _within(entry[2], previous_transaction)]


def install(target: scoped_session[Any]) -> None:
    """Settle or delete the transaction's new and doomed files when ``target``'s sessions end (idempotent)."""
    for name, handler in (("after_commit", _settle_files), ("after_soft_rollback", _delete_new_files)):
        if not event.contains(target, name, handler):
            event.listen(target, name, handler)

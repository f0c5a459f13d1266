"""Backup and restore: the database and the evidence files in one archive, every member checksummed.

SQLite is copied with its online backup API (consistent while the app keeps serving); PostgreSQL
with ``pg_dump --format=custom``. The evidence files are copied as stored (encrypted, once
encryption at rest is on). The data keys are never included: keep them separately, since an
archive without its keys cannot be read, and one with them is a leak waiting to happen.

A restore first reads the whole archive and checks every member against the manifest; it changes
nothing unless all match, and it refuses a database that already holds data unless forced.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404  # pg_dump/pg_restore with fixed argument lists, no shell
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import URL

from complaints.core.clock import utc_now
from complaints.extensions import db
from complaints.models import CaseEvent, Complaint, Officer
from complaints.models.base import utcnow

FORMAT = "collectwatch-backup-1"
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/collectwatch.sqlite3"
PG_MEMBER = "database/collectwatch.pgdump"
EVIDENCE_PREFIX = "evidence/"
CHUNK = 1024 * 1024
PG_PROCEDURE = "see README.md, 'Backup and restore' (pg_dump --format=custom, pg_restore, copy EVIDENCE_DIR)"


class BackupError(Exception):
    """The backup or restore cannot go ahead; the message says why and what to do."""


@dataclass
class BackupResult:
    """What an archive holds."""

    path: Path
    archive_sha256: str
    database_member: str
    evidence_files: int
    evidence_bytes: int
    members: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class RestoreResult:
    """What a restore put back."""

    database_member: str
    evidence_files: int
    created_at: str


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _database_url() -> URL:
    url: URL = db.engine.url
    return url


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(url.database)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password (which goes in PGPASSWORD, not on the command line)."""
    plain = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return plain, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found; install the PostgreSQL client tools, or {PG_PROCEDURE}")
    return path


def _copy_sqlite(source: sqlite3.Connection, target: Path) -> None:
    """Copy a SQLite database page by page (the online backup API) into the file at target."""
    destination = sqlite3.connect(target)
    try:
        with destination:
            source.backup(destination)
    finally:
        destination.close()


def _dump_database(workdir: Path) -> tuple[str, Path]:
    """A consistent copy of the database in workdir; returns its archive name and path."""
    url = _database_url()
    if url.get_backend_name() == "sqlite":
        target = workdir / "db.sqlite3"
        source = sqlite3.connect(_sqlite_path(url))
        try:
            _copy_sqlite(source, target)
        finally:
            source.close()
        return SQLITE_MEMBER, target
    if url.get_backend_name() == "postgresql":
        target = workdir / "db.pgdump"
        dsn, env = _libpq(url)
        command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), "--dbname", dsn]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()[:500]}")
        return PG_MEMBER, target
    raise BackupError(f"no backup method for {url.get_backend_name()}; {PG_PROCEDURE}")


def _evidence_files(evidence_dir: Path) -> Iterator[tuple[str, Path]]:
    """Stored evidence files (not temporary ones) as (archive name, path)."""
    if not evidence_dir.exists():
        return
    for path in sorted(evidence_dir.rglob("*")):
        relative = path.relative_to(evidence_dir)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            yield EVIDENCE_PREFIX + relative.as_posix(), path


def create_backup(destination: Path, evidence_dir: Path) -> BackupResult:
    """Write the archive (tar.gz): database copy, evidence files, and a manifest of SHA-256 sums."""
    destination = destination.resolve()
    if destination.exists():
        raise BackupError(f"{destination} already exists; choose a new file name")
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cw-backup-", dir=destination.parent) as tmp:
        workdir = Path(tmp)
        # The database first: every file its rows refer to already exists when the files are copied.
        db_member, db_path = _dump_database(workdir)
        members: dict[str, dict[str, Any]] = {
            db_member: {"sha256": _sha256_file(db_path), "size": db_path.stat().st_size}
        }
        partial = workdir / "archive.tar.gz"
        files = 0
        total = 0
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(db_path, arcname=db_member)
            for name, path in _evidence_files(evidence_dir):
                members[name] = {"sha256": _sha256_file(path), "size": path.stat().st_size}
                archive.add(path, arcname=name)
                files += 1
                total += members[name]["size"]
            manifest = {
                "format": FORMAT,
                "created_at": utcnow().isoformat(),
                "database": _database_url().get_backend_name(),
                "data_keys_included": False,
                "members": members,
            }
            encoded = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(encoded)
            info.mtime = int(utc_now().timestamp())
            info.mode = 0o600
            archive.addfile(info, io.BytesIO(encoded))
        partial.chmod(0o600)
        os.replace(partial, destination)
    return BackupResult(
        path=destination,
        archive_sha256=_sha256_file(destination),
        database_member=db_member,
        evidence_files=files,
        evidence_bytes=total,
        members=members,
    )


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def _member(archive: tarfile.TarFile, name: str) -> IO[bytes]:
    """A regular file's contents in the archive."""
    try:
        handle = archive.extractfile(name)
    except KeyError:
        handle = None
    if handle is None:
        raise BackupError(f"the backup has no file {name!r}")
    return handle


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        handle = archive.extractfile(MANIFEST)
    except KeyError:
        handle = None
    if handle is None:
        raise BackupError("this is not a CollectWatch backup: it has no manifest.json")
    try:
        manifest = json.load(handle)
    except ValueError as exc:
        raise BackupError("the backup's manifest is damaged") from exc
    if not isinstance(manifest, dict):
        raise BackupError("the backup's manifest is damaged")
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("members"), dict):
        raise BackupError("the backup's manifest is not in a format this version can restore")
    return manifest


def verify_archive(path: Path) -> dict[str, Any]:
    """Check every member against the manifest; return the manifest, or raise BackupError saying what differs."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    try:
        with tarfile.open(path, "r:gz") as archive:
            manifest = _read_manifest(archive)
            expected: dict[str, dict[str, Any]] = manifest["members"]
            seen: set[str] = set()
            for info in archive:
                if info.name == MANIFEST:
                    continue
                if not info.isfile() or not _safe_name(info.name) or info.name not in expected:
                    raise BackupError(f"the backup holds an unexpected member {info.name!r}: refusing to restore it")
                if info.name in seen:
                    raise BackupError(f"the backup holds {info.name!r} twice: refusing to restore it")
                seen.add(info.name)
                handle = _member(archive, info.name)
                digest = hashlib.sha256()
                for chunk in iter(lambda: handle.read(CHUNK), b""):  # noqa: B023 - consumed within the iteration
                    digest.update(chunk)
                if digest.hexdigest() != expected[info.name].get("sha256"):
                    raise BackupError(f"checksum mismatch for {info.name}: the backup was altered or damaged")
            missing = sorted(set(expected) - seen)
            if missing:
                raise BackupError(f"the backup lacks {len(missing)} member(s) its manifest lists, e.g. {missing[0]}")
    except (tarfile.TarError, EOFError, OSError) as exc:
        name = exc.__class__.__name__
        raise BackupError(f"the backup cannot be read ({name}): it is damaged or not a backup") from exc
    return manifest


def database_holds_data() -> bool:
    """Whether the app's database holds any complaint, officer account or audit event."""
    names = set(inspect(db.engine).get_table_names())
    for model in (Complaint, Officer, CaseEvent):
        if model.__tablename__ in names and db.session.scalar(select(func.count()).select_from(model)):
            db.session.rollback()
            return True
    db.session.rollback()
    return False


def _restore_sqlite(source: Path) -> None:
    target = _sqlite_path(_database_url())
    check = sqlite3.connect(source)
    try:
        if check.execute("PRAGMA integrity_check").fetchone() != ("ok",):
            raise BackupError("the database in the backup fails SQLite's integrity check")
        target.parent.mkdir(parents=True, exist_ok=True)
        # Copy page by page into the live file (its WAL included) rather than replacing the file.
        _copy_sqlite(check, target)
    finally:
        check.close()


def _restore_postgresql(source: Path) -> None:
    dsn, env = _libpq(_database_url())
    command = [
        _tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        "--dbname",
        dsn,
        str(source),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}")


def _write_atomically(handle: IO[bytes], target: Path, mtime: float) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".restore-")
    try:
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(handle, out, CHUNK)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp_name, 0o600)
        # Keep the stored time: the integrity check's grace period reads it.
        os.utime(tmp_name, (mtime, mtime))
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def restore_backup(path: Path, evidence_dir: Path, *, force: bool = False) -> RestoreResult:
    """Verify the whole archive, then put back the database and the evidence files."""
    manifest = verify_archive(path)
    members: dict[str, Any] = manifest["members"]
    backend = _database_url().get_backend_name()
    wanted = SQLITE_MEMBER if backend == "sqlite" else PG_MEMBER if backend == "postgresql" else None
    if wanted is None or wanted not in members:
        raise BackupError(
            f"the backup was made from {manifest.get('database')!r} and this app uses {backend!r}: "
            "restore it into the same kind of database"
        )
    if not force and database_holds_data():
        raise BackupError("the database already holds complaints, accounts or audit events; use --force to overwrite")
    # No session may hold the database while it is replaced.
    db.session.remove()
    db.engine.dispose()
    files = 0
    with tarfile.open(path, "r:gz") as archive, tempfile.TemporaryDirectory(prefix="cw-restore-") as tmp:
        handle = _member(archive, wanted)
        dumped = Path(tmp) / "database"
        with dumped.open("wb") as out:
            shutil.copyfileobj(handle, out, CHUNK)
        if _sha256_file(dumped) != members[wanted]["sha256"]:
            raise BackupError(f"checksum mismatch for {wanted}: the backup changed while it was being restored")
        if backend == "sqlite":
            _restore_sqlite(dumped)
        else:
            _restore_postgresql(dumped)
        for name in members:
            if not name.startswith(EVIDENCE_PREFIX):
                continue
            member = _member(archive, name)
            mtime = float(archive.getmember(name).mtime)
            _write_atomically(member, evidence_dir / name[len(EVIDENCE_PREFIX) :], mtime)
            files += 1
    db.engine.dispose()
    return RestoreResult(database_member=wanted, evidence_files=files, created_at=str(manifest.get("created_at", "")))

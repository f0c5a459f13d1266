"""`flask rotate-key`: a new data key (or index key), then every stored value re-encrypted under it."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app

from complaints.core.crypto import (
    KeyRing,
    add_key,
    current_keyring,
    keyring_to_json,
    replace_index_key,
    save_keyring,
)
from complaints.extensions import db
from complaints.intake.evidence_store import LocalEvidenceStore
from complaints.privacy import key_rotation


def _store(ring: KeyRing) -> LocalEvidenceStore:
    return LocalEvidenceStore(Path(current_app.config["EVIDENCE_DIR"]), ring)


def _from_environment() -> bool:
    return bool(current_app.config.get("DATA_KEYS"))


def _save_or_print(ring: KeyRing, what: str) -> bool:
    """Write the ring file; with DATA_KEYS in the environment, print the new value instead. True if saved."""
    if _from_environment():
        click.echo(f"DATA_KEYS is set in the environment, so the key ring is not written here ({what}).")
        click.echo("Set DATA_KEYS to the value below on every app server, restart them, then run")
        click.echo("`flask rotate-key --resume` (or `--rebuild-index` after a new index key):")
        click.echo(keyring_to_json(ring).replace("\n", "").replace("  ", " "))
        return False
    save_keyring(ring, Path(current_app.config["DATA_KEYS_FILE"]))
    click.echo(f"key ring saved to {current_app.config['DATA_KEYS_FILE']} ({what})")
    return True


def reseal_everything(ring: KeyRing, batch: int) -> tuple[int, int]:
    """Re-encrypt every row and evidence file not under the current key, committing each batch."""
    rows = 0
    with db.engine.connect() as connection:
        for _table, count in key_rotation.reseal_rows(connection, ring, batch=batch):
            connection.commit()
            rows += count
    files = sum(1 for _key in key_rotation.reseal_files(_store(ring)))
    return rows, files


def rebuild_indexes(ring: KeyRing, batch: int) -> int:
    """Recompute every blind index under the ring's index key, committing each batch."""
    done = 0
    with db.engine.connect() as connection:
        for count in key_rotation.rebuild_blind_indexes(connection, ring, batch=batch):
            connection.commit()
            done += count
    return done


def register(app: Flask) -> None:
    """Attach `rotate-key`."""

    @app.cli.command("rotate-key")
    @click.option("--resume", is_flag=True, help="No new key: finish re-encrypting under the current one.")
    @click.option("--add-only", is_flag=True, help="Add the new key but re-encrypt nothing yet (reload servers first).")
    @click.option("--index-key", is_flag=True, help="Replace the index key and recompute every blind index.")
    @click.option("--rebuild-index", is_flag=True, help="Recompute every blind index under the current index key.")
    @click.option("--retire", is_flag=True, help="Remove old data keys that no stored value or file uses any more.")
    @click.option("--batch", default=key_rotation.BATCH, show_default=True, help="Rows per transaction.")
    def rotate_key(
        resume: bool, add_only: bool, index_key: bool, rebuild_index: bool, retire: bool, batch: int
    ) -> None:
        """Add a new data key and re-encrypt every private value and evidence file under it (safe to rerun)."""
        ring = current_keyring()
        if retire:
            with db.engine.connect() as connection:
                usage = key_rotation.key_usage(connection, ring, _store(ring))
            unused = [k for k in ring.keys if k != ring.current and usage.get(k, 0) == 0]
            click.echo("in use: " + ", ".join(f"{k}={n}" for k, n in sorted(usage.items())))
            if usage.get("clear"):
                click.echo("some values are still in clear: run `flask db upgrade` / `flask rotate-key --resume`")
                sys.exit(1)
            still = [k for k in ring.keys if k != ring.current and usage.get(k, 0)]
            if still:
                click.echo(f"still in use, kept: {', '.join(still)}; run `flask rotate-key --resume` first")
            for key_id in unused:
                ring.retire(key_id)
            if unused:
                _save_or_print(ring, f"retired {', '.join(unused)}")
            else:
                click.echo("no key to retire")
            return
        if index_key or rebuild_index:
            if index_key:
                replace_index_key(ring)
                if not _save_or_print(ring, "new index key"):
                    return
            count = rebuild_indexes(ring, batch)
            click.echo(f"blind indexes rebuilt for {count} complaints")
            return
        if not resume:
            key_id = add_key(ring)
            if not _save_or_print(ring, f"new current key {key_id}"):
                return
            if add_only:
                click.echo("reload every app server, then run `flask rotate-key --resume`")
                return
        rows, files = reseal_everything(ring, batch)
        click.echo(f"re-encrypted under {ring.current}: {rows} rows, {files} evidence files")

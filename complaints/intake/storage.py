"""The app's evidence store and upload limits, built from configuration."""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage

from complaints.intake.evidence import UploadedFile, UploadLimits
from complaints.intake.evidence_store import EvidenceStore, LocalEvidenceStore


def evidence_store() -> EvidenceStore:
    """The configured store (a local folder outside the web root)."""
    return LocalEvidenceStore(Path(current_app.config["EVIDENCE_DIR"]))


def upload_limits() -> UploadLimits:
    """The configured per-file and per-complaint limits."""
    config = current_app.config
    return UploadLimits(
        max_files=config["MAX_EVIDENCE_FILES"],
        max_file_bytes=config["MAX_EVIDENCE_FILE_MB"] * 1024 * 1024,
        max_total_bytes=config["MAX_EVIDENCE_TOTAL_MB"] * 1024 * 1024,
    )


def read_uploads(files: list[FileStorage], limits: UploadLimits) -> list[UploadedFile]:
    """The chosen files' bytes, reading one byte past the limit so oversize files are caught."""
    uploads = []
    for storage in files:
        if storage is None or not storage.filename:
            continue
        data = storage.stream.read(limits.max_file_bytes + 1)
        uploads.append(UploadedFile(filename=storage.filename, data=data))
    return uploads

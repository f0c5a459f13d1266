"""Checking evidence files by their bytes and storing them without their metadata."""

from __future__ import annotations

import errno
import io
import warnings
from dataclasses import dataclass

import magic
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from complaints.extensions import db
from complaints.models import Complaint, Evidence
from complaints.services.errors import UploadRejected
from complaints.services.evidence_store import EvidenceStore, track_new_file

#: Detected MIME type → (kind, Pillow format to re-encode into, or None to keep the bytes).
ALLOWED_TYPES: dict[str, tuple[str, str | None]] = {
    "image/jpeg": ("image", "JPEG"),
    "image/png": ("image", "PNG"),
    "image/webp": ("image", "WEBP"),
    "image/gif": ("image", "PNG"),
    "image/bmp": ("image", "PNG"),
    "application/pdf": ("pdf", None),
    "audio/amr": ("audio", None),
    "audio/x-amr": ("audio", None),
    "audio/mpeg": ("audio", None),
    "audio/mp4": ("audio", None),
    "audio/x-m4a": ("audio", None),
    "video/mp4": ("audio", None),
    "audio/x-wav": ("audio", None),
    "audio/wav": ("audio", None),
    "audio/ogg": ("audio", None),
    "audio/aac": ("audio", None),
    "audio/x-hx-aac-adts": ("audio", None),
}
STORED_MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
#: More pixels than any phone screenshot or photo; beyond it a file is a decompression bomb.
MAX_PIXELS = 60_000_000


@dataclass(frozen=True)
class UploadedFile:
    """A file as it came from the form: the device's name and the bytes."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks, ready to store."""

    original_name: str
    data: bytes
    mime_type: str
    kind: str


@dataclass(frozen=True)
class UploadLimits:
    """How many files and bytes one complaint may carry."""

    max_files: int
    max_file_bytes: int
    max_total_bytes: int


def _reencode_image(data: bytes, target_format: str, name: str) -> bytes:
    """Decode and re-encode an image so only pixels survive: no EXIF, GPS or device data."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise UploadRejected(str(_l("%(name)s: the image is too large to process.", name=name)))
                image.load()
                upright = ImageOps.exif_transpose(image)
                if target_format == "JPEG" and upright.mode not in ("RGB", "L"):
                    upright = upright.convert("RGB")
                out = io.BytesIO()
                upright.save(out, format=target_format, **({"quality": 90} if target_format == "JPEG" else {}))
                return out.getvalue()
    except UploadRejected:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise UploadRejected(str(_l("%(name)s: the image is damaged or incomplete.", name=name))) from exc


def _check_pdf(data: bytes, name: str) -> None:
    """A PDF must start with its header and keep its end-of-file marker (not truncated)."""
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise UploadRejected(str(_l("%(name)s: the PDF is damaged or incomplete.", name=name)))


def check_file(upload: UploadedFile, limits: UploadLimits) -> CheckedFile:
    """Detect the type from the bytes, enforce the limits and strip metadata; raise UploadRejected."""
    name = upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255] or "file"
    if not upload.data:
        raise UploadRejected(str(_l("%(name)s: the file is empty.", name=name)))
    if len(upload.data) > limits.max_file_bytes:
        raise UploadRejected(
            str(_l("%(name)s: files may be at most %(mb)d MB.", name=name, mb=limits.max_file_bytes // 2**20))
        )
    detected = magic.from_buffer(upload.data[:65536], mime=True)
    if detected not in ALLOWED_TYPES:
        raise UploadRejected(
            str(
                _l(
                    "%(name)s: this type of file is not accepted. Use a photo or screenshot, a PDF "
                    "or a call recording.",
                    name=name,
                )
            )
        )
    kind, target = ALLOWED_TYPES[detected]
    data = upload.data
    mime = detected
    if kind == "image" and target is not None:
        data = _reencode_image(upload.data, target, name)
        mime = STORED_MIME[target]
    elif kind == "pdf":
        _check_pdf(upload.data, name)
    return CheckedFile(original_name=name, data=data, mime_type=mime, kind=kind)


def check_files(
    uploads: list[UploadedFile], limits: UploadLimits, already: int = 0, already_bytes: int = 0
) -> list[CheckedFile]:
    """Check a batch of files against the per-complaint limits, before anything is written."""
    if len(uploads) + already > limits.max_files:
        raise UploadRejected(str(_l("At most %(n)d files per complaint.", n=limits.max_files)), "evidence")
    checked = [check_file(upload, limits) for upload in uploads]
    total = sum(len(c.data) for c in checked) + already_bytes
    if total > limits.max_total_bytes:
        raise UploadRejected(
            str(_l("All files together may be at most %(mb)d MB.", mb=limits.max_total_bytes // 2**20)),
            "evidence",
        )
    return checked


def attach_evidence(complaint: Complaint, files: list[CheckedFile], store: EvidenceStore) -> list[Evidence]:
    """Store checked files and attach them; files new to the store are removed again on rollback."""
    attached = []
    for checked in files:
        try:
            key, created = store.put(checked.data)
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
                raise
            # The disk is full: nothing of this filing is kept (the rollback removes the files already written).
            raise UploadRejected(
                str(
                    _l(
                        "We cannot store files right now because our storage is full. Nothing was saved. "
                        "Please try again later."
                    )
                ),
                "evidence",
            ) from exc
        if created:
            track_new_file(db.session, store, key)
        evidence = Evidence(
            complaint=complaint,
            sha256=key,
            size_bytes=len(checked.data),
            mime_type=checked.mime_type,
            kind=checked.kind,
            original_name=checked.original_name,
            storage_key=key,
        )
        db.session.add(evidence)
        attached.append(evidence)
    db.session.flush()
    return attached

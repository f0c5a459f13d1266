"""Checking evidence files by their bytes and storing them without their metadata."""

from __future__ import annotations

import errno
import io
import re
import time
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import magic
import pikepdf
from flask_babel import lazy_gettext as _l
from PIL import Image

from complaints.errors import UploadRejected
from complaints.extensions import db
from complaints.intake.decoder import DecoderGoneError, DecoderServer
from complaints.intake.evidence_store import EvidenceStore, track_new_file
from complaints.models import Complaint, Evidence

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
#: More pixels than any phone screenshot or photo; beyond it a file is a decompression bomb. Read from the
#: header, before anything is decoded.
MAX_PIXELS = 25_000_000
#: What all the images of one filing may decode to together, checked from their headers before any is decoded.
MAX_REQUEST_PIXELS = 60_000_000
#: What decoding and re-encoding one image may add to its child process's address space.
DECODE_MEMORY_BYTES = 1024 * 2**20
#: What decoding needs per pixel, about: Pillow's 4-byte pixels, a turned copy and the encoder's buffers.
#: An image whose need is past the memory budget is refused without starting a decoder.
DECODE_BYTES_PER_PIXEL = 12
#: Wall-clock seconds (and, rounded up, CPU seconds) one image's child process may take.
DECODE_SECONDS = 10.0
#: Wall-clock seconds all the images of one filing may take to decode together.
REQUEST_DECODE_SECONDS = 20.0
#: The script that re-encodes one image within those budgets, run by its path in a child process.
IMAGE_DECODER = Path(__file__).with_name("image_decoder.py")
#: Its exit status for an image that is damaged (every other failure means too large to process).
_DECODER_DAMAGED = 4
#: This process's decoder server (started on the first image, kept for the next ones).
_decoder = DecoderServer(IMAGE_DECODER)
#: What all of a PDF's compressed streams may inflate to; beyond it a PDF is a decompression bomb.
MAX_PDF_INFLATED_BYTES = 256 * 2**20
#: Dictionary keys through which a PDF runs something when it is opened, or carries other files or forms.
PDF_ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/AA", "/EmbeddedFiles", "/EmbeddedFile", "/RichMediaContent", "/XFA"}
)
#: Values of /S (action type), /Type or /Subtype that do the same.
PDF_ACTIVE_NAMES = frozenset(
    {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/EmbeddedFile", "/RichMedia", "/Movie", "/Sound"}
)
#: Action types (/S) that open something outside the document: a web address (an officer's click can be
#: tracked), another file, or media. A /Thread action does so only when it names a file (/F).
PDF_OUTSIDE_ACTIONS = frozenset(
    {
        "/URI",
        "/GoToR",
        "/GoToE",
        "/Launch",
        "/ImportData",
        "/SubmitForm",
        "/Rendition",
        "/Sound",
        "/Movie",
        "/RichMediaExecute",
    }
)
#: Nothing may follow a PDF's last end-of-file marker but line ends, spaces or padding.
_PDF_TAIL = re.compile(rb"%%EOF[\s\x00]*\Z")


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


def _too_large(name: str) -> UploadRejected:
    return UploadRejected(str(_l("%(name)s: the image is too large to process.", name=name)))


def _damaged(name: str) -> UploadRejected:
    return UploadRejected(str(_l("%(name)s: the image is damaged or incomplete.", name=name)))


def _image_pixels(data: bytes, name: str) -> int:
    """How many pixels an image declares, read from its header only (Pillow opens lazily)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_large(name) from exc
    except Exception as exc:
        raise _damaged(name) from exc
    if width * height > MAX_PIXELS:
        raise _too_large(name)
    return width * height


def _reencode_image(data: bytes, target_format: str, name: str, pixels: int, seconds: float) -> bytes:
    """Decode and re-encode an image in a child process held to its memory, CPU and wall-clock budget.

    Only pixels survive (no EXIF, GPS or device data). A child that runs out of its budget, or is
    ended for it, means the image is too large to process: the worker itself never decodes. The
    child is forked by the worker's decoder server (`intake.decoder`), not started afresh.
    """
    seconds = min(seconds, DECODE_SECONDS)
    if seconds <= 0 or pixels * DECODE_BYTES_PER_PIXEL > DECODE_MEMORY_BYTES:
        raise _too_large(name)
    try:
        status, encoded = _decoder.reencode(data, target_format, DECODE_MEMORY_BYTES, seconds)
    except DecoderGoneError as exc:
        raise _too_large(name) from exc
    if status == _DECODER_DAMAGED:
        raise _damaged(name)
    if status != 0 or not encoded:
        raise _too_large(name)
    return encoded


def _pdf_refused(name: str) -> UploadRejected:
    return UploadRejected(str(_l("%(name)s: the PDF is damaged or incomplete.", name=name)))


def _inflated_size(stream: pikepdf.Stream, budget: int) -> int:
    """How many bytes a FlateDecode stream inflates to, counting no further than budget + 1.

    A stream that turns out corrupt stops the count where it breaks: viewers show what they can of
    such files, and this check is about size, not validity.
    """
    inflater = zlib.decompressobj()
    pending = stream.read_raw_bytes()
    total = 0
    try:
        while pending and total <= budget:
            total += len(inflater.decompress(pending, 2**20))
            pending = inflater.unconsumed_tail
    except zlib.error:
        pass
    return total


def _first_filter(stream: pikepdf.Stream) -> str:
    filters = stream.stream_dict.get("/Filter")
    if isinstance(filters, pikepdf.Array):
        filters = filters[0] if len(filters) else None
    return str(filters) if filters is not None else ""


def _direct_parts(obj: pikepdf.Object) -> Iterator[pikepdf.Object]:
    """An object and every dictionary or array written inside it (not those it refers to by number)."""
    stack = [obj]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, pikepdf.Stream):
            children = list(current.stream_dict.values())
        elif isinstance(current, pikepdf.Dictionary):
            children = list(current.values())
        elif isinstance(current, pikepdf.Array):
            children = list(current)
        else:
            continue
        stack.extend(
            child
            for child in children
            if isinstance(child, pikepdf.Dictionary | pikepdf.Array) and not child.is_indirect
        )


def _is_active(obj: pikepdf.Object) -> bool:
    """A dictionary (or stream) that runs a script or program, submits data, or carries files."""
    mapping = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
    if not isinstance(mapping, pikepdf.Dictionary):
        return False
    keys = set(mapping.keys())
    if keys & PDF_ACTIVE_KEYS:
        return True
    for key in ("/S", "/Type", "/Subtype"):
        value = mapping.get(key)
        if isinstance(value, pikepdf.Name) and str(value) in PDF_ACTIVE_NAMES:
            return True
    # A document-open action may only go to a page (an array or a GoTo action), not run anything.
    opening = mapping.get("/OpenAction")
    return isinstance(opening, pikepdf.Dictionary) and str(opening.get("/S", "")) != "/GoTo"


def _opens_outside(obj: pikepdf.Object) -> bool:
    """An action that opens a web address, another file or media outside the document."""
    mapping = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
    if not isinstance(mapping, pikepdf.Dictionary):
        return False
    action = mapping.get("/S")
    if not isinstance(action, pikepdf.Name):
        return False
    return str(action) in PDF_OUTSIDE_ACTIONS or (str(action) == "/Thread" and "/F" in mapping)


#: What a PDF's object may not hold, and what the consumer is told then (``%(name)s`` is the file's name).
_PDF_PART_REFUSALS = (
    (
        _is_active,
        _l(
            "%(name)s: the PDF contains scripts, attached files or forms that run when it is "
            "opened. Print it to a new PDF, or send photos or screenshots of its pages."
        ),
    ),
    (
        _opens_outside,
        _l(
            "%(name)s: the PDF has links or actions that open web addresses or other files. "
            "Print it to a new PDF, or send photos or screenshots of its pages."
        ),
    ),
)


def _check_pdf(data: bytes, name: str) -> None:
    """A whole PDF and nothing else: no appended or hidden second file, no scripts, actions or bombs.

    Officers open these files, so a PDF that would run anything in their viewer is refused with a
    message that tells the consumer what to send instead.
    """
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-65536:]:
        raise _pdf_refused(name)
    # Data after the end marker, or a PDF that a ZIP reader also opens, is a second file riding along
    # (a polyglot): whatever it is, it is refused.
    if not _PDF_TAIL.search(data[-4096:]) or zipfile.is_zipfile(io.BytesIO(data)):
        raise UploadRejected(
            str(_l("%(name)s: something else is hidden in or after this PDF, so we cannot accept it.", name=name))
        )
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            budget = MAX_PDF_INFLATED_BYTES
            for obj in pdf.objects:
                parts = list(_direct_parts(obj))
                for refuses, message in _PDF_PART_REFUSALS:
                    if any(refuses(part) for part in parts):
                        raise UploadRejected(str(message) % {"name": name})
                if isinstance(obj, pikepdf.Stream) and _first_filter(obj) == "/FlateDecode":
                    budget -= _inflated_size(obj, budget)
                    if budget < 0:
                        raise UploadRejected(
                            str(_l("%(name)s: the PDF unpacks to far more data than any document holds.", name=name))
                        )
    except pikepdf.PasswordError as exc:
        raise UploadRejected(
            str(_l("%(name)s: the PDF is protected by a password. Send it without the password.", name=name))
        ) from exc
    except (pikepdf.PdfError, ValueError, RuntimeError) as exc:
        raise _pdf_refused(name) from exc


@dataclass(frozen=True)
class _Identified:
    """An upload whose name, size and type passed, with the pixels its header declares (0 if no image)."""

    upload: UploadedFile
    name: str
    kind: str
    mime: str
    target: str | None
    pixels: int


def _identify(upload: UploadedFile, limits: UploadLimits) -> _Identified:
    """The checks that need no decoding: emptiness, size, type from the bytes, an image's declared pixels."""
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
    pixels = _image_pixels(upload.data, name) if kind == "image" and target is not None else 0
    return _Identified(upload, name, kind, detected, target, pixels)


def _finish(item: _Identified, deadline: float) -> CheckedFile:
    """Re-encode an image (within what is left of the time budget) or check a PDF."""
    data = item.upload.data
    mime = item.mime
    if item.kind == "image" and item.target is not None:
        data = _reencode_image(data, item.target, item.name, item.pixels, deadline - time.monotonic())
        mime = STORED_MIME[item.target]
    elif item.kind == "pdf":
        _check_pdf(data, item.name)
    return CheckedFile(original_name=item.name, data=data, mime_type=mime, kind=item.kind)


def check_file(upload: UploadedFile, limits: UploadLimits) -> CheckedFile:
    """Detect the type from the bytes, enforce the limits and strip metadata; raise UploadRejected."""
    return _finish(_identify(upload, limits), time.monotonic() + REQUEST_DECODE_SECONDS)


def check_files(
    uploads: list[UploadedFile], limits: UploadLimits, already: int = 0, already_bytes: int = 0
) -> list[CheckedFile]:
    """Check a batch of files against the per-complaint limits, before anything is written.

    Everything that needs no decoding is checked for every file first, the images' pixels together
    included, so a filing too large to process is refused before any image is decoded.
    """
    if len(uploads) + already > limits.max_files:
        raise UploadRejected(str(_l("At most %(n)d files per complaint.", n=limits.max_files)), "evidence")
    identified = [_identify(upload, limits) for upload in uploads]
    if sum(item.pixels for item in identified) > MAX_REQUEST_PIXELS:
        raise UploadRejected(
            str(
                _l(
                    "The images together are too large to process (at most %(mp)d million pixels per filing). "
                    "Send fewer or smaller images.",
                    mp=MAX_REQUEST_PIXELS // 1_000_000,
                )
            ),
            "evidence",
        )
    deadline = time.monotonic() + REQUEST_DECODE_SECONDS
    checked = [_finish(item, deadline) for item in identified]
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

"""Small, generated evidence files for tests (no real photos or recordings)."""

from __future__ import annotations

import io

import pikepdf
from PIL import Image


def jpeg_with_gps(color: str = "red", size: tuple[int, int] = (64, 48)) -> bytes:
    """A JPEG carrying EXIF camera and GPS tags, as phone photos do."""
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x010F] = "FictionalPhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    gps = {1: "N", 2: (22.0, 32.0, 0.0), 3: "E", 4: (114.0, 3.0, 0.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def png(color: str = "blue", size: tuple[int, int] = (40, 40)) -> bytes:
    """A plain PNG screenshot stand-in."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def amr() -> bytes:
    """An AMR-NB call recording header followed by silent frames."""
    frame = bytes([0x3C]) + bytes(31)
    return b"#!AMR\n" + frame * 50


def m4a() -> bytes:
    """The start of an M4A (MPEG-4 audio) file."""
    ftyp = b"\x00\x00\x00\x20ftypM4A \x00\x00\x02\x00M4A mp42isom\x00\x00\x00\x00"
    return ftyp + b"\x00\x00\x00\x08free" + bytes(200)


def pdf() -> bytes:
    """A valid one-page PDF (the same bytes every time)."""
    document = pikepdf.new()
    document.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    document.save(out, static_id=True)
    return out.getvalue()


def html_as_jpg() -> bytes:
    """HTML that pretends to be an image by its name."""
    return b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def truncated_png() -> bytes:
    """A PNG cut off half-way."""
    data = png(size=(300, 300))
    return data[: len(data) // 2]


def lossless_webp(width: int, height: int) -> bytes:
    """A few dozen bytes that decode into width × height pixels: the costliest image per byte."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, format="WEBP", lossless=True, quality=0, method=0)
    return out.getvalue()

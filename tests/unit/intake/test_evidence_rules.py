"""The exact rules of evidence files: accepted types, size and count limits at their boundaries, refusals."""

from __future__ import annotations

import errno
import io
import struct
import wave
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pikepdf
import pytest
from flask import Flask
from flask_babel import force_locale
from PIL import Image, PngImagePlugin

from complaints.errors import UploadRejected
from complaints.extensions import db
from complaints.intake import evidence
from complaints.intake.evidence import UploadedFile, UploadLimits, attach_evidence, check_file, check_files
from complaints.intake.evidence_store import LocalEvidenceStore
from complaints.models import Evidence
from tests import media
from tests.factories import ComplaintFactory

MB = 2**20
LIMITS = UploadLimits(max_files=3, max_file_bytes=2 * MB, max_total_bytes=3 * MB)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are compared in English."""
    with force_locale("en"):
        yield


def refusal(upload: UploadedFile, limits: UploadLimits = LIMITS) -> str:
    with pytest.raises(UploadRejected) as refused:
        check_file(upload, limits)
    return refused.value.message


def audio(size: int) -> bytes:
    """An AMR call recording of exactly `size` bytes (kept byte for byte)."""
    data = media.amr()
    return data + bytes(size - len(data))


def image_bytes(image: Image.Image, fmt: str, **save: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **save)
    return out.getvalue()


def wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as recording:
        recording.setnchannels(1)
        recording.setsampwidth(2)
        recording.setframerate(8000)
        recording.writeframes(bytes(1600))
    return out.getvalue()


MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + (b"\xff\xfb\x90\x64" + bytes(413)) * 4
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x08free" + bytes(200)
ADTS = b"\xff\xf1\x50\x80\x02\x1f\xfc" + bytes(200)


# --- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "stored"),
    [
        ("call.amr", "call.amr"),
        ("DCIM/Camera/call.amr", "call.amr"),
        ("C:\\Users\\li\\Desktop\\call.amr", "call.amr"),
        ("../../etc\\..\\call.amr", "call.amr"),
        ("folder/", "file"),
        ("", "file"),
        ("a" * 300 + ".amr", "a" * 255),
        ("x/" + "b" * 255, "b" * 255),
    ],
)
def test_only_the_last_part_of_a_name_is_kept_at_most_255_characters(filename: str, stored: str) -> None:
    assert check_file(UploadedFile(filename, media.amr()), LIMITS).original_name == stored


def test_a_refusal_names_the_file_without_its_folders() -> None:
    assert refusal(UploadedFile("DCIM\\Camera/empty.jpg", b"")) == "empty.jpg: the file is empty."
    assert refusal(UploadedFile("", b"")) == "file: the file is empty."


# --- sizes ---------------------------------------------------------------------------------------


def test_a_file_of_exactly_the_size_limit_is_accepted_and_one_byte_more_is_refused() -> None:
    exact = check_file(UploadedFile("call.amr", audio(2 * MB)), LIMITS)
    assert len(exact.data) == 2 * MB
    assert refusal(UploadedFile("call.amr", audio(2 * MB + 1))) == "call.amr: files may be at most 2 MB."


def test_the_size_limit_is_checked_before_the_type() -> None:
    assert refusal(UploadedFile("page.html", b"<html>" + bytes(2 * MB))) == "page.html: files may be at most 2 MB."


def test_the_size_message_gives_whole_megabytes() -> None:
    limits = UploadLimits(max_files=3, max_file_bytes=5 * MB + MB // 2, max_total_bytes=20 * MB)
    assert refusal(UploadedFile("call.amr", audio(6 * MB)), limits) == "call.amr: files may be at most 5 MB."


def test_a_one_byte_file_is_not_empty() -> None:
    assert "this type of file is not accepted" in refusal(UploadedFile("x.bin", b"x"))


# --- types ---------------------------------------------------------------------------------------

DETECTED = [
    ("photo.jpg", media.jpeg_with_gps(), "image", "image/jpeg"),
    ("screen.png", media.png(), "image", "image/png"),
    ("s.webp", image_bytes(Image.new("RGB", (20, 20), "white"), "WEBP"), "image", "image/webp"),
    ("s.gif", image_bytes(Image.new("P", (20, 20), 3), "GIF"), "image", "image/png"),
    ("s.bmp", image_bytes(Image.new("RGB", (20, 20), "red"), "BMP"), "image", "image/png"),
    ("letter.pdf", media.pdf(), "pdf", "application/pdf"),
    ("call.amr", media.amr(), "audio", "audio/amr"),
    ("call.m4a", media.m4a(), "audio", "audio/x-m4a"),
    ("call.mp3", MP3, "audio", "audio/mpeg"),
    ("call.mp4", MP4, "audio", "video/mp4"),
    ("call.wav", wav(), "audio", "audio/x-wav"),
    ("call.aac", ADTS, "audio", "audio/x-hx-aac-adts"),
]


@pytest.mark.parametrize(("name", "data", "kind", "mime"), DETECTED, ids=[row[0] for row in DETECTED])
def test_each_accepted_type_is_recognised_by_its_bytes(name: str, data: bytes, kind: str, mime: str) -> None:
    checked = check_file(UploadedFile("upload.bin", data), LIMITS)
    assert (checked.kind, checked.mime_type) == (kind, mime)
    if kind != "image":
        assert checked.data == data


# What each detected type is stored as, whatever libmagic's version calls it.
RULES = [
    ("image/jpeg", "image", "image/jpeg"),
    ("image/png", "image", "image/png"),
    ("image/webp", "image", "image/webp"),
    ("image/gif", "image", "image/png"),
    ("image/bmp", "image", "image/png"),
    ("application/pdf", "pdf", "application/pdf"),
    ("audio/amr", "audio", "audio/amr"),
    ("audio/x-amr", "audio", "audio/x-amr"),
    ("audio/mpeg", "audio", "audio/mpeg"),
    ("audio/mp4", "audio", "audio/mp4"),
    ("audio/x-m4a", "audio", "audio/x-m4a"),
    ("video/mp4", "audio", "video/mp4"),
    ("audio/x-wav", "audio", "audio/x-wav"),
    ("audio/wav", "audio", "audio/wav"),
    ("audio/ogg", "audio", "audio/ogg"),
    ("audio/aac", "audio", "audio/aac"),
    ("audio/x-hx-aac-adts", "audio", "audio/x-hx-aac-adts"),
]
SAMPLE_OF_KIND = {"image/jpeg": media.jpeg_with_gps(), "application/pdf": media.pdf()}


def detected_as(monkeypatch: pytest.MonkeyPatch, mime: str) -> None:
    monkeypatch.setattr(evidence.magic, "from_buffer", lambda data, mime=True, _m=mime: _m)


@pytest.mark.parametrize(("detected", "kind", "stored"), RULES, ids=[row[0] for row in RULES])
def test_each_accepted_type_is_stored_as_its_kind(
    monkeypatch: pytest.MonkeyPatch, detected: str, kind: str, stored: str
) -> None:
    if kind == "image":
        data = image_bytes(Image.new("RGB", (12, 10), "green"), "PNG")
    else:
        data = SAMPLE_OF_KIND.get(detected, media.pdf() if kind == "pdf" else b"recording bytes")
    detected_as(monkeypatch, detected)
    checked = check_file(UploadedFile("upload.bin", data), LIMITS)
    assert (checked.kind, checked.mime_type) == (kind, stored)
    if kind == "image":
        with Image.open(io.BytesIO(checked.data)) as image:
            assert image.format == {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}[stored]
            assert image.size == (12, 10)
    else:
        assert checked.data == data


def test_no_other_type_is_accepted() -> None:
    assert set(evidence.ALLOWED_TYPES) == {row[0] for row in RULES}


@pytest.mark.parametrize(
    "detected",
    ["text/html", "image/svg+xml", "application/zip", "application/octet-stream", "video/quicktime", "image/tiff"],
)
def test_other_types_are_refused_with_what_to_send_instead(monkeypatch: pytest.MonkeyPatch, detected: str) -> None:
    detected_as(monkeypatch, detected)
    assert refusal(UploadedFile("doc.x", b"whatever")) == (
        "doc.x: this type of file is not accepted. Use a photo or screenshot, a PDF or a call recording."
    )


def test_the_type_is_read_from_the_first_64_kib() -> None:
    seen: list[int] = []

    def spy(data: bytes, mime: bool = False) -> str:
        seen.append(len(data))
        return "audio/amr"

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(evidence.magic, "from_buffer", spy)
        check_file(UploadedFile("call.amr", audio(MB)), LIMITS)
        check_file(UploadedFile("call.amr", audio(2000)), LIMITS)
    assert seen == [65536, 2000]


# --- images --------------------------------------------------------------------------------------


def test_a_photo_is_stored_as_its_upright_pixels_at_jpeg_quality_90() -> None:
    original = media.jpeg_with_gps(size=(80, 60))
    checked = check_file(UploadedFile("photo.jpg", original), LIMITS)
    with Image.open(io.BytesIO(original)) as image:
        expected = image_bytes(image, "JPEG", quality=90)
    assert checked.data == expected


def test_screenshots_are_stored_as_their_pixels_re_encoded_with_the_formats_defaults() -> None:
    webp = image_bytes(Image.new("RGB", (40, 30), "teal"), "WEBP", quality=30)
    png = media.png(size=(40, 30))
    for name, data, fmt in (("s.webp", webp, "WEBP"), ("s.png", png, "PNG")):
        with Image.open(io.BytesIO(data)) as image:
            expected = image_bytes(image, fmt)
        assert check_file(UploadedFile(name, data), LIMITS).data == expected, name


def test_a_photo_whose_camera_data_is_damaged_is_still_accepted() -> None:
    # Pillow warns about the broken EXIF tag; only a decompression-bomb warning refuses a file.
    tiff = b"MM\x00\x2a\x00\x00\x00\x08" + struct.pack(">H", 1) + struct.pack(">HHII", 0x010F, 2, 1000, 100)
    photo = image_bytes(Image.new("RGB", (16, 16), "red"), "JPEG", exif=b"Exif\x00\x00" + tiff + bytes(4))
    checked = check_file(UploadedFile("photo.jpg", photo), LIMITS)
    assert checked.mime_type == "image/jpeg"
    with Image.open(io.BytesIO(checked.data)) as image:
        assert image.size == (16, 16)
        assert not image.getexif()


def test_a_photo_taken_sideways_is_stored_upright() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    sideways = image_bytes(Image.new("RGB", (64, 32), "red"), "JPEG", exif=exif.tobytes())
    checked = check_file(UploadedFile("photo.jpg", sideways), LIMITS)
    with Image.open(io.BytesIO(checked.data)) as image:
        assert image.size == (32, 64)
        assert 0x0112 not in image.getexif()


def test_a_grey_photo_stays_grey_and_a_cmyk_photo_becomes_rgb() -> None:
    grey = check_file(UploadedFile("grey.jpg", image_bytes(Image.new("L", (16, 16), 90), "JPEG")), LIMITS)
    cmyk = check_file(UploadedFile("cmyk.jpg", image_bytes(Image.new("CMYK", (16, 16), "red"), "JPEG")), LIMITS)
    with Image.open(io.BytesIO(grey.data)) as image:
        assert image.mode == "L"
    with Image.open(io.BytesIO(cmyk.data)) as image:
        assert image.mode == "RGB"


def test_a_png_keeps_its_transparency_and_loses_its_text() -> None:
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "collector-tracker.example.test")
    palette = Image.new("P", (16, 16), 1)
    data = image_bytes(palette, "PNG", transparency=1, pnginfo=text)
    checked = check_file(UploadedFile("sticker.png", data), LIMITS)
    assert b"collector-tracker" not in checked.data
    with Image.open(io.BytesIO(checked.data)) as image:
        assert "transparency" in image.info
        assert "Comment" not in image.info


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares a size but whose pixel data is broken."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"broken") + chunk(b"IEND", b"")


def test_an_image_of_more_than_60_million_pixels_is_refused_before_decoding() -> None:
    assert 151 * 397_351 == 60_000_001
    message = refusal(UploadedFile("flood.png", png_header(151, 397_351)))
    assert message == "flood.png: the image is too large to process."


def test_an_image_of_exactly_25_million_pixels_is_decoded() -> None:
    # Decoding is tried (and this one's pixels are broken), so the size alone did not refuse it.
    # (Until the per-file limit became 25 million pixels, this was 60 million: 7500 × 8000.)
    message = refusal(UploadedFile("big.png", png_header(5000, 5000)))
    assert message == "big.png: the image is damaged or incomplete."


def test_an_image_of_60_million_pixels_is_now_refused_before_decoding() -> None:
    message = refusal(UploadedFile("big.png", png_header(7500, 8000)))
    assert message == "big.png: the image is too large to process."


def test_an_image_past_pillows_bomb_limit_is_refused_as_too_large() -> None:
    assert (
        refusal(UploadedFile("bomb.png", png_header(20_000, 20_000))) == "bomb.png: the image is too large to process."
    )


def test_a_damaged_image_is_refused_as_damaged() -> None:
    assert refusal(UploadedFile("cut.png", media.truncated_png())) == "cut.png: the image is damaged or incomplete."


# --- PDFs ----------------------------------------------------------------------------------------


def pdf_changed(change: Callable[[pikepdf.Pdf], None]) -> bytes:
    document = pikepdf.open(io.BytesIO(media.pdf()))
    change(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def accepted(data: bytes, name: str = "letter.pdf") -> bool:
    try:
        check_file(UploadedFile(name, data), UploadLimits(3, 10**9, 10**9))
    except UploadRejected:
        return False
    return True


DAMAGED = "letter.pdf: the PDF is damaged or incomplete."
HIDDEN = "letter.pdf: something else is hidden in or after this PDF, so we cannot accept it."
ACTIVE = (
    "letter.pdf: the PDF contains scripts, attached files or forms that run when it is opened. "
    "Print it to a new PDF, or send photos or screenshots of its pages."
)
FLOOD = "letter.pdf: the PDF unpacks to far more data than any document holds."


def test_a_pdf_must_start_with_its_header() -> None:
    data = media.pdf()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(evidence.magic, "from_buffer", lambda data, mime=True: "application/pdf")
        assert refusal(UploadedFile("letter.pdf", b"%PDF" + data[5:])) == DAMAGED
        assert refusal(UploadedFile("letter.pdf", data.replace(b"%%EOF", b"%%EOX"))) == DAMAGED


def test_the_end_marker_may_be_followed_by_up_to_4091_bytes_of_blank_padding() -> None:
    data = media.pdf()  # ends with "%%EOF\n"
    assert accepted(data + b"\n" * 4090)  # the marker starts 4096 bytes from the end
    assert accepted(data + b" \r\n\t\x00" * 100)
    refused = data + b"\n" * 4091  # the marker starts 4097 bytes from the end
    assert refusal(UploadedFile("letter.pdf", refused), UploadLimits(3, MB, MB)) == HIDDEN


def test_the_end_marker_is_looked_for_in_the_last_64_kib() -> None:
    data = media.pdf()
    inside = data + b"\n" * (65536 - 6)  # the marker starts exactly 65536 bytes from the end
    outside = data + b"\n" * (65536 - 5)
    assert refusal(UploadedFile("letter.pdf", inside), UploadLimits(3, MB, MB)) == HIDDEN
    assert refusal(UploadedFile("letter.pdf", outside), UploadLimits(3, MB, MB)) == DAMAGED


def test_anything_but_blanks_after_the_end_marker_is_refused() -> None:
    assert refusal(UploadedFile("letter.pdf", media.pdf() + b"x")) == HIDDEN
    assert refusal(UploadedFile("letter.pdf", media.pdf() + b"\n%%EOF x\n")) == HIDDEN


def direct(key: str, value: pikepdf.Object) -> Callable[[pikepdf.Pdf], None]:
    """Put a dictionary {key: value} straight inside the document catalogue."""

    def change(document: pikepdf.Pdf) -> None:
        document.Root.Extra = pikepdf.Dictionary({key: value})

    return change


@pytest.mark.parametrize("key", sorted(evidence.PDF_ACTIVE_KEYS))
def test_each_active_key_makes_a_pdf_refused(key: str) -> None:
    assert key in {"/JS", "/JavaScript", "/AA", "/EmbeddedFiles", "/EmbeddedFile", "/RichMediaContent", "/XFA"}
    data = pdf_changed(direct(key, pikepdf.String("x")))
    assert refusal(UploadedFile("letter.pdf", data)) == ACTIVE


@pytest.mark.parametrize("entry", ["/S", "/Type", "/Subtype"])
@pytest.mark.parametrize(
    "name", ["/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/EmbeddedFile", "/RichMedia", "/Movie", "/Sound"]
)
def test_each_active_action_or_type_name_makes_a_pdf_refused(entry: str, name: str) -> None:
    data = pdf_changed(direct(entry, pikepdf.Name(name)))
    assert refusal(UploadedFile("letter.pdf", data)) == ACTIVE


@pytest.mark.parametrize(
    ("entry", "value"),
    [
        ("/S", pikepdf.Name("/GoTo")),
        ("/S", pikepdf.Name("/Thread")),  # a thread within the document (a /URI is refused now: it opens the web)
        ("/Type", pikepdf.Name("/Annot")),
        ("/Subtype", pikepdf.Name("/Link")),
        ("/S", pikepdf.String("/JavaScript")),  # a string, not a name, runs nothing
        ("/Title", pikepdf.Name("/JavaScript")),
        ("/Js", pikepdf.String("x")),
    ],
)
def test_harmless_entries_keep_a_pdf_accepted(entry: str, value: pikepdf.Object) -> None:
    assert accepted(pdf_changed(direct(entry, value)))


def test_an_active_dictionary_nested_in_direct_arrays_and_dictionaries_is_found() -> None:
    script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("x"))

    def nested(document: pikepdf.Pdf) -> None:
        document.Root.Extra = pikepdf.Array([pikepdf.Dictionary(Inner=pikepdf.Array([1, script]))])

    assert refusal(UploadedFile("letter.pdf", pdf_changed(nested))) == ACTIVE


def test_an_active_stream_dictionary_is_found() -> None:
    def stream_with_script(document: pikepdf.Pdf) -> None:
        stream = pikepdf.Stream(document, b"data")
        stream.stream_dict.JS = pikepdf.String("x")
        document.Root.Extra = document.make_indirect(stream)

    def stream_with_nested_script(document: pikepdf.Pdf) -> None:
        stream = pikepdf.Stream(document, b"data")
        stream.stream_dict.Extra = pikepdf.Dictionary(S=pikepdf.Name.Launch)
        document.Root.Extra = document.make_indirect(stream)

    assert refusal(UploadedFile("letter.pdf", pdf_changed(stream_with_script))) == ACTIVE
    assert refusal(UploadedFile("letter.pdf", pdf_changed(stream_with_nested_script))) == ACTIVE


@pytest.mark.parametrize(
    ("action", "is_accepted"),
    [
        (pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=pikepdf.Array([0, pikepdf.Name.Fit])), True),
        (pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.test/")), False),
        (pikepdf.Dictionary(D=pikepdf.Array([0, pikepdf.Name.Fit])), False),
        (pikepdf.Array([0, pikepdf.Name.Fit]), True),
    ],
    ids=["goto", "uri", "no-action-type", "page-array"],
)
def test_an_open_action_may_only_go_to_a_page(action: pikepdf.Object, is_accepted: bool) -> None:
    def set_open_action(document: pikepdf.Pdf) -> None:
        document.Root.OpenAction = action

    assert accepted(pdf_changed(set_open_action)) is is_accepted


def flate_stream(size: int, level: int = 9) -> bytes:
    deflater = zlib.compressobj(level)
    chunks = [deflater.compress(bytes(MB)) for _ in range(size // MB)]
    return b"".join(chunks) + deflater.compress(bytes(size % MB)) + deflater.flush()


def pdf_inflating_to(size: int, filter_: pikepdf.Object = pikepdf.Name.FlateDecode) -> bytes:
    packed = flate_stream(size)

    def add(document: pikepdf.Pdf) -> None:
        stream = pikepdf.Stream(document, b"")
        stream.write(packed, filter=filter_)
        document.Root.Extra = document.make_indirect(stream)

    return pdf_changed(add)


def test_compressed_streams_may_inflate_to_exactly_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evidence, "MAX_PDF_INFLATED_BYTES", 3 * MB + 5)
    assert accepted(pdf_inflating_to(3 * MB + 5))
    assert refusal(UploadedFile("letter.pdf", pdf_inflating_to(3 * MB + 6))) == FLOOD


def test_the_budget_is_shared_by_all_streams_of_a_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evidence, "MAX_PDF_INFLATED_BYTES", 2 * MB)
    packed = flate_stream(MB + 1)

    def two_streams(document: pikepdf.Pdf) -> None:
        for key in ("One", "Two"):
            stream = pikepdf.Stream(document, b"")
            stream.write(packed, filter=pikepdf.Name.FlateDecode)
            document.Root[f"/{key}"] = document.make_indirect(stream)

    assert refusal(UploadedFile("letter.pdf", pdf_changed(two_streams))) == FLOOD


def with_filter_array(data: bytes) -> bytes:
    """The PDF with its compressed stream's filter written as a one-element array (pikepdf writes a name).

    The replacement has the same length, so the cross-reference table stays right.
    """
    assert data.count(b"<< /Filter /FlateDecode") == 1
    return data.replace(b"<< /Filter /FlateDecode", b"<</Filter[/FlateDecode]")


def test_a_filter_array_starting_with_flate_is_counted_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evidence, "MAX_PDF_INFLATED_BYTES", MB)
    over = with_filter_array(pdf_inflating_to(MB + 1))
    assert b"/Filter[/FlateDecode]" in over
    assert refusal(UploadedFile("letter.pdf", over)) == FLOOD
    assert accepted(with_filter_array(pdf_inflating_to(MB)))


def test_an_empty_filter_array_is_no_compression() -> None:
    document = pikepdf.open(io.BytesIO(media.pdf()))
    stream = document.make_stream(b"plain bytes")
    stream.stream_dict.Xyzzy = pikepdf.Name("/AAAAAAA")
    document.Root.Extra = stream
    out = io.BytesIO()
    document.save(out, compress_streams=False)
    data = out.getvalue().replace(b"/Xyzzy /AAAAAAA", b"/Filter []     ")
    assert b"/Filter [] " in data
    assert accepted(data)


def test_the_inflation_budget_is_256_mib() -> None:
    # Inflating 256 MiB in a test takes seconds; the boundary itself is proved with a smaller budget above.
    assert evidence.MAX_PDF_INFLATED_BYTES == 256 * 1024 * 1024


def test_a_damaged_pdf_body_is_refused_as_damaged() -> None:
    data = media.pdf()
    body = data.index(b"obj")
    broken = data[:body] + b"\xff" * 200 + data[body + 200 :]
    broken = broken.replace(b"startxref", b"startxxxx")
    assert refusal(UploadedFile("letter.pdf", broken)) == DAMAGED


def test_a_password_protected_pdf_is_refused_as_protected() -> None:
    document = pikepdf.open(io.BytesIO(media.pdf()))
    out = io.BytesIO()
    document.save(out, encryption=pikepdf.Encryption(owner="o", user="u"))
    message = refusal(UploadedFile("letter.pdf", out.getvalue()))
    assert message == "letter.pdf: the PDF is protected by a password. Send it without the password."


# --- a batch of files ----------------------------------------------------------------------------


def test_a_complaint_may_carry_exactly_max_files_counting_those_already_attached() -> None:
    three = [UploadedFile(f"{i}.amr", media.amr()) for i in range(3)]
    assert len(check_files(three, LIMITS)) == 3
    assert len(check_files(three[:2], LIMITS, already=1)) == 2
    assert check_files([], LIMITS, already=3) == []
    for uploads, already in [(three + three[:1], 0), (three[:2], 2), (three[:1], 3), ([], 4)]:
        with pytest.raises(UploadRejected) as refused:
            check_files(uploads, LIMITS, already=already)
        assert refused.value.message == "At most 3 files per complaint."
        assert refused.value.field == "evidence"


def test_the_count_is_refused_before_any_file_is_checked() -> None:
    uploads = [UploadedFile("empty.amr", b"")] * 4
    with pytest.raises(UploadRejected, match=r"At most 3 files"):
        check_files(uploads, LIMITS)


def test_all_files_together_may_reach_the_total_limit_exactly() -> None:
    half = UploadedFile("call.amr", audio(3 * MB // 2))
    assert sum(len(c.data) for c in check_files([half, half], LIMITS)) == 3 * MB
    assert len(check_files([half], LIMITS, already_bytes=3 * MB // 2)) == 1
    for uploads, already_bytes in [([half, half], 1), ([half], 3 * MB // 2 + 1)]:
        with pytest.raises(UploadRejected) as refused:
            check_files(uploads, LIMITS, already_bytes=already_bytes)
        assert refused.value.message == "All files together may be at most 3 MB."
        assert refused.value.field == "evidence"


def test_the_total_counts_what_is_stored_not_what_was_sent() -> None:
    sent = media.jpeg_with_gps(size=(64, 48)) + bytes(50_000)  # padding after the image is dropped
    stored = len(check_file(UploadedFile("photo.jpg", sent), LIMITS).data)
    assert stored < len(sent)
    limits = UploadLimits(max_files=3, max_file_bytes=MB, max_total_bytes=stored)
    assert len(check_files([UploadedFile("photo.jpg", sent)], limits)) == 1


def test_one_refused_file_refuses_the_batch() -> None:
    with pytest.raises(UploadRejected, match=r"^bad\.jpg: "):
        check_files([UploadedFile("call.amr", media.amr()), UploadedFile("bad.jpg", b"<html>")], LIMITS)


# --- storing -------------------------------------------------------------------------------------


@pytest.fixture
def store(app: Flask) -> LocalEvidenceStore:
    return LocalEvidenceStore(Path(app.config["EVIDENCE_DIR"]))


def test_attached_evidence_records_hash_size_type_and_name(store: LocalEvidenceStore) -> None:
    complaint = ComplaintFactory()
    checked = check_files([UploadedFile("call.amr", media.amr()), UploadedFile("s.png", media.png())], LIMITS)
    attached = attach_evidence(complaint, checked, store)
    assert [e.id is not None for e in attached] == [True, True]
    for row, file in zip(attached, checked, strict=True):
        assert row.complaint == complaint
        assert row.sha256 == row.storage_key
        assert store.read(row.storage_key) == file.data
        assert (row.size_bytes, row.mime_type, row.kind, row.original_name) == (
            len(file.data),
            file.mime_type,
            file.kind,
            file.original_name,
        )
    assert db.session.query(Evidence).count() == 2


def test_a_rollback_removes_the_files_it_wrote_and_keeps_the_ones_already_stored(store: LocalEvidenceStore) -> None:
    kept_key, _ = store.put(media.amr())
    complaint = ComplaintFactory()
    checked = check_files([UploadedFile("call.amr", media.amr()), UploadedFile("s.png", media.png())], LIMITS)
    new_key = attach_evidence(complaint, checked, store)[1].storage_key
    db.session.rollback()
    assert store.exists(kept_key)
    assert not store.exists(new_key)


class FullStore:
    """A store whose disk answers every write with an OSError."""

    def __init__(self, code: int) -> None:
        self.code = code

    def put(self, data: bytes) -> tuple[str, bool]:
        raise OSError(self.code, "no")


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
def test_a_full_disk_refuses_the_filing_with_a_message(code: int) -> None:
    complaint = ComplaintFactory()
    checked = check_files([UploadedFile("call.amr", media.amr())], LIMITS)
    with pytest.raises(UploadRejected) as refused:
        attach_evidence(complaint, checked, FullStore(code))  # type: ignore[arg-type]
    assert refused.value.message == (
        "We cannot store files right now because our storage is full. Nothing was saved. Please try again later."
    )
    assert refused.value.field == "evidence"


def test_any_other_storage_error_is_not_hidden() -> None:
    complaint = ComplaintFactory()
    checked = check_files([UploadedFile("call.amr", media.amr())], LIMITS)
    with pytest.raises(OSError) as raised:
        attach_evidence(complaint, checked, FullStore(errno.EACCES))  # type: ignore[arg-type]
    assert not isinstance(raised.value, UploadRejected)
    assert raised.value.errno == errno.EACCES

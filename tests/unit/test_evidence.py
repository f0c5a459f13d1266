"""Evidence is judged by its bytes, stripped of metadata, and never half-stored."""

import io

import pytest
from PIL import Image

from complaints.services.errors import UploadRejected
from complaints.services.evidence import UploadedFile, UploadLimits, check_file, check_files
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

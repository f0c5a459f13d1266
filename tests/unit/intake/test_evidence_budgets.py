"""No upload within the limits can take a worker past its time and memory: pixels per file and per filing
are bounded from the headers before anything is decoded, and the decode itself runs within a budget.

And a PDF may not carry any action that opens something outside itself (a web address, another file).
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pikepdf
import pytest
from flask_babel import force_locale
from PIL import Image

from complaints.errors import UploadRejected
from complaints.intake import evidence
from complaints.intake.evidence import UploadedFile, UploadLimits, check_file, check_files
from tests import media

MB = 2**20
LIMITS = UploadLimits(max_files=10, max_file_bytes=20 * MB, max_total_bytes=100 * MB)
TOO_LARGE = "the image is too large to process."


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with force_locale("en"):
        yield


def refusal(call: Callable[[], object]) -> str:
    with pytest.raises(UploadRejected) as refused:
        call()
    return refused.value.message


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares a size but whose pixel data is broken (decoding it fails at once)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"broken") + chunk(b"IEND", b"")


# --- Pixels per file and per filing, from the headers -------------------------------------------


def test_an_image_of_more_than_25_million_pixels_is_refused_before_decoding() -> None:
    assert 5000 * 5001 > 25_000_000
    assert (
        refusal(lambda: check_file(UploadedFile("big.png", png_header(5000, 5001)), LIMITS)) == f"big.png: {TOO_LARGE}"
    )


def test_an_image_of_exactly_25_million_pixels_is_decoded() -> None:
    message = refusal(lambda: check_file(UploadedFile("big.png", png_header(5000, 5000)), LIMITS))
    assert message == "big.png: the image is damaged or incomplete."


def test_the_lossless_webp_that_held_a_worker_for_seconds_is_refused_at_once() -> None:
    data = media.lossless_webp(8000, 7499)
    assert len(data) < 3000
    assert refusal(lambda: check_file(UploadedFile("flood.webp", data), LIMITS)) == f"flood.webp: {TOO_LARGE}"


def test_the_pixels_of_all_images_of_a_filing_are_bounded_before_any_is_decoded() -> None:
    # Each is allowed alone; together they are 67.5 million pixels. Their pixel data is broken, so a
    # refusal for size (not for damage) shows that nothing was decoded first.
    uploads = [UploadedFile(f"{i}.png", png_header(5000, 4500)) for i in range(3)]
    message = refusal(lambda: check_files(uploads, LIMITS))
    assert message == (
        "The images together are too large to process (at most 60 million pixels per filing). "
        "Send fewer or smaller images."
    )


def test_images_of_60_million_pixels_in_all_are_decoded() -> None:
    uploads = [UploadedFile(f"{i}.png", png_header(5000, 4000)) for i in range(3)]
    assert refusal(lambda: check_files(uploads, LIMITS)) == "0.png: the image is damaged or incomplete."


def test_the_filing_limit_speaks_chinese() -> None:
    uploads = [UploadedFile(f"{i}.png", png_header(5000, 4500)) for i in range(3)]
    with force_locale("zh_Hans"):
        message = refusal(lambda: check_files(uploads, LIMITS))
    assert message == "这些图片合起来太大，无法处理（每次提交合计最多 60 百万像素）。请少发几张，或者发送较小的图片。"


# --- The decode runs within a time and memory budget ---------------------------------------------


def test_a_decode_past_its_memory_budget_is_refused_as_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    # 20 million pixels need some 80 MB to decode: past a 64 MB budget.
    monkeypatch.setattr(evidence, "DECODE_MEMORY_BYTES", 64 * MB)
    data = media.lossless_webp(5000, 4000)
    assert refusal(lambda: check_file(UploadedFile("wide.webp", data), LIMITS)) == f"wide.webp: {TOO_LARGE}"


def test_a_decode_past_its_time_budget_is_refused_as_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evidence, "DECODE_SECONDS", 0.05)
    data = media.lossless_webp(5000, 4000)
    assert refusal(lambda: check_file(UploadedFile("wide.webp", data), LIMITS)) == f"wide.webp: {TOO_LARGE}"


def test_the_time_budget_is_shared_by_the_files_of_a_filing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evidence, "REQUEST_DECODE_SECONDS", 0.0)
    message = refusal(lambda: check_files([UploadedFile("a.png", media.png())], LIMITS))
    assert message == f"a.png: {TOO_LARGE}"


def test_a_small_image_still_decodes_within_the_budget() -> None:
    checked = check_files([UploadedFile("a.png", media.png()), UploadedFile("b.jpg", media.jpeg_with_gps())], LIMITS)
    assert [c.mime_type for c in checked] == ["image/png", "image/jpeg"]
    with Image.open(io.BytesIO(checked[1].data)) as image:
        assert image.size == (64, 48) and not image.getexif()


WORKER_PEAK = """
import io, json, resource, sys
from flask import Flask
from flask_babel import Babel
from complaints.intake import evidence
from complaints.intake.evidence import UploadedFile, UploadLimits, check_file
evidence.DECODE_SECONDS = evidence.REQUEST_DECODE_SECONDS = 120.0  # about memory: time on a busy machine aside
data = open(sys.argv[1], "rb").read()
app = Flask(__name__)
Babel(app)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with app.test_request_context():
    check_file(UploadedFile("a.webp", data), UploadLimits(1, 2**30, 2**30))
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"growth_kib": after - before}))
"""


def test_decoding_the_largest_allowed_image_does_not_grow_the_worker(tmp_path: Path) -> None:
    image = tmp_path / "a.webp"
    image.write_bytes(media.lossless_webp(5000, 5000))
    root = Path(evidence.__file__).resolve().parents[2]
    run = subprocess.run(
        [sys.executable, "-c", WORKER_PEAK, str(image)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    growth_mb = json.loads(run.stdout.strip().splitlines()[-1])["growth_kib"] / 1024
    assert growth_mb < 50, f"the worker grew by {growth_mb:.0f} MB"


# --- PDF actions that open something outside the document ------------------------------------------

OUTSIDE = "the PDF has links or actions that open web addresses or other files"

ACTIONS: dict[str, Callable[[], pikepdf.Dictionary]] = {
    "URI": lambda: pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://tracker.example.test/p")),
    "GoToR": lambda: pikepdf.Dictionary(S=pikepdf.Name.GoToR, F=pikepdf.String("//share.example.test/a.pdf"), D=[0]),
    "GoToE": lambda: pikepdf.Dictionary(S=pikepdf.Name.GoToE, F=pikepdf.String("other.pdf"), NewWindow=True),
    "Launch": lambda: pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")),
    "ImportData": lambda: pikepdf.Dictionary(S=pikepdf.Name.ImportData, F=pikepdf.String("data.fdf")),
    "SubmitForm": lambda: pikepdf.Dictionary(S=pikepdf.Name.SubmitForm, F=pikepdf.String("https://x.example.test/")),
    "Thread": lambda: pikepdf.Dictionary(S=pikepdf.Name.Thread, F=pikepdf.String("remote.pdf"), D=0),
    "Rendition": lambda: pikepdf.Dictionary(S=pikepdf.Name.Rendition, OP=0),
    "Sound": lambda: pikepdf.Dictionary(S=pikepdf.Name.Sound),
    "Movie": lambda: pikepdf.Dictionary(S=pikepdf.Name.Movie),
}


def goto(document: pikepdf.Pdf) -> pikepdf.Dictionary:
    return pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=pikepdf.Array([document.pages[0].obj, pikepdf.Name.Fit]))


def then(first: pikepdf.Dictionary, *more: pikepdf.Dictionary) -> pikepdf.Dictionary:
    """An action followed by more actions (its /Next array)."""
    first.Next = pikepdf.Array(list(more))
    return first


def link(document: pikepdf.Pdf, action: pikepdf.Dictionary) -> None:
    annotation = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 100, 100], A=action)
    document.pages[0].Annots = document.make_indirect(pikepdf.Array([document.make_indirect(annotation)]))


PLACES: dict[str, Callable[[pikepdf.Pdf, pikepdf.Dictionary], None]] = {
    "annotation": link,
    "annotation, indirect action": lambda document, action: link(document, document.make_indirect(action)),
    "open action": lambda document, action: setattr(document.Root, "OpenAction", action),
    "page AA": lambda document, action: setattr(document.pages[0], "AA", pikepdf.Dictionary(O=action)),
    "nested in a Next array": lambda document, action: link(document, then(goto(document), goto(document), action)),
}


def pdf_with(change: Callable[[pikepdf.Pdf], None]) -> bytes:
    document = pikepdf.open(io.BytesIO(media.pdf()))
    change(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("kind", ACTIONS)
def test_a_pdf_action_that_opens_something_outside_it_is_refused(kind: str, place: str) -> None:
    data = pdf_with(lambda document: PLACES[place](document, ACTIONS[kind]()))
    message = refusal(lambda: check_file(UploadedFile("letter.pdf", data), LIMITS))
    assert message.startswith("letter.pdf: the PDF "), message
    assert message.endswith("Print it to a new PDF, or send photos or screenshots of its pages."), message


@pytest.mark.parametrize("place", ["annotation", "nested in a Next array"])
def test_a_link_to_a_web_address_is_refused_with_what_to_send_instead(place: str) -> None:
    data = pdf_with(lambda document: PLACES[place](document, ACTIONS["URI"]()))
    message = refusal(lambda: check_file(UploadedFile("letter.pdf", data), LIMITS))
    assert message == (f"letter.pdf: {OUTSIDE}. Print it to a new PDF, or send photos or screenshots of its pages.")
    with force_locale("zh_Hans"):
        chinese = refusal(lambda: check_file(UploadedFile("letter.pdf", data), LIMITS))
    assert chinese == (
        "letter.pdf：这个 PDF 含有会打开网址或其他文件的链接或操作。"
        "请把它重新打印成新的 PDF，或者发送各页的照片或截图。"
    )


def test_a_pdf_with_links_inside_itself_is_accepted() -> None:
    def internal_links(document: pikepdf.Pdf) -> None:
        document.add_blank_page(page_size=(595, 842))
        link(document, then(goto(document), goto(document)))
        document.Root.OpenAction = goto(document)
        document.pages[1].Annots = pikepdf.Array(
            [
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.Link,
                    Rect=[0, 0, 9, 9],
                    Dest=[document.pages[0].obj, pikepdf.Name.Fit],
                )
            ]
        )

    checked = check_file(UploadedFile("letter.pdf", pdf_with(internal_links)), LIMITS)
    assert checked.kind == "pdf"


def test_a_thread_action_within_the_document_is_accepted() -> None:
    def local_thread(document: pikepdf.Pdf) -> None:
        link(document, pikepdf.Dictionary(S=pikepdf.Name.Thread, D=0))

    assert check_file(UploadedFile("letter.pdf", pdf_with(local_thread)), LIMITS).kind == "pdf"


def test_the_decoder_child_cannot_allocate_past_its_memory_budget(tmp_path: Path) -> None:
    # What the worker's estimate lets through, the kernel still bounds: 20 million pixels in 64 MB fail.
    data = media.lossless_webp(5000, 4000)
    run = subprocess.run(
        [sys.executable, str(evidence.IMAGE_DECODER), "WEBP", str(64 * MB), "10"],
        input=data,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert run.returncode != 0 and run.stdout == b""
    accepted = subprocess.run(
        [sys.executable, str(evidence.IMAGE_DECODER), "PNG", str(64 * MB), "10"],
        input=media.png(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert accepted.returncode == 0 and accepted.stdout.startswith(b"\x89PNG")


def test_the_decoder_child_is_stopped_past_its_cpu_budget() -> None:
    code = (
        "import runpy, sys; sys.argv = [sys.argv[0], 'PNG', str(2**30), '1'];"
        "import image_decoder, resource; image_decoder.reencode = lambda data, fmt: next(x for x in iter(int, 1) if x);"
        "sys.exit(image_decoder.main(sys.argv[1:]))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        input=media.png(),
        capture_output=True,
        timeout=30,
        check=False,
        cwd=evidence.IMAGE_DECODER.parent,
    )
    assert run.returncode < 0, run  # ended by the kernel (SIGXCPU, then SIGKILL)

"""Time and peak memory of the costliest images the upload checks accept, decoded as in a real filing.

Run: python -m bench.evidence_decode [CASE ...]   (each case runs in a fresh process standing for the worker,
measured by VmHWM reset after the image is made; RUSAGE_CHILDREN gives the largest decoder child it started)
"""

from __future__ import annotations

import io
import multiprocessing
import sys
import time

from PIL import Image

MB = 2**20


def lossless_webp(width: int, height: int) -> bytes:
    """A tiny lossless WebP of one colour: a few KB that decode into width × height pixels."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, format="WEBP", lossless=True, quality=0, method=0)
    return out.getvalue()


def png_1bit(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, format="PNG")
    return out.getvalue()


def _vm_hwm_mb() -> float:
    """This process's peak resident memory since the last reset (VmHWM), in MB."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def _run(case: str, conn: object) -> None:
    import gc

    from flask import Flask
    from flask_babel import Babel

    from complaints.errors import UploadRejected
    from complaints.intake.evidence import UploadedFile, UploadLimits, check_files

    width, height, count, maker = CASES[case]
    data = maker(width, height)
    app = Flask(__name__)
    Babel(app)
    limits = UploadLimits(max_files=10, max_file_bytes=20 * MB, max_total_bytes=100 * MB)
    gc.collect()
    # Forget the peak of making the image: what is measured is checking it, as the worker does.
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
    baseline = _vm_hwm_mb()
    started = time.monotonic()
    outcome = "accepted"
    with app.test_request_context():
        try:
            check_files([UploadedFile(f"{i}.img", data) for i in range(count)], limits)
        except UploadRejected as refused:
            outcome = f"refused: {refused.message}"
    seconds = time.monotonic() - started
    # The decode runs in a child of the decoder server, which reports that child's peak (0: none ran).
    from complaints.intake import evidence

    children = evidence._decoder.largest_child_kb / 1024
    conn.send((len(data), seconds, baseline, _vm_hwm_mb(), children, outcome))  # type: ignore[attr-defined]


CASES = {
    "webp 8000x7499 x1": (8000, 7499, 1, lossless_webp),
    "webp 8000x7499 x10": (8000, 7499, 10, lossless_webp),
    "webp 5000x5000 x1": (5000, 5000, 1, lossless_webp),
    "webp 5000x5000 x2": (5000, 5000, 2, lossless_webp),
    "webp 3000x2000 x10": (3000, 2000, 10, lossless_webp),
    "png1bit 5000x5000 x1": (5000, 5000, 1, png_1bit),
}


def main() -> None:
    context = multiprocessing.get_context("spawn")
    names = sys.argv[1:] or list(CASES)
    print("| case | file bytes | seconds | worker RSS before → peak (MB) | peak RSS of a decode child (MB) | outcome |")
    print("|---|---|---|---|---|---|")
    for name in names:
        parent, child = context.Pipe()
        process = context.Process(target=_run, args=(name, child))
        process.start()
        size, seconds, baseline, own, children, outcome = parent.recv()
        process.join()
        decode = f"{children:.0f}" if children > 0 else "-"
        print(
            f"| {name} | {size} | {seconds:.2f} | {baseline:.0f} → {own:.0f} | {decode} | {outcome[:60]} |", flush=True
        )


if __name__ == "__main__":
    main()

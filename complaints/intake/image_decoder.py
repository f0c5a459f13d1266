"""Re-encode images in child processes that cannot use more than their memory, CPU and time budget.

Run as a script by its path (not as part of the package, so it imports Pillow and nothing else):

- ``python -I image_decoder.py FORMAT MEMORY_BYTES CPU_SECONDS`` (MEMORY_BYTES: what decoding may add)
  re-encodes the one image on stdin onto stdout. Exit status: 0 done, 3 too large to process, 4 damaged.
- ``python -I image_decoder.py --serve`` is the worker's decoder server: started once, with Python and
  Pillow loaded, it reads requests from stdin (a line ``FORMAT MEMORY_BYTES CPU_SECONDS LENGTH``, then
  LENGTH bytes) and forks a fresh child for each, which takes the same limits and exits. The answer is
  a line ``STATUS LENGTH PEAK_KB`` (the child's peak resident memory) and the re-encoded bytes.
  Starting an interpreter and Pillow for every image cost about 0.09 s of CPU, a quarter of a
  filing's; a fork of this small, single-threaded process costs a few milliseconds, and each image
  still runs alone in a process of its own.

Past its limits the kernel ends a child (SIGXCPU, SIGKILL, SIGALRM) or an allocation fails (MemoryError).
"""

from __future__ import annotations

import io
import math
import os
import resource
import signal
import sys
import warnings
from typing import BinaryIO

from PIL import Image, ImageOps

TOO_LARGE = 3
DAMAGED = 4


def reencode(data: bytes, target_format: str) -> bytes:
    """Decode and re-encode an image so only pixels survive: no EXIF, GPS or device data."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            # Pillow writes back what it read beside the pixels (a JPEG comment, an ICC profile, text):
            # keep only transparency, so no payload or device data rides along into the stored file.
            upright.info = {key: value for key, value in upright.info.items() if key == "transparency"}
            if target_format == "JPEG" and upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            out = io.BytesIO()
            upright.save(out, format=target_format, **({"quality": 90} if target_format == "JPEG" else {}))
            return out.getvalue()


def limited(data: bytes, target_format: str, memory_bytes: int, cpu_seconds: int) -> tuple[int, bytes]:
    """Re-encode under this process's new limits: (0, the bytes), or (TOO_LARGE or DAMAGED, b"")."""
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    # The address space is limited once Python and Pillow are loaded and the input read: the budget is
    # what decoding and re-encoding may add to it.
    with open("/proc/self/statm") as statm:
        loaded = int(statm.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (loaded + memory_bytes, loaded + memory_bytes))
    try:
        return 0, reencode(data, target_format)
    except (MemoryError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return TOO_LARGE, b""
    except Exception as exc:
        if isinstance(exc.__cause__ or exc.__context__, MemoryError):
            return TOO_LARGE, b""
        # Pillow's decoders answer hostile bytes with many kinds of exception (OSError, SyntaxError,
        # struct.error, IndexError …): every one means the same to the consumer.
        return DAMAGED, b""


def main(argv: list[str]) -> int:
    if argv == ["--serve"]:
        return serve(sys.stdin.buffer, sys.stdout.buffer)
    target_format, memory_bytes, cpu_seconds = argv[0], int(argv[1]), int(argv[2])
    status, encoded = limited(sys.stdin.buffer.read(), target_format, memory_bytes, cpu_seconds)
    sys.stdout.buffer.write(encoded)
    return status


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def in_child(data: bytes, target_format: str, memory_bytes: int, cpu_seconds: int) -> tuple[int, bytes, int]:
    """Re-encode in a child forked from this process, which ends it past its budget; this process keeps none of it.

    Returns the status, the bytes and the child's peak resident memory in KiB.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: limits, one image, exit without running anything of the parent's
        status = TOO_LARGE
        try:
            os.close(read_end)
            signal.alarm(cpu_seconds + 1)  # the wall clock too: a child waiting on nothing is ended as well
            status, encoded = limited(data, target_format, memory_bytes, cpu_seconds)
            _write_all(write_end, encoded)
        finally:
            os._exit(status)
    os.close(write_end)
    chunks = []
    with os.fdopen(read_end, "rb") as answer:
        while chunk := answer.read(1 << 20):
            chunks.append(chunk)
    _, wait_status, usage = os.wait4(pid, 0)
    status = os.waitstatus_to_exitcode(wait_status)
    if status == 0:
        return 0, b"".join(chunks), usage.ru_maxrss
    return (status if status == DAMAGED else TOO_LARGE), b"", usage.ru_maxrss


def serve(requests: BinaryIO, answers: BinaryIO) -> int:
    """Answer re-encoding requests one after another until the worker closes the pipe (see the module)."""
    Image.init()  # every format plugin now, so that no child imports anything
    while header := requests.readline():
        target_format, memory_bytes, cpu_seconds, length = header.decode("ascii").split()
        data = requests.read(int(length))
        if len(data) != int(length):
            return 0
        status, encoded, peak_kb = in_child(data, target_format, int(memory_bytes), math.ceil(float(cpu_seconds)))
        answers.write(f"{status} {len(encoded)} {peak_kb}\n".encode("ascii") + encoded)
        answers.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

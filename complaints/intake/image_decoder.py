"""Re-encode one image in a child process that cannot use more than its memory and CPU budget.

Run as a script by its path (not as part of the package, so the child imports Pillow and nothing else):
``python -I image_decoder.py FORMAT MEMORY_BYTES CPU_SECONDS`` (MEMORY_BYTES: what decoding may add)
with the image on stdin; the re-encoded image comes back on stdout. Exit status: 0 done, 3 too large to
process, 4 damaged or incomplete.
Past its limits the kernel ends the child (SIGXCPU, SIGKILL) or an allocation fails (MemoryError).
"""

from __future__ import annotations

import io
import resource
import sys
import warnings

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


def main(argv: list[str]) -> int:
    target_format, memory_bytes, cpu_seconds = argv[0], int(argv[1]), int(argv[2])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    data = sys.stdin.buffer.read()
    # The address space is limited once Python and Pillow are loaded and the input read: the budget is
    # what decoding and re-encoding may add to it.
    with open("/proc/self/statm") as statm:
        loaded = int(statm.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (loaded + memory_bytes, loaded + memory_bytes))
    try:
        encoded = reencode(data, target_format)
    except (MemoryError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return TOO_LARGE
    except Exception as exc:
        if isinstance(exc.__cause__ or exc.__context__, MemoryError):
            return TOO_LARGE
        # Pillow's decoders answer hostile bytes with many kinds of exception (OSError, SyntaxError,
        # struct.error, IndexError …): every one means the same to the consumer.
        return DAMAGED
    sys.stdout.buffer.write(encoded)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

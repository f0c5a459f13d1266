"""The worker's side of the image decoder server (`image_decoder.py --serve`).

The server is started on the first image a process re-encodes and then kept: it has Python and
Pillow loaded, and forks a child of its own for every image, so each image still runs alone under
its limits while the interpreter start (about 0.09 s of CPU) is paid once per worker, not per image.
Requests go one at a time (a lock, for threaded servers); an answer later than its deadline, a
server that died or a broken pipe ends the server and its child (a process group of their own), and
the next image starts a new one.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess  # nosec B404  # the decoder server, a fixed argument list, no shell
import sys
import threading
import time
from pathlib import Path


class DecoderGoneError(Exception):
    """The server gave no answer in time, or died: the image is treated as too large to process."""


class DecoderServer:
    """One long-lived decoder process per worker process, restarted when it goes."""

    def __init__(self, script: Path) -> None:
        self._script = script
        self._process: subprocess.Popen[bytes] | None = None
        self._owner = 0
        self._lock = threading.Lock()
        self._buffer = b""
        #: The largest peak resident memory (KiB) of any child that re-encoded an image (for benchmarks).
        self.largest_child_kb = 0

    def reencode(self, data: bytes, target_format: str, memory_bytes: int, seconds: float) -> tuple[int, bytes]:
        """(status, bytes) of one image re-encoded within its budget; DecoderGoneError past ``seconds``."""
        deadline = time.monotonic() + seconds
        with self._lock:
            process = self._running()
            assert process.stdin is not None and process.stdout is not None  # noqa: S101  # nosec B101
            header = f"{target_format} {memory_bytes} {seconds} {len(data)}\n".encode("ascii")
            try:
                process.stdin.write(header + data)
                process.stdin.flush()
                status_line = self._read_line(process.stdout.fileno(), deadline)
                status, length, peak_kb = (int(part) for part in status_line.split())
                self.largest_child_kb = max(self.largest_child_kb, peak_kb)
                return status, self._read_exactly(process.stdout.fileno(), length, deadline)
            except (OSError, ValueError, DecoderGoneError) as exc:
                self.stop()
                raise DecoderGoneError(str(exc)) from exc

    def stop(self) -> None:
        """End the server and any child it is running."""
        process, self._process, self._buffer = self._process, None, b""
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()

    def _running(self) -> subprocess.Popen[bytes]:
        if self._process is not None and (self._owner != os.getpid() or self._process.poll() is not None):
            if self._owner == os.getpid():
                self.stop()
            else:  # a forked copy of a process that had a server: that one is not ours to use
                self._process, self._buffer = None, b""
        if self._process is None:
            # The command is fixed (this interpreter, our script): no input in it.
            self._process = subprocess.Popen(  # noqa: S603  # nosec B603
                [sys.executable, "-I", str(self._script), "--serve"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # its own process group, so stop() ends its child too
            )
            self._owner = os.getpid()
        return self._process

    def _fill(self, fd: int, deadline: float) -> None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise DecoderGoneError("the image took longer than its time budget")
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            if not selector.select(remaining):
                raise DecoderGoneError("the image took longer than its time budget")
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            raise DecoderGoneError("the decoder server ended")
        self._buffer += chunk

    def _read_line(self, fd: int, deadline: float) -> bytes:
        while b"\n" not in self._buffer:
            self._fill(fd, deadline)
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    def _read_exactly(self, fd: int, length: int, deadline: float) -> bytes:
        while len(self._buffer) < length:
            self._fill(fd, deadline)
        data, self._buffer = self._buffer[:length], self._buffer[length:]
        return data

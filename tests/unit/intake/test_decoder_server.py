"""The decoder server: started once per worker, a child of its own per image, restarted when it goes."""

from __future__ import annotations

import os
import signal
import time

import pytest

from complaints.intake import evidence
from complaints.intake.decoder import DecoderGoneError, DecoderServer
from complaints.intake.image_decoder import DAMAGED
from tests import media

MB = 2**20


@pytest.fixture
def server() -> DecoderServer:
    decoder = DecoderServer(evidence.IMAGE_DECODER)
    yield decoder
    decoder.stop()


def server_pid(decoder: DecoderServer) -> int:
    assert decoder._process is not None
    return decoder._process.pid


def group_gone(pgid: int, within: float = 5.0) -> bool:
    """Whether no process of the group is left (an ended child may take a moment to be reaped by init)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_one_server_re_encodes_image_after_image(server: DecoderServer) -> None:
    status, first = server.reencode(media.png(), "PNG", 256 * MB, 10)
    pid = server_pid(server)
    for _ in range(5):
        assert server.reencode(media.png(), "PNG", 256 * MB, 10) == (status, first)
    assert status == 0 and first.startswith(b"\x89PNG")
    assert server_pid(server) == pid, "no interpreter is started per image"


def test_a_damaged_image_is_answered_and_the_server_goes_on(server: DecoderServer) -> None:
    assert server.reencode(media.png()[:40], "PNG", 256 * MB, 10) == (DAMAGED, b"")
    pid = server_pid(server)
    assert server.reencode(media.png(), "PNG", 256 * MB, 10)[0] == 0
    assert server_pid(server) == pid


def test_an_image_past_its_memory_budget_is_ended_in_its_child_not_in_the_server(server: DecoderServer) -> None:
    status, encoded = server.reencode(media.lossless_webp(5000, 4000), "WEBP", 64 * MB, 10)
    assert status != 0 and encoded == b""
    pid = server_pid(server)
    assert server.reencode(media.png(), "PNG", 256 * MB, 10)[0] == 0
    assert server_pid(server) == pid


def test_a_server_that_died_is_started_again(server: DecoderServer) -> None:
    server.reencode(media.png(), "PNG", 256 * MB, 10)
    dead = server_pid(server)
    os.kill(dead, signal.SIGKILL)
    time.sleep(0.1)
    assert server.reencode(media.png(), "PNG", 256 * MB, 10)[0] == 0
    assert server_pid(server) != dead


def test_an_answer_past_its_deadline_ends_the_server_and_its_child(server: DecoderServer) -> None:
    server.reencode(media.png(), "PNG", 256 * MB, 10)
    pid = server_pid(server)
    with pytest.raises(DecoderGoneError):
        server.reencode(media.lossless_webp(5000, 4000), "WEBP", 1024 * MB, 0.05)
    assert server._process is None
    assert group_gone(pid), "the whole group (server and child) is ended"
    assert server.reencode(media.png(), "PNG", 256 * MB, 10)[0] == 0


def test_the_server_reports_the_peak_memory_of_its_largest_child(server: DecoderServer) -> None:
    server.reencode(media.png(), "PNG", 256 * MB, 10)
    small = server.largest_child_kb
    server.reencode(media.lossless_webp(3000, 3000), "WEBP", 1024 * MB, 10)  # 9 MP: tens of MB to decode
    assert 0 < small < server.largest_child_kb
    assert server.largest_child_kb > small + 20 * 1024

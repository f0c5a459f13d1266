"""What an officer types to choose a directory entry: its number or its name, in ASCII digits only."""

from __future__ import annotations

from complaints.directory.lookup import find_live_platform
from tests.factories import PlatformFactory


def test_an_entry_is_found_by_its_number_or_its_name() -> None:
    platform = PlatformFactory(name_zh="虚构小禾钱包")
    assert find_live_platform(f"#{platform.id}") is platform
    assert find_live_platform(str(platform.id)) is platform
    assert find_live_platform("虚构小禾钱包") is platform


def test_a_number_in_another_scripts_digits_names_no_entry() -> None:
    platform = PlatformFactory(name_zh="虚构小禾钱包")
    full_width = "".join(chr(ord("０") + int(d)) for d in str(platform.id))
    assert find_live_platform(f"#{full_width}") is None

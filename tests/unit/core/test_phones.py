"""Phone numbers are one string however they were typed."""

import pytest

from complaints.core.phones import normalise_phone, split_phone_list


@pytest.mark.parametrize(
    "raw",
    ["+86 138-0013-8000", "13800138000", "0086 13800138000", "+86 (138) 0013 8000", "138 0013 8000"],
)
def test_chinese_mobile_numbers_in_any_format_normalise_to_one_e164_string(raw: str) -> None:
    assert normalise_phone(raw) == "+8613800138000"


def test_landline_with_area_code_is_accepted() -> None:
    assert normalise_phone("020-8888 6666") == "+862088886666"


def test_service_numbers_that_collectors_use_are_kept() -> None:
    assert normalise_phone("95188") == "95188"


@pytest.mark.parametrize("raw", ["", "hello", "12", "1380013800099999999", "+86 abc"])
def test_things_that_are_not_numbers_are_refused(raw: str) -> None:
    assert normalise_phone(raw) is None


def test_lists_split_on_newlines_and_chinese_commas() -> None:
    assert split_phone_list("13800138000，13900139000\n 95188 ;") == ["13800138000", "13900139000", "95188"]

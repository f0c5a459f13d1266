"""Phone numbers are one string however they were typed; collectors' numbers are kept even when unrecognised."""

import pytest

from complaints.core.phones import (
    normalise_contact_phone,
    normalise_phone,
    read_reported_phone,
    split_phone_list,
)


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


#: The numbers collectors really call and text from (fictional subscriber parts), and their one form.
COLLECTOR_FORMATS = [
    # 106 bulk-SMS gateways: the sender numbers of collection texts, 8 to 20 digits.
    ("10690000123", "10690000123"),
    ("1069 0123 4567 8", "1069012345678"),
    ("106575551234", "106575551234"),
    ("+86 10690000123", "10690000123"),
    # 95 and 96 short numbers (banks, platforms, local service lines).
    ("95588", "95588"),
    ("955 88", "95588"),
    ("962888", "962888"),
    ("96110", "96110"),
    # Carriers' and government hotlines.
    ("10086", "10086"),
    ("12315", "12315"),
    # 400 and 800 numbers, however grouped.
    ("400-800-1234", "+864008001234"),
    ("4008001234", "+864008001234"),
    ("400 800 1234", "+864008001234"),
    ("800-810-1234", "+868008101234"),
    # Virtual operators' 170/171 ranges, and other mobiles.
    ("170 1234 5678", "+8617012345678"),
    ("17112345678", "+8617112345678"),
    ("199-1234-5678", "+8619912345678"),
    # Landlines with their area code, in the ways they are written.
    ("010-88886666", "+861088886666"),
    ("(010) 8888 6666", "+861088886666"),
    ("0755-8888 6666", "+8675588886666"),
    ("+86 755 8888 6666", "+8675588886666"),
    ("021.6666.8888", "+862166668888"),
    # Full-width digits and signs, as a Chinese input method types them, are converted on purpose.
    ("１３８００１３８０００", "+8613800138000"),
    ("０１０－８８８８６６６６", "+861088886666"),
    ("＋８６ １０６９００００１２３", "10690000123"),
    ("（０１０）８８８８６６６６", "+861088886666"),
]


@pytest.mark.parametrize(("raw", "expected"), COLLECTOR_FORMATS)
def test_every_format_collectors_use_is_accepted_and_normalised(raw: str, expected: str) -> None:
    assert normalise_phone(raw) == expected


#: Digits of other scripts: Python's ``\d`` and ``int()`` accept them, and phonenumbers converts them silently.
OTHER_SCRIPTS = [
    "١٣٨٠٠١٣٨٠٠٠",  # Arabic-Indic
    "۱۳۸۰۰۱۳۸۰۰۰",  # Extended Arabic-Indic (Persian)
    "१३८००१३८०००",  # Devanagari
    "১৩৮০০১৩৮০০০",  # Bengali
    "13800１38٠00",  # mixed: ASCII, full-width and one Arabic-Indic zero
    "𝟏𝟑𝟖𝟎𝟎𝟏𝟑𝟖𝟎𝟎𝟎",  # mathematical bold digits
    "٩٥٥٨٨",  # a short number in Arabic-Indic digits
    "１０６９０٠٠٠１２３",  # a gateway number with one Arabic-Indic zero
]

JUNK = [
    "",
    "   ",
    "hello",
    "12",
    "1380013800099999999",
    "+86 abc",
    "138-0013-800O",  # a letter O for a zero
    "1069",  # a gateway prefix alone
    "106" + "9" * 30,  # longer than any gateway number
    "0000000",
    "+",
    "++8613800138000",
    "13800138000 ext",
    "²³",  # superscript digits
]


@pytest.mark.parametrize("raw", JUNK + OTHER_SCRIPTS)
def test_things_that_are_not_numbers_are_refused(raw: str) -> None:
    assert normalise_phone(raw) is None


@pytest.mark.parametrize("raw", OTHER_SCRIPTS)
def test_digits_of_other_scripts_are_never_taken_for_numbers_by_any_parser(raw: str) -> None:
    assert normalise_phone(raw) is None
    assert normalise_contact_phone(raw) is None
    reported = read_reported_phone(raw)
    assert reported is not None and reported.normalised is False and reported.phone == raw


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("138 0013 8000", "+8613800138000"),
        ("１３８００１３８０００", "+8613800138000"),
        ("010-8888 6666", "+861088886666"),
        ("170 1234 5678", "+8617012345678"),
        ("+852 2345 6789", "+85223456789"),
    ],
)
def test_a_consumers_own_phone_is_a_number_that_can_be_called_back(raw: str, expected: str) -> None:
    assert normalise_contact_phone(raw) == expected


@pytest.mark.parametrize("raw", ["10690000123", "95588", "12315", "8888 6666", "138 0013 800", "hello"])
def test_a_consumers_own_phone_is_not_a_gateway_a_short_number_or_a_fragment(raw: str) -> None:
    assert normalise_contact_phone(raw) is None


def test_a_recognised_collector_number_is_normalised() -> None:
    reported = read_reported_phone(" 1069 0000 123 ")
    assert reported is not None
    assert (reported.phone, reported.normalised) == ("10690000123", True)


@pytest.mark.parametrize("raw", ["8888 6666", "隐藏号码", "+44 20 7946 09", "1069-XXXX-123"])
def test_an_unrecognised_collector_number_is_kept_as_typed_and_flagged(raw: str) -> None:
    reported = read_reported_phone(f"  {raw} ")
    assert reported is not None
    assert (reported.phone, reported.normalised) == (raw, False)


def test_nothing_and_overlong_text_are_not_collector_numbers() -> None:
    assert read_reported_phone("   ") is None
    assert read_reported_phone("1" * 41) is None


def test_lists_split_on_newlines_and_chinese_commas() -> None:
    assert split_phone_list("13800138000，13900139000\n 95188 ;") == ["13800138000", "13900139000", "95188"]

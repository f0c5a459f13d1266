"""The exact rules of redaction: each kind of detail replaced, with its span, and the near misses kept."""

from __future__ import annotations

import datetime as dt

import pytest

from complaints.core.clock import local_today
from complaints.publication.redaction import KINDS, Finding, _claim, find_personal_details, redact_narrative


def found(text: str, keep: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """Each detail found in a text: its kind and the exact characters it covers."""
    return [(f.kind, text[f.start : f.end]) for f in find_personal_details(text, keep)]


def id_check(first17: str) -> str:
    """ISO 7064 MOD 11-2, written from the standard (weights 2^(17-i) mod 11), not copied from the code."""
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def resident_id(born: dt.date, region: str = "110105", serial: str = "002") -> str:
    first17 = f"{region}{born:%Y%m%d}{serial}"
    return first17 + id_check(first17)


def luhn_complete(partial: str) -> str:
    """`partial` with the Luhn check digit appended."""
    for digit in "0123456789":
        candidate = partial + digit
        total = 0
        for position, char in enumerate(reversed(candidate)):
            value = int(char) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return candidate
    raise AssertionError(partial)


def test_the_kinds_are_named_in_the_order_they_claim_text() -> None:
    assert KINDS == ("email", "url", "wechat_qq", "id_number", "bank_card", "mobile", "landline", "name")


# --- phones --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("电话13812345678", [("mobile", "13812345678")]),
        ("138-1234-5678", [("mobile", "138-1234-5678")]),
        ("138 1234 5678", [("mobile", "138 1234 5678")]),
        ("138—1234—5678", [("mobile", "138—1234—5678")]),
        ("138   1234 5678", [("mobile", "138   1234 5678")]),  # up to three separators between groups
        ("(13812345678)", [("mobile", "(13812345678)")]),
        ("+86 138 1234 5678", [("mobile", "+86 138 1234 5678")]),
        ("+8613812345678", [("mobile", "+8613812345678")]),
        ("0086-13812345678", [("mobile", "0086-13812345678")]),
        ("8613812345678", [("mobile", "8613812345678")]),
        ("86 13812345678", [("mobile", "86 13812345678")]),
        ("＋８６\u3000１３８１２３４５６７８", [("mobile", "＋８６\u3000１３８１２３４５６７８")]),
        ("13812345678 13987654321", [("mobile", "13812345678"), ("mobile", "13987654321")]),
        ("13812345678/13987654321", [("mobile", "13812345678"), ("mobile", "13987654321")]),
        ("110105X 13812345678", [("mobile", "13812345678")]),
    ],
)
def test_mobile_numbers_are_found_with_their_prefix_and_brackets(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("010-62345678", [("landline", "010-62345678")]),
        ("(010)62345678", [("landline", "(010)62345678")]),
        ("（010）62345678", [("landline", "（010）62345678")]),
        ("电话(021)5555-6666转", [("landline", "(021)5555-6666")]),
        ("（020）83456789）", [("landline", "（020）83456789）")]),
        ("(0755) 2345 6789", [("landline", "(0755) 2345 6789")]),
        ("0755-2345678", [("landline", "0755-2345678")]),
        ("4001234567", [("landline", "4001234567")]),
        ("8001234567", [("landline", "8001234567")]),
        ("+86 10 6234 5678", [("landline", "+86 10 6234 5678")]),
        ("0086 755 2345678", [("landline", "0086 755 2345678")]),
        ("+86 400 123 4567", [("landline", "+86 400 123 4567")]),
    ],
)
def test_landlines_and_service_numbers_are_found(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "1381234567",  # ten digits
        "138123456789",  # twelve digits
        "12812345678",  # no mobile network starts 12
        "075512345678",  # a local number cannot start with 1
        "3001234567",
        "01012345678",
        "138    1234 5678",  # four spaces split the number
        "138.1234.5678",
        "138_1234_5678",
        "+86 12345",
        "8612812345678",
        "86138123456789",
        "861381234567",
        "还款3200元",
        "2026年10月1日",
        "订单号 20261001123456",
        "金额 12,345.00",
        "1234567890123456789012345",
        "合同编号 123456789012345678901234567",
    ],
)
def test_numbers_that_are_not_phones_or_ids_or_cards_are_kept(text: str) -> None:
    assert found(text) == []
    assert redact_narrative(text) == text


# --- ID numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id 11010519491231002X.", [("id_number", "11010519491231002X")]),
        ("11010519491231002x", [("id_number", "11010519491231002x")]),
        ("110105 19491231 002X", [("id_number", "110105 19491231 002X")]),
        ("110105491231002", [("id_number", "110105491231002")]),  # the old 15-digit form, born 1949
        ("810105491231002", [("id_number", "810105491231002")]),
        ("110105040229002", [("id_number", "110105040229002")]),  # 29 February 1904
    ],
)
def test_id_numbers_are_found(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "11010519491231002Y",
        "110105491331002",  # month 13
        "110105490230002",  # 30 February
        "110105000229002",  # 29 February 1900 (not a leap year)
        "010105491231002",  # no region starts with 0
        "11010519491231002X1",
        "110105X19491231002X",
    ],
)
def test_id_like_numbers_with_an_impossible_part_are_kept(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize("region", ["110105", "210105", "310105", "410105", "510105", "610105", "710105", "810105"])
def test_an_id_number_may_start_with_any_region_digit_from_1_to_8(region: str) -> None:
    number = resident_id(dt.date(1990, 5, 17), region)
    assert found(number) == [("id_number", number)]


def test_an_id_number_starting_with_0_or_9_is_not_an_id() -> None:
    for region in ("010105", "910105"):
        number = resident_id(dt.date(1990, 5, 17), region)
        assert ("id_number", number) not in found(number)


def test_an_id_number_must_carry_its_own_check_character() -> None:
    number = resident_id(dt.date(1985, 1, 2))
    for wrong in "0123456789X":
        if wrong != number[-1]:
            assert ("id_number", number[:17] + wrong) not in found(number[:17] + wrong)
    assert found(number) == [("id_number", number)]


def test_check_characters_of_every_value_are_recognised() -> None:
    seen = set()
    for serial in range(100, 200):
        number = resident_id(dt.date(1970, 1, 1), serial=str(serial))
        seen.add(number[-1])
        assert found(number) == [("id_number", number)], number
    assert seen == set("0123456789X")


@pytest.mark.parametrize(
    ("born", "is_id"),
    [
        (dt.date(1889, 12, 31), False),
        (dt.date(1890, 1, 1), True),
        (0, True),
        (1, False),
    ],
)
def test_an_id_numbers_birth_date_lies_between_1890_and_today(born: dt.date | int, is_id: bool) -> None:
    # An int is days after today in the display time zone, read when the test runs (not at import,
    # and not the UTC date: between 16:00 and 24:00 UTC Beijing is already on tomorrow).
    if isinstance(born, int):
        born = local_today() + dt.timedelta(days=born)
    number = resident_id(born)
    assert (("id_number", number) in found(number)) is is_id


# --- bank cards ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4111111111111111", [("bank_card", "4111111111111111")]),
        ("4111 1111 1111 1111", [("bank_card", "4111 1111 1111 1111")]),
        ("6222021234567890128", [("bank_card", "6222021234567890128")]),
        ("622202123456789012", [("bank_card", "622202123456789012")]),
        ("910105194912310021", [("bank_card", "910105194912310021")]),
        ("4111 1111 1111 1111 1", [("bank_card", "4111 1111 1111 1111")]),
    ],
)
def test_bank_cards_passing_luhn_are_found(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize("length", [16, 17, 18, 19])
def test_a_card_number_has_16_to_19_digits(length: int) -> None:
    number = luhn_complete("9" + "4" * (length - 2))
    assert found(number) == [("bank_card", number)]
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert found(wrong) == []


@pytest.mark.parametrize("length", [14, 15, 20])
def test_luhn_valid_numbers_of_other_lengths_are_not_cards(length: int) -> None:
    number = luhn_complete("9" + "4" * (length - 2))
    assert found(number) == []


@pytest.mark.parametrize("partial", ["954321098765432", "900000000000055", "987654321234567", "912345678901234"])
def test_luhn_doubles_every_second_digit_from_the_right(partial: str) -> None:
    number = luhn_complete(partial)
    assert found(number) == [("bank_card", number)]
    for position in range(len(number) - 1):
        changed = number[:position] + str((int(number[position]) + 1) % 10) + number[position + 1 :]
        assert found(changed) == [], changed


# --- e-mail, links and messaging ids --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("邮箱 li.ming@example.test 。", [("email", "li.ming@example.test")]),
        ("x@y.cn", [("email", "x@y.cn")]),
        ("support@example.test,", [("email", "support@example.test")]),
        ("“x@y.cn”", [("email", "x@y.cn")]),
        ("见 https://example.test/a?b=1).", [("url", "https://example.test/a?b=1")]),
        ("http://a.b", [("url", "http://a.b")]),
        ("ftp://files.example.test/x", [("url", "ftp://files.example.test/x")]),
        ("www.example.com, ok", [("url", "www.example.com")]),
        ("example.com.", [("url", "example.com")]),
        ("访问 shop.xyz 下载", [("url", "shop.xyz")]),
        ("a.example", [("url", "a.example")]),
        ("www.example.com:8080/path#a", [("url", "www.example.com:8080/path#a")]),
        ("example.com/path?x=1.", [("url", "example.com/path?x=1")]),
    ],
)
def test_emails_and_links_are_found_without_trailing_punctuation(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize("text", ["name@example", "file.txt", "a.b", "1.5万", "https://", "http://nodot"])
def test_near_misses_of_emails_and_links_are_kept(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("微信：zhangwei88", [("wechat_qq", "zhangwei88")]),
        ("微信zhangwei", [("wechat_qq", "zhangwei")]),
        ("微信 zhangwei", [("wechat_qq", "zhangwei")]),
        ("WeChat: zhangwei", [("wechat_qq", "zhangwei")]),
        ("WeChat is zhangwei", [("wechat_qq", "zhangwei")]),
        ("WeChat zhangwei88", [("wechat_qq", "zhangwei88")]),
        ("QQ 123456789", [("wechat_qq", "123456789")]),
        ("QQ号码:abcde", [("wechat_qq", "abcde")]),
        ("wx=abc_12345", [("wechat_qq", "abc_12345")]),
        ("微信号为 zhang-wei", [("wechat_qq", "zhang-wei")]),
        ("加微 abc12345", [("wechat_qq", "abc12345")]),
        ("加v abc12345", [("wechat_qq", "abc12345")]),
        ("vx abc12345", [("wechat_qq", "abc12345")]),
        ("v: abc12345", [("wechat_qq", "abc12345")]),
    ],
)
def test_messaging_ids_after_their_cue_are_found(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text", ["WeChat messages", "WeChat zhangwei", "QQ:abcd", "VX: ab", "我用微信转账3200元", "微信和QQ都被骚扰"]
)
def test_messaging_cues_without_an_id_are_kept(text: str) -> None:
    assert found(text) == []


def test_a_messaging_id_is_found_whole_and_not_taken_for_a_phone() -> None:
    assert found("QQ 13812345678") == [("wechat_qq", "13812345678")]
    assert found("QQ号是12345678，手机13812345678") == [("wechat_qq", "12345678"), ("mobile", "13812345678")]


# --- names, kept names and the markers ------------------------------------------------------------


def test_names_are_found_and_ordinary_words_kept() -> None:
    assert found("张伟打电话") == [("name", "张伟")]
    assert found("Mr. Wang called") == [("name", "Wang")]


def test_a_kept_name_of_two_or_more_characters_is_never_a_person() -> None:
    text = "张伟打电话"
    assert found(text, keep=("张伟",)) == []
    assert found(text, keep=(" 张伟 ",)) == []
    assert found(text, keep=("张",)) == [("name", "张伟")]
    assert found("Mr. Wang called", keep=("wang",)) == []
    assert found("Mr. Wang called", keep=("Wan",)) == [("name", "Wang")]


def test_a_kept_name_never_shields_a_number_or_link() -> None:
    assert found("13812345678", keep=("13812345678",)) == [("mobile", "13812345678")]
    assert found("shop.example.test", keep=("shop",)) == [("url", "shop.example.test")]


@pytest.mark.parametrize(
    ("language", "marker"),
    [
        ("zh_Hans", "[已删除]"),
        ("zh", "[已删除]"),
        ("ZH_HANT", "[已删除]"),
        ("zh-TW", "[已删除]"),
        ("en", "[removed]"),
        ("", "[removed]"),
    ],
)
def test_the_marker_follows_the_language_of_the_text(language: str, marker: str) -> None:
    assert redact_narrative("打13812345678找x@y.cn", language) == f"打{marker}找{marker}"


def test_redaction_replaces_each_detail_and_keeps_everything_between() -> None:
    text = "他用13812345678和010-62345678打给我，邮箱x@y.cn，还款3200元。"
    assert redact_narrative(text, "en") == "他用[removed]和[removed]打给我，邮箱[removed]，还款3200元。"
    assert redact_narrative("没有个人信息。") == "没有个人信息。"
    assert redact_narrative("") == ""


# --- claims: details never overlap, the first detector to claim text keeps it ---------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("abc.com@x.cn", [("email", "abc.com@x.cn")]),  # the address, not the link inside it
        ("www.a.com/x@y.cn", [("email", "x@y.cn")]),  # a link holding a claimed address is not claimed
        ("微信：example.com", [("url", "example.com")]),  # the link, not the id that is part of it
        ("a@b.cn c@d.cn 微信：example.com", [("email", "a@b.cn"), ("email", "c@d.cn"), ("url", "example.com")]),
        ("x@y.cn13812345678", [("email", "x@y.cn"), ("mobile", "13812345678")]),  # touching, both found
        ("张伟x@y.cn", [("name", "张伟"), ("email", "x@y.cn")]),
    ],
)
def test_each_character_belongs_to_at_most_one_detail_and_touching_details_are_all_found(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(text) == expected


def test_an_empty_span_is_never_claimed_and_the_next_ones_still_are() -> None:
    accepted: list[Finding] = []
    _claim(accepted, [Finding("name", 3, 3), Finding("name", 0, 2), Finding("name", 5, 7)])
    assert accepted == [Finding("name", 0, 2), Finding("name", 5, 7)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("见 www.example.com/ABX", [("url", "www.example.com/ABX")]),  # only punctuation is cut from the end
        ("WeChat messages, then 微信：zhangwei88", [("wechat_qq", "zhangwei88")]),
        ("QQabcdef", [("wechat_qq", "abcdef")]),  # an id typed right after its cue
    ],
)
def test_links_and_messaging_ids_after_a_near_miss(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected

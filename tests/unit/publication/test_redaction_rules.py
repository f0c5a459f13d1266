"""The exact rules of redaction: each kind of detail replaced, with its span, and the near misses kept."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from complaints.core.clock import local_today
from complaints.publication.places import address_spans
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
    assert KINDS == (
        "email",
        "url",
        "wechat_qq",
        "id_number",
        "bank_card",
        "mobile",
        "landline",
        "plate",
        "address",
        "loan_reference",
        "name",
    )


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


# --- numbers as people write them: Chinese numerals, mixed, spaced, split --------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("电话一三八零零一三八零零零", [("mobile", "一三八零零一三八零零零")]),
        ("电话幺三八零零幺三八零零零", [("mobile", "幺三八零零幺三八零零零")]),
        ("电话壹叁捌零零壹叁捌零零零", [("mobile", "壹叁捌零零壹叁捌零零零")]),
        ("电话一三八〇〇一三八〇〇〇", [("mobile", "一三八〇〇一三八〇〇〇")]),
        ("号码一三三 3366 7788", [("mobile", "一三三 3366 7788")]),
        ("号码138 零零一三 8000", [("mobile", "138 零零一三 8000")]),
        ("号码一 三 八 零 零 一 三 八 零 零 零", [("mobile", "一 三 八 零 零 一 三 八 零 零 零")]),
        ("号码１３８ ００１３ ８０００", [("mobile", "１３８ ００１３ ８０００")]),
        ("号码138，0013，8000", [("mobile", "138，0013，8000")]),
        ("号码138.0013.8000", [("mobile", "138.0013.8000")]),
        ("号码138_0013_8000", [("mobile", "138_0013_8000")]),
        ("他用一三八零零一三八零零零一天打十次", [("mobile", "一三八零零一三八零零零")]),
        ("号码138，后面是00138000", [("mobile", "138，后面是00138000")]),
        ("号码1380013，尾号8000", [("mobile", "1380013，尾号8000")]),
        ("座机零一零六二三四五六七八", [("landline", "零一零六二三四五六七八")]),
        ("身份证一一〇一〇五一九四九一二三一〇〇二X", [("id_number", "一一〇一〇五一九四九一二三一〇〇二X")]),
    ],
)
def test_numbers_written_in_chinese_numerals_mixed_spaced_or_split_are_found(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "我拨打12378和12315投诉，也打了一二三七八",
        "二〇二四年三月五日下午三点，一天打了四十一次",
        "借了三千二百元，还了一千五，利息一万二",
        "还了1500，2000，3000，5000，8000，一共分了五次",
        "一一〇报警后，一二三一五也说会处理",
        "每期1,280.50元，2024.03.05到期，14:30又打了50个电话",
        "先还了150元，还了2000 3000，一共分了五次",
    ],
)
def test_amounts_dates_counts_and_hotlines_in_any_numerals_are_kept(text: str) -> None:
    assert found(text) == []


# --- addresses and licence plates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("他们找到我家，阳光花园3栋2单元501室，在门上喷漆", "阳光花园3栋2单元501室"),
        ("我住在朝阳区建国路88号", "朝阳区建国路88号"),
        ("寄到幸福村3组12号了", "幸福村3组12号"),
        ("地址是翠湖小区五号楼二单元302", "翠湖小区五号楼二单元302"),
        ("他说去锦绣家园12栋1203找我", "锦绣家园12栋1203"),
        ("到了南山区科技园路1号的公司楼下", "南山区科技园路1号"),
        ("我在梧桐苑B座1803室", "梧桐苑B座1803室"),
        ("他们找到10号楼三单元1201来了", "10号楼三单元1201"),
        ("寄到天河区解放路264号丽景新村7栋", "天河区解放路264号丽景新村7栋"),
        ("我住中山北路257号", "中山北路257号"),
        ("我爸妈住在李家村9组39号", "李家村9组39号"),
    ],
)
def test_addresses_are_found(text: str, address: str) -> None:
    assert ("address", address) in found(text)


@pytest.mark.parametrize(
    "text", ["马路对面有人盯着我", "他们说要去我住的小区闹", "3月5号到期，5楼的邻居也知道了", "派出所说这是民事纠纷"]
)
def test_words_that_merely_end_like_a_place_are_not_addresses(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        ("他开着京A12345的车", "京A12345"),
        ("车牌粤B·D12345", "粤B·D12345"),
        ("车牌粤BD12345", "粤BD12345"),
        ("车牌沪C 8K2M6", "沪C 8K2M6"),
        ("苏E-3X6Y9停在楼下", "苏E-3X6Y9"),
    ],
)
def test_licence_plates_are_found(text: str, plate: str) -> None:
    assert found(text) == [("plate", plate)]


# --- nicknames, spaced names, rare surnames, whole three-character names ---------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("小芳说要上门", "小芳"),
        ("老周打电话来", "老周"),
        ("阿强骂我", "阿强"),
        ("涛哥威胁我", "涛哥"),
        ("打电话的是老马", "老马"),
        ("催收员小王又打来了", "小王"),
        ("催收员张 丽 华打电话", "张 丽 华"),
        ("催收员訾建国打电话", "訾建国"),
        ("催收员万俟雪打来", "万俟雪"),
    ],
)
def test_nicknames_spaced_names_and_rare_surnames_are_found(text: str, name: str) -> None:
    assert found(text) == [("name", name)]


@pytest.mark.parametrize(
    "text",
    [
        "他们每小时打一次",
        "小区门口有人",
        "老板说让我自己解决",
        "我老家在农村",
        "阿姨说有人来敲门",
        "帅哥你好",
        "小心点",
        "金额小于三千",
        "外面下着小雨",
        "还是走老路",
        "他给了小费",
    ],
)
def test_words_that_start_like_a_nickname_are_kept(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("昨天李轩永又打来了", "李轩永"),
        ("是冯磊佳的电话", "冯磊佳"),
        ("催收员曾娟美每天打", "曾娟美"),
        ("短信署名朱子珍", "朱子珍"),
        ("张磊宏打电话骂我", "张磊宏"),
        ("我同事董静一接到了电话", "董静一"),
        ("宋轩东说要上门", "宋轩东"),
        ("昨天刘海强又打来了", "刘海强"),
    ],
)
def test_three_character_names_are_removed_whole(text: str, name: str) -> None:
    assert found(text) == [("name", name)]
    assert redact_narrative(text) == text.replace(name, "[已删除]")


def test_a_kept_name_keeps_only_the_whole_name_not_a_longer_one_around_it() -> None:
    assert found("催收员王建国打电话", keep=("建国",)) == [("name", "王建国")]
    assert found("建国打电话", keep=("建国",)) == []


@pytest.mark.parametrize(
    "text", ["区" * 10_000, "市区县路街" * 2_000, "花园村市区路" * 1_700, "一 " * 5_000, "1-" * 5_000]
)
def test_address_search_stays_fast_on_the_longest_narrative(text: str) -> None:
    started = time.perf_counter()
    list(address_spans(text))
    assert time.perf_counter() - started < 1.0

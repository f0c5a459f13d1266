"""Redaction removes every kind of personal detail from a narrative and leaves the rest of it alone."""

from __future__ import annotations

import dataclasses
import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaints.publication.private_values import PrivateValues
from complaints.publication.redaction import (
    KINDS,
    Finding,
    find_personal_details,
    mask_private_values,
    redact_narrative,
)
from tests.redaction_scoring import (
    DIRECTORY,
    FORMS_CORPUS,
    FULL_DIRECTORY,
    ID_KINDS,
    NUMBER_KINDS,
    combined,
    false_removals,
    load_corpus,
    score_corpus,
    table,
)


def found(text: str) -> list[tuple[str, str]]:
    """What the detector finds, as (kind, substring) pairs."""
    return [(f.kind, text[f.start : f.end]) for f in find_personal_details(text)]


@pytest.mark.parametrize(
    "number",
    [
        "13800138000",
        "138-0013-8000",
        "138 0013 8000",
        "+86 138 0013 8000",
        "+8613800138000",
        "0086-13800138000",
        "(+86)13800138000",
        "86-13800138000",
    ],
)
def test_mobile_numbers_are_found_however_they_are_written(number: str) -> None:
    assert found(f"催收员用{number}打电话给我") == [("mobile", number)]


@pytest.mark.parametrize(
    "number",
    [
        "010-62345678",
        "(0755)88886666",
        "（021）5432 1234",
        "0571 8765 4321",
        "400-123-4567",
        "800 820 1234",
        "4008-123-456",
    ],
)
def test_landlines_with_area_code_and_service_numbers_are_found(number: str) -> None:
    assert found(f"座机{number}，每天都打") == [("landline", number)]


@pytest.mark.parametrize("number", ["11010519491231002X", "11010519491231002x", "110105 19491231 002X"])
def test_id_numbers_with_a_valid_check_digit_are_found(number: str) -> None:
    assert found(f"我的身份证号{number}被发到群里") == [("id_number", number)]


def test_old_fifteen_digit_id_numbers_are_found() -> None:
    assert found("身份证110105491231002被泄露") == [("id_number", "110105491231002")]


def test_an_id_number_with_a_wrong_check_digit_is_neither_an_id_nor_a_card() -> None:
    assert find_personal_details("身份证号110105194912310021") == []


@pytest.mark.parametrize("number", ["6222021234567890128", "4111 1111 1111 1111", "4111-1111-1111-1111"])
def test_luhn_valid_card_numbers_are_found(number: str) -> None:
    assert found(f"转账到卡号{number}的账户") == [("bank_card", number)]


def test_a_sixteen_digit_number_that_fails_luhn_is_not_a_card() -> None:
    assert find_personal_details("合同编号4111111111111112，请核对") == []


def test_email_addresses_are_found_whole() -> None:
    assert found("律师函来自zhang.wei+law@mail.example.test。") == [("email", "zhang.wei+law@mail.example.test")]


@pytest.mark.parametrize(
    "link", ["https://loan.example.com/repay?id=12", "http://t.example.cn/AbC1", "www.xugou-demo.cn", "h5.fake.top/reg"]
)
def test_links_with_or_without_scheme_are_found(link: str) -> None:
    assert found(f"让我点{link}还款") == [("url", link)]


@pytest.mark.parametrize(
    ("text", "ident"),
    [
        ("加我微信zhangwei_88私聊", "zhangwei_88"),
        ("他的微信号：lw-2024abc", "lw-2024abc"),
        ("VX: abc12345", "abc12345"),
        ("QQ号12345678", "12345678"),
        ("扣扣 87654321", "87654321"),
        ("His WeChat ID is lw_2024", "lw_2024"),
        ("有事加v：zhang_88", "zhang_88"),
    ],
)
def test_wechat_and_qq_ids_after_their_cue_are_found(text: str, ident: str) -> None:
    assert found(text) == [("wechat_qq", ident)]


@pytest.mark.parametrize("text", ["我用微信转账3200元", "They sent WeChat messages every day", "微信和QQ都被骚扰"])
def test_wechat_and_qq_mentioned_without_an_id_are_left_alone(text: str) -> None:
    assert find_personal_details(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("催收员张伟每天打电话", "张伟"),
        ("一个叫陈小明的人骂我", "陈小明"),
        ("我母亲李秀英接到了电话", "李秀英"),
        ("欧阳娜娜说要上门", "欧阳娜娜"),
        ("有个姓刘的催收员", "刘"),
        ("王经理说今天必须还", "王"),
        ("接电话的是一位于女士", "于"),
        ("落款是石红霞，回拨无人接听", "石红霞"),
        ("昨天下午顾桂兰又打来了", "顾桂兰"),
        ("我的婆婆雷海峰七十多岁了", "雷海峰"),
        ("我的客户经理江天宇已经离职", "江天宇"),
        ("我们公司的任海波主任也接到了电话", "任海波"),
        ("我爸安宇航接到电话后气得住院", "安宇航"),
        ("The collector Mr Zhang called", "Zhang"),
        ("my mother Wang Xiuying was insulted", "Wang Xiuying"),
        ("a lawyer, Ms Nguyen, wrote to me", "Nguyen"),
    ],
)
def test_personal_names_are_found(text: str, name: str) -> None:
    assert found(text) == [("name", name)]


@pytest.mark.parametrize(
    "text",
    [
        "我在石蕊贷、安禾借、白帆借和夏至花都借过钱，还有柚子呗和柳岸分期",
        "石岭借条的人打电话来，我打了借条给他",
        "我很高兴明天能平安回家，文明催收才方便大家",
        "对方陈述的内容雷同，孔子说己所不欲勿施于人，我已经没有安全感了",
        "林林总总加起来有二十多个号码，短信像毛毛雨一样",
        "对方经理说他们是虚构速贷的合作公司",
        "马路对面有人盯着我，常州的公司说受托处理，孟子说的道理他们不懂",
        "我是石家庄人，车主说车被喷漆了，钟点工阿姨也接到了电话",
        "借款3200元，2024-03-05到期，2024年3月5日起逾期，20240305那天14:30又打了50个电话",
        "利息1.5万元，¥12,000，每期1,280.50元，年化36%",
        "Hong Kong and Shenzhen are far from here",
    ],
)
def test_amounts_dates_platforms_and_ordinary_words_are_untouched(text: str) -> None:
    assert find_personal_details(text) == []
    assert redact_narrative(text) == text


def test_a_directory_name_passed_as_keep_is_never_taken_for_a_person() -> None:
    text = "叶知秋又打来电话催款"  # an invented collection agency that reads like a personal name
    assert found(text) == [("name", "叶知秋")]
    assert find_personal_details(text, keep=["叶知秋"]) == []
    assert redact_narrative(text, "zh_Hans", ("叶知秋",)) == text


def test_keep_accepts_any_iterable_and_latin_names_in_any_case() -> None:
    text = "Li Ming Credit called me every day"
    assert found(text) == [("name", "Li Ming")]
    assert find_personal_details(text, (name for name in ["li ming credit"])) == []
    assert find_personal_details("Li Ming Creditors called", ["Li Ming Credit"]) != []


def test_personal_details_beside_a_kept_name_are_still_removed() -> None:
    text = "叶知秋的客服张伟用13800138000打电话"
    assert redact_narrative(text, "zh_Hans", ["叶知秋"]) == "叶知秋的客服[已删除]用[已删除]打电话"


def test_a_kept_name_does_not_shield_a_link_or_number_that_contains_it() -> None:
    text = "让我点www.yezhiqiu.test/repay还款，QQ号38112345"
    assert found(text) == [("url", "www.yezhiqiu.test/repay"), ("wechat_qq", "38112345")]
    assert [f.kind for f in find_personal_details(text, ["yezhiqiu", "38112345"])] == ["url", "wechat_qq"]


def test_one_character_keep_entries_are_ignored_so_they_cannot_hide_names() -> None:
    assert find_personal_details("催收员张伟每天打电话", ["张", " ", ""]) == [Finding("name", 3, 5)]


def test_a_name_joined_by_and_to_a_known_name_is_found_too() -> None:
    assert found("顾悦和陶文静两个人轮流打电话") == [("name", "顾悦"), ("name", "陶文静")]


def test_chinese_narratives_get_the_chinese_marker() -> None:
    text = "催收员张伟用13800138000打电话，说我欠3200元"
    assert redact_narrative(text, "zh_Hans") == "催收员[已删除]用[已删除]打电话，说我欠3200元"
    assert redact_narrative(text) == redact_narrative(text, "zh")


def test_other_languages_get_the_english_marker() -> None:
    text = "Mr Zhang called from 13800138000 and wrote from zw@example.test"
    assert redact_narrative(text, "en") == "Mr [removed] called from [removed] and wrote from [removed]"


def test_full_width_digits_are_read_like_ascii_ones() -> None:
    assert redact_narrative("电话１３８００１３８０００") == "电话[已删除]"


_NARRATIVE_ALPHABET = st.sampled_from(list("0123456789 -+()@.:：，。张王李伟芳微信QQxX催收员叫先生wwwcom０１"))


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=_NARRATIVE_ALPHABET, max_size=80) | st.text(max_size=80))
def test_findings_are_ordered_disjoint_spans_inside_the_text(text: str) -> None:
    findings = find_personal_details(text)
    assert all(f.kind in KINDS and 0 <= f.start < f.end <= len(text) for f in findings)
    assert all(a.end <= b.start for a, b in itertools.pairwise(findings))
    redacted = redact_narrative(text, "en")
    assert redacted.count("[removed]") - text.count("[removed]") == len(findings)


def test_findings_are_immutable_values() -> None:
    finding = Finding("mobile", 0, 11)
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.kind = "name"  # type: ignore[misc]


def test_jieba_loads_only_when_needed_and_logs_nothing() -> None:
    script = (
        "import sys\n"
        "import complaints.publication.redaction as r\n"
        "assert 'jieba' not in sys.modules\n"
        "print(r.redact_narrative('催收员张伟打电话'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=Path(__file__).parents[3]
    )
    assert result.stdout.strip() == "催收员[已删除]打电话"
    assert result.stderr == ""


def test_the_corpus_has_enough_narratives_and_is_what_its_script_writes(tmp_path: Path) -> None:
    script = Path(__file__).parents[2] / "data" / "make_redaction_corpus.py"
    copy = tmp_path / "corpus.jsonl"
    subprocess.run([sys.executable, str(script), str(copy)], check=True, capture_output=True)
    corpus = script.with_name("redaction_corpus.jsonl")
    assert copy.read_text(encoding="utf-8") == corpus.read_text(encoding="utf-8")
    assert len(load_corpus()) >= 200


def test_corpus_recall_and_precision_meet_the_bars() -> None:
    scores = score_corpus(load_corpus())
    numbers, names = combined(scores, NUMBER_KINDS), scores["name"]
    report = table(scores)
    assert numbers.recall >= 0.98, report + "\n" + "\n".join(numbers.missed)
    assert names.recall >= 0.90, report + "\n" + "\n".join(names.missed)
    assert numbers.precision >= 0.98, report + "\n" + "\n".join(numbers.spurious)
    assert names.precision >= 0.90, report + "\n" + "\n".join(names.spurious)
    forms = score_corpus(load_corpus(FORMS_CORPUS), FULL_DIRECTORY)
    for kind in KINDS:
        assert scores[kind].planted + forms[kind].planted > 0, f"neither corpus plants a {kind}"


def test_the_forms_corpus_has_enough_narratives_and_is_what_its_script_writes(tmp_path: Path) -> None:
    script = Path(__file__).parents[2] / "data" / "make_redaction_forms_corpus.py"
    copy = tmp_path / "corpus.jsonl"
    subprocess.run([sys.executable, str(script), str(copy)], check=True, capture_output=True)
    assert copy.read_text(encoding="utf-8") == FORMS_CORPUS.read_text(encoding="utf-8")
    assert len(load_corpus(FORMS_CORPUS)) >= 200


def test_the_written_forms_meet_the_bars_and_spare_what_is_not_personal() -> None:
    rows = load_corpus(FORMS_CORPUS)
    scores = score_corpus(rows, FULL_DIRECTORY)
    report = table(scores)
    numbers, names, addresses = combined(scores, ID_KINDS), scores["name"], scores["address"]
    assert numbers.recall >= 0.99, report + "\n" + "\n".join(numbers.missed)
    assert names.recall >= 0.95, report + "\n" + "\n".join(names.missed)
    assert addresses.recall >= 0.90, report + "\n" + "\n".join(addresses.missed)
    spared = false_removals(rows)
    wrong = sum(tally.hit for tally in spared.values())
    total = sum(tally.total for tally in spared.values())
    assert total >= 500 and wrong / total <= 0.01, [example for tally in spared.values() for example in tally.examples]


def platform_mentions_redacted(keep: tuple[str, ...]) -> int:
    """How many mentions of the corpus's platforms a finding overlaps."""
    count = 0
    for row in load_corpus():
        text = str(row["text"])
        findings = find_personal_details(text, keep)
        for name in DIRECTORY:
            for start in (m.start() for m in re.finditer(re.escape(name), text)):
                count += any(f.start < start + len(name) and start < f.end for f in findings)
    return count


def test_the_corpus_platforms_are_redacted_only_without_the_directory() -> None:
    assert platform_mentions_redacted(()) > 0, "the corpus should hold platforms that read like personal names"
    assert platform_mentions_redacted(DIRECTORY) == 0


# --- the complaint's own private values ------------------------------------------------------------

PRIVATE = PrivateValues.of(
    contact_name="郑丽华",
    contact_phone="+86 138-0013-8000",
    contact_email="Zheng.LH@example.test",
    loan_reference="JK2024-0098-7731",
    collector_name="潘志刚",
)


@pytest.mark.parametrize(
    "written",
    [
        "13800138000",
        "138 0013 8000",
        "１３８００１３８０００",
        "一三八零零一三八零零零",
        "幺三八〇〇幺三八〇〇〇",
        "壹叁捌零零壹叁捌零零零",
        "一三八 0013 八零零零",
        "138，然后0013，8000",
        "1-3-8-0-0-1-3-8-0-0-0",
    ],
)
def test_the_complaints_own_phone_is_removed_in_every_written_form(written: str) -> None:
    text = f"我的号码{written}被他们发到群里"
    assert mask_private_values(text, PRIVATE) == "我的号码[已删除]被他们发到群里"
    assert redact_narrative(text, private=PRIVATE) == "我的号码[已删除]被他们发到群里"


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("郑丽华", "name"),
        ("郑 丽 华", "name"),
        ("丽华", "name"),
        ("Zheng Lihua", "name"),
        ("zheng.lh@EXAMPLE.test", "email"),
        ("JK2024-0098-7731", "loan_reference"),
        ("JK 2024 0098 7731", "loan_reference"),
        ("jk202400987731", "loan_reference"),
        ("潘志刚", "name"),
    ],
)
def test_the_complaints_own_name_email_reference_and_collector_are_removed(written: str, kind: str) -> None:
    text = f"他们说{written}，今天必须还"
    findings = find_personal_details(text, private=PRIVATE)
    assert [(f.kind, text[f.start : f.end], f.private) for f in findings] == [(kind, written, True)]


def test_a_reported_collector_that_is_a_company_is_not_a_private_value() -> None:
    values = PrivateValues.of(collector_name="虚构资产管理公司")
    assert values.names == ()
    assert mask_private_values("虚构资产管理公司的人打来", values) == "虚构资产管理公司的人打来"


def test_private_values_never_remove_amounts_that_merely_share_digits() -> None:
    values = PrivateValues.of(contact_phone="13800138000", loan_reference="3200")
    text = "借了3200元，138元的服务费，8000块"
    assert mask_private_values(text, values) == text

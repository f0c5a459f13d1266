"""The redaction corpus, its tests and the detector name no real lender: test data is fictional."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).parents[3]
#: Well-known real Chinese lenders, lending products, platforms and companies. This guard is the
#: only place they may be written: never beside an invented complaint, nor hard-coded in the detector.
REAL_NAMES = (
    "京东",
    "金条",
    "白条",
    "借呗",
    "花呗",
    "蚂蚁",
    "网商贷",
    "支付宝",
    "淘宝",
    "天猫",
    "阿里",
    "美团",
    "微粒贷",
    "微众",
    "腾讯",
    "度小满",
    "有钱花",
    "百度",
    "分期乐",
    "乐信",
    "拍拍贷",
    "360借条",
    "360借",
    "奇富",
    "安逸花",
    "马上消费",
    "招联",
    "好期贷",
    "洋钱罐",
    "小赢卡贷",
    "还呗",
    "省呗",
    "桔子分期",
    "宜人贷",
    "你我贷",
    "捷信",
    "平安普惠",
    "平安银行",
    "众安",
    "放心借",
    "榕树贷款",
    "来分期",
    "金豆花",
    "时光分期",
    "小花钱包",
    "借钱呗",
    "乐享借",
    "信用飞",
    "好分期",
    "玖富",
    "苏宁",
    "任性付",
    "拿去花",
    "携程",
    "抖音",
    "放心花",
    "拼多多",
    "华为",
    "Jingdong",
    "JD.com",
    "Alipay",
    "Huabei",
    "Jiebei",
    "Ant Group",
    "WeBank",
    "Meituan",
    "Weilidai",
    "Baidu",
    "Duxiaoman",
    "Fenqile",
    "LexinFintech",
    "PPDai",
    "Home Credit",
    "Qifu",
    "360 Jietiao",
)
CHECKED_FILES = (
    "tests/data/redaction_corpus.jsonl",
    "tests/data/make_redaction_corpus.py",
    "tests/data/redaction_forms_corpus.jsonl",
    "tests/data/make_redaction_forms_corpus.py",
    "tests/redaction_scoring.py",
    "tests/unit/publication/test_redaction.py",
    "complaints/publication/redaction.py",
    "complaints/publication/names.py",
    "complaints/publication/numerals.py",
    "complaints/publication/places.py",
    "complaints/publication/private_values.py",
    "bench/redaction_report.py",
)


@pytest.mark.parametrize("path", CHECKED_FILES)
def test_no_real_lender_or_platform_is_named(path: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8").lower()
    named = [name for name in REAL_NAMES if name.lower() in text]
    assert named == [], f"{path} names real companies {named}: use invented ones (虚构速贷, 青禾钱包 …)"

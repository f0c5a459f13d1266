"""Type-ahead over names, aliases and pinyin; a typed name links only a verified platform, never makes one."""

from complaints.directory.lookup import (
    find_platform_by_name,
    link_reported_platform,
    pinyin_keys,
    refresh_search_text,
    search_platforms,
)
from complaints.extensions import db
from complaints.models import Platform, PlatformAlias
from tests.factories import PlatformFactory


def test_pinyin_keys_give_full_spelling_and_initials() -> None:
    assert pinyin_keys("小禾钱包") == ["xiaoheqianbao", "xhqb"]


def test_typing_initials_or_pinyin_finds_the_chinese_name() -> None:
    platform = PlatformFactory(name_zh="小禾钱包", name_en="Xiaohe Wallet")
    PlatformFactory(name_zh="大树分期", name_en="Big Tree Installments")
    for query in ("xhqb", "xiaohe", "小禾", "wallet", "XHQB"):
        assert search_platforms(query) == [platform], query


def test_aliases_are_searchable_and_resolve_to_their_platform() -> None:
    platform = PlatformFactory(name_zh="月光分期")
    platform.aliases.append(PlatformAlias(alias="月光商城App"))
    refresh_search_text(platform)
    db.session.commit()
    assert search_platforms("商城app") == [platform]
    assert find_platform_by_name("月光商城app") == platform


def test_a_typed_name_links_the_verified_platform_it_names_and_nothing_else() -> None:
    known = PlatformFactory(name_zh="虚构 速借")
    PlatformFactory(name_zh="未核实虚构平台", verified=False)
    assert link_reported_platform("  虚构  速借  ") == known
    assert link_reported_platform("未核实虚构平台") is None
    assert link_reported_platform("张伟 13800138000") is None
    assert db.session.query(Platform).count() == 2


def test_a_merged_platform_resolves_to_the_one_it_was_merged_into() -> None:
    target = PlatformFactory(name_zh="合并目标")
    old = PlatformFactory(name_zh="旧名字", merged_into_id=None)
    old.merged_into_id = target.id
    db.session.commit()
    assert find_platform_by_name("旧名字") == target
    assert search_platforms("旧名字") == []


def test_percent_and_underscore_in_a_query_are_literal() -> None:
    PlatformFactory(name_zh="百分百贷")
    assert search_platforms("%") == []
    assert search_platforms("_") == []

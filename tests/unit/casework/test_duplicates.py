"""Near-duplicate narratives: bulk-written copies match, different stories do not."""

from __future__ import annotations

from complaints.casework.duplicates import SIMILARITY, narrative_similarity, suggest_duplicates
from tests.factories import ComplaintFactory, PlatformFactory

TEMPLATE = (
    "本人于2026年在虚构速贷借款，逾期后催收人员每天拨打几十个电话，辱骂本人并联系我的家人和同事，要求监管部门依法处理。"
)


def test_a_copied_template_with_small_edits_is_near_identical() -> None:
    edited = TEMPLATE.replace("几十个", "三十多个").replace("家人", "父母")
    assert narrative_similarity(TEMPLATE, edited) >= SIMILARITY
    assert narrative_similarity(TEMPLATE, TEMPLATE.replace("，", " , ")) == 1.0


def test_different_stories_are_not_similar() -> None:
    other = "催收员冒充法院工作人员，给我发了伪造的传票，说明天就来抓人。"
    assert narrative_similarity(TEMPLATE, other) < SIMILARITY
    assert narrative_similarity("", TEMPLATE) == 0.0


def test_narratives_are_compared_across_platforms_however_spelled() -> None:
    """Agents spell the platform anew to escape a per-platform comparison: the story still matches."""
    platform = PlatformFactory()
    complaint = ComplaintFactory(platform=platform, narrative=TEMPLATE)
    same_platform = ComplaintFactory(platform=platform, narrative=TEMPLATE.replace("几十个", "三十多个"))
    elsewhere = ComplaintFactory(narrative=TEMPLATE.replace("虚构速贷", "XuGouSuDai"))
    unrelated = ComplaintFactory(
        platform=platform, narrative="催收员冒充法院工作人员，给我发了伪造的传票，说明天就来抓人。"
    )
    found = {s.complaint.id: s.reasons for s in suggest_duplicates(complaint)}
    assert found == {same_platform.id: ["narrative"], elsewhere.id: ["narrative"]}
    assert unrelated.id not in found

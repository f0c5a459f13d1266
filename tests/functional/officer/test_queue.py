"""The queue: counts, filters, Chinese search, keyset pages, markers and bulk assignment."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, select

from complaints.casework import queue as queue_service
from complaints.extensions import db
from complaints.models import CaseEvent, Complaint, Platform, Referral
from tests.factories import CollectorFactory, ComplaintFactory, EvidenceFactory, PlatformFactory
from tests.factories_officer import make_officer, sign_in


def _refs(client: FlaskClient, query: str = "") -> list[str]:
    page = client.get("/officer/" + query).get_data(as_text=True)
    return re.findall(r'class="ref">(CW-\d{4}-\d{6})<', page)


def test_the_queue_counts_complaints_per_status(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    ComplaintFactory.create_batch(2)
    ComplaintFactory(status="accepted")
    page = en_client.get("/officer/").get_data(as_text=True)
    assert re.search(r"Submitted <span class=\"count\">2<", page)
    assert re.search(r"Accepted <span class=\"count\">1<", page)


def test_filters_narrow_the_queue(en_client: FlaskClient) -> None:
    me = make_officer()
    sign_in(en_client, me)
    platform = PlatformFactory(name_zh="虚构速贷")
    mine = ComplaintFactory(platform=platform, severity="urgent", province="11", assignee_id=me.id)
    evidenced = ComplaintFactory(codes=["THR-01"], province="31")
    EvidenceFactory(complaint=evidenced)
    old = ComplaintFactory(submitted_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    assert _refs(en_client, f"?platform={platform.id}") == [mine.reference]
    assert _refs(en_client, "?severity=urgent") == [mine.reference]
    assert _refs(en_client, "?assignee=me") == [mine.reference]
    assert mine.reference not in _refs(en_client, "?assignee=none")
    assert _refs(en_client, "?code=THR-01") == [evidenced.reference]
    assert _refs(en_client, "?evidence=1") == [evidenced.reference]
    assert _refs(en_client, "?province=31") == [evidenced.reference]
    assert _refs(en_client, "?from=2026-01-01&to=2026-01-31") == [old.reference]


def test_search_finds_a_two_character_chinese_name_and_a_reference(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    named = ComplaintFactory(narrative="一个自称张伟的人每天打电话。")
    other = ComplaintFactory(narrative="催收人员辱骂我。")
    assert _refs(en_client, "?q=张伟") == [named.reference]
    assert _refs(en_client, f"?q={other.reference}") == [other.reference]
    assert _refs(en_client, "?q=100%25") == []


def test_pages_continue_after_the_last_row_without_gaps_or_repeats(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    base = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    made = [ComplaintFactory(submitted_at=base + dt.timedelta(minutes=n // 2)) for n in range(120)]
    seen: list[str] = []
    url = "/officer/?sort=oldest"
    while url:
        page = en_client.get(url).get_data(as_text=True)
        seen += re.findall(r'class="ref">(CW-\d{4}-\d{6})<', page)
        found = re.search(r'href="([^"]+)" rel="next"', page)
        url = found.group(1).replace("&amp;", "&") if found else ""
    assert seen == [c.reference for c in sorted(made, key=lambda c: (c.submitted_at, c.id))]


def test_overdue_referrals_and_old_complaints_are_marked(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    late = ComplaintFactory(status="referred")
    db.session.add(
        Referral(
            complaint_id=late.id,
            regulator_code="SAMR",
            channel="hotline",
            sent_on=dt.date(2026, 1, 1),
            due_on=dt.date(2026, 1, 16),
        )
    )
    db.session.commit()
    ComplaintFactory(submitted_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    page = en_client.get("/officer/").get_data(as_text=True)
    assert "Referral overdue" in page and "age-old" in page
    assert _refs(en_client, "?overdue=1") == [late.reference]


def test_bulk_assignment_assigns_each_ticked_complaint_and_records_it(en_client: FlaskClient) -> None:
    me = make_officer()
    colleague = make_officer("colleague@example.test")
    sign_in(en_client, me)
    first, second, untouched = ComplaintFactory.create_batch(3)
    response = en_client.post(
        "/officer/queue/assign",
        data={
            "complaint_ids": [str(first.id), str(second.id)],
            "assignee": str(colleague.id),
            "next": "/officer/?status=open",
        },
    )
    assert response.status_code == 303 and response.headers["Location"] == "/officer/?status=open"
    db.session.expire_all()
    assert [c.assignee_id for c in db.session.scalars(select(Complaint).order_by(Complaint.id))] == [
        colleague.id,
        colleague.id,
        None,
    ]
    assert db.session.query(CaseEvent).filter_by(kind="assigned").count() == 2
    assert untouched.assignee_id is None


def test_the_queue_filtered_on_the_601st_platform_shows_it_chosen(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    platforms = [
        Platform(name_zh=f"虚构平台{n:04d}", name_en="", kind="lending_app", verified=True) for n in range(601)
    ]
    db.session.add_all(platforms)
    db.session.commit()
    last = platforms[-1]
    page = en_client.get(f"/officer/?platform={last.id}").get_data(as_text=True)
    assert f'value="虚构平台0600 #{last.id}"' in page
    assert _refs(en_client, f"?platform={last.id}") == []


def test_the_queue_filter_names_no_platform_list_however_large_the_directory(en_client: FlaskClient) -> None:
    """The platform and collector filters are type-ahead fields: the page never lists the directory."""
    sign_in(en_client, make_officer())
    db.session.add_all(
        Platform(name_zh=f"虚构平台{n:04d}", name_en="", kind="lending_app", verified=True) for n in range(700)
    )
    db.session.commit()
    page = en_client.get("/officer/").get_data(as_text=True)
    assert "虚构平台0000" not in page
    assert "虚构平台0699" not in page
    assert 'data-suggest-url="/officer/suggest/platforms"' in page
    assert 'data-suggest-url="/officer/suggest/collectors"' in page


def test_the_queue_filters_on_a_platform_typed_as_its_label_or_its_name(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    platform = PlatformFactory(name_zh="虚构分期宝")
    collector = CollectorFactory(name="虚构远方催收")
    mine = ComplaintFactory(platform=platform, collector=collector)
    ComplaintFactory()
    assert _refs(en_client, f"?platform=虚构分期宝 %23{platform.id}") == [mine.reference]
    assert _refs(en_client, "?platform=虚构分期宝") == [mine.reference]
    assert _refs(en_client, f"?collector=虚构远方催收 %23{collector.id}") == [mine.reference]
    assert _refs(en_client, "?collector=虚构远方催收") == [mine.reference]


def test_a_platform_filter_that_names_nothing_says_so_and_lists_nothing(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    ComplaintFactory()
    page = en_client.get("/officer/?platform=没有这个平台").get_data(as_text=True)
    assert "No platform matches “没有这个平台”." in page
    assert re.findall(r'class="ref">(CW-\d{4}-\d{6})<', page) == []
    assert 'value="没有这个平台"' in page


def test_a_platform_number_in_other_digits_is_not_a_number(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    platform = PlatformFactory(name_zh="虚构全角")
    ComplaintFactory(platform=platform)
    fullwidth = "".join(chr(ord(d) - ord("0") + ord("０")) for d in str(platform.id))
    assert _refs(en_client, f"?platform={fullwidth}") == []


_LONG_NARRATIVE = (
    "催收人员自称是某某法务部的张经理，从三月起每天早上八点到晚上十一点反复打电话给我和我的父母，"
    "还把我的照片和身份证号码发到我公司的同事群里，说我诈骗，要求我三天内还清全部欠款和所谓的违约金，"
    "否则就上门找我家人。"
)


def test_a_hundred_character_search_reads_a_bounded_number_of_index_pieces(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    named = ComplaintFactory(narrative=_LONG_NARRATIVE)
    ComplaintFactory(narrative="催收人员辱骂我。")
    search = _LONG_NARRATIVE[:100]
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        found = _refs(en_client, "?" + urlencode({"q": search}))
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert found == [named.reference]
    # One look-up per two-character piece made a 100-character search 99 statements, and one
    # EXISTS per piece made PostgreSQL plan (and JIT-compile) a 99-way query: seconds at 50 k.
    index_reads = [s for s in statements if "narrative_terms" in s]
    assert len(index_reads) <= 10
    assert max(s.count("FROM narrative_terms") for s in index_reads) <= 4


def test_a_search_longer_than_the_limit_says_so_and_keeps_what_was_typed(en_client: FlaskClient) -> None:
    sign_in(en_client, make_officer())
    ComplaintFactory(narrative=_LONG_NARRATIVE)
    typed = _LONG_NARRATIVE[:101]
    page = en_client.get("/officer/?" + urlencode({"q": typed})).get_data(as_text=True)
    assert "Search for at most 100 characters" in page
    assert f'value="{typed}"' in page
    assert _refs(en_client, "?" + urlencode({"q": typed})) == []


def test_a_search_whose_pieces_are_everywhere_examines_a_bounded_number_of_complaints(
    en_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(en_client, make_officer())
    monkeypatch.setattr(queue_service, "MAX_EXAMINED", 4)
    # Every piece of the search is in these narratives, but never the whole text.
    for _ in range(6):
        ComplaintFactory(narrative="张伟打电话。打电话的是张伟。")
    wanted = ComplaintFactory(narrative="张伟打电话的")
    wanted.submitted_at = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    db.session.commit()
    page = en_client.get("/officer/?" + urlencode({"q": "张伟打电话的"})).get_data(as_text=True)
    assert re.findall(r'class="ref">(CW-\d{4}-\d{6})<', page) == []
    assert "Only part of the queue was searched" in page
    found = re.search(r'href="([^"]+)" rel="next"', page)
    assert found
    following = en_client.get(found.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert wanted.reference in following

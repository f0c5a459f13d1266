"""Recall and false positives of the campaign links, on a corpus written for them (tests/data/campaign_corpus.py).

Every filing of the corpus becomes a complaint in the real database (narratives encrypted, band
codes written by the model), and `suggest_duplicates` is asked for each one's campaign links:
a batch member must be tied to its batch, a genuine complaint that shares only the collector's
number must be tied to nothing.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from complaints.casework.duplicates import suggest_duplicates
from complaints.extensions import db
from complaints.models import Complaint
from tests.data import campaign_corpus
from tests.factories import ComplaintFactory, EvidenceFactory, PlatformFactory


def _file(corpus: list[campaign_corpus.Filing]) -> dict[int, campaign_corpus.Filing]:
    platforms = {}
    filed = {}
    for filing in corpus:
        if filing.platform not in platforms:
            platforms[filing.platform] = PlatformFactory(name_zh=filing.platform)
        complaint = ComplaintFactory(
            platform=platforms[filing.platform],
            narrative=filing.narrative,
            contact_phone=filing.contact_phone,
            phones=filing.reported_phones,
        )
        for digest in filing.evidence:
            EvidenceFactory(complaint=complaint, sha256=digest, storage_key=f"{digest}-{complaint.id}")
        filed[complaint.id] = filing
    db.session.commit()
    return filed


def _links(filed: dict[int, campaign_corpus.Filing]) -> dict[int, set[int]]:
    links: dict[int, set[int]] = defaultdict(set)
    for complaint_id in filed:
        complaint = db.session.get(Complaint, complaint_id)
        assert complaint is not None
        for suggestion in suggest_duplicates(complaint):
            if suggestion.campaign_link:
                links[complaint_id].add(suggestion.complaint.id)
                links[suggestion.complaint.id].add(complaint_id)
    return links


def _components(ids: list[int], links: dict[int, set[int]]) -> dict[int, int]:
    component: dict[int, int] = {}
    for start in ids:
        if start in component:
            continue
        stack = [start]
        while stack:
            node = stack.pop()
            if node in component:
                continue
            component[node] = start
            stack.extend(links[node] - component.keys())
    return component


@pytest.fixture
def corpus_links() -> tuple[dict[int, campaign_corpus.Filing], dict[int, set[int]]]:
    filed = _file(campaign_corpus.build())
    return filed, _links(filed)


def test_batch_members_are_tied_to_their_batch_and_genuine_complaints_to_nothing(
    corpus_links: tuple[dict[int, campaign_corpus.Filing], dict[int, set[int]]],
) -> None:
    filed, links = corpus_links
    component = _components(list(filed), links)
    report = []
    for group in ("campaign-zh", "campaign-en"):
        members = [i for i, f in filed.items() if f.group == group]
        sizes: dict[int, int] = defaultdict(int)
        for member in members:
            sizes[component[member]] += 1
        main = max(sizes, key=lambda root: sizes[root])
        in_batch = [m for m in members if component[m] == main]
        recall = len(in_batch) / len(members)
        outside = [i for i in links[members[0]] if filed[i].group != group]
        report.append(f"{group}: {len(in_batch)}/{len(members)} in one cluster (recall {recall:.0%})")
        assert recall >= 0.95, (group, sorted(filed[m].key for m in members if component[m] != main))
        assert outside == []
        for evasion in {f.evasion for f in filed.values() if f.group == group}:
            found = [m for m in members if filed[m].evasion == evasion and component[m] == main]
            total = [m for m in members if filed[m].evasion == evasion]
            report.append(f"  {evasion}: {len(found)}/{len(total)}")
    genuine = [i for i, f in filed.items() if f.group == "genuine"]
    tied = [i for i in genuine if links[i]]
    false_positive = len(tied) / len(genuine)
    report.append(f"genuine tied to another complaint: {len(tied)}/{len(genuine)} ({false_positive:.0%})")
    print("\n".join(report))  # the figures the note reports (pytest -s)
    assert false_positive <= 0.05, sorted(filed[i].key for i in tied)


def test_the_collectors_number_alone_is_suggested_but_is_no_campaign_link(
    corpus_links: tuple[dict[int, campaign_corpus.Filing], dict[int, set[int]]],
) -> None:
    filed, _links_found = corpus_links
    genuine = next(i for i, f in filed.items() if f.group == "genuine")
    complaint = db.session.get(Complaint, genuine)
    assert complaint is not None
    suggestions = suggest_duplicates(complaint)
    assert suggestions, "the shared collector's number is still worth showing"
    assert all(s.reasons == ["phone"] and not s.campaign_link for s in suggestions)

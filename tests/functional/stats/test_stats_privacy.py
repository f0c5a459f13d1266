"""Property: whatever the complaints, no public output (page, CSV, JSON) shows a small count, lets a
hidden count be worked out from a total, or carries a private field or an unapproved narrative."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
from collections import Counter
from typing import Any

from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaints.casework import platform_loop
from complaints.casework.lifecycle import Action, apply_transition
from complaints.extensions import db, limiter
from complaints.models import Complaint, Officer, Resolution
from tests.conftest import _clean_database
from tests.factories import CollectorFactory, PlatformFactory
from tests.factories_officer import make_officer, make_responder
from tests.factories_stats import accepted_complaint, refer

K = 5
SECRETS = (
    "张秘密",
    "+8613912345678",
    "secret@example.test",
    "LOAN-SECRET-77",
    "PRIVATE-NARRATIVE",
    "CW-2026-",
    "TEST-CODE-0000",
    "$argon2",
)
APPROVED = "APPROVED-REDACTED-TEXT"
#: What a collector knows of his own victims: the complaint dataset's quasi-identifier columns.
QUASI_IDENTIFIERS = (
    "month_received",
    "province",
    "platform_id",
    "collector_id",
    "collector_kind",
    "violation_codes",
    "channels",
    "stage",
    # what the platform knows of the complaints it was sent (issue 15)
    "platform_response",
    "timely_response",
    "consumer_review",
)
#: What happened between each complaint and its platform before its fate.
LOOP = ("not_sent", "sent", "overdue", "monetary_relief", "explanation", "in_progress", "not_our_customer", "disputed")

complaint_spec = st.fixed_dictionaries(
    {
        "platform": st.integers(0, 2),
        "collector": st.integers(-1, 1),
        "codes": st.lists(st.sampled_from(["THR-01", "ABU-01", "TP-02"]), min_size=1, max_size=2, unique=True),
        "month": st.integers(1, 3),
        "province": st.sampled_from(["11", "44", ""]),
        "fate": st.sampled_from(["accepted", "accepted", "referred", "withdrawn", "duplicate", "closed"]),
        "publish": st.sampled_from(["no", "pending", "approved"]),
        "loop": st.sampled_from(LOOP),
    }
)


def platform_loop_for(complaint: Complaint, step: str, officer: Officer, responders: dict[int, Officer]) -> None:
    """Send the accepted complaint to its platform and let the platform (and the consumer) answer as `step` says."""
    if step == "not_sent":
        return
    platform_loop.send(complaint, by=officer)
    if step == "overdue":  # sent long ago and never answered
        complaint.platform_answer_due_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    elif step != "sent":
        kind = "non_monetary_relief" if step == "disputed" else step
        platform_loop.respond(complaint, responders[complaint.platform_id], kind, "我们已核实并停止了催收。")
        if step == "disputed":
            platform_loop.review(complaint, "disputed", "答复没有解决问题，催收仍在继续。")
    db.session.commit()


def build_world(specs: list[dict[str, object]]) -> tuple[list[int], list[int]]:
    platforms = [PlatformFactory() for _ in range(3)]
    collectors = [CollectorFactory() for _ in range(2)]
    officer = make_officer("privacy-loop@example.test")
    responders = {p.id: make_responder(p.id, f"responder{p.id}@example.org") for p in platforms}
    for spec in specs:
        collector = collectors[spec["collector"]] if spec["collector"] >= 0 else None  # type: ignore[operator,index]
        complaint = accepted_complaint(
            submitted=dt.datetime(2026, spec["month"], 10, tzinfo=dt.UTC),  # type: ignore[arg-type]
            platform=platforms[spec["platform"]],  # type: ignore[index]
            collector=collector,
            codes=spec["codes"],
            province=spec["province"],
            contact_name="张秘密",
            contact_phone="+8613912345678",
            contact_email="secret@example.test",
            loan_reference="LOAN-SECRET-77",
            narrative="PRIVATE-NARRATIVE 我的故事",
            consent_publish=spec["publish"] != "no",
            publication_status={"no": "not_consented", "pending": "pending", "approved": "approved"}[spec["publish"]],  # type: ignore[index]
            narrative_redacted=APPROVED if spec["publish"] == "approved" else "PRIVATE-NARRATIVE redacted draft",
        )
        platform_loop_for(complaint, spec["loop"], officer, responders)  # type: ignore[arg-type]
        fate = spec["fate"]
        if fate == "referred":
            refer(complaint)
        elif fate == "withdrawn":
            apply_transition(complaint, Action.WITHDRAW)
        elif fate == "duplicate":
            apply_transition(complaint, Action.MARK_DUPLICATE)
        elif fate == "closed":
            apply_transition(complaint, Action.CLOSE, resolution=Resolution.RESOLVED)
        db.session.commit()
    return [p.id for p in platforms], [c.id for c in collectors] + [-1]


def small(value: int) -> bool:
    return 0 < value < K


def recoverable(line: list[dict[str, object]], total: int) -> bool:
    """Brute force over the public's knowledge: can one hidden member be pinned by the total?"""
    hidden = [m for m in line if m["count"] is None]
    if not hidden:
        return False
    rest = total - sum(int(m["count"]) for m in line if m["count"] is not None)  # type: ignore[call-overload]
    ranges = [
        range(1, K)
        if m["suppressed"] == "primary"
        else range(0, max(0, rest) + 1)
        if m["suppressed"] == "withheld"
        else range(K, max(K, rest) + 1)
        for m in hidden
    ]
    solutions = [combo for combo in itertools.product(*ranges) if sum(combo) == rest]
    return any(len({s[i] for s in solutions}) == 1 for i in range(len(hidden)))


def check_json_counts(payload: object) -> None:
    if isinstance(payload, dict):
        if isinstance(payload.get("count"), int):
            assert not small(payload["count"]), payload
        for value in payload.values():
            check_json_counts(value)
    elif isinstance(payload, list):
        for value in payload:
            check_json_counts(value)


#: The lines of a platform's answer figures: members that add up to a total (`statistics.answers.LINES`).
ANSWER_LINES = (
    (("in_time", "not_in_time", "not_due"), "sent"),
    (("monetary", "non_monetary", "explanation", "not_customer", "in_progress", "no_answer"), "sent"),
    (("monetary", "non_monetary", "explanation"), "reviewable"),
    (("settled", "disputed", "not_reviewed"), "reviewable"),
)


def check_answer_lines(payload: dict[str, Any], url: str) -> None:
    """No hidden answer count can be worked out from a visible total, nor a hidden total from its members,
    nor the complaints not sent from the platform's total and the complaints sent."""
    cells, total = payload["answers"]["counts"], payload["complaints"]["count"]
    sent = cells["sent"]["count"]
    if total is not None and sent is not None:
        assert not small(total - sent), (url, total, sent)
    for members, whole in ANSWER_LINES:
        line = [cells[m] for m in members]
        if cells[whole]["count"] is not None:
            assert not recoverable(line, cells[whole]["count"]), (url, whole)
        elif cells[whole]["suppressed"] != "withheld":
            assert any(c["count"] is None and c["suppressed"] != "withheld" for c in line), (url, whole)


def check_private(text: str, where: str, narratives_allowed: bool = False) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret} leaked in {where}"
    if not narratives_allowed:
        assert APPROVED not in text, where


def fetch(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(complaint_spec, min_size=0, max_size=24))
def test_public_outputs_never_show_small_counts_recoverable_cells_or_private_fields(
    client: FlaskClient, specs: list[dict[str, object]]
) -> None:
    _clean_database()
    limiter.reset()
    platforms, collectors = build_world(specs)
    periods = ["all", "2026", "2026-Q1", "2026-02"]
    api_urls = [f"/api/v1/platforms?period={p}" for p in periods]
    for period in periods[:2]:
        api_urls += [f"/api/v1/platforms/{p}?period={period}" for p in platforms]
        api_urls += [f"/api/v1/collectors/{c}?period={period}" for c in collectors]
        api_urls += [f"/api/v1/violations/{c}?period={period}" for c in ("THR-01", "ABU-01", "TP-02")]
    for url in api_urls:
        text = fetch(client, url)
        check_private(text, url)
        payload = json.loads(text)
        check_json_counts(payload)
        if "platforms" in payload and payload["complaints"]["count"] is not None:
            assert not recoverable(payload["platforms"], payload["complaints"]["count"]), url
        if "breakdowns" in payload and payload["complaints"]["count"] is not None:
            for name in ("by_collector", "by_platform", "by_province", "by_month"):
                line = payload["breakdowns"].get(name)
                if line is not None:
                    assert not recoverable(line, payload["complaints"]["count"]), (url, name)
        if "answers" in payload:
            check_answer_lines(payload, url)
    pages = ["/statistics/?period=all", "/statistics/?period=2026-02"]
    pages += [f"/statistics/platform/{p}" for p in platforms] + [f"/statistics/collector/{c}" for c in collectors]
    pages += [f"/statistics/violation/{c}" for c in ("THR-01", "TP-02")]
    for url in pages:
        text = fetch(client, url)
        check_private(text, url)
        for number in re.findall(
            r'<(?:td class="num (?:count|evidence)"|(?:span|dd|strong) class="(?:evidence|count)")>([\d,]+)</',
            text,
        ):
            number = number.replace(",", "")
            assert not small(int(number)), (url, number)
    csvs = [
        "/statistics/platforms.csv",
        "/statistics/data/counts-platform.csv?every=month",
        "/statistics/data/counts-collector.csv",
        "/statistics/data/counts-province.csv?every=quarter",
    ]
    csvs += [f"/statistics/platform/{platforms[0]}/{t}.csv" for t in ("by_collector", "by_month", "by_province")]
    csvs += [f"/statistics/platform/{p}/answers.csv" for p in platforms]
    for url in csvs:
        text = fetch(client, url)
        check_private(text, url)
        for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
            value = row.get("complaints", "")
            assert not (value.isdigit() and small(int(value))), (url, row)
    dataset = fetch(client, "/statistics/data/complaints.csv")
    check_private(dataset, "complaints.csv", narratives_allowed=True)
    rows = list(csv.DictReader(io.StringIO(dataset.lstrip("\ufeff"))))
    public = [s for s in specs if s["fate"] not in ("withdrawn", "duplicate")]
    # every public complaint is published, generalised as needed, unless fewer than k share its year
    assert len(rows) == (len(public) if len(public) >= K else 0)
    combinations = Counter(tuple(r[c] for c in QUASI_IDENTIFIERS) for r in rows)
    assert all(n >= K for n in combinations.values()), combinations
    # an approved narrative is published where its platform is (a narrative names it), and only there
    shown = [r for r in rows if r["narrative_redacted"] == APPROVED]
    assert all(r["platform_id"] != "*" for r in shown)
    if rows and all(r["platform_id"] != "*" for r in rows):
        assert len(shown) == sum(1 for s in public if s["publish"] == "approved")

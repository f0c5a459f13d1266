"""Property: whatever consumers type and however officers triage, no public output names a typed
platform or collector, carries a planted private value, or shows a count from 1 to k−1 (issue 10).

Complaints are filed through the real form with random consumer-typed platform and collector names
(a private person's name and phone number, as people really do) and narratives with the
complaint's own contact details planted in them (the phone also in Chinese, financial or full-width
numerals, or spaced); officers then triage them with random actions
(link a verified platform, add one, try to accept with none, reject, ask for information, leave
them); some narratives are approved for publication as the automatic redaction left them. Then
every public GET route of the URL map is read for every id that exists (and for ids that do not),
with every CSV, every API answer and every file `flask build-datasets` wrote.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from complaints.casework import triage
from complaints.errors import DomainError
from complaints.extensions import db, limiter
from complaints.models import Collector, Complaint, Platform, Resolution
from complaints.publication import review
from complaints.statistics.datapackage import datasets_dir
from tests.conftest import _clean_database
from tests.factories import CollectorFactory, PlatformFactory
from tests.factories_officer import make_officer
from tests.functional.helpers import post_complaint, valid_form
from tests.functional.stats.test_stats_privacy import check_json_counts, small

#: Fictional private persons a consumer might type where the platform or collector goes.
PEOPLE = ("邬秘芳", "甄隐华", "覃私明", "阙密强", "Zhen Yinhua")
VERIFIED = ("虚构白杨分期", "虚构青松钱包")
CODES = ("THR-01", "ABU-01", "TP-02")

filing = st.fixed_dictionaries(
    {
        "person": st.sampled_from(PEOPLE),
        "phone": st.from_regex(r"1(3[0-9]|5[0-35-9]|8[0-9])[0-9]{8}", fullmatch=True),
        "collector_person": st.sampled_from(PEOPLE),
        "form": st.sampled_from(["name phone", "phone only", "name only"]),
        "codes": st.lists(st.sampled_from(CODES), min_size=1, max_size=2, unique=True),
        "consent": st.booleans(),
        "action": st.sampled_from(["link", "link", "add", "none", "reject", "needs_info", "leave"]),
        "chosen": st.integers(0, len(VERIFIED) - 1),
        "publish": st.booleans(),
    }
)


def _typed(spec: dict[str, Any]) -> str:
    return {
        "name phone": f"{spec['person']} {spec['phone']}",
        "phone only": spec["phone"],
        "name only": spec["person"],
    }[spec["form"]]


#: How people write a phone number's digits besides ASCII: Chinese numerals (幺 for one), financial forms, full width.
_WRITTEN = (
    str.maketrans("0123456789", "零幺二三四五六七八九"),
    str.maketrans("0123456789", "零壹贰叁肆伍陆柒捌玖"),
    str.maketrans("0123456789", "０１２３４５６７８９"),
)


def written_forms(number: str) -> list[str]:
    """A number as the narrative plants it: in numerals, in financial numerals, full width, and spaced 3-4-4."""
    return [number.translate(table) for table in _WRITTEN] + [f"{number[:3]} {number[3:7]} {number[7:]}"]


def _file(client: FlaskClient, spec: dict[str, Any], n: int) -> tuple[Complaint, list[str]]:
    phone = spec["phone"]
    email = f"hidden{n}.{phone}@example.org"
    other_forms = written_forms(phone)
    secrets = [_typed(spec), phone, email, f"LN-SECRET-{phone}", *other_forms]
    data = valid_form(
        platform=_typed(spec),
        collector_name=f"{spec['collector_person']}{n}",
        violations=spec["codes"],
        primary_violation=spec["codes"][0],
        narrative=(
            f"催收员打到我的手机{phone}，又发邮件到{email}，说借款{secrets[3]}逾期。"
            f"他们还记下了我的号码{other_forms[n % len(other_forms)]}，天天打。"
        ),
        loan_reference=secrets[3],
        contact_name=spec["person"],
        contact_phone=phone,
        contact_email=email,
        consent_publish="y" if spec["consent"] else "",
    )
    if not spec["consent"]:
        del data["consent_publish"]
    limiter.reset()
    assert post_complaint(client, data).status_code == 303
    complaint = db.session.scalars(select(Complaint).order_by(Complaint.id.desc())).first()
    assert complaint is not None and complaint.platform_id is None, "a typed name made or linked an entry"
    secrets.append(f"{spec['collector_person']}{n}")
    return complaint, secrets


def _triage(complaint: Complaint, spec: dict[str, Any], officer: Any, verified: list[Platform], n: int) -> None:
    action = spec["action"]
    decision = triage.TriageDecision(codes=spec["codes"], primary_code=spec["codes"][0])
    if action == "link":
        decision.platform_id = verified[spec["chosen"]].id
    elif action == "add":
        decision.new_platform_name, decision.new_platform_kind = f"虚构核实平台{n}", "lending_app"
    if action in ("link", "add", "none"):
        try:
            with db.session.begin_nested():
                triage.accept(complaint, decision, by=officer)
        except DomainError:
            assert action == "none", "acceptance with a verified platform was refused"
        else:
            assert action != "none", "a complaint was accepted without a verified platform"
            if spec["publish"] and complaint.consent_publish:
                try:
                    with db.session.begin_nested():
                        review.approve(complaint, officer, review.preview(complaint))
                except DomainError:
                    event("approval refused")  # a detail the automatic pass left: nothing is published
                else:
                    event("narrative published")
    elif action == "reject":
        triage.reject(complaint, Resolution.REJECTED_SPAM, "spam", by=officer)
    elif action == "needs_info":
        triage.request_information(complaint, "请补充证据。", by=officer)
    db.session.commit()


def _urls(app: Flask) -> list[str]:
    """Every public GET route, with every id of the database and one past the last."""
    platforms = [*list(db.session.scalars(select(Platform.id))), 99999]
    collectors = [*list(db.session.scalars(select(Collector.id))), -1, 99999]
    tables = ("by_collector", "by_platform", "by_month", "by_province", "by_code", "answers")
    built = sorted(p.name for p in datasets_dir().iterdir()) if datasets_dir().exists() else []
    urls = ["/", "/rights", "/complaints/new", "/statistics/", "/statistics/data", "/statistics/data/dictionary"]
    urls += ["/statistics/platforms.csv", "/statistics/data/complaints.csv", "/statistics/data/datapackage.json"]
    urls += [f"/statistics/data/counts-{by}.csv" for by in ("platform", "collector", "province")]
    urls += ["/api/v1/platforms", "/api/v1/periods", "/api/v1/openapi.json"]
    urls += [f"/statistics/data/files/{name}" for name in built]
    for p in platforms:
        urls += [f"/statistics/platform/{p}", f"/api/v1/platforms/{p}", f"/statistics/data/complaints.csv?platform={p}"]
        urls += [f"/statistics/platform/{p}/{t}.csv" for t in tables]
    for c in collectors:
        urls += [
            f"/statistics/collector/{c}",
            f"/api/v1/collectors/{c}",
            f"/statistics/data/complaints.csv?collector={c}",
        ]
        urls += [f"/statistics/collector/{c}/{t}.csv" for t in tables]
    for code in CODES:
        urls += [f"/statistics/violation/{code}", f"/api/v1/violations/{code}"]
        urls += [f"/statistics/violation/{code}/{t}.csv" for t in tables]
    urls += [f"/platforms/suggest?q={q}" for q in ("1", "13", "邬", "甄", "覃", "阙", "zhen", "虚构")]
    public = {r.rule.split("<")[0] for r in app.url_map.iter_rules() if "GET" in r.methods}
    assert all(any(u.startswith(prefix) for prefix in public) for u in urls)
    return urls


def _check_counts(url: str, text: str) -> None:
    if url.startswith("/api/") or url.endswith(".json"):
        check_json_counts(json.loads(text))
    elif ".csv" in url:
        for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
            for column in ("complaints", "count"):
                value = row.get(column) or ""
                assert not (value.isdigit() and small(int(value))), (url, row)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(filing, min_size=1, max_size=8))
def test_no_public_output_names_what_consumers_typed_or_their_private_values(
    app: Flask, client: FlaskClient, specs: list[dict[str, Any]]
) -> None:
    _clean_database()
    verified = [PlatformFactory(name_zh=name, name_en="") for name in VERIFIED]
    CollectorFactory()
    officer = make_officer(email="boundary@example.test")
    secrets: list[str] = []
    for n, spec in enumerate(specs):
        complaint, planted = _file(client, spec, n)
        secrets += planted
        _triage(complaint, spec, officer, verified, n)
    assert db.session.scalar(select(func.count()).select_from(Platform).where(Platform.verified.is_(False))) == 0
    result = app.test_cli_runner().invoke(args=["build-datasets"])
    assert result.exit_code == 0, result.output
    for i, url in enumerate(_urls(app)):
        if i % 40 == 0:
            limiter.reset()  # the walk reads more pages than a visitor may in a minute
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        text = response.get_data(as_text=True)
        for secret in secrets:
            assert secret not in text, f"{secret!r} reached {url}"
        if response.status_code == 200:
            _check_counts(url, text)
    for path in Path(datasets_dir()).iterdir():
        content = path.read_text(encoding="utf-8", errors="replace")
        for secret in secrets:
            assert secret not in content, f"{secret!r} reached the dataset file {path.name}"

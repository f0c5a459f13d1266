"""Event kinds are one named type: every kind has its labels, and no caller names a kind with a bare string."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from complaints.audit.events import record_event, verify_chain
from complaints.core import labels
from complaints.extensions import db
from complaints.models import CaseEvent, EventKind
from complaints.officer.event_labels import EVENTS
from tests.mutation_testing import reads_the_source

ROOT = Path(__file__).resolve().parents[3]
#: The code that records events: the package, and the tests that record their own.
SOURCES = (ROOT / "complaints", ROOT / "tests")

#: The strings in ``case_events.kind`` before the enum existed; rows already stored hold these.
STORED_KINDS = {
    "submitted",
    "information_added",
    "status_changed",
    "message_to_complainant",
    "note",
    "assigned",
    "unassigned",
    "evidence_opened",
    "packet_viewed",
    "referral_updated",
    "sign_in",
    "sign_in_failed",
    "account_created",
    "account_enrolled",
    "password_changed",
    "totp_reset",
    "account_disabled",
    "account_enabled",
    "platform_updated",
    "platform_merged",
    "collector_updated",
    "collector_merged",
    "collector_linked",
    "regulator_updated",
    "routing_rule_added",
    "routing_rule_removed",
    "publication_approved",
    "publication_withheld",
    "publication_revoked",
    "publication_reopened",
    "publication_consent_withdrawn",
    "personal_data_purged",
    # The platform response loop (issue 15).
    "platform_sent",
    "platform_withheld",
    "platform_answered",
    "platform_complaint_opened",
    "consumer_reviewed",
    "outbox_read",
    "campaign_joined",
    "campaign_left",
    "agent_filed",
}


def record_event_calls() -> Iterator[tuple[Path, ast.Call]]:
    """Every call of ``record_event`` (by name or as an attribute) in the package and the tests."""
    for source in SOURCES:
        for path in sorted(source.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
                if isinstance(node, ast.Call):
                    name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                    if name == "record_event":
                        yield path, node


def kind_argument(call: ast.Call) -> ast.expr | None:
    """The expression a call passes as the kind: the first positional argument or ``kind=``."""
    if call.args:
        return call.args[0]
    return next((k.value for k in call.keywords if k.arg == "kind"), None)


def where(path: Path, call: ast.Call) -> str:
    return f"{path.relative_to(ROOT)}:{call.lineno}"


def named_members(expr: ast.expr) -> set[EventKind]:
    """The ``EventKind.X`` members an expression names (both branches of a conditional, say)."""
    return {
        EventKind[node.attr]
        for node in ast.walk(expr)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "EventKind"
    }


def shown_to_the_consumer(call: ast.Call) -> bool:
    """Whether a call may make its event visible on the consumer's status page."""
    flag = next((k.value for k in call.keywords if k.arg == "visible_to_complainant"), None)
    return flag is not None and not (isinstance(flag, ast.Constant) and flag.value is False)


def _is_other(node: ast.expr) -> bool:
    """A constant that is not a string (a number, None …) names no kind."""
    return isinstance(node, ast.Constant) and not isinstance(node.value, str)


def test_the_kinds_are_the_strings_already_stored() -> None:
    assert set(EventKind.values()) == STORED_KINDS
    assert all(isinstance(kind, str) and kind == kind.value for kind in EventKind)


def test_every_event_kind_has_an_officer_label_and_every_label_a_kind() -> None:
    assert set(EVENTS) == set(EventKind)


@reads_the_source
def test_every_kind_the_consumer_can_see_has_a_consumer_label() -> None:
    visible: set[EventKind] = set()
    unnamed = []
    for path, call in record_event_calls():
        if shown_to_the_consumer(call) and path.is_relative_to(ROOT / "complaints"):
            kind = kind_argument(call)
            members = named_members(kind) if kind is not None else set()
            visible |= members
            if not members:
                unnamed.append(where(path, call))
    assert unnamed == [], f"name the kind of a consumer-visible event as EventKind.X at {', '.join(unnamed)}"
    # The scan found the events the status page is known to show, so it is reading the calls.
    assert {EventKind.SUBMITTED, EventKind.STATUS_CHANGED, EventKind.MESSAGE_TO_COMPLAINANT} <= visible
    assert sorted(visible - set(labels.EVENT_KINDS)) == []


@reads_the_source
def test_no_record_event_call_names_its_kind_with_a_string() -> None:
    offenders = []
    for path, call in record_event_calls():
        kind = kind_argument(call)
        if kind is None:
            offenders.append(f"{where(path, call)} (no kind)")
            continue
        strings = [n for n in ast.walk(kind) if isinstance(n, ast.Constant | ast.JoinedStr) and not _is_other(n)]
        if strings:
            offenders.append(f"{where(path, call)}: {ast.unparse(kind)}")
    assert offenders == [], "pass an EventKind member, not a string: " + "; ".join(offenders)


def test_the_kinds_templates_compare_events_to_are_event_kinds() -> None:
    compared: dict[str, set[str]] = {}
    for template in sorted((ROOT / "templates").rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        found = set(re.findall(r"event\.kind\s*[!=]=\s*['\"](\w+)['\"]", text))
        for group in re.findall(r"event\.kind\s+(?:not\s+)?in\s*[(\[]([^)\]]*)[)\]]", text):
            found |= set(re.findall(r"['\"](\w+)['\"]", group))
        if found:
            compared[str(template.relative_to(ROOT))] = found
    # The status page's own comparisons were found, so the patterns read the templates.
    assert {"submitted", "information_added"} <= compared.get("templates/public/status.html", set())
    unknown = {name: sorted(kinds - set(EventKind.values())) for name, kinds in compared.items()}
    assert {name: kinds for name, kinds in unknown.items() if kinds} == {}


def test_record_event_refuses_a_string_that_is_no_event_kind() -> None:
    typo = "notes"
    with pytest.raises(ValueError, match="notes"):
        record_event(typo, data={"text": "x"})  # type: ignore[arg-type]
    assert db.session.scalar(select(func.count()).select_from(CaseEvent)) == 0


def test_a_recorded_kind_is_stored_and_read_back_as_its_plain_string() -> None:
    event = record_event(EventKind.NOTE, data={"text": "x"})
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(CaseEvent, event.id)
    assert stored is not None and stored.kind == "note" and type(stored.kind) is str
    assert verify_chain() == []

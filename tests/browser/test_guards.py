"""The browser tests' own guards can fail: another host, a CSP break and an axe violation are each caught."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.visit import Visit

pytestmark = pytest.mark.browser


def test_a_request_to_another_host_is_refused_and_reported(visit: Callable[..., Visit]) -> None:
    visitor = visit("desktop", "en-US")
    visitor.goto("/")
    with pytest.raises(PlaywrightError):
        visitor.page.goto("http://collector-tracker.example.test/pixel")
    assert any("another host" in problem for problem in visitor.problems), visitor.problems
    visitor.problems.clear()


def test_a_content_security_policy_violation_is_reported(visit: Callable[..., Visit]) -> None:
    visitor = visit("phone", "zh-CN")
    visitor.goto("/")
    # Chromium logs the refusal itself, then the page's securitypolicyviolation event is reported too.
    with visitor.page.expect_console_message(lambda message: "CSP violation" in message.text):
        visitor.page.evaluate(
            """() => {
              const img = document.createElement("img");
              img.src = "http://collector-tracker.example.test/pixel.png";
              img.alt = "";
              document.body.append(img);
            }"""
        )
    assert any("CSP violation: img-src" in problem for problem in visitor.problems), visitor.problems
    assert not any("another host" in problem for problem in visitor.problems), "CSP stopped it before any request"
    visitor.problems.clear()


def test_an_inline_script_is_refused_by_the_policy_and_reported(visit: Callable[..., Visit]) -> None:
    visitor = visit("desktop", "en-US")
    page = visitor.goto("/")
    with page.expect_console_message(lambda message: "CSP violation" in message.text):
        page.evaluate(
            """() => {
              const script = document.createElement("script");
              script.textContent = "document.title = 'injected'";
              document.body.append(script);
            }"""
        )
    assert page.title() != "injected", "the inline script did not run"
    assert any("CSP violation: script-src" in problem for problem in visitor.problems), visitor.problems
    visitor.problems.clear()


def test_the_pages_are_cross_origin_isolated(visit: Callable[..., Visit]) -> None:
    visitor = visit("phone", "zh-CN")
    page = visitor.goto("/")
    assert page.evaluate("() => window.crossOriginIsolated") is True


def test_axe_fails_a_page_with_a_serious_violation(visit: Callable[..., Visit]) -> None:
    visitor = visit("phone", "en-US")
    visitor.goto("/")
    visitor.page.evaluate(
        """() => {
          const img = document.createElement("img");
          img.src = "/static/img/logo.svg";
          document.querySelector("main").append(img);
        }"""
    )
    with pytest.raises(AssertionError, match="image-alt"):
        visitor.check_accessibility("a page with an unlabelled image")


#: Playwright fixtures that would open a page outside the guarded `visit` fixture.
UNGUARDED_FIXTURES = {"page", "context", "new_context", "browser", "browser_context"}


def test_every_journey_opens_its_pages_through_the_guarded_visit() -> None:
    """No test asks for Playwright's own page or context, and no module opens a context of its own."""
    folder = Path(__file__).parent
    for module in sorted(folder.glob("*.py")):
        if module.name == "conftest.py":
            continue
        tree = ast.parse(module.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                unguarded = {argument.arg for argument in node.args.args} & UNGUARDED_FIXTURES
                assert not unguarded, f"{module.name}::{node.name} asks for {unguarded}"
            if isinstance(node, ast.Attribute) and node.attr in {"new_context", "new_page", "launch"}:
                assert module.name == "visit.py", f"{module.name} line {node.lineno} opens {node.attr} unguarded"

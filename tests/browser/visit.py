"""One visitor's browser context: guarded against other hosts, console errors and CSP breaks; axe on demand."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Route

ROOT = Path(__file__).resolve().parents[2]
AXE_FILE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/__axe__/axe.min.js"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
#: axe impacts that fail a page; moderate and minor ones are reported by axe but do not fail.
FAILING_IMPACTS = {"serious", "critical"}
#: A form shown again with its errors answers 422 (the app's contract); Chromium logs that as a console error.
EXPECTED_CONSOLE = ("the server responded with a status of 422",)

REPORT_CSP = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
"""

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + (n.failureSummary || "").split("\\n").join(" ")),
  }));
}"""


class Visit:
    """A fresh browser context with one page on the served app."""

    def __init__(self, context: BrowserContext, base_url: str) -> None:
        """Guard every request of the context and watch its pages' consoles."""
        self.context = context
        self.base = base_url
        self.problems: list[str] = []
        context.route("**/*", self._route)
        context.add_init_script(REPORT_CSP)
        context.on("page", self._watch)
        self.page = context.new_page()

    def _route(self, route: Route) -> None:
        """Serve axe from node_modules; refuse, and remember, any request to another host."""
        url = route.request.url
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.base:
            self.problems.append(f"request to another host: {route.request.method} {url}")
            route.abort()
        elif parts.path == AXE_PATH:
            route.fulfill(path=AXE_FILE, content_type="application/javascript")
        else:
            route.continue_()

    def _watch(self, page: Page) -> None:
        """Console errors, uncaught script errors and CSP violations become problems."""

        def on_console(message: ConsoleMessage) -> None:
            """Remember an unexpected console error."""
            if message.type == "error" and not any(text in message.text for text in EXPECTED_CONSOLE):
                self.problems.append(f"console error on {page.url}: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.problems.append(f"script error on {page.url}: {error}"))

    def goto(self, path: str) -> Page:
        """Open a path of the app in the page."""
        self.page.goto(self.base + path)
        return self.page

    def check_accessibility(self, what: str) -> None:
        """Run axe-core on the current page; a serious or critical violation fails the test."""
        page = self.page
        page.add_script_tag(url=self.base + AXE_PATH)
        violations = page.evaluate(RUN_AXE)
        failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
        assert not failing, f"axe on {what} ({page.url}):\n" + json.dumps(failing, ensure_ascii=False, indent=1)

"""What every browser test checks: axe-core finds no serious or critical accessibility violation on a
page (``scan``), and no Content-Security-Policy violation happens anywhere (``PageWatch``).

axe-core comes from its npm package (``package.json``, ``node_modules/axe-core``), never from a
CDN. It is run with ``page.evaluate``, which the page's CSP does not govern, so the policy stays
enforced during the scan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from playwright.sync_api import Frame, Page, expect

ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")

# Reports every securitypolicyviolation event of the page to Python. Init scripts and bindings are
# set up by the browser itself: the page's CSP does not apply to them.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation({
    page: document.location.href,
    directive: event.effectiveDirective || event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
});
"""

RUN_AXE = """
async (disabled) => {
  const rules = Object.fromEntries(disabled.map((id) => [id, {enabled: false}]));
  // preload: false, or axe reads the style sheets by adding <style> elements, which the CSP blocks.
  const results = await axe.run(document, {resultTypes: ["violations"], preload: false, rules});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    targets: v.nodes.map((n) => n.target.join(" ")),
  }));
}
"""


@cache
def axe_source() -> str:
    if not AXE_PATH.exists():
        raise RuntimeError(f"{AXE_PATH} is missing: run `make assets` (npm ci)")
    return AXE_PATH.read_text()


def scan(page: Page, *, exceptions: dict[str, str] | None = None) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each: rule,
    impact, help, the selectors of the elements (at most five). ``exceptions``: rules not run, with
    the reason (markup that is not ours)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE, sorted(exceptions or {}))
    where = f"{page.evaluate('document.documentElement.lang')} {urlsplit(page.url).path}"
    lines = []
    for v in violations:
        if v["impact"] not in FAILING_IMPACTS:
            continue
        targets = ", ".join(v["targets"][:5]) + (" …" if len(v["targets"]) > 5 else "")
        lines.append(f"{where}: {v['id']} ({v['impact']}) {v['help']} [{targets}] {v['helpUrl']}")
    return lines


def assert_accessible(page: Page, *, exceptions: dict[str, str] | None = None) -> None:
    found = scan(page, exceptions=exceptions)
    assert not found, "axe-core:\n" + "\n".join(found)


@dataclass
class PageWatch:
    """Watches one page for a whole test: every CSP violation, and every page it opens."""

    page: Page
    csp_violations: list[dict[str, Any]] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)

    def start(self) -> None:
        self.page.expose_function("__reportCspViolation", self._report)
        self.page.add_init_script(CSP_LISTENER)
        self.page.on("framenavigated", self._navigated)

    def _report(self, violation: dict[str, Any]) -> None:
        self.csp_violations.append(violation)

    def _navigated(self, frame: Frame) -> None:
        if frame == self.page.main_frame:
            self.visited.append(frame.url)

    def csp_report(self) -> list[str]:
        return [
            f"{v['page']}: {v['directive']} blocked {v['blocked'] or 'inline'}"
            f" ({v['source'] or 'the page'}:{v['line']}) {v['sample']!r}"
            for v in self.csp_violations
        ]

    def url_names(self, base_url: str) -> set[str]:
        """The URL pattern names of the pages of the site that the page opened; "(404 page)" for
        a path that matches none."""
        from tests.pages import NOT_FOUND

        names = set()
        for url in self.visited:
            parts = urlsplit(url)
            if f"{parts.scheme}://{parts.netloc}" != base_url:
                continue
            try:
                match = resolve(parts.path)
            except Resolver404:
                names.add(NOT_FOUND)
            else:
                names.add(match.view_name)
        return names


def switch_language(page: Page, code: str) -> None:
    """Change the page's language with the site's switcher, from the keyboard (some forms have a
    "language" field of their own)."""
    page.locator("#language-select").select_option(code)
    page.locator("#language-select").press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", code)

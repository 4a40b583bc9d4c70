"""Bootstrap's stylesheet as ``make assets`` trims it (scripts/trim-css.mjs) styles every page as the
whole stylesheet does: every page of tests/pages.py, opened in Chromium as each persona, has the
same computed style on every element and on its ``::before`` and ``::after`` with either file,
in English on a wide screen and in Arabic on a narrow one (each language has its own file). Each page is opened once, as the first
persona that opens it in tests/pages.py: the classes of a page are in its templates, whoever
reads it.

The page is read once with the trimmed file, then its stylesheet link is pointed at Bootstrap's
whole file and the page read again, without reloading (the same markup, the same data)."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import Page

from tests.conftest import PERSONAS
from tests.e2e.demo_site import choose_language, sign_in
from tests.pages import PAGES, PageData

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WHOLE = {
    "en": "vendor/bootstrap/css/bootstrap.min.css",
    "ar": "vendor/bootstrap/css/bootstrap.rtl.min.css",
}

# In the page: every element's computed style (and its pseudo-elements' where they have content),
# then the stylesheet swapped for the whole one, then the differences, at most 30.
COMPARE = """
async (whole) => {
  const elements = Array.from(document.querySelectorAll("html, html *"));
  const read = (style) => Array.from(style, (name) => name + ":" + style.getPropertyValue(name));
  const snapshot = () => elements.map((el) => {
    const own = read(getComputedStyle(el));
    for (const pseudo of ["::before", "::after"]) {
      const style = getComputedStyle(el, pseudo);
      if (style.content !== "none") own.push(...read(style).map((p) => pseudo + p));
    }
    return own;
  });
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + Array.from(el.classList, (c) => "." + c).join("");
  const link = document.querySelector('link[rel="stylesheet"][href*="/css/bootstrap/"]');
  if (!link) return ["no trimmed stylesheet on the page"];
  // A focused field may be in the middle of its transition: read each side once it has ended.
  const settled = () => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)));
  await settled();
  const trimmed = snapshot();
  await new Promise((resolve, reject) => {
    link.addEventListener("load", resolve, { once: true });
    link.addEventListener("error", () => reject(new Error("the whole stylesheet did not load")), { once: true });
    link.href = whole;
  });
  await settled();
  const full = snapshot();
  const differences = [];
  elements.forEach((el, i) => {
    const a = new Set(trimmed[i]);
    for (const p of full[i]) {
      if (!a.has(p) && differences.length < 30) {
        const prop = p.slice(0, p.indexOf(":", 2));
        const was = trimmed[i].find((q) => q.startsWith(prop + ":")) || prop + ": (none)";
        differences.push(`${name(el)}: trimmed ${was}; whole ${p}`);
      }
    }
  });
  return differences;
}
"""


def _compare(page: Page, base: str, site: PageData, language: str) -> list[str]:
    """Every page once, as the first persona that opens it in the browser."""
    choose_language(page.context, base, language)
    whole = base + "/" + settings.STATIC_URL.strip("/") + "/" + WHOLE[language]
    failures = []
    for who in PERSONAS:
        entries = [p for p in PAGES if p.browser and p.browser[0] == who and p.name != "api-docs"]
        page.context.clear_cookies()
        choose_language(page.context, base, language)
        sign_in(page.context, base, who)
        for entry in entries:  # (Swagger UI has its own stylesheet)
            page.goto(base + entry.path(site))
            if entry.ready:
                page.wait_for_selector(entry.ready)
            failures += [f"{entry.id}, as {who}: {line}" for line in page.evaluate(COMPARE, whole)]
    return failures


# English on a wide screen, Arabic on a phone's: both files, and the rules of both sides of
# Bootstrap's breakpoints (the two files keep the same selectors).
@pytest.mark.parametrize(("language", "width"), [("en", 1280), ("ar", 400)])
def test_every_page_looks_the_same_with_the_trimmed_stylesheet(
    page: Page, live_server, site: PageData, language: str, width: int
):
    page.set_viewport_size({"width": width, "height": 900})
    failures = _compare(page, live_server.url, site, language)
    assert not failures, f"in {language}, {width} px wide:\n" + "\n".join(failures)

"""What the page tests read in a response: the focusable elements in order, labels, ids, the main
heading, the attributes of <html> and the stylesheets."""

from __future__ import annotations

from html.parser import HTMLParser


class PageParser(HTMLParser):
    """Collects what the tests look at: the focusable elements in order, labels, h1, attributes."""

    FOCUSABLE = {"a", "button", "input", "select", "textarea", "summary"}

    def __init__(self) -> None:
        super().__init__()
        self.focusable: list[dict[str, str | None]] = []
        self.labels_for: set[str] = set()
        self.ids: set[str] = set()
        self.h1: list[str] = []
        self._in_h1 = False
        self.html_attrs: dict[str, str | None] = {}
        self.stylesheets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        attributes["tag"] = tag
        if tag == "html":
            self.html_attrs = attributes
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        if tag == "label" and attributes.get("for"):
            self.labels_for.add(str(attributes["for"]))
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.stylesheets.append(str(attributes.get("href")))
        focusable = tag in self.FOCUSABLE and attributes.get("type") != "hidden"
        if tag == "a" and not attributes.get("href"):
            focusable = False
        if focusable:
            self.focusable.append(attributes)
        if tag == "h1":
            self._in_h1 = True
            self.h1.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1[-1] += data


def parse(response) -> PageParser:
    """The page of a test client response, parsed."""
    page = PageParser()
    page.feed(response.content.decode())
    return page


def h1(response) -> str:
    """The text of the page's main heading, its white space folded."""
    return " ".join(" ".join(parse(response).h1).split())

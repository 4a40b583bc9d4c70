"""The XSS harness: hostile texts put through every way a person or a feed supplies text, and the
pages that show them.

``payloads()`` reads the corpus (``xss_payloads.txt``, one payload a line). A ``TextSink`` says how
to put a list of payloads in (``put``: through the importer, a service, or the model where no
service exists yet) and returns the views that show them: ``View(persona, path, language, htmx)``.
``SINKS`` lists them all. Two tests read it:

- ``tests/security/test_xss.py`` (no browser, every payload through every view): each page as
  served has none of what the Content Security Policy test refuses (inline script, event-handler
  attribute, ``javascript:`` URL, ``<style>``), and no payload with markup appears unescaped;
- ``tests/e2e/test_xss_browser.py`` (Chromium): the views marked ``browser``, in one session,
  with every payload: no dialog opens, no CSP violation is reported, no element a payload names
  exists. ``make test-xss`` opens every view of every sink in the browser.

A new text joins by adding a sink to ``SINKS`` (a comment's text, a report narrative, the file name
of evidence): how to put it in, and which pages show it. PDFs join the same way when reports exist:
a view whose path serves the PDF, checked by the browser's PDF text (see the README).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recommendations.models import (
    Cluster,
    ImportIssue,
    ImportRun,
    ImportStatus,
    Recommendation,
    RecommendationText,
)
from recommendations.services import import_run_create, import_run_execute
from tracker import services
from tracker.models import User

CORPUS = Path(__file__).with_name("xss_payloads.txt")


@cache
def payloads() -> tuple[str, ...]:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return tuple(line for line in lines if line.strip() and not line.startswith("#"))


@dataclass(frozen=True)
class View:
    persona: str  # who opens it ("public", "secretariat", ...)
    path: str
    language: str = "en"
    htmx: bool = False  # fetched as an htmx partial (HX-Request)
    browser: bool = False  # opened in Chromium in `make test` (all views: `make test-xss`)


@dataclass
class SinkContext:
    secretariat: User


@dataclass(frozen=True)
class TextSink:
    name: str
    put: Callable[[list[str], SinkContext], list[View]]
    notes: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)


def _pages(url: str, count: int, per_page: int) -> list[str]:
    joiner = "&" if "?" in url else "?"
    return [f"{url}{joiner}page={n}" for n in range(1, (count - 1) // per_page + 2)]


# --- The sinks ---------------------------------------------------------------------------------


def imported_feed(texts: list[str], ctx: SinkContext) -> list[View]:
    """A UHRI feed whose texts, themes, affected persons and recommending States are payloads,
    uploaded and run through the importer (normalised, sanitised, stored) as the Imports page
    does."""
    records = [
        {
            "AnnotationId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"xss-{n}")),
            "Text": f"{n}.1 {text}",
            "Symbol": "A/HRC/59/15",
            "Body": "UPR",
            "AnnotationType": "Recommendations",
            "PublicationDate": "2025-03-24T00:00:00Z",
            "Countries": ["Iraq"],
            "Themes": [text[:200]],
            "AffectedPersons": [text[:200]],
            "UprRecommendingStates": ["France"],
            "UprSession": "48th Session",
            "UprPosition": "Supported",
        }
        for n, text in enumerate(texts, start=1)
    ]
    upload = SimpleUploadedFile("feed.json", json.dumps(records).encode())
    run = import_run_create(actor=ctx.secretariat, upload=upload, format="json", dry_run=False)
    import_run_execute(import_run_id=run.pk)
    run.refresh_from_db()
    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert run.created == len(texts), (run.created, run.rejected)
    listed = reverse("recommendations:recommendation-list") + "?document=A/HRC/59/15"
    views = [View("public", path, browser=True) for path in _pages(listed, len(texts), 25)]
    views.append(View("public", listed, htmx=True, browser=True))
    views += [
        View("public", reverse("recommendations:recommendation-detail", args=[pk]))
        for pk in Recommendation.objects.filter(document__symbol="A/HRC/59/15").values_list(
            "pk", flat=True
        )
    ]
    views.append(View("secretariat", reverse("recommendations:import-detail", args=[run.pk])))
    return views


def translations(texts: list[str], ctx: SinkContext) -> list[View]:
    """Unofficial translations typed for recommendations (here in French), shown in the list and
    the detail pages in that language. One recommendation of the imported feed per payload."""
    imported = list(Recommendation.objects.filter(document__symbol="A/HRC/59/15").order_by("pk"))
    assert len(imported) >= len(texts), "the imported feed comes first"
    RecommendationText.objects.bulk_create(
        RecommendationText(recommendation=target, language="fr", text=text, source="unofficial")
        for target, text in zip(imported, texts, strict=False)
    )
    listed = reverse("recommendations:recommendation-list") + "?document=A/HRC/59/15"
    views = [
        View("public", path, language="fr", browser=True) for path in _pages(listed, len(texts), 25)
    ]
    views += [
        View(
            "public",
            reverse("recommendations:recommendation-detail", args=[target.pk]),
            language="fr",
        )
        for target in imported[: len(texts)]
    ]
    return views


def national_notes(texts: list[str], ctx: SinkContext) -> list[View]:
    """The NMRF's national notes on a recommendation (all payloads in one note)."""
    recommendation = Recommendation.objects.order_by("pk").first()
    assert recommendation is not None
    # No page edits the notes yet (the planning pages will, through their service).
    Recommendation.objects.filter(pk=recommendation.pk).update(national_notes="\n".join(texts))
    path = reverse("recommendations:recommendation-detail", args=[recommendation.pk])
    return [View("secretariat", path, browser=True)]


def cluster_names(texts: list[str], ctx: SinkContext) -> list[View]:
    """Names of national clusters, shown in the list's facets and on the detail page."""
    recommendations = list(
        Recommendation.objects.filter(document__symbol="A/HRC/59/15").order_by("pk")
    )
    views = []
    for n, text in enumerate(texts):
        cluster = Cluster.objects.create(name=f"{n} {text}"[:200])
        if n < len(recommendations):
            Recommendation.objects.filter(pk=recommendations[n].pk).update(cluster=cluster)
            if n < 3:
                views.append(
                    View(
                        "secretariat",
                        reverse(
                            "recommendations:recommendation-detail", args=[recommendations[n].pk]
                        ),
                    )
                )
    views.append(View("secretariat", reverse("recommendations:recommendation-list"), browser=True))
    return views


def institution_names(texts: list[str], ctx: SinkContext) -> list[View]:
    """Names and acronyms of institutions, made by the secretariat through its service."""
    for n, text in enumerate(texts):
        services.institution_create(
            actor=ctx.secretariat, name=f"{n} {text}"[:300], acronym=text[:40], kind="ministry"
        )
    return [View("secretariat", reverse("tracker:institution-list"), browser=True)]


def user_names(texts: list[str], ctx: SinkContext) -> list[View]:
    """People's names, made by the secretariat through its service; one of them signed in (the
    header shows the name of whoever is signed in)."""
    for n, text in enumerate(texts):
        services.user_create(
            actor=ctx.secretariat, username=f"xss{n}", name=text[:200], email=f"x{n}@example.org"
        )
    User.objects.filter(pk=ctx.secretariat.pk).update(name=texts[0][:200])
    return [View("secretariat", reverse("tracker:user-list"), browser=True)]


def import_sources(texts: list[str], ctx: SinkContext) -> list[View]:
    """The file name of an upload, or a feed URL: the run's source, with its error, on the
    Imports pages (the list shows the 50 latest runs; each run has its page)."""
    runs = ImportRun.objects.bulk_create(
        ImportRun(
            source=f"{text}.json"[:1000],
            format="json",
            status=ImportStatus.FAILED,
            error=f"The JSON feed is malformed: {text}",
            triggered_by=ctx.secretariat,
        )
        for text in texts
    )
    views = [View("secretariat", reverse("recommendations:import-list"), browser=True)]
    views += [
        View(
            "secretariat",
            reverse("recommendations:import-detail", args=[run.pk]),
            browser=n % 100 == 0,
        )
        for n, run in enumerate(runs)
    ]
    return views


def import_issues(texts: list[str], ctx: SinkContext) -> list[View]:
    """What a feed's rejected rows say: the reason quotes the field, the raw value is the
    feed's own."""
    run = ImportRun.objects.create(
        source="issues.json",
        format="json",
        status=ImportStatus.SUCCEEDED,
        dry_run=True,
        triggered_by=ctx.secretariat,
    )
    ImportIssue.objects.bulk_create(
        ImportIssue(run=run, row=n, field=text[:100], reason=f"Bad value {text}", raw_value=text)
        for n, text in enumerate(texts, start=1)
    )
    path = reverse("recommendations:import-detail", args=[run.pk])
    return [
        View("secretariat", f"{path}?issues={n}", browser=True)
        for n in range(1, (len(texts) - 1) // 50 + 2)
    ]


SINKS: list[TextSink] = [
    TextSink("imported texts, themes and affected persons", imported_feed),
    TextSink("translations of recommendations", translations),
    TextSink("national notes", national_notes),
    TextSink("cluster names", cluster_names),
    TextSink("institution names and acronyms", institution_names),
    TextSink("people's names", user_names),
    TextSink("import sources: upload file names and feed URLs, and errors", import_sources),
    TextSink("import issues: reasons and raw values", import_issues),
]


def put_everything(secretariat: User, texts: list[str] | None = None) -> dict[str, list[View]]:
    """Every sink filled with every payload; the views of each sink. Needs the reference data."""
    ctx = SinkContext(secretariat=secretariat)
    chosen = list(texts if texts is not None else payloads())
    return {sink.name: sink.put(chosen, ctx) for sink in SINKS}

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

A new text joins by adding a sink to ``SINKS``: how to put it in, and which pages show it. The
report drafts (docx, xlsx, pdf) are built from what the sinks left, by reporting's writers, in
``test_report_drafts_show_the_payloads_as_text``: the HTML WeasyPrint reads escapes every payload
and the PDF's text shows the markup as text. Sinks tagged ``slow`` get ``sample()`` of the payloads
in `make test` (``put_everything(full=False)``), every payload in `make test-xss`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from plans import services as plan_services
from recommendations.models import (
    AffectedGroup,
    Cluster,
    ImportIssue,
    ImportRun,
    ImportStatus,
    Mechanism,
    Recommendation,
    RecommendationText,
    Theme,
)
from recommendations.services import import_run_create, import_run_execute
from recommendations.services.taxonomy import taxonomy_term_rename
from tracker import services
from tracker.exceptions import ApplicationError
from tracker.models import Institution, InstitutionKind, Membership, User
from tracker.roles import Role

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
    # What one sink made for the next ones (the plan whose measures carry the payloads, ...).
    made: dict[str, Any] = field(default_factory=dict)


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
    views.append(View("public", reverse("reporting:portal-clusters"), browser=True))
    first = Cluster.objects.filter(recommendations__isnull=False).order_by("pk").first()
    if first is not None:
        views.append(View("public", reverse("reporting:portal-cluster", args=[first.pk])))
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


# --- Plans, progress and the network (all through their services) ------------------------------


def _one_in(views: list[View], every: int = 1000) -> list[View]:
    """The first view (and one in ``every``) marked for the browser in `make test`."""
    return [
        View(v.persona, v.path, v.language, v.htmx, browser=v.browser or n % every == 0)
        for n, v in enumerate(views)
    ]


def _member(username: str, role: str, institution: Institution) -> User:
    user = User.objects.create(username=username, name=username)
    Membership.objects.create(user=user, institution=institution, role=role)
    return user


def plan_texts(texts: list[str], ctx: SinkContext) -> list[View]:
    """One draft plan whose title and description are payloads, with a measure per payload
    (title, description, expected outcome), a milestone, a budget line (funding source) and an
    indicator (name, unit, data source) on each, linked to the imported recommendations; then
    adopted. Shown on the plan page, the matrix, each measure's and indicator's page, the public
    follow-up page of each measure and the measures' open data."""
    ministry = Institution.objects.create(name="Ministry of Justice", kind=InstitutionKind.MINISTRY)
    ctx.made["ministry"] = ministry
    plan = plan_services.plan_create(
        actor=ctx.secretariat,
        title=texts[0][:300],
        description="\n".join(texts),
        starts_on=date(2025, 1, 1),
        ends_on=date(2028, 12, 31),
    )
    imported = list(Recommendation.objects.filter(document__symbol="A/HRC/59/15").order_by("pk"))
    measures = []
    indicators = []
    for n, text in enumerate(texts):
        measure = plan_services.measure_create(
            actor=ctx.secretariat,
            plan=plan,
            title=f"{n} {text}"[:500],
            description=text,
            expected_outcome=text,
            lead_institution=ministry,
            starts_on=date(2025, 1, 1),
            ends_on=date(2027, 12, 31),
            recommendations=[imported[n]] if n < len(imported) else [],
        )
        plan_services.milestone_create(
            actor=ctx.secretariat, measure=measure, title=text[:300], due_on=date(2026, 6, 30)
        )
        plan_services.budget_line_create(
            actor=ctx.secretariat,
            measure=measure,
            amount=Decimal("1000"),
            currency="USD",
            funding_source=text[:200],
        )
        indicators.append(
            plan_services.indicator_create(
                actor=ctx.secretariat,
                measure=measure,
                name=text[:500],
                kind="outcome",
                unit=text[:100],
                data_source=text[:300],
            )
        )
        measures.append(measure)
    plan_services.plan_adopt(actor=ctx.secretariat, plan=plan)
    ctx.made["plan"] = plan
    ctx.made["measures"] = measures
    views = [
        View("secretariat", reverse("plans:plan-list")),
        View("secretariat", reverse("plans:plan-detail", args=[plan.pk]), browser=True),
        View("secretariat", reverse("plans:plan-matrix", args=[plan.pk]), browser=True),
        View("public", reverse("reporting:open-data"), browser=True),
        View("public", reverse("home")),
        # The public portal: the adopted plan (its measures, milestones, indicators), the
        # ministry's measures.
        View("public", reverse("reporting:portal-plan"), browser=True),
        View("public", reverse("reporting:portal-institution", args=[ministry.pk])),
    ]
    views += _one_in(
        [View("secretariat", reverse("plans:measure-detail", args=[m.pk])) for m in measures]
    )
    views += _one_in(
        [View("public", reverse("progress:measure-follow-up", args=[m.pk])) for m in measures]
    )
    views += _one_in(
        [View("secretariat", reverse("plans:indicator-detail", args=[i.pk])) for i in indicators]
    )
    return views


def plan_titles(texts: list[str], ctx: SinkContext) -> list[View]:
    """A draft plan per payload (its title): the list of plans."""
    for text in texts:
        plan_services.plan_create(
            actor=ctx.secretariat,
            title=text[:300],
            starts_on=date(2025, 1, 1),
            ends_on=date(2026, 12, 31),
        )
    return [View("secretariat", reverse("plans:plan-list"), browser=True)]


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def progress_reports(texts: list[str], ctx: SinkContext) -> list[View]:
    """A progress report per measure: its narrative a payload, with a public evidence file whose
    uploaded file name is the payload (untitled: the file name becomes its title), submitted,
    returned with the payload as the reason, then submitted, validated, accepted and published.
    Shown on the report's page (the steps give the reason), the reports list and the public
    follow-up pages of the measure and its recommendation."""
    reports = []
    for measure, text in zip(ctx.made["measures"], texts, strict=False):
        report = plan_services.progress_report_create(
            actor=ctx.secretariat, measure=measure, period="2026-Q1", narrative=text
        )
        plan_services.progress_evidence_add(
            actor=ctx.secretariat,
            report=report,
            file=SimpleUploadedFile(f"{text[:200]}.pdf", PDF),
            is_public=True,
        )
        for step in ("submit", "return", "submit", "validate", "accept", "publish"):
            extra = {"reason": text} if step == "return" else {}
            # Only the institution's validators validate: here the system does.
            actor = None if step == "validate" else ctx.secretariat
            report = getattr(plan_services, f"progress_report_{step}")(
                actor=actor, report=report, **extra
            )
        reports.append(report)
    views = [View("secretariat", reverse("progress:report-list"), browser=True)]
    views += _one_in(
        [View("secretariat", reverse("progress:report-detail", args=[r.pk])) for r in reports]
    )
    views += _one_in(
        [View("public", reverse("progress:report-detail", args=[r.pk])) for r in reports]
    )
    views += _one_in(
        [
            View("public", reverse("progress:measure-follow-up", args=[r.measure_id]))
            for r in reports
        ]
    )
    # The narratives as the portal shows them: each measure's latest published report.
    views.append(View("public", reverse("reporting:portal-plan")))
    return views


def comments_and_assessments(texts: list[str], ctx: SinkContext) -> list[View]:
    """Comments of the NHRI (on a recommendation and on a measure), approved by the secretariat,
    and the NHRI's published assessments (summary and evidence), one per payload. The services
    store comments as plain text (nh3 removes the tags): the public follow-up pages show what is
    left, escaped."""
    nhri = _member(
        "xss-nhri",
        Role.NHRI,
        Institution.objects.create(name="NHRI", kind=InstitutionKind.NHRI),
    )
    imported = list(Recommendation.objects.filter(document__symbol="A/HRC/59/15").order_by("pk"))
    views = []
    with override_settings(TRACKER_COMMENTS_PER_HOUR=10 * len(texts) + 10):
        for n, text in enumerate(texts):
            recommendation = imported[n]
            measure = ctx.made["measures"][n]
            for target in ({"recommendation": recommendation}, {"measure": measure}):
                try:
                    comment = plan_services.comment_create(actor=nhri, text=f"{n} {text}", **target)
                except ApplicationError:
                    continue  # nothing but tags: refused as empty
                plan_services.comment_approve(actor=ctx.secretariat, comment=comment)
            try:
                assessment = plan_services.assessment_create(
                    actor=nhri,
                    recommendation=recommendation,
                    rating="partially",
                    summary=f"{n} {text}",
                    evidence=text,
                )
            except ApplicationError:
                continue
            plan_services.assessment_publish(actor=nhri, assessment=assessment)
            views.append(
                View(
                    "public", reverse("progress:recommendation-follow-up", args=[recommendation.pk])
                )
            )
            views.append(View("public", reverse("progress:measure-follow-up", args=[measure.pk])))
    views = _one_in(views)
    views.append(View("secretariat", reverse("progress:comment-moderation"), browser=True))
    return views


def support_projects(texts: list[str], ctx: SinkContext) -> list[View]:
    """Support projects of a development partner (title and description), on the measures. The
    services store them as plain text (nh3 removes the tags), as comments: the pages show what is
    left, escaped."""
    partner = Institution.objects.create(
        name="Development Agency", kind=InstitutionKind.DEVELOPMENT_PARTNER
    )
    for n, text in enumerate(texts):
        try:
            plan_services.support_project_create(
                actor=ctx.secretariat,
                partner=partner,
                title=text[:300],
                description=text,
                amount=Decimal("5000"),
                currency="EUR",
                starts_on=date(2025, 1, 1),
                ends_on=date(2026, 12, 31),
                measures=[ctx.made["measures"][n]],
            )
        except ApplicationError:
            continue  # nothing but tags: no title left, refused
    views = [View("secretariat", reverse("progress:support-coverage"), browser=True)]
    views += _one_in(
        [
            View("secretariat", reverse("plans:measure-detail", args=[m.pk]))
            for m in ctx.made["measures"]
        ]
    )
    return views


def consultations(texts: list[str], ctx: SinkContext) -> list[View]:
    """Consultations (title and summary) with the ministry, on the imported recommendations."""
    imported = list(Recommendation.objects.filter(document__symbol="A/HRC/59/15").order_by("pk"))
    made = [
        plan_services.consultation_create(
            actor=ctx.secretariat,
            held_on=date(2025, 6, 1),
            title=text[:300],
            summary=text,
            participants=[ctx.made["ministry"]],
            recommendations=[imported[n]],
        )
        for n, text in enumerate(texts)
    ]
    views = [View("secretariat", reverse("plans:consultation-list"), browser=True)]
    views += _one_in(
        [View("secretariat", reverse("plans:consultation-detail", args=[c.pk])) for c in made]
    )
    return views


def taxonomy_labels(texts: list[str], ctx: SinkContext) -> list[View]:
    """Themes and affected groups of the reference data renamed by the secretariat (as many as
    there are: the first payloads), shown in the list's facets, the detail pages and the
    taxonomy review."""
    terms: list[Any] = [*Theme.objects.order_by("pk"), *AffectedGroup.objects.order_by("pk")]
    renamed = 0
    for term, text in zip(terms, texts, strict=False):
        try:
            taxonomy_term_rename(actor=ctx.secretariat, term=term, name=f"{renamed} {text}"[:200])
        except ApplicationError:
            continue  # a name the term refuses (too long, taken)
        renamed += 1
    assert renamed >= min(len(terms), len(texts)) // 2, renamed
    return [
        View("public", reverse("recommendations:recommendation-list"), browser=True),
        View("secretariat", reverse("recommendations:taxonomy-review"), browser=True),
    ]


def reporting_texts(texts: list[str], ctx: SinkContext) -> list[View]:
    """What the Reports and Calendar pages show of what people typed: a report job's mechanism
    and paragraphs (as asked for) and its error (from the worker; made as the worker leaves
    them, without a worker here), and the reporting obligations (title, document symbol, notes)
    entered by the secretariat."""
    from reporting.models import ReportJob, ReportJobStatus
    from reporting.services.calendar import obligation_create

    jobs = ReportJob.objects.bulk_create(
        ReportJob(
            kind="treaty-followup",
            format="pdf",
            mechanism=text[:50],
            paragraphs=text[:200],
            status=ReportJobStatus.FAILED,
            error=text,
            requested_by=ctx.secretariat,
        )
        for text in texts
    )
    mechanism = Mechanism.objects.get(code="UPR")
    for text in texts:
        obligation_create(
            actor=ctx.secretariat,
            mechanism=mechanism,
            kind="mid_term_report",
            title=text[:300],
            due_on=date(2027, 6, 30),
            notes=text,
        )
    views = [
        View("secretariat", reverse("reporting:report-list"), browser=True),
        View("secretariat", reverse("reporting:calendar"), browser=True),
    ]
    return views + _one_in(
        [View("secretariat", reverse("reporting:report-detail", args=[j.pk])) for j in jobs]
    )


SINKS: list[TextSink] = [
    TextSink("imported texts, themes and affected persons", imported_feed),
    TextSink("translations of recommendations", translations),
    TextSink("national notes", national_notes),
    TextSink("cluster names", cluster_names),
    TextSink("institution names and acronyms", institution_names),
    TextSink("people's names", user_names),
    TextSink("import sources: upload file names and feed URLs, and errors", import_sources),
    TextSink("import issues: reasons and raw values", import_issues),
    TextSink(
        "plans: plan, measure, milestone, budget line (funding source) and indicator texts",
        plan_texts,
        tags=("slow",),
    ),
    TextSink("plan titles", plan_titles),
    TextSink(
        "progress reports: narratives, return reasons, evidence titles and file names",
        progress_reports,
        tags=("slow",),
    ),
    TextSink(
        "comments and assessments (summary and evidence)",
        comments_and_assessments,
        tags=("slow",),
    ),
    TextSink("support projects: titles and descriptions", support_projects, tags=("slow",)),
    TextSink("consultations: titles and summaries", consultations, tags=("slow",)),
    TextSink("taxonomy labels renamed by the secretariat", taxonomy_labels),
    TextSink(
        "report jobs (mechanism, paragraphs, error) and reporting obligations",
        reporting_texts,
        tags=("slow",),
    ),
]


def sample(texts: list[str], every: int = 4) -> list[str]:
    """One in ``every`` of the payloads with markup, for the sinks tagged ``slow`` in `make test`."""
    return [text for text in texts if set("<>\"'") & set(text)][::every]


def put_everything(
    secretariat: User, texts: list[str] | None = None, *, full: bool = True
) -> dict[str, list[View]]:
    """Every sink filled with every payload; the views of each sink. Needs the reference data.
    ``full=False`` (`make test`): the sinks tagged ``slow`` (many services per payload) get
    ``sample(texts)``; `make test-xss` puts every payload everywhere."""
    ctx = SinkContext(secretariat=secretariat)
    chosen = list(texts if texts is not None else payloads())
    few = chosen if full else sample(chosen)
    return {sink.name: sink.put(few if "slow" in sink.tags else chosen, ctx) for sink in SINKS}

"""The progress network's demo step: progress reports in every state (one returned with its
reason), evidence, assessments from the three kinds of assessor, comments pending and approved,
support projects and the reminders they call for, on the measures of the demo's adopted plan.

It needs the plans' demo step (measures of an adopted plan, led by the institution of the demo
focal point and validator): ``plans.demo`` imports this module so that the step registers.
Everything goes through the services, so the audit shows who did what.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from recommendations.models import PublicationState, Recommendation
from tracker.demo import DemoContext, register
from tracker.models import Membership, User
from tracker.roles import Role

from . import services
from .models import (
    Assessment,
    Comment,
    Measure,
    MeasureStatus,
    PlanState,
    ProgressReport,
    ReportState,
    SupportProject,
)

# A one-page PDF: the demo's evidence file.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
STATES = (
    ReportState.PUBLISHED,
    ReportState.RETURNED,
    ReportState.ACCEPTED,
    ReportState.VALIDATED,
    ReportState.SUBMITTED,
    ReportState.DRAFT,
)
NARRATIVES = {
    ReportState.PUBLISHED: "The training curriculum was adopted and 120 officials trained.",
    ReportState.RETURNED: "The bill was tabled in parliament.",
    ReportState.ACCEPTED: "The inter-ministerial committee met three times.",
    ReportState.VALIDATED: "Regional consultations were held in four counties.",
    ReportState.SUBMITTED: "The budget line was approved by the treasury.",
    ReportState.DRAFT: "Terms of reference drafted; recruitment under way.",
}


def _person(role: str, institution_id: int | None = None) -> User | None:
    memberships = Membership.objects.filter(role=role, user__is_active=True)
    if institution_id is not None:
        memberships = memberships.filter(institution_id=institution_id)
    membership = memberships.select_related("user").order_by("user__username").first()
    return membership.user if membership else None


def _walk(report: ProgressReport, state: str, people: dict[str, User]) -> ProgressReport:
    """Take ``report`` through the workflow to ``state``."""
    focal, validator, secretariat = people["focal"], people["validator"], people["secretariat"]
    if state == ReportState.DRAFT:
        return report
    report = services.progress_report_submit(actor=focal, report=report)
    if state == ReportState.RETURNED:
        return services.progress_report_return(
            actor=validator,
            report=report,
            reason="Please attach the committee's minutes and the number of women trained.",
        )
    if state == ReportState.SUBMITTED:
        return report
    report = services.progress_report_validate(actor=validator, report=report)
    if state == ReportState.VALIDATED:
        return report
    report = services.progress_report_accept(actor=secretariat, report=report)
    if state == ReportState.ACCEPTED:
        return report
    return services.progress_report_publish(actor=secretariat, report=report)


@register(
    "plans.progress",
    order=900,
    marks=(ProgressReport, Assessment, Comment, SupportProject),
)
def load_progress(context: DemoContext) -> None:
    """Reports in every state on the demo focal point's measures, with evidence; assessments,
    comments and support projects; once (a second load adds nothing)."""
    if context.marked(ProgressReport).exists():
        _count(context)
        return
    focal = _person(Role.FOCAL_POINT)
    if focal is None:
        _count(context)
        return
    institution_id = sorted(focal.institution_ids([Role.FOCAL_POINT]))[0]
    validator = _person(Role.VALIDATOR, institution_id)
    secretariat = _person(Role.SECRETARIAT)
    measures = list(
        context.marked(Measure)
        .filter(plan__state=PlanState.ADOPTED, lead_institution_id=institution_id)
        .order_by("plan", "position", "id")[: len(STATES)]
    )
    if validator is None or secretariat is None or not measures:
        _count(context)
        return
    people = {"focal": focal, "validator": validator, "secretariat": secretariat}
    year = str(timezone.localdate().year - 1)
    reports = []
    for index, state in enumerate(STATES):
        measure = measures[index % len(measures)]
        indicator = measure.indicators.order_by("id").first()
        values = (
            [{"indicator": indicator.pk, "value": Decimal(40 + 10 * index)}] if indicator else []
        )
        report = services.progress_report_create(
            actor=focal,
            measure=measure,
            period=year if index < len(measures) else f"{year}-Q{1 + index % 4}",
            narrative=NARRATIVES[state],
            measure_status=MeasureStatus.IN_PROGRESS if index else MeasureStatus.COMPLETED,
            values=values,
        )
        if state in (ReportState.PUBLISHED, ReportState.RETURNED):
            services.progress_evidence_add(
                actor=focal,
                report=report,
                file=SimpleUploadedFile("minutes.pdf", DEMO_PDF),
                title="Minutes of the steering committee",
                is_public=state == ReportState.PUBLISHED,
            )
        reports.append(_walk(report, state, people))
    context.mark(reports)

    # Published ones: the NHRI and civil society assess what they can see.
    recommendations = list(
        Recommendation.objects.filter(
            measures__in=measures, publication_state=PublicationState.PUBLISHED
        )
        .distinct()
        .order_by("pk")[:3]
    )
    assessments: list[Assessment] = []
    comments: list[Comment] = []
    nhri, cso, partner = _person(Role.NHRI), _person(Role.CSO), _person(Role.PARTNER)
    for number, recommendation in enumerate(recommendations):
        for author, rating, summary in (
            (secretariat, "partially", "The bill is before parliament; training has started."),
            (nhri, "partially", "Progress is real but slow outside the capital."),
            (cso, "not_implemented", "Communities we work with have seen no change yet."),
        ):
            if author is None:
                continue
            assessment = services.assessment_create(
                actor=author,
                recommendation=recommendation,
                rating=rating,
                summary=summary,
                evidence="Field visits and the ministry's published figures.",
                assessed_on=timezone.localdate() - datetime.timedelta(days=30 + number),
            )
            if not (author == cso and number == len(recommendations) - 1):
                assessment = services.assessment_publish(actor=author, assessment=assessment)
            assessments.append(assessment)
        for author, text, approve in (
            (nhri, "We ask for the figures by region and by sex.", True),
            (cso, "Civil society was not invited to the last consultation.", number > 0),
        ):
            if author is None:
                continue
            comment = services.comment_create(
                actor=author, recommendation=recommendation, text=text
            )
            if approve:
                comment = services.comment_approve(actor=secretariat, comment=comment)
            comments.append(comment)
    context.mark(assessments)
    context.mark(comments)

    projects = []
    if partner is not None:
        today = timezone.localdate()
        for title, amount, currency, supported in (
            ("Justice sector reform programme", Decimal("1500000"), "EUR", measures[:2]),
            ("Data for human rights monitoring", Decimal("250000"), "USD", measures[2:3]),
        ):
            projects.append(
                services.support_project_create(
                    actor=partner,
                    title=title,
                    amount=amount,
                    currency=currency,
                    starts_on=today.replace(month=1, day=1),
                    ends_on=today.replace(year=today.year + 2, month=12, day=31),
                    recommendations=[r.pk for r in recommendations[:2]],
                    measures=[m.pk for m in supported],
                )
            )
    context.mark(projects)
    services.reminders_send(actor=None)
    _count(context)


def _count(context: DemoContext) -> None:
    reports = context.marked(ProgressReport)
    context.count("progress_reports", reports.count(), label="progress reports")
    for state in ReportState.values:
        context.count(
            f"progress_reports_{state}",
            reports.filter(state=state).count(),
            label=state,
            part=True,
        )
    context.count("assessments", context.marked(Assessment).count())
    context.count("comments", context.marked(Comment).count())
    context.count(
        "support_projects", context.marked(SupportProject).count(), label="support projects"
    )

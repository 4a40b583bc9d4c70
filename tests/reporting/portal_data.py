"""A national data set for the public portal's tests: published recommendations in a cluster and
under SDG target 16.3, an adopted plan whose measures address them (with institutions,
milestones, indicators with values, published progress reports with public evidence, published
assessments and approved comments), and beside them everything the public must never see: a
draft plan and its measure, a proposal, unpublished reports, internal evidence, a draft
assessment, comments waiting for moderation or rejected, a draft recommendation. Each secret
carries a marker the tests look for in the pages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from plans.models import (
    Assessment,
    AssessmentState,
    AssessorKind,
    Comment,
    CommentState,
    Evidence,
    ImplementationPlan,
    Measure,
    PlanState,
    ProgressReport,
    ProposalState,
    Rating,
    ReportState,
)
from recommendations.models import Cluster, Recommendation
from tests.db import analyze
from tests.factories.plans import (
    IndicatorFactory,
    IndicatorValueFactory,
    MeasureFactory,
    MilestoneFactory,
    PlanFactory,
)
from tests.factories.recommendations import ClusterFactory, RecommendationFactory
from tests.factories.tracker import InstitutionFactory
from tests.recommendations.helpers import bulk_recommendations
from tracker.models import Institution

# What the public must never read, each a marker of its own.
SECRETS = {
    "draft plan": "SECRET-draft-plan",
    "measure of a draft plan": "SECRET-draft-measure",
    "proposal": "SECRET-proposed-measure",
    "declined proposal": "SECRET-declined-measure",
    "unpublished progress report": "SECRET-unpublished-report",
    "internal evidence": "SECRET-internal-evidence",
    "draft assessment": "SECRET-draft-assessment",
    "pending comment": "SECRET-pending-comment",
    "rejected comment": "SECRET-rejected-comment",
    "draft recommendation": "SECRET-draft-recommendation",
}


@dataclass
class PortalData:
    lead: Institution
    supporter: Institution
    cluster: Cluster
    plan: ImplementationPlan
    draft_plan: ImplementationPlan
    recommendations: list[Recommendation]
    measures: list[Measure] = field(default_factory=list)

    @property
    def recommendation(self) -> Recommendation:
        return self.recommendations[0]

    def urls(self) -> dict[str, str]:
        """Every page of the portal, by name."""
        rec = self.recommendation.pk
        listing = reverse("recommendations:recommendation-list")
        return {
            "home": reverse("home"),
            "list": listing,
            "list, searched": listing + "?q=judiciary",
            "list, filtered": listing + f"?cluster={self.cluster.pk}&status=not_started",
            "recommendation": reverse("recommendations:recommendation-detail", args=[rec]),
            "follow-up": reverse("progress:recommendation-follow-up", args=[rec]),
            "institutions": reverse("reporting:portal-institutions"),
            "institution": reverse("reporting:portal-institution", args=[self.lead.pk]),
            "clusters": reverse("reporting:portal-clusters"),
            "cluster": reverse("reporting:portal-cluster", args=[self.cluster.pk]),
            "goals": reverse("reporting:portal-goals"),
            "goal": reverse("reporting:portal-goal", args=[16]),
            "plan": reverse("reporting:portal-plan"),
            "open data": reverse("reporting:open-data"),
        }


def _public_measure(data: PortalData, n: int, recommendations: list[Recommendation]) -> Measure:
    measure = MeasureFactory(
        plan=data.plan,
        title=f"Public measure {n}",
        lead_institution=data.lead,
        recommendations=recommendations,
        position=n,
    )
    measure.supporting_institutions.add(data.supporter)
    MilestoneFactory(measure=measure, title=f"Milestone of measure {n}")
    indicator = IndicatorFactory(measure=measure, name=f"Indicator of measure {n}")
    IndicatorValueFactory(indicator=indicator, value=37)
    published = ProgressReport.objects.create(
        measure=measure,
        institution=data.lead,
        period="2025",
        narrative=f"Published progress of measure {n}.",
        state=ReportState.PUBLISHED,
        published_at=timezone.now(),
    )
    Evidence.objects.create(
        report=published, title="Public programme", file="evidence/p.pdf", is_public=True
    )
    Evidence.objects.create(
        report=published, title=SECRETS["internal evidence"], file="evidence/i.pdf"
    )
    ProgressReport.objects.create(
        measure=measure,
        institution=data.lead,
        period="2026",
        narrative=SECRETS["unpublished progress report"],
        state=ReportState.ACCEPTED,
    )
    data.measures.append(measure)
    return measure


def build_portal(
    count: int = 10, *, measures: int = 3, lead: Institution | None = None
) -> PortalData:
    """``count`` published recommendations and ``measures`` public measures addressing them, led
    by ``lead`` (the focal point persona's ministry, say) or a new Ministry of Justice."""
    lead = lead or InstitutionFactory(name="Ministry of Justice", acronym="MOJ")
    supporter = InstitutionFactory(name="Judicial Service Commission")
    cluster = ClusterFactory(name="Justice and rule of law", lead_institution=lead)
    recommendations = bulk_recommendations(count, cluster=cluster)
    plan = PlanFactory(title="National action plan", adopted=True)
    draft_plan = PlanFactory(
        title=SECRETS["draft plan"], version=2, previous_version=plan, state=PlanState.DRAFT
    )
    data = PortalData(lead, supporter, cluster, plan, draft_plan, recommendations)
    for n in range(1, measures + 1):
        _public_measure(data, n, recommendations)

    MeasureFactory(
        plan=draft_plan,
        title=SECRETS["measure of a draft plan"],
        lead_institution=lead,
        recommendations=recommendations[:3],
    )
    for state, marker in (
        (ProposalState.PROPOSED, SECRETS["proposal"]),
        (ProposalState.DECLINED, SECRETS["declined proposal"]),
    ):
        MeasureFactory(
            plan=plan,
            title=marker,
            lead_institution=lead,
            recommendations=recommendations[:3],
            proposal_state=state,
        )

    rec = data.recommendation
    for kind, rating, state, summary in (
        (AssessorKind.GOVERNMENT, Rating.PARTIALLY, AssessmentState.PUBLISHED, "Public rating"),
        (AssessorKind.NHRI, Rating.NOT_IMPLEMENTED, AssessmentState.DRAFT, "Draft"),
    ):
        Assessment.objects.create(
            recommendation=rec,
            assessor_kind=kind,
            rating=rating,
            summary=summary if state == AssessmentState.PUBLISHED else SECRETS["draft assessment"],
            evidence="" if state == AssessmentState.PUBLISHED else SECRETS["draft assessment"],
            assessed_on=datetime.date(2025, 6, 1),
            state=state,
            published_at=timezone.now() if state == AssessmentState.PUBLISHED else None,
        )
    Comment.objects.create(
        recommendation=rec, text="An approved comment.", state=CommentState.APPROVED
    )
    Comment.objects.create(recommendation=rec, text=SECRETS["pending comment"])
    Comment.objects.create(
        recommendation=rec, text=SECRETS["rejected comment"], state=CommentState.REJECTED
    )
    RecommendationFactory(
        draft=True,
        document=rec.document,
        cluster=cluster,
        paragraph="999.1",
        text=SECRETS["draft recommendation"],
    )
    return data


def add_recommendations(data: PortalData, count: int) -> list[Recommendation]:
    """``count`` more published recommendations in the cluster, addressed by every measure."""
    more = bulk_recommendations(
        count, document=data.recommendation.document, cluster=data.cluster, start=1000
    )
    through = Measure.recommendations.through
    through.objects.bulk_create(
        through(measure=measure, recommendation=rec) for measure in data.measures for rec in more
    )
    data.recommendations += more
    analyze()
    return more

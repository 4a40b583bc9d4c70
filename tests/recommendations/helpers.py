"""Build many recommendations quickly, with their texts and tags, for query-count and search tests;
a small feed for the import pages and API."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from recommendations.models import (
    Cluster,
    Document,
    Position,
    PublicationState,
    Recommendation,
    RecommendationText,
    SdgGoal,
    SdgTarget,
    Theme,
)
from tests.factories.recommendations import DocumentFactory
from tests.factories.tracker import CountryFactory


def sdg_target(code: str = "16.3") -> SdgTarget:
    number = int(code.split(".")[0])
    goal, _ = SdgGoal.objects.get_or_create(
        number=number, defaults={"titles": {"en": f"Goal {number}"}}
    )
    target, _ = SdgTarget.objects.get_or_create(
        code=code,
        defaults={"goal": goal, "kind": "outcome", "sort_key": SdgTarget.sort_key_for(code)},
    )
    return target


def bulk_recommendations(
    count: int,
    *,
    document: Document | None = None,
    text: str = "Strengthen the independence of the judiciary and access to justice.",
    state: str = PublicationState.PUBLISHED,
    cluster: Cluster | None = None,
    start: int = 1,
) -> list[Recommendation]:
    """``count`` recommendations in one document, each tagged with a theme, a target and a State."""
    document = document or DocumentFactory()
    theme, _ = Theme.objects.get_or_create(name="Administration of justice & fair trial")
    target = sdg_target("16.3")
    state_country = CountryFactory(iso3="FRA", names={"en": "France"})
    recommendations = Recommendation.objects.bulk_create(
        Recommendation(
            document=document,
            paragraph=f"136.{n}",
            paragraph_sort=Recommendation.paragraph_sort_key(f"136.{n}"),
            position=Position.SUPPORTED,
            publication_state=state,
            cluster=cluster,
        )
        for n in range(start, start + count)
    )
    RecommendationText.objects.bulk_create(
        RecommendationText(recommendation=r, language="en", text=text) for r in recommendations
    )
    through = Recommendation.themes.through
    through.objects.bulk_create(through(recommendation=r, theme=theme) for r in recommendations)
    through = Recommendation.sdg_targets.through
    through.objects.bulk_create(
        through(recommendation=r, sdgtarget=target) for r in recommendations
    )
    through = Recommendation.recommending_states.through
    through.objects.bulk_create(
        through(recommendation=r, country=state_country) for r in recommendations
    )
    return recommendations


# A small feed for the import pages and API: one good row and one the import rejects.
IMPORT_FEED = [
    {
        "AnnotationId": "6f1d2a4e-0000-4000-8000-000000000001",
        "Text": "<p>136.1&nbsp;Ratify the Optional Protocol to the Convention against Torture</p>",
        "Symbol": "A/HRC/52/10",
        "Body": "UPR",
        "AnnotationType": "Recommendations",
        "PublicationDate": "2023-01-05",
        "Countries": ["Iraq"],
        "Sdgs": ["16.3 - Promote the rule of law"],
        "UprRecommendingStates": ["France"],
        "UprSession": "42nd Session",
        "UprPosition": "Supported",
    },
    {
        "AnnotationId": "not-a-uuid",
        "Text": "x",
        "Symbol": "X",
        "Body": "UPR",
        "Countries": ["Iraq"],
    },
]
OTHER_ROLES = ["focal_point", "validator", "nhri", "cso", "partner"]


def import_upload() -> SimpleUploadedFile:
    """The small feed as an uploaded file: one good row, one rejected."""
    return SimpleUploadedFile("feed.json", json.dumps(IMPORT_FEED).encode(), "application/json")

"""Build many recommendations quickly, with their texts and tags, for query-count and search tests."""

from __future__ import annotations

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

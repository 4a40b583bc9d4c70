"""Services of the national follow-up: clusters and their suggestions, related recommendations,
taxonomy review, recommendations entered by hand. Each checks its policy and writes nothing on a
refusal; each change is a history event that names the service and the person."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from pghistory.models import Events

from recommendations import policies, selectors
from recommendations.models import (
    AffectedGroup,
    Cluster,
    Document,
    Mechanism,
    Recommendation,
    RelatedDismissal,
    ReviewCycle,
    Theme,
)
from recommendations.services import (
    ManualRecommendation,
    SourceDocument,
    cluster_create,
    cluster_recommendations_change,
    cluster_suggestion_accept,
    cluster_update,
    recommendation_cluster_assign,
    recommendation_create_manual,
    recommendation_set_national_fields,
    recommendation_unlink_related,
    related_suggestion_confirm,
    related_suggestion_dismiss,
    taxonomy_term_accept,
    taxonomy_term_merge,
    taxonomy_term_rename,
)
from tests.factories.recommendations import (
    ClusterFactory,
    DocumentFactory,
    MechanismFactory,
    RecommendationFactory,
    ThemeFactory,
)
from tests.factories.tracker import CountryFactory
from tracker.exceptions import ApplicationError, ConflictError

pytestmark = pytest.mark.django_db

NOT_SECRETARIAT = ["focal_point", "validator", "other_focal_point", "nhri", "cso", "partner"]


def _actions(model) -> list[str]:
    """The services named by the history events of ``model``'s rows."""
    label = f"{model._meta.app_label}.{model.__name__}Event"
    return [
        e.pgh_context.get("action")
        for e in Events.objects.filter(pgh_model=label).order_by("pgh_created_at")
        if e.pgh_context
    ]


# -- clusters ----------------------------------------------------------------------------------


def test_cluster_create_update_and_retire_are_recorded(secretariat, ministry_a):
    cluster = cluster_create(
        actor=secretariat, name=" Justice ", code="JUS", lead_institution=ministry_a
    )
    assert (cluster.name, cluster.code) == ("Justice", "JUS")

    cluster_update(actor=secretariat, cluster=cluster, name="Justice and detention")
    cluster_update(actor=secretariat, cluster=cluster, is_active=False)
    cluster_update(actor=secretariat, cluster=cluster, is_active=False)  # nothing differs

    cluster.refresh_from_db()
    assert (cluster.name, cluster.is_active) == ("Justice and detention", False)
    events = cluster.pgh_event_model.objects.filter(pgh_obj=cluster).order_by("pgh_id")
    assert [e.pgh_label for e in events] == ["insert", "update", "update"]
    assert events.last().pgh_context.metadata["user"] == secretariat.pk


def test_cluster_code_is_optional_and_unique(secretariat):
    cluster_create(actor=secretariat, name="A", code="")
    cluster_create(actor=secretariat, name="B")  # two clusters without a code
    cluster_create(actor=secretariat, name="C", code="X")
    with pytest.raises(ApplicationError) as error:
        cluster_create(actor=secretariat, name="D", code="X")
    assert "code" in error.value.extra["fields"]
    assert Cluster.objects.count() == 3


@pytest.mark.parametrize("persona_name", NOT_SECRETARIAT)
def test_only_the_secretariat_manages_clusters(persona, persona_name):
    user = persona(persona_name)
    cluster = ClusterFactory(name="Keep")
    rec = RecommendationFactory()
    assert not policies.can_manage_clusters(user)
    with pytest.raises(PermissionDenied):
        cluster_create(actor=user, name="New")
    with pytest.raises(PermissionDenied):
        cluster_update(actor=user, cluster=cluster, name="Changed")
    with pytest.raises(PermissionDenied):
        recommendation_cluster_assign(actor=user, cluster=cluster, recommendation_ids=[rec.pk])
    with pytest.raises(PermissionDenied):
        cluster_suggestion_accept(actor=user, theme=ThemeFactory())
    assert list(Cluster.objects.values_list("name", flat=True)) == ["Keep"]
    rec.refresh_from_db()
    assert rec.cluster_id is None


def test_the_public_cannot_manage_clusters():
    with pytest.raises(PermissionDenied):
        cluster_create(actor=None, name="New")
    assert not Cluster.objects.exists()


def test_bulk_assignment_writes_only_the_changed_rows_and_counts_them(secretariat):
    cluster = ClusterFactory()
    already = RecommendationFactory(cluster=cluster)
    fresh = [RecommendationFactory() for _ in range(3)]

    changed = recommendation_cluster_assign(
        actor=secretariat, cluster=cluster, recommendation_ids=[already.pk, *(r.pk for r in fresh)]
    )

    assert changed == 3
    assert cluster.recommendations.count() == 4
    already.refresh_from_db()
    assert already.version == 1  # untouched
    assert {r.version for r in Recommendation.objects.filter(pk__in=[r.pk for r in fresh])} == {2}
    assert "recommendation_cluster_assign" in _actions(Recommendation)


def test_a_retired_cluster_takes_no_more_recommendations(secretariat):
    cluster = ClusterFactory(is_active=False)
    rec = RecommendationFactory()
    with pytest.raises(ApplicationError):
        recommendation_cluster_assign(
            actor=secretariat, cluster=cluster, recommendation_ids=[rec.pk]
        )
    with pytest.raises(ApplicationError):
        recommendation_set_national_fields(actor=secretariat, recommendation=rec, cluster=cluster)
    rec.refresh_from_db()
    assert rec.cluster_id is None


def test_cluster_change_refuses_an_id_both_added_and_removed(secretariat):
    cluster = ClusterFactory()
    rec = RecommendationFactory()
    with pytest.raises(ApplicationError):
        cluster_recommendations_change(
            actor=secretariat, cluster=cluster, add=[rec.pk], remove=[rec.pk]
        )


def test_a_stale_version_is_refused_and_writes_nothing(secretariat):
    rec = RecommendationFactory()
    recommendation_set_national_fields(
        actor=secretariat, recommendation=rec, expected_version=1, priority="low"
    )
    with pytest.raises(ConflictError):
        recommendation_set_national_fields(
            actor=secretariat,
            recommendation=rec,
            expected_version=1,
            priority="high",
            priority_reason="x",
        )
    rec.refresh_from_db()
    assert (rec.priority, rec.priority_reason, rec.version) == ("low", "", 2)


def test_suggestions_group_unclustered_recommendations_by_theme(secretariat):
    health, water = ThemeFactory(name="Health"), ThemeFactory(name="Water")
    for _ in range(3):
        RecommendationFactory().themes.add(health)
    RecommendationFactory().themes.add(water)
    RecommendationFactory(cluster=ClusterFactory()).themes.add(water)  # clustered: not counted
    RecommendationFactory(archived=True).themes.add(water)  # archived: not counted

    found = selectors.cluster_suggestions(actor=secretariat)

    assert [(s.theme.name, s.count) for s in found] == [("Health", 3), ("Water", 1)]


def test_accepting_a_suggestion_creates_the_cluster_and_assigns_in_one_action(
    secretariat, ministry_a
):
    health = ThemeFactory(name="Health")
    unclustered = [RecommendationFactory() for _ in range(2)]
    for rec in unclustered:
        rec.themes.add(health)
    elsewhere = RecommendationFactory(cluster=ClusterFactory())
    elsewhere.themes.add(health)

    cluster, assigned = cluster_suggestion_accept(
        actor=secretariat, theme=health, code="HEA", lead_institution=ministry_a
    )

    assert (cluster.name, cluster.code, assigned) == ("Health", "HEA", 2)
    assert set(cluster.recommendations.all()) == set(unclustered)
    assert selectors.cluster_suggestions(actor=secretariat) == []


def test_accepting_a_suggestion_with_a_taken_name_writes_nothing(secretariat):
    health = ThemeFactory(name="Health")
    RecommendationFactory().themes.add(health)
    ClusterFactory(name="Health")
    with pytest.raises(ApplicationError):
        cluster_suggestion_accept(actor=secretariat, theme=health)
    assert Cluster.objects.count() == 1
    assert not Recommendation.objects.filter(cluster__isnull=False).exists()


# -- related -----------------------------------------------------------------------------------


def _state_rec(text: str, symbol: str, country):
    return RecommendationFactory(
        document=DocumentFactory(symbol=symbol, country=country), text=text
    )


def test_related_suggestions_rank_by_similarity_and_forget_dismissed_ones(secretariat):
    country = CountryFactory(iso3="ZZZ")
    rec = _state_rec(
        "Ratify the Optional Protocol to the Convention against Torture", "A/1", country
    )
    close = _state_rec(
        "Ratify the Optional Protocol to the Convention against Torture promptly", "A/2", country
    )
    near = _state_rec("Consider ratifying the Optional Protocol against Torture", "A/3", country)
    _state_rec("Improve access to clean water in rural areas", "A/4", country)
    _state_rec(
        "Ratify the Optional Protocol to the Convention against Torture", "B/1", CountryFactory()
    )  # another State

    found = selectors.related_suggestions(actor=secretariat, recommendation=rec)
    assert [s.recommendation for s in found] == [close, near]
    assert found[0].similarity > found[1].similarity

    assert related_suggestion_dismiss(actor=secretariat, recommendation=rec, other=near)
    assert related_suggestion_confirm(actor=secretariat, recommendation=close, other=rec)

    assert selectors.related_suggestions(actor=secretariat, recommendation=rec) == []
    assert set(rec.related.all()) == {close}
    assert set(close.related.all()) == {rec}
    assert RelatedDismissal.objects.get().first_id == min(rec.pk, near.pk)


def test_unlinking_removes_both_directions_and_is_recorded(secretariat):
    a, b = RecommendationFactory(), RecommendationFactory()
    related_suggestion_confirm(actor=secretariat, recommendation=a, other=b)

    assert recommendation_unlink_related(actor=secretariat, recommendation=b, other=a)

    assert not a.related.exists()
    assert not b.related.exists()
    links = Events.objects.filter(pgh_model="recommendations.RecommendationRelatedEvent")
    assert sorted(e.pgh_label for e in links) == ["link.add"] * 2 + ["link.remove"] * 2


def test_a_linked_pair_cannot_be_dismissed(secretariat):
    a, b = RecommendationFactory(), RecommendationFactory()
    related_suggestion_confirm(actor=secretariat, recommendation=a, other=b)
    with pytest.raises(ApplicationError):
        related_suggestion_dismiss(actor=secretariat, recommendation=a, other=b)
    with pytest.raises(ApplicationError):
        related_suggestion_confirm(actor=secretariat, recommendation=a, other=a)


@pytest.mark.parametrize("persona_name", NOT_SECRETARIAT)
def test_only_the_secretariat_links_related_recommendations(persona, persona_name):
    user = persona(persona_name)
    a, b = RecommendationFactory(), RecommendationFactory()
    for service in (related_suggestion_confirm, related_suggestion_dismiss):
        with pytest.raises(PermissionDenied):
            service(actor=user, recommendation=a, other=b)
    assert not a.related.exists()
    assert not RelatedDismissal.objects.exists()


# -- taxonomy review ---------------------------------------------------------------------------


def test_accept_and_rename_mark_the_entry_reviewed_and_keep_its_key(secretariat):
    theme = Theme.objects.create(name="New label", is_reviewed=False, key="new label")
    group = AffectedGroup.objects.create(name="Old group", is_reviewed=False)

    taxonomy_term_accept(actor=secretariat, term=theme)
    renamed = taxonomy_term_rename(actor=secretariat, term=group, name="  Better   group ")

    theme.refresh_from_db()
    assert theme.is_reviewed
    assert (renamed.name, renamed.key, renamed.is_reviewed) == ("Better group", "old group", True)
    assert selectors.unreviewed_terms()["affected_group"] == []


def test_rename_to_a_taken_or_empty_name_is_refused(secretariat):
    ThemeFactory(name="Taken")
    theme = Theme.objects.create(name="New", is_reviewed=False)
    for name in ("Taken", "   "):
        with pytest.raises(ApplicationError) as error:
            taxonomy_term_rename(actor=secretariat, term=theme, name=name)
        assert "name" in error.value.extra["fields"]
    theme.refresh_from_db()
    assert (theme.name, theme.is_reviewed) == ("New", False)


def test_merge_moves_the_links_and_removes_the_merged_theme(secretariat):
    keeper = ThemeFactory(name="Keeper")
    duplicate = Theme.objects.create(name="Dup", is_reviewed=False, key="dup")
    both = RecommendationFactory()
    both.themes.add(keeper, duplicate)
    only = RecommendationFactory()
    only.themes.add(duplicate)

    taxonomy_term_merge(actor=secretariat, term=duplicate, into=keeper)

    assert not Theme.objects.filter(pk=duplicate.pk).exists()
    assert set(keeper.recommendations.all()) == {both, only}
    keeper.refresh_from_db()
    assert keeper.merged_keys == ["dup"]
    actions = {
        e.pgh_context["action"]
        for e in Events.objects.filter(pgh_model="recommendations.RecommendationThemeEvent")
        if e.pgh_context
    }
    assert actions == {"taxonomy_term_merge"}


def test_merge_of_a_mechanism_moves_documents_and_cycles(secretariat):
    keeper = MechanismFactory(code="CRC", family="treaty_body")
    duplicate = Mechanism.objects.create(code="C.R.C.", family="treaty_body", is_reviewed=False)
    ReviewCycle.objects.create(mechanism=keeper, number=1)
    same = ReviewCycle.objects.create(mechanism=duplicate, number=1)
    other = ReviewCycle.objects.create(mechanism=duplicate, number=2)
    doc_same = DocumentFactory(mechanism=duplicate, cycle=same)
    doc_other = DocumentFactory(mechanism=duplicate, cycle=other)

    taxonomy_term_merge(actor=secretariat, term=duplicate, into=keeper)

    assert not Mechanism.objects.filter(pk=duplicate.pk).exists()
    assert set(Document.objects.filter(mechanism=keeper)) == {doc_same, doc_other}
    doc_same.refresh_from_db()
    assert doc_same.cycle.mechanism_id == keeper.pk
    assert sorted(keeper.cycles.values_list("number", flat=True)) == [1, 2]


def test_merge_into_itself_or_another_kind_is_refused(secretariat):
    theme = ThemeFactory()
    group = AffectedGroup.objects.create(name="G")
    with pytest.raises(ApplicationError):
        taxonomy_term_merge(actor=secretariat, term=theme, into=theme)
    with pytest.raises(ApplicationError):
        taxonomy_term_merge(actor=secretariat, term=theme, into=group)
    assert Theme.objects.filter(pk=theme.pk).exists()


@pytest.mark.parametrize("persona_name", NOT_SECRETARIAT)
def test_only_the_secretariat_reviews_the_taxonomies(persona, persona_name):
    user = persona(persona_name)
    theme = Theme.objects.create(name="New", is_reviewed=False)
    keeper = ThemeFactory(name="Keeper")
    with pytest.raises(PermissionDenied):
        taxonomy_term_accept(actor=user, term=theme)
    with pytest.raises(PermissionDenied):
        taxonomy_term_rename(actor=user, term=theme, name="X")
    with pytest.raises(PermissionDenied):
        taxonomy_term_merge(actor=user, term=theme, into=keeper)
    theme.refresh_from_db()
    assert (theme.name, theme.is_reviewed) == ("New", False)


# -- entered by hand ---------------------------------------------------------------------------


def _entry(**changes) -> ManualRecommendation:
    values = {
        "mechanism_code": "ACHPR",
        "family": "regional",
        "document": SourceDocument(symbol="ACHPR/1", title="Observations", url="https://x.org"),
        "text": "Abolish the death penalty.",
    }
    return ManualRecommendation(**{**values, **changes})


def test_a_recommendation_entered_by_hand_is_marked_and_reuses_its_document(secretariat):
    theme = ThemeFactory()
    first = recommendation_create_manual(actor=secretariat, entry=_entry(theme_ids=[theme.pk]))
    second = recommendation_create_manual(actor=secretariat, entry=_entry(paragraph="2"))

    assert first.is_manual
    assert first.annotation_id is None
    assert first.document_id == second.document_id
    assert first.document.mechanism.family == "regional"
    assert list(first.themes.all()) == [theme]
    assert first.texts.get().source == "official"
    assert "recommendation_create_manual" in _actions(Recommendation)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": "  "}, "text"),
        ({"language": "xx"}, "language"),
        ({"position": "maybe"}, "position"),
        ({"theme_ids": [999999]}, "themes"),
        ({"document": SourceDocument(symbol="")}, "symbol"),
        ({"mechanism_code": ""}, "mechanism"),
    ],
)
def test_bad_manual_entries_are_refused_with_the_field(secretariat, changes, field):
    with pytest.raises(ApplicationError) as error:
        recommendation_create_manual(actor=secretariat, entry=_entry(**changes))
    assert field in error.value.extra["fields"]
    assert not Recommendation.objects.exists()
    assert not Document.objects.exists()


@pytest.mark.parametrize("persona_name", NOT_SECRETARIAT)
def test_only_the_secretariat_enters_recommendations(persona, persona_name):
    with pytest.raises(PermissionDenied):
        recommendation_create_manual(actor=persona(persona_name), entry=_entry())
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize(
    "persona_name", ["public", "secretariat", "focal_point", "validator", "nhri", "cso", "partner"]
)
def test_the_national_follow_up_policies_allow_the_secretariat_only(persona, persona_name):
    user = persona(persona_name)
    allowed = persona_name == "secretariat"
    assert policies.can_manage_clusters(user) is allowed
    assert policies.can_review_taxonomy(user) is allowed
    assert policies.can_enter_recommendations(user) is allowed
    assert policies.can_edit_recommendation(user, None) is allowed

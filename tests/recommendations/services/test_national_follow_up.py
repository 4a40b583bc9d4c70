"""The services that write what imports never do: national fields, translations, related links,
document details and review cycles."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from pghistory.models import Context, Events

from recommendations.models import (
    ImplementationStatus,
    Priority,
    PublicationState,
    Recommendation,
    ReviewCycle,
    TextSource,
)
from recommendations.services import (
    TextInput,
    document_update,
    recommendation_link_related,
    recommendation_link_related_bulk,
    recommendation_set_national_fields,
    recommendation_set_national_fields_bulk,
    recommendation_text_set,
    recommendation_text_set_bulk,
    review_cycle_get_or_create,
)
from tests.factories.recommendations import (
    ClusterFactory,
    DocumentFactory,
    MechanismFactory,
    RecommendationFactory,
)
from tracker.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


def test_secretariat_sets_national_fields_in_one_audited_change(secretariat):
    rec = RecommendationFactory()
    cluster = ClusterFactory()
    recommendation_set_national_fields(
        actor=secretariat,
        recommendation=rec,
        cluster=cluster,
        priority=Priority.HIGH,
        status=ImplementationStatus.IN_PROGRESS,
        status_override_reason="Bill before parliament.",
        publication_state=PublicationState.DRAFT,
        is_current=False,
        position_source="A/HRC/49/14/Add.1",
    )
    rec.refresh_from_db()
    assert (rec.cluster, rec.priority, rec.status, rec.is_current) == (
        cluster,
        Priority.HIGH,
        ImplementationStatus.IN_PROGRESS,
        False,
    )
    assert rec.version == 2
    [event] = Events.objects.references(rec).filter(
        pgh_context__action="recommendation_set_national_fields"
    )
    assert event.pgh_context["username"] == "secretariat"
    assert event.pgh_diff["priority"] == ["", Priority.HIGH]


def test_setting_national_fields_to_what_they_are_writes_nothing(secretariat):
    rec = RecommendationFactory(priority=Priority.LOW)
    contexts, events = Context.objects.count(), Events.objects.count()
    changed = recommendation_set_national_fields_bulk(
        actor=secretariat, changes={rec.pk: {"priority": Priority.LOW, "cluster": None}}
    )
    assert changed == 0
    assert (Context.objects.count(), Events.objects.count()) == (contexts, events)
    assert Recommendation.objects.get(pk=rec.pk).version == 1


def test_bulk_national_fields_change_only_the_rows_that_differ():
    recs = RecommendationFactory.create_batch(3, priority=Priority.LOW)
    changed = recommendation_set_national_fields_bulk(
        actor=None,
        changes={
            recs[0].pk: {"priority": Priority.LOW},
            recs[1].pk: {"priority": Priority.HIGH},
            recs[2].pk: {"national_notes": "To discuss."},
        },
    )
    assert changed == 2
    versions = dict(Recommendation.objects.values_list("pk", "version"))
    assert [versions[r.pk] for r in recs] == [1, 2, 2]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"priority": "urgent"}, "priority"),
        ({"status": ""}, "status"),
        ({"publication_state": "deleted"}, "publication_state"),
        ({"cluster": "Justice"}, "cluster"),
    ],
)
def test_invalid_national_fields_are_refused_with_the_field(fields, field):
    rec = RecommendationFactory()
    with pytest.raises(ApplicationError) as error:
        recommendation_set_national_fields(actor=None, recommendation=rec, **fields)
    assert field in error.value.extra["fields"]


def test_a_field_the_un_owns_is_not_a_national_field():
    rec = RecommendationFactory()
    with pytest.raises(ApplicationError, match="annotation_type"):
        recommendation_set_national_fields(actor=None, recommendation=rec, annotation_type="x")


def test_focal_point_cannot_set_national_fields_or_texts_or_links(focal_point):
    rec, other = RecommendationFactory.create_batch(2)
    with pytest.raises(PermissionDenied):
        recommendation_set_national_fields(actor=focal_point, recommendation=rec, priority="high")
    with pytest.raises(PermissionDenied):
        recommendation_text_set(actor=focal_point, recommendation=rec, language="fr", text="Texte")
    with pytest.raises(PermissionDenied):
        recommendation_link_related(actor=focal_point, recommendation=rec, others=[other])
    assert Recommendation.objects.get(pk=rec.pk).priority == ""


def test_translation_is_added_then_changed_and_an_unchanged_one_writes_nothing(secretariat):
    rec = RecommendationFactory()
    text = recommendation_text_set(
        actor=secretariat, recommendation=rec, language="fr", text="Ratifier le Protocole.\nVite."
    )
    assert (text.source, text.html) == (
        TextSource.UNOFFICIAL,
        "<p>Ratifier le Protocole.</p><p>Vite.</p>",
    )
    recommendation_text_set(
        actor=secretariat, recommendation=rec, language="fr", text="Ratifier le Protocole."
    )
    assert rec.texts.get(language="fr").text == "Ratifier le Protocole."
    contexts = Context.objects.count()
    written = recommendation_text_set_bulk(
        actor=secretariat, texts=[TextInput(rec.pk, "fr", "Ratifier le Protocole.")]
    )
    assert written == 0
    assert Context.objects.count() == contexts


def test_a_written_translation_moves_the_recommendation_updated_at_and_no_version(secretariat):
    rec, other = RecommendationFactory.create_batch(2)
    long_ago = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    Recommendation.objects.update(updated_at=long_ago)

    recommendation_text_set(actor=secretariat, recommendation=rec, language="fr", text="Texte")

    rec.refresh_from_db()
    other.refresh_from_db()
    assert rec.updated_at > long_ago
    assert other.updated_at == long_ago
    assert (rec.version, rec.national_version) == (1, 1)
    Recommendation.objects.update(updated_at=long_ago)
    recommendation_text_set(actor=secretariat, recommendation=rec, language="fr", text="Texte")
    assert Recommendation.objects.get(pk=rec.pk).updated_at == long_ago  # nothing written


def test_official_texts_are_never_overwritten_nor_added_by_the_translation_service():
    rec = RecommendationFactory(text="Ratify.")
    with pytest.raises(ApplicationError, match="official"):
        recommendation_text_set(actor=None, recommendation=rec, language="en", text="Other.")
    with pytest.raises(ApplicationError, match="UN feed"):
        recommendation_text_set(
            actor=None, recommendation=rec, language="fr", text="X", source=TextSource.OFFICIAL
        )
    with pytest.raises(ApplicationError, match="language"):
        recommendation_text_set(actor=None, recommendation=rec, language="de", text="X")
    assert list(rec.texts.values_list("language", "text")) == [("en", "Ratify.")]


def test_related_links_go_both_ways_and_are_added_once(secretariat):
    a, b, c = RecommendationFactory.create_batch(3)
    assert recommendation_link_related(actor=secretariat, recommendation=a, others=[b, c]) == 2
    assert set(b.related.all()) == {a}
    assert set(a.related.all()) == {b, c}
    assert recommendation_link_related_bulk(actor=secretariat, pairs=[(b.pk, a.pk)]) == 0
    with pytest.raises(ApplicationError):
        recommendation_link_related(actor=secretariat, recommendation=a, others=[a])


def test_document_details_are_set_and_an_unchanged_call_writes_nothing(secretariat):
    document = DocumentFactory(mechanism=MechanismFactory(code="CRC"))
    cycle = ReviewCycle.objects.create(mechanism=document.mechanism, number=6)
    document_update(
        actor=secretariat,
        document=document,
        title="Concluding observations",
        languages=["en", "fr"],
        cycle=cycle,
    )
    document.refresh_from_db()
    assert (document.title, document.languages, document.cycle) == (
        "Concluding observations",
        ["en", "fr"],
        cycle,
    )
    contexts = Context.objects.count()
    document_update(actor=secretariat, document=document, title="Concluding observations")
    assert Context.objects.count() == contexts
    upr = ReviewCycle.objects.create(mechanism=MechanismFactory(code="UPR"), number=1)
    with pytest.raises(ApplicationError, match="another mechanism"):
        document_update(actor=secretariat, document=document, cycle=upr)


def test_review_cycle_is_created_then_only_its_missing_fields_are_filled(secretariat):
    upr = MechanismFactory(code="UPR")
    cycle, created = review_cycle_get_or_create(
        actor=secretariat, mechanism=upr, number=4, label="UPR cycle 4", session=51
    )
    assert created
    cycle.label = "Fourth cycle"
    cycle.save()
    cycle, created = review_cycle_get_or_create(
        actor=secretariat,
        mechanism=upr,
        number=4,
        label="UPR cycle 4",
        session=50,
        review_date=datetime.date(2026, 1, 27),
    )
    assert not created
    assert (cycle.label, cycle.session, cycle.review_date) == (
        "Fourth cycle",
        51,
        datetime.date(2026, 1, 27),
    )
    contexts = Context.objects.count()
    review_cycle_get_or_create(actor=secretariat, mechanism=upr, number=4, session=52)
    assert Context.objects.count() == contexts

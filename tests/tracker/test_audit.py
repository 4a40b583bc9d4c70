from __future__ import annotations

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from pghistory.models import Context, Events

from recommendations.models import Recommendation, Theme
from tests.factories.recommendations import RecommendationFactory
from tracker.audit import audit_context

pytestmark = pytest.mark.django_db


def test_changes_inside_an_audit_context_record_the_actor_and_action(secretariat):
    rec = RecommendationFactory()
    with audit_context(actor=secretariat, action="recommendation_prioritise"):
        rec.priority = "high"
        rec.save()
        rec.themes.add(Theme.objects.create(name="Torture"))

    events = list(
        Events.objects.references(rec).filter(pgh_context__action="recommendation_prioritise")
    )
    labels = sorted(e.pgh_label for e in events)
    assert "update" in labels
    assert "link.add" in labels
    update = next(e for e in events if e.pgh_label == "update")
    assert update.pgh_diff["priority"] == ["", "high"]
    assert update.pgh_context["username"] == "secretariat"


def test_saving_without_a_change_records_no_event():
    rec = RecommendationFactory()
    before = Events.objects.references(rec).count()
    Recommendation.objects.get(pk=rec.pk).save(update_fields=["status"])
    assert Events.objects.references(rec).count() == before


def test_a_statement_records_one_event_per_changed_row_under_one_context(secretariat):
    recs = RecommendationFactory.create_batch(5)
    Recommendation.objects.filter(pk=recs[0].pk).update(priority="high")
    before = Events.objects.count()
    with audit_context(actor=secretariat, action="bulk_prioritise"):
        # One statement over five rows, one of which it leaves as it was.
        Recommendation.objects.filter(pk__in=[r.pk for r in recs]).update(priority="high")
    events = Events.objects.filter(pgh_context__action="bulk_prioritise")
    assert Events.objects.count() - before == 4
    assert sorted(e.pgh_obj_id for e in events) == sorted(str(r.pk) for r in recs[1:])
    assert len({e.pgh_context_id for e in events}) == 1


def test_a_statement_that_changes_nothing_records_no_event_and_no_context(secretariat):
    rec = RecommendationFactory()
    events, contexts = Events.objects.count(), Context.objects.count()
    with audit_context(actor=secretariat, action="nothing"), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE recommendations_recommendation SET priority = priority WHERE id = %s", [rec.pk]
        )
        cursor.execute("DELETE FROM recommendations_theme WHERE false")
        cursor.execute(
            "INSERT INTO recommendations_theme (name, names, source, is_reviewed) "
            "SELECT 'x', '{}', 'uhri', false WHERE false"
        )
    assert Events.objects.count() == events
    assert Context.objects.count() == contexts


def test_history_cannot_be_rewritten():
    rec = RecommendationFactory()
    event_model = apps.get_model("recommendations", "RecommendationEvent")
    assert event_model.objects.filter(pgh_obj=rec).exists()
    with pytest.raises(DatabaseError), transaction.atomic():
        event_model.objects.filter(pgh_obj=rec).update(status="implemented")


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"

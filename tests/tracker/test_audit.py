from __future__ import annotations

import pytest
from django.apps import apps
from django.db import DatabaseError, transaction
from pghistory.models import Events

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

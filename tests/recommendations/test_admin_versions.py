"""The Django admin refuses a save of a recommendation opened at an older version."""

from __future__ import annotations

import pytest
from django.contrib.admin import site

from recommendations.admin import RecommendationAdmin, RecommendationAdminForm
from recommendations.models import Recommendation
from recommendations.services import recommendation_set_national_fields
from tests.factories.recommendations import RecommendationFactory

pytestmark = pytest.mark.django_db


def _form(rec, seen_version):
    return RecommendationAdminForm(
        data={"seen_version": seen_version, "priority": "high"}, instance=rec
    )


def test_a_form_opened_before_another_change_is_refused(secretariat):
    rec = RecommendationFactory()
    opened = RecommendationAdminForm(instance=rec)
    assert opened.fields["seen_version"].initial == 1
    recommendation_set_national_fields(actor=secretariat, recommendation=rec, priority="low")

    form = _form(rec, 1)

    assert not form.is_valid()
    assert form.has_error("__all__", code="stale")


def test_a_form_of_the_current_version_has_no_conflict(secretariat):
    rec = RecommendationFactory()
    form = _form(rec, 1)
    form.is_valid()
    assert not form.has_error("__all__", code="stale")


def test_an_admin_save_of_a_national_field_raises_both_versions(rf, secretariat):
    rec = RecommendationFactory()
    form = _form(rec, 1)
    assert form.is_valid(), form.errors
    request = rf.post("/")
    request.user = secretariat

    RecommendationAdmin(Recommendation, site).save_model(
        request, form.save(commit=False), form, change=True
    )

    rec.refresh_from_db()
    assert (rec.priority, rec.version, rec.national_version) == ("high", 2, 2)

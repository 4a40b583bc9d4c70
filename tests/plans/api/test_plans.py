"""The plans API: /api/v1/plans/, adopt, close, new-version."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import ImplementationPlan, PlanState
from tests.factories.plans import MeasureFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:plan-list")


def detail(plan, name="detail"):
    return reverse(f"api:plan-{name}", args=[plan.pk])


def test_secretariat_creates_a_plan(api_client_as):
    response = api_client_as("secretariat").post(
        LIST,
        {
            "title": "National plan",
            "starts_on": "2025-01-01",
            "ends_on": "2029-12-31",
            "state": "adopted",
            "version": 7,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    # state and version are read-only: what was sent for them is ignored.
    assert (body["title"], body["state"], body["version"]) == ("National plan", "draft", 1)
    assert set(body) >= {"id", "title", "starts_on", "ends_on", "state", "version"}


def test_bad_input_is_a_400_with_the_fields(api_client_as):
    client = api_client_as("secretariat")
    response = client.post(LIST, {"title": "", "starts_on": "yesterday"}, format="json")
    assert response.status_code == 400
    fields = response.json()["extra"]["fields"]
    assert {"title", "starts_on", "ends_on"} <= set(fields)
    response = client.post(
        LIST,
        {"title": "Backwards", "starts_on": "2026-01-01", "ends_on": "2025-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "ends_on" in response.json()["extra"]["fields"]
    assert not ImplementationPlan.objects.exists()


def test_a_draft_is_404_to_those_who_may_not_see_it(api_client_as, draft_plan):
    for name in ("public", "nhri", "cso", "partner"):
        assert api_client_as(name).get(detail(draft_plan)).status_code == 404, name
    assert api_client_as("secretariat").get(detail(draft_plan)).status_code == 200


def test_adopt_returns_the_plan(api_client_as, draft_plan):
    response = api_client_as("secretariat").post(detail(draft_plan, "adopt"), format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["state"], body["adopted_on"]) == (
        draft_plan.pk,
        "adopted",
        timezone.localdate().isoformat(),
    )


def test_adopt_with_a_date(api_client_as, draft_plan):
    response = api_client_as("secretariat").post(
        detail(draft_plan, "adopt"), {"adopted_on": "2025-03-01"}, format="json"
    )
    assert response.json()["adopted_on"] == "2025-03-01"
    response = api_client_as("secretariat").post(
        detail(draft_plan, "adopt"), {"adopted_on": "soon"}, format="json"
    )
    assert response.status_code == 400


def test_adopting_with_proposals_waiting_is_a_conflict(api_client_as, proposal):
    response = api_client_as("secretariat").post(detail(proposal.plan, "adopt"))
    assert response.status_code == 409
    assert response.json()["extra"]["code"] == "proposals_waiting"


def test_new_version_is_201_with_the_new_draft(api_client_as, adopted_plan):
    MeasureFactory(plan=adopted_plan)
    response = api_client_as("secretariat").post(detail(adopted_plan, "new-version"))
    assert response.status_code == 201
    body = response.json()
    assert (body["state"], body["version"], body["previous_version"]) == (
        "draft",
        2,
        adopted_plan.pk,
    )
    again = api_client_as("secretariat").post(detail(adopted_plan, "new-version"))
    assert again.status_code == 409
    assert again.json()["extra"] == {"code": "newer_version", "plan": body["id"]}
    assert (
        api_client_as("secretariat").get(detail(adopted_plan)).json()["next_version"]
        == (body["id"])
    )


def test_a_draft_gets_no_new_version(api_client_as, draft_plan):
    response = api_client_as("secretariat").post(detail(draft_plan, "new-version"))
    assert response.status_code == 409


def test_an_adopted_plan_cannot_be_changed(api_client_as, adopted_plan):
    client = api_client_as("secretariat")
    response = client.patch(detail(adopted_plan), {"title": "Changed"}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert "adopted" in body["message"]
    assert body["extra"]["code"] == "frozen"
    assert client.delete(detail(adopted_plan)).status_code == 409
    adopted_plan.refresh_from_db()
    assert adopted_plan.title == "Adopted plan"


def test_a_draft_is_changed_and_deleted(api_client_as, draft_plan):
    client = api_client_as("secretariat")
    response = client.patch(detail(draft_plan), {"title": "Renamed"}, format="json")
    assert (response.status_code, response.json()["title"]) == (200, "Renamed")
    response = client.put(
        detail(draft_plan),
        {"title": "Put", "description": "", "starts_on": "2025-01-01", "ends_on": "2025-12-31"},
        format="json",
    )
    assert (response.status_code, response.json()["ends_on"]) == (200, "2025-12-31")
    assert client.delete(detail(draft_plan)).status_code == 204
    assert not ImplementationPlan.objects.exists()


def test_close(api_client_as, adopted_plan, draft_plan):
    client = api_client_as("secretariat")
    assert client.post(detail(adopted_plan, "close")).json()["state"] == PlanState.CLOSED
    assert client.post(detail(draft_plan, "close")).status_code == 409


def test_filter_by_state(api_client_as, draft_plan, adopted_plan):
    rows = api_client_as("secretariat").get(LIST, {"state": "draft"}).json()["results"]
    assert [r["id"] for r in rows] == [draft_plan.pk]
    assert api_client_as("secretariat").get(LIST, {"state": "nope"}).status_code == 400

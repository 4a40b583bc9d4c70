"""The measures API: /api/v1/measures/ with proposals, accept, decline and the SMART check."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plans.models import Measure, ProposalState
from tests.factories.plans import MeasureFactory, NationalGoalFactory
from tests.factories.recommendations import RecommendationFactory
from tests.recommendations.helpers import sdg_target

pytestmark = pytest.mark.django_db

LIST = reverse("api:measure-list")


def detail(measure, name="detail"):
    return reverse(f"api:measure-{name}", args=[measure.pk])


def payload(plan_, lead, **extra):
    return {"plan": plan_.pk, "title": "Table a bill", "lead_institution": lead.pk, **extra}


def test_secretariat_writes_a_measure_with_every_field(
    api_client_as, draft_plan, ministry_a, ministry_b
):
    recs = [RecommendationFactory(), RecommendationFactory()]
    sdg_target("16.3")
    goal = NationalGoalFactory()
    response = api_client_as("secretariat").post(
        LIST,
        payload(
            draft_plan,
            ministry_a,
            description="A bill on the judicial council.",
            kind="legislative",
            recommendations=[r.pk for r in recs],
            supporting_institutions=[ministry_b.pk],
            starts_on="2025-06-01",
            ends_on="2026-12-31",
            status="in_progress",
            sdg_targets=["16.3"],
            framework_goals=[goal.pk],
            gender_marker="significant",
            technical_assistance="Comparative review.",
            expected_outcome="A council appoints judges.",
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["plan"] == draft_plan.pk
    assert body["kind"] == "legislative"
    assert sorted(body["recommendations"]) == sorted(r.pk for r in recs)
    assert body["lead_institution"] == ministry_a.pk
    assert body["supporting_institutions"] == [ministry_b.pk]
    assert body["sdg_targets"] == ["16.3"]
    assert body["framework_goals"] == [goal.pk]
    assert (body["status"], body["gender_marker"], body["proposal_state"]) == (
        "in_progress",
        "significant",
        "",
    )
    assert body["smart"] == {
        "specific": None,
        "measurable": None,
        "achievable": None,
        "relevant": None,
        "time_bound": None,
        "note": "",
        "checked_on": None,
    }


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"kind": "magic"}, "kind"),
        ({"status": "done"}, "status"),
        ({"recommendations": [999999]}, "recommendations"),
        ({"recommendations": "1,2"}, "recommendations"),
        ({"recommendations": [2**70]}, "recommendations"),
        ({"sdg_targets": ["99.9"]}, "sdg_targets"),
        ({"supporting_institutions": [0]}, "supporting_institutions"),
        ({"starts_on": "2026-01-01", "ends_on": "2025-01-01"}, "ends_on"),
        ({"lead_institution": 2**70}, "lead_institution"),
        ({"plan": "abc"}, "plan"),
        ({"plan": 2**70}, "plan"),
        ({"title": "x" * 501}, "title"),
    ],
)
def test_bad_input_is_a_400_with_the_field(api_client_as, draft_plan, ministry_a, extra, field):
    response = api_client_as("secretariat").post(
        LIST, payload(draft_plan, ministry_a, **extra), format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["extra"]["fields"]
    assert not Measure.objects.exists()


def test_a_measure_of_an_adopted_plan_cannot_be_changed(api_client_as, adopted_measure):
    client = api_client_as("secretariat")
    response = client.patch(detail(adopted_measure), {"title": "Changed"}, format="json")
    assert response.status_code == 409
    assert response.json()["extra"] == {
        "code": "frozen",
        "plan": adopted_measure.plan_id,
        "state": "adopted",
    }
    assert client.delete(detail(adopted_measure)).status_code == 409
    response = client.post(
        LIST, payload(adopted_measure.plan, adopted_measure.lead_institution), format="json"
    )
    assert response.status_code == 409
    assert Measure.objects.get().title == adopted_measure.title


def test_a_patch_sets_the_links_given(api_client_as, draft_measure):
    other = RecommendationFactory()
    response = api_client_as("secretariat").patch(
        detail(draft_measure), {"recommendations": [other.pk], "sdg_targets": []}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["recommendations"] == [other.pk]


def test_a_focal_point_proposes_for_its_own_institution(api_client_as, draft_plan, ministry_a):
    response = api_client_as("focal_point").post(
        LIST, payload(draft_plan, ministry_a), format="json"
    )
    assert response.status_code == 201
    assert response.json()["proposal_state"] == ProposalState.PROPOSED


def test_a_focal_point_does_not_propose_for_another_institution(
    api_client_as, draft_plan, ministry_b
):
    response = api_client_as("focal_point").post(
        LIST, payload(draft_plan, ministry_b), format="json"
    )
    assert response.status_code == 403
    assert not Measure.objects.exists()


def test_a_proposal_names_its_lead(api_client_as, draft_plan):
    response = api_client_as("focal_point").post(
        LIST, {"plan": draft_plan.pk, "title": "No lead"}, format="json"
    )
    assert response.status_code == 400
    assert "lead_institution" in response.json()["extra"]["fields"]


def test_accept_decline_and_smart_check(api_client_as, draft_plan, ministry_a, focal_point):
    client = api_client_as("secretariat")
    first = MeasureFactory(plan=draft_plan, lead_institution=ministry_a, proposal_state="proposed")
    second = MeasureFactory(plan=draft_plan, lead_institution=ministry_a, proposal_state="proposed")
    assert client.post(detail(first, "accept")).json()["proposal_state"] == "accepted"
    response = client.post(detail(second, "decline"), {}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()["extra"]["fields"]
    response = client.post(detail(second, "decline"), {"reason": "Covered"}, format="json")
    assert (response.json()["proposal_state"], response.json()["decline_reason"]) == (
        "declined",
        "Covered",
    )
    assert client.post(detail(second, "accept")).status_code == 409
    response = client.post(
        detail(first, "smart-check"),
        {
            "specific": True,
            "measurable": False,
            "achievable": True,
            "relevant": True,
            "time_bound": None,
            "note": "Add a target.",
        },
        format="json",
    )
    assert response.status_code == 200
    smart = response.json()["smart"]
    assert (smart["measurable"], smart["time_bound"], smart["note"]) == (
        False,
        None,
        "Add a target.",
    )
    assert smart["checked_on"] is not None


def test_filter_by_plan(api_client_as, draft_measure, adopted_measure):
    client = api_client_as("secretariat")
    rows = client.get(LIST, {"plan": draft_measure.plan_id}).json()["results"]
    assert [r["id"] for r in rows] == [draft_measure.pk]
    assert client.get(LIST, {"plan": "x"}).status_code == 400
    assert client.get(LIST, {"plan": 2**70}).status_code == 400


def test_the_public_sees_measures_of_adopted_plans_only(
    api_client_as, draft_measure, adopted_measure
):
    MeasureFactory(plan=adopted_measure.plan, proposal_state=ProposalState.DECLINED)
    rows = api_client_as("public").get(LIST).json()["results"]
    assert [r["id"] for r in rows] == [adopted_measure.pk]


def test_recommendations_the_reader_may_not_see_are_not_listed(api_client_as, adopted_measure):
    hidden = RecommendationFactory(draft=True)
    adopted_measure.recommendations.add(hidden)
    public = api_client_as("public").get(detail(adopted_measure)).json()
    assert hidden.pk not in public["recommendations"]
    assert (
        hidden.pk
        in api_client_as("secretariat").get(detail(adopted_measure)).json()["recommendations"]
    )

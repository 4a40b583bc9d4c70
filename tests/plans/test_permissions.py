"""Who sees and does what with plans: every persona, allowed and refused, in the policies and the
API. A refused request writes nothing (no row, no history event)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse
from pghistory.models import Events

from plans import policies
from plans.models import ProposalState
from tests.factories.plans import (
    ConsultationFactory,
    IndicatorFactory,
    MeasureFactory,
    NationalFrameworkFactory,
    PlanFactory,
)
from tests.factories.recommendations import RecommendationFactory
from tests.factories.tracker import InstitutionFactory

pytestmark = pytest.mark.django_db

PERSONAS = [
    "public",
    "secretariat",
    "focal_point",
    "validator",
    "other_focal_point",
    "nhri",
    "cso",
    "partner",
]
STATE_ROLES = {"secretariat", "focal_point", "validator", "other_focal_point"}


@dataclass
class World:
    draft: object
    ready: object  # a draft with no proposal waiting: it may be adopted
    adopted: object
    closed: object
    draft_a: object  # a measure of the draft plan led by ministry A
    draft_b: object
    supported_by_a: object  # led by another ministry, ministry A supporting
    proposal_a: object  # proposed by ministry A's focal point
    adopted_a: object
    adopted_b: object
    declined_a: object  # a declined proposal of ministry A, in the adopted plan
    indicator: object  # on adopted_a


@pytest.fixture
def world(ministry_a, ministry_b, focal_point):
    draft = PlanFactory(title="Draft")
    ready = PlanFactory(title="Ready")
    adopted = PlanFactory(title="Adopted", adopted=True)
    closed = PlanFactory(title="Closed", adopted=True, state="closed")
    supported = MeasureFactory(plan=draft, lead_institution=InstitutionFactory())
    supported.supporting_institutions.add(ministry_a)
    adopted_a = MeasureFactory(plan=adopted, lead_institution=ministry_a)
    return World(
        draft=draft,
        ready=ready,
        adopted=adopted,
        closed=closed,
        draft_a=MeasureFactory(plan=draft, lead_institution=ministry_a),
        draft_b=MeasureFactory(plan=draft, lead_institution=ministry_b),
        supported_by_a=supported,
        proposal_a=MeasureFactory(
            plan=draft,
            lead_institution=ministry_a,
            proposal_state=ProposalState.PROPOSED,
            proposed_by=focal_point,
        ),
        adopted_a=adopted_a,
        adopted_b=MeasureFactory(plan=adopted, lead_institution=ministry_b),
        declined_a=MeasureFactory(
            plan=adopted, lead_institution=ministry_a, proposal_state=ProposalState.DECLINED
        ),
        indicator=IndicatorFactory(measure=adopted_a),
    )


def _client(api_client_as, name):
    return api_client_as(name)


# --- reading ------------------------------------------------------------------------------------

PLANS_SEEN = {
    name: (
        {"draft", "ready", "adopted", "closed"} if name in STATE_ROLES else {"adopted", "closed"}
    )
    for name in PERSONAS
}
PUBLIC_MEASURES = {"adopted_a", "adopted_b"}
MEASURES_SEEN = {
    "public": PUBLIC_MEASURES,
    "secretariat": {
        "draft_a",
        "draft_b",
        "supported_by_a",
        "proposal_a",
        "adopted_a",
        "adopted_b",
        "declined_a",
    },
    "focal_point": PUBLIC_MEASURES | {"draft_a", "supported_by_a", "proposal_a", "declined_a"},
    "validator": PUBLIC_MEASURES | {"draft_a", "supported_by_a", "proposal_a", "declined_a"},
    "other_focal_point": PUBLIC_MEASURES | {"draft_b"},
    "nhri": PUBLIC_MEASURES,
    "cso": PUBLIC_MEASURES,
    "partner": PUBLIC_MEASURES,
}
MEASURE_NAMES = sorted(MEASURES_SEEN["secretariat"])


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_who_sees_which_plan_in_policy_and_api(persona, api_client_as, world, persona_name):
    user = persona(persona_name)
    client = api_client_as(persona_name)
    expected = PLANS_SEEN[persona_name]
    visible = set(policies.visible_plans(user))
    for name in ("draft", "ready", "adopted", "closed"):
        plan = getattr(world, name)
        allowed = name in expected
        assert (plan in visible) is allowed, name
        assert policies.can_view_plan(user, plan) is allowed, name
        status = client.get(reverse("api:plan-detail", args=[plan.pk])).status_code
        assert status == (200 if allowed else 404), name
    listed = {r["id"] for r in client.get(reverse("api:plan-list")).json()["results"]}
    assert listed == {getattr(world, name).pk for name in expected}


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_who_sees_which_measure_in_policy_and_api(persona, api_client_as, world, persona_name):
    user = persona(persona_name)
    client = api_client_as(persona_name)
    expected = MEASURES_SEEN[persona_name]
    visible = set(policies.visible_measures(user))
    for name in MEASURE_NAMES:
        measure = getattr(world, name)
        allowed = name in expected
        assert (measure in visible) is allowed, name
        assert policies.can_view_measure(user, measure) is allowed, name
        status = client.get(reverse("api:measure-detail", args=[measure.pk])).status_code
        assert status == (200 if allowed else 404), name
    listed = {r["id"] for r in client.get(reverse("api:measure-list")).json()["results"]}
    assert listed == {getattr(world, name).pk for name in expected}


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_parts_of_measures_follow_their_measure(persona, api_client_as, world, persona_name):
    """Milestones, budget lines and indicators are seen with their measure."""
    from tests.factories.plans import BudgetLineFactory, MilestoneFactory

    client = api_client_as(persona_name)
    expected = MEASURES_SEEN[persona_name]
    for name in MEASURE_NAMES:
        measure = getattr(world, name)
        MilestoneFactory(measure=measure)
        BudgetLineFactory(measure=measure)
    for route in ("api:milestone-list", "api:budget-line-list"):
        rows = client.get(reverse(route), {"page_size": 100}).json()["results"]
        assert {r["measure"] for r in rows} == {getattr(world, n).pk for n in expected}, route
    rows = client.get(reverse("api:indicator-list")).json()["results"]
    assert [r["id"] for r in rows] == [world.indicator.pk]


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_signed_in_people_read_consultations_the_public_does_not(
    persona, api_client_as, persona_name
):
    consultation = ConsultationFactory()
    allowed = persona_name != "public"
    assert policies.can_view_consultation(persona(persona_name), consultation) is allowed
    assert (consultation in policies.visible_consultations(persona(persona_name))) is allowed
    client = api_client_as(persona_name)
    assert client.get(reverse("api:consultation-list")).status_code == (200 if allowed else 403)
    detail = reverse("api:consultation-detail", args=[consultation.pk])
    assert client.get(detail).status_code == (200 if allowed else 403)


@pytest.mark.parametrize("persona_name", PERSONAS)
def test_everyone_reads_the_national_frameworks(api_client_as, persona_name):
    NationalFrameworkFactory()
    response = api_client_as(persona_name).get(reverse("api:national-framework-list"))
    assert (response.status_code, response.json()["count"]) == (200, 1)


# --- the policies, cell by cell -----------------------------------------------------------------


def _allowed(*names: str) -> list[tuple[str, bool]]:
    return [(name, name in names) for name in PERSONAS]


@pytest.mark.parametrize(("persona_name", "allowed"), _allowed("secretariat"))
def test_the_secretariat_plans(persona, world, persona_name, allowed):
    user = persona(persona_name)
    assert policies.can_create_plan(user) is allowed
    assert policies.can_edit_plan(user, world.draft) is allowed
    assert policies.can_adopt_plan(user, world.draft) is allowed
    assert policies.can_version_plan(user, world.adopted) is allowed
    assert policies.can_create_measure(user, world.draft) is allowed
    assert policies.can_review_measure(user, world.proposal_a) is allowed
    assert policies.can_edit_measure(user, world.draft_b) is allowed
    assert policies.can_record_indicator_value(user, world.indicator) is allowed
    assert policies.can_edit_consultation(user) is allowed
    assert policies.can_edit_frameworks(user) is allowed
    assert policies.can_create_recommendation_indicator(user) is allowed


@pytest.mark.parametrize(("persona_name", "allowed"), _allowed("focal_point", "other_focal_point"))
def test_focal_points_propose_measures(persona, persona_name, allowed):
    assert policies.can_propose_measure(persona(persona_name)) is allowed


@pytest.mark.parametrize(("persona_name", "allowed"), _allowed("focal_point"))
def test_a_focal_point_proposes_for_its_own_institution_only(
    persona, ministry_a, persona_name, allowed
):
    assert policies.can_propose_measure(persona(persona_name), ministry_a) is allowed


@pytest.mark.parametrize(("persona_name", "allowed"), _allowed("secretariat", "focal_point"))
def test_a_proposal_is_changed_by_the_secretariat_and_its_focal_point(
    persona, world, persona_name, allowed
):
    user = persona(persona_name)
    assert policies.can_edit_measure(user, world.proposal_a) is allowed
    indicator = IndicatorFactory(measure=world.proposal_a)
    assert policies.can_edit_indicator(user, indicator) is allowed


@pytest.mark.parametrize(("persona_name", "allowed"), _allowed("secretariat"))
def test_an_accepted_measure_is_changed_by_the_secretariat_only(
    persona, world, persona_name, allowed
):
    assert policies.can_edit_measure(persona(persona_name), world.draft_a) is allowed
    assert policies.can_edit_indicator(persona(persona_name), world.indicator) is allowed


# --- writing through the API, cell by cell ------------------------------------------------------


@dataclass(frozen=True)
class Write:
    method: str
    url: Callable[[World], str]
    data: Callable[[World], dict]
    expected: dict[str, int]  # persona → status; every persona is listed


def _statuses(default: int, **overrides: int) -> dict[str, int]:
    return {name: overrides.get(name, default) for name in PERSONAS}


def _plan(name: str, action: str = "detail") -> Callable[[World], str]:
    return lambda w: reverse(f"api:plan-{action}", args=[getattr(w, name).pk])


def _measure(name: str, action: str = "detail") -> Callable[[World], str]:
    return lambda w: reverse(f"api:measure-{action}", args=[getattr(w, name).pk])


def _no_data(w: World) -> dict:
    return {}


WRITES = {
    "create plan": Write(
        "post",
        lambda w: reverse("api:plan-list"),
        lambda w: {"title": "P", "starts_on": "2025-01-01", "ends_on": "2025-12-31"},
        _statuses(403, secretariat=201),
    ),
    "change draft plan": Write(
        "patch", _plan("draft"), lambda w: {"title": "Changed"}, _statuses(403, secretariat=200)
    ),
    "delete draft plan": Write("delete", _plan("draft"), _no_data, _statuses(403, secretariat=204)),
    "change adopted plan": Write(
        "patch", _plan("adopted"), lambda w: {"title": "Changed"}, _statuses(403, secretariat=409)
    ),
    "adopt": Write("post", _plan("ready", "adopt"), _no_data, _statuses(403, secretariat=200)),
    "adopt with proposals waiting": Write(
        "post", _plan("draft", "adopt"), _no_data, _statuses(403, secretariat=409)
    ),
    "close": Write("post", _plan("adopted", "close"), _no_data, _statuses(403, secretariat=200)),
    "new version": Write(
        "post", _plan("adopted", "new-version"), _no_data, _statuses(403, secretariat=201)
    ),
    "create measure led by A": Write(
        "post",
        lambda w: reverse("api:measure-list"),
        lambda w: {
            "plan": w.draft.pk,
            "title": "M",
            "lead_institution": w.draft_a.lead_institution_id,
        },
        _statuses(403, secretariat=201, focal_point=201),
    ),
    "change proposal of A": Write(
        "patch",
        _measure("proposal_a"),
        lambda w: {"title": "Changed"},
        _statuses(403, secretariat=200, focal_point=200, other_focal_point=404),
    ),
    "withdraw proposal of A": Write(
        "delete",
        _measure("proposal_a"),
        _no_data,
        _statuses(403, secretariat=204, focal_point=204, other_focal_point=404),
    ),
    "change accepted draft measure of A": Write(
        "patch",
        _measure("draft_a"),
        lambda w: {"title": "Changed"},
        _statuses(403, secretariat=200, other_focal_point=404),
    ),
    "change adopted measure of A": Write(
        "patch",
        _measure("adopted_a"),
        lambda w: {"title": "Changed"},
        _statuses(403, secretariat=409),
    ),
    "accept proposal": Write(
        "post", _measure("proposal_a", "accept"), _no_data, _statuses(403, secretariat=200)
    ),
    "decline proposal": Write(
        "post",
        _measure("proposal_a", "decline"),
        lambda w: {"reason": "No"},
        _statuses(403, secretariat=200),
    ),
    "SMART check": Write(
        "post",
        _measure("draft_a", "smart-check"),
        lambda w: dict.fromkeys(
            ("specific", "measurable", "achievable", "relevant", "time_bound"), True
        ),
        _statuses(403, secretariat=200),
    ),
    "milestone on proposal of A": Write(
        "post",
        lambda w: reverse("api:milestone-list"),
        lambda w: {"measure": w.proposal_a.pk, "title": "Step", "due_on": "2026-01-01"},
        # Another ministry's focal point names a measure it cannot see: the field is refused.
        _statuses(403, secretariat=201, focal_point=201, other_focal_point=400),
    ),
    "budget line on proposal of A": Write(
        "post",
        lambda w: reverse("api:budget-line-list"),
        lambda w: {
            "measure": w.proposal_a.pk,
            "amount": "10.00",
            "currency": "USD",
            "funding_source": "State",
        },
        _statuses(403, secretariat=201, focal_point=201, other_focal_point=400),
    ),
    "indicator on accepted measure of A": Write(
        "post",
        lambda w: reverse("api:indicator-list"),
        lambda w: {"measure": w.draft_a.pk, "name": "I", "kind": "process"},
        _statuses(403, secretariat=201, other_focal_point=400),
    ),
    "indicator value on adopted plan": Write(
        "post",
        lambda w: reverse("api:indicator-value-list"),
        lambda w: {"indicator": w.indicator.pk, "period": "2026", "value": "5"},
        _statuses(403, secretariat=201),
    ),
    "consultation": Write(
        "post",
        lambda w: reverse("api:consultation-list"),
        lambda w: {
            "held_on": "2025-02-15",
            "title": "C",
            "participants": [w.draft_a.lead_institution_id],
        },
        _statuses(403, secretariat=201),
    ),
    "national framework": Write(
        "post",
        lambda w: reverse("api:national-framework-list"),
        lambda w: {"name": "Vision", "kind": "other"},
        _statuses(403, secretariat=201),
    ),
}
CELLS = [(write, name) for write in WRITES for name in PERSONAS]


def _snapshot(world: World) -> tuple:
    """What a refused request must leave as it was: the history, and the rows' own fields."""
    from plans.models import ImplementationPlan, Measure

    return (
        Events.objects.count(),
        sorted(ImplementationPlan.objects.values_list("pk", "title", "state", "version")),
        sorted(Measure.objects.values_list("pk", "title", "proposal_state")),
    )


@pytest.mark.parametrize(("write_name", "persona_name"), CELLS)
def test_write_matrix(api_client_as, world, write_name, persona_name):
    write = WRITES[write_name]
    expected = write.expected[persona_name]
    client = api_client_as(persona_name)  # the persona exists before the snapshot
    before = _snapshot(world)
    response = getattr(client, write.method)(write.url(world), write.data(world), format="json")
    assert response.status_code == expected, (response.status_code, response.content[:300])
    if expected >= 400:
        assert _snapshot(world) == before
        assert set(response.json()) == {"message", "extra"}
    else:
        assert Events.objects.count() > before[0]


def test_every_write_has_a_cell_that_passes_the_policy_and_one_refused():
    """The secretariat passes the policy of each write (a 409 is the frozen rule, after the
    policy); every write is refused to someone."""
    for name, write in WRITES.items():
        statuses = set(write.expected.values())
        assert any(s < 400 or s == 409 for s in statuses), name
        assert any(s in (403, 404) for s in statuses), name


def test_a_recommendation_indicator_is_the_secretariats(api_client_as):
    rec = RecommendationFactory()
    data = {"recommendation": rec.pk, "name": "Law adopted", "kind": "structure"}
    response = api_client_as("focal_point").post(reverse("api:indicator-list"), data, format="json")
    assert response.status_code == 403
    response = api_client_as("secretariat").post(reverse("api:indicator-list"), data, format="json")
    assert response.status_code == 201


def test_inactive_secretariat_is_the_public(secretariat, world):
    secretariat.is_active = False
    secretariat.save()
    user = type(secretariat).objects.get(pk=secretariat.pk)
    assert set(policies.visible_plans(user)) == {world.adopted, world.closed}
    assert not policies.can_edit_plan(user, world.draft)
    assert Decimal(0) == 0  # the matrix above covers the active personas

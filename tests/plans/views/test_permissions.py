"""The role matrix of the plan pages and their forms: every page and every form post, for the
secretariat, the focal point of the lead institution (ministry A), the focal point of another
institution, ministry A's validator, the NHRI, civil society, a development partner and the
public. A refused post writes nothing (no row, no history event)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from pghistory.models import Events

from plans.models import ImplementationPlan, Measure, ProposalState

pytestmark = pytest.mark.django_db

WHO = (
    "secretariat",
    "focal_point",
    "other_focal_point",
    "validator",
    "nhri",
    "cso",
    "partner",
    "public",
)


def _expect(default: int, **overrides: int) -> dict[str, int]:
    return {who: overrides.get(who, default) for who in WHO}


# Who sees a draft plan: the secretariat and the State institutions' people (plans.policies).
DRAFT_VISIBLE = _expect(404, secretariat=200, focal_point=200, other_focal_point=200, validator=200)
# A draft measure of ministry A: the secretariat and ministry A's people.
OWN_DRAFT_MEASURE = _expect(404, secretariat=200, focal_point=200, validator=200)
EVERYONE = _expect(200)
SIGNED_IN = _expect(200, public=302)


@dataclass(frozen=True)
class Case:
    name: str
    url: Callable[[Any], str]
    expected: dict[str, int]


GET_CASES = [
    Case("plan list", lambda w: reverse("plans:plan-list"), EVERYONE),
    Case(
        "new plan form",
        lambda w: reverse("plans:plan-create"),
        _expect(403, secretariat=200, public=302),
    ),
    Case("adopted plan", lambda w: reverse("plans:plan-detail", args=[w.adopted.pk]), EVERYONE),
    Case("draft plan", lambda w: reverse("plans:plan-detail", args=[w.draft.pk]), DRAFT_VISIBLE),
    Case(
        "adopted plan's matrix",
        lambda w: reverse("plans:plan-matrix", args=[w.adopted.pk]),
        EVERYONE,
    ),
    Case(
        "draft plan's matrix",
        lambda w: reverse("plans:plan-matrix", args=[w.draft.pk]),
        DRAFT_VISIBLE,
    ),
    Case(
        "adopt confirmation",
        lambda w: reverse("plans:plan-adopt", args=[w.draft.pk]),
        _expect(
            404, secretariat=200, focal_point=403, other_focal_point=403, validator=403, public=302
        ),
    ),
    Case(
        "close confirmation",
        lambda w: reverse("plans:plan-close", args=[w.adopted.pk]),
        _expect(403, secretariat=200, public=302),
    ),
    Case(
        "new version confirmation",
        lambda w: reverse("plans:plan-new-version", args=[w.adopted.pk]),
        _expect(403, secretariat=200, public=302),
    ),
    Case(
        "matrix row form",
        lambda w: reverse("plans:matrix-row-edit", args=[w.draft.pk, w.draft_measure.pk]),
        _expect(404, secretariat=200, focal_point=403, validator=403, public=302),
    ),
    Case(
        "matrix row",
        lambda w: reverse("plans:matrix-row", args=[w.draft.pk, w.draft_measure.pk]),
        OWN_DRAFT_MEASURE,
    ),
    Case(
        "unplanned recommendations",
        lambda w: reverse("plans:plan-unplanned", args=[w.adopted.pk, "recommendations"]),
        EVERYONE,
    ),
    Case(
        "draft's measures with no budget",
        lambda w: reverse("plans:plan-unplanned", args=[w.draft.pk, "no_budget"]),
        DRAFT_VISIBLE,
    ),
    Case(
        "proposals",
        lambda w: reverse("plans:plan-proposals", args=[w.draft.pk]),
        _expect(
            404, secretariat=200, focal_point=200, other_focal_point=200, validator=403, public=302
        ),
    ),
    Case(
        "new measure form",
        lambda w: reverse("plans:measure-create", args=[w.draft.pk]),
        _expect(
            404, secretariat=200, focal_point=403, other_focal_point=403, validator=403, public=302
        ),
    ),
    Case(
        "proposal form",
        lambda w: reverse("plans:measure-propose", args=[w.draft.pk]),
        _expect(
            404, secretariat=403, focal_point=200, other_focal_point=200, validator=403, public=302
        ),
    ),
    Case(
        "adopted measure",
        lambda w: reverse("plans:measure-detail", args=[w.adopted_measure.pk]),
        EVERYONE,
    ),
    Case(
        "draft measure",
        lambda w: reverse("plans:measure-detail", args=[w.draft_measure.pk]),
        OWN_DRAFT_MEASURE,
    ),
    Case(
        "measure form",
        lambda w: reverse("plans:measure-edit", args=[w.draft_measure.pk]),
        _expect(404, secretariat=200, focal_point=403, validator=403, public=302),
    ),
    Case(
        "proposal's form",
        lambda w: reverse("plans:measure-edit", args=[w.proposal.pk]),
        _expect(404, secretariat=200, focal_point=200, validator=403, public=302),
    ),
    Case(
        "adopted indicator",
        lambda w: reverse("plans:indicator-detail", args=[w.adopted_indicator.pk]),
        EVERYONE,
    ),
    Case(
        "draft indicator",
        lambda w: reverse("plans:indicator-detail", args=[w.indicator.pk]),
        OWN_DRAFT_MEASURE,
    ),
    Case("consultations", lambda w: reverse("plans:consultation-list"), SIGNED_IN),
    Case(
        "consultation",
        lambda w: reverse("plans:consultation-detail", args=[w.consultation.pk]),
        SIGNED_IN,
    ),
]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("case", GET_CASES, ids=lambda c: c.name)
def test_plan_pages_answer_each_role(client_as, world, case, who):
    response = client_as(who if who != "public" else "public").get(case.url(world))
    assert response.status_code == case.expected[who], response.content[:300]
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]


@dataclass(frozen=True)
class PostCase:
    name: str
    url: Callable[[Any], str]
    data: Callable[[Any], dict[str, Any]]
    expected: dict[str, int]
    done: Callable[[Any], bool]  # whether the change was made


def _measure_fields(w: Any, **more: Any) -> dict[str, Any]:
    return {
        "title": "Set up a national preventive mechanism",
        "kind": "institutional",
        "status": "planned",
        "recommendations": [w.recommendation.pk],
        "lead_institution": w.draft_measure.lead_institution_id,
        **more,
    }


POST_CASES = [
    PostCase(
        "make a plan",
        lambda w: reverse("plans:plan-create"),
        lambda w: {"title": "Plan 2030", "starts_on": "2026-01-01", "ends_on": "2030-12-31"},
        _expect(403, secretariat=302, public=302),
        lambda w: ImplementationPlan.objects.filter(title="Plan 2030").exists(),
    ),
    PostCase(
        "close the adopted plan",
        lambda w: reverse("plans:plan-close", args=[w.adopted.pk]),
        lambda w: {},
        _expect(403, secretariat=302, public=302),
        lambda w: ImplementationPlan.objects.get(pk=w.adopted.pk).state == "closed",
    ),
    PostCase(
        "make a new version",
        lambda w: reverse("plans:plan-new-version", args=[w.adopted.pk]),
        lambda w: {},
        _expect(403, secretariat=302, public=302),
        lambda w: ImplementationPlan.objects.filter(previous_version=w.adopted).exists(),
    ),
    PostCase(
        "add a measure",
        lambda w: reverse("plans:measure-create", args=[w.draft.pk]),
        _measure_fields,
        _expect(
            404, secretariat=302, focal_point=403, other_focal_point=403, validator=403, public=302
        ),
        lambda w: Measure.objects.filter(title="Set up a national preventive mechanism").exists(),
    ),
    PostCase(
        "propose a measure for ministry A",
        lambda w: reverse("plans:measure-propose", args=[w.draft.pk]),
        _measure_fields,
        # Another focal point may propose, but only for its own institution: a field error.
        _expect(
            404, secretariat=403, focal_point=302, other_focal_point=400, validator=403, public=302
        ),
        lambda w: Measure.objects.filter(
            title="Set up a national preventive mechanism", proposal_state=ProposalState.PROPOSED
        ).exists(),
    ),
    PostCase(
        "edit a measure",
        lambda w: reverse("plans:measure-edit", args=[w.draft_measure.pk]),
        _measure_fields,
        _expect(404, secretariat=302, focal_point=403, validator=403, public=302),
        lambda w: (
            Measure.objects.get(pk=w.draft_measure.pk).title
            == "Set up a national preventive mechanism"
        ),
    ),
    PostCase(
        "save a matrix row",
        lambda w: reverse("plans:matrix-row", args=[w.draft.pk, w.draft_measure.pk]),
        lambda w: {"title": "Renamed in the matrix", "status": "delayed"},
        _expect(404, secretariat=302, focal_point=403, validator=403, public=302),
        lambda w: Measure.objects.get(pk=w.draft_measure.pk).status == "delayed",
    ),
    PostCase(
        "bulk status",
        lambda w: reverse("plans:matrix-bulk", args=[w.draft.pk]),
        lambda w: {"measures": [w.draft_measure.pk], "action": "status", "status": "completed"},
        _expect(
            404, secretariat=302, focal_point=403, other_focal_point=403, validator=403, public=302
        ),
        lambda w: Measure.objects.get(pk=w.draft_measure.pk).status == "completed",
    ),
    PostCase(
        "accept a proposal",
        lambda w: reverse("plans:measure-accept", args=[w.proposal.pk]),
        lambda w: {},
        _expect(404, secretariat=302, focal_point=403, validator=403, public=302),
        lambda w: Measure.objects.get(pk=w.proposal.pk).proposal_state == ProposalState.ACCEPTED,
    ),
    PostCase(
        "decline a proposal",
        lambda w: reverse("plans:measure-decline", args=[w.proposal.pk]),
        lambda w: {"reason": "Covered by another measure."},
        _expect(404, secretariat=302, focal_point=403, validator=403, public=302),
        lambda w: Measure.objects.get(pk=w.proposal.pk).proposal_state == ProposalState.DECLINED,
    ),
    PostCase(
        "SMART check",
        lambda w: reverse("plans:measure-smart", args=[w.draft_measure.pk]),
        lambda w: {"specific": "yes", "time_bound": "no", "note": "No end date for step 2."},
        _expect(404, secretariat=302, focal_point=403, validator=403, public=302),
        lambda w: Measure.objects.get(pk=w.draft_measure.pk).smart_specific is True,
    ),
    PostCase(
        "add a milestone",
        lambda w: reverse("plans:milestone-add", args=[w.draft_measure.pk]),
        lambda w: {"milestone-title": "Decree signed", "milestone-due_on": "2026-09-30"},
        _expect(404, secretariat=302, focal_point=403, validator=403, public=302),
        lambda w: w.draft_measure.milestones.filter(title="Decree signed").exists(),
    ),
    PostCase(
        "add a budget line",
        lambda w: reverse("plans:budget-line-add", args=[w.draft_measure.pk]),
        lambda w: {
            "budget-amount": "2500.00",
            "budget-currency": "eur",
            "budget-funding_source": "European Union",
        },
        _expect(404, secretariat=302, focal_point=403, validator=403, public=302),
        lambda w: w.draft_measure.budget_lines.filter(currency="EUR").exists(),
    ),
    PostCase(
        "add an indicator",
        lambda w: reverse("plans:indicator-add", args=[w.draft_measure.pk]),
        lambda w: {
            "indicator-name": "Share of detainees seen by a lawyer",
            "indicator-kind": "outcome",
            "indicator-frequency": "quarterly",
            "indicator-disaggregation": ["sex", "age"],
        },
        _expect(404, secretariat=302, focal_point=403, validator=403, public=302),
        lambda w: w.draft_measure.indicators.filter(frequency="quarterly").exists(),
    ),
    PostCase(
        "record a value of an adopted plan's indicator",
        lambda w: reverse("plans:indicator-value-add", args=[w.adopted_indicator.pk]),
        lambda w: {"value-period": "2026", "value-value": "31.5", "value-by_sex": "female"},
        _expect(403, secretariat=302, public=302),
        lambda w: w.adopted_indicator.values.filter(
            period="2026", disaggregation={"sex": "female"}
        ).exists(),
    ),
]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("case", POST_CASES, ids=lambda c: c.name)
def test_plan_forms_answer_each_role_and_write_nothing_when_refused(client_as, world, case, who):
    client = client_as(who)
    url, data = case.url(world), case.data(world)
    before = Events.objects.count()
    response = client.post(url, data)
    expected = case.expected[who]
    assert response.status_code == expected, response.content[:500]
    if expected == 302 and who != "public":
        assert case.done(world)
        assert Events.objects.count() > before
    else:
        assert not case.done(world)
        assert Events.objects.count() == before
        if who == "public":
            assert "/accounts/login/" in response["Location"]

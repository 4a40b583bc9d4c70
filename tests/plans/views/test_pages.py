"""What the plan pages show and how their forms answer: the frozen rule as a 409 with its reason,
bad input as a 400 with the fields at fault, the matrix row's inline form (htmx) and its plain
fallback, bulk actions, the budget, the calendar and what is still unplanned."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from pghistory.models import Events

from plans.models import Measure
from tests.factories.plans import BudgetLineFactory, MeasureFactory
from tests.factories.recommendations import RecommendationFactory
from tests.factories.tracker import InstitutionFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


# --- the frozen rule ----------------------------------------------------------------------------


def test_adopted_plan_shows_no_edit_controls(client_as, world):
    client = client_as("secretariat")
    matrix = client.get(reverse("plans:plan-matrix", args=[world.adopted.pk])).content.decode()
    assert "bulk-form" not in matrix
    assert "data-row-edit" not in matrix
    assert world.adopted_measure.title in matrix
    measure = client.get(reverse("plans:measure-detail", args=[world.adopted_measure.pk]))
    assert reverse("plans:measure-edit", args=[world.adopted_measure.pk]) not in (
        measure.content.decode()
    )
    assert reverse("plans:milestone-add", args=[world.adopted_measure.pk]) not in (
        measure.content.decode()
    )
    draft = client.get(reverse("plans:plan-matrix", args=[world.draft.pk])).content.decode()
    assert "bulk-form" in draft
    assert "data-row-edit" in draft


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("plans:matrix-row", {"title": "Changed", "status": "delayed"}),
        ("plans:measure-edit", {"title": "Changed", "kind": "policy", "status": "delayed"}),
        ("plans:milestone-add", {"milestone-title": "Late", "milestone-due_on": "2026-01-01"}),
        (
            "plans:budget-line-add",
            {"budget-amount": "1", "budget-currency": "USD", "budget-funding_source": "X"},
        ),
        ("plans:measure-smart", {"specific": "yes"}),
    ],
)
def test_a_change_to_an_adopted_plan_is_a_409_with_the_reason(client_as, world, name, data):
    measure = world.adopted_measure
    args = [world.adopted.pk, measure.pk] if name == "plans:matrix-row" else [measure.pk]
    client = client_as("secretariat")
    before = Events.objects.count()
    response = client.post(reverse(name, args=args), data)
    assert response.status_code == 409
    assert "is adopted: it can no longer be changed" in response.content.decode()
    assert Events.objects.count() == before
    assert Measure.objects.get(pk=measure.pk).title == measure.title


def test_the_row_form_of_an_adopted_plan_is_a_409(client_as, world):
    url = reverse("plans:matrix-row-edit", args=[world.adopted.pk, world.adopted_measure.pk])
    response = client_as("secretariat").get(url, **HTMX)
    assert response.status_code == 409


def test_adopting_a_plan_with_waiting_proposals_is_a_409_and_changes_nothing(client_as, world):
    response = client_as("secretariat").post(reverse("plans:plan-adopt", args=[world.draft.pk]))
    assert response.status_code == 409
    assert "wait for an answer" in response.content.decode()
    world.draft.refresh_from_db()
    assert world.draft.state == "draft"


def test_the_secretariat_adopts_a_draft_after_confirming(client_as, world):
    client = client_as("secretariat")
    client.post(reverse("plans:measure-accept", args=[world.proposal.pk]))
    url = reverse("plans:plan-adopt", args=[world.draft.pk])
    assert "Adopt the plan?" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    world.draft.refresh_from_db()
    assert world.draft.state == "adopted"


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args", "data", "field_error"),
    [
        (
            "plans:plan-create",
            lambda w: [],
            {"title": "Plan", "starts_on": "2027-01-01", "ends_on": "2026-01-01"},
            "The end comes before the start.",
        ),
        ("plans:plan-create", lambda w: [], {"title": "", "starts_on": "x"}, "Enter a valid date."),
        (
            "plans:measure-create",
            lambda w: [w.draft.pk],
            {"title": "", "kind": "nope"},
            "Select a valid choice.",
        ),
        (
            "plans:measure-create",
            lambda w: [w.draft.pk],
            {
                "title": "Dates",
                "kind": "policy",
                "status": "planned",
                "starts_on": "2027-01-01",
                "ends_on": "2026-01-01",
            },
            "The end comes before the start.",
        ),
        (
            "plans:budget-line-add",
            lambda w: [w.draft_measure.pk],
            {"budget-amount": "-5", "budget-currency": "US", "budget-funding_source": "State"},
            "Ensure this value is greater than or equal to 0.",
        ),
        (
            "plans:indicator-value-add",
            lambda w: [w.indicator.pk],
            {"value-period": "2027-Q3", "value-value": "3"},
            "A yearly period, such as 2027.",
        ),
        (
            "plans:matrix-bulk",
            lambda w: [w.draft.pk],
            {"action": "lead_institution"},
            "Select at least one measure.",
        ),
        (
            "plans:measure-decline",
            lambda w: [w.proposal.pk],
            {"reason": ""},
            "This field is required.",
        ),
    ],
)
def test_bad_input_is_a_400_with_the_fields_and_writes_nothing(
    client_as, world, name, args, data, field_error
):
    client = client_as("secretariat")
    before = Events.objects.count()
    response = client.post(reverse(name, args=args(world)), data)
    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert Events.objects.count() == before


# --- the matrix ---------------------------------------------------------------------------------


def test_the_row_turns_into_a_form_and_saves_in_place(client_as, world, ministry_b):
    client = client_as("secretariat")
    measure = world.draft_measure
    rec = world.recommendation.pk
    edit = client.get(
        reverse("plans:matrix-row-edit", args=[world.draft.pk, measure.pk]) + f"?rec={rec}",
        **HTMX,
    )
    html = edit.content.decode()
    assert html.startswith("<tr")
    assert f'id="row-{measure.pk}-{rec}"' in html
    assert f'form="rowform-{measure.pk}-{rec}"' in html
    assert "data-row-cancel" in html
    response = client.post(
        reverse("plans:matrix-row", args=[world.draft.pk, measure.pk]),
        {
            "rec": rec,
            "title": "Renamed",
            "status": "in_progress",
            "lead_institution": ministry_b.pk,
        },
        **HTMX,
    )
    assert response.status_code == 200
    row = response.content.decode()
    assert row.startswith("<tr")
    assert "Renamed" in row
    assert "autofocus" in row
    measure.refresh_from_db()
    assert (measure.title, measure.status, measure.lead_institution) == (
        "Renamed",
        "in_progress",
        ministry_b,
    )


def test_a_bad_row_comes_back_as_the_form_with_its_errors(client_as, world):
    url = reverse("plans:matrix-row", args=[world.draft.pk, world.draft_measure.pk])
    response = client_as("secretariat").post(
        url, {"title": "", "status": "planned", "starts_on": "2027-01-01"}, **HTMX
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert html.startswith("<tr")
    assert "This field is required." in html


def test_the_row_form_works_without_javascript(client_as, world):
    client = client_as("secretariat")
    measure = world.draft_measure
    page = client.get(reverse("plans:matrix-row-edit", args=[world.draft.pk, measure.pk]))
    assert page.status_code == 200
    assert "<html" in page.content.decode()
    matrix = reverse("plans:plan-matrix", args=[world.draft.pk])
    response = client.post(
        reverse("plans:matrix-row", args=[world.draft.pk, measure.pk]),
        {"title": "Plain form", "status": "planned", "next": matrix + "?page=1"},
    )
    assert response.status_code == 302
    assert response["Location"] == matrix + "?page=1"
    measure.refresh_from_db()
    assert measure.title == "Plain form"


def test_the_row_form_goes_back_only_to_this_site(client_as, world):
    response = client_as("secretariat").post(
        reverse("plans:matrix-row", args=[world.draft.pk, world.draft_measure.pk]),
        {"title": "T", "status": "planned", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("plans:plan-matrix", args=[world.draft.pk])


def test_bulk_sets_the_lead_institution_of_the_selected_measures(client_as, world, ministry_b):
    other = MeasureFactory(plan=world.draft, recommendations=[world.recommendation])
    untouched = MeasureFactory(plan=world.draft)
    response = client_as("secretariat").post(
        reverse("plans:matrix-bulk", args=[world.draft.pk]),
        {
            "measures": [world.draft_measure.pk, other.pk],
            "action": "lead_institution",
            "lead_institution": ministry_b.pk,
        },
    )
    assert response.status_code == 302
    assert set(
        Measure.objects.filter(lead_institution=ministry_b).values_list("pk", flat=True)
    ) == {world.draft_measure.pk, other.pk}
    untouched.refresh_from_db()
    assert untouched.lead_institution != ministry_b


def test_bulk_cannot_reach_a_measure_of_another_plan(client_as, world):
    response = client_as("secretariat").post(
        reverse("plans:matrix-bulk", args=[world.draft.pk]),
        {"measures": [world.adopted_measure.pk], "action": "status", "status": "delayed"},
    )
    assert response.status_code == 400
    world.adopted_measure.refresh_from_db()
    assert world.adopted_measure.status == "planned"


def test_the_matrix_filters_by_cluster_institution_status_and_mechanism(client_as, world):
    other_rec = RecommendationFactory(text="Abolish the death penalty.")
    MeasureFactory(plan=world.adopted, recommendations=[other_rec], status="delayed")
    client = client_as("public")
    url = reverse("plans:plan-matrix", args=[world.adopted.pk])
    everything = client.get(url).content.decode()
    assert "Ratify OPCAT." in everything
    assert "Abolish the death penalty." in everything
    by_cluster = client.get(url, {"cluster": world.recommendation.cluster_id}).content.decode()
    assert "Ratify OPCAT." in by_cluster
    assert "Abolish the death penalty." not in by_cluster
    by_status = client.get(url, {"status": "delayed"}).content.decode()
    assert "Ratify OPCAT." not in by_status
    assert "Abolish the death penalty." in by_status
    lead = world.adopted_measure.lead_institution_id
    by_institution = client.get(url, {"institution": lead}).content.decode()
    assert "Ratify OPCAT." in by_institution
    assert "Abolish the death penalty." not in by_institution
    mechanism = world.recommendation.document.mechanism_id
    by_mechanism = client.get(url, {"mechanism": mechanism}).content.decode()
    assert "Ratify OPCAT." in by_mechanism
    assert client.get(url, {"cluster": "nope"}).status_code == 400


def test_the_public_matrix_of_a_draft_is_not_found_and_hides_declined_proposals(client_as, world):
    assert (
        client_as("public").get(reverse("plans:plan-matrix", args=[world.draft.pk])).status_code
        == 404
    )
    world.proposal.proposal_state = "declined"
    world.proposal.save()
    world.proposal.recommendations.add(world.recommendation)
    html = client_as("secretariat").get(reverse("plans:plan-matrix", args=[world.draft.pk]))
    assert world.proposal.title not in html.content.decode()


# --- the plan page ------------------------------------------------------------------------------


def test_the_plan_page_sums_the_budget_by_institution_and_source_per_currency(client_as, world):
    measure = world.adopted_measure
    BudgetLineFactory(measure=measure, amount=Decimal("50"), currency="EUR", funding_source="EU")
    BudgetLineFactory(measure=measure, amount=Decimal("20"), currency="USD")
    second = MeasureFactory(plan=world.adopted, lead_institution=InstitutionFactory(name="Parl"))
    BudgetLineFactory(measure=second, amount=Decimal("7"), currency="USD")
    response = client_as("public").get(reverse("plans:plan-detail", args=[world.adopted.pk]))
    rows = {(r.label, r.currency): r.amount for r in response.context["by_institution"]}
    assert rows == {
        ("Ministry of Justice", "EUR"): Decimal("50"),
        ("Ministry of Justice", "USD"): Decimal("100020"),
        ("Parl", "USD"): Decimal("7"),
    }
    sources = {(r.label, r.currency): r.amount for r in response.context["by_source"]}
    assert sources[("State budget", "USD")] == Decimal("100027")
    assert sources[("EU", "EUR")] == Decimal("50")


def test_the_plan_page_shows_the_mechanisms_calendar(client_as, world):
    response = client_as("public").get(reverse("plans:plan-detail", args=[world.adopted.pk]))
    calendar = response.context["calendar"]
    # The cycle holds its mid-term date; its next review is derived from the review date.
    assert [(c.kind, c.due_on, c.estimated) for c in calendar] == [
        ("mid_term", datetime.date(2026, 5, 1), False),
        ("next_review", datetime.date(2028, 5, 10), True),
    ]
    assert "2026-05-01" in response.content.decode()


def test_earlier_versions_stay_readable_from_the_new_one(client_as, world):
    client = client_as("secretariat")
    client.post(reverse("plans:plan-new-version", args=[world.adopted.pk]))
    new = world.adopted.next_version
    page = client.get(reverse("plans:plan-detail", args=[new.pk])).content.decode()
    assert reverse("plans:plan-detail", args=[world.adopted.pk]) in page
    assert client.get(reverse("plans:plan-detail", args=[world.adopted.pk])).status_code == 200


def test_what_is_unplanned_is_counted_and_listed(client_as, world):
    unplanned = RecommendationFactory(text="Ratify the Convention on migrant workers.")
    bare = MeasureFactory(plan=world.adopted, lead_institution=None, title="Bare measure")
    client = client_as("secretariat")
    url = reverse("plans:plan-unplanned", args=[world.adopted.pk, "recommendations"])
    response = client.get(url)
    counts = response.context["counts"]
    assert counts == {"recommendations": 1, "no_indicator": 1, "no_institution": 1, "no_budget": 1}
    assert reverse("recommendations:recommendation-detail", args=[unplanned.pk]) in (
        response.content.decode()
    )
    for kind in ("no_indicator", "no_institution", "no_budget"):
        page = client.get(reverse("plans:plan-unplanned", args=[world.adopted.pk, kind]))
        assert bare.title in page.content.decode()
        assert world.adopted_measure.title not in page.content.decode()
    assert (
        client.get(reverse("plans:plan-unplanned", args=[world.adopted.pk, "x"])).status_code == 404
    )


# --- proposals ----------------------------------------------------------------------------------


def test_a_focal_point_proposes_and_the_secretariat_declines_with_a_reason(
    client_as, world, ministry_a
):
    focal = client_as("focal_point")
    response = focal.post(
        reverse("plans:measure-propose", args=[world.draft.pk]),
        {
            "title": "Open a legal aid office",
            "kind": "institutional",
            "lead_institution": ministry_a.pk,
        },
    )
    assert response.status_code == 302
    proposal = Measure.objects.get(title="Open a legal aid office")
    assert proposal.proposal_state == "proposed"
    listed = client_as("secretariat").get(reverse("plans:plan-proposals", args=[world.draft.pk]))
    assert "Open a legal aid office" in listed.content.decode()
    client_as("secretariat").post(
        reverse("plans:measure-decline", args=[proposal.pk]), {"reason": "Already funded."}
    )
    proposal.refresh_from_db()
    assert (proposal.proposal_state, proposal.decline_reason) == ("declined", "Already funded.")
    mine = focal.get(reverse("plans:plan-proposals", args=[world.draft.pk])).content.decode()
    assert "Already funded." in mine


def test_the_indicator_page_lists_values_and_due_dates(client_as, world):
    response = client_as("public").get(
        reverse("plans:indicator-detail", args=[world.adopted_indicator.pk])
    )
    html = response.content.decode()
    periods = [p.period for p, _reported, _past in response.context["periods"]]
    assert periods[:3] == ["2025", "2026", "2027"]
    assert "2026-01-30" in html  # 2025's value is due 30 days after the year
    assert "value-period" not in html  # the public records nothing


@pytest.mark.parametrize(
    "name", ["plans:measure-edit", "plans:measure-create", "plans:measure-propose"]
)
def test_the_forms_of_an_adopted_plan_are_not_offered(client_as, world, name):
    who = "focal_point" if name == "plans:measure-propose" else "secretariat"
    arg = world.adopted_measure.pk if name == "plans:measure-edit" else world.adopted.pk
    response = client_as(who).get(reverse(name, args=[arg]))
    assert response.status_code == 409
    assert "Make a new version" in response.content.decode()

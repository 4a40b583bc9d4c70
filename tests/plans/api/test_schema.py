"""The plans API is documented: every route in the OpenAPI schema, writes with an example."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

ROUTES = [
    "/api/v1/plans/",
    "/api/v1/plans/{id}/adopt/",
    "/api/v1/plans/{id}/new-version/",
    "/api/v1/plans/{id}/close/",
    "/api/v1/measures/",
    "/api/v1/measures/{id}/accept/",
    "/api/v1/measures/{id}/decline/",
    "/api/v1/measures/{id}/smart-check/",
    "/api/v1/milestones/",
    "/api/v1/budget-lines/",
    "/api/v1/indicators/",
    "/api/v1/indicator-values/",
    "/api/v1/consultations/",
    "/api/v1/consultations/{id}/documents/",
    "/api/v1/consultations/{id}/documents/{document_pk}/",
    "/api/v1/national-frameworks/",
    "/api/v1/national-goals/",
]


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize("route", ROUTES)
def test_every_plans_route_is_in_the_schema(schema, route):
    assert route in schema["paths"]


@pytest.mark.parametrize("route", [r for r in ROUTES if "{" not in r])
def test_every_create_has_an_example_and_its_errors(schema, route):
    post = schema["paths"][route]["post"]
    content = post["requestBody"]["content"]["application/json"]
    assert content.get("examples"), route
    assert {"201", "400", "403"} <= set(post["responses"]), route


def test_the_measure_enums_are_named_and_complete(schema):
    enums = schema["components"]["schemas"]
    assert enums["MeasureKindEnum"]["enum"] == [
        "legislative",
        "policy",
        "institutional",
        "budgetary",
        "judicial",
        "administrative",
        "awareness",
        "data",
        "other",
    ]
    assert enums["MeasureStatusEnum"]["enum"] == [
        "planned",
        "in_progress",
        "completed",
        "delayed",
        "cancelled",
    ]
    assert enums["IndicatorKindEnum"]["enum"] == ["structure", "process", "outcome"]


def test_the_plan_filter_of_measures_and_budget_lines_is_documented(schema):
    for route, names in (
        ("/api/v1/measures/", {"plan"}),
        ("/api/v1/budget-lines/", {"plan", "measure"}),
    ):
        parameters = {p["name"] for p in schema["paths"][route]["get"]["parameters"]}
        assert names <= parameters, route

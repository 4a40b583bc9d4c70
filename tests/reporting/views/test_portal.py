"""The public transparency portal: what each page shows an anonymous visitor, that nothing
unpublished ever reaches it, and that the portal's own pages show the same to everyone."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from plans.models import MeasureStatus
from tests.html import h1
from tests.reporting.portal_data import SECRETS, build_portal

pytestmark = pytest.mark.django_db

PORTAL_VIEWS = ("institutions", "institution", "clusters", "cluster", "goals", "goal", "plan")


@pytest.fixture
def portal(ministry_a):
    return build_portal(10, lead=ministry_a)


def _body(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_every_portal_page_opens_for_the_public_and_hides_every_unpublished_thing(
    anon_client, portal
):
    for name, url in portal.urls().items():
        body = _body(anon_client, url)
        leaked = [what for what, marker in SECRETS.items() if marker in body]
        assert not leaked, f"{name} ({url}) shows: {leaked}"


@pytest.mark.parametrize("persona_name", ["secretariat", "focal_point"])
def test_the_portal_views_show_only_what_is_published_to_those_who_see_drafts_too(
    client_as, portal, persona_name
):
    """The secretariat and the lead institution's focal point see drafts elsewhere; the portal
    views show them what the public sees."""
    client = client_as(persona_name)
    urls = portal.urls()
    for name in PORTAL_VIEWS:
        body = _body(client, urls[name])
        leaked = [what for what, marker in SECRETS.items() if marker in body]
        assert not leaked, f"{name} shows {persona_name}: {leaked}"


def test_the_recommendation_follow_up_shows_its_measures_progress_assessments_and_comments(
    anon_client, portal
):
    urls = portal.urls()
    detail = _body(anon_client, urls["recommendation"])
    assert f'href="{urls["follow-up"]}"' in detail
    body = _body(anon_client, urls["follow-up"])
    for measure in portal.measures:
        assert measure.title in body
        assert reverse("plans:measure-detail", args=[measure.pk]) in body
    assert "Ministry of Justice" in body
    assert "Public rating" in body  # the published assessment
    assert "An approved comment." in body
    assert (
        reverse(
            "progress:report-detail", args=[portal.measures[0].reports.get(state="published").pk]
        )
        in body
    )


def test_institution_page_lists_the_measures_it_leads_or_supports_with_their_recommendations(
    anon_client, portal
):
    urls = portal.urls()
    listing = _body(anon_client, urls["institutions"])
    assert reverse("reporting:portal-institution", args=[portal.lead.pk]) in listing
    assert reverse("reporting:portal-institution", args=[portal.supporter.pk]) in listing

    body = _body(anon_client, urls["institution"])
    assert h1(anon_client.get(urls["institution"])) == "Ministry of Justice (MOJ)"
    assert "3 measures it leads or supports" in body
    for measure in portal.measures:
        assert measure.title in body
    rec = portal.recommendation
    assert reverse("recommendations:recommendation-detail", args=[rec.pk]) in body
    assert "Published progress of measure 1." in body
    assert reverse("reporting:portal-cluster", args=[portal.cluster.pk]) in body

    supporter = _body(
        anon_client, reverse("reporting:portal-institution", args=[portal.supporter.pk])
    )
    assert "3 measures it leads or supports" in supporter


def test_cluster_pages_count_the_published_recommendations_by_status(anon_client, portal):
    urls = portal.urls()
    listing = _body(anon_client, urls["clusters"])
    assert "Justice and rule of law" in listing
    assert reverse("reporting:portal-cluster", args=[portal.cluster.pk]) in listing

    response = anon_client.get(urls["cluster"])
    body = response.content.decode()
    # Ten published recommendations, all not started: the draft is not counted.
    assert response.context["statuses"].total == 10
    list_url = reverse("recommendations:recommendation-list")
    assert f'href="{list_url}?cluster={portal.cluster.pk}&amp;status=not_started"' in body
    assert response.context["measure_count"] == 3
    assert "Public measure 2" in body


def test_goal_pages_list_the_goals_and_a_goal_s_recommendations_and_measures(anon_client, portal):
    urls = portal.urls()
    response = anon_client.get(urls["goals"])
    rows = {row.goal.number: row for row in response.context["rows"]}
    assert rows[16].statuses.total == 10
    assert reverse("reporting:portal-goal", args=[16]) in response.content.decode()

    response = anon_client.get(urls["goal"])
    assert response.status_code == 200
    assert response.context["statuses"].total == 10
    assert response.context["measure_count"] == 3
    assert [t.code for t in response.context["targets"]] == ["16.3"]
    assert response.context["targets"][0].recommendation_count == 10
    assert anon_client.get(reverse("reporting:portal-goal", args=[18])).status_code == 404


def test_adopted_plan_page_shows_its_measures_institutions_timeline_and_indicator_values(
    anon_client, portal
):
    measure = portal.measures[0]
    measure.status = MeasureStatus.IN_PROGRESS
    measure.save()
    response = anon_client.get(portal.urls()["plan"])
    body = response.content.decode()
    assert response.context["plan"] == portal.plan
    assert "National action plan" in body
    assert "Judicial Service Commission" in body  # a supporting institution
    assert "Milestone of measure 1" in body  # the timeline
    assert "Indicator of measure 1" in body
    assert "2025</bdi>: 37" in body  # the indicator's value
    assert "In progress" in body
    assert "Justice and rule of law" in body  # the plan's clusters
    assert [m.title for m in response.context["measures"].object_list] == [
        "Public measure 1",
        "Public measure 2",
        "Public measure 3",
    ]


def test_without_an_adopted_plan_the_plan_page_says_so(anon_client):
    response = anon_client.get(reverse("reporting:portal-plan"))
    assert response.status_code == 200
    assert "No implementation plan has been adopted yet." in response.content.decode()


def test_unknown_or_retired_and_empty_items_are_not_found(anon_client, portal):
    assert anon_client.get(reverse("reporting:portal-institution", args=[0])).status_code == 404
    assert anon_client.get(reverse("reporting:portal-cluster", args=[0])).status_code == 404
    from tests.factories.recommendations import ClusterFactory

    retired = ClusterFactory(name="Retired and empty", is_active=False)
    assert (
        anon_client.get(reverse("reporting:portal-cluster", args=[retired.pk])).status_code == 404
    )


def test_public_home_and_navigation_link_to_every_portal_view(anon_client, portal):
    body = _body(anon_client, reverse("home"))
    for name in ("portal-institutions", "portal-clusters", "portal-goals", "portal-plan"):
        assert f'href="{reverse(f"reporting:{name}")}"' in body, name
    assert "No import from the Universal Human Rights Index yet." in body


def test_portal_pages_refuse_other_methods(anon_client, portal):
    for name in PORTAL_VIEWS:
        assert anon_client.post(portal.urls()[name]).status_code in {403, 405}, name


def test_the_secrets_are_on_the_pages_of_those_allowed_to_see_them(client_as, portal):
    """The markers the tests above look for do reach pages when the reader may see them: the
    secretariat reads the pending comment and the draft plan's measure on the follow-up page,
    and the draft recommendation in the list of drafts."""
    client = client_as("secretariat")
    urls = portal.urls()
    body = _body(client, urls["follow-up"])
    assert SECRETS["pending comment"] in body
    assert SECRETS["measure of a draft plan"] in body
    drafts = _body(client, urls["list"] + "?publication_state=draft")
    assert SECRETS["draft recommendation"] in drafts


def test_a_measure_card_lists_ten_of_its_recommendations_and_links_to_all(anon_client, portal):
    from tests.reporting.portal_data import add_recommendations

    add_recommendations(portal, 15)
    response = anon_client.get(portal.urls()["plan"])
    first = response.context["measures"].object_list[0]
    assert first.portal_recommendation_count == 25  # the draft recommendation is not counted
    assert len(first.portal_recommendations) == 10
    assert "All 25 on the measure" in response.content.decode()


def test_each_portal_view_says_how_fresh_its_data_are(anon_client, portal):
    from recommendations.models import ImportRun, ImportStatus

    ImportRun.objects.create(
        source="https://example.org/uhri.json",
        status=ImportStatus.SUCCEEDED,
        finished_at=datetime.datetime(2026, 3, 4, 12, tzinfo=datetime.UTC),
    )
    urls = portal.urls()
    for name in PORTAL_VIEWS:
        body = _body(anon_client, urls[name])
        assert "Index on 2026-03-04." in body, name
        assert "Last progress report published on" in body, name

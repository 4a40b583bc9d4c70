"""The national fields of a recommendation through the API: clusters (writable), assignment in
bulk, PATCH of cluster and priority with optimistic locking, recommendations entered by hand."""

from __future__ import annotations

import pytest
from django.urls import reverse

from recommendations.models import Cluster, Recommendation
from tests.factories.recommendations import ClusterFactory, RecommendationFactory
from tests.factories.tracker import InstitutionFactory

pytestmark = pytest.mark.django_db

OTHERS = ["public", "focal_point", "validator", "other_focal_point", "nhri", "cso", "partner"]


def _refused(response, persona_name: str) -> None:
    # Anonymous: 403 (session authentication has no challenge); signed in: 403.
    assert response.status_code == 403, response.content


def test_cluster_list_is_open_and_shows_code_lead_and_counts(api_client, ministry_a):
    cluster = ClusterFactory(code="JUS", name="Justice", lead_institution=ministry_a)
    RecommendationFactory(cluster=cluster)
    RecommendationFactory(cluster=cluster, draft=True)  # not seen by the public

    row = api_client.get(reverse("api:cluster-detail", args=[cluster.pk])).json()

    assert row["code"] == "JUS"
    assert row["lead_institution"] == ministry_a.pk
    assert row["lead_institution_name"] == "Ministry of Justice (MOJ)"
    assert row["is_active"] is True
    assert row["recommendation_count"] == 1


def test_secretariat_creates_renames_and_retires_a_cluster(api_client_as, ministry_a):
    api = api_client_as("secretariat")
    created = api.post(
        reverse("api:cluster-list"),
        {"code": "JUS", "name": "Justice", "lead_institution": ministry_a.pk},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]

    renamed = api.patch(
        reverse("api:cluster-detail", args=[pk]),
        {"name": "Justice and detention", "is_active": False},
        format="json",
    )

    assert renamed.status_code == 200, renamed.content
    cluster = Cluster.objects.get(pk=pk)
    assert (cluster.name, cluster.is_active, cluster.code) == (
        "Justice and detention",
        False,
        "JUS",
    )
    event = cluster.pgh_event_model.objects.filter(pgh_obj=cluster).last()
    assert event.pgh_context.metadata["action"] == "cluster_update"


def test_cluster_with_a_taken_name_or_no_name_is_a_400_with_the_field(api_client_as):
    ClusterFactory(name="Justice", code="JUS")
    api = api_client_as("secretariat")
    taken = api.post(reverse("api:cluster-list"), {"name": "Justice"}, format="json")
    assert taken.status_code == 400
    assert "name" in taken.json()["extra"]["fields"]
    code = api.post(reverse("api:cluster-list"), {"name": "Other", "code": "JUS"}, format="json")
    assert code.status_code == 400
    assert "code" in code.json()["extra"]["fields"]
    empty = api.post(reverse("api:cluster-list"), {}, format="json")
    assert empty.status_code == 400
    assert Cluster.objects.count() == 1


def test_a_cluster_cannot_be_deleted_or_replaced(api_client_as):
    cluster = ClusterFactory()
    api = api_client_as("secretariat")
    assert api.delete(reverse("api:cluster-detail", args=[cluster.pk])).status_code == 405
    put = api.put(reverse("api:cluster-detail", args=[cluster.pk]), {"name": "X"}, format="json")
    assert put.status_code == 405
    assert Cluster.objects.filter(pk=cluster.pk, name=cluster.name).exists()


@pytest.mark.parametrize("persona_name", OTHERS)
def test_only_the_secretariat_writes_clusters(api_client_as, persona_name):
    cluster = ClusterFactory(name="Justice")
    rec = RecommendationFactory()
    api = api_client_as(persona_name)

    _refused(api.post(reverse("api:cluster-list"), {"name": "New"}, format="json"), persona_name)
    _refused(
        api.patch(reverse("api:cluster-detail", args=[cluster.pk]), {"name": "X"}, format="json"),
        persona_name,
    )
    _refused(
        api.post(
            reverse("api:cluster-recommendations", args=[cluster.pk]),
            {"add": [rec.pk]},
            format="json",
        ),
        persona_name,
    )
    _refused(
        api.patch(
            reverse("api:recommendation-detail", args=[rec.pk]), {"priority": "high"}, format="json"
        ),
        persona_name,
    )
    assert list(Cluster.objects.values_list("name", flat=True)) == ["Justice"]
    rec.refresh_from_db()
    assert (rec.cluster_id, rec.priority, rec.version) == (None, "", 1)


def test_cluster_recommendations_add_and_remove(api_client_as):
    cluster = ClusterFactory()
    other = ClusterFactory()
    a, b = RecommendationFactory(), RecommendationFactory()
    leaving = RecommendationFactory(cluster=cluster)
    elsewhere = RecommendationFactory(cluster=other)
    api = api_client_as("secretariat")

    response = api.post(
        reverse("api:cluster-recommendations", args=[cluster.pk]),
        {"add": [a.pk, b.pk], "remove": [leaving.pk, elsewhere.pk]},
        format="json",
    )

    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["added"], data["removed"]) == (2, 1)
    assert data["cluster"]["recommendation_count"] == 2
    assert set(cluster.recommendations.values_list("pk", flat=True)) == {a.pk, b.pk}
    elsewhere.refresh_from_db()
    assert elsewhere.cluster_id == other.pk


def test_cluster_recommendations_unknown_id_is_a_400_and_writes_nothing(api_client_as):
    cluster = ClusterFactory()
    rec = RecommendationFactory()
    response = api_client_as("secretariat").post(
        reverse("api:cluster-recommendations", args=[cluster.pk]),
        {"add": [rec.pk, 999999]},
        format="json",
    )
    assert response.status_code == 400
    assert "999999" in response.json()["message"]
    rec.refresh_from_db()
    assert rec.cluster_id is None


def test_cluster_recommendations_bad_payload_is_a_400(api_client_as):
    cluster = ClusterFactory()
    response = api_client_as("secretariat").post(
        reverse("api:cluster-recommendations", args=[cluster.pk]),
        {"add": "nope"},
        format="json",
    )
    assert response.status_code == 400
    assert "add" in response.json()["extra"]["fields"]


def test_patch_sets_priority_reason_and_cluster_and_returns_an_etag(api_client_as):
    cluster = ClusterFactory()
    rec = RecommendationFactory()
    api = api_client_as("secretariat")
    url = reverse("api:recommendation-detail", args=[rec.pk])

    response = api.patch(
        url,
        {
            "cluster": cluster.pk,
            "priority": "high",
            "priority_reason": "Due at mid-term.",
            "version": 1,
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["cluster"], data["priority"], data["priority_reason"], data["version"]) == (
        cluster.pk,
        "high",
        "Due at mid-term.",
        2,
    )
    assert response["ETag"] == f'"rec-{rec.pk}-v2"'
    assert api.get(url)["ETag"] == f'"rec-{rec.pk}-v2"'


@pytest.mark.parametrize("field", ["position", "paragraph", "status", "annotation_id", "texts"])
def test_patch_of_a_feed_field_is_a_400_naming_it(api_client_as, field):
    rec = RecommendationFactory()
    response = api_client_as("secretariat").patch(
        reverse("api:recommendation-detail", args=[rec.pk]),
        {field: "x", "priority": "high"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == [field]
    rec.refresh_from_db()
    assert (rec.priority, rec.version) == ("", 1)


def test_patch_bad_values_are_a_400_with_the_fields(api_client_as):
    rec = RecommendationFactory()
    retired = ClusterFactory(is_active=False)
    api = api_client_as("secretariat")
    url = reverse("api:recommendation-detail", args=[rec.pk])
    bad = api.patch(url, {"priority": "urgent", "cluster": 999999}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()["extra"]["fields"]) == {"priority", "cluster"}
    gone = api.patch(url, {"cluster": retired.pk}, format="json")
    assert gone.status_code == 400
    assert "cluster" in gone.json()["extra"]["fields"]
    rec.refresh_from_db()
    assert (rec.cluster_id, rec.version) == (None, 1)


def test_patch_from_a_stale_version_is_a_409_and_writes_nothing(api_client_as):
    rec = RecommendationFactory()
    api = api_client_as("secretariat")
    url = reverse("api:recommendation-detail", args=[rec.pk])
    assert api.patch(url, {"priority": "low", "version": 1}, format="json").status_code == 200

    stale = api.patch(url, {"priority": "high", "version": 1}, format="json")

    assert stale.status_code == 409
    assert "changed by someone else" in stale.json()["message"]
    rec.refresh_from_db()
    assert (rec.priority, rec.version) == ("low", 2)

    in_french = api.patch(
        url, {"priority": "high", "version": 1}, format="json", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert in_french.status_code == 409
    assert f"La recommandation {rec.pk} a été modifiée" in in_french.json()["message"]


def test_patch_with_a_stale_if_match_is_a_412_and_writes_nothing(api_client_as):
    rec = RecommendationFactory()
    api = api_client_as("secretariat")
    url = reverse("api:recommendation-detail", args=[rec.pk])
    etag = api.get(url)["ETag"]
    fresh = api.patch(url, {"priority": "low"}, format="json", HTTP_IF_MATCH=etag)
    assert fresh.status_code == 200

    stale = api.patch(url, {"priority": "high"}, format="json", HTTP_IF_MATCH=etag)

    assert stale.status_code == 412
    assert stale["ETag"] == fresh["ETag"]
    rec.refresh_from_db()
    assert (rec.priority, rec.version) == ("low", 2)
    garbage = api.patch(url, {"priority": "high"}, format="json", HTTP_IF_MATCH='"nope"')
    assert garbage.status_code == 412


def test_patch_of_an_invisible_recommendation_is_a_404(api_client_as):
    draft = RecommendationFactory(draft=True, cluster=ClusterFactory())
    response = api_client_as("nhri").patch(
        reverse("api:recommendation-detail", args=[draft.pk]), {"priority": "high"}, format="json"
    )
    assert response.status_code == 404


MANUAL = {
    "mechanism": "African Commission",
    "family": "regional",
    "document": {
        "symbol": "ACHPR/Res.1",
        "title": "Concluding observations",
        "url": "https://example.org/achpr.pdf",
        "publication_date": "2026-05-01",
    },
    "paragraph": "12",
    "text": "Abolish the death penalty <b>now</b>.",
}


def test_secretariat_enters_a_recommendation_by_hand(api_client_as):
    response = api_client_as("secretariat").post(
        reverse("api:recommendation-list"), MANUAL, format="json"
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["is_manual"] is True
    assert data["annotation_id"] is None
    assert data["mechanism"] == "African Commission"
    rec = Recommendation.objects.get(pk=data["id"])
    assert rec.document.url == "https://example.org/achpr.pdf"
    assert rec.document.mechanism.family == "regional"
    assert rec.texts.get().html == "<p>Abolish the death penalty &lt;b&gt;now&lt;/b&gt;.</p>"


@pytest.mark.parametrize("persona_name", OTHERS)
def test_only_the_secretariat_enters_recommendations(api_client_as, persona_name):
    response = api_client_as(persona_name).post(
        reverse("api:recommendation-list"), MANUAL, format="json"
    )
    assert response.status_code == 403
    assert not Recommendation.objects.exists()


def test_manual_recommendation_bad_input_is_a_400(api_client_as):
    response = api_client_as("secretariat").post(
        reverse("api:recommendation-list"),
        {**MANUAL, "text": "", "language": "xx", "document": {"symbol": ""}},
        format="json",
    )
    assert response.status_code == 400
    assert {"text", "language", "document"} <= set(response.json()["extra"]["fields"])
    assert not Recommendation.objects.exists()


def test_institutions_show_their_acronym(api_client):
    InstitutionFactory(name="Ministry of Justice", acronym="MOJ")
    rows = api_client.get(reverse("api:institution-list")).json()["results"]
    assert {"name": "Ministry of Justice", "acronym": "MOJ"}.items() <= rows[0].items()


def test_schema_describes_the_writes(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/clusters/{id}/recommendations/" in schema
    assert "RecommendationNationalInput" in schema
    assert "ManualRecommendationInput" in schema


@pytest.mark.parametrize(
    ("route", "method", "codes"),
    [
        ("/api/v1/clusters/", "post", {"201", "400", "403"}),
        ("/api/v1/clusters/{id}/", "patch", {"200", "400", "403"}),
        ("/api/v1/clusters/{id}/recommendations/", "post", {"200", "400", "403"}),
        ("/api/v1/recommendations/", "post", {"201", "400", "403"}),
        ("/api/v1/recommendations/{id}/", "patch", {"200", "400", "403", "409", "412"}),
    ],
)
def test_every_write_is_documented_with_its_errors(route, method, codes):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"][route][method]
    assert codes <= set(operation["responses"])
    assert "delete" not in schema["paths"].get("/api/v1/clusters/{id}/", {})

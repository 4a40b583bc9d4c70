"""The progress reports API: the role matrix of reads, writes and steps, conflicts (409 from the
wrong state or a stale version, 412 with If-Match) and evidence upload and serving."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pghistory.models import Events

from plans import services
from plans.models import Evidence, ProgressReport, ReportState
from tests.plans.conftest import event_count

from .conftest import PDF, report_in

pytestmark = pytest.mark.django_db

BASE = "/api/v1/progress-reports/"


def test_focal_point_creates_a_report_with_values(api_client_as, adopted_measure, indicator):
    response = api_client_as("focal_point").post(
        BASE,
        {
            "measure": adopted_measure.pk,
            "period": "2025-Q3",
            "narrative": "Training done.",
            "measure_status": "in_progress",
            "values": [
                {"indicator": indicator.pk, "value": "40", "disaggregation": {"sex": "female"}}
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "draft"
    assert body["version"] == 1
    assert body["values"][0]["disaggregation"] == {"sex": "female"}
    assert [s["action"] for s in body["steps"]] == ["create"]
    event = Events.objects.references(ProgressReport.objects.get()).first()
    assert event.pgh_context["action"] == "progress_report_create"
    assert event.pgh_context["username"] == "focal"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("public", 403),
        ("nhri", 403),
        ("cso", 403),
        ("partner", 403),
        ("validator", 403),
        ("other_focal_point", 403),
        ("secretariat", 201),
        ("focal_point", 201),
    ],
)
def test_create_role_matrix(api_client_as, adopted_measure, who, status):
    client = api_client_as(who)
    before = event_count()
    response = client.post(BASE, {"measure": adopted_measure.pk, "period": "2025"}, format="json")
    assert response.status_code == status
    if status != 201:
        assert ProgressReport.objects.count() == 0
        assert event_count() == before


def test_bad_input_is_400_with_fields(api_client_as, adopted_measure):
    response = api_client_as("focal_point").post(
        BASE,
        {"measure": adopted_measure.pk, "period": "nope", "values": [{"indicator": "x"}]},
        format="json",
    )
    assert response.status_code == 400
    assert "values" in response.json()["extra"]["fields"]


@pytest.mark.parametrize(
    ("who", "sees_draft", "sees_published"),
    [
        ("public", False, True),
        ("nhri", False, True),
        ("cso", False, True),
        ("partner", False, True),
        ("other_focal_point", False, True),
        ("focal_point", True, True),
        ("validator", True, True),
        ("secretariat", True, True),
    ],
)
def test_read_role_matrix(
    api_client_as, users, report, adopted_measure, who, sees_draft, sees_published
):
    from tests.factories.plans import ProgressReportFactory

    published = report_in(
        ReportState.PUBLISHED, ProgressReportFactory(measure=adopted_measure), users
    )
    client = api_client_as(who)
    ids = {r["id"] for r in client.get(BASE).json()["results"]}
    assert (report.pk in ids) is sees_draft
    assert (published.pk in ids) is sees_published
    assert client.get(f"{BASE}{report.pk}/").status_code == (200 if sees_draft else 404)


STEPS = [
    # (state before, step, who, expected status)
    (ReportState.DRAFT, "submit", "focal_point", 200),
    (ReportState.DRAFT, "submit", "validator", 403),
    (ReportState.DRAFT, "submit", "other_focal_point", 404),
    (ReportState.DRAFT, "submit", "nhri", 404),
    (ReportState.PUBLISHED, "accept", "nhri", 403),
    (ReportState.DRAFT, "submit", "public", 403),
    (ReportState.SUBMITTED, "validate", "validator", 200),
    (ReportState.SUBMITTED, "validate", "focal_point", 403),
    (ReportState.SUBMITTED, "validate", "secretariat", 403),
    (ReportState.SUBMITTED, "validate", "cso", 404),
    (ReportState.VALIDATED, "accept", "secretariat", 200),
    (ReportState.VALIDATED, "accept", "validator", 403),
    (ReportState.VALIDATED, "accept", "focal_point", 403),
    (ReportState.ACCEPTED, "publish", "secretariat", 200),
    (ReportState.ACCEPTED, "publish", "focal_point", 403),
    (ReportState.SUBMITTED, "return", "validator", 200),
    (ReportState.VALIDATED, "return", "validator", 403),
    (ReportState.VALIDATED, "return", "secretariat", 200),
    (ReportState.ACCEPTED, "return", "secretariat", 200),
    (ReportState.SUBMITTED, "return", "focal_point", 403),
    # From the wrong state: 409 with the reason.
    (ReportState.DRAFT, "validate", "validator", 409),
    (ReportState.SUBMITTED, "accept", "secretariat", 409),
    (ReportState.PUBLISHED, "return", "secretariat", 409),
]


@pytest.mark.parametrize(("state", "step", "who", "status"), STEPS)
def test_step_role_matrix(api_client_as, users, report, state, step, who, status):
    report = report_in(state, report, users)
    client = api_client_as(who)
    before = event_count()
    response = client.post(
        f"{BASE}{report.pk}/{step}/", {"reason": "Please add the figures."}, format="json"
    )
    assert response.status_code == status, response.content
    report.refresh_from_db()
    if status == 200:
        body = response.json()
        assert body["state"] == report.state != state
        assert body["steps"][-1]["action"] == step
        assert response["ETag"] == f'"{report.version}"'
        last = Events.objects.references(report).order_by("-pgh_created_at", "-pgh_id").first()
        assert last.pgh_context["action"] == f"progress_report_{step}"
    else:
        assert report.state == state
        assert event_count() == before
    if status == 409:
        assert response.json()["extra"]["code"] == "wrong_state"


def test_return_without_a_reason_is_400(api_client_as, users, report):
    report = report_in(ReportState.SUBMITTED, report, users)
    response = api_client_as("validator").post(f"{BASE}{report.pk}/return/", {}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()["extra"]["fields"]


# --- optimistic locking -------------------------------------------------------------------------


def test_two_clients_save_the_same_report_one_gets_409(client_as, api_client_as, report):
    first, second = api_client_as("focal_point"), api_client_as("secretariat")
    ok = first.patch(f"{BASE}{report.pk}/", {"narrative": "One", "version": 1}, format="json")
    assert ok.status_code == 200
    assert ok.json()["version"] == 2
    before = event_count()
    stale = second.patch(f"{BASE}{report.pk}/", {"narrative": "Two", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["extra"]["code"] == "stale_version"
    assert "Nothing was saved" in stale.json()["message"]
    report.refresh_from_db()
    assert report.narrative == "One"
    assert event_count() == before


def test_if_match_stale_is_412_and_current_is_200(api_client_as, report):
    client = api_client_as("focal_point")
    read = client.get(f"{BASE}{report.pk}/")
    assert read["ETag"] == '"1"'
    services.progress_report_update(actor=None, report=report, narrative="Changed meanwhile")
    stale = client.patch(
        f"{BASE}{report.pk}/", {"narrative": "Mine"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert stale.status_code == 412
    report.refresh_from_db()
    assert report.narrative == "Changed meanwhile"
    fresh = client.patch(
        f"{BASE}{report.pk}/", {"narrative": "Mine"}, format="json", HTTP_IF_MATCH='"2"'
    )
    assert fresh.status_code == 200
    assert fresh["ETag"] == '"3"'


def test_a_step_with_a_stale_if_match_is_412(api_client_as, report):
    services.progress_report_update(actor=None, report=report, narrative="Changed")
    response = api_client_as("focal_point").post(
        f"{BASE}{report.pk}/submit/", {}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 412
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_measure_and_plan_updates_refuse_stale_versions(api_client_as, draft_measure):
    client = api_client_as("secretariat")
    url = f"/api/v1/measures/{draft_measure.pk}/"
    assert client.get(url)["ETag"] == '"1"'
    assert client.patch(url, {"title": "A", "version": 1}, format="json").status_code == 200
    assert client.patch(url, {"title": "B", "version": 1}, format="json").status_code == 409
    assert client.patch(url, {"title": "B"}, format="json", HTTP_IF_MATCH='"1"').status_code == 412
    draft_measure.refresh_from_db()
    assert draft_measure.title == "A"
    plan_url = f"/api/v1/plans/{draft_measure.plan_id}/"
    assert client.patch(plan_url, {"title": "P", "revision": 1}, format="json").status_code == 200
    assert client.patch(plan_url, {"title": "Q", "revision": 1}, format="json").status_code == 409


# --- evidence -----------------------------------------------------------------------------------


def _upload(client, report, content=PDF, name="decree.pdf", public=True):
    return client.post(
        f"{BASE}{report.pk}/evidence/",
        {"file": SimpleUploadedFile(name, content), "title": "Decree", "is_public": public},
        format="multipart",
    )


def test_evidence_upload_and_download(api_client_as, report):
    client = api_client_as("focal_point")
    response = _upload(client, report)
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get()
    download = client.get(response.json()["download"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert evidence.report_id == report.pk


def test_evidence_refused_when_its_content_is_not_its_name(api_client_as, report):
    response = _upload(api_client_as("focal_point"), report, b"<html>hi</html>", "x.pdf")
    assert response.status_code == 400
    assert "file" in response.json()["extra"]["fields"]
    assert Evidence.objects.count() == 0


def test_evidence_of_the_limit_plus_one_byte_is_400(settings, api_client_as, report):
    settings.TRACKER_EVIDENCE_MAX_MB = 1
    body = PDF + b"\x00" * (1024 * 1024 - len(PDF) + 1)
    response = _upload(api_client_as("focal_point"), report, body)
    assert response.status_code == 400
    assert Evidence.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "public_status", "internal_status"),
    [
        ("public", 404, 404),
        ("cso", 404, 404),
        ("other_focal_point", 404, 404),
        ("validator", 200, 200),
        ("secretariat", 200, 200),
    ],
)
def test_evidence_of_a_draft_is_served_to_those_who_see_the_report(
    api_client_as, report, who, public_status, internal_status
):
    owner = api_client_as("focal_point")
    public = _upload(owner, report, public=True).json()["download"]
    internal = _upload(owner, report, name="notes.pdf", public=False).json()["download"]
    client = api_client_as(who)
    assert client.get(public).status_code == public_status
    assert client.get(internal).status_code == internal_status


def test_public_evidence_of_a_published_report_is_open_internal_is_not(
    api_client_as, users, report
):
    owner = api_client_as("focal_point")
    public = _upload(owner, report, public=True).json()["download"]
    internal = _upload(owner, report, name="notes.pdf", public=False).json()["download"]
    report_in(ReportState.PUBLISHED, report, users)
    anonymous = api_client_as("public")
    assert anonymous.get(public).status_code == 200
    assert anonymous.get(internal).status_code == 404
    listed = anonymous.get(f"{BASE}{report.pk}/").json()["evidence"]
    assert [e["title"] for e in listed] == ["Decree"]
    from plans import progress_selectors

    assert [e.file.name for e in progress_selectors.public_evidence()] == [
        Evidence.objects.get(is_public=True).file.name
    ]


def test_evidence_upload_role_matrix(api_client_as, report):
    assert _upload(api_client_as("validator"), report).status_code == 403
    assert _upload(api_client_as("other_focal_point"), report).status_code == 404
    assert _upload(api_client_as("public"), report).status_code == 403
    assert Evidence.objects.count() == 0

"""The progress pages: the role matrix of each page, the form, the steps' buttons, a stale
save refused with 409 and a clear message, and evidence served only to those who may see it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import Evidence, ProgressReport, ReportState
from tests.plans.conftest import event_count

from .conftest import PDF, report_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "draft_status", "edit_status"),
    [
        ("public", 404, 302),
        ("nhri", 404, 404),
        ("cso", 404, 404),
        ("partner", 404, 404),
        ("other_focal_point", 404, 404),
        ("validator", 200, 403),
        ("focal_point", 200, 200),
        ("secretariat", 200, 200),
    ],
)
def test_report_pages_role_matrix(client_as, report, who, draft_status, edit_status):
    client = client_as(who)
    assert client.get(reverse("progress:report-detail", args=[report.pk])).status_code == (
        draft_status
    )
    assert client.get(reverse("progress:report-edit", args=[report.pk])).status_code == (
        edit_status
    )
    listing = client.get(reverse("progress:report-list"))
    assert listing.status_code == 200
    assert (reverse("progress:report-detail", args=[report.pk]) in listing.text) is (
        draft_status == 200
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("public", 302),
        ("nhri", 404),
        ("validator", 404),
        ("other_focal_point", 404),
        ("focal_point", 200),
        ("secretariat", 200),
    ],
)
def test_new_report_page_role_matrix(client_as, adopted_measure, indicator, who, status):
    response = client_as(who).get(reverse("progress:report-create", args=[adopted_measure.pk]))
    assert response.status_code == status
    if status == 200:
        assert "Judges trained" in response.text


def test_focal_point_writes_a_report_through_the_form(client_as, adopted_measure, indicator):
    response = client_as("focal_point").post(
        reverse("progress:report-create", args=[adopted_measure.pk]),
        {
            "period": "2025",
            "narrative": "Done.",
            "measure_status": "in_progress",
            f"value_{indicator.pk}": "7",
        },
    )
    report = ProgressReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("progress:report-detail", args=[report.pk])
    assert report.values.get().value == 7


def test_bad_period_is_400_with_the_field(client_as, adopted_measure):
    response = client_as("focal_point").post(
        reverse("progress:report-create", args=[adopted_measure.pk]), {"period": "soon"}
    )
    assert response.status_code == 400
    assert ProgressReport.objects.count() == 0


def test_a_stale_save_is_409_with_a_clear_message_and_nothing_written(client_as, report):
    url = reverse("progress:report-edit", args=[report.pk])
    first, second = client_as("focal_point"), client_as("secretariat")
    ok = first.post(url, {"period": "2025", "narrative": "First", "version": 1})
    assert ok.status_code == 302
    before = event_count()
    stale = second.post(url, {"period": "2025", "narrative": "Second", "version": 1})
    assert stale.status_code == 409
    assert "Your changes were not saved." in stale.text
    assert "Someone else changed this record" in stale.text
    # The form now carries the current version, to redo the change on.
    assert 'name="version" value="2"' in stale.text
    report.refresh_from_db()
    assert report.narrative == "First"
    assert event_count() == before


def test_step_buttons_follow_the_policy(client_as, users, report):
    url = reverse("progress:report-detail", args=[report.pk])
    assert "Submit for validation" in client_as("focal_point").get(url).text
    assert "Submit for validation" not in client_as("validator").get(url).text
    report = report_in(ReportState.SUBMITTED, report, users)
    page = client_as("validator").get(url).text
    assert "Validate" in page
    assert "Return to the author" in page
    assert "Validate</" not in client_as("secretariat").get(url).text.replace(" ", "")


def test_the_workflow_through_the_pages(client_as, report):
    step = reverse("progress:report-step", args=[report.pk])
    assert client_as("focal_point").post(step, {"step": "submit", "version": 1}).status_code == 302
    returned = client_as("validator").post(
        step, {"step": "return", "reason": "Figures missing", "version": 2}
    )
    assert returned.status_code == 302
    page = client_as("focal_point").get(reverse("progress:report-detail", args=[report.pk]))
    assert "Figures missing" in page.text
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED


def test_a_step_from_the_wrong_state_is_409_and_a_refused_one_403(client_as, users, report):
    step = reverse("progress:report-step", args=[report.pk])
    before = event_count()
    wrong = client_as("secretariat").post(step, {"step": "publish"})
    assert wrong.status_code == 409
    assert "can be published only when accepted" in wrong.text
    assert client_as("validator").post(step, {"step": "submit"}).status_code == 403
    assert client_as("cso").post(step, {"step": "submit"}).status_code == 404
    assert event_count() == before


def test_evidence_upload_and_serving_through_the_pages(client_as, users, report):
    owner = client_as("focal_point")
    add = reverse("progress:evidence-add", args=[report.pk])
    response = owner.post(
        add, {"file": SimpleUploadedFile("a.pdf", PDF), "title": "Minutes", "version": 1}
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    url = reverse("progress:evidence-download", args=[evidence.pk])
    assert owner.get(url).status_code == 200
    for who in ("public", "cso", "other_focal_point"):
        assert client_as(who).get(url).status_code == 404, who
    bad = owner.post(add, {"file": SimpleUploadedFile("b.pdf", b"GIF89a nope"), "version": 2})
    assert bad.status_code == 400
    assert "not accepted" in bad.text
    assert Evidence.objects.count() == 1
    # Internal evidence stays internal once published.
    report_in(ReportState.PUBLISHED, report, users)
    assert client_as("public").get(url).status_code == 404


def test_public_sees_the_published_report_and_its_public_evidence(client_as, users, report):
    owner = client_as("focal_point")
    add = reverse("progress:evidence-add", args=[report.pk])
    owner.post(
        add, {"file": SimpleUploadedFile("p.pdf", PDF), "title": "Decree", "is_public": "on"}
    )
    report_in(ReportState.PUBLISHED, report, users)
    page = client_as("public").get(reverse("progress:report-detail", args=[report.pk]))
    assert page.status_code == 200
    assert "Decree" in page.text
    evidence = Evidence.objects.get()
    assert (
        client_as("public")
        .get(reverse("progress:evidence-download", args=[evidence.pk]))
        .status_code
        == 200
    )

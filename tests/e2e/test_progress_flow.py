"""The progress network in a real browser: a focal point writes a report with evidence and
submits it, the validator returns it, the focal point fixes and resubmits it, the validator
validates it, the secretariat accepts and publishes it; a civil-society organisation comments,
the secretariat approves the comment; an anonymous visitor sees the published result and
nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import Page, expect

from plans.models import Comment, CommentState, ProgressReport, ReportState
from tests.conftest import sign_in as conftest_sign_in
from tests.factories.plans import IndicatorFactory, MeasureFactory, PlanFactory
from tests.factories.recommendations import RecommendationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def as_person(page: Page, base_url: str, user) -> None:
    """The browser takes the session of ``user`` (or none, for an anonymous visitor)."""
    page.context.clear_cookies()
    if user is None:
        return
    client = Client()
    conftest_sign_in(client, user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def test_a_report_goes_from_draft_to_the_public_with_a_return_on_the_way(
    page: Page,
    live_server,
    settings,
    tmp_path: Path,
    focal_point,
    validator,
    secretariat,
    cso,
    ministry_a,
):
    settings.TRACKER_EVIDENCE_ROOT = tmp_path / "private"
    base = live_server.url
    recommendation = RecommendationFactory()
    measure = MeasureFactory(
        plan=PlanFactory(adopted=True),
        lead_institution=ministry_a,
        title="Train the judges",
        recommendations=[recommendation],
    )
    indicator = IndicatorFactory(measure=measure, name="Judges trained")
    evidence = tmp_path / "programme.pdf"
    evidence.write_bytes(PDF)

    # The focal point writes the report, adds public evidence and submits it.
    as_person(page, base, focal_point)
    page.goto(f"{base}/progress/new/{measure.pk}/")
    page.get_by_label("Period").fill("2025")
    page.get_by_label("What was done").fill("Two training sessions.")
    page.get_by_label("Judges trained").fill("40")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Train the judges")
    page.get_by_label("File").set_input_files(str(evidence))
    page.get_by_label("Title").fill("Training programme")
    page.get_by_label("Public: shown on the portal once the report is published").check()
    page.get_by_role("button", name="Add the file").click()
    expect(page.get_by_role("link", name="Training programme")).to_be_visible()
    page.get_by_role("button", name="Submit for validation").click()
    expect(page.get_by_text("Submitted", exact=True).first).to_be_visible()
    report = ProgressReport.objects.get()
    detail = f"{base}/progress/{report.pk}/"

    # The validator returns it with a reason.
    as_person(page, base, validator)
    page.goto(detail)
    page.get_by_label("Reason for returning it to its author").fill("Add the attendance.")
    page.get_by_role("button", name="Return to the author").click()
    expect(page.get_by_role("note")).to_contain_text("Add the attendance.")

    # The focal point fixes it and submits it again.
    as_person(page, base, focal_point)
    page.goto(detail)
    page.get_by_role("link", name="Change the report").click()
    page.get_by_label("What was done").fill("Two training sessions, 40 judges attended.")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_role("button", name="Submit for validation").click()

    # The validator validates; the secretariat accepts and publishes.
    as_person(page, base, validator)
    page.goto(detail)
    page.get_by_role("button", name="Validate").click()
    as_person(page, base, secretariat)
    page.goto(detail)
    page.get_by_role("button", name="Accept").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published", exact=True).first).to_be_visible()
    report.refresh_from_db()
    assert report.state == ReportState.PUBLISHED
    assert [s.action for s in report.steps.order_by("at", "id")] == [
        "create",
        "submit",
        "return",
        "submit",
        "validate",
        "accept",
        "publish",
    ]
    assert indicator.values.get(period="2025").value == 40

    # A civil-society organisation comments; the secretariat approves the comment.
    follow_up = f"{base}/progress/recommendations/{recommendation.pk}/"
    as_person(page, base, cso)
    page.goto(follow_up)
    page.get_by_label("Your comment").fill("Good, now train the prosecutors.")
    page.get_by_role("button", name="Send the comment").click()
    expect(page.get_by_text("Waiting for moderation")).to_be_visible()
    as_person(page, base, secretariat)
    page.goto(f"{base}/progress/comments/")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("No comment waits for moderation.")).to_be_visible()
    assert Comment.objects.get().state == CommentState.APPROVED

    # An anonymous visitor sees the published report, its public evidence and the comment...
    draft = ProgressReport.objects.create(
        measure=measure, institution=ministry_a, period="2026", narrative="Secret draft"
    )
    as_person(page, base, None)
    page.goto(detail)
    expect(page.get_by_text("Two training sessions, 40 judges attended.")).to_be_visible()
    expect(page.get_by_role("link", name="Training programme")).to_be_visible()
    expect(page.get_by_role("button", name="Validate")).to_have_count(0)
    page.goto(follow_up)
    expect(page.get_by_text("Good, now train the prosecutors.")).to_be_visible()
    # ...and nothing else: the draft is not listed and its page is not found.
    page.goto(f"{base}/progress/")
    expect(page.get_by_text("Train the judges")).to_have_count(1)
    response = page.goto(f"{base}/progress/{draft.pk}/")
    assert response is not None
    assert response.status == 404

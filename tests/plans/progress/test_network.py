"""Assessments, comments, support projects, notifications and reminders, the portfolio
handover and the activity feeds: services and API, with their role matrices."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from pghistory.models import Events

from plans import services
from plans.models import (
    Assessment,
    Comment,
    CommentState,
    Notification,
    NotificationKind,
    ProgressReport,
    ReportState,
    SupportProject,
)
from tests.factories.plans import MilestoneFactory
from tests.factories.tracker import InstitutionFactory
from tests.plans.conftest import actions_of, event_count
from tracker.exceptions import ApplicationError
from tracker.models import Membership
from tracker.roles import Role

from .conftest import report_in

pytestmark = pytest.mark.django_db

# --- assessments --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "kind"),
    [
        ("secretariat", 201, "government"),
        ("focal_point", 201, "government"),
        ("nhri", 201, "nhri"),
        ("cso", 201, "cso"),
        ("partner", 403, None),
        ("public", 403, None),
    ],
)
def test_assessment_kind_follows_the_role(api_client_as, recommendation, who, status, kind):
    client = api_client_as(who)
    before = event_count()
    response = client.post(
        "/api/v1/assessments/",
        {"recommendation": recommendation.pk, "rating": "partially", "summary": "Half done."},
        format="json",
    )
    assert response.status_code == status, response.content
    if status == 201:
        assert response.json()["assessor_kind"] == kind
        assert response.json()["state"] == "draft"
        event = Events.objects.references(Assessment.objects.get()).first()
        assert event.pgh_context["action"] == "assessment_create"
    else:
        assert Assessment.objects.count() == 0
        assert event_count() == before


def test_drafts_stay_with_their_organisation_published_are_side_by_side(
    api_client_as, users, recommendation
):
    drafts = {}
    for who, rating in (
        ("secretariat", "fully"),
        ("nhri", "partially"),
        ("cso", "not_implemented"),
    ):
        drafts[who] = services.assessment_create(
            actor=users[who], recommendation=recommendation, rating=rating, summary=f"By {who}"
        )
    url = f"/api/v1/assessments/?recommendation={recommendation.pk}"
    assert [a["assessor_kind"] for a in api_client_as("public").get(url).json()["results"]] == []
    assert [a["assessor_kind"] for a in api_client_as("cso").get(url).json()["results"]] == ["cso"]
    # Publishing is the organisation's; others may not.
    refused = api_client_as("cso").post(f"/api/v1/assessments/{drafts['nhri'].pk}/publish/")
    assert refused.status_code == 404
    for who, assessment in drafts.items():
        response = api_client_as(who).post(f"/api/v1/assessments/{assessment.pk}/publish/")
        assert response.status_code == 200
    kinds = sorted(a["assessor_kind"] for a in api_client_as("public").get(url).json()["results"])
    assert kinds == ["cso", "government", "nhri"]


def test_assessment_text_is_sanitised_and_bad_rating_refused(users, recommendation):
    assessment = services.assessment_create(
        actor=users["nhri"],
        recommendation=recommendation,
        rating="fully",
        summary="<script>alert(1)</script><b>Done</b>",
    )
    assert assessment.summary == "Done"
    with pytest.raises(ApplicationError) as raised:
        services.assessment_create(
            actor=users["nhri"], recommendation=recommendation, rating="great", summary="x"
        )
    assert "rating" in raised.value.extra["fields"]


# --- comments -----------------------------------------------------------------------------------


def test_comment_is_sanitised_pending_then_approved(api_client_as, recommendation):
    cso = api_client_as("cso")
    response = cso.post(
        "/api/v1/comments/",
        {"recommendation": recommendation.pk, "text": '<img src=x onerror="alert(1)">Too slow'},
        format="json",
    )
    assert response.status_code == 201, response.content
    comment = Comment.objects.get()
    assert comment.text == "Too slow"
    assert comment.state == CommentState.PENDING
    url = f"/api/v1/comments/?recommendation={recommendation.pk}"
    assert len(cso.get(url).json()["results"]) == 1  # the author sees it
    assert api_client_as("public").get(url).json()["results"] == []
    assert api_client_as("nhri").get(url).json()["results"] == []
    assert api_client_as("nhri").post(f"/api/v1/comments/{comment.pk}/approve/").status_code == 403
    approved = api_client_as("secretariat").post(f"/api/v1/comments/{comment.pk}/approve/")
    assert approved.status_code == 200
    assert [c["text"] for c in api_client_as("public").get(url).json()["results"]] == ["Too slow"]


def test_comment_keeps_the_characters_typed_and_the_page_escapes_them_once(
    users, recommendation, anon_client
):
    comment = services.comment_create(
        actor=users["nhri"], recommendation=recommendation, text="a < b & <b>c</b> &lt;i&gt;"
    )
    assert comment.text == "a < b & c <i>"  # plain text: the tags typed are gone
    services.comment_approve(actor=users["secretariat"], comment=comment)
    page = anon_client.get(
        reverse("progress:recommendation-follow-up", args=[recommendation.pk])
    ).content.decode()
    assert "a &lt; b &amp; c &lt;i&gt;" in page
    assert "&amp;lt;" not in page
    assert "&amp;amp;" not in page


def test_reject_needs_a_reason_and_the_author_reads_it(api_client_as, users, adopted_measure):
    comment = services.comment_create(actor=users["nhri"], measure=adopted_measure, text="Why?")
    secretariat = api_client_as("secretariat")
    assert secretariat.post(f"/api/v1/comments/{comment.pk}/reject/", {}).status_code == 400
    response = secretariat.post(
        f"/api/v1/comments/{comment.pk}/reject/", {"reason": "Off topic"}, format="json"
    )
    assert response.status_code == 200
    mine = api_client_as("nhri").get(f"/api/v1/comments/?measure={adopted_measure.pk}").json()
    assert mine["results"][0]["moderation_reason"] == "Off topic"


@pytest.mark.parametrize("who", ["focal_point", "validator", "secretariat", "partner", "public"])
def test_only_the_nhri_and_civil_society_comment(api_client_as, recommendation, who):
    response = api_client_as(who).post(
        "/api/v1/comments/", {"recommendation": recommendation.pk, "text": "Hi"}, format="json"
    )
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_comments_are_rate_limited(settings, users, recommendation):
    settings.TRACKER_COMMENTS_PER_HOUR = 2
    for n in range(2):
        services.comment_create(actor=users["cso"], recommendation=recommendation, text=f"{n}")
    with pytest.raises(ApplicationError) as raised:
        services.comment_create(actor=users["cso"], recommendation=recommendation, text="3")
    assert raised.value.extra["code"] == "rate_limited"
    assert Comment.objects.count() == 2


# --- support projects ---------------------------------------------------------------------------


def test_partner_records_its_project_others_cannot_change_it(
    api_client_as, users, recommendation, adopted_measure
):
    payload = {
        "title": "Justice reform support",
        "amount": "250000.00",
        "currency": "eur",
        "starts_on": "2025-01-01",
        "ends_on": "2026-12-31",
        "recommendations": [recommendation.pk],
        "measures": [adopted_measure.pk],
    }
    response = api_client_as("partner").post("/api/v1/support-projects/", payload, format="json")
    assert response.status_code == 201, response.content
    project = SupportProject.objects.get()
    assert project.currency == "EUR"
    assert list(project.recommendations.all()) == [recommendation]
    assert api_client_as("public").get("/api/v1/support-projects/").status_code == 403
    assert api_client_as("focal_point").get("/api/v1/support-projects/").status_code == 200
    for who in ("focal_point", "cso"):
        assert (
            api_client_as(who)
            .patch(f"/api/v1/support-projects/{project.pk}/", {"title": "x"}, format="json")
            .status_code
            == 403
        )
    assert (
        api_client_as("focal_point")
        .post("/api/v1/support-projects/", payload, format="json")
        .status_code
        == 403
    )


def test_support_project_text_is_sanitised_on_create_and_on_update(
    api_client_as, users, recommendation
):
    payload = {
        "title": '<img src=x onerror="alert(1)">Justice <b>reform</b> support',
        "description": "<script>alert(1)</script>Courts & <i>legal aid</i> < 2027<!-- x -->",
        "amount": "250000.00",
        "currency": "EUR",
        "starts_on": "2025-01-01",
        "ends_on": "2026-12-31",
        "recommendations": [recommendation.pk],
    }
    partner = api_client_as("partner")
    response = partner.post("/api/v1/support-projects/", payload, format="json")
    assert response.status_code == 201, response.content
    project = SupportProject.objects.get()
    # Plain text: the tags typed are gone, the characters typed stay (the pages escape them).
    assert project.title == "Justice reform support"
    assert project.description == "Courts & legal aid < 2027"
    assert response.json()["title"] == "Justice reform support"

    changed = partner.patch(
        f"/api/v1/support-projects/{project.pk}/",
        {"description": '<a href="javascript:alert(1)">Legal</a> aid', "version": 1},
        format="json",
    )
    assert changed.status_code == 200, changed.content
    project.refresh_from_db()
    assert project.description == "Legal aid"
    assert project.version == 2
    # Nothing but tags in the title leaves it empty: refused, nothing written.
    with pytest.raises(ApplicationError) as raised:
        services.support_project_update(
            actor=users["partner"], project=project, title="<script>alert(1)</script>"
        )
    assert "title" in raised.value.extra["fields"]
    project.refresh_from_db()
    assert (project.title, project.version) == ("Justice reform support", 2)


# --- reminders and notifications ----------------------------------------------------------------


def test_reminders_are_sent_once_per_day_and_escalate_after_the_delay(
    settings, users, adopted_measure, focal_point, validator, secretariat
):
    settings.TRACKER_REMINDER_ESCALATION_DAYS = 14
    focal_point.email, validator.email = "focal@example.org", "validator@example.org"
    focal_point.save()
    validator.save()
    today = datetime.date(2026, 3, 18)  # a Wednesday: no digest
    MilestoneFactory(
        measure=adopted_measure, title="Bill tabled", due_on=today - datetime.timedelta(days=3)
    )
    MilestoneFactory(
        measure=adopted_measure, title="Decree", due_on=today + datetime.timedelta(days=5)
    )
    with_commit = services.reminders_send(today=today)
    first = Notification.objects.count()
    assert with_commit.sent == first > 0
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        "focal",
        "validator",
    }
    assert not Notification.objects.filter(kind=NotificationKind.ESCALATION).exists()
    again = services.reminders_send(today=today)
    assert again.sent == 0
    assert Notification.objects.count() == first
    # Eleven days later the milestone is 14 days overdue: the secretariat is told, once.
    later = today + datetime.timedelta(days=11)
    services.reminders_send(today=later)
    services.reminders_send(today=later)
    escalations = Notification.objects.filter(kind=NotificationKind.ESCALATION, user=secretariat)
    assert escalations.count() == 1
    assert "Bill tabled" in escalations.get().message


def test_reminders_are_emailed_once(
    django_capture_on_commit_callbacks, users, adopted_measure, focal_point
):
    focal_point.email = "focal@example.org"
    focal_point.save()
    today = datetime.date(2026, 3, 18)
    MilestoneFactory(measure=adopted_measure, due_on=today + datetime.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send(today=today)
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send(today=today)
    recipients = [address for message in mail.outbox for address in message.to]
    assert "focal@example.org" in recipients
    assert len(recipients) == len(set(recipients))  # each reminder once


def test_reports_waiting_remind_the_validator_and_digest_on_mondays(users, report, validator):
    report_in(ReportState.SUBMITTED, report, users)
    monday = datetime.date(2026, 3, 16)
    services.reminders_send(today=monday)
    services.reminders_send(today=monday)
    kinds = list(Notification.objects.filter(user=validator).values_list("kind", flat=True))
    assert sorted(kinds) == ["digest", "report"]


def test_send_reminders_command_runs_the_same_service(users, adopted_measure):
    MilestoneFactory(measure=adopted_measure, due_on=datetime.date(2026, 3, 20))
    out = StringIO()
    call_command("send_reminders", "--date", "2026-03-18", stdout=out)
    assert "sent: 2" in out.getvalue()
    out = StringIO()
    call_command("send_reminders", "--date", "2026-03-18", stdout=out)
    assert "sent: 0" in out.getvalue()


def test_the_reminder_task_is_thin(users, adopted_measure):
    from plans.tasks import reminders_send

    MilestoneFactory(measure=adopted_measure, due_on=datetime.date(2026, 3, 20))
    assert reminders_send.run("2026-03-18") == 2
    assert reminders_send.run("2026-03-18") == 0


def test_notifications_api_shows_only_ones_own_and_marks_read(
    api_client_as, users, adopted_measure
):
    MilestoneFactory(measure=adopted_measure, due_on=datetime.date(2026, 3, 20))
    services.reminders_send(today=datetime.date(2026, 3, 18))
    focal = api_client_as("focal_point")
    listed = focal.get("/api/v1/notifications/").json()["results"]
    assert len(listed) == 1
    assert api_client_as("cso").get("/api/v1/notifications/").json()["results"] == []
    assert api_client_as("public").get("/api/v1/notifications/").status_code == 403
    marked = focal.post("/api/v1/notifications/mark-read/", {}, format="json")
    assert marked.json() == {"marked": 1}
    assert focal.get("/api/v1/notifications/?unread=1").json()["results"] == []
    validator_unread = Notification.objects.filter(user=users["validator"], read_at__isnull=True)
    assert validator_unread.count() == 1


# --- handover -----------------------------------------------------------------------------------


def test_portfolio_handover_moves_roles_reports_and_notifications(users, report, ministry_a):
    from tests.conftest import _member

    colleague = _member("colleague", Role.CSO, InstitutionFactory())
    Notification.objects.create(user=users["focal_point"], kind="due", key="k1", message="m")
    with pytest.raises(PermissionDenied):
        services.portfolio_hand_over(
            actor=users["validator"], from_user=users["focal_point"], to_user=colleague
        )
    moved = services.portfolio_hand_over(
        actor=users["secretariat"], from_user=users["focal_point"], to_user=colleague
    )
    assert moved == {"roles": 1, "reports": 1, "notifications": 1}
    assert Membership.objects.filter(
        user=colleague, institution=ministry_a, role=Role.FOCAL_POINT
    ).exists()
    assert ProgressReport.objects.get(pk=report.pk).author == colleague
    assert Notification.objects.filter(user=colleague, kind="handover").exists()
    assert "portfolio_hand_over" in actions_of(ProgressReport.objects.get(pk=report.pk))


# --- activity feeds -----------------------------------------------------------------------------


def test_measure_activity_feed(api_client_as, users, report, adopted_measure):
    report_in(ReportState.SUBMITTED, report, users)
    secretariat = api_client_as("secretariat").get(
        f"/api/v1/measures/{adopted_measure.pk}/activity/"
    )
    assert secretariat.status_code == 200
    actions = {row["action"] for row in secretariat.json()["results"]}
    assert "progress_report_submit" in actions
    public = api_client_as("public").get(f"/api/v1/measures/{adopted_measure.pk}/activity/")
    assert public.status_code == 200
    assert all(row["model"] == "Measure" for row in public.json()["results"])


def test_activity_of_an_invisible_item_is_404(api_client_as, draft_measure, recommendation):
    assert (
        api_client_as("cso").get(f"/api/v1/measures/{draft_measure.pk}/activity/").status_code
        == 404
    )
    response = api_client_as("public").get(f"/api/v1/recommendations/{recommendation.pk}/activity/")
    assert response.status_code == 200


def test_activity_feed_queries_do_not_grow(
    api_client_as, users, adopted_measure, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_client_as("secretariat")
    url = f"/api/v1/measures/{adopted_measure.pk}/activity/"
    for n in range(3):
        MilestoneFactory(measure=adopted_measure, title=f"m{n}")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(60):
        MilestoneFactory(measure=adopted_measure, title=f"n{n}")
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)

"""The follow-up pages: assessments side by side, comments sent and moderated, the support
coverage and the notifications, with their role matrices."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plans import services
from plans.models import Comment, CommentState, SupportProject

pytestmark = pytest.mark.django_db


def test_recommendation_follow_up_shows_published_assessments_side_by_side(
    client_as, users, recommendation
):
    for who, rating in (("secretariat", "fully"), ("nhri", "partially")):
        assessment = services.assessment_create(
            actor=users[who], recommendation=recommendation, rating=rating, summary=f"{who} view"
        )
        services.assessment_publish(actor=users[who], assessment=assessment)
    services.assessment_create(
        actor=users["cso"], recommendation=recommendation, rating="fully", summary="cso draft"
    )
    url = reverse("progress:recommendation-follow-up", args=[recommendation.pk])
    public = client_as("public").get(url)
    assert public.status_code == 200
    assert "secretariat view" in public.text
    assert "nhri view" in public.text
    assert "cso draft" not in public.text
    assert "cso draft" in client_as("cso").get(url).text


def test_a_cso_comments_the_secretariat_approves_the_public_reads(client_as, recommendation):
    url = reverse("progress:recommendation-follow-up", args=[recommendation.pk])
    assert client_as("focal_point").post(url, {"text": "x"}).status_code == 403
    assert client_as("public").post(url, {"text": "x"}).status_code == 403
    sent = client_as("cso").post(url, {"text": "<b>Please</b> hurry"})
    assert sent.status_code == 302
    comment = Comment.objects.get()
    assert comment.text == "Please hurry"
    assert "Please hurry" not in client_as("public").get(url).text
    moderation = reverse("progress:comment-moderation")
    assert client_as("cso").get(moderation).status_code == 403
    assert "Please hurry" in client_as("secretariat").get(moderation).text
    refused = client_as("secretariat").post(
        moderation, {"comment": comment.pk, "decision": "reject", "reason": ""}
    )
    assert refused.status_code == 400
    approved = client_as("secretariat").post(
        moderation, {"comment": comment.pk, "decision": "approve"}
    )
    assert approved.status_code == 302
    comment.refresh_from_db()
    assert comment.state == CommentState.APPROVED
    assert "Please hurry" in client_as("public").get(url).text


def test_empty_comment_is_400(client_as, adopted_measure):
    url = reverse("progress:measure-follow-up", args=[adopted_measure.pk])
    assert client_as("nhri").post(url, {"text": ""}).status_code == 400
    assert Comment.objects.count() == 0


def test_measure_of_a_draft_plan_is_404_to_the_public(client_as, draft_measure):
    url = reverse("progress:measure-follow-up", args=[draft_measure.pk])
    assert client_as("public").get(url).status_code == 404
    assert client_as("focal_point").get(url).status_code == 200


@pytest.mark.parametrize(
    ("who", "support", "notifications"),
    [
        ("public", 302, 302),
        ("partner", 200, 200),
        ("cso", 200, 200),
        ("secretariat", 200, 200),
    ],
)
def test_member_pages_role_matrix(client_as, who, support, notifications):
    client = client_as(who)
    assert client.get(reverse("progress:support-coverage")).status_code == support
    assert client.get(reverse("progress:notification-list")).status_code == notifications


@pytest.mark.parametrize(("who", "status"), [("public", 302), ("focal_point", 403), ("cso", 403)])
def test_handover_page_is_the_secretariats(client_as, who, status):
    assert client_as(who).get(reverse("progress:portfolio-handover")).status_code == status


def test_the_secretariat_hands_a_portfolio_over(client_as, users, report):
    from tests.conftest import _member
    from tests.factories.tracker import InstitutionFactory
    from tracker.roles import Role

    colleague = _member("colleague", Role.NHRI, InstitutionFactory())
    response = client_as("secretariat").post(
        reverse("progress:portfolio-handover"),
        {"from_user": users["focal_point"].pk, "to_user": colleague.pk},
    )
    assert response.status_code == 200
    assert "Handed over: 1 roles, 1 open reports" in response.text
    report.refresh_from_db()
    assert report.author == colleague
    same = client_as("secretariat").post(
        reverse("progress:portfolio-handover"),
        {"from_user": colleague.pk, "to_user": colleague.pk},
    )
    assert same.status_code == 400


def test_nhri_writes_and_publishes_an_assessment_in_the_page(client_as, recommendation):
    from plans.models import Assessment

    url = reverse("progress:recommendation-follow-up", args=[recommendation.pk])
    nhri = client_as("nhri")
    bad = nhri.post(url, {"form": "assessment", "rating": "great", "summary": "x"})
    assert bad.status_code == 400
    saved = nhri.post(
        url, {"form": "assessment", "rating": "partially", "summary": "Slow progress"}
    )
    assert saved.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.assessor_kind, assessment.state) == ("nhri", "draft")
    assert "Slow progress" not in client_as("public").get(url).text
    refused = client_as("cso").post(
        url, {"form": "publish-assessment", "assessment": assessment.pk}
    )
    assert refused.status_code == 404
    assert (
        nhri.post(url, {"form": "publish-assessment", "assessment": assessment.pk}).status_code
        == 302
    )
    assert "Slow progress" in client_as("public").get(url).text
    assert (
        client_as("partner")
        .post(url, {"form": "assessment", "rating": "fully", "summary": "x"})
        .status_code
        == 403
    )


def _project(**extra):
    return {
        "title": "Legal aid programme",
        "amount": "15000.00",
        "currency": "usd",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        **extra,
    }


@pytest.mark.parametrize(
    ("who", "status"),
    [("public", 302), ("focal_point", 403), ("cso", 403), ("partner", 200), ("secretariat", 200)],
)
def test_support_project_page_role_matrix(client_as, who, status):
    url = reverse("progress:support-project-create")
    assert client_as(who).get(url).status_code == status
    if status != 200:
        assert client_as(who).post(url, _project()).status_code == status
        assert not SupportProject.objects.exists()


def test_a_partner_records_its_own_support_project(
    client_as, users, recommendation, adopted_measure, draft_measure
):
    url = reverse("progress:support-project-create")
    page = client_as("partner").get(url)
    assert 'name="partner"' not in page.text
    assert f'value="{adopted_measure.pk}"' in page.text
    assert f'value="{draft_measure.pk}"' not in page.text
    response = client_as("partner").post(
        url,
        _project(
            title="<script>x</script>Legal aid",
            recommendations=[recommendation.pk],
            measures=[adopted_measure.pk],
            # A partner cannot name another partner: the field is not on its form.
            partner=users["cso"].memberships.get().institution_id,
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("progress:support-coverage")
    project = SupportProject.objects.get()
    assert project.partner_id == users["partner"].memberships.get().institution_id
    assert project.currency == "USD"
    assert list(project.recommendations.all()) == [recommendation]
    assert list(project.measures.all()) == [adopted_measure]
    assert project.created_by == users["partner"]
    coverage = client_as("partner").get(reverse("progress:support-coverage"))
    assert url in coverage.text
    # Stored as plain text, as comments are: the tags typed are gone (nh3).
    assert project.title == "Legal aid"
    assert "Legal aid" in coverage.text
    assert "script&gt;x" not in coverage.text
    assert "<script>x</script>" not in coverage.text


def test_the_secretariat_records_support_for_a_named_partner(client_as, users):
    partner_org = users["partner"].memberships.get().institution_id
    url = reverse("progress:support-project-create")
    missing = client_as("secretariat").post(url, _project())
    assert missing.status_code == 400
    # Only development partners are offered: the CSO's organisation is refused.
    cso_org = users["cso"].memberships.get().institution_id
    assert client_as("secretariat").post(url, _project(partner=cso_org)).status_code == 400
    assert not SupportProject.objects.exists()
    done = client_as("secretariat").post(url, _project(partner=partner_org))
    assert done.status_code == 302
    assert SupportProject.objects.get().partner_id == partner_org


@pytest.mark.parametrize(
    "bad",
    [
        {"amount": "-1"},
        {"amount": "lots"},
        {"currency": "EURO"},
        {"ends_on": "2025-01-01"},
        {"starts_on": ""},
        {"title": ""},
        {"measures": ["999999"]},
    ],
)
def test_bad_support_project_is_400_with_field_errors(client_as, bad):
    response = client_as("partner").post(
        reverse("progress:support-project-create"), _project(**bad)
    )
    assert response.status_code == 400
    assert "invalid-feedback" in response.text
    assert not SupportProject.objects.exists()

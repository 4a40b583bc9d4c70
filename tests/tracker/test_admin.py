"""The admin cannot destroy: only operators enter; nothing of the project is deleted there;
tracked rows change through the services or not at all; operator rights only by operators."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from pghistory.models import Events

from recommendations.models import ImportRun, Recommendation
from tests.factories.recommendations import RecommendationFactory
from tests.factories.tracker import UserFactory
from tracker.admin import PROJECT_APPS, is_tracked
from tracker.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator() -> User:
    return User.objects.create_superuser(
        "operator", "operator@example.org", "correct-horse-battery"
    )


@pytest.fixture
def operator_client(operator) -> Client:
    client = Client()
    client.force_login(operator)
    return client


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("who", ["secretariat", "focal_point", "validator", "nhri"])
def test_only_operators_enter_the_admin(client_as, who):
    response = client_as(who).get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_status_alone_does_not_open_the_admin(client):
    client.force_login(UserFactory(username="staffer", is_staff=True))
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_superuser_cannot_delete_a_recommendation_in_the_admin(operator_client):
    recommendation = RecommendationFactory()
    page = operator_client.get(_url(Recommendation, "delete", recommendation.pk))
    assert page.status_code == 403
    posted = operator_client.post(
        _url(Recommendation, "delete", recommendation.pk), {"post": "yes"}
    )
    assert posted.status_code == 403
    bulk = operator_client.post(
        _url(Recommendation, "changelist"),
        {"action": "delete_selected", "_selected_action": [recommendation.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert Recommendation.objects.filter(pk=recommendation.pk).exists()


def test_no_model_of_the_project_can_be_deleted_or_bulk_deleted_in_the_admin(rf, operator):
    request = rf.get("/")
    request.user = operator
    checked = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        checked.append(model._meta.label)
        assert not model_admin.has_delete_permission(request), model
        assert "delete_selected" not in model_admin.get_actions(request), model
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_delete_permission(request), (model, inline)
    assert {"recommendations.Recommendation", "recommendations.ImportRun", "tracker.User"} <= set(
        checked
    )


def test_tracked_rows_are_read_only_in_the_admin_except_curated_labels(rf, operator):
    request = rf.get("/")
    request.user = operator
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS or model is User:
            continue
        editable = model_admin.has_change_permission(request)
        if model._meta.label_lower in {
            "recommendations.theme",
            "recommendations.affectedgroup",
            "recommendations.mechanism",
            # The committees' follow-up selections: operators correct them, with the rules of
            # the service (treaty body documents, their own paragraphs) and the calendar kept.
            "reporting.followupselection",
        }:
            assert editable, model
        elif is_tracked(model) or model is ImportRun:
            assert not editable, model
            assert not model_admin.has_add_permission(request), model


def test_a_recommendation_cannot_be_changed_through_the_admin(operator_client):
    recommendation = RecommendationFactory(priority="low")
    response = operator_client.post(
        _url(Recommendation, "change", recommendation.pk), {"priority": "high"}
    )
    assert response.status_code == 403
    recommendation.refresh_from_db()
    assert recommendation.priority == "low"


def test_an_edit_of_a_curated_label_names_the_operator_and_the_admin_action(
    operator_client, operator
):
    from recommendations.models import Theme

    theme = Theme.objects.create(name="Right to water")
    response = operator_client.post(
        _url(Theme, "change", theme.pk),
        {"name": "Right to water and sanitation", "names": "{}", "source": theme.source},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Events.objects.filter(pgh_obj_model="recommendations.Theme").order_by("pgh_id").last()
    assert event.pgh_context["user"] == operator.pk
    assert event.pgh_context["action"] == "admin_theme_change"


def test_only_a_superuser_makes_a_superuser_and_it_is_audited(
    operator_client, operator, focal_point
):
    group = Group.objects.create(name="Auditors")
    response = operator_client.post(
        _url(User, "change", focal_point.pk),
        {"is_active": "on", "is_superuser": "on", "groups": [group.pk]},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    focal_point.refresh_from_db()
    assert focal_point.is_superuser
    assert list(focal_point.groups.all()) == [group]
    event = Events.objects.filter(pgh_obj_model="tracker.User", pgh_obj_id=str(focal_point.pk))
    assert event.order_by("pgh_id").last().pgh_context["action"] == "user_set_operator_rights"


def test_staff_cannot_make_themselves_superusers(client):
    staffer = UserFactory(username="staffer", is_staff=True)
    client.force_login(staffer)
    client.post(_url(User, "change", staffer.pk), {"is_active": "on", "is_superuser": "on"})
    staffer.refresh_from_db()
    assert not staffer.is_superuser


def test_the_user_admin_changes_no_name_email_or_password_field(operator_client, focal_point):
    operator_client.post(
        _url(User, "change", focal_point.pk),
        {"is_active": "on", "username": "evil", "email": "evil@example.org"},
    )
    focal_point.refresh_from_db()
    assert (focal_point.username, focal_point.email) == ("focal", "focal@example.org")


def test_accounts_are_not_added_in_the_admin(operator_client):
    assert operator_client.get(_url(User, "add")).status_code == 403


def test_an_operator_records_a_follow_up_selection_in_the_admin_audited(operator_client):
    import datetime

    from pghistory.models import Events

    from recommendations.models import MechanismFamily
    from reporting.models import FollowUpSelection, ReportingObligation
    from tests.factories.recommendations import DocumentFactory, MechanismFactory

    crc = MechanismFactory(code="CRC", family=MechanismFamily.TREATY_BODY)
    document = DocumentFactory(symbol="CRC/C/XYZ/CO/5-6", mechanism=crc)
    mine = RecommendationFactory(document=document, paragraph="18(a)")
    other = RecommendationFactory(paragraph="136.1")
    url = _url(FollowUpSelection, "add")
    refused = operator_client.post(
        url,
        {
            "document": document.pk,
            "recommendations": f"{mine.pk},{other.pk}",
            "due_on": "2026-06-01",
        },
    )
    assert refused.status_code == 200
    assert "Every paragraph must come from CRC/C/XYZ/CO/5-6." in refused.content.decode()
    assert not FollowUpSelection.objects.exists()

    response = operator_client.post(
        url, {"document": document.pk, "recommendations": str(mine.pk), "due_on": "2026-06-01"}
    )
    assert response.status_code == 302
    selection = FollowUpSelection.objects.get()
    assert list(selection.recommendations.all()) == [mine]
    obligation = ReportingObligation.objects.get()
    assert (selection.obligation, obligation.due_on) == (obligation, datetime.date(2026, 6, 1))
    event = Events.objects.references(selection).get(pgh_label="insert")
    assert event.pgh_context["action"] == "admin_followupselection_add"
    assert event.pgh_context["username"] == "operator"

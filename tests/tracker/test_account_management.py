"""The secretariat manages accounts, roles and institutions on its own pages, through audited
services: a role matrix, positive and negative, and what each refusal protects."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pghistory.models import Events

from tests.conftest import PERSONAS
from tests.factories.tracker import InstitutionFactory, UserFactory
from tracker import services
from tracker.exceptions import ApplicationError
from tracker.models import Institution, Membership, User
from tracker.roles import Role

pytestmark = pytest.mark.django_db

ALLOWED = {"secretariat"}


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize(
    "url_name",
    [
        "tracker:user-list",
        "tracker:user-create",
        "tracker:institution-list",
        "tracker:institution-create",
    ],
)
def test_the_account_pages_open_for_the_secretariat_only(client_as, who, url_name):
    response = client_as(who).get(reverse(url_name))
    if who in ALLOWED:
        assert response.status_code == 200
    elif who == "public":
        assert response.status_code == 302
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("who", PERSONAS)
def test_only_the_secretariat_makes_an_account(client_as, who):
    response = client_as(who).post(
        reverse("tracker:user-create"),
        {"username": "new.person", "name": "New Person", "email": "new@example.org"},
    )
    made = User.objects.filter(username="new.person").first()
    if who in ALLOWED:
        assert response.status_code == 302
        assert made is not None
        assert not made.has_usable_password()
        assert not made.is_superuser
        assert not made.is_staff
    else:
        assert response.status_code in (302, 403)
        assert made is None


@pytest.mark.parametrize("who", PERSONAS)
def test_only_the_secretariat_gives_a_role(client_as, who, ministry_a):
    person = UserFactory(username="person")
    response = client_as(who).post(
        reverse("tracker:membership-add", args=[person.pk]),
        {"institution": ministry_a.pk, "role": Role.FOCAL_POINT},
    )
    given = Membership.objects.filter(user=person).exists()
    assert given == (who in ALLOWED)
    assert response.status_code == (302 if who in ALLOWED or who == "public" else 403)


@pytest.mark.parametrize("who", PERSONAS)
def test_only_the_secretariat_changes_an_institution(client_as, who, ministry_a):
    response = client_as(who).post(
        reverse("tracker:institution-edit", args=[ministry_a.pk]),
        {"name": "Ministry of Law", "kind": "ministry", "is_active": "on"},
    )
    ministry_a.refresh_from_db()
    assert (ministry_a.name == "Ministry of Law") == (who in ALLOWED)
    if who not in ALLOWED and who != "public":
        assert response.status_code == 403


def test_the_secretariat_cannot_change_an_operators_account(client_as):
    root = User.objects.create_superuser("root", "root@example.org", "x" * 20)
    client = client_as("secretariat")
    response = client.post(
        reverse("tracker:user-detail", args=[root.pk]),
        {"name": "Root", "email": "attacker@example.org", "is_active": "on"},
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.email == "root@example.org"
    page = client.get(reverse("tracker:user-detail", args=[root.pk]))
    assert "only operators change it" in page.content.decode()


def test_the_pages_offer_no_operator_rights(client_as, focal_point):
    page = client_as("secretariat").get(reverse("tracker:user-detail", args=[focal_point.pk]))
    body = page.content.decode()
    for word in ("is_superuser", "is_staff", "password"):
        assert word not in body


def test_a_change_of_account_names_the_secretariat_and_the_service(secretariat, focal_point):
    services.user_update(
        actor=secretariat, user=focal_point, name="F. Point", email="fp@example.org", is_active=True
    )
    event = Events.objects.filter(pgh_obj_model="tracker.User", pgh_obj_id=str(focal_point.pk))
    context = event.order_by("pgh_id").last().pgh_context
    assert context["user"] == secretariat.pk
    assert context["action"] == "user_update"


def test_membership_and_institution_services_are_audited(secretariat):
    institution = services.institution_create(
        actor=secretariat, name="Ministry of Water", acronym="MOW", kind="ministry"
    )
    person = services.user_create(
        actor=secretariat, username="water", name="Water Person", email="w@example.org"
    )
    membership = services.membership_add(
        actor=secretariat, user=person, institution=institution, role=Role.FOCAL_POINT
    )
    services.membership_remove(actor=secretariat, membership=membership)
    actions = set(
        Events.objects.filter(
            pgh_obj_model__in=["tracker.Membership", "tracker.Institution"]
        ).values_list("pgh_context__action", flat=True)
    )
    assert {"institution_create", "membership_add", "membership_remove"} <= actions


@pytest.mark.parametrize("who", ["focal_point", "nhri", "cso", "partner", "validator"])
def test_the_services_refuse_other_roles(persona, who, ministry_a):
    actor = persona(who)
    with pytest.raises(PermissionDenied):
        services.user_create(actor=actor, username="x", name="X", email="x@example.org")
    with pytest.raises(PermissionDenied):
        services.membership_add(
            actor=actor, user=actor, institution=ministry_a, role=Role.SECRETARIAT
        )
    with pytest.raises(PermissionDenied):
        services.institution_create(actor=actor, name="X", acronym="", kind="ministry")


def test_operator_rights_are_for_operators_only(secretariat, focal_point):
    with pytest.raises(PermissionDenied):
        services.user_set_operator_rights(
            actor=secretariat,
            user=secretariat,
            is_active=True,
            is_staff=True,
            is_superuser=True,
            groups=[],
        )


def test_the_secretariat_cannot_lock_itself_out(secretariat):
    with pytest.raises(ApplicationError):
        services.user_update(
            actor=secretariat, user=secretariat, name="S", email="s@example.org", is_active=False
        )
    (own,) = secretariat.memberships.all()
    with pytest.raises(ApplicationError):
        services.membership_remove(actor=secretariat, membership=own)


def test_a_taken_user_name_is_a_field_error(client_as, focal_point):
    response = client_as("secretariat").post(
        reverse("tracker:user-create"),
        {"username": "FOCAL", "name": "Again", "email": "a@example.org"},
    )
    assert response.status_code == 400
    assert "This user name is taken." in response.content.decode()


def test_an_institution_is_added_from_its_page(client_as):
    response = client_as("secretariat").post(
        reverse("tracker:institution-create"),
        {"name": "Ministry of Water", "acronym": "MOW", "kind": "ministry", "is_active": "on"},
    )
    assert response.status_code == 302
    assert Institution.objects.filter(name="Ministry of Water").exists()


def test_institution_list_shows_every_institution(client_as):
    InstitutionFactory(name="Water Board")
    page = client_as("secretariat").get(reverse("tracker:institution-list")).content.decode()
    assert "Water Board" in page

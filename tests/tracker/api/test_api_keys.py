"""API keys (django-rest-knox): made by the secretariat or the command line, hashed, scoped, expiring,
revocable; and the request limits (429 with Retry-After) and CORS."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from knox.crypto import hash_token
from rest_framework.test import APIClient

from plans.models import ImplementationPlan
from tests.factories.plans import PlanFactory
from tracker import services
from tracker.exceptions import ApplicationError
from tracker.models import ApiKey, User

pytestmark = pytest.mark.django_db

PLANS = reverse("api:plan-list")
RECOMMENDATIONS = reverse("api:recommendation-list")
NEW_PLAN = {"title": "National plan", "starts_on": "2025-01-01", "ends_on": "2029-12-31"}


def key_for(user: User, scope: str, **kwargs) -> str:
    _key, secret = services.api_key_create(
        actor=None,
        user=user,
        scope=scope,
        name=f"{user.username} {scope}",
        as_system=True,
        **kwargs,
    )
    return secret


def with_key(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def test_the_command_prints_the_key_alone_on_its_last_line_and_stores_only_its_hash(secretariat):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_key", secretariat.username, "--scope", "read", "--days", "30",
        "--name", "Statistics office", stdout=out, stderr=err,
    )  # fmt: skip
    secret = out.getvalue().strip().splitlines()[-1]
    assert len(secret) == 64
    assert " " not in secret
    key = ApiKey.objects.get()
    assert (key.name, key.scope, key.user) == ("Statistics office", "read", secretariat)
    assert key.digest == hash_token(secret)
    assert secret not in (key.digest, key.token_key)
    assert timedelta(days=29) < key.expiry - timezone.now() <= timedelta(days=30)
    assert "shown once" in err.getvalue()
    assert with_key(secret).get(RECOMMENDATIONS).status_code == 200


def test_the_command_refuses_an_unknown_account_and_a_bad_scope(secretariat):
    with pytest.raises(CommandError, match="No account"):
        call_command("create_api_key", "nobody", "--scope", "read", stdout=io.StringIO())
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("create_api_key", secretariat.username, "--scope", "admin")
    assert not ApiKey.objects.exists()


def test_a_read_key_never_writes(secretariat):
    client = with_key(key_for(secretariat, "read"))
    assert client.get(PLANS).status_code == 200
    response = client.post(PLANS, NEW_PLAN, format="json")
    assert response.status_code == 403
    assert "read" in response.json()["message"]
    assert not ImplementationPlan.objects.exists()


def test_a_write_key_writes_as_its_user_without_a_csrf_token(secretariat):
    response = with_key(key_for(secretariat, "write")).post(PLANS, NEW_PLAN, format="json")
    assert response.status_code == 201, response.json()
    assert ImplementationPlan.objects.get().title == "National plan"


def test_a_key_sees_exactly_what_its_user_sees(focal_point, cso, secretariat):
    draft = PlanFactory()
    detail = reverse("api:plan-detail", args=[draft.pk])
    assert with_key(key_for(cso, "write")).get(detail).status_code == 404
    # A write key does not give its user rights it lacks.
    response = with_key(key_for(focal_point, "write")).post(PLANS, NEW_PLAN, format="json")
    assert response.status_code == 403
    assert ImplementationPlan.objects.count() == 1
    assert with_key(key_for(secretariat, "read")).get(detail).status_code == 200


def test_expired_revoked_and_unknown_keys_are_refused(secretariat, caplog):
    expired = key_for(secretariat, "read")
    ApiKey.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    response = with_key(expired).get(RECOMMENDATIONS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert not ApiKey.objects.exists()  # knox deletes it on sight

    revoked = key_for(secretariat, "read")
    assert with_key(revoked).get(RECOMMENDATIONS).status_code == 200
    services.api_key_revoke(actor=secretariat, key=ApiKey.objects.get())
    assert with_key(revoked).get(RECOMMENDATIONS).status_code == 401

    assert with_key("0" * 64).get(RECOMMENDATIONS).status_code == 401
    events = [r.security["event"] for r in caplog.records if hasattr(r, "security")]
    assert events.count("api_key_refused") == 3
    assert "api_key_revoked" in events


def test_a_key_records_its_last_use(secretariat):
    secret = key_for(secretariat, "read")
    assert ApiKey.objects.get().last_used_at is None
    with_key(secret).get(RECOMMENDATIONS)
    used = ApiKey.objects.get().last_used_at
    assert used is not None
    assert timezone.now() - used < timedelta(minutes=1)


def test_only_the_secretariat_makes_keys_and_only_an_operator_for_an_operator(
    secretariat, focal_point
):
    operator = User.objects.create(username="operator", is_superuser=True, is_staff=True)
    with pytest.raises(PermissionDenied, match="operator"):
        services.api_key_create(actor=secretariat, user=operator, scope="read", name="x")
    with pytest.raises(PermissionDenied, match="secretariat"):
        services.api_key_create(actor=focal_point, user=focal_point, scope="write", name="x")
    assert not ApiKey.objects.exists()


def test_bad_input_names_the_fields(secretariat):
    with pytest.raises(ApplicationError) as caught:
        services.api_key_create(
            actor=secretariat, user=secretariat, scope="admin", name=" ", days=0
        )
    assert set(caught.value.extra["fields"]) == {"scope", "name", "days"}


# --- the secretariat's page ---------------------------------------------------------------


def test_the_page_shows_a_new_key_once(client_as, focal_point):
    client = client_as("secretariat")
    page = reverse("tracker:api-key-list")
    response = client.post(
        page, {"name": "Ministry sync", "user": focal_point.pk, "scope": "read", "days": 90}
    )
    assert response.status_code == 200
    key = ApiKey.objects.get()
    secret = response.context["secret"]
    assert key.digest == hash_token(secret)
    assert secret in response.content.decode()
    again = client.get(page).content.decode()
    assert "Ministry sync" in again
    assert secret not in again
    assert with_key(secret).get(RECOMMENDATIONS).status_code == 200


def test_the_page_refuses_bad_input_with_the_fields(client_as):
    response = client_as("secretariat").post(
        reverse("tracker:api-key-list"), {"name": "", "scope": "all", "days": 0}
    )
    assert response.status_code == 400
    assert {"name", "user", "scope", "days"} <= set(response.context["form"].errors)
    assert not ApiKey.objects.exists()


@pytest.mark.parametrize("name", ["focal_point", "validator", "nhri", "cso", "partner"])
def test_others_neither_see_nor_make_nor_revoke_keys(client_as, secretariat, name):
    key_for(secretariat, "write")
    client = client_as(name)
    page = reverse("tracker:api-key-list")
    assert client.get(page).status_code == 403
    assert (
        client.post(page, {"name": "x", "user": secretariat.pk, "scope": "write"}).status_code
        == 403
    )
    key = ApiKey.objects.get()
    assert client.post(reverse("tracker:api-key-revoke", args=[key.token_key])).status_code == 403
    assert ApiKey.objects.count() == 1


def test_the_public_is_sent_to_sign_in(anon_client):
    response = anon_client.get(reverse("tracker:api-key-list"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_secretariat_revokes_a_key_from_the_page(client_as, secretariat):
    secret = key_for(secretariat, "write")
    key = ApiKey.objects.get()
    response = client_as("secretariat").post(
        reverse("tracker:api-key-revoke", args=[key.token_key])
    )
    assert response.status_code == 302
    assert not ApiKey.objects.exists()
    assert with_key(secret).get(RECOMMENDATIONS).status_code == 401


# --- request limits and CORS --------------------------------------------------------------


@pytest.fixture
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


@override_settings(TRACKER_API_THROTTLE_ANON="3/minute")
def test_anonymous_clients_are_limited_with_retry_after(fresh_counts):
    client = APIClient()
    statuses = [client.get(RECOMMENDATIONS).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(RECOMMENDATIONS)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60


@override_settings(TRACKER_API_THROTTLE_KEY="2/minute", TRACKER_API_THROTTLE_ANON="")
def test_each_key_has_its_own_limit(fresh_counts, secretariat, cso):
    first, second = with_key(key_for(secretariat, "read")), with_key(key_for(cso, "read"))
    assert [first.get(RECOMMENDATIONS).status_code for _ in range(3)] == [200, 200, 429]
    assert second.get(RECOMMENDATIONS).status_code == 200
    assert APIClient().get(RECOMMENDATIONS).status_code != 429


def test_no_other_origin_is_allowed_by_default():
    response = APIClient().get(RECOMMENDATIONS, HTTP_ORIGIN="https://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in response


@override_settings(CORS_ALLOWED_ORIGINS=["https://stats.example"])
def test_a_listed_origin_may_call_the_api():
    response = APIClient().options(
        RECOMMENDATIONS,
        HTTP_ORIGIN="https://stats.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert response["Access-Control-Allow-Origin"] == "https://stats.example"
    assert "Access-Control-Allow-Origin" not in APIClient().get(
        reverse("home"), HTTP_ORIGIN="https://stats.example"
    )


def test_another_kind_of_authorization_is_refused_not_ignored():
    response = APIClient().get(RECOMMENDATIONS, HTTP_AUTHORIZATION="Bearer abc")
    assert response.status_code == 401
    assert "Token" in response.json()["message"]

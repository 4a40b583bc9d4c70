"""Sign-in as an attacker tries it: wrong passwords in a row lock the account from that address;
the roles that must use two-factor sign-in reach nothing else until they set it up, and then
must give a code; idle sessions end; every step is a security event in the log."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories.tracker import UserFactory
from tracker.auth import MFA_SETUP_URL_NAMES

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "correct-horse-battery"


def _try(client: Client, username: str, password: str, ip: str = "203.0.113.9"):
    return client.post(LOGIN, {"login": username, "password": password}, REMOTE_ADDR=ip)


def _events(caplog, name: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if getattr(r, "event", None) == name]


def test_twelve_wrong_passwords_lock_the_account_from_that_address(client, focal_point, caplog):
    caplog.set_level(logging.INFO, logger="tracker.security")
    statuses = [_try(client, "focal", "wrong-password").status_code for _ in range(12)]
    assert statuses[:4] == [200] * 4  # the form again, with its error
    assert set(statuses[4:]) == {429}  # the fifth failure locks; the rest are refused
    # Locked: even the right password is refused, with the lockout page.
    locked = _try(client, "focal", PASSWORD)
    assert locked.status_code == 429
    assert "Sign-in locked" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="focal").failures_since_start >= 5
    assert len(_events(caplog, "login_failed")) >= 5
    lockouts = _events(caplog, "lockout")
    assert lockouts
    assert lockouts[0].user == "focal"
    assert lockouts[0].ip == "203.0.113.9"
    assert lockouts[0].path == LOGIN


def test_the_lock_holds_a_user_name_and_an_address_together(client, focal_point):
    for _ in range(5):
        _try(client, "focal", "wrong-password")
    # From another address the person still signs in; from the same one, another account too.
    assert _try(Client(), "focal", PASSWORD, ip="198.51.100.7").status_code == 302
    UserFactory(username="other")
    assert _try(Client(), "other", PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(client, focal_point, settings):
    for _ in range(5):
        _try(client, "focal", "wrong-password")
    assert _try(client, "focal", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _try(Client(), "focal", PASSWORD).status_code == 302


def test_the_lockout_settings(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_a_sign_in_is_logged_with_user_address_and_path(client, focal_point, caplog):
    caplog.set_level(logging.INFO, logger="tracker.security")
    assert _try(client, "focal", PASSWORD).status_code == 302
    (event,) = _events(caplog, "login")
    assert (event.user, event.ip, event.path) == ("focal", "203.0.113.9", LOGIN)
    assert "password" not in event.getMessage().lower().replace('"login"', "")


@override_settings(TRACKER_TRUSTED_PROXY=True)
def test_behind_the_trusted_proxy_the_address_is_the_one_the_proxy_appended(client, focal_point):
    for _ in range(5):
        client.post(
            LOGIN,
            {"login": "focal", "password": "nope"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.50",
        )
    assert AccessAttempt.objects.get().ip_address == "203.0.113.50"


def test_without_a_trusted_proxy_a_forwarded_address_is_not_believed(client, focal_point):
    client.post(
        LOGIN,
        {"login": "focal", "password": "nope"},
        REMOTE_ADDR="198.51.100.1",
        HTTP_X_FORWARDED_FOR="203.0.113.50",
    )
    assert AccessAttempt.objects.get().ip_address == "198.51.100.1"


def test_passwords_need_twelve_characters(client_as):
    client = client_as("focal_point")
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "Short-pw-11", "password2": "Short-pw-11"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()


# --- Two-factor sign-in --------------------------------------------------------------------


@pytest.fixture
def mfa_required(settings):
    settings.TRACKER_REQUIRE_MFA = True


@pytest.mark.usefixtures("mfa_required")
@pytest.mark.parametrize("who", ["secretariat", "validator"])
def test_a_role_that_needs_two_factor_reaches_only_the_set_up_page_until_it_is_set_up(
    client_as, who, sample_recommendations, caplog
):
    caplog.set_level(logging.INFO, logger="tracker.security")
    client = client_as(who)
    drafts = client.get(reverse("recommendations:recommendation-list") + "?publication_state=draft")
    assert drafts.status_code == 302
    assert drafts["Location"] == reverse("mfa_activate_totp")
    detail = reverse(
        "recommendations:recommendation-detail", args=[sample_recommendations["draft"].pk]
    )
    assert client.get(detail)["Location"] == reverse("mfa_activate_totp")
    api = client.get("/api/v1/recommendations/?publication_state=draft")
    assert api.status_code == 403
    assert "two-factor" in api.json()["message"]
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert "Set up an authenticator app" in page.content.decode()
    assert _events(caplog, "mfa_required")


@pytest.mark.usefixtures("mfa_required")
def test_an_operator_needs_two_factor_too(client):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    assert client.get(reverse("admin:index"))["Location"] == reverse("mfa_activate_totp")


@pytest.mark.usefixtures("mfa_required")
@pytest.mark.parametrize("who", ["focal_point", "nhri", "cso", "partner"])
def test_other_roles_are_not_held_back(client_as, who):
    assert client_as(who).get(reverse("home")).status_code == 200


@pytest.mark.usefixtures("mfa_required")
def test_the_set_up_pages_and_signing_out_stay_open():
    assert {"mfa_activate_totp", "account_logout", "mfa_view_recovery_codes"} <= MFA_SETUP_URL_NAMES


def _code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


@pytest.mark.usefixtures("mfa_required")
def test_once_set_up_the_password_alone_does_not_sign_in(client, secretariat, caplog):
    caplog.set_level(logging.INFO, logger="tracker.security")
    secret = generate_totp_secret()
    TOTP.activate(secretariat, secret)
    response = _try(client, "secretariat", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not signed in yet
    drafts = client.get(reverse("recommendations:recommendation-list") + "?publication_state=draft")
    assert drafts.status_code == 200
    assert "Drafts" not in drafts.content.decode()  # still the public's page
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    right = client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(secretariat.pk)
    assert client.get(reverse("home")).status_code == 200
    assert _events(caplog, "login")


def test_the_demo_login_page_says_two_factor_is_off(client, settings):
    settings.TRACKER_REQUIRE_MFA = False
    assert "Two-factor sign-in is off on this server" in client.get(LOGIN).content.decode()
    settings.TRACKER_REQUIRE_MFA = True
    assert "Two-factor sign-in is off" not in client.get(LOGIN).content.decode()


def test_production_requires_two_factor_and_the_local_demo_does_not():
    from tracker.settings import base, local

    assert base.TRACKER_REQUIRE_MFA is True
    assert local.TRACKER_REQUIRE_MFA is False


# --- Sessions ------------------------------------------------------------------------------


def test_a_session_ends_after_the_idle_time(client, focal_point, settings):
    assert settings.SESSION_COOKIE_AGE == settings.TRACKER_SESSION_IDLE_MINUTES * 60 == 30 * 60
    assert _try(client, "focal", PASSWORD).status_code == 302
    assert client.get(reverse("mfa_index")).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date <= timezone.now() + timedelta(minutes=30, seconds=5)
    # 31 minutes later, without a request in between:
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("mfa_index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_request_pushes_the_session_expiry_back(client, focal_point):
    _try(client, "focal", PASSWORD)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=2)
    )
    session = client.session
    session["_tracker_activity"] = 0  # the last activity long ago: the next request counts
    session.save()
    client.get(reverse("home"))
    assert Session.objects.get(session_key=key).expire_date > timezone.now() + timedelta(minutes=29)


# --- No signing up; single sign-on --------------------------------------------------------


def test_nobody_signs_up(client):
    response = client.post(
        reverse("account_signup"),
        {
            "username": "intruder",
            "email": "i@example.org",
            "password1": "x" * 20,
            "password2": "x" * 20,
        },
    )
    assert "Sign Up Closed" in response.content.decode()
    assert not UserFactory._meta.model.objects.filter(username="intruder").exists()


def test_people_cannot_change_their_own_email_address(client_as):
    assert client_as("focal_point").get("/accounts/email/").status_code == 404


@override_settings(
    SOCIALACCOUNT_PROVIDERS={
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "government",
                    "name": "Government sign-in",
                    "client_id": "tracker",
                    "secret": "not-a-secret",
                    "settings": {"server_url": "https://id.example.gov/realms/staff"},
                }
            ]
        }
    }
)
def test_single_sign_on_is_offered_when_configured(client):
    page = client.get(LOGIN).content.decode()
    assert "Government sign-in" in page
    assert "/accounts/oidc/government/login/" in page
    confirm = client.get("/accounts/oidc/government/login/?process=login")
    assert confirm.status_code == 200
    assert 'method="post"' in confirm.content.decode()
    assert "Content-Security-Policy" in confirm


def test_single_sign_on_is_configured_from_the_environment(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import tracker.settings.base as base

    monkeypatch.setenv("TRACKER_OIDC_SERVER_URL", "https://id.example.gov/realms/staff")
    monkeypatch.setenv("TRACKER_OIDC_CLIENT_ID", "tracker")
    monkeypatch.setenv("TRACKER_OIDC_CLIENT_SECRET", "s3cret")
    try:
        reloaded = importlib.reload(base)
        (app,) = reloaded.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]
        assert app["settings"]["server_url"] == "https://id.example.gov/realms/staff"
        monkeypatch.delenv("TRACKER_OIDC_CLIENT_SECRET")
        with pytest.raises(ImproperlyConfigured):
            importlib.reload(base)
    finally:
        monkeypatch.delenv("TRACKER_OIDC_SERVER_URL")
        importlib.reload(base)

"""What every page shares: navigation by role, direction and language, the skip link, sign-in,
password reset and error pages."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from tests.html import parse as _parse
from tracker.models import User

pytestmark = pytest.mark.django_db


def test_navigation_is_role_aware(client, secretariat, focal_point):
    public = client.get(reverse("home")).content.decode()
    assert reverse("account_login") in public
    assert reverse("admin:index") not in public
    assert "?publication_state=draft" not in public

    client.force_login(focal_point)
    focal = client.get(reverse("home")).content.decode()
    assert escape(focal_point.get_full_name()) in focal
    assert f'action="{reverse("account_logout")}" method="post"' in focal
    assert reverse("admin:index") not in focal
    assert reverse("tracker:user-list") not in focal

    client.force_login(secretariat)
    office = client.get(reverse("home")).content.decode()
    # The secretariat manages accounts on its own pages; the admin is for operators only.
    assert reverse("tracker:user-list") in office
    assert reverse("admin:index") not in office
    assert "Drafts" in office


def test_superuser_gets_the_secretariat_navigation_and_the_admin(client):
    root = User.objects.create_superuser("root", "root@example.org", "correct-horse-battery")
    client.force_login(root)
    page = client.get(reverse("home")).content.decode()
    assert reverse("admin:index") in page
    assert reverse("tracker:user-list") in page


@pytest.mark.parametrize("how", ["header", "cookie"])
def test_arabic_pages_are_right_to_left(client, sample_recommendations, how):
    if how == "cookie":
        client.cookies["django_language"] = "ar"
        response = client.get(reverse("home"))
    else:
        response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ar")
    page = _parse(response)
    assert page.html_attrs["lang"] == "ar"
    assert page.html_attrs["dir"] == "rtl"
    assert any("bootstrap.rtl.min.css" in href for href in page.stylesheets)


def test_english_pages_are_left_to_right_with_the_ltr_stylesheet(client):
    page = _parse(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en"))
    assert page.html_attrs["lang"] == "en"
    assert page.html_attrs["dir"] == "ltr"
    assert any(href.endswith("bootstrap.min.css") for href in page.stylesheets)


@pytest.mark.parametrize(
    "url_name",
    ["home", "recommendations:recommendation-list", "account_login", "account_reset_password"],
)
def test_skip_link_is_the_first_focusable_element_and_targets_main(client, url_name):
    page = _parse(client.get(reverse(url_name)))
    first = page.focusable[0]
    assert first["tag"] == "a"
    assert first["href"] == "#main"
    assert "main" in page.ids


def test_language_switcher_is_a_labelled_select_of_the_six_languages_posting_to_set_language(
    client,
):
    response = client.get(reverse("home"))
    body = response.content.decode()
    page = _parse(response)
    assert "language-select" in page.labels_for
    assert f'action="{reverse("set_language")}" method="post"' in body
    for code, name in [
        ("en", "English"),
        ("fr", "français"),
        ("es", "español"),
        ("ar", "العربيّة"),
        ("ru", "Русский"),
        ("zh-hans", "简体中文"),
    ]:
        assert re.search(rf'<option value="{code}" lang="{code}"[^>]*>{name}</option>', body), code


def test_switching_language_with_the_form_changes_the_page_language(client):
    response = client.post(
        reverse("set_language"), {"language": "ar", "next": reverse("home")}, follow=True
    )
    assert _parse(response).html_attrs["dir"] == "rtl"


def test_login_page_has_labelled_fields_errors_and_a_password_reset_link(client, focal_point):
    response = client.get(reverse("account_login"))
    page = _parse(response)
    assert {"id_login", "id_password"} <= page.labels_for
    assert reverse("account_reset_password") in response.content.decode()

    failed = client.post(reverse("account_login"), {"login": "focal", "password": "wrong"})
    assert 'role="alert"' in failed.content.decode()

    ok = client.post(
        reverse("account_login"), {"login": "focal", "password": "correct-horse-battery"}
    )
    assert ok.status_code == 302


def test_password_reset_pages_and_email(client, focal_point):
    for name in ["account_reset_password", "account_reset_password_done"]:
        response = client.get(reverse(name))
        assert response.status_code == 200, name

    client.post(reverse("account_reset_password"), {"email": focal_point.email})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Password Reset" in message.subject
    assert "\n" not in message.subject
    link = re.search(r"https?://\S+", str(message.body))
    assert link is not None

    confirm = client.get(link.group(0), follow=True)
    assert 'name="password1"' in confirm.content.decode()

    bad = client.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "bad-token"})
    )
    assert "Bad Token" in bad.content.decode()


def test_error_pages(client, focal_point):
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "Page not found" in missing.content.decode()

    client.force_login(focal_point)
    forbidden = client.get(reverse("recommendations:import-list"))
    assert forbidden.status_code == 403
    assert "You are not allowed to do this" in forbidden.content.decode()


def test_server_error_page_renders_without_a_request():
    with translation.override("ar"):
        body = render_to_string("500.html")
    assert 'dir="rtl"' in body

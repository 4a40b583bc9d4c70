"""The pages render for every role, in every direction, with the accessibility basics in place."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from recommendations.models import RecommendationText
from tests.factories.recommendations import ClusterFactory, RecommendationFactory
from tests.recommendations.helpers import sdg_target
from tracker.models import Institution, User

pytestmark = pytest.mark.django_db

APOSTROPHE = "\u2019"  # French typography uses the typographic apostrophe

LANDINGS = {
    "public": ("reporting/home_public.html", "Human rights recommendations to the State"),
    "secretariat": ("reporting/home_secretariat.html", "Coordination overview"),
    "focal_point": ("reporting/home_institution.html", "Your institution's recommendations"),
    "validator": ("reporting/home_institution.html", "Your institution's recommendations"),
    "nhri": ("reporting/home_independent.html", "Independent monitoring"),
    "cso": ("reporting/home_independent.html", "Independent monitoring"),
    "partner": ("reporting/home_partner.html", "Recommendations by Sustainable Development Goal"),
}


class _Page(HTMLParser):
    """Collects what the tests look at: the focusable elements in order, labels, h1, attributes."""

    FOCUSABLE = {"a", "button", "input", "select", "textarea", "summary"}

    def __init__(self) -> None:
        super().__init__()
        self.focusable: list[dict[str, str | None]] = []
        self.labels_for: set[str] = set()
        self.ids: set[str] = set()
        self.h1: list[str] = []
        self._in_h1 = False
        self.html_attrs: dict[str, str | None] = {}
        self.stylesheets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        attributes["tag"] = tag
        if tag == "html":
            self.html_attrs = attributes
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        if tag == "label" and attributes.get("for"):
            self.labels_for.add(str(attributes["for"]))
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.stylesheets.append(str(attributes.get("href")))
        focusable = tag in self.FOCUSABLE and attributes.get("type") != "hidden"
        if tag == "a" and not attributes.get("href"):
            focusable = False
        if focusable:
            self.focusable.append(attributes)
        if tag == "h1":
            self._in_h1 = True
            self.h1.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1[-1] += data


def _parse(response) -> _Page:
    page = _Page()
    page.feed(response.content.decode())
    return page


def _h1(response) -> str:
    return " ".join(" ".join(_parse(response).h1).split())


@pytest.fixture
def data(ministry_a: Institution) -> dict[str, object]:
    """A published and a draft recommendation in a cluster led by ministry A, tagged with an SDG."""
    cluster = ClusterFactory(name="Justice", lead_institution=ministry_a)
    published = RecommendationFactory.create(
        cluster=cluster, text="Strengthen the independence of the judiciary."
    )
    published.sdg_targets.add(sdg_target("16.3"))
    RecommendationText.objects.create(
        recommendation=published, language="ar", text="تعزيز استقلال القضاء."
    )
    draft = RecommendationFactory.create(
        draft=True, cluster=cluster, text="Adopt a national action plan on business."
    )
    return {"cluster": cluster, "published": published, "draft": draft}


def _client_as(client, persona, name: str):
    user = persona(name)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", list(LANDINGS))
def test_each_role_gets_its_landing_with_a_heading_that_names_its_purpose(
    client, persona, data, role
):
    template, heading = LANDINGS[role]
    response = _client_as(client, persona, role).get(reverse("home"))
    assert response.status_code == 200
    assert template in [t.name for t in response.templates]
    assert _h1(response) == heading


def test_landing_without_any_data_renders_for_every_role(client, persona):
    for role in LANDINGS:
        client.logout()
        response = _client_as(client, persona, role).get(reverse("home"))
        assert response.status_code == 200, role


def test_institution_landing_links_to_the_clusters_it_leads_and_to_its_drafts(
    client, focal_point, data
):
    client.force_login(focal_point)
    body = client.get(reverse("home")).content.decode()
    list_url = reverse("recommendations:recommendation-list")
    assert f'href="{list_url}?cluster={data["cluster"].pk}"' in body
    assert f'href="{list_url}?publication_state=draft"' in body


def test_secretariat_landing_links_to_drafts_and_statuses(client, secretariat, data):
    client.force_login(secretariat)
    body = client.get(reverse("home")).content.decode()
    list_url = reverse("recommendations:recommendation-list")
    assert f'href="{list_url}?publication_state=draft"' in body
    assert f'href="{list_url}?status=not_started"' in body
    assert f'href="{list_url}?family=upr"' in body


def test_public_landing_links_each_goal_with_recommendations_to_the_filtered_list(client, data):
    body = client.get(reverse("home")).content.decode()
    list_url = reverse("recommendations:recommendation-list")
    assert f'href="{list_url}?sdg_goal=16"' in body
    assert 'name="q"' in body


def test_navigation_is_role_aware(client, secretariat, focal_point):
    public = client.get(reverse("home")).content.decode()
    assert reverse("login") in public
    assert reverse("admin:index") not in public
    assert "?publication_state=draft" not in public

    client.force_login(focal_point)
    focal = client.get(reverse("home")).content.decode()
    assert escape(focal_point.get_full_name()) in focal
    assert f'action="{reverse("logout")}" method="post"' in focal
    assert reverse("admin:index") not in focal

    client.force_login(secretariat)
    office = client.get(reverse("home")).content.decode()
    assert reverse("admin:index") in office
    assert "Drafts" in office


def test_superuser_gets_the_secretariat_navigation(client):
    root = User.objects.create_superuser("root", "root@example.org", "correct-horse-battery")
    client.force_login(root)
    assert reverse("admin:index") in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("how", ["header", "cookie"])
def test_arabic_pages_are_right_to_left(client, data, how):
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
    "url_name", ["home", "recommendations:recommendation-list", "login", "password_reset"]
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


@pytest.mark.parametrize(
    ("role", "french"),
    [
        (
            "public",
            f"Recommandations des droits de l{APOSTROPHE}homme adressées à l{APOSTROPHE}État",
        ),
        ("secretariat", f"Vue d{APOSTROPHE}ensemble de la coordination"),
        ("focal_point", "Les recommandations de votre institution"),
        ("nhri", "Suivi indépendant"),
        ("partner", "Recommandations par objectif de développement durable"),
    ],
)
def test_pages_are_translated_into_french(client, persona, data, role, french):
    response = _client_as(client, persona, role).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr")
    body = response.content.decode()
    assert _h1(response) == french
    assert "Passer au contenu principal" in body
    assert "Accueil" in body


def test_recommendation_list_renders_rows_facets_and_search(client, data):
    url = reverse("recommendations:recommendation-list")
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    published = data["published"]
    assert reverse("recommendations:recommendation-detail", args=[published.pk]) in body
    assert "Strengthen the independence of the judiciary." in body
    assert "national action plan on business" not in body  # a draft, hidden from the public
    assert 'name="q"' in body
    assert 'name="publication_state"' not in body
    assert f'href="?mechanism={published.document.mechanism.code}"' in body
    assert 'hx-get="' in body
    assert 'id="results"' in body


def test_recommendation_list_shows_drafts_with_a_badge_to_the_secretariat(
    client, secretariat, data
):
    client.force_login(secretariat)
    url = reverse("recommendations:recommendation-list") + "?publication_state=draft"
    body = client.get(url).content.decode()
    assert "national action plan on business" in body
    assert ">Draft</span>" in body
    assert 'name="publication_state"' in body


def test_selected_facet_links_remove_the_filter_and_active_filters_are_named(client, data):
    mechanism = data["published"].document.mechanism.code
    url = reverse("recommendations:recommendation-list") + f"?mechanism={mechanism}&page=1"
    body = client.get(url).content.decode()
    assert 'aria-current="true"' in body
    assert 'href="?"' in body  # removing the only filter leads back to the whole list
    assert f"Mechanism: <bdi>{mechanism}</bdi>" in body


def test_recommendation_list_pagination_is_labelled_and_marks_the_current_page(client):
    from tests.recommendations.helpers import bulk_recommendations

    bulk_recommendations(30)
    url = reverse("recommendations:recommendation-list") + "?q=judiciary&page=2"
    body = client.get(url).content.decode()
    assert '<nav aria-label="Pagination">' in body
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2</a>' in body
    assert 'href="?q=judiciary&amp;page=1"' in body


def test_htmx_search_returns_only_the_results_and_the_facets(client, data):
    url = reverse("recommendations:recommendation-list") + "?q=judiciary"
    response = client.get(url, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.lstrip().startswith('<div id="results">')
    assert 'id="facets"' in body
    assert 'hx-swap-oob="true"' in body
    assert "Strengthen the independence" in body


def test_invalid_filter_shows_the_error_with_status_400(client, data):
    url = reverse("recommendations:recommendation-list") + "?mechanism=NOPE"
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Some filters are not valid" in body


@pytest.mark.parametrize("role", list(LANDINGS))
def test_detail_page_shows_every_text_with_its_language_and_direction(client, persona, data, role):
    _client_as(client, persona, role)
    published = data["published"]
    response = client.get(reverse("recommendations:recommendation-detail", args=[published.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'lang="ar" dir="rtl">تعزيز استقلال القضاء.</div>' in body
    assert 'lang="en" dir="ltr">Strengthen the independence of the judiciary.</div>' in body
    assert "Arabic" in body
    assert "Official UN text" in body
    assert published.document.symbol in body
    assert ("History" in body) == (role == "secretariat")


def test_detail_page_shows_national_notes_only_to_the_state_institutions(client, persona, data):
    published = data["published"]
    published.national_notes = "Bill before parliament in March."
    published.save()
    url = reverse("recommendations:recommendation-detail", args=[published.pk])
    for role, sees in [
        ("public", False),
        ("nhri", False),
        ("focal_point", True),
        ("secretariat", True),
    ]:
        client.logout()
        body = _client_as(client, persona, role).get(url).content.decode()
        assert ("Bill before parliament in March." in body) == sees, role


def test_detail_page_escapes_the_text(client):
    rec = RecommendationFactory.create(text="<script>alert(1)</script> Protect defenders.")
    body = client.get(reverse("recommendations:recommendation-detail", args=[rec.pk])).content
    assert b"<script>alert(1)</script>" not in body
    assert b"&lt;script&gt;alert(1)&lt;/script&gt; Protect defenders." in body


def test_history_table_for_the_secretariat(client, secretariat, data):
    client.force_login(secretariat)
    published = data["published"]
    published.priority = "high"
    published.save()
    url = reverse("recommendations:recommendation-detail", args=[published.pk])
    body = client.get(url).content.decode()
    assert '<th scope="col">What changed</th>' in body
    assert "priority" in body


def test_login_page_has_labelled_fields_errors_and_a_password_reset_link(client, focal_point):
    response = client.get(reverse("login"))
    page = _parse(response)
    assert {"id_username", "id_password"} <= page.labels_for
    assert reverse("password_reset") in response.content.decode()

    failed = client.post(reverse("login"), {"username": "focal", "password": "wrong"})
    assert 'role="alert"' in failed.content.decode()

    ok = client.post(reverse("login"), {"username": "focal", "password": "correct-horse-battery"})
    assert ok.status_code == 302


def test_password_reset_pages_and_email(client, focal_point):
    for name in ["password_reset", "password_reset_done", "password_reset_complete"]:
        response = client.get(reverse(name))
        assert response.status_code == 200, name

    client.post(reverse("password_reset"), {"email": focal_point.email})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Password reset on" in message.subject
    assert "\n" not in message.subject
    link = re.search(r"https?://\S+", str(message.body))
    assert link is not None

    confirm = client.get(link.group(0), follow=True)
    assert 'name="new_password1"' in confirm.content.decode()

    bad = client.get(reverse("password_reset_confirm", args=["MQ", "bad-token"]))
    assert "This link no longer works" in bad.content.decode()


def test_logged_out_template_renders(rf):
    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    body = render_to_string("registration/logged_out.html", request=request)
    assert "You have logged out" in body


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

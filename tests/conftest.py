"""Personas, as in the role matrix of STYLE.md: one user per role, two ministries."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from recommendations.models import RecommendationText
from tests.factories.recommendations import ClusterFactory, RecommendationFactory
from tests.factories.tracker import InstitutionFactory, MembershipFactory, UserFactory
from tests.recommendations.helpers import sdg_target
from tracker.models import Institution, InstitutionKind, User
from tracker.roles import Role


@pytest.fixture
def ministry_a() -> Institution:
    return InstitutionFactory(name="Ministry of Justice", acronym="MOJ")


@pytest.fixture
def ministry_b() -> Institution:
    return InstitutionFactory(name="Ministry of Education", acronym="MOE")


def _member(username: str, role: str, institution: Institution) -> User:
    user = UserFactory(username=username)
    MembershipFactory(user=user, institution=institution, role=role)
    return user


@pytest.fixture
def secretariat() -> User:
    office = InstitutionFactory(name="NMRF secretariat", kind=InstitutionKind.SECRETARIAT)
    return _member("secretariat", Role.SECRETARIAT, office)


@pytest.fixture
def focal_point(ministry_a: Institution) -> User:
    return _member("focal", Role.FOCAL_POINT, ministry_a)


@pytest.fixture
def validator(ministry_a: Institution) -> User:
    return _member("validator", Role.VALIDATOR, ministry_a)


@pytest.fixture
def other_focal_point(ministry_b: Institution) -> User:
    return _member("other_focal", Role.FOCAL_POINT, ministry_b)


@pytest.fixture
def nhri() -> User:
    return _member("nhri", Role.NHRI, InstitutionFactory(name="NHRI", kind=InstitutionKind.NHRI))


@pytest.fixture
def cso() -> User:
    return _member(
        "cso", Role.CSO, InstitutionFactory(name="Rights Watch", kind=InstitutionKind.CSO)
    )


@pytest.fixture
def partner() -> User:
    org = InstitutionFactory(name="Development Agency", kind=InstitutionKind.DEVELOPMENT_PARTNER)
    return _member("partner", Role.PARTNER, org)


@pytest.fixture
def persona(request: pytest.FixtureRequest) -> Callable[[str], User | None]:
    """Look up a persona fixture by name; "public" is the anonymous visitor."""

    def get(name: str) -> User | None:
        return None if name == "public" else request.getfixturevalue(name)

    return get


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


PERSONAS = ("public", "secretariat", "focal_point", "validator", "nhri", "cso", "partner")


@pytest.fixture
def anon_client() -> Client:
    """A browser of the public: no session."""
    return Client()


def sign_in(client: Client, user: User) -> None:
    """Sign ``client`` in as ``user`` as the login form would: a session, and the record of a
    password sign-in just now (django-allauth asks for the password again on the pages that
    change how one signs in, unless one signed in recently)."""
    client.force_login(user)
    session = client.session
    session["account_authentication_methods"] = [
        {
            "method": "password",
            "at": time.time(),
            "username": user.get_username(),
            "reauthenticated": True,
        }
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


@pytest.fixture
def client_as(persona: Callable[[str], User | None]) -> Callable[[str], Client]:
    """A browser signed in as a persona by name (``"public"``: anonymous), e.g. ``client_as("nhri")``."""

    def make(name: str) -> Client:
        client = Client()
        user = persona(name)
        if user is not None:
            sign_in(client, user)
        return client

    return make


@pytest.fixture
def api_client_as(persona: Callable[[str], User | None]) -> Callable[[str], APIClient]:
    """An API client authenticated as a persona by name (``"public"``: anonymous)."""

    def make(name: str) -> APIClient:
        client = APIClient()
        user = persona(name)
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def sample_recommendations(ministry_a: Institution) -> dict[str, object]:
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


@pytest.fixture(autouse=True)
def _session_activity_steady(monkeypatch: pytest.MonkeyPatch) -> None:
    """A signed-in session's expiry is pushed back at most once a minute (three queries when it
    is): a slow test that crosses the minute would count them in a page's queries. Tests pass
    a day instead; a test that wants the push sets the session's last activity long ago."""
    monkeypatch.setattr("tracker.auth.ACTIVITY_STEP_SECONDS", 24 * 3600)


@pytest.fixture(autouse=True)
def _language_put_back() -> Iterator[None]:
    """Every test starts in the site's language: a request of an earlier test in another language
    (its LocaleMiddleware activates it for the thread) does not leak into the next test."""
    yield
    translation.activate(settings.LANGUAGE_CODE)

"""The load scenario of ``make load`` (locust): the common reads of each role, mixed as a working
day has them. Run by ``scripts/load.py`` against gunicorn with a Celery worker, on loopback only.

- anonymous visitors read the portal: the home page, the recommendation list, a search, a
  recommendation (the most numerous);
- external systems sync through the API (recommendations, measures, institutions, page by page);
- focal points read their home page and the plans' measures;
- the secretariat works: the home page, the list filtered, the import runs.

Signed-in users sign in once (the demo accounts, ``manage.py load_demo_data``).
"""

from __future__ import annotations

import os
import random
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from locust import HttpUser, between, task

PASSWORD = "demo-pass-2026"  # noqa: S105 (the documented demo password, tracker/demo/people.py)
SEARCHES = ["torture", "children", "education", "women", "detention", "disability", "journalists"]


def _sign_in(user: HttpUser, username: str) -> None:
    page = user.client.get("/accounts/login/", name="sign-in page")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    response = user.client.post(
        "/accounts/login/",
        {
            "login": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1) if token else "",
        },
        headers={"Referer": f"{user.host}/accounts/login/"},
        name="sign in",
        allow_redirects=False,
    )
    if response.status_code != 302:
        response.failure(f"sign-in of {username} refused: {response.status_code}")  # type: ignore[attr-defined]


class Visitor(HttpUser):
    weight = 5
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        self.ids: list[int] = []

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="/ (portal home)")

    @task(4)
    def recommendations(self) -> None:
        page = random.randint(1, 5)
        self.client.get(f"/recommendations/?page={page}", name="/recommendations/?page=N")

    @task(3)
    def search(self) -> None:
        query = random.choice(SEARCHES)
        self.client.get(f"/recommendations/?q={query}", name="/recommendations/?q=WORD")

    @task(2)
    def recommendation(self) -> None:
        if not self.ids:
            listing: Any = self.client.get(
                "/api/v1/recommendations/?page_size=50", name="(setup) ids"
            )
            if listing.status_code == 200:
                self.ids = [row["id"] for row in listing.json().get("results", [])]
        if self.ids:
            pk = random.choice(self.ids)
            self.client.get(f"/recommendations/{pk}/", name="/recommendations/ID/")


class ApiSync(HttpUser):
    """An external system syncing with an API key (``LOAD_API_KEY``, made by scripts/load.py for
    the partner; without one it signs in as the partner): cursor pages in the order of change,
    and what changed since yesterday."""

    weight = 2
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        key = os.environ.get("LOAD_API_KEY", "")
        if key:
            self.client.headers["Authorization"] = f"Token {key}"
        else:
            _sign_in(self, "partner")

    @task(3)
    def recommendations(self) -> None:
        url: str | None = "/api/v1/recommendations/?cursor=&page_size=50"
        for _ in range(random.randint(1, 3)):
            if not url:
                break
            response = self.client.get(url, name="/api/v1/recommendations/ (cursor)")
            url = response.json().get("next") if response.ok else None

    @task(1)
    def changed(self) -> None:
        since = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
        self.client.get(
            f"/api/v1/recommendations/?updated_since={since}",
            name="/api/v1/recommendations/?updated_since",
        )

    @task(1)
    def measures(self) -> None:
        self.client.get("/api/v1/measures/", name="/api/v1/measures/")

    @task(1)
    def institutions(self) -> None:
        self.client.get("/api/v1/institutions/", name="/api/v1/institutions/")


class FocalPoint(HttpUser):
    weight = 2
    wait_time = between(1, 3)

    def on_start(self) -> None:
        _sign_in(self, "focal")

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="/ (focal point home)")

    @task(1)
    def measures(self) -> None:
        self.client.get("/api/v1/measures/?page=1", name="/api/v1/measures/ (focal point)")

    @task(1)
    def recommendations(self) -> None:
        self.client.get("/recommendations/", name="/recommendations/ (focal point)")


class Secretariat(HttpUser):
    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        _sign_in(self, "secretariat")

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="/ (secretariat home)")

    @task(2)
    def unclustered(self) -> None:
        self.client.get(
            "/recommendations/?unclustered=true", name="/recommendations/?unclustered=true"
        )

    @task(1)
    def imports(self) -> None:
        self.client.get("/recommendations/imports/", name="/recommendations/imports/")

    @task(1)
    def users(self) -> None:
        self.client.get("/manage/users/", name="/manage/users/")

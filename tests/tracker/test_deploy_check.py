"""`manage.py check --deploy` with the production settings and the environment a deployment
sets (docker-compose.yml) gives no warning at all: HSTS, the HTTPS redirect, secure cookies,
the API schema. Run in `make test`."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _deployment_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "TRACKER_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tracker.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "tracker.example.org",
            "DJANGO_CSRF_TRUSTED_ORIGINS": "https://tracker.example.org",
            "TRACKER_TRUSTED_PROXY": "true",
            "DATABASE_URL": "postgres://tracker_app:x@db.invalid:5432/tracker",
            **extra,
        }
    )
    return env


def _check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_gives_no_warning_under_the_production_settings():
    result = _check(_deployment_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("name", "value", "warning"),
    [
        ("DJANGO_SECURE_HSTS_SECONDS", "0", "security.W004"),
        ("DJANGO_SECURE_SSL_REDIRECT", "false", "security.W008"),
        ("DJANGO_SECURE_COOKIES", "false", "security.W012"),
    ],
)
def test_turning_a_protection_off_is_reported(name, value, warning):
    """The check is not vacuous: each protection, turned off, gives its warning."""
    result = _check(_deployment_env(**{name: value}))
    assert result.returncode != 0
    assert warning in result.stdout + result.stderr


def test_the_proxy_header_is_believed_only_behind_the_trusted_proxy():
    code = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    for trusted, expected in (("true", "('HTTP_X_FORWARDED_PROTO', 'https')"), ("false", "None")):
        env = _deployment_env(TRACKER_TRUSTED_PROXY=trusted)
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.stdout.strip().splitlines()[-1] == expected, result.stderr

"""`manage.py check --deploy` with the production settings and the environment a deployment
sets (docker-compose.yml) gives no warning at all: HSTS, the HTTPS redirect, secure cookies,
the API schema. Run in `make test`."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

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


SCRIPT = """
import django
from django.conf import settings
from django.core.management import call_command
django.setup()
print("proxy header:", settings.SECURE_PROXY_SSL_HEADER, flush=True)
call_command("check", deploy=True, fail_level="WARNING")
"""


def _check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``manage.py check --deploy --fail-level WARNING`` in a fresh process (the settings are read
    at start-up), printing the proxy header setting first."""
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", SCRIPT],
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
    # Behind the trusted proxy (the compose stack), its X-Forwarded-Proto is believed.
    assert "proxy header: ('HTTP_X_FORWARDED_PROTO', 'https')" in result.stdout


def test_turning_the_protections_off_is_reported_and_no_proxy_is_believed_by_default():
    """The check is not vacuous: each protection, turned off, gives its warning."""
    result = _check(
        _deployment_env(
            DJANGO_SECURE_HSTS_SECONDS="0",
            DJANGO_SECURE_SSL_REDIRECT="false",
            DJANGO_SECURE_COOKIES="false",
            TRACKER_TRUSTED_PROXY="false",
        )
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in output, warning
    assert "proxy header: None" in output

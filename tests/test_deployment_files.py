"""The deployment files: docker-compose.yml, Dockerfile, .ci/run, .env.example, the database launcher.

None of these tests needs the database.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import environ
import pytest
import yaml

from tracker import embedded

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ["migrate", "web", "worker", "beat"]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def test_compose_has_the_services(compose: dict[str, Any]) -> None:
    assert {"postgres", "redis", "migrate", "web", "worker", "beat"} <= set(compose["services"])


@pytest.mark.parametrize("name", ["postgres", "redis", "web"])
def test_compose_healthchecks(compose: dict[str, Any], name: str) -> None:
    healthcheck = compose["services"][name]["healthcheck"]
    assert healthcheck["test"]
    assert not healthcheck.get("disable")


def test_compose_healthcheck_commands(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "redis-cli ping" in " ".join(services["redis"]["healthcheck"]["test"])
    web_check = " ".join(services["web"]["healthcheck"]["test"])
    assert "urllib" in web_check
    assert "/healthz" in web_check


def test_compose_volumes_are_declared(compose: dict[str, Any]) -> None:
    declared = set(compose.get("volumes") or {})
    used = set()
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0] if isinstance(volume, str) else volume.get("source")
            if source and not source.startswith((".", "/", "~")):
                used.add(source)
    assert used
    assert used <= declared
    postgres_mounts = compose["services"]["postgres"]["volumes"]
    assert any(str(mount).endswith(":/var/lib/postgresql/data") for mount in postgres_mounts)


@pytest.mark.parametrize("name", APP_SERVICES)
def test_compose_app_services_get_database_and_broker(compose: dict[str, Any], name: str) -> None:
    env = environment(compose["services"][name])
    assert env["DATABASE_URL"].startswith("postgres://")
    assert "@postgres:5432/" in env["DATABASE_URL"]
    assert env["CELERY_BROKER_URL"].startswith("redis://redis:6379")
    assert env["DJANGO_SETTINGS_MODULE"] == "tracker.settings.production"
    assert "DJANGO_SECRET_KEY" in env
    assert "DJANGO_ALLOWED_HOSTS" in env


def test_compose_web_waits_for_migrations(compose: dict[str, Any]) -> None:
    services = compose["services"]
    web_depends = services["web"]["depends_on"]
    assert web_depends["migrate"]["condition"] == "service_completed_successfully"
    assert web_depends["redis"]["condition"] == "service_healthy"
    for name in ["worker", "beat"]:
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_compose_commands(compose: dict[str, Any]) -> None:
    services = compose["services"]
    migrate = " ".join(services["migrate"]["command"])
    assert "manage.py migrate" in migrate
    assert "manage.py load_reference_data" in migrate
    assert services["migrate"]["restart"] == "no"
    assert services["worker"]["command"][:4] == ["celery", "-A", "tracker", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "tracker", "beat"]
    # web runs the image's default command: gunicorn.
    assert "gunicorn tracker.wsgi" in " ".join(dockerfile_cmd())


def test_docker_compose_config_is_valid() -> None:
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("the docker client is not installed")
    version = subprocess.run(  # noqa: S603
        [docker, "compose", "version"], capture_output=True, text=True, check=False
    )
    if version.returncode != 0:
        reason = (version.stderr or version.stdout).strip().splitlines() or ["no output"]
        pytest.skip(f"docker compose is not available: {reason[0]}")
    env = {**os.environ, "DJANGO_SECRET_KEY": "test-only", "POSTGRES_PASSWORD": "test-only"}
    result = subprocess.run(  # noqa: S603
        [docker, "compose", "config", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def dockerfile_cmd() -> list[str]:
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    cmd = [line for line in lines if line.startswith("CMD ")]
    assert len(cmd) == 1
    return json.loads(cmd[0].removeprefix("CMD "))


def test_dockerfile() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", text, re.MULTILINE)
    assert "gettext" in text
    assert "collectstatic" in text
    assert "compilemessages" in text
    users = re.findall(r"^USER (\S+)", text, re.MULTILINE)
    assert users
    assert users[-1] not in {"root", "0"}


def test_ci_run_calls_make_test() -> None:
    script = ROOT / ".ci" / "run"
    assert os.access(script, os.X_OK)
    text = script.read_text()
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text
    commands = [line.strip() for line in text.splitlines() if not line.lstrip().startswith("#")]
    assert "exec make test" in commands


def test_launcher_passes_database_url_through() -> None:
    url = "postgres://someone:secret@db.invalid:6543/elsewhere"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tracker.embedded",
            "run",
            "--",
            sys.executable,
            "-c",
            "import os;print(os.environ['DATABASE_URL'])",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == url
    assert "embedded-postgres" not in result.stderr  # no server was started


def test_launcher_passes_the_exit_code_through() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tracker.embedded", "run", "--", sys.executable, "-c", "exit(3)"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": "postgres://u@db.invalid/x"},
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 3


def test_launcher_without_a_command_is_a_usage_error() -> None:
    assert embedded.main(["run"]) == 2
    assert embedded.main(["run", "--"]) == 2
    assert embedded.main(["frobnicate"]) == 2


@pytest.mark.parametrize(("port", "expected_port"), [(5432, None), (5544, 5544)])
def test_embedded_database_url_is_understood_by_django_environ(
    port: int, expected_port: int | None
) -> None:
    url = embedded.database_url(Path("/some dir/.data/pg"), port)
    config = environ.Env.db_url_config(url)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "tracker"
    assert config["USER"] == "postgres"
    assert config["HOST"] == ""
    assert config["OPTIONS"]["host"] == "/some dir/.data/pg"
    assert config["OPTIONS"].get("port") == expected_port


def test_child_exit_code() -> None:
    assert embedded.child_exit_code(0) == 0
    assert embedded.child_exit_code(4) == 4
    assert embedded.child_exit_code(-15) == 143  # killed by SIGTERM, like a shell reports it


SETTING_READ = re.compile(r"\benv(?:\.\w+)?\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']")


def test_env_example_documents_every_setting() -> None:
    read = set()
    for path in (ROOT / "tracker" / "settings").glob("*.py"):
        read |= set(SETTING_READ.findall(path.read_text()))
    assert "DATABASE_URL" in read
    documented = set(
        re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.MULTILINE)
    )
    assert read - documented == set()


def test_bootstrap_is_pinned_exactly() -> None:
    package = json.loads((ROOT / "package.json").read_text())
    version = package["dependencies"]["bootstrap"]
    assert re.fullmatch(r"5\.3\.\d+", version)
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/bootstrap"]["version"] == version


def test_the_image_trims_bootstrap_from_what_make_assets_reads() -> None:
    """The Dockerfile's assets stage copies every folder scripts/trim-css.mjs reads, so the image's
    trimmed stylesheet keeps what a page of the image uses, as `make assets` does."""
    script = (ROOT / "scripts" / "trim-css.mjs").read_text()
    apps = re.search(r"const apps = \[([^\]]*)\]", script)
    assert apps
    folders = {*re.findall(r'"([a-z_]+)"', apps.group(1)), "templates", "static/js"}
    assert {"tracker", "recommendations", "plans", "reporting"} <= folders
    docker = (ROOT / "Dockerfile").read_text()
    assert "RUN node scripts/trim-css.mjs" in docker
    for folder in folders:
        assert f"{folder}/" in script or f'"{folder}"' in script
        assert re.search(rf"^COPY {re.escape(folder)} ", docker, re.MULTILINE), folder
    assert "COPY --from=assets /build/build/css ./build/css" in docker


# --- Least privilege and the proxy (issue: security hardening) ----------------------------------


def test_compose_publishes_only_the_proxy(compose: dict[str, Any]) -> None:
    published = {name for name, service in compose["services"].items() if service.get("ports")}
    assert published == {"proxy"}
    assert compose["services"]["web"]["expose"] == ["8000"]
    assert compose["services"]["proxy"]["image"].startswith("caddy:")


def test_the_proxy_terminates_tls_in_front_of_gunicorn() -> None:
    caddyfile = (ROOT / "deploy" / "caddy" / "Caddyfile").read_text()
    assert "reverse_proxy web:8000" in caddyfile
    assert "tls {$TRACKER_TLS:internal}" in caddyfile
    assert "max_size" in caddyfile


def test_compose_trusts_the_proxy_header_because_a_proxy_is_in_front(compose: dict[str, Any]):
    for name in APP_SERVICES:
        assert environment(compose["services"][name])["TRACKER_TRUSTED_PROXY"] == "true"


def test_migrations_run_as_the_owner_and_the_app_as_the_app_role(compose: dict[str, Any]) -> None:
    services = compose["services"]
    migrate = environment(services["migrate"])
    assert migrate["DATABASE_URL"].startswith("postgres://tracker_owner:")
    assert migrate["TRACKER_DB_APP_ROLE"] == "tracker_app"
    for name in ["web", "worker", "beat"]:
        env = environment(services[name])
        assert env["DATABASE_URL"].startswith("postgres://tracker_app:"), name
        assert "TRACKER_DB_APP_ROLE" not in env
    postgres = services["postgres"]
    assert environment(postgres)["POSTGRES_USER"] == "postgres"
    assert "./deploy/postgres/initdb:/docker-entrypoint-initdb.d:ro" in postgres["volumes"]


def test_the_database_init_script_makes_two_roles_and_gives_the_app_no_ownership() -> None:
    script = (ROOT / "deploy" / "postgres" / "initdb" / "10-roles.sh").read_text()
    assert os.access(ROOT / "deploy" / "postgres" / "initdb" / "10-roles.sh", os.X_OK)
    assert 'ALTER DATABASE :"db" OWNER TO :"owner"' in script
    assert "NOSUPERUSER" in script
    assert 'GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app"' in script
    assert "REVOKE CREATE ON SCHEMA public FROM PUBLIC" in script


def test_compose_backs_up_every_night_as_the_owner(compose: dict[str, Any]) -> None:
    backup = compose["services"]["backup"]
    command = " ".join(backup["command"])
    assert "manage.py backup /backups --keep" in command
    assert "TRACKER_BACKUP_HOUR" in command
    assert "tracker_owner" in environment(backup)["DATABASE_URL"]
    assert "backups:/backups" in backup["volumes"]
    assert "media:/app/media:ro" in backup["volumes"]
    assert "postgresql-client-16" in (ROOT / "Dockerfile").read_text()

# ruff: noqa: S603, S607 (fixed commands of this machine's PostgreSQL, Redis and the venv)
"""``make faults``: the faults of the reliability issue, run for real on this machine, and what
happened printed line by line.

Everything runs on private copies, so nothing shared is disturbed: a PostgreSQL cluster of its
own (``pg_createcluster``, port 55432, dropped at the end), a Redis server of its own (port 56379),
gunicorn on 127.0.0.1:58000, one Celery worker and beat (the sweeper every 3 s, leases of 6 s).

1. PostgreSQL restarted while requests keep coming: they fail cleanly (503/500, never hang) during
   the outage, and succeed again after it with the same gunicorn processes (CONN_HEALTH_CHECKS).
2. Redis stopped: pages keep serving, /readyz says the broker is unreachable, an import started
   then answers at once and waits; Redis started again: the run is sent and finishes.
3. The worker SIGKILLed in the middle of an import: the sweeper sends the run again once the lease
   expires, another worker finishes it, with no duplicate row.

(A full disk during an upload is proven by tests/reliability/test_readiness_and_storage.py.)
Needs root (pg_createcluster / pg_ctlcluster, Debian's postgresql-common) and redis-server.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PG_VERSION = os.environ.get("FAULTS_PG_VERSION", "15")
PG_CLUSTER = "trackerfaults"
PG_PORT = 55432
REDIS_PORT = 56379
WEB = "127.0.0.1:58000"
DATABASE_URL = f"postgres://postgres@127.0.0.1:{PG_PORT}/tracker_faults"
BROKER_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
KILL_RECORDS = 12_000

started = time.monotonic()


def say(message: str) -> None:
    sys.stdout.write(f"[{time.monotonic() - started:7.1f}s] {message}\n")
    sys.stdout.flush()


def env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tracker.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": DATABASE_URL,
        "CELERY_BROKER_URL": BROKER_URL,
        "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/1",
        "TRACKER_JOB_LEASE_SECONDS": "6",
        "TRACKER_JOB_SWEEP_SECONDS": "3",
        "TRACKER_MEDIA_ROOT": str(WORK / "media"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}",
    }


WORK = Path(tempfile.mkdtemp(prefix="tracker-faults-"))


def run(*command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, env=env(), cwd=ROOT, capture_output=True, text=True, check=check)


def spawn(name: str, *command: str) -> subprocess.Popen[bytes]:
    log = (WORK / f"{name}.log").open("ab")
    return subprocess.Popen(command, env=env(), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def manage(*args: str) -> str:
    return run(str(VENV_BIN / "python"), "manage.py", *args).stdout


def sql(query: str) -> str:
    return run(
        "psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", "tracker_faults",
        "-Atc", query,
    ).stdout.strip()  # fmt: skip


def get(path: str, timeout: float = 5) -> int | str:
    try:
        with urllib.request.urlopen(f"http://{WEB}{path}", timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except Exception as exc:
        return type(exc).__name__


def wait_for(predicate: Any, seconds: float, what: str) -> float:
    begin = time.monotonic()
    while not predicate():
        if time.monotonic() - begin > seconds:
            raise SystemExit(f"FAILED: {what} not within {seconds} s (logs in {WORK})")
        time.sleep(0.2)
    return time.monotonic() - begin


# -- the private services ------------------------------------------------------------------------


def pg_up() -> None:
    if os.geteuid() != 0 or not shutil.which("pg_createcluster"):
        raise SystemExit("make faults needs root and Debian's postgresql-common (pg_createcluster)")
    subprocess.run(["pg_dropcluster", "--stop", PG_VERSION, PG_CLUSTER], capture_output=True)
    subprocess.run(
        ["pg_createcluster", PG_VERSION, PG_CLUSTER, "-p", str(PG_PORT), "--", "-A", "trust"],
        check=True,
        capture_output=True,
    )
    hba = Path(f"/etc/postgresql/{PG_VERSION}/{PG_CLUSTER}/pg_hba.conf")
    hba.write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
    subprocess.run(["pg_ctlcluster", PG_VERSION, PG_CLUSTER, "start"], check=True)
    run("createdb", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "tracker_faults")


def pg_down() -> None:
    subprocess.run(["pg_dropcluster", "--stop", PG_VERSION, PG_CLUSTER], capture_output=True)


def redis_start() -> subprocess.Popen[bytes]:
    process = spawn(
        "redis", "redis-server", "--port", str(REDIS_PORT), "--save", "", "--appendonly", "no"
    )
    wait_for(
        lambda: (
            run("redis-cli", "-p", str(REDIS_PORT), "ping", check=False).stdout.strip() == "PONG"
        ),
        10,
        "redis",
    )
    return process


def worker(name: str) -> subprocess.Popen[bytes]:
    return spawn(
        name, str(VENV_BIN / "celery"), "-A", "tracker", "worker", "--pool=solo", "-l", "warning",
        "-n", f"{name}@%h", "--without-mingle", "--without-gossip",
    )  # fmt: skip


def feed(count: int) -> Path:
    records = [
        {
            "AnnotationId": str(uuid.UUID(int=n + 1, version=4)),
            "Text": f"136.{n + 1} Ensure the protection of human rights defenders ({n})",
            "Symbol": f"A/HRC/99/{n % 20}",
            "Body": "UPR",
            "AnnotationType": "Recommendations",
            "Countries": ["Kenya"],
            "UprPosition": "Supported",
        }
        for n in range(count)
    ]
    path = WORK / f"feed-{count}.json"
    path.write_text(json.dumps(records))
    return path


def start_import(source: Path) -> tuple[int, float]:
    """An import started as the page and the API start one (the same service); its id and the
    seconds the call took."""
    code = (
        "import time; from recommendations.services import import_run_create as c; "
        f"t = time.monotonic(); r = c(actor=None, source={str(source)!r}); "
        "print(r.pk, time.monotonic() - t)"
    )
    pk, seconds = manage("shell", "-c", code).split()[-2:]
    return int(pk), float(seconds)


def run_state(pk: int) -> tuple[str, int, int, str]:
    status, rows, interruptions, dispatched = sql(
        f"SELECT status, rows_done, interruptions, coalesce(dispatched_at::text, '-') "  # noqa: S608 (an int)
        f"FROM recommendations_importrun WHERE id = {pk}"
    ).split("|")
    return status, int(rows), int(interruptions), dispatched


# -- the faults ----------------------------------------------------------------------------------


class Load(threading.Thread):
    """Requests in a loop: (time it ended, path, outcome) of each."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__(daemon=True)
        self.paths = paths
        self.results: list[tuple[float, str, int | str]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            for path in self.paths:
                outcome = get(path)
                self.results.append((time.monotonic(), path, outcome))
            time.sleep(0.05)


def summary(results: list[tuple[float, str, int | str]]) -> str:
    return ", ".join(
        f"{outcome}: {n}" for outcome, n in sorted(Counter(r[2] for r in results).items(), key=str)
    )


def postgres_restart(web: subprocess.Popen[bytes]) -> None:
    say("1. PostgreSQL restarted under load")
    pids_before = run("pgrep", "-P", str(web.pid), check=False).stdout.split()
    load = Load(["/readyz", "/", "/recommendations/"])
    load.start()
    time.sleep(3)
    cut = time.monotonic()
    subprocess.run(["pg_ctlcluster", PG_VERSION, PG_CLUSTER, "restart", "-m", "fast"], check=True)
    back = time.monotonic()
    say(
        f"   pg_ctlcluster {PG_VERSION} {PG_CLUSTER} restart: {back - cut:.1f} s; up again: {sql('SELECT 1') == '1'}"
    )
    time.sleep(5)
    load.stop.set()
    load.join()
    before = [r for r in load.results if r[0] < cut]
    during = [r for r in load.results if cut <= r[0] < back + 1]
    after = [r for r in load.results if r[0] >= back + 1]
    first_ok = next((r[0] - back for r in after if r[2] == 200), None)
    say(f"   before: {summary(before)}")
    say(f"   during the restart: {summary(during)}")
    say(f"   after: {summary(after)}")
    pids_after = run("pgrep", "-P", str(web.pid), check=False).stdout.split()
    recovered = bool(after) and all(r[2] == 200 for r in after[-9:])
    say(
        f"   recovered without restarting the app: {recovered and pids_before == pids_after} "
        f"(same gunicorn workers: {pids_before == pids_after}; first 200 after "
        f"{first_ok if first_ok is None else round(first_ok, 2)} s)"
    )


def redis_stop(redis: subprocess.Popen[bytes]) -> subprocess.Popen[bytes]:
    say("2. Redis stopped")
    redis.send_signal(signal.SIGTERM)
    redis.wait(timeout=10)
    pages = {path: get(path) for path in ["/", "/recommendations/", "/accounts/login/", "/healthz"]}
    say(f"   pages with Redis down: {pages}")
    say(f"   /readyz: {get('/readyz')} {urllib_body('/readyz')}")
    pk, seconds = start_import(feed(50))
    status, _rows, _i, dispatched = run_state(pk)
    say(
        f"   an import started with Redis down answered in {seconds:.2f} s: run {pk} {status}, sent: {dispatched}"
    )
    redis = redis_start()
    say("   Redis started again")
    waited = wait_for(lambda: run_state(pk)[0] == "succeeded", 60, "the waiting run to finish")
    say(
        f"   run {pk} sent and finished {waited:.1f} s after Redis came back; /readyz: {get('/readyz')}"
    )
    return redis


def urllib_body(path: str) -> str:
    try:
        with urllib.request.urlopen(f"http://{WEB}{path}", timeout=5) as response:
            return str(response.read().decode().replace("\n", ""))
    except urllib.error.HTTPError as exc:
        return str(exc.read().decode().replace("\n", ""))


def worker_killed(first: subprocess.Popen[bytes]) -> None:
    say(f"3. A worker SIGKILLed during an import of {KILL_RECORDS} records")
    before = int(sql("SELECT count(*) FROM recommendations_recommendation"))
    pk, _seconds = start_import(feed(KILL_RECORDS))
    wait_for(lambda: run_state(pk)[1] > 0, 60, "the import to commit a batch")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    status, rows, _i, _d = run_state(pk)
    say(f"   killed at {rows} rows committed, run {status}")
    second = worker("worker2")
    waited = wait_for(lambda: run_state(pk)[0] in {"succeeded", "failed"}, 120, "the run to finish")
    status, rows, interruptions, _d = run_state(pk)
    total = int(sql("SELECT count(*) FROM recommendations_recommendation"))
    distinct = int(sql("SELECT count(DISTINCT annotation_id) FROM recommendations_recommendation"))
    say(
        f"   resumed by the sweeper on another worker: {status} {waited:.1f} s after the kill, "
        f"{rows} rows, {interruptions} interruption(s); recommendations {before} -> {total}, "
        f"distinct ids {distinct}: no duplicate: {total == distinct == KILL_RECORDS}"
    )
    second.terminate()
    second.wait(timeout=30)


def main() -> int:
    processes: list[subprocess.Popen[bytes]] = []
    try:
        say(f"logs in {WORK}")
        pg_up()
        redis = redis_start()
        manage("migrate", "--noinput")
        manage("load_reference_data")
        say("private PostgreSQL (port 55432) and Redis (port 56379) ready, database migrated")
        web = spawn(
            "gunicorn", str(VENV_BIN / "gunicorn"), "tracker.wsgi", "-b", WEB, "-w", "2",
            "--timeout", "30",
        )  # fmt: skip
        first = worker("worker1")
        beat = spawn(
            "beat", str(VENV_BIN / "celery"), "-A", "tracker", "beat", "-l", "warning",
            "--schedule", str(WORK / "celerybeat-schedule"),
        )  # fmt: skip
        processes += [web, first, beat]
        wait_for(lambda: get("/healthz") == 200, 30, "gunicorn")
        postgres_restart(web)
        redis = redis_stop(redis)
        processes.append(redis)
        worker_killed(first)
        say("done")
        return 0
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        subprocess.run(
            ["redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave"], capture_output=True
        )
        pg_down()


if __name__ == "__main__":
    sys.exit(main())

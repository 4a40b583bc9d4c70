# ruff: noqa: S603 (fixed commands of this machine's PostgreSQL, Redis and the venv)
"""``make load``: 50 virtual users for two minutes (bench/load/locustfile.py) against gunicorn with
a Celery worker, on loopback only, on a private PostgreSQL cluster and Redis (as ``make faults``)
holding the demo data set; it stops by itself and prints, per endpoint, the requests, the errors
and p50 / p95 / p99 in milliseconds.

    make load [LOAD_USERS=50] [LOAD_TIME=120s]
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys

import faults
from faults import (
    VENV_BIN,
    WEB,
    WORK,
    get,
    manage,
    pg_down,
    pg_up,
    redis_start,
    say,
    spawn,
    wait_for,
)

USERS = os.environ.get("LOAD_USERS", "50")
DURATION = os.environ.get("LOAD_TIME", "120s")


def main() -> int:
    os.environ["TRACKER_DEMO_DATA_ALLOWED"] = "true"
    processes: list[subprocess.Popen[bytes]] = []
    try:
        pg_up()
        processes.append(redis_start())
        manage("migrate", "--noinput")
        manage("load_demo_data")
        # The sync clients use an API key, as an external system does; the request limits are
        # lifted for the run, which measures the server, not the limits.
        key = manage("create_api_key", "partner", "--scope", "read", "--name", "load run")
        os.environ["LOAD_API_KEY"] = key.strip().splitlines()[-1]
        os.environ["TRACKER_API_THROTTLE_KEY"] = ""
        os.environ["TRACKER_API_THROTTLE_ANON"] = ""
        say("private PostgreSQL and Redis ready, demo data loaded, an API key made")
        processes.append(
            spawn("gunicorn", str(VENV_BIN / "gunicorn"), "tracker.wsgi", "-b", WEB, "-w", "4")
        )
        processes.append(faults.worker("worker1"))
        wait_for(lambda: get("/healthz") == 200, 30, "gunicorn")
        say(f"locust: {USERS} users for {DURATION} against http://{WEB}")
        subprocess.run(
            [
                str(VENV_BIN / "locust"),
                "-f",
                "bench/load/locustfile.py",
                "--headless",
                "--users",
                USERS,
                "--spawn-rate",
                "10",
                "--run-time",
                DURATION,
                "--host",
                f"http://{WEB}",
                "--csv",
                str(WORK / "load"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=faults.ROOT,
            env=faults.env(),
            check=False,
            capture_output=True,
        )
        report()
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
        pg_down()


def report() -> None:
    with (WORK / "load_stats.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    width = max(len(row["Name"]) for row in rows)
    out = sys.stdout
    out.write(
        f"{'endpoint':<{width}}  {'requests':>8} {'errors':>6} {'p50':>6} {'p95':>6} {'p99':>6}\n"
    )
    for row in rows:
        name = row["Name"] if row["Type"] else "all"
        out.write(
            f"{name:<{width}}  {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6}\n"
        )
    failures = WORK / "load_failures.csv"
    if failures.exists():
        for row in list(csv.DictReader(failures.open()))[:10]:
            out.write(
                f"error: {row['Method']} {row['Name']}: {row['Error']} ({row['Occurrences']})\n"
            )
    out.flush()


if __name__ == "__main__":
    sys.exit(main())

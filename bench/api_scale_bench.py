# ruff: noqa: S603, S608 (fixed commands of the venv; database names made here, not typed in)
"""The API and the list pages at UHRI's scale, against a floor.

    python bench/api_scale_bench.py [--size 268000] [--clients 4] [--seconds 8] [--rounds 2]

1. Data: a database holding ``--size`` recommendations imported by ``manage.py import_uhri`` from
   the synthetic feed (``bench/generate_feed.py``), kept between runs as the template database
   ``<name>_uhri_<size>`` (``<name>``: the database of ``DATABASE_URL``) on the server of ``DATABASE_URL``: the first run imports (about three
   minutes at 268,000 on a quiet machine), later runs copy it (``CREATE DATABASE ... TEMPLATE``,
   seconds) and apply newer migrations. ``--rebuild`` imports again.
2. Server: gunicorn with ``--workers`` workers (2) on loopback, production settings
   (``bench/scale_settings.py``: no TLS redirect, no request limits), and the floor
   (``bench/scale_wsgi.py``): ``/bench/floor/<path>`` runs the SQL statements the real endpoint
   ran for the same request, through the same connection, and returns the same JSON with
   ``json.dumps``.
3. Load: ``--clients`` threads, each with one keep-alive connection (``http.client``), ask one URL
   as fast as they can for ``--seconds``; the endpoint and its floor alternate, ``--rounds`` times
   each, so that the machine's other work weighs on both alike.

Prints a table (endpoint, req/s, p50, p95, the floor's, ratios, PASS/MISS per aim) and every
figure as ``key=value`` on its own line. The aims: for the API, at least half the floor's
throughput and a p95 within 2x the floor's; the list and search pages at most 3x the p95 of the
API request that lists the same.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / ".data" / "bench"
VENV_BIN = Path(sys.executable).parent
PYTHON = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tracker"


def say(line: str) -> None:
    print(line, flush=True)


# -- the database -------------------------------------------------------------------------------


@dataclass
class Server:
    """The PostgreSQL server of ``DATABASE_URL``."""

    url: str

    @property
    def name(self) -> str:
        return urlsplit(self.url).path.lstrip("/") or "tracker"

    def dsn(self, database: str) -> str:
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(scheme="postgresql", path="/" + database))

    def django_url(self, database: str) -> str:
        return urlunsplit(urlsplit(self.url)._replace(path="/" + database))

    def run(self, database: str, *statements: str) -> list[Any]:
        import psycopg2

        connection = psycopg2.connect(self.dsn(database))
        connection.autocommit = True
        rows: list[Any] = []
        try:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
                    rows = cursor.fetchall() if cursor.description else []
        finally:
            connection.close()
        return rows

    def exists(self, database: str) -> bool:
        return bool(self.run("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{database}'"))


def manage(server: Server, database: str, *args: str) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": server.django_url(database),
        "DJANGO_SETTINGS_MODULE": "tracker.settings.local",
        "DJANGO_DEBUG": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    started = time.monotonic()
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)
    say(f"# manage.py {args[0]}: {time.monotonic() - started:.1f} s")


def ensure_template(server: Server, size: int, rebuild: bool) -> str:
    """The template database of ``size`` imported recommendations, made when missing."""
    template = f"{server.name}_uhri_{size}"
    if server.exists(template) and not rebuild:
        return template
    feed = BENCH_DIR / f"uhri-{size}.json"
    if not feed.exists():
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from generate_feed import generate

        say(f"# generating {size:,} records into {feed}")
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        generate(size, feed)
    loading = f"{template}_loading"
    server.run(
        "postgres",
        f'DROP DATABASE IF EXISTS "{loading}" WITH (FORCE)',
        f'CREATE DATABASE "{loading}"',
    )
    manage(server, loading, "migrate", "--noinput", "-v", "0")
    manage(server, loading, "load_reference_data")
    manage(server, loading, "import_uhri", str(feed))
    server.run(loading, "VACUUM (ANALYZE)")
    # Renamed when complete: a half-loaded database never becomes the template.
    server.run(
        "postgres",
        f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)',
        f'ALTER DATABASE "{loading}" RENAME TO "{template}"',
    )
    return template


def working_database(server: Server, template: str) -> str:
    """A copy of the template with this code's migrations applied, analysed."""
    database = f"{template}_run"
    server.run(
        "postgres",
        f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)',
        f'CREATE DATABASE "{database}" TEMPLATE "{template}"',
    )
    manage(server, database, "migrate", "--noinput", "-v", "0")
    server.run(database, "VACUUM (ANALYZE)")
    return database


# -- the server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gunicorn(
    server: Server, database: str, port: int, workers: int
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": server.django_url(database),
        "DJANGO_SETTINGS_MODULE": "scale_settings",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-not-a-secret"),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    # The redis cache of production, when the environment names one; else each worker's memory.
    process = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "scale_wsgi:application",
            "--pythonpath",
            f"{BASE_DIR / 'bench'},{BASE_DIR}",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            status, _ = fetch(port, "/healthz")
            if status == 200:
                return process
        time.sleep(0.5)
    process.terminate()
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def fetch(port: int, path: str, conn: http.client.HTTPConnection | None = None) -> tuple[int, int]:
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers={"Accept-Language": "en"})
        response = conn.getresponse()
        body = response.read()
        return response.status, len(body)
    finally:
        if own:
            conn.close()


# -- the load -----------------------------------------------------------------------------------


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    errors: int = 0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        if len(self.latencies) == 1:
            return self.latencies[0]
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(p) - 1]

    def add(self, other: Sample) -> None:
        self.latencies += other.latencies
        self.seconds += other.seconds
        self.errors += other.errors


def hammer(port: int, path: str, clients: int, seconds: float) -> Sample:
    """``clients`` threads ask ``path`` over keep-alive connections for ``seconds``."""
    results: list[Sample] = [Sample() for _ in range(clients)]
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(sample: Sample) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        start.wait()
        while time.monotonic() < stop_at[0]:
            began = time.perf_counter()
            try:
                status, _ = fetch(port, path, conn)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                sample.errors += 1
                continue
            elapsed = time.perf_counter() - began
            if status == 200:
                sample.latencies.append(elapsed * 1000)
            else:
                sample.errors += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(s,)) for s in results]
    for thread in threads:
        thread.start()
    stop_at[0] = time.monotonic() + seconds
    began = time.monotonic()
    start.wait()
    for thread in threads:
        thread.join()
    total = Sample(seconds=time.monotonic() - began)
    for sample in results:
        total.latencies += sample.latencies
        total.errors += sample.errors
    return total


@dataclass
class Endpoint:
    key: str
    path: str
    kind: str  # "api": against its floor; "page": against the API endpoint named by ``api``
    api: str = ""


def endpoints(server: Server, database: str) -> list[Endpoint]:
    detail, theme = server.run(
        database,
        "SELECT (SELECT id FROM recommendations_recommendation"
        " WHERE publication_state = 'published' ORDER BY id"
        " OFFSET (SELECT count(*) / 2 FROM recommendations_recommendation) LIMIT 1),"
        " (SELECT theme_id FROM recommendations_recommendation_themes"
        " GROUP BY theme_id ORDER BY count(*) DESC OFFSET 5 LIMIT 1)",
    )[0]
    query = "q=women"
    filtered = f"family=upr&theme={theme}&position=supported"
    return [
        Endpoint("api_list", "/api/v1/recommendations/", "api"),
        Endpoint("api_filtered", f"/api/v1/recommendations/?{filtered}", "api"),
        Endpoint("api_search", f"/api/v1/recommendations/?{query}", "api"),
        Endpoint("api_deep_page", "/api/v1/recommendations/?page=2000", "api"),
        Endpoint("api_cursor", "/api/v1/recommendations/?cursor=", "api"),
        Endpoint("api_detail", f"/api/v1/recommendations/{detail}/", "api"),
        Endpoint("page_list", "/recommendations/", "page", api="api_list"),
        Endpoint("page_filtered", f"/recommendations/?{filtered}", "page", api="api_filtered"),
        Endpoint("page_search", f"/recommendations/?{query}", "page", api="api_search"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=268_000, help="recommendations (268000)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--seconds", type=float, default=8.0, help="seconds a turn (8)")
    parser.add_argument("--rounds", type=int, default=2, help="turns of each side (2)")
    parser.add_argument("--only", default="", help="comma-separated endpoint keys")
    parser.add_argument("--rebuild", action="store_true", help="import the template again")
    args = parser.parse_args(argv)

    server = Server(os.environ.get("DATABASE_URL") or DEFAULT_URL)
    started = time.monotonic()
    template = ensure_template(server, args.size, args.rebuild)
    database = working_database(server, template)
    say(f"# data ready in {time.monotonic() - started:.0f} s: {database} (from {template})")
    count = server.run(database, "SELECT count(*) FROM recommendations_recommendation")[0][0]
    say(f"recommendations={count}")

    port = free_port()
    process = start_gunicorn(server, database, port, args.workers)
    try:
        chosen = endpoints(server, database)
        if args.only:
            wanted = set(args.only.split(","))
            chosen = [
                e
                for e in chosen
                if e.key in wanted or e.key in {c.api for c in chosen if c.key in wanted}
            ]
        results: dict[str, tuple[Sample, Sample | None]] = {}
        for endpoint in chosen:
            paths = [endpoint.path]
            if endpoint.kind == "api":
                paths.append("/bench/floor" + endpoint.path)
            for path in paths:  # warm up: every worker, and the floor's recording
                for _ in range(args.workers * 2):
                    status, _size = fetch(port, path)
                    if status != 200:
                        raise RuntimeError(f"{path} answered {status}")
            real, floor = Sample(), Sample() if endpoint.kind == "api" else None
            for _ in range(args.rounds):
                real.add(hammer(port, endpoint.path, args.clients, args.seconds))
                if floor is not None:
                    floor.add(
                        hammer(port, "/bench/floor" + endpoint.path, args.clients, args.seconds)
                    )
            results[endpoint.key] = (real, floor)
            say(
                f"# {endpoint.key}: {len(real.latencies)} requests, p95 {real.percentile(95):.0f} ms"
            )
    finally:
        process.terminate()
        process.wait(timeout=30)

    report(chosen, results, args)
    return 0


def report(
    chosen: list[Endpoint], results: dict[str, tuple[Sample, Sample | None]], args: Any
) -> None:
    say("")
    say(
        f"{'endpoint':<15} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} | {'floor r/s':>9} "
        f"{'p50':>7} {'p95':>7} | {'thr ratio':>9} {'p95 ratio':>9}  aims"
    )
    lines: list[str] = []
    for endpoint in chosen:
        if endpoint.key not in results:
            continue
        real, floor = results[endpoint.key]
        p50, p95 = real.percentile(50), real.percentile(95)
        lines += [
            f"{endpoint.key}_path={endpoint.path}",
            f"{endpoint.key}_requests={len(real.latencies)} errors={real.errors}",
            f"{endpoint.key}_rps={real.throughput:.1f}",
            f"{endpoint.key}_p50_ms={p50:.1f}",
            f"{endpoint.key}_p95_ms={p95:.1f}",
        ]
        if floor is not None:
            f50, f95 = floor.percentile(50), floor.percentile(95)
            thr = real.throughput / floor.throughput if floor.throughput else 0.0
            lat = p95 / f95 if f95 else float("inf")
            aims = f"thr {'PASS' if thr >= 0.5 else 'MISS'}, p95 {'PASS' if lat <= 2 else 'MISS'}"
            say(
                f"{endpoint.key:<15} {real.throughput:7.1f} {p50:8.1f} {p95:8.1f} | "
                f"{floor.throughput:9.1f} {f50:7.1f} {f95:7.1f} | {thr:9.2f} {lat:9.2f}  {aims}"
            )
            lines += [
                f"{endpoint.key}_floor_rps={floor.throughput:.1f}",
                f"{endpoint.key}_floor_p50_ms={f50:.1f}",
                f"{endpoint.key}_floor_p95_ms={f95:.1f}",
                f"{endpoint.key}_throughput_ratio={thr:.2f} aim>=0.5 {aims.split(',')[0][4:]}",
                f"{endpoint.key}_p95_ratio={lat:.2f} aim<=2 {aims.split(',')[1][5:]}",
            ]
        else:
            api = results.get(endpoint.api)
            api95 = api[0].percentile(95) if api else float("nan")
            lat = p95 / api95 if api else float("nan")
            verdict = "PASS" if lat <= 3 else "MISS"
            say(
                f"{endpoint.key:<15} {real.throughput:7.1f} {p50:8.1f} {p95:8.1f} | "
                f"{'vs ' + endpoint.api:>25} | {'':>9} {lat:9.2f}  p95<=3x API {verdict}"
            )
            lines += [f"{endpoint.key}_p95_ratio_to_{endpoint.api}={lat:.2f} aim<=3 {verdict}"]
    say("")
    say(
        f"clients={args.clients} workers={args.workers} seconds={args.seconds} rounds={args.rounds}"
    )
    for line in lines:
        say(line)


if __name__ == "__main__":
    sys.exit(main())

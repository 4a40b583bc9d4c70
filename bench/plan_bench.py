"""Measure the plan's pages at two sizes: the planning matrix and the XLSX export.

    python bench/plan_bench.py [--sizes 500,5000] [--measures-per-recommendation 0.4]
                               [--repeat 3] [--keep-db]

For each size (recommendations in the plan; measures = 0.4 x that: 200 and 2,000 by default),
a plan is generated in the bench database (bulk inserts: recommendations with their English
texts in 10 clusters, 20 institutions, measures each addressing 2-3 recommendations with 2
supporting institutions, 2 milestones, a budget line and an indicator), then each figure is
taken in a process of its own, so that the peak memory is that step's:

* ``export_<n>_s``: ``plans.spreadsheet.export_plan`` as the secretariat into a file (the best
  of ``--repeat``), ``export_<n>_peak_mb`` the peak resident memory of the export process, and
  ``export_<n>_growth_mb`` how much it grew during the exports (the peak is reset before them
  through ``/proc/self/clear_refs``), the figure that says whether memory stays flat;
* ``matrix_<n>_s``: the planning matrix (URL name ``plans:plan-matrix``) fetched by Django's test
  client as the secretariat (best of ``--repeat``, after one warm-up request); ``matrix_<n>=
  unavailable`` when the URL does not exist yet;
* ``*_ratio``: the larger size's time over the smaller's (linear: 10 for 500 and 5,000).

The database is ``<name>_planbench`` next to ``DATABASE_URL`` (default ``tracker_planbench`` on
postgres@127.0.0.1:5432), dropped and created on every run (``--keep-db`` keeps it afterwards).
The steps run with ``tracker.settings.local`` and ``DJANGO_DEBUG=false``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tracker"


def bench_url() -> str:
    url = urlsplit(os.environ.get("DATABASE_URL") or DEFAULT_URL)
    name = url.path.lstrip("/") or "tracker"
    return urlunsplit(url._replace(path=f"/{name}_planbench"))


def _env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="tracker.settings.local",
        DJANGO_DEBUG="false",
        DJANGO_ALLOWED_HOSTS="testserver,localhost",
        PYTHONPATH=str(BASE_DIR),
    )
    return env


def _run(args: list[str], url: str) -> dict[str, Any]:
    """Run a step of this file in its own process; its last line of output is JSON."""
    done = subprocess.run(  # noqa: S603 (our own script)
        [PYTHON, __file__, *args],
        env=_env(url),
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"step {args[0]} failed ({done.returncode})")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _database(url: str, *, create: bool) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


# --- steps, each in its own process -------------------------------------------------------------


def _setup() -> None:
    import django

    django.setup()


def _rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def step_generate(recommendations: int, measures: int) -> dict[str, Any]:
    """A plan of ``measures`` measures addressing ``recommendations`` recommendations."""
    _setup()
    from datetime import date
    from decimal import Decimal

    from django.db import transaction

    from plans.models import (
        BudgetLine,
        ImplementationPlan,
        Indicator,
        Measure,
        Milestone,
    )
    from recommendations.models import (
        Cluster,
        Document,
        Mechanism,
        MechanismFamily,
        PublicationState,
        Recommendation,
        RecommendationText,
    )
    from tracker.models import Country, Institution, InstitutionKind, Membership, User
    from tracker.roles import Role

    tag = f"{recommendations}"
    with transaction.atomic():
        country, _ = Country.objects.get_or_create(
            iso3="KEN", defaults={"iso2": "KE", "names": {"en": "Kenya"}}
        )
        mechanism, _ = Mechanism.objects.get_or_create(
            code="UPR", defaults={"family": MechanismFamily.UPR, "names": {"en": "UPR"}}
        )
        institutions = Institution.objects.bulk_create(
            Institution(
                name=f"Ministry {tag}-{i}", acronym=f"M{tag}-{i}", kind=InstitutionKind.MINISTRY
            )
            for i in range(20)
        )
        secretariat, _ = User.objects.get_or_create(username="bench-secretariat")
        Membership.objects.get_or_create(
            user=secretariat, institution=institutions[0], role=Role.SECRETARIAT
        )
        clusters = Cluster.objects.bulk_create(
            Cluster(name=f"Cluster {tag}-{i}", lead_institution=institutions[i]) for i in range(10)
        )
        documents = Document.objects.bulk_create(
            Document(symbol=f"A/HRC/BENCH/{tag}/{i}", mechanism=mechanism, country=country)
            for i in range(max(1, recommendations // 200))
        )
        recs = []
        for i in range(recommendations):
            paragraph = f"{100 + i // 200}.{i % 200 + 1}"
            recs.append(
                Recommendation(
                    document=documents[i % len(documents)],
                    paragraph=paragraph,
                    paragraph_sort=Recommendation.paragraph_sort_key(paragraph),
                    cluster=clusters[i % len(clusters)],
                    publication_state=PublicationState.PUBLISHED,
                )
            )
        recs = Recommendation.objects.bulk_create(recs, batch_size=2000)
        RecommendationText.objects.bulk_create(
            (
                RecommendationText(
                    recommendation=rec,
                    language="en",
                    text=f"{rec.paragraph} Take measures to guarantee the right number {n} "
                    "to everyone, in law and in practice, and allocate the resources needed.",
                )
                for n, rec in enumerate(recs)
            ),
            batch_size=2000,
        )
        plan = ImplementationPlan.objects.create(
            title=f"Bench plan {tag}", starts_on=date(2025, 1, 1), ends_on=date(2029, 12, 31)
        )
        rows = Measure.objects.bulk_create(
            (
                Measure(
                    plan=plan,
                    title=f"Measure {i}: adopt and apply the law on the subject {i}",
                    description="What is done, by whom, how. " * 5,
                    lead_institution=institutions[i % 20],
                    starts_on=date(2025, 1, 1),
                    ends_on=date(2027, 12, 31),
                    expected_outcome="The law is applied throughout the country.",
                    position=i,
                )
                for i in range(measures)
            ),
            batch_size=2000,
        )
        links = Measure.recommendations.through
        links.objects.bulk_create(
            (
                links(measure_id=rows[n % measures].pk, recommendation_id=rec.pk)
                for n, rec in enumerate(recs)
            ),
            batch_size=5000,
        )
        supporting = Measure.supporting_institutions.through
        supporting.objects.bulk_create(
            (
                supporting(measure_id=m.pk, institution_id=institutions[(i + k) % 20].pk)
                for i, m in enumerate(rows)
                for k in (1, 2)
            ),
            batch_size=5000,
        )
        Milestone.objects.bulk_create(
            (
                Milestone(measure=m, title=f"Step {k}", due_on=date(2025 + k, 6, 30))
                for m in rows
                for k in (0, 1)
            ),
            batch_size=5000,
        )
        BudgetLine.objects.bulk_create(
            (
                BudgetLine(
                    measure=m,
                    amount=Decimal(1000 * (i % 97 + 1)),
                    currency="KES",
                    funding_source="State budget",
                )
                for i, m in enumerate(rows)
            ),
            batch_size=5000,
        )
        Indicator.objects.bulk_create(
            (
                Indicator(measure=m, name=f"Indicator of measure {i}", kind="process", unit="%")
                for i, m in enumerate(rows)
            ),
            batch_size=5000,
        )
    # The planner's statistics, as autovacuum gathers them on a database in use: without them a
    # table filled a moment ago looks empty and the first reads get plans for empty tables.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"plan": plan.pk, "user": secretariat.pk}


def step_export(plan_id: int, user_id: int, repeat: int) -> dict[str, Any]:
    _setup()
    import tempfile

    from plans.models import ImplementationPlan
    from plans.spreadsheet import export_plan
    from tracker.models import User

    plan = ImplementationPlan.objects.get(pk=plan_id)
    user = User.objects.get(pk=user_id)
    before = _rss_mb("VmRSS")
    reset = _reset_peak()
    best = float("inf")
    size = 0
    for _ in range(repeat):
        with tempfile.TemporaryFile() as out:
            started = time.perf_counter()
            export_plan(actor=user, plan=plan, stream=out)
            best = min(best, time.perf_counter() - started)
            size = out.tell()
    peak = _rss_mb("VmHWM")
    return {
        "s": round(best, 3),
        "peak_mb": round(peak, 1),
        "growth_mb": round(peak - before, 1) if reset else None,
        "bytes": size,
    }


def step_matrix(plan_id: int, user_id: int, repeat: int) -> dict[str, Any]:
    _setup()
    from django.conf import settings
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from tracker.models import User

    try:
        url = reverse("plans:plan-matrix", args=[plan_id])
    except NoReverseMatch:
        return {"unavailable": True}
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    status = client.get(url).status_code  # warm-up: templates, caches, connections
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
        best = min(best, time.perf_counter() - started)
    return {"s": round(best, 3), "status": status, "bytes": len(body)}


# --- the run ------------------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--sizes", default="500,5000", help="recommendations per plan, comma-separated")
    p.add_argument("--measures-per-recommendation", type=float, default=0.4)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--keep-db", action="store_true")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("generate", "export", "matrix"):
        step, *numbers = argv
        values = [int(n) for n in numbers]
        if step == "generate":
            result = step_generate(*values)
        elif step == "export":
            result = step_export(*values)
        else:
            result = step_matrix(*values)
        print(json.dumps(result))
        return 0
    options = parser().parse_args(argv)
    sizes = [int(s) for s in options.sizes.split(",")]
    url = bench_url()

    def say(key: str, value: Any) -> None:
        print(f"{key}={value}", flush=True)

    say("database", urlsplit(url).path.lstrip("/"))
    _database(url, create=True)
    try:
        started = time.perf_counter()
        subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"],
            env=_env(url),
            cwd=BASE_DIR,
            check=True,
        )
        say("migrate_s", round(time.perf_counter() - started, 1))
        figures: dict[str, dict[str, Any]] = {}
        for size in sizes:
            measures = max(1, round(size * options.measures_per_recommendation))
            started = time.perf_counter()
            made = _run(["generate", str(size), str(measures)], url)
            say(f"plan_{size}", f"{size} recommendations, {measures} measures")
            say(f"generate_{size}_s", round(time.perf_counter() - started, 1))
            export = _run(
                ["export", str(made["plan"]), str(made["user"]), str(options.repeat)], url
            )
            matrix = _run(
                ["matrix", str(made["plan"]), str(made["user"]), str(options.repeat)], url
            )
            figures[str(size)] = {"export": export, "matrix": matrix}
            say(f"export_{size}_s", export["s"])
            say(f"export_{size}_peak_mb", export["peak_mb"])
            say(f"export_{size}_growth_mb", export["growth_mb"])
            say(f"export_{size}_bytes", export["bytes"])
            if matrix.get("unavailable"):
                say(f"matrix_{size}", "unavailable (no URL named plans:plan-matrix yet)")
            else:
                say(f"matrix_{size}_s", matrix["s"])
                say(f"matrix_{size}_status", matrix["status"])
        if len(sizes) >= 2:
            small, large = str(sizes[0]), str(sizes[-1])
            ratio = round(
                figures[large]["export"]["s"] / max(figures[small]["export"]["s"], 1e-6), 2
            )
            say("export_ratio", ratio)
            growth = (figures[small]["export"]["growth_mb"], figures[large]["export"]["growth_mb"])
            if None not in growth:
                say("export_growth_difference_mb", round(growth[1] - growth[0], 1))
            if not figures[large]["matrix"].get("unavailable"):
                matrix_ratio = figures[large]["matrix"]["s"] / max(
                    figures[small]["matrix"]["s"], 1e-6
                )
                say("matrix_ratio", round(matrix_ratio, 2))
    finally:
        if not options.keep_db:
            _database(url, create=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Measure the report drafts: each report in each format for 500 and for 5,000 recommendations,
wall time and peak memory of ``build_report`` (one subprocess a step), and the 5,000/500 ratios
(aim: at most 10, i.e. linear).

    python bench/report_bench.py [--small 500] [--large 5000] [--kinds upr-midterm,...]
                                 [--formats docx,pdf,xlsx]

The database is ``<name>_report_bench`` next to ``DATABASE_URL``, made anew for each size.
Each figure is printed on its own line: ``report_<kind>_<format>_<n>_wall_s=…``,
``…_peak_mb=…`` and ``report_<kind>_<format>_wall_ratio=…``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_bench import BASE_DIR, PYTHON, BenchDatabase, django_env, manage, measure

KINDS = ("upr-midterm", "treaty-followup", "thematic-matrix")
FORMATS = ("docx", "pdf", "xlsx")


def seed(count: int) -> None:
    """In a child with Django set up: ``count`` UPR and ``count // 10`` CRC recommendations,
    one measure for every five with an indicator and a value, and the committee's follow-up
    selection of one CRC paragraph in four (what ``treaty-followup`` reports on)."""
    import datetime
    from decimal import Decimal

    import django

    django.setup()
    from plans.models import ImplementationPlan, Indicator, IndicatorValue, Measure, PlanState
    from recommendations.models import (
        Cluster,
        Document,
        Mechanism,
        MechanismFamily,
        Position,
        PublicationState,
        Recommendation,
        RecommendationText,
        ReviewCycle,
        Theme,
    )
    from tracker.models import Institution

    upr, _ = Mechanism.objects.get_or_create(
        code="UPR", defaults={"family": MechanismFamily.UPR, "names": {"en": "UPR"}}
    )
    crc, _ = Mechanism.objects.get_or_create(
        code="CRC", defaults={"family": MechanismFamily.TREATY_BODY, "names": {"en": "CRC"}}
    )
    cycle, _ = ReviewCycle.objects.get_or_create(mechanism=upr, number=4)
    institution = Institution.objects.create(name="Bench ministry", kind="ministry")
    clusters = [
        Cluster.objects.create(name=f"Cluster {n}", lead_institution=institution) for n in range(12)
    ]
    themes = [Theme.objects.get_or_create(name=f"Bench theme {n}")[0] for n in range(20)]
    plan = ImplementationPlan.objects.create(
        title="Bench plan",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2029, 12, 31),
        state=PlanState.ADOPTED,
        adopted_on=datetime.date(2025, 3, 1),
    )

    def make(document: Document, n: int, prefix: str) -> list[Recommendation]:
        rows = Recommendation.objects.bulk_create(
            Recommendation(
                document=document,
                paragraph=f"{prefix}.{i}",
                paragraph_sort=Recommendation.paragraph_sort_key(f"{prefix}.{i}"),
                position=Position.SUPPORTED,
                publication_state=PublicationState.PUBLISHED,
                cluster=clusters[i % len(clusters)],
            )
            for i in range(1, n + 1)
        )
        RecommendationText.objects.bulk_create(
            RecommendationText(
                recommendation=r,
                language="en",
                text=f"Recommendation {r.paragraph}: strengthen the independence of the judiciary "
                "and guarantee access to justice for all, including persons with disabilities.",
            )
            for r in rows
        )
        through = Recommendation.themes.through
        through.objects.bulk_create(
            through(recommendation=r, theme=themes[i % len(themes)]) for i, r in enumerate(rows)
        )
        return rows

    upr_rows = make(
        Document.objects.create(symbol="A/HRC/58/99", mechanism=upr, cycle=cycle), count, "136"
    )
    crc_rows = make(
        Document.objects.create(
            symbol="CRC/C/BEN/CO/5-6", mechanism=crc, publication_date=datetime.date(2024, 1, 1)
        ),
        max(count // 10, 1),
        "18",
    )
    rows = upr_rows + crc_rows
    measures = Measure.objects.bulk_create(
        Measure(plan=plan, title=f"Measure {i}", lead_institution=institution, position=i)
        for i in range(0, len(rows), 5)
    )
    link = Measure.recommendations.through
    link.objects.bulk_create(
        link(measure=measures[i // 5], recommendation=r) for i, r in enumerate(rows)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            measure=m, name=f"Indicator of {m.title}", kind="process", baseline_value=Decimal(1)
        )
        for m in measures
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=i, period="2025", value=Decimal(7)) for i in indicators
    )
    from reporting.services import follow_up_selection_create

    follow_up_selection_create(
        actor=None,
        document=crc_rows[0].document,
        recommendations=crc_rows[::4],
        due_on=datetime.date(2026, 6, 1),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", type=int, default=500)
    parser.add_argument("--large", type=int, default=5000)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--child-seed", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.child_seed is not None:
        seed(options.child_seed)
        return 0
    parts = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/tracker")
    name = (parts.path.lstrip("/") or "tracker") + "_report_bench"
    db = BenchDatabase(urlunsplit(parts._replace(path="/" + name)))
    walls: dict[tuple[str, str, int], float] = {}
    kinds, formats = options.kinds.split(","), options.formats.split(",")
    for size in (options.small, options.large):
        db.recreate()
        manage(db, "migrate", "--no-input")
        subprocess.run(  # noqa: S603
            [PYTHON, "bench/report_bench.py", "--child-seed", str(size)],
            cwd=BASE_DIR,
            env=django_env(db),
            check=True,
        )
        with tempfile.TemporaryDirectory() as out:
            for kind in kinds:
                for fmt in formats:
                    extra = ["--mechanism", "CRC"] if kind == "treaty-followup" else []
                    result = measure(
                        f"report_{kind}_{fmt}_{size}",
                        [
                            PYTHON,
                            "manage.py",
                            "build_report",
                            kind,
                            "--format",
                            fmt,
                            "--out",
                            str(Path(out) / f"r.{fmt}"),
                            *extra,
                        ],
                        env=django_env(db),
                    )
                    walls[(kind, fmt, size)] = result.wall_s
                    key = f"report_{kind.replace('-', '_')}_{fmt}_{size}"
                    print(f"{key}_wall_s={result.wall_s:.2f}", flush=True)
                    print(f"{key}_peak_mb={result.peak_mb:.0f}", flush=True)
    for kind in kinds:
        for fmt in formats:
            ratio = walls[(kind, fmt, options.large)] / max(walls[(kind, fmt, options.small)], 1e-9)
            print(f"report_{kind.replace('-', '_')}_{fmt}_wall_ratio={ratio:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Shared helpers of the import tests: the fixture feeds, running an import, reading the result."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from recommendations.models import ImportRun, Recommendation
from recommendations.services import import_run_create, import_run_execute
from tests.fixtures.uhri import make_xlsx
from tracker.models import Country

FIXTURES = make_xlsx.HERE
FEED_JSON = make_xlsx.FEED_JSON
FEED_CSV = make_xlsx.FEED_CSV
_RECORDS = make_xlsx.load_records()


def feed_records() -> list[dict[str, Any]]:
    """A fresh copy of the records of ``feed.json``, to modify at will."""
    return copy.deepcopy(_RECORDS)


def write_json(path: Path, records: Any) -> Path:
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def run_import(
    source: Path | str,
    *,
    format: str = "",
    country: str | None = None,
    dry_run: bool = False,
    batch_size: int | None = None,
) -> ImportRun:
    """Create an import run for a local file and execute it in-process, as the command does."""
    run = import_run_create(
        actor=None,
        source=str(source),
        format=format,
        country=Country.objects.get(iso3=country) if country else None,
        dry_run=dry_run,
        enqueue=False,
    )
    return import_run_execute(import_run_id=run.pk, batch_size=batch_size)


def describe(recommendation: Recommendation) -> dict[str, Any]:
    """What an import sets on a recommendation, in a form that compares across imports."""
    [text] = [t for t in recommendation.texts.all() if t.language == "en"]
    document = recommendation.document
    return {
        "annotation_id": str(recommendation.annotation_id),
        "symbol": document.symbol,
        "mechanism": document.mechanism.code,
        "document_country": document.country.iso3 if document.country_id else None,
        "publication_date": document.publication_date,
        "cycle": document.cycle.number if document.cycle_id else None,
        "paragraph": recommendation.paragraph,
        "annotation_type": recommendation.annotation_type,
        "position": recommendation.position,
        "themes": sorted(t.name for t in recommendation.themes.all()),
        "affected_groups": sorted(g.name for g in recommendation.affected_groups.all()),
        "sdg_targets": sorted(t.code for t in recommendation.sdg_targets.all()),
        "recommending_states": sorted(c.iso3 for c in recommendation.recommending_states.all()),
        "text": text.text,
        "html": text.html,
    }


def imported() -> dict[str, dict[str, Any]]:
    """``describe`` of every imported recommendation, by annotation id."""
    recommendations = (
        Recommendation.objects.filter(annotation_id__isnull=False)
        .select_related("document__mechanism", "document__country", "document__cycle")
        .prefetch_related(
            "texts", "themes", "affected_groups", "sdg_targets", "recommending_states"
        )
    )
    return {str(r.annotation_id): describe(r) for r in recommendations}


def snapshot() -> dict[str, tuple[Any, ...]]:
    """Every stored field an import could touch, by annotation id: to check that nothing moved."""
    rows = Recommendation.objects.filter(annotation_id__isnull=False).values_list(
        "annotation_id",
        "content_hash",
        "version",
        "updated_at",
        "withdrawn_at",
        "is_current",
        "paragraph",
        "position",
        "annotation_type",
        "texts__text",
        "texts__html",
    )
    return {str(row[0]): row[1:] for row in rows}

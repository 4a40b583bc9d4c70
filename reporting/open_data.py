"""Open data: the published recommendations as csv, json and in the UHRI export's own shape
(which ``import_uhri`` reads back), and the adopted plan's measures as csv.

Everything is read in chunks and streamed, so memory stays flat whatever the number of rows.
Only what the public may see is exported (the public portal's selectors, ``actor=None``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet

from plans import policies as plan_policies
from plans.models import Measure, PlanState
from recommendations import policies as recommendation_policies
from recommendations.importers.records import paragraph_of
from recommendations.models import (
    AnnotationType,
    MechanismFamily,
    Position,
    Recommendation,
    RecommendationText,
    SdgTarget,
)

CHUNK = 1000
LICENCE = "CC-BY-4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
# Manual entries have no UHRI annotation id: the export gives them a stable one, made from this
# namespace and their id, so that an importer recognises them on the next export.
MANUAL_NAMESPACE = uuid.UUID("6f7c3c59-2a55-4f0b-9a43-5c1e8b0a7d21")

RECOMMENDATION_COLUMNS = (
    "id",
    "annotation_id",
    "document_symbol",
    "paragraph",
    "mechanism",
    "review_cycle",
    "type",
    "text",
    "recommending_states",
    "position",
    "themes",
    "affected_groups",
    "sdg_targets",
    "cluster",
    "status",
    "publication_date",
)


def published_recommendations() -> QuerySet[Recommendation]:
    """What the public may see, in a stable order, with what an export writes."""
    return (
        recommendation_policies.visible_recommendations(None)
        .select_related("document__mechanism", "document__cycle", "document__country", "cluster")
        .defer("raw_record", "national_notes", "status_override_reason")
        .order_by("id")
    )


def _chunks(qs: QuerySet[Recommendation]) -> Iterator[Recommendation]:
    """The rows in chunks of ``CHUNK``, each with its relations prefetched (keyset pages)."""
    last = 0
    while True:
        page = list(
            qs.filter(pk__gt=last).prefetch_related(
                Prefetch(
                    "texts",
                    queryset=RecommendationText.objects.filter(language="en").defer(
                        "search_vector"
                    ),
                    to_attr="english",
                ),
                "recommending_states",
                "themes",
                "affected_groups",
                Prefetch("sdg_targets", queryset=SdgTarget.objects.order_by("sort_key")),
            )[:CHUNK]
        )
        if not page:
            return
        yield from page
        last = page[-1].pk


def _text(row: Recommendation) -> str:
    texts = row.english  # type: ignore[attr-defined]
    return texts[0].text if texts else ""


def _record(row: Recommendation) -> dict[str, Any]:
    document = row.document
    return {
        "id": row.pk,
        "annotation_id": str(row.annotation_id) if row.annotation_id else None,
        "document_symbol": document.symbol,
        "paragraph": row.paragraph,
        "mechanism": document.mechanism.code,
        "review_cycle": document.cycle.number if document.cycle_id and document.cycle else None,
        "type": row.annotation_type,
        "text": _text(row),
        "recommending_states": [c.iso3 for c in row.recommending_states.all()],
        "position": row.position,
        "themes": [t.name for t in row.themes.all()],
        "affected_groups": [g.name for g in row.affected_groups.all()],
        "sdg_targets": [t.code for t in row.sdg_targets.all()],
        "cluster": row.cluster.name if row.cluster_id and row.cluster else "",
        "status": row.status,
        "publication_date": (
            document.publication_date.isoformat() if document.publication_date else None
        ),
    }


def recommendation_rows() -> Iterator[list[Any]]:
    """One csv row per published recommendation (lists joined with "; ")."""
    for row in _chunks(published_recommendations()):
        record = _record(row)
        yield [
            "; ".join(v) if isinstance(v, list) else ("" if v is None else v)
            for v in (record[c] for c in RECOMMENDATION_COLUMNS)
        ]


def _json_array(items: Iterator[dict[str, Any]]) -> Iterator[str]:
    yield "["
    first = True
    for item in items:
        yield ("\n" if first else ",\n") + json.dumps(item, ensure_ascii=False)
        first = False
    yield "\n]\n"


def recommendations_json() -> Iterator[str]:
    return _json_array(_record(row) for row in _chunks(published_recommendations()))


POSITIONS = {
    Position.SUPPORTED: "Supported",
    Position.SUPPORTED_IN_PART: "Supported in part",
    Position.NOTED: "Noted",
}


def _uhri_record(row: Recommendation) -> dict[str, Any]:
    """A recommendation as the UHRI export writes it (``recommendations/importers/records.py``
    reads these keys)."""
    document = row.document
    texts = row.english  # type: ignore[attr-defined]
    # The sanitised HTML when the source had markup (the importer derives the plain text from it).
    text = (texts[0].html or texts[0].text) if texts else ""
    if row.paragraph and paragraph_of(_text(row)) != row.paragraph:
        # UHRI writes the paragraph number in the text; the importer reads it from there.
        text = f"{row.paragraph} {text}"
    record: dict[str, Any] = {
        "AnnotationId": str(row.annotation_id or uuid.uuid5(MANUAL_NAMESPACE, str(row.pk))),
        "Text": text,
        "Symbol": document.symbol,
        "Body": document.mechanism.code,
        "AnnotationType": (
            "Recommendations"
            if row.annotation_type == AnnotationType.RECOMMENDATION
            else "Concerns/Observations"
        ),
        "PublicationDate": (
            f"{document.publication_date.isoformat()}T00:00:00Z"
            if document.publication_date
            else None
        ),
        "Countries": [document.country.names.get("en") or document.country.iso3]
        if document.country_id and document.country
        else [],
        "Themes": [t.name for t in row.themes.all()],
        "AffectedPersons": [g.name for g in row.affected_groups.all()],
        "Sdgs": [
            f"{t.code} - {t.titles.get('en', '')}".rstrip(" -") for t in row.sdg_targets.all()
        ],
    }
    if document.uhri_document_id:
        record["DocumentId"] = str(document.uhri_document_id)
    if document.mechanism.family == MechanismFamily.UPR:
        record["UprRecommendingStates"] = [
            c.names.get("en") or c.iso3 for c in row.recommending_states.all()
        ]
        cycle = document.cycle if document.cycle_id else None
        if cycle is not None and cycle.session:
            record["UprSession"] = f"{cycle.session}th Session"
        elif cycle is not None:
            record["UprCycle"] = f"{cycle.number}th cycle"
        record["UprPosition"] = POSITIONS.get(row.position, "")  # type: ignore[call-overload]
    return record


def uhri_json() -> Iterator[str]:
    return _json_array(_uhri_record(row) for row in _chunks(published_recommendations()))


MEASURE_COLUMNS = (
    "plan",
    "measure_id",
    "title",
    "kind",
    "lead_institution",
    "starts_on",
    "ends_on",
    "status",
    "recommendations",
    "sdg_targets",
    "budget_planned",
    "budget_committed",
    "budget_spent",
    "currency",
)


def published_plan_measures() -> QuerySet[Measure]:
    """The measures of the adopted plans, as the public sees them."""
    return (
        plan_policies.visible_measures(None)
        .filter(plan__state=PlanState.ADOPTED)
        .select_related("plan", "lead_institution")
        .prefetch_related(
            Prefetch(
                "recommendations",
                queryset=recommendation_policies.visible_recommendations(None).select_related(
                    "document"
                ),
            ),
            "sdg_targets",
            "budget_lines",
        )
        .order_by("plan_id", "position", "id")
    )


def measure_rows() -> Iterator[list[Any]]:
    for measure in published_plan_measures().iterator(chunk_size=CHUNK):
        lines = list(measure.budget_lines.all())
        currencies = sorted({line.currency for line in lines})
        yield [
            measure.plan.title,
            measure.pk,
            measure.title,
            measure.kind,
            measure.lead_institution.name if measure.lead_institution else "",
            measure.starts_on.isoformat() if measure.starts_on else "",
            measure.ends_on.isoformat() if measure.ends_on else "",
            measure.status,
            "; ".join(str(r) for r in measure.recommendations.all()),
            "; ".join(t.code for t in measure.sdg_targets.all()),
            sum(line.amount for line in lines) if len(currencies) == 1 else "",
            sum(line.committed for line in lines) if len(currencies) == 1 else "",
            sum(line.spent for line in lines) if len(currencies) == 1 else "",
            "; ".join(currencies),
        ]

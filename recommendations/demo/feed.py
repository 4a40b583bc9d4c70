"""The planned recommendations as a UHRI export: the records ``import_uhri`` reads.

Pure, like the planner. The ids are UUIDs derived from the State, the symbol and the paragraph,
so that the same plan gives the same records and a second import finds its rows again.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from recommendations.models import AnnotationType, Position

from .planner import Plan

# The namespace of the demo's UHRI ids (uuid5). Never change it: loaded demo rows are found again
# by these ids.
DEMO_NAMESPACE = uuid.UUID("6f1b6e2c-3d0a-5b8e-9c47-2a1d5e8f0b93")
UHRI_POSITIONS: dict[str, str] = {
    Position.SUPPORTED: "Supported",
    Position.SUPPORTED_IN_PART: "Supported in part",
    Position.NOTED: "Noted",
}
UHRI_ANNOTATION_TYPES: dict[str, str] = {
    AnnotationType.RECOMMENDATION: "Recommendations",
    AnnotationType.CONCERN: "Concerns/Observations",
}


def annotation_id(iso3: str, symbol: str, paragraph: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, f"recommendation {iso3} {symbol} {paragraph}")


def document_id(iso3: str, symbol: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, f"document {iso3} {symbol}")


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def uhri_records(
    plan: Plan, *, iso3: str, state_name: str, country_names: Mapping[str, str]
) -> list[dict[str, Any]]:
    """One UHRI record per planned recommendation, in the plan's order. ``country_names`` gives
    the recommending States' names (by ISO alpha-3 code) as UHRI writes them."""
    documents = {doc.symbol: doc for doc in plan.documents}
    records = []
    for rec in plan.recommendations:
        doc = documents[rec.symbol]
        record: dict[str, Any] = {
            "AnnotationId": str(annotation_id(iso3, rec.symbol, rec.paragraph)),
            "Text": rec.html,
            "Symbol": rec.symbol,
            "DocumentId": str(document_id(iso3, rec.symbol)),
            "Body": doc.mechanism,
            "AnnotationType": UHRI_ANNOTATION_TYPES[rec.annotation_type],
            "PublicationDate": doc.publication_date.isoformat(),
            "Countries": [state_name],
            "Themes": list(rec.themes),
            "AffectedPersons": list(rec.groups),
            "Sdgs": list(rec.sdgs),
        }
        if doc.upr_session is not None:
            record["UprSession"] = f"{_ordinal(doc.upr_session)} Session"
            record["UprRecommendingStates"] = [country_names[code] for code in rec.states]
            record["UprPosition"] = UHRI_POSITIONS.get(rec.position, "")
        records.append(record)
    return records

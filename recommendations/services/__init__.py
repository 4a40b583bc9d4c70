"""Every write to recommendations goes through a service: policy check, audit context (each public
function is ``@audited``), then the change. By topic: ``imports`` (UHRI feeds) and ``follow_up``
(the NMRF's own fields, texts and links)."""

from __future__ import annotations

from .follow_up import (
    NATIONAL_FIELDS,
    TextInput,
    document_update,
    recommendation_link_related,
    recommendation_link_related_bulk,
    recommendation_set_national_fields,
    recommendation_set_national_fields_bulk,
    recommendation_text_set,
    recommendation_text_set_bulk,
    review_cycle_get_or_create,
)
from .imports import (
    import_run_apply,
    import_run_create,
    import_run_execute,
    import_run_give_up,
    import_runs_sweep,
    import_uploads_purge,
)

__all__ = [
    "NATIONAL_FIELDS",
    "TextInput",
    "document_update",
    "import_run_apply",
    "import_run_create",
    "import_run_execute",
    "import_run_give_up",
    "import_runs_sweep",
    "import_uploads_purge",
    "recommendation_link_related",
    "recommendation_link_related_bulk",
    "recommendation_set_national_fields",
    "recommendation_set_national_fields_bulk",
    "recommendation_text_set",
    "recommendation_text_set_bulk",
    "review_cycle_get_or_create",
]

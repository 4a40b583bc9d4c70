"""Every write to recommendations goes through a service: policy check, audit context (each public
function is ``@audited``), then the change. By topic: ``imports`` (UHRI feeds), ``feeds`` (the scheduled import), ``follow_up``
(the NMRF's own fields, texts and links), ``clusters``, ``related``, ``taxonomy`` (review
of what imports created) and ``manual`` (recommendations entered by hand)."""

from __future__ import annotations

from .clusters import (
    cluster_create,
    cluster_recommendations_change,
    cluster_suggestion_accept,
    cluster_update,
    recommendation_cluster_assign,
)
from .feeds import import_runs_schedule
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
from .manual import ManualRecommendation, SourceDocument, recommendation_create_manual
from .related import (
    recommendation_unlink_related,
    related_suggestion_confirm,
    related_suggestion_dismiss,
)
from .taxonomy import (
    TERM_MODELS,
    taxonomy_term_accept,
    taxonomy_term_merge,
    taxonomy_term_rename,
)

__all__ = [
    "NATIONAL_FIELDS",
    "TERM_MODELS",
    "ManualRecommendation",
    "SourceDocument",
    "TextInput",
    "cluster_create",
    "cluster_recommendations_change",
    "cluster_suggestion_accept",
    "cluster_update",
    "document_update",
    "import_run_apply",
    "import_run_create",
    "import_run_execute",
    "import_run_give_up",
    "import_runs_schedule",
    "import_runs_sweep",
    "import_uploads_purge",
    "recommendation_cluster_assign",
    "recommendation_create_manual",
    "recommendation_link_related",
    "recommendation_link_related_bulk",
    "recommendation_set_national_fields",
    "recommendation_set_national_fields_bulk",
    "recommendation_text_set",
    "recommendation_text_set_bulk",
    "recommendation_unlink_related",
    "related_suggestion_confirm",
    "related_suggestion_dismiss",
    "review_cycle_get_or_create",
    "taxonomy_term_accept",
    "taxonomy_term_merge",
    "taxonomy_term_rename",
]

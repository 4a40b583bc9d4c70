"""Every write of the reporting app."""

from .calendar import obligation_create, obligation_mark_submitted
from .follow_up import (
    follow_up_selection_create,
    follow_up_selection_delete,
    follow_up_selection_update,
)
from .reports import report_job_create, report_job_run, report_jobs_sweep, report_write

__all__ = [
    "follow_up_selection_create",
    "follow_up_selection_delete",
    "follow_up_selection_update",
    "obligation_create",
    "obligation_mark_submitted",
    "report_job_create",
    "report_job_run",
    "report_jobs_sweep",
    "report_write",
]

"""Every write of the reporting app."""

from .calendar import obligation_create, obligation_mark_submitted
from .reports import report_job_create, report_job_run, report_write

__all__ = [
    "obligation_create",
    "obligation_mark_submitted",
    "report_job_create",
    "report_job_run",
    "report_write",
]

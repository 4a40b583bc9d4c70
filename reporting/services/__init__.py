"""Every write of the reporting app."""

from .reports import report_job_create, report_job_run, report_write

__all__ = ["report_job_create", "report_job_run", "report_write"]

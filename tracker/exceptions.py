"""Errors that services raise for the interfaces (pages, API, tasks) to report."""

from __future__ import annotations


class ApplicationError(Exception):
    """A request that breaks a business rule. ``extra`` carries details for the client."""

    def __init__(self, message: str, extra: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class ConflictError(ApplicationError):
    """The record changed since the client read it (optimistic locking)."""

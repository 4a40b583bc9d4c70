"""Project package and shared core: identity, roles, institutions, countries, audit, API plumbing."""

from .celery import app as celery_app

__all__ = ("celery_app",)

"""Request types of our views."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that passed django-htmx's middleware: ``request.htmx`` tells an htmx request."""

    htmx: HtmxDetails

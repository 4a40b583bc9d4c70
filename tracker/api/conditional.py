"""Conditional requests on the API: every successful GET answer carries an ``ETag`` (a view may
set its own, as a record's version; otherwise a hash of the body), and a request whose
``If-None-Match`` names it gets a 304 without the body. A client that keeps a copy asks again
at no cost when nothing changed. Pages are left alone: each carries its own CSP nonce."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.http import ConditionalGetMiddleware

PREFIX = "/api/"


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not request.path.startswith(PREFIX):
            return response
        return super().process_response(request, response)  # type: ignore[no-any-return]

"""The open data page and its files, for anyone: published items only, streamed."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tracker.decorators import public_view
from tracker.exports import stream_csv

from . import open_data


def _stream(chunks: Iterator[str], content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (chunk.encode() for chunk in chunks), content_type=content_type
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Link"] = f'<{open_data.LICENCE_URL}>; rel="license"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@public_view
@require_GET
def open_data_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reporting/open_data.html",
        {"licence": open_data.LICENCE, "licence_url": open_data.LICENCE_URL},
    )


@public_view
@require_GET
def recommendations_csv(request: HttpRequest) -> StreamingHttpResponse:
    rows = stream_csv(open_data.RECOMMENDATION_COLUMNS, open_data.recommendation_rows())
    return _stream(rows, "text/csv; charset=utf-8", "recommendations.csv")


@public_view
@require_GET
def recommendations_json(request: HttpRequest) -> StreamingHttpResponse:
    return _stream(open_data.recommendations_json(), "application/json", "recommendations.json")


@public_view
@require_GET
def uhri_json(request: HttpRequest) -> StreamingHttpResponse:
    return _stream(open_data.uhri_json(), "application/json", "uhri.json")


@public_view
@require_GET
def measures_csv(request: HttpRequest) -> StreamingHttpResponse:
    rows = stream_csv(open_data.MEASURE_COLUMNS, open_data.measure_rows())
    return _stream(rows, "text/csv; charset=utf-8", "plan-measures.csv")

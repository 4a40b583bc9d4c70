"""Every payload of the corpus through every text sink (tests/security/xss.py), every view that
shows it fetched as its persona: the page carries nothing the Content Security Policy test refuses
(no inline script, no event-handler attribute, no ``javascript:`` URL, no ``<style>``), and no
payload with markup appears unescaped. The browser half is tests/e2e/test_xss_browser.py."""

from __future__ import annotations

import io
import os

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils.html import escape

from tests.conftest import sign_in
from tests.security.xss import SINKS, payloads, put_everything
from tests.tracker.views.test_csp import problems_of

MARKUP = set("<>\"'")
# `make test-xss` sets it: every view of every sink (pages of one recommendation or run each,
# several hundred); otherwise the views that show many payloads at once and one in 30 of the rest.
FULL = os.environ.get("TRACKER_XSS_FULL") == "1"


@pytest.fixture(scope="module")
def filled(django_db_setup, django_db_blocker):
    """Every sink filled with every payload, once for the module, rolled back after."""
    from tests.factories.tracker import InstitutionFactory, MembershipFactory, UserFactory
    from tracker.models import InstitutionKind
    from tracker.roles import Role

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_reference_data", stdout=io.StringIO())
            office = InstitutionFactory(name="NMRF", kind=InstitutionKind.SECRETARIAT)
            secretariat = UserFactory(username="xss-secretariat")
            MembershipFactory(user=secretariat, institution=office, role=Role.SECRETARIAT)
            views = put_everything(secretariat, full=FULL)
            yield secretariat, views
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_the_corpus_has_at_least_200_payloads():
    assert len(payloads()) >= 200
    assert len(set(payloads())) == len(payloads())


def test_every_sink_has_views(filled):
    _secretariat, views = filled
    assert set(views) == {sink.name for sink in SINKS}
    assert all(views.values())


@pytest.mark.django_db
@pytest.mark.parametrize("sink", [sink.name for sink in SINKS])
def test_no_payload_escapes_into_the_markup(filled, sink):
    secretariat, views = filled
    clients: dict[str, Client] = {}
    failures = []
    escaped = [p for p in payloads() if MARKUP & set(p)]
    for n, view in enumerate(views[sink]):
        if not (FULL or view.browser or n % 30 == 0):
            continue
        client = clients.get(view.persona)
        if client is None:
            client = clients[view.persona] = Client()
            if view.persona == "secretariat":
                sign_in(client, secretariat)
        headers = {"HTTP_ACCEPT_LANGUAGE": view.language}
        if view.htmx:
            headers["HTTP_HX_REQUEST"] = "true"
        response = client.get(view.path, **headers)
        assert response.status_code == 200, (view, response.status_code)
        failures += [f"{view.path}: {p}" for p in problems_of(response, our_page=True)]
        body = response.content.decode()
        failures += [f"{view.path}: unescaped {p!r}" for p in escaped if p in body]
    assert not failures, "\n".join(failures[:50])


@pytest.mark.django_db
def test_report_drafts_show_the_payloads_as_text(filled):
    """The report drafts of the imported recommendations (their texts, the measures, progress
    and assessments on them, all payloads): the HTML WeasyPrint reads escapes every payload, the
    PDF shows the markup as text, and the Word and Excel drafts are written."""
    from pypdf import PdfReader

    from plans.models import Measure
    from recommendations.models import Recommendation
    from reporting.reports.content import ReportRequest, build_report
    from reporting.reports.writers import report_html
    from reporting.services import report_write

    request = ReportRequest(kind="thematic-matrix", filters={"document": ["A/HRC/59/15"]})
    report = build_report(request, actor=None, system=True)
    assert report.total >= len(payloads())
    html = report_html(report)
    escaped = [p for p in payloads() if MARKUP & set(p)]
    assert not [p for p in escaped if p in html], "a payload is unescaped in the report's HTML"
    titles = Measure.objects.filter(title__contains="<").values_list("title", flat=True)
    assert titles
    assert all(escape(title) in html for title in titles)  # shown as they were typed
    if not FULL:  # `make test`: the files of the first 20 recommendations (one cluster each)
        clusters = Recommendation.objects.filter(document__symbol="A/HRC/59/15").order_by("pk")
        request.filters["cluster"] = [
            str(pk) for pk in clusters.values_list("cluster_id", flat=True)[:20]
        ]
    for format in ("docx", "xlsx", "pdf"):
        stream = io.BytesIO()
        assert report_write(request=request, format=format, stream=stream, system=True) >= 20
        assert stream.getvalue()
    text = "\n".join(page.extract_text() for page in PdfReader(stream).pages)
    assert "<" in text  # markup, as text

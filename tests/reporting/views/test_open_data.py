"""Open data: published recommendations as csv and json, in the UHRI export's shape (which
import_uhri reads back), and the adopted plan's measures; streamed; formula cells neutralised."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.http import StreamingHttpResponse
from django.urls import reverse

from recommendations.models import Document, ImportChange, Recommendation
from tests.factories.plans import BudgetLineFactory, MeasureFactory, PlanFactory
from tests.factories.recommendations import RecommendationFactory
from tests.recommendations.importers.helpers import FEED_JSON, imported, run_import

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode()


def test_open_data_page_states_the_licence_and_links_the_files(anon_client):
    body = anon_client.get(reverse("reporting:open-data")).content.decode()
    assert 'rel="license"' in body
    assert "CC-BY-4.0" in body
    for name in ("recommendations-csv", "recommendations-json", "uhri", "measures"):
        assert reverse(f"reporting:open-data-{name}") in body


def test_csv_has_exactly_one_row_per_published_recommendation(anon_client, report_data):
    RecommendationFactory(draft=True, text="A draft nobody outside may read.")
    RecommendationFactory(archived=True)
    rows = list(
        csv.reader(
            io.StringIO(_body(anon_client.get(reverse("reporting:open-data-recommendations-csv"))))
        )
    )
    header, body = rows[0], rows[1:]
    published = Recommendation.objects.filter(publication_state="published")
    assert len(body) == published.count() == 4
    assert sorted(int(r[0]) for r in body) == sorted(published.values_list("pk", flat=True))
    by_paragraph = {r[header.index("paragraph")]: r for r in body}
    first = by_paragraph["136.1"]
    assert first[header.index("document_symbol")] == "A/HRC/58/12"
    assert first[header.index("recommending_states")] == "FRA"
    assert first[header.index("text")] == "Strengthen the independence of the judiciary."
    assert "A draft nobody outside may read." not in str(rows)


def test_csv_cells_that_would_start_a_formula_are_neutralised(anon_client):
    RecommendationFactory(text='=HYPERLINK("http://evil.example","x")')
    body = _body(anon_client.get(reverse("reporting:open-data-recommendations-csv")))
    rows = list(csv.reader(io.StringIO(body)))
    [row] = rows[1:]
    assert '\'=HYPERLINK("http://evil.example","x")' in row


def test_json_lists_the_published_recommendations(anon_client, report_data):
    RecommendationFactory(draft=True)
    data = json.loads(_body(anon_client.get(reverse("reporting:open-data-recommendations-json"))))
    assert len(data) == 4
    crc = [r for r in data if r["mechanism"] == "CRC"]
    assert sorted(r["paragraph"] for r in crc) == ["18(a)", "25"]


def test_measures_csv_lists_the_adopted_plan_only(anon_client, report_data):
    BudgetLineFactory(measure=report_data["measure"], currency="EUR")
    MeasureFactory(plan=PlanFactory(), title="A measure of a draft plan")
    rows = list(
        csv.reader(io.StringIO(_body(anon_client.get(reverse("reporting:open-data-measures")))))
    )
    titles = [r[2] for r in rows[1:]]
    assert titles == ["Judicial Council Act"]
    assert "A/HRC/58/12 ¶136.1" in rows[1][8]
    assert rows[1][10] == "100000.00"
    assert rows[1][13] == "EUR"


def test_uhri_json_imports_back_into_an_empty_database_as_the_same_recommendations(
    anon_client, tmp_path
):
    call_command("load_reference_data", stdout=io.StringIO())
    run_import(FEED_JSON)
    before = imported()
    assert len(before) > 5
    exported = tmp_path / "uhri.json"
    exported.write_text(
        _body(anon_client.get(reverse("reporting:open-data-uhri"))), encoding="utf-8"
    )

    # empty the database of recommendations, then import the export
    ImportChange.objects.all().delete()
    Recommendation.objects.all().delete()
    Document.objects.all().delete()
    assert not Recommendation.objects.exists()
    run = run_import(exported)
    assert run.rejected == 0
    after = imported()
    assert set(after) == set(before)
    for key, record in before.items():
        assert after[key] == record, key

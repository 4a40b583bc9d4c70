"""Feeds in the six UN languages: one record, many texts. The reference language's feed (English)
gives the records' fields; a feed in another language writes that language's texts only, creates
the records only it carries (labels resolved through the known translations), withdraws nothing."""

from __future__ import annotations

import io
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pghistory.models
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations.filters import search_recommendations
from recommendations.importers import languages
from recommendations.models import (
    AffectedGroup,
    ImportChange,
    ImportRun,
    Position,
    Recommendation,
    RecommendationText,
    TextSource,
    Theme,
)
from recommendations.services import recommendation_text_set

from .helpers import FIXTURES, describe, run_import, write_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

FEED_ES = FIXTURES / "feed_es.json"
FEED_AR = FIXTURES / "feed_ar.json"
ENGLISH_COUNT = 11
SPANISH_ONLY = "5e5a0000-0000-4000-8000-00000000e501"


def texts(language: str) -> dict[str, tuple[int, str, str, str]]:
    """The texts in a language, by annotation id: (row id, text, html, source)."""
    return {
        str(t.recommendation.annotation_id): (t.pk, t.text, t.html, t.source)
        for t in RecommendationText.objects.filter(language=language).select_related(
            "recommendation"
        )
    }


def events() -> int:
    return pghistory.models.Events.objects.count()


def spanish_records() -> list[dict[str, Any]]:
    return json.loads(FEED_ES.read_text(encoding="utf-8"))


@pytest.fixture
def translated_taxonomy() -> None:
    """The Spanish names the system knows for two labels (a reviewed merge records them so)."""
    for model in (Theme, AffectedGroup):
        entry, _ = model.objects.get_or_create(name="Indigenous peoples")
        entry.names = {**entry.names, "es": "Pueblos indígenas"}
        entry.save()


def test_english_then_spanish_adds_the_spanish_texts_and_leaves_the_english_ones(
    feed_json: Path, translated_taxonomy: None
) -> None:
    english = run_import(feed_json)
    english_texts = texts("en")
    before = {str(r.annotation_id): describe(r) for r in Recommendation.objects.all()}
    themes_before = set(Theme.objects.values_list("name", flat=True))

    spanish = run_import(FEED_ES)

    assert english.language == "en"
    assert spanish.language == "es"  # from the file name
    assert spanish.status == "succeeded", spanish.error
    assert spanish.summary() == {
        "created": 1,
        "updated": ENGLISH_COUNT,
        "unchanged": 0,
        "withdrawn": 0,
        "rejected": 0,
    }
    assert texts("en") == english_texts
    assert len(texts("es")) == ENGLISH_COUNT + 1
    assert {source for *_rest, source in texts("es").values()} == {TextSource.OFFICIAL}
    # One record, two texts: no second record for the same annotation.
    assert Recommendation.objects.count() == ENGLISH_COUNT + 1
    after = {
        str(r.annotation_id): describe(r)
        for r in Recommendation.objects.filter(annotation_id__in=list(before))
    }
    assert after == before
    # Labels of stored records are not looked up: no Spanish theme is created for them. The one
    # new theme is that of the Spanish-only record that no translation names.
    new_themes = Theme.objects.exclude(name__in=themes_before)
    assert [(t.name, t.names, t.is_reviewed) for t in new_themes] == [
        (
            "Derechos territoriales de los pueblos originarios",
            {"es": "Derechos territoriales de los pueblos originarios"},
            False,
        )
    ]


def test_the_spanish_review_list_lists_spanish_text_changes(
    feed_json: Path, translated_taxonomy: None
) -> None:
    run_import(feed_json)
    spanish = run_import(FEED_ES)

    changes = ImportChange.objects.filter(run=spanish, kind=ImportChange.Kind.TEXT_CHANGED)
    assert changes.count() == ENGLISH_COUNT
    assert set(changes.values_list("language", flat=True)) == {"es"}
    assert set(changes.values_list("old_text", flat=True)) == {""}
    # No copy is kept of an added text: the review list shows the stored one.
    assert set(changes.values_list("new_text", flat=True)) == {""}
    spanish_texts = {text for _pk, text, _html, _source in texts("es").values()}
    listed = [row for row in spanish.review_list() if row["kind"] == ImportChange.Kind.TEXT_CHANGED]
    assert {row["stored_text"] for row in listed} <= spanish_texts
    assert len(listed) == ENGLISH_COUNT
    assert ImportChange.objects.filter(run=spanish, kind=ImportChange.Kind.CHANGED).count() == 0


def test_reimporting_the_spanish_feed_writes_nothing(
    feed_json: Path, translated_taxonomy: None
) -> None:
    run_import(feed_json)
    run_import(FEED_ES)
    stored = texts("es"), texts("en")
    versions = dict(Recommendation.objects.values_list("pk", "version"))
    before = events()

    with CaptureQueriesContext(connection) as queries:
        again = run_import(FEED_ES)

    assert again.summary() == {
        "created": 0,
        "updated": 0,
        "unchanged": ENGLISH_COUNT + 1,
        "withdrawn": 0,
        "rejected": 0,
    }
    assert (texts("es"), texts("en")) == stored
    assert dict(Recommendation.objects.values_list("pk", "version")) == versions
    assert events() == before
    assert not again.changes.exists()
    written = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"]
        .lstrip()
        .upper()
        .startswith(("INSERT INTO RECOMMENDATIONS_RECOMMENDATION", "COPY"))
    ]
    assert written == []


def test_reimporting_the_english_feed_after_the_spanish_one_writes_nothing(
    feed_json: Path, translated_taxonomy: None
) -> None:
    run_import(feed_json)
    run_import(FEED_ES)
    stored = texts("es"), texts("en")
    before = events()

    again = run_import(feed_json)

    # The Spanish-only record has no English text: the English feed does not withdraw it.
    assert again.summary() == {
        "created": 0,
        "updated": 0,
        "unchanged": ENGLISH_COUNT,
        "withdrawn": 0,
        "rejected": 0,
    }
    assert (texts("es"), texts("en")) == stored
    assert events() == before


def test_a_spanish_text_change_touches_only_that_text(
    feed_json: Path, tmp_path: Path, translated_taxonomy: None
) -> None:
    run_import(feed_json)
    run_import(FEED_ES)
    english, spanish = texts("en"), texts("es")
    versions = dict(Recommendation.objects.values_list("pk", "version"))
    records = spanish_records()
    changed_id = records[1]["AnnotationId"]
    records[1]["Text"] = "<p>136.45 Abolir definitivamente la pena de muerte</p>"
    # The same row also says other things: a Spanish feed does not change the fields.
    records[1]["UprPosition"] = "Apoyada"
    records[1]["Themes"] = ["Tema nuevo que nadie conoce"]

    run = run_import(write_json(tmp_path / "uhri-es.json", records))

    assert run.summary()["updated"] == 1
    assert run.summary()["unchanged"] == ENGLISH_COUNT
    assert texts("en") == english
    now = texts("es")
    assert now[changed_id][1] == "136.45 Abolir definitivamente la pena de muerte"
    assert {k: v for k, v in now.items() if k != changed_id} == {
        k: v for k, v in spanish.items() if k != changed_id
    }
    assert dict(Recommendation.objects.values_list("pk", "version")) == versions
    record = Recommendation.objects.get(annotation_id=changed_id)
    assert record.position == Position.NOTED
    assert not Theme.objects.filter(name="Tema nuevo que nadie conoce").exists()
    [change] = run.changes.all()
    assert (change.kind, change.language) == (ImportChange.Kind.TEXT_CHANGED, "es")
    assert change.old_text.startswith("136.45 Abolir la pena de muerte")
    assert change.new_text == "136.45 Abolir definitivamente la pena de muerte"


def test_a_spanish_only_record_is_created_with_its_labels_resolved(
    feed_json: Path, translated_taxonomy: None
) -> None:
    run_import(feed_json)
    run_import(FEED_ES)

    record = Recommendation.objects.get(annotation_id=SPANISH_ONLY)
    assert [t.language for t in record.texts.all()] == ["es"]
    assert record.position == Position.SUPPORTED
    theme_names = set(record.themes.values_list("name", flat=True))
    assert theme_names == {
        "Indigenous peoples",
        "Derechos territoriales de los pueblos originarios",
    }
    assert list(record.affected_groups.values_list("name", flat=True)) == ["Indigenous peoples"]
    assert list(record.sdg_targets.values_list("code", flat=True)) == ["16.3"]
    assert list(record.recommending_states.values_list("iso3", flat=True)) == ["FRA"]
    assert record.document.country.iso3 == "CHL"


def test_the_english_feed_later_gives_the_fields_of_a_record_the_spanish_one_created(
    tmp_path: Path, translated_taxonomy: None
) -> None:
    spanish = spanish_records()
    run_import(FEED_ES)
    # The English export catches up with the record, with its English labels.
    english_record = {
        **spanish[-1],
        "Text": "125.9 Strengthen the rights of indigenous peoples to their ancestral lands",
        "Themes": ["Indigenous peoples"],
        "Countries": ["Chile"],
        "UprRecommendingStates": ["France"],
        "UprPosition": "Noted",
        "AffectedPersons": ["Indigenous peoples"],
        "AnnotationType": "Recommendations",
        "UprSession": "46th Session",
    }

    run = run_import(write_json(tmp_path / "uhri-en.json", [english_record]))

    assert run.language == "en"
    assert run.summary()["updated"] == 1
    record = Recommendation.objects.get(annotation_id=SPANISH_ONLY)
    assert sorted(t.language for t in record.texts.all()) == ["en", "es"]
    assert record.position == Position.NOTED
    assert list(record.themes.values_list("name", flat=True)) == ["Indigenous peoples"]


def test_a_record_missing_from_the_spanish_feed_is_not_withdrawn(
    feed_json: Path, tmp_path: Path
) -> None:
    run_import(feed_json)

    run = run_import(write_json(tmp_path / "uhri-es.json", spanish_records()[:3]))

    assert run.withdrawn == 0
    assert not Recommendation.objects.filter(withdrawn_at__isnull=False).exists()


def test_an_arabic_feed_adds_arabic_texts_and_arabic_search_finds_them(feed_json: Path) -> None:
    run_import(feed_json)

    run = run_import(FEED_AR)

    assert run.language == "ar"
    assert run.summary() == {
        "created": 0,
        "updated": 2,
        "unchanged": 0,
        "withdrawn": 0,
        "rejected": 0,
    }
    assert len(texts("ar")) == 2
    found = search_recommendations(Recommendation.objects.all(), "عقوبة الإعدام")
    assert [str(r.annotation_id) for r in found] == [
        json.loads(FEED_AR.read_text())[1]["AnnotationId"]
    ]


def test_spanish_search_finds_spanish_stems(feed_json: Path) -> None:
    run_import(feed_json)
    run_import(FEED_ES)

    found = {
        str(r.annotation_id)
        for r in search_recommendations(Recommendation.objects.all(), "derechos")
    }

    # "derecho" in the texts of two records ("Derecho a la educación", "el derecho del pueblo").
    mapuche = "6261f484"
    assert any(annotation.startswith(mapuche) for annotation in found)
    assert any(annotation.startswith("e992e4a4") for annotation in found)


def test_an_official_text_replaces_an_unofficial_translation_which_stays_in_the_history(
    feed_json: Path, secretariat: Any
) -> None:
    run_import(feed_json)
    record = Recommendation.objects.get(
        annotation_id=json.loads(FEED_ES.read_text())[0]["AnnotationId"]
    )
    recommendation_text_set(
        actor=secretariat, recommendation=record, language="es", text="Traducción no oficial"
    )
    [translation] = RecommendationText.objects.filter(recommendation=record, language="es")
    assert translation.source == TextSource.UNOFFICIAL

    run_import(FEED_ES)

    translation.refresh_from_db()
    assert translation.source == TextSource.OFFICIAL
    assert translation.text.startswith("136.1 Ratificar")
    history = pghistory.models.Events.objects.filter(
        pgh_obj_model="recommendations.RecommendationText", pgh_obj_id=str(translation.pk)
    )
    assert any(e.pgh_data.get("text") == "Traducción no oficial" for e in history)


def test_another_language_feed_never_touches_an_unofficial_translation_of_a_third(
    feed_json: Path, secretariat: Any
) -> None:
    run_import(feed_json)
    record = Recommendation.objects.get(
        annotation_id=json.loads(FEED_ES.read_text())[0]["AnnotationId"]
    )
    recommendation_text_set(
        actor=secretariat, recommendation=record, language="fr", text="Traduction non officielle"
    )

    run_import(FEED_ES)

    french = RecommendationText.objects.get(recommendation=record, language="fr")
    assert (french.text, french.source) == ("Traduction non officielle", TextSource.UNOFFICIAL)


# -- telling the language ----------------------------------------------------------------------


def test_the_language_is_detected_from_the_texts_when_the_name_says_none(
    feed_json: Path, tmp_path: Path
) -> None:
    run_import(feed_json)
    anonymous = tmp_path / "export.json"
    shutil.copy(FEED_ES, anonymous)

    run = run_import(anonymous)

    assert run.language == "es"
    assert len(texts("es")) == ENGLISH_COUNT + 1


def test_the_language_told_wins_over_the_name(feed_json: Path, tmp_path: Path) -> None:
    out = io.StringIO()
    path = tmp_path / "uhri-en.json"
    shutil.copy(FEED_ES, path)
    run_import(feed_json)

    call_command("import_uhri", str(path), "--language", "es", stdout=out)

    run = ImportRun.objects.latest("pk")
    assert run.language == "es"
    assert "language: es" in out.getvalue().splitlines()
    assert len(texts("es")) == ENGLISH_COUNT + 1


def test_the_command_refuses_an_unknown_language(feed_json: Path) -> None:
    runs = ImportRun.objects.count()

    with pytest.raises(CommandError):
        call_command("import_uhri", str(feed_json), "--language", "de", stdout=io.StringIO())
    assert ImportRun.objects.count() == runs


def test_chinese_is_stored_as_zh_hans() -> None:
    assert languages.normalise("zh") == "zh-hans"
    assert languages.from_name("https://uhri.example/export?lang=zh") == "zh-hans"


@pytest.mark.parametrize(
    ("name", "language"),
    [
        ("uhri-es.json", "es"),
        ("export_FR.xlsx", "fr"),
        ("data.ar.csv", "ar"),
        ("https://uhri.example/api/export?language=ru&format=json", "ru"),
        ("feed.json", None),
        ("uhri-en-es.json", None),  # two languages: no answer
        ("resources.json", None),
    ],
)
def test_the_language_from_a_name(name: str, language: str | None) -> None:
    assert languages.from_name(name) == language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The Committee recommends that the State party ensure the right to education", "en"),
        ("El Comité recomienda que el Estado parte vele por el derecho a la educación", "es"),
        ("Le Comité recommande que l'État partie veille à ce que le droit à l'éducation", "fr"),
        ("يوصي اللجنة الدولة الطرف", "ar"),
        ("Комитет рекомендует государству-участнику", "ru"),
        ("委员会建议缔约国", "zh-hans"),
        ("12345", None),
    ],
)
def test_the_language_from_texts(text: str, language: str | None) -> None:
    assert languages.from_texts([text]) == language


def test_a_dry_run_of_the_spanish_feed_lists_its_texts_and_writes_nothing(
    feed_json: Path, translated_taxonomy: None
) -> None:
    run_import(feed_json)
    stored = texts("en"), Recommendation.objects.count()
    before = events()

    dry = run_import(FEED_ES, dry_run=True)

    assert dry.summary()["updated"] == ENGLISH_COUNT
    assert dry.summary()["created"] == 1
    assert (texts("en"), Recommendation.objects.count()) == stored
    assert texts("es") == {}
    assert events() == before
    listed = dry.changes.filter(kind=ImportChange.Kind.TEXT_CHANGED)
    assert listed.count() == ENGLISH_COUNT
    assert all(change.new_text and change.language == "es" for change in listed)


def test_a_position_worded_unknownly_in_another_language_does_not_reject_the_row(
    feed_json: Path, tmp_path: Path
) -> None:
    run_import(feed_json)
    records = spanish_records()
    records[0]["UprPosition"] = "Quizás"

    run = run_import(write_json(tmp_path / "uhri-es.json", records))

    assert run.rejected == 0
    assert records[0]["AnnotationId"] in texts("es")
    assert run.issues.filter(field="UprPosition", severity="warning").count() == 1
    # The position stays the one the English feed gave.
    record = Recommendation.objects.get(annotation_id=records[0]["AnnotationId"])
    assert record.position == Position.SUPPORTED


def test_an_unknown_position_still_rejects_the_row_of_the_reference_feed(tmp_path: Path) -> None:
    records = json.loads((FIXTURES / "feed.json").read_text(encoding="utf-8"))
    records[0]["UprPosition"] = "Perhaps"

    run = run_import(write_json(tmp_path / "uhri-en.json", records))

    assert run.rejected == 1


def _backdate_all() -> datetime:
    """Set every recommendation's time of change to a day long past (a test runs in one
    transaction, whose now() every import statement shares); returns a later moment."""
    Recommendation.objects.update(updated_at=datetime(2020, 1, 1, tzinfo=UTC))
    return datetime(2021, 1, 1, tzinfo=UTC)


def test_a_spanish_import_that_adds_texts_moves_their_time_of_change(
    feed_json: Path, translated_taxonomy: None, api_client: Any
) -> None:
    run_import(feed_json)
    since = _backdate_all()
    versions = dict(Recommendation.objects.values_list("pk", "version"))

    run_import(FEED_ES)

    added = set(texts("es")) - {SPANISH_ONLY}
    assert len(added) == ENGLISH_COUNT
    moved = {
        str(annotation_id)
        for annotation_id in Recommendation.objects.filter(updated_at__gt=since).values_list(
            "annotation_id", flat=True
        )
    }
    assert moved == added | {SPANISH_ONLY}
    # The versions stay: a translation is no change of the reference feed's fields.
    assert {
        pk: v for pk, v in Recommendation.objects.values_list("pk", "version") if pk in versions
    } == versions
    synced = api_client.get(
        "/api/v1/recommendations/", {"updated_since": since.isoformat(), "page_size": 100}
    )
    assert synced.status_code == 200, synced.content
    assert {row["annotation_id"] for row in synced.json()["results"]} == moved


def test_a_spanish_text_change_moves_only_its_recommendation_time_of_change(
    feed_json: Path, tmp_path: Path, translated_taxonomy: None
) -> None:
    run_import(feed_json)
    run_import(FEED_ES)
    since = _backdate_all()
    records = spanish_records()
    changed_id = records[1]["AnnotationId"]
    records[1]["Text"] = "<p>136.45 Abolir definitivamente la pena de muerte</p>"

    run_import(write_json(tmp_path / "uhri-es.json", records))

    moved = Recommendation.objects.filter(updated_at__gt=since).values_list(
        "annotation_id", flat=True
    )
    assert [str(annotation_id) for annotation_id in moved] == [changed_id]


def test_a_spanish_dry_run_moves_no_time_of_change(
    feed_json: Path, translated_taxonomy: None
) -> None:
    run_import(feed_json)
    since = _backdate_all()

    run_import(FEED_ES, dry_run=True)

    assert not Recommendation.objects.filter(updated_at__gt=since).exists()

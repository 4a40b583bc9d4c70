"""What the import leaves alone: the NMRF's own fields, recommendations entered by hand, and the
taxonomy entries the secretariat renamed or merged (found again by their feed key)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from recommendations.importers import sql
from recommendations.importers.columns import RECOMMENDATION
from recommendations.models import (
    AffectedGroup,
    Mechanism,
    PublicationState,
    Recommendation,
    Theme,
    taxonomy_key,
)
from recommendations.services import (
    NATIONAL_FIELDS,
    ManualRecommendation,
    SourceDocument,
    cluster_create,
    recommendation_create_manual,
    recommendation_set_national_fields,
    taxonomy_term_merge,
    taxonomy_term_rename,
)

from .helpers import feed_records, run_import, write_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def _record(name: str, **changes: Any) -> dict[str, Any]:
    return {
        **feed_records()[0],
        "AnnotationId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"keys/{name}")),
        "Text": f"136.{200 + len(name)} Adopt a national action plan on {name}",
        **changes,
    }


def test_the_upsert_never_sets_a_national_field_of_a_stored_row() -> None:
    updated = {column.name for column in RECOMMENDATION.columns if column.update}
    national = {
        Recommendation._meta.get_field(name).column  # type: ignore[union-attr]
        for name in (*NATIONAL_FIELDS, "is_manual")
        if name != "is_current"  # a withdrawn row back in the feed is current again
    }
    assert national.isdisjoint(updated)
    update_set = RECOMMENDATION.update_set()
    for column in national:
        assert f"{column} =" not in update_set
    assert "priority_reason" not in sql.UPSERT
    assert "is_manual" not in sql.UPSERT


def test_a_reimport_keeps_cluster_priority_and_reason(tmp_path: Path, secretariat) -> None:
    records = [_record("housing")]
    run_import(write_json(tmp_path / "a.json", records))
    rec = Recommendation.objects.get(annotation_id=records[0]["AnnotationId"])
    cluster = cluster_create(actor=secretariat, name="Housing", code="HOU")
    recommendation_set_national_fields(
        actor=secretariat,
        recommendation=rec,
        cluster=cluster,
        priority="high",
        priority_reason="Mid-term report",
    )
    records[0]["Text"] += " without delay"  # the feed changes the row

    run = run_import(write_json(tmp_path / "b.json", records))

    assert run.updated == 1
    rec.refresh_from_db()
    assert (rec.cluster_id, rec.priority, rec.priority_reason) == (
        cluster.pk,
        "high",
        "Mid-term report",
    )


def test_an_import_never_touches_a_recommendation_entered_by_hand(
    tmp_path: Path, feed_json: Path, secretariat
) -> None:
    manual = recommendation_create_manual(
        actor=secretariat,
        entry=ManualRecommendation(
            mechanism_code="Voluntary pledges",
            document=SourceDocument(symbol="PLEDGE-1"),
            text="Adopt a national action plan.",
        ),
    )
    before = Recommendation.objects.filter(pk=manual.pk).values().get()

    run_import(feed_json)  # a complete feed: what it does not carry would be withdrawn
    run_import(feed_json)

    assert Recommendation.objects.filter(pk=manual.pk).values().get() == before
    assert before["is_manual"] is True
    assert before["publication_state"] == PublicationState.PUBLISHED


def test_a_renamed_theme_group_and_mechanism_are_not_created_again(
    tmp_path: Path, secretariat
) -> None:
    records = [
        _record(
            "labels",
            Body="WG Brand new",
            Themes=["Brand new theme"],
            AffectedPersons=["Brand new group"],
        )
    ]
    path = write_json(tmp_path / "feed.json", records)
    run_import(path)
    theme = Theme.objects.get(name="Brand new theme")
    group = AffectedGroup.objects.get(name="Brand new group")
    mechanism = Mechanism.objects.get(code="WG Brand new")
    assert (theme.key, theme.is_reviewed) == ("brand new theme", False)
    counts = (Theme.objects.count(), AffectedGroup.objects.count(), Mechanism.objects.count())

    taxonomy_term_rename(actor=secretariat, term=theme, name="A better name")
    taxonomy_term_rename(actor=secretariat, term=group, name="A better group")
    taxonomy_term_rename(actor=secretariat, term=mechanism, name="WG New")
    records[0]["Text"] += " soon"  # the row changes: its links are written again
    run = run_import(write_json(tmp_path / "again.json", records))

    assert run.updated == 1
    assert (Theme.objects.count(), AffectedGroup.objects.count(), Mechanism.objects.count()) == (
        counts
    )
    rec = Recommendation.objects.get(annotation_id=records[0]["AnnotationId"])
    assert list(rec.themes.values_list("name", flat=True)) == ["A better name"]
    assert list(rec.affected_groups.values_list("name", flat=True)) == ["A better group"]
    assert rec.document.mechanism.code == "WG New"


def test_a_merged_theme_is_not_created_again(tmp_path: Path, secretariat) -> None:
    records = [_record("merge", Themes=["Duplicate label"])]
    run_import(write_json(tmp_path / "feed.json", records))
    duplicate = Theme.objects.get(name="Duplicate label")
    keeper = Theme.objects.exclude(pk=duplicate.pk).filter(is_reviewed=True).first()
    assert keeper is not None

    taxonomy_term_merge(actor=secretariat, term=duplicate, into=keeper)
    records[0]["Text"] += " again"
    run_import(write_json(tmp_path / "again.json", records))

    assert not Theme.objects.filter(name="Duplicate label").exists()
    keeper.refresh_from_db()
    assert taxonomy_key("Duplicate label") in keeper.merged_keys
    rec = Recommendation.objects.get(annotation_id=records[0]["AnnotationId"])
    assert keeper in rec.themes.all()

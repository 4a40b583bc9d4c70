"""``load_demo_data --reset`` removes the demo rows, and only them, next to real data."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.db import models, transaction
from pghistory.models import Events
from pytest_django.plugin import DjangoDbBlocker

from recommendations.models import (
    AffectedGroup,
    Cluster,
    Document,
    ImportRun,
    Mechanism,
    Recommendation,
    RecommendationText,
    ReviewCycle,
    SdgTarget,
    Theme,
)
from tests.factories.recommendations import ClusterFactory
from tests.factories.tracker import InstitutionFactory, MembershipFactory, UserFactory
from tests.recommendations.importers.helpers import feed_records, run_import, write_json
from tracker.demo import DemoSummary, load_demo_data, marked
from tracker.models import Country, DemoRecord, Institution, Membership, User

# Every table a demo load writes to, and the reference tables it reads.
MODELS: list[type[models.Model]] = [
    Recommendation,
    RecommendationText,
    Document,
    ReviewCycle,
    ImportRun,
    Cluster,
    Institution,
    User,
    Membership,
    Theme,
    AffectedGroup,
    Mechanism,
    SdgTarget,
    Country,
]


def _rows() -> dict[str, set[int]]:
    return {m.__name__: set(m._base_manager.values_list("pk", flat=True)) for m in MODELS}


@pytest.fixture(scope="module")
def real_and_demo(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker, tmp_path_factory
) -> Iterator[dict[str, set[int]]]:
    """Real data (a UHRI import, a user, an institution, a cluster), then the demo data; yields
    the rows that are not demo data. Rolled back at the end of the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_reference_data", stdout=io.StringIO())
        run_import(write_json(tmp_path_factory.mktemp("feed") / "feed.json", feed_records()))
        ministry = InstitutionFactory(name="Ministry of Planning")
        MembershipFactory(user=UserFactory(username="planner"), institution=ministry)
        ClusterFactory(name="Economic planning", lead_institution=ministry)
        real = _rows()
        load_demo_data()
        yield real
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_reset_removes_every_demo_row_and_nothing_else(real_and_demo) -> None:
    assert Recommendation.objects.count() > 400
    out = io.StringIO()
    call_command("load_demo_data", "--reset", stdout=out)
    assert _rows() == real_and_demo
    assert not DemoRecord.objects.exists()
    assert "Demo data removed." in out.getvalue()
    assert "recommendations                405" in out.getvalue()
    # The real import keeps its recommendations, texts and tags.
    real = Recommendation.objects.all()
    assert real.count() == 11
    assert not real.filter(withdrawn_at__isnull=False).exists()
    assert not real.filter(texts=None).exists()
    assert User.objects.get(username="planner").memberships.count() == 1
    deletions = Events.objects.filter(pgh_label="delete", pgh_context__action="demo_data_reset")
    assert deletions.filter(pgh_model="recommendations.RecommendationEvent").count() == 405


@pytest.mark.django_db
def test_a_load_after_a_reset_brings_the_same_demo_back(real_and_demo) -> None:
    before = load_demo_data()
    call_command("load_demo_data", "--reset", stdout=io.StringIO())
    again: DemoSummary = load_demo_data()
    assert again.counts == before.counts
    assert again.created["recommendations"] == before.counts["recommendations"]
    assert ImportRun.objects.count() == 2  # the real one, and the new demo one


@pytest.mark.django_db
def test_demo_rows_that_real_data_still_needs_are_kept(real_and_demo) -> None:
    justice = Institution.objects.get(name="Ministry of Justice")
    ClusterFactory(name="Access to justice", lead_institution=justice)
    out = io.StringIO()
    call_command("load_demo_data", "--reset", stdout=out)
    assert "1 demo institutions kept" in out.getvalue()
    assert list(marked(Institution)) == [justice]
    # The rest went, children before their parent.
    assert not Institution.objects.filter(name__in=["Ministry of the Interior", "Prisons Service"])
    assert not marked(Recommendation).exists()
    assert not Cluster.objects.filter(name="Justice and rule of law").exists()


@pytest.mark.django_db
def test_a_second_reset_removes_nothing(real_and_demo) -> None:
    call_command("load_demo_data", "--reset", stdout=io.StringIO())
    out = io.StringIO()
    call_command("load_demo_data", "--reset", stdout=out)
    assert out.getvalue().strip() == "No demo data to remove."


@pytest.mark.django_db
def test_the_demo_feed_is_not_imported_over_real_recommendations_of_the_state(
    real_and_demo, tmp_path
) -> None:
    call_command("load_demo_data", "--reset", stdout=io.StringIO())
    records = feed_records()[:1]
    records[0].update(
        AnnotationId="0377fd67-7e1a-4ea4-bf88-a9a4595da5b4",
        Countries=["Kenya"],
        Symbol="A/HRC/WG.6/51/KEN/1",
    )
    run_import(write_json(tmp_path / "kenya.json", records))
    rows = _rows()
    with pytest.raises(CommandError, match="would mark them withdrawn"):
        call_command("load_demo_data", stdout=io.StringIO())
    assert _rows() == rows
    assert not Recommendation.objects.filter(withdrawn_at__isnull=False).exists()

"""The demo data set is complete, realistic in shape, usable for every role, and loads only once."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, QuerySet
from pghistory.models import Context, Events
from pytest_django.fixtures import Settings
from pytest_django.plugin import DjangoDbBlocker

from recommendations.demo import load_content
from recommendations.models import (
    AnnotationType,
    Cluster,
    Document,
    ImportRun,
    ImportStatus,
    MechanismFamily,
    Position,
    PublicationState,
    Recommendation,
    RecommendationText,
    TaxonomySource,
    TextSource,
    Theme,
)
from recommendations.policies import visible_recommendations
from tracker.demo import DEMO_PASSWORD, LOGIN_URL, DemoSummary, load_demo_data, marked, people
from tracker.models import DemoRecord, Institution, InstitutionKind, Membership, User
from tracker.roles import Role

DEMO_USERS = people().users
ADMIN_USERNAME = people().superuser.username


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoSummary]:
    """Load the demo once for the module, inside a transaction rolled back at the end.

    Each test still runs in its own savepoint (``django_db``), so none sees another's writes.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo_data()
        transaction.set_rollback(True)


def _recommendations(family: str | None = None) -> QuerySet[Recommendation]:
    qs = Recommendation.objects.all()
    return qs.filter(document__mechanism__family=family) if family else qs


@pytest.mark.django_db
def test_demo_has_about_400_recommendations_from_all_mechanism_families(demo: DemoSummary) -> None:
    total = Recommendation.objects.count()
    assert 380 <= total <= 420
    assert demo.counts["recommendations"] == total

    upr_cycles = set(
        Document.objects.filter(mechanism__code="UPR").values_list("cycle__number", flat=True)
    )
    assert upr_cycles == {1, 2, 3, 4}
    treaty_bodies = set(
        _recommendations(MechanismFamily.TREATY_BODY).values_list(
            "document__mechanism__code", flat=True
        )
    )
    assert len(treaty_bodies) >= 5
    assert Document.objects.filter(mechanism__family=MechanismFamily.SPECIAL_PROCEDURE).count() == 2
    assert _recommendations(MechanismFamily.UPR).count() > 250


@pytest.mark.django_db
def test_every_upr_recommendation_has_recommending_states_and_a_position(
    demo: DemoSummary,
) -> None:
    upr = _recommendations(MechanismFamily.UPR)
    assert not upr.filter(recommending_states=None).exists()
    assert not upr.filter(position="").exists()
    assert not upr.filter(position_source="").exists()
    positions = dict(upr.values_list("position").annotate(n=Count("id")).order_by())
    assert positions[Position.SUPPORTED] > positions[Position.NOTED] > 0
    assert positions.get(Position.SUPPORTED_IN_PART, 0) > 0
    # Positions belong to the UPR only.
    assert not _recommendations(MechanismFamily.TREATY_BODY).exclude(position="").exists()


@pytest.mark.django_db
def test_every_recommendation_has_an_english_text_and_a_theme(demo: DemoSummary) -> None:
    assert not Recommendation.objects.exclude(texts__language="en").exists()
    assert not Recommendation.objects.filter(themes=None).exists()
    assert not RecommendationText.objects.filter(text="").exists()
    assert not RecommendationText.objects.exclude(html__startswith="<p>").exists()
    # The labels used are the UHRI ones: no national fallback was needed.
    assert not Theme.objects.filter(source=TaxonomySource.NATIONAL).exists()
    assert Recommendation.objects.filter(sdg_targets__code="16.3").exists()
    assert Recommendation.objects.filter(affected_groups__name="Women").exists()


@pytest.mark.django_db
def test_texts_vary_and_some_have_unofficial_translations(demo: DemoSummary) -> None:
    english = RecommendationText.objects.filter(language="en")
    assert english.values("text").distinct().count() > 0.8 * english.count()
    for language in ("fr", "es", "ar"):
        translations = RecommendationText.objects.filter(language=language)
        assert translations.count() >= 5
        assert set(translations.values_list("source", flat=True)) == {TextSource.UNOFFICIAL}
    assert set(english.values_list("source", flat=True)) == {TextSource.OFFICIAL}


@pytest.mark.django_db
def test_treaty_bodies_have_concerns_and_subparagraphs(demo: DemoSummary) -> None:
    treaty = _recommendations(MechanismFamily.TREATY_BODY)
    assert treaty.filter(annotation_type=AnnotationType.CONCERN).exists()
    assert treaty.filter(paragraph__regex=r"^\d+\([a-h]\)$").exists()
    symbols = set(Document.objects.values_list("symbol", flat=True))
    assert {"A/HRC/19/10", "A/HRC/62/9", "CEDAW/C/KEN/CO/9", "CRC/C/KEN/CO/5-6"} <= symbols


@pytest.mark.django_db
def test_one_treaty_body_document_has_the_committees_follow_up_selection(
    demo: DemoSummary,
) -> None:
    from reporting.models import FollowUpSelection, ObligationKind

    selection = FollowUpSelection.objects.select_related("document__mechanism").get()
    assert selection.document.mechanism.family == MechanismFamily.TREATY_BODY
    paragraphs = list(selection.recommendations.all())
    assert len(paragraphs) == 3
    assert {r.document_id for r in paragraphs} == {selection.document_id}
    assert selection.obligation is not None
    assert selection.obligation.kind == ObligationKind.FOLLOW_UP_REPLY
    assert demo.counts["follow_up_selections"] == 1


@pytest.mark.django_db
def test_paragraph_sort_is_set_although_rows_were_bulk_created(demo: DemoSummary) -> None:
    for paragraph, sort_key in Recommendation.objects.values_list("paragraph", "paragraph_sort"):
        assert sort_key == Recommendation.paragraph_sort_key(paragraph)


@pytest.mark.django_db
def test_recommendations_come_from_one_import_run_of_the_demo_feed(demo: DemoSummary) -> None:
    [run] = ImportRun.objects.all()
    assert run.status == ImportStatus.SUCCEEDED
    assert (run.country.iso3, run.dry_run, run.rejected) == ("KEN", False, 0)
    assert run.source.endswith("demo-KEN-seed-2026.json")
    assert run.created == Recommendation.objects.count() == demo.counts["recommendations"]
    assert not Recommendation.objects.exclude(created_by_run=run).exists()
    assert not Recommendation.objects.filter(annotation_id=None).exists()
    assert not Recommendation.objects.exclude(raw_record__Symbol__isnull=False).exists()
    # The importer read each paragraph from the text's reference, as in a UHRI export.
    english = RecommendationText.objects.filter(language="en").select_related("recommendation")
    for text in english:
        reference = text.recommendation.paragraph.replace("(", " (")
        assert text.text.startswith((f"{reference} ", f"{reference}. "))
    events = Events.objects.filter(
        pgh_label="insert",
        pgh_model="recommendations.RecommendationEvent",
        pgh_context__import_run=run.pk,
    )
    assert events.count() == run.created


@pytest.mark.django_db
def test_every_demo_row_is_marked_and_reference_rows_are_not(demo: DemoSummary) -> None:
    assert marked(Recommendation).count() == Recommendation.objects.count()
    assert marked(Document).count() == Document.objects.count()
    assert marked(Cluster).count() == Cluster.objects.count()
    assert marked(Institution).count() == Institution.objects.count()
    assert marked(User).count() == User.objects.count()
    assert marked(Membership).count() == Membership.objects.count()
    assert marked(ImportRun).count() == 1
    # The UHRI labels, mechanisms and UPR cycles are reference data: the demo uses them.
    assert not marked(Theme).exists()
    steps = set(DemoRecord.objects.values_list("step", flat=True))
    assert steps >= {"people", "recommendations.clusters", "recommendations.recommendations"}


@pytest.mark.django_db
def test_documents_have_the_titles_languages_and_cycles_the_feed_lacks(demo: DemoSummary) -> None:
    content = load_content()
    for document in Document.objects.select_related("cycle", "mechanism"):
        assert document.title
        assert document.languages == list(content.languages)
        assert document.country.iso3 == "KEN"
        if document.mechanism.family != MechanismFamily.SPECIAL_PROCEDURE:
            assert document.cycle is not None
    upr_4 = Document.objects.get(symbol="A/HRC/62/9").cycle
    assert (upr_4.number, upr_4.session, str(upr_4.review_date)) == (4, 51, "2026-01-27")
    crc = Document.objects.get(symbol="CRC/C/KEN/CO/5-6").cycle
    assert crc.label == "CRC: combined fifth and sixth periodic reports"


@pytest.mark.django_db
def test_repeated_recommendations_are_linked_across_documents(demo: DemoSummary) -> None:
    linked = Recommendation.objects.exclude(related=None)
    assert linked.count() > 100
    for rec in linked.prefetch_related("related")[:50]:
        assert all(other.document_id != rec.document_id for other in rec.related.all())


@pytest.mark.django_db
def test_every_institution_kind_is_present(demo: DemoSummary) -> None:
    kinds = set(Institution.objects.values_list("kind", flat=True))
    assert kinds == set(InstitutionKind.values)
    assert Institution.objects.filter(kind=InstitutionKind.MINISTRY).count() >= 6
    assert Institution.objects.filter(kind=InstitutionKind.CSO).count() == 3


@pytest.mark.django_db
def test_clusters_priorities_statuses_and_publication_are_mixed(demo: DemoSummary) -> None:
    total = Recommendation.objects.count()
    assert 6 <= Cluster.objects.count() <= 8
    assert not Cluster.objects.filter(lead_institution=None).exists()
    clustered = Recommendation.objects.exclude(cluster=None).count()
    assert 0.7 * total <= clustered <= 0.9 * total
    prioritised = Recommendation.objects.exclude(priority="").count()
    assert 0.3 * total <= prioritised <= 0.6 * total
    assert Recommendation.objects.values("status").distinct().count() == 5

    states = dict(
        Recommendation.objects.values_list("publication_state").annotate(n=Count("id")).order_by()
    )
    assert 0.85 * total <= states[PublicationState.PUBLISHED] <= 0.95 * total
    assert states[PublicationState.DRAFT] > 0
    assert states.get(PublicationState.ARCHIVED, 0) > 0


@pytest.mark.django_db
def test_one_demo_user_per_role_with_a_membership_and_the_demo_password(
    demo: DemoSummary,
) -> None:
    usernames = [user.username for user in DEMO_USERS]
    roles = set(
        Membership.objects.filter(user__username__in=usernames).values_list("role", flat=True)
    )
    assert roles == set(Role.values)
    for username, _name, role, institution in (
        (u.username, u.name, u.role, u.institution) for u in DEMO_USERS
    ):
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert user.name
        assert user.memberships.get().institution.name == institution
        assert user.has_role(role)
        assert not user.is_staff
    secretariat = Membership.objects.get(user__username="secretariat").institution
    assert secretariat.kind == InstitutionKind.SECRETARIAT
    admin = User.objects.get(username=ADMIN_USERNAME)
    assert admin.is_superuser
    assert admin.is_staff
    assert admin.check_password(DEMO_PASSWORD)
    assert [login.username for login in demo.logins] == [*usernames, ADMIN_USERNAME]


@pytest.mark.django_db
def test_focal_point_sees_the_drafts_of_the_cluster_their_ministry_leads(
    demo: DemoSummary,
) -> None:
    focal = User.objects.get(username="focal")
    visible = visible_recommendations(focal)
    drafts = visible.filter(publication_state=PublicationState.DRAFT)
    assert drafts.exists()
    assert set(drafts.values_list("cluster__lead_institution__name", flat=True)) == {
        "Ministry of Justice"
    }
    assert visible_recommendations(None).count() < visible.count()


@pytest.mark.django_db
def test_second_load_adds_nothing_and_writes_no_history(demo: DemoSummary) -> None:
    before = (
        Context.objects.count(),
        Events.objects.count(),
        ImportRun.objects.count(),
        DemoRecord.objects.count(),
    )
    again = load_demo_data()
    assert again.counts == demo.counts
    assert again.created == {}
    after = (
        Context.objects.count(),
        Events.objects.count(),
        ImportRun.objects.count(),
        DemoRecord.objects.count(),
    )
    assert after == before
    assert Recommendation.objects.count() == demo.counts["recommendations"]
    usernames = [user.username for user in DEMO_USERS]
    assert User.objects.filter(username__in=usernames).count() == len(DEMO_USERS)


@pytest.mark.django_db
def test_a_reload_keeps_what_people_changed(demo: DemoSummary) -> None:
    rec = Recommendation.objects.filter(priority="").first()
    Recommendation.objects.filter(pk=rec.pk).update(priority="high", national_notes="Ours.")
    Cluster.objects.filter(name="Education").update(description="Renamed by the NMRF.")
    load_demo_data()
    rec.refresh_from_db()
    assert (rec.priority, rec.national_notes) == ("high", "Ours.")
    assert Cluster.objects.get(name="Education").description == "Renamed by the NMRF."


@pytest.mark.django_db
def test_command_prints_counts_and_one_login_per_role(demo: DemoSummary) -> None:
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    output = out.getvalue()
    line = next(row for row in output.splitlines() if row.strip().startswith("recommendations"))
    assert line.split()[1] == str(demo.counts["recommendations"])
    assert LOGIN_URL in output
    for user in DEMO_USERS:
        assert f"  {user.username} " in output
    assert DEMO_PASSWORD in output


@pytest.mark.django_db
def test_command_rejects_an_unknown_tracker_country(demo: DemoSummary, settings: Settings) -> None:
    settings.TRACKER_COUNTRY = "XYZ"
    with pytest.raises(CommandError, match="XYZ"):
        call_command("load_demo_data", stdout=io.StringIO())

"""Re-imports, updates, withdrawals, dry runs, the country filter, resuming, and the command."""

from __future__ import annotations

import io
import itertools
import json
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connections, transaction
from django.utils import timezone
from pghistory.models import Context, Events

from recommendations.importers.pipeline import Importer, Prepared
from recommendations.models import (
    AffectedGroup,
    Document,
    ImplementationStatus,
    ImportChange,
    ImportIssue,
    ImportRun,
    ImportStatus,
    Mechanism,
    Priority,
    PublicationState,
    Recommendation,
    RecommendationText,
    ReviewCycle,
    Theme,
)
from recommendations.services import import_run_create, import_run_execute
from tests.factories.recommendations import ClusterFactory
from tracker.models import Country

from .helpers import feed_records, imported, run_import, snapshot, write_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

DEATH_PENALTY = "59f06e84-94ce-4758-a4a8-a2ca89c4f251"  # Iraq, UPR 136.45
RATIFY_OPCAT = "0377fd67-7e1a-4ea4-bf88-a9a4595da5b3"  # Iraq, UPR 136.1
IRAQ_WGEID = "7ad24cca-a48d-4f37-90ce-ead48ceadb2d"  # Iraq, WG Disappearances 79
FRANCE_CRC_CONCERN = "8f4685ea-871a-4f4a-9e29-952dabd70159"
FRANCE_RACIAL_PROFILING = "8bfae9f4-e70a-40c4-81b4-41f59d939a59"  # France, UPR, noted
FRANCE = {"e992e4a4-e3a9-4a45-adf2-66c3ceda286b", FRANCE_CRC_CONCERN, FRANCE_RACIAL_PROFILING}
IRAQ_COUNT = 6
ALL = 11


def events() -> int:
    """History events and the contexts they hang on: an unchanged import adds neither."""
    return Events.objects.count() + Context.objects.count()


def without(*annotation_ids: str) -> list[dict[str, Any]]:
    return [r for r in feed_records() if r["AnnotationId"] not in annotation_ids]


def counts(run: ImportRun) -> dict[str, int]:
    return {
        **run.summary(),
        "skipped": run.skipped,
        "rows_read": run.rows_read,
        "rows_done": run.rows_done,
    }


def new_record(name: str, **changes: Any) -> dict[str, Any]:
    return {
        **feed_records()[0],
        "AnnotationId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"idempotency/{name}")),
        "Text": f"136.{150 + len(name)} Adopt a national action plan on {name}",
        **changes,
    }


# -- re-import -------------------------------------------------------------------------------------


@pytest.mark.parametrize("feed", ["json", "xlsx", "csv"], indirect=True)
def test_reimport_of_the_same_feed_changes_nothing(feed: Path) -> None:
    first = run_import(feed)
    assert first.created == ALL
    events_before = events()
    stored_before = snapshot()
    texts_before = set(RecommendationText.objects.values_list("id", "text", "html"))
    documents_before = set(Document.objects.values_list("id", "cycle", "publication_date"))
    themes_before = Theme.objects.count()

    again = run_import(feed)

    assert again.status == ImportStatus.SUCCEEDED, again.error
    assert again.summary() == {
        "created": 0,
        "updated": 0,
        "unchanged": ALL,
        "withdrawn": 0,
        "rejected": 0,
    }
    assert events() == events_before  # no audit event at all
    assert snapshot() == stored_before  # same hash, version and updated_at
    assert set(RecommendationText.objects.values_list("id", "text", "html")) == texts_before
    assert set(Document.objects.values_list("id", "cycle", "publication_date")) == documents_before
    assert Theme.objects.count() == themes_before
    assert not again.changes.exists()
    assert not again.review_list().exists()
    assert not again.issues.exists()


def test_a_changed_text_is_an_update_with_the_old_and_new_text(
    tmp_path: Path, feed_json: Path
) -> None:
    first = run_import(feed_json)
    old_text = Recommendation.objects.get(annotation_id=DEATH_PENALTY).texts.get().text
    records = feed_records()
    [changed] = [r for r in records if r["AnnotationId"] == DEATH_PENALTY]
    changed["Text"] = "<p>136.45&nbsp;Abolish the death penalty without delay</p>"
    others_before = {k: v for k, v in snapshot().items() if k != DEATH_PENALTY}
    events_before = events()

    run = run_import(write_json(tmp_path / "changed.json", records))

    assert (run.created, run.updated, run.unchanged, run.withdrawn, run.rejected) == (
        0,
        1,
        ALL - 1,
        0,
        0,
    )
    recommendation = Recommendation.objects.get(annotation_id=DEATH_PENALTY)
    [change] = run.changes.all()
    assert change.kind == ImportChange.Kind.TEXT_CHANGED
    assert change.recommendation_id == recommendation.pk
    assert str(change.annotation_id) == DEATH_PENALTY
    assert (change.symbol, change.paragraph) == ("A/HRC/59/15", "136.45")
    assert change.old_text == old_text
    assert old_text.startswith("136.45 Abolish the death penalty and, pending abolition")
    assert change.new_text == "136.45 Abolish the death penalty without delay"
    text = recommendation.texts.get(language="en")
    assert text.text == "136.45 Abolish the death penalty without delay"
    assert text.html == "<p>136.45 Abolish the death penalty without delay</p>"
    assert recommendation.version == 2
    assert recommendation.created_by_run_id == first.pk
    assert recommendation.updated_by_run_id == run.pk
    assert {k: v for k, v in snapshot().items() if k != DEATH_PENALTY} == others_before
    assert events() > events_before  # the change is audited


def test_other_changed_fields_are_an_update_of_kind_changed(
    tmp_path: Path, feed_json: Path
) -> None:
    run_import(feed_json)
    records = feed_records()
    [changed] = [r for r in records if r["AnnotationId"] == FRANCE_RACIAL_PROFILING]
    changed["UprPosition"] = "Supported"
    changed["Themes"] = ["Racial discrimination", "Administration of justice & fair trial"]
    changed["UprRecommendingStates"] = ["Chile", "Iraq"]

    run = run_import(write_json(tmp_path / "changed.json", records))

    assert (run.updated, run.unchanged) == (1, ALL - 1)
    [change] = run.changes.all()
    assert change.kind == ImportChange.Kind.CHANGED
    assert change.old_text == change.new_text
    row = imported()[FRANCE_RACIAL_PROFILING]
    assert row["position"] == "supported"
    assert row["themes"] == ["Administration of justice & fair trial", "Racial discrimination"]
    assert row["recommending_states"] == ["CHL", "IRQ"]

    # Removing a tag removes the link.
    changed["Themes"] = ["Racial discrimination"]
    run_import(write_json(tmp_path / "changed_again.json", records))
    assert imported()[FRANCE_RACIAL_PROFILING]["themes"] == ["Racial discrimination"]


def test_national_edits_survive_a_reimport_with_a_changed_text(
    tmp_path: Path, feed_json: Path
) -> None:
    run_import(feed_json)
    cluster = ClusterFactory(name="Justice and accountability")
    Recommendation.objects.filter(annotation_id=DEATH_PENALTY).update(
        cluster=cluster,
        priority=Priority.HIGH,
        national_notes="Discussed with the Ministry of Justice on 3 May.",
        publication_state=PublicationState.DRAFT,
        status=ImplementationStatus.IN_PROGRESS,
        status_override_reason="Bill before parliament.",
        position_source="Addendum A/HRC/59/15/Add.1",
    )
    records = feed_records()
    [changed] = [r for r in records if r["AnnotationId"] == DEATH_PENALTY]
    changed["Text"] = "136.45 Abolish the death penalty in law and in practice"
    changed["UprPosition"] = "Supported"

    run = run_import(write_json(tmp_path / "changed.json", records))

    assert run.updated == 1
    recommendation = Recommendation.objects.get(annotation_id=DEATH_PENALTY)
    assert recommendation.texts.get().text == changed["Text"]
    assert recommendation.position == "supported"
    assert recommendation.cluster == cluster
    assert recommendation.priority == Priority.HIGH
    assert recommendation.national_notes == "Discussed with the Ministry of Justice on 3 May."
    assert recommendation.publication_state == PublicationState.DRAFT
    assert recommendation.status == ImplementationStatus.IN_PROGRESS
    assert recommendation.status_override_reason == "Bill before parliament."
    assert recommendation.position_source == "Addendum A/HRC/59/15/Add.1"


# -- withdrawal ------------------------------------------------------------------------------------


def test_a_record_missing_from_a_complete_country_feed_is_withdrawn(
    tmp_path: Path, feed_json: Path
) -> None:
    run_import(feed_json)
    text = Recommendation.objects.get(annotation_id=DEATH_PENALTY).texts.get().text

    run = run_import(write_json(tmp_path / "iraq.json", without(DEATH_PENALTY)), country="IRQ")

    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.created, run.updated, run.unchanged, run.withdrawn) == (0, 0, IRAQ_COUNT - 1, 1)
    assert run.skipped == ALL - IRAQ_COUNT  # France and Chile
    recommendation = Recommendation.objects.get(annotation_id=DEATH_PENALTY)  # not deleted
    assert recommendation.withdrawn_at is not None
    assert recommendation.is_current is False
    assert recommendation.updated_by_run_id == run.pk
    assert recommendation.texts.get().text == text
    [change] = run.changes.all()
    assert change.kind == ImportChange.Kind.WITHDRAWN
    assert change.recommendation_id == recommendation.pk
    assert change.old_text == text
    still_current = Recommendation.objects.exclude(annotation_id=DEATH_PENALTY)
    assert still_current.count() == ALL - 1
    assert not still_current.filter(withdrawn_at__isnull=False).exists()

    # A later feed that has it again brings it back.
    back = run_import(feed_json, country="IRQ")
    assert (back.updated, back.withdrawn) == (1, 0)
    recommendation.refresh_from_db()
    assert (recommendation.withdrawn_at, recommendation.is_current) == (None, True)


def test_a_feed_without_country_withdraws_only_in_the_countries_it_covers(
    tmp_path: Path, feed_json: Path
) -> None:
    run_import(feed_json)
    iraq_only = [r for r in without(IRAQ_WGEID) if r["Countries"] == ["Iraq"]]

    run = run_import(write_json(tmp_path / "iraq.json", iraq_only))

    assert run.withdrawn == 1
    withdrawn = Recommendation.objects.filter(withdrawn_at__isnull=False)
    assert [str(r.annotation_id) for r in withdrawn] == [IRAQ_WGEID]


@pytest.mark.parametrize("batch_size", [None, 2])
def test_a_truncated_feed_withdraws_nothing(
    tmp_path: Path, feed_json: Path, batch_size: int | None
) -> None:
    run_import(feed_json)
    before = snapshot()
    text = json.dumps(without(DEATH_PENALTY))  # complete, this feed would withdraw 136.45
    path = tmp_path / "truncated.json"
    path.write_text(text[: len(text) * 3 // 4])

    run = run_import(path, country="IRQ", batch_size=batch_size)

    assert "truncated" in run.error
    assert run.withdrawn == 0
    assert not run.changes.filter(kind=ImportChange.Kind.WITHDRAWN).exists()
    assert snapshot() == before
    if batch_size is None:  # nothing committed: the run failed
        assert run.status == ImportStatus.FAILED


def test_a_feed_truncated_after_a_committed_batch_fails_the_run(
    tmp_path: Path, feed_json: Path
) -> None:
    text = json.dumps(feed_records())
    path = tmp_path / "truncated.json"
    path.write_text(text[: len(text) - 100])  # only the last record is cut

    out = io.StringIO()
    try:
        call_command("import_uhri", str(path), "--batch-size", "3", stdout=out)
        exit_code = 0
    except CommandError:
        exit_code = 1

    run = ImportRun.objects.get()
    assert "truncated" in run.error
    assert run.status == ImportStatus.FAILED
    assert exit_code == 1
    assert run.rows_read + run.rejected == ALL - 1


@pytest.mark.parametrize("content", [b"[]", b'[{"AnnotationId": "not-a-uuid"}]'])
def test_a_feed_with_no_usable_record_for_the_country_withdraws_nothing(
    tmp_path: Path, feed_json: Path, content: bytes
) -> None:
    run_import(feed_json)
    path = tmp_path / "nothing.json"
    path.write_bytes(content)

    run = run_import(path, country="IRQ")

    assert run.withdrawn == 0
    assert not Recommendation.objects.filter(withdrawn_at__isnull=False).exists()


# -- dry run ---------------------------------------------------------------------------------------


def _state() -> dict[str, Any]:
    return {
        "recommendations": snapshot(),
        "counts": [
            m.objects.count()
            for m in (
                Recommendation,
                RecommendationText,
                Theme,
                AffectedGroup,
                Mechanism,
                Document,
                ReviewCycle,
            )
        ],
        "links": [
            Recommendation.themes.through.objects.count(),
            Recommendation.sdg_targets.through.objects.count(),
            Recommendation.recommending_states.through.objects.count(),
        ],
        "events": events(),
    }


def _issues(run: ImportRun) -> list[tuple[Any, ...]]:
    return sorted(
        (
            -1 if i.row is None else i.row,
            i.annotation_id,
            i.field,
            i.severity,
            i.raw_value,
            i.reason if i.severity == ImportIssue.Severity.ERROR else "",
        )
        for i in run.issues.all()
    )


def _changes(run: ImportRun) -> list[tuple[Any, ...]]:
    """The review list as the page shows it: a new row's text is read from the row itself."""
    return sorted(
        (
            str(c["annotation_id"]),
            c["kind"],
            c["symbol"],
            c["paragraph"],
            c["old_text"],
            c["new_text"] or (c["stored_text"] if c["kind"] == "new" else ""),
        )
        for c in run.review_list()
    )


def test_a_dry_run_reports_what_the_real_run_does_and_writes_nothing(
    tmp_path: Path, feed_json: Path
) -> None:
    run_import(feed_json)
    records = without(IRAQ_WGEID)  # withdrawn: Iraq is in the feed
    [text_changed] = [r for r in records if r["AnnotationId"] == DEATH_PENALTY]
    text_changed["Text"] = "136.45 Abolish the death penalty without delay"
    [position_changed] = [r for r in records if r["AnnotationId"] == FRANCE_RACIAL_PROFILING]
    position_changed["UprPosition"] = "Supported"
    records.append(
        new_record(
            "business",
            Body="WG Business",
            Symbol="A/HRC/62/40/Add.2",
            DocumentId="",
            Themes=["Business & human rights (new label)"],
            AffectedPersons=["Workers in the informal economy"],
        )
    )
    records.append(new_record("bad", Sdgs=["16.99 - An imaginary target"]))
    path = write_json(tmp_path / "next.json", records)
    before = _state()

    dry = run_import(path, dry_run=True)

    assert dry.status == ImportStatus.SUCCEEDED, dry.error
    assert _state() == before  # nothing written: no row, no theme, no link, no event
    assert not Theme.objects.filter(name="Business & human rights (new label)").exists()
    real = run_import(path)
    assert real.summary() == {
        "created": 1,
        "updated": 2,
        "unchanged": ALL - 3,
        "withdrawn": 1,
        "rejected": 1,
    }
    assert counts(dry) == counts(real)
    assert _issues(dry) == _issues(real)
    assert _changes(dry) == _changes(real)
    assert {c["kind"] for c in real.review_list()} == {
        "new",
        "text_changed",
        "changed",
        "withdrawn",
    }
    # A real run keeps no copy of what it created: its new rows are the recommendations it made.
    assert not real.changes.filter(kind=ImportChange.Kind.NEW).exists()
    [created] = real.review_list(ImportChange.Kind.NEW)
    assert created["recommendation_id"] == Recommendation.objects.get(created_by_run=real).pk
    assert Theme.objects.filter(name="Business & human rights (new label)", is_reviewed=False)


# -- country filter --------------------------------------------------------------------------------


@pytest.mark.parametrize("feed", ["json", "xlsx", "csv"], indirect=True)
def test_the_country_filter_imports_only_that_states_records(feed: Path) -> None:
    run = run_import(feed, country="FRA")

    assert run.status == ImportStatus.SUCCEEDED, run.error
    assert (run.created, run.skipped, run.rejected, run.withdrawn) == (3, ALL - 3, 0, 0)
    # Iraq's and Chile's records that France recommended are not France's.
    assert set(imported()) == FRANCE


# A one-country read passes over other States' records in runs (``Skipped``): a run may span the row
# where an earlier attempt stopped, and a batch must still end there.
@pytest.mark.parametrize("resume_after", range(ALL + 1))
def test_a_one_country_read_ends_a_batch_where_an_earlier_attempt_stopped(
    feed_json: Path, resume_after: int
) -> None:
    iraq = Country.objects.get(iso3="IRQ")
    run = import_run_create(actor=None, source=str(feed_json), country=iraq, enqueue=False)
    importer = Importer(run, batch_size=2)

    with feed_json.open("rb") as stream:
        batches = list(importer._batches(stream, resume_after=resume_after))

    ends = set(itertools.accumulate(batch.consumed for batch in batches))
    assert resume_after in {0, *ends}
    assert sum(batch.consumed for batch in batches) == ALL
    assert sum(batch.skipped for batch in batches) == ALL - IRAQ_COUNT
    rows = [record["AnnotationId"] for batch in batches for _row, record in batch.rows]
    iraq_rows = [r["AnnotationId"] for r in feed_records() if "Iraq" in r["Countries"]]
    assert rows == iraq_rows


# -- resume ----------------------------------------------------------------------------------------


def expire_lease(run: ImportRun) -> None:
    """As if the lease had run out: its worker stopped renewing it."""
    ImportRun.objects.filter(pk=run.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )


class WorkerLost(BaseException):
    """Like a killed worker, nothing in the import may catch it: the run is left "running"."""


def _failing_second_batch(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make ``Importer.send_batch`` raise on its second call, as if the worker died there."""
    calls: list[int] = []
    original = Importer.send_batch

    def send_batch(self: Importer, prepared: Prepared, rendered: Any) -> None:
        calls.append(len(prepared.batch.records))
        if len(calls) == 2:
            raise WorkerLost("worker lost")
        original(self, prepared, rendered)

    monkeypatch.setattr(Importer, "send_batch", send_batch)
    return calls


# The second attempt may cut its batches elsewhere (another batch size, or smaller batches when the
# writer waits for the reader): it must still start right after the rows the first one committed.
@pytest.mark.parametrize("resume_batch_size", [3, 2, 4])
def test_an_interrupted_run_resumes_after_its_last_committed_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, resume_batch_size: int
) -> None:
    # The duplicate of the first record sits in the last batch: resuming must still see the first.
    records = [*feed_records(), {**feed_records()[0], "Text": "136.1 A later duplicate"}]
    path = write_json(tmp_path / "feed.json", records)
    with transaction.atomic():
        clean = run_import(path, batch_size=3)
        clean_counts, clean_issues, clean_changes = counts(clean), _issues(clean), _changes(clean)
        transaction.set_rollback(True)
    assert clean_counts["created"] == ALL
    assert clean_counts["rejected"] == 1
    run = import_run_create(actor=None, source=str(path), enqueue=False)
    calls = _failing_second_batch(monkeypatch)

    with pytest.raises(WorkerLost, match="worker lost"):
        import_run_execute(import_run_id=run.pk, batch_size=3)

    run.refresh_from_db()
    assert run.status == ImportStatus.RUNNING
    assert (run.rows_done, run.created) == (3, 3)
    assert Recommendation.objects.count() == 3
    assert calls == [3, 3]
    monkeypatch.undo()
    # While the lost worker's lease lives, nobody else runs the run.
    assert import_run_execute(import_run_id=run.pk, batch_size=3).rows_done == 3
    run.refresh_from_db()
    assert (run.status, run.rows_done, run.attempts, run.interruptions) == (
        ImportStatus.RUNNING,
        3,
        1,
        0,
    )
    expire_lease(run)

    resumed = import_run_execute(import_run_id=run.pk, batch_size=resume_batch_size)
    assert (resumed.attempts, resumed.interruptions) == (2, 1)

    assert resumed.status == ImportStatus.SUCCEEDED, resumed.error
    assert counts(resumed) == clean_counts
    assert _issues(resumed) == clean_issues
    assert _changes(resumed) == clean_changes
    assert Recommendation.objects.count() == ALL
    ids = list(Recommendation.objects.values_list("annotation_id", flat=True))
    assert len(set(ids)) == len(ids)
    assert (
        Recommendation.objects.get(annotation_id=RATIFY_OPCAT)
        .texts.get()
        .text.startswith("136.1 Ratify")
    )
    # A finished run is left as it is.
    assert counts(import_run_execute(import_run_id=run.pk, batch_size=3)) == clean_counts


def test_a_resumed_run_withdraws_only_what_the_whole_feed_lacks(
    tmp_path: Path, feed_json: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = new_record("extra")
    run_import(write_json(tmp_path / "with_extra.json", [*feed_records(), extra]))
    run = import_run_create(actor=None, source=str(feed_json), enqueue=False)
    _failing_second_batch(monkeypatch)
    with pytest.raises(WorkerLost):
        import_run_execute(import_run_id=run.pk, batch_size=3)
    monkeypatch.undo()
    expire_lease(run)

    resumed = import_run_execute(import_run_id=run.pk, batch_size=3)

    assert (resumed.unchanged, resumed.withdrawn) == (ALL, 1)
    withdrawn = Recommendation.objects.filter(withdrawn_at__isnull=False)
    assert [str(r.annotation_id) for r in withdrawn] == [extra["AnnotationId"]]


# -- the command -----------------------------------------------------------------------------------


def test_the_command_prints_the_summary(feed_json: Path) -> None:
    out = io.StringIO()

    call_command("import_uhri", str(feed_json), stdout=out)

    run = ImportRun.objects.get()
    assert out.getvalue().splitlines() == [
        f"Import #{run.pk} (JSON): Finished",
        "language: en",
        "created: 11",
        "updated: 0",
        "unchanged: 0",
        "withdrawn: 0",
        "rejected: 0",
    ]


def test_the_command_prints_rejected_rows_dry_run_and_other_countries(tmp_path: Path) -> None:
    records = [*feed_records(), new_record("bad", Sdgs=["16.99 - An imaginary target"])]
    path = write_json(tmp_path / "feed.json", records)
    out = io.StringIO()

    call_command("import_uhri", str(path), "--country", "irq", "--dry-run", stdout=out)

    run = ImportRun.objects.get()
    assert out.getvalue().splitlines() == [
        f"Import #{run.pk} (JSON, dry run): Finished",
        "language: en",
        f"created: {IRAQ_COUNT}",
        "updated: 0",
        "unchanged: 0",
        "withdrawn: 0",
        "rejected: 1",
        f"other countries: {ALL - IRAQ_COUNT}",
        "  row 12: Sdgs: SDG target 16.99 does not exist",
    ]
    assert not Recommendation.objects.exists()


def test_the_command_exits_0_on_success_and_1_on_an_unusable_source(
    tmp_path: Path,
    feed_json: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # run_from_argv closes the connections when done, which would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    ManagementUtility(["manage.py", "import_uhri", str(feed_json)]).execute()  # no SystemExit
    assert "created: 11" in capsys.readouterr().out

    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", "import_uhri", str(tmp_path / "missing.json")]).execute()

    assert exit_.value.code == 1
    assert "No such file" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "content", "options", "message"),
    [
        ("missing.json", None, [], "No such file"),
        ("feed.txt", b"[]", [], "Cannot tell the format"),
        ("feed.json", b'[{"AnnotationId": ', [], "malformed or truncated"),
        ("feed.json", b'{"records": []}', [], "must be an array"),
        ("feed.csv", b"a,b\r\n1,2\r\n", [], "does not have the UHRI export columns"),
        ("feed.csv", "Text;Symbol\r\nÉgalité".encode("latin-1"), [], "not UTF-8"),
        ("feed.json", b"[]", ["--country", "XXX"], "Unknown country code"),
        pytest.param(
            "feed.json",
            b"[]",
            ["--format", "xlsx"],
            "not a readable XLSX",
        ),
    ],
)
def test_the_command_raises_command_error_for_an_unusable_source(
    tmp_path: Path, name: str, content: bytes | None, options: list[str], message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        call_command("import_uhri", str(path), *options, stdout=io.StringIO())

    assert not ImportRun.objects.filter(status=ImportStatus.RUNNING).exists()


# -- documents -------------------------------------------------------------------------------------


def test_a_document_id_given_to_two_symbols_stays_with_the_first(tmp_path: Path) -> None:
    shared = "3f0c6b52-4a57-4d3e-9d1e-2b8a3c1d9e01"
    first = new_record("first", Symbol="A/HRC/62/1", DocumentId=shared)
    second = new_record("second", Symbol="A/HRC/62/2", DocumentId=shared)
    run_import(write_json(tmp_path / "one.json", [first]))

    run = run_import(write_json(tmp_path / "two.json", [first, second]))

    assert (run.created, run.unchanged, run.rejected) == (1, 1, 0)
    assert Document.objects.get(symbol="A/HRC/62/1").uhri_document_id == uuid.UUID(shared)
    assert Document.objects.get(symbol="A/HRC/62/2").uhri_document_id is None
    [issue] = run.issues.filter(field="DocumentId")
    assert issue.reason.startswith("DocumentId already belongs to another document")
    assert issue.raw_value == shared
    assert issue.annotation_id == second["AnnotationId"]


def test_labels_that_differ_only_in_case_link_once(tmp_path: Path) -> None:
    """New rows are COPYed without ON CONFLICT: two labels of one theme must not give two links."""
    record = new_record(
        "case",
        Themes=["Right to education", "RIGHT TO EDUCATION"],
        AffectedPersons=["Children", "children"],
        Sdgs=["4.1 - Free primary and secondary education", "4.1 - (again)"],
    )

    run = run_import(write_json(tmp_path / "case.json", [record]))

    assert run.status == ImportStatus.SUCCEEDED, run.error
    recommendation = Recommendation.objects.get(annotation_id=record["AnnotationId"])
    assert [t.name.casefold() for t in recommendation.themes.all()] == ["right to education"]
    assert [g.name.casefold() for g in recommendation.affected_groups.all()] == ["children"]
    assert [t.code for t in recommendation.sdg_targets.all()] == ["4.1"]


def test_new_rows_are_audited_like_any_insert(feed_json: Path) -> None:
    """The COPY of new rows fires the same history triggers as an INSERT, under the run's context."""
    run = run_import(feed_json)

    recommendation_ids = set(Recommendation.objects.values_list("pk", flat=True))
    inserted = Events.objects.filter(pgh_model="recommendations.RecommendationEvent")
    assert set(inserted.values_list("pgh_obj_id", flat=True)) == {
        str(pk) for pk in recommendation_ids
    }
    theme_links = Recommendation.themes.through.objects.count()
    assert Events.objects.filter(pgh_model="recommendations.RecommendationThemeEvent").count() == (
        theme_links
    )
    contexts = Context.objects.filter(metadata__import_run=run.pk)
    assert contexts.exists()
    assert set(inserted.values_list("pgh_context_id", flat=True)) <= set(
        contexts.values_list("id", flat=True)
    )


def _planner_rows(model: type[Recommendation] | type[RecommendationText]) -> float:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [model._meta.db_table])
        return cursor.fetchone()[0]


def test_a_large_import_refreshes_the_planners_statistics(
    feed_json: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past ANALYZE_AFTER_ROWS rows written, the import analyses its tables: the planner then
    knows the rows (pg_class.reltuples), instead of planning from an empty table's figures."""
    with connections["default"].cursor() as cursor:
        cursor.execute("ANALYZE recommendations_recommendation, recommendations_recommendationtext")
    assert _planner_rows(Recommendation) <= 0
    monkeypatch.setattr("recommendations.importers.pipeline.ANALYZE_AFTER_ROWS", ALL + 1)
    run_import(feed_json, dry_run=True)
    run_import(feed_json)  # 11 rows: below the line
    assert _planner_rows(Recommendation) <= 0

    monkeypatch.setattr("recommendations.importers.pipeline.ANALYZE_AFTER_ROWS", 1)
    run_import(feed_json, dry_run=True)  # a dry run writes nothing, analyses nothing
    assert _planner_rows(Recommendation) <= 0
    Recommendation.objects.filter(annotation_id=DEATH_PENALTY).delete()
    run_import(feed_json)  # one row created again
    assert _planner_rows(Recommendation) == Recommendation.objects.count() == ALL
    assert _planner_rows(RecommendationText) == RecommendationText.objects.count()

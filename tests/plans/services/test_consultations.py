"""Consultations and their documents."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from plans import services
from plans.models import Consultation, ConsultationDocument
from tests.factories.plans import ConsultationFactory
from tests.plans import documents
from tests.plans.conftest import actions_of
from tracker.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


def test_a_consultation_with_the_nhri_and_civil_society(secretariat, nhri, cso, recommendation):
    participants = [m.institution for m in (*nhri.memberships.all(), *cso.memberships.all())]
    consultation = services.consultation_create(
        actor=secretariat,
        held_on=datetime.date(2025, 2, 15),
        title="Validation workshop",
        participants=participants,
        recommendations=[recommendation.pk],
        summary="Measure by measure.",
    )
    assert set(consultation.participants.all()) == set(participants)
    assert list(consultation.recommendations.all()) == [recommendation]
    assert set(actions_of(consultation)) == {"consultation_create"}


def test_a_consultation_has_participants(secretariat):
    with pytest.raises(ApplicationError) as exc:
        services.consultation_create(
            actor=secretariat, held_on=datetime.date(2025, 2, 15), title="Alone", participants=[]
        )
    assert "participants" in exc.value.extra["fields"]
    assert not Consultation.objects.exists()


@pytest.mark.parametrize("persona_name", ["focal_point", "nhri", "cso", "partner"])
def test_only_the_secretariat_records_consultations(persona, persona_name, ministry_a):
    with pytest.raises(PermissionDenied):
        services.consultation_create(
            actor=persona(persona_name),
            held_on=datetime.date(2025, 2, 15),
            title="Mine",
            participants=[ministry_a],
        )
    assert not Consultation.objects.exists()


def test_a_consultation_is_changed(secretariat, ministry_a, ministry_b):
    consultation = ConsultationFactory(participants=[ministry_a])
    services.consultation_update(
        actor=secretariat, consultation=consultation, title="Renamed", participants=[ministry_b]
    )
    consultation.refresh_from_db()
    assert consultation.title == "Renamed"
    assert list(consultation.participants.all()) == [ministry_b]
    with pytest.raises(ApplicationError):
        services.consultation_update(actor=secretariat, consultation=consultation, participants=[])


@pytest.mark.parametrize(
    ("content", "content_type", "extension"),
    [
        (documents.PDF, "application/pdf", "pdf"),
        (documents.PNG, "image/png", "png"),
        (documents.JPEG, "image/jpeg", "jpg"),
        (
            documents.DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        (
            documents.XLSX,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        (documents.ODT, "application/vnd.oasis.opendocument.text", "odt"),
    ],
)
def test_documents_are_typed_by_their_content(secretariat, media, content, content_type, extension):
    consultation = ConsultationFactory()
    document = services.consultation_document_add(
        actor=secretariat,
        consultation=consultation,
        file=documents.upload(content, name="Minutes of the meeting.bin"),
    )
    assert (document.content_type, document.size) == (content_type, len(content))
    assert document.title == "Minutes of the meeting.bin"
    path = Path(document.file.path)
    assert path.name == f"Minutes-of-the-meeting.{extension}"
    assert path.read_bytes() == content
    assert path.is_relative_to(media / "consultations")


@pytest.mark.parametrize(
    "content",
    [b"<html><script>alert(1)</script></html>", documents.DOCM, documents.ZIP, b"MZ\x90\x00"],
    ids=["html", "word with macros", "zip", "executable"],
)
def test_other_files_are_refused(secretariat, media, content):
    consultation = ConsultationFactory()
    with pytest.raises(ApplicationError) as exc:
        services.consultation_document_add(
            actor=secretariat, consultation=consultation, file=documents.upload(content)
        )
    assert "file" in exc.value.extra["fields"]
    assert not ConsultationDocument.objects.exists()
    assert not any(media.rglob("*.*"))


def test_a_file_over_the_limit_is_refused(secretariat, settings, media):
    settings.TRACKER_DOCUMENT_MAX_BYTES = 100
    with pytest.raises(ApplicationError) as exc:
        services.consultation_document_add(
            actor=secretariat,
            consultation=ConsultationFactory(),
            file=documents.upload(documents.PDF + b"x" * 100),
        )
    assert "file" in exc.value.extra["fields"]
    assert not ConsultationDocument.objects.exists()


def test_the_nhri_does_not_upload(nhri):
    with pytest.raises(PermissionDenied):
        services.consultation_document_add(
            actor=nhri, consultation=ConsultationFactory(), file=documents.upload(documents.PDF)
        )
    assert not ConsultationDocument.objects.exists()


def test_deleting_a_document_deletes_its_file_after_commit(
    secretariat, django_capture_on_commit_callbacks
):
    document = services.consultation_document_add(
        actor=secretariat,
        consultation=ConsultationFactory(),
        file=documents.upload(documents.PDF),
    )
    path = Path(document.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_document_delete(actor=secretariat, document=document)
    assert not ConsultationDocument.objects.exists()
    assert not path.exists()


def test_deleting_a_consultation_deletes_its_files(secretariat, django_capture_on_commit_callbacks):
    consultation = ConsultationFactory()
    document = services.consultation_document_add(
        actor=secretariat, consultation=consultation, file=documents.upload(documents.PDF)
    )
    path = Path(document.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_delete(actor=secretariat, consultation=consultation)
    assert not path.exists()
    assert not Consultation.objects.exists()

"""The consultations API, with the documents uploaded (multipart) and read through it only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plans.models import Consultation, ConsultationDocument
from tests.factories.plans import ConsultationFactory
from tests.plans import documents

pytestmark = pytest.mark.django_db

LIST = reverse("api:consultation-list")


def docs_url(consultation):
    return reverse("api:consultation-documents", args=[consultation.pk])


def doc_url(consultation, document_pk):
    return reverse("api:consultation-document", args=[consultation.pk, document_pk])


def test_secretariat_records_a_consultation(api_client_as, ministry_a, recommendation):
    response = api_client_as("secretariat").post(
        LIST,
        {
            "held_on": "2025-02-15",
            "title": "Validation workshop",
            "participants": [ministry_a.pk],
            "recommendations": [recommendation.pk],
            "summary": "Measure by measure.",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["participants"], body["recommendations"], body["documents"]) == (
        [ministry_a.pk],
        [recommendation.pk],
        [],
    )


def test_a_consultation_needs_a_participant_and_a_date(api_client_as):
    response = api_client_as("secretariat").post(
        LIST, {"title": "Alone", "participants": []}, format="json"
    )
    assert response.status_code == 400
    assert {"held_on", "participants"} <= set(response.json()["extra"]["fields"])
    assert not Consultation.objects.exists()


def test_upload_read_and_delete_a_document(api_client_as, media):
    consultation = ConsultationFactory()
    client = api_client_as("secretariat")
    response = client.post(
        docs_url(consultation),
        {"file": documents.upload(documents.PDF, name="minutes.pdf"), "title": "Minutes"},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["title"], body["content_type"], body["size"]) == (
        "Minutes",
        "application/pdf",
        len(documents.PDF),
    )
    assert body["url"].endswith(doc_url(consultation, body["id"]))
    listed = client.get(reverse("api:consultation-detail", args=[consultation.pk])).json()
    assert [d["id"] for d in listed["documents"]] == [body["id"]]

    for name in ("secretariat", "nhri", "cso", "partner", "focal_point"):
        file = api_client_as(name).get(
            doc_url(consultation, body["id"]), HTTP_ACCEPT="application/pdf"
        )
        assert file.status_code == 200, name
        assert file["Content-Type"] == "application/pdf"
        assert file["Content-Disposition"].startswith("attachment")
        assert file["X-Content-Type-Options"] == "nosniff"
        assert b"".join(file.streaming_content) == documents.PDF

    assert client.delete(doc_url(consultation, body["id"])).status_code == 204
    assert not ConsultationDocument.objects.exists()


def test_the_public_reads_no_consultation_nor_document(api_client_as, anon_client):
    consultation = ConsultationFactory()
    document = api_client_as("secretariat").post(
        docs_url(consultation), {"file": documents.upload(documents.PDF)}, format="multipart"
    )
    public = api_client_as("public")
    assert public.get(LIST).status_code == 403
    assert public.get(reverse("api:consultation-detail", args=[consultation.pk])).status_code == 403
    assert public.get(doc_url(consultation, document.json()["id"])).status_code == 403


def test_a_document_of_another_consultation_is_404(api_client_as):
    first, second = ConsultationFactory(), ConsultationFactory()
    client = api_client_as("secretariat")
    document = client.post(
        docs_url(first), {"file": documents.upload(documents.PDF)}, format="multipart"
    ).json()
    assert client.get(doc_url(second, document["id"])).status_code == 404
    assert client.get(doc_url(first, 999999)).status_code == 404


def test_a_file_of_another_type_is_a_400(api_client_as, media):
    consultation = ConsultationFactory()
    response = api_client_as("secretariat").post(
        docs_url(consultation),
        {"file": documents.upload(b"<html></html>", name="x.pdf")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "file" in response.json()["extra"]["fields"]
    response = api_client_as("secretariat").post(docs_url(consultation), {}, format="multipart")
    assert response.status_code == 400
    assert not ConsultationDocument.objects.exists()


@pytest.mark.parametrize("persona_name", ["focal_point", "validator", "nhri", "cso", "partner"])
def test_only_the_secretariat_uploads(api_client_as, persona_name, media):
    consultation = ConsultationFactory()
    response = api_client_as(persona_name).post(
        docs_url(consultation), {"file": documents.upload(documents.PDF)}, format="multipart"
    )
    assert response.status_code == 403
    assert not ConsultationDocument.objects.exists()
    assert not any(media.rglob("*.pdf"))


def test_documents_are_not_under_a_public_url(settings):
    """Files are stored under MEDIA_ROOT, but the site serves MEDIA_URL only in DEBUG; in a
    deployment nothing serves it. The API view is the way to the files."""
    assert settings.DEBUG is False
    from django.urls import Resolver404, resolve

    with pytest.raises(Resolver404):
        resolve("/" + settings.MEDIA_URL + "consultations/abc/minutes.pdf")


def test_a_document_whose_file_is_gone_is_404(api_client_as, media):
    consultation = ConsultationFactory()
    client = api_client_as("secretariat")
    body = client.post(
        docs_url(consultation), {"file": documents.upload(documents.PDF)}, format="multipart"
    ).json()
    document = ConsultationDocument.objects.get(pk=body["id"])
    document.file.storage.delete(document.file.name)
    response = client.get(doc_url(consultation, body["id"]))
    assert response.status_code == 404
    assert set(response.json()) == {"message", "extra"}

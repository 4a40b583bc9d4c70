"""Uploads, as an attacker would send them: one byte past the limit, content that is not what its
name says, a zip bomb and an XML bomb. Each is refused with its reason, on the import page and in
the API, before anything is stored."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from recommendations.importers.readers import SourceError, read_xlsx
from recommendations.models import ImportRun
from recommendations.services import import_run_execute
from tests.fixtures.uhri.make_xlsx import write_xlsx
from tests.security.bombs import xml_bomb_xlsx, zip_bomb_xlsx
from tracker.uploads import UploadRefused, check_type, sniff

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
FEED = json.dumps([]).encode()


def _json_of(size: int) -> bytes:
    """A JSON text of exactly ``size`` bytes."""
    return b"[" + b" " * (size - 2) + b"]"


@pytest.fixture
def one_mb_limit(settings):
    settings.TRACKER_UPLOAD_MAX_MB = 1
    return MB


@pytest.mark.parametrize("surface", ["page", "api"])
def test_an_upload_one_byte_past_the_limit_is_refused_with_413_and_nothing_is_stored(
    client_as, api_client_as, one_mb_limit, surface, caplog, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("feed.json", _json_of(one_mb_limit + 1))
    caplog.set_level(logging.INFO, logger="tracker.security")
    if surface == "page":
        response = client_as("secretariat").post(
            reverse("recommendations:import-list"), {"upload": upload}
        )
        assert "larger than the limit of 1 MB" in response.content.decode()
    else:
        response = api_client_as("secretariat").post(
            "/api/v1/import-runs/", {"upload": upload}, format="multipart"
        )
        assert response.json()["message"] == "The file is larger than the limit of 1 MB."
    assert response.status_code == 413
    assert ImportRun.objects.count() == 0
    assert not list(tmp_path.rglob("*.json"))
    assert any(getattr(r, "event", "") == "upload_refused" for r in caplog.records)


@pytest.mark.parametrize("surface", ["page", "api"])
def test_an_upload_exactly_at_the_limit_is_accepted(
    client_as, api_client_as, one_mb_limit, surface, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("feed.json", _json_of(one_mb_limit))
    if surface == "page":
        response = client_as("secretariat").post(
            reverse("recommendations:import-list"), {"upload": upload, "dry_run": "on"}
        )
        assert response.status_code == 302
    else:
        response = api_client_as("secretariat").post(
            "/api/v1/import-runs/", {"upload": upload, "dry_run": True}, format="multipart"
        )
        assert response.status_code == 201
    assert ImportRun.objects.count() == 1


def test_a_body_announced_past_the_limit_is_refused_before_it_is_read(client_as, one_mb_limit):
    """Content-Length alone decides: the body is not read at all."""
    client = client_as("secretariat")
    response = client.generic(
        "POST",
        reverse("recommendations:import-list"),
        b"--x\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(one_mb_limit + 65 * 1024 + 1),
    )
    assert response.status_code == 413


class _EchoApi(APIView):
    permission_classes = [AllowAny]

    def put(self, request, *args, **kwargs):
        return Response({"files": list(request.data)})


def test_a_body_drf_reads_itself_past_the_limit_is_a_413_too(one_mb_limit):
    """DRF reads the body of other methods than POST itself, with the same upload handlers:
    the API's exception handler answers 413 with the reason."""
    factory = APIRequestFactory()
    request = factory.put(
        "/api/v1/echo/",
        {"upload": SimpleUploadedFile("feed.json", _json_of(one_mb_limit + 1))},
        format="multipart",
    )
    response = _EchoApi.as_view()(request)
    assert response.status_code == 413
    assert response.data["message"] == "The file is larger than the limit of 1 MB."
    small = factory.put(
        "/api/v1/echo/",
        {"upload": SimpleUploadedFile("feed.json", _json_of(100))},
        format="multipart",
    )
    assert _EchoApi.as_view()(small).status_code == 200


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("feed.xlsx", b'[{"AnnotationId": "x"}]', "it is JSON"),
        ("feed.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "it is binary data"),
        ("feed.csv", b"PK\x03\x04" + b"\x00" * 40, "it is binary data"),
        ("feed.json", b"Text,Symbol\nhello,A/1\n", "it is plain text"),
    ],
)
@pytest.mark.parametrize("surface", ["page", "api"])
def test_content_that_does_not_match_its_name_is_refused_with_the_reason(
    client_as, api_client_as, name, content, reason, surface
):
    upload = SimpleUploadedFile(name, content)
    if surface == "page":
        response = client_as("secretariat").post(
            reverse("recommendations:import-list"), {"upload": upload}
        )
        assert response.status_code == 400
        assert reason in response.content.decode()
    else:
        response = api_client_as("secretariat").post(
            "/api/v1/import-runs/", {"upload": upload}, format="multipart"
        )
        assert response.status_code == 400
        assert reason in json.dumps(response.json())
    assert ImportRun.objects.count() == 0


def test_a_zip_that_is_not_a_workbook_is_not_taken_for_one():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    buffer.seek(0)
    assert sniff(buffer) == "zip"
    with pytest.raises(UploadRefused, match="a zip archive that is not an XLSX workbook"):
        check_type(buffer, "xlsx")


@pytest.mark.parametrize("surface", ["page", "api"])
def test_a_zip_bomb_dressed_as_a_workbook_is_refused_before_openpyxl_opens_it(
    client_as, api_client_as, surface, monkeypatch
):
    bomb = zip_bomb_xlsx()
    assert len(bomb) < MB  # small on the wire, 64 MB unpacked
    opened = []
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: opened.append(a))
    upload = SimpleUploadedFile("feed.xlsx", bomb)
    if surface == "page":
        response = client_as("secretariat").post(
            reverse("recommendations:import-list"), {"upload": upload}
        )
        body = response.content.decode()
    else:
        response = api_client_as("secretariat").post(
            "/api/v1/import-runs/", {"upload": upload}, format="multipart"
        )
        body = json.dumps(response.json())
    assert response.status_code == 400
    assert "zip bomb" in body
    assert opened == []
    assert ImportRun.objects.count() == 0


def test_the_reader_refuses_a_zip_bomb_from_any_source(settings):
    """A URL import or the command line reads through the same check."""
    with pytest.raises(SourceError, match="zip bomb"):
        list(read_xlsx(io.BytesIO(zip_bomb_xlsx())))
    settings.TRACKER_XLSX_MAX_RATIO = 10_000
    settings.TRACKER_XLSX_MAX_UNCOMPRESSED_MB = 32
    with pytest.raises(SourceError, match="would unpack to 64 MB, more than the limit of 32 MB"):
        list(read_xlsx(io.BytesIO(zip_bomb_xlsx())))


def test_an_xml_bomb_in_a_workbook_is_refused_with_the_reason(tmp_path: Path):
    with pytest.raises(SourceError, match="XML bomb"):
        list(read_xlsx(io.BytesIO(xml_bomb_xlsx(tmp_path))))


def test_an_xml_bomb_uploaded_on_the_import_page_fails_its_run_with_the_reason(
    client_as, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    upload = SimpleUploadedFile("feed.xlsx", xml_bomb_xlsx(tmp_path))
    response = client_as("secretariat").post(
        reverse("recommendations:import-list"), {"upload": upload, "dry_run": "on"}
    )
    assert response.status_code == 302
    run = ImportRun.objects.get()
    import_run_execute(import_run_id=run.pk)  # what the worker does after the commit
    run.refresh_from_db()
    assert run.status == "failed"
    assert "XML bomb" in run.error


def test_a_clean_workbook_passes_the_checks(tmp_path: Path):
    with write_xlsx(tmp_path / "feed.xlsx").open("rb") as handle:
        assert sniff(handle) == "xlsx"
        check_type(handle, "xlsx")


@override_settings(TRACKER_UPLOAD_MAX_MB=1)
def test_the_limit_holds_for_every_file_of_a_request_together(client_as):
    half = SimpleUploadedFile("a.json", _json_of(MB // 2 + 10))
    other = SimpleUploadedFile("b.json", _json_of(MB // 2 + 10))
    response = client_as("secretariat").post(
        reverse("recommendations:import-list"), {"upload": half, "other": other}
    )
    assert response.status_code == 413

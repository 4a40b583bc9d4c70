"""The paragraphs a committee selected for follow-up: entered by the secretariat on a page reached
from the reporting calendar (and through the API), audited, shown on the calendar as the reply's
obligation, and refused to everyone else."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pghistory.models import Events

from reporting.models import FollowUpSelection, ObligationKind, ReportingObligation
from reporting.services import (
    follow_up_selection_create,
    follow_up_selection_delete,
    follow_up_selection_update,
)

pytestmark = pytest.mark.django_db

DUE = datetime.date(2026, 6, 1)


@pytest.fixture
def crc(report_data):
    r3, r4 = report_data["crc"]
    return {"document": r3.document, "r3": r3, "r4": r4, "upr": report_data["upr"][0]}


def test_secretariat_records_a_selection_and_the_calendar_gets_the_reply(crc, secretariat):
    selection = follow_up_selection_create(
        actor=secretariat, document=crc["document"], recommendations=[crc["r3"].pk], due_on=DUE
    )
    assert list(selection.recommendations.all()) == [crc["r3"]]
    obligation = ReportingObligation.objects.get()
    assert selection.obligation == obligation
    assert (obligation.kind, obligation.due_on, obligation.document_symbol) == (
        ObligationKind.FOLLOW_UP_REPLY,
        DUE,
        "CRC/C/XYZ/CO/5-6",
    )
    event = Events.objects.references(selection).order_by("pgh_created_at").first()
    assert event.pgh_context["action"] == "follow_up_selection_create"
    assert event.pgh_context["username"] == secretariat.get_username()
    links = Events.objects.filter(pgh_label="link.add", pgh_model__contains="FollowUpSelection")
    assert links.count() == 1

    later = DUE + datetime.timedelta(days=30)
    follow_up_selection_update(
        actor=secretariat, selection=selection, recommendations=[crc["r4"]], due_on=later
    )
    selection.refresh_from_db()
    obligation.refresh_from_db()
    assert list(selection.recommendations.all()) == [crc["r4"]]
    assert obligation.due_on == later

    follow_up_selection_delete(actor=secretariat, selection=selection)
    assert not FollowUpSelection.objects.exists()
    assert not ReportingObligation.objects.exists()


def test_a_paragraph_of_another_document_is_refused_and_nothing_written(crc, secretariat):
    with pytest.raises(ValidationError) as error:
        follow_up_selection_create(
            actor=secretariat,
            document=crc["document"],
            recommendations=[crc["r3"], crc["upr"]],
            due_on=DUE,
        )
    assert "recommendations" in error.value.message_dict
    assert not FollowUpSelection.objects.exists()
    assert not ReportingObligation.objects.exists()


def test_a_upr_document_has_no_follow_up_selection(crc, secretariat):
    with pytest.raises(ValidationError) as error:
        follow_up_selection_create(
            actor=secretariat,
            document=crc["upr"].document,
            recommendations=[crc["upr"]],
            due_on=DUE,
        )
    assert "document" in error.value.message_dict


@pytest.mark.parametrize("role", ["focal_point", "validator", "nhri", "cso", "partner"])
def test_only_the_secretariat_records_a_selection(crc, persona, role):
    with pytest.raises(PermissionDenied):
        follow_up_selection_create(
            actor=persona(role), document=crc["document"], recommendations=[crc["r3"]], due_on=DUE
        )
    assert not FollowUpSelection.objects.exists()


# --- the page -----------------------------------------------------------------------------------


def _page(crc) -> str:
    return reverse("reporting:follow-up-edit", args=[crc["document"].pk])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("secretariat", 200),
        ("focal_point", 403),
        ("validator", 403),
        ("nhri", 403),
        ("cso", 403),
        ("partner", 403),
        ("public", 302),
    ],
)
def test_selection_page_is_the_secretariats(crc, client_as, role, status):
    client = client_as(role)
    assert client.get(_page(crc)).status_code == status
    response = client.post(
        _page(crc), {"recommendations": [crc["r3"].pk], "due_on": DUE.isoformat()}
    )
    assert response.status_code == (302 if role in {"secretariat", "public"} else 403)
    assert FollowUpSelection.objects.exists() == (role == "secretariat")


def test_secretariat_saves_the_selection_from_the_calendar(crc, client_as):
    client = client_as("secretariat")
    calendar = client.get(reverse("reporting:calendar")).content.decode()
    assert reverse("reporting:follow-up-choose") in calendar
    chosen = client.get(reverse("reporting:follow-up-choose"), {"document": crc["document"].pk})
    assert chosen.status_code == 302
    assert chosen["Location"] == _page(crc)
    page = client.get(_page(crc)).content.decode()
    assert "18(a): Raise the minimum age of criminal responsibility." in page
    response = client.post(
        _page(crc), {"recommendations": [crc["r3"].pk], "due_on": DUE.isoformat(), "notes": "x"}
    )
    assert response.status_code == 302
    selection = FollowUpSelection.objects.get()
    assert list(selection.recommendations.all()) == [crc["r3"]]
    calendar = client.get(reverse("reporting:calendar")).content.decode()
    assert "Follow-up reply on CRC/C/XYZ/CO/5-6" in calendar
    assert "reply due on 2026-06-01" in calendar
    # changing it: the form shows what was chosen
    page = client.get(_page(crc)).content.decode()
    boxes = dict(
        re.findall(r'<input type="checkbox" name="recommendations" value="(\d+)"([^>]*)>', page)
    )
    assert "checked" in boxes[str(crc["r3"].pk)]
    assert "checked" not in boxes[str(crc["r4"].pk)]


def test_selection_without_a_paragraph_is_a_400_with_the_field_error(crc, client_as):
    response = client_as("secretariat").post(_page(crc), {"due_on": DUE.isoformat()})
    assert response.status_code == 400
    assert "id_recommendations_errors" in response.content.decode()
    assert not FollowUpSelection.objects.exists()


def test_a_upr_document_has_no_selection_page(crc, client_as):
    url = reverse("reporting:follow-up-edit", args=[crc["upr"].document.pk])
    assert client_as("secretariat").get(url).status_code == 404


# --- the API ------------------------------------------------------------------------------------

API = "/api/v1/follow-up-selections/"


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [
        ("secretariat", 200, 201),
        ("focal_point", 200, 403),
        ("validator", 200, 403),
        ("nhri", 403, 403),
        ("cso", 403, 403),
        ("public", 401, 401),
    ],
)
def test_api_reads_for_the_calendar_readers_and_writes_for_the_secretariat(
    crc, api_client_as, role, read, write
):
    client = api_client_as(role)
    assert client.get(API).status_code in {read, 403 if read == 401 else read}
    response = client.post(
        API,
        {"document": crc["document"].pk, "recommendations": [crc["r3"].pk], "due_on": "2026-06-01"},
        format="json",
    )
    assert response.status_code in {write, 403 if write == 401 else write}
    assert FollowUpSelection.objects.exists() == (write == 201)
    if write == 201:
        body = response.json()
        assert body["document_symbol"] == "CRC/C/XYZ/CO/5-6"
        assert body["paragraphs"] == ["18(a)"]
        assert body["obligation"] is not None


def test_api_refuses_a_paragraph_of_another_document_with_the_field(crc, api_client_as):
    response = api_client_as("secretariat").post(
        API,
        {
            "document": crc["document"].pk,
            "recommendations": [crc["upr"].pk],
            "due_on": "2026-06-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "recommendations" in response.json()["extra"]["fields"]
    assert not FollowUpSelection.objects.exists()

"""The reporting calendar: UPR dates from the review cycles, treaty-body reports entered by the
secretariat, what is overdue and what is due soon."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations.models import MechanismFamily, ReviewCycle
from reporting.models import ReportingObligation
from reporting.selectors import due_within, reporting_calendar
from tests.factories.recommendations import MechanismFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)


@pytest.fixture
def obligations():
    upr = MechanismFactory(code="UPR", family=MechanismFamily.UPR)
    crc = MechanismFactory(code="CRC", family=MechanismFamily.TREATY_BODY)
    ReviewCycle.objects.create(
        mechanism=upr,
        number=3,
        mid_term_due=datetime.date(2021, 11, 1),
        next_review=datetime.date(2024, 1, 20),
    )
    ReviewCycle.objects.create(
        mechanism=upr,
        number=4,
        mid_term_due=datetime.date(2027, 1, 15),
        next_review=datetime.date(2029, 1, 20),
    )
    late = ReportingObligation.objects.create(
        mechanism=crc,
        kind="follow_up_reply",
        title="Follow-up on paras 18 and 25",
        due_on=datetime.date(2026, 6, 1),
    )
    sent = ReportingObligation.objects.create(
        mechanism=crc,
        kind="periodic_report",
        title="Seventh periodic report",
        due_on=datetime.date(2026, 3, 1),
        submitted_on=datetime.date(2026, 2, 20),
    )
    return {"late": late, "sent": sent}


def test_calendar_says_what_is_overdue_due_soon_upcoming_and_past(obligations):
    states = {e.title: e.state for e in reporting_calendar(today=TODAY)}
    assert states == {
        "Mid-term report on cycle 3": "past",
        "Review, cycle 4": "past",
        "Mid-term report on cycle 4": "due_soon",
        "Review, cycle 5": "upcoming",
        "Follow-up on paras 18 and 25": "overdue",
        "Seventh periodic report": "submitted",
    }
    dates = [e.due_on for e in reporting_calendar(today=TODAY)]
    assert dates == sorted(dates)


def test_reminders_get_what_is_overdue_or_due_within_the_window(obligations):
    titles = [e.title for e in due_within(days=60, today=TODAY)]
    assert titles == ["Follow-up on paras 18 and 25", "Mid-term report on cycle 4"]


def test_secretariat_enters_an_obligation_and_marks_it_submitted(
    client_as, obligations, secretariat
):
    client = client_as("secretariat")
    response = client.post(
        reverse("reporting:calendar"),
        {
            "mechanism": "CRC",
            "kind": "periodic_report",
            "title": "Eighth periodic report",
            "due_on": "2031-09-01",
        },
    )
    assert response.status_code == 302
    obligation = ReportingObligation.objects.get(title="Eighth periodic report")
    response = client.post(reverse("reporting:obligation-submitted", args=[obligation.pk]))
    assert response.status_code == 302
    obligation.refresh_from_db()
    assert obligation.submitted_on == timezone.localdate()
    body = client.get(reverse("reporting:calendar")).content.decode()
    assert "Eighth periodic report" in body
    assert "Overdue" in body


def test_bad_obligation_is_a_400_with_field_errors(client_as, obligations):
    response = client_as("secretariat").post(
        reverse("reporting:calendar"),
        {"mechanism": "NOPE", "kind": "x", "title": "", "due_on": "soon"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    for field in ("mechanism", "kind", "title", "due_on"):
        assert f'id="id_{field}_errors"' in body
    assert ReportingObligation.objects.count() == 2


@pytest.mark.parametrize("role", ["focal_point", "validator"])
def test_institutions_read_the_calendar_but_cannot_change_it(client_as, obligations, role):
    client = client_as(role)
    response = client.get(reverse("reporting:calendar"))
    assert response.status_code == 200
    assert "Add a report the State owes" not in response.content.decode()
    assert (
        client.post(
            reverse("reporting:calendar"),
            {"mechanism": "CRC", "kind": "other", "title": "x", "due_on": "2030-01-01"},
        ).status_code
        == 403
    )
    late = obligations["late"]
    assert client.post(reverse("reporting:obligation-submitted", args=[late.pk])).status_code == 403
    late.refresh_from_db()
    assert late.submitted_on is None
    assert ReportingObligation.objects.count() == 2


@pytest.mark.parametrize("role", ["nhri", "cso", "partner"])
def test_others_cannot_open_the_calendar(client_as, obligations, role):
    assert client_as(role).get(reverse("reporting:calendar")).status_code == 403


def test_public_is_sent_to_sign_in(anon_client):
    assert anon_client.get(reverse("reporting:calendar")).status_code == 302

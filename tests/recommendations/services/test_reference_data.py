"""The shipped reference data loads completely, in six languages, and re-runs write nothing."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from pghistory.models import Context

from recommendations.models import (
    AffectedGroup,
    Mechanism,
    MechanismFamily,
    ReviewCycle,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    TaxonomySource,
    Theme,
)
from recommendations.reference import LANGUAGES, REFERENCE_DATA_DIR, load_reference_data
from tracker.models import Country, RegionalGroup

TREATY_BODIES = ("CCPR", "CESCR", "CAT", "SPT", "CEDAW", "CERD", "CRC", "CMW", "CRPD", "CED")
AUDITED = (Mechanism, ReviewCycle, Theme, AffectedGroup)


def _csv_rows(name: str) -> int:
    with (REFERENCE_DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return sum(1 for _row in csv.DictReader(handle))


def _event_model(model: type[models.Model]) -> type[models.Model]:
    return apps.get_model("recommendations", f"{model.__name__}Event")


def _history_rows() -> dict[str, int]:
    """Event rows of every audited reference model, plus the audit contexts they point at."""
    counts = {model.__name__: _event_model(model)._default_manager.count() for model in AUDITED}
    counts["Context"] = Context.objects.count()
    return counts


def _table_rows() -> dict[str, int]:
    return {
        model.__name__: model._default_manager.count()
        for model in (SdgGoal, SdgTarget, SdgIndicator, Country, *AUDITED)
    }


@pytest.mark.django_db
def test_one_run_loads_every_table() -> None:
    counts = load_reference_data()

    assert counts["sdg_goals"] == SdgGoal.objects.count() == 17
    assert counts["sdg_targets"] == SdgTarget.objects.count() == 169
    assert (
        SdgIndicator.objects.count() == _csv_rows("sdg_indicators.csv") == counts["sdg_indicators"]
    )
    assert Country.objects.count() == _csv_rows("countries.csv") == counts["countries"]
    assert Theme.objects.count() == counts["themes"] > 0
    assert AffectedGroup.objects.count() == counts["affected_groups"] > 0
    assert not Theme.objects.exclude(source=TaxonomySource.UHRI, is_reviewed=True).exists()


@pytest.mark.django_db
def test_un_members_each_have_a_regional_group() -> None:
    load_reference_data()

    members = Country.objects.filter(is_un_member=True)
    assert members.count() == 193
    assert not members.filter(regional_group="").exists()
    groups = Counter(members.values_list("regional_group", flat=True))
    assert set(groups) == set(RegionalGroup.values)
    assert groups[RegionalGroup.AFRICAN] == 54
    assert groups[RegionalGroup.EASTERN_EUROPEAN] == 23
    assert groups[RegionalGroup.GRULAC] == 33
    observers = Country.objects.filter(iso3__in=["VAT", "PSE"])
    assert list(observers.values_list("is_un_member", "regional_group")) == [(False, "")] * 2


@pytest.mark.django_db
def test_goal_and_target_texts_are_in_the_six_languages() -> None:
    load_reference_data()

    goal = SdgGoal.objects.get(number=1)
    target = SdgTarget.objects.get(code="16.3")
    for texts in (goal.titles, goal.short_titles, target.titles):
        assert set(texts) == set(LANGUAGES)
        assert all(texts[language].strip() for language in LANGUAGES)
    assert "zh-Hans" not in goal.titles
    assert target.goal.number == 16
    assert target.titles["en"].startswith("Promote the rule of law")


@pytest.mark.django_db
def test_mechanisms_have_their_family_and_parent() -> None:
    load_reference_data()

    assert Mechanism.objects.get(code="UPR").family == MechanismFamily.UPR
    treaty_bodies = Mechanism.objects.filter(code__in=TREATY_BODIES)
    assert treaty_bodies.count() == len(TREATY_BODIES)
    assert set(treaty_bodies.values_list("family", flat=True)) == {MechanismFamily.TREATY_BODY}
    protocol = Mechanism.objects.get(code="CRC-OP-AC")
    assert protocol.parent is not None
    assert protocol.parent.code == "CRC"
    assert Mechanism.objects.get(code="SR Torture").family == MechanismFamily.SPECIAL_PROCEDURE
    assert Mechanism.objects.get(code="CRC").names["en"] == "Committee on the Rights of the Child"
    upr_cycles = ReviewCycle.objects.filter(mechanism__code="UPR").order_by("number")
    assert list(upr_cycles.values_list("number", "label")) == [
        (number, f"UPR cycle {number}") for number in (1, 2, 3, 4)
    ]


@pytest.mark.django_db
def test_second_run_changes_nothing_and_writes_no_history() -> None:
    first = load_reference_data()
    tables = _table_rows()
    history = _history_rows()
    assert (
        _event_model(Mechanism)
        ._default_manager.filter(pgh_context__metadata__action="reference_data_load")
        .exists()
    )

    second = load_reference_data()

    assert second == first
    assert _table_rows() == tables
    assert _history_rows() == history


@pytest.mark.django_db
def test_national_edits_of_themes_survive_a_rerun() -> None:
    load_reference_data()
    edited = Theme.objects.get(name="Right to health")
    edited.is_reviewed = False
    edited.names = {"en": "Health", "fr": "Santé"}
    edited.save()
    renamed = Theme.objects.get(name="Right to food")
    renamed.name = "Food security"
    renamed.save()
    Theme.objects.get(name="Cultural rights").delete()
    themes = Theme.objects.count()

    load_reference_data()

    edited.refresh_from_db()
    assert edited.is_reviewed is False
    assert edited.names == {"en": "Health", "fr": "Santé"}
    assert not Theme.objects.filter(name__in=["Right to food", "Cultural rights"]).exists()
    assert Theme.objects.count() == themes


@pytest.mark.django_db
def test_rerun_repairs_mechanisms_but_keeps_added_translations() -> None:
    Mechanism.objects.create(code="SR Torture", family=MechanismFamily.NATIONAL, is_reviewed=False)
    load_reference_data()
    crc = Mechanism.objects.get(code="CRC")
    crc.names = {**crc.names, "ar": "لجنة حقوق الطفل", "en": "Child rights committee"}
    crc.save()

    load_reference_data()

    torture = Mechanism.objects.get(code="SR Torture")
    assert torture.family == MechanismFamily.SPECIAL_PROCEDURE
    assert torture.is_reviewed is True
    crc.refresh_from_db()
    assert crc.names["en"] == "Committee on the Rights of the Child"
    assert crc.names["ar"] == "لجنة حقوق الطفل"


@pytest.mark.django_db
def test_targets_sort_numerically_then_lettered() -> None:
    load_reference_data()

    codes = list(SdgTarget.objects.values_list("code", flat=True))
    assert codes.index("16.2") < codes.index("16.10") < codes.index("16.a") < codes.index("17.1")
    assert codes[:7] == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.a", "1.b"]
    assert codes[-1] == "17.19"


@pytest.mark.django_db
def test_command_prints_one_line_per_count() -> None:
    out = io.StringIO()

    call_command("load_reference_data", stdout=out)

    lines = out.getvalue().splitlines()
    assert "sdg_goals: 17" in lines
    assert "sdg_targets: 169" in lines
    assert len(lines) == len(load_reference_data())

"""A small national data set for the reports: a UPR cycle, a treaty body's concluding
observations, measures with indicator values."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from recommendations.models import (
    MechanismFamily,
    Position,
    RecommendationText,
    ReviewCycle,
)
from tests.factories.plans import (
    IndicatorFactory,
    IndicatorValueFactory,
    MeasureFactory,
    PlanFactory,
)
from tests.factories.recommendations import (
    ClusterFactory,
    DocumentFactory,
    MechanismFactory,
    RecommendationFactory,
    ThemeFactory,
)
from tests.factories.tracker import CountryFactory


@pytest.fixture
def report_data(ministry_a):
    upr = MechanismFactory(code="UPR", family=MechanismFamily.UPR)
    crc = MechanismFactory(
        code="CRC",
        family=MechanismFamily.TREATY_BODY,
        names={"en": "Committee on the Rights of the Child"},
    )
    cycle = ReviewCycle.objects.create(mechanism=upr, number=4, session=44)
    crc_cycle = ReviewCycle.objects.create(mechanism=crc, number=2)
    upr_doc = DocumentFactory(
        symbol="A/HRC/58/12", mechanism=upr, cycle=cycle, publication_date=datetime.date(2024, 1, 5)
    )
    crc_doc = DocumentFactory(
        symbol="CRC/C/XYZ/CO/5-6",
        mechanism=crc,
        cycle=crc_cycle,
        publication_date=datetime.date(2023, 6, 1),
    )
    justice = ClusterFactory(name="Justice", lead_institution=ministry_a)
    education = ClusterFactory(name="Education", lead_institution=ministry_a)
    france = CountryFactory(iso3="FRA", names={"en": "France", "ar": "فرنسا"})
    judiciary = ThemeFactory(name="Administration of justice")
    r1 = RecommendationFactory(
        document=upr_doc,
        paragraph="136.1",
        cluster=justice,
        position=Position.SUPPORTED,
        text="Strengthen the independence of the judiciary.",
    )
    r1.recommending_states.add(france)
    r1.themes.add(judiciary)
    RecommendationText.objects.create(
        recommendation=r1, language="ar", text="تعزيز استقلال القضاء."
    )
    RecommendationText.objects.create(recommendation=r1, language="zh-hans", text="加强司法独立。")
    r2 = RecommendationFactory(
        document=upr_doc,
        paragraph="136.25",
        cluster=education,
        position=Position.NOTED,
        text="Guarantee free primary education for every child.",
    )
    r3 = RecommendationFactory(
        document=crc_doc,
        paragraph="18(a)",
        text="Raise the minimum age of criminal responsibility.",
    )
    r4 = RecommendationFactory(
        document=crc_doc, paragraph="25", text="Prohibit corporal punishment in all settings."
    )
    plan = PlanFactory(adopted=True)
    measure = MeasureFactory(
        plan=plan,
        title="Judicial Council Act",
        lead_institution=ministry_a,
        recommendations=[r1, r3],
    )
    indicator = IndicatorFactory(
        measure=measure,
        name="Judges appointed by the council",
        baseline_value=Decimal(12),
        target_value=Decimal(80),
    )
    IndicatorValueFactory(indicator=indicator, period="2025", value=Decimal("37.5"))
    return {"upr": [r1, r2], "crc": [r3, r4], "measure": measure, "cycle": cycle}


@pytest.fixture
def media(settings, tmp_path):
    """Report files go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path

"""What the demo plan says: measures for each national cluster of the recommendations' demo
(``recommendations/demo/content/clusters.yaml``), with the indicator that follows each one.

Pure data. A cluster that is not listed here (a national addition) gets the generic measures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class MeasureSpec:
    kind: str
    title: str
    indicator: str
    unit: str
    indicator_kind: str = "process"
    by_sex: bool = False


PLAN_TITLE = "National Plan for the Implementation of Human Rights Recommendations"
PLAN_DESCRIPTION = (
    "The measures the Government takes on the recommendations of the Universal Periodic Review, "
    "the treaty bodies and the special procedures, as validated with the institutions, the "
    "National Human Rights Commission and civil society."
)
PLAN_STARTS = date(2024, 1, 1)
PLAN_ENDS = date(2028, 12, 31)
ADOPTED_ON = date(2024, 3, 15)
# The years values are recorded for, on the adopted plan.
VALUE_YEARS = (2024, 2025)
MILESTONE_DATES = (
    date(2024, 6, 30),
    date(2024, 12, 31),
    date(2025, 6, 30),
    date(2025, 12, 31),
    date(2026, 6, 30),
    date(2026, 12, 31),
    date(2027, 6, 30),
    date(2027, 12, 31),
    date(2028, 6, 30),
)
MILESTONE_STEPS = (
    "Concept note validated",
    "Draft submitted for consultation",
    "Consultation with the NHRI and civil society held",
    "Adopted by the Cabinet",
    "Budget allocated in the finance law",
    "First annual report published",
    "Staff trained",
)

MEASURES: dict[str, tuple[MeasureSpec, ...]] = {
    "Justice and rule of law": (
        MeasureSpec(
            "legislative",
            "Amend the Criminal Procedure Code to guarantee access to a lawyer from arrest",
            "Share of detainees assisted by a lawyer within 24 hours",
            "%",
            "outcome",
        ),
        MeasureSpec(
            "institutional",
            "Establish the national preventive mechanism against torture",
            "National preventive mechanism established by law",
            "yes/no",
            "structure",
        ),
        MeasureSpec(
            "judicial",
            "Reduce pre-trial detention through mobile courts",
            "Share of prisoners held in pre-trial detention",
            "%",
            "outcome",
            by_sex=True,
        ),
    ),
    "Civil liberties and public security": (
        MeasureSpec(
            "legislative",
            "Revise the Public Order Act in line with international standards on assembly",
            "Revised Public Order Act in force",
            "yes/no",
            "structure",
        ),
        MeasureSpec(
            "awareness",
            "Train police officers on the use of force and firearms",
            "Police officers trained on the use of force",
            "officers",
            by_sex=True,
        ),
        MeasureSpec(
            "administrative",
            "Set up an independent complaints unit for police misconduct",
            "Complaints against the police investigated within 90 days",
            "%",
        ),
    ),
    "Women's rights and gender equality": (
        MeasureSpec(
            "policy",
            "Adopt a national strategy to end gender-based violence",
            "Survivors of gender-based violence receiving support services",
            "persons",
            "outcome",
        ),
        MeasureSpec(
            "budgetary",
            "Fund shelters for survivors of domestic violence in every county",
            "Counties with a funded shelter",
            "counties",
        ),
        MeasureSpec(
            "legislative",
            "Enact the law on equal representation in elective bodies",
            "Share of seats held by women in the National Assembly",
            "%",
            "outcome",
        ),
    ),
    "Children's rights": (
        MeasureSpec(
            "legislative",
            "Raise the minimum age of criminal responsibility to 14",
            "Amended Children Act in force",
            "yes/no",
            "structure",
        ),
        MeasureSpec(
            "administrative",
            "Free and universal birth registration",
            "Births registered within one year",
            "%",
            "outcome",
            by_sex=True,
        ),
    ),
    "Education": (
        MeasureSpec(
            "policy",
            "Abolish all fees in public primary and secondary schools",
            "Net enrolment rate in secondary education",
            "%",
            "outcome",
            by_sex=True,
        ),
        MeasureSpec(
            "awareness",
            "Include human rights education in the teacher training curriculum",
            "Teachers trained in human rights education",
            "teachers",
        ),
    ),
    "Health": (
        MeasureSpec(
            "budgetary",
            "Increase the health budget towards 15 per cent of public spending",
            "Share of public spending allocated to health",
            "%",
            "outcome",
        ),
        MeasureSpec(
            "policy",
            "Extend maternal health services to rural areas",
            "Births attended by skilled health personnel",
            "%",
            "outcome",
        ),
    ),
    "Labour, social protection and poverty": (
        MeasureSpec(
            "policy",
            "Extend the social protection floor to informal workers",
            "Informal workers covered by social protection",
            "%",
            "outcome",
            by_sex=True,
        ),
        MeasureSpec(
            "data",
            "Publish labour statistics disaggregated by sex, age and disability",
            "Labour force survey published with disaggregated data",
            "yes/no",
            "structure",
        ),
    ),
    "International obligations and cooperation": (
        MeasureSpec(
            "legislative",
            "Ratify the Optional Protocol to the Convention against Torture",
            "Instrument of ratification deposited",
            "yes/no",
            "structure",
        ),
        MeasureSpec(
            "institutional",
            "Submit overdue reports to the treaty bodies",
            "Overdue reports to the treaty bodies",
            "reports",
        ),
    ),
}

GENERIC: tuple[MeasureSpec, ...] = (
    MeasureSpec(
        "policy",
        "Adopt a sectoral action plan on the recommendations",
        "Sectoral action plan adopted",
        "yes/no",
        "structure",
    ),
    MeasureSpec(
        "awareness",
        "Train civil servants on the recommendations",
        "Civil servants trained",
        "persons",
    ),
)

NEW_MEASURE = MeasureSpec(
    "data",
    "Set up a national database of human rights indicators",
    "Indicators of the plan published with data",
    "%",
)
PROPOSAL = MeasureSpec(
    "administrative",
    "Digitise the case management of the courts",
    "Courts using electronic case management",
    "%",
)

CONSULTATIONS = (
    (
        date(2023, 11, 14),
        "Validation workshop on the draft national plan",
        "The institutions, the National Human Rights Commission and civil society reviewed the "
        "draft measures cluster by cluster; the timelines of the legislative measures were "
        "extended at the request of the National Assembly.",
    ),
    (
        date(2025, 5, 20),
        "Consultation with civil society on the mid-term report",
        "Civil society organisations presented their shadow assessments of the measures on "
        "gender-based violence and pre-trial detention.",
    ),
    (
        date(2026, 9, 8),
        "Meeting with development partners on the revision of the plan",
        "Partners reviewed the budget gaps of the plan and the technical assistance requested "
        "for the data and statistics measures.",
    ),
)

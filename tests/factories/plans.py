from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from plans.models import (
    BudgetLine,
    Consultation,
    ImplementationPlan,
    Indicator,
    IndicatorKind,
    IndicatorValue,
    Measure,
    MeasureKind,
    Milestone,
    NationalFramework,
    NationalGoal,
    PlanState,
    ProgressReport,
)

from .tracker import InstitutionFactory


class PlanFactory(DjangoModelFactory[ImplementationPlan]):
    class Meta:
        model = ImplementationPlan

    title = factory.Sequence(lambda n: f"National plan {n}")
    starts_on = datetime.date(2025, 1, 1)
    ends_on = datetime.date(2029, 12, 31)

    class Params:
        adopted = factory.Trait(state=PlanState.ADOPTED, adopted_on=datetime.date(2025, 3, 1))


class MeasureFactory(DjangoModelFactory[Measure]):
    class Meta:
        model = Measure
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Measure {n}")
    kind = MeasureKind.POLICY
    lead_institution = factory.SubFactory(InstitutionFactory)
    starts_on = datetime.date(2025, 6, 1)
    ends_on = datetime.date(2027, 6, 30)

    @factory.post_generation
    def recommendations(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.recommendations.set(extracted)


class MilestoneFactory(DjangoModelFactory[Milestone]):
    class Meta:
        model = Milestone

    measure = factory.SubFactory(MeasureFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_on = datetime.date(2026, 6, 30)


class BudgetLineFactory(DjangoModelFactory[BudgetLine]):
    class Meta:
        model = BudgetLine

    measure = factory.SubFactory(MeasureFactory)
    amount = Decimal("100000.00")
    currency = "USD"
    funding_source = "State budget"


class IndicatorFactory(DjangoModelFactory[Indicator]):
    class Meta:
        model = Indicator

    measure = factory.SubFactory(MeasureFactory)
    name = factory.Sequence(lambda n: f"Indicator {n}")
    kind = IndicatorKind.PROCESS
    unit = "%"
    baseline_value = Decimal(10)
    baseline_year = 2024
    target_value = Decimal(50)
    target_year = 2028
    disaggregation = factory.LazyFunction(lambda: ["sex"])


class IndicatorValueFactory(DjangoModelFactory[IndicatorValue]):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    period = "2025"
    value = Decimal(20)


class ConsultationFactory(DjangoModelFactory[Consultation]):
    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    held_on = datetime.date(2025, 2, 15)
    title = factory.Sequence(lambda n: f"Consultation {n}")

    @factory.post_generation
    def participants(self, create: bool, extracted, **kwargs) -> None:
        if create:
            self.participants.set(extracted or [InstitutionFactory()])


class NationalFrameworkFactory(DjangoModelFactory[NationalFramework]):
    class Meta:
        model = NationalFramework

    name = factory.Sequence(lambda n: f"National development plan {n}")
    kind = "development_plan"


class NationalGoalFactory(DjangoModelFactory[NationalGoal]):
    class Meta:
        model = NationalGoal

    framework = factory.SubFactory(NationalFrameworkFactory)
    code = factory.Sequence(lambda n: f"{n}.1")
    title = factory.Sequence(lambda n: f"Goal {n}")


class ProgressReportFactory(DjangoModelFactory[ProgressReport]):
    """A draft report on a measure of an adopted plan, for the measure's lead institution."""

    class Meta:
        model = ProgressReport

    measure = factory.SubFactory(MeasureFactory, plan=factory.SubFactory(PlanFactory, adopted=True))
    institution = factory.LazyAttribute(lambda o: o.measure.lead_institution)
    period = "2025"
    narrative = "The bill was tabled in parliament."

"""What a report says: its title, and its items in order, each citing its document symbol and
paragraph, with the measures taken, their indicator values, progress and assessments."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from plans import policies as plan_policies
from plans.models import Indicator, IndicatorValue, Measure
from recommendations import policies as recommendation_policies
from recommendations.filters import RecommendationFilter
from recommendations.models import (
    Mechanism,
    MechanismFamily,
    PublicationState,
    Recommendation,
    RecommendationText,
    ReviewCycle,
    Theme,
)
from reporting import selectors
from reporting.models import FollowUpSelection, ReportKind
from tracker.exceptions import ApplicationError
from tracker.languages import best_language
from tracker.policies import Actor

CHUNK = 500


@dataclass
class IndicatorLine:
    name: str
    unit: str
    baseline: str
    target: str
    latest: str  # "2025: 42" or ""

    def __str__(self) -> str:
        parts = [self.name]
        if self.baseline:
            parts.append(_("baseline %(value)s") % {"value": self.baseline})
        if self.target:
            parts.append(_("target %(value)s") % {"value": self.target})
        if self.latest:
            parts.append(_("latest %(value)s") % {"value": self.latest})
        return ", ".join(parts)


@dataclass
class MeasureLine:
    title: str
    institution: str
    status: str
    indicators: list[IndicatorLine] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.title} ({self.institution}; {self.status})"


@dataclass
class Item:
    """One recommendation in a report."""

    symbol: str
    paragraph: str
    mechanism: str
    text: str
    recommending_states: list[str]
    position: str
    status: str
    themes: list[str]
    affected_groups: list[str]
    sdg_targets: list[str]
    measures: list[MeasureLine]
    progress: list[str]
    assessments: list[str]

    @property
    def citation(self) -> str:
        """The document symbol and paragraph, as every item cites them."""
        return f"{self.symbol}, para. {self.paragraph}" if self.paragraph else self.symbol


@dataclass
class ReportRequest:
    kind: str
    language: str = "en"
    cycle: int | None = None
    mechanism: str = ""
    paragraphs: list[str] = field(default_factory=list)
    filters: dict[str, Any] = field(default_factory=dict)  # thematic matrix: list filters


@dataclass
class Report:
    """A report ready to write: its headings, and a way to stream its items in order."""

    kind: str
    language: str
    title: str
    subtitle: str
    generated_on: date
    total: int
    queryset: QuerySet[Recommendation]
    group_of: Callable[[Recommendation], str]
    actor: Actor
    system: bool
    note: str = ""  # how the items were chosen, when the reader needs to know

    def items(self, on_progress: Callable[[int], None] | None = None) -> Iterator[tuple[str, Item]]:
        """(section heading, item) in report order, read in chunks of ``CHUNK`` recommendations."""
        done = 0
        ids = list(self.queryset.values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            chunk_ids = ids[start : start + CHUNK]
            rows = {r.pk: r for r in _with_relations(self, chunk_ids)}
            progress = selectors.progress_for_recommendations(chunk_ids)
            assessments = selectors.assessments_for_recommendations(chunk_ids)
            for pk in chunk_ids:
                row = rows[pk]
                yield (
                    self.group_of(row),
                    _item(row, self.language, progress.get(pk, []), assessments.get(pk, [])),
                )
            done += len(chunk_ids)
            if on_progress:
                on_progress(done)


def _number(value: Any) -> str:
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _with_relations(report: Report, ids: list[int]) -> list[Recommendation]:
    measures = (
        Measure.objects.all() if report.system else plan_policies.visible_measures(report.actor)
    )
    values = IndicatorValue.objects.order_by("-period", "-id")
    indicators = Indicator.objects.order_by("id").prefetch_related(
        Prefetch("values", queryset=values, to_attr="report_values")
    )
    texts = RecommendationText.objects.defer("search_vector", "html").filter(
        language__in={report.language, report.language.split("-")[0], "en"}
    )
    return list(
        Recommendation.objects.filter(pk__in=ids)
        .select_related("document__mechanism", "cluster")
        .defer("raw_record")
        .prefetch_related(
            Prefetch("texts", queryset=texts, to_attr="report_texts"),
            "recommending_states",
            "themes",
            "affected_groups",
            "sdg_targets",
            Prefetch(
                "measures",
                queryset=measures.select_related("lead_institution")
                .order_by("position", "id")
                .prefetch_related(
                    Prefetch("indicators", queryset=indicators, to_attr="report_indicators")
                ),
                to_attr="report_measures",
            ),
        )
    )


def _indicator_line(indicator: Indicator) -> IndicatorLine:
    latest = indicator.report_values[0] if indicator.report_values else None  # type: ignore[attr-defined]
    return IndicatorLine(
        name=indicator.name,
        unit=indicator.unit,
        baseline=_number(indicator.baseline_value),
        target=_number(indicator.target_value),
        latest=f"{latest.period}: {_number(latest.value)}" if latest else "",
    )


def _item(row: Recommendation, language: str, progress: list[str], assessments: list[str]) -> Item:
    texts = {t.language: t.text for t in row.report_texts}  # type: ignore[attr-defined]
    chosen = best_language(texts, language)
    return Item(
        symbol=row.document.symbol,
        paragraph=row.paragraph,
        mechanism=row.document.mechanism.code,
        text=texts[chosen] if chosen else "",
        recommending_states=sorted(c.name for c in row.recommending_states.all()),
        position=row.get_position_display() if row.position else "",
        status=row.get_status_display(),
        themes=sorted(t.label for t in row.themes.all()),
        affected_groups=sorted(g.label for g in row.affected_groups.all()),
        sdg_targets=sorted(t.code for t in row.sdg_targets.all()),
        measures=[
            MeasureLine(
                title=m.title,
                institution=str(m.lead_institution) if m.lead_institution_id else "",
                status=m.get_status_display(),
                indicators=[_indicator_line(i) for i in m.report_indicators],  # type: ignore[attr-defined]
            )
            for m in row.report_measures  # type: ignore[attr-defined]
        ],
        progress=progress,
        assessments=assessments,
    )


def _base(actor: Actor, system: bool) -> QuerySet[Recommendation]:
    if system:
        return Recommendation.objects.exclude(publication_state=PublicationState.ARCHIVED)
    return recommendation_policies.visible_recommendations(actor).exclude(
        publication_state=PublicationState.ARCHIVED
    )


def _cluster_heading(row: Recommendation) -> str:
    return row.cluster.name if row.cluster_id and row.cluster else _("Not in a cluster")


def _cycle(mechanism: str, number: int | None) -> ReviewCycle:
    cycles = ReviewCycle.objects.filter(mechanism__code=mechanism).select_related("mechanism")
    if number is not None:
        cycles = cycles.filter(number=number)
    cycle = cycles.order_by("-number").first()
    if cycle is None:
        raise ApplicationError(
            _("No review cycle %(number)s of %(mechanism)s.")
            % {"number": number or "", "mechanism": mechanism}
        )
    return cycle


def build_report(request: ReportRequest, *, actor: Actor, system: bool = False) -> Report:
    """The report asked for, as ``actor`` may see it (``system``: everything but archived rows,
    for the command line). Raises ``ApplicationError`` when the cycle or mechanism is unknown."""
    base = _base(actor, system)
    today = timezone.localdate()
    note = ""
    if request.kind == ReportKind.UPR_MIDTERM:
        mechanism = request.mechanism or "UPR"
        cycle = _cycle(mechanism, request.cycle)
        qs = base.filter(document__cycle=cycle).order_by(
            "cluster__name", "document__symbol", "paragraph_sort", "id"
        )
        title = _("Universal Periodic Review: mid-term report")
        subtitle = _("Implementation of the recommendations of cycle %(cycle)s") % {
            "cycle": cycle.number
        }
        group_of = _cluster_heading
    elif request.kind == ReportKind.TREATY_FOLLOWUP:
        mechanism_row = _treaty_body(request.mechanism)
        qs = base.filter(document__mechanism=mechanism_row)
        if request.cycle is not None:
            qs = qs.filter(document__cycle__number=request.cycle)
        latest = qs.order_by("-document__publication_date", "-document__symbol").first()
        qs = qs.none() if latest is None else qs.filter(document_id=latest.document_id)
        selection = (
            FollowUpSelection.objects.filter(document_id=latest.document_id).first()
            if latest is not None
            else None
        )
        symbol = latest.document.symbol if latest is not None else ""
        if request.paragraphs:
            # Paragraphs named when asking for the report win over the recorded selection.
            qs = qs.filter(paragraph__in=request.paragraphs)
            note = _("Paragraphs named when the report was asked for: %(paragraphs)s.") % {
                "paragraphs": ", ".join(request.paragraphs)
            }
        elif selection is not None:
            qs = qs.filter(follow_up_selections=selection)
            note = _(
                "The paragraphs the committee selected for follow-up; the reply is due on %(date)s."
            ) % {"date": selection.due_on.isoformat()}
        elif latest is not None:
            note = _(
                "No follow-up selection is recorded for %(symbol)s: every paragraph of the "
                "document is included. Record the committee's selection on the reporting "
                "calendar."
            ) % {"symbol": symbol}
        qs = qs.order_by("paragraph_sort", "id")
        title = _("Follow-up reply to the %(mechanism)s") % {"mechanism": mechanism_row.name}
        subtitle = (
            _("Information on the paragraphs selected for follow-up in %(symbol)s")
            % {"symbol": symbol}
            if latest
            else ""
        )

        def group_of(row: Recommendation) -> str:
            return row.document.symbol

    elif request.kind == ReportKind.THEMATIC_MATRIX:
        data: dict[str, Any] = dict(request.filters)
        if request.mechanism:
            data["mechanism"] = [request.mechanism]
        if request.cycle is not None:
            cycle = _cycle(request.mechanism or "UPR", request.cycle)
            data["cycle"] = [str(cycle.pk)]
        filterset = RecommendationFilter(data=data, queryset=base)
        if not filterset.is_valid():
            raise ApplicationError(_("Invalid filter."), extra={"fields": filterset.errors})
        # A recommendation sits under its first theme (by name), as in OHCHR's thematic lists;
        # its other themes are listed beside it.
        first_theme = Theme.objects.filter(recommendations=OuterRef("pk")).order_by("name")
        qs = (
            filterset.qs.annotate(main_theme=Subquery(first_theme.values("name")[:1]))
            .order_by("main_theme", "document__symbol", "paragraph_sort", "id")
            .distinct()
        )
        title = _("Thematic matrix of recommendations")
        subtitle = ""
        group_of = _theme_heading

    else:
        raise ApplicationError(_("Unknown report: %(kind)s") % {"kind": request.kind})
    total = qs.count()
    return Report(
        kind=request.kind,
        language=request.language,
        title=title,
        subtitle=subtitle,
        generated_on=today,
        total=total,
        queryset=qs,
        group_of=group_of,
        actor=actor,
        system=system,
        note=note,
    )


def _theme_heading(row: Recommendation) -> str:
    themes = sorted(row.themes.all(), key=lambda t: t.name)
    return themes[0].label if themes else _("No theme")


def _treaty_body(code: str) -> Mechanism:
    mechanisms = Mechanism.objects.filter(family=MechanismFamily.TREATY_BODY)
    if code:
        mechanisms = mechanisms.filter(code=code)
    mechanism = mechanisms.order_by("code").first()
    if mechanism is None:
        raise ApplicationError(_("No treaty body with the code %(code)s.") % {"code": code or "?"})
    return mechanism

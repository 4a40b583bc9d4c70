"""The plan of the demo recommendations: everything they hold, computed from the seed alone.

Pure: ``plan_demo(content, seed=..., iso3=..., state_name=..., states=...)`` reads no database and
gives the same ``Plan`` for the same arguments, whatever the database holds. Only the planner's
``random.Random(seed)`` makes choices, in a fixed order.

The texts are written as the UN writes them and as UHRI exports them: each starts with its
paragraph reference ("136.1 Ratify ...", "49. The Committee ...", "49 (a) The Committee ..."),
from which the importer reads the paragraph.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from django.utils.html import escape

from recommendations.models import (
    AnnotationType,
    ImplementationStatus,
    Position,
    Priority,
    PublicationState,
)

from .content import Content, ReportSpec, Topic, UprCycleSpec

# Specifics that UN drafting sets off with a comma: "..., including by ...".
_COMMA_OPENERS = ("including", "in particular", "particularly", "especially", "regardless")
UPR_AGES = {1: "old", 2: "mid", 3: "recent", 4: "new"}


@dataclass
class PlannedRecommendation:
    """One recommendation (or concern) of the plan. ``lines`` are the paragraphs of its official
    text, the first beginning with the paragraph reference."""

    symbol: str
    paragraph: str
    topic: str
    lines: tuple[str, ...]
    annotation_type: str = AnnotationType.RECOMMENDATION
    translations: dict[str, str] = field(default_factory=dict)
    states: list[str] = field(default_factory=list)
    position: str = ""
    position_source: str = ""
    themes: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    sdgs: list[str] = field(default_factory=list)
    cluster: str | None = None
    priority: str = ""
    status: str = ImplementationStatus.NOT_STARTED
    status_override_reason: str = ""
    national_notes: str = ""
    is_current: bool = True
    publication_state: str = PublicationState.PUBLISHED
    link_key: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return self.symbol, self.paragraph

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def html(self) -> str:
        return html_paragraphs(self.lines)


@dataclass
class PlannedDocument:
    symbol: str
    mechanism: str
    title: str
    publication_date: date
    cycle_number: int | None
    cycle_label: str = ""
    cycle_review_date: date | None = None
    upr_session: int | None = None


@dataclass
class Plan:
    documents: list[PlannedDocument]
    recommendations: list[PlannedRecommendation]

    def related_pairs(self) -> list[tuple[tuple[str, str], tuple[str, str]]]:
        """Repeats of a recommendation across cycles and mechanisms, as pairs of keys (symbol,
        paragraph): each linked to the next one in time. Repeats within a document are not
        linked."""
        dates = {doc.symbol: doc.publication_date for doc in self.documents}
        groups: dict[str, list[PlannedRecommendation]] = defaultdict(list)
        for rec in self.recommendations:
            if rec.link_key:
                groups[rec.link_key.removeprefix("translated:")].append(rec)
        pairs: list[tuple[tuple[str, str], tuple[str, str]]] = []
        for members in groups.values():
            members.sort(key=lambda rec: (dates[rec.symbol], rec.symbol))
            pairs.extend((a.key, b.key) for a, b in pairwise(members) if a.symbol != b.symbol)
        return pairs


def html_paragraphs(lines: Sequence[str]) -> str:
    """Simple sanitised HTML: one escaped paragraph per line of plain text."""
    return "".join(f"<p>{escape(line)}</p>" for line in lines)


def plan_demo(
    content: Content, *, seed: int, iso3: str, state_name: str, states: Sequence[str]
) -> Plan:
    """The plan for the State ``iso3`` (named ``state_name``), recommended to by ``states``
    (ISO alpha-3 codes, in a fixed order)."""
    return _Planner(content, seed=seed, iso3=iso3, state_name=state_name, states=states).plan()


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _joined(specific: str) -> str:
    return (", " if specific.startswith(_COMMA_OPENERS) else " ") + specific


def _parse_upr_line(line: str) -> tuple[str, list[str]]:
    base, *specifics = (part.strip() for part in line.split("|"))
    return base, specifics


def _referenced(reference: str, lines: Sequence[str]) -> tuple[str, ...]:
    """The lines with the paragraph reference in front of the first."""
    return (f"{reference} {lines[0]}", *lines[1:])


def _para_num(paragraph: str) -> tuple[int, str]:
    number = "".join(ch for ch in paragraph if ch.isdigit())
    return int(number or 0), paragraph


class _Planner:
    def __init__(
        self,
        content: Content,
        *,
        seed: int,
        iso3: str,
        state_name: str,
        states: Sequence[str],
    ) -> None:
        self.content = content
        self.topics = content.topic_by_key
        self.rng = random.Random(seed)  # noqa: S311 (variety, not security)
        self.iso3 = iso3
        self.state_name = state_name
        self.states = list(states)
        self.recommendations: list[PlannedRecommendation] = []
        self.documents: list[PlannedDocument] = []

    def plan(self) -> Plan:
        for spec in self.content.upr_cycles:
            self._plan_upr(spec)
        for report in self.content.treaty_body_reports:
            self._plan_report(report)
        for report in self.content.special_procedure_reports:
            self._plan_report(report)
        for rec in self.recommendations:
            self._tag(rec)
        return Plan(self.documents, self.recommendations)

    # -- UPR ---------------------------------------------------------------------------------

    def _upr_text(self, topic: Topic, index: int) -> str:
        base, specifics = _parse_upr_line(topic.upr[index])
        text = base
        if specifics and self.rng.random() < 0.6:
            # One specific, or two in a row when both fit ("..., including by ..., and by ...").
            chosen = self.rng.sample(specifics, k=min(len(specifics), self.rng.choice((1, 1, 2))))
            chosen.sort(key=specifics.index)
            text = base + "".join(_joined(specific) for specific in chosen)
        if (
            topic.prefixable
            and base.split()[0] not in self.content.prefix_avoiding_verbs
            and self.rng.random() < 0.3
        ):
            text = f"{self.rng.choice(self.content.upr_prefixes)} {_lower_first(text)}"
        return text + "."

    def _plan_upr(self, spec: UprCycleSpec) -> None:
        content = self.content
        symbol = spec.symbol.format(n=spec.report_number)
        addendum = f"{symbol}/Add.1"
        self.documents.append(
            PlannedDocument(
                symbol=symbol,
                mechanism="UPR",
                title=f"Report of the Working Group on the Universal Periodic Review: "
                f"{self.state_name}",
                publication_date=spec.publication_date,
                cycle_number=spec.number,
                upr_session=spec.session,
            )
        )
        topics = content.topics
        weights = [3 if spec.number == 1 and t.key == "ratification" else 2 for t in topics]
        weights = [w if t.upr else 0 for w, t in zip(weights, topics, strict=True)]
        drafts: list[PlannedRecommendation] = []
        seen: set[str] = set()
        latest = spec.number == content.upr_cycles[-1].number
        if latest:
            for translated in content.translations:
                seen.add(translated.english)
                drafts.append(
                    PlannedRecommendation(
                        symbol=symbol,
                        paragraph="",
                        topic=translated.topic,
                        lines=(translated.english,),
                        translations=dict(translated.translations),
                        link_key=f"translated:{translated.topic}",
                    )
                )
        attempts = 0
        while len(drafts) < spec.count and attempts < spec.count * 20:
            attempts += 1
            topic = self.rng.choices(topics, weights=weights)[0]
            index = self.rng.randrange(len(topic.upr))
            text = self._upr_text(topic, index)
            if text in seen:
                continue
            seen.add(text)
            drafts.append(
                PlannedRecommendation(
                    symbol=symbol,
                    paragraph="",
                    topic=topic.key,
                    lines=(text,),
                    link_key=f"upr:{topic.key}:{index}",
                )
            )
        # Reports list recommendations roughly by subject, in the order of the topics.
        order = {topic.key: n for n, topic in enumerate(topics)}
        drafts.sort(key=lambda rec: order[rec.topic])
        for rec in drafts:
            topic = self.topics[rec.topic]
            pool = [iso3 for iso3 in self.states if iso3 in topic.recommenders] or self.states
            rec.states = self.rng.sample(pool, k=min(len(pool), self._state_count()))
            roll = self.rng.random()
            if roll < topic.noted_share:
                rec.position = Position.NOTED
            elif spec.number > 1 and roll < topic.noted_share + 0.04:
                rec.position = Position.SUPPORTED_IN_PART
            else:
                rec.position = Position.SUPPORTED
            rec.is_current = latest
        if spec.number == 1:
            # First-cycle reports split the list: recommendations the State supported at the
            # review (para. 89), and those it would answer later in the addendum (para. 90).
            supported = [r for r in drafts if r.position == Position.SUPPORTED]
            later = [r for r in drafts if r.position != Position.SUPPORTED]
            for n, rec in enumerate(supported, start=1):
                rec.paragraph, rec.position_source = f"{spec.paragraph}.{n}", symbol
            for n, rec in enumerate(later, start=1):
                rec.paragraph, rec.position_source = f"{spec.paragraph + 1}.{n}", addendum
            drafts = supported + later
        else:
            for n, rec in enumerate(drafts, start=1):
                rec.paragraph, rec.position_source = f"{spec.paragraph}.{n}", addendum
        for rec in drafts:
            rec.lines = _referenced(rec.paragraph, rec.lines)
            rec.translations = {
                language: f"{rec.paragraph} {text}" for language, text in rec.translations.items()
            }
        age = UPR_AGES.get(spec.number, "new")
        for rec in drafts:
            self._follow_up_fields(rec, age=age, draft_share=0.15 if latest else 0.04)
            if spec.number == 1 and self.rng.random() < 0.1:
                rec.publication_state = PublicationState.ARCHIVED
        self.recommendations.extend(drafts)

    def _state_count(self) -> int:
        return self.rng.choices((1, 2, 3), weights=(70, 20, 10))[0]

    # -- Treaty bodies and special procedures --------------------------------------------------

    def _plan_report(self, report: ReportSpec) -> None:
        symbol = report.symbol.format(iso=self.iso3)
        self.documents.append(
            PlannedDocument(
                symbol=symbol,
                mechanism=report.mechanism,
                title=report.title.format(state=self.state_name),
                publication_date=report.publication_date,
                cycle_number=report.cycle_number,
                cycle_label=report.cycle_label,
                cycle_review_date=report.publication_date if report.cycle_number else None,
            )
        )
        is_committee = report.mechanism not in self.content.special_procedures
        years = self.content.as_of_year - report.publication_date.year
        age = "mid" if years >= 5 else "recent" if years >= 2 else "new"
        paragraph = report.first_paragraph
        planned: list[PlannedRecommendation] = []
        recommended: list[str] = []
        for topic_key in report.topics:
            topic = self.topics[topic_key]
            if is_committee and topic.concerns and self.rng.random() < 0.85:
                planned.append(
                    PlannedRecommendation(
                        symbol=symbol,
                        paragraph=str(paragraph),
                        topic=topic_key,
                        lines=(f"{paragraph}. {self._concern_text(topic)}",),
                        annotation_type=AnnotationType.CONCERN,
                    )
                )
                paragraph += 1
            rows = self._recommendation_rows(report, topic, symbol, paragraph, is_committee)
            planned.extend(rows)
            recommended.append(str(paragraph))
            paragraph += 1 + self.rng.choice((0, 0, 0, 1))  # unannotated paragraphs in between
        if report.follow_up:
            picked = sorted(self.rng.sample(recommended, k=min(3, len(recommended))), key=_para_num)
            listed = ", ".join(picked[:-1]) + f" and {picked[-1]}"
            text = (
                "The Committee requests the State party to provide, within 24 months of the "
                "adoption of the present concluding observations, information on the "
                f"implementation of the recommendations made in paragraphs {listed} above."
            )
            planned.append(
                PlannedRecommendation(
                    symbol=symbol,
                    paragraph=str(paragraph + 2),
                    topic="cooperation",
                    lines=(f"{paragraph + 2}. {text}",),
                    themes=list(self.content.follow_up_themes),
                )
            )
        for rec in planned:
            rec.is_current = True
            if rec.annotation_type == AnnotationType.RECOMMENDATION:
                self._follow_up_fields(rec, age=age, draft_share=0.08)
            else:
                rec.publication_state = (
                    PublicationState.DRAFT if self.rng.random() < 0.05 else rec.publication_state
                )
                rec.cluster = self.topics[rec.topic].cluster
        self.recommendations.extend(planned)

    def _concern_text(self, topic: Topic) -> str:
        concern = self.rng.choice(topic.concerns)
        if topic.progress and self.rng.random() < 0.5:
            progress = self.rng.choice(topic.progress)
            opening = self.rng.choice(
                (
                    f"While noting {progress}, the Committee is concerned about",
                    f"While welcoming {progress}, the Committee remains concerned about",
                )
            )
            return f"{opening} {concern}."
        opening = self.rng.choice(
            ("The Committee is concerned about", "The Committee notes with concern")
        )
        return f"{opening} {concern}."

    def _intro(self, report: ReportSpec, topic: Topic, paragraph: int) -> str:
        recalls = dict(topic.recalls)
        if report.mechanism in recalls and self.rng.random() < 0.7:
            return recalls[report.mechanism]
        intro = self.rng.choice(report.intros)
        return intro.format(iso=self.iso3, n=max(paragraph - self.rng.randint(2, 30), 8))

    def _recommendation_rows(
        self,
        report: ReportSpec,
        topic: Topic,
        symbol: str,
        paragraph: int,
        is_committee: bool,
    ) -> list[PlannedRecommendation]:
        """One recommendation paragraph: whole ("49"), or one row per sub-paragraph ("49(a)")."""
        intro = self._intro(report, topic, paragraph)
        lower = intro.endswith("to:")
        count = self.rng.randint(2, min(5, len(topic.measures)))
        items = self.rng.sample(list(topic.measures), k=count)
        items = [_lower_first(item) if lower else item for item in items]
        letters = "abcdefgh"
        split = (not is_committee) or self.rng.random() < 0.5
        if split:
            rows = []
            for n, item in enumerate(items):
                letter = letters[n]
                end = ";" if n < len(items) - 1 else "."
                rows.append(
                    PlannedRecommendation(
                        symbol=symbol,
                        paragraph=f"{paragraph}({letter})",
                        topic=topic.key,
                        lines=(f"{paragraph} ({letter}) {intro}", f"{item}{end}"),
                        link_key=f"tb:{topic.key}:{topic.measures.index(_match(topic, item))}",
                    )
                )
            return rows
        if count == 2 and self.rng.random() < 0.4:
            # One sentence: "The State party should adopt ... and ensure ...". Every
            # introduction ends in "State party:", "should:" or "to:", so it reads on.
            first, second = (_lower_first(item) for item in items)
            lines = [f"{intro.removesuffix(':')} {first} and {second}."]
        else:
            lines = [intro] + [
                f"({letters[n]}) {item}{';' if n < len(items) - 1 else '.'}"
                for n, item in enumerate(items)
            ]
        return [
            PlannedRecommendation(
                symbol=symbol,
                paragraph=str(paragraph),
                topic=topic.key,
                lines=_referenced(f"{paragraph}.", lines),
            )
        ]

    # -- Tags and national follow-up -----------------------------------------------------------

    def _follow_up_fields(
        self, rec: PlannedRecommendation, *, age: str, draft_share: float
    ) -> None:
        content = self.content
        topic = self.topics[rec.topic]
        rec.cluster = topic.cluster if self.rng.random() < 0.82 else None
        if self.rng.random() < 0.5:
            rec.priority = self.rng.choices(
                (Priority.HIGH, Priority.MEDIUM, Priority.LOW), weights=(30, 45, 25)
            )[0]
        weights = content.status_weights["noted" if rec.position == Position.NOTED else age]
        rec.status = self.rng.choices([s for s, _ in weights], weights=[w for _, w in weights])[0]
        reasons = content.status_reasons.get(rec.status)
        if reasons and self.rng.random() < 0.6:
            rec.status_override_reason = self.rng.choice(reasons)
        if self.rng.random() < 0.15:
            rec.national_notes = self.rng.choice(content.national_notes)
        if self.rng.random() < draft_share:
            rec.publication_state = PublicationState.DRAFT

    def _tag(self, rec: PlannedRecommendation) -> None:
        """1-3 themes, 0-2 affected groups and 0-3 SDG targets that fit the topic."""
        topic = self.topics[rec.topic]
        if not rec.themes:
            rec.themes = self.rng.sample(
                list(topic.themes), k=self.rng.randint(1, min(3, len(topic.themes)))
            )
        if topic.groups:
            rec.groups = self.rng.sample(
                list(topic.groups), k=self.rng.randint(0, min(2, len(topic.groups)))
            )
        if topic.sdgs and rec.annotation_type == AnnotationType.RECOMMENDATION:
            rec.sdgs = self.rng.sample(
                list(topic.sdgs), k=self.rng.randint(0, min(3, len(topic.sdgs)))
            )


def _match(topic: Topic, item: str) -> str:
    """The measure an (optionally lower-cased) sub-paragraph came from."""
    return next(m for m in topic.measures if m.lower() == item.lower())

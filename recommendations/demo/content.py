"""The content of the demo recommendations, read from the YAML files in ``content/``.

Reading checks the shape of every entry and the references between files (a topic's cluster, a
report's topics, a translation's topic), so that an edit that breaks them fails here, with the
file and the entry, rather than half-way through a load. The planner takes a ``Content``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from recommendations.models import ImplementationStatus
from tracker.demo.datafiles import ContentError, codes, mapping, read_yaml, text, texts

CONTENT_DIR = Path(__file__).parent / "content"
TRANSLATED_LANGUAGES = ("fr", "es", "ar")


@dataclass(frozen=True)
class Topic:
    """One subject of recommendations, with its tags and the phrases texts are built from (see
    ``content/topics.yaml``)."""

    key: str
    cluster: str
    themes: tuple[str, ...]
    groups: tuple[str, ...] = ()
    sdgs: tuple[str, ...] = ()
    upr: tuple[str, ...] = ()
    noted_share: float = 0.1
    prefixable: bool = True
    concerns: tuple[str, ...] = ()
    progress: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    recalls: tuple[tuple[str, str], ...] = ()  # (mechanism code, introduction)
    # UPR recommending States drawn from this list only, when it is set: a recommendation to
    # abolish the death penalty comes from abolitionist States, not from any State at random.
    recommenders: tuple[str, ...] = ()


@dataclass(frozen=True)
class UprCycleSpec:
    number: int
    session: int  # Working Group session
    review_date: datetime.date
    symbol: str  # with {n}: the report number
    report_number: int
    publication_date: datetime.date
    paragraph: int  # the paragraph that lists the recommendations
    count: int  # recommendations in the report
    mid_term_due: datetime.date
    next_review: datetime.date


@dataclass(frozen=True)
class ReportSpec:
    """A treaty-body or special-procedure report: symbol pattern, dates and subjects."""

    mechanism: str
    symbol: str  # {iso} is the State's code
    title: str  # {state} is the State's name
    publication_date: datetime.date
    topics: tuple[str, ...]
    first_paragraph: int
    cycle_number: int | None = None
    cycle_label: str = ""
    intros: tuple[str, ...] = ("The Committee recommends that the State party:",)
    follow_up: bool = True


@dataclass(frozen=True)
class ClusterSpec:
    name: str
    lead: str  # an institution of the core's people.yaml
    description: str


@dataclass(frozen=True)
class Translation:
    """A UPR recommendation of the latest cycle with unofficial translations."""

    topic: str
    english: str
    translations: dict[str, str]  # language: text


@dataclass(frozen=True)
class Content:
    topics: tuple[Topic, ...]
    upr_cycles: tuple[UprCycleSpec, ...]
    treaty_body_reports: tuple[ReportSpec, ...]
    special_procedure_reports: tuple[ReportSpec, ...]
    clusters: tuple[ClusterSpec, ...]
    recommending_states: tuple[str, ...]
    upr_prefixes: tuple[str, ...]
    prefix_avoiding_verbs: frozenset[str]
    follow_up_themes: tuple[str, ...]
    translations: tuple[Translation, ...]
    status_weights: dict[str, tuple[tuple[str, int], ...]]
    status_reasons: dict[str, tuple[str, ...]]
    national_notes: tuple[str, ...]
    as_of_year: int
    languages: tuple[str, ...]

    @cached_property
    def topic_by_key(self) -> dict[str, Topic]:
        return {topic.key: topic for topic in self.topics}

    @cached_property
    def special_procedures(self) -> frozenset[str]:
        return frozenset(report.mechanism for report in self.special_procedure_reports)


@cache
def load_content() -> Content:
    """The demo content, read once per process."""
    return read_content(CONTENT_DIR)


def read_content(directory: Path) -> Content:
    """Read and check the content files of ``directory``. Raises ``ContentError``."""
    topics_file = mapping(_read(directory, "topics.yaml"), "topics.yaml", required=["topics"])
    states = mapping(
        _read(directory, "states.yaml"), "states.yaml", required=["recommending", "lists"]
    )
    lists = {name: codes(value, f"states.yaml: {name}") for name, value in states["lists"].items()}
    documents = mapping(
        _read(directory, "documents.yaml"),
        "documents.yaml",
        required=[
            "as_of_year",
            "languages",
            "upr_cycles",
            "treaty_body_reports",
            "special_procedure_reports",
        ],
    )
    wording = mapping(
        _read(directory, "wording.yaml"),
        "wording.yaml",
        required=["upr_prefixes", "prefix_avoiding_verbs", "follow_up_themes", "translations"],
    )
    follow_up = mapping(
        _read(directory, "follow_up.yaml"),
        "follow_up.yaml",
        required=["status_weights", "status_reasons", "national_notes"],
    )
    clusters = mapping(_read(directory, "clusters.yaml"), "clusters.yaml", required=["clusters"])
    content = Content(
        topics=tuple(
            _topic(item, f"topics.yaml: topics[{n}]", lists)
            for n, item in enumerate(topics_file["topics"])
        ),
        upr_cycles=tuple(
            _upr_cycle(item, f"documents.yaml: upr_cycles[{n}]")
            for n, item in enumerate(documents["upr_cycles"])
        ),
        treaty_body_reports=tuple(
            _report(item, f"documents.yaml: treaty_body_reports[{n}]")
            for n, item in enumerate(documents["treaty_body_reports"])
        ),
        special_procedure_reports=tuple(
            _report(item, f"documents.yaml: special_procedure_reports[{n}]")
            for n, item in enumerate(documents["special_procedure_reports"])
        ),
        clusters=tuple(
            _cluster(item, f"clusters.yaml: clusters[{n}]")
            for n, item in enumerate(clusters["clusters"])
        ),
        recommending_states=codes(states["recommending"], "states.yaml: recommending"),
        upr_prefixes=texts(wording["upr_prefixes"], "wording.yaml: upr_prefixes"),
        prefix_avoiding_verbs=frozenset(
            texts(wording["prefix_avoiding_verbs"], "wording.yaml: prefix_avoiding_verbs")
        ),
        follow_up_themes=texts(wording["follow_up_themes"], "wording.yaml: follow_up_themes"),
        translations=tuple(
            _translation(item, f"wording.yaml: translations[{n}]")
            for n, item in enumerate(wording["translations"])
        ),
        status_weights={
            age: tuple((status, int(weight)) for status, weight in weights.items())
            for age, weights in follow_up["status_weights"].items()
        },
        status_reasons={
            status: texts(reasons, f"follow_up.yaml: status_reasons: {status}")
            for status, reasons in follow_up["status_reasons"].items()
        },
        national_notes=texts(follow_up["national_notes"], "follow_up.yaml: national_notes"),
        as_of_year=int(documents["as_of_year"]),
        languages=texts(documents["languages"], "documents.yaml: languages"),
    )
    _check_references(content)
    return content


def _read(directory: Path, name: str) -> Any:
    return read_yaml(directory / name)


def _topic(item: Any, where: str, lists: dict[str, tuple[str, ...]]) -> Topic:
    optional = ["groups", "sdgs", "upr", "noted_share", "prefixable", "concerns", "progress"]
    optional += ["measures", "recalls", "recommenders"]
    item = mapping(item, where, required=["key", "cluster", "themes"], optional=optional)
    recommenders = item.get("recommenders")
    if recommenders is not None and recommenders not in lists:
        raise ContentError(f"{where}: recommenders {recommenders!r} is not a list of states.yaml.")
    return Topic(
        key=text(item["key"], where),
        cluster=text(item["cluster"], where),
        themes=texts(item["themes"], f"{where}.themes"),
        groups=texts(item.get("groups", []), f"{where}.groups"),
        sdgs=tuple(str(code) for code in item.get("sdgs", [])),
        upr=texts(item.get("upr", []), f"{where}.upr"),
        noted_share=float(item.get("noted_share", 0.1)),
        prefixable=bool(item.get("prefixable", True)),
        concerns=texts(item.get("concerns", []), f"{where}.concerns"),
        progress=texts(item.get("progress", []), f"{where}.progress"),
        measures=texts(item.get("measures", []), f"{where}.measures"),
        recalls=tuple(
            _recall(recall, f"{where}.recalls[{n}]")
            for n, recall in enumerate(item.get("recalls", []))
        ),
        recommenders=lists[recommenders] if recommenders else (),
    )


def _recall(item: Any, where: str) -> tuple[str, str]:
    item = mapping(item, where, required=["mechanism", "intro"])
    return text(item["mechanism"], where), text(item["intro"], where)


def _cluster(item: Any, where: str) -> ClusterSpec:
    item = mapping(item, where, required=["name", "lead", "description"])
    return ClusterSpec(*(text(item[key], where) for key in ("name", "lead", "description")))


def _date(value: Any, where: str) -> datetime.date:
    if not isinstance(value, datetime.date):
        raise ContentError(f"{where}: expected a date (YYYY-MM-DD), found {value!r}.")
    return value


def _upr_cycle(item: Any, where: str) -> UprCycleSpec:
    item = mapping(item, where, required=list(UprCycleSpec.__dataclass_fields__))
    return UprCycleSpec(
        number=int(item["number"]),
        session=int(item["session"]),
        review_date=_date(item["review_date"], f"{where}.review_date"),
        symbol=text(item["symbol"], where),
        report_number=int(item["report_number"]),
        publication_date=_date(item["publication_date"], f"{where}.publication_date"),
        paragraph=int(item["paragraph"]),
        count=int(item["count"]),
        mid_term_due=_date(item["mid_term_due"], f"{where}.mid_term_due"),
        next_review=_date(item["next_review"], f"{where}.next_review"),
    )


def _report(item: Any, where: str) -> ReportSpec:
    item = mapping(
        item,
        where,
        required=["mechanism", "symbol", "title", "publication_date", "topics", "first_paragraph"],
        optional=["cycle_number", "cycle_label", "intros", "follow_up"],
    )
    return ReportSpec(
        mechanism=text(item["mechanism"], where),
        symbol=text(item["symbol"], where),
        title=text(item["title"], where),
        publication_date=_date(item["publication_date"], f"{where}.publication_date"),
        topics=texts(item["topics"], f"{where}.topics"),
        first_paragraph=int(item["first_paragraph"]),
        cycle_number=int(item["cycle_number"]) if "cycle_number" in item else None,
        cycle_label=str(item.get("cycle_label", "")),
        intros=texts(item["intros"], f"{where}.intros") if "intros" in item else ReportSpec.intros,
        follow_up=bool(item.get("follow_up", True)),
    )


def _translation(item: Any, where: str) -> Translation:
    item = mapping(item, where, required=["topic", "en", *TRANSLATED_LANGUAGES])
    return Translation(
        topic=text(item["topic"], where),
        english=text(item["en"], where),
        translations={lang: text(item[lang], where) for lang in TRANSLATED_LANGUAGES},
    )


def _check_references(content: Content) -> None:
    """Every name a file uses is defined: clusters, topics, statuses."""
    clusters = {cluster.name for cluster in content.clusters}
    topics = content.topic_by_key
    for topic in content.topics:
        if topic.cluster not in clusters:
            raise ContentError(f"topics.yaml: {topic.key}: no cluster {topic.cluster!r}.")
        if not topic.measures and not topic.upr:
            raise ContentError(f"topics.yaml: {topic.key}: neither upr nor measures.")
    for report in (*content.treaty_body_reports, *content.special_procedure_reports):
        for key in report.topics:
            if key not in topics:
                raise ContentError(f"documents.yaml: {report.symbol}: no topic {key!r}.")
            if len(topics[key].measures) < 2:
                raise ContentError(f"documents.yaml: {report.symbol}: {key!r} needs 2 measures.")
    for translation in content.translations:
        if translation.topic not in topics:
            raise ContentError(f"wording.yaml: translations: no topic {translation.topic!r}.")
    statuses = set(ImplementationStatus.values)
    for age, weights in content.status_weights.items():
        for status, _weight in weights:
            if status not in statuses:
                raise ContentError(f"follow_up.yaml: status_weights: {age}: {status!r}?")
    for status in content.status_reasons:
        if status not in statuses:
            raise ContentError(f"follow_up.yaml: status_reasons: {status!r}?")
    for age in ("old", "mid", "recent", "new", "noted"):
        if age not in content.status_weights:
            raise ContentError(f"follow_up.yaml: status_weights: {age!r} is missing.")

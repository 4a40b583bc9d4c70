"""The demo planner and feed are pure: these tests need no database."""

from __future__ import annotations

import re
import uuid
from collections import Counter, defaultdict

import pytest

from recommendations.demo import Plan, load_content, plan_demo
from recommendations.demo.feed import annotation_id, uhri_records
from recommendations.models import AnnotationType, Position, PublicationState

CONTENT = load_content()
STATES = sorted(CONTENT.recommending_states)


def _plan(seed: int = 2026, states: list[str] | None = None) -> Plan:
    return plan_demo(CONTENT, seed=seed, iso3="KEN", state_name="Kenya", states=states or STATES)


PLAN = _plan()
DOCUMENTS = {doc.symbol: doc for doc in PLAN.documents}


def _family(symbol: str) -> str:
    mechanism = DOCUMENTS[symbol].mechanism
    if mechanism == "UPR":
        return "upr"
    return "special_procedure" if mechanism in CONTENT.special_procedures else "treaty_body"


def test_the_same_seed_gives_the_same_plan_and_feed() -> None:
    again = _plan(2026)
    assert again == PLAN
    names = {code: code for code in STATES}
    assert uhri_records(again, iso3="KEN", state_name="Kenya", country_names=names) == (
        uhri_records(PLAN, iso3="KEN", state_name="Kenya", country_names=names)
    )


def test_different_seeds_give_different_texts_and_tags() -> None:
    other = _plan(7)
    assert [r.text for r in other.recommendations] != [r.text for r in PLAN.recommendations]
    assert [r.themes for r in other.recommendations] != [r.themes for r in PLAN.recommendations]
    # The documents do not depend on the seed.
    assert [d.symbol for d in other.documents] == [d.symbol for d in PLAN.documents]


def test_each_upr_report_holds_its_count_and_each_report_is_planned() -> None:
    per_document = Counter(rec.symbol for rec in PLAN.recommendations)
    for spec in CONTENT.upr_cycles:
        assert per_document[spec.symbol.format(n=spec.report_number)] == spec.count
    reports = (*CONTENT.treaty_body_reports, *CONTENT.special_procedure_reports)
    assert {r.symbol.format(iso="KEN") for r in reports} <= set(per_document)
    families = Counter(_family(rec.symbol) for rec in PLAN.recommendations)
    assert families["upr"] == sum(spec.count for spec in CONTENT.upr_cycles)
    assert families["treaty_body"] > 80
    assert families["special_procedure"] > 5


def test_paragraphs_are_unique_numbered_in_order_and_open_each_text() -> None:
    keys = [rec.key for rec in PLAN.recommendations]
    assert len(keys) == len(set(keys))
    for spec in CONTENT.upr_cycles:
        symbol = spec.symbol.format(n=spec.report_number)
        numbers = defaultdict(list)
        for rec in PLAN.recommendations:
            if rec.symbol == symbol:
                head, _dot, number = rec.paragraph.partition(".")
                numbers[int(head)].append(int(number))
        assert set(numbers) <= {spec.paragraph, spec.paragraph + 1}
        for listed in numbers.values():
            assert listed == list(range(1, len(listed) + 1))
    for rec in PLAN.recommendations:
        if _family(rec.symbol) == "upr":
            assert rec.lines[0].startswith(f"{rec.paragraph} ")
        elif match := re.fullmatch(r"(\d+)\(([a-h])\)", rec.paragraph):
            assert rec.lines[0].startswith(f"{match[1]} ({match[2]}) ")
        else:
            assert re.fullmatch(r"\d+", rec.paragraph)
            assert rec.lines[0].startswith(f"{rec.paragraph}. ")


def test_subparagraphs_are_lettered_from_a_without_gaps() -> None:
    letters = defaultdict(list)
    for rec in PLAN.recommendations:
        if match := re.fullmatch(r"(\d+)\(([a-h])\)", rec.paragraph):
            letters[(rec.symbol, match[1])].append(match[2])
    assert letters
    for found in letters.values():
        assert found == list("abcdefgh"[: len(found)])


def test_every_planned_tag_comes_from_the_content() -> None:
    clusters = {cluster.name for cluster in CONTENT.clusters}
    for rec in PLAN.recommendations:
        topic = CONTENT.topic_by_key[rec.topic]
        assert set(rec.themes) <= {*topic.themes, *CONTENT.follow_up_themes}
        assert 1 <= len(rec.themes) <= 3
        assert set(rec.groups) <= set(topic.groups)
        assert set(rec.sdgs) <= set(topic.sdgs)
        assert rec.cluster is None or rec.cluster in clusters
        assert set(rec.states) <= set(STATES)
        if topic.recommenders and rec.states:
            assert set(rec.states) <= set(topic.recommenders)
        assert rec.status in dict(CONTENT.status_weights["new"]) | dict(
            CONTENT.status_weights["old"]
        )
        assert rec.status_override_reason in ("", *CONTENT.status_reasons.get(rec.status, ()))
        assert rec.national_notes in ("", *CONTENT.national_notes)


def test_positions_belong_to_the_upr_and_concerns_to_the_committees() -> None:
    for rec in PLAN.recommendations:
        family = _family(rec.symbol)
        if family == "upr":
            assert rec.position in Position.values
            assert rec.states
            assert rec.position_source.startswith(rec.symbol)
        else:
            assert (rec.position, rec.states, rec.position_source) == ("", [], "")
        if rec.annotation_type == AnnotationType.CONCERN:
            assert family == "treaty_body"
            assert not rec.sdgs


def test_only_the_latest_upr_cycle_is_current_and_translated() -> None:
    latest = CONTENT.upr_cycles[-1]
    symbol = latest.symbol.format(n=latest.report_number)
    translated = [rec for rec in PLAN.recommendations if rec.translations]
    assert len(translated) == len(CONTENT.translations)
    for rec in translated:
        assert rec.symbol == symbol
        assert set(rec.translations) == {"fr", "es", "ar"}
        assert all(text.startswith(f"{rec.paragraph} ") for text in rec.translations.values())
    for rec in PLAN.recommendations:
        if _family(rec.symbol) == "upr":
            assert rec.is_current == (rec.symbol == symbol)
    states = Counter(rec.publication_state for rec in PLAN.recommendations)
    assert set(states) == set(PublicationState.values)


def test_related_pairs_link_repeats_in_other_documents_oldest_first() -> None:
    pairs = PLAN.related_pairs()
    assert len(pairs) > 100
    for (symbol_a, _), (symbol_b, _) in pairs:
        assert symbol_a != symbol_b
        assert DOCUMENTS[symbol_a].publication_date <= DOCUMENTS[symbol_b].publication_date


def test_the_order_of_the_recommending_states_is_part_of_the_plan() -> None:
    # The loader reads them in a fixed order (by code) for this reason.
    assert _plan(states=list(reversed(STATES))) != PLAN


def test_the_feed_has_one_uhri_record_per_recommendation_with_stable_ids() -> None:
    names = {code: f"State {code}" for code in STATES}
    records = uhri_records(PLAN, iso3="KEN", state_name="Kenya", country_names=names)
    assert len(records) == len(PLAN.recommendations)
    ids = [record["AnnotationId"] for record in records]
    assert len(set(ids)) == len(ids)
    for record, rec in zip(records, PLAN.recommendations, strict=True):
        assert uuid.UUID(record["AnnotationId"]) == annotation_id("KEN", rec.symbol, rec.paragraph)
        assert record["Countries"] == ["Kenya"]
        assert record["Text"] == rec.html
        assert record["Themes"] == rec.themes
        if _family(rec.symbol) == "upr":
            assert record["UprRecommendingStates"] == [names[code] for code in rec.states]
            assert record["UprSession"].endswith(" Session")
            assert record["UprPosition"] in {"Supported", "Supported in part", "Noted"}
        else:
            assert "UprPosition" not in record
    sessions = {r["Symbol"]: r.get("UprSession") for r in records if r["Body"] == "UPR"}
    assert sorted(sessions.values()) == [
        "12th Session",
        "25th Session",
        "39th Session",
        "51st Session",
    ]
    # Another State gets other ids for the same symbols and paragraphs.
    assert annotation_id("UGA", "A/HRC/19/10", "89.1") != annotation_id(
        "KEN", "A/HRC/19/10", "89.1"
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_seed_gives_a_complete_plan(seed: int) -> None:
    plan = _plan(seed)
    assert len(plan.recommendations) > 350
    assert all(rec.paragraph and rec.themes for rec in plan.recommendations)

"""The demo content files: their shape, and the names they use exist (no database needed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import tracker
from recommendations.demo.content import CONTENT_DIR, load_content, read_content
from tracker.demo import people
from tracker.demo.datafiles import ContentError

CONTENT = load_content()
REFERENCE = Path(tracker.__file__).parent / "reference_data"


def _labels(name: str) -> set[str]:
    lines = (REFERENCE / name).read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def _csv_column(name: str, column: int) -> set[str]:
    lines = (REFERENCE / name).read_text(encoding="utf-8").splitlines()[1:]
    return {line.split(",")[column] for line in lines}


def test_every_label_the_topics_use_is_a_uhri_label_of_the_reference_data() -> None:
    themes = _labels("uhri_themes_observed.txt")
    groups = _labels("uhri_affected_persons_legacy.txt")
    targets = _csv_column("sdg_targets.csv", 0)
    for topic in CONTENT.topics:
        assert set(topic.themes) <= themes, topic.key
        assert set(topic.groups) <= groups, topic.key
        assert set(topic.sdgs) <= targets, topic.key
    assert set(CONTENT.follow_up_themes) <= themes


def test_mechanisms_and_states_are_in_the_reference_data() -> None:
    mechanisms = _csv_column("mechanisms.csv", 0)
    reports = (*CONTENT.treaty_body_reports, *CONTENT.special_procedure_reports)
    assert {report.mechanism for report in reports} <= mechanisms
    countries = _csv_column("countries.csv", 0)
    assert set(CONTENT.recommending_states) <= countries
    for topic in CONTENT.topics:
        assert set(topic.recommenders) <= set(CONTENT.recommending_states)


def test_every_cluster_is_led_by_an_institution_of_the_people_step() -> None:
    institutions = {institution.name for institution in people().institutions}
    assert {cluster.lead for cluster in CONTENT.clusters} <= institutions


def test_people_have_one_account_per_role() -> None:
    from tracker.roles import Role

    assert sorted(user.role for user in people().users) == sorted(Role.values)


def _broken_copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    directory = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, directory)
    path = directory / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return directory


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            "topics.yaml",
            "cluster: International obligations and cooperation",
            "cluster: Foreign affairs",
            "no cluster 'Foreign affairs'",
        ),
        ("documents.yaml", "    first_paragraph: 10\n", "", r"treaty_body_reports\[0\]: missing"),
        ("documents.yaml", "publication_date: 2024-11-08", "publication_date: soon", "a date"),
        ("follow_up.yaml", "    implemented: 35", "    done: 35", "'done'"),
        ("wording.yaml", "  - topic: gbv", "  - topic: violence", "no topic 'violence'"),
        ("topics.yaml", "recommenders: sogi", "recommenders: liberal", "not a list"),
    ],
)
def test_a_broken_content_file_is_refused_with_the_file_and_entry(
    tmp_path: Path, name: str, old: str, new: str, message: str
) -> None:
    directory = _broken_copy(tmp_path, name, old, new)
    with pytest.raises(ContentError, match=message):
        read_content(directory)

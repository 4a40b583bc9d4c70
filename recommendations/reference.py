"""Load the reference data shipped in ``tracker/reference_data`` into the database.

The reference data (SDG goals, targets and indicators, countries, mechanisms, UPR cycles and the UHRI
theme and affected-persons labels) is versioned with the code rather than fetched at run time, so
that an installation works offline and two installations of the same release agree.

The load is meant to be re-run after every upgrade, so it is idempotent and careful about what it
owns:

* SDG tables and countries are pure reference data: they are upserted with one
  ``INSERT ... ON CONFLICT DO UPDATE`` per table, and the shipped files always win.
* Mechanisms, review cycles, themes and affected groups are audited by django-pghistory triggers
  and may be edited nationally. Rows are written only when something is missing or, for
  mechanisms, when the shipped values differ, so that a second run adds no history event.
* Themes and affected groups are only ever inserted, never updated: a national edit (new wording,
  a translation, ``is_reviewed`` switched off) must survive upgrades. A label that existed once
  and was renamed or deleted nationally (it shows in the history tables) is not brought back.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction

import tracker
from tracker.audit import audit_context
from tracker.models import Country

from .models import (
    AffectedGroup,
    Mechanism,
    MechanismFamily,
    ReviewCycle,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    TaxonomySource,
    Theme,
    taxonomy_key,
)

if TYPE_CHECKING:
    from .models import TaxonomyTerm

REFERENCE_DATA_DIR = Path(tracker.__file__).parent / "reference_data"

# The six UN languages, as the project spells them. The SDG files use BCP 47 "zh-Hans".
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh-hans")
_SDG_COLUMN_LANGUAGE = {"zh-hans": "zh-Hans"}

UPR_CYCLES = (1, 2, 3, 4)
AUDIT_ACTION = "reference_data_load"


def _read_csv(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _read_labels(name: str) -> list[str]:
    """One label a line; blank lines and repeats are skipped, stray spaces trimmed."""
    text = (REFERENCE_DATA_DIR / name).read_text(encoding="utf-8")
    return list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))


def _sdg_texts(row: dict[str, str], prefix: str) -> dict[str, str]:
    """``{language: text}`` from the ``<prefix>_<lang>`` columns of an SDG file."""
    return {
        language: row[f"{prefix}_{_SDG_COLUMN_LANGUAGE.get(language, language)}"].strip()
        for language in LANGUAGES
    }


def _load_sdg_goals() -> int:
    rows = _read_csv("sdg_goals.csv")
    goals = [
        SdgGoal(
            number=int(row["goal"]),
            titles=_sdg_texts(row, "title"),
            short_titles=_sdg_texts(row, "short_title"),
        )
        for row in rows
    ]
    SdgGoal.objects.bulk_create(
        goals,
        update_conflicts=True,
        unique_fields=["number"],
        update_fields=["titles", "short_titles"],
    )
    return len(goals)


def _load_sdg_targets() -> int:
    goal_ids = dict(SdgGoal.objects.values_list("number", "id"))
    targets = [
        SdgTarget(
            code=row["target"],
            goal_id=goal_ids[int(row["goal"])],
            kind=row["kind"],
            titles=_sdg_texts(row, "title"),
            sort_key=SdgTarget.sort_key_for(row["target"]),
        )
        for row in _read_csv("sdg_targets.csv")
    ]
    SdgTarget.objects.bulk_create(
        targets,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["goal", "kind", "titles", "sort_key"],
    )
    return len(targets)


def _load_sdg_indicators() -> int:
    target_ids = dict(SdgTarget.objects.values_list("code", "id"))
    indicators = [
        SdgIndicator(
            code=row["indicator"],
            target_id=target_ids[row["target"]],
            titles=_sdg_texts(row, "title"),
        )
        for row in _read_csv("sdg_indicators.csv")
    ]
    SdgIndicator.objects.bulk_create(
        indicators,
        update_conflicts=True,
        unique_fields=["code", "target"],
        update_fields=["titles"],
    )
    return len(indicators)


def _load_countries() -> int:
    countries = [
        Country(
            iso3=row["iso3"],
            iso2=row["iso2"],
            names={language: row[f"name_{language}"] for language in LANGUAGES},
            regional_group=row["regional_group"],
            is_un_member=row["is_un_member"] == "true",
        )
        for row in _read_csv("countries.csv")
    ]
    Country.objects.bulk_create(
        countries,
        update_conflicts=True,
        unique_fields=["iso3"],
        update_fields=["iso2", "names", "regional_group", "is_un_member"],
    )
    return len(countries)


def _load_mechanisms() -> int:
    """Insert missing mechanisms and update those whose shipped values differ.

    Parents come first so that an optional protocol can point at its treaty body in the same run.
    Translations added nationally in other languages are kept: the shipped names are merged over
    the stored ones. A mechanism in the shipped list is a reviewed one, even if an import created
    it first as an unknown label.
    """
    rows = sorted(_read_csv("mechanisms.csv"), key=lambda row: bool(row["parent_code"]))
    existing = {mechanism.code: mechanism for mechanism in Mechanism.objects.all()}
    # A mechanism renamed nationally is still found by its stable key (its code as first seen).
    for stored in list(existing.values()):
        for key in (stored.key, *stored.merged_keys):
            if key:
                existing.setdefault(key, stored)
    for row in rows:
        family = MechanismFamily(row["family"])
        shipped_names = {
            language: row[f"name_{language}"].strip()
            for language in LANGUAGES
            if row.get(f"name_{language}", "").strip()
        }
        parent = existing[row["parent_code"]] if row["parent_code"] else None
        mechanism = existing.get(row["code"]) or existing.get(taxonomy_key(row["code"]))
        if mechanism is None:
            existing[row["code"]] = Mechanism.objects.create(
                code=row["code"],
                family=family,
                names=shipped_names,
                parent=parent,
                key=taxonomy_key(row["code"]),
            )
            continue
        names = {**mechanism.names, **shipped_names}
        wanted = {
            "family": family.value,
            "names": names,
            "parent_id": parent.pk if parent else None,
            "is_reviewed": True,
        }
        changed = [field for field, value in wanted.items() if getattr(mechanism, field) != value]
        if changed:
            for field in changed:
                setattr(mechanism, field, wanted[field])
            mechanism.save(update_fields=changed)
    return len(rows)


def _load_upr_cycles() -> int:
    """The four UPR cycles; labels edited nationally are left alone."""
    upr = Mechanism.objects.get(code="UPR")
    present = set(ReviewCycle.objects.filter(mechanism=upr).values_list("number", flat=True))
    ReviewCycle.objects.bulk_create(
        ReviewCycle(mechanism=upr, number=number, label=f"UPR cycle {number}")
        for number in UPR_CYCLES
        if number not in present
    )
    return len(UPR_CYCLES)


def _insert_missing_terms(model: type[TaxonomyTerm], file_name: str) -> int:
    """Insert the UHRI labels that the database has never held; never touch an existing row.

    A label is skipped when a current row has it or when the history table shows a row once had
    it: the term was then renamed or deleted nationally, and re-inserting it would undo that.
    """
    labels = _read_labels(file_name)
    event_model = model.pgh_event_model  # type: ignore[attr-defined]
    known = set(model._default_manager.values_list("name", flat=True))
    known.update(event_model.objects.values_list("name", flat=True))
    keys: set[str] = set()
    for key, merged in model._default_manager.values_list("key", "merged_keys"):
        keys.update(k for k in (key, *merged) if k)
    model._default_manager.bulk_create(
        model(name=label, source=TaxonomySource.UHRI, is_reviewed=True, key=taxonomy_key(label))
        for label in labels
        if label not in known and taxonomy_key(label) not in keys
    )
    return len(labels)


def load_reference_data() -> dict[str, int]:
    """Load or refresh all shipped reference data in one transaction; safe to run repeatedly.

    Returns the number of reference rows per table (the size of the shipped lists, so the same
    on every run), for the management command to report.
    """
    with transaction.atomic(), audit_context(actor=None, action=AUDIT_ACTION):
        return {
            "sdg_goals": _load_sdg_goals(),
            "sdg_targets": _load_sdg_targets(),
            "sdg_indicators": _load_sdg_indicators(),
            "countries": _load_countries(),
            "mechanisms": _load_mechanisms(),
            "review_cycles": _load_upr_cycles(),
            "themes": _insert_missing_terms(Theme, "uhri_themes_observed.txt"),
            "affected_groups": _insert_missing_terms(
                AffectedGroup, "uhri_affected_persons_legacy.txt"
            ),
        }

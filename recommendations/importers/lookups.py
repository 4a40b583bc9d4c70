"""Labels of a feed resolved to ids, for one run: themes, groups, mechanisms, cycles, documents,
SDG targets and countries.

The names of countries come from the stored countries (every UN language, ISO codes) and from the
short and former names UHRI writes for some States (``country_aliases.csv`` in the reference data).
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable

from recommendations.models import (
    AffectedGroup,
    Document,
    ImportRun,
    Mechanism,
    ReviewCycle,
    SdgTarget,
    TaxonomySource,
    Theme,
    taxonomy_key,
)
from recommendations.reference import REFERENCE_DATA_DIR
from tracker.models import Country

from .records import FeedRecord, Vocabulary, country_key

COUNTRY_ALIASES_FILE = "country_aliases.csv"


@functools.cache
def country_aliases() -> dict[str, str]:
    """The names UHRI writes for some States that are not their ISO 3166 names -> ISO alpha-3."""
    with (REFERENCE_DATA_DIR / COUNTRY_ALIASES_FILE).open(encoding="utf-8", newline="") as handle:
        return {row["alias"]: row["iso3"] for row in csv.DictReader(handle)}


def _by_key(rows: Iterable[tuple[int, str, str | None, list[str]]]) -> dict[str, int]:
    """Feed key -> id: each entry under its stable key (its label as first seen, kept when the
    secretariat renames it) and the keys of the entries merged into it, then under its present
    label where no key claims it."""
    rows = list(rows)
    found: dict[str, int] = {}
    for pk, _label, key, merged in rows:
        for stable in (key, *(merged or ())):
            if stable:
                found.setdefault(stable, pk)
    for pk, label, _key, _merged in rows:
        found.setdefault(taxonomy_key(label), pk)
    return found


class Lookups:
    """Label → id caches for one run. Unknown labels become unreviewed entries (not in a dry run)."""

    def __init__(self, run: ImportRun) -> None:
        self.run = run
        self.dry_run = run.dry_run
        self.themes = _by_key(Theme.objects.values_list("pk", "name", "key", "merged_keys"))
        self.groups = _by_key(AffectedGroup.objects.values_list("pk", "name", "key", "merged_keys"))
        mechanisms = {m.pk: m for m in Mechanism.objects.all()}
        self.mechanisms = {
            key: mechanisms[pk]
            for key, pk in _by_key(
                (m.pk, m.code, m.key, m.merged_keys) for m in mechanisms.values()
            ).items()
        }
        self.targets = dict(SdgTarget.objects.values_list("code", "pk"))
        self.countries: dict[str, int] = dict(Country.objects.values_list("iso3", "pk"))
        self.cycles: dict[tuple[int, int], int] = {}
        self.documents: dict[str, int] = {}
        # Every stored document, read once: a world feed names some thousands.
        self.stored_documents = {
            d.symbol: d
            for d in Document.objects.only(
                "pk", "symbol", "uhri_document_id", "cycle_id", "country_id", "publication_date"
            )
        }
        self.document_uuids = {
            d.uhri_document_id: d.symbol
            for d in self.stored_documents.values()
            if d.uhri_document_id
        }
        self.new_labels: list[tuple[str, str]] = []
        # The language of the feed's labels when it is not English: new entries carry it.
        self.label_language = ""
        # (symbol, DocumentId held by another document, annotation id of the row that named it)
        self.conflicts: list[tuple[str, str, str]] = []
        self._fake_id = -1

    def vocabulary(self) -> Vocabulary:
        names: dict[str, str] = {}
        for country in Country.objects.all():
            for key in [country.iso3, country.iso2, *country.names.values()]:
                if key:
                    names.setdefault(country_key(key), country.iso3)
        for alias, iso3 in country_aliases().items():
            if iso3 in self.countries:
                names.setdefault(country_key(alias), iso3)
        return Vocabulary(sdg_targets=set(self.targets), countries=names)

    def _placeholder(self) -> int:
        self._fake_id -= 1
        return self._fake_id

    def _label(self, cache: dict[str, int], model: type[Theme | AffectedGroup], label: str) -> int:
        key = taxonomy_key(label)
        if key not in cache:
            kind = model._meta.verbose_name
            if self.dry_run:
                cache[key] = self._placeholder()
            else:
                defaults = {"source": TaxonomySource.UHRI, "is_reviewed": False, "key": key}
                if self.label_language:
                    defaults["names"] = {self.label_language: label}
                obj, _ = model.objects.get_or_create(name=label, defaults=defaults)
                cache[key] = obj.pk
            self.new_labels.append((str(kind), label))
        return cache[key]

    def theme(self, label: str) -> int:
        return self._label(self.themes, Theme, label)

    def group(self, label: str) -> int:
        return self._label(self.groups, AffectedGroup, label)

    def links(self, record: FeedRecord) -> list[list[int]]:
        """The ids a record links to, in the order of ``columns.LINKS``; each once."""
        return [
            list(dict.fromkeys(self.theme(label) for label in record.themes)),
            list(dict.fromkeys(self.group(label) for label in record.affected_groups)),
            list(dict.fromkeys(self.targets[code] for code in record.sdg_targets)),
            list(
                dict.fromkeys(
                    self.countries[iso3]
                    for iso3 in record.recommending_states
                    if iso3 in self.countries
                )
            ),
        ]

    def mechanism(self, record: FeedRecord) -> Mechanism:
        key = taxonomy_key(record.body)
        if key not in self.mechanisms:
            if self.dry_run:
                self.mechanisms[key] = Mechanism(code=record.body, family=record.family)
            else:
                self.mechanisms[key], _ = Mechanism.objects.get_or_create(
                    code=record.body,
                    defaults={
                        "family": record.family,
                        "names": {},
                        "is_reviewed": False,
                        "key": key,
                    },
                )
            self.new_labels.append(("mechanism", record.body))
        return self.mechanisms[key]

    def cycle(self, mechanism: Mechanism, number: int) -> int | None:
        if mechanism.pk is None:
            return None
        key = (mechanism.pk, number)
        if key not in self.cycles:
            if self.dry_run:
                found = ReviewCycle.objects.filter(mechanism=mechanism, number=number).first()
                self.cycles[key] = found.pk if found else self._placeholder()
            else:
                cycle, _ = ReviewCycle.objects.get_or_create(
                    mechanism=mechanism,
                    number=number,
                    defaults={"label": f"{mechanism.code} cycle {number}"},
                )
                self.cycles[key] = cycle.pk
        return self.cycles[key]

    def resolve_documents(self, records: list[FeedRecord]) -> None:
        """Resolve the documents of a batch; the new ones are created in one statement."""
        new: dict[str, Document] = {}
        for record in records:
            if record.symbol not in self.documents and record.symbol not in new:
                document = self._document(record)
                if document is not None:
                    new[record.symbol] = document
        if new:
            Document.objects.bulk_create(new.values())
            for document in new.values():
                self._remember_document(document)

    def document(self, record: FeedRecord) -> int:
        return self.documents[record.symbol]

    def _remember_document(self, document: Document) -> None:
        self.stored_documents[document.symbol] = document
        if document.uhri_document_id:
            self.document_uuids[document.uhri_document_id] = document.symbol
        self.documents[document.symbol] = document.pk

    def _document(self, record: FeedRecord) -> Document | None:
        """Resolve a record's document: a stored one, completed from the feed where it lacks a
        field, or a new one to create (returned unsaved)."""
        mechanism = self.mechanism(record)
        found = self.stored_documents.get(record.symbol)
        cycle_id = self.cycle(mechanism, record.upr_cycle) if record.upr_cycle else None
        country_id = self.countries.get(record.countries[0]) if record.countries else None
        if self.dry_run:
            self.documents[record.symbol] = found.pk if found else self._placeholder()
            return None
        document_uuid = record.document_uuid
        if document_uuid and self.document_uuids.get(document_uuid, record.symbol) != record.symbol:
            self.conflicts.append((record.symbol, str(document_uuid), str(record.annotation_id)))
            document_uuid = None
        if found is None:
            if document_uuid:  # taken from now on, for the batch's other new documents too
                self.document_uuids[document_uuid] = record.symbol
            return Document(
                symbol=record.symbol,
                uhri_document_id=document_uuid,
                mechanism=mechanism,
                cycle_id=cycle_id if cycle_id and cycle_id > 0 else None,
                country_id=country_id,
                publication_date=record.publication_date,
            )
        changes = {
            "uhri_document_id": found.uhri_document_id or document_uuid,
            "cycle_id": found.cycle_id or cycle_id,
            "country_id": found.country_id or country_id,
            "publication_date": found.publication_date or record.publication_date,
        }
        changed = [k for k, v in changes.items() if getattr(found, k) != v]
        if changed:
            for key in changed:
                setattr(found, key, changes[key])
            found.save(update_fields=changed)
        self._remember_document(found)
        return None

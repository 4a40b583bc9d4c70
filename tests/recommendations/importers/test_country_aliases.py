"""The names UHRI writes for some States (``country_aliases.csv``) read as those States."""

from __future__ import annotations

import csv

import pytest

from recommendations.importers.lookups import COUNTRY_ALIASES_FILE, Lookups, country_aliases
from recommendations.importers.records import country_key
from recommendations.models import ImportRun
from recommendations.reference import REFERENCE_DATA_DIR

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def _countries() -> dict[str, str]:
    """Every name and code of ``countries.csv``, normalised, -> ISO alpha-3."""
    names: dict[str, str] = {}
    with (REFERENCE_DATA_DIR / "countries.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for key, value in row.items():
                if value and (key.startswith("name_") or key in {"iso3", "iso2"}):
                    names.setdefault(country_key(value), row["iso3"])
    return names


def test_every_alias_names_a_shipped_country_and_no_other_country_has_that_name() -> None:
    countries = _countries()
    aliases = country_aliases()

    lines = (REFERENCE_DATA_DIR / COUNTRY_ALIASES_FILE).read_text(encoding="utf-8").splitlines()
    assert len(aliases) == len(lines) - 1  # each alias once
    assert {iso3 for iso3 in aliases.values() if iso3 not in set(countries.values())} == set()
    # A name that is already another country's would be read as that country, not the alias's.
    assert {
        alias: countries[country_key(alias)]
        for alias, iso3 in aliases.items()
        if countries.get(country_key(alias), iso3) != iso3
    } == {}


@pytest.mark.parametrize(
    ("label", "iso3"),
    [
        ("Bolivia (Plurinational State of)", "BOL"),
        ("Viet Nam", "VNM"),
        ("Turkey", "TUR"),
        ("Cote d'Ivoire", "CIV"),
        ("United Kingdom", "GBR"),
        ("Holy See", "VAT"),
    ],
)
def test_an_import_reads_an_alias_as_its_country(label: str, iso3: str) -> None:
    vocabulary = Lookups(ImportRun(source="feed.json", format="json")).vocabulary()

    assert vocabulary.country(label) == iso3
    assert vocabulary.country(label.upper()) == iso3

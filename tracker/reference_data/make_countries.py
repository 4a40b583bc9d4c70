"""Generate ``countries.csv``: every ISO 3166-1 country with names in the six UN languages.

This is a one-off generator, not part of the product: the CSV it writes is committed, so that the
tracker never needs pycountry at run time. Re-run it only to refresh the list, in a throwaway
virtual environment::

    python3 -m venv /tmp/pyc && /tmp/pyc/bin/pip install pycountry
    /tmp/pyc/bin/python tracker/reference_data/make_countries.py

Names come from pycountry, which ships the Debian iso-codes data and its gettext translations
(``iso3166-1`` domain). pycountry and iso-codes are licensed under the GNU LGPL 2.1; the generated
CSV holds factual data taken from them (codes and translated names), see README.md.

The UN membership and regional groups are not in ISO 3166 and are kept by hand below, following
the UN's list of regional groups of Member States. Two electoral special cases are simplified so
that every Member State has exactly one group: the United States of America (an observer in WEOG)
is put in WEOG, and Türkiye (a full member of WEOG that also takes part in the Asia-Pacific Group
for electoral purposes) is put in WEOG. Kiribati is in the Asia-Pacific Group. Israel is in WEOG.
The Holy See and the State of Palestine are non-member observer States.
"""

from __future__ import annotations

import csv
import gettext
import sys
from pathlib import Path

import pycountry

OUTPUT = Path(__file__).resolve().parent / "countries.csv"

# Project language code -> gettext locale in pycountry's iso-codes translations.
LOCALES = {"fr": "fr", "es": "es", "ar": "ar", "ru": "ru", "zh-hans": "zh_CN"}

# Translations missing from iso-codes, filled by hand with the UN's own short name.
# iso-codes renamed "Turkey" to "Türkiye" (2022) and the Arabic catalogue has no entry for it yet.
NAME_OVERRIDES: dict[tuple[str, str], str] = {
    ("TUR", "ar"): "تركيا",
}

UN_MEMBER_STATES = 193

REGIONAL_GROUPS: dict[str, tuple[str, ...]] = {
    "african": (
        "DZA", "AGO", "BEN", "BWA", "BFA", "BDI", "CPV", "CMR", "CAF", "TCD", "COM", "COG", "CIV",
        "COD", "DJI", "EGY", "GNQ", "ERI", "SWZ", "ETH", "GAB", "GMB", "GHA", "GIN", "GNB", "KEN",
        "LSO", "LBR", "LBY", "MDG", "MWI", "MLI", "MRT", "MUS", "MAR", "MOZ", "NAM", "NER", "NGA",
        "RWA", "STP", "SEN", "SYC", "SLE", "SOM", "ZAF", "SSD", "SDN", "TGO", "TUN", "UGA", "TZA",
        "ZMB", "ZWE",
    ),
    "asia_pacific": (
        "AFG", "BHR", "BGD", "BTN", "BRN", "KHM", "CHN", "CYP", "PRK", "FJI", "IND", "IDN", "IRN",
        "IRQ", "JPN", "JOR", "KAZ", "KIR", "KWT", "KGZ", "LAO", "LBN", "MYS", "MDV", "MHL", "FSM",
        "MNG", "MMR", "NRU", "NPL", "OMN", "PAK", "PLW", "PNG", "PHL", "QAT", "KOR", "WSM", "SAU",
        "SGP", "SLB", "LKA", "SYR", "TJK", "THA", "TLS", "TON", "TKM", "TUV", "ARE", "UZB", "VUT",
        "VNM", "YEM",
    ),
    "eastern_european": (
        "ALB", "ARM", "AZE", "BLR", "BIH", "BGR", "HRV", "CZE", "EST", "GEO", "HUN", "LVA", "LTU",
        "MNE", "MKD", "POL", "MDA", "ROU", "RUS", "SRB", "SVK", "SVN", "UKR",
    ),
    "grulac": (
        "ATG", "ARG", "BHS", "BRB", "BLZ", "BOL", "BRA", "CHL", "COL", "CRI", "CUB", "DMA", "DOM",
        "ECU", "SLV", "GRD", "GTM", "GUY", "HTI", "HND", "JAM", "MEX", "NIC", "PAN", "PRY", "PER",
        "KNA", "LCA", "VCT", "SUR", "TTO", "URY", "VEN",
    ),
    "weog": (
        "AND", "AUS", "AUT", "BEL", "CAN", "DNK", "FIN", "FRA", "DEU", "GRC", "ISL", "IRL", "ISR",
        "ITA", "LIE", "LUX", "MLT", "MCO", "NLD", "NZL", "NOR", "PRT", "SMR", "ESP", "SWE", "CHE",
        "TUR", "GBR", "USA",
    ),
}  # fmt: skip

COLUMNS = [
    "iso3",
    "iso2",
    "is_un_member",
    "regional_group",
    *(f"name_{language}" for language in ("en", *LOCALES)),
]


def group_of() -> dict[str, str]:
    """Map each Member State's alpha-3 code to its group, refusing a State listed twice."""
    groups: dict[str, str] = {}
    for group, codes in REGIONAL_GROUPS.items():
        for code in codes:
            if code in groups:
                raise SystemExit(f"{code} is listed in {groups[code]} and {group}")
            groups[code] = group
    return groups


def main() -> None:
    groups = group_of()
    if len(groups) != UN_MEMBER_STATES:
        raise SystemExit(f"expected {UN_MEMBER_STATES} Member States, got {len(groups)}")
    catalogues = {
        language: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale])
        for language, locale in LOCALES.items()
    }
    iso3_codes = {country.alpha_3 for country in pycountry.countries}
    unknown = set(groups) - iso3_codes
    if unknown:
        raise SystemExit(f"not ISO 3166-1 codes: {sorted(unknown)}")

    rows = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        row = {
            "iso3": country.alpha_3,
            "iso2": country.alpha_2,
            "is_un_member": "true" if country.alpha_3 in groups else "false",
            "regional_group": groups.get(country.alpha_3, ""),
            "name_en": country.name,
        }
        for language, catalogue in catalogues.items():
            name = NAME_OVERRIDES.get((country.alpha_3, language)) or catalogue.gettext(
                country.name
            )
            row[f"name_{language}"] = name
        rows.append(row)

    with OUTPUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    sys.stdout.write(f"wrote {len(rows)} countries ({len(groups)} UN Member States) to {OUTPUT}\n")


if __name__ == "__main__":
    main()

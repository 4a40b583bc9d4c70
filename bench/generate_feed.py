"""Write a synthetic, UHRI-shaped JSON feed for the import benchmark.

    python bench/generate_feed.py --records 268000 --out .data/bench/uhri-268000.json [--seed 2025]

The output is one JSON array of annotation records with the keys of the UHRI bulk export. It is
written record by record (constant memory) and is the same for the same ``--records`` and ``--seed``.

What it imitates (the facts the importer is built for):

* about 190 States (the UN members of ``tracker/reference_data/countries.csv``, by their English
  name), with uneven volumes: a log-normal share per State, the largest about four times the median;
* records grouped by document, 20 to 250 a document (fewer only where a State's quota is small):
  UPR working-group reports (about 60 % of the records, "136.1 Ratify ..." paragraphs, 1-5
  recommending States, a session and a position), treaty-body concluding observations
  ("49. The Committee recommends ...", concerns and recommendations alternating) and
  special-procedure reports (country visits);
* texts of 300 to 1,500 characters of HTML with ``&nbsp;`` after the paragraph number, built from
  UN wording; themes (1-4) from ``uhri_themes_observed.txt``, affected persons (0-3) from
  ``uhri_affected_persons_legacy.txt``, SDG targets ("16.3 - Promote the rule of law ...") from
  ``sdg_targets.csv``; ``AnnotationType`` is a label or, for some recent records, a UUID.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import re
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

REFERENCE = Path(__file__).resolve().parent.parent / "tracker" / "reference_data"

REGION_NAMES = {
    "african": "Africa",
    "asia_pacific": "Asia-Pacific",
    "eastern_europe": "Eastern Europe",
    "latin_america_caribbean": "Latin America and the Caribbean",
    "weog": "Western Europe and Others",
}

# Share of the records per treaty body (together about a third of the feed).
TREATY_BODIES = {
    "CRC": 6.0,
    "CEDAW": 6.0,
    "CCPR": 4.5,
    "CESCR": 4.5,
    "CAT": 4.0,
    "CERD": 4.0,
    "CRPD": 2.5,
    "CMW": 1.0,
    "CED": 0.5,
}
TREATY_SYMBOL = {
    "CRC": "CRC/C/{iso3}/CO/{n}",
    "CEDAW": "CEDAW/C/{iso3}/CO/{n}",
    "CCPR": "CCPR/C/{iso3}/CO/{n}",
    "CESCR": "E/C.12/{iso3}/CO/{n}",
    "CAT": "CAT/C/{iso3}/CO/{n}",
    "CERD": "CERD/C/{iso3}/CO/{n}",
    "CRPD": "CRPD/C/{iso3}/CO/{n}",
    "CMW": "CMW/C/{iso3}/CO/{n}",
    "CED": "CED/C/{iso3}/CO/{n}",
}
SPECIAL_PROCEDURES = [
    "SR Torture",
    "WG Disappearances",
    "WG Arbitrary detention",
    "SR Education",
    "SR Health",
    "SR Freedom of expression",
    "SR Human rights defenders",
    "SR Violence against women",
    "SR Indigenous peoples",
    "SR Migrants",
    "SR Housing",
    "SR Food",
    "SR Extreme poverty",
    "SR Independence of judges and lawyers",
    "SR Trafficking",
    "SR Sale of children",
    "SR Disability",
    "IE Older persons",
    "SR Minority issues",
    "WG Business",
]
UPR_SHARE, TREATY_SHARE, SPECIAL_SHARE = 0.60, 0.33, 0.07
ANNOTATION_TYPE_UUIDS = [
    "8f2c6d1e-3b7a-4e5f-9a0b-1c2d3e4f5a6b",
    "c4d5e6f7-0819-4a2b-8c3d-4e5f60718293",
]

# -- wording -----------------------------------------------------------------------------------

# UPR recommendations: an opening and an object that fits it.
UPR_INSTRUMENTS = [
    "the Optional Protocol to the Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment",
    "the International Convention for the Protection of All Persons from Enforced Disappearance",
    "the Second Optional Protocol to the International Covenant on Civil and Political Rights, aiming at the abolition of the death penalty",
    "the International Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families",
    "the Optional Protocol to the Convention on the Rights of the Child on a communications procedure",
    "the Convention on the Reduction of Statelessness",
    "the ILO Domestic Workers Convention, 2011 (No. 189)",
]
UPR_POLICIES = [
    "a comprehensive anti-discrimination law that covers all grounds prohibited under international law",
    "a national action plan on business and human rights",
    "a national mechanism for implementation, reporting and follow-up",
    "a moratorium on executions with a view to abolishing the death penalty",
    "a national strategy to combat violence against women and girls, including domestic violence",
    "legislation criminalizing marital rape and all forms of gender-based violence",
    "an independent mechanism to investigate allegations of misconduct by law enforcement officials",
]
UPR_GUARANTEES = [
    "the independence of the national human rights institution in accordance with the Paris Principles",
    "access to quality education for all children, in particular girls and children with disabilities",
    "the protection of human rights defenders, journalists and civil society actors against reprisals",
    "birth registration for all children born on its territory, irrespective of the status of their parents",
    "access to justice and legal aid for persons living in poverty and in rural areas",
    "the rights of persons with disabilities, including their right to inclusive education and employment",
    "universal health coverage and access to sexual and reproductive health services",
    "the participation of women in political and public life at all levels of decision-making",
    "the rights of indigenous peoples to their lands, territories and resources",
    "freedom of expression, peaceful assembly and association online and offline",
]
UPR_ACTIONS = [
    "combat violence against women and girls, including domestic violence and marital rape",
    "end impunity for torture and ill-treatment by law enforcement officials",
    "improve conditions of detention and reduce overcrowding in places of deprivation of liberty",
    "eliminate child labour and the worst forms of child labour",
    "combat trafficking in persons, in particular women and children, and protect victims",
    "extend a standing invitation to all special procedures mandate holders",
    "reduce maternal and infant mortality, in particular in rural areas",
    "promote the employment of young people and persons with disabilities",
]
UPR_TEMPLATES = [
    (
        ["Ratify", "Consider ratifying", "Accede to", "Take the necessary measures to ratify"],
        UPR_INSTRUMENTS,
    ),
    (
        [
            "Adopt",
            "Develop and implement",
            "Establish",
            "Consider establishing",
            "Finalize and adopt",
        ],
        UPR_POLICIES,
    ),
    (
        [
            "Ensure",
            "Guarantee",
            "Strengthen",
            "Continue to promote",
            "Allocate sufficient resources to ensure",
        ],
        UPR_GUARANTEES,
    ),
    (
        [
            "Continue its efforts to",
            "Step up efforts to",
            "Take effective measures to",
            "Redouble its efforts to",
            "Intensify its efforts to",
            "Take further steps to",
        ],
        UPR_ACTIONS,
    ),
]
TB_ACTIONS = [
    "Adopt comprehensive legislation prohibiting discrimination on all grounds, including direct, indirect and intersectional discrimination",
    "Allocate adequate human, technical and financial resources to the institutions responsible for its implementation",
    "Ensure that all allegations of torture and ill-treatment are promptly, thoroughly and impartially investigated and that perpetrators are prosecuted and, if convicted, punished with appropriate penalties",
    "Strengthen the capacity of the judiciary, prosecutors and law enforcement officials to apply the Convention in domestic proceedings",
    "Collect and publish data disaggregated by sex, age, disability, ethnic origin, migration status and geographical location",
    "Raise awareness among the public, in particular in rural and remote areas, of the rights enshrined in the Covenant",
    "Ensure access to effective remedies and reparation, including adequate compensation and rehabilitation, for all victims",
    "Review its legislation with a view to raising the minimum age of criminal responsibility to at least 14 years",
    "Ensure the meaningful participation of civil society organizations, including organizations of persons with disabilities, in the design and monitoring of public policies",
    "Take all necessary measures to reduce the use of pretrial detention and to promote alternatives to detention",
    "Guarantee that asylum seekers and refugees have access to fair and efficient procedures and are protected against refoulement",
    "Ensure that women and girls have access to safe and legal abortion and post-abortion care services",
    "Set up an independent complaints mechanism accessible to all persons deprived of their liberty",
    "Take measures to close the gender pay gap and to ensure equal remuneration for work of equal value",
    "Ensure that the national human rights institution is provided with a broad mandate and the resources to fulfil it independently",
]
TB_CONCERNS = [
    "the persistence of discriminatory stereotypes concerning the roles and responsibilities of women and men in the family and in society",
    "reports of torture and ill-treatment of persons in police custody, and the low number of prosecutions and convictions of perpetrators",
    "the high levels of poverty and unemployment, in particular among young people, persons with disabilities and minority groups",
    "the lack of a comprehensive legal framework on asylum and the reports of push-backs of migrants at the border",
    "the overcrowding and poor material conditions in places of detention, including lack of access to health care",
    "the limited availability of data disaggregated by sex, age, ethnicity and disability on the enjoyment of rights",
    "the restrictions imposed on civil society organizations and the reports of harassment and reprisals against human rights defenders",
    "the high rates of maternal mortality and the limited access to sexual and reproductive health services in rural areas",
    "the insufficient resources allocated to the national human rights institution and the lack of guarantees of its independence",
    "the prevalence of child marriage and the exceptions to the minimum age of marriage allowed by law",
]
CLAUSES = [
    "in line with its obligations under international human rights law",
    "with the participation of civil society and the national human rights institution",
    "and allocate sufficient human, technical and financial resources for its effective implementation",
    "including through awareness-raising campaigns and training for public officials",
    "taking into account the recommendations of the treaty bodies and the special procedures",
    "with a particular focus on women, children, persons with disabilities and other vulnerable groups",
    "and ensure that those responsible are brought to justice and victims obtain reparation",
    "in accordance with the Sustainable Development Goals, in particular target 16.3",
    "and monitor its implementation through clear indicators and time-bound targets",
    "and report on the progress made in its next periodic report",
    "at the national, regional and local levels, including in rural and remote areas",
    "in consultation with the communities concerned, in particular indigenous peoples and minorities",
]
TB_OPENINGS = [
    "The Committee recommends that the State party",
    "The Committee urges the State party to",
    "The Committee calls upon the State party to",
    "Recalling its general recommendations, the Committee recommends that the State party",
    "The Committee reiterates its previous recommendation and encourages the State party to",
]
SP_OPENINGS = [
    "The Special Rapporteur recommends that the Government",
    "The Working Group recommends that the authorities",
    "The Special Rapporteur urges the State to",
    "The Independent Expert calls upon the Government to",
]
LETTERS = "abcdefghij"
MIN_TEXT, MAX_TEXT = 300, 1500
TAG = re.compile(r"<[^>]+>")


def _read_csv(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _read_labels(name: str) -> list[str]:
    text = (REFERENCE / name).read_text(encoding="utf-8")
    return list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))


@dataclass
class Country:
    iso3: str
    name: str
    region: str


@dataclass
class Document:
    country: Country
    body: str
    family: str
    symbol: str
    publication_date: date
    size: int
    upr_session: int | None = None


class Generator:
    def __init__(self, records: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.total = records
        self.countries = [
            Country(row["iso3"], row["name_en"], REGION_NAMES.get(row["regional_group"], ""))
            for row in _read_csv("countries.csv")
            if row["is_un_member"] == "true"
        ]
        self.themes = _read_labels("uhri_themes_observed.txt")
        self.groups = _read_labels("uhri_affected_persons_legacy.txt")
        self.sdgs = [f"{row['target']} - {row['title_en']}" for row in _read_csv("sdg_targets.csv")]
        self.goal_labels = [
            f"{row['goal']} - {row['short_title_en']}" for row in _read_csv("sdg_goals.csv")
        ]
        # Popular labels come up far more often than rare ones (Zipf-like weights).
        self.theme_weights = [1 / (i + 1) ** 0.8 for i in range(len(self.themes))]
        self.group_weights = [1 / (i + 1) ** 0.9 for i in range(len(self.groups))]
        self.sdg_weights = [self.rng.paretovariate(1.2) for _ in self.sdgs]
        self.upr_sessions = 0
        self.hrc_counter = 0

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    # -- the plan: which documents, for whom, of what size ---------------------------------------

    def _quotas(self) -> list[int]:
        weights = [self.rng.lognormvariate(0, 0.45) for _ in self.countries]
        scale = self.total / sum(weights)
        quotas = [int(w * scale) for w in weights]
        for i in range(self.total - sum(quotas)):
            quotas[i % len(quotas)] += 1
        return quotas

    def _split(self, count: int, low: int, high: int) -> list[int]:
        """``count`` records as document sizes between ``low`` and ``high`` (smaller if count is)."""
        sizes = []
        while count > 0:
            size = min(count, self.rng.randint(low, high))
            if 0 < count - size < low:  # no tiny last document: fold it into this one
                size = count if count <= high else count - low
            sizes.append(size)
            count -= size
        return sizes

    def plan(self) -> list[Document]:
        documents = []
        tb_names = list(TREATY_BODIES)
        tb_weights = list(TREATY_BODIES.values())
        for country, quota in zip(self.countries, self._quotas(), strict=True):
            upr = round(quota * UPR_SHARE)
            special = round(quota * SPECIAL_SHARE)
            treaty = quota - upr - special
            if special < 20:  # too few for a document of its own
                treaty, special = treaty + special, 0
            if treaty < 20:
                upr, treaty = upr + treaty, 0
            # UPR: one working-group report a review, in sessions of cycles 1 to 4.
            upr_sizes = self._split(upr, 90, 250)
            sessions = sorted(self.rng.sample(range(1, 50), len(upr_sizes)))
            for session, size in zip(sessions, upr_sizes, strict=True):
                documents.append(self._upr_document(country, session, size))
            per_body: dict[str, int] = {}
            for size in self._split(treaty, 20, 90):
                body = self.rng.choices(tb_names, tb_weights)[0]
                per_body[body] = per_body.get(body, 0) + 1
                symbol = TREATY_SYMBOL[body].format(iso3=country.iso3, n=per_body[body])
                published = date(2004, 1, 1) + timedelta(days=self.rng.randint(0, 7800))
                documents.append(Document(country, body, "treaty_body", symbol, published, size))
            for size in self._split(special, 20, 60):
                body = self.rng.choice(SPECIAL_PROCEDURES)
                self.hrc_counter += 1
                session = self.rng.randint(4, 59)
                symbol = f"A/HRC/{session}/{self.hrc_counter % 90 + 10}/Add.{self.hrc_counter}"
                published = date(2007, 1, 1) + timedelta(days=(session - 4) * 120)
                documents.append(
                    Document(country, body, "special_procedure", symbol, published, size)
                )
        # The export is not sorted by State: interleave the documents, each kept whole.
        self.rng.shuffle(documents)
        return documents

    def _upr_document(self, country: Country, session: int, size: int) -> Document:
        self.hrc_counter += 1
        hrc_session = 8 + (session - 1) * 3 // 4
        symbol = f"A/HRC/{hrc_session}/{self.hrc_counter}"
        published = date(2008, 6, 1) + timedelta(days=int((session - 1) * 121.7))
        return Document(country, "UPR", "upr", symbol, published, size, upr_session=session)

    # -- texts -----------------------------------------------------------------------------------

    def _length(self) -> int:
        return int(min(MAX_TEXT, max(MIN_TEXT, self.rng.lognormvariate(math.log(450), 0.45))))

    def _grow(self, text: str, target: int, end: str) -> str:
        clauses = self.rng.sample(CLAUSES, len(CLAUSES))
        while len(text) + len(end) < target and clauses:
            text += ", " + clauses.pop()
        return text + end

    def _text(self, make: Callable[..., str], *args: object) -> str:
        """A text whose plain length is within 300-1,500 characters (redrawn until it is)."""
        for _attempt in range(20):
            text = make(*args, self._length())
            plain = len(TAG.sub("", text)) - 5 * text.count("&nbsp;")
            if MIN_TEXT <= plain <= MAX_TEXT:
                break
        return text

    def _upr_text(self, number: str, recommending: list[str], target: int) -> str:
        states = ", ".join(recommending)
        openings, objects = self.rng.choices(UPR_TEMPLATES, [25, 20, 35, 20])[0]
        body = f"{self.rng.choice(openings)} {self.rng.choice(objects)}"
        body = self._grow(body, target - len(number) - 1, f" ({states});")
        return f"<p>{number}&nbsp;{body}</p>"

    def _tb_text(self, number: str, opening: str, recommendation: bool, target: int) -> str:
        """Concluding-observation paragraph; ``target`` is the length of its plain text."""
        if not recommendation:
            concerns = self.rng.sample(TB_CONCERNS, len(TB_CONCERNS))
            text = f"{number}. The Committee is concerned about {concerns.pop()}"
            while len(text) < target - 40 and concerns:
                text += f". It is also concerned about {concerns.pop()}"
            return "<p>" + text.replace(" ", "&nbsp;", 1) + ".</p>"
        parts = [f"<p>{number}.&nbsp;{opening}:</p>"]
        length = len(number) + len(opening) + 2
        actions = self.rng.sample(TB_ACTIONS, len(TB_ACTIONS))
        for letter in LETTERS:
            if length >= target - 60 or not actions:
                break
            action = actions.pop()
            if len(actions) % 3 == 0:
                action += ", " + self.rng.choice(CLAUSES)
            parts.append(f"<p>({letter})&nbsp;{action};</p>")
            length += len(action) + 5
        return "".join(parts)

    # -- records ---------------------------------------------------------------------------------

    def _tags(self) -> tuple[list[str], list[str], list[str]]:
        rng = self.rng
        themes = list(
            dict.fromkeys(rng.choices(self.themes, self.theme_weights, k=rng.randint(1, 4)))
        )
        groups = list(
            dict.fromkeys(
                rng.choices(
                    self.groups,
                    self.group_weights,
                    k=rng.choices([0, 1, 2, 3], [30, 40, 20, 10])[0],
                )
            )
        )
        sdgs = list(
            dict.fromkeys(
                rng.choices(
                    self.sdgs, self.sdg_weights, k=rng.choices([0, 1, 2, 3], [15, 45, 30, 10])[0]
                )
            )
        )
        if sdgs and rng.random() < 0.1:
            sdgs.append(rng.choice(self.goal_labels))
        return themes, groups, sdgs

    def records(self, document: Document) -> list[dict]:
        rng = self.rng
        document_id = self._uuid()
        published = f"{document.publication_date.isoformat()}T00:00:00Z"
        recent = document.publication_date.year >= 2022
        section = rng.randint(100, 160)
        paragraph = rng.randint(5, 12)
        opening = rng.choice(SP_OPENINGS if document.family == "special_procedure" else TB_OPENINGS)
        others = [c for c in self.countries if c is not document.country]
        out = []
        for i in range(document.size):
            themes, groups, sdgs = self._tags()
            record = {
                "AnnotationId": self._uuid(),
                "Text": "",
                "Symbol": document.symbol,
                "DocumentId": document_id,
                "Body": document.body,
                "AnnotationType": "Recommendations",
                "PublicationDate": published,
                "Countries": [document.country.name],
                "Regions": [document.country.region],
                "Themes": themes,
                "AffectedPersons": groups,
                "Sdgs": sdgs,
            }
            if document.family == "upr":
                states = rng.sample(others, rng.choices([1, 2, 3, 4, 5], [70, 15, 8, 4, 3])[0])
                names = [s.name for s in states]
                record["Text"] = self._text(self._upr_text, f"{section}.{i + 1}", names)
                record["UprRecommendingStates"] = names
                record["UprSession"] = _ordinal(document.upr_session or 1) + " Session"
                last_cycle = (document.upr_session or 1) > 44
                if last_cycle and rng.random() < 0.3:
                    record["UprPosition"] = ""
                else:
                    record["UprPosition"] = "Supported" if rng.random() < 0.74 else "Noted"
            else:
                is_recommendation = i % 2 == 1 or document.family == "special_procedure"
                if not is_recommendation:
                    record["AnnotationType"] = "Concerns/Observations"
                record["Text"] = self._text(
                    self._tb_text, str(paragraph + i), opening, is_recommendation
                )
            if recent and rng.random() < 0.4:
                record["AnnotationType"] = rng.choice(ANNOTATION_TYPE_UUIDS)
            out.append(record)
        return out


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def generate(records: int, out: Path, seed: int = 2025) -> dict[str, int]:
    """Write the feed to ``out`` (through a temporary file) and return records per State."""
    generator = Generator(records, seed)
    documents = generator.plan()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    per_country: dict[str, int] = {}
    written = 0
    with partial.open("w", encoding="utf-8") as handle:
        handle.write("[")
        for document in documents:
            for record in generator.records(document):
                handle.write(",\n" if written else "\n")
                handle.write(json.dumps(record, ensure_ascii=False))
                written += 1
            per_country[document.country.iso3] = (
                per_country.get(document.country.iso3, 0) + document.size
            )
        handle.write("\n]\n")
    partial.replace(out)
    return per_country


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=268_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    started = time.monotonic()
    per_country = generate(args.records, args.out, args.seed)
    counts = sorted(per_country.values())
    size_mb = args.out.stat().st_size / 1e6
    print(
        f"wrote {sum(counts):,} records, {size_mb:.0f} MB, {len(counts)} States "
        f"(records per State: min {counts[0]}, median {counts[len(counts) // 2]}, max {counts[-1]}) "
        f"to {args.out} in {time.monotonic() - started:.1f}s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

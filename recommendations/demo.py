"""A realistic national data set for demonstrations, training sessions and manual testing.

The data describes one State under review (``settings.TRACKER_COUNTRY``, else Kenya) as a national
tracker would hold it a few years into its work: four UPR cycles, concluding observations of six
treaty bodies, two special-procedure country visits, the institutions that take part in follow-up,
national clusters, and one demo login per role. The recommendations are synthetic: they are
assembled from phrases in the wording the UN mechanisms use, so that search, facets and reports
look like the real thing, but no text, symbol or paragraph number is taken from a real document.

Why this shape:

* Everything is planned in memory first from ``random.Random(seed)`` and only then reconciled
  with the database, so the plan is identical on every run whatever the database already holds.
* Rows are matched on natural keys (document symbol, document + paragraph, institution name,
  cluster name, username). Missing rows are inserted; rows that exist are left alone, because
  people edit demo data while they try the application out and a reload should neither undo
  their edits nor write history events for nothing. A second run therefore writes nothing.
* Recommendations, their texts and their tags are written with ``bulk_create`` (the history
  triggers record bulk writes too), so a load takes seconds.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from io import StringIO
from itertools import pairwise
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils.html import escape

from tracker.audit import audit_context
from tracker.models import Country, Institution, InstitutionKind, Membership, User, localized
from tracker.roles import Role

from .models import (
    AffectedGroup,
    AnnotationType,
    Cluster,
    Document,
    ImplementationStatus,
    Mechanism,
    MechanismFamily,
    Position,
    Priority,
    PublicationState,
    Recommendation,
    RecommendationText,
    ReviewCycle,
    SdgTarget,
    TaxonomySource,
    TextSource,
    Theme,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from .models import TaxonomyTerm

# Shown on the login table and in the docs. It protects nothing: never load demo data on a server
# that holds real data or faces the internet.
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 (a documented demo password, not a secret)
LOGIN_URL = "http://127.0.0.1:8000/accounts/login/"
DEFAULT_STATE = "KEN"
AUDIT_ACTION = "demo_data_load"
# The data set is a snapshot of this year: the fourth UPR cycle has just been reviewed, and the
# implementation status of older recommendations is more advanced than that of recent ones.
AS_OF_YEAR = 2026
UN_LANGUAGES = ["en", "fr", "es", "ar", "ru", "zh-hans"]

# --------------------------------------------------------------------------------------------
# Institutions, clusters and people
# --------------------------------------------------------------------------------------------

SECRETARIAT = "Secretariat of the National Mechanism for Reporting and Follow-up"
MOJ = "Ministry of Justice"
MOI = "Ministry of the Interior"
MOE = "Ministry of Education"
MOH = "Ministry of Health"
MOLSA = "Ministry of Labour and Social Affairs"
MOFA = "Ministry of Foreign Affairs"
MOWFA = "Ministry of Women and Family Affairs"
NHRC = "National Human Rights Commission"
CSO_COALITION = "National Coalition of Human Rights Defenders"
EU = "Delegation of the European Union"

# (name, acronym, kind, parent name)
INSTITUTIONS: list[tuple[str, str, str, str | None]] = [
    (SECRETARIAT, "NMRF", InstitutionKind.SECRETARIAT, None),
    (MOJ, "MOJ", InstitutionKind.MINISTRY, None),
    (MOI, "MOI", InstitutionKind.MINISTRY, None),
    (MOE, "MOE", InstitutionKind.MINISTRY, None),
    (MOH, "MOH", InstitutionKind.MINISTRY, None),
    (MOLSA, "MOLSA", InstitutionKind.MINISTRY, None),
    (MOFA, "MOFA", InstitutionKind.MINISTRY, None),
    (MOWFA, "MOWFA", InstitutionKind.MINISTRY, None),
    ("National Police Service", "NPS", InstitutionKind.MINISTRY, MOI),
    ("Prisons Service", "PS", InstitutionKind.MINISTRY, MOJ),
    ("National Assembly", "", InstitutionKind.PARLIAMENT, None),
    ("Supreme Court", "", InstitutionKind.JUDICIARY, None),
    ("Office of the Ombudsman", "", InstitutionKind.INDEPENDENT_BODY, None),
    ("National Statistics Office", "NSO", InstitutionKind.INDEPENDENT_BODY, None),
    ("Capital City Council", "", InstitutionKind.LOCAL_GOVERNMENT, None),
    (NHRC, "NHRC", InstitutionKind.NHRI, None),
    (CSO_COALITION, "NCHRD", InstitutionKind.CSO, None),
    ("Women Lawyers' Association", "WLA", InstitutionKind.CSO, None),
    ("Children's Rights Alliance", "CRA", InstitutionKind.CSO, None),
    (EU, "EU", InstitutionKind.DEVELOPMENT_PARTNER, None),
    (
        "Swiss Agency for Development and Cooperation",
        "SDC",
        InstitutionKind.DEVELOPMENT_PARTNER,
        None,
    ),
    (
        "Office of the United Nations High Commissioner for Human Rights, Regional Office",
        "OHCHR",
        InstitutionKind.UN_ENTITY,
        None,
    ),
]

JUSTICE = "Justice and rule of law"
LIBERTIES = "Civil liberties and public security"
WOMEN = "Women's rights and gender equality"
CHILDREN = "Children's rights"
EDUCATION = "Education"
HEALTH = "Health"
SOCIAL = "Labour, social protection and poverty"
INTERNATIONAL = "International obligations and cooperation"

# (name, lead institution, description)
CLUSTERS: list[tuple[str, str, str]] = [
    (
        JUSTICE,
        MOJ,
        "Torture prevention, detention, the death penalty, the justice system, anti-corruption, "
        "the national human rights institution and non-discrimination.",
    ),
    (
        LIBERTIES,
        MOI,
        "Freedom of expression, assembly and association, human rights defenders, trafficking "
        "in persons, migrants, refugees and stateless persons.",
    ),
    (
        WOMEN,
        MOWFA,
        "Discrimination against women, gender-based violence and women's participation in "
        "political and public life.",
    ),
    (
        CHILDREN,
        MOWFA,
        "Child protection, birth registration, juvenile justice, child labour and harmful "
        "practices.",
    ),
    (EDUCATION, MOE, "The right to education and human rights education."),
    (HEALTH, MOH, "The right to health, including sexual and reproductive health."),
    (
        SOCIAL,
        MOLSA,
        "Labour rights, social protection, poverty, housing, water and the rights of persons with "
        "disabilities.",
    ),
    (
        INTERNATIONAL,
        MOFA,
        "Ratification of treaties, reporting to and cooperation with the UN human rights "
        "mechanisms.",
    ),
]


@dataclass(frozen=True)
class DemoLogin:
    """One demo account as the command prints it."""

    username: str
    password: str
    role: str
    institution: str


# (username, display name, role, institution); the superuser has no membership.
DEMO_USERS: list[tuple[str, str, str, str]] = [
    ("secretariat", "Nadia Karimi", Role.SECRETARIAT, SECRETARIAT),
    ("focal", "Samuel Otieno", Role.FOCAL_POINT, MOJ),
    ("validator", "Grace Wanjiru", Role.VALIDATOR, MOJ),
    ("nhri", "Joseph Mwangi", Role.NHRI, NHRC),
    ("cso", "Amina Hassan", Role.CSO, CSO_COALITION),
    ("partner", "Claire Dubois", Role.PARTNER, EU),
]
ADMIN_USERNAME = "admin"


def _codes(text: str) -> tuple[str, ...]:
    """ISO 3166 alpha-3 codes from a space-separated list (compact to read and to edit)."""
    return tuple(text.split())


# UN Member States that recommend in the UPR. Only those present in the Country table are used.
RECOMMENDING_STATES = _codes(
    "ARG AUS AUT BEL BEN BFA BRA BWA CAN CHE CHL CHN CIV COL CRI CZE DEU DNK ECU EGY ESP EST FIN "
    "FJI FRA GBR GEO GHA IDN IND IRL ISL ITA JOR JPN KOR LTU LUX LVA MAR MDA MEX MNE MYS NAM NGA "
    "NLD NOR NPL NZL PAK PAN PER PHL POL PRT PRY QAT RWA SEN SGP SLE SVN SWE THA TLS TUN UKR URY "
    "USA VNM ZAF"
)

# --------------------------------------------------------------------------------------------
# Recommendation content
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Topic:
    """One subject of recommendations, with its tags and the phrases texts are built from.

    ``upr`` lines are ``"Base recommendation | specific | specific"``: a specific is appended to
    its own base only, so that every combination reads as a real recommendation would. Treaty
    bodies and special procedures use ``concerns`` (noun phrases after "concerned about"),
    ``progress`` (noun phrases after "While noting") and ``measures`` (imperative sub-paragraphs).
    """

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


# States that typically make recommendations on abolition and on sexual orientation.
_ABOLITIONIST = _codes(
    "ARG AUS AUT BEL BEN BRA CAN CHE CHL COL CRI CZE DEU DNK ECU ESP EST FIN FRA GBR IRL ISL ITA "
    "LTU LUX LVA MDA MEX MNE NLD NOR NZL PAN PRT PRY RWA SVN SWE TLS UKR URY"
)
_SOGI = _codes(
    "ARG AUS AUT BEL BRA CAN CHE CHL COL CRI CZE DEU DNK ESP FIN FRA GBR IRL ISL ITA LUX MEX NLD "
    "NOR NZL PRT SWE URY USA"
)

TOPICS: tuple[Topic, ...] = (
    Topic(
        key="ratification",
        cluster=INTERNATIONAL,
        themes=(
            "Ratification of & accession to international instruments",
            "Scope of international obligations",
        ),
        noted_share=0.4,
        prefixable=False,
        upr=(
            "Ratify the Optional Protocol to the Convention against Torture and Other Cruel, "
            "Inhuman or Degrading Treatment or Punishment | as soon as possible | and establish "
            "an independent national preventive mechanism",
            "Consider ratifying the International Convention on the Protection of the Rights of "
            "All Migrant Workers and Members of Their Families",
            "Ratify the International Convention for the Protection of All Persons from Enforced "
            "Disappearance | and recognize the competence of the Committee under articles 31 "
            "and 32 of the Convention | without further delay",
            "Accede to the Second Optional Protocol to the International Covenant on Civil and "
            "Political Rights, aiming at the abolition of the death penalty",
            "Ratify the Optional Protocol to the International Covenant on Economic, Social and "
            "Cultural Rights",
            "Consider ratifying the Optional Protocol to the Convention on the Rights of the "
            "Child on a communications procedure",
            "Ratify the Optional Protocol to the Convention on the Rights of Persons with "
            "Disabilities",
            "Accede to the 1954 Convention relating to the Status of Stateless Persons and the "
            "1961 Convention on the Reduction of Statelessness",
            "Ratify the ILO Violence and Harassment Convention, 2019 (No. 190) | and bring "
            "national labour legislation into line with it",
            "Ratify the ILO Domestic Workers Convention, 2011 (No. 189)",
            "Withdraw its remaining reservations to the Convention on the Elimination of All "
            "Forms of Discrimination against Women",
            "Ratify the Rome Statute of the International Criminal Court | and fully align its "
            "national legislation with all obligations under the Statute",
        ),
        measures=(
            "Consider ratifying the international human rights instruments to which it is not "
            "yet a party, in particular the Optional Protocol to the Convention against Torture",
            "Consider withdrawing its reservations to the Convention",
            "Ratify the Optional Protocol to the International Covenant on Economic, Social "
            "and Cultural Rights",
        ),
    ),
    Topic(
        key="cooperation",
        cluster=INTERNATIONAL,
        themes=(
            "Cooperation with human rights mechanisms & requests for technical assistance",
            "Cooperation & Follow up with Special Procedures",
            "National Mechanisms for Implementation, Reporting and Follow-up (NMIRF)",
            "Cooperation & follow up with the Universal Periodic Review (UPR)",
        ),
        sdgs=("16.6", "17.18"),
        noted_share=0.08,
        upr=(
            "Extend a standing invitation to all special procedures of the Human Rights Council",
            "Respond positively to pending visit requests from special procedure mandate holders"
            " | in particular that of the Special Rapporteur on the situation of human rights "
            "defenders",
            "Submit its overdue reports to the treaty bodies | in a timely manner",
            "Strengthen the national mechanism for implementation, reporting and follow-up | "
            "with adequate human and financial resources | so that it can coordinate the "
            "implementation of recommendations across government",
            "Develop a national plan to implement the recommendations accepted during the "
            "universal periodic review | in consultation with civil society and the national "
            "human rights institution | and report on its implementation through a voluntary "
            "mid-term report",
            "Involve civil society organizations in the follow-up to the universal periodic "
            "review | including through regular consultations",
            "Continue its constructive cooperation with the Office of the United Nations High "
            "Commissioner for Human Rights | including by seeking technical assistance where "
            "needed",
            "Set up a publicly accessible database to track the implementation of "
            "recommendations from the human rights mechanisms",
        ),
        concerns=(
            "the delay in the submission of the State party's periodic reports",
            "the limited resources of the national mechanism for implementation, reporting and "
            "follow-up",
        ),
        measures=(
            "Strengthen the national mechanism for implementation, reporting and follow-up, and "
            "provide it with adequate human, technical and financial resources",
            "Consult civil society organizations systematically in the preparation of its "
            "reports and in the follow-up to the present concluding observations",
        ),
    ),
    Topic(
        key="nhri",
        cluster=JUSTICE,
        themes=("National Human Rights Institution (NHRI)",),
        sdgs=("16.a",),
        noted_share=0.02,
        upr=(
            "Strengthen the independence of the National Human Rights Commission | in full "
            "compliance with the principles relating to the status of national institutions for "
            "the promotion and protection of human rights (the Paris Principles)",
            "Allocate sufficient financial and human resources to the National Human Rights "
            "Commission | to enable it to discharge its mandate effectively throughout the "
            "country",
            "Ensure that the selection and appointment of the members of the National Human "
            "Rights Commission are transparent and participatory",
            "Implement the recommendations of the Subcommittee on Accreditation of the Global "
            "Alliance of National Human Rights Institutions",
        ),
        concerns=(
            "the insufficient budget allocated to the National Human Rights Commission and the "
            "lack of transparency in the appointment of its commissioners",
        ),
        progress=("the accreditation of the National Human Rights Commission with A status",),
        measures=(
            "Ensure that the National Human Rights Commission is provided with sufficient "
            "financial and human resources to discharge its mandate effectively and "
            "independently",
            "Establish a clear, transparent and participatory selection and appointment process "
            "for the members of the Commission",
            "Ensure that the Commission can visit all places of deprivation of liberty without "
            "prior notice",
        ),
    ),
    Topic(
        key="torture",
        cluster=JUSTICE,
        themes=(
            "Prohibition of torture & ill-treatment (including cruel, inhuman or degrading "
            "treatment)",
            "Rule of law & impunity",
        ),
        groups=("Persons deprived of their liberty", "Law enforcement / police officials"),
        sdgs=("16.3", "16.1"),
        noted_share=0.05,
        upr=(
            "Adopt a definition of torture in line with article 1 of the Convention against "
            "Torture | and ensure that acts of torture are punishable by appropriate penalties",
            "Ensure that all allegations of torture and ill-treatment by law enforcement "
            "officials are promptly, impartially and effectively investigated | and that "
            "perpetrators are brought to justice",
            "Establish an independent mechanism to receive and investigate complaints against "
            "the police | with the power to refer cases to the prosecution",
            "Provide victims of torture with full redress, including rehabilitation",
            "Strengthen human rights training for police and prison officers | with a focus on "
            "the absolute prohibition of torture",
            "Designate an independent national preventive mechanism | with unrestricted access "
            "to all places of deprivation of liberty",
        ),
        concerns=(
            "reports that torture and ill-treatment are used by police officers to extract "
            "confessions, in particular during the first hours of police custody",
            "the small number of prosecutions and convictions for acts of torture, which "
            "contributes to a climate of impunity",
            "the absence of an independent body to investigate complaints of torture and "
            "ill-treatment by law enforcement officials",
        ),
        progress=(
            "the adoption of the Prevention of Torture Act in 2017",
            "the human rights training provided to police officers",
        ),
        measures=(
            "Ensure that all complaints of torture and ill-treatment are promptly and "
            "impartially investigated by an independent body, and that suspected perpetrators "
            "are suspended from duty for the duration of the investigation",
            "Ensure that perpetrators are prosecuted and, if convicted, punished with penalties "
            "commensurate with the gravity of their acts",
            "Ensure that confessions obtained under torture or ill-treatment are inadmissible "
            "as evidence in practice, except against a person accused of torture",
            "Provide victims with redress, including fair and adequate compensation and as full "
            "a rehabilitation as possible",
            "Install audiovisual recording equipment in all interrogation rooms",
            "Guarantee that all detained persons enjoy, in law and in practice, all fundamental "
            "legal safeguards from the outset of their deprivation of liberty, including access "
            "to a lawyer and to an independent medical examination",
        ),
        recalls=(
            (
                "CAT",
                "Recalling its general comment No. 3 (2012) on the implementation of article 14, "
                "the Committee urges the State party to:",
            ),
        ),
    ),
    Topic(
        key="detention",
        cluster=JUSTICE,
        themes=("Conditions of detention", "Arbitrary arrest & detention"),
        groups=("Persons deprived of their liberty", "Prison officials"),
        sdgs=("16.3",),
        noted_share=0.03,
        upr=(
            "Improve conditions of detention | in line with the United Nations Standard Minimum "
            "Rules for the Treatment of Prisoners (the Nelson Mandela Rules) | including by "
            "ensuring access to health care, adequate food and clean water",
            "Reduce overcrowding in prisons | including through the wider use of alternatives to "
            "detention",
            "Limit the use and length of pretrial detention | and ensure that pretrial "
            "detainees are separated from convicted prisoners",
            "Ensure that women detainees are held separately from men and supervised by female "
            "staff | in line with the Bangkok Rules",
        ),
        concerns=(
            "the high level of overcrowding in prisons and the poor material conditions of "
            "detention, including inadequate sanitation, food and health care",
            "the excessive use and length of pretrial detention",
            "the number of deaths in custody and the lack of information on investigations "
            "into them",
        ),
        progress=(
            "the construction of new prison facilities",
            "the adoption of the Community Service Orders Act",
        ),
        measures=(
            "Reduce overcrowding, in particular through the application of non-custodial "
            "measures, taking into account the United Nations Standard Minimum Rules for "
            "Non-custodial Measures (the Tokyo Rules)",
            "Improve material conditions in all places of detention, including access to "
            "health care, adequate food and drinking water",
            "Ensure that pretrial detention is used only as a measure of last resort and for "
            "the shortest possible period",
            "Ensure that all deaths in custody are promptly and impartially investigated by an "
            "independent body",
            "Increase the number of medical staff in prisons",
        ),
    ),
    Topic(
        key="death_penalty",
        cluster=JUSTICE,
        recommenders=_ABOLITIONIST,
        themes=("Death penalty", "Right to life"),
        sdgs=("16.1",),
        noted_share=0.7,
        upr=(
            "Abolish the death penalty | and commute all existing death sentences to terms of "
            "imprisonment",
            "Establish an official moratorium on executions with a view to abolishing the death "
            "penalty",
            "Maintain the de facto moratorium on executions | and consider formally abolishing "
            "the death penalty",
            "Restrict the scope of the death penalty to the most serious crimes involving "
            "intentional killing",
        ),
        concerns=(
            "the fact that the death penalty remains in the law for offences that do not meet "
            "the threshold of the most serious crimes",
        ),
        progress=("the de facto moratorium on executions maintained since 1987",),
        measures=(
            "Give due consideration to abolishing the death penalty and acceding to the Second "
            "Optional Protocol to the Covenant",
            "Commute all death sentences to terms of imprisonment",
            "Ensure that the death penalty is not mandatory for any offence",
        ),
    ),
    Topic(
        key="justice",
        cluster=JUSTICE,
        themes=(
            "Administration of justice & fair trial",
            "Access to justice & remedy",
            "Legal & institutional reform",
        ),
        groups=("Judges, lawyers and prosecutors", "Persons living in poverty"),
        sdgs=("16.3", "16.6"),
        noted_share=0.04,
        upr=(
            "Guarantee the independence of the judiciary | including by ensuring that the "
            "appointment, promotion and dismissal of judges follow objective criteria",
            "Strengthen the legal aid system | so that persons living in poverty have effective "
            "access to justice | including in rural areas",
            "Reduce the backlog of cases in the courts | and ensure that trials take place "
            "without undue delay",
            "Continue the reform of the justice sector | with a view to making justice more "
            "accessible to all",
            "Bring the Criminal Procedure Code into line with international fair trial standards",
        ),
        concerns=(
            "the lack of independence of the judiciary, including reports of executive "
            "interference in judicial appointments",
            "the significant backlog of cases and the limited availability of legal aid, "
            "particularly in rural areas",
        ),
        progress=("the adoption of the Legal Aid Act in 2016",),
        measures=(
            "Safeguard the full independence and impartiality of judges and prosecutors",
            "Ensure that the procedures for the selection, appointment, promotion and removal of "
            "judges are transparent and based on objective criteria",
            "Allocate sufficient resources to the legal aid system and extend it to all regions",
            "Increase the number of judges and courts to reduce the backlog of cases",
        ),
        recalls=(
            (
                "CEDAW",
                "In line with its general recommendation No. 33 (2015) on women's access to "
                "justice, the Committee recommends that the State party:",
            ),
        ),
    ),
    Topic(
        key="corruption",
        cluster=JUSTICE,
        themes=("Good governance & corruption",),
        groups=("Public officials",),
        sdgs=("16.5", "16.6"),
        noted_share=0.03,
        upr=(
            "Intensify its efforts to combat corruption at all levels | including by "
            "strengthening the independence of the Ethics and Anti-Corruption Commission",
            "Ensure that public officials suspected of corruption are investigated and "
            "prosecuted | regardless of their rank",
            "Adopt legislation on the protection of whistle-blowers",
        ),
        concerns=(
            "the persistence of corruption, which diverts resources needed for the realization "
            "of economic, social and cultural rights",
        ),
        measures=(
            "Address the root causes of corruption and adopt all legislative and policy measures "
            "necessary to combat it effectively",
            "Ensure the transparency of public procurement and of the management of public funds",
            "Protect victims of corruption, their lawyers, anti-corruption activists, "
            "whistle-blowers and witnesses",
        ),
    ),
    Topic(
        key="expression",
        cluster=LIBERTIES,
        themes=("Freedom of opinion and expression & access to information",),
        groups=("Media",),
        sdgs=("16.10",),
        noted_share=0.15,
        upr=(
            "Guarantee freedom of expression and of the press, online and offline | in line "
            "with article 19 of the International Covenant on Civil and Political Rights",
            "Decriminalize defamation | and bring it within the scope of the civil code",
            "Review the Computer Misuse and Cybercrimes Act | to ensure that it does not unduly "
            "restrict freedom of expression",
            "Ensure that attacks against journalists are promptly investigated | and that those "
            "responsible are held accountable",
            "Fully implement the Access to Information Act",
        ),
        concerns=(
            "reports of harassment, intimidation and arbitrary arrests of journalists and bloggers",
            "the broad and vague provisions of the cybercrime legislation, which have been used "
            "to prosecute persons for their online expression",
        ),
        measures=(
            "Review its legislation on defamation and cybercrime to bring it into full "
            "compliance with article 19 of the Covenant, and consider decriminalizing "
            "defamation",
            "Ensure that journalists and media workers can work freely without fear of "
            "harassment or reprisals",
            "Refrain from imposing restrictions on access to the Internet",
        ),
    ),
    Topic(
        key="assembly",
        cluster=LIBERTIES,
        themes=(
            "Right to peaceful assembly",
            "Freedom of association",
            "Cooperation & consultation with civil society",
        ),
        groups=("Human rights defenders",),
        sdgs=("16.10", "16.7"),
        noted_share=0.1,
        upr=(
            "Guarantee the right to peaceful assembly | and ensure that law enforcement "
            "officials comply with international standards on the use of force",
            "Ensure a safe and enabling environment for civil society organizations and human "
            "rights defenders | including by adopting a law on their protection",
            "Amend the Public Benefit Organizations Act | to facilitate the registration and "
            "funding of civil society organizations",
            "Investigate all cases of excessive use of force during demonstrations | and bring "
            "those responsible to justice",
            "Protect human rights defenders against threats, harassment and reprisals",
        ),
        concerns=(
            "the excessive use of force by law enforcement officials during demonstrations, "
            "which resulted in deaths and injuries",
            "reports of threats, surveillance and reprisals against human rights defenders, "
            "including those who cooperate with the United Nations",
        ),
        measures=(
            "Ensure that the use of force during assemblies complies with the Basic Principles "
            "on the Use of Force and Firearms by Law Enforcement Officials",
            "Investigate promptly and impartially all allegations of excessive use of force and "
            "hold those responsible accountable",
            "Ensure that human rights defenders can carry out their work without fear of reprisals",
            "Review the legislation governing the registration of associations to ensure that "
            "it does not impose undue restrictions",
        ),
    ),
    Topic(
        key="gbv",
        cluster=WOMEN,
        themes=("Violence against women", "Sexual & gender-based violence"),
        groups=("Women", "Girls"),
        sdgs=("5.2", "16.1"),
        noted_share=0.02,
        upr=(
            "Take further measures to combat gender-based violence against women | including by "
            "ensuring that all cases are promptly investigated and perpetrators prosecuted | and "
            "by raising awareness of its criminal nature",
            "Criminalize marital rape explicitly",
            "Increase the number of shelters for women victims of violence | particularly in "
            "rural areas",
            "Strengthen the implementation of the Protection against Domestic Violence Act | and "
            "allocate adequate resources for that purpose",
            "Adopt a national strategy to eliminate violence against women and girls",
            "Train police officers, prosecutors and judges in handling cases of sexual and "
            "gender-based violence in a gender-sensitive manner",
        ),
        concerns=(
            "the persistently high prevalence of gender-based violence against women, in "
            "particular domestic and sexual violence, and the underreporting of such violence "
            "owing to stigma and fear of reprisals",
            "the low rates of prosecution and conviction in cases of sexual violence",
            "the insufficient number of shelters and support services for women victims of "
            "violence",
        ),
        progress=(
            "the adoption of the Protection against Domestic Violence Act in 2015",
            "the establishment of gender desks in police stations",
        ),
        measures=(
            "Ensure that all cases of gender-based violence against women are effectively "
            "investigated and that perpetrators are prosecuted and adequately punished",
            "Explicitly criminalize marital rape",
            "Provide women victims of violence with adequate assistance and protection, "
            "including by increasing the number of shelters throughout the State party",
            "Provide mandatory capacity-building to judges, prosecutors, police officers and "
            "other law enforcement officials on the strict application of the law",
            "Collect statistical data on all forms of gender-based violence against women, "
            "disaggregated by age, type of violence and relationship between victim and "
            "perpetrator",
        ),
        recalls=(
            (
                "CEDAW",
                "Recalling its general recommendation No. 35 (2017) on gender-based violence "
                "against women, updating general recommendation No. 19, the Committee "
                "recommends that the State party:",
            ),
        ),
    ),
    Topic(
        key="women_equality",
        cluster=WOMEN,
        themes=(
            "Discrimination against women",
            "Participation of women in political & public life",
            "Advancement of women",
        ),
        groups=("Women", "Rural women"),
        sdgs=("5.1", "5.5", "5.c"),
        noted_share=0.05,
        upr=(
            "Adopt a comprehensive definition of discrimination against women | covering direct "
            "and indirect discrimination in the public and private spheres",
            "Implement the constitutional principle that not more than two thirds of the members "
            "of elective bodies shall be of the same gender",
            "Take measures to increase the participation of women in political and public life "
            "| including through temporary special measures",
            "Repeal all discriminatory provisions against women in its legislation | in "
            "particular in the areas of inheritance and land ownership",
            "Strengthen the national machinery for the advancement of women",
            "Ensure equal access of rural women to land, credit and economic opportunities",
        ),
        concerns=(
            "the persistence of discriminatory provisions in the laws on inheritance and land "
            "ownership",
            "the low representation of women in Parliament, the Cabinet and decision-making "
            "positions in the public service",
            "the limited access of rural women to land, credit and basic services",
        ),
        progress=(
            "the constitutional provisions on equality between women and men",
            "the adoption of the National Policy on Gender and Development",
        ),
        measures=(
            "Repeal or amend all discriminatory provisions on inheritance and land ownership",
            "Adopt temporary special measures, including quotas, to achieve substantive equality "
            "of women and men in Parliament and in decision-making positions",
            "Enact legislation to implement the two-thirds gender rule in elective and "
            "appointive bodies",
            "Ensure that rural women have equal access to land, credit and agricultural "
            "extension services",
            "Strengthen the national machinery for the advancement of women and provide it with "
            "adequate resources",
        ),
    ),
    Topic(
        key="harmful_practices",
        cluster=CHILDREN,
        themes=(
            "Rights related to marriage & family",
            "Children: protection against exploitation",
            "Discrimination against women",
        ),
        groups=("Girls", "Children"),
        sdgs=("5.3",),
        noted_share=0.03,
        upr=(
            "Raise the minimum age of marriage to 18 years for both girls and boys, without "
            "exception",
            "Enforce the prohibition of female genital mutilation | including by prosecuting "
            "perpetrators | and conducting awareness-raising campaigns with community and "
            "religious leaders",
            "Take effective measures to eliminate child, early and forced marriage | in "
            "particular in rural areas",
            "Develop a national action plan to end harmful practices against girls",
        ),
        concerns=(
            "the high prevalence of child marriage, in particular in rural areas, and the "
            "persistence of female genital mutilation in some communities",
        ),
        progress=("the adoption of the Prohibition of Female Genital Mutilation Act",),
        measures=(
            "Ensure that the minimum age of marriage of 18 years is strictly enforced, including "
            "in customary and religious marriages",
            "Strengthen the enforcement of the prohibition of female genital mutilation and "
            "ensure that perpetrators are prosecuted",
            "Conduct awareness-raising programmes on the harmful effects of child marriage and "
            "female genital mutilation, targeting families, community and religious leaders",
            "Provide girls at risk of harmful practices with protection and support services",
        ),
        recalls=(
            (
                "CRC",
                "With reference to joint general recommendation No. 31 of the Committee on the "
                "Elimination of Discrimination against Women/general comment No. 18 of the "
                "Committee on the Rights of the Child (2019) on harmful practices, the Committee "
                "recommends that the State party:",
            ),
        ),
    ),
    Topic(
        key="child_protection",
        cluster=CHILDREN,
        themes=(
            "Children: definition; general principles; protection",
            "Children: family environment & alternative care",
            "Rights related to name, identity & nationality",
        ),
        groups=("Children",),
        sdgs=("16.2", "16.9"),
        noted_share=0.05,
        upr=(
            "Prohibit corporal punishment of children in all settings | including in the home",
            "Ensure free and universal birth registration | including for children born in "
            "remote areas",
            "Strengthen the child protection system | and allocate sufficient resources to it",
            "Adopt a national strategy to prevent violence against children",
            "Ensure that the placement of children in institutions is a measure of last resort "
            "| and develop family-based alternative care",
        ),
        concerns=(
            "the fact that corporal punishment is still lawful in the home and in alternative "
            "care settings",
            "the low rate of birth registration in remote and rural areas",
            "the large number of children living in institutions",
        ),
        progress=("the adoption of the Children Act in 2022",),
        measures=(
            "Explicitly prohibit corporal punishment in all settings and promote positive, "
            "non-violent forms of discipline",
            "Ensure that birth registration is free of charge and accessible to all children, "
            "including through mobile registration units",
            "Establish a national database on all cases of violence against children",
            "Support and facilitate family-based care for children wherever possible",
        ),
    ),
    Topic(
        key="juvenile_justice",
        cluster=CHILDREN,
        themes=("Children: juvenile justice", "Administration of justice & fair trial"),
        groups=("Children", "Persons deprived of their liberty"),
        sdgs=("16.3",),
        noted_share=0.05,
        upr=(
            "Raise the minimum age of criminal responsibility | in line with international "
            "standards",
            "Ensure that children in conflict with the law are detained only as a measure of "
            "last resort | and are always separated from adults",
            "Establish specialized juvenile courts throughout the country",
        ),
        concerns=(
            "the low minimum age of criminal responsibility and the detention of children "
            "together with adults in police cells",
        ),
        measures=(
            "Raise the minimum age of criminal responsibility to at least 14 years of age",
            "Promote non-judicial measures, such as diversion, mediation and counselling, for "
            "children accused of criminal offences",
            "Ensure that detention is used as a measure of last resort and that children are "
            "never detained together with adults",
        ),
    ),
    Topic(
        key="child_labour",
        cluster=CHILDREN,
        themes=("Children: protection against exploitation", "Labour rights and right to work"),
        groups=("Children",),
        sdgs=("8.7",),
        noted_share=0.02,
        upr=(
            "Step up measures to eliminate the worst forms of child labour | in particular in "
            "agriculture, mining and domestic work",
            "Strengthen labour inspections | to detect and sanction child labour",
        ),
        concerns=(
            "the large number of children engaged in child labour, including in its worst forms "
            "in mining, agriculture and domestic work",
        ),
        measures=(
            "Strengthen the labour inspectorate and ensure that persons who exploit children are "
            "prosecuted",
            "Update the list of hazardous work prohibited for children",
            "Provide children withdrawn from child labour with education and vocational training",
        ),
    ),
    Topic(
        key="education",
        cluster=EDUCATION,
        themes=("Right to education",),
        groups=("Children", "Girls", "Persons with disabilities"),
        sdgs=("4.1", "4.5", "4.a"),
        noted_share=0.01,
        upr=(
            "Ensure inclusive and equitable quality education for all children | in particular "
            "girls and children with disabilities",
            "Continue to increase the budget allocated to education | with a view to ensuring "
            "free primary and secondary education",
            "Take measures to reduce school dropout rates | in particular among girls and "
            "children in arid and semi-arid areas",
            "Ensure that pregnant girls and adolescent mothers can continue their education",
            "Improve school infrastructure | including access to water and separate sanitation "
            "facilities for girls",
            "Increase the number of qualified teachers | especially in rural and remote areas",
        ),
        concerns=(
            "the regional disparities in school enrolment and completion, and the high dropout "
            "rates among girls",
            "indirect costs of education, which prevent children from poor households from "
            "attending school",
            "the inadequate school infrastructure, including the lack of water and sanitation "
            "facilities",
        ),
        progress=(
            "the introduction of free day secondary education",
            "the increase in the net enrolment rate in primary education",
        ),
        measures=(
            "Eliminate the indirect costs of education to ensure that primary and secondary "
            "education are genuinely free",
            "Address the regional disparities in access to education, in particular in arid and "
            "semi-arid areas",
            "Ensure that pregnant girls and adolescent mothers are supported to continue their "
            "education in mainstream schools",
            "Develop inclusive education for children with disabilities, including by training "
            "teachers and adapting school infrastructure",
            "Improve the quality of education by increasing the number of trained teachers",
            "Ensure that all schools have safe drinking water and separate sanitation facilities "
            "for girls",
        ),
    ),
    Topic(
        key="hr_education",
        cluster=EDUCATION,
        themes=("Human rights education, trainings & awareness raising",),
        groups=("Law enforcement / police officials", "Public officials", "Educational staff"),
        sdgs=("4.7",),
        noted_share=0.01,
        upr=(
            "Integrate human rights education into school curricula at all levels",
            "Continue human rights training for law enforcement officials, judges and prosecutors",
            "Conduct public awareness campaigns on human rights | in local languages",
        ),
        measures=(
            "Integrate human rights education into the school curricula at all levels",
            "Provide systematic training on the Convention to judges, prosecutors, lawyers and "
            "law enforcement officials",
        ),
    ),
    Topic(
        key="health",
        cluster=HEALTH,
        themes=("Right to health", "Sexual & reproductive health and rights"),
        groups=("Women", "Persons living with HIV/AIDS", "Persons living in rural areas"),
        sdgs=("3.1", "3.7", "3.8"),
        noted_share=0.12,
        upr=(
            "Continue its efforts towards universal health coverage | with particular attention "
            "to persons living in rural areas",
            "Take further measures to reduce maternal and infant mortality | including by "
            "increasing the number of skilled birth attendants",
            "Ensure access to sexual and reproductive health services and information | "
            "including for adolescents",
            "Strengthen measures to prevent HIV/AIDS | and combat the stigmatization of persons "
            "living with HIV",
            "Increase public expenditure on health | in line with the Abuja Declaration target",
            "Legalize abortion at least in cases of rape, incest, risk to the life or health of "
            "the pregnant woman and severe fetal impairment",
        ),
        concerns=(
            "the high maternal mortality ratio, owing in part to unsafe abortions and the "
            "limited availability of emergency obstetric care",
            "the low level of public expenditure on health and the high out-of-pocket costs",
            "the limited access of adolescents to sexual and reproductive health services",
        ),
        progress=("the roll-out of the universal health coverage programme",),
        measures=(
            "Increase public expenditure on health and reduce out-of-pocket payments",
            "Ensure access to emergency obstetric care and skilled birth attendance throughout "
            "the State party",
            "Ensure that adolescents have access to confidential sexual and reproductive health "
            "services and information",
            "Legalize abortion at least in cases of rape, incest, risk to the life or health of "
            "the pregnant woman and severe fetal impairment, and decriminalize it in all other "
            "cases",
            "Strengthen mental health services at the community level",
        ),
    ),
    Topic(
        key="poverty",
        cluster=SOCIAL,
        themes=(
            "Human rights & poverty",
            "Right to an adequate standard of living",
            "Right to social security",
        ),
        groups=("Persons living in poverty", "Older persons"),
        sdgs=("1.2", "1.3", "6.1", "11.1"),
        noted_share=0.02,
        upr=(
            "Continue its efforts to reduce poverty | with particular attention to rural areas "
            "and informal settlements",
            "Extend the coverage of the social protection system | including to workers in the "
            "informal economy",
            "Ensure access to safe drinking water and sanitation for all",
            "Prevent forced evictions | and ensure that any eviction complies with international "
            "standards",
            "Increase the supply of affordable housing",
        ),
        concerns=(
            "the high levels of poverty and inequality, in particular in arid and semi-arid areas",
            "the limited coverage of social security, in particular for workers in the informal "
            "economy",
            "reports of forced evictions from informal settlements without adequate notice or "
            "alternative accommodation",
        ),
        progress=("the expansion of the cash transfer programme for older persons",),
        measures=(
            "Adopt a human rights-based approach to poverty reduction and target the regions "
            "most affected",
            "Establish a social protection floor and extend coverage to workers in the informal "
            "economy",
            "Adopt legislation on evictions that complies with international standards",
            "Improve access to safe drinking water and sanitation, particularly in rural areas "
            "and informal settlements",
        ),
    ),
    Topic(
        key="labour",
        cluster=SOCIAL,
        themes=("Labour rights and right to work", "Trade union rights"),
        groups=("Women", "Youth"),
        sdgs=("8.5", "8.8"),
        noted_share=0.05,
        upr=(
            "Take measures to reduce youth unemployment | including through vocational training",
            "Ensure equal pay for work of equal value",
            "Extend the protection of labour law to domestic workers",
            "Guarantee the right to form and join trade unions",
        ),
        concerns=(
            "the high unemployment rate, in particular among young persons, and the size of the "
            "informal economy",
            "the persistent gender pay gap",
        ),
        measures=(
            "Strengthen its efforts to reduce unemployment, in particular among young persons",
            "Ensure that the minimum wage is regularly reviewed and enables workers and their "
            "families to enjoy a decent standard of living",
            "Take steps to close the gender pay gap",
            "Strengthen the labour inspectorate and provide it with sufficient resources",
        ),
    ),
    Topic(
        key="trafficking",
        cluster=LIBERTIES,
        themes=(
            "Human trafficking & contemporary forms of slavery",
            "Support to victims & witnesses",
        ),
        groups=("Women", "Children", "Migrants"),
        sdgs=("5.2", "8.7", "16.2"),
        noted_share=0.01,
        upr=(
            "Strengthen measures to combat trafficking in persons | in particular women and "
            "children | including by prosecuting traffickers",
            "Provide victims of trafficking with protection, shelter and rehabilitation",
            "Adopt a new national action plan against trafficking in persons",
        ),
        concerns=(
            "reports that the State party remains a country of origin, transit and destination "
            "for trafficking in women and children",
        ),
        measures=(
            "Ensure that cases of trafficking are investigated and prosecuted and that "
            "perpetrators are adequately punished",
            "Ensure the early identification of victims of trafficking and their referral to "
            "appropriate services",
            "Protect women migrant domestic workers from trafficking and exploitation, including "
            "by regulating private recruitment agencies",
        ),
    ),
    Topic(
        key="disability",
        cluster=SOCIAL,
        themes=(
            "Persons with disabilities: independence, inclusion",
            "Persons with disabilities: accessibility, mobility",
        ),
        groups=("Persons with disabilities",),
        sdgs=("4.5", "10.2", "11.2"),
        noted_share=0.01,
        upr=(
            "Adopt the Persons with Disabilities Bill | in line with the Convention on the "
            "Rights of Persons with Disabilities",
            "Ensure the accessibility of public buildings, transport and information for persons "
            "with disabilities",
            "Promote the employment of persons with disabilities in the public and private sectors",
        ),
        concerns=(
            "the lack of accessibility of public buildings, transport and information",
            "the persistence of stigma against children with disabilities, including reports of "
            "their concealment at home",
        ),
        measures=(
            "Adopt a human rights-based approach to disability and align its legislation with "
            "the Convention on the Rights of Persons with Disabilities",
            "Ensure that all children with disabilities have access to inclusive education",
            "Conduct awareness-raising campaigns to combat the stigmatization of persons with "
            "disabilities",
        ),
    ),
    Topic(
        key="racial",
        cluster=JUSTICE,
        themes=("Racial discrimination", "Equality & non-discrimination"),
        groups=("Minorities / racial, ethnic, linguistic, religious or descent-based groups",),
        sdgs=("10.2", "10.3", "16.b"),
        noted_share=0.05,
        upr=(
            "Adopt comprehensive anti-discrimination legislation | covering all grounds of "
            "discrimination",
            "Combat hate speech and incitement to ethnic violence | in particular during "
            "electoral periods",
            "Strengthen the National Cohesion and Integration Commission",
            "Ensure the participation of minority and marginalized communities in decisions that "
            "affect them",
        ),
        concerns=(
            "the persistence of ethnic profiling and of hate speech by politicians, in "
            "particular during electoral campaigns",
            "the lack of disaggregated data on the ethnic composition of the population",
        ),
        measures=(
            "Ensure that all acts of hate speech and incitement to violence are investigated and "
            "prosecuted",
            "Collect and publish data disaggregated by ethnic origin on the enjoyment of "
            "economic and social rights",
            "Guarantee the free, prior and informed consent of Indigenous Peoples in decisions "
            "affecting their lands and resources",
            "Ensure that the National Cohesion and Integration Commission has the resources it "
            "needs",
        ),
        recalls=(
            (
                "CERD",
                "Bearing in mind its general recommendation No. 35 (2013) on combating racist "
                "hate speech, the Committee recommends that the State party:",
            ),
        ),
    ),
    Topic(
        key="lgbti",
        cluster=JUSTICE,
        recommenders=_SOGI,
        themes=("Equality & non-discrimination",),
        groups=("Lesbian, gay, bisexual and transgender and intersex persons (LGBTI)",),
        sdgs=("10.3", "16.b"),
        noted_share=0.9,
        upr=(
            "Decriminalize consensual sexual relations between adults of the same sex",
            "Protect lesbian, gay, bisexual, transgender and intersex persons from violence and "
            "discrimination | and investigate attacks against them",
        ),
        concerns=(
            "the criminalization of consensual sexual relations between adults of the same sex "
            "and reports of violence against lesbian, gay, bisexual, transgender and intersex "
            "persons",
        ),
        measures=(
            "Decriminalize consensual sexual relations between adults of the same sex",
            "Ensure that acts of violence based on sexual orientation or gender identity are "
            "investigated and that perpetrators are prosecuted",
        ),
    ),
    Topic(
        key="migrants",
        cluster=LIBERTIES,
        themes=("Rights related to name, identity & nationality", "Freedom of movement"),
        groups=("Migrants", "Stateless persons", "Non-citizens"),
        sdgs=("10.7", "16.9"),
        noted_share=0.1,
        upr=(
            "Take further steps to end statelessness | including by granting nationality to "
            "stateless persons who have lived in the country for many years",
            "Respect the principle of non-refoulement",
            "Ensure that asylum seekers and refugees have access to education, health care and "
            "employment",
        ),
        concerns=(
            "the situation of stateless persons, who face obstacles in gaining access to "
            "identity documents and basic services",
            "the encampment policy for refugees and reports of refoulement",
        ),
        measures=(
            "Ensure respect for the principle of non-refoulement in all circumstances",
            "Facilitate the registration and naturalization of stateless persons",
            "Ensure that refugees and asylum seekers have access to employment, education and "
            "health care",
        ),
    ),
    Topic(
        key="framework",
        cluster=INTERNATIONAL,
        themes=(
            "National Human Rights Action Plans (or specific areas) / implementation plans",
            "Data collection & research",
            "Constitutional & legislative framework",
        ),
        sdgs=("17.18", "16.6"),
        noted_share=0.02,
        upr=(
            "Adopt and implement a national action plan on human rights | with clear targets, "
            "indicators and a budget",
            "Improve the collection of data disaggregated by sex, age, disability and region | "
            "to inform policies for the groups most at risk of being left behind",
            "Align national legislation with its international human rights obligations",
        ),
        measures=(
            "Adopt a comprehensive national human rights action plan with clear targets, "
            "indicators and a budget",
            "Improve its data collection system and collect data disaggregated by sex, age, "
            "disability, ethnic origin and region",
        ),
    ),
)
TOPIC_BY_KEY = {topic.key: topic for topic in TOPICS}

# Follow-up requests close every set of concluding observations.
FOLLOW_UP_THEMES = ("Cooperation & Follow up with Treaty Bodies",)

# "Continue its efforts to strengthen ...": how UPR recommending States soften a base text.
UPR_PREFIXES = (
    "Continue its efforts to",
    "Take further measures to",
    "Step up its efforts to",
    "Redouble its efforts to",
    "Take the necessary measures to",
    "Pursue its efforts to",
    "Continue to",
)

# "Continue its efforts to take further measures to ..." would not be written by anyone.
PREFIX_AVOIDING_VERBS = frozenset({"Continue", "Take", "Step", "Redouble", "Pursue", "Intensify"})

# Eight UPR recommendations with unofficial translations, to show the multilingual texts.
# Each entry holds the topic, then the English, French, Spanish and Arabic texts.
TRANSLATED: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "ratification",
        "Ratify the Optional Protocol to the Convention against Torture and Other Cruel, Inhuman "
        "or Degrading Treatment or Punishment.",
        "Ratifier le Protocole facultatif se rapportant à la Convention contre la torture et "
        "autres peines ou traitements cruels, inhumains ou dégradants.",
        "Ratificar el Protocolo Facultativo de la Convención contra la Tortura y Otros Tratos o "
        "Penas Crueles, Inhumanos o Degradantes.",
        "التصديق على البروتوكول الاختياري لاتفاقية مناهضة التعذيب وغيره من ضروب المعاملة أو "
        "العقوبة القاسية أو اللاإنسانية أو المهينة.",
    ),
    (
        "gbv",
        "Take further measures to combat gender-based violence against women, including by "
        "ensuring that all cases are promptly investigated and perpetrators prosecuted.",
        "Prendre de nouvelles mesures pour lutter contre la violence fondée sur le genre à "
        "l'égard des femmes, notamment en veillant à ce que tous les cas fassent rapidement "
        "l'objet d'une enquête et à ce que les auteurs soient poursuivis.",
        "Adoptar nuevas medidas para combatir la violencia de género contra las mujeres, en "
        "particular velando por que todos los casos se investiguen con prontitud y se enjuicie a "
        "los autores.",
        "اتخاذ مزيد من التدابير لمكافحة العنف الجنساني ضد المرأة، بطرق منها ضمان التحقيق "
        "الفوري في جميع الحالات وملاحقة الجناة قضائياً.",
    ),
    (
        "education",
        "Ensure inclusive and equitable quality education for all children, in particular girls "
        "and children with disabilities.",
        "Garantir une éducation inclusive, équitable et de qualité à tous les enfants, en "
        "particulier aux filles et aux enfants handicapés.",
        "Garantizar una educación inclusiva, equitativa y de calidad para todos los niños, en "
        "particular las niñas y los niños con discapacidad.",
        "ضمان تعليم جيد ومنصف وشامل لجميع الأطفال، ولا سيما الفتيات والأطفال ذوي الإعاقة.",
    ),
    (
        "cooperation",
        "Establish a national mechanism for implementation, reporting and follow-up with "
        "adequate human and financial resources.",
        "Mettre en place un mécanisme national d'application, d'établissement de rapports et de "
        "suivi doté de ressources humaines et financières suffisantes.",
        "Establecer un mecanismo nacional de aplicación, presentación de informes y seguimiento "
        "dotado de recursos humanos y financieros suficientes.",
        "إنشاء آلية وطنية للتنفيذ والإبلاغ والمتابعة وتزويدها بالموارد البشرية والمالية الكافية.",
    ),
    (
        "nhri",
        "Strengthen the independence of the National Human Rights Commission in full compliance "
        "with the Paris Principles.",
        "Renforcer l'indépendance de la Commission nationale des droits de l'homme, en pleine "
        "conformité avec les Principes de Paris.",
        "Reforzar la independencia de la Comisión Nacional de Derechos Humanos, en plena "
        "conformidad con los Principios de París.",
        "تعزيز استقلالية اللجنة الوطنية لحقوق الإنسان بما يتوافق تماماً مع مبادئ باريس.",
    ),
    (
        "death_penalty",
        "Abolish the death penalty and, pending abolition, establish an official moratorium on "
        "executions.",
        "Abolir la peine de mort et, dans l'attente de son abolition, instaurer un moratoire "
        "officiel sur les exécutions.",
        "Abolir la pena de muerte y, hasta su abolición, establecer una moratoria oficial de las "
        "ejecuciones.",
        "إلغاء عقوبة الإعدام، وريثما يتم إلغاؤها، إعلان وقف رسمي لتنفيذ أحكام الإعدام.",
    ),
    (
        "assembly",
        "Guarantee the right to peaceful assembly and ensure that law enforcement officials "
        "comply with international standards on the use of force.",
        "Garantir le droit de réunion pacifique et veiller à ce que les responsables de "
        "l'application des lois respectent les normes internationales relatives à l'usage de la "
        "force.",
        "Garantizar el derecho de reunión pacífica y velar por que los agentes del orden cumplan "
        "las normas internacionales sobre el uso de la fuerza.",
        "ضمان الحق في التجمع السلمي وكفالة امتثال الموظفين المكلفين بإنفاذ القانون للمعايير "
        "الدولية المتعلقة باستخدام القوة.",
    ),
    (
        "harmful_practices",
        "Raise the minimum age of marriage to 18 years for both girls and boys, without exception.",
        "Relever l'âge minimum du mariage à 18 ans pour les filles comme pour les garçons, sans "
        "exception.",
        "Elevar la edad mínima para contraer matrimonio a 18 años tanto para las niñas como para "
        "los niños, sin excepciones.",
        "رفع الحد الأدنى لسن الزواج إلى 18 عاماً للفتيات والفتيان على حد سواء، دون استثناء.",
    ),
)

# --------------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UprCycleSpec:
    number: int
    session: int  # Working Group session
    review_date: date
    symbol: str  # with {n}: the report number
    report_number: int
    publication_date: date
    paragraph: int  # the paragraph that lists the recommendations
    count: int  # recommendations in the report
    mid_term_due: date
    next_review: date


UPR_CYCLES: tuple[UprCycleSpec, ...] = (
    UprCycleSpec(
        number=1,
        session=12,
        review_date=date(2011, 10, 6),
        symbol="A/HRC/19/{n}",
        report_number=10,
        publication_date=date(2011, 12, 12),
        paragraph=89,
        count=52,
        mid_term_due=date(2014, 4, 1),
        next_review=date(2016, 5, 4),
    ),
    UprCycleSpec(
        number=2,
        session=25,
        review_date=date(2016, 5, 4),
        symbol="A/HRC/33/{n}",
        report_number=12,
        publication_date=date(2016, 7, 8),
        paragraph=118,
        count=66,
        mid_term_due=date(2018, 11, 1),
        next_review=date(2021, 11, 3),
    ),
    UprCycleSpec(
        number=3,
        session=39,
        review_date=date(2021, 11, 3),
        symbol="A/HRC/49/{n}",
        report_number=14,
        publication_date=date(2022, 1, 10),
        paragraph=136,
        count=76,
        mid_term_due=date(2024, 5, 1),
        next_review=date(2026, 1, 27),
    ),
    UprCycleSpec(
        number=4,
        session=51,
        review_date=date(2026, 1, 27),
        symbol="A/HRC/62/{n}",
        report_number=9,
        publication_date=date(2026, 4, 2),
        paragraph=127,
        count=88,
        mid_term_due=date(2028, 7, 1),
        next_review=date(2030, 11, 1),
    ),
)


@dataclass(frozen=True)
class ReportSpec:
    """A treaty-body or special-procedure report: symbol pattern, dates and subjects."""

    mechanism: str
    symbol: str  # {iso} is the State's code
    title: str  # {state} is the State's name
    publication_date: date
    topics: tuple[str, ...]
    first_paragraph: int
    cycle_number: int | None = None
    cycle_label: str = ""
    intros: tuple[str, ...] = ("The Committee recommends that the State party:",)
    follow_up: bool = True


TREATY_BODY_REPORTS: tuple[ReportSpec, ...] = (
    ReportSpec(
        "CEDAW",
        "CEDAW/C/{iso}/CO/9",
        "Concluding observations on the ninth periodic report of {state}",
        date(2024, 11, 8),
        ("women_equality", "gbv", "harmful_practices", "trafficking", "education", "health"),
        10,
        9,
        "CEDAW: ninth periodic report",
    ),
    ReportSpec(
        "CRC",
        "CRC/C/{iso}/CO/5-6",
        "Concluding observations on the combined fifth and sixth periodic reports of {state}",
        date(2023, 2, 24),
        (
            "child_protection",
            "harmful_practices",
            "juvenile_justice",
            "child_labour",
            "education",
            "disability",
        ),
        9,
        6,
        "CRC: combined fifth and sixth periodic reports",
        intros=(
            "The Committee recommends that the State party:",
            "Recalling its previous recommendations (CRC/C/{iso}/CO/3-4, para. {n}), the "
            "Committee urges the State party to:",
        ),
    ),
    ReportSpec(
        "CCPR",
        "CCPR/C/{iso}/CO/4",
        "Concluding observations on the fourth periodic report of {state}",
        date(2021, 11, 29),
        ("torture", "detention", "death_penalty", "justice", "expression", "assembly", "lgbti"),
        8,
        4,
        "CCPR: fourth periodic report",
        intros=(
            "The State party should:",
            "The State party should take all measures necessary to:",
        ),
    ),
    ReportSpec(
        "CAT",
        "CAT/C/{iso}/CO/3",
        "Concluding observations on the third periodic report of {state}",
        date(2022, 12, 9),
        ("torture", "detention", "nhri", "gbv", "migrants"),
        9,
        3,
        "CAT: third periodic report",
        intros=("The State party should:", "The Committee urges the State party to:"),
    ),
    ReportSpec(
        "CERD",
        "CERD/C/{iso}/CO/8-10",
        "Concluding observations on the combined eighth to tenth periodic reports of {state}",
        date(2020, 12, 14),
        ("racial", "migrants", "justice", "hr_education"),
        8,
        10,
        "CERD: combined eighth to tenth periodic reports",
    ),
    ReportSpec(
        "CESCR",
        "E/C.12/{iso}/CO/3",
        "Concluding observations on the third periodic report of {state}",
        date(2025, 3, 10),
        ("corruption", "poverty", "labour", "health", "education"),
        7,
        3,
        "CESCR: third periodic report",
        intros=(
            "The Committee recommends that the State party:",
            "The Committee urges the State party to:",
        ),
    ),
)

SPECIAL_PROCEDURE_REPORTS: tuple[ReportSpec, ...] = (
    ReportSpec(
        "SR Education",
        "A/HRC/53/27/Add.1",
        "Visit to {state}: Report of the Special Rapporteur on the right to education",
        date(2023, 5, 12),
        ("education", "disability", "hr_education"),
        84,
        intros=("The Special Rapporteur recommends that the Government:",),
        follow_up=False,
    ),
    ReportSpec(
        "SR Torture",
        "A/HRC/46/26/Add.1",
        "Visit to {state}: Report of the Special Rapporteur on torture and other cruel, "
        "inhuman or degrading treatment or punishment",
        date(2021, 2, 15),
        ("torture", "detention", "juvenile_justice"),
        97,
        intros=("The Special Rapporteur recommends that the Government:",),
        follow_up=False,
    ),
)

# --------------------------------------------------------------------------------------------
# National follow-up fields
# --------------------------------------------------------------------------------------------

# Implementation status weights by how long ago the document was issued.
STATUS_WEIGHTS: dict[str, tuple[tuple[str, int], ...]] = {
    "old": (
        (ImplementationStatus.IMPLEMENTED, 35),
        (ImplementationStatus.PARTIALLY_IMPLEMENTED, 30),
        (ImplementationStatus.IN_PROGRESS, 10),
        (ImplementationStatus.NOT_STARTED, 5),
        (ImplementationStatus.NO_INFORMATION, 20),
    ),
    "mid": (
        (ImplementationStatus.IMPLEMENTED, 18),
        (ImplementationStatus.PARTIALLY_IMPLEMENTED, 30),
        (ImplementationStatus.IN_PROGRESS, 27),
        (ImplementationStatus.NOT_STARTED, 10),
        (ImplementationStatus.NO_INFORMATION, 15),
    ),
    "recent": (
        (ImplementationStatus.IMPLEMENTED, 6),
        (ImplementationStatus.PARTIALLY_IMPLEMENTED, 22),
        (ImplementationStatus.IN_PROGRESS, 42),
        (ImplementationStatus.NOT_STARTED, 20),
        (ImplementationStatus.NO_INFORMATION, 10),
    ),
    "new": (
        (ImplementationStatus.IMPLEMENTED, 2),
        (ImplementationStatus.PARTIALLY_IMPLEMENTED, 6),
        (ImplementationStatus.IN_PROGRESS, 37),
        (ImplementationStatus.NOT_STARTED, 50),
        (ImplementationStatus.NO_INFORMATION, 5),
    ),
    "noted": (
        (ImplementationStatus.NOT_STARTED, 60),
        (ImplementationStatus.NO_INFORMATION, 30),
        (ImplementationStatus.IN_PROGRESS, 10),
    ),
}

STATUS_REASONS: dict[str, tuple[str, ...]] = {
    ImplementationStatus.IMPLEMENTED: (
        "Confirmed at the national validation workshop with the lead ministry and the NHRC.",
        "The law was adopted and published in the Official Gazette; implementing regulations "
        "are in force.",
    ),
    ImplementationStatus.PARTIALLY_IMPLEMENTED: (
        "Legislation adopted; implementation at county level is still uneven.",
        "Policy adopted, but the budget line was funded only in part.",
    ),
    ImplementationStatus.IN_PROGRESS: (
        "Bill before the National Assembly; second reading scheduled.",
        "Activities under way in the current implementation plan.",
    ),
    ImplementationStatus.NO_INFORMATION: (
        "The lead institution has not reported for two consecutive reporting periods.",
    ),
}

NATIONAL_NOTES = (
    "Discussed at the inter-ministerial meeting of the NMRF; the lead ministry to propose "
    "measures.",
    "Overlaps with the treaty-body recommendations on the same subject: report on them together.",
    "Civil society submitted a shadow assessment that rates progress lower than the ministry.",
    "Technical assistance requested from the development partners' human rights working group.",
    "Needs a costed measure in the next implementation plan.",
    "Data to be provided by the National Statistics Office from the next household survey.",
)


# --------------------------------------------------------------------------------------------
# The plan: everything the demo holds, computed from the seed alone
# --------------------------------------------------------------------------------------------


@dataclass
class PlannedRecommendation:
    symbol: str
    paragraph: str
    topic: str
    text: str
    html: str
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


@dataclass
class PlannedDocument:
    symbol: str
    mechanism: str
    title: str
    publication_date: date
    cycle_number: int | None
    cycle_label: str = ""
    cycle_review_date: date | None = None


@dataclass
class Plan:
    documents: list[PlannedDocument]
    recommendations: list[PlannedRecommendation]


def _html(lines: Sequence[str]) -> str:
    """Simple sanitised HTML: one escaped paragraph per line of plain text."""
    return "".join(f"<p>{escape(line)}</p>" for line in lines)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# Specifics that UN drafting sets off with a comma: "..., including by ...".
_COMMA_OPENERS = ("including", "in particular", "particularly", "especially", "regardless")


def _joined(specific: str) -> str:
    return (", " if specific.startswith(_COMMA_OPENERS) else " ") + specific


def _parse_upr_line(line: str) -> tuple[str, list[str]]:
    base, *specifics = (part.strip() for part in line.split("|"))
    return base, specifics


class _Planner:
    """Builds the in-memory plan. Only ``self.rng`` makes choices, so a seed gives one plan."""

    def __init__(self, *, seed: int, iso3: str, state_name: str, states: Sequence[str]) -> None:
        self.rng = random.Random(seed)  # noqa: S311 (variety, not security)
        self.iso3 = iso3
        self.state_name = state_name
        self.states = list(states)
        self.recommendations: list[PlannedRecommendation] = []
        self.documents: list[PlannedDocument] = []

    def plan(self) -> Plan:
        for spec in UPR_CYCLES:
            self._plan_upr(spec)
        for report in TREATY_BODY_REPORTS:
            self._plan_report(report)
        for report in SPECIAL_PROCEDURE_REPORTS:
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
            and base.split()[0] not in PREFIX_AVOIDING_VERBS
            and self.rng.random() < 0.3
        ):
            text = f"{self.rng.choice(UPR_PREFIXES)} {_lower_first(text)}"
        return text + "."

    def _plan_upr(self, spec: UprCycleSpec) -> None:
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
            )
        )
        weights = [3 if spec.number == 1 and t.key == "ratification" else 2 for t in TOPICS]
        weights = [w if t.upr else 0 for w, t in zip(weights, TOPICS, strict=True)]
        drafts: list[PlannedRecommendation] = []
        seen: set[str] = set()
        if spec.number == 4:
            for topic_key, en, fr, es, ar in TRANSLATED:
                seen.add(en)
                drafts.append(
                    PlannedRecommendation(
                        symbol=symbol,
                        paragraph="",
                        topic=topic_key,
                        text=en,
                        html=_html([en]),
                        translations={"fr": fr, "es": es, "ar": ar},
                        link_key=f"translated:{topic_key}",
                    )
                )
        attempts = 0
        while len(drafts) < spec.count and attempts < spec.count * 20:
            attempts += 1
            topic = self.rng.choices(TOPICS, weights=weights)[0]
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
                    text=text,
                    html=_html([text]),
                    link_key=f"upr:{topic.key}:{index}",
                )
            )
        # Reports list recommendations roughly by subject, ratification first.
        order = {topic.key: n for n, topic in enumerate(TOPICS)}
        drafts.sort(key=lambda rec: order[rec.topic])
        for rec in drafts:
            topic = TOPIC_BY_KEY[rec.topic]
            pool = [iso3 for iso3 in self.states if iso3 in topic.recommenders] or self.states
            rec.states = self.rng.sample(pool, k=min(len(pool), self._state_count()))
            roll = self.rng.random()
            if roll < topic.noted_share:
                rec.position = Position.NOTED
            elif spec.number > 1 and roll < topic.noted_share + 0.04:
                rec.position = Position.SUPPORTED_IN_PART
            else:
                rec.position = Position.SUPPORTED
            rec.is_current = spec.number == UPR_CYCLES[-1].number
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
        age = {1: "old", 2: "mid", 3: "recent", 4: "new"}[spec.number]
        for rec in drafts:
            self._follow_up_fields(rec, age=age, draft_share=0.15 if spec.number == 4 else 0.04)
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
        is_committee = report.mechanism not in {r.mechanism for r in SPECIAL_PROCEDURE_REPORTS}
        years = AS_OF_YEAR - report.publication_date.year
        age = "mid" if years >= 5 else "recent" if years >= 2 else "new"
        paragraph = report.first_paragraph
        planned: list[PlannedRecommendation] = []
        recommended: list[str] = []
        for topic_key in report.topics:
            topic = TOPIC_BY_KEY[topic_key]
            if is_committee and topic.concerns and self.rng.random() < 0.85:
                text = self._concern_text(topic)
                planned.append(
                    PlannedRecommendation(
                        symbol=symbol,
                        paragraph=str(paragraph),
                        topic=topic_key,
                        text=text,
                        html=_html([text]),
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
                    text=text,
                    html=_html([text]),
                    themes=list(FOLLOW_UP_THEMES),
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
                rec.cluster = TOPIC_BY_KEY[rec.topic].cluster
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
                lines = [intro, f"({letter}) {item}{end}"]
                rows.append(
                    PlannedRecommendation(
                        symbol=symbol,
                        paragraph=f"{paragraph}({letter})",
                        topic=topic.key,
                        text="\n".join(lines),
                        html=_html(lines),
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
                text="\n".join(lines),
                html=_html(lines),
            )
        ]

    # -- Tags and national follow-up -----------------------------------------------------------

    def _follow_up_fields(
        self, rec: PlannedRecommendation, *, age: str, draft_share: float
    ) -> None:
        topic = TOPIC_BY_KEY[rec.topic]
        rec.cluster = topic.cluster if self.rng.random() < 0.82 else None
        if self.rng.random() < 0.5:
            rec.priority = self.rng.choices(
                (Priority.HIGH, Priority.MEDIUM, Priority.LOW), weights=(30, 45, 25)
            )[0]
        weights = STATUS_WEIGHTS["noted" if rec.position == Position.NOTED else age]
        rec.status = self.rng.choices([s for s, _ in weights], weights=[w for _, w in weights])[0]
        reasons = STATUS_REASONS.get(rec.status)
        if reasons and self.rng.random() < 0.6:
            rec.status_override_reason = self.rng.choice(reasons)
        if self.rng.random() < 0.15:
            rec.national_notes = self.rng.choice(NATIONAL_NOTES)
        if self.rng.random() < draft_share:
            rec.publication_state = PublicationState.DRAFT

    def _tag(self, rec: PlannedRecommendation) -> None:
        """1-3 themes, 0-2 affected groups and 0-3 SDG targets that fit the topic."""
        topic = TOPIC_BY_KEY[rec.topic]
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


def _para_num(paragraph: str) -> tuple[int, str]:
    number = "".join(ch for ch in paragraph if ch.isdigit())
    return int(number or 0), paragraph


# --------------------------------------------------------------------------------------------
# Writing the plan to the database
# --------------------------------------------------------------------------------------------


@dataclass
class DemoSummary:
    """What the demo set holds now (``counts``), what this run added (``created``), the logins.

    ``counts`` keys: documents, recommendations, then per mechanism family (upr, treaty_body,
    special_procedure) and per publication state (draft, published, archived), texts,
    translations, institutions, clusters, users. ``created`` uses the same names where they
    apply, plus review_cycles, memberships, related_links and any fallback rows.
    """

    state: str
    counts: dict[str, int]
    created: dict[str, int]
    logins: list[DemoLogin]


SUMMARY_FAMILIES = (
    MechanismFamily.UPR,
    MechanismFamily.TREATY_BODY,
    MechanismFamily.SPECIAL_PROCEDURE,
)


class DemoDataError(Exception):
    """The demo set cannot be built here, e.g. ``TRACKER_COUNTRY`` names no known country."""


def load_demo_data(*, seed: int = 2026) -> DemoSummary:
    """Load the demo data set; safe to run again, and a second run with the same seed adds nothing.

    The reference data is loaded first (``load_reference_data``), so that this works on an empty
    database. All demo writes happen in one transaction inside an audit context with the action
    ``demo_data_load``. Rows that already exist (matched on their natural keys) are not changed.

    Raises ``DemoDataError`` when the State under review is not in the Country table.
    """
    call_command("load_reference_data", stdout=StringIO())
    with transaction.atomic(), audit_context(actor=None, action=AUDIT_ACTION):
        return _Loader(seed=seed).run()


class _Loader:
    def __init__(self, *, seed: int) -> None:
        self.seed = seed
        self.created: dict[str, int] = defaultdict(int)
        self._password_hash: str | None = None

    def run(self) -> DemoSummary:
        state = self._state()
        state_name = localized(state.names, "en") or state.iso3
        states = self._recommending_states(state)
        plan = _Planner(
            seed=self.seed, iso3=state.iso3, state_name=state_name, states=states
        ).plan()
        institutions = self._institutions()
        clusters = self._clusters(institutions)
        mechanisms = self._mechanisms()
        cycles = self._cycles(mechanisms, plan)
        documents = self._documents(plan, state, mechanisms, cycles)
        self._recommendations(plan, documents, clusters)
        logins = self._users(institutions)
        return DemoSummary(
            state=f"{state_name} ({state.iso3})",
            counts=self._counts(documents, institutions, clusters),
            created={key: value for key, value in self.created.items() if value},
            logins=logins,
        )

    # -- Reference rows ----------------------------------------------------------------------

    @staticmethod
    def _state() -> Country:
        iso3 = (getattr(settings, "TRACKER_COUNTRY", "") or DEFAULT_STATE).strip().upper()
        try:
            return Country.objects.get(iso3=iso3)
        except Country.DoesNotExist:
            raise DemoDataError(
                f"TRACKER_COUNTRY={iso3!r} is not an ISO 3166 alpha-3 code in the Country table."
            ) from None

    @staticmethod
    def _recommending_states(state: Country) -> list[str]:
        """Real UN Member States from the Country table, in a fixed order for the seed."""
        members = Country.objects.filter(is_un_member=True).exclude(pk=state.pk).order_by("iso3")
        preferred = list(
            members.filter(iso3__in=RECOMMENDING_STATES).values_list("iso3", flat=True)
        )
        if len(preferred) >= 10:
            return preferred
        others = list(members.values_list("iso3", flat=True))
        if not others:
            raise DemoDataError("The Country table holds no UN Member State to recommend.")
        return others

    def _mechanisms(self) -> dict[str, Mechanism]:
        """The mechanisms the demo documents come from, created only if the reference lacks one."""
        families = {"UPR": MechanismFamily.UPR}
        families.update({r.mechanism: MechanismFamily.TREATY_BODY for r in TREATY_BODY_REPORTS})
        families.update(
            {r.mechanism: MechanismFamily.SPECIAL_PROCEDURE for r in SPECIAL_PROCEDURE_REPORTS}
        )
        found = {m.code: m for m in Mechanism.objects.filter(code__in=families)}
        for code, family in families.items():
            if code not in found:
                found[code] = Mechanism.objects.create(
                    code=code, family=family, names={"en": code}, is_reviewed=False
                )
                self.created["mechanisms"] += 1
        return found

    def _cycles(
        self, mechanisms: dict[str, Mechanism], plan: Plan
    ) -> dict[tuple[str, int], ReviewCycle]:
        """UPR cycles get the State's review dates (only where empty); one cycle per TB report."""
        cycles: dict[tuple[str, int], ReviewCycle] = {}
        upr = mechanisms["UPR"]
        for spec in UPR_CYCLES:
            wanted = {
                "session": spec.session,
                "review_date": spec.review_date,
                "mid_term_due": spec.mid_term_due,
                "next_review": spec.next_review,
            }
            cycle, created = ReviewCycle.objects.get_or_create(
                mechanism=upr,
                number=spec.number,
                defaults={"label": f"UPR cycle {spec.number}", **wanted},
            )
            missing = [name for name in wanted if getattr(cycle, name) is None]
            if missing:
                for name in missing:
                    setattr(cycle, name, wanted[name])
                cycle.save(update_fields=missing)
            self.created["review_cycles"] += int(created)
            cycles[("UPR", spec.number)] = cycle
        for doc in plan.documents:
            if doc.mechanism == "UPR" or doc.cycle_number is None:
                continue
            cycle, created = ReviewCycle.objects.get_or_create(
                mechanism=mechanisms[doc.mechanism],
                number=doc.cycle_number,
                defaults={"label": doc.cycle_label, "review_date": doc.cycle_review_date},
            )
            self.created["review_cycles"] += int(created)
            cycles[(doc.mechanism, doc.cycle_number)] = cycle
        return cycles

    def _documents(
        self,
        plan: Plan,
        state: Country,
        mechanisms: dict[str, Mechanism],
        cycles: dict[tuple[str, int], ReviewCycle],
    ) -> dict[str, Document]:
        existing = {
            d.symbol: d
            for d in Document.objects.filter(symbol__in=[p.symbol for p in plan.documents])
        }
        new = [
            Document(
                symbol=doc.symbol,
                mechanism=mechanisms[doc.mechanism],
                cycle=cycles.get((doc.mechanism, doc.cycle_number)) if doc.cycle_number else None,
                country=state,
                title=doc.title,
                publication_date=doc.publication_date,
                languages=UN_LANGUAGES,
            )
            for doc in plan.documents
            if doc.symbol not in existing
        ]
        Document.objects.bulk_create(new)
        self.created["documents"] += len(new)
        existing.update({d.symbol: d for d in new})
        return existing

    # -- Institutions and clusters -----------------------------------------------------------

    def _institutions(self) -> dict[str, Institution]:
        found = {
            i.name: i for i in Institution.objects.filter(name__in=[s[0] for s in INSTITUTIONS])
        }
        for name, acronym, kind, parent in INSTITUTIONS:  # parents are listed before children
            if name not in found:
                found[name] = Institution.objects.create(
                    name=name,
                    acronym=acronym,
                    kind=kind,
                    parent=found[parent] if parent else None,
                )
                self.created["institutions"] += 1
        return found

    def _clusters(self, institutions: dict[str, Institution]) -> dict[str, Cluster]:
        found = {c.name: c for c in Cluster.objects.filter(name__in=[s[0] for s in CLUSTERS])}
        for name, lead, description in CLUSTERS:
            if name not in found:
                found[name] = Cluster.objects.create(
                    name=name, description=description, lead_institution=institutions[lead]
                )
                self.created["clusters"] += 1
        return found

    # -- Recommendations ---------------------------------------------------------------------

    def _terms(self, model: type[TaxonomyTerm], names: Iterable[str]) -> dict[str, int]:
        """Ids of the labels by name; a label the reference lacks becomes a national addition."""
        wanted = sorted(set(names))
        found = dict(model._default_manager.filter(name__in=wanted).values_list("name", "pk"))
        missing = [name for name in wanted if name not in found]
        if missing:
            rows = model._default_manager.bulk_create(
                model(name=name, source=TaxonomySource.NATIONAL, is_reviewed=False)
                for name in missing
            )
            found.update({row.name: row.pk for row in rows})
            self.created[f"national_{model._meta.model_name}s"] += len(rows)
        return found

    def _recommendations(
        self, plan: Plan, documents: dict[str, Document], clusters: dict[str, Cluster]
    ) -> None:
        ids: dict[tuple[int, str], int] = {
            (doc_id, paragraph): pk
            for pk, doc_id, paragraph in Recommendation.objects.filter(
                document__in=documents.values()
            ).values_list("pk", "document_id", "paragraph")
        }
        planned = [(documents[rec.symbol], rec) for rec in plan.recommendations]
        todo = [(doc, rec) for doc, rec in planned if (doc.pk, rec.paragraph) not in ids]
        if todo:
            self._insert(todo, clusters, ids)
        self._link_related(planned, ids, created={(d.pk, r.paragraph) for d, r in todo})

    def _insert(
        self,
        todo: list[tuple[Document, PlannedRecommendation]],
        clusters: dict[str, Cluster],
        ids: dict[tuple[int, str], int],
    ) -> None:
        rows = Recommendation.objects.bulk_create(
            Recommendation(
                document=doc,
                paragraph=rec.paragraph,
                # bulk_create skips save(), which computes the sort key.
                paragraph_sort=Recommendation.paragraph_sort_key(rec.paragraph),
                annotation_type=rec.annotation_type,
                position=rec.position,
                position_source=rec.position_source,
                cluster=clusters[rec.cluster] if rec.cluster else None,
                priority=rec.priority,
                status=rec.status,
                status_override_reason=rec.status_override_reason,
                national_notes=rec.national_notes,
                is_current=rec.is_current,
                publication_state=rec.publication_state,
            )
            for doc, rec in todo
        )
        self.created["recommendations"] += len(rows)
        texts = []
        for row, (_doc, rec) in zip(rows, todo, strict=True):
            ids[(row.document_id, row.paragraph)] = row.pk
            texts.append(
                RecommendationText(recommendation=row, language="en", text=rec.text, html=rec.html)
            )
            texts.extend(
                RecommendationText(
                    recommendation=row,
                    language=language,
                    text=text,
                    html=_html([text]),
                    source=TextSource.UNOFFICIAL,
                )
                for language, text in rec.translations.items()
            )
        RecommendationText.objects.bulk_create(texts)
        self.created["texts"] += len(texts)

        recs = [rec for _doc, rec in todo]
        themes = self._terms(Theme, (name for rec in recs for name in rec.themes))
        groups = self._terms(AffectedGroup, (name for rec in recs for name in rec.groups))
        targets = dict(
            SdgTarget.objects.filter(code__in={c for rec in recs for c in rec.sdgs}).values_list(
                "code", "id"
            )
        )
        countries = dict(
            Country.objects.filter(iso3__in={c for rec in recs for c in rec.states}).values_list(
                "iso3", "id"
            )
        )
        theme_links = Recommendation.themes.through
        theme_links.objects.bulk_create(
            theme_links(recommendation_id=row.pk, theme_id=themes[name])
            for row, rec in zip(rows, recs, strict=True)
            for name in rec.themes
        )
        group_links = Recommendation.affected_groups.through
        group_links.objects.bulk_create(
            group_links(recommendation_id=row.pk, affectedgroup_id=groups[name])
            for row, rec in zip(rows, recs, strict=True)
            for name in rec.groups
        )
        target_links = Recommendation.sdg_targets.through
        target_links.objects.bulk_create(
            target_links(recommendation_id=row.pk, sdgtarget_id=targets[code])
            for row, rec in zip(rows, recs, strict=True)
            for code in rec.sdgs
            if code in targets
        )
        state_links = Recommendation.recommending_states.through
        state_links.objects.bulk_create(
            state_links(recommendation_id=row.pk, country_id=countries[iso3])
            for row, rec in zip(rows, recs, strict=True)
            for iso3 in rec.states
        )

    def _link_related(
        self,
        planned: list[tuple[Document, PlannedRecommendation]],
        ids: dict[tuple[int, str], int],
        created: set[tuple[int, str]],
    ) -> None:
        """Link repeats of a recommendation across cycles and mechanisms, oldest to newest.

        Only links that touch a recommendation created in this run are written, so that a link
        someone removed by hand is not put back by a reload.
        """
        groups: dict[str, list[tuple[Document, PlannedRecommendation]]] = defaultdict(list)
        for doc, rec in planned:
            if rec.link_key:
                groups[rec.link_key.removeprefix("translated:")].append((doc, rec))
        pairs: set[tuple[int, int]] = set()
        for members in groups.values():
            members.sort(key=lambda m: (m[0].publication_date or date.min, m[0].symbol))
            for (doc_a, rec_a), (doc_b, rec_b) in pairwise(members):
                key_a, key_b = (doc_a.pk, rec_a.paragraph), (doc_b.pk, rec_b.paragraph)
                if doc_a.pk == doc_b.pk or not ({key_a, key_b} & created):
                    continue
                pairs.add((ids[key_a], ids[key_b]))
        through = Recommendation.related.through
        # The relation is symmetrical: Django stores both directions.
        through.objects.bulk_create(
            (
                through(from_recommendation_id=a, to_recommendation_id=b)
                for pair in sorted(pairs)
                for a, b in (pair, pair[::-1])
            ),
            ignore_conflicts=True,
        )
        self.created["related_links"] += len(pairs)

    # -- People ------------------------------------------------------------------------------

    def _users(self, institutions: dict[str, Institution]) -> list[DemoLogin]:
        """One user per role and a superuser; existing accounts keep their password and rights."""
        logins = []
        for username, name, role, institution in DEMO_USERS:
            user = self._user(username, name)
            _membership, created = Membership.objects.get_or_create(
                user=user, institution=institutions[institution], role=role
            )
            self.created["memberships"] += int(created)
            logins.append(DemoLogin(username, DEMO_PASSWORD, str(Role(role).label), institution))
        self._user(ADMIN_USERNAME, "Demo administrator", superuser=True)
        logins.append(DemoLogin(ADMIN_USERNAME, DEMO_PASSWORD, "superuser (Django admin)", "—"))
        return logins

    def _user(self, username: str, name: str, *, superuser: bool = False) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                name=name,
                email=f"{username}@example.org",
                is_staff=superuser,
                is_superuser=superuser,
            )
            self._set_demo_password(user)
            user.save()
            self.created["users"] += 1
        elif not user.has_usable_password():
            self._set_demo_password(user)
            user.save(update_fields=["password"])
        return user

    def _set_demo_password(self, user: User) -> None:
        """Hash the demo password once and give every demo account the same hash.

        One PBKDF2 hash costs about a second with the production hasher, which would make the
        load seven times slower; sharing the salt reveals nothing as the password is published.
        """
        if self._password_hash is None:
            user.set_password(DEMO_PASSWORD)
            self._password_hash = user.password
        else:
            user.password = self._password_hash

    # -- Summary -----------------------------------------------------------------------------

    @staticmethod
    def _counts(
        documents: dict[str, Document],
        institutions: dict[str, Institution],
        clusters: dict[str, Cluster],
    ) -> dict[str, int]:
        recs = Recommendation.objects.filter(document__in=documents.values()).order_by()
        texts = RecommendationText.objects.filter(recommendation__in=recs)
        return {
            "documents": len(documents),
            "recommendations": recs.count(),
            **{
                family: recs.filter(document__mechanism__family=family).count()
                for family in SUMMARY_FAMILIES
            },
            **{state: recs.filter(publication_state=state).count() for state in PublicationState},
            "texts": texts.count(),
            "translations": texts.exclude(language="en").count(),
            "institutions": len(institutions),
            "clusters": len(clusters),
            "users": User.objects.filter(
                username__in=[u[0] for u in DEMO_USERS] + [ADMIN_USERNAME]
            ).count(),
        }

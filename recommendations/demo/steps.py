"""The recommendations' demo steps: the reference data, the clusters, the recommendations.

The recommendations come in as the importer takes any UHRI export: the plan is written as a feed
(``feed.py``) and imported by ``import_run_create`` / ``import_run_execute``, so the import run is
their provenance and the importer is the only code that inserts recommendations with their texts
and tags. What a feed does not carry goes through the services the secretariat's pages use:
document titles, languages and cycles, the cycles' dates, the national fields, the unofficial
translations and the links between related recommendations; these are written for the
recommendations the import created, so a reload leaves people's edits alone.
"""

from __future__ import annotations

import json
import tempfile
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db.models import Count as CountOf
from django.db.models import Q

from recommendations.models import (
    AffectedGroup,
    Cluster,
    Document,
    ImportIssue,
    ImportRun,
    ImportStatus,
    Mechanism,
    MechanismFamily,
    PublicationState,
    Recommendation,
    RecommendationText,
    ReviewCycle,
    Theme,
)
from recommendations.reference import load_reference_data
from recommendations.services import (
    TextInput,
    document_update,
    import_run_create,
    import_run_execute,
    recommendation_link_related_bulk,
    recommendation_set_national_fields_bulk,
    recommendation_text_set_bulk,
    review_cycle_get_or_create,
)
from tracker.demo import DemoContext, DemoDataError, register
from tracker.models import Country, Institution, localized

from .content import Content, load_content
from .feed import annotation_id, uhri_records
from .planner import Plan, PlannedRecommendation, plan_demo

SUMMARY_FAMILIES = {
    MechanismFamily.UPR: "from the UPR",
    MechanismFamily.TREATY_BODY: "from treaty bodies",
    MechanismFamily.SPECIAL_PROCEDURE: "from special procedures",
}


@register("recommendations.reference", order=10)
def load_reference(context: DemoContext) -> None:
    """The reference data first (idempotent), so that a demo loads on an empty database; then
    the State under review, which must be one of its countries."""
    load_reference_data()
    _ = context.state


@register("recommendations.clusters", order=200, marks=(Cluster,), summary_order=350)
def load_clusters(context: DemoContext) -> None:
    """The national clusters, each led by an institution of the people step."""
    specs = load_content().clusters
    leads = {i.name: i for i in Institution.objects.filter(name__in=[spec.lead for spec in specs])}
    found = {c.name: c for c in Cluster.objects.filter(name__in=[spec.name for spec in specs])}
    new = []
    with context.audit():
        for spec in specs:
            if spec.name in found:
                continue
            if spec.lead not in leads:
                raise DemoDataError(f"The lead of the cluster {spec.name!r} is not loaded.")
            found[spec.name] = Cluster.objects.create(
                name=spec.name, description=spec.description, lead_institution=leads[spec.lead]
            )
            new.append(found[spec.name])
    context.mark(new)
    context.created["clusters"] += len(new)
    context.count("clusters", len(found))


@register(
    "recommendations.recommendations",
    order=300,
    # Created in this order: ``--reset`` deletes in the opposite one.
    marks=(ImportRun, Mechanism, ReviewCycle, Document, Theme, AffectedGroup, Recommendation),
)
def load_recommendations(context: DemoContext) -> None:
    _Recommendations(context, load_content()).load()


class _Recommendations:
    def __init__(self, context: DemoContext, content: Content) -> None:
        self.context = context
        self.content = content
        self.state = context.state
        self.state_name = localized(self.state.names, "en") or self.state.iso3

    def load(self) -> None:
        plan = plan_demo(
            self.content,
            seed=self.context.seed,
            iso3=self.state.iso3,
            state_name=self.state_name,
            states=self._recommending_states(),
        )
        self.context.shared["recommendations.plan"] = plan
        ids = {rec.key: annotation_id(self.state.iso3, *rec.key) for rec in plan.recommendations}
        stored = Recommendation.objects.filter(annotation_id__in=ids.values())
        cycles = self._cycles(plan)
        if stored.count() < len(ids):
            created, new_documents = self._import(plan, ids)
            pks = dict(stored.values_list("annotation_id", "pk"))
            self._complete_documents(plan, new_documents, cycles)
            self._follow_up(plan, created, {key: pks[i] for key, i in ids.items() if i in pks})
        self._count(plan)

    def _recommending_states(self) -> list[str]:
        """Real UN Member States from the Country table, in a fixed order for the seed."""
        members = (
            Country.objects.filter(is_un_member=True).exclude(pk=self.state.pk).order_by("iso3")
        )
        preferred = list(
            members.filter(iso3__in=self.content.recommending_states).values_list("iso3", flat=True)
        )
        if len(preferred) >= 10:
            return preferred
        others = list(members.values_list("iso3", flat=True))
        if not others:
            raise DemoDataError("The Country table holds no UN Member State to recommend.")
        return others

    def _cycles(self, plan: Plan) -> dict[str, ReviewCycle]:
        """The review cycles of the plan's documents, by symbol: the UPR cycles (reference data)
        get the State's review dates where they have none; a treaty body's cycle is created."""
        mechanisms = {
            m.code: m
            for m in Mechanism.objects.filter(code__in={d.mechanism for d in plan.documents})
        }
        upr = {spec.number: spec for spec in self.content.upr_cycles}
        cycles = {}
        for doc in plan.documents:
            if doc.cycle_number is None or doc.mechanism not in mechanisms:
                continue  # a mechanism the reference lacks: the import creates it, uncycled
            spec = upr.get(doc.cycle_number) if doc.mechanism == "UPR" else None
            dates: dict[str, Any] = (
                {
                    "label": f"UPR cycle {spec.number}",
                    "session": spec.session,
                    "review_date": spec.review_date,
                    "mid_term_due": spec.mid_term_due,
                    "next_review": spec.next_review,
                }
                if spec
                else {"label": doc.cycle_label, "review_date": doc.cycle_review_date}
            )
            cycle, created = review_cycle_get_or_create(
                actor=None,
                mechanism=mechanisms[doc.mechanism],
                number=doc.cycle_number,
                **dates,
            )
            if created:
                self.context.mark([cycle])
                self.context.created["review_cycles"] += 1
            cycles[doc.symbol] = cycle
        return cycles

    # -- The import --------------------------------------------------------------------------

    def _import(
        self, plan: Plan, ids: dict[tuple[str, str], uuid.UUID]
    ) -> tuple[dict[tuple[str, str], int], list[Document]]:
        """Import the whole plan as one feed of the State: the recommendations it lacks are
        created; those it has are unchanged (or, planned with another seed, updated where their
        text or tags differ, as any import does). Returns the created recommendations' ids by
        (symbol, paragraph), and the created documents."""
        self._refuse_to_withdraw_real_recommendations()
        states = {code for rec in plan.recommendations for code in rec.states}
        names = {
            c.iso3: localized(c.names, "en") or c.iso3
            for c in Country.objects.filter(iso3__in=states)
        }
        records = uhri_records(
            plan, iso3=self.state.iso3, state_name=self.state_name, country_names=names
        )
        labels = self._missing_labels(plan)
        symbols = set(
            Document.objects.filter(symbol__in=[d.symbol for d in plan.documents]).values_list(
                "symbol", flat=True
            )
        )
        with tempfile.TemporaryDirectory(prefix="demo-") as directory:
            path = Path(directory) / f"demo-{self.state.iso3}-seed-{self.context.seed}.json"
            path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
            run = import_run_create(
                actor=None, source=str(path), format="json", country=self.state, enqueue=False
            )
            run = import_run_execute(import_run_id=run.pk)
        if run.status != ImportStatus.SUCCEEDED or run.rejected:
            issue = run.issues.filter(severity=ImportIssue.Severity.ERROR).first()
            raise DemoDataError(
                f"The demo feed did not import cleanly: {run.error or issue or run.summary()}"
            )
        new_documents = list(
            Document.objects.filter(symbol__in=[d.symbol for d in plan.documents]).exclude(
                symbol__in=symbols
            )
        )
        by_id = dict(
            Recommendation.objects.filter(created_by_run=run).values_list("annotation_id", "pk")
        )
        context = self.context
        context.mark([run, *new_documents])
        themes, groups, mechanisms = labels
        context.mark(Theme.objects.filter(name__in=themes))
        context.mark(AffectedGroup.objects.filter(name__in=groups))
        context.mark(Mechanism.objects.filter(code__in=mechanisms))
        context.mark_ids(Recommendation, by_id.values())
        context.created["documents"] += len(new_documents)
        context.created["recommendations"] += len(by_id)
        context.created["texts"] += len(by_id)
        return {key: by_id[i] for key, i in ids.items() if i in by_id}, new_documents

    def _refuse_to_withdraw_real_recommendations(self) -> None:
        """The demo feed is a complete feed of the State: importing it marks the State's other
        imported recommendations withdrawn. So it is imported only where there are none."""
        real = (
            Recommendation.objects.filter(
                document__country=self.state,
                annotation_id__isnull=False,
                withdrawn_at__isnull=True,
            )
            .exclude(pk__in=self.context.marked(Recommendation).values("pk"))
            .count()
        )
        if real:
            raise DemoDataError(
                f"{self.state.iso3} has {real} recommendations imported from UHRI that are not "
                "demo data; the demo feed would mark them withdrawn. Load the demo data on a "
                "database without them, or set TRACKER_COUNTRY to another State."
            )

    @staticmethod
    def _missing_labels(plan: Plan) -> tuple[set[str], set[str], set[str]]:
        """Themes, groups and mechanisms of the plan that the database lacks: the import creates
        them (unreviewed), and the demo marks them as its own."""

        def missing(names: set[str], known: Iterable[str]) -> set[str]:
            known = {name.casefold() for name in known}
            return {name for name in names if name.casefold() not in known}

        recs = plan.recommendations
        return (
            missing(
                {name for rec in recs for name in rec.themes},
                Theme.objects.values_list("name", flat=True),
            ),
            missing(
                {name for rec in recs for name in rec.groups},
                AffectedGroup.objects.values_list("name", flat=True),
            ),
            missing(
                {doc.mechanism for doc in plan.documents},
                Mechanism.objects.values_list("code", flat=True),
            ),
        )

    # -- What a feed does not carry ----------------------------------------------------------

    def _complete_documents(
        self, plan: Plan, documents: list[Document], cycles: dict[str, ReviewCycle]
    ) -> None:
        """Titles, languages and (treaty bodies) cycles of the documents the import created."""
        planned = {doc.symbol: doc for doc in plan.documents}
        for document in documents:
            document_update(
                actor=None,
                document=document,
                title=planned[document.symbol].title,
                languages=self.content.languages,
                cycle=cycles.get(document.symbol, document.cycle),
            )

    def _follow_up(
        self,
        plan: Plan,
        created: dict[tuple[str, str], int],
        ids: dict[tuple[str, str], int],
    ) -> None:
        """The national fields, translations and related links of the recommendations created
        now (``created``; ``ids``: every planned one that is stored)."""
        clusters = {c.name: c for c in Cluster.objects.all()}
        changes = {}
        texts: list[TextInput] = []
        for rec in plan.recommendations:
            pk = created.get(rec.key)
            if pk is None:
                continue
            changes[pk] = _national_fields(rec, clusters)
            texts.extend(
                TextInput(pk, language, text) for language, text in rec.translations.items()
            )
        recommendation_set_national_fields_bulk(actor=None, changes=changes)
        self.context.created["texts"] += recommendation_text_set_bulk(actor=None, texts=texts)
        # Only links that touch a recommendation created now: a link someone removed is not put
        # back by a reload.
        pairs = [
            (ids[a], ids[b])
            for a, b in plan.related_pairs()
            if a in ids and b in ids and (a in created or b in created)
        ]
        self.context.created["related_links"] += recommendation_link_related_bulk(
            actor=None, pairs=pairs
        )

    # -- The summary -------------------------------------------------------------------------

    def _count(self, plan: Plan) -> None:
        context = self.context
        documents = Document.objects.filter(symbol__in=[d.symbol for d in plan.documents])
        recs = Recommendation.objects.filter(document__in=documents).order_by()
        by_family = dict(recs.values_list("document__mechanism__family").annotate(n=CountOf("id")))
        by_state = dict(recs.values_list("publication_state").annotate(n=CountOf("id")))
        texts = RecommendationText.objects.filter(recommendation__in=recs).aggregate(
            total=CountOf("id"), translations=CountOf("id", filter=~Q(language="en"))
        )
        context.count("documents", documents.count())
        context.count("recommendations", sum(by_family.values()))
        for family, label in SUMMARY_FAMILIES.items():
            context.count(family, by_family.get(family, 0), label=label, part=True)
        for state in PublicationState:
            context.count(state, by_state.get(state, 0), label=str(state), part=True)
        context.count("texts", texts["total"])
        context.count(
            "translations", texts["translations"], label="of which translations", part=True
        )


def _national_fields(rec: PlannedRecommendation, clusters: dict[str, Cluster]) -> dict[str, Any]:
    return {
        "cluster": clusters[rec.cluster] if rec.cluster else None,
        "priority": rec.priority,
        "status": rec.status,
        "status_override_reason": rec.status_override_reason,
        "national_notes": rec.national_notes,
        "publication_state": rec.publication_state,
        "is_current": rec.is_current,
        "position_source": rec.position_source,
    }

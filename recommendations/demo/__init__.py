"""The recommendations' part of the demo data (see ``tracker.demo`` for how demo steps work).

The data describes one State under review (``settings.TRACKER_COUNTRY``, else Kenya) as a national
tracker would hold it a few years into its work: four UPR cycles, concluding observations of six
treaty bodies, two special-procedure country visits, national clusters, unofficial translations
and links between repeated recommendations. The recommendations are synthetic: they are
assembled from phrases in the wording the UN mechanisms use, so that search, facets and reports
look like the real thing, but no text, symbol or paragraph number is taken from a real document.

* ``content/*.yaml``: what the data says (topics and their phrases, documents, clusters, States,
  statuses, translations), read and checked by ``content.py``;
* ``planner.py``: the plan, pure: the same seed and content give the same recommendations;
* ``feed.py``: the plan as a UHRI export, pure;
* ``steps.py``: the demo steps that load it: the reference data (order 10), the clusters (200),
  the recommendations (300), imported through the import services, completed through the
  recommendations' services.
"""

from __future__ import annotations

from . import steps
from .content import Content, load_content
from .planner import Plan, PlannedDocument, PlannedRecommendation, plan_demo

__all__ = [
    "Content",
    "Plan",
    "PlannedDocument",
    "PlannedRecommendation",
    "load_content",
    "plan_demo",
    "steps",
]

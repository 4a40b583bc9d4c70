"""The plans' part of the demo data (see ``tracker.demo`` for how demo steps work).

* ``content.py``: what the plan says (its measures by cluster, their indicators, the
  consultations), pure data;
* ``steps.py``: the step that loads it (order 400) through the plans services: an adopted plan
  with milestones (some overdue), budget lines, indicators with values and consultations, and the
  draft of its next version with a revision and a focal point's proposal;
* ``plans.progress_demo``: progress reports in every state, assessments, comments and support
  projects on the adopted plan (order 900).
"""

from __future__ import annotations

from plans import progress_demo

from . import steps

__all__ = ["progress_demo", "steps"]

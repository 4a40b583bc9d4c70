"""Demo data: a realistic national data set for laptops, demonstrations and training.

``manage.py load_demo_data`` loads it and ``load_demo_data --reset`` removes it. It is built by
*steps* that the apps contribute, each app its own part, without the core or an app below it
knowing about the apps above (the layers of DESIGN.md: the core imports no app):

* A step is a function registered with ``@register(name, order=..., marks=...)`` in the app's
  ``demo`` module (a module or a package), found as the admin finds ``admin`` modules
  (``autodiscover_modules("demo")``). Steps load in ``order``, all in one transaction: the
  reference data (recommendations, 10), the institutions and accounts (the core's people step,
  100), the clusters (recommendations, 200), the recommendations (300). A later app takes the
  next numbers: plans and measures 400, reports 500, comments and assessments 600.
* Steps share a ``DemoContext``: the seed (``context.random(name)`` gives a step a generator of
  its own), the State under review (``context.state``), what the load created, the summary lines
  (``context.count``) and the logins the command prints. A step reads what earlier steps made
  from the database: ``context.marked(Model)``; an app above may also import the planner of an
  app below (``recommendations.demo``) for what it planned.
* Every row a step creates is marked (``context.mark(rows)``: a ``DemoRecord`` row, model and
  id). ``--reset`` deletes the marked rows and only them, the steps in the opposite order, each
  step's ``marks`` (its models, in the order it creates them) in the opposite order too; a demo
  row that real data still protects is kept (``marking``).
* A second load with the same seed adds nothing and writes no history: steps match what exists
  on natural keys and write only what is missing; rows that exist stay as people edited them.
* Loading is refused where ``DEBUG`` is off, unless ``TRACKER_DEMO_DATA_ALLOWED`` is set: the demo
  accounts share a published password and one is a superuser.

A plans step, for example, in ``plans/demo.py``::

    @register("plans", order=400, marks=(ImplementationPlan, Measure))
    def load_plans(context: DemoContext) -> None:
        if not context.marked(ImplementationPlan).exists():  # a second load adds nothing
            rng = context.random("plans")
            recommendations = context.marked(Recommendation).filter(is_current=True)
            plan, measures = ...  # through plans' services, from recommendations and rng
            context.mark([plan, *measures])
            context.created["measures"] += len(measures)
        context.count("measures", context.marked(Measure).count())
"""

from __future__ import annotations

from .marking import delete_marked, mark, marked
from .people import DEMO_PASSWORD, LOGIN_URL, people
from .runner import (
    DemoDataRefusedError,
    DemoSummary,
    ResetSummary,
    demo_data_allowed,
    load_demo_data,
    reset_demo_data,
)
from .steps import (
    DEFAULT_SEED,
    Count,
    DemoContext,
    DemoDataError,
    DemoLogin,
    DemoStep,
    demo_steps,
    register,
)

__all__ = [
    "DEFAULT_SEED",
    "DEMO_PASSWORD",
    "LOGIN_URL",
    "Count",
    "DemoContext",
    "DemoDataError",
    "DemoDataRefusedError",
    "DemoLogin",
    "DemoStep",
    "DemoSummary",
    "ResetSummary",
    "delete_marked",
    "demo_data_allowed",
    "demo_steps",
    "load_demo_data",
    "mark",
    "marked",
    "people",
    "register",
    "reset_demo_data",
]

"""Demo data: a realistic national data set for laptops, demonstrations and training.

``manage.py load_demo_data`` loads it and ``load_demo_data --reset`` removes it. It is built by
*steps* that the apps contribute, so that each app adds its own part without the core, or the
apps below it, knowing about it (the layers of DESIGN.md: the core imports no app):

* A step is a function registered with ``@register(name, order=..., marks=...)`` in the app's
  ``demo`` module (a module or a package), found like the admin's ``admin`` modules
  (``autodiscover_modules("demo")``). Steps run in ``order``: the core's people (100), then
  recommendations' reference data (10, before everything), clusters (200) and recommendations
  (300). A later app registers higher numbers: plans and measures at 400, reports at 500.
* Steps share a ``DemoContext``: the seed (``context.random(name)`` gives a step a generator of
  its own), the counts for the summary, what was created, the logins to print, the State under
  review. A step reads what earlier steps made from the database: ``context.marked(Model)``.
* Every row a step creates is marked (``context.mark(rows)``: a ``DemoRecord``, model and id).
  ``--reset`` deletes the marked rows, and only them, steps and models in the opposite order of
  creation (``marks``); a demo row that real data still needs is kept (``marking``).
* A second load with the same seed adds nothing and writes no history: steps match what exists
  on natural keys and write only what is missing; rows that exist are left as people edited them.
* Loading is refused where ``DEBUG`` is off, unless ``TRACKER_DEMO_DATA_ALLOWED`` is set: the demo
  accounts share a published password and one is a superuser.

A plans step, for example, in ``plans/demo.py``::

    @register("plans", order=400, marks=(ImplementationPlan, Measure))
    def load_plans(context: DemoContext) -> None:
        rng = context.random("plans")
        recommendations = context.marked(Recommendation).filter(is_current=True)
        plan, measures = ...  # through plans' services, from recommendations and rng
        context.mark([plan, *measures])
        context.count("measures", len(measures))
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

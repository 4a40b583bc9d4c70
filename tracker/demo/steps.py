"""The registry of demo steps, and the context they share while the demo data loads."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.db import models
from django.utils.module_loading import autodiscover_modules

from tracker.audit import audit_context
from tracker.models import Country, localized

from . import marking

if TYPE_CHECKING:
    from django.db.models import QuerySet

M = TypeVar("M", bound=models.Model)

DEFAULT_SEED = 2026
# The State under review when ``TRACKER_COUNTRY`` is empty.
DEFAULT_STATE = "KEN"
LOAD_ACTION = "demo_data_load"
RESET_ACTION = "demo_data_reset"


class DemoDataError(Exception):
    """The demo data cannot be loaded or removed here; the message says why."""


@dataclass(frozen=True)
class DemoLogin:
    """One demo account as the command prints it."""

    username: str
    password: str
    role: str
    institution: str


@dataclass(frozen=True)
class Count:
    """One line of the summary: what the demo set holds now. ``part`` lines break down the line
    above them."""

    key: str
    label: str
    total: int
    part: bool = False


@dataclass(frozen=True)
class DemoStep:
    """One part of the demo data: ``load`` adds it (and must add nothing the second time).

    ``marks`` lists the models whose rows the step creates and marks, in the order it creates
    them: ``--reset`` deletes their marked rows in the opposite order, the steps themselves in
    the opposite order of ``order``. ``summary_order`` places the step's lines in the summary
    (default: ``order``).
    """

    name: str
    order: int
    load: Callable[[DemoContext], None]
    marks: tuple[type[models.Model], ...] = ()
    summary_order: int | None = None


_registry: dict[str, DemoStep] = {}


def register(
    name: str,
    *,
    order: int,
    marks: Iterable[type[models.Model]] = (),
    summary_order: int | None = None,
) -> Callable[[Callable[[DemoContext], None]], Callable[[DemoContext], None]]:
    """Decorator: register ``load(context)`` as the demo step ``name``. Registering a name again
    replaces the step (a module imported twice registers once)."""

    def decorate(load: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
        _registry[name] = DemoStep(name, order, load, tuple(marks), summary_order)
        return load

    return decorate


def demo_steps() -> list[DemoStep]:
    """Every step of the installed apps, in load order: each app's ``demo`` module registers its
    own, as each app's ``admin`` module does for the admin site."""
    autodiscover_modules("demo")
    return sorted(_registry.values(), key=lambda step: (step.order, step.name))


@dataclass
class DemoContext:
    """What the steps of one load share: the seed, what they created, the summary and logins.

    Steps read what earlier steps made from the database (``marked``), and keep what only
    they know in ``shared`` under a key of their app's name.
    """

    seed: int = DEFAULT_SEED
    created: Counter[str] = field(default_factory=Counter)
    logins: list[DemoLogin] = field(default_factory=list)
    shared: dict[str, Any] = field(default_factory=dict)
    step: str = ""
    _counts: dict[str, list[Count]] = field(default_factory=dict)
    _state: Country | None = None

    def random(self, name: str) -> random.Random:
        """A generator of its own for each name, from the seed: a step that draws more or fewer
        numbers does not change what another one draws."""
        return random.Random(f"{self.seed}:{name}")  # noqa: S311 (variety, not security)

    @property
    def state(self) -> Country:
        """The State under review: ``TRACKER_COUNTRY``, else Kenya. Needs the countries of the
        reference data; raises ``DemoDataError`` when the code is not in the Country table."""
        if self._state is None:
            iso3 = (getattr(settings, "TRACKER_COUNTRY", "") or DEFAULT_STATE).strip().upper()
            try:
                self._state = Country.objects.get(iso3=iso3)
            except Country.DoesNotExist:
                raise DemoDataError(
                    f"TRACKER_COUNTRY={iso3!r} is not an ISO 3166 alpha-3 code in the Country "
                    "table."
                ) from None
        return self._state

    @property
    def state_label(self) -> str:
        """The State as the summary names it, "Kenya (KEN)", once a step has asked for it."""
        if self._state is None:
            return ""
        return f"{localized(self._state.names, 'en') or self._state.iso3} ({self._state.iso3})"

    def mark(self, objects: Iterable[models.Model]) -> None:
        """Record rows this step created as demo data (see ``tracker.demo.marking``)."""
        marking.mark(objects, step=self.step)

    def mark_ids(self, model: type[models.Model], ids: Iterable[int]) -> None:
        marking.mark_ids(model, ids, step=self.step)

    def marked(self, model: type[M]) -> QuerySet[M]:
        """The demo rows of ``model``, whichever step created them."""
        return marking.marked(model)

    def count(self, key: str, total: int, *, label: str = "", part: bool = False) -> None:
        """Add a line to the summary; ``created[key]`` gives its "(N new)"."""
        line = Count(key, label or key.replace("_", " "), total, part)
        self._counts.setdefault(self.step, []).append(line)

    @contextmanager
    def audit(self) -> Iterator[None]:
        """The audit context of the demo's own writes. Services called by a step open their own
        contexts: a step does not wrap them in this one, whose action would then be replaced."""
        with audit_context(actor=None, action=LOAD_ACTION):
            yield

    def counts(self, steps: Iterable[DemoStep]) -> list[Count]:
        ordered = sorted(
            steps,
            key=lambda s: (s.order if s.summary_order is None else s.summary_order, s.name),
        )
        return [line for step in ordered for line in self._counts.get(step.name, [])]

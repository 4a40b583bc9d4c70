"""Load and remove the demo data: every registered step, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models.deletion import ProtectedError, RestrictedError

from tracker.audit import audit_context

from .marking import delete_marked
from .steps import DEFAULT_SEED, RESET_ACTION, Count, DemoContext, DemoDataError, DemoLogin
from .steps import demo_steps as _steps


class DemoDataRefusedError(DemoDataError):
    """Demo data is not allowed on this installation (``TRACKER_DEMO_DATA_ALLOWED``)."""


@dataclass
class DemoSummary:
    """What the demo set holds now (``lines``, and ``counts`` by key), what this load added
    (``created``: the same keys, plus rows that have no summary line such as memberships), the
    logins to print, and the State the data is about."""

    state: str
    lines: list[Count]
    created: dict[str, int]
    logins: list[DemoLogin]

    @property
    def counts(self) -> dict[str, int]:
        return {line.key: line.total for line in self.lines}


@dataclass
class ResetSummary:
    """Rows deleted and kept (still needed by rows outside the demo), by model label."""

    deleted: dict[str, int]
    kept: dict[str, int]


def demo_data_allowed() -> bool:
    """``TRACKER_DEMO_DATA_ALLOWED``, which defaults to ``DEBUG``."""
    allowed = getattr(settings, "TRACKER_DEMO_DATA_ALLOWED", None)
    return bool(settings.DEBUG if allowed is None else allowed)


def ensure_demo_data_allowed() -> None:
    """Raise ``DemoDataRefusedError`` unless demo data may be loaded here. The demo accounts share a
    published password and one is a superuser: on a server that holds real data or can be
    reached from the internet they would be an open door."""
    if not demo_data_allowed():
        raise DemoDataRefusedError(
            "Refusing to load demo data: DEBUG is off, so this looks like a production "
            "installation, and the demo creates accounts with a published password, one of "
            "them a superuser. Nothing was written. On a laptop or a training server that holds "
            "no real data, set TRACKER_DEMO_DATA_ALLOWED=true to load it anyway."
        )


def load_demo_data(*, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Load the demo data: every registered step in order, all in one transaction, so that a
    step that fails leaves nothing behind. A second load with the same seed adds nothing and
    writes no history.

    Raises ``DemoDataRefusedError`` (before any write) where demo data is not allowed, and
    ``DemoDataError`` when a step cannot load its part.
    """
    ensure_demo_data_allowed()
    steps = _steps()
    context = DemoContext(seed=seed)
    with transaction.atomic():
        for step in steps:
            context.step = step.name
            step.load(context)
    return DemoSummary(
        state=context.state_label,
        lines=context.counts(steps),
        created={key: value for key, value in context.created.items() if value},
        logins=context.logins,
    )


def reset_demo_data() -> ResetSummary:
    """Delete the rows the demo loads created (``DemoRecord``), and nothing else: the steps in
    the opposite order of loading, each step's models in the opposite order of creation. Rows
    that rows outside the demo still need are kept (``tracker.demo.marking``). One transaction,
    one audit context (``demo_data_reset``).

    Allowed everywhere: it only removes what a load made, and removing accounts with a
    published password is what a server that once held demo data needs.
    """
    deleted: dict[str, int] = {}
    kept: dict[str, int] = {}
    with transaction.atomic(), audit_context(actor=None, action=RESET_ACTION):
        for step in reversed(_steps()):
            for model in reversed(step.marks):
                label = str(model._meta.verbose_name_plural)
                try:
                    gone, left = delete_marked(model)
                except (ProtectedError, RestrictedError) as error:
                    raise DemoDataError(
                        f"The demo {label} cannot be removed: {error.args[0]} Nothing was removed."
                    ) from error
                if gone:
                    deleted[label] = deleted.get(label, 0) + gone
                if left:
                    kept[label] = kept.get(label, 0) + left
    return ResetSummary(deleted=deleted, kept=kept)

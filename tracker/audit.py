"""Audit context: every service runs inside one so that history events carry who and why.

django-pghistory records each insert, update and delete of a tracked model with database triggers, so
bulk writes and raw SQL are captured too. The context attached here (acting user, action name and any
extra keys such as an import run) is stored with every event written inside the block.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

import pghistory
import pgtrigger
from pghistory.trigger import Event

if TYPE_CHECKING:
    from .models import User


class _Event(Event):
    """pghistory's event trigger, which at statement level first checks that the statement changed
    a row. Without the check the trigger's context row may be written for a statement that changed
    nothing (it depends on the plan), and an unchanged import would leave traces in the audit."""

    def get_func(self, model: Any) -> Any:
        func = super().get_func(model)
        if self.level != pgtrigger.Statement:
            return func
        rows = "{cond_new_values}" if self.row == "NEW" else "{cond_old_values}"
        guard = f"IF NOT EXISTS (SELECT 1 FROM {rows}) THEN RETURN NULL; END IF;"  # noqa: S608
        return pgtrigger.Func(f"{guard} {func.func}")


class _Guarded:
    """Tracker mixin: register ``_Event`` instead of pghistory's trigger."""

    def add_event_trigger(self: Any, event_model: Any) -> None:
        pgtrigger.register(
            _Event(
                event_model=event_model,
                label=self.label,
                name=self.trigger_name,
                row=self.row,
                operation=self.operation,
                condition=self.condition,
                level=self.level,
            )
        )(event_model.pgh_tracked_model)


class InsertEvent(_Guarded, pghistory.InsertEvent):
    pass


class UpdateEvent(_Guarded, pghistory.UpdateEvent):
    pass


class DeleteEvent(_Guarded, pghistory.DeleteEvent):
    pass


def track(*trackers: Any, **options: Any) -> Any:
    """``pghistory.track`` with, unless told otherwise, the events we keep for every tracked model:
    insert, update (of a tracked field) and delete.

    The trackers are built here for each model rather than listed once in
    ``PGHISTORY_DEFAULT_TRACKERS``: pghistory deep-copies that setting, and the copies no longer
    compare equal to pgtrigger's operations, which breaks statement-level triggers
    (``PGHISTORY_LEVEL``).
    """
    return pghistory.track(*(trackers or (InsertEvent(), UpdateEvent(), DeleteEvent())), **options)


def track_links(field: Any, model_name: str, *, app_label: str, **options: Any) -> None:
    """Track a many-to-many field's links (its auto-created table): every link added or removed
    is an event (``link.add``, ``link.remove``) named ``model_name`` in ``app_label``."""
    track(
        InsertEvent("link.add"),
        DeleteEvent("link.remove"),
        obj_field=None,  # auto-created link tables cannot be referenced from a migration
        model_name=model_name,
        app_label=app_label,
        **options,
    )(field.through)


@contextmanager
def audit_context(*, actor: User | None, action: str, **extra: Any) -> Iterator[None]:
    """Attach the acting user and the action name to every history event written inside the block."""
    with pghistory.context(
        user=actor.pk if actor is not None else None,
        username=actor.get_username() if actor is not None else None,
        action=action,
        **extra,
    ):
        yield


P = ParamSpec("P")
# The service whose audit context is open, if any.
_running_service: ContextVar[str | None] = ContextVar("running_service", default=None)
R = TypeVar("R")


def audited(service: Callable[P, R]) -> Callable[P, R]:
    """Run a service inside ``audit_context``: the actor is its ``actor`` keyword argument (absent
    or ``None``: the system itself) and the action its name, so that every history event a service
    writes says who did it and through which service. Inner contexts (an import run's) add keys.

    A service called by another runs in the caller's context: the events name the service the
    person asked for, not the ones it uses. A test lists every public function of every
    ``services`` module and fails on one that lacks this decorator (it reads ``audit_action``)."""

    @functools.wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if _running_service.get() is not None:
            return service(*args, **kwargs)
        token = _running_service.set(service.__name__)
        try:
            actor = cast("User | None", kwargs.get("actor"))
            with audit_context(actor=actor, action=service.__name__):
                return service(*args, **kwargs)
        finally:
            _running_service.reset(token)

    run.__dict__["audit_action"] = service.__name__
    return run

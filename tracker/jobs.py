"""Background jobs that run once at a time, survive a lost worker and wait out a lost broker.

A job is a row (an import run, later a report or a batch of reminders) whose model inherits
``LeasedJob``, and a Celery task that takes the row's id. Four rules, one place:

- **Exclusive claim with a lease.** A worker starts a job only by a conditional ``UPDATE`` that moves
  it to *running* and writes a lease (``lease_expires_at``, database time) with a token of its own. A
  running job whose lease lives is not claimed again, by a second delivery of the task, a dry run or
  anything else. While it works, a heartbeat thread pushes the lease forward
  (``TRACKER_JOB_LEASE_SECONDS``); a worker that dies stops renewing it.
- **Redeliveries are limited.** A job found running with its lease expired lost its worker (killed,
  out of memory, its database connection broken): taking it over counts one interruption. Past
  ``TRACKER_JOB_MAX_REDELIVERIES`` interruptions it fails with that reason instead of killing the next
  worker too.
- **A sweeper** (``sweep``, a beat task every minute) finds running jobs whose lease expired and
  either sends them again (they resume where they stopped) or fails them past the limit.
- **A transactional outbox.** A job is handed to the broker after its row commits
  (``dispatch_on_commit``). When the broker cannot be reached the request still answers at once: the
  job stays *pending* with ``dispatched_at`` empty, and ``dispatch_pending`` (the same beat task)
  sends it when the broker is back. Sending twice is harmless: the claim lets one delivery through.

A job kind describes its model, task and statuses once (``JobKind``); the domain app keeps its own
status choices and its services call ``claim`` / ``hold`` / ``finish`` around the work. A kind may
say when a pending job's turn has come (``JobKind.ready``: the import of a feed in another language
waits for the run before it): until then the relay does not send it and no delivery claims it.
"""

from __future__ import annotations

import importlib
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from celery.signals import task_failure
from django.conf import settings
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger("tracker.jobs")

# What a broker that cannot be reached raises when a task is sent without retrying.
BROKER_ERRORS: tuple[type[BaseException], ...] = (BrokerError, OSError)


class LeasedJob(models.Model):
    """The columns every job keeps for its claim, its lease and its dispatch to the broker."""

    lease_owner = models.CharField(
        _("worker"), max_length=200, blank=True, help_text=_("The worker holding the job.")
    )
    lease_expires_at = models.DateTimeField(
        _("lease expires"),
        null=True,
        blank=True,
        help_text=_("Past this time without renewal, the worker running the job is taken as gone."),
    )
    attempts = models.PositiveIntegerField(
        _("attempts"), default=0, help_text=_("How many times a worker started the job.")
    )
    interruptions = models.PositiveIntegerField(
        _("interruptions"),
        default=0,
        help_text=_("How many times the worker running the job stopped before it finished."),
    )
    dispatched_at = models.DateTimeField(
        _("sent to the workers"),
        null=True,
        blank=True,
        help_text=_("Empty while the job waits for the message broker."),
    )

    class Meta:
        abstract = True


@dataclass(frozen=True)
class JobKind:
    """One kind of job: its model, its Celery task (by name) and the values of its status field."""

    name: str
    model: type[LeasedJob]
    task: str
    pending: str
    running: str
    failed: str
    status_field: str = "status"
    error_field: str = "error"
    finished_field: str = "finished_at"
    # Extra columns written by each claim (e.g. the first start time).
    on_claim: Callable[[], dict[str, Any]] = field(default=dict)
    # When a pending job may start (e.g. the job it waits for has finished); any time if None.
    ready: Callable[[], Q] | None = None


def _ready(kind: JobKind) -> Q:
    return kind.ready() if kind.ready is not None else Q()


def lease_seconds() -> int:
    return int(settings.TRACKER_JOB_LEASE_SECONDS)


def max_redeliveries() -> int:
    return int(settings.TRACKER_JOB_MAX_REDELIVERIES)


def _lease_end() -> Any:
    return Now() + timedelta(seconds=lease_seconds())


def worker_token() -> str:
    """Who holds a lease: host, process and a random part (two claims never share one)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _expired(kind: JobKind) -> Q:
    """Running, and its worker is gone: the lease expired (or was never written)."""
    return Q(**{kind.status_field: kind.running}) & (
        Q(lease_expires_at__lt=Now()) | Q(lease_expires_at__isnull=True)
    )


def _fail_fields(kind: JobKind, reason: str) -> dict[str, Any]:
    return {
        kind.status_field: kind.failed,
        kind.error_field: reason[:2000],
        kind.finished_field: Now(),
        "lease_owner": "",
        "lease_expires_at": None,
    }


def _too_many(kind: JobKind, interruptions: int) -> str:
    return (
        f"Stopped: the worker running this {kind.name} was lost {interruptions} times (killed, out "
        f"of memory, restarted or cut from the database) and it is not tried again "
        f"(TRACKER_JOB_MAX_REDELIVERIES = {max_redeliveries()}). Look for the cause in the "
        f"worker's log, then start it again."
    )


def claim(kind: JobKind, pk: int, *, resume_failed: bool = False) -> str | None:
    """Take the job for this worker: its lease token, or ``None`` when it is not ours to run
    (finished, held by a live lease, or failed now for too many interruptions).

    A pending job is claimed when its turn has come (``JobKind.ready``); a running job only when
    its lease expired (that counts an interruption); a failed job only when asked
    (``resume_failed``: an operator runs it again, and the interruptions start again from zero)."""
    token = worker_token()
    status = kind.status_field
    claimable = (Q(**{status: kind.pending}) & _ready(kind)) | _expired(kind)
    if resume_failed:
        claimable |= Q(**{status: kind.failed})
    claimed = (
        kind.model._default_manager.filter(pk=pk)
        .filter(claimable)
        .update(
            **{status: kind.running, kind.error_field: ""},
            **kind.on_claim(),
            lease_owner=token,
            lease_expires_at=_lease_end(),
            attempts=F("attempts") + 1,
            interruptions=Case(
                When(**{status: kind.running}, then=F("interruptions") + 1),
                When(**{status: kind.failed}, then=Value(0)),
                default=F("interruptions"),
                output_field=models.PositiveIntegerField(),
            ),
        )
    )
    if not claimed:
        logger.info(
            "%s %s not claimed: finished, held by a live lease or waiting its turn", kind.name, pk
        )
        return None
    interruptions = kind.model._default_manager.values_list("interruptions", flat=True).get(pk=pk)
    if interruptions > max_redeliveries():
        kind.model._default_manager.filter(pk=pk, lease_owner=token).update(
            **_fail_fields(kind, _too_many(kind, interruptions))
        )
        logger.error("%s %s failed: its worker was lost %s times", kind.name, pk, interruptions)
        return None
    if interruptions:
        logger.warning("%s %s taken over after %s interruption(s)", kind.name, pk, interruptions)
    return token


def renew(kind: JobKind, pk: int, token: str) -> bool:
    """Push the lease forward; ``False`` when the job is no longer ours."""
    return bool(
        kind.model._default_manager.filter(
            pk=pk, lease_owner=token, **{kind.status_field: kind.running}
        ).update(lease_expires_at=_lease_end())
    )


@contextmanager
def hold(kind: JobKind, pk: int, token: str) -> Iterator[None]:
    """Renew the lease from a thread of its own (with its own database connection) while the
    block runs, every quarter of the lease."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(lease_seconds() / 4):
                try:
                    if not renew(kind, pk, token):
                        logger.warning("%s %s: the lease was lost", kind.name, pk)
                        return
                except DatabaseError:
                    logger.warning("%s %s: could not renew the lease", kind.name, pk)
        finally:
            connection.close()

    heartbeat = threading.Thread(target=beat, name=f"{kind.name}-{pk}-lease", daemon=True)
    heartbeat.start()
    try:
        yield
    finally:
        stop.set()
        heartbeat.join(timeout=10)


def finish(kind: JobKind, pk: int, token: str, **fields: Any) -> bool:
    """Write the job's outcome and let the lease go, if the job is still ours."""
    return bool(
        kind.model._default_manager.filter(pk=pk, lease_owner=token).update(
            **fields, lease_owner="", lease_expires_at=None
        )
    )


def release(kind: JobKind, pk: int, token: str) -> bool:
    """Give the job back as pending (a retry will claim it again), still counted as sent."""
    return finish(kind, pk, token, **{kind.status_field: kind.pending})


def fail(kind: JobKind, pk: int, reason: str) -> bool:
    """Fail a job that is not finished (pending or running), with the reason."""
    return bool(
        kind.model._default_manager.filter(
            pk=pk, **{f"{kind.status_field}__in": [kind.pending, kind.running]}
        ).update(**_fail_fields(kind, reason))
    )


# -- the outbox --------------------------------------------------------------------------------


def dispatch(kind: JobKind, job: LeasedJob) -> bool:
    """Send the job's task now. ``False`` (and the job left pending, to be sent by
    ``dispatch_pending``) when the broker cannot be reached; it does not wait for it."""
    from tracker import celery_app

    importlib.import_module(kind.task.rpartition(".")[0])  # registers the task
    task = celery_app.tasks[kind.task]
    if celery_app.conf.task_always_eager:  # no broker configured: the task runs here and now
        job.dispatched_at = timezone.now()
        kind.model._default_manager.filter(pk=job.pk).update(dispatched_at=job.dispatched_at)
        task.apply_async(args=(job.pk,))
        return True
    try:
        task.apply_async(args=(job.pk,), retry=False)
    except BROKER_ERRORS as exc:
        logger.warning("%s %s kept pending: the broker is unreachable (%s)", kind.name, job.pk, exc)
        return False
    kind.model._default_manager.filter(pk=job.pk).update(dispatched_at=Now())
    job.dispatched_at = kind.model._default_manager.values_list("dispatched_at", flat=True).get(
        pk=job.pk
    )
    return True


def dispatch_on_commit(kind: JobKind, job: LeasedJob) -> None:
    """Send the job once the transaction that wrote it commits."""
    transaction.on_commit(lambda: dispatch(kind, job))


def resend_after() -> timedelta:
    """A pending job sent this long ago and still not started is sent again: its message was lost
    (a broker restarted without its data, a retry that could not be published)."""
    return timedelta(seconds=max(2 * lease_seconds(), 600))


def dispatch_pending(kind: JobKind, *, limit: int = 100) -> int:
    """The outbox relay: send the pending jobs that never reached the broker, and those sent long
    ago (``resend_after``) that no worker started, once their turn has come (``JobKind.ready``).
    Returns how many were sent; stops at the first failure (the broker is still away)."""
    waiting = (
        kind.model._default_manager.filter(**{kind.status_field: kind.pending})
        .filter(_ready(kind))
        .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=Now() - resend_after()))
        .order_by("pk")[:limit]
    )
    sent = 0
    for job in waiting:
        if not dispatch(kind, job):
            break
        sent += 1
    if sent:
        logger.info("%s: %s waiting job(s) sent to the workers", kind.name, sent)
    return sent


@dataclass
class Swept:
    resumed: list[int]
    failed: list[int]


def sweep(kind: JobKind) -> Swept:
    """Running jobs whose worker is gone (lease expired): each is counted one interruption and
    sent again to resume, or failed past ``TRACKER_JOB_MAX_REDELIVERIES``."""
    manager = kind.model._default_manager
    swept = Swept(resumed=[], failed=[])
    for pk, interruptions in manager.filter(_expired(kind)).values_list("pk", "interruptions"):
        interruptions += 1
        if interruptions > max_redeliveries():
            if manager.filter(_expired(kind), pk=pk).update(
                **_fail_fields(kind, _too_many(kind, interruptions)), interruptions=interruptions
            ):
                logger.error(
                    "%s %s failed: its worker was lost %s times", kind.name, pk, interruptions
                )
                swept.failed.append(pk)
            continue
        back = manager.filter(_expired(kind), pk=pk).update(
            **{kind.status_field: kind.pending},
            interruptions=interruptions,
            lease_owner="",
            lease_expires_at=None,
            dispatched_at=None,
        )
        if back:
            logger.warning("%s %s: its worker is gone; sent again to resume", kind.name, pk)
            swept.resumed.append(pk)
    for pk in swept.resumed:
        job = manager.get(pk=pk)
        dispatch(kind, job)
    return swept


# -- failures in the log -----------------------------------------------------------------------


@task_failure.connect
def log_task_failure(
    sender: Any = None,
    task_id: str | None = None,
    exception: BaseException | None = None,
    args: Any = None,
    kwargs: Any = None,
    **_: Any,
) -> None:
    """Every failed task in the log with what it was working on (the ids it was given)."""
    logger.error(
        "task %s failed (task id %s, args %s, kwargs %s): %r",
        getattr(sender, "name", sender),
        task_id,
        args,
        kwargs,
        exception,
        extra={"task": getattr(sender, "name", None), "task_args": args},
    )

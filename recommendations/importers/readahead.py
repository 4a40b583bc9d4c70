"""The threads of an import: a reader that parses and normalises ahead of the writer, and the
interpreter settings they run with.

The reader thread never touches the database (Django connections are per thread): it parses,
filters and normalises, which is pure Python, while the writing thread waits on the database. Two
threads of Python only share one interpreter, so the reader also waits while the writer does
Python work of its own on a batch (``ReadAhead.writer_busy``), and the interpreter switches
between them more often than by default (``InterpreterTuning``).
"""

from __future__ import annotations

import gc
import queue
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

# Batches the reader thread keeps ready for the writer.
READ_AHEAD = 2
# While an import runs, the interpreter (process-wide, restored after it):
# - switches threads this often (seconds; Python's default is 5 ms). Each answer from the database
#   wakes the writer, which then waits for the reader to hand over the interpreter: at 5 ms a
#   wait, that was a third of a one-country import;
# - runs the cyclic garbage collector rarely. The import's objects hold no reference cycles, they
#   are freed as they go, and each full collection walked every record waiting in the pipeline:
#   it was a tenth of an import's time.
SWITCH_INTERVAL = 0.0002
GC_THRESHOLDS = (100_000, 50, 100)

T = TypeVar("T")


class InterpreterTuning:
    """The interpreter settings of an import (``SWITCH_INTERVAL``, ``GC_THRESHOLDS``).

    They are process-wide, and imports may overlap in one process (a threads pool, or tasks run
    in the web process when no broker is configured): the first import to start sets them, the
    last to end puts back what was there before."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = 0
        self.saved: tuple[float, tuple[int, ...]] = (0.0, ())

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self.lock:
            if not self.running:
                self.saved = (sys.getswitchinterval(), gc.get_threshold())
                sys.setswitchinterval(min(self.saved[0], SWITCH_INTERVAL))
                gc.freeze()  # what exists already is not walked again
                gc.set_threshold(*GC_THRESHOLDS)
            self.running += 1
        try:
            yield
        finally:
            with self.lock:
                self.running -= 1
                if not self.running:
                    interval, thresholds = self.saved
                    gc.set_threshold(*thresholds)
                    gc.unfreeze()
                    sys.setswitchinterval(interval)


tuned_interpreter = InterpreterTuning()


class ReadAhead(Generic[T]):
    """Items produced in a second thread, ``READ_AHEAD`` ahead of the thread that takes them."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.may_run = threading.Event()  # cleared while the writer works on a batch
        self.may_run.set()
        self.ready: queue.Queue[T | BaseException | None] | None = None

    def items(
        self,
        produce: Callable[[Callable[[], bool], Callable[[], None]], Iterator[T]],
        idle: Callable[[], Any] = bool,
    ) -> Iterator[T]:
        """What ``produce(waiting, pause)`` yields, produced in the reader thread. ``waiting()``
        tells it whether the writer is waiting for an item (and would rather have a smaller one
        now); it calls ``pause()`` between pieces of work, which waits while the writer is
        busy. When no item is ready, ``idle()`` is called before waiting for one. What the
        reader raises (a broken source) is raised here, after the items before it."""
        ready: queue.Queue[T | BaseException | None] = queue.Queue(maxsize=READ_AHEAD)
        self.ready = ready
        stop = threading.Event()
        waiting = threading.Event()  # set while the writer has nothing to do
        may_run = self.may_run

        def pause() -> None:
            if not may_run.is_set():
                may_run.wait()

        def hand_over(item: T | BaseException | None) -> bool:
            while not stop.is_set():
                try:
                    ready.put(item, timeout=0.2)
                except queue.Full:
                    continue
                return True
            return False

        def read() -> None:
            item: BaseException | None = None
            try:
                for produced in produce(waiting.is_set, pause):
                    if not hand_over(produced):
                        return
            except BaseException as exc:  # handed over to the writing thread, which raises it
                item = exc
            hand_over(item)

        reader = threading.Thread(target=read, name=self.name, daemon=True)
        reader.start()
        try:
            while True:
                if ready.empty():
                    idle()
                if ready.empty():
                    waiting.set()
                item = ready.get()
                waiting.clear()
                if item is None:
                    break
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()
            may_run.set()
            reader.join(timeout=5)

    @contextmanager
    def writer_busy(self) -> Iterator[None]:
        """The writing thread's own Python work on a batch. If the reader thread is ahead (an
        item is waiting), it pauses meanwhile; if it is behind, it goes on."""
        if self.ready is None or self.ready.empty():
            yield
            return
        self.may_run.clear()
        try:
            yield
        finally:
            self.may_run.set()

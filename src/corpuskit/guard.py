"""Per-document guard: a time limit, and failures turned into ledger entries.

A corpus build runs for hours on documents nobody has checked.  One document
that sends a regex into catastrophic backtracking, or a cleaner bug that one
strange page triggers, must cost that document only: :func:`run_document` runs
the per-document stages under a time limit and turns a timeout or an
unexpected exception into an :class:`~corpuskit.errors.InputError` (reasons
``timeout`` and ``internal_error``) that the pipeline writes to the ledger.

The limit is a ``SIGALRM`` interval timer, so it works wherever the stages run
in a process's main thread: in-process (``workers=1``) and in the worker
processes of a ``ProcessPoolExecutor`` (tasks run in the worker's main thread).
Python's ``re`` checks for signals while it backtracks, so a runaway pattern
is interrupted too.  In any other thread, or on a platform without
``setitimer``, the stages run without a limit.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

from .errors import InputError

T = TypeVar("T")

#: After the first alarm, it fires again this often until the guarded block
#: exits, so a stage that swallows the exception cannot escape the limit.
REFIRE_SECONDS = 0.5


class DocumentTimeout(BaseException):
    """The guarded block ran past its time limit.

    A ``BaseException`` (like ``KeyboardInterrupt``) so that a stage's broad
    ``except Exception`` cannot swallow it.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"took longer than {seconds:g} s")


def can_limit_time() -> bool:
    """True where :func:`time_limit` can interrupt the current thread."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`DocumentTimeout` in the block once ``seconds`` have passed.

    ``None`` or ``0`` means no limit.  A block that swallows the exception and
    finishes anyway still raises it on exit.  Nested limits work: the outer
    timer is re-armed with what is left of it when the inner block exits.
    """
    if not seconds or seconds <= 0 or not can_limit_time():
        yield
        return
    state = {"active": True, "fired": False}

    def on_alarm(signum, frame):
        if state["active"]:  # a late alarm, once the block is over, is ignored
            state["fired"] = True
            raise DocumentTimeout(seconds)

    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    previous_delay, previous_interval = 0.0, 0.0
    started = time.monotonic()
    try:
        # armed inside the try: however early the alarm fires, the finally disarms it
        previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, seconds, REFIRE_SECONDS)
        yield
    finally:
        state["active"] = False
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, previous_handler)
            if previous_delay:
                # an outer limit was running: give it back what remains of it
                left = previous_delay - (time.monotonic() - started)
                signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), previous_interval)
    if state["fired"]:
        raise DocumentTimeout(seconds)


class DocumentGuard:
    """Runs documents one after another, each under the time limit of :func:`time_limit`, with the
    ``SIGALRM`` handler set once for the whole run: per document only the timer is armed and
    disarmed (a fifth of :func:`time_limit`'s cost, which swaps the handler every time; a build
    guards every document).  Where another limit is already running when the run starts, each
    document goes through :func:`time_limit`, which gives the outer limit back what is left of it.

        with DocumentGuard(30) as guard:
            for doc in documents:
                records = guard.run(stages, doc, path, doc.line)
    """

    def __init__(self, seconds: float | None):
        self.seconds = seconds if seconds and seconds > 0 and can_limit_time() else None
        self._own_handler = False
        self._active = self._fired = False
        self._previous_handler = None

    def __enter__(self) -> DocumentGuard:
        if self.seconds is not None and not signal.getitimer(signal.ITIMER_REAL)[0]:
            self._previous_handler = signal.signal(signal.SIGALRM, self._on_alarm)
            self._own_handler = True
        return self

    def __exit__(self, *exc) -> None:
        if self._own_handler:
            self._own_handler = False
            signal.signal(signal.SIGALRM, self._previous_handler)

    def _on_alarm(self, signum, frame):
        if self._active:  # a late alarm, once the document is done, is ignored
            self._fired = True
            raise DocumentTimeout(self.seconds)

    def _limited(self, stages: Callable[[T], list], doc: T) -> list:
        if self.seconds is None:
            return stages(doc)
        if not self._own_handler:
            with time_limit(self.seconds):
                return stages(doc)
        self._fired, self._active = False, True
        try:
            # armed inside the try: however early the alarm fires, the finally disarms it
            signal.setitimer(signal.ITIMER_REAL, self.seconds, REFIRE_SECONDS)
            result = stages(doc)
        finally:
            self._active = False
            signal.setitimer(signal.ITIMER_REAL, 0)
        if self._fired:  # the stages swallowed the exception and finished anyway
            raise DocumentTimeout(self.seconds)
        return result

    def run(self, stages: Callable[[T], list], doc: T, path: str, line: int | None = None) -> list:
        """``stages(doc)`` under the time limit; any failure becomes an InputError (see
        :func:`run_document`)."""
        try:
            return self._limited(stages, doc)
        except DocumentTimeout as exc:
            raise InputError(
                path, "timeout", f"the clean/normalise stages {exc}; raise --timeout to allow more", line=line
            ) from None
        except InputError as exc:
            if exc.line is None and line is not None:
                raise InputError(exc.path, exc.reason, exc.detail, line=line) from exc
            raise
        except Exception as exc:  # MemoryError and RecursionError included; KeyboardInterrupt passes
            raise internal_error(path, "clean/normalise", exc, line) from exc


def run_document(
    stages: Callable[[T], list], doc: T, seconds: float | None, path: str, line: int | None = None
) -> list:
    """``stages(doc)`` under a time limit; any failure becomes an InputError.

    - past the limit → ``InputError(reason="timeout")``
    - an InputError from a stage → re-raised, with the JSONL line filled in
    - any other exception (a bug a strange document triggers, a RecursionError
      on pathological nesting, a MemoryError) → ``reason="internal_error"``
      naming the exception, so the run goes on and the ledger says what happened.
    ``KeyboardInterrupt`` and ``SystemExit`` pass through: they stop the build.
    For many documents, one :class:`DocumentGuard` costs less.
    """
    with DocumentGuard(seconds) as guard:
        return guard.run(stages, doc, path, line)


def internal_error(path: str, where: str, exc: BaseException, line: int | None = None) -> InputError:
    """An unexpected exception on one input, as a ledger-ready InputError."""
    message = " ".join(str(exc).split())[:200]
    return InputError(
        path,
        "internal_error",
        f"{type(exc).__name__} in the {where} stage: {message} (a corpuskit bug; please report it)",
        line=line,
    )


def prepare_worker_process() -> None:
    """Set up a worker process of the build (call it from the pool's initializer).

    - Ctrl-C in a terminal reaches every process of the group: workers ignore
      it and let the main process stop the build (one message, no tracebacks);
      SIGTERM (how a pool stops its workers) ends a worker at once.
    - A worker exits by itself once the main process is gone (killed outright,
      SIGKILL or OOM), instead of idling as an orphan forever.
    """
    import multiprocessing
    import os

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the CLI's clean-stop handler is for the main process
    parent = multiprocessing.parent_process()
    if parent is None or parent.pid is None:
        return
    parent_pid = parent.pid

    def exit_when_orphaned() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=exit_when_orphaned, name="corpuskit-orphan-watch", daemon=True).start()

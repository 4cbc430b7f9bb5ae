"""Worker processes that stop cleanly on Ctrl-C and SIGTERM.

Ctrl-C in a terminal, and ``kill`` of a process group, signal the workers as
well as ``kg`` itself.  A worker that handles the signal prints a traceback of
its own, and one that dies mid-task makes the pool wait or break.  So the
workers ignore SIGINT and SIGTERM (they are blocked from before the fork until
the workers have ignored them), and only the parent decides: when it is
interrupted it cancels the work not yet started and kills the workers, whose
results are of no use any more.  Nothing waits for a task to finish.  As the
workers ignore SIGTERM, each also watches its parent and exits when that is
gone (``kill -9`` of ``kg``), instead of waiting for work for ever.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

from kg import interrupt
from kg.interrupt import SIGNALS

T = TypeVar("T")
R = TypeVar("R")

_JOIN_SECONDS = 2.0


def _worker_init(kg: int) -> None:
    """Worker initializer: leave SIGINT and SIGTERM to ``kg``; end with it."""
    for sig in SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
    if os.name == "posix":  # (on Windows os.kill(pid, 0) would end kg)
        watch = threading.Thread(target=_exit_with, args=(kg, os.getppid()), daemon=True)
        watch.start()


def _exit_with(kg: int, parent: int) -> None:
    """Exit once kg is gone: this process was re-parented, or kg's pid is free.

    ``parent`` is kg itself, or a fork server; the second test covers a kg that
    died before this worker started watching.
    """
    while os.getppid() == parent and _alive(kg):
        time.sleep(0.5)
    os._exit(1)  # nobody wants the results any more


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started, kill the workers and let the pool wind down."""
    # ProcessPoolExecutor has no public way to stop a running task before Python
    # 3.14 (kill_workers); its process table is the only handle on the workers.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    results = getattr(pool, "_result_queue", None)  # (shutdown forgets it)
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        proc.kill()  # SIGKILL: they ignore SIGTERM
    for proc in processes:
        proc.join(_JOIN_SECONDS)
    # A worker killed while it wrote a result left half a message in the result
    # pipe, and the pool's thread waits in its read for the rest, which no worker
    # will send; kg holds the pipe's writing end too, so no end of file comes
    # either, and the exit of kg, which joins that thread, hung (about one build
    # in ten stopped by two close signals).  The workers are dead: closing kg's
    # writing end leaves none, so the read ends (EOFError) and the thread takes
    # its way for a broken pool, which fails the futures and closes the rest.
    writer = getattr(results, "_writer", None)
    if writer is not None:
        with contextlib.suppress(OSError):
            writer.close()
    # The pool's thread now sees the dead workers, fails the futures and closes
    # its pipes.  Wait for it: at exit CPython 3.11 writes to a pipe of a thread
    # that is still alive, and fails ("Bad file descriptor") if it closes meanwhile.
    if manager is not None:
        with contextlib.suppress(RuntimeError):  # (never started: an interrupt came between)
            manager.join(_JOIN_SECONDS)


#: Tasks in flight per worker: enough to keep every worker busy, few enough that
#: results finished ahead of a slow consumer never pile up (a 1000x build whose
#: pool had every document submitted held 1.33 GB of finished results at 7 %).
AHEAD = 4


def _apply(fn: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [fn(item) for item in chunk]


def process_map(
    fn: Callable[[T], R], items: Iterable[T], *, workers: int, chunksize: int = 1
) -> Iterator[R]:
    """``map(fn, items)`` in ``workers`` processes, results in input order.

    Items go out in tasks of ``chunksize``, at most ``workers * AHEAD`` tasks at a
    time, so memory stays bounded however many items there are and however slow
    the consumer is.  If the consumer stops early -- an exception,
    ``KeyboardInterrupt``, or just closing the iterator -- the workers are
    stopped at once (see the module doc).
    """
    pool = ProcessPoolExecutor(
        max_workers=workers, initializer=_worker_init, initargs=(os.getpid(),)
    )
    try:
        pending: deque[Future[list[R]]] = deque()
        todo = iter(items)
        while True:
            while len(pending) < workers * AHEAD:
                chunk = list(itertools.islice(todo, max(1, chunksize)))
                if not chunk:
                    break
                # Workers are forked while tasks are submitted: the signals are
                # blocked around that, so no worker gets one before its initializer
                # ignores it.  A signal sent meanwhile is raised once the submit is
                # over (interrupt.deferred), not half-way through it: a worker
                # forked but not yet listed by the pool would be left running.
                with interrupt.deferred():
                    blocked = _block(SIGNALS)
                    try:
                        pending.append(pool.submit(_apply, fn, chunk))
                    finally:
                        _restore(blocked)
            if not pending:
                break
            yield from pending.popleft().result()
        pool.shutdown(wait=True)
    except BaseException:
        _stop(pool)
        raise


def _block(signals: tuple[signal.Signals, ...]) -> set[int | signal.Signals] | None:
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, signals)


def _restore(mask: set[int | signal.Signals] | None) -> None:
    if mask is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)

"""Run a query where it can be stopped: a child process with a time limit.

pyoxigraph has no query timeout of its own, and a query runs inside native code
that neither Ctrl-C nor a Python timer can interrupt.  :func:`run_bounded` runs
the work in a forked child that writes its output itself (so rows can stream to
standard output) and kills it when the limit passes or the user interrupts; an
expected error raised in the child (:class:`~kg.errors.KGError`) is raised again
in the parent with its exit code.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import traceback
from collections.abc import Callable
from typing import IO, Any

from kg import errors
from kg.errors import KGError, QueryError

__all__ = ["DEFAULT_TIMEOUT", "run_bounded"]

#: Seconds a query may run by default (``kg query --timeout``).
DEFAULT_TIMEOUT = 30.0


def _child(work: Callable[[IO[str]], None], conn: Any) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        work(sys.stdout)
        sys.stdout.flush()
        conn.send(None)
    except KGError as exc:
        conn.send((type(exc).__name__, exc.exit_code, exc.message, exc.hint))
    except BrokenPipeError:
        conn.send(None)
    except BaseException:  # an internal error: its traceback, for --debug
        conn.send(("Internal", 70, traceback.format_exc(), None))
    finally:
        conn.close()
        sys.stdout.flush()
        os._exit(0)


def run_bounded(work: Callable[[IO[str]], None], *, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Run ``work(stdout)`` in a child process; stop it after ``timeout`` seconds.

    Raises :class:`~kg.errors.QueryError` (exit 4) naming the limit when it passes,
    the child's own :class:`~kg.errors.KGError` again when it raised one, and
    ``KeyboardInterrupt`` after killing the child when the user interrupts.
    """
    if timeout <= 0:
        raise QueryError(f"--timeout must be positive, not {timeout:g}")
    sys.stdout.flush()
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(work, child), daemon=True)
    proc.start()
    child.close()
    try:
        ready = parent.poll(timeout)
        if not ready:
            raise QueryError(
                f"the query ran past the time limit of {timeout:g} s and was stopped",
                hint="narrow it (a LIMIT, more specific patterns) or raise --timeout",
            )
        try:
            outcome = parent.recv()
        except EOFError:  # the child died without a word (killed from outside)
            raise QueryError("the query process ended without an answer") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    if outcome is None:
        return
    name, _code, message, hint = outcome
    if name == "Internal":
        raise RuntimeError(f"the query process failed:\n{message}")
    cls = getattr(errors, name, None)
    if not (isinstance(cls, type) and issubclass(cls, KGError)):
        cls = KGError
    raise cls(message, hint=hint)

"""Run a query where it can be stopped: a child process with a time limit.

pyoxigraph has no query timeout of its own, and a query runs inside native code
that neither Ctrl-C nor a Python timer can interrupt.  :func:`run_bounded` runs
the work in a forked child whose output comes back through a pipe in chunks (so
rows can stream to standard output) and kills it when the limit passes or the
user interrupts; an
expected error raised in the child (:class:`~kg.errors.KGError`) is raised again
in the parent with its exit code.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any, Protocol

from kg import errors
from kg.errors import KGError, QueryError

__all__ = ["DEFAULT_TIMEOUT", "Writer", "run_bounded"]

#: Seconds a query may run by default (``kg query --timeout``).
DEFAULT_TIMEOUT = 30.0


class Writer(Protocol):
    """Where a bounded piece of work writes its output."""

    def write(self, text: str, /) -> int: ...

    def flush(self) -> None: ...


class _PipeWriter:
    """A text stream whose writes go to the parent in chunks (so rows can stream)."""

    def __init__(self, conn: Any, chunk: int = 1 << 16) -> None:
        self.conn, self.chunk = conn, chunk
        self.buf: list[str] = []
        self.size = 0

    def write(self, text: str) -> int:
        self.buf.append(text)
        self.size += len(text)
        if self.size >= self.chunk:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self.buf:
            self.conn.send(("out", "".join(self.buf)))
            self.buf, self.size = [], 0


def _child(work: Callable[[Writer], None], conn: Any) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    out = _PipeWriter(conn)
    try:
        work(out)
        out.flush()
        conn.send(("done", None))
    except KGError as exc:
        out.flush()
        conn.send(("error", (type(exc).__name__, exc.message, exc.hint)))
    except BaseException:  # an internal error: its traceback, for --debug
        conn.send(("internal", traceback.format_exc()))
    finally:
        conn.close()
        os._exit(0)


def run_bounded(work: Callable[[Writer], None], *, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Run ``work(out)`` in a child process; stop it after ``timeout`` seconds.

    What ``work`` writes to ``out`` is written to this process's standard output
    as it comes, in chunks.  Raises :class:`~kg.errors.QueryError` (exit 4) naming
    the limit when it passes, the child's own :class:`~kg.errors.KGError` again
    when it raised one, and ``KeyboardInterrupt`` after killing the child when the
    user interrupts.
    """
    if timeout <= 0:
        raise QueryError(f"--timeout must be positive, not {timeout:g}")
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(work, child), daemon=True)
    proc.start()
    child.close()
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not parent.poll(left):
                raise QueryError(
                    f"the query ran past the time limit of {timeout:g} s and was stopped",
                    hint="narrow it (a LIMIT, more specific patterns) or raise --timeout",
                )
            try:
                kind, payload = parent.recv()
            except EOFError:  # the child died without a word (killed from outside)
                raise QueryError("the query process ended without an answer") from None
            if kind == "out":
                sys.stdout.write(payload)
                continue
            break
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    sys.stdout.flush()
    if kind == "done":
        return
    if kind == "internal":
        raise RuntimeError(f"the query process failed:\n{payload}")
    name, message, hint = payload
    cls = getattr(errors, name, None)
    if not (isinstance(cls, type) and issubclass(cls, KGError)):
        cls = KGError
    raise cls(message, hint=hint)

"""Ctrl-C and SIGTERM: one clean stop, and never half-way through an output swap.

The ``kg`` command calls :func:`install`.  From then on the first SIGINT or
SIGTERM raises :class:`KeyboardInterrupt` in the main thread, and every later one
is only counted: the cleanup that the first one started (removing a temporary
directory, stopping worker processes) is never itself interrupted, and nothing
is printed from inside the handler.

While a command's output is being put in place (:func:`committing`, used by
:mod:`kg.output`) a signal is held back; once the output is in place the command
counts as done, and a signal from then on no longer interrupts it -- the command
finishes and :func:`received` tells the CLI to say so.

A short step that must not stop half-way (starting a worker process, which the
pool would then not know of) runs in :func:`deferred`: a signal that arrives
meanwhile raises :class:`KeyboardInterrupt` once the step is over.

A library caller that never calls :func:`install` keeps Python's own handling.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator
from types import FrameType

SIGNALS: tuple[signal.Signals, ...] = (signal.SIGINT, signal.SIGTERM)


class _State:
    installed = False
    received: int | None = None  # the first signal's number
    count = 0  # signals received
    holding = 0  # depth of committing() blocks
    committed = False  # the command's output is in place
    deferring = 0  # depth of deferred() blocks
    deferred = False  # the first signal came during deferred(): raise at its end


_state = _State()


def _handler(signum: int, frame: FrameType | None) -> None:
    _state.count += 1
    if _state.received is not None:
        return  # a repeat: the first one is already being handled
    _state.received = signum
    if _state.holding or _state.committed:
        return
    if _state.deferring:
        _state.deferred = True
        return
    raise KeyboardInterrupt


def install() -> Callable[[], None]:
    """Handle SIGINT and SIGTERM as described above; returns a function that undoes it.

    Outside the main thread (where Python cannot set handlers) nothing changes.
    """
    _state.received, _state.count, _state.holding, _state.committed = None, 0, 0, False
    _state.deferring, _state.deferred = 0, False
    previous: dict[signal.Signals, object] = {}
    try:
        for sig in SIGNALS:
            previous[sig] = signal.signal(sig, _handler)
    except ValueError:  # not the main thread
        pass
    _state.installed = bool(previous)

    def restore() -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)  # type: ignore[arg-type]
        _state.installed = False

    return restore


def finish() -> None:
    """The command is over and the process exits next: block the signals.

    Python resets the handlers while it shuts down; a signal landing then would
    end a finished command with a signal status.  Blocked, it stays pending
    until the process has exited.
    """
    _state.committed = True
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)


def received() -> int | None:
    """The first signal received since :func:`install` (its number), or None."""
    return _state.received


def name(signum: int) -> str:
    """``SIGTERM`` for 15."""
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


@contextlib.contextmanager
def committing() -> Iterator[None]:
    """Hold SIGINT/SIGTERM back while the body puts the command's output in place.

    When the body completes, the output is in place: a signal that arrived
    meanwhile, or arrives later, no longer raises (see :func:`received`).  If
    the body fails, its exception propagates.
    """
    if not _state.installed:
        yield
        return
    _state.holding += 1
    try:
        yield
        _state.committed = True
    finally:
        _state.holding -= 1


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Hold SIGINT/SIGTERM back during a short step that must not stop half-way.

    A signal that arrives meanwhile raises :class:`KeyboardInterrupt` when the
    step is over (however it ends).  Blocking the signals (``pthread_sigmask``)
    is not enough for that: it holds them back from the calling thread only,
    the kernel then gives them to another thread of the process, and Python
    still runs the handler in the main thread, between any two steps.
    """
    if not _state.installed:
        yield
        return
    _state.deferring += 1
    try:
        yield
    finally:
        _state.deferring -= 1
        if _state.deferred and not _state.deferring:
            _state.deferred = False
            if not _state.holding and not _state.committed:
                raise KeyboardInterrupt

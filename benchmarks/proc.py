"""Run a command in a child process and measure wall time and memory.

Peak memory is reported two ways:

``max_rss_mb``
    ``ru_maxrss`` of the child from ``os.wait4``: the largest resident set of
    the child *or any of its reaped descendants* (a single process, not a sum).
``tree_rss_mb``
    The largest *sum* of ``VmRSS`` over the child and all its descendants,
    sampled every ``interval`` seconds from ``/proc`` (what parallel workers
    cost together; a sample can miss a short spike).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(slots=True)
class RunResult:
    """What :func:`run_measured` observed."""

    returncode: int
    seconds: float
    max_rss_mb: float
    tree_rss_mb: float
    stdout: str
    stderr: str
    killed: str | None = None  # why the harness stopped the child, if it did


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def tree_rss_kb(pid: int) -> int:
    """Sum of ``VmRSS`` (KiB) over ``pid`` and all its live descendants.

    >>> tree_rss_kb(os.getpid()) > 0
    True
    """
    total = 0
    stack = [pid]
    seen: set[int] = set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        total += _rss_kb(p)
        stack.extend(_children(p))
    return total


def run_measured(
    cmd: Sequence[str],
    *,
    cwd: str | os.PathLike[str] | None = None,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
    interval: float = 0.1,
    rss_limit_mb: float | None = None,
) -> RunResult:
    """Run ``cmd`` to completion, measuring wall time and peak memory.

    Parameters
    ----------
    cmd
        The program and its arguments.
    cwd, env
        Working directory and environment of the child.
    timeout
        Kill the child's process group (return code -9) after this many seconds.
    interval
        Sampling period of the process-tree RSS, in seconds.
    rss_limit_mb
        Kill the child's process group as soon as the process tree holds more
        than this much memory (``RunResult.killed`` says why), so that a run
        too big for the machine never drives it into swapping or the OOM killer.

    Examples
    --------
    >>> r = run_measured(["python", "-c", "print(6 * 7)"])
    >>> r.returncode, r.stdout.strip(), r.killed
    (0, '42', None)
    """
    started = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd),
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        start_new_session=True,  # its own process group, killed as a whole
    )
    peak = 0
    killed: str | None = None
    done = threading.Event()

    def kill(reason: str) -> None:
        nonlocal killed
        if killed is None:
            killed = reason
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            rss = tree_rss_kb(proc.pid)
            peak = max(peak, rss)
            if rss_limit_mb is not None and rss > rss_limit_mb * 1024:
                kill(f"memory over {rss_limit_mb:,.0f} MB")
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out_chunks: list[str] = []
    err_chunks: list[str] = []

    def drain(stream: object, sink: list[str]) -> None:
        sink.append(stream.read())  # type: ignore[attr-defined]

    readers = [
        threading.Thread(target=drain, args=(proc.stdout, out_chunks), daemon=True),
        threading.Thread(target=drain, args=(proc.stderr, err_chunks), daemon=True),
    ]
    for t in readers:
        t.start()
    timer: threading.Timer | None = None
    if timeout is not None:
        timer = threading.Timer(timeout, kill, args=(f"time over {timeout:,.0f} s",))
        timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        if timer is not None:
            timer.cancel()
        done.set()
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    for t in readers:
        t.join()
    sampler.join()
    return RunResult(
        returncode=proc.returncode,
        seconds=seconds,
        max_rss_mb=usage.ru_maxrss / 1024.0,
        tree_rss_mb=peak / 1024.0,
        stdout="".join(out_chunks),
        stderr="".join(err_chunks),
        killed=killed,
    )

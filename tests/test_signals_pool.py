"""Stopping the worker pool of ``kg.parallel.process_map`` never hangs.

When kg is interrupted it kills its workers (SIGKILL), and a worker can die
half-way through sending a result: the header of a long message is in the
result pipe, the rest never comes.  The pool's own thread, reading that message,
then waited for ever (kg itself holds the pipe's other end, so no end of file
came), and so did the exit of kg, which joins that thread: the intermittent hang
of ``kg build`` under two close signals (tests/test_signals.py, about one run in
ten).  Here the half-sent result is made on purpose, so the test fails every time
the pool is not stopped properly.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX pipes and process groups")

# Item 0 is sent back whole; item 1's worker sends the first bytes of its result
# (the 4-byte length of a 1 MiB message and 100 bytes of it, as a worker killed
# while it writes a long result leaves them), says so, and waits to be killed.
SCRIPT = textwrap.dedent(
    """
    import os, struct, sys, threading, time
    from pathlib import Path

    from kg.parallel import process_map

    READY = Path(sys.argv[1])


    def work(item):
        if item == 0:
            return 0
        frame = sys._getframe()
        while frame.f_code.co_name != "_process_worker":  # the pool's worker loop
            frame = frame.f_back
        fd = frame.f_locals["result_queue"]._writer.fileno()
        os.write(fd, struct.pack("!i", 1 << 20) + b"x" * 100)
        READY.touch()
        time.sleep(600)


    if __name__ == "__main__":
        results = process_map(work, [0, 1], workers=1)
        assert next(results) == 0
        while not READY.exists():
            time.sleep(0.01)
        time.sleep(0.2)  # (the pool's thread is now reading the half-sent result)
        started = time.monotonic()
        results.close()  # the consumer stops: the pool is stopped, its worker killed
        took = time.monotonic() - started
        left = [t for t in threading.enumerate() if type(t).__name__ == "_ExecutorManagerThread"]
        print("pool thread", "alive" if left else "gone", f"{took:.1f}", flush=True)
    """
)


def _run(script: Path, *args: str) -> tuple[str, str, int]:
    """Run ``script``; if it has not exited after 30 s, its stacks (faulthandler) fail the test."""
    proc = subprocess.Popen(
        [sys.executable, str(script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env=dict(os.environ, PYTHONFAULTHANDLER="1"),
    )
    try:
        out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGABRT)  # faulthandler: where it hangs
        try:
            out, err = proc.communicate(timeout=10)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail(f"{script.name} did not exit within 30 s:\n{out}\n{err}")
    return out, err, proc.returncode


def test_a_worker_killed_half_way_through_a_result_does_not_hang_the_stop(
    tmp_path: Path,
) -> None:
    script = tmp_path / "half_sent.py"
    script.write_text(SCRIPT, encoding="utf-8")
    out, err, code = _run(script, str(tmp_path / "ready"))
    assert code == 0, err
    assert "Traceback" not in err, err
    words = out.split()
    assert words[:3] == ["pool", "thread", "gone"], out
    assert float(words[3]) < 5, out  # (the workers' join has a time limit of its own)


# kg's first signal raises KeyboardInterrupt in the main thread.  process_map
# blocks the signals there while it submits (and so forks workers), but kg has
# other threads (the store's), and the kernel gives a signal to one of them: its
# handler still runs in the main thread, between any two steps of the submit.
# Here it lands just after a worker is forked, before the pool has listed it:
# a worker nobody stopped, which the exit then waited for (multiprocessing joins
# its children).  Now the signal waits until the submit is over (interrupt.deferred).
SPAWN_SCRIPT = textwrap.dedent(
    """
    import multiprocessing, os, signal, threading, time
    import multiprocessing.process

    from kg import interrupt
    from kg.parallel import process_map

    real_start = multiprocessing.process.BaseProcess.start


    def start(self):
        real_start(self)
        os.kill(os.getpid(), signal.SIGINT)  # to kg, as Ctrl-C does
        time.sleep(0.2)  # (another thread takes it; the main thread raises it soon)


    def work(item):
        return item


    if __name__ == "__main__":
        interrupt.install()  # as the kg command does
        bystander = threading.Thread(target=time.sleep, args=(600,), daemon=True)
        bystander.start()  # as the store's threads in kg build
        multiprocessing.process.BaseProcess.start = start
        try:
            for _ in process_map(work, range(100), workers=2):
                pass
            print("not interrupted", flush=True)
        except KeyboardInterrupt:
            multiprocessing.process.BaseProcess.start = real_start
            time.sleep(0.5)
            alive = [p for p in multiprocessing.active_children() if p.is_alive()]
            print("interrupted", len(alive), "workers alive", flush=True)
    """
)


def test_a_signal_while_a_worker_starts_leaves_no_worker_behind(tmp_path: Path) -> None:
    script = tmp_path / "spawn.py"
    script.write_text(SPAWN_SCRIPT, encoding="utf-8")
    out, err, code = _run(script)
    assert code == 0, err
    assert "Traceback" not in err, err
    assert out.split() == ["interrupted", "0", "workers", "alive"], out

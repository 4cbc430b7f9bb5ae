"""Real signals sent to a real ``kg`` process group (issue 18).

* SIGTERM to the group of ``kg build --workers 2`` (as ``kill -- -PGID`` or a
  service manager does): exit 130 within 5 s, one line, no worker traceback,
  no process of the group left, the previous build as it was;
* two signals 0-2 ms apart (Ctrl-C under ``timeout``): still one line;
* a signal that lands while or after the new build is swapped in: the build is
  complete, so exit 0 and one line saying so.
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
INTERRUPTED = "kg: interrupted; outputs were left as they were"

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX process groups"),
    pytest.mark.slow,
]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds eight times over: long enough to be interrupted while workers run (three
    times over, the compiled extraction finished a build within the last delay)."""
    src = tmp_path_factory.mktemp("pages")
    for k in range(8):
        for page in sorted(SEEDS.glob("*.txt")):
            shutil.copy(page, src / f"{k}_{page.name}")
    return src


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished build that every interrupted build must leave as it was."""
    out = tmp_path_factory.mktemp("prev") / "out"
    page = sorted(SEEDS.glob("*.txt"))[0]
    proc = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", str(page), "--out", str(out), "-q"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return out


def _group_members(pgid: int) -> int:
    """How many live processes are in process group ``pgid`` (Linux /proc)."""
    count = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path("/proc", entry, "stat").read_text()
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()  # after "pid (comm)"
        if int(fields[2]) == pgid and fields[0] != "Z":
            count += 1
    return count


def _start_build(src: Path, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "build", str(src), "--out", str(out), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell job has
        env=dict(os.environ, PYTHONFAULTHANDLER="1"),  # (stacks on SIGABRT: see _finish)
    )


def _wait_for_workers(proc: subprocess.Popen[str]) -> None:
    """Until kg and both workers are up (or a time limit: then signal anyway)."""
    if not Path("/proc/self/stat").exists():
        time.sleep(2.0)
        return
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if _group_members(proc.pid) >= 3:
            return
        time.sleep(0.01)


def _finish(proc: subprocess.Popen[str], sent: float) -> tuple[int, str, float]:
    try:
        _out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail(f"kg did not exit within 30 s of the signal\n{_stacks(proc)}")
    return proc.returncode, err, time.monotonic() - sent


def _stacks(proc: subprocess.Popen[str]) -> str:
    """Where a hung kg and its workers are: their state, and the stacks of every
    thread (faulthandler, on SIGABRT to the group); the group is then killed."""
    states = []
    if Path("/proc/self/status").exists():
        for pid in sorted(int(e) for e in os.listdir("/proc") if e.isdigit()):
            try:
                if os.getpgid(pid) != proc.pid:
                    continue
                status = Path("/proc", str(pid), "status").read_text()
            except OSError:
                continue
            keep = ("State", "PPid", "Threads", "SigBlk", "SigIgn")
            fields = [line for line in status.splitlines() if line.startswith(keep)]
            states.append(f"pid {pid}: " + "; ".join(" ".join(f.split()) for f in fields))
    try:
        os.killpg(proc.pid, signal.SIGABRT)
        _out, err = proc.communicate(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        err = "(no stacks)"
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()
    return "\n".join([*states, err])


def _assert_group_gone(pgid: int) -> None:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        if Path("/proc").exists() and _group_members(pgid) == 0:
            return  # only zombies waiting to be reaped by init
        time.sleep(0.05)
    pytest.fail(f"processes of group {pgid} outlived kg (workers left running)")


def _assert_unchanged(out: Path, previous: Path) -> None:
    # every file of the previous build, the store's own files included, byte for byte
    names = sorted(str(p.relative_to(previous)) for p in previous.rglob("*"))
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == names
    for name in names:
        if (previous / name).is_file():
            assert filecmp.cmp(out / name, previous / name, shallow=False), name
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]  # no temporary left


# Offsets after the workers are up: at once, during the first pages, later on.
DELAYS = [0.0, 0.05, 0.3, 0.8, 1.5]


@pytest.mark.parametrize("delay", DELAYS)
def test_sigterm_to_the_process_group_of_a_parallel_build(
    pages: Path, previous: Path, tmp_path: Path, delay: float
) -> None:
    out = tmp_path / "out"
    shutil.copytree(previous, out)
    proc = _start_build(pages, out)
    _wait_for_workers(proc)
    time.sleep(delay)
    sent = time.monotonic()
    os.killpg(proc.pid, signal.SIGTERM)
    code, err, took = _finish(proc, sent)
    assert "Traceback" not in err, err
    assert code == 130, err
    assert err.splitlines() == [INTERRUPTED]
    assert took < 5, f"exit took {took:.1f} s"
    _assert_group_gone(proc.pid)
    _assert_unchanged(out, previous)


@pytest.mark.parametrize(
    ("first", "second", "gap"),
    [
        (signal.SIGINT, signal.SIGINT, 0.0),
        (signal.SIGINT, signal.SIGINT, 0.002),
        (signal.SIGTERM, signal.SIGINT, 0.001),
        (signal.SIGINT, signal.SIGTERM, 0.0),
    ],
)
def test_two_signals_close_together_give_one_line(
    pages: Path, previous: Path, tmp_path: Path, first: int, second: int, gap: float
) -> None:
    out = tmp_path / "out"
    shutil.copytree(previous, out)
    proc = _start_build(pages, out)
    _wait_for_workers(proc)
    time.sleep(0.2)
    sent = time.monotonic()
    os.killpg(proc.pid, first)
    if gap:
        time.sleep(gap)
    os.killpg(proc.pid, second)
    code, err, took = _finish(proc, sent)
    assert "Traceback" not in err, err
    assert code == 130, err
    assert err.splitlines() == [INTERRUPTED]
    assert took < 5, f"exit took {took:.1f} s"
    _assert_group_gone(proc.pid)
    _assert_unchanged(out, previous)


def test_workers_do_not_outlive_a_killed_kg(pages: Path, tmp_path: Path) -> None:
    """They ignore SIGTERM, so they must notice by themselves that kg is gone."""
    proc = _start_build(pages, tmp_path / "out")
    _wait_for_workers(proc)
    os.kill(proc.pid, signal.SIGKILL)  # kg only, not its group
    proc.wait(timeout=30)  # reaped, as a shell does
    _assert_group_gone(proc.pid)
    proc.communicate(timeout=30)


# A signal sent by kg to itself at an exact point of the output swap: `where`
# names the call after which it is sent.
DRIVER = textwrap.dedent(
    """
    import os, signal, sys
    import kg.output
    from kg.cli import main

    where, out = sys.argv[1], sys.argv[2]
    real_replace, real_swap = os.replace, kg.output.AtomicDir._swap

    def replace(src, dst):
        real_replace(src, dst)
        moved_aside = ".old-" in os.fspath(dst)
        if (where == "aside" and moved_aside) or (where == "in" and os.fspath(dst) == out):
            os.kill(os.getpid(), signal.SIGTERM)

    def swap(self, tmp):
        real_swap(self, tmp)
        if where == "after":
            os.kill(os.getpid(), signal.SIGINT)

    os.replace = replace
    kg.output.AtomicDir._swap = swap
    sys.argv = ["kg", "build", *sys.argv[3:], "--out", out, "--quiet"]
    sys.exit(main())
    """
)


@pytest.mark.parametrize(
    ("where", "signame"),
    [("aside", "SIGTERM"), ("in", "SIGTERM"), ("after", "SIGINT")],
)
def test_a_signal_during_or_after_the_swap_reports_a_complete_build(
    previous: Path, tmp_path: Path, where: str, signame: str
) -> None:
    """'aside': the old build was just moved aside, the new one not yet in;
    'in': the new one was just moved in; 'after': the swap has returned."""
    out = tmp_path / "out"
    shutil.copytree(previous, out)
    page = sorted(SEEDS.glob("*.txt"))[1]
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER, where, str(out), str(page)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines() == [
        f"kg: build completed before the {signame} arrived; its output is complete"
    ]
    docs = (out / "extraction.jsonl").read_text(encoding="utf-8")
    assert page.name in docs  # the new build, complete
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # old build removed


def test_a_signal_before_the_swap_leaves_the_previous_build(previous: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(previous, out)
    driver = DRIVER.replace('if where == "after":', 'if where == "never":').replace(
        "real_swap(self, tmp)", "os.kill(os.getpid(), signal.SIGTERM); real_swap(self, tmp)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", driver, "before", str(out), str(sorted(SEEDS.glob("*.txt"))[1])],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 130
    assert proc.stderr.splitlines() == [INTERRUPTED]
    _assert_unchanged(out, previous)

"""Atomic outputs: failures leave the previous contents untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import OutputError
from kg.output import MARKER, AtomicDir, atomic_file


def test_atomic_file_replaces_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_file(target) as fh:
        fh.write("half")  # type: ignore[attr-defined]
        raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
    with atomic_file(target) as fh:
        fh.write("new")  # type: ignore[attr-defined]
    assert target.read_text(encoding="utf-8") == "new"


def test_atomic_dir_keeps_previous_build_on_failure(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with AtomicDir(out) as tmp:
        (tmp / "graph.ttl").write_text("v1", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), AtomicDir(out) as tmp:
        (tmp / "graph.ttl").write_text("v2-partial", encoding="utf-8")
        raise KeyboardInterrupt
    assert (out / "graph.ttl").read_text(encoding="utf-8") == "v1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temp dirs left


def test_atomic_dir_replaces_old_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with AtomicDir(out) as tmp:
        (tmp / "old.txt").write_text("x", encoding="utf-8")
    with AtomicDir(out) as tmp:
        (tmp / "new.txt").write_text("y", encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "new.txt"]


def test_atomic_dir_refuses_foreign_directory(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_text("precious", encoding="utf-8")
    with pytest.raises(OutputError, match="did not write"), AtomicDir(out):
        pass
    assert (out / "thesis.docx").read_text(encoding="utf-8") == "precious"


def test_atomic_dir_refuses_file_target(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="not a directory"), AtomicDir(target):
        pass


def test_outputs_get_the_usual_modes_not_mkstemp_ones(tmp_path: Path) -> None:
    """Regression: files were written 0600 and build directories 0700 (mkstemp/mkdtemp)."""
    import os

    mask = os.umask(0o022)
    try:
        with atomic_file(tmp_path / "f.txt") as fh:
            fh.write("x")  # type: ignore[attr-defined]
        with AtomicDir(tmp_path / "out") as tmp:
            (tmp / "g.txt").write_text("y", encoding="utf-8")
    finally:
        os.umask(mask)
    assert (tmp_path / "f.txt").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o755


def test_stale_temporary_directories_of_killed_builds_are_removed(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "out"
    with AtomicDir(out) as tmp:
        (tmp / "a.txt").write_text("v1", encoding="utf-8")
    # a build that is killed with SIGKILL while it writes its temporary directory
    code = (
        "import sys, time\n"
        "from kg.output import AtomicDir\n"
        f"with AtomicDir({str(out)!r}) as tmp:\n"
        "    print(tmp, flush=True)\n"
        "    time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    left = Path(proc.stdout.readline().strip())
    assert left.is_dir()
    # while it runs, another build leaves its directory alone
    with AtomicDir(out) as tmp:
        (tmp / "a.txt").write_text("v2", encoding="utf-8")
    assert left.is_dir()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(0.1)
    # and one after the kill removes it (and a swap's leftover of a dead process)
    dead = tmp_path / ".out.old-999999999"
    dead.mkdir()
    (dead / MARKER).write_text("x", encoding="utf-8")
    mine = tmp_path / ".out.tmp-notkg"  # not kg's: no marker, kept
    mine.mkdir()
    with AtomicDir(out) as tmp:
        (tmp / "a.txt").write_text("v3", encoding="utf-8")
    assert not left.exists() and not dead.exists() and mine.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.tmp-notkg", "out"]
    assert (out / "a.txt").read_text(encoding="utf-8") == "v3"
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "a.txt"]

"""Hostile inputs (issue 18): named pipes, file names that are not UTF-8 or hold
line breaks, and ``--out`` pointing at a directory.

The commands run in a subprocess with a time limit, so a regression that blocks
on a named pipe fails the test instead of hanging the suite.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kg.errors import InputError, shown
from kg.text import iter_documents

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "004_dda077ff57b881a0.txt"
LIMIT = 120  # seconds; a blocked read shows up as a timeout

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


def kg(*args: str | os.PathLike[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *map(os.fspath, args)],
        capture_output=True,
        text=True,
        errors="backslashreplace",
        timeout=LIMIT,
        cwd=cwd,
        check=False,
    )


def _inputs(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEED, src / SEED.name)
    return src


def _error_lines(stderr: str) -> list[str]:
    assert "Traceback" not in stderr, stderr
    return stderr.strip().splitlines()


# --------------------------------------------------------------------------- shown


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("江苏省总工会.txt", "江苏省总工会.txt"),
        ("a b.txt", "a b.txt"),
        ("empty\nname.txt", "empty\\nname.txt"),
        ("a\r\tb", "a\\r\\tb"),
        ("\x1b[2Jclear.txt", "\\x1b[2Jclear.txt"),
        ("rtl\u202etxt.exe", "rtl\\u202etxt.exe"),
        ("line\u2028sep", "line\\u2028sep"),
        (os.fsdecode(b"bad\xff\xfe.txt"), "bad\\xff\\xfe.txt"),
        (b"bad\xff\xfe.txt", "bad\\xff\\xfe.txt"),
    ],
)
def test_shown_escapes_what_would_break_a_line(name: str | bytes, expected: str) -> None:
    assert shown(name) == expected


def test_error_messages_are_one_printable_line() -> None:
    err = InputError("bad\nname\x1b", hint="fix\u2028it")
    assert str(err) == "bad name\\x1b; fix it"


# --------------------------------------------------------------------------- named pipes


@needs_fifo
def test_named_pipe_in_a_directory_is_skipped_with_one_warning(tmp_path: Path) -> None:
    src = _inputs(tmp_path)
    os.mkfifo(src / "pipe.txt")
    out = tmp_path / "out"
    proc = kg("build", src, "--out", out, "--quiet", "--no-html")
    assert proc.returncode == 0, proc.stderr
    [line] = _error_lines(proc.stderr)
    assert line.startswith("kg: warning:") and "pipe.txt" in line
    assert "not a regular file" in line and "named pipe" in line
    docs = [
        json.loads(x)["doc"] for x in (out / "extraction.jsonl").read_text("utf-8").split("\n") if x
    ]
    assert docs == [SEED.name]


@needs_fifo
def test_named_pipe_matched_by_a_glob_is_skipped_with_one_warning(tmp_path: Path) -> None:
    src = _inputs(tmp_path)
    os.mkfifo(src / "pipe.txt")
    proc = kg("extract", f"{src}/*.txt", "--out", tmp_path / "p.jsonl", "--quiet")
    assert proc.returncode == 0, proc.stderr
    [line] = _error_lines(proc.stderr)
    assert "pipe.txt" in line and "not a regular file" in line


@needs_fifo
def test_named_pipe_in_a_directory_with_strict_is_an_input_error(tmp_path: Path) -> None:
    src = _inputs(tmp_path)
    os.mkfifo(src / "pipe.txt")
    proc = kg("build", src, "--out", tmp_path / "out", "--strict", "--quiet")
    assert proc.returncode == 3
    [line] = _error_lines(proc.stderr)
    assert line.startswith("kg: error:") and "not a regular file" in line
    assert not (tmp_path / "out").exists()


@needs_fifo
def test_named_pipe_given_directly_is_exit_3_with_the_reason(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    for extra in ([], ["--strict"]):
        proc = kg("build", tmp_path / "pipe.txt", "--out", tmp_path / "out", *extra)
        assert proc.returncode == 3
        [line] = _error_lines(proc.stderr)
        assert "not a regular file (a named pipe)" in line
        assert "does not exist" not in line
    assert not (tmp_path / "out").exists()


@needs_fifo
def test_reading_never_opens_a_named_pipe(tmp_path: Path) -> None:
    """In-process: opening a pipe without a writer blocks; so is it never opened?"""
    src = _inputs(tmp_path)
    fifo = src / "pipe.txt"
    os.mkfifo(fifo)

    def unblock() -> None:  # after a regression: let a blocked open return, so the test fails
        with contextlib.suppress(OSError):  # ENXIO: nobody is reading, all is well
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    watchdog = threading.Timer(10, unblock)
    watchdog.start()
    seen: list[str] = []
    try:
        docs = list(iter_documents([src], on_warning=seen.append))
    finally:
        watchdog.cancel()
    assert [d.doc_id for d in docs] == [SEED.name]
    assert len(seen) == 1 and "not a regular file" in seen[0]


# --------------------------------------------------------------------------- file names


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="needs byte file names")
def test_file_name_that_is_not_utf8_is_read_and_shown_escaped(tmp_path: Path) -> None:
    src = _inputs(tmp_path)
    bad = os.path.join(os.fsencode(src), b"bad\xff\xfe.txt")
    shutil.copy(SEED, bad)
    out = tmp_path / "out"
    proc = kg("build", src, "--out", out, "--quiet")
    assert proc.returncode == 0, proc.stderr
    [line] = _error_lines(proc.stderr)
    assert "bad\\xff\\xfe.txt" in line and "not valid UTF-8" in line
    records = [json.loads(x) for x in (out / "extraction.jsonl").read_text("utf-8").splitlines()]
    assert sorted(r["doc"] for r in records) == sorted([SEED.name, "bad\\xff\\xfe.txt"])
    for name in ("graph.trig", "graph.ttl", "graph.graphml", "network.html"):
        (out / name).read_text(encoding="utf-8")  # every output is valid UTF-8
    # given directly, too
    proc = kg("extract", os.fsdecode(bad), "--out", tmp_path / "one.jsonl", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert "bad\\xff\\xfe.txt" in proc.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="no line breaks in Windows file names")
def test_a_line_break_in_a_file_name_is_shown_as_backslash_n(tmp_path: Path) -> None:
    src = _inputs(tmp_path)
    (src / "empty\nname.txt").write_bytes(b"")
    proc = kg("extract", src, "--out", tmp_path / "p.jsonl", "--quiet")
    assert proc.returncode == 0, proc.stderr
    [line] = _error_lines(proc.stderr)  # one line, not two
    assert "empty\\nname.txt" in line and "is empty" in line
    proc = kg("extract", src / "empty\nname.txt", "--out", tmp_path / "q.jsonl")
    assert proc.returncode == 3
    warning, error = _error_lines(proc.stderr)  # the skipped file, then "no document"
    assert warning.startswith("kg: warning:") and "empty\\nname.txt" in warning
    assert error.startswith("kg: error: no document could be read")


@pytest.mark.skipif(sys.platform == "win32", reason="no line breaks in Windows file names")
def test_a_page_whose_name_holds_a_line_break_gets_an_escaped_id(tmp_path: Path) -> None:
    src = _inputs(tmp_path)
    shutil.copy(SEED, src / "two\nlines.txt")
    seen: list[str] = []
    ids = sorted(d.doc_id for d in iter_documents([src], on_warning=seen.append))
    assert ids == sorted([SEED.name, "two\\nlines.txt"])
    assert seen == []


# --------------------------------------------------------------------------- --out


def test_extract_into_an_existing_directory_is_an_output_error(tmp_path: Path) -> None:
    out = tmp_path / "exdir"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    proc = kg("extract", SEED, "--out", out)
    assert proc.returncode == 5
    [line] = _error_lines(proc.stderr)
    assert line.startswith(f"kg: error: cannot write {out}") and "directory" in line
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exdir"]  # no temporary file left


def test_atomic_file_into_a_directory_is_an_output_error(tmp_path: Path) -> None:
    from kg.errors import OutputError
    from kg.output import atomic_file

    with pytest.raises(OutputError, match="is a directory"), atomic_file(tmp_path):
        pass
    assert list(tmp_path.iterdir()) == []

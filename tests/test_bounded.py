"""Queries run where they can be stopped (issue 18 row 4): a child with a time limit."""

from __future__ import annotations

import multiprocessing
import time

import pytest

from kg.errors import QueryError
from kg.rdf.bounded import Writer, run_bounded


def _sleeper(out: Writer) -> None:
    print("started", file=out, flush=True)
    time.sleep(60)


def test_a_query_past_its_limit_is_stopped_with_exit_4(capfd: pytest.CaptureFixture[str]) -> None:
    t0 = time.monotonic()
    with pytest.raises(QueryError, match=r"time limit of 0\.5 s") as info:
        run_bounded(_sleeper, timeout=0.5)
    assert time.monotonic() - t0 < 10
    assert info.value.exit_code == 4
    assert "started" in capfd.readouterr().out


def _writer(out: Writer) -> None:
    for i in range(3):
        print(f"row {i}", file=out)


def test_output_is_written_by_the_child(capfd: pytest.CaptureFixture[str]) -> None:
    run_bounded(_writer, timeout=30)
    assert capfd.readouterr().out.splitlines() == ["row 0", "row 1", "row 2"]


def _bad_query(out: Writer) -> None:
    raise QueryError("the query cannot be run: oops", hint="fix it")


def test_an_expected_error_in_the_child_keeps_its_message_and_code() -> None:
    with pytest.raises(QueryError) as info:
        run_bounded(_bad_query, timeout=30)
    assert info.value.exit_code == 4 and "oops" in str(info.value)


def _crash(out: Writer) -> None:
    raise ZeroDivisionError("boom")


def test_an_internal_error_in_the_child_is_not_hidden() -> None:
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        run_bounded(_crash, timeout=30)


def test_no_child_is_left_behind() -> None:
    with pytest.raises(QueryError):
        run_bounded(_sleeper, timeout=0.3)
    assert multiprocessing.active_children() == []

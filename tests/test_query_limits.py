"""kg query on hostile queries (issue 18 rows 1, 2, 4, 8): refused before any
connection, stopped at the time limit, never changing the build.  Real processes,
a real loopback listener that records connections."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_serve import Listener

ROOT = Path(__file__).resolve().parents[1]


def _kg(*args: str, timeout: float = 60) -> tuple[int, str, float]:
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "kg.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )
    return proc.returncode, proc.stderr, time.monotonic() - t0


def test_service_is_refused_before_any_connection(seed_out: Path) -> None:
    listener = Listener()
    try:
        for target in (f"http://127.0.0.1:{listener.port}/sparql", "http://203.0.113.9/"):
            code, err, _ = _kg(
                "query", str(seed_out), f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"
            )
            assert code == 4, err
            assert "queries do not leave this machine" in err and "--allow-service" in err
        time.sleep(0.5)
        assert listener.connections == 0
    finally:
        listener.close()


def test_with_allow_service_the_time_limit_still_applies(seed_out: Path) -> None:
    listener = Listener()  # accepts and never answers
    try:
        query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}"
        code, err, took = _kg(
            "query", str(seed_out), query, "--allow-service", "--timeout", "2", timeout=60
        )
        assert code == 4, err
        assert "time limit of 2 s" in err
        assert took < 20
    finally:
        listener.close()


def test_a_runaway_query_is_stopped_at_the_limit(seed_out: Path) -> None:
    query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    code, err, took = _kg("query", str(seed_out), query, "--timeout", "1", "--format", "csv")
    assert code == 4, err
    assert "time limit of 1 s" in err and len(err.strip().splitlines()) == 1
    assert took < 20


@pytest.mark.parametrize(
    "update",
    [
        "DROP ALL",
        "INSERT DATA { <a:b> <a:c> <a:d> }",
        "CLEAR DEFAULT",
        "LOAD <http://127.0.0.1:9/x.ttl>",
        "DELETE WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_refused_and_nothing_changes(seed_out: Path, update: str) -> None:
    before = sorted((p.relative_to(seed_out), p.stat().st_size) for p in seed_out.rglob("*"))
    code, err, _ = _kg("query", str(seed_out), update)
    assert code == 4, err
    assert "updates are not supported: the build is read-only" in err
    after = sorted((p.relative_to(seed_out), p.stat().st_size) for p in seed_out.rglob("*"))
    assert after == before


def test_csv_rows_stream_out_before_the_limit_stops_the_query(seed_out: Path) -> None:
    cross = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
    argv = ["query", str(seed_out), cross, "--timeout", "3", "--format", "csv"]
    proc = subprocess.run(
        [sys.executable, "-m", "kg.cli", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert proc.returncode == 4, proc.stderr
    assert "time limit of 3 s" in proc.stderr
    # rows were written as they came, not held until the end
    assert len(proc.stdout.splitlines()) > 1000


def test_streamed_csv_equals_the_rendered_csv(seed_out: Path) -> None:
    import io

    from kg.rdf import query

    for nq in query.list_named():
        params = dict(nq.defaults)
        buf = io.StringIO()
        query.stream_csv(seed_out, nq.name, params, buf)
        assert buf.getvalue() == query.run(seed_out, nq.name, params, "csv"), nq.name

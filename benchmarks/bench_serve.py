"""Serve: ``kg serve`` throughput under concurrent clients on loopback.

A synthetic build of ``size`` triples (:mod:`benchmarks.synthetic_rdf`, the
same as the SPARQL benchmark's) is served by ``python -m kg.cli serve`` (the
front that checks each query, then oxigraph ``serve-read-only``), and
``clients`` threads send the text of a named query (POST
``application/sparql-query``, JSON results) until ``requests`` answers or
``max_seconds`` have passed.  Reported: requests/s and the median and 99th
percentile latency.  The same load against ``oxigraph serve-read-only`` alone
(no front) gives the front's overhead.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from benchmarks.common import Result, missing, out_dir
from benchmarks.synthetic_rdf import ensure_build_dir


def _load(url: str, text: str, clients: int, requests: int, max_seconds: float) -> dict[str, Any]:
    """``clients`` threads sending ``text`` to ``url`` until ``requests`` or ``max_seconds``."""
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    sent = [0]
    deadline = time.monotonic() + max_seconds
    body = text.encode("utf-8")

    def client() -> None:
        while time.monotonic() < deadline:
            with lock:
                if sent[0] >= requests:
                    return
                sent[0] += 1
            req = urllib.request.Request(
                url,
                data=body,
                headers={
                    "Content-Type": "application/sparql-query",
                    "Accept": "application/sparql-results+json",
                },
            )
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(req, timeout=60) as r:
                    r.read()
                ok = r.status == 200
            except Exception as exc:  # counted, reported
                ok = False
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}"[:200])
            elapsed = time.perf_counter() - t0
            if ok:
                with lock:
                    latencies.append(elapsed)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    lat = sorted(latencies)
    p99 = lat[min(len(lat) - 1, int(0.99 * len(lat)))] if lat else None
    return {
        "clients": clients,
        "requests": len(lat),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "seconds": round(seconds, 3),
        "requests_per_s": round(len(lat) / seconds, 1) if seconds > 0 else None,
        "p50_ms": round(1000 * statistics.median(lat), 2) if lat else None,
        "p99_ms": round(1000 * p99, 2) if p99 is not None else None,
    }


def _start_front(src: Path) -> tuple[subprocess.Popen[str], str]:
    from kg.serve import free_port

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", str(src), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("serving"):
        proc.kill()
        raise RuntimeError(f"kg serve did not start: {line!r}")
    threading.Thread(target=proc.stdout.read, daemon=True).start()
    return proc, f"http://127.0.0.1:{port}/query"


def run(
    size: int = 100_000,
    clients: int = 8,
    requests: int = 800,
    max_seconds: float = 60.0,
    query: str = "procuratorate_cooperation",
    seed: int = 0,
) -> Result:
    """Throughput of ``kg serve`` (and of oxigraph's server alone) for one named query."""
    why = missing("kg.serve:serve", "kg.serve:start_backend", "kg.rdf.store:write_store")
    if why:
        return {"status": "not available", "reason": why}
    from kg.rdf.query import queries_dir
    from kg.serve import _PREFIX_LINES, start_backend

    src = out_dir() / "rdf" / f"t{size}"
    info = ensure_build_dir(src, size, seed=seed)
    text = (queries_dir() / f"{query}.rq").read_text(encoding="utf-8")
    proc, url = _start_front(src)
    try:
        _load(url, text, 1, 3, 30)  # warm-up
        front = _load(url, text, clients, requests, max_seconds)
    finally:
        proc.terminate()
        proc.wait(10)
    backend = start_backend(src, 30.0)
    try:
        _load(backend.url, _PREFIX_LINES + text, 1, 3, 30)
        direct = _load(backend.url, _PREFIX_LINES + text, clients, requests, max_seconds)
    finally:
        backend.stop()
    return {
        "status": "ok",
        "triples": info.get("triples"),
        "query": query,
        "front": front,
        "direct": direct,
    }

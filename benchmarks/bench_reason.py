"""Reasoning: ``kg reason`` against owlrl on 10k and 100k triples.

Both sides see the same synthetic build (:mod:`benchmarks.synthetic_rdf`).

``kg``
    ``kg.rdf.reason.reason(dir)``: the product's whole command (load, rules to a
    fixpoint, write ``inferred.trig``).
``owlrl``
    ``owlrl.DeductiveClosure(OWLRL_Semantics).expand(g)`` on an rdflib graph
    holding ``graph.ttl`` and the ontology ``kg.ttl``; parsing is *not* timed,
    which favours owlrl.  A run longer than ``owlrl_timeout`` seconds is stopped
    and reported as a lower bound.
"""

from __future__ import annotations

import shutil
import signal
import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks.common import Result, missing, out_dir, ratio
from benchmarks.synthetic_rdf import ensure_build_dir


class _Timeout(BaseException):
    """Raised by SIGALRM; a BaseException so that no ``except Exception`` swallows it."""


def _alarm(signum: int, frame: object) -> None:
    raise _Timeout


def _kg(src: Path, work: Path, repeats: int) -> dict[str, Any]:
    from kg.rdf.reason import reason

    times: list[float] = []
    report: Any = None
    for _ in range(max(1, repeats)):
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(src, work)
        t0 = time.perf_counter()
        report = reason(work)
        times.append(time.perf_counter() - t0)
    inferred = work / "inferred.trig"
    out: dict[str, Any] = {
        "seconds": round(statistics.median(times), 4),
        "times": [round(t, 4) for t in times],
        "inferred_bytes": inferred.stat().st_size if inferred.exists() else None,
    }
    for attr in ("inferred", "total", "triples", "added"):
        value = getattr(report, attr, None)
        if isinstance(value, int):
            out[f"report_{attr}"] = value
    return out


def _owlrl(src: Path, timeout: float) -> dict[str, Any]:
    import owlrl
    import rdflib

    from kg.resources import data_path

    g = rdflib.Graph()
    t0 = time.perf_counter()
    g.parse(src / "graph.ttl", format="turtle")
    g.parse(data_path("kg.ttl"), format="turtle")
    parse = time.perf_counter() - t0
    before = len(g)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    t0 = time.perf_counter()
    try:
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
        timed_out = False
    except _Timeout:
        timed_out = True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    seconds = time.perf_counter() - t0
    return {
        "seconds": round(seconds, 4),
        "timed_out": timed_out,
        "parse_seconds": round(parse, 4),
        "input_triples": before,
        "added_triples": None if timed_out else len(g) - before,
    }


def run(
    sizes: list[int] | None = None,
    repeats: int = 1,
    seed: int = 0,
    owlrl_timeout: float = 900.0,
) -> Result:
    """Time ``kg reason`` and owlrl on synthetic builds of about ``sizes`` triples."""
    why = missing("kg.rdf.build:to_dataset")
    if why:
        return {"status": "not available", "reason": why}
    kg_why = missing("kg.rdf.reason:reason")
    out: dict[str, Any] = {}
    for size in sizes or [10_000, 100_000]:
        src = out_dir() / "rdf" / f"t{size}"
        info = ensure_build_dir(src, size, seed=seed)
        entry: dict[str, Any] = {"triples": info.get("triples")}
        entry["owlrl"] = _owlrl(src, owlrl_timeout)
        if kg_why is None:
            entry["kg"] = _kg(src, out_dir() / "rdf" / f"t{size}-reason", repeats)
            # owlrl seconds / kg seconds: how many times faster kg is
            entry["speedup"] = ratio(entry["owlrl"]["seconds"], entry["kg"]["seconds"])
            entry["speedup_is_lower_bound"] = entry["owlrl"]["timed_out"]
        else:
            entry["kg"] = "not available"
        out[str(size)] = entry
    result: Result = {"status": "ok" if kg_why is None else "partial", "sizes": out}
    if kg_why:
        result["reason"] = kg_why
    return result

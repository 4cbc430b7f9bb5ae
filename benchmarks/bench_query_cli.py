"""``kg query DIR NAME`` as a user runs it: a new process per question, start-up included.

Issue 15 asks that one call answers in at most 0.6 s on a build of the seeds
repeated 100 times.  This benchmark times ``python -m kg.cli query DIR NAME``
for every named query of ``ontology/queries/`` on that build: one call first
(the operating system's cache warms), then ``repeats`` timed calls; median and
slowest wall time, and the rows printed.  Parameters are values that exist in
the build (:func:`benchmarks.bench_sparql.pick_params`).  The build is the one
the ``scale`` benchmark left in ``out/build/<scale>x``; when it is missing it is
built first (untimed here).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import Result, missing, out_dir
from benchmarks.generate import generate_corpus

TARGET_SECONDS = 0.6
_NEEDS = ("pyoxigraph", "rdflib", "jieba")


def _build_dir(scale: float, timeout: float) -> Path:
    from benchmarks.bench_scale import _build, _label, seed_chars

    label = _label(scale)
    build = out_dir() / "build" / label
    if not (build / "store").is_dir() or not (build / "graph.trig").is_file():
        corpus = out_dir() / "corpus" / f"scale-{label}"
        generate_corpus(corpus, int(scale * seed_chars()), seed=0)
        done = _build(corpus, build, 1, timeout)  # as the scale benchmark builds it
        if done.get("returncode") != 0:
            raise RuntimeError(f"kg build of the {label} corpus failed: {done.get('error')}")
    return build


def _call(build: Path, name: str, params: dict[str, str], timeout: float) -> tuple[float, int]:
    cmd = [sys.executable, "-m", "kg.cli", "query", str(build), name, "--format", "csv"]
    for key, value in params.items():
        cmd += ["--param", f"{key}={value}"]
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        tail = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["?"])[-1]
        raise RuntimeError(f"kg query {name} exited {done.returncode}: {tail[:300]}")
    return seconds, max(0, done.stdout.count(b"\n") - 1)


def run(scale: float = 100, repeats: int = 3, timeout: float = 3600.0) -> Result:
    """Time every named query through the command line on the ``scale``x build."""
    why = missing(*_NEEDS)
    if why:
        return {"status": "not available", "reason": why}
    from benchmarks.bench_sparql import pick_params

    build = _build_dir(scale, timeout)
    params = pick_params(build)
    queries: dict[str, Any] = {}
    for name, p in sorted(params.items()):
        _call(build, name, p, timeout)  # the first call warms the page cache
        runs = [_call(build, name, p, timeout) for _ in range(repeats)]
        times = [s for s, _ in runs]
        queries[name] = {
            "params": p,
            "rows": runs[-1][1],
            "median_s": round(statistics.median(times), 3),
            "max_s": round(max(times), 3),
            "met": statistics.median(times) <= TARGET_SECONDS,
        }
    return {
        "status": "ok",
        "scale": scale,
        "build": str(build),
        "repeats": repeats,
        "target_s": TARGET_SECONDS,
        "queries": queries,
        "met": all(q["met"] for q in queries.values()),
    }

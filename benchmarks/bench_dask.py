"""Dask: ``kg extract --dask local`` beside ``--workers``, on one corpus, in one run.

On a corpus of ``scale`` times the seeds' characters (:mod:`benchmarks.generate`,
cached like the scale benchmark's), ``python -m kg.cli extract`` runs in a
child process, measured by :func:`benchmarks.proc.run_measured` (wall time,
peak RSS of the whole process tree, Dask's scheduler and workers included),
four ways, interleaved: ``--workers 1``, ``--dask local --workers 1``,
``--workers 2``, ``--dask local --workers 2``.  Extraction is the stage that
runs on the workers; every output is compared byte for byte with the first.

``stages`` also times, in this process, what a build still does on one machine
after extraction -- turning results into quads (entity IRIs are merged across
documents there), writing the TriG/Turtle, bulk-loading the store, the
networkx view and GraphML -- beside the extraction itself, on the same corpus
(the numbers of ``docs/scale.md``).
"""

from __future__ import annotations

import contextlib
import filecmp
import gc
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.common import Result, missing, out_dir
from benchmarks.generate import generate_corpus

_NEEDS = ("kg.distributed:dask_map", "distributed:Client", "kg.pipeline:iter_results")
_STAGE_NEEDS = (
    "kg.rdf.build:QuadBuilder",
    "kg.rdf.build:write_graphs",
    "kg.rdf.store:write_store",
    "kg.graph:to_networkx",
    "kg.graph:write_graphml",
)


def _label(scale: float) -> str:
    return f"{scale:g}x"


def _measure(cmd: list[str], timeout: float) -> dict[str, Any]:
    """Wall and CPU seconds and peak tree RSS of ``cmd``, Dask's processes included.

    :func:`benchmarks.proc.run_measured` follows the children of the child's
    main thread, and a ``LocalCluster`` starts its workers from another thread,
    so the tree is walked with psutil here (parents of every process).  CPU
    seconds (user + system of the whole tree, once reaped) do not depend on
    how busy the machine is, as wall seconds do.
    """
    import psutil  # installed with distributed

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        peak = 0
        root = psutil.Process(proc.pid)
        while proc.poll() is None:
            rss = 0
            try:
                for p in [root, *root.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        rss += p.memory_info().rss
            except psutil.Error:
                pass
            peak = max(peak, rss)
            if time.perf_counter() - started > timeout:
                proc.kill()
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    row: dict[str, Any] = {
        "returncode": proc.returncode,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "tree_rss_mb": round(peak / 2**20, 1),
    }
    if proc.returncode != 0:
        row["error"] = (stderr.strip().splitlines() or ["(no message)"])[-1][:500]
    return row


def _extract(corpus: Path, out: Path, workers: int, dask: bool, timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "kg.cli", "extract", str(corpus), "--out", str(out), "-q"]
    cmd += ["--workers", str(workers)] + (["--dask", "local"] if dask else [])
    row = _measure(cmd, timeout)
    row.update(mode="dask local" if dask else "processes", workers=workers)
    return row


def stages(corpus: Path) -> dict[str, Any]:
    """Seconds of each stage of a build of ``corpus`` in this process (one core)."""
    from kg.graph import to_networkx, write_graphml
    from kg.pipeline import iter_results
    from kg.rdf.build import QuadBuilder, write_graphs
    from kg.rdf.store import write_store

    out: dict[str, Any] = {}
    t0, c0 = time.perf_counter(), time.process_time()
    results = list(iter_results([str(corpus)], progress=False))
    out["extract"] = time.perf_counter() - t0
    out["extract_cpu"] = time.process_time() - c0
    c0 = time.process_time()
    t0 = time.perf_counter()
    builder = QuadBuilder()
    for res in results:
        builder.add(res)
    quads = builder.finish()
    out["quads_and_merge"] = time.perf_counter() - t0
    out["quads"] = len(quads)
    del results
    gc.collect()
    with tempfile.TemporaryDirectory(prefix="kg-bench-dask-") as tmp:
        t0 = time.perf_counter()
        counts = write_graphs(quads, Path(tmp), store=False)
        out["write_trig_ttl"] = time.perf_counter() - t0
        out["triples"] = int(counts.get("triples", 0))
        t0 = time.perf_counter()
        graph = to_networkx(quads)
        out["networkx"] = time.perf_counter() - t0
        del quads
        gc.collect()
        t0 = time.perf_counter()
        write_store(Path(tmp))
        out["store_load"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        write_graphml(graph, Path(tmp) / "graph.graphml")
        out["graphml"] = time.perf_counter() - t0
    keys = ("quads_and_merge", "write_trig_ttl", "networkx", "store_load", "graphml")
    out["one_machine"] = sum(out[k] for k in keys)
    out["one_machine_cpu"] = time.process_time() - c0  # this process (the store's threads too)
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in out.items()}


def run(
    scale: float = 100,
    workers: list[int] | None = None,
    seed: int = 0,
    timeout: float = 3600.0,
    with_stages: bool = True,
) -> Result:
    """Extraction with 1 and 2 local processes and 1 and 2 Dask LocalCluster workers."""
    why = missing(*_NEEDS)
    if why:
        return {"status": "not available", "reason": why}
    from benchmarks.bench_scale import seed_chars

    counts = workers or [1, 2]
    label = _label(scale)
    corpus = out_dir() / "corpus" / f"scale-{label}"
    manifest = generate_corpus(corpus, int(scale * seed_chars()), seed=seed)
    work = out_dir() / "dask"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    runs: dict[str, Any] = {}
    outputs: dict[str, Path] = {}
    for n in counts:  # interleaved, so that load drifts touch both alike
        for dask in (False, True):
            key = f"{'dask' if dask else 'workers'}-{n}"
            outputs[key] = work / f"{key}.jsonl"
            row = _extract(corpus, outputs[key], n, dask, timeout)
            if row["returncode"] == 0 and row["seconds"] > 0:
                row["chars_per_s"] = round(manifest["chars"] / row["seconds"])
                row["chars_per_cpu_s"] = round(manifest["chars"] / max(row["cpu_seconds"], 1e-9))
            runs[key] = row
    first = outputs[f"workers-{counts[0]}"]
    done = [k for k, r in runs.items() if r["returncode"] == 0]
    identical = all(filecmp.cmp(first, outputs[k], shallow=False) for k in done)
    result: Result = {
        "status": "ok",
        "scale": scale,
        "chars": manifest["chars"],
        "pages": manifest["files"],
        "cpu_count": os.cpu_count(),
        "runs": runs,
        "identical_outputs": identical,
    }
    if with_stages and not missing(*_STAGE_NEEDS):
        result["stages"] = stages(corpus)
    failed = [r for r in runs.values() if r["returncode"] != 0]
    if failed:
        result["status"] = "error"
        result["reason"] = failed[0].get("error", "a run failed")
    elif not identical:
        result["status"] = "error"
        result["reason"] = "the outputs differ between the ways of running"
    shutil.rmtree(work, ignore_errors=True)
    return result


def report_rows(res: dict[str, Any]) -> Iterator[tuple[str, str, str, str, str, str]]:
    """Rows of the benchmark table (see :mod:`benchmarks.report`)."""
    runs = res.get("runs") or {}
    scale = res.get("scale")
    chars = res.get("chars") or 0
    for n in sorted({r["workers"] for r in runs.values()}):
        proc, dask = runs.get(f"workers-{n}") or {}, runs.get(f"dask-{n}") or {}
        ratio = ""
        if proc.get("seconds") and dask.get("seconds"):
            ratio = f"{proc['seconds'] / dask['seconds']:.2f}"
        yield (
            f"kg extract {scale:g}x ({chars / 1e6:.2f}M chars), {n} worker(s)",
            "wall s / CPU s / tree RSS MB: --dask local vs --workers",
            f"{dask.get('seconds', '–')} / {dask.get('cpu_seconds', '–')} / "
            f"{dask.get('tree_rss_mb', '–')}",
            f"{proc.get('seconds', '–')} / {proc.get('cpu_seconds', '–')} / "
            f"{proc.get('tree_rss_mb', '–')}",
            ratio,
            "identical output" + (" ✓" if res.get("identical_outputs") else " ✗"),
        )
    st = res.get("stages")
    if st:
        yield (
            f"kg build {scale:g}x, one core, by stage",
            "s: extract / quads+merge, TriG, store, networkx+GraphML",
            f"{st['extract']} / {st['quads_and_merge']}, {st['write_trig_ttl']}, "
            f"{st['store_load']}, {round(st['networkx'] + st['graphml'], 2)}",
            f"{st['one_machine']} s on one machine (extract CPU {st.get('extract_cpu', '–')} s)",
            "",
            f"{st.get('triples', 0):,} triples",
        )

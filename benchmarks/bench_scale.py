"""Scale: ``kg build`` end to end at multiples of the seed volume.

For each scale ``s`` a corpus of ``s`` times the seeds' characters is generated
(:mod:`benchmarks.generate`, cached under ``benchmarks/out/corpus``) and
``python -m kg.cli build CORPUS --out DIR`` runs in a child process, measured
by :func:`benchmarks.proc.run_measured` (wall time, peak RSS of the largest
process and of the whole process tree).  The build's own summary gives the
triple count; the output directory gives the file sizes.

Cost growth is summarised by a least-squares fit ``seconds = a + b * chars``
(and the same for memory) over the measured scales, the log-log slope between
the two largest scales (1.0 = linear), and an extrapolation to 1000x.

``--workers N``: at one scale the build also runs with 2 workers (the machine's
two cores) and the speedup over 1 worker is reported.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

from benchmarks.common import Result, dir_size, missing, out_dir, seed_paths
from benchmarks.generate import generate_corpus
from benchmarks.proc import run_measured

TARGET_SECONDS_1000X = 300.0
TARGET_RSS_MB_1000X = 4096.0
_NEEDS = (
    "kg.pipeline:build",
    "kg.text:iter_documents",
    "kg.extract:extract_document",
    "kg.rdf.build:to_dataset",
    "kg.graph:to_networkx",
    "kg.viz:render",
)


def seed_chars() -> int:
    """Characters of the seed pages (the unit of scale)."""
    return sum(len(p.read_text(encoding="utf-8")) for p in seed_paths())


def _label(scale: float) -> str:
    return f"{scale:g}x"


def default_rss_limit_mb() -> float:
    """Three quarters of the machine's memory: a bigger build is stopped, not swapped."""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        return 8192.0
    return round(0.75 * pages / 2**20)


def _build(
    corpus: Path, out: Path, workers: int, timeout: float, rss_limit_mb: float | None = None
) -> dict[str, Any]:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(out)]
    cmd += ["--workers", str(workers)]
    r = run_measured(cmd, timeout=timeout, rss_limit_mb=rss_limit_mb)
    res: dict[str, Any] = {
        "workers": workers,
        "returncode": r.returncode,
        "seconds": round(r.seconds, 3),
        "max_rss_mb": round(r.max_rss_mb, 1),
        "tree_rss_mb": round(r.tree_rss_mb, 1),
    }
    if r.killed:
        res["killed"] = r.killed
    if r.returncode != 0:
        last = (r.stderr.strip().splitlines() or ["(no message)"])[-1][:500]
        res["error"] = f"stopped by the harness: {r.killed}" if r.killed else last
        shutil.rmtree(out, ignore_errors=True)
        return res
    m = re.search(r"^triples\s+(\d+)", r.stdout, re.M)
    res["triples"] = int(m.group(1)) if m else None
    sec = re.search(r"^seconds\s+([\d.]+)", r.stdout, re.M)
    res["internal_seconds"] = float(sec.group(1)) if sec else None
    if out.is_dir():
        res["files"] = {
            p.name: p.stat().st_size
            for p in sorted(out.iterdir())
            if p.is_file() and not p.name.startswith(".")
        }
        res["output_bytes"] = dir_size(out)
    return res


def _extract(
    corpus: Path, out: Path, workers: int, timeout: float, rss_limit_mb: float | None
) -> float | None:
    """Seconds of ``kg extract`` (extraction alone, the parallel stage), or ``None``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "kg.cli", "extract", str(corpus), "--out", str(out), "-q"]
    r = run_measured([*cmd, "--workers", str(workers)], timeout=timeout, rss_limit_mb=rss_limit_mb)
    return round(r.seconds, 3) if r.returncode == 0 else None


def _fit(xs: list[float], ys: list[float]) -> tuple[float, float] | None:
    """Least-squares ``y = a + b x``; ``None`` with fewer than two points.

    >>> _fit([1, 2, 3], [3, 5, 7])
    (1.0, 2.0)
    """
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return None
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    return round(my - b * mx, 6), round(b, 12)


def growth(rows: list[dict[str, Any]], unit_chars: int) -> dict[str, Any]:
    """Summarise how time and memory grow with corpus size.

    ``rows`` are successful 1-worker builds with ``chars``, ``seconds`` and
    ``tree_rss_mb``; the result holds the linear fits, the log-log slope of time
    between the two largest scales and the extrapolation to 1000x.
    """
    rows = sorted((r for r in rows if r.get("returncode") == 0), key=lambda r: r["chars"])
    out: dict[str, Any] = {}
    if len(rows) < 2:
        return out
    xs = [float(r["chars"]) for r in rows]
    t = _fit(xs, [float(r["seconds"]) for r in rows])
    m = _fit(xs, [float(r["tree_rss_mb"]) for r in rows])
    big, small = rows[-1], rows[-2]
    if big["seconds"] > 0 and small["seconds"] > 0 and big["chars"] > small["chars"]:
        out["time_loglog_slope"] = round(
            math.log(big["seconds"] / small["seconds"]) / math.log(big["chars"] / small["chars"]),
            3,
        )
    x1000 = 1000.0 * unit_chars
    if t:
        out["seconds_fit"] = {"intercept": t[0], "per_million_chars": round(t[1] * 1e6, 3)}
        out["predicted_1000x_seconds"] = round(t[0] + t[1] * x1000, 1)
    if m:
        out["rss_fit"] = {"intercept_mb": m[0], "mb_per_million_chars": round(m[1] * 1e6, 3)}
        out["predicted_1000x_rss_mb"] = round(m[0] + m[1] * x1000, 1)
    if "predicted_1000x_seconds" in out and "predicted_1000x_rss_mb" in out:
        out["predicted_1000x_within_target"] = (
            out["predicted_1000x_seconds"] <= TARGET_SECONDS_1000X
            and out["predicted_1000x_rss_mb"] <= TARGET_RSS_MB_1000X
        )
    return out


def run(
    scales: list[float] | None = None,
    speedup_scale: float | None = None,
    workers: int = 2,
    seed: int = 0,
    timeout: float = 3600.0,
    rss_limit_mb: float | None = None,
) -> Result:
    """Run ``kg build`` at each scale (1 worker), and with ``workers`` at ``speedup_scale``.

    ``speedup_scale`` defaults to the largest scale not above 100.  A build whose
    process tree grows beyond ``rss_limit_mb`` (default: three quarters of the
    machine's memory) is stopped and reported as such.
    """
    limit = rss_limit_mb if rss_limit_mb is not None else default_rss_limit_mb()
    why = missing(*_NEEDS)
    if why:
        return {"status": "not available", "reason": why}
    scales = scales or [1, 10, 100]
    unit = seed_chars()
    rows: dict[str, Any] = {}
    for s in scales:
        label = _label(s)
        corpus = out_dir() / "corpus" / f"scale-{label}"
        manifest = generate_corpus(corpus, int(s * unit), seed=seed)
        row = _build(corpus, out_dir() / "build" / label, 1, timeout, limit)
        row.update(scale=s, chars=manifest["chars"], bytes=manifest["bytes"])
        row["pages"] = manifest["files"]
        if row.get("returncode") == 0 and row["seconds"] > 0:
            row["chars_per_s"] = round(manifest["chars"] / row["seconds"])
        rows[label] = row
    result: Result = {"status": "ok", "seed_chars": unit, "scales": rows, "rss_limit_mb": limit}
    result["growth"] = growth(list(rows.values()), unit)
    candidates = [s for s in scales if s <= 100] or scales
    sp = speedup_scale if speedup_scale is not None else max(candidates)
    if workers > 1:
        label = _label(sp)
        corpus = out_dir() / "corpus" / f"scale-{label}"
        manifest = generate_corpus(corpus, int(sp * unit), seed=seed)
        base = rows.get(label) or _build(corpus, out_dir() / "build" / label, 1, timeout, limit)
        par = _build(corpus, out_dir() / "build" / f"{label}-w{workers}", workers, timeout, limit)
        speedup = None
        if base.get("returncode") == 0 and par.get("returncode") == 0 and par["seconds"] > 0:
            speedup = round(base["seconds"] / par["seconds"], 3)
        ex1 = _extract(corpus, out_dir() / "build" / f"extract-{label}-w1.jsonl", 1, timeout, limit)
        exn = _extract(
            corpus,
            out_dir() / "build" / f"extract-{label}-w{workers}.jsonl",
            workers,
            timeout,
            limit,
        )
        result["parallel"] = {
            "scale": sp,
            "chars": manifest["chars"],
            "workers": workers,
            "seconds_1": base.get("seconds"),
            "seconds_n": par.get("seconds"),
            "tree_rss_mb_n": par.get("tree_rss_mb"),
            "speedup": speedup,
            "extract_seconds_1": ex1,
            "extract_seconds_n": exn,
            "extract_speedup": round(ex1 / exn, 3) if ex1 and exn else None,
            "error": par.get("error"),
        }
    # a build stopped for time or memory is a measurement; any other failure is an error
    failed = [r for r in rows.values() if r.get("returncode") != 0 and not r.get("killed")]
    if failed:
        result["status"] = "error"
        result["reason"] = failed[0]["error"]
    return result

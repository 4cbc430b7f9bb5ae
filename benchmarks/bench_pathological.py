"""Pathological inputs: ``kg build`` on text without sentence ends or line breaks.

Issue 18, rows 5 and 6.  Two inputs, each beside the same text in a normal
shape, built by ``python -m kg.cli build FILE --out DIR`` in a child process
(wall time and peak RSS by :func:`benchmarks.proc.run_measured`):

``seeds_flat``
    The seed pages repeated ``copies`` times (106: 3.4M characters, about
    10 MB) with every line break removed -- one paragraph, one article --
    against the same text with its line breaks (``seeds_lines``).
``comma``
    One "sentence" of ``comma_bytes`` (1.6 MB): clauses written for this
    benchmark (a body, a partner, a program, a served group) joined by ， with
    no 。 and no line break, against the same clauses each ending in 。 on its
    own line (``comma_lines``).

The runs alternate (normal, pathological) ``repeats`` times and the best time
of each is kept (the machine is shared); peak RSS is the largest process's.
The ratios pathological / normal are the figures to watch: the target is 1.5x
at most, for time and for memory.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

from benchmarks.common import Result, missing, out_dir, seed_paths
from benchmarks.proc import run_measured

TARGET_RATIO = 1.5
#: Clauses of our own with the shapes the extractors read.
CLAUSES = (
    "四川省总工会联合四川省人力资源和社会保障厅为快递员、外卖配送员等新就业形态劳动者开展“暖心服务行动”",
    "该活动覆盖全省12个市",
    "四川省总工会与四川省司法厅共同举办“法律服务进企业”活动",
    "为农民工提供免费法律咨询",
    "同时依托职工服务中心开展技能培训",
)


def make_inputs(folder: Path, copies: int, comma_bytes: int) -> dict[str, Path]:
    """Write the four inputs (cached: rewritten only when missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        name: folder / f"{name}-{size}.txt"
        for name, size in (
            ("seeds_lines", copies),
            ("seeds_flat", copies),
            ("comma_lines", comma_bytes),
            ("comma", comma_bytes),
        )
    }
    if all(p.exists() for p in paths.values()):
        return paths
    seeds = "".join(p.read_text(encoding="utf-8") for p in seed_paths()) * copies
    clauses: list[str] = []
    size = 0
    while size < comma_bytes:
        clause = CLAUSES[len(clauses) % len(CLAUSES)]
        clauses.append(clause)
        size += len(clause.encode("utf-8")) + 3
    texts = {
        "seeds_lines": seeds,
        "seeds_flat": seeds.replace("\r", "").replace("\n", ""),
        "comma_lines": "".join(c + "。\n" for c in clauses),
        "comma": "，".join(clauses) + "。\n",
    }
    for name, path in paths.items():
        tmp = path.with_suffix(".tmp")
        tmp.write_text(texts[name], encoding="utf-8")
        tmp.replace(path)
    return paths


def _build(src: Path, out: Path, timeout: float) -> dict[str, Any]:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "kg.cli", "build", str(src), "--out", str(out), "-q"]
    r = run_measured(cmd, timeout=timeout)
    res: dict[str, Any] = {
        "returncode": r.returncode,
        "seconds": round(r.seconds, 3),
        "max_rss_mb": round(r.max_rss_mb, 1),
    }
    if r.returncode != 0:
        res["error"] = (r.stderr.strip().splitlines() or ["(no message)"])[-1][:500]
    shutil.rmtree(out, ignore_errors=True)
    return res


def _best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    ok = [r for r in runs if r["returncode"] == 0]
    if not ok:
        return runs[-1]
    return {
        "returncode": 0,
        "seconds": min(r["seconds"] for r in ok),
        "max_rss_mb": max(r["max_rss_mb"] for r in ok),
        "runs": len(runs),
    }


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def run(
    copies: int = 106,
    comma_bytes: int = 1_600_000,
    repeats: int = 2,
    timeout: float = 1800.0,
) -> Result:
    """Build each pair ``repeats`` times, alternating; times, peak RSS and ratios."""
    why = missing("kg.pipeline:build", "kg.text.sentences:MAX_SENTENCE_CHARS")
    if why:
        return {"status": "not available", "reason": why}
    paths = make_inputs(out_dir() / "pathological", copies, comma_bytes)
    pairs = {"seeds_flat": "seeds_lines", "comma": "comma_lines"}
    result: Result = {"status": "ok", "inputs": {}, "pairs": {}}
    for bad, normal in pairs.items():
        runs: dict[str, list[dict[str, Any]]] = {bad: [], normal: []}
        for _ in range(max(1, repeats)):
            for name in (normal, bad):
                runs[name].append(_build(paths[name], out_dir() / "build" / name, timeout))
        best = {name: _best(r) for name, r in runs.items()}
        for name in (normal, bad):
            text = paths[name].read_text(encoding="utf-8")
            result["inputs"][name] = {
                "chars": len(text),
                "bytes": len(text.encode("utf-8")),
                "lines": text.count("\n"),
                **best[name],
            }
        b, n = best[bad], best[normal]
        t_ratio = _ratio(b.get("seconds"), n.get("seconds"))
        m_ratio = _ratio(b.get("max_rss_mb"), n.get("max_rss_mb"))
        result["pairs"][bad] = {
            "normal": normal,
            "time_ratio": t_ratio,
            "rss_ratio": m_ratio,
            "within_target": (
                t_ratio is not None
                and m_ratio is not None
                and t_ratio <= TARGET_RATIO
                and m_ratio <= TARGET_RATIO
            ),
        }
        failed = [r for r in (b, n) if r.get("returncode") != 0]
        if failed:
            result["status"] = "error"
            result["reason"] = failed[0].get("error", "build failed")
    return result

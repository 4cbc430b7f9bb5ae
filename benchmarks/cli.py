"""``python -m benchmarks``: run the benchmarks, print a table, write JSON and RESULTS.md.

Examples
--------
Everything at the issue's sizes (the scale benchmark up to 100x)::

    python -m benchmarks

A tiny run of everything (the smoke test; well under a minute)::

    python -m benchmarks --quick --out /tmp/bench

Only some benchmarks, or other scales::

    python -m benchmarks --only scale --scales 1,10,100,1000

Each benchmark but ``scale`` runs in its own child process (``benchmarks.worker``),
so one's memory does not weigh on another; ``scale`` itself starts ``kg build``
in child processes and measures them.  Results of a full run are merged into
``OUT/results.json`` benchmark by benchmark (each with its own date), and
``benchmarks/RESULTS.md`` is rewritten from them; ``--quick`` runs never touch
RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.common import DEFAULT_OUT
from benchmarks.machine import describe
from benchmarks.proc import run_measured
from benchmarks.report import markdown_table, pathological_section, rows, text_table, verdicts
from benchmarks.worker import MARK

NAMES = (
    "extraction",
    "scale",
    "query_cli",
    "sparql",
    "reason",
    "html",
    "pathological",
    "serve",
    "dask",
)
RESULTS_MD = Path(__file__).resolve().parent / "RESULTS.md"

FULL: dict[str, dict[str, Any]] = {
    "extraction": {"size": 5_000_000, "repeats": 3},
    "scale": {"scales": [1, 10, 100], "workers": 2},
    "query_cli": {"scale": 100, "repeats": 3},
    # rdflib's engine (minutes per query at 1M, issue 6's reference) only at 100k
    "sparql": {"sizes": [100_000, 1_000_000], "repeats": 5, "rdflib_max_size": 100_000},
    "reason": {"sizes": [10_000, 100_000], "repeats": 3},
    "html": {"nodes": [300, 3000], "repeats": 3},
    "pathological": {"copies": 106, "comma_bytes": 1_600_000, "repeats": 2},
    "serve": {"size": 100_000, "clients": 8, "requests": 800, "max_seconds": 60},
    "dask": {"scale": 100, "workers": [1, 2]},
}
QUICK: dict[str, dict[str, Any]] = {
    "extraction": {"size": 60_000, "repeats": 1, "process_copies": 2},
    "scale": {"scales": [0.3], "workers": 1},
    "query_cli": {"scale": 0.3, "repeats": 1},
    "sparql": {"sizes": [2_000], "repeats": 1, "oxigraph_timeout": 5, "rdflib_timeout": 3},
    "reason": {"sizes": [2_000], "repeats": 1, "owlrl_timeout": 30},
    "html": {"nodes": [40, 120], "repeats": 1},
    "pathological": {"copies": 1, "comma_bytes": 30_000, "repeats": 1},
    "serve": {"size": 2_000, "clients": 2, "requests": 10, "max_seconds": 20},
    "dask": {"scale": 0.3, "workers": [1], "with_stages": False},
}


def _scales(text: str) -> list[float]:
    try:
        values = [float(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a list of numbers like 1,10,100"
        ) from None
    if not values or any(v <= 0 for v in values):
        raise argparse.ArgumentTypeError("scales must be positive numbers, e.g. 1,10,100")
    return [int(v) if v.is_integer() else v for v in values]


def _only(text: str) -> list[str]:
    names = [x.strip() for x in text.split(",") if x.strip()]
    bad = [n for n in names if n not in NAMES]
    if bad or not names:
        raise argparse.ArgumentTypeError(
            f"unknown benchmark {', '.join(bad) or text!r}; choose from {','.join(NAMES)}"
        )
    return names


def make_parser() -> argparse.ArgumentParser:
    """The command line of ``python -m benchmarks``."""
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmarks of union-kg, side by side with the alternatives.",
        epilog=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--quick", action="store_true", help="tiny sizes (a smoke run)")
    ap.add_argument("--only", type=_only, default=list(NAMES), metavar="LIST", help=",".join(NAMES))
    ap.add_argument("--scales", type=_scales, metavar="LIST", help="scale factors, e.g. 1,10,100")
    ap.add_argument("--workers", type=int, default=None, metavar="N", help="parallel build")
    ap.add_argument(
        "--rss-limit-mb",
        type=float,
        default=None,
        metavar="MB",
        help="stop a kg build whose processes hold more memory (default: 3/4 of RAM)",
    )
    ap.add_argument(
        "--speedup-scale",
        type=float,
        default=None,
        metavar="S",
        help="scale of the --workers comparison (default: the largest scale up to 100)",
    )
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR", help="output folder")
    ap.add_argument(
        "--results-md",
        type=Path,
        default=None,
        metavar="FILE",
        help=f"Markdown summary to write (default: {RESULTS_MD.name} for full runs into the "
        "default --out, none otherwise)",
    )
    ap.add_argument("--timeout", type=float, default=6 * 3600, help="seconds per benchmark")
    ap.add_argument(
        "--report-only",
        action="store_true",
        help="run nothing: print the table of OUT/results.json and rewrite RESULTS.md from it",
    )
    return ap


def _run_worker(name: str, params: dict[str, Any], timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.worker", name, json.dumps(params)]
    r = run_measured(cmd, timeout=timeout)
    line = next((ln for ln in r.stdout.splitlines() if ln.startswith(MARK)), None)
    if line is None:
        tail = (r.stderr.strip().splitlines() or ["no output"])[-1]
        return {"status": "error", "reason": f"worker exited with {r.returncode}: {tail[:300]}"}
    result: dict[str, Any] = json.loads(line[len(MARK) :])
    result["process"] = {
        "seconds": round(r.seconds, 2),
        "max_rss_mb": round(r.max_rss_mb, 1),
        "tree_rss_mb": round(r.tree_rss_mb, 1),
    }
    return result


def run_all(
    names: Sequence[str], plan: dict[str, dict[str, Any]], timeout: float
) -> dict[str, Any]:
    """Run the named benchmarks with their parameters; results by name."""
    results: dict[str, Any] = {}
    for name in names:
        started = time.perf_counter()
        print(f"[benchmarks] {name} {json.dumps(plan[name])} ...", file=sys.stderr, flush=True)
        if name in ("scale", "query_cli"):  # (they start kg processes of their own)
            from benchmarks.bench_query_cli import run as run_query_cli
            from benchmarks.bench_scale import run as run_scale

            try:
                res = (run_scale if name == "scale" else run_query_cli)(
                    **plan[name], timeout=timeout
                )
            except Exception as exc:
                from benchmarks.common import failed

                res = failed(exc)
        else:
            res = _run_worker(name, plan[name], timeout)
        res["params"] = plan[name]
        res["measured_at"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        res["seconds"] = round(time.perf_counter() - started, 2)
        print(
            f"[benchmarks] {name}: {res.get('status')} in {res['seconds']:.1f} s",
            file=sys.stderr,
            flush=True,
        )
        results[name] = res
    return results


def _merge(path: Path, fresh: dict[str, Any], quick: bool) -> dict[str, Any]:
    """Previous results of the same mode, updated benchmark by benchmark."""
    old: dict[str, Any] = {}
    if path.exists():
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = {}
    if old.get("quick") != quick:
        old = {}
    benchmarks = dict(old.get("benchmarks") or {})
    benchmarks.update(fresh)
    return {"quick": quick, "benchmarks": {k: benchmarks[k] for k in NAMES if k in benchmarks}}


def results_markdown(data: dict[str, Any]) -> str:
    """The text of RESULTS.md for a results document."""
    m = data.get("machine") or {}
    # issue 18's pathological inputs have a section of their own
    main = {k: v for k, v in data.get("benchmarks", {}).items() if k != "pathological"}
    dates = sorted(
        {b.get("measured_at", "?") for b in data.get("benchmarks", {}).values()}, reverse=True
    )
    lines = [
        "# Benchmark results",
        "",
        "Written by `python -m benchmarks` (see `benchmarks/README.md`); do not edit by hand.",
        "Every ratio compares two things measured side by side in the same run.",
        "",
        f"- date: {dates[0] if dates else '?'}"
        + (f" (benchmarks measured {', '.join(dates)})" if len(dates) > 1 else ""),
        f"- machine: {m.get('cpu')}, {m.get('nproc')} cores available, {m.get('ram_gb')} GB RAM,"
        f" load average {m.get('load_average')}",
        f"- software: Python {m.get('python')}, {m.get('platform')}, commit {m.get('git_commit')}",
        "- packages: " + ", ".join(f"{k} {v}" for k, v in (m.get("packages") or {}).items()),
        "",
        markdown_table(rows(main)),
        "",
        "Full numbers: `benchmarks/out/results.json`.",
        "",
        "## Against the targets of issue 6",
        "",
        *(f"- {line}" for line in verdicts(data.get("benchmarks", {}))),
        "",
        *pathological_section(data.get("benchmarks", {})),
    ]
    notes = Path(__file__).resolve().parent / "NOTES.md"
    if notes.exists():
        lines += [notes.read_text(encoding="utf-8").rstrip(), ""]
    return "\n".join(lines)


def _default_full(args: argparse.Namespace, out: Path) -> bool:
    """Only a full run into the default folder rewrites the committed RESULTS.md."""
    return not args.quick and out == DEFAULT_OUT.resolve()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m benchmarks``."""
    args = make_parser().parse_args(argv)
    plan = {k: dict(v) for k, v in (QUICK if args.quick else FULL).items()}
    if args.scales:
        plan["scale"]["scales"] = args.scales
        plan["scale"].pop("speedup_scale", None)
    if args.workers is not None:
        plan["scale"]["workers"] = args.workers
    if args.rss_limit_mb is not None:
        plan["scale"]["rss_limit_mb"] = args.rss_limit_mb
    if args.speedup_scale is not None:
        plan["scale"]["speedup_scale"] = args.speedup_scale
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    os.environ["KG_BENCH_OUT"] = str(out)
    data: dict[str, Any] = {}
    if args.report_only:
        try:
            data = json.loads((out / "results.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            print(
                f"python -m benchmarks: cannot read {out / 'results.json'}: {exc}", file=sys.stderr
            )
            return 2
        print(text_table(rows(data.get("benchmarks", {}))))
        md = args.results_md or (
            RESULTS_MD if not data.get("quick") and out == DEFAULT_OUT.resolve() else None
        )
        if md is not None:
            md.write_text(results_markdown(data), encoding="utf-8")
            print(f"wrote {md}")
        return 0
    started = time.perf_counter()
    for name in args.only:  # results are saved after each benchmark
        fresh = run_all([name], plan, args.timeout)
        data = _merge(out / "results.json", fresh, args.quick)
        data["machine"] = describe()
        data["seconds"] = round(time.perf_counter() - started, 2)
        tmp = out / "results.json.tmp"
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, out / "results.json")
    print(text_table(rows(data["benchmarks"])))
    print(f"\nwrote {out / 'results.json'}")
    md = args.results_md or (RESULTS_MD if _default_full(args, out) else None)
    if md is not None:
        md.write_text(results_markdown(data), encoding="utf-8")
        print(f"wrote {md}")
    return 0

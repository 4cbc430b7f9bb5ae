"""The HTML view: time to write the page and its size at 300 and 3,000 nodes.

Graphs come from :mod:`benchmarks.synthetic_rdf` (articles are added until the
graph holds the requested number of entities), go through the product's
``kg.rdf.build.to_dataset`` and ``kg.graph.to_networkx``, and are drawn by
``kg.viz.render`` twice: whole (``max_nodes`` at least the node count) and with
the default limit of 500 nodes (larger graphs are folded into summary nodes).
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from benchmarks.common import Result, missing, out_dir
from benchmarks.synthetic_rdf import synthetic_results

DEFAULT_MAX_NODES = 500


def _results_with(nodes: int, seed: int) -> list[Any]:
    out: list[Any] = []
    keys: set[str] = set()
    gen = synthetic_results(10**9, seed=seed, per_doc=1)
    while len(keys) < nodes:
        res = next(gen)
        out.append(res)
        keys.update(res.entities)
    return out


def _render(G: Any, path: Any, max_nodes: int, repeats: int) -> dict[str, Any]:
    from kg.viz import render

    times: list[float] = []
    report: Any = None
    for _ in range(max(1, repeats)):
        t0 = time.perf_counter()
        report = render(G, path, max_nodes=max_nodes, title="benchmark")
        times.append(time.perf_counter() - t0)
    return {
        "max_nodes": max_nodes,
        "seconds": round(statistics.median(times), 4),
        "page_bytes": path.stat().st_size,
        "page_nodes": getattr(report, "nodes", None),
        "page_edges": getattr(report, "edges", None),
        "aggregated": getattr(report, "aggregated", None),
    }


def run(nodes: list[int] | None = None, repeats: int = 3, seed: int = 0) -> Result:
    """Measure ``kg.viz.render`` on graphs of about ``nodes`` entities."""
    why = missing("kg.rdf.build:to_dataset", "kg.graph:to_networkx", "kg.viz:render")
    if why:
        return {"status": "not available", "reason": why}
    from kg.graph import to_networkx
    from kg.rdf.build import to_dataset

    sizes: dict[str, Any] = {}
    folder = out_dir() / "html"
    folder.mkdir(parents=True, exist_ok=True)
    warm = to_networkx(to_dataset(_results_with(5, seed)))
    _render(warm, folder / "warm-up.html", 10, 1)  # assets are read and cached on first use
    for n in nodes or [300, 3000]:
        ds = to_dataset(_results_with(n, seed))
        t0 = time.perf_counter()
        G = to_networkx(ds)
        nx_seconds = time.perf_counter() - t0
        entry: dict[str, Any] = {
            "graph_nodes": G.number_of_nodes(),
            "graph_edges": G.number_of_edges(),
            "to_networkx_seconds": round(nx_seconds, 4),
            "full": _render(G, folder / f"full-{n}.html", max(n, G.number_of_nodes()), repeats),
        }
        if G.number_of_nodes() > DEFAULT_MAX_NODES:
            entry["default_limit"] = _render(
                G, folder / f"limit-{n}.html", DEFAULT_MAX_NODES, repeats
            )
        sizes[str(n)] = entry
    return {"status": "ok", "sizes": sizes}

"""SPARQL: every named query on 100k- and 1M-triple graphs, oxigraph against rdflib.

Both engines load the same synthetic build (:mod:`benchmarks.synthetic_rdf`):

``oxigraph``
    ``kg.rdf.store.open_build`` (the build's on-disk store, opened read-only)
    then ``kg.rdf.query.query_oxigraph`` (the path of ``kg query``).
``memory``
    the path of ``kg query`` before the store (commit 08e4cc8): ``graph.trig``
    and ``graph.ttl`` parsed into an in-memory pyoxigraph store, and the named
    queries as they were then (``benchmarks/data/queries_before_store``).
``rdflib``
    ``kg.rdf.query.rdflib_dataset``: ``rdflib.Dataset(default_union=True)``
    parsing ``graph.trig`` plus the store's default graph (ontology and index
    links), then ``kg.rdf.query.query_rdflib`` (rdflib's own in-memory engine).

Each engine runs in a child process that loads the build once and times every
query: one warm-up run, then ``repeats`` runs, median reported, with the ratio
rdflib / oxigraph.  A query slower than its engine's timeout is killed (with its
child; the remaining queries go on in a fresh one) and reported as timed out.
Parameters are bound to values that exist in the graph (the most connected
union body, its first partner, the most served worker group), so queries
return rows; both engines' row counts are compared.  Loading times are
reported too (a ``kg query`` command line call pays the load each time).
"""

from __future__ import annotations

import json
import queue
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.common import Result, missing, out_dir, ratio
from benchmarks.synthetic_rdf import ensure_build_dir

#: the named queries as they were before the store (for the ``memory`` engine)
BEFORE_STORE = Path(__file__).resolve().parent / "data" / "queries_before_store"

_PICK_HUB = """
SELECT ?label (COUNT(*) AS ?n) WHERE {
  ?b a kg:UnionBody ; rdfs:label ?label ; kg:cooperatesWith ?x .
} GROUP BY ?label ORDER BY DESC(?n) ?label LIMIT 1
"""
_PICK_PARTNER = """
SELECT ?ol ?sl WHERE { ?b rdfs:label ?sl ; kg:cooperatesWith ?o . ?o rdfs:label ?ol }
ORDER BY ?ol LIMIT 1
"""
_PICK_GROUP = """
SELECT ?label (COUNT(*) AS ?n) WHERE {
  ?g a kg:WorkerGroup ; rdfs:label ?label . ?x kg:serves ?g .
} GROUP BY ?label ORDER BY DESC(?n) ?label LIMIT 1
"""


def _first(store: Any, text: str, subs: dict[str, Any] | None = None) -> str | None:
    from kg.rdf.query import iter_rows, query_oxigraph

    rows = list(iter_rows(query_oxigraph(store, text, subs or {})))
    return next(iter(rows[0].values())) if rows else None


def pick_params(src: Path) -> dict[str, dict[str, str]]:
    """For each named query, parameter values that exist in the build at ``src``."""
    import pyoxigraph as ox

    from kg.rdf.query import list_named
    from kg.rdf.store import open_build

    store = open_build(src).ox
    hub = _first(store, _PICK_HUB)
    partner = None
    if hub is not None:
        partner = _first(store, _PICK_PARTNER, {"sl": ox.Literal(hub, language="zh")})
    group = _first(store, _PICK_GROUP)
    values = {"body": hub, "s": hub, "o": partner, "group": group}
    out: dict[str, dict[str, str]] = {}
    for nq in list_named():
        out[nq.name] = {
            p: v
            for p in nq.params
            if (v := values.get(p)) is not None and nq.types.get(p) == "label"
        }
    return out


# ------------------------------------------------------------------ child process


class _Timeout(BaseException):
    """Raised by SIGALRM; a BaseException so that no ``except Exception`` swallows it."""


def _alarm(signum: int, frame: object) -> None:
    raise _Timeout


def _child(
    engine: str, src: Path, repeats: int, todo: dict[str, dict[str, str]], timeout: float
) -> None:
    """Load the build with ``engine``, then time each query; one JSON line per step.

    A query (all its runs) longer than ``timeout`` seconds is interrupted with
    SIGALRM, which stops rdflib's pure-Python engine; oxigraph's native engine
    cannot be interrupted so, and the parent kills the child instead.
    """
    from kg.rdf.query import bindings, list_named, query_oxigraph, query_rdflib

    t0 = time.perf_counter()
    texts: dict[str, str] = {}
    if engine == "oxigraph":
        from kg.rdf.store import open_build

        store = open_build(src).ox

        def execute(text: str, subs: Any) -> Any:
            return query_oxigraph(store, text, subs)
    elif engine == "memory":
        import pyoxigraph as ox

        mem = ox.Store()
        mem.bulk_load(path=str(src / "graph.trig"), format=ox.RdfFormat.TRIG)
        mem.bulk_load(path=str(src / "graph.ttl"), format=ox.RdfFormat.TURTLE)
        texts = {p.stem: p.read_text(encoding="utf-8") for p in BEFORE_STORE.glob("*.rq")}

        def execute(text: str, subs: Any) -> Any:
            return query_oxigraph(mem, text, subs)
    else:
        from kg.rdf.query import rdflib_dataset

        ds = rdflib_dataset(src)

        def execute(text: str, subs: Any) -> Any:
            return query_rdflib(ds, text, subs)

    print(json.dumps({"load_seconds": time.perf_counter() - t0}), flush=True)
    named = {q.name: q for q in list_named()}
    for name, params in todo.items():
        nq = named[name]
        subs = bindings(nq, params)
        text = texts.get(name, nq.text)
        times: list[float] = []
        line: dict[str, Any] = {"name": name}
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            for i in range(max(1, repeats) + 1):
                t0 = time.perf_counter()
                answer = execute(text, subs)
                elapsed = time.perf_counter() - t0
                if i > 0 or elapsed > 2.0:  # the first run warms up, unless slow anyway
                    times.append(elapsed)
                if sum(times) > 30.0:  # enough for the median of a slow query
                    break
            signal.setitimer(signal.ITIMER_REAL, 0)
            line.update(ms=1000 * statistics.median(times), rows=len(answer.rows))
        except _Timeout:
            line.update(ms=1000 * timeout, timed_out=True)
        except Exception as exc:  # rdflib's engine fails on some valid queries
            line["error"] = f"{type(exc).__name__}: {exc}"[:300]
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        print(json.dumps(line, ensure_ascii=False), flush=True)


def _engine(
    engine: str,
    src: Path,
    repeats: int,
    todo: dict[str, dict[str, str]],
    query_timeout: float,
    load_timeout: float,
) -> tuple[float | None, dict[str, dict[str, Any]]]:
    """Run the queries of ``todo`` in child processes, killing a query at its timeout.

    A timed-out query is recorded with ``timed_out`` and the remaining queries
    go on in a fresh child (which loads the build again).
    """
    results: dict[str, dict[str, Any]] = {}
    load: float | None = None
    remaining = dict(todo)
    while remaining:
        cmd = [sys.executable, "-m", "benchmarks.bench_sparql", engine, str(src), str(repeats)]
        proc = subprocess.Popen(
            [*cmd, json.dumps(remaining, ensure_ascii=False), str(query_timeout)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
        lines: queue.Queue[str | None] = queue.Queue()

        def pump(p: subprocess.Popen[str] = proc, q: queue.Queue[str | None] = lines) -> None:
            assert p.stdout is not None
            for ln in p.stdout:
                q.put(ln)
            q.put(None)

        threading.Thread(target=pump, daemon=True).start()
        timeout = load_timeout
        current = "(load)"
        while True:
            try:
                ln = lines.get(timeout=timeout)
            except queue.Empty:
                proc.kill()
                proc.wait()
                if current == "(load)":
                    return load, results | {
                        n: {"error": f"load took over {load_timeout:g} s"} for n in remaining
                    }
                results[current] = {"timed_out": True, "ms": 1000 * query_timeout}
                remaining.pop(current)
                break
            if ln is None:  # the child ended
                proc.wait()
                for n in list(remaining):
                    results[n] = {"error": f"child exited with {proc.returncode}"}
                    remaining.pop(n)
                break
            data = json.loads(ln)
            if "load_seconds" in data:
                load = load if load is not None else data["load_seconds"]
            else:
                name = data.pop("name")
                results[name] = data
                remaining.pop(name, None)
            if not remaining:
                proc.wait()
                break
            current = next(iter(remaining))
            timeout = query_timeout + 15.0  # the child stops rdflib itself; this is a backstop
    return load, results


def _one_size(
    src: Path, repeats: int, timeouts: dict[str, float], engines: list[str]
) -> dict[str, Any]:
    params = pick_params(src)
    entry: dict[str, Any] = {}
    per_engine: dict[str, dict[str, dict[str, Any]]] = {}
    for engine in engines:
        load, res = _engine(engine, src, repeats, params, timeouts[engine], timeouts["load"])
        entry[f"{engine}_load_seconds"] = None if load is None else round(load, 3)
        per_engine[engine] = res
    queries: dict[str, Any] = {}
    for name, p in params.items():
        q: dict[str, Any] = {"params": p}
        for engine in engines:
            r = per_engine[engine].get(name, {})
            if "ms" in r:
                q[f"{engine}_ms"] = round(r["ms"], 3)
            if "rows" in r:
                q[f"{engine}_rows"] = r["rows"]
            if r.get("timed_out"):
                q[f"{engine}_timed_out"] = True
            if "error" in r:
                q[f"{engine}_error"] = r["error"]
        if "memory" in engines:
            q["memory_vs_oxigraph"] = ratio(q.get("memory_ms"), q.get("oxigraph_ms"))
        if "rdflib" in engines:
            q["rdflib_vs_oxigraph"] = ratio(q.get("rdflib_ms"), q.get("oxigraph_ms"))
            if "rdflib_rows" in q and "oxigraph_rows" in q:
                q["rows_match"] = q["rdflib_rows"] == q["oxigraph_rows"]
        queries[name] = q
    entry["queries"] = queries
    ox_ms = [q["oxigraph_ms"] for q in queries.values() if "oxigraph_ms" in q]
    entry["oxigraph_max_ms"] = max(ox_ms) if ox_ms else None
    return entry


def run(
    sizes: list[int] | None = None,
    repeats: int = 5,
    seed: int = 0,
    oxigraph_timeout: float = 60.0,
    rdflib_timeout: float = 120.0,
    load_timeout: float = 1800.0,
    rdflib: bool = True,
    memory: bool = True,
    rdflib_max_size: int | None = None,
) -> Result:
    """Time every named query at each size: the store against the in-memory path and rdflib."""
    why = missing(
        "kg.rdf.build:to_dataset",
        "kg.rdf.store:open_build",
        "kg.rdf.query:list_named",
        "kg.rdf.query:query_oxigraph",
        "kg.rdf.query:query_rdflib",
        "kg.rdf.query:bindings",
    )
    if why:
        return {"status": "not available", "reason": why}
    timeouts = {
        "oxigraph": oxigraph_timeout,
        "memory": oxigraph_timeout,
        "rdflib": rdflib_timeout,
        "load": load_timeout,
    }
    engines = ["oxigraph"] + (["memory"] if memory else []) + (["rdflib"] if rdflib else [])
    out: dict[str, Any] = {}
    for size in sizes or [100_000, 1_000_000]:
        src = out_dir() / "rdf" / f"t{size}"
        info = ensure_build_dir(src, size, seed=seed)
        entry: dict[str, Any] = {"triples": info.get("triples")}
        use = [
            e
            for e in engines
            if e != "rdflib" or rdflib_max_size is None or size <= rdflib_max_size
        ]
        entry.update(_one_size(src, repeats, timeouts, use))
        out[str(size)] = entry
    return {"status": "ok", "sizes": out, "timeouts_seconds": timeouts}


if __name__ == "__main__":  # child process: ENGINE DIR REPEATS QUERIES_JSON TIMEOUT
    a = sys.argv
    _child(a[1], Path(a[2]), int(a[3]), json.loads(a[4]), float(a[5]))

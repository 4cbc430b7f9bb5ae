"""Turn benchmark results into a table (terminal) and ``RESULTS.md`` (Markdown)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

Row = tuple[str, str, str, str, str, str]
HEADER: Row = ("benchmark", "measure", "union-kg", "reference", "ratio", "target")

TARGETS = {
    "extraction_chars_per_s": 250_000,
    "scale_1000x_seconds": 300,
    "scale_1000x_rss_mb": 1536,
    "sparql_1m_ms": 50,
    "reason_speedup": 20,
}


def _n(x: Any, digits: int = 0) -> str:
    if x is None:
        return "–"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int | float):
        return f"{x:,.{digits}f}"
    return str(x)


def _ok(flag: bool | None) -> str:
    return "" if flag is None else (" ✓" if flag else " ✗")


def _status_row(name: str, res: dict[str, Any]) -> Row:
    return (name, res.get("status", "?"), res.get("reason", "")[:80], "", "", "")


def _extraction(res: dict[str, Any]) -> Iterator[Row]:
    target = TARGETS["extraction_chars_per_s"]
    for corpus, c in (res.get("corpora") or {}).items():
        mb = c.get("bytes", 0) / 1e6
        kg = c.get("kg_chars_per_s")
        meets = None if kg is None else (kg >= target and (c.get("kg_vs_jieba") or 0) >= 1)
        yield (
            f"extraction, {corpus} ({mb:.1f} MB)",
            "chars/s, 1 core (vs jieba.lcut)",
            _n(kg) if kg is not None else str(c.get("kg", "–")),
            _n(c.get("jieba_chars_per_s")),
            _n(c.get("kg_vs_jieba"), 2) + _ok(meets),
            f"≥ {target:,} and ≥ jieba",
        )
        yield (
            f"text layer, {corpus}",
            "chars/s, 1 core",
            _n(c.get("text_chars_per_s")),
            "",
            "",
            "",
        )
        share = c.get("facts_share")
        if share is not None:
            yield (
                f"facts extractor share, {corpus}",
                "share of extraction time (facts on vs off, same passes)",
                f"{share:.1%}",
                _n(c.get("kg_no_facts_chars_per_s")) + " chars/s without facts",
                "",
                "reported (issue 17)",
            )
    w = res.get("whole_process")
    if w:
        ratio = w.get("kg_vs_jieba")
        size = f"{w.get('chars', 0) / 1e6:.2f}M chars"
        native = w.get("native")
        yield (
            f"kg extract, whole process, seeds x{w.get('copies')} ({size})",
            "chars/s incl. start-up, best of 2 (vs jieba.lcut in-process)"
            + (f"; {native}" if native else ""),
            _n(w.get("kg_process_chars_per_s")),
            _n(w.get("jieba_chars_per_s")),
            _n(ratio, 2) + _ok(None if ratio is None else ratio >= 1),
            "≥ 1.0x jieba (issue 14)",
        )


def _scale(res: dict[str, Any]) -> Iterator[Row]:
    for label, r in (res.get("scales") or {}).items():
        chars = r.get("chars", 0)
        if r.get("killed"):
            yield (
                f"kg build {label} ({chars / 1e6:.2f}M chars)",
                "stopped by the harness",
                f"{r['killed']} after {_n(r.get('seconds'), 0)} s",
                "",
                "✗",
                "≤ 300 s, ≤ 1536 MB" if r.get("scale", 0) >= 1000 else "",
            )
            continue
        if r.get("returncode") != 0:
            yield (f"kg build {label}", "failed", r.get("error", "")[:60], "", "", "")
            continue
        out_mb = (r.get("output_bytes") or 0) / 1e6
        yield (
            f"kg build {label} ({chars / 1e6:.2f}M chars)",
            "wall s / RSS MB (max proc; tree) / triples / output MB",
            f"{_n(r.get('seconds'), 1)} s / {_n(r.get('max_rss_mb'))}; "
            f"{_n(r.get('tree_rss_mb'))} MB / {_n(r.get('triples'))} / {out_mb:.1f}",
            f"{_n(r.get('chars_per_s'))} chars/s",
            "",
            "",
        )
    g = res.get("growth") or {}
    if g:
        sec = g.get("predicted_1000x_seconds")
        rss = g.get("predicted_1000x_rss_mb")
        yield (
            "kg build growth",
            "log-log slope of time (1 = linear); fit s per M chars",
            _n(g.get("time_loglog_slope"), 2),
            _n((g.get("seconds_fit") or {}).get("per_million_chars"), 2) + " s/M chars",
            "",
            "linear",
        )
        yield (
            "kg build 1000x (extrapolated)",
            "wall s / tree RSS MB",
            f"{_n(sec)} s / {_n(rss)} MB",
            "",
            _ok(g.get("predicted_1000x_within_target")).strip(),
            f"≤ {TARGETS['scale_1000x_seconds']} s, ≤ {TARGETS['scale_1000x_rss_mb']} MB",
        )
    p = res.get("parallel")
    if p:
        yield (
            f"kg build --workers {p.get('workers')} ({p.get('scale')}x)",
            "speedup over 1 worker: build / extract only",
            f"{_n(p.get('seconds_n'), 1)} s",
            f"{_n(p.get('seconds_1'), 1)} s",
            f"{_n(p.get('speedup'), 2)} / {_n(p.get('extract_speedup'), 2)}",
            "",
        )
    m = res.get("memory") or {}
    if "rss_100x_over_20x" in m:
        yield (
            "kg build peak RSS, 100x vs 20x",
            "tree RSS MB: 100x / 20x (ratio)",
            _n(m.get("rss_100x_mb")),
            _n(m.get("rss_20x_mb")),
            _n(m.get("rss_100x_over_20x"), 2) + _ok(m.get("met_100x")),
            "≤ 1.5x and ≤ 1024 MB",
        )
    inc = res.get("incremental") or {}
    for name, r in (inc.get("steps") or {}).items():
        yield (
            f"kg build --incremental ({inc.get('scale')}x), one page "
            + {"add": "added", "change": "changed", "remove": "removed"}.get(name, name),
            "wall s vs the full build (share)",
            f"{_n(r.get('seconds'), 1)} s" if r.get("returncode") == 0 else "failed",
            f"{_n(inc.get('full_seconds'), 1)} s",
            _n(r.get("share_of_full"), 3) + (_ok(inc.get("met_add")) if name == "add" else ""),
            "≤ 0.10 (add)" if name == "add" else "",
        )
    e = inc.get("export")
    if e:
        yield (
            f"kg export ({inc.get('scale')}x), the deferred exports",
            "wall s / tree RSS MB",
            f"{_n(e.get('seconds'), 1)} s / {_n(e.get('tree_rss_mb'))} MB",
            "",
            "",
            "",
        )


def _sparql(res: dict[str, Any]) -> Iterator[Row]:
    for size, e in (res.get("sizes") or {}).items():
        label = f"{int(size) / 1e6:g}M" if int(size) >= 1_000_000 else f"{int(size) // 1000}k"
        target = TARGETS["sparql_1m_ms"] if int(size) >= 1_000_000 else None
        if e.get("memory_load_seconds") is not None:
            yield (
                f"SPARQL open {label} ({_n(e.get('triples'))} triples)",
                "seconds: store (read-only) vs TriG into memory (before)",
                _n(e.get("oxigraph_load_seconds"), 2),
                _n(e.get("memory_load_seconds"), 2),
                _n(_div(e.get("memory_load_seconds"), e.get("oxigraph_load_seconds")), 0),
                "",
            )
            for name, q in (e.get("queries") or {}).items():
                ms = q.get("oxigraph_ms")
                limit = 200 if name in ("evidence", "about") else target
                meets = None if limit is None or ms is None else ms <= limit
                ref = _n(q.get("memory_ms"), 1)
                if q.get("memory_timed_out"):
                    ref = "> " + ref
                yield (
                    f"SPARQL {label} {name}",
                    "median ms: store vs in-memory (before)",
                    _n(ms, 1),
                    ref,
                    _n(q.get("memory_vs_oxigraph"), 1) + _ok(meets),
                    f"≤ {limit} ms" if limit else "",
                )
        if e.get("rdflib_load_seconds") is None:
            continue
        yield (
            f"SPARQL load {label} ({_n(e.get('triples'))} triples)",
            "seconds: oxigraph vs rdflib",
            _n(e.get("oxigraph_load_seconds"), 2),
            _n(e.get("rdflib_load_seconds"), 2),
            _n(_div(e.get("rdflib_load_seconds"), e.get("oxigraph_load_seconds")), 1),
            "",
        )
        for name, q in (e.get("queries") or {}).items():
            ms = q.get("oxigraph_ms")
            if "rdflib_ms" not in q and "rdflib_error" not in q:
                continue
            ref = _n(q.get("rdflib_ms"), 1)
            if q.get("rdflib_timed_out"):
                ref = "> " + ref
            if q.get("rdflib_error"):
                ref = "error"
            meets = None if target is None or ms is None else ms <= target
            mine = _n(ms, 1)
            if q.get("oxigraph_timed_out"):
                mine = "> " + mine
            if q.get("oxigraph_error"):
                mine = "error"
            bound = ""
            if q.get("rdflib_timed_out") and not q.get("oxigraph_timed_out"):
                bound = "≥ "
            elif q.get("oxigraph_timed_out") and not q.get("rdflib_timed_out"):
                bound = "≤ "
            r = q.get("rdflib_vs_oxigraph")
            if q.get("rdflib_timed_out") and q.get("oxigraph_timed_out"):
                r = None  # both stopped at their timeouts: no ratio
            yield (
                f"SPARQL {label} {name}",
                "median ms: oxigraph vs rdflib",
                mine,
                ref,
                (bound + _n(r, 1) if r is not None else "–") + _ok(meets),
                f"≤ {target} ms" if target else "",
            )


def _div(a: Any, b: Any) -> float | None:
    return a / b if isinstance(a, int | float) and isinstance(b, int | float) and b else None


def _reason(res: dict[str, Any]) -> Iterator[Row]:
    target = TARGETS["reason_speedup"]
    for size, e in (res.get("sizes") or {}).items():
        kg = e.get("kg")
        ow = e.get("owlrl") or {}
        kg_s = kg.get("seconds") if isinstance(kg, dict) else None
        sp = e.get("speedup")
        lb = "≥ " if e.get("speedup_is_lower_bound") else ""
        yield (
            f"reasoning {int(size) // 1000}k ({_n(e.get('triples'))} triples)",
            "seconds: kg reason vs owlrl",
            _n(kg_s, 2) if kg_s is not None else str(kg),
            ("> " if ow.get("timed_out") else "") + _n(ow.get("seconds"), 2),
            lb + _n(sp, 1) + _ok(None if sp is None else sp >= target),
            f"≥ {target}x",
        )


def _html(res: dict[str, Any]) -> Iterator[Row]:
    for n, e in (res.get("sizes") or {}).items():
        for key, label in (("full", "whole graph"), ("default_limit", "default --max-nodes 500")):
            r = e.get(key)
            if not r:
                continue
            yield (
                f"HTML {n} nodes, {label}",
                "seconds to write / page kB",
                _n(r.get("seconds"), 2),
                f"{_n(r.get('page_bytes', 0) / 1000)} kB",
                "",
                f"{r.get('page_nodes')} nodes on page",
            )


def _pathological(res: dict[str, Any]) -> Iterator[Row]:
    inputs = res.get("inputs") or {}
    labels = {
        "seeds_flat": "seeds without newlines",
        "comma": "one sentence of commas",
    }
    for bad, pair in (res.get("pairs") or {}).items():
        b, n = inputs.get(bad) or {}, inputs.get(pair.get("normal")) or {}
        t, m = pair.get("time_ratio"), pair.get("rss_ratio")
        yield (
            f"pathological: {labels.get(bad, bad)} ({b.get('bytes', 0) / 1e6:.1f} MB, "
            f"{b.get('chars', 0) / 1e6:.2f}M chars)",
            "kg build wall s / peak RSS MB (vs the same text with newlines)",
            f"{_n(b.get('seconds'), 1)} s / {_n(b.get('max_rss_mb'))} MB",
            f"{_n(n.get('seconds'), 1)} s / {_n(n.get('max_rss_mb'))} MB",
            f"{_n(t, 2)} / {_n(m, 2)}" + _ok(pair.get("within_target")),
            "≤ 1.5 / ≤ 1.5",
        )


def pathological_section(benchmarks: dict[str, Any]) -> list[str]:
    """The Markdown section of issue 18's pathological inputs (empty without results)."""
    res = benchmarks.get("pathological")
    if not res:
        return []
    lines = [
        "## Pathological inputs (issue 18, rows 5 and 6)",
        "",
        "`kg build` on text without sentence ends or line breaks beside the same text in"
        " a normal shape (best time of the alternating runs, largest process's peak RSS);"
        f" measured {res.get('measured_at', '?')}.",
        "",
        markdown_table(rows({"pathological": res})),
        "",
    ]
    return lines


def _serve(res: dict[str, Any]) -> Iterator[Row]:
    front, direct = res.get("front") or {}, res.get("direct") or {}
    if not front:
        return
    label = f"{int(res.get('triples') or 0) // 1000}k triples"
    yield (
        f"kg serve, {res.get('query')} ({label}), {front.get('clients')} clients",
        "requests/s: kg serve vs oxigraph alone",
        _n(front.get("requests_per_s"), 1),
        _n(direct.get("requests_per_s"), 1),
        _n(_div(front.get("requests_per_s"), direct.get("requests_per_s")), 2),
        f"{front.get('requests')} requests, {front.get('errors')} errors",
    )
    yield (
        f"kg serve latency ({front.get('clients')} clients)",
        "p50 / p99 ms: kg serve vs oxigraph alone",
        f"{_n(front.get('p50_ms'), 1)} / {_n(front.get('p99_ms'), 1)}",
        f"{_n(direct.get('p50_ms'), 1)} / {_n(direct.get('p99_ms'), 1)}",
        "",
        "",
    )


def _query_cli(res: dict[str, Any]) -> Iterator[Row]:
    queries = res.get("queries") or {}
    target = res.get("target_s") or 0.6
    for name, q in queries.items():
        yield (
            f"kg query DIR {name} ({res.get('scale'):g}x build)",
            f"wall s, process start included: median / slowest of {res.get('repeats')}",
            f"{q.get('median_s'):.2f} / {q.get('max_s'):.2f}",
            f"{q.get('rows')} rows",
            _n(q.get("median_s", 0) / target, 2) + _ok(q.get("met")),
            f"≤ {target} s (median)",
        )


def _dask(res: dict[str, Any]) -> Iterator[Row]:
    from benchmarks.bench_dask import report_rows

    yield from report_rows(res)


SECTIONS = {
    "extraction": _extraction,
    "scale": _scale,
    "query_cli": _query_cli,
    "sparql": _sparql,
    "reason": _reason,
    "html": _html,
    "pathological": _pathological,
    "serve": _serve,
    "dask": _dask,
}


def rows(benchmarks: dict[str, Any]) -> list[Row]:
    """Table rows for every benchmark in ``benchmarks`` (name -> result).

    >>> rows({"html": {"status": "not available", "reason": "kg.viz missing"}})[0][:2]
    ('html', 'not available')
    """
    out: list[Row] = []
    for name, fn in SECTIONS.items():
        res = benchmarks.get(name)
        if res is None:
            continue
        if res.get("status") in ("not available", "error") and not _has_data(res):
            out.append(_status_row(name, res))
            continue
        out.extend(fn(res))
        if res.get("status") in ("partial", "error"):
            out.append(_status_row(name, res))
    return out


def _has_data(res: dict[str, Any]) -> bool:
    return any(k in res for k in ("corpora", "scales", "sizes", "pairs", "runs", "queries"))


def text_table(table: Sequence[Row]) -> str:
    """A plain-text table for the terminal."""
    from unicodedata import east_asian_width

    def width(s: str) -> int:
        return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in s)

    cols = [max(width(r[i]) for r in [HEADER, *table]) for i in range(len(HEADER))]
    lines = []
    for r in [HEADER, *table]:
        lines.append("  ".join(c + " " * (w - width(c)) for c, w in zip(r, cols, strict=True)))
    lines.insert(1, "  ".join("-" * w for w in cols))
    return "\n".join(line.rstrip() for line in lines)


def markdown_table(table: Sequence[Row]) -> str:
    """The same table in Markdown."""

    def cell(s: str) -> str:
        return s.replace("|", "\\|") or " "

    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(cell(c) for c in r) + " |" for r in table]
    return "\n".join(lines)


def _fmt_s(x: float) -> str:
    return f"{x:,.0f} s" if x >= 10 else f"{x:.2f} s"


def verdicts(benchmarks: dict[str, Any]) -> list[str]:
    """One line per target of issue 6: the measured figure and whether it is met.

    >>> v = verdicts({"reason": {"sizes": {"100000": {"speedup": 25.0, "kg": {"seconds": 2.0},
    ...     "owlrl": {"seconds": 50.0}}}}})
    >>> v[0].endswith("25.0x faster (target ≥ 20x): met.")
    True
    """
    out: list[str] = []

    def met(flag: bool) -> str:
        return "met" if flag else "**not met**"

    ext = benchmarks.get("extraction") or {}
    for corpus, c in (ext.get("corpora") or {}).items():
        kg, ref = c.get("kg_chars_per_s"), c.get("jieba_chars_per_s")
        if kg is None or ref is None:
            continue
        ok = kg >= TARGETS["extraction_chars_per_s"] and kg >= ref
        out.append(
            f"Extraction ({corpus}, {c.get('bytes', 0) / 1e6:.1f} MB, one core): {kg:,} chars/s, "
            f"{kg / ref:.2f}x jieba.lcut ({ref:,} chars/s) "
            f"(target ≥ {TARGETS['extraction_chars_per_s']:,} and ≥ jieba): {met(ok)}."
        )
    sc = benchmarks.get("scale") or {}
    g = sc.get("growth") or {}
    done = [r for r in (sc.get("scales") or {}).values() if r.get("returncode") == 0]
    real = [r for r in done if r.get("scale", 0) >= 1000]
    for r in (sc.get("scales") or {}).values():
        if r.get("killed") and r.get("scale", 0) >= 1000:
            out.append(
                f"kg build at {r['scale']:g}x ({r['chars'] / 1e6:.1f}M chars): stopped by the "
                f"harness ({r['killed']}) after {_fmt_s(r['seconds'])} "
                f"(target ≤ 300 s and ≤ 1.5 GB): {met(False)}."
            )
            real.append(r)  # no extrapolation needed
    for r in real:
        if r.get("killed"):
            continue
        ok = (
            r["seconds"] <= TARGETS["scale_1000x_seconds"]
            and r["tree_rss_mb"] <= TARGETS["scale_1000x_rss_mb"]
        )
        out.append(
            f"kg build at {r['scale']:g}x ({r['chars'] / 1e6:.1f}M chars, "
            f"--workers {r.get('workers', 1)}), measured: "
            f"{_fmt_s(r['seconds'])}, {r['tree_rss_mb']:,.0f} MB peak RSS "
            f"(target ≤ 300 s and ≤ 1.5 GB): {met(ok)}."
        )
    if not real and "predicted_1000x_seconds" in g:
        biggest = max(done, key=lambda r: r["chars"]) if done else {}
        out.append(
            f"kg build at 1000x (not run; extrapolated from the measured scales up to "
            f"{biggest.get('scale', 0):g}x): about {_fmt_s(g['predicted_1000x_seconds'])} and "
            f"{g['predicted_1000x_rss_mb']:,.0f} MB (target ≤ 300 s and ≤ 1.5 GB): "
            f"{met(bool(g.get('predicted_1000x_within_target')))}."
        )
    if "time_loglog_slope" in g:
        slope = g["time_loglog_slope"]
        out.append(
            f"Growth of build time between the two largest scales: log-log slope {slope:.2f} "
            f"(1.0 = linear): {met(slope <= 1.1)}."
        )
    qc = benchmarks.get("query_cli") or {}
    if qc.get("queries"):
        times = {n: q["median_s"] for n, q in qc["queries"].items()}
        worst = max(times, key=lambda n: times[n])
        fast = sum(1 for q in qc["queries"].values() if q.get("met"))
        out.append(
            f"`kg query DIR NAME` on the {qc.get('scale'):g}x build, process start included: "
            f"{fast} of {len(times)} named queries within {qc.get('target_s')} s (median); "
            f"slowest {worst} {times[worst]:.2f} s: {met(fast == len(times))}."
        )
    sp = benchmarks.get("sparql") or {}
    for size, e in (sp.get("sizes") or {}).items():
        if int(size) < 1_000_000:
            continue
        qs = e.get("queries") or {}
        ms = {n: q.get("oxigraph_ms") for n, q in qs.items() if q.get("oxigraph_ms") is not None}
        if not ms:
            continue
        worst = max(ms, key=lambda n: ms[n])

        def limit(name: str) -> int:
            return 200 if name in ("evidence", "about") else TARGETS["sparql_1m_ms"]

        fast = sum(1 for n, v in ms.items() if v <= limit(n))
        out.append(
            f"Named queries at {int(size) / 1e6:g}M triples from the store: {fast} of {len(ms)} "
            f"within {TARGETS['sparql_1m_ms']} ms (200 ms for evidence and about, which read "
            f"the provenance graphs); slowest {worst} {ms[worst]:,.0f} ms: "
            f"{met(fast == len(ms))}."
        )
    rs = benchmarks.get("reason") or {}
    for size, e in (rs.get("sizes") or {}).items():
        if int(size) < 100_000 or e.get("speedup") is None:
            continue
        bound = "at least " if e.get("speedup_is_lower_bound") else ""
        target = TARGETS["reason_speedup"]
        out.append(
            f"Reasoning at {int(size) // 1000}k triples: kg reason {e['kg']['seconds']:.2f} s, "
            f"owlrl {e['owlrl']['seconds']:.2f} s: {bound}{e['speedup']:.1f}x faster "
            f"(target ≥ {target}x): {met(e['speedup'] >= target)}."
        )
    return out

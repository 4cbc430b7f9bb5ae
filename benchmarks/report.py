"""Turn benchmark results into a table (terminal) and ``RESULTS.md`` (Markdown)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

Row = tuple[str, str, str, str, str, str]
HEADER: Row = ("benchmark", "measure", "union-kg", "reference", "ratio", "target")

TARGETS = {
    "extraction_chars_per_s": 250_000,
    "scale_1000x_seconds": 300,
    "scale_1000x_rss_mb": 4096,
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


def _scale(res: dict[str, Any]) -> Iterator[Row]:
    for label, r in (res.get("scales") or {}).items():
        chars = r.get("chars", 0)
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


def _sparql(res: dict[str, Any]) -> Iterator[Row]:
    for size, e in (res.get("sizes") or {}).items():
        label = f"{int(size) / 1e6:g}M" if int(size) >= 1_000_000 else f"{int(size) // 1000}k"
        target = TARGETS["sparql_1m_ms"] if int(size) >= 1_000_000 else None
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


SECTIONS = {
    "extraction": _extraction,
    "scale": _scale,
    "sparql": _sparql,
    "reason": _reason,
    "html": _html,
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
    return any(k in res for k in ("corpora", "scales", "sizes"))


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

"""Extraction throughput on one core, side by side with ``jieba.lcut``.

Two corpora of about ``size`` UTF-8 bytes each: the seeds repeated, and a
generated corpus (:mod:`benchmarks.generate`).  For each, the same documents are
timed three ways, interleaved within every repeat so that machine noise hits
all of them alike:

``kg``
    ``kg.text.split_articles`` + ``kg.extract.extract_document`` (text layer and
    extraction: what a user waits for before the RDF stage).
``text``
    ``kg.text.split_articles`` alone (the text layer's share).
``jieba``
    ``jieba.lcut(doc.text)``: plain word segmentation, the reference.
``kg_no_facts``
    ``kg`` with every extractor but ``facts``: ``facts_share`` = (kg - kg_no_facts)
    / kg is the facts extractor's share of extraction time (issue 17).

Reading files and loading lexicons (one warm-up document) are not timed there.
``whole_process`` times what a user waits for (issue 14's definition): ``kg
extract`` as a whole process on the seeds repeated ``process_copies`` times
(start-up and lexicon loading included, best of 2), beside ``jieba.lcut`` timed
in-process after ``jieba.initialize()`` on the same text in the same run.
"""

from __future__ import annotations

import dataclasses
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import Result, missing, out_dir, ratio, seed_paths
from benchmarks.generate import generate_corpus


def _docs(paths: list[Path]) -> list[Any]:
    from kg.text import iter_documents

    return list(iter_documents([str(p) for p in paths]))


def _repeat_to(docs: list[Any], size: int) -> list[Any]:
    out: list[Any] = []
    total = 0
    i = 0
    while total < size:
        d = docs[i % len(docs)]
        out.append(dataclasses.replace(d, doc_id=f"r{i // len(docs)}_{d.doc_id}"))
        total += len(d.text.encode("utf-8"))
        i += 1
    return out


def _measure(docs: list[Any], repeats: int, kg_ok: bool, budget: float) -> dict[str, Any]:
    import jieba

    from kg.text import split_articles

    jieba.setLogLevel(60)
    jieba.initialize()
    chars = sum(len(d.text) for d in docs)
    fns: dict[str, Callable[[Any], object]] = {"jieba": lambda d: jieba.lcut(d.text)}
    fns["text"] = split_articles
    if kg_ok:
        from kg.extract import extract_document, registry

        without_facts = [n for n in registry.names() if n != "facts"]
        fns["kg"] = lambda d: extract_document(d, split_articles(d))
        fns["kg_no_facts"] = lambda d: extract_document(
            d, split_articles(d), extractors=without_facts
        )
        fns["kg"](docs[0])  # warm-up: lexicons and automata are built on first use
    split_articles(docs[0])
    times: dict[str, list[float]] = {k: [] for k in fns}
    started = time.perf_counter()
    for _ in range(max(1, repeats)):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            for d in docs:
                fn(d)
            times[name].append(time.perf_counter() - t0)
        if time.perf_counter() - started > budget:
            break  # slow passes vary little: fewer repeats are enough
    res: dict[str, Any] = {
        "docs": len(docs),
        "chars": chars,
        "bytes": sum(len(d.text.encode("utf-8")) for d in docs),
        "repeats": len(times["jieba"]),
    }
    for name, ts in times.items():
        med = statistics.median(ts)
        res[f"{name}_seconds"] = round(med, 4)
        res[f"{name}_chars_per_s"] = round(chars / med) if med else None
    res["kg_vs_jieba"] = ratio(res.get("kg_chars_per_s"), res.get("jieba_chars_per_s"))
    on, off = res.get("kg_seconds"), res.get("kg_no_facts_seconds")
    if on and off is not None:
        res["facts_share"] = round((on - off) / on, 3)  # may be slightly < 0: noise
    if not kg_ok:
        res["kg"] = "not available"
    return res


def _whole_process(copies: int) -> dict[str, Any]:
    """``kg extract`` as a process over the seeds repeated ``copies`` times, best of 2,
    against ``jieba.lcut`` in-process on the same text (best of 2)."""
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    texts = [p.read_text(encoding="utf-8") for p in seed_paths()]
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for i in range(copies):
            for k, text in enumerate(texts):
                (folder / f"c{i:03d}_{k}.txt").write_text(text, encoding="utf-8")
        chars = sum(len(t) for t in texts) * copies
        cmd = [sys.executable, "-m", "kg.cli", "extract", str(folder), "--out"]
        kg_times = []
        for run_no in range(2):
            t0 = time.perf_counter()
            subprocess.run(
                [*cmd, str(Path(tmp) / f"out{run_no}.jsonl")], check=True, capture_output=True
            )
            kg_times.append(time.perf_counter() - t0)
        whole = "".join(texts) * copies
        jieba_times = []
        for _ in range(2):
            t0 = time.perf_counter()
            jieba.lcut(whole)
            jieba_times.append(time.perf_counter() - t0)
    kg_s, jb_s = min(kg_times), min(jieba_times)
    version = subprocess.run(
        [sys.executable, "-m", "kg.cli", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        # what ran: the mypyc-compiled modules or pure Python (kg --version, kg.native)
        "native": version.partition("(")[2].rstrip(")") or "unknown",
        "copies": copies,
        "chars": chars,
        "kg_process_seconds": round(kg_s, 3),
        "kg_process_chars_per_s": round(chars / kg_s),
        "jieba_seconds": round(jb_s, 3),
        "jieba_chars_per_s": round(chars / jb_s),
        "kg_vs_jieba": ratio(round(chars / kg_s), round(chars / jb_s)),
    }


def run(
    size: int = 5_000_000,
    repeats: int = 3,
    seed: int = 0,
    budget: float = 300.0,
    process_copies: int = 60,
) -> Result:
    """Measure extraction throughput.

    Parameters
    ----------
    size
        UTF-8 bytes of each corpus (5 MB by default).
    repeats
        Timed passes over each corpus; the median is reported.
    seed
        Seed of the generated corpus.
    budget
        Seconds after which no further repeat starts (per corpus).
    process_copies
        Copies of the seeds for the whole-process comparison (0 leaves it out).
    """
    why = missing("kg.text:iter_documents", "kg.text:split_articles")
    if why:
        return {"status": "not available", "reason": why}
    kg_why = missing("kg.extract:extract_document")
    seeds = _docs(seed_paths())
    corpus_dir = out_dir() / "corpus" / f"extraction-{size}"
    # a generated page has ~2.8 bytes per character, like the seeds
    manifest = generate_corpus(corpus_dir, max(1, size * 10 // 28), seed=seed)
    generated = _docs(sorted(corpus_dir.glob("page_*.txt")))
    result: Result = {
        "status": "ok" if kg_why is None else "partial",
        "size_bytes": size,
        "cores": 1,
        "corpora": {
            "seeds_repeated": _measure(_repeat_to(seeds, size), repeats, kg_why is None, budget),
            "generated": _measure(generated, repeats, kg_why is None, budget),
        },
        "generator_sources": manifest.get("sources", {}),
    }
    if process_copies > 0 and kg_why is None:
        result["whole_process"] = _whole_process(process_copies)
    if kg_why:
        result["reason"] = kg_why
    return result

"""Benchmarks of union-kg: throughput, scale, query latency, reasoning and HTML.

Run everything with ``python -m benchmarks`` (see ``python -m benchmarks --help``).
Each comparison (union-kg against jieba, rdflib, owlrl; one worker against two)
is measured side by side in the same run and reported as a ratio, because
shared machines are noisy.  Results go to ``benchmarks/out/results.json`` and
``benchmarks/RESULTS.md``.

Modules
-------
generate
    Deterministic generator of varied newspaper pages (the scale corpus).
synthetic_rdf
    Graphs of a requested size in the project's RDF shape.
bench_extraction, bench_scale, bench_sparql, bench_reason, bench_html
    One benchmark each; every one reports ``"not available"`` while the
    product piece it measures does not exist yet.
profile
    ``python -m benchmarks.profile``: pyinstrument over extraction.

Importing this package has no side effects.
"""

from __future__ import annotations

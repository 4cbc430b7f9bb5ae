"""``graph.trig`` and ``graph.ttl`` written from a stream of documents, in bounded memory.

:func:`kg.rdf.build.write_graphs` needs every quad at once: it sorts the
graphs, and the subjects of the union.  :class:`GraphStream` writes the same
bytes while the documents' quads come one document at a time:

* each article graph belongs to one document, so its TriG body is written as
  soon as the document is in, to a spool file; at the end the bodies are
  copied out in the order of :func:`~kg.rdf.serialize.graph_sort_key`;
* ``kg:implicit true`` is only known once every document is in: each entity
  block of an article graph carries a placeholder line (an id of the entity),
  replaced by the real line or dropped when the bodies are copied out;
* subjects that belong to one document (articles, evidence, figures) have the
  same block in ``graph.ttl`` as in their graph: those blocks are collected in
  sorted runs on disk and merged; entity and region subjects, which many
  documents describe, go to other sorted runs as one record per subject and
  document (its predicates and objects), and the records of one subject are
  merged into its block when the runs are read back, in its sorted place.

What is kept in memory is the index of graphs (one row per article), a number
per entity (for its ``kg:implicit`` placeholder), the background graph (what
no article says: relations without evidence, the regions) and one run of each
kind.
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from rdflib import Literal
from rdflib.term import Node

from kg.output import atomic_file
from kg.rdf.iri import BACKGROUND_GRAPH, BASE
from kg.rdf.prefixes import in_default_graph
from kg.rdf.serialize import (
    Preds,
    Raw,
    block,
    graph_sort_key,
    group,
    iri_text,
    prefix_header,
    term_text,
)
from kg.runs import read_run, write_run

Quad = tuple[Node, Node, Node, Node]
#: subjects described in exactly one document's graph
LOCAL_PREFIXES = (BASE + "article/", BASE + "evidence/", BASE + "fact/")
_IMPLICIT = "https://w3id.org/union-kg/ontology#implicit"
_IMPLICIT_KEY = (1, _IMPLICIT, iri_text(_IMPLICIT))
_TRUE = term_text(Literal(True))
_PAD = " " * 8
_MARK = re.compile(r"        kg:implicit \x00(\d+)\x00 ;\n")
_MARK_LAST = re.compile(r" ;\n        kg:implicit \x00(\d+)\x00 \.\n")
RUN_BYTES = 8 << 20  # characters of one sorted run of graph.ttl blocks (kept in memory)
SHARED_RUN = 5_000  # records of one sorted run of entity descriptions (kept in memory)
#: a description of a subject by one document: ``(IRI, its text, ((predicate key, objects)...))``
Record = tuple[str, str, tuple[tuple[tuple[int, str, str], tuple[str, ...]], ...]]


def strip_marks(text: str) -> str:
    """A body without its placeholder lines (what the store loads before ``finish``)."""
    return _MARK.sub("", _MARK_LAST.sub(" .\n", text))


class GraphStream:
    """Write ``graph.trig`` and ``graph.ttl`` of a stream of documents' quads.

    Call :meth:`add` with the quads of each document (its article graphs and
    what it adds to the background graph), then :meth:`finish` with the quads
    that depend on all of them (``kg:implicit``, regions).  ``work`` is a
    directory for the spool files (removed by the caller).  ``sink``, when
    given, receives the same graphs as text as they come (for the store:
    :class:`kg.rdf.store.StoreLoader`).
    """

    def __init__(self, work: Path, sink: Callable[[str, str], None] | None = None) -> None:
        self.work = Path(work)
        #: called with the TriG of each document's graphs and the Turtle of their triples
        #: for the store's default graph (as they will be once every document is in, less
        #: ``kg:implicit``: see :meth:`finish`; no evidence nodes: see
        #: :func:`kg.rdf.prefixes.in_default_graph`)
        self.sink = sink
        self._spool: IO[bytes] = open(self.work / "graphs.spool", "wb")  # noqa: SIM115
        self._offset = 0
        self._index: list[tuple[tuple[int, str, int, str], str, int, int]] = []
        self._ids: dict[str, int] = {}
        self._shared: list[Record] = []
        self._shared_runs: list[Path] = []
        self._background: list[tuple[Node, Node, Node]] = []
        self._run: list[tuple[str, str]] = []
        self._run_bytes = 0
        self._runs: list[Path] = []
        #: distinct triples of the union among the one-document subjects
        self.local_triples = 0

    # ------------------------------------------------------------ documents

    def add(self, quads: Iterable[Quad]) -> None:
        """The quads of one document (its article graphs belong to it alone)."""
        graphs: dict[Node, list[tuple[Node, Node, Node]]] = defaultdict(list)
        for s, p, o, g in quads:
            graphs[g].append((s, p, o))
        background = graphs.pop(BACKGROUND_GRAPH, None)
        if background:
            self._background += background
        local: dict[tuple[int, str, str], Preds] = {}
        trig: list[str] = []
        merged: list[str] = []  # what the store's default graph gets: no evidence nodes
        for name, triples in graphs.items():
            grouped = group(triples)
            parts = []
            kept = []
            for s_key in sorted(grouped):
                preds = grouped[s_key]
                if s_key[1].startswith(LOCAL_PREFIXES):
                    seen = local.get(s_key)
                    if seen is None:
                        local[s_key] = preds
                    else:  # the same subject in two graphs of the document
                        for p_key, objs in preds.items():
                            seen.setdefault(p_key, set()).update(objs)
                else:
                    self._shared.append(_record(s_key, preds))
                    n = self._ids.setdefault(s_key[1], len(self._ids))
                    preds = dict(preds)
                    preds[_IMPLICIT_KEY] = {Raw(f"\x00{n}\x00")}
                parts.append(block(s_key[2], preds, "    "))
                if in_default_graph(s_key[1]):
                    kept.append(parts[-1])
            text = "\n".join(parts)
            body = text.encode("utf-8")
            self._spool.write(body)
            self._index.append((graph_sort_key(name), term_text(name), self._offset, len(body)))
            self._offset += len(body)
            if self.sink is not None:
                trig.append(strip_marks(text))
                merged.append(strip_marks("".join(f"{k}\n" for k in kept)))
        if self.sink is not None and trig:
            names = [term_text(name) for name in graphs]
            self.sink(
                "".join(f"{n} {{\n{t}}}\n" for n, t in zip(names, trig, strict=True)),
                "".join(merged),
            )
        for s_key in sorted(local):
            preds = local[s_key]
            self.local_triples += sum(len(v) for v in preds.values())
            text = block(s_key[2], preds, "")
            self._run.append((s_key[1], text))
            self._run_bytes += len(text)
        if self._run_bytes >= RUN_BYTES:
            self._flush_run()
        if len(self._shared) >= SHARED_RUN:
            self._flush_shared()

    def _spill(self, items: list[Any], runs: list[Path], name: str) -> None:
        """Sort ``items`` and write them as the next run of ``runs`` (files ``name-N.bin``)."""
        if items:
            items.sort()
            path = self.work / f"{name}-{len(runs)}.bin"
            _dump(path, items)
            runs.append(path)

    def _flush_shared(self) -> None:
        self._spill(self._shared, self._shared_runs, "shared-run")
        self._shared = []

    def _flush_run(self) -> None:
        self._spill(self._run, self._runs, "ttl-run")
        self._run, self._run_bytes = [], 0

    # ------------------------------------------------------------ the end

    def finish(self, quads: Sequence[Quad], out_dir: Path) -> int:
        """Add the last quads and write ``graph.trig`` and ``graph.ttl`` into ``out_dir``.

        ``quads`` may name only the background graph, or say ``kg:implicit true``
        of an entity in the graphs that describe it.  Returns the number of
        distinct triples of the union (``graph.ttl``).
        """
        implicit: set[int] = set()
        marked: dict[str, list[str]] = defaultdict(list)  # graph -> the implicit entities in it
        for s, p, o, g in quads:
            if g == BACKGROUND_GRAPH:
                self._background.append((s, p, o))
            elif str(p) == _IMPLICIT and str(s) in self._ids:
                implicit.add(self._ids[str(s)])
                marked[term_text(g)].append(term_text(s))
            else:
                raise ValueError(f"cannot add {s} {p} {o} to the finished graph {g}")
        if self.sink is not None:
            background = self._background_body()
            lines = {f"{s} kg:implicit {_TRUE} .\n": None for ns in marked.values() for s in ns}
            self.sink(
                (f"{term_text(BACKGROUND_GRAPH)} {{\n{background}}}\n" if background else "")
                + "".join(
                    f"{g} {{\n" + "".join(f"{s} kg:implicit {_TRUE} .\n" for s in ns) + "}\n"
                    for g, ns in marked.items()
                ),
                background + "".join(lines),
            )
        self._shared += [_record(k, v) for k, v in group(self._background).items()]
        self._flush_shared()
        self._spool.close()
        self._write_trig(out_dir / "graph.trig", implicit)
        triples = self._write_ttl(out_dir / "graph.ttl", implicit)
        self._background.clear()
        self._index.clear()
        self._ids.clear()
        return triples

    def _write_trig(self, path: Path, implicit: set[int]) -> None:
        true_line = f"{_PAD}kg:implicit {_TRUE} ;\n"

        def line(m: re.Match[str]) -> str:
            return true_line if int(m.group(1)) in implicit else ""

        def last(m: re.Match[str]) -> str:
            return f" ;\n{_PAD}kg:implicit {_TRUE} .\n" if int(m.group(1)) in implicit else " .\n"

        self._index.sort()
        with atomic_file(path) as out, open(self.work / "graphs.spool", "rb") as spool:
            fh: Any = out
            empty = not self._index and not self._background
            fh.write(prefix_header().rstrip("\n") if empty else prefix_header())
            first = True
            if self._background:
                fh.write(f"{term_text(BACKGROUND_GRAPH)} {{\n{self._background_body()}}}\n")
                first = False
            for _key, name, offset, size in self._index:
                spool.seek(offset)
                body = spool.read(size).decode("utf-8")
                if "\x00" in body:
                    body = _MARK.sub(line, _MARK_LAST.sub(last, body))
                fh.write(("" if first else "\n") + f"{name} {{\n{body}}}\n")
                first = False
            if first:
                fh.write("\n")

    def _background_body(self) -> str:
        grouped = sorted(group(self._background).items())
        return "\n".join(block(k[2], v, "    ") for k, v in grouped)

    def _runs_iter(self) -> list[Iterator[tuple[str, str]]]:
        self._flush_run()
        return [_load(p) for p in self._runs]

    def _shared_blocks(self, implicit: set[int], counted: list[int]) -> Iterator[tuple[str, str]]:
        """The merged descriptions of the shared subjects, in order: ``(IRI, block)``."""
        iri: str | None = None
        text = ""
        preds: Preds = {}

        def done() -> tuple[str, str]:
            if self._ids.get(iri or "") in implicit:
                preds[_IMPLICIT_KEY] = {_TRUE}
            counted[0] += sum(len(v) for v in preds.values())
            return iri or "", block(text, preds, "")

        for rec in heapq.merge(*(_load(p) for p in self._shared_runs)):
            if rec[0] != iri:
                if iri is not None:
                    yield done()
                iri, text, preds = rec[0], rec[1], {}
            for p_key, objs in rec[2]:
                preds.setdefault(p_key, set()).update(objs)
        if iri is not None:
            yield done()

    def _write_ttl(self, path: Path, implicit: set[int]) -> int:
        counted = [0]
        with atomic_file(path) as out:
            fh: Any = out
            fh.write(prefix_header())
            first = True
            merged = heapq.merge(self._shared_blocks(implicit, counted), *self._runs_iter())
            for _s, text in merged:
                fh.write(text if first else "\n" + text)
                first = False
        return self.local_triples + counted[0]


def _record(s_key: tuple[int, str, str], preds: Preds) -> Record:
    """A subject's description as a sortable record of plain strings (see :data:`Record`)."""
    items = tuple(sorted((k, tuple(sorted(v))) for k, v in preds.items()))
    return (s_key[1], s_key[2], items)


def _dump(path: Path, items: list[Any]) -> None:
    with open(path, "wb") as fh:
        write_run(fh, items)


def _load(path: Path) -> Iterator[Any]:
    with open(path, "rb") as fh:
        yield from read_run(fh)

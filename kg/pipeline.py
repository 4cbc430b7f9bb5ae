"""Wiring of the stages for ``kg extract`` and ``kg build``.

The flow is one-way: paths -> :mod:`kg.text` (documents, articles, sentences)
-> :mod:`kg.extract` (DocResults) -> JSON Lines and :mod:`kg.rdf` (dataset)
-> :mod:`kg.graph` (networkx view) -> :mod:`kg.viz` (HTML).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.model import DocResult, Document
from kg.parallel import process_map

Warn = Callable[[str], None]

#: readings kept per edge of the build's networkx view (GraphML, HTML); the store keeps all
MAX_EVIDENCE_PER_EDGE = 50
#: figures kept per node of that view (their totals count all)
MAX_FACTS_PER_NODE = 50


#: documents between two returns of freed memory to the system (see _give_back_memory)
TRIM_EVERY = 16


def _give_back_memory() -> None:
    """Return the C heap's free pages to the system (glibc's ``malloc_trim``; elsewhere nothing).

    The build frees most of what each document allocates; without this the
    freed pages, scattered among long-lived objects, stay resident, and the
    process's size grows with the corpus although its live data does not.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@contextlib.contextmanager
def streaming_collector() -> Iterator[None]:
    """Garbage collection while documents stream through the views (:class:`Views`).

    The views keep long-lived state that grows with the distinct entities
    (names, ids, caches); the automatic collector's full collections walk all of
    it again and again, which made the build's own time grow faster than the
    corpus (at 100x seeds a third of the build process's CPU time).  Inside this
    context automatic collection is off; :meth:`Views.add` collects the young
    generations every :data:`TRIM_EVERY` documents (the cycles a document
    leaves behind are few and young), and :meth:`Views.finish` collects fully.
    The collector's state is restored on the way out.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        fn: Callable[[int], int] = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    return fn


#: Documents per task of a worker process (kg.parallel.process_map keeps a bounded
#: number of tasks in flight, so this bounds the results held in memory too).
DOCS_PER_TASK = 4


def _analyse(doc: Document) -> DocResult:
    """Text -> articles -> extraction, for one document (runs in a worker too)."""
    from kg.extract import extract_document
    from kg.text import split_articles

    return extract_document(doc, split_articles(doc))


def _progress(items: Iterable[DocResult], total: int, enabled: bool) -> Iterator[DocResult]:
    if not enabled:
        yield from items
        return
    from tqdm import tqdm

    yield from tqdm(items, total=total, unit="doc", file=sys.stderr, leave=False, delay=0.5)


def extract_paths(
    paths: Sequence[str | os.PathLike[str]],
    *,
    strict: bool = False,
    workers: int = 1,
    on_warning: Warn | None = None,
    progress: bool | None = None,
    dask: str | None = None,
    sources: Mapping[str, str] | None = None,
) -> list[DocResult]:
    """Read, segment and extract every document under ``paths``, in input order.

    The list of :func:`iter_results`.
    """
    return list(
        iter_results(
            paths,
            strict=strict,
            workers=workers,
            on_warning=on_warning,
            progress=progress,
            dask=dask,
            sources=sources,
        )
    )


def iter_results(
    paths: Sequence[str | os.PathLike[str]],
    *,
    strict: bool = False,
    workers: int = 1,
    on_warning: Warn | None = None,
    progress: bool | None = None,
    dask: str | None = None,
    sources: Mapping[str, str] | None = None,
) -> Iterator[DocResult]:
    """Read, segment and extract every document under ``paths``; yield them in input order.

    Each result is yielded as soon as it (and those before it) is ready, so a
    consumer need not hold them all.

    Parameters
    ----------
    paths
        Files, directories (searched recursively) and glob patterns.
    strict
        Make an unreadable file an error instead of a warning.
    workers
        Number of processes for extraction (1 = in this process).
    on_warning
        Called with one line per skipped file.
    progress
        Show a progress bar; by default when there are more than five documents
        and stderr is a terminal.
    dask
        Run extraction as Dask tasks on the scheduler at this address
        (``tcp://host:8786``), or on a ``LocalCluster`` of ``workers`` processes
        (``local``); see :mod:`kg.distributed`.  The results are the same.
    sources
        Local paths (of downloaded inputs) -> the names to record as the
        documents' source files instead (their URLs; see :mod:`kg.remote`).
    """
    from kg.text import iter_documents

    if dask is not None:  # documents read as partitions go out: memory stays bounded
        yield from _on_cluster(
            iter_documents(paths, strict=strict, on_warning=on_warning),
            dask,
            workers,
            progress if progress is not None else sys.stderr.isatty(),
            sources or {},
        )
        return
    docs = list(iter_documents(paths, strict=strict, on_warning=on_warning))
    if sources:
        from kg.remote import renamed

        docs = [renamed(doc, sources) for doc in docs]
    show = progress if progress is not None else (len(docs) > 5 and sys.stderr.isatty())
    if workers <= 1 or len(docs) < 2:
        yield from _progress(map(_analyse, docs), len(docs), show)
        return
    # Ctrl-C-safe, and at most workers * AHEAD tasks of DOCS_PER_TASK documents in flight
    results = process_map(_analyse, docs, workers=workers, chunksize=DOCS_PER_TASK)
    yield from _progress(results, len(docs), show)


def _on_cluster(
    docs: Iterator[Document],
    address: str,
    workers: int,
    show: bool,
    sources: Mapping[str, str],
) -> Iterator[DocResult]:
    """:func:`iter_results` on Dask (:mod:`kg.distributed`): documents are read
    only as their partitions are sent, so the inputs are never all in memory."""
    from kg.distributed import dask_map
    from kg.remote import renamed

    first = next(docs, None)  # unreadable inputs fail before a cluster is started
    if first is None:
        return
    stream = (renamed(doc, sources) for doc in itertools.chain([first], docs))
    results = dask_map(_analyse, stream, address=address, workers=workers)
    if show:
        from tqdm import tqdm

        results = tqdm(results, unit="doc", file=sys.stderr, leave=False, delay=0.5)
    yield from results


@dataclass(slots=True)
class BuildSummary:
    """What ``kg build`` prints at the end."""

    documents: int = 0
    articles: int = 0
    entities: Counter[str] = field(default_factory=Counter)
    relations: Counter[str] = field(default_factory=Counter)
    triples: int = 0
    files: dict[str, int] = field(default_factory=dict)  # name -> bytes
    seconds: float = 0.0

    def format(self) -> str:
        lines = [
            f"documents  {self.documents}",
            f"articles   {self.articles}",
            "entities   "
            + (", ".join(f"{t} {n}" for t, n in sorted(self.entities.items())) or "none"),
            "relations  "
            + (", ".join(f"{p} {n}" for p, n in sorted(self.relations.items())) or "none"),
            f"triples    {self.triples}",
        ]
        for name, size in sorted(self.files.items()):
            lines.append(f"wrote      {name} ({size:,} bytes)")
        lines.append(f"seconds    {self.seconds:.2f}")
        return "\n".join(lines)


def summarize(results: Iterable[DocResult]) -> BuildSummary:
    """Counts over all documents (entities are counted once per distinct key)."""
    counter = _Counts()
    for res in results:
        counter.add(res)
    return counter.summary()


class _Counts:
    """:func:`summarize` one document at a time."""

    def __init__(self) -> None:
        self.documents = self.articles = 0
        self.seen: dict[str, str] = {}
        self.rels: set[tuple[str, str, str]] = set()

    def add(self, res: DocResult) -> None:
        self.documents += 1
        self.articles += len(res.articles)
        for key, ent in res.entities.items():
            self.seen[key] = ent.type
        for rel in res.relations:
            self.rels.add((rel.s, rel.p, rel.o))

    def summary(self) -> BuildSummary:
        out = BuildSummary(documents=self.documents, articles=self.articles)
        out.entities = Counter(self.seen.values())
        out.relations = Counter(p for _, p, _ in self.rels)
        return out


def _size(path: Path) -> int:
    """Bytes of a file, or of every file under a directory (the store)."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def build(
    paths: Sequence[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    strict: bool = False,
    workers: int = 1,
    html: bool = True,
    max_nodes: int = 500,
    on_warning: Warn | None = None,
    progress: bool | None = None,
    dask: str | None = None,
    sources: Mapping[str, str] | None = None,
) -> BuildSummary:
    """Run the whole pipeline and write the build directory atomically.

    Writes ``graph.trig``, ``graph.ttl``, ``extraction.jsonl``, ``graph.graphml``,
    ``store/`` and (unless ``html`` is false) ``network.html`` into ``out_dir``.
    Until everything is written, the previous contents of ``out_dir`` stay as
    they were.  Documents stream through extraction: each result is written to
    ``extraction.jsonl``, its quads to the graph files (:class:`kg.rdf.stream.GraphStream`)
    and the networkx view (:class:`kg.graph.NetworkBuilder`) as it comes, and none
    is kept: memory is bounded by the distinct entities, not by the corpus.  The
    store is bulk-loaded with the same graphs in pieces as they come, in a
    child process that owns it (:class:`kg.rdf.store.StoreLoader`), on another core.
    """
    from kg.incremental import Parts
    from kg.jsonl import doc_line, write_lines
    from kg.output import AtomicDir

    started = time.perf_counter()
    results = iter_results(  # results in flight are bounded (kg.parallel.process_map)
        paths,
        strict=strict,
        workers=workers,
        on_warning=on_warning,
        progress=progress,
        dask=dask,
        sources=sources,
    )
    with streaming_collector(), AtomicDir(out_dir) as tmp:
        views = Views(tmp, store=True)

        def lines() -> Iterator[str]:
            """Every result into the views and the parts as it comes; none is kept."""
            for res in results:
                quads = views.add(res)
                line = doc_line(res)
                parts.add(res, line, quads, views.builder.doc_regions)
                yield line

        # whatever stops the build from here on (an error, a signal), the store closes
        # before the temporary directory goes: one left open writes its files into it
        # again when it closes later (a SIGTERM could leave .out.tmp-*/store/ behind)
        try:
            parts = Parts(tmp)
            write_lines(lines(), tmp / "extraction.jsonl")
            summary = views.finish(html=html, max_nodes=max_nodes)
            parts.finish(html=html, max_nodes=max_nodes)
            summary.files = files_of(tmp)
        except BaseException:
            views.close()
            raise
    summary.seconds = time.perf_counter() - started
    return summary


def files_of(directory: Path) -> dict[str, int]:
    """The files (and the store) of a build directory and their sizes, for the summary."""
    return {p.name: _size(p) for p in Path(directory).iterdir() if not p.name.startswith(".")}


class Views:
    """Everything a build derives from the results but ``extraction.jsonl`` and the store.

    Results come one at a time (:meth:`add`); :meth:`finish` writes ``graph.trig``,
    ``graph.ttl`` (:class:`kg.rdf.stream.GraphStream`), ``graph.graphml`` and
    ``network.html`` (:class:`kg.graph.NetworkBuilder`) into ``directory``, and
    with ``store`` the store ``store/`` (:class:`kg.rdf.store.StoreLoader`, loaded
    as the results come).  Used by ``kg build`` and by ``kg export`` (from the
    parts of a build, whose store is there already).  After an error, :meth:`close`.
    """

    def __init__(self, directory: Path, *, store: bool = False) -> None:
        from kg.graph import NetworkBuilder
        from kg.rdf.build import QuadBuilder
        from kg.rdf.stream import GraphStream

        self.directory = Path(directory)
        self.work = Path(tempfile.mkdtemp(prefix=".spool-", dir=self.directory))
        self.counts = _Counts()
        self.added = 0
        self.builder = QuadBuilder()  # the quads of one document at a time
        self.loader = None
        if store:
            from kg.rdf.store import STORE_DIR, StoreLoader

            self.loader = StoreLoader(self.directory / STORE_DIR)
        try:
            self.stream = GraphStream(self.work, self.loader.add if self.loader else None)
            self.network = NetworkBuilder(
                max_evidence=MAX_EVIDENCE_PER_EDGE, max_facts=MAX_FACTS_PER_NODE, work=self.work
            )
        except BaseException:
            if self.loader is not None:
                self.loader.close()  # (its loading process)
            raise

    def add(self, res: DocResult) -> list[Any]:
        """Add one document; returns its quads."""
        self.added += 1
        if self.added % TRIM_EVERY == 0:
            if not gc.isenabled():  # (streaming_collector)
                gc.collect(1)
            _give_back_memory()
        self.counts.add(res)
        self.builder.add(res)
        quads, self.builder.quads = self.builder.quads, []
        self.stream.add(quads)
        self.network.add((s, p, o, str(g)) for s, p, o, g in quads)
        return quads

    def release(self) -> None:
        """Let go of what the views hold in memory (after their files are written)."""
        from kg.graph import NetworkBuilder
        from kg.rdf.build import QuadBuilder

        self.network.close()
        self.network = NetworkBuilder(work=self.work)
        self.builder = QuadBuilder()
        self.counts = _Counts()
        gc.collect()
        _give_back_memory()

    def close(self) -> None:
        """Stop after an error: the store's loading process and the spool files."""
        if self.loader is not None:
            self.loader.close()
        self.network.close()
        shutil.rmtree(self.work, ignore_errors=True)

    def finish(self, *, html: bool, max_nodes: int) -> BuildSummary:
        """Write the files; returns the summary (counts and triples; no files, no time)."""
        from kg.graph import write_graphml

        try:
            summary = self.counts.summary()
            last = self.builder.finish()
            self.network.add((s, p, o, str(g)) for s, p, o, g in last)
            summary.triples = self.stream.finish(last, self.directory)
            gc.collect()
            # the view without its readings: each edge's are read back from a file as written
            # (meanwhile the store's process loads its last pieces)
            graph = self.network.graph(evidence=False)
            self.network.forget()  # (what the view was made from: not needed any more)
            write_graphml(
                graph, self.directory / "graph.graphml", evidence=self.network.edge_evidence_json
            )
            if html:
                from kg.viz import render

                render(
                    graph,
                    self.directory / "network.html",
                    max_nodes=max_nodes,
                    title="union-kg",
                    evidence=self.network.edge_evidence,
                )
            del graph
            if self.loader is not None:
                # the store's last step (index links) takes memory of its own: before it,
                # what the views held goes (their files were written) and is given back
                self.release()
                self.loader.finish()
                self.loader = None
        finally:
            self.close()
        return summary

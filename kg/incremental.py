"""Incremental builds (``kg build ... --incremental``) and deferred exports (``kg export DIR``).

Every build keeps, in ``DIR/.parts/``, what each document contributed:

* ``docs/<hash>.pkl``: its extraction result and its ``extraction.jsonl`` line,
  under the hash of the document (its id, path, metadata and text), so a later
  build can hard-link the files of unchanged documents instead of copying them;
* ``index.pkl``: the documents in input order, each with the small facts that
  depend on other documents (entity keys and whether they are implicit, region
  codes and names, what it adds to the background graph, its named graphs) and
  the options of the build.

``kg build PATH... --out DIR --incremental`` reads that index, extracts only the
documents that are new or whose hash changed, drops those no longer among the
inputs, and updates a copy of the store per named graph (removed graphs dropped
with the default-graph triples no other graph asserts; new graphs loaded; the
background graph, ``kg:implicit`` and the index links recomputed).
``extraction.jsonl`` is rewritten from the kept lines.  The exports
(``graph.trig``, ``graph.ttl``, ``graph.graphml``, ``network.html``) are not
rewritten: they are made on first read (any command that needs them) or by
``kg export DIR``, from the kept results, by the same code as a fresh build,
so what is read is byte-identical to what a fresh build of the same inputs
writes.  The new directory replaces the old one atomically, like a full build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import shutil
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import __version__
from kg.errors import InputError
from kg.model import DocResult, Document
from kg.rdf.prefixes import PREFIXES, in_default_graph

PARTS_DIR = ".parts"
INDEX_FILE = "index.pkl"
INFOS_FILE = "docs.pkl"
DOCS_DIR = "docs"
FORMAT = 2  # 2: DocInfo.evidence (the store's default graph holds no evidence)
#: the files a build writes that ``kg export`` can make again from the parts
EXPORTS = ("graph.trig", "graph.ttl", "graph.graphml", "network.html")


def doc_hash(doc: Document) -> str:
    """The content hash of a document: what extraction reads of it."""
    data = [doc.doc_id, doc.path, doc.encoding, doc.title, doc.date, doc.url, doc.text]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]


@dataclass(slots=True)
class DocInfo:
    """What one document contributed that depends on the others."""

    key: str
    doc_id: str
    articles: int
    entities: dict[str, tuple[str, bool]]  # key -> (type, implicit)
    relations: list[tuple[str, str, str]]
    regions: dict[str, str | None]
    background: list[tuple[Any, Any, Any]]
    graphs: list[str]
    #: distinct triples of its evidence nodes (in its article graphs only, not the
    #: store's default graph: counted here for the build's number of triples)
    evidence: int = 0


@dataclass
class Index:
    """``.parts/index.pkl``."""

    docs: list[DocInfo] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    exports_pending: bool = False
    version: str = __version__
    format: int = FORMAT


def _info(
    res: DocResult, key: str, quads: Sequence[Any], regions: dict[str, str | None]
) -> DocInfo:
    from kg.rdf.iri import BACKGROUND_GRAPH

    graphs: dict[str, None] = {}
    background = []
    evidence: set[tuple[Any, Any, Any]] = set()
    for s, p, o, g in quads:
        if g == BACKGROUND_GRAPH:
            background.append((s, p, o))
        else:
            graphs[str(g)] = None
            if not in_default_graph(str(s)):
                evidence.add((s, p, o))
    return DocInfo(
        key=key,
        doc_id=res.doc.doc_id,
        articles=len(res.articles),
        entities={k: (e.type, bool(e.implicit)) for k, e in res.entities.items()},
        relations=sorted({(r.s, r.p, r.o) for r in res.relations}),
        regions=dict(regions),
        background=background,
        graphs=list(graphs),
        evidence=len(evidence),
    )


def _write_doc(docs: Path, key: str, res: DocResult, line: str) -> None:
    """``<key>.pkl`` (the result) and ``<key>.line`` (its extraction.jsonl line)."""
    (docs / f"{key}.line").write_bytes(line.encode("utf-8"))
    with open(docs / f"{key}.pkl", "wb") as fh:
        pickle.dump(res, fh, protocol=pickle.HIGHEST_PROTOCOL)


def _read_doc(docs: Path, key: str) -> DocResult:
    with open(docs / f"{key}.pkl", "rb") as fh:
        res: DocResult = pickle.load(fh)
    return res


def _read_line(docs: Path, key: str) -> str:
    return (docs / f"{key}.line").read_bytes().decode("utf-8")


class Parts:
    """The parts of a build being written into ``directory`` (see the module docstring).

    Each document's :class:`DocInfo` goes to ``.parts/docs.pkl`` as it comes
    (nothing is kept in memory); :meth:`finish` writes the index's header.
    """

    def __init__(self, directory: Path) -> None:
        self.root = Path(directory) / PARTS_DIR
        self.docs = self.root / DOCS_DIR
        self.docs.mkdir(parents=True, exist_ok=True)
        self.index = Index()
        self._infos = open(self.root / INFOS_FILE, "wb")  # noqa: SIM115 (closed by finish)
        self.count = 0

    def add(
        self,
        res: DocResult,
        line: str,
        quads: Sequence[Any],
        regions: dict[str, str | None] | None = None,
    ) -> None:
        key = doc_hash(res.doc)
        _write_doc(self.docs, key, res, line)
        self.add_info(_info(res, key, quads, regions or {}))

    def add_info(self, info: DocInfo) -> None:
        pickle.dump(info, self._infos, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def finish(self, *, html: bool, max_nodes: int, pending: bool = False) -> None:
        self._infos.close()
        self.index.options = {"html": html, "max_nodes": max_nodes}
        self.index.exports_pending = pending
        write_index(self.root, self.index)


def write_index(root: Path, index: Index) -> None:
    """Write the header of the index (``index.docs`` are in ``docs.pkl``: not written here)."""
    header = Index(
        options=index.options,
        exports_pending=index.exports_pending,
        version=index.version,
        format=index.format,
    )
    tmp = root / (INDEX_FILE + ".tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(header, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, root / INDEX_FILE)


def read_index(directory: Path, *, docs: bool = True) -> Index | None:
    """The index of a build's parts, or None when it has none (or one of another kg).

    With ``docs`` false only the header is read (``index.docs`` stays empty).
    """
    root = Path(directory) / PARTS_DIR
    try:
        with open(root / INDEX_FILE, "rb") as fh:
            index = pickle.load(fh)
        if not isinstance(index, Index) or index.format != FORMAT or index.version != __version__:
            return None
        if docs:
            with open(root / INFOS_FILE, "rb") as fh:
                while True:
                    try:
                        index.docs.append(pickle.load(fh))
                    except EOFError:
                        break
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return index


def exports_pending(directory: Path) -> bool:
    """Whether a build directory's exports are still to be made (after an incremental build)."""
    index = read_index(directory, docs=False)
    return index is not None and index.exports_pending


def export(directory: str | os.PathLike[str]) -> list[str]:
    """Write the exports of a build from its parts (``kg export DIR``); returns their names.

    The bytes are those a fresh ``kg build`` of the same inputs writes.

    Raises
    ------
    InputError
        When the directory holds no parts (a build of an older kg: rebuild it).
    """
    from kg.pipeline import Views, streaming_collector

    root = Path(directory)
    index = read_index(root)
    if index is None:
        raise InputError(
            f"{root} holds no parts to export from ({PARTS_DIR}/index.pkl)",
            hint=f"rebuild it with `kg build <inputs> --out {root}`",
        )
    docs = root / PARTS_DIR / DOCS_DIR
    html = bool(index.options.get("html", True))
    with streaming_collector():
        views = Views(root)
        for info in index.docs:
            views.add(_read_doc(docs, info.key))
        views.finish(html=html, max_nodes=int(index.options.get("max_nodes", 500)))
    if not html:
        with contextlib.suppress(FileNotFoundError):
            (root / "network.html").unlink()
    index.exports_pending = False
    write_index(root / PARTS_DIR, index)
    return [name for name in EXPORTS if (root / name).is_file()]


# ---------------------------------------------------------------- the store


_TRUE = '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'
_KG = PREFIXES["kg"]
_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"


def _drop_graph(store: Any, graph: str) -> None:
    """Drop a named graph and the default-graph triples that no other graph asserts."""
    g = f"<{graph}>"
    store.update(
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} FILTER(?h != {g}) }} }}"
    )
    store.update(f"DROP SILENT GRAPH {g}")


def _nt(term: Any) -> str:
    return str(term.n3())


def _load_quads(store: Any, quads: Iterable[tuple[Any, Any, Any, Any]]) -> None:
    """Add quads to their named graphs and their triples to the default graph
    (but an evidence node's: :func:`kg.rdf.prefixes.in_default_graph`)."""
    import pyoxigraph as ox

    nq: list[str] = []
    nt: list[str] = []
    for s, p, o, g in quads:
        spo = f"{_nt(s)} {_nt(p)} {_nt(o)}"
        nq.append(f"{spo} {_nt(g)} .\n")
        if in_default_graph(str(s)):  # evidence stays in its article's graph only
            nt.append(f"{spo} .\n")
    if nq:
        store.load(input="".join(nq).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        store.load(
            input="".join(nt).encode("utf-8"),
            format=ox.RdfFormat.N_TRIPLES,
            to_graph=ox.DefaultGraph(),
        )


def _implicit(infos: Iterable[DocInfo]) -> set[str]:
    state: dict[str, bool] = {}
    for info in infos:
        for key, (_t, imp) in info.entities.items():
            state[key] = state.get(key, True) and imp
    return {k for k, v in state.items() if v}


def _background(infos: Sequence[DocInfo]) -> list[tuple[Any, Any, Any]]:
    from kg.rdf.build import region_triples

    codes: dict[str, str | None] = {}
    triples: list[tuple[Any, Any, Any]] = []
    for info in infos:
        triples += info.background
        for code, name in info.regions.items():
            if codes.get(code) is None:
                codes[code] = name
    return triples + region_triples(codes)


def _values(keys: Iterable[str]) -> str:
    from kg.rdf.iri import entity_key_iri

    return " ".join(f"<{entity_key_iri(k)}>" for k in sorted(keys))


def _update_store(
    store: Any,
    old: Sequence[DocInfo],
    new: Sequence[DocInfo],
    removed: Sequence[DocInfo],
    added: Sequence[Any],
) -> None:
    """Bring a copy of the old build's store to the new inputs (see the module docstring)."""
    from kg.rdf.iri import BACKGROUND_GRAPH
    from kg.rdf.store import _INDEX_PREDICATES, add_index_links

    for info in removed:
        for graph in info.graphs:
            _drop_graph(store, graph)
    _drop_graph(store, str(BACKGROUND_GRAPH))
    _load_quads(store, added)
    _load_quads(store, ((s, p, o, BACKGROUND_GRAPH) for s, p, o in _background(new)))
    was, now = _implicit(old), _implicit(new)
    gone = was - now
    if gone:
        store.update(
            f"DELETE {{ GRAPH ?g {{ ?n <{_KG}implicit> ?v }} }} "
            f"WHERE {{ VALUES ?n {{ {_values(gone)} }} GRAPH ?g {{ ?n <{_KG}implicit> ?v }} }}"
        )
        store.update(
            f"DELETE {{ ?n <{_KG}implicit> ?v }} WHERE {{ VALUES ?n {{ {_values(gone)} }} "
            f"?n <{_KG}implicit> ?v }}"
        )
    if now:
        store.update(
            f"INSERT {{ GRAPH ?g {{ ?n <{_KG}implicit> {_TRUE} }} ?n <{_KG}implicit> {_TRUE} }} "
            f"WHERE {{ VALUES ?n {{ {_values(now)} }} GRAPH ?g {{ ?n {_LABEL} ?l }} }}"
        )
    for name in _INDEX_PREDICATES:
        store.update(f"DELETE WHERE {{ ?s <{_KG}{name}> ?o }}")
    add_index_links(store)


def _count_triples(store: Any) -> int:
    """Distinct triples of the union of the named graphs (what graph.ttl holds), but
    the evidence nodes' (not in the default graph: :attr:`DocInfo.evidence` counts them)."""
    import pyoxigraph as ox

    from kg.rdf.store import _INDEX_PREDICATES
    from kg.resources import data_path

    def count(query: str) -> int:
        return int(next(iter(store.query(query)))["n"].value)

    # the default graph: the union, the ontology and the index links
    total = count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    for name in _INDEX_PREDICATES:
        total -= count(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{_KG}{name}> ?o }}")
    for t in ox.parse(path=str(data_path("kg.ttl")), format=ox.RdfFormat.TURTLE):
        named = (
            q
            for q in store.quads_for_pattern(t.subject, t.predicate, t.object, None)
            if not isinstance(q.graph_name, ox.DefaultGraph)
        )
        if next(named, None) is None:  # only the ontology says it
            total -= 1
    return total


# ---------------------------------------------------------------- kg build --incremental


def build_incremental(
    paths: Sequence[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    strict: bool = False,
    workers: int = 1,
    html: bool = True,
    max_nodes: int = 500,
    on_warning: Any = None,
    progress: bool | None = None,
) -> Any:
    """``kg build --incremental``: update the build in ``out_dir`` to ``paths``.

    Falls back to a full build when ``out_dir`` holds no build with parts of
    this kg (or one that ``kg reason`` changed).  Returns the
    :class:`kg.pipeline.BuildSummary`; its ``files`` name what was written.
    """
    import pyoxigraph as ox

    from kg.jsonl import doc_line, write_lines
    from kg.output import AtomicDir
    from kg.parallel import process_map
    from kg.pipeline import BuildSummary, _analyse, build, files_of
    from kg.rdf.build import QuadBuilder
    from kg.rdf.iri import BACKGROUND_GRAPH
    from kg.rdf.store import INFERRED_FILE, STORE_DIR, has_store, snapshot
    from kg.text import iter_documents

    started = time.perf_counter()
    out = Path(out_dir)
    index = read_index(out) if out.is_dir() else None
    if index is None or not has_store(out) or (out / INFERRED_FILE).exists():
        return build(
            paths,
            out,
            strict=strict,
            workers=workers,
            html=html,
            max_nodes=max_nodes,
            on_warning=on_warning,
            progress=progress,
        )
    docs = list(iter_documents(paths, strict=strict, on_warning=on_warning))
    keys = [doc_hash(d) for d in docs]
    old = {info.key: info for info in index.docs}
    todo = [d for d, k in zip(docs, keys, strict=True) if k not in old]
    wanted = set(keys)
    removed = [info for info in index.docs if info.key not in wanted]
    if workers > 1 and len(todo) > 1:
        fresh = list(process_map(_analyse, todo, workers=workers, chunksize=1))
    else:
        fresh = [_analyse(d) for d in todo]
    old_docs = out / PARTS_DIR / DOCS_DIR
    with AtomicDir(out) as tmp:
        parts = Parts(tmp)
        added: list[Any] = []
        infos: dict[str, DocInfo] = {}
        builder = QuadBuilder()
        for res in fresh:
            builder.add(res)
            quads, builder.quads = builder.quads, []
            key = doc_hash(res.doc)
            _write_doc(parts.docs, key, res, doc_line(res))
            infos[key] = _info(res, key, quads, builder.doc_regions)
            added += [q for q in quads if q[3] != BACKGROUND_GRAPH]
        new_infos: list[DocInfo] = []
        for key in keys:
            if key in infos:
                new_infos.append(infos[key])
                continue
            new_infos.append(old[key])
            for suffix in (".pkl", ".line"):
                source, target = old_docs / f"{key}{suffix}", parts.docs / f"{key}{suffix}"
                try:
                    os.link(source, target)
                except OSError:
                    shutil.copy2(source, target)
        # extraction.jsonl: the lines in input order
        write_lines((_read_line(parts.docs, k) for k in keys), tmp / "extraction.jsonl")
        new_store = snapshot(out, tmp / STORE_DIR)
        store = ox.Store(str(new_store))
        try:
            _update_store(store, index.docs, new_infos, removed, added)
            triples = _count_triples(store) + sum(i.evidence for i in new_infos)
            store.flush()
        finally:
            del store
        for info in new_infos:
            parts.add_info(info)
        parts.finish(html=html, max_nodes=max_nodes, pending=True)
        summary = BuildSummary()
        summary.documents = len(new_infos)
        summary.articles = sum(i.articles for i in new_infos)
        seen: dict[str, str] = {}
        rels: set[tuple[str, str, str]] = set()
        for info in new_infos:
            for k, (t, _imp) in info.entities.items():
                seen[k] = t
            rels.update(info.relations)
        summary.entities = Counter(seen.values())
        summary.relations = Counter(p for _, p, _ in rels)
        summary.triples = triples
        summary.files = files_of(tmp)
    summary.seconds = time.perf_counter() - started
    return summary

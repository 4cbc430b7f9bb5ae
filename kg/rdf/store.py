"""The on-disk oxigraph store of a build (``DIR/store``), the SPARQL engine of ``kg``.

``kg build`` writes ``DIR/store`` beside ``graph.trig``/``graph.ttl`` (bulk
loaded, see :func:`write_store`):

* the **default graph** holds the merged graph (every asserted triple once,
  regions with their parent chains included, but not the evidence nodes: see
  below and :func:`kg.rdf.prefixes.in_default_graph`), the ontology ``ontology/kg.ttl``,
  what ``kg reason`` derived (after it ran), and precomputed index links
  (:data:`INDEX_UPDATES`): ``kg:within`` (a region and every region it lies in,
  itself included: ``kg:partOf*``), ``kg:inProvince`` (a node with ``kg:region``
  and the province its region lies in), ``kg:reachesGroup`` (a province and the
  worker groups its bodies or their programs serve) and ``kg:parentFederation``
  (a federation of unions and its nearest parent federation in the graph), and
  ``kg:labelOrder`` (a node's place in the order of Chinese labels, so that
  sorting by name needs no string reads: :func:`label_order_quads`);
* one **named graph per article** (plus ``id:graph/background``) keeps the
  provenance: what the article says, and the evidence nodes (the reified
  statement, its sentence, offsets, extractor and confidence), which are in
  no other graph; ``id:graph/inferred`` keeps what ``kg reason`` derived.

Named queries read the default graph; those about provenance name the article
graphs (``GRAPH ?g { ?evidence rdf:subject ?fact … }``).  Evidence is three
quarters of the merged graph's triples: kept out of the default graph, a build
loads about a quarter fewer quads.  ``kg query``, ``kg stats``, ``kg
reason``, ``kg validate`` and ``kg viz`` open the store read-only
(:func:`open_build`), so a query pays no parsing.  A directory written by an
older ``kg`` (TriG files but no store) is still read, by loading ``graph.trig``
into memory; :attr:`Store.from_files` says so and the command line tells the
user to rebuild.

rdflib's Graph/Dataset API stays available through :meth:`Store.rdflib_dataset`
(the oxrdflib store over the same data).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.errors import InputError, OutputError
from kg.rdf.prefixes import EVIDENCE, PREFIXES, in_default_graph

if TYPE_CHECKING:  # (rdflib is imported only where it is used: kg query starts sooner)
    from rdflib import Dataset

GRAPH_FILE = "graph.trig"
MERGED_FILE = "graph.ttl"
INFERRED_FILE = "inferred.trig"
STORE_DIR = "store"
INFERRED_GRAPH_IRI = "https://w3id.org/union-kg/id/graph/inferred"

# a federation of unions (?child, its level ?crank) and a candidate parent (?parent, ?prank)
_FEDERATION_PAIRS = """  VALUES (?cc ?crank) {
    (kg:ProvincialUnion 1) (kg:PrefecturalUnion 2) (kg:CountyUnion 3) (kg:TownshipUnion 4)
  }
  ?child a ?cc .
  {
    ?child kg:region ?rc .
    ?rc kg:within ?rp .
    ?parent kg:region ?rp .
    VALUES (?pc ?prank) { (kg:ProvincialUnion 1) (kg:PrefecturalUnion 2) (kg:CountyUnion 3) }
    ?parent a ?pc .
  } UNION {
    ?parent a kg:NationalUnion .
    BIND(0 AS ?prank)
  }"""


def _indent(text: str, pad: str) -> str:
    return "\n".join(pad + line if line else line for line in text.split("\n"))


#: the precomputed links of the default graph (see the module docstring), in order
INDEX_UPDATES: tuple[str, ...] = (
    # a region and every region it lies in, itself included (kg:partOf*)
    """INSERT { ?r kg:within ?a } WHERE { ?r a kg:Region . ?r kg:partOf* ?a . ?a a kg:Region }""",
    # a node with a region, and the province its region lies in
    """INSERT { ?x kg:inProvince ?p } WHERE {
  ?x kg:region ?r . ?r kg:within ?p . ?p kg:adminLevel "province" }""",
    # a province and the worker groups served by its bodies or their programs
    """INSERT { ?p kg:reachesGroup ?g } WHERE {
  ?x kg:serves ?g . ?g a kg:WorkerGroup .
  ?body (kg:runs|kg:participatesIn)? ?x . ?body kg:inProvince ?p }""",
    # a federation of unions and its nearest parent federation present in the graph
    # (the pattern of a federation and its candidate parents is used twice: _FEDERATION_PAIRS)
    """INSERT { ?child kg:parentFederation ?parent } WHERE {
  {
    SELECT ?child (MAX(?prank) AS ?best) WHERE {
{inner}
      FILTER(?prank < ?crank && ?parent != ?child)
    }
    GROUP BY ?child
  }
{outer}
  FILTER(?prank = ?best && ?parent != ?child)
}""".replace("{inner}", _indent(_FEDERATION_PAIRS, "    ")).replace("{outer}", _FEDERATION_PAIRS),
)


LABEL_ORDER = "https://w3id.org/union-kg/ontology#labelOrder"
_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_LABELS = """SELECT ?x ?label WHERE {
  ?x rdfs:label ?label .
  FILTER(isIRI(?x) && (LANGMATCHES(LANG(?label), "zh") || LANG(?label) = ""))
}"""


def label_order_quads(store: ox.Store) -> list[ox.Quad]:
    """``?x kg:labelOrder n``: the place of ``?x``'s Chinese label in code-point order.

    Sorting a result by its labels makes oxigraph decode each label from the
    store at every comparison (n log n reads); sorting by this integer, which is
    stored inline, costs none.  Equal labels share a number (a dense rank), so
    ``ORDER BY ?xOrder`` orders rows exactly as ``ORDER BY ?xLabel`` does for
    nodes with one Chinese label (every entity and region of a build).
    """
    pairs = [
        (sol["x"], sol["label"].value)
        for sol in store.query(_LABELS, prefixes=PREFIXES)  # type: ignore[union-attr]
    ]
    rank = {label: i for i, label in enumerate(sorted({label for _, label in pairs}))}
    first: dict[ox.NamedNode, int] = {}
    for node, label in pairs:
        first[node] = min(rank[label], first.get(node, len(rank)))
    pred, dtype = ox.NamedNode(LABEL_ORDER), ox.NamedNode(_XSD_INTEGER)
    return [ox.Quad(node, pred, ox.Literal(str(n), datatype=dtype)) for node, n in first.items()]


_INSERT = re.compile(r"INSERT \{ \?(\w+) kg:(\w+) \?(\w+) \} WHERE (\{.*\})\Z", re.S)


def _as_select(update: str) -> tuple[str, str, str, str]:
    """``INSERT { ?s kg:p ?o } WHERE {...}`` as ``(s, p, o, SELECT DISTINCT ?s ?o WHERE {...})``."""
    m = _INSERT.match(update)
    if m is None:
        raise ValueError(f"not an index link update: {update[:60]}")
    subject, predicate, obj, where = m.groups()
    return subject, predicate, obj, f"SELECT DISTINCT ?{subject} ?{obj} WHERE {where}"


_KG = PREFIXES["kg"]
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
Pair = tuple[Any, Any]


def _pairs(store: ox.Store, predicate: str) -> Iterator[Pair]:
    """``(subject, object)`` of every default-graph triple with ``kg:predicate``."""
    link = ox.NamedNode(_KG + predicate)
    for q in store.quads_for_pattern(None, link, None, ox.DefaultGraph()):
        yield q.subject, q.object


def _typed(store: ox.Store, cls: str) -> set[Any]:
    """The default graph's nodes of type ``kg:cls``."""
    kind = ox.NamedNode(_KG + cls)
    return {q.subject for q in store.quads_for_pattern(None, _RDF_TYPE, kind, ox.DefaultGraph())}


def _reaches_group(store: ox.Store) -> Iterator[Pair]:
    """The rows of the ``kg:reachesGroup`` update (``(?p, ?g)``), joined here.

    oxigraph evaluates the update's ``(kg:runs|kg:participatesIn)?`` path over
    every node of the default graph; at 1,000x seeds that took 23 s of the
    build, growing faster than the corpus.  Joined from the triples of each
    predicate, it takes a fraction of a second.
    """
    groups = _typed(store, "WorkerGroup")
    provinces: dict[Any, set[Any]] = {}
    for node, province in _pairs(store, "inProvince"):
        provinces.setdefault(node, set()).add(province)
    bodies: dict[Any, set[Any]] = {}  # a program (any node) -> who runs it or takes part
    for predicate in ("runs", "participatesIn"):
        for body, x in _pairs(store, predicate):
            bodies.setdefault(x, set()).add(body)
    rows: set[Pair] = set()
    for x, group in _pairs(store, "serves"):
        if group in groups:
            for body in {x} | bodies.get(x, set()):
                rows.update((p, group) for p in provinces.get(body, ()))
    yield from rows


#: ranks of the federation classes as a child and as a parent (kg:NationalUnion: 0)
_CHILD_RANKS = {"ProvincialUnion": 1, "PrefecturalUnion": 2, "CountyUnion": 3, "TownshipUnion": 4}
_PARENT_RANKS = {"ProvincialUnion": 1, "PrefecturalUnion": 2, "CountyUnion": 3}


def _parent_federation(store: ox.Store) -> Iterator[Pair]:
    """The rows of the ``kg:parentFederation`` update (``(?child, ?parent)``), joined here.

    The same rule (see :data:`_FEDERATION_PAIRS`): a parent is a national union,
    or a union of a parent rank whose region is one the child's region lies in;
    of those ranked above the child, the nearest rank wins (all parents of that
    rank).  oxigraph joined every child with every node of its province, twice;
    at 1,000x seeds that took 27 s of the build, growing with the square of it.
    """
    ranks: dict[Any, int] = {}  # a child -> its highest rank number (the lowest body)
    for cls, rank in _CHILD_RANKS.items():
        for node in _typed(store, cls):
            ranks[node] = max(rank, ranks.get(node, 0))
    regions: dict[Any, set[Any]] = {}
    for node, region in _pairs(store, "region"):
        regions.setdefault(node, set()).add(region)
    within: dict[Any, set[Any]] = {}
    for region, outer in _pairs(store, "within"):
        within.setdefault(region, set()).add(outer)
    by_region: dict[Any, set[tuple[Any, int]]] = {}  # a region -> (union, rank) there
    for cls, rank in _PARENT_RANKS.items():
        for node in _typed(store, cls):
            for region in regions.get(node, ()):
                by_region.setdefault(region, set()).add((node, rank))
    national = {(node, 0) for node in _typed(store, "NationalUnion")}
    for child, lowest in ranks.items():
        found = set(national)
        for region in regions.get(child, ()):
            for outer in within.get(region, ()):
                found |= by_region.get(outer, set())
        found = {(parent, rank) for parent, rank in found if parent != child}
        above = [rank for _, rank in found if rank < lowest]
        if above:
            best = max(above)
            yield from {(child, parent) for parent, rank in found if rank == best}


#: index links joined in Python (the same rows as their update's WHERE; tested)
_JOINED = {"reachesGroup": _reaches_group, "parentFederation": _parent_federation}


def add_index_links(store: ox.Store) -> None:
    """Add the precomputed links of :data:`INDEX_UPDATES` and ``kg:labelOrder``
    (:func:`label_order_quads`) to ``store``'s default graph."""
    for update in INDEX_UPDATES:
        # the update's WHERE as a SELECT whose rows stream into the bulk loader: the
        # same links as store.update(update), in less memory (an update holds every
        # solution and its whole write in memory) and less time; two of them are
        # joined in Python, where oxigraph's plan grows faster than the store
        subject, predicate, obj, select = _as_select(update)
        rows: Iterator[Pair] = (
            _JOINED[predicate](store)
            if predicate in _JOINED
            else ((r[subject], r[obj]) for r in store.query(select, prefixes=PREFIXES))  # type: ignore[union-attr]
        )
        link = ox.NamedNode(_KG + predicate)
        store.bulk_extend(ox.Quad(s, link, o) for s, o in rows)
    store.update("DELETE WHERE { ?x kg:labelOrder ?n }", prefixes=PREFIXES)
    store.bulk_extend(label_order_quads(store))


@dataclass
class Store:
    """A build directory opened in pyoxigraph (its on-disk store, read-only)."""

    directory: Path
    ox: ox.Store
    files: list[Path] = field(default_factory=list)
    #: True when the directory has no store and graph.trig was loaded into memory
    from_files: bool = False

    @property
    def has_inferred(self) -> bool:
        """Whether what ``kg reason`` derived is part of the data."""
        return self.ox.contains_named_graph(ox.NamedNode(INFERRED_GRAPH_IRI))

    def __len__(self) -> int:
        return len(self.ox)

    def rdflib_dataset(self) -> Dataset:
        """An rdflib :class:`~rdflib.Dataset` view of the same store (via oxrdflib)."""
        from oxrdflib import OxigraphStore
        from rdflib import Dataset

        return Dataset(store=OxigraphStore(store=self.ox))


def _hint(directory: Path) -> str:
    return f"run `kg build <inputs> --out {directory}` first"


def check_build_dir(directory: Path, *, exports: bool = True) -> Path:
    """The ``graph.trig`` of a build directory, or an :class:`InputError` saying what to run.

    A directory that a build is swapping in right now (for a few milliseconds
    the old build is moved aside before the new one takes its name) is waited for.
    After ``kg build --incremental`` the exports (``graph.trig``...) are written
    here, on this first read (see :mod:`kg.incremental`), unless ``exports`` is
    false (a reader of the store alone).
    """
    directory = Path(directory)
    for _ in range(20):
        if directory.exists() or not _swap_in_progress(directory):
            break
        time.sleep(0.05)
    if not directory.exists():
        raise InputError(f"build directory {directory} does not exist", hint=_hint(directory))
    if not directory.is_dir():
        raise InputError(
            f"{directory} is not a directory", hint="pass the directory that kg build wrote"
        )
    graph = directory / GRAPH_FILE
    if not graph.is_file() and has_store(directory):
        from kg.incremental import export, exports_pending

        if exports_pending(directory):
            if exports:
                export(directory)
            return graph
    if not graph.is_file():
        raise InputError(
            f"{directory} is not a build directory: {GRAPH_FILE} is missing",
            hint=f"run `kg build <inputs> --out {directory}` to create it",
        )
    return graph


def _swap_in_progress(directory: Path) -> bool:
    parent = directory.parent if str(directory.parent) else Path(".")
    try:
        return any(parent.glob(f".{directory.name}.old-*"))
    except OSError:
        return False


def has_store(directory: Path) -> bool:
    """Whether ``directory`` holds a store written by ``kg build``."""
    return (Path(directory) / STORE_DIR / "CURRENT").is_file()


def stale_message(directory: Path) -> str:
    """What to tell a user whose build directory has no store (an older kg wrote it)."""
    return (
        f"{directory} has no store ({STORE_DIR}/): it was written by an older kg, so "
        f"{GRAPH_FILE} is read into memory, which is slow on big builds; rebuild it with "
        f"`kg build <inputs> --out {directory}`"
    )


def load_trig(store: ox.Store, path: Path) -> None:
    """Load one TriG file into ``store`` (an unreadable or broken file is an InputError)."""
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
    except SyntaxError as exc:
        raise InputError(
            f"{path} is not valid TriG: {exc}", hint="rebuild it with kg build (or kg reason)"
        ) from exc
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc}", hint="check the file's permissions") from exc


def _into_default_graph(graph: str) -> str:
    """The update that copies the triples of ``graph`` (``?g``: every named graph)
    into the default graph, but the evidence nodes' (:func:`in_default_graph`)."""
    return (
        f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} "
        f'FILTER(!STRSTARTS(STR(?s), "{EVIDENCE}")) }}'
    )


#: the default graph from the named graphs (no graph.ttl)
_COPY = _into_default_graph("?g")
#: the triples of ``kg reason``'s graph that join the default graph
_FROM_INFERRED = _into_default_graph(f"<{INFERRED_GRAPH_IRI}>")


_PINNED: dict[tuple[int, int], int] = {}  # (device, inode) of a store directory -> open fd


def _pinned(path: Path) -> str:
    """A path to the store directory that keeps naming *this* directory if it is renamed.

    On Linux, ``/proc/self/fd/N`` of a descriptor opened on the directory: the
    store's files are found in the directory that was opened even when a new
    build is swapped into its place meanwhile, so a reader never mixes the
    files of two builds (it sees the old build, or a missing file, which
    :func:`open_build` and the query functions answer by reading the new one).
    Elsewhere, the path itself.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except (OSError, AttributeError):
        return str(path)
    st = os.fstat(fd)
    key = (st.st_dev, st.st_ino)
    if key in _PINNED:
        os.close(fd)
        fd = _PINNED[key]
    else:
        _PINNED[key] = fd
    proc = f"/proc/self/fd/{fd}"
    return proc if os.path.isdir(proc) else str(path)


class StoreMoved(Exception):
    """The store's files went away while it was read (a new build was swapped in)."""


def moved(exc: BaseException) -> bool:
    """Whether an error of oxigraph (RocksDB) says that a file of the store is gone."""
    return "No such file or directory" in str(exc)


def open_build(directory: Path) -> Store:
    """Open the build in ``directory`` for reading.

    ``DIR/store`` is opened read-only (nothing is parsed).  Without a store (a
    directory written by an older ``kg``, or TriG files put there by hand),
    ``graph.trig`` (and ``inferred.trig``) are loaded into an in-memory store of
    the same shape (index links included, the ontology not); ``from_files`` is
    then true.

    Raises
    ------
    InputError
        When ``directory`` is missing, is not a build directory, holds broken
        TriG or a store that cannot be opened.
    """
    graph = check_build_dir(directory, exports=False)
    if has_store(directory):
        path = Path(directory) / STORE_DIR
        for attempt in range(40):
            try:
                return Store(Path(directory), ox.Store.read_only(_pinned(path)), [path])
            except (OSError, RuntimeError) as exc:
                # a new build swapped in while the store was being opened: open that one
                if moved(exc) and attempt < 39:
                    time.sleep(0.05)
                    check_build_dir(directory, exports=False)
                    continue
                raise InputError(
                    f"cannot open the store {path}: {exc}",
                    hint=f"it is damaged; rebuild with `kg build <inputs> --out {directory}`",
                ) from exc
    store = ox.Store()
    files = [graph]
    load_trig(store, graph)
    ttl = graph.with_name(MERGED_FILE)
    merged = False
    if ttl.is_file() and ttl.stat().st_mtime >= graph.stat().st_mtime:
        try:
            _load(store, ttl, ox.RdfFormat.TURTLE, merged=True)
            merged = True
        except (InputError, OSError):
            store.clear_graph(ox.DefaultGraph())
            merged = False
    if not merged:
        store.update(_COPY)
    inferred = Path(directory) / INFERRED_FILE
    if inferred.is_file():
        scratch = ox.Store()
        load_trig(scratch, inferred)
        store.extend(scratch)
        store.extend(
            ox.Quad(q.subject, q.predicate, q.object)
            for q in scratch
            if in_default_graph(getattr(q.subject, "value", ""))
        )
        files.append(inferred)
    add_index_links(store)
    return Store(Path(directory), store, files, from_files=True)


# ---------------------------------------------------------------- writing


CHUNK_BYTES = 8 << 20  # text per bulk load: oxigraph's loader buffers a whole call in memory
#: text per bulk load of :class:`StoreLoader` (about 35x that in memory while it loads)
PIECE_BYTES = 2 << 20


def _chunks(path: Path, end: bytes, *, merged: bool = False) -> Iterator[bytes]:
    """The file in pieces of about :data:`CHUNK_BYTES` that each parse on their own.

    For the files kg writes (``kg.rdf.serialize``): the prefix lines, then
    blocks that end with the line ``end`` (``}`` closing a TriG graph, or the
    empty line after a Turtle subject); every piece starts with the prefixes.
    With ``merged`` (``graph.ttl`` read for the default graph) the blocks of
    subjects that do not belong there are left out
    (:func:`kg.rdf.prefixes.in_default_graph`).
    """
    skip = b"<" + EVIDENCE.encode("utf-8")
    with open(path, "rb") as fh:
        head: list[bytes] = []
        for line in fh:
            if not line.startswith((b"@prefix", b"@base", b"PREFIX", b"BASE")):
                body, size = [line], len(line)
                break
            head.append(line)
        else:
            return
        prefix = b"".join(head)
        skipping = merged and line.startswith(skip)
        if skipping:
            body, size = [], 0
        for line in fh:
            if skipping:
                skipping = line != end
                continue
            if merged and line.startswith(skip) and (not body or body[-1] == end):
                skipping = True
                continue
            body.append(line)
            size += len(line)
            if size >= CHUNK_BYTES and line == end:
                yield prefix + b"".join(body)
                body, size = [], 0
        if body:
            yield prefix + b"".join(body)


def _load(store: ox.Store, path: Path, fmt: ox.RdfFormat, *, merged: bool = False) -> None:
    """Bulk-load a file that kg wrote, piece by piece (see :func:`_chunks`)."""
    end = b"}\n" if fmt == ox.RdfFormat.TRIG else b"\n"
    try:
        for piece in _chunks(path, end, merged=merged):
            store.bulk_load(input=piece, format=fmt)
    except SyntaxError as exc:
        raise InputError(f"{path} is not valid RDF: {exc}", hint="rebuild with kg build") from exc


def write_store(directory: Path, target: Path | None = None) -> Path:
    """Bulk-load the files of the build in ``directory`` into a new on-disk store.

    Reads ``graph.trig`` (named graphs), ``graph.ttl`` (the merged graph, into the
    default graph, less the evidence nodes), ``ontology/kg.ttl`` and, when present,
    ``inferred.trig`` (its named graph and the default graph), then adds the index links of
    :data:`INDEX_UPDATES`.  ``target`` (default ``DIR/store``) must not exist.
    Returns the store's path.
    """
    from kg.resources import data_path

    directory = Path(directory)
    target = Path(target) if target is not None else directory / STORE_DIR
    trig, ttl = directory / GRAPH_FILE, directory / MERGED_FILE
    try:
        store = ox.Store(str(target))
    except OSError as exc:
        raise OutputError(
            f"cannot create the store {target}: {exc}", hint="choose a writable output path"
        ) from exc
    try:
        _load(store, trig, ox.RdfFormat.TRIG)
        if ttl.is_file():
            _load(store, ttl, ox.RdfFormat.TURTLE, merged=True)
        else:
            store.update(_COPY)
        store.bulk_load(path=str(data_path("kg.ttl")), format=ox.RdfFormat.TURTLE)
        inferred = directory / INFERRED_FILE
        if inferred.is_file():
            _load(store, inferred, ox.RdfFormat.TRIG)
            store.update(_FROM_INFERRED)
        finish_store(store)
    finally:
        del store
    return target


def finish_store(store: ox.Store) -> None:
    """The last steps of a new store: its index links, one compaction, a flush.

    A store bulk-loaded in many pieces (a streaming build hands over thousands)
    is a stack of overlapping table files that every read has to look through;
    compacted once (``optimize``) it reads two to four times as fast: on the
    seeds repeated 100 times, iterating a predicate's 48,000 triples took
    0.87 s before and 0.32 s after, ``program_reach`` 3.3 s and 0.94 s, for
    5.4 s of compaction.  (``kg build --incremental`` and ``kg reason`` change a
    compacted store a little and leave it as it is.)
    """
    add_index_links(store)
    store.optimize()
    store.flush()


#: what the loading process runs: the loader of the ``kg`` package this build runs
#: (not another ``kg`` found first on the path of the current directory)
_LOADER_MAIN = (
    "import sys; sys.path.insert(0, {root!r}); from kg.rdf._loader import main; sys.exit(main())"
)


def _package_root() -> str:
    import kg

    return str(Path(kg.__file__).resolve().parent.parent)


class StoreLoader:
    """A new on-disk store at ``target``, bulk-loaded in pieces by a child process.

    :meth:`add` takes TriG text (named graphs, the prefixes of
    :func:`kg.rdf.serialize.prefix_header` implied) and the Turtle text of the
    same triples for the default graph; pieces of about ``piece_bytes`` go to
    a child process (:mod:`kg.rdf._loader`) that owns the store and hands them
    to oxigraph's bulk loader, so the load runs on another core beside the
    build, and the loader's memory (about 35 times a piece while it loads, and
    RocksDB's own) is not the build's.  At most ``ahead`` pieces are in flight,
    so memory stays bounded.  :meth:`finish` loads the rest, the ontology and
    the index links: the store then holds what :func:`write_store` loads from
    the files.  :meth:`close` (after an error or a signal) kills the child and
    waits for it, so nothing writes into the store's directory afterwards.

    The child is a fresh interpreter (:mod:`kg.rdf._loader`: it shares
    no lock, thread or module state of the build, and a script that calls
    :func:`kg.pipeline.build` needs no ``__main__`` guard); it ignores SIGINT
    and SIGTERM and exits when its input closes, so a build killed with
    SIGKILL leaves no loader behind.
    """

    def __init__(self, target: Path, *, piece_bytes: int = PIECE_BYTES, ahead: int = 2) -> None:
        import subprocess
        import sys

        from kg.rdf.serialize import prefix_header

        self.target = Path(target)
        self.piece_bytes = piece_bytes
        self.ahead = max(1, ahead)
        self._prefix = prefix_header()
        self._trig: list[str] = []
        self._ttl: list[str] = []
        self._size = 0
        self._error: str | None = None
        self._in_flight = 0
        try:
            self._proc: subprocess.Popen[bytes] | None = subprocess.Popen(
                [sys.executable, "-c", _LOADER_MAIN.format(root=_package_root()), str(self.target)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            raise OutputError(
                f"cannot start the process that loads the store {target}: {exc}",
                hint="check that the Python interpreter can start more processes",
            ) from exc
        try:
            reply = self._reply()
        except BaseException:
            self.close()
            raise
        if reply != "ready":
            self.close()
            raise OutputError(
                f"cannot create the store {target}: {reply.removeprefix('error ')}",
                hint="choose a writable output path",
            )

    @property
    def alive(self) -> bool:
        """Whether the loading process still runs."""
        return self._proc is not None and self._proc.poll() is None

    def _reply(self) -> str:
        proc = self._proc
        line = proc.stdout.readline() if proc is not None and proc.stdout is not None else b""
        if not line:
            code = proc.wait() if proc is not None else None
            raise OutputError(
                f"the process loading the store {self.target} stopped (exit code {code})",
                hint="check the free space and memory of the machine, then build again",
            )
        return line.decode("utf-8").rstrip("\n")

    def _write(self, data: bytes) -> None:
        proc = self._proc
        assert proc is not None and proc.stdin is not None
        try:
            proc.stdin.write(data)
            proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise OutputError(
                f"the process loading the store {self.target} stopped (exit code {proc.poll()})",
                hint="check the free space and memory of the machine, then build again",
            ) from exc

    def _settle(self, keep: int) -> None:
        """Wait until at most ``keep`` pieces are in flight (their errors noted)."""
        while self._in_flight > keep:
            reply = self._reply()
            self._in_flight -= 1
            if reply.startswith("error") and self._error is None:
                self._error = reply.removeprefix("error ")

    def _check(self) -> None:
        if self._error is not None:
            raise OutputError(
                f"cannot load the store {self.target}: {self._error}",
                hint="check the free space of the output directory",
            )

    def add(self, trig: str, turtle: str) -> None:
        """Named graphs (TriG) and their triples (Turtle, into the default graph)."""
        self._check()
        self._trig.append(trig)
        self._ttl.append(turtle)
        self._size += len(trig) + len(turtle)
        if self._size >= self.piece_bytes:
            self._send()

    def _send(self) -> None:
        from kg.rdf._loader import frame

        if self._size:
            self._settle(self.ahead - 1)
            trig = (self._prefix + "".join(self._trig)).encode("utf-8")
            ttl = (self._prefix + "".join(self._ttl)).encode("utf-8")
            self._trig, self._ttl, self._size = [], [], 0
            self._write(frame(b"p", trig, ttl))
            self._in_flight += 1

    def finish(self) -> Path:
        """Load what is left, the ontology and the index links; returns the store's path."""
        from kg.rdf._loader import frame
        from kg.resources import data_path

        self._send()
        self._settle(0)
        self._check()
        self._write(frame(b"f", str(data_path("kg.ttl")).encode("utf-8"), b""))
        reply = self._reply()
        if reply != "done":
            self.close()
            raise OutputError(
                f"cannot finish the store {self.target}: {reply.removeprefix('error ')}",
                hint="check the free space of the output directory",
            )
        proc, self._proc = self._proc, None
        assert proc is not None
        proc.communicate()  # closes its pipes; it has exited
        return self.target

    def close(self) -> None:
        """Stop loading (after an error elsewhere): the child is killed and waited for;
        the store's files are left to the caller."""
        self._error = self._error or "the build stopped"
        self._trig, self._ttl, self._size = [], [], 0
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            for pipe in (proc.stdin, proc.stdout):
                with contextlib.suppress(OSError):
                    if pipe is not None:
                        pipe.close()


_INDEX_PREDICATES = ("within", "inProvince", "reachesGroup", "parentFederation")


def _swap_inferred(store: ox.Store, inferred: Path) -> None:
    """Replace what an earlier ``kg reason`` put into ``store`` by ``inferred.trig``.

    Old derived triples leave the default graph (unless an article or the
    background graph asserts them), the inferred graph is reloaded, its
    triples join the default graph, and the index links are recomputed.
    """
    g = f"<{INFERRED_GRAPH_IRI}>"
    store.update(
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?a {{ ?s ?p ?o }} FILTER(?a != {g}) }} }}"
    )
    store.update(f"DROP SILENT GRAPH {g}")
    for name in _INDEX_PREDICATES:
        store.update(f"DELETE WHERE {{ ?s <{_KG}{name}> ?o }}")
    _load(store, inferred, ox.RdfFormat.TRIG)
    store.update(_FROM_INFERRED)
    add_index_links(store)


def replace_store(directory: Path, *, inferred_only: bool = False) -> Path:
    """Rewrite ``DIR/store``, swapping the new one in atomically.

    By default the store is loaded afresh from the build's files.  With
    ``inferred_only`` (what ``kg reason`` does) a copy of the current store
    (table files hard-linked) only gets ``inferred.trig`` swapped in, which is
    much faster on big builds; the result holds the same quads.
    """
    from kg.output import hold_lock, release_lock, remove_stale

    directory = Path(directory)
    tmp = Path(tempfile.mkdtemp(prefix=f".{STORE_DIR}.tmp-", dir=directory))
    lock = hold_lock(tmp)
    remove_stale(directory, f".{STORE_DIR}.tmp-")  # left by a killed kg reason
    try:
        if inferred_only and has_store(directory):
            new = snapshot(directory, tmp / STORE_DIR)
            store = ox.Store(str(new))
            try:
                _swap_inferred(store, directory / INFERRED_FILE)
                store.flush()
            finally:
                del store
        else:
            new = write_store(directory, tmp / STORE_DIR)
        current = directory / STORE_DIR
        old = directory / f".{STORE_DIR}.old-{os.getpid()}"
        if current.exists():
            os.replace(current, old)
        os.replace(new, current)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        release_lock(tmp, lock)
    return directory / STORE_DIR


def snapshot(directory: Path, target: Path) -> Path:
    """A private copy of ``DIR/store`` at ``target``: immutable table files hard-linked.

    ``kg serve`` serves such a copy, so that a new build swapped into ``DIR``
    does not change the files under a running server.
    """
    source = Path(directory) / STORE_DIR

    def link_or_copy(src: str, dst: str) -> Any:
        if src.endswith(".sst"):
            with contextlib.suppress(OSError):
                os.link(src, dst)
                return dst
        return shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link_or_copy)
    return target


# ---------------------------------------------------------------- reading


class Literal(str):
    """A literal for :func:`kg.graph.to_networkx` (which tells literals by this class
    name): its text, plus ``language`` and ``datatype``."""

    language: str | None
    datatype: str | None


def _plain(term: Any) -> Any:
    if isinstance(term, ox.Literal):
        lit = Literal(term.value)
        lit.language = term.language
        lit.datatype = term.datatype.value if term.datatype is not None else None
        return lit
    return term.value


def provenance_quads(store: ox.Store) -> Iterator[tuple[Any, Any, Any, str]]:
    """The asserted quads (article and background graphs) with plain-string terms.

    IRIs are ``str``; literals a ``str`` subclass named ``Literal`` with
    ``language`` and ``datatype``.  What :func:`kg.graph.to_networkx` reads.
    """
    inferred = INFERRED_GRAPH_IRI
    for q in store.quads_for_pattern(None, None, None, None):
        g = q.graph_name
        if isinstance(g, ox.DefaultGraph) or g.value == inferred:
            continue
        yield _plain(q.subject), _plain(q.predicate), _plain(q.object), g.value

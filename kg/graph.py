"""The networkx view of the knowledge graph, its analytics and Gephi exports.

This stage reads only the RDF graph that :mod:`kg.rdf` writes (``graph.trig``:
one named graph per article, or the merged ``graph.ttl``); it never reaches back
into extraction.

* :func:`to_networkx` turns an rdflib ``Graph``/``Dataset`` into a
  ``networkx.MultiDiGraph``: one node per entity, one edge per
  ``(subject, predicate, object)`` with its ``weight`` (number of supporting
  articles) and its ``evidence`` (sentence, article title, file).
* :func:`stats` and :func:`format_stats` summarise it (counts, most connected
  unions and agencies, centralities, Louvain communities, cooperation pairs by
  province); :func:`load_build` reads a build directory for ``kg stats``.
* :func:`write_graphml` / :func:`write_gexf` export it for Gephi.

Node keys are entity IRIs.  Node attributes: ``iri``, ``label``, ``type`` (one of
:data:`kg.model.ENTITY_TYPES`), ``kind`` (the most specific class, e.g.
``ProvincialUnion``), ``kind_label`` (its ``@zh`` label from the ontology),
``aliases`` (list), ``level``, ``region`` (name), ``region_code``,
``province`` (name of the province-level region, for filters),
``implicit`` (bool).  Figures (``FACTS.md``) are attributes of their subject
node, not nodes: ``facts`` (a JSON string: a list of ``{kind, value, unit,
approx, what, group, evidence, article, file, confidence}``, ``[]`` when none)
and one scalar total per kind and unit, ``total_{kind}_{unit}`` (e.g.
``total_money_元``; money totals are floats, people and counts integers when
whole).  Edge keys are predicate names; edge attributes:
``predicate``, ``predicate_iri``, ``weight``, ``evidence`` (list of dicts with
``sentence``, ``article``, ``file``, ``doc_id``, ``article_iri``, ``date``,
``trigger``, ``extractor``, ``confidence``).
"""

from __future__ import annotations

import heapq
import io
import json
import math
import os
import tempfile
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import unquote

from kg.errors import InputError, OutputError
from kg.model import ENTITY_TYPES, PREDICATES, SYMMETRIC_PREDICATES
from kg.output import atomic_file
from kg.runs import read_run, write_run

if TYPE_CHECKING:  # pragma: no cover - typing only
    import networkx as nx
    import rdflib

KG_NS = "https://w3id.org/union-kg/ontology#"
ID_BASE = "https://w3id.org/union-kg/id/"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA_NS = "https://schema.org/"
PROV_NS = "http://www.w3.org/ns/prov#"

_RDF_TYPE = RDF_NS + "type"
_LABEL = RDFS_NS + "label"
_PREF = SKOS_NS + "prefLabel"
_ALT = SKOS_NS + "altLabel"
_PRED_IRIS = {KG_NS + p: p for p in PREDICATES}
_BASE_CLASSES = {KG_NS + t: t for t in ENTITY_TYPES}
_SCHEMA_ARTICLE = {SCHEMA_NS + "NewsArticle", "http://schema.org/NewsArticle"}

#: Evidence shown per edge is capped in the HTML, but every item is kept here.
EVIDENCE_KEYS: tuple[str, ...] = (
    "sentence",
    "article",
    "file",
    "doc_id",
    "article_iri",
    "date",
    "trigger",
    "extractor",
    "confidence",
)


# --------------------------------------------------------------------------- reading RDF


def _quads(graph: rdflib.Graph | Sequence[Any]) -> Iterator[tuple[Any, Any, Any, str | None]]:
    """Yield ``(s, p, o, graph name or None)`` for a Graph, a Dataset or a quad list."""
    if isinstance(graph, Sequence):
        for s, p, o, g in graph:
            yield s, p, o, (str(g) if g is not None else None)
        return
    quads = getattr(graph, "quads", None)
    if callable(quads) and getattr(graph, "context_aware", False):
        for s, p, o, ctx in quads((None, None, None, None)):
            ident = getattr(ctx, "identifier", ctx)
            yield s, p, o, (str(ident) if ident is not None else None)
    else:
        for s, p, o in graph.triples((None, None, None)):
            yield s, p, o, None


def _zh_first(values: Iterable[Any]) -> str | None:
    """The preferred literal: ``@zh`` first, then untagged, then any; ties sorted."""
    best: list[tuple[int, str]] = []
    for v in values:
        lang = (getattr(v, "language", None) or "").lower()
        rank = 0 if lang.startswith("zh") else 1 if not lang else 2
        best.append((rank, str(v)))
    return min(best)[1] if best else None


def _local(iri: str) -> str:
    """The last path or fragment segment of an IRI, percent-decoded.

    >>> _local("https://w3id.org/union-kg/id/UnionBody/%E6%B1%9F%E8%8B%8F")
    '江苏'
    """
    tail = iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return unquote(tail)


def _type_from_iri(iri: str) -> str | None:
    """``<base>{Type}/{name}`` → ``Type`` when Type is an entity type."""
    if iri.startswith(ID_BASE):
        head = iri[len(ID_BASE) :].split("/", 1)[0]
        if head in ENTITY_TYPES:
            return head
    return None


def _is_article(iri: str | None, articles: Mapping[str, Any]) -> bool:
    return iri is not None and (iri in articles or iri.startswith(ID_BASE + "article/"))


def _as_float(value: str | None) -> float | None:
    try:
        return None if value is None else float(value)
    except ValueError:
        return None


def to_networkx(graph: rdflib.Graph | Sequence[Any]) -> nx.MultiDiGraph:
    """Build the networkx view of an RDF graph (``Graph``, ``Dataset`` or a quad list).

    Parameters
    ----------
    graph
        The RDF graph in the shape that :mod:`kg.rdf` writes (a merged graph or a
        dataset with one named graph per article).

    Returns
    -------
    networkx.MultiDiGraph
        Nodes keyed by entity IRI, edges keyed by predicate name; deterministic
        (nodes and edges are inserted in sorted order).

    Examples
    --------
    >>> import rdflib
    >>> g = rdflib.Graph()
    >>> kg = rdflib.Namespace(KG_NS)
    >>> a = rdflib.URIRef(ID_BASE + "UnionBody/A")
    >>> b = rdflib.URIRef(ID_BASE + "Program/B")
    >>> _ = g.add((a, rdflib.RDF.type, kg.UnionBody))
    >>> _ = g.add((a, kg.runs, b))
    >>> G = to_networkx(g)
    >>> G.nodes[str(a)]["type"], G.nodes[str(b)]["type"], G.nodes[str(b)]["label"]
    ('UnionBody', 'Program', 'B')
    >>> [(d["predicate"], d["weight"]) for _, _, d in G.edges(data=True)]
    [('runs', 1)]
    """
    builder = NetworkBuilder()
    try:
        builder.add(_quads(graph))
        return builder.graph()
    finally:
        builder.close()


#: the predicates of entities and regions that the node attributes read
_NODE_PREDICATES = frozenset(
    {
        _RDF_TYPE,
        _LABEL,
        _PREF,
        _ALT,
        KG_NS + "level",
        KG_NS + "region",
        KG_NS + "implicit",
        KG_NS + "adminCode",
        KG_NS + "adminLevel",
        KG_NS + "partOf",
    }
)
_ONE_DOCUMENT = (ID_BASE + "article/", ID_BASE + "evidence/", ID_BASE + "fact/")


class _SortedRuns:
    """Records (tuples) kept in sorted runs on disk, read back merged in sorted order.

    At most ``run_items`` records are in memory; each full run is sorted and
    written (:func:`kg.runs.write_run`) to an anonymous temporary file in
    ``work``.  The merge holds one piece of each run.
    """

    def __init__(self, work: str | os.PathLike[str] | None = None, run_items: int = 10_000) -> None:
        self.work = None if work is None else str(work)
        self.run_items = run_items
        self._run: list[tuple[Any, ...]] = []
        self._files: list[IO[bytes]] = []

    def add(self, record: tuple[Any, ...]) -> None:
        self._run.append(record)
        if len(self._run) >= self.run_items:
            self._flush()

    def _flush(self) -> None:
        if not self._run:
            return
        self._run.sort()
        fh = tempfile.TemporaryFile(dir=self.work)  # noqa: SIM115 (closed by close())
        write_run(fh, self._run)
        fh.flush()
        self._files.append(fh)
        self._run = []

    @staticmethod
    def _read(fh: IO[bytes]) -> Iterator[tuple[Any, ...]]:
        fh.seek(0)
        return read_run(fh)

    def merged(self) -> Iterator[tuple[Any, ...]]:
        """Every record, in sorted order (one pass at a time)."""
        self._flush()
        return heapq.merge(*(self._read(fh) for fh in self._files))

    def close(self) -> None:
        for fh in self._files:
            fh.close()
        self._files = []
        self._run = []


#: the fields of one figure of a node (``facts``), in the order of :func:`_facts_by_subject`
_FACT_FIELDS = (
    "kind",
    "value",
    "unit",
    "approx",
    "what",
    "group",
    "evidence",
    "article",
    "file",
    "confidence",
)


class NetworkBuilder:
    """:func:`to_networkx`, fed one document's quads at a time (see :meth:`add`).

    What is kept in memory between documents is bounded by the entities and
    their relations, not by the corpus: the entities' and regions'
    descriptions, per relation the number of supporting articles and of
    readings, per node the figure totals.  The readings of the edges and the
    figures of the nodes go to sorted runs on disk (in ``work``, a temporary
    directory by default) and are merged when the graph is made; at most
    ``max_evidence`` readings per edge and ``max_facts`` figures per node are
    kept (the first in sorted order, so the choice does not depend on the order
    the documents come in).  An edge or node that had more says how many were
    left out in ``evidence_omitted`` / ``facts_omitted``; figure totals count
    all.  With no limits (the default) the graph is exactly :func:`to_networkx`'s.

    :meth:`graph` with ``evidence=False`` leaves the readings out of the graph
    (each edge's list is kept in a file: :meth:`edge_evidence`), so that the
    view of a big corpus is small; :func:`write_graphml` and
    :func:`kg.viz.render` take them from there.

    Each call of :meth:`add` must hold whole documents: an article and the
    evidence and figures read in it come in the same call.  :meth:`close`
    removes the files.
    """

    def __init__(
        self,
        *,
        max_evidence: int | None = None,
        max_facts: int | None = None,
        work: str | os.PathLike[str] | None = None,
    ) -> None:
        self.max_evidence = max_evidence
        self.max_facts = max_facts
        self.work = work
        self._edge_file: IO[bytes] | None = None
        self._edge_pos: dict[tuple[str, str, str], tuple[int, int]] = {}
        self._empty()

    def _empty(self) -> None:
        """No descriptions, counts or figures yet (what :meth:`graph` is made from)."""
        self.props: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        self.entity_iris: set[str] = set()
        self.readings: Counter[tuple[str, str, str]] = Counter()
        self.keys: dict[tuple[str, str, str], set[tuple[str, str, str]]] = defaultdict(set)
        self.support: Counter[tuple[str, str, str]] = Counter()
        self.evidence_total: Counter[tuple[str, str, str]] = Counter()
        self.fact_totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        self.fact_count: Counter[str] = Counter()
        self._evidence = _SortedRuns(self.work)
        self._facts = _SortedRuns(self.work)
        # one copy of each IRI and term kept across documents (each document's quads bring
        # their own copies: kept as they come, the same IRI was held once per document)
        self._names: dict[Any, Any] = {}

    def add(self, quads: Iterable[tuple[Any, Any, Any, str | None]]) -> None:
        """Add whole documents' quads ``(s, p, o, graph name or None)``."""
        props: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        rel_graphs: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        for s, p, o, ctx in quads:
            s_str, p_str = str(s), str(p)
            if p_str in _PRED_IRIS and not _is_literal(o):
                graphs = rel_graphs[(s_str, _PRED_IRIS[p_str], str(o))]  # creates the entry
                if ctx is not None:
                    graphs.add(ctx)
            props[s_str][p_str].append(o)

        articles = {
            iri: pr
            for iri, pr in props.items()
            if any(str(t) in _SCHEMA_ARTICLE for t in pr.get(_RDF_TYPE, ()))
        }

        # evidence nodes (reified statements); their article's texts made once
        evidence: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        shared: dict[str, str] = {}
        for node, pr in props.items():
            preds = pr.get(RDF_NS + "predicate")
            subj = pr.get(RDF_NS + "subject")
            obj = pr.get(RDF_NS + "object")
            if not (preds and subj and obj) or str(preds[0]) not in _PRED_IRIS:
                continue
            key = (str(subj[0]), _PRED_IRIS[str(preds[0])], str(obj[0]))
            art_iri = _zh_first(pr.get(PROV_NS + "wasDerivedFrom", ()))
            art = articles.get(art_iri or "", {})
            evidence[key].append(_evidence_item(node, pr, art_iri, art, shared))

        canon = self._names.setdefault
        # entities: typed with a base class, or at either end of a relation
        self.entity_iris.update(
            canon(iri, iri)
            for iri, pr in props.items()
            if any(str(t) in _BASE_CLASSES for t in pr.get(_RDF_TYPE, ()))
        )
        for s, _, o in list(rel_graphs) + list(evidence):
            self.entity_iris.update((canon(s, s), canon(o, o)))

        # figures: kept per subject, their totals over all
        for about, items in _facts_by_subject(props, articles, keyed=True).items():
            about = canon(about, about)
            totals = self.fact_totals[about]
            for _key, f in items:
                totals[f"total_{f['kind']}_{f['unit']}"] += Decimal(str(f["value"]))
            self.fact_count[about] += len(items)
            for key, f in items:
                self._facts.add((about, *key, *(f[k] for k in _FACT_FIELDS)))

        # relations (a symmetric predicate asserted both ways is one edge)
        supporting: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        for rkey in set(rel_graphs) | set(evidence):
            s, p, o = rkey
            s, o = canon(s, s), canon(o, o)
            key = (s, p, o)
            mkey = (min(s, o), p, max(s, o)) if p in SYMMETRIC_PREDICATES else key
            self.keys[mkey].add(key)
            ev = evidence.get(rkey, ())
            self.readings[key] += len(ev)
            support = supporting[mkey]
            support.update(g for g in rel_graphs.get(rkey, ()) if _is_article(g, articles))
            support.update(e["article_iri"] for e in ev if e["article_iri"])
            if ev:
                self.evidence_total[mkey] += len(ev)
                for e in ev:
                    self._evidence.add(
                        (
                            *mkey,
                            e["doc_id"],
                            e["article_iri"],
                            e["_node"],
                            *(e[k] for k in _EVIDENCE_REST),
                        )
                    )
        for mkey, graphs in supporting.items():
            self.support[mkey] += len(graphs)

        # what later documents need: descriptions of entities and regions
        keep = self.props
        for node, pr in props.items():
            if node.startswith(_ONE_DOCUMENT):
                continue
            mine = keep[canon(node, node)]
            for p_str, values in pr.items():
                if p_str not in _NODE_PREDICATES:
                    continue
                have = mine[canon(p_str, p_str)]
                for v in values:
                    if v not in have:
                        have.append(v if _is_literal(v) else canon(v, v))

    def _fact_groups(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """``(subject, its first max_facts figures)`` in subject order."""
        cap = self.max_facts
        about: str | None = None
        items: list[dict[str, Any]] = []
        for rec in self._facts.merged():
            if rec[0] != about:
                if about is not None:
                    yield about, items
                about, items = rec[0], []
            if cap is None or len(items) < cap:
                items.append(dict(zip(_FACT_FIELDS, rec[5:], strict=True)))
        if about is not None:
            yield about, items

    def _evidence_groups(self) -> Iterator[tuple[tuple[str, str, str], list[dict[str, Any]]]]:
        """``(merged edge key, its first max_evidence distinct readings)`` in key order."""
        cap = self.max_evidence
        mkey: tuple[str, str, str] | None = None
        items: list[dict[str, Any]] = []
        last_node = None
        for rec in self._evidence.merged():
            key = (rec[0], rec[1], rec[2])
            if key != mkey:
                if mkey is not None:
                    yield mkey, items
                mkey, items, last_node = key, [], None
            if rec[5] == last_node:  # the same reading (sorted next to each other)
                continue
            last_node = rec[5]
            if cap is None or len(items) < cap:
                items.append(
                    {
                        "sentence": rec[6],
                        "article": rec[7],
                        "file": rec[8],
                        "doc_id": rec[3],
                        "article_iri": rec[4],
                        "date": rec[9],
                        "trigger": rec[10],
                        "extractor": rec[11],
                        "confidence": rec[12],
                    }
                )
        if mkey is not None:
            yield mkey, items

    def graph(self, *, evidence: bool = True) -> nx.MultiDiGraph:
        """The networkx view of everything added.

        With ``evidence`` false the edges carry no ``evidence`` list: each one is
        kept in a file instead and read by :meth:`edge_evidence` (the view of a
        big corpus stays small).
        """
        import networkx as nx

        props = self.props
        G = nx.MultiDiGraph()
        facts = self._fact_groups()
        group = next(facts, None)
        for iri in sorted(self.entity_iris):
            while group is not None and group[0] < iri:
                group = next(facts, None)
            items = group[1] if group is not None and group[0] == iri else []
            attrs = _fact_attrs(items, self.fact_totals.get(iri))
            omitted = self.fact_count.get(iri, 0) - len(items)
            if omitted > 0:
                attrs["facts_omitted"] = omitted
            G.add_node(iri, **_node_attrs(iri, props), **attrs)

        if not evidence:
            self._close_edges()
            self._edge_file = tempfile.TemporaryFile(dir=self.work)  # noqa: SIM115
        readings = self._evidence_groups()
        ev_group = next(readings, None)
        for mkey in sorted(self.keys):
            p = mkey[1]
            dirs: Counter[tuple[str, str]] = Counter()
            for s, _, o in self.keys[mkey]:
                dirs[(s, o)] += max(1, self.readings[(s, _, o)])
            # direction: the one read most often, ties broken by sorted order
            (s, o), _n = min(dirs.items(), key=lambda kv: (-kv[1], kv[0]))
            while ev_group is not None and ev_group[0] < mkey:
                ev_group = next(readings, None)
            ev = ev_group[1] if ev_group is not None and ev_group[0] == mkey else []
            extra: dict[str, Any] = {}
            if self.max_evidence is not None and self.evidence_total[mkey] > self.max_evidence:
                extra["evidence_omitted"] = self.evidence_total[mkey] - len(ev)
            if evidence:
                extra["evidence"] = ev
            else:
                self._keep_edge((s, o, p), ev)
            G.add_edge(
                s,
                o,
                key=p,
                predicate=p,
                predicate_iri=KG_NS + p,
                weight=max(1, self.support[mkey]),
                **extra,
            )
        return G

    def forget(self) -> None:
        """Let go of what :meth:`graph` is made from: the descriptions, counts and
        figures.  The readings of a view made with ``evidence=False`` stay readable
        (:meth:`edge_evidence`); :meth:`graph` gives an empty view afterwards."""
        self._evidence.close()
        self._facts.close()
        self._empty()

    def _keep_edge(self, edge: tuple[str, str, str], ev: list[dict[str, Any]]) -> None:
        assert self._edge_file is not None
        data = json.dumps(ev, ensure_ascii=False, sort_keys=True).encode("utf-8", "surrogatepass")
        self._edge_pos[edge] = (self._edge_file.tell(), len(data))
        self._edge_file.write(data)

    def edge_evidence_json(self, u: str, v: str, key: str) -> str:
        """The readings of an edge of ``graph(evidence=False)`` as the JSON text of GraphML."""
        pos = self._edge_pos.get((u, v, key))
        if pos is None or self._edge_file is None:
            return "[]"
        self._edge_file.seek(pos[0])
        return self._edge_file.read(pos[1]).decode("utf-8", "surrogatepass")

    def edge_evidence(self, u: str, v: str, key: str) -> list[dict[str, Any]]:
        """The readings of an edge of ``graph(evidence=False)`` (what ``evidence`` would hold)."""
        items: list[dict[str, Any]] = json.loads(self.edge_evidence_json(u, v, key))
        return [{k: e[k] for k in EVIDENCE_KEYS} for e in items]

    def _close_edges(self) -> None:
        if self._edge_file is not None:
            self._edge_file.close()
        self._edge_file = None
        self._edge_pos = {}

    def close(self) -> None:
        """Remove the files of the readings, figures and edges."""
        self._evidence.close()
        self._facts.close()
        self._close_edges()


#: the fields of a reading after its sort key ``(doc_id, article_iri, node)``
_EVIDENCE_REST = ("sentence", "article", "file", "date", "trigger", "extractor", "confidence")


_FACT_CLASS = KG_NS + "Fact"
_QUANTITATIVE = {SCHEMA_NS + "QuantitativeValue", "http://schema.org/QuantitativeValue"}


def _number(text: str | None) -> int | float | None:
    """An ``xsd:integer``/``xsd:decimal`` lexical form as an ``int`` (when whole) or ``float``."""
    if text is None:
        return None
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite():
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _facts_by_subject(
    props: Mapping[str, Mapping[str, list[Any]]], articles: Mapping[str, Any], keyed: bool = False
) -> dict[str, list[Any]]:
    """The figures of each subject entity (``kg:factAbout``), each with its evidence."""
    readings: dict[str, list[Mapping[str, list[Any]]]] = defaultdict(list)
    for pr in props.values():
        subj = pr.get(RDF_NS + "subject")
        if subj and any(str(t) == KG_NS + "FactEvidence" for t in pr.get(_RDF_TYPE, ())):
            readings[str(subj[0])].append(pr)
    out: dict[str, list[tuple[tuple[Any, ...], dict[str, Any]]]] = defaultdict(list)
    for node, pr in props.items():
        types = {str(t) for t in pr.get(_RDF_TYPE, ())}
        if _FACT_CLASS not in types and not types & _QUANTITATIVE:
            continue
        about = _zh_first(pr.get(KG_NS + "factAbout", ()))
        value = _number(_zh_first(pr.get(SCHEMA_NS + "value", ())))
        if not about or value is None:
            continue
        group_iri = _zh_first(pr.get(KG_NS + "factGroup", ()))
        group = ""
        if group_iri:
            gpr = props.get(group_iri, {})
            group = _zh_first(gpr.get(_PREF, ())) or _zh_first(gpr.get(_LABEL, ())) or ""
            group = group or _local(group_iri)
        approx = any(str(v).lower() in {"true", "1"} for v in pr.get(KG_NS + "approximate", ()))
        base = {
            "kind": _zh_first(pr.get(KG_NS + "factKind", ())) or "",
            "value": value,
            "unit": _zh_first(pr.get(SCHEMA_NS + "unitText", ())) or "",
            "approx": approx,
            "what": _zh_first(pr.get(KG_NS + "measures", ())) or "",
            "group": group,
        }
        # one reading per figure (its IRI carries its offsets): the first, sorted
        for ev in sorted(readings.get(node, []), key=_reading_key)[:1] or [{}]:
            art_iri = _zh_first(ev.get(PROV_NS + "wasDerivedFrom", ())) or ""
            art = articles.get(art_iri, {})
            conf = _as_float(_zh_first(ev.get(KG_NS + "confidence", ())))
            file = _zh_first(art.get(KG_NS + "sourceFile", ())) or ""
            start = _number(_zh_first(ev.get(KG_NS + "valueStart", ()))) or 0
            item = {
                **base,
                "evidence": _zh_first(ev.get(KG_NS + "sentence", ())) or "",
                "article": _zh_first(art.get(SCHEMA_NS + "headline", ())) or file,
                "file": file,
                "confidence": conf if conf is not None else 0.0,
            }
            out[about].append(((file, art_iri, start, node), item))
    if keyed:  # (sort key, figure) pairs
        return {k: sorted(v, key=lambda t: t[0]) for k, v in out.items()}
    return {k: [item for _, item in sorted(v, key=lambda t: t[0])] for k, v in out.items()}


def _reading_key(pr: Mapping[str, list[Any]]) -> tuple[str, str, str]:
    return tuple(  # type: ignore[return-value]
        _zh_first(pr.get(KG_NS + k, ())) or "" for k in ("extractor", "sentenceStart", "sentence")
    )


def _fact_attrs(
    facts: list[dict[str, Any]], totals: Mapping[str, Decimal] | None = None
) -> dict[str, Any]:
    """The ``facts`` JSON string and the ``total_{kind}_{unit}`` scalars of one node.

    The totals are summed from ``facts`` unless given.
    """
    if totals is None:
        totals = defaultdict(Decimal)
        for f in facts:
            totals[f"total_{f['kind']}_{f['unit']}"] += Decimal(str(f["value"]))
    attrs: dict[str, Any] = {"facts": json.dumps(facts, ensure_ascii=False, sort_keys=True)}
    for key in sorted(totals):
        total = totals[key]
        if key.startswith("total_money_"):
            attrs[key] = float(total)
        else:
            attrs[key] = int(total) if total == total.to_integral_value() else float(total)
    return attrs


def _is_literal(term: Any) -> bool:
    return term.__class__.__name__ == "Literal"


def _evidence_item(
    node: str,
    pr: Mapping[str, list[Any]],
    art_iri: str | None,
    art: Mapping[str, list[Any]],
    shared: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One reading of an edge; equal texts are one object when ``shared`` collects them."""

    def one(d: Mapping[str, list[Any]], key: str) -> str | None:
        text = _zh_first(d.get(key, ()))
        if shared is None or text is None:
            return text
        return shared.setdefault(text, text)

    conf = _as_float(one(pr, KG_NS + "confidence"))
    return {
        "sentence": one(pr, KG_NS + "sentence") or "",
        "article": one(art, SCHEMA_NS + "headline") or "",
        "file": one(art, KG_NS + "sourceFile") or "",
        "doc_id": one(art, KG_NS + "docId") or "",
        "article_iri": art_iri or "",
        "date": one(art, SCHEMA_NS + "datePublished") or "",
        "trigger": one(pr, KG_NS + "trigger") or "",
        "extractor": one(pr, KG_NS + "extractor") or "",
        "confidence": conf if conf is not None else 0.0,
        "_node": node,
    }


def _node_attrs(iri: str, props: Mapping[str, Mapping[str, list[Any]]]) -> dict[str, Any]:
    pr = props.get(iri, {})
    types = sorted(str(t) for t in pr.get(_RDF_TYPE, ()))
    base = next((_BASE_CLASSES[t] for t in types if t in _BASE_CLASSES), None)
    base = base or _type_from_iri(iri) or "Entity"
    kind = _most_specific([t for t in types if t.startswith(KG_NS) and t not in _BASE_CLASSES])
    label = _zh_first(pr.get(_PREF, ())) or _zh_first(pr.get(_LABEL, ())) or _local(iri)
    aliases = sorted({str(a) for a in pr.get(_ALT, ())} - {label})
    level = _zh_first(pr.get(KG_NS + "level", ()))
    region_iri = _zh_first(pr.get(KG_NS + "region", ()))
    region, region_code, province = _region_info(region_iri, props)
    implicit = any(str(v).lower() in {"true", "1"} for v in pr.get(KG_NS + "implicit", ()))
    return {
        "iri": iri,
        "label": label,
        "type": base,
        "kind": _local(kind) if kind else base,
        "kind_label": _class_labels().get(kind or KG_NS + base, ""),
        "aliases": aliases,
        "level": level or "",
        "region": region,
        "region_code": region_code,
        "province": province,
        "implicit": implicit,
    }


@cache
def _ontology() -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """Class labels (``@zh``) and ancestors from the shipped ``ontology/kg.ttl``.

    Empty when the file is missing or broken: the view then uses class names.
    """
    import rdflib

    from kg.resources import data_path

    g = rdflib.Graph()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            g.parse(data_path("kg.ttl"), format="turtle")
    except Exception:  # a DataError or a parser error: degrade to class names
        return {}, {}
    labels: dict[str, str] = {}
    for c_node, label in g.subject_objects(rdflib.RDFS.label):
        c = str(c_node)
        if c.startswith(KG_NS) and (getattr(label, "language", "") or "").startswith("zh"):
            labels[c] = min(labels.get(c, str(label)), str(label))
    parents: dict[str, set[str]] = defaultdict(set)
    for c_node, sup_node in g.subject_objects(rdflib.RDFS.subClassOf):
        parents[str(c_node)].add(str(sup_node))
    ancestors: dict[str, frozenset[str]] = {}
    for c in parents:
        seen: set[str] = set()
        todo = [c]
        while todo:
            for sup in parents.get(todo.pop(), ()):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        ancestors[c] = frozenset(seen)
    return labels, ancestors


def _class_labels() -> dict[str, str]:
    return _ontology()[0]


def _most_specific(classes: list[str]) -> str | None:
    """The class of ``classes`` that no other one is a subclass of (sorted tie-break)."""
    if not classes:
        return None
    ancestors = _ontology()[1]
    supers = {a for c in classes for a in ancestors.get(c, ())}
    return min((c for c in classes if c not in supers), default=min(classes))


def _region_info(
    region_iri: str | None, props: Mapping[str, Mapping[str, list[Any]]]
) -> tuple[str, str, str]:
    """``(region name, admin code, province name)`` of a region IRI ("" when unknown)."""
    if not region_iri:
        return "", "", ""
    pr = props.get(region_iri, {})
    name = _zh_first(pr.get(_LABEL, ())) or ""
    code = _zh_first(pr.get(KG_NS + "adminCode", ())) or _local(region_iri)
    # walk kg:partOf up to the province (or the top of the chain)
    province, node, seen = "", region_iri, set()
    while node and node not in seen:
        seen.add(node)
        npr = props.get(node, {})
        level = _zh_first(npr.get(KG_NS + "adminLevel", ()))
        province = _zh_first(npr.get(_LABEL, ())) or province
        if level == "province":
            break
        node = _zh_first(npr.get(KG_NS + "partOf", ())) or ""
    return name, code, province


# --------------------------------------------------------------------------- build dir


def load_build(directory: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """Read a ``kg build`` output directory into the networkx view.

    Reads the build's store (``DIR/store``, opened read-only: its article
    graphs), else ``graph.trig`` (it keeps one named graph per article) or
    ``graph.ttl``.

    Raises
    ------
    kg.errors.InputError
        When the directory or both graph files are missing, or the file cannot
        be parsed.
    """
    import rdflib

    root = Path(directory)
    hint = f"run `kg build INPUT --out {root}` first"
    if root.exists() and not root.is_dir():
        raise InputError(f"{root} is a file, not a build directory", hint=hint)
    if not root.is_dir():
        raise InputError(f"build directory {root} does not exist", hint=hint)
    trig, ttl = root / "graph.trig", root / "graph.ttl"
    if (root / "store" / "CURRENT").is_file():
        from kg.rdf.store import open_build, provenance_quads

        return to_networkx(list(provenance_quads(open_build(root).ox)))
    if trig.is_file():
        path, fmt = trig, "trig"
        graph: rdflib.Graph = rdflib.Dataset()
    elif ttl.is_file():
        path, fmt = ttl, "turtle"
        graph = rdflib.Graph()
    else:
        raise InputError(f"{root} holds neither graph.trig nor graph.ttl", hint=hint)
    try:
        with warnings.catch_warnings():  # rdflib's own deprecations inside its parsers
            warnings.simplefilter("ignore", DeprecationWarning)
            graph.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many kinds of parser errors
        raise InputError(
            f"cannot read {path}: {' '.join(str(exc).split())[:300]}",
            hint=f"the file is damaged; rebuild it with `kg build INPUT --out {root}`",
        ) from exc
    return to_networkx(graph)


# --------------------------------------------------------------------------- analytics


def _simple_undirected(G: nx.MultiDiGraph) -> nx.Graph:
    """Collapse to a simple undirected graph whose weights add up."""
    import networkx as nx

    H = nx.Graph()
    H.add_nodes_from(sorted(G.nodes))
    for u, v, d in sorted(G.edges(data=True), key=lambda e: (e[0], e[1], e[2]["predicate"])):
        if u == v:
            continue
        w = d.get("weight", 1)
        if H.has_edge(u, v):
            H[u][v]["weight"] += w
        else:
            H.add_edge(u, v, weight=w)
    return H


def _rank(values: Mapping[str, float], G: nx.MultiDiGraph, top: int) -> list[dict[str, Any]]:
    items = sorted(values.items(), key=lambda kv: (-kv[1], G.nodes[kv[0]]["label"], kv[0]))
    return [
        {
            "label": G.nodes[n]["label"],
            "type": G.nodes[n]["type"],
            "iri": n,
            "value": round(v, 4),
        }
        for n, v in items[:top]
    ]


def stats(G: nx.MultiDiGraph, *, top: int = 10, seed: int = 42) -> dict[str, Any]:
    """Summary figures of the networkx view (JSON-serialisable, deterministic).

    Parameters
    ----------
    G
        The view from :func:`to_networkx`.
    top
        How many entries each ranking keeps.
    seed
        Seed of the Louvain community detection (and of the pivots of
        betweenness, which is sampled on large graphs: ``betweenness_pivots``
        says how many sources were used, ``None`` when it is exact).

    Returns
    -------
    dict
        ``nodes``, ``edges``, ``articles``, ``evidence``, ``nodes_by_type``,
        ``edges_by_predicate``, ``top_unions``, ``top_agencies`` (by number of
        distinct neighbours), ``degree_centrality``, ``betweenness``,
        ``communities`` (largest first, each with ``size`` and ``members``) and
        ``cooperation_by_province``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", label="A", type="UnionBody", province="江苏省")
    >>> G.add_node("b", label="B", type="PartnerAgency", province="江苏省")
    >>> _ = G.add_edge("a", "b", key="cooperatesWith", predicate="cooperatesWith",
    ...                weight=2, evidence=[])
    >>> d = stats(G)
    >>> d["nodes"], d["edges"], d["cooperation_by_province"]["江苏省"]["pairs"]
    (2, 1, 1)
    """
    import networkx as nx

    H = _simple_undirected(G)
    n = G.number_of_nodes()
    by_type = Counter(d.get("type", "Entity") for _, d in G.nodes(data=True))
    by_pred = Counter(d.get("predicate", k) for _, _, k, d in G.edges(keys=True, data=True))
    all_ev = [e for _, _, d in G.edges(data=True) for e in d.get("evidence", ())]
    articles = {e.get("article_iri") or e.get("doc_id") for e in all_ev} - {"", None}

    neighbours = {node: float(H.degree(node)) for node in H.nodes}

    def top_of(kind: str) -> list[dict[str, Any]]:
        sub = {k: v for k, v in neighbours.items() if G.nodes[k].get("type") == kind}
        return [
            {**row, "value": int(row["value"])} for row in _rank(sub, G, top) if row["value"] > 0
        ]

    degree_c = nx.degree_centrality(H) if n > 1 else {k: 0.0 for k in H.nodes}
    # exact betweenness costs about n * (n + m) steps; past a budget, sample pivots
    pivots = _betweenness_pivots(n, H.number_of_edges())
    between = nx.betweenness_centrality(H, k=pivots, seed=seed if pivots else None)

    communities: list[dict[str, Any]] = []
    if H.number_of_edges():
        parts = nx.community.louvain_communities(H, weight="weight", seed=seed)
        rows: list[dict[str, Any]] = []
        for part in parts:
            if len(part) < 2:
                continue
            members = sorted(part, key=lambda k: (-H.degree(k), G.nodes[k]["label"], k))
            rows.append(
                {
                    "size": len(part),
                    "members": [G.nodes[k]["label"] for k in members],
                    "types": dict(sorted(Counter(G.nodes[k]["type"] for k in part).items())),
                }
            )
        rows.sort(key=lambda r: (-r["size"], r["members"]))
        communities = rows

    return {
        "nodes": n,
        "edges": G.number_of_edges(),
        "articles": len(articles),
        "evidence": len(all_ev),
        "nodes_by_type": dict(sorted(by_type.items())),
        "edges_by_predicate": dict(sorted(by_pred.items())),
        "top_unions": top_of("UnionBody"),
        "top_agencies": top_of("PartnerAgency"),
        "degree_centrality": _rank(degree_c, G, top),
        "betweenness": _rank(between, G, top),
        "betweenness_pivots": pivots,
        "communities": communities,
        "cooperation_by_province": _cooperation_by_province(G),
    }


#: Work allowed for exact betweenness (about n * (n + m) steps, a few seconds).
BETWEENNESS_BUDGET = 3_000_000


def _betweenness_pivots(n: int, m: int) -> int | None:
    """``None`` for exact betweenness, else how many sampled sources fit the budget.

    >>> _betweenness_pivots(300, 200) is None
    True
    >>> _betweenness_pivots(5000, 12000)
    176
    """
    if n * (n + m) <= BETWEENNESS_BUDGET:
        return None
    return max(32, min(n, BETWEENNESS_BUDGET // (n + m)))


def _province_group(attrs: Mapping[str, Any]) -> str:
    """The province of a node for grouping; national bodies and unknowns get a label."""
    if attrs.get("province"):
        return str(attrs["province"])
    return "全国 national" if attrs.get("level") == "national" else "未知 unknown"


def _cooperation_by_province(G: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    """Cooperation pairs grouped by province (``A / B`` for cross-province pairs).

    Bodies without a region are grouped as ``全国 national`` (level national)
    or ``未知 unknown``.
    """
    groups: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for u, v, d in G.edges(data=True):
        if d.get("predicate") not in SYMMETRIC_PREDICATES:
            continue
        pu, pv = _province_group(G.nodes[u]), _province_group(G.nodes[v])
        group = pu if pu == pv else " / ".join(sorted((pu, pv)))
        a, b = sorted((G.nodes[u]["label"], G.nodes[v]["label"]))
        groups[group].append((a, b, int(d.get("weight", 1))))
    out: dict[str, dict[str, Any]] = {}
    for group in sorted(groups, key=lambda g: (-len(groups[g]), g)):
        pairs = sorted(groups[group], key=lambda t: (-t[2], t[0], t[1]))
        out[group] = {"pairs": len(pairs), "list": [list(p) for p in pairs]}
    return out


def format_stats(d: Mapping[str, Any], *, limit: int = 10) -> str:
    """Human-readable text of :func:`stats`.

    >>> print(format_stats({"nodes": 2, "edges": 1, "articles": 1, "evidence": 1,
    ...     "nodes_by_type": {"UnionBody": 2}, "edges_by_predicate": {"runs": 1}}))
    ... # doctest: +NORMALIZE_WHITESPACE
    Nodes: 2   Edges: 1   Articles: 1   Evidence sentences: 1
    Nodes by type: UnionBody 2
    Edges by predicate: runs 1
    """
    lines = [
        f"Nodes: {d.get('nodes', 0)}   Edges: {d.get('edges', 0)}   "
        f"Articles: {d.get('articles', 0)}   Evidence sentences: {d.get('evidence', 0)}",
        "Nodes by type: "
        + (", ".join(f"{k} {v}" for k, v in d.get("nodes_by_type", {}).items()) or "-"),
        "Edges by predicate: "
        + (", ".join(f"{k} {v}" for k, v in d.get("edges_by_predicate", {}).items()) or "-"),
    ]

    def table(title: str, rows: list[dict[str, Any]], fmt: str) -> None:
        if not rows:
            return
        lines.append("")
        lines.append(title)
        for i, row in enumerate(rows[:limit], 1):
            value = format(row["value"], fmt)
            lines.append(f"  {i:>2}. {row['label']}  ({row['type']}, {value})")

    table("Most connected unions (distinct neighbours):", d.get("top_unions", []), "d")
    table("Most connected partner agencies (distinct neighbours):", d.get("top_agencies", []), "d")
    table("Degree centrality:", d.get("degree_centrality", []), ".3f")
    pivots = d.get("betweenness_pivots")
    approx = f" (approximate: {pivots} sampled sources)" if pivots else ""
    table(f"Betweenness centrality{approx}:", d.get("betweenness", []), ".3f")

    comms = d.get("communities", [])
    if comms:
        lines.append("")
        lines.append(f"Communities (Louvain, fixed seed): {len(comms)}")
        for i, c in enumerate(comms[:limit], 1):
            shown = "、".join(c["members"][:8])
            more = f" … (+{c['size'] - 8})" if c["size"] > 8 else ""
            lines.append(f"  {i:>2}. size {c['size']}: {shown}{more}")
    coop = d.get("cooperation_by_province", {})
    if coop:
        lines.append("")
        lines.append("Cooperation pairs by province:")
        for group, row in list(coop.items())[:limit]:
            lines.append(f"  {group}: {row['pairs']}")
            for a, b, w in row["list"][:5]:
                lines.append(f"      {a} — {b}" + (f"  (×{w})" if w > 1 else ""))
    return "\n".join(lines)


# --------------------------------------------------------------------------- exports


def _scalar_attrs(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """Attributes as scalars, sorted by name: lists/dicts become JSON strings, ``None`` goes."""
    out: dict[str, Any] = {}
    for k, v in sorted(attrs.items()):
        if v is None:
            continue
        if isinstance(v, list | tuple | dict | set):
            v = json.dumps(
                sorted(v) if isinstance(v, set) else v, ensure_ascii=False, sort_keys=True
            )
        elif isinstance(v, float) and not math.isfinite(v):
            v = str(v)
        out[k] = v
    return out


def _edge_attrs(k: Any, d: Mapping[str, Any]) -> dict[str, Any]:
    attrs = _scalar_attrs(d)
    attrs.setdefault("predicate", str(k))
    attrs.setdefault("label", attrs["predicate"])
    return attrs


def _scalar_copy(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are all scalars (lists/dicts become JSON strings)."""
    import networkx as nx

    H = nx.MultiDiGraph()
    for n, d in G.nodes(data=True):
        H.add_node(n, **_scalar_attrs(d))
    # edge ids must be unique in GraphML/GEXF: number the edges, keep the predicate
    for i, (u, v, k, d) in enumerate(G.edges(keys=True, data=True)):
        H.add_edge(u, v, key=f"e{i}", **_edge_attrs(k, d))
    return H


# GraphML as networkx writes it (nx.write_graphml(..., prettyprint=True) of _scalar_copy),
# but element by element: networkx builds the whole XML tree in memory first.
_GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
)
#: networkx's GraphML names of the Python types (its ``GraphMLWriter.xml_type``)
_GRAPHML_TYPES: dict[type, str] = {bool: "boolean", int: "long", float: "double", str: "string"}


def _xml_text(text: str) -> str:
    """Character data escaped as xml.etree.ElementTree escapes it."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _xml_attr(text: str) -> str:
    """An attribute value escaped as xml.etree.ElementTree escapes it."""
    text = _xml_text(text)
    for ch, ref in (('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;")):
        if ch in text:
            text = text.replace(ch, ref)
    return text


class _GraphMLBody:
    """The ``<node>``/``<edge>`` elements, written as they come; the ``<key>`` list they need."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.keys: dict[tuple[str, str, str], str] = {}
        self.empty = True

    def element(self, head: str, tag: str, scope: str, attrs: Mapping[str, Any]) -> None:
        parts = []
        for name, value in attrs.items():
            xml_type = _GRAPHML_TYPES.get(type(value))
            if xml_type is None:
                raise TypeError(f"GraphML does not support type {type(value)} as data values.")
            key = self.keys.setdefault((str(name), xml_type, scope), f"d{len(self.keys)}")
            text = str(value)
            parts.append(
                f'\n      <data key="{key}">{_xml_text(text)}</data>'
                if text
                else f'\n      <data key="{key}" />'
            )
        if parts:
            self.out.write(f"\n    <{tag} {head}>{''.join(parts)}\n    </{tag}>")
        else:
            self.out.write(f"\n    <{tag} {head} />")
        self.empty = False

    def finish(self, fh: IO[bytes], body: IO[bytes]) -> None:
        """Write the whole document to ``fh``: header, keys, then the body spooled in ``body``."""
        out = io.TextIOWrapper(fh, encoding="utf-8", errors="xmlcharrefreplace", newline="\n")
        out.write(_GRAPHML_HEAD)
        for (name, xml_type, scope), key in reversed(self.keys.items()):
            out.write(
                f'\n  <key id="{key}" for="{scope}" attr.name="{_xml_attr(name)}" '
                f'attr.type="{xml_type}" />'
            )
        if self.empty:
            out.write('\n  <graph edgedefault="directed" />\n</graphml>\n')
            out.flush()
            out.detach()
            return
        out.write('\n  <graph edgedefault="directed">')
        out.flush()
        body.seek(0)
        while chunk := body.read(1 << 20):
            fh.write(chunk)
        out.write("\n  </graph>\n</graphml>\n")
        out.flush()
        out.detach()


def write_graphml(
    G: nx.MultiDiGraph,
    path: str | os.PathLike[str],
    *,
    evidence: Callable[[str, str, str], str] | None = None,
) -> None:
    """Write GraphML (for Gephi, yEd) atomically; evidence lists become JSON strings.

    The bytes are those of ``networkx.write_graphml(..., prettyprint=True)`` of
    the graph with scalar attributes (edges numbered ``e0``, ``e1``…), but the
    file is written node by node and edge by edge instead of from a whole XML
    tree.  ``evidence(u, v, key)``, when given, supplies each edge's
    ``evidence`` JSON text (for a view made by ``NetworkBuilder.graph(evidence=False)``).
    """
    if not G.is_directed() or not G.is_multigraph() or G.graph:
        return _write_graphml_nx(G, path)
    try:
        with tempfile.TemporaryFile(dir=os.fspath(Path(path).parent) or None) as spool:
            text = io.TextIOWrapper(
                spool, encoding="utf-8", errors="xmlcharrefreplace", newline="\n"
            )
            body = _GraphMLBody(text)
            for n, d in G.nodes(data=True):
                body.element(f'id="{_xml_attr(str(n))}"', "node", "node", _scalar_attrs(d))
            for i, (u, v, k, d) in enumerate(G.edges(keys=True, data=True)):
                if evidence is not None:
                    d = {**d, "evidence": evidence(u, v, k)}
                head = f'source="{_xml_attr(str(u))}" target="{_xml_attr(str(v))}" id="e{i}"'
                body.element(head, "edge", "edge", _edge_attrs(k, d))
            text.flush()
            with atomic_file(path, "wb") as fh:
                body.finish(fh, text.detach())  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:  # an attribute type GraphML cannot hold
        raise OutputError(f"cannot write GraphML to {path}: {exc}") from exc


def _write_graphml_nx(G: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """networkx's own GraphML writer (graphs of another shape than the view's)."""
    import networkx as nx

    H = _scalar_copy(G)
    with atomic_file(path, "wb") as fh:
        try:
            nx.write_graphml(H, fh, encoding="utf-8", prettyprint=True)
        except (TypeError, ValueError) as exc:  # an attribute type GraphML cannot hold
            raise OutputError(f"cannot write GraphML to {path}: {exc}") from exc


def write_gexf(G: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write GEXF 1.2 (Gephi's own format) atomically; lists become JSON strings."""
    import networkx as nx

    H = _scalar_copy(G)
    with atomic_file(path, "wb") as fh:
        try:
            nx.write_gexf(H, fh, encoding="utf-8", prettyprint=True)
        except (TypeError, ValueError) as exc:
            raise OutputError(f"cannot write GEXF to {path}: {exc}") from exc


__all__ = [
    "format_stats",
    "load_build",
    "stats",
    "to_networkx",
    "write_gexf",
    "write_graphml",
]
